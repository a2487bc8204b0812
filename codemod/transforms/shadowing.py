"""Loop variables that share their name with a migrated variable are renamed.

The analysis tells a confined loop's variable apart from the other bindings of its name (see
`codemod.flow`), so such a loop no longer blocks the migration; renaming it makes that visible in
the code: after the migration `response` holds an OpenAI reply, and the loop that reused the name
for something else (`for response in saved:`) reads `response_`. A loop with a read inside
rewritten code keeps its name (that code may be rebuilt from its text; the analysis alone is
enough for the program to stay right).
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
from libcst.metadata import BaseAssignment

from codemod.analysis import ModuleAnalysis
from codemod.flow import loop_of
from codemod.transforms.plan import Plan


def rename_shadowing_loops(plan: Plan) -> None:
    """Rename confined loops whose name another, migrated, binding of the same scope shares."""
    analysis = plan.analysis
    if not plan.node_edits:
        return
    taken: set[str] | None = None  # computed at the first rename: bound_names() walks every scope
    for loop, assignment in _loops(analysis):
        name = loop.target.value  # type: ignore[attr-defined]
        others = [a for a in assignment.scope.assignments[name] if a is not assignment]
        if _migrated(plan, assignment) or not any(_migrated(plan, other) for other in others):
            continue
        reads = analysis.reads_of(assignment)
        if not analysis.confined(loop, assignment) or any(plan.touched(n) for n in [loop.target, *reads]):
            continue  # a read inside rewritten code may be rebuilt from its text: no rename there
        if taken is None:
            taken = {*analysis.read_names(), *analysis.bound_names(), plan.client_name, plan.async_client_name, *plan.helpers}
        new = _fresh(name, taken)
        taken.add(new)
        for node in [loop.target, *reads]:
            plan.replace(node, lambda updated, new=new: updated.with_changes(value=new))


def _loops(analysis: ModuleAnalysis) -> Iterator[tuple[cst.For, BaseAssignment]]:
    for target in analysis.loop_targets():
        assignment = analysis.assignment_of(target)
        loop = loop_of(analysis, assignment) if assignment is not None else None
        if loop is not None and assignment is not None and len(assignment.scope.assignments[target.value]) > 1:
            yield loop, assignment


def _migrated(plan: Plan, assignment: BaseAssignment) -> bool:
    """Does this binding hold an object the migration replaced: its value or the loop's iterable
    was rewritten, or reads of it were (`response.text` → `response.choices[0]...`)? A name
    merely passed to a rewritten call (`generate_content(prompt)`) does not count."""
    analysis = plan.analysis
    loop = loop_of(analysis, assignment)
    value = loop.iter if loop is not None else analysis.assigned_value(assignment)
    if value is not None and plan.touched(value):
        return True
    return any(read in plan.node_edits or _read_rewritten(plan, read) for read in analysis.reads_of(assignment))


def _read_rewritten(plan: Plan, read: cst.Name) -> bool:
    parent = plan.analysis.parent(read)
    return isinstance(parent, cst.Attribute) and parent.value is read and parent in plan.node_edits


def _fresh(name: str, taken: set[str]) -> str:
    candidate, number = f"{name}_", 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    return candidate

