"""A fast read-only walk over a LibCST tree, in the order `node.visit(visitor)` uses.

LibCST's `visit` rebuilds every node it passes (its transformer machinery), which costs several
times the parse itself; a visitor that only collects facts needs none of that. `walk` calls the
same `visit_<Node>` / `leave_<Node>` methods in the same order, and records each node's parent
on the way. It does not call `on_visit_attribute` / `on_leave_attribute`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

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


def visit(root: cst.CSTNode, visitor: cst.CSTVisitor, parents: dict[cst.CSTNode, cst.CSTNode] | None = None) -> None:
    """Visit `root` and everything below it with `visitor`, as `root.visit(visitor)` would
    (a `visit_*` method returning False skips the children; `leave_*` is always called), and
    fill `parents` (child → parent) for every node reached."""
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving or not visitor.on_visit(node):
            visitor.on_leave(node)
            continue
        stack.append((node, True))
        children = children_of(node)
        if parents is not None:
            for child in children:
                parents[child] = node
        stack.extend((child, False) for child in reversed(children))


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
    for name in _fields(node):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            children.append(value)
        elif isinstance(value, (tuple, list)):
            children.extend(item for item in value if isinstance(item, cst.CSTNode))
    return children
