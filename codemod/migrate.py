"""Public entry point for one module: source text in, migrated text and findings out.

parse → analyse → plan → apply; nothing here reads or writes files.
"""

from __future__ import annotations

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import ExportIndex, Migration, Options
from codemod.rewriter import apply_plan
from codemod.transforms import plan_module

SDK_MARKERS = (b"generativeai",)


def mentions_sdk(data: bytes) -> bool:
    """Cheap byte-level pre-filter: can this file possibly use google.generativeai?"""
    return any(marker in data for marker in SDK_MARKERS)


def migrate_source(source: str, options: Options, *, path: str = "<string>", exports: ExportIndex | None = None) -> Migration:
    """Migrate one module. Raises `libcst.ParserSyntaxError` or `RecursionError` on unparsable input.

    `exports` lists SDK objects other modules of the repository export (see `ExportIndex`); uses of
    them here are marked.
    """
    module = cst.parse_module(source)
    analysis = ModuleAnalysis.of(module)
    if not analysis.sdk_imports and not exports:
        return Migration(source=source)
    plan = plan_module(analysis, options, path, exports or {})
    if not plan.has_edits():
        return Migration(source=source, findings=tuple(sorted(plan.findings)))
    migrated = apply_plan(plan)
    return Migration(
        source=migrated.code,
        findings=tuple(sorted(plan.findings)),
        secrets=tuple(plan.secrets),
        exports=tuple(sorted(plan.exports)),
    )
