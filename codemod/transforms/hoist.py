"""Model settings that are computed when the model is built move to variables next to it.

genai evaluated `GenerativeModel("x", system_instruction=prompt, generation_config={"temperature":
float(input())})` once. The migrated calls need those values at each request, so rather than
repeating the expressions (asking `input()` again), each one is kept in a companion binding made
where the model was: `model_system_instruction = prompt`, `self.model_temperature = ...`.
"""

from __future__ import annotations

import dataclasses

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.transforms import build
from codemod.transforms.config import RENAMED, RUNTIME, ConfigItem


@dataclasses.dataclass(frozen=True)
class Hoist:
    """Companion bindings for one model: `target` is the name or `self.<attr>` holding the model."""

    target: cst.BaseExpression
    statement: cst.SimpleStatementLine
    companions: tuple[tuple[cst.BaseExpression, cst.BaseExpression], ...]  # (new target, value)
    references: frozenset[int]  # ids of the nodes that now stand for the values

    def statements(self, with_edits) -> list[cst.SimpleStatementLine]:  # type: ignore[no-untyped-def]
        return [
            cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target)], with_edits(value))])
            for target, value in self.companions
        ]


def hoist_settings(
    construction: cst.Call,
    system: cst.BaseExpression | None,
    config: list[ConfigItem],
    analysis: ModuleAnalysis,
) -> tuple[cst.BaseExpression | None, list[ConfigItem], Hoist | None]:
    """Replace settings written inside the construction that are not constants by companions."""
    target, statement = bound_target(construction, analysis)
    if target is None or statement is None:
        return system, config, None
    taken = analysis.names_in_use()
    companions: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []

    def companion(option: str, value: cst.BaseExpression) -> cst.BaseExpression:
        if analysis.is_constant(value) or not _inside(value, construction, analysis):
            return value
        new_target = _companion_target(target, option, taken)
        if new_target is None:
            return value
        companions.append((new_target, value))
        return new_target.deep_clone()

    new_system = companion("system_instruction", system) if system is not None else None
    new_config = [
        dataclasses.replace(item, value=companion(_option_name(item.key), item.value)) if item.key in (*RENAMED, RUNTIME) else item
        for item in config
    ]
    if not companions:
        return system, config, None
    references = {id(v) for v in [new_system, *(i.value for i in new_config)] if v is not None}
    originals = {id(v) for _, v in companions}
    return new_system, new_config, Hoist(target, statement, tuple(companions), frozenset(references - originals))


def _option_name(key: str) -> str:
    return "generation_config" if key == RUNTIME else key


def same_holder(receiver: cst.BaseExpression, target: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """Does `receiver` read the very binding `target` made (so its companions are visible)?"""
    if isinstance(target, cst.Name) and isinstance(receiver, cst.Name):
        assignment = analysis.assignment_of(target)
        return assignment is not None and analysis.referents(receiver) == {assignment}
    key = analysis.self_attribute_key(target)
    return key is not None and key == analysis.self_attribute_key(receiver)


def bound_target(
    construction: cst.Call, analysis: ModuleAnalysis
) -> tuple[cst.BaseExpression | None, cst.SimpleStatementLine | None]:
    """The name or `self.<attr>` a construction is assigned to alone on its line, and that line."""
    assign = analysis.parent(construction)
    line = analysis.parent(assign) if isinstance(assign, cst.Assign) else None
    if not (isinstance(assign, cst.Assign) and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1):
        return None, None
    if len(assign.targets) != 1:
        return None, None
    target = assign.targets[0].target
    if isinstance(target, cst.Name) or analysis.self_attribute_key(target) is not None:
        return target, line
    return None, None


def _companion_target(target: cst.BaseExpression, option: str, taken: frozenset[str]) -> cst.BaseExpression | None:
    if isinstance(target, cst.Name):
        name = f"{target.value}_{option}"
        return None if name in taken else cst.Name(name)
    assert isinstance(target, cst.Attribute)
    name = f"{target.attr.value}_{option}"
    return None if name in taken else target.with_changes(attr=cst.Name(name))


def _inside(value: cst.CSTNode, construction: cst.Call, analysis: ModuleAnalysis) -> bool:
    return any(ancestor is construction for ancestor in analysis.ancestors(value))


__all__ = ["Hoist", "bound_target", "build", "hoist_settings", "same_holder"]
