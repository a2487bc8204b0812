"""The edits a module needs, keyed by original nodes; applied later in one generic pass."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Callable, Union

import libcst as cst

from codemod.analysis import ModuleAnalysis, Statement
from codemod.ftypes import (
    TODO_PREFIX,
    Export,
    Finding,
    Followed,
    Kind,
    Options,
    Severity,
    SharedModel,
    SharedResponse,
)
from codemod.keyscan import KeyHit, PythonScan

NodeEdit = Callable[[cst.CSTNode], cst.CSTNode]
StatementEdit = Callable[[Statement], Union[Sequence[cst.BaseStatement], cst.RemovalSentinel]]


class Unsupported(Exception):
    """Raised by a transform helper when no faithful rewrite exists; the message says why."""


@dataclasses.dataclass
class Plan:
    """Everything one module's migration will do, decided before anything is rewritten."""

    analysis: ModuleAnalysis
    options: Options
    path: str
    node_edits: dict[cst.CSTNode, NodeEdit] = dataclasses.field(default_factory=dict)
    statement_edits: dict[cst.CSTNode, StatementEdit] = dataclasses.field(default_factory=dict)
    todos: dict[cst.CSTNode, list[str]] = dataclasses.field(default_factory=dict)
    findings: list[Finding] = dataclasses.field(default_factory=list)
    imports: set[tuple[str, str | None]] = dataclasses.field(default_factory=set)
    prelude: list[cst.BaseStatement] = dataclasses.field(default_factory=list)
    # Small module-level functions the new code calls (image conversion...), by name, emitted once.
    helpers: dict[str, cst.BaseStatement] = dataclasses.field(default_factory=dict)
    secrets: list[str] = dataclasses.field(default_factory=list)
    client_name: str = "client"
    async_client_name: str = "async_client"
    needs_async_client: bool = False
    needs_sync_client: bool = False
    openai_class: str = "OpenAI"
    migrated_calls: int = 0
    call_sites: list[cst.CSTNode] = dataclasses.field(default_factory=list)
    # The statement the prelude goes after (None: at the top, after the docstring).
    prelude_after: cst.CSTNode | None = None
    exports: dict[str, str] = dataclasses.field(default_factory=dict)
    # Exported models whose settings an importer can repeat, by name; names re-exported from
    # another module (`from .llm import model` in `__init__.py`).
    shared_models: dict[str, SharedModel] = dataclasses.field(default_factory=dict)
    shared_responses: dict[str, SharedResponse] = dataclasses.field(default_factory=dict)
    # Exported names no importer can follow, and why (bound more than once...).
    unshared: dict[str, str] = dataclasses.field(default_factory=dict)
    reexports: list[Export] = dataclasses.field(default_factory=list)
    # Exported names an importer could not follow: they stay on genai here (name → why).
    kept_exports: dict[str, str] = dataclasses.field(default_factory=dict)
    # What this module did with names other modules export.
    followed: list[Followed] = dataclasses.field(default_factory=list)
    # The run knows this module's importers (`RepoIndex.imported_by`): a model nobody imports
    # and nothing here calls keeps its settings on genai rather than lose them.
    # Modules that export objects, as this one reads them: `llm` for `import llm`, and the
    # top-level `from llm import model` statements (by the path of the module).
    module_reads: dict[str, str] = dataclasses.field(default_factory=dict)
    from_imports: dict[str, cst.ImportFrom] = dataclasses.field(default_factory=dict)
    # Names other modules import from this one by name (their bindings must stay).
    imported_names: frozenset[str] = frozenset()
    # Names this plan adds to the module (settings imported next to a model).
    added_names: set[str] = dataclasses.field(default_factory=set)
    importers_known: bool = False
    has_importers: bool = False
    exported_client: str | None = None
    client_in_function: bool = False
    default_client: bool = False
    # The module still uses genai but never configures it (another module's configure() does), or
    # it dropped its configure(): the run keeps configure() wherever a module leans on one.
    leans_on_configure: bool = False
    dropped_configure: bool = False
    # Imports the plan already placed itself, and the statements that create OpenAI clients.
    placed_imports: set[tuple[str, str | None]] = dataclasses.field(default_factory=set)
    client_sites: list[cst.CSTNode] = dataclasses.field(default_factory=list)
    # Names each function must declare `global` at its top.
    function_globals: dict[cst.FunctionDef, set[str]] = dataclasses.field(default_factory=dict)
    # Lines `a; b` to split into one line per statement once their small statements are edited.
    split_lines: set[cst.CSTNode] = dataclasses.field(default_factory=set)
    # SDK references a transform already explained with a TODO of its own.
    explained: set[cst.CSTNode] = dataclasses.field(default_factory=set)
    # The keys of the module (see keyscan), and the literals already reported or taken out.
    key_scan: PythonScan = dataclasses.field(default_factory=lambda: PythonScan((), {}))
    secured: set[cst.CSTNode] = dataclasses.field(default_factory=set)
    # Original nodes that stay inside a statement the plan rewrites (a genai twin, a kept configure).
    kept: set[cst.CSTNode] = dataclasses.field(default_factory=set)

    @property
    def key_hits(self) -> tuple[KeyHit, ...]:
        return self.key_scan.hits

    def client_for(self, asynchronous: bool = False) -> str:
        """The name of the client a migrated call uses; counts the call, so a client gets made."""
        self.migrated_calls += 1
        if asynchronous:
            self.needs_async_client = True
            return self.async_client_name
        self.needs_sync_client = True
        return self.client_name

    def add_helper(self, name: str, source: str) -> str:
        """Emit the module-level function `source` (defining `name`) once; returns `name`."""
        if name not in self.helpers:
            self.helpers[name] = cst.parse_statement(source)
        return name

    def replace(self, node: cst.CSTNode, edit: NodeEdit) -> None:
        self.node_edits[node] = edit

    def replace_statement(self, statement: cst.CSTNode, edit: StatementEdit) -> None:
        self.statement_edits[statement] = edit

    def report(self, node: cst.CSTNode, kind: Kind, severity: Severity, message: str) -> None:
        position = self.analysis.position(node).start
        self.findings.append(Finding(self.path, position.line, position.column, kind, severity, message))

    def mark(self, node: cst.CSTNode, kind: Kind, message: str, severity: Severity = Severity.WARNING) -> None:
        """Report `message` and put a TODO comment with it on the statement holding `node`."""
        statement = self.analysis.statement_of(node)
        notes = self.todos.setdefault(statement, [])
        if message in notes:
            return
        notes.append(message)
        self.report(node, kind, severity, message)

    def has_edits(self) -> bool:
        return bool(self.node_edits or self.statement_edits or self.todos or self.prelude or self.analysis.sdk_imports)

    def keep(self, node: cst.CSTNode) -> None:
        """`node` stays in the output (edits inside it apply), although a statement around it
        is rewritten: what it reads is still read."""
        self.kept.add(node)

    def touched(self, node: cst.CSTNode) -> bool:
        """Is `node`, or something around it up to a kept node, rewritten or removed by this plan?"""
        for candidate in (node, *self.analysis.ancestors(node)):
            if candidate in self.node_edits or candidate in self.statement_edits:
                return True
            if candidate in self.kept:
                return False
        return False

    def with_edits(self, node: cst.CSTNode) -> cst.CSTNode:
        """Apply this plan's node edits inside a freshly built node that reuses original nodes."""
        return node.visit(_NodeEditor(self.node_edits))


class _NodeEditor(cst.CSTTransformer):
    def __init__(self, edits: dict[cst.CSTNode, NodeEdit]) -> None:
        super().__init__()
        self._edits = edits

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        edit = self._edits.get(original_node)
        return edit(updated_node) if edit is not None else updated_node


def todo_comment(message: str) -> str:
    return f"# {TODO_PREFIX} {message}"
