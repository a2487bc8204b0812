"""For loops whose variable is a variable of its own, though it shares its name.

LibCST's scopes ignore statement order: when a function binds `chunk` in two loops, every read
of `chunk` may refer to either binding. A loop is *confined* when statement order proves
otherwise: nothing in its body binds the name again, and no read outside its body can see the
value it left (each such read is inside another loop over the same name, or after a plain
assignment of the name that runs after the loop). Such a loop's variable could be renamed
without changing the program; `ModuleAnalysis` treats it as if it had been.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import BaseAssignment

if TYPE_CHECKING:
    from codemod.analysis import ModuleAnalysis

_SCOPE_OWNERS = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Module)


def loop_of(analysis: ModuleAnalysis, assignment: BaseAssignment) -> cst.For | None:
    """The for loop whose plain-name target makes `assignment`, if any."""
    node = getattr(assignment, "node", None)
    loop = analysis.parent(node) if isinstance(node, cst.Name) else None
    return loop if isinstance(loop, cst.For) and loop.target is node else None


def inside(analysis: ModuleAnalysis, node: cst.CSTNode, block: cst.CSTNode) -> bool:
    return any(a is block for a in analysis.ancestors(node))


def shared_name_advice(analysis: ModuleAnalysis, loop: cst.For, what: str) -> str:
    """Why a loop whose variable is bound elsewhere too cannot be told apart, and what to change."""
    name = loop.target.value  # type: ignore[attr-defined]
    assignment = analysis.assignment_of(loop.target)  # type: ignore[arg-type]
    problem = why_not_confined(analysis, loop, assignment) if assignment is not None else None
    reason = problem[1] if problem is not None else "genai2openai cannot tell its bindings apart"
    return f"the loop variable `{name}` over {what} is also bound elsewhere in this scope, and {reason}"


def why_not_confined(analysis: ModuleAnalysis, loop: cst.For, assignment: BaseAssignment) -> tuple[cst.CSTNode, str] | None:
    """None when the loop is confined; else the spot that prevents it and why."""
    target = loop.target
    assert isinstance(target, cst.Name)
    name = target.value
    scope = analysis.scope(loop)
    if scope is None or assignment.scope is not scope:
        return loop, f"`{name}` is declared global or nonlocal here: loop with a local name"
    for other in scope.assignments[name]:
        node = getattr(other, "node", None)
        if other is assignment or node is None:
            continue
        if analysis.scope(node) is not scope or inside(analysis, node, loop.body):
            return node, f"the loop's body (or a nested function) binds `{name}` again: use another name there"
    for access in assignment.references:
        read = access.node
        if not isinstance(read, cst.Name) or access.scope is not scope:
            return read, f"a nested function or class reads `{name}`: pass it the value as an argument"
        if not inside(analysis, read, loop.body) and not _shielded(analysis, read, loop):
            return read, f"`{name}` is read outside the loop, where it may still hold the loop's last value: read it inside the loop only, or assign it again before that read"
    return None


def _shielded(analysis: ModuleAnalysis, read: cst.Name, loop: cst.For) -> bool:
    """Can `read` (outside the loop's body) never see the value the loop left? True when another
    loop over the same name encloses it (and not `loop`), or a plain assignment of the name runs
    after `loop` and before `read` on every path."""
    child: cst.CSTNode = read
    for ancestor in analysis.ancestors(read):
        if isinstance(ancestor, cst.For) and ancestor is not loop and _binds(ancestor.target, read.value):
            if inside(analysis, read, ancestor.body) and not inside(analysis, loop, ancestor):
                return True
        if isinstance(ancestor, (cst.IndentedBlock, cst.Module)) and any(s is child for s in ancestor.body):
            earlier = _earlier_binding(analysis, list(ancestor.body), child, loop, read.value)
            if earlier is not None:
                return earlier
        if isinstance(ancestor, _SCOPE_OWNERS):
            return False
        child = ancestor
    return False


def _earlier_binding(analysis: ModuleAnalysis, body: list[cst.CSTNode], statement: cst.CSTNode, loop: cst.For, name: str) -> bool | None:
    """Looking back from `statement` in its block: True at a plain binding of `name`, False when
    `loop` may run in between, None when neither (look in the enclosing block)."""
    if statement is loop or inside(analysis, loop, statement):
        return False
    index = next(i for i, s in enumerate(body) if s is statement)
    for earlier in reversed(body[:index]):
        if earlier is loop or inside(analysis, loop, earlier):
            return False
        if _assigns(earlier, name):
            return True
    return None


def _assigns(statement: cst.CSTNode, name: str) -> bool:
    """A statement that always binds `name` when it completes: `name = ...`, `name: T = ...`,
    `name += ...`, an import of it, a def or class of that name."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return statement.name.value == name
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.Assign) and any(_binds(t.target, name) for t in small.targets):
            return True
        if isinstance(small, cst.AnnAssign) and small.value is not None and _binds(small.target, name):
            return True
        if isinstance(small, cst.AugAssign) and _binds(small.target, name):
            return True
    return False


def _binds(target: cst.BaseExpression, name: str) -> bool:
    return isinstance(target, cst.Name) and target.value == name
