"""The fast walk visits what LibCST's own `visit` visits, in the same order."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from codemod.walk import children_of, descendants, visit

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = sorted(FIXTURES.glob("*/input.py"))
EXTRA = [
    'f"{x!r:>{width}} {y}"\nfrom . import (a as b, c)\nfrom .m import *\n',
    "match p:\n    case {'k': [1, *rest]} | Point(x=0) as q if q:\n        pass\n",
    "async def f[T](*a: T, b=1, **k) -> T:\n    async with x as (y, z):\n        yield await g(lambda: (yield))\n",
    "@d\nclass C(B, metaclass=M):\n    x: int = 1; y = [i for i in range(3) if i]\n",
]


class _Events(cst.CSTVisitor):
    def __init__(self, skip: type[cst.CSTNode] | None = None) -> None:
        self.events: list[tuple[str, int]] = []
        self.skip = skip

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return not (self.skip is not None and isinstance(node, self.skip))

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


def _modules() -> list[cst.Module]:
    return [cst.parse_module(p.read_text(encoding="utf-8")) for p in SOURCES] + [cst.parse_module(s) for s in EXTRA]


@pytest.mark.parametrize("skip", [None, cst.Call, cst.FunctionDef])
def test_visit_order_is_libcsts(skip: type[cst.CSTNode] | None) -> None:
    for module in _modules():
        ours, theirs = _Events(skip), _Events(skip)
        visit(module, ours)
        module.visit(theirs)
        assert ours.events == theirs.events


def test_children_and_parents_are_libcsts() -> None:
    for module in _modules():
        parents: dict[cst.CSTNode, cst.CSTNode] = {}
        visit(module, cst.CSTVisitor(), parents=parents)
        for node in descendants(module):
            assert children_of(node) == list(node.children)
            assert all(parents[child] is node for child in node.children)
        assert len(parents) == sum(1 for _ in descendants(module)) - 1


def _typed_events_visitor() -> cst.CSTVisitor:
    """A visitor written the usual way (`visit_Call`, `leave_Call`...) for every node class;
    `visit_Call` returns False (its children are skipped)."""
    events: list[tuple[str, int]] = []
    methods: dict[str, object] = {"events": events}
    for name in dir(cst):
        kind = getattr(cst, name)
        if isinstance(kind, type) and issubclass(kind, cst.CSTNode):
            methods[f"visit_{name}"] = lambda self, node, name=name: events.append((f"visit {name}", id(node))) or name != "Call"
            methods[f"leave_{name}"] = lambda self, node, name=name: events.append((f"leave {name}", id(node)))
    return type("Typed", (cst.CSTVisitor,), methods)()


def test_visit_methods_are_dispatched_as_libcst_does() -> None:
    calls = 0
    for module in _modules():
        ours, theirs = _typed_events_visitor(), _typed_events_visitor()
        visit(module, ours)
        module.visit(theirs)
        assert ours.events == theirs.events  # type: ignore[attr-defined]
        calls += sum(event == "leave Call" for event, _ in ours.events)  # type: ignore[attr-defined]
    assert calls > 100


def test_visitors_sharing_a_walk_each_see_their_own_visit() -> None:
    for module in _modules():
        alone = [_Events(skip) for skip in (None, cst.Call, cst.FunctionDef, cst.Module)]
        for visitor in alone:
            module.visit(visitor)
        together = [_Events(skip) for skip in (None, cst.Call, cst.FunctionDef, cst.Module)]
        visit(module, *together)
        assert [v.events for v in together] == [v.events for v in alone]
