"""A fast read-only walk over a LibCST tree, in the order `node.visit(visitor)` uses.

LibCST's `visit` rebuilds every node it passes (its transformer machinery), which costs several
times the parse itself; a visitor that only collects facts needs none of that. `visit` calls the
same `visit_<Node>` / `leave_<Node>` methods in the same order, and records each node's parent
on the way (`visit`). It does not call `on_visit_attribute` / `on_leave_attribute`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import libcst as cst

_FIELD_ORDER: dict[type[cst.CSTNode], tuple[str, ...]] = {}


class _FieldRecorder(cst.CSTVisitor):
    """Hears the fields of one node in the order LibCST visits them, not their children."""

    def __init__(self) -> None:
        self.fields: dict[str, None] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields[attribute] = None


def _fields(node: cst.CSTNode) -> tuple[str, ...]:
    """The child-holding fields of `node`'s class, in LibCST's visiting order (learned once per
    class from LibCST itself; a field it skipped on that node, such as an f-string's absent
    `format_spec`, comes last, where LibCST visits it)."""
    kind = type(node)
    order = _FIELD_ORDER.get(kind)
    if order is None:
        recorder = _FieldRecorder()
        node._visit_and_replace_children(recorder)
        rest = (f.name for f in dataclasses.fields(kind) if f.name not in recorder.fields)
        order = _FIELD_ORDER[kind] = (*recorder.fields, *rest)
    return order


def visit(root: cst.CSTNode, *visitors: cst.CSTVisitor, parents: dict[cst.CSTNode, cst.CSTNode] | None = None) -> None:
    """Visit `root` and everything below it with each visitor, in one walk, each seeing what
    `root.visit(visitor)` would show it (a `visit_*` method returning False skips the children
    for that visitor; `leave_*` is always called), and fill `parents` (child → parent)."""
    hooks = [_dispatch(visitor) for visitor in visitors]
    # muted[i]: the node whose children visitor i asked to skip, until the walk leaves it
    muted: list[cst.CSTNode | None] = [None] * len(hooks)
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if not leaving:
            wanted = not hooks  # no visitor: the walk only fills `parents`
            for i, (on_visit, _) in enumerate(hooks):
                if muted[i] is None:
                    if on_visit(node):
                        wanted = True
                    else:
                        muted[i] = node
            if wanted:
                stack.append((node, True))
                children = children_of(node)
                if parents is not None:
                    for child in children:
                        parents[child] = node
                stack.extend((child, False) for child in reversed(children))
                continue
        for i, (_, on_leave) in enumerate(hooks):
            if muted[i] is None or muted[i] is node:
                muted[i] = None
                on_leave(node)


def _dispatch(visitor: cst.CSTVisitor) -> tuple[Callable[[cst.CSTNode], bool], Callable[[cst.CSTNode], None]]:
    """`visitor.on_visit` and `on_leave`; for a visitor that keeps CSTVisitor's, the same
    dispatch to `visit_<Node>` / `leave_<Node>` with each class's methods looked up once."""
    kind = type(visitor)
    if kind.on_visit is not cst.CSTVisitor.on_visit or kind.on_leave is not cst.CSTVisitor.on_leave:
        return visitor.on_visit, visitor.on_leave
    visits: dict[type[cst.CSTNode], Callable[[cst.CSTNode], object] | None] = {}
    leaves: dict[type[cst.CSTNode], Callable[[cst.CSTNode], object] | None] = {}

    def on_visit(node: cst.CSTNode) -> bool:
        kind = type(node)
        if kind not in visits:
            visits[kind] = getattr(visitor, f"visit_{kind.__name__}", None)
        method = visits[kind]
        return method is None or method(node) is not False

    def on_leave(node: cst.CSTNode) -> None:
        kind = type(node)
        if kind not in leaves:
            leaves[kind] = getattr(visitor, f"leave_{kind.__name__}", None)
        method = leaves[kind]
        if method is not None:
            method(node)

    return on_visit, on_leave


def descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """`node` and every node below it, depth first, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children_of(current)))


def children_of(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`node.children`, without LibCST's rebuilding of `node` to find them."""
    children: list[cst.CSTNode] = []
    for name in _FIELD_ORDER.get(type(node)) or _fields(node):
        value = getattr(node, name)
        kind = _KINDS.get(type(value)) or _kind(type(value))
        if kind is _NODE:
            children.append(value)
        elif kind is _SEQUENCE:
            children.extend(item for item in value if (_KINDS.get(type(item)) or _kind(type(item))) is _NODE)
    return children


# What a field's value is, by its type (`isinstance` against LibCST's abstract node class is slow).
_NODE, _SEQUENCE, _OTHER = "node", "sequence", "other"
_KINDS: dict[type, str] = {}


def _kind(value_type: type) -> str:
    kind = _NODE if issubclass(value_type, cst.CSTNode) else _SEQUENCE if issubclass(value_type, (tuple, list)) else _OTHER
    _KINDS[value_type] = kind
    return kind
