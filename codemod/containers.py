"""Objects kept in a literal container that is only ever indexed with constant keys:
`MODELS = {"fast": GenerativeModel(...), "smart": GenerativeModel(...)}` read as
`MODELS["fast"]`, or `MODELS = [a, b]` read as `MODELS[0]`. A read with a computed key
(`MODELS[choice]`) may be any of the values. A container that is stored into, iterated, passed
on or read any other way is not followed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from codemod.analysis import ModuleAnalysis

Container = cst.Dict | cst.List | cst.Tuple


def _key(node: cst.CSTNode | None) -> object:
    """A constant key or index as a value; `_COMPUTED` for anything else."""
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value
    if isinstance(node, cst.Integer):
        return int(node.value, 0)
    return _COMPUTED


_COMPUTED = object()


def holder(analysis: ModuleAnalysis, value: cst.BaseExpression) -> tuple[Container, object] | None:
    """The literal container `value` is written in, and its key (or index) there."""
    element = analysis.parent(value)
    container = analysis.parent(element) if element is not None else None
    if isinstance(element, cst.DictElement) and element.value is value and isinstance(container, cst.Dict):
        key = _key(element.key)
        return (container, key) if key is not _COMPUTED else None
    if isinstance(element, cst.Element) and isinstance(container, (cst.List, cst.Tuple)) and all(isinstance(e, cst.Element) for e in container.elements):
        return container, list(container.elements).index(element)
    return None


def _reads(analysis: ModuleAnalysis, container: Container) -> list[cst.Subscript] | None:
    """The subscript reads of the name the container is bound to, when that is all it is used for."""
    assign = analysis.parent(container)
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)):
        return None
    target = assign.targets[0].target
    references = analysis.sole_references(target)
    if references is None:
        return None
    reads = []
    for reference in references:
        subscript = analysis.parent(reference)
        if not (isinstance(subscript, cst.Subscript) and subscript.value is reference and len(subscript.slice) == 1):
            return None
        if not isinstance(subscript.slice[0].slice, cst.Index) or _stored(analysis, subscript):
            return None
        reads.append(subscript)
    return reads


def _stored(analysis: ModuleAnalysis, subscript: cst.Subscript) -> bool:
    parent = analysis.parent(subscript)
    return isinstance(parent, (cst.AssignTarget, cst.Del)) or (isinstance(parent, (cst.AnnAssign, cst.AugAssign)) and parent.target is subscript)


def reads_of_value(analysis: ModuleAnalysis, value: cst.BaseExpression) -> list[cst.Subscript] | None:
    """Where the object `value` makes is read back: subscripts with its key, or a computed one."""
    found = holder(analysis, value)
    if found is None:
        return None
    container, key = found
    reads = _reads(analysis, container)
    if reads is None:
        return None
    return [r for r in reads if _key(r.slice[0].slice.value) in (key, _COMPUTED)]  # type: ignore[attr-defined]


def values_read(analysis: ModuleAnalysis, subscript: cst.Subscript) -> list[cst.BaseExpression] | None:
    """The values a subscript read of such a container may give; None when not one."""
    if not isinstance(subscript.value, cst.Name) or len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    values = analysis.values_of_name(subscript.value)
    if values is None or len(values) != 1 or not isinstance(values[0], (cst.Dict, cst.List, cst.Tuple)):
        return None
    container = values[0]
    if _reads(analysis, container) is None:
        return None
    key = _key(subscript.slice[0].slice.value)
    if isinstance(container, cst.Dict):
        pairs = [(_key(e.key), e.value) for e in container.elements if isinstance(e, cst.DictElement)]
        if len(pairs) != len(container.elements) or any(k is _COMPUTED for k, _ in pairs):
            return None
        chosen = [v for k, v in pairs if key is _COMPUTED or k == key]
    else:
        items = [e.value for e in container.elements]
        chosen = items if key is _COMPUTED else [items[key]] if isinstance(key, int) and -len(items) <= key < len(items) else []
    return chosen or None
