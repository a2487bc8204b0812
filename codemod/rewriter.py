"""Applies a Plan to the module in one pass: node edits, statement edits, TODO comments, the
client prelude, and the imports the new code needs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Union

import libcst as cst

from codemod.analysis import (
    ModuleAnalysis,
    dotted_name,
    is_docstring,
    is_import_line,
    top_level_imports,
)
from codemod.ftypes import TODO_PREFIX
from codemod.secrets import redact_text
from codemod.transforms.plan import Plan, todo_comment
from codemod.walk import children_of, descendants

Result = Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel[cst.CSTNode]]
Statement = (cst.SimpleStatementLine, cst.BaseCompoundStatement)


class PlanApplier(cst.CSTTransformer):
    """The one generic transformer of the project."""

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        self._insertions = _insertions(plan)
        # Statements right after inserted helper functions get PEP 8's two blank lines.
        self._spaced = _after_helpers(plan)
        # Comments above the first statement belong to the module's header in LibCST.
        self._header_comments = {line.comment.value for line in plan.analysis.module.header if line.comment}
        self._edited_lines = {plan.analysis.statement_of(node) for node in plan.node_edits} | set(plan.statement_edits)
        # Leading lines of a removed statement, waiting for the statement after it.
        self._carried: dict[cst.CSTNode, tuple[list[cst.EmptyLine], bool]] = {}
        self._footers: dict[cst.CSTNode, list[cst.EmptyLine]] = {}
        # Blocks whose every statement the plan removed (they hold `pass` now).
        self._emptied: set[cst.IndentedBlock] = set()
        # Comments of removed compound statements, for the statement after them.
        self._removed_comments: dict[cst.CSTNode, list[str]] = {}

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Result:  # type: ignore[override]
        result: Result = super().on_leave(original_node, updated_node)  # type: ignore[assignment]
        if isinstance(result, (cst.RemovalSentinel, cst.FlattenSentinel)):
            return result
        plan = self.plan
        edit = plan.node_edits.get(original_node)
        if edit is not None:
            result = _keep_parentheses(plan, original_node, edit(result))
        notes = plan.todos.get(original_node)
        if notes:
            notes = [redact_text(note, tuple(plan.secrets)) for note in notes]  # a key never lands in a comment
            first = bool(plan.analysis.module.body) and original_node is plan.analysis.module.body[0]
            result = _with_todos(result, notes, self._header_comments if first else set())
        statement_edit = plan.statement_edits.get(original_node)
        if statement_edit is not None:
            replaced = statement_edit(result)  # type: ignore[arg-type]
            result = replaced if isinstance(replaced, cst.RemovalSentinel) else cst.FlattenSentinel(list(replaced))
        if isinstance(result, cst.SimpleStatementLine) and not result.body:
            result = cst.RemovalSentinel.REMOVE
        elif isinstance(result, cst.SimpleStatementLine) and original_node in plan.split_lines:
            result = _split(result)
        if original_node in self._edited_lines and original_node in plan.analysis.commented_lines:
            result = _keep_lost_comments(original_node, result)
        if isinstance(original_node, cst.If) and self._emptied_if(original_node, result):
            self._removed_comments[original_node] = _comments(result.with_changes(leading_lines=[]))  # type: ignore[union-attr]
            result = cst.RemovalSentinel.REMOVE
        if isinstance(original_node, Statement):
            result = self._carry_leading_lines(original_node, result)
        if original_node in self._spaced:
            result = self._spaced_out(original_node, result)
        if original_node in self._insertions:
            return cst.FlattenSentinel([*_nodes(result), *self._insertions[original_node]])
        return result

    def _spaced_out(self, original: cst.CSTNode, result: Result) -> Result:
        """PEP 8's two blank lines before the first statement after the helper functions; when
        that statement was removed, before the one after it."""
        nodes = _nodes(result)
        if not nodes:
            following = _next_sibling(self.plan, original)
            if following is not None:
                self._spaced.add(following)
            return result
        first = _with_blank_lines(nodes[0], 2)
        return cst.FlattenSentinel([first, *nodes[1:]]) if len(nodes) > 1 else first

    def _emptied_if(self, original: cst.If, result: Result) -> bool:
        """An `if` (not an `elif`) whose body the plan emptied, without `else`, and whose test
        does nothing but compute a value: it goes whole rather than keep `if ...: pass`."""
        return (
            isinstance(result, cst.If)
            and result.orelse is None
            and isinstance(original.body, cst.IndentedBlock)
            and original.body in self._emptied
            and isinstance(self.plan.analysis.parent(original), (cst.Module, cst.IndentedBlock))
            and not _may_act(self.plan.analysis, original.test)
        )

    def _carry_leading_lines(self, original: cst.CSTNode, result: Result) -> Result:
        """A removed statement's comments move to the statement after it, so none is lost."""
        carried, first_in_block = self._carried.pop(original, ([], False))
        if isinstance(result, cst.RemovalSentinel):
            following = _next_sibling(self.plan, original)
            inner = self._removed_comments.pop(original, None)
            if inner is None:
                inner = _comments(original.with_changes(leading_lines=[])) if original in self.plan.analysis.commented_lines else []
            lines = _joined(carried, list(getattr(original, "leading_lines", ()))) + [cst.EmptyLine(comment=cst.Comment(c)) for c in inner]
            if following is not None:
                self._carried[following] = (lines, first_in_block or _is_first_in_block(self.plan, original))
            elif any(line.comment for line in lines):  # the block's last statement: its comments end the block
                self._footers[self.plan.analysis.parent(original)] = lines  # type: ignore[index]
            return result
        if not carried and not first_in_block:
            return result
        nodes = _nodes(result)
        lines = _joined(carried, list(getattr(nodes[0], "leading_lines", ())))
        if first_in_block:
            lines = _without_leading_blank_lines(lines)
        elif not any(line.comment for line in carried):
            # Blank lines only: the gap (between import groups, say) stays unless the next
            # statement brings its own (TODOs the plan put above it are no gap).
            lines = list(getattr(nodes[0], "leading_lines", ()))
            if not _starts_with_blank_line(getattr(original, "leading_lines", ())):
                lines = carried[-1:] + lines
        first = nodes[0].with_changes(leading_lines=lines)
        return cst.FlattenSentinel([first, *nodes[1:]]) if len(nodes) > 1 else first

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        names = self.plan.function_globals.get(original_node)
        if not names or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        body = list(updated_node.body.body)
        declaration = cst.SimpleStatementLine([cst.Global([cst.NameItem(cst.Name(n)) for n in sorted(names)])])
        body.insert(1 if body and is_docstring(body[0]) else 0, declaration)
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        footer = self._footers.get(original_node)
        if footer:
            updated_node = updated_node.with_changes(footer=[*footer, *updated_node.footer])
        if all(_is_pass(s) for s in updated_node.body) and not all(_is_pass(s) for s in original_node.body):
            self._emptied.add(original_node)
        if not updated_node.body:
            return updated_node.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return updated_node

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        footer = self._footers.get(original_node)
        if footer:
            updated_node = updated_node.with_changes(footer=[*footer, *updated_node.footer])
        at_top = self._insertions.get(None)
        if at_top:
            body = list(updated_node.body)
            index = _after_docstring_and_future(body)
            return updated_node.with_changes(body=body[:index] + at_top + body[index:])
        return _without_blank_top(original_node, updated_node)


def _without_blank_top(original: cst.Module, module: cst.Module) -> cst.Module:
    """No blank lines before the first statement when its predecessor went (the file did not
    start with them)."""
    leading = list(getattr(original.body[0], "leading_lines", ()))[:1] if original.body else []
    first_was_blank = any(line.comment is None for line in leading)
    if original.header or module.header or not module.body or first_was_blank or not isinstance(module.body[0], cst.SimpleStatementLine):
        return module
    first = module.body[0]
    lines = list(getattr(first, "leading_lines", ()))
    while lines and lines[0].comment is None:
        lines.pop(0)
    return module.with_changes(body=[first.with_changes(leading_lines=lines), *module.body[1:]])


# Where an expression may follow a keyword with no space but its parentheses: `return(x)`.
AFTER_KEYWORD = (cst.Return, cst.Yield, cst.Await, cst.Raise, cst.Assert, cst.Del, cst.If, cst.While, cst.UnaryOperation, cst.Comparison, cst.ComparisonTarget, cst.BooleanOperation, cst.IfExp, cst.Lambda, cst.For, cst.CompFor, cst.CompIf)


def _keep_parentheses(plan: Plan, original: cst.CSTNode, new: cst.CSTNode) -> cst.CSTNode:
    """An expression written in parentheses after a keyword (`return(r.text)`) keeps them
    around its replacement: they may be all that separates it from the keyword."""
    lpar = getattr(original, "lpar", None)
    if not isinstance(plan.analysis.parent(original), AFTER_KEYWORD):
        return new
    if lpar and isinstance(new, cst.BaseExpression) and not getattr(new, "lpar", None) and hasattr(new, "lpar"):
        return new.with_changes(lpar=original.lpar, rpar=original.rpar)  # type: ignore[attr-defined]
    return new


def _insertions(plan: Plan) -> dict[cst.CSTNode | None, list[cst.BaseStatement]]:
    """New module-level statements by the statement they follow (None: the top of the module):
    helper functions after the imports, the client where `plan.prelude_after` says."""
    found: dict[cst.CSTNode | None, list[cst.BaseStatement]] = {}
    if plan.prelude and all(is_import_line(p) for p in plan.prelude) and plan.prelude_after is _helpers_anchor(plan):
        found.setdefault(plan.prelude_after, []).extend(plan.prelude)  # imports (a shared client) before the helpers
        plan = dataclasses.replace(plan, prelude=[])
    if plan.helpers:
        helpers = [h.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()]) for h in plan.helpers.values()]  # type: ignore[attr-defined]
        found.setdefault(_helpers_anchor(plan), []).extend(helpers)
    if plan.prelude:
        prelude = list(plan.prelude)
        if _prelude_follows_helpers(plan) or isinstance(plan.prelude_after, (cst.FunctionDef, cst.ClassDef)):
            prelude[0] = _with_blank_lines(prelude[0], 2)  # type: ignore[assignment]  # PEP 8, after a def
        found.setdefault(plan.prelude_after, []).extend(prelude)
    return found


def _helpers_anchor(plan: Plan) -> cst.CSTNode | None:
    end = plan.analysis.leading_imports_end()
    return plan.analysis.module.body[end - 1] if end > 0 else None


def _prelude_follows_helpers(plan: Plan) -> bool:
    return bool(plan.helpers and plan.prelude) and plan.prelude_after is _helpers_anchor(plan)


def _after_helpers(plan: Plan) -> set[cst.CSTNode]:
    """The statement right after the helper functions (or after the client that follows them,
    when it is a function or class: PEP 8's two blank lines around those)."""
    if not plan.helpers:
        return set()
    body = plan.analysis.module.body
    end = plan.analysis.leading_imports_end()
    if end >= len(body):
        return set()
    if _prelude_follows_helpers(plan) and not isinstance(body[end], (cst.FunctionDef, cst.ClassDef)):
        return set()
    return {body[end]}


def _with_blank_lines(statement: cst.CSTNode, count: int) -> cst.CSTNode:
    leading = list(getattr(statement, "leading_lines", ()))
    blank = 0
    while blank < len(leading) and leading[blank].comment is None:
        blank += 1
    if blank >= count:
        return statement
    return statement.with_changes(leading_lines=[cst.EmptyLine()] * (count - blank) + leading)


def _split(line: cst.SimpleStatementLine) -> Result:
    """`a; b` → one line each; the first keeps the comments above, the last the one after."""
    if len(line.body) == 1:
        return line
    lines = [cst.SimpleStatementLine([s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)]) for s in line.body]
    lines[0] = lines[0].with_changes(leading_lines=line.leading_lines)
    lines[-1] = lines[-1].with_changes(trailing_whitespace=line.trailing_whitespace)
    return cst.FlattenSentinel(lines)


def apply_plan(plan: Plan) -> cst.Module:
    """The migrated module: the plan applied, then the imports the new code needs."""
    module = plan.analysis.module.visit(PlanApplier(plan))
    return _add_missing_imports(module, plan.imports - plan.placed_imports)


def _comments(node: cst.CSTNode) -> list[str]:
    found = [node.value] if isinstance(node, cst.Comment) else []
    for child in children_of(node):
        found.extend(_comments(child))
    return found


def _keep_lost_comments(original: cst.CSTNode, result: Result) -> Result:
    """Comments inside a rewritten line (between call arguments, after a dict entry) would vanish
    with the code they sat in: they move above the line, in their order. A removed line's
    comments go the same way, through `_carry_leading_lines`."""
    nodes = _nodes(result)
    remaining = [c for n in nodes for c in _comments(n)]
    if not isinstance(original, cst.SimpleStatementLine):
        return result
    inner = _comments(original.with_changes(leading_lines=[]))
    lost = [c for c in inner if c not in remaining]
    if not lost:
        return result
    if not nodes:
        return result  # removed: `_carry_leading_lines` moves its comments
    lines = [cst.EmptyLine(comment=cst.Comment(c)) for c in lost]
    leading = list(getattr(nodes[0], "leading_lines", ()))
    todo_at = next((i for i, line in enumerate(leading) if line.comment and TODO_PREFIX in line.comment.value), len(leading))
    first = nodes[0].with_changes(leading_lines=leading[:todo_at] + lines + leading[todo_at:])
    return cst.FlattenSentinel([first, *nodes[1:]]) if len(nodes) > 1 else first


def _nodes(result: Result) -> list[cst.CSTNode]:
    if isinstance(result, cst.RemovalSentinel):
        return []
    if isinstance(result, cst.FlattenSentinel):
        return list(result.nodes)
    return [result]


def _siblings(plan: Plan, statement: cst.CSTNode) -> Sequence[cst.CSTNode]:
    return list(getattr(plan.analysis.parent(statement), "body", ()))


def _next_sibling(plan: Plan, statement: cst.CSTNode) -> cst.CSTNode | None:
    body = _siblings(plan, statement)
    index = next((i for i, s in enumerate(body) if s is statement), None)
    return body[index + 1] if index is not None and index + 1 < len(body) else None


def _is_first_in_block(plan: Plan, statement: cst.CSTNode) -> bool:
    body = _siblings(plan, statement)
    return bool(body) and body[0] is statement and not isinstance(plan.analysis.parent(statement), cst.Module)


def _joined(first: list[cst.EmptyLine], second: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """Two runs of leading lines one after the other; the blank lines where they meet are one
    gap (the larger of the two), not their sum."""
    trailing = 0
    while trailing < len(first) and first[len(first) - 1 - trailing].comment is None:
        trailing += 1
    leading = 0
    while leading < len(second) and second[leading].comment is None:
        leading += 1
    if trailing >= leading:
        return first + second[leading:]
    return first[: len(first) - trailing] + second


def _starts_with_blank_line(lines: Sequence[cst.EmptyLine]) -> bool:
    return bool(lines) and lines[0].comment is None


def _is_pass(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(isinstance(s, cst.Pass) for s in statement.body)


# Calls a test may make without acting: environment reads.
_READ_ONLY_CALLS = frozenset({"os.getenv", "os.environ.get"})


def _may_act(analysis: ModuleAnalysis, test: cst.BaseExpression) -> bool:
    """Could evaluating `test` do anything but compute a value? Any call but an environment
    read counts, as do awaits, yields, walruses and lambdas."""
    if not analysis.has_side_effects(test):
        return False
    for node in descendants(test):
        if isinstance(node, (cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda)):
            return True
        if isinstance(node, cst.Call) and not (analysis.qualified_names(node.func) or {""}) <= _READ_ONLY_CALLS:
            return True
    return False


def _without_leading_blank_lines(lines: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    while lines and lines[0].comment is None:
        lines = lines[1:]
    return lines


def _with_todos(statement: cst.CSTNode, notes: list[str], header: set[str]) -> cst.CSTNode:
    leading = list(getattr(statement, "leading_lines", ()))
    present = header | {line.comment.value for line in leading if line.comment is not None}
    added = [cst.EmptyLine(comment=cst.Comment(todo_comment(n))) for n in sorted(notes) if todo_comment(n) not in present]
    return statement.with_changes(leading_lines=[*leading, *added]) if added else statement


def _after_docstring_and_future(body: Sequence[cst.CSTNode]) -> int:
    index = 1 if body and is_docstring(body[0]) else 0
    while index < len(body) and _is_future_import(body[index]):
        index += 1
    return index


def _is_future_import(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.ImportFrom)
        and dotted_name(statement.body[0].module) == "__future__"  # type: ignore[arg-type]
    )


def _add_missing_imports(module: cst.Module, needed: set[tuple[str, str | None]]) -> cst.Module:
    """Add `import os` / `from openai import OpenAI` at the top unless the module has them.

    LibCST's AddImportsVisitor does the same but costs about 40 ms a file (two thirds of a whole
    migration, measured with scripts/benchmark.py), for the two imports this tool ever adds.
    """
    present = top_level_imports(module)
    missing = [item for item in sorted(needed, key=lambda i: (i[0] != "os", i[0], i[1] or "")) if item not in present]
    if not missing:
        return module
    grouped: dict[str, list[str]] = {}
    for module_name, name in missing:
        if name is not None:
            grouped.setdefault(module_name, []).append(name)
    new = [cst.parse_statement(f"import {module_name}") for module_name, name in missing if name is None]
    new += [cst.parse_statement(f"from {module_name} import {', '.join(names)}") for module_name, names in grouped.items()]
    body = list(module.body)
    anchor = next((s for s in reversed(body[: _leading_imports_end(body)]) if is_import_line(s)), None)
    index = body.index(anchor) + 1 if anchor is not None else _after_docstring_and_future(body)
    return module.with_changes(body=body[:index] + new + body[index:])


def _leading_imports_end(body: Sequence[cst.CSTNode]) -> int:
    index = _after_docstring_and_future(body)
    while index < len(body) and is_import_line(body[index]):
        index += 1
    return index


