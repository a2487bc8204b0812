"""Settings variables (generation config, safety settings) that only fed migrated calls are removed."""

from __future__ import annotations

import libcst as cst

from codemod.transforms.plan import Plan
from codemod.transforms.schema import followed_names

REMOVED_EXPORT = "it was removed, its options now live in the create() calls that used it"
_SETTINGS_KEYWORDS = frozenset({"generation_config", "safety_settings"})
# Settings schema.py / tools.py read statically, through the variables they hold (outer first).
_CONVERTED_KEYWORDS = frozenset({"generation_config", "tools", "tool_config"})


def remove_consumed_settings(plan: Plan) -> None:
    """Delete `name = <literal>` statements whose every read was inside a rewritten call.

    Their options now live in the create() calls (or were dropped with a TODO), so keeping the
    variable would leave dead genai-shaped code, often the only remaining use of genai types.
    """
    analysis = plan.analysis
    for name in _settings_names(plan):
        values = analysis.values_of_name(name)
        referents = analysis.referents(name) or set()
        if not values or len(referents) != 1:
            continue
        target = getattr(next(iter(referents)), "node", None)
        if not isinstance(target, cst.Name):
            continue
        statement = analysis.statement_of(target)
        if not _is_plain_assignment(statement, target) or analysis.has_side_effects(values[0]):
            continue
        if all(plan.touched(reference) for reference in analysis.references(target)):
            plan.replace_statement(statement, lambda _: cst.RemovalSentinel.REMOVE)
            if analysis.is_module_level(statement):
                plan.exports[target.value] = REMOVED_EXPORT


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
