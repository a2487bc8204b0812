"""asyncio's helpers that hand a coroutine's value on: what the analysis follows through them.

- `await asyncio.wait_for(coro, t)`, `asyncio.shield(coro)`, `asyncio.create_task(coro)`,
  `asyncio.ensure_future(coro)`: awaiting the result gives the coroutine's value.
- `a, b = await asyncio.gather(c1, c2)`: each target gets the value of the coroutine in its
  place (without `return_exceptions`, which would put exceptions among the values).
- `for f in asyncio.as_completed([c1, c2]): r = await f`: each turn awaits one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from codemod.analysis import ModuleAnalysis

PASSING = frozenset({"asyncio.wait_for", "asyncio.shield", "asyncio.create_task", "asyncio.ensure_future"})
GATHER = "asyncio.gather"
AS_COMPLETED = "asyncio.as_completed"


def _is(analysis: ModuleAnalysis, call: cst.CSTNode | None, names: frozenset[str] | str) -> bool:
    wanted = {names} if isinstance(names, str) else names
    return isinstance(call, cst.Call) and bool(analysis.qualified_names(call.func) & wanted)


def passed_on(analysis: ModuleAnalysis, arg: cst.Arg) -> cst.Call | None:
    """The `wait_for(...)`-like call whose awaited value is that of `arg`'s coroutine."""
    call = analysis.parent(arg)
    if _is(analysis, call, PASSING) and call.args and call.args[0] is arg and arg.keyword is None:  # type: ignore[union-attr]
        return call  # type: ignore[return-value]
    return None


def gathered_target(analysis: ModuleAnalysis, arg: cst.Arg) -> cst.Name | None:
    """`b` for the coroutine `c2` of `a, b = await asyncio.gather(c1, c2)`."""
    call = analysis.parent(arg)
    if not _is(analysis, call, GATHER) or not _plain_gather(call):  # type: ignore[arg-type]
        return None
    targets = _unpacked_targets(analysis, call)  # type: ignore[arg-type]
    index = list(call.args).index(arg)  # type: ignore[union-attr]
    return targets[index] if targets is not None and index < len(targets) else None


def _plain_gather(call: cst.Call) -> bool:
    return all(a.keyword is None and not a.star for a in call.args)


def _unpacked_targets(analysis: ModuleAnalysis, call: cst.Call) -> list[cst.Name] | None:
    """The names of `a, b = await gather(...)`, one per coroutine."""
    awaited = analysis.parent(call)
    assign = analysis.parent(awaited) if isinstance(awaited, cst.Await) else None
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and assign.value is awaited):
        return None
    target = assign.targets[0].target
    if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) != len(call.args):
        return None
    names = [e.value for e in target.elements]
    return names if all(isinstance(n, cst.Name) and not isinstance(e, cst.StarredElement) for n, e in zip(names, target.elements)) else None  # type: ignore[misc]


def completed_target(analysis: ModuleAnalysis, arg: cst.Arg | cst.Element) -> cst.Name | None:
    """`f` of `for f in asyncio.as_completed([c1, c2])`, for one of the coroutines listed."""
    listed = analysis.parent(arg) if isinstance(arg, cst.Element) else None
    holder = analysis.parent(listed) if isinstance(listed, (cst.List, cst.Tuple)) else None
    call = analysis.parent(holder) if isinstance(holder, cst.Arg) else None
    if not _is(analysis, call, AS_COMPLETED) or call.args[0] is not holder:  # type: ignore[union-attr]
        return None
    loop = analysis.parent(call)
    if isinstance(loop, cst.For) and loop.iter is call and isinstance(loop.target, cst.Name) and not loop.asynchronous:
        return loop.target
    return None


def value_sources(analysis: ModuleAnalysis, target: cst.Name) -> list[cst.BaseExpression] | None:
    """The coroutines whose value a name bound by `gather` unpacking or an `as_completed` loop
    holds (to be followed further back); None when it is bound otherwise."""
    holder = analysis.parent(target)
    if isinstance(holder, cst.For) and holder.target is target and _is(analysis, holder.iter, AS_COMPLETED):
        listed = holder.iter.args[0].value  # type: ignore[attr-defined]
        if isinstance(listed, (cst.List, cst.Tuple)) and all(isinstance(e, cst.Element) for e in listed.elements):
            return [e.value for e in listed.elements]
        return None
    element = holder
    sequence = analysis.parent(element) if isinstance(element, cst.Element) else None
    assign_target = analysis.parent(sequence) if isinstance(sequence, (cst.Tuple, cst.List)) else None
    assign = analysis.parent(assign_target) if isinstance(assign_target, cst.AssignTarget) else None
    if not isinstance(assign, cst.Assign) or not isinstance(assign.value, cst.Await):
        return None
    call = assign.value.expression
    if not _is(analysis, call, GATHER) or not _plain_gather(call):  # type: ignore[arg-type]
        return None
    targets = _unpacked_targets(analysis, call)  # type: ignore[arg-type]
    if targets is None or target not in targets:
        return None
    return [call.args[targets.index(target)].value]  # type: ignore[attr-defined]


def passed_value(analysis: ModuleAnalysis, call: cst.Call) -> cst.BaseExpression | None:
    """The coroutine a `wait_for(...)`-like call hands on."""
    if _is(analysis, call, PASSING) and call.args and call.args[0].keyword is None and not call.args[0].star:
        return call.args[0].value
    return None
