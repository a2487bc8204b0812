"""google.generativeai imports: removed once nothing reads them; the OpenAI import takes the
place of the first one removed, when that place is visible from every client it creates."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
import libcst.matchers as m

from codemod.analysis import (
    PROTO_PACKAGE,
    ModuleAnalysis,
    dotted_name,
    is_client_sdk_module,
    is_sdk_module,
    top_level_imports,
)
from codemod.transforms.plan import Plan


def plan_imports(plan: Plan, kept_references: Iterable[cst.CSTNode] = ()) -> None:
    """Remove the SDK imports nothing reads any more. `kept_references`: SDK references inside
    statements the plan edits but keeps (a `configure(...)` genai still needs)."""
    analysis = plan.analysis
    used = still_used_aliases(plan, kept_references)
    target = _openai_import_target(plan, used)
    for statement in sdk_imports(analysis):
        names = list(statement.names) if not isinstance(statement.names, cst.ImportStar) else []
        kept = [a for a in names if not _is_sdk_alias(statement, a) or (statement, bound_name(a)) in used]
        if not names or len(kept) == len(names):
            continue
        if kept:
            trimmed = [*kept[:-1], kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
            plan.replace_statement(statement, lambda updated, names=trimmed: [updated.with_changes(names=names)])
        elif statement is target:
            _place_openai_import(plan, statement)
        else:
            plan.replace_statement(statement, lambda _: cst.RemovalSentinel.REMOVE)


def plan_proto_imports(plan: Plan) -> None:
    """Imports of google.ai.generativelanguage (AI Studio's `from google.ai.generativelanguage_v1beta
    .types import content`, `glm`) go once the migration rewrote or removed every read of them."""
    analysis = plan.analysis
    for statement in analysis.find(m.Import() | m.ImportFrom()):
        if isinstance(statement, cst.ImportFrom):
            module = dotted_name(statement.module) if statement.module is not None else ""
            if not module.startswith(PROTO_PACKAGE) or isinstance(statement.names, cst.ImportStar):
                continue
        elif not all(dotted_name(a.name).startswith(PROTO_PACKAGE) for a in statement.names):  # type: ignore[union-attr]
            continue
        line = analysis.statement_of(statement)
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            continue
        references = [access.node for a in analysis.import_assignments(statement) for access in a.references]  # type: ignore[arg-type]
        if references and all(plan.touched(node) for node in references):
            plan.replace_statement(line, lambda _: cst.RemovalSentinel.REMOVE)


def still_used_aliases(plan: Plan, kept_references: Iterable[cst.CSTNode] = ()) -> set[tuple[cst.Import | cst.ImportFrom, str]]:
    """(import, name) for each name an SDK import binds that some code the plan leaves alone
    still reads. Each import counts on its own: an import inside a function whose reads were
    all rewritten goes even when the module-level one of the same name stays."""
    analysis = plan.analysis
    kept = set(kept_references)
    exported = set(analysis.dunder_all()) | plan.imported_names
    used: set[tuple[cst.Import | cst.ImportFrom, str]] = set()
    for statement in sdk_imports(analysis):
        module_level = analysis.is_module_level(statement)
        for assignment in analysis.import_assignments(statement):
            reads = [access.node for access in assignment.references]
            if (module_level and assignment.name in exported) or any(_still_read(plan, node, kept) for node in reads):
                used.add((statement, assignment.name))
    return used


def _still_read(plan: Plan, node: cst.CSTNode, kept: set[cst.CSTNode]) -> bool:
    return not plan.touched(node) or any(n in kept for n in (node, *plan.analysis.ancestors(node)))


def bound_name(alias: cst.ImportAlias) -> str:
    """The name an import alias binds, spelled as LibCST's scope analysis records it."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return dotted_name(alias.name)


def sdk_imports(analysis: ModuleAnalysis) -> list[cst.Import | cst.ImportFrom]:
    """The imports of either SDK, in the module's order."""
    both = [*analysis.sdk_imports, *(s for s in analysis.client_sdk_imports if s not in analysis.sdk_imports)]
    return sorted(both, key=lambda s: (analysis.position(s).start.line, analysis.position(s).start.column))


def _is_sdk_alias(statement: cst.Import | cst.ImportFrom, alias: cst.ImportAlias) -> bool:
    if isinstance(statement, cst.Import):
        return _either(dotted_name(alias.name))
    module = dotted_name(statement.module) if statement.module is not None else ""
    return _either(module) or _either(f"{module}.{dotted_name(alias.name)}")


def _either(dotted: str) -> bool:
    return is_sdk_module(dotted) or is_client_sdk_module(dotted)


def _openai_import_target(plan: Plan, used: set[tuple[cst.Import | cst.ImportFrom, str]]) -> cst.Import | cst.ImportFrom | None:
    """The first SDK import that goes away entirely and comes before every client it would serve."""
    if not _openai_imports(plan):
        return None
    analysis = plan.analysis
    for statement in sdk_imports(analysis):
        names = [] if isinstance(statement.names, cst.ImportStar) else list(statement.names)
        if not names or any(_is_sdk_alias(statement, a) and (statement, bound_name(a)) in used for a in names):
            continue
        if len(names) != sum(_is_sdk_alias(statement, a) for a in names):
            continue
        line = analysis.statement_of(statement)
        block = analysis.parent(line)
        if plan.prelude and not isinstance(block, cst.Module):
            continue
        if all(_runs_before(analysis, line, user) for user in plan.client_sites):
            return statement
    return None


def _runs_before(analysis: ModuleAnalysis, line: cst.CSTNode, user: cst.CSTNode) -> bool:
    """The import is in the client's scope, above it: the original needed the SDK import
    to have run there, so the OpenAI import runs there too."""
    scope = analysis.enclosing_function(line)
    if scope is None and analysis.enclosing_function(user) is not None:
        return True  # a module-level import has run before any function is called
    same_scope = scope is analysis.enclosing_function(user)
    return same_scope and analysis.position(line).start.line < analysis.position(user).start.line


def _place_openai_import(plan: Plan, statement: cst.Import | cst.ImportFrom) -> None:
    """`from openai import OpenAI` where the SDK import was; `import os` before it if new."""
    wanted = _openai_imports(plan)
    plan.placed_imports.update(wanted)
    line = plan.analysis.statement_of(statement)
    names = sorted(name for _, name in wanted if name is not None)
    openai_line = cst.parse_statement(f"from openai import {', '.join(names)}" if names else "import openai")
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        plan.replace_statement(statement, lambda _: list(openai_line.body))  # type: ignore[attr-defined]
        plan.split_lines.add(line)
        return
    new = [openai_line]
    if ("os", None) in plan.imports and isinstance(plan.analysis.parent(line), cst.Module) and ("os", None) not in top_level_imports(plan.analysis.module):
        plan.placed_imports.add(("os", None))
        new.insert(0, cst.parse_statement("import os"))
    def replace(updated: cst.SimpleStatementLine) -> list[cst.SimpleStatementLine]:
        *head, last = new
        head = [h for h in head]
        last = last.with_changes(trailing_whitespace=updated.trailing_whitespace)  # type: ignore[attr-defined]
        lines = [*head, last]
        return [lines[0].with_changes(leading_lines=updated.leading_lines), *lines[1:]]  # type: ignore[attr-defined]

    plan.replace_statement(line, replace)  # type: ignore[arg-type]


def _openai_imports(plan: Plan) -> set[tuple[str, str | None]]:
    """What the new code imports from openai and the module does not import yet: names
    (`OpenAI`, `AsyncOpenAI`), or the module."""
    wanted = {item for item in plan.imports if item[0] == "openai"}
    wanted = {("openai", None)} if ("openai", None) in wanted else wanted
    return wanted - top_level_imports(plan.analysis.module)


