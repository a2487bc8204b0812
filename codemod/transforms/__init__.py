"""The transforms: each plans edits for one part of the SDK; `plan_module` runs them in order."""

from __future__ import annotations

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import ExportIndex, Options
from codemod.transforms.client import (
    choose_client_name,
    client_statement,
    default_key,
    plan_configure,
)
from codemod.transforms.crossmodule import mark_imported_sdk_objects
from codemod.transforms.generate import MODEL_CLASS, ModelMigration
from codemod.transforms.leftovers import mark_leftovers
from codemod.transforms.plan import Plan
from codemod.transforms.settings import remove_consumed_settings

__all__ = ["Plan", "plan_module"]


def plan_module(analysis: ModuleAnalysis, options: Options, path: str, exports: ExportIndex) -> Plan:
    """Decide every edit of one module: models and calls, leftovers, then the client."""
    plan = Plan(analysis=analysis, options=options, path=path, client_name=choose_client_name(analysis))
    if exports:
        mark_imported_sdk_objects(plan, exports)
    if not analysis.sdk_imports:
        return plan
    references = analysis.sdk_references()
    calls = {ref: analysis.parent(ref) for ref in references}
    called = {ref: call for ref, call in calls.items() if isinstance(call, cst.Call) and call.func is ref}
    constructions = [call for ref, call in called.items() if analysis.sdk_name(ref) == MODEL_CLASS]
    configures = [call for ref, call in called.items() if analysis.sdk_name(ref) == "configure"]

    ModelMigration(plan).run(constructions)  # type: ignore[arg-type]
    remove_consumed_settings(plan)
    keeps_sdk = mark_leftovers(plan, references, skip=[c.func for c in configures])  # type: ignore[union-attr]
    create_client = plan.migrated_calls > 0 or not keeps_sdk
    for configure in configures:
        plan_configure(plan, configure, create_client=create_client, keep_configure=keeps_sdk)  # type: ignore[arg-type]
    if plan.migrated_calls and not configures:
        plan.prelude.append(client_statement(plan, default_key(plan)).with_changes(leading_lines=[cst.EmptyLine()]))
    return plan
