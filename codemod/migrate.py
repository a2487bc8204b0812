"""Public entry point for one module: source text in, migrated text and findings out.

parse → analyse → plan → apply; nothing here reads or writes files.
"""

from __future__ import annotations

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import Migration, Options, RepoIndex
from codemod.rewriter import apply_plan
from codemod.transforms import plan_module

SDK_MARKERS = (b"generativeai",)


def mentions_sdk(data: bytes) -> bool:
    """Cheap byte-level pre-filter: can this file possibly use google.generativeai?"""
    return any(marker in data for marker in SDK_MARKERS)


def migrate_source(source: str, options: Options, *, path: str = "<string>", index: RepoIndex | None = None) -> Migration:
    """Migrate one module. Raises `libcst.ParserSyntaxError` or `RecursionError` on unparsable input.

    `index` tells what other modules of the run export (see `RepoIndex`): uses of their migrated
    models are marked, and their configured client is shared.
    """
    module = cst.parse_module(source)
    analysis = ModuleAnalysis.of(module)
    if not analysis.sdk_imports and not index:
        return Migration(source=source)
    plan = plan_module(analysis, options, path, index or RepoIndex())
    if not plan.has_edits():
        return Migration(source=source, findings=tuple(sorted(plan.findings)))
    migrated = apply_plan(plan)
    return Migration(
        source=migrated.code,
        findings=tuple(sorted(plan.findings)),
        secrets=tuple(plan.secrets),
        exports=tuple(sorted(plan.exports.items())),
        client=plan.exported_client,
        client_in_function=plan.client_in_function,
        default_client=plan.default_client,
    )
