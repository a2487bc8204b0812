"""Settings variables (generation config, safety settings) that only fed migrated calls are removed."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, is_docstring
from codemod.transforms.plan import Plan
from codemod.transforms.schema import followed_names
from codemod.walk import descendants

REMOVED_EXPORT = "it was removed, its options now live in the create() calls that used it"
_SETTINGS_KEYWORDS = frozenset({"generation_config", "safety_settings"})
# Settings schema.py / tools.py read statically, through the variables they hold (outer first).
_CONVERTED_KEYWORDS = frozenset({"generation_config", "tools", "tool_config"})


def remove_consumed_settings(plan: Plan) -> None:
    """Delete `name = <literal>` statements whose every read was inside a rewritten call.

    Their options now live in the create() calls (or were dropped with a TODO), so keeping the
    variable would leave dead genai-shaped code, often the only remaining use of genai types.
    """
    pending: list[cst.BaseExpression] = [*_settings_names(plan), *_dropped_safety_reads(plan)]
    while pending:
        read = pending.pop(0)
        removed = _remove_attribute(plan, read) if isinstance(read, cst.Attribute) else remove_variable(plan, read) if isinstance(read, cst.Name) else []
        # what a removed value read (`{CATEGORY: ...}`) may have been its last reader
        pending += [n for value in removed for n in descendants(value) if isinstance(n, (cst.Name, cst.Attribute)) and n is not value]


def remove_variable(plan: Plan, name: cst.Name) -> list[cst.CSTNode]:
    """Remove `name = <value>` (or `def name(): return <value>`, read through `name()`) when
    every read of it is gone with the calls; the removed values."""
    analysis = plan.analysis
    values = analysis.values_of_name(name)
    referents = analysis.referents(name) or set()
    if len(referents) != 1:
        return []
    target = getattr(next(iter(referents)), "node", None)
    if isinstance(target, cst.FunctionDef):
        return _remove_function(plan, target)
    if not values or not isinstance(target, cst.Name):
        return []
    statement = analysis.statement_of(target)
    if statement in plan.statement_edits or not _is_plain_assignment(statement, target) or analysis.has_side_effects(values[0]):
        return []
    if not all(plan.touched(reference) for reference in analysis.references(target)) or target.value in plan.kept_exports:
        return []
    plan.replace_statement(statement, lambda _: cst.RemovalSentinel.REMOVE)
    if analysis.is_module_level(statement):
        plan.exports[target.value] = REMOVED_EXPORT
    return [values[0]]


def _remove_function(plan: Plan, function: cst.FunctionDef) -> list[cst.CSTNode]:
    """`def safety(): return {...}`, only called where the call's settings were dropped."""
    analysis = plan.analysis
    body = list(function.body.body) if isinstance(function.body, cst.IndentedBlock) else []
    body = body[1:] if body and is_docstring(body[0]) else body
    returned = len(body) == 1 and m.matches(body[0], m.SimpleStatementLine(body=[m.Return()]))
    if not returned or function.decorators or function.params.params or function in plan.statement_edits or analysis.is_method(function):
        return []
    value = body[0].body[0].value  # type: ignore[attr-defined]
    calls = analysis.call_sites(function)
    if value is None or analysis.has_side_effects(value) or not calls or not all(plan.touched(c) for c in calls) or function.name.value in plan.kept_exports:
        return []
    plan.replace_statement(function, lambda _: cst.RemovalSentinel.REMOVE)
    if analysis.is_module_level(function):
        plan.exports[function.name.value] = REMOVED_EXPORT
    return [value]


def _remove_attribute(plan: Plan, read: cst.Attribute) -> list[cst.CSTNode]:
    """`self.safety_settings = {...}` set in the class's methods and read only where dropped."""
    analysis = plan.analysis
    key = analysis.self_attribute_key(read)
    values = analysis.self_attribute_values(read)
    if key is None or not values or any(analysis.has_side_effects(v) for v in values):
        return []
    if not all(plan.touched(load) for load in analysis.self_attribute_loads(key)):
        return []
    statements = [analysis.statement_of(v) for v in values]
    if any(s in plan.statement_edits or not _is_single_assignment(s) for s in statements):
        return []
    for statement in statements:
        plan.replace_statement(statement, lambda _: cst.RemovalSentinel.REMOVE)
    return list(values)


def _dropped_safety_reads(plan: Plan) -> list[cst.BaseExpression]:
    """Variables, `self.` attributes and settings functions read in the `safety_settings=` of
    migrated calls: the migration drops those settings whole."""
    found: list[cst.BaseExpression] = []
    for node in plan.node_edits:
        if not isinstance(node, cst.Call):
            continue
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "safety_settings":
                found += [n for n in descendants(arg.value) if isinstance(n, cst.Name) and not _attribute_name(plan.analysis, n)]
                found += [n for n in descendants(arg.value) if isinstance(n, cst.Attribute) and plan.analysis.self_attribute_key(n) is not None]
    return found


def _attribute_name(analysis: ModuleAnalysis, name: cst.Name) -> bool:
    parent = analysis.parent(name)
    return isinstance(parent, cst.Attribute) and parent.attr is name


def _is_single_assignment(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 and m.matches(statement.body[0], m.Assign(targets=[m.AssignTarget()]))


def _settings_names(plan: Plan) -> list[cst.Name]:
    names = []
    for node in plan.node_edits:
        if isinstance(node, cst.Call):
            for arg in node.args:
                if arg.keyword is None:
                    continue
                if arg.keyword.value in _SETTINGS_KEYWORDS and isinstance(arg.value, cst.Name):
                    names.append(arg.value)
                if arg.keyword.value in _CONVERTED_KEYWORDS:
                    names += [n for n in followed_names(arg.value, plan.analysis) if n is not arg.value or arg.keyword.value != "generation_config"]
    return names


def _is_plain_assignment(statement: cst.CSTNode, target: cst.Name) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Assign, cst.AnnAssign))
        and (
            isinstance(statement.body[0], cst.AnnAssign)
            or (len(statement.body[0].targets) == 1 and statement.body[0].targets[0].target is target)
        )
    )
