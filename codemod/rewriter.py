"""Applies a Plan to the module in one pass, then tidies imports."""

from __future__ import annotations

import libcst as cst

from codemod.analysis import SDK_MODULE, is_sdk_module
from codemod.ftypes import TODO_PREFIX
from codemod.transforms.plan import Plan, todo_comment


class PlanApplier(cst.CSTTransformer):
    """The one generic transformer: node edits, statement edits, TODO comments, the prelude."""

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        self._prelude_after = _prelude_anchor(plan.analysis.module) if plan.prelude else None
        self._carried: dict[cst.CSTNode, list[cst.EmptyLine]] = {}

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:  # type: ignore[override]
        updated = super().on_leave(original_node, updated_node)
        if isinstance(updated, (cst.RemovalSentinel, cst.FlattenSentinel)):
            return updated
        plan = self.plan
        edit = plan.node_edits.get(original_node)
        if edit is not None:
            updated = edit(updated)
        notes = plan.todos.get(original_node)
        if notes:
            updated = _with_todos(updated, notes)  # type: ignore[arg-type]
        statement_edit = plan.statement_edits.get(original_node)
        result: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode] = updated
        if statement_edit is not None:
            replaced = statement_edit(updated)  # type: ignore[arg-type]
            result = replaced if isinstance(replaced, cst.RemovalSentinel) else cst.FlattenSentinel(list(replaced))
        result = self._carry_comments(original_node, result)
        if original_node is self._prelude_after:
            return cst.FlattenSentinel([*_statements(result), *plan.prelude])
        return result

    def _carry_comments(self, original: cst.CSTNode, result: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        """A removed statement's comments move to the statement after it, so none is lost."""
        carried = self._carried.pop(original, [])
        if isinstance(result, cst.RemovalSentinel):
            lines = carried + list(getattr(original, "leading_lines", ()))
            following = _next_sibling(self.plan, original)
            if following is not None and any(line.comment is not None for line in lines):
                self._carried[following] = lines
            return result
        if not carried:
            return result
        nodes = _statements(result)
        first = nodes[0].with_changes(leading_lines=[*carried, *getattr(nodes[0], "leading_lines", ())])
        return cst.FlattenSentinel([first, *nodes[1:]]) if len(nodes) > 1 else first

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        if not updated_node.body:
            return updated_node.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return updated_node

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.plan.prelude and self._prelude_after is None:
            body = list(updated_node.body)
            index = _after_docstring_and_future(body)
            return updated_node.with_changes(body=body[:index] + self.plan.prelude + body[index:])
        return updated_node


def _statements(result: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]) -> list[cst.CSTNode]:
    if isinstance(result, cst.RemovalSentinel):
        return []
    if isinstance(result, cst.FlattenSentinel):
        return list(result.nodes)
    return [result]


def _next_sibling(plan: Plan, statement: cst.CSTNode) -> cst.CSTNode | None:
    block = plan.analysis.parent(statement)
    body = list(getattr(block, "body", ()))
    index = next((i for i, s in enumerate(body) if s is statement), None)
    return body[index + 1] if index is not None and index + 1 < len(body) else None


def _with_todos(statement: cst.CSTNode, notes: list[str]) -> cst.CSTNode:
    leading = list(getattr(statement, "leading_lines", ()))
    present = {line.comment.value for line in leading if line.comment is not None}
    added = [cst.EmptyLine(comment=cst.Comment(todo_comment(n))) for n in notes if todo_comment(n) not in present]
    return statement.with_changes(leading_lines=[*leading, *added]) if added else statement


def _prelude_anchor(module: cst.Module) -> cst.CSTNode | None:
    """The last top-level import statement of the module's leading block, if any."""
    anchor = None
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
            anchor = statement
        elif _is_docstring(statement) and anchor is None:
            continue
        elif anchor is not None or not isinstance(statement, cst.SimpleStatementLine):
            break
    return anchor


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _after_docstring_and_future(body: list[cst.BaseStatement]) -> int:
    index = 0
    if body and _is_docstring(body[0]):
        index = 1
    while index < len(body) and isinstance(body[index], cst.SimpleStatementLine):
        statement = body[index]
        assert isinstance(statement, cst.SimpleStatementLine)
        if not (isinstance(statement.body[0], cst.ImportFrom) and _dotted(statement.body[0].module) == "__future__"):
            break
        index += 1
    return index


def _dotted(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _still_used_aliases(plan: Plan) -> set[str]:
    """Names bound by SDK imports that some untouched code still reads."""
    used = set()
    for statement in plan.analysis.sdk_imports:
        for assignment in plan.analysis.import_assignments(statement):
            if any(not plan.touched(access.node) for access in assignment.references):
                used.add(assignment.name)
    return used


class _UnusedSdkImportRemover(cst.CSTTransformer):
    """Drops google.generativeai import names nothing refers to any more.

    A name counts as used when any import of it is still read, so a same-named import elsewhere
    in the module is kept too: the safe direction.
    """

    def __init__(self, used: set[str], replacement: list[cst.SimpleStatementLine] | None = None) -> None:
        super().__init__()
        self.used = used
        self.replacement = replacement  # takes the place of the first top-level import removed
        self._depth = 0

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._depth += 1

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        self._depth -= 1
        return updated_node

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import | cst.RemovalSentinel:
        keep = [a for a in updated_node.names if not (is_sdk_module(_dotted(a.name)) and _bound(a) not in self.used)]
        return _with_names(updated_node, keep)

    def leave_ImportFrom(self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(updated_node.names, cst.ImportStar) or updated_node.relative:
            return updated_node
        module = _dotted(updated_node.module)
        keep = [
            a
            for a in updated_node.names
            if not ((is_sdk_module(module) or is_sdk_module(f"{module}.{_dotted(a.name)}")) and _bound(a) not in self.used)
        ]
        return _with_names(updated_node, keep)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if updated_node.body:
            return updated_node
        if self.replacement and self._depth == 0:
            first, *rest = self.replacement
            self.replacement = None
            return cst.FlattenSentinel([first.with_changes(leading_lines=updated_node.leading_lines), *rest])  # type: ignore[return-value]
        return cst.RemovalSentinel.REMOVE


def _bound(alias: cst.ImportAlias) -> str:
    """The name an import alias binds, spelled as LibCST's scope analysis records it."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _dotted(alias.name)


def _with_names(node, keep):  # type: ignore[no-untyped-def]
    if len(keep) == len(node.names):
        return node
    if not keep:
        return cst.RemovalSentinel.REMOVE
    keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=keep)


def _replacement_imports(plan: Plan, module: cst.Module) -> list[cst.SimpleStatementLine]:
    """What takes the place of the removed genai import: `import os` (if new) and the OpenAI import."""
    if ("openai", "OpenAI") not in plan.imports:
        return []
    statements = [cst.parse_statement("from openai import OpenAI")]
    if ("os", None) in plan.imports and not _imports_os(module):
        statements.insert(0, cst.parse_statement("import os"))
    return statements  # type: ignore[return-value]


def _imports_os(module: cst.Module) -> bool:
    return any(
        isinstance(statement, cst.SimpleStatementLine)
        and any(isinstance(s, cst.Import) and any(_dotted(a.name) == "os" and a.asname is None for a in s.names) for s in statement.body)
        for statement in module.body
    )


def apply_plan(plan: Plan) -> cst.Module:
    """The migrated module: plan applied, unused SDK imports removed, new imports added."""
    module = plan.analysis.module.visit(PlanApplier(plan))
    if plan.analysis.sdk_imports:
        module = module.visit(_UnusedSdkImportRemover(_still_used_aliases(plan), _replacement_imports(plan, module)))
    return _add_missing_imports(module, plan.imports)


def _add_missing_imports(module: cst.Module, needed: set[tuple[str, str | None]]) -> cst.Module:
    """Add `import os` / `from openai import OpenAI` at the top unless the module has them.

    LibCST's AddImportsVisitor does the same but costs about 40 ms a file (two thirds of a whole
    migration, measured with scripts/benchmark.py), for the two imports this tool ever adds.
    """
    present = _top_level_imports(module)
    missing = [item for item in sorted(needed, key=lambda i: (i[0] != "os", i[0], i[1] or "")) if item not in present]
    if not missing:
        return module
    new = [cst.parse_statement(f"from {m} import {o}" if o else f"import {m}") for m, o in missing]
    body = list(module.body)
    anchor = _prelude_anchor(module)
    index = body.index(anchor) + 1 if anchor is not None else _after_docstring_and_future(body)
    return module.with_changes(body=body[:index] + new + body[index:])


def _top_level_imports(module: cst.Module) -> set[tuple[str, str | None]]:
    found: set[tuple[str, str | None]] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                found.update((_dotted(a.name), None) for a in small.names if a.asname is None)
            elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar) and not small.relative:
                found.update((_dotted(small.module), _dotted(a.name)) for a in small.names if a.asname is None)
    return found


__all__ = ["apply_plan", "PlanApplier", "SDK_MODULE", "TODO_PREFIX"]
