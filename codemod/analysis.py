"""What each name and expression of one module refers to.

Every transform asks this module, and only this module, questions such as "is this expression a
GenerativeModel, and which construction made it?" or "where does this response go?". It is built
on LibCST's `ScopeProvider` (qualified names come from the scopes, so `QualifiedNameProvider`'s
second pass is not needed) plus one collecting pass for parents, classes and functions.

Objects are followed through names, `self.<attr>` attributes, function returns and arguments of
functions of the same module. Whatever cannot be followed is an *escape*: the transforms leave
such objects alone and mark the spot.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from typing import Union

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    Access,
    Assignment,
    BaseAssignment,
    CodeRange,
    GlobalScope,
    ImportAssignment,
    MetadataWrapper,
    PositionProvider,
    Scope,
    ScopeProvider,
)

from codemod import awaitables, containers
from codemod.flow import inside as flow_inside
from codemod.flow import loop_of, why_not_confined
from codemod.reaching import reaching
from codemod.walk import children_of, descendants, visit

SDK_MODULE = "google.generativeai"
CLIENT_SDK_MODULE = "google.genai"  # the newer SDK, google-genai (`from google import genai`)
PROTO_PACKAGE = "google.ai.generativelanguage"  # genai's protos, also imported directly (`glm`, AI Studio's `content`)
_SDK_SUBMODULES = ("generative_models.", "types.", "protos.", "client.", "embedding.", "models.")

Statement = Union[cst.SimpleStatementLine, cst.BaseCompoundStatement]
ImportBinding = tuple[Union[cst.Import, cst.ImportFrom], cst.ImportAlias]  # an import statement and the alias binding a name
# genai's classes by the paths below google.generativeai that name them (each class is reachable
# from `genai.types` or the package and from the module that defines it).
_CLASS_HOMES = {
    "GenerativeModel": ("", "generative_models."),
    "ChatSession": ("", "generative_models."),
    "GenerateContentResponse": ("types.", "types.generation_types."),
    "AsyncGenerateContentResponse": ("types.", "types.generation_types."),
    "GenerationConfigDict": ("types.", "types.generation_types."),
    "ContentDict": ("types.", "types.content_types."),
    "PartDict": ("types.", "types.content_types."),
    "BlobDict": ("types.", "types.content_types."),
    "ToolDict": ("types.", "types.content_types."),
    "FileDataDict": ("types.", "types.file_types."),
    "SafetySettingDict": ("types.", "types.safety_types."),
}
SDK_CLASSES = {home + name: name for name, homes in _CLASS_HOMES.items() for home in homes}
# The classes an `isinstance` check may test a migrated object against: the check is rewritten.
CHECKED_CLASSES = frozenset({"GenerativeModel", "ChatSession", "GenerateContentResponse", "AsyncGenerateContentResponse"})
Function = cst.FunctionDef


@dataclasses.dataclass(frozen=True)
class Use:
    """One place where a followed object is used.

    `node` is the expression that evaluates to the object; `attribute` is set when the use is
    `node.<attribute>` (then `parent` is that Attribute node); `iterate` when a `for` or `async
    for` loops over it (`parent` is the For); otherwise the use is `discard` (value thrown away,
    or only tested by `isinstance` against genai's own class, which the migration rewrites),
    an `escape` (the object goes where the analysis cannot follow) or an `export` (bound at
    module level, so other modules may import it).
    """

    node: cst.BaseExpression
    kind: str  # "attribute" | "iterate" | "discard" | "escape" | "export"
    parent: cst.CSTNode | None = None
    reason: str = ""

    @property
    def attribute(self) -> str | None:
        if self.kind == "attribute" and isinstance(self.parent, cst.Attribute):
            return self.parent.attr.value
        return None


class _Collector(cst.CSTVisitor):
    """One pass over the module: parents, functions, classes and `self.<attr>` bindings."""

    def __init__(self) -> None:
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.functions: list[cst.FunctionDef] = []
        self.returns: dict[cst.FunctionDef, list[cst.Return]] = defaultdict(list)
        self.attr_stores: dict[tuple[cst.ClassDef, str], list[cst.Attribute]] = defaultdict(list)
        self.attr_loads: dict[tuple[cst.ClassDef, str], list[cst.Attribute]] = defaultdict(list)
        self._function_stack: list[cst.FunctionDef] = []
        self.sdk_imports: list[cst.Import | cst.ImportFrom] = []
        self.client_sdk_imports: list[cst.Import | cst.ImportFrom] = []
        self.imports: list[cst.Import | cst.ImportFrom] = []
        self.sdk_aliases: set[str] = set()
        self.names: list[cst.Name] = []
        self.attribute_counts: dict[str, int] = defaultdict(int)
        self.attributes: list[cst.Attribute] = []
        self.base_names: set[str] = set()
        self.handlers: list[cst.ExceptHandler] = []
        self.commented_lines: set[cst.SimpleStatementLine] = set()
        self._line: cst.SimpleStatementLine | None = None

    def visit_Import(self, node: cst.Import) -> None:
        self.imports.append(node)
        for alias in node.names:
            if is_sdk_module(dotted_name(alias.name)):
                self.sdk_imports.append(node)
                self.sdk_aliases.add(_bound_name(alias))
        if any(is_client_sdk_module(dotted_name(alias.name)) for alias in node.names):
            self.client_sdk_imports.append(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.imports.append(node)
        module = dotted_name(node.module) if node.module is not None and not node.relative else ""
        if is_client_sdk_module(module) or (
            not isinstance(node.names, cst.ImportStar) and any(is_client_sdk_module(f"{module}.{dotted_name(a.name)}") for a in node.names)
        ):
            self.client_sdk_imports.append(node)
        if isinstance(node.names, cst.ImportStar):
            if is_sdk_module(module):
                self.sdk_imports.append(node)
            return
        names = [a for a in node.names if is_sdk_module(module) or is_sdk_module(f"{module}.{dotted_name(a.name)}")]
        if names:
            self.sdk_imports.append(node)
            self.sdk_aliases.update(_bound_name(a) for a in names)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)
        self._function_stack.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._function_stack.pop()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.attribute_counts[node.attr.value] += 1
        self.attributes.append(node)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self.handlers.append(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            self.base_names.add(dotted_name(base.value).rsplit(".", 1)[-1])

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._line = node

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self._line = None

    def visit_Comment(self, node: cst.Comment) -> None:
        if self._line is not None:
            self.commented_lines.add(self._line)

    def visit_Return(self, node: cst.Return) -> None:
        if self._function_stack:
            self.returns[self._function_stack[-1]].append(node)


def is_sdk_module(dotted: str) -> bool:
    return dotted == SDK_MODULE or dotted.startswith(SDK_MODULE + ".")


def is_client_sdk_module(dotted: str) -> bool:
    """A module of google-genai, the newer SDK (`google.genai`, `google.genai.types`...)."""
    return dotted == CLIENT_SDK_MODULE or dotted.startswith(CLIENT_SDK_MODULE + ".")


def keyword_argument(call: cst.Call, name: str) -> cst.BaseExpression | None:
    """The value passed as `name=` to `call`, if any."""
    return next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def dotted_name(node: cst.Name | cst.Attribute | cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted_name(node.value)}.{node.attr.value}"
    return ""


def _is_attribute_name(parent: cst.CSTNode | None, name: cst.Name) -> bool:
    """`name` is the attribute of `x.name` (not a read of the variable `name`)."""
    return isinstance(parent, cst.Attribute) and parent.attr is name


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return dotted_name(alias.name).split(".")[0]


class ModuleAnalysis:
    """Facts about one parsed module. Build it with `ModuleAnalysis.of(module)`."""

    def __init__(self, wrapper: MetadataWrapper, source: str | None = None, also: tuple[cst.CSTVisitor, ...] = ()) -> None:
        self.module = wrapper.module
        self._source = source
        self._wrapper = wrapper
        # Both computed on first use: a module scanned only for keys rarely needs scopes.
        self._scope_map: Mapping[cst.CSTNode, Scope | None] | None = None
        self._positions: Mapping[cst.CSTNode, CodeRange] | None = None
        collector = _Collector()
        visit(self.module, collector, *also, parents=collector.parents)
        self._parents = collector.parents
        self._functions = collector.functions
        self._returns = collector.returns
        self.sdk_imports = collector.sdk_imports
        self.client_sdk_imports = collector.client_sdk_imports
        self.sdk_aliases = frozenset(collector.sdk_aliases)
        self._name_nodes = collector.names
        self._imports = collector.imports
        self._sole_imports: dict[str, ImportBinding] | None = None
        self._import_node_ids: frozenset[int] | None = None
        self._body_index: dict[int, int] | None = None
        self._attribute_counts = collector.attribute_counts
        self._attributes = collector.attributes
        self._state_paths: dict[str, list[cst.Attribute]] | None = None
        self._base_names = collector.base_names
        self.handlers = collector.handlers
        # Lines holding a comment (above them or inside): only these can lose one in a rewrite.
        self.commented_lines = frozenset(collector.commented_lines)
        self._self_attributes: tuple[dict[tuple[cst.ClassDef, str], list[cst.Attribute]], ...] | None = None
        self._inside_cache: dict[int, frozenset[int]] = {}
        self._confined: dict[cst.For, bool] = {}
        # Reads of objects another module makes (`from llm import model`), and the expression
        # that stands for each there (see `transforms.crossmodule`).
        self.foreign: dict[cst.CSTNode, cst.BaseExpression] = {}
        # Names bound to modules of the run (`import llm`): their attributes are not state this
        # module may keep objects in (other modules read them as that module's own).
        self.run_modules: set[str] = set()
        # Other modules of the repository import this one: its public functions and classes
        # may be called from there (set by the plan from the repository index).
        self.has_importers = False
        self._in_view: dict[cst.ClassDef, bool] = {}
        self._source_lines: list[str] | None = None
        self._read_names: frozenset[str] | None = None
        self._bound_names: frozenset[str] | None = None
        self._names_in_use: frozenset[str] | None = None

    @property
    def _self_stores(self) -> dict[tuple[cst.ClassDef, str], list[cst.Attribute]]:
        """`self.x = ...` in methods, by (class, attribute); indexed on first use."""
        if self._self_attributes is None:
            self._self_attributes = self._index_self_attributes()
        return self._self_attributes[0]

    @property
    def _self_loads(self) -> dict[tuple[cst.ClassDef, str], list[cst.Attribute]]:
        if self._self_attributes is None:
            self._self_attributes = self._index_self_attributes()
        return self._self_attributes[1]

    @property
    def _scopes(self) -> Mapping[cst.CSTNode, Scope | None]:
        if self._scope_map is None:
            self._scope_map = self._wrapper.resolve(ScopeProvider)
        return self._scope_map

    @classmethod
    def of(cls, module: cst.Module, source: str | None = None, also: tuple[cst.CSTVisitor, ...] = ()) -> ModuleAnalysis:
        """The analysis of `module`; `source`, the text it was parsed from, spares printing it;
        the visitors `also` ride along on the analysis's walk over the module."""
        return cls(MetadataWrapper(module, unsafe_skip_copy=True), source, also)

    @property
    def source(self) -> str:
        """The module's text (LibCST prints a parsed module back byte for byte)."""
        if self._source is None:
            self._source = self.module.code
        return self._source

    # ----------------------------------------------------------------- structure
    def find(self, matcher: m.BaseMatcherNode, root: cst.CSTNode | None = None) -> list[cst.CSTNode]:
        """The nodes under `root` (the module) that `matcher` matches, in source order
        (`libcst.matchers.findall` without rebuilding the tree to walk it)."""
        return [node for node in descendants(root or self.module) if m.matches(node, matcher)]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self._parents.get(node)
        while current is not None:
            yield current
            current = self._parents.get(current)

    def statement_of(self, node: cst.CSTNode) -> Statement:
        """The statement a comment about `node` belongs on."""
        for candidate in (node, *self.ancestors(node)):
            if isinstance(candidate, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return candidate
        raise ValueError("node is not inside a statement")

    def top_level_statement(self, node: cst.CSTNode) -> cst.CSTNode:
        """The statement of the module's body that holds `node`."""
        for candidate in (node, *self.ancestors(node)):
            if self._parents.get(candidate) is self.module:
                return candidate
        raise ValueError("node is not inside the module")

    def leading_imports_end(self) -> int:
        """Index in the module body just past the docstring and the leading block of imports."""
        body = self.module.body
        index = 0
        for position, statement in enumerate(body):
            if is_import_line(statement):
                index = position + 1
            elif not (position == 0 and is_docstring(statement)):
                break
        return index

    def position(self, node: cst.CSTNode) -> CodeRange:
        if self._positions is None:
            self._positions = self._wrapper.resolve(PositionProvider)
        return self._positions[node]

    def continuation_depth(self, node: cst.CSTNode) -> int:
        """How many indentation levels deeper than its statement the line `node` starts on is
        (a call written on its own line inside another call's brackets: 1)."""
        start = self.position(node).start
        statement = self.position(self.statement_of(node)).start
        if start.line == statement.line:
            return 0
        if self._source_lines is None:
            self._source_lines = self.source.splitlines()
        line = self._source_lines[start.line - 1]
        indent = len(line) - len(line.lstrip(" "))
        return max(0, indent - statement.column) // 4

    def scope(self, node: cst.CSTNode) -> Scope | None:
        return self._scopes.get(node)

    def enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        return next((a for a in self.ancestors(node) if isinstance(a, cst.FunctionDef)), None)

    def enclosing_class(self, node: cst.CSTNode) -> cst.ClassDef | None:
        """The class whose method contains `node` (the method must sit directly in the class)."""
        function = self.enclosing_function(node)
        if function is None:
            return None
        owner = self._parents.get(self._parents.get(function))  # IndentedBlock → ClassDef
        return owner if isinstance(owner, cst.ClassDef) else None

    def is_module_level(self, node: cst.CSTNode) -> bool:
        return not any(isinstance(a, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) for a in self.ancestors(node))

    # ----------------------------------------------------------------- names
    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        imported = self._imported_names(node)
        if imported is not None:
            return imported
        scope = self._scopes.get(node)
        if scope is None:
            return set()
        return {q.name for q in scope.get_qualified_names_for(node)}

    def _imported_names(self, node: cst.CSTNode) -> set[str] | None:
        """`qualified_names` without scopes, for the common case they would only confirm: a
        read of a name (`os`, `getenv`), or of a dotted name rooted in one (`os.environ.get`),
        that one module-level import binds and nothing else binds or uses otherwise. Then the
        scopes' answer is the import's (LibCST's own `ImportAssignment` computes it). None:
        ask the scopes."""
        root = node
        while isinstance(root, cst.Attribute):
            root = root.value
        if not isinstance(root, cst.Name) or not self._is_plain_read(root) or id(root) in self._import_parts():
            return None
        binding = self._sole_import_bindings().get(root.value)
        if binding is None:
            return None
        statement, alias = binding
        if node is root and self.statement_index(node) <= self.statement_index(statement):
            return None  # a name read at module level sees only the imports above it
        assignment = ImportAssignment(root.value, None, statement, 0, alias)  # type: ignore[arg-type]
        return {q.name for q in assignment.get_qualified_names_for(dotted_name(node) if node is not root else root.value)}

    def _is_plain_read(self, name: cst.Name) -> bool:
        parent = self._parents.get(name)
        return (isinstance(parent, cst.Attribute) and parent.value is name) or (isinstance(parent, cst.Call) and parent.func is name)

    def _sole_import_bindings(self) -> dict[str, ImportBinding]:
        """name → (import, alias) for each name bound by exactly one import alias, made at
        module level, whose every other occurrence in the module is a plain read (`name.x`,
        `name(...)`) or part of an import statement."""
        if self._sole_imports is None:
            bindings: dict[str, list[ImportBinding]] = defaultdict(list)
            for statement in self._imports:
                if not isinstance(statement.names, cst.ImportStar):
                    for alias in statement.names:
                        bindings[_bound_name(alias)].append((statement, alias))
            inside_imports = self._import_parts()
            spoiled = {
                name.value
                for name in self._name_nodes
                if name.value in bindings and id(name) not in inside_imports and not self._is_plain_read(name) and not _is_attribute_name(self._parents.get(name), name)
            }
            self._sole_imports = {
                name: found[0]
                for name, found in bindings.items()
                if len(found) == 1 and name not in spoiled and self.is_module_level(found[0][0])
            }
        return self._sole_imports

    def _import_parts(self) -> frozenset[int]:
        """Ids of the nodes inside import statements (the scopes give them none)."""
        if self._import_node_ids is None:
            self._import_node_ids = frozenset(id(n) for statement in self._imports for n in descendants(statement))
        return self._import_node_ids

    def statement_index(self, node: cst.CSTNode) -> int:
        """The place in the module's body of the statement holding `node`."""
        if self._body_index is None:
            self._body_index = {id(statement): i for i, statement in enumerate(self.module.body)}
        return self._body_index[id(self.top_level_statement(node))]

    def sdk_name(self, node: cst.CSTNode) -> str | None:
        """`GenerativeModel` for `genai.GenerativeModel`, `""` for the SDK module itself, else None.

        Submodule paths are folded (`genai.types.GenerationConfig` → `GenerationConfig`), so the
        transforms match one spelling whatever import form the module used.
        """
        sdk, other = self._split_names(node)
        if sdk is None or other:
            return None
        return sdk

    def client_sdk_name(self, node: cst.CSTNode) -> str | None:
        """The path below `google.genai` that `node` names, however imported (`Client`,
        `types.Part.from_text`, `errors.APIError`); None for anything else, or for a name that
        may also be bound to something else. `google.genai.client.Client` folds to `Client`."""
        names = self.qualified_names(node) if isinstance(node, (cst.Name, cst.Attribute)) else set()
        if len(names) != 1:
            return None
        name = names.pop()
        if not name.startswith(CLIENT_SDK_MODULE + "."):
            return None
        rest = name[len(CLIENT_SDK_MODULE) + 1 :]
        return rest[len("client.") :] if rest.startswith("client.") else rest

    def sdk_class(self, node: cst.CSTNode) -> str | None:
        """The genai class `node` names, however spelled (`genai.types.X`, `X` from its home module,
        a from-import); None for anything else or a name another import binds too."""
        names = self.qualified_names(node) if isinstance(node, (cst.Name, cst.Attribute)) else set()
        found = {SDK_CLASSES.get(q[len(SDK_MODULE) + 1 :]) if q.startswith(SDK_MODULE + ".") else None for q in names}
        return found.pop() if len(found) == 1 else None

    def checks_sdk_class(self, arg: cst.Arg) -> bool:
        """`arg` is the object of `isinstance(obj, C)` with C a genai class the migration turns
        into the class of what replaces the object (`GenerativeModel` → `str`)."""
        call = self._parents.get(arg)
        if not (isinstance(call, cst.Call) and len(call.args) == 2 and call.args[0] is arg):
            return False
        if any(a.keyword is not None or a.star for a in call.args) or self.qualified_names(call.func) != {"builtins.isinstance"}:
            return False
        return self.sdk_class(call.args[1].value) in CHECKED_CLASSES

    def may_be_sdk(self, node: cst.CSTNode) -> bool:
        """Some binding of this name is the SDK (maybe not all: see `sdk_name`)."""
        return self._split_names(node)[0] is not None

    def _split_names(self, node: cst.CSTNode) -> tuple[str | None, bool]:
        """(the folded SDK name, whether the expression may also be something else)."""
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return None, False
        sdk: str | None = None
        other = False
        for name in self.qualified_names(node):
            if name == SDK_MODULE or name.startswith(SDK_MODULE + "."):
                sdk = _fold(name[len(SDK_MODULE) + 1 :])
            elif not self._is_none_fallback(node):
                other = True  # e.g. vertexai's GenerativeModel imported in another branch
        return sdk, other

    def _is_none_fallback(self, node: cst.CSTNode) -> bool:
        """`except ImportError: genai = None`: the other binding is None, a guard, not another API."""
        base = node
        while isinstance(base, cst.Attribute):
            base = base.value
        if not isinstance(base, cst.Name):
            return False
        others = [r for r in self.referents(base) or () if not isinstance(getattr(r, "node", None), (cst.Import, cst.ImportFrom))]
        return bool(others) and all(m.matches(self.assigned_value(r), m.Name("None")) for r in others)

    def sdk_references(self) -> list[cst.BaseExpression]:
        """The outermost expressions naming something of the SDK (`genai.types.X`, `GenerativeModel`)."""
        found: list[cst.BaseExpression] = []
        for name in self._name_nodes:
            if name.value not in self.sdk_aliases or any(isinstance(a, (cst.Import, cst.ImportFrom)) for a in self.ancestors(name)):
                continue
            parent = self._parents.get(name)
            if isinstance(parent, cst.Attribute) and parent.attr is name:
                continue
            node: cst.BaseExpression = name
            while not self.may_be_sdk(node) and isinstance(parent, cst.Attribute) and parent.value is node:
                node, parent = parent, self._parents.get(parent)  # `google` → `google.generativeai`
            if self.may_be_sdk(node):
                found.append(self._outermost_sdk_expression(node))
        return found

    def loads_named(self, names: set[str]) -> list[cst.BaseExpression]:
        """Reads of `name` or `<module>.name` for the given names, outside import statements."""
        found: list[cst.BaseExpression] = []
        for name in self._name_nodes:
            if name.value not in names or any(isinstance(a, (cst.Import, cst.ImportFrom)) for a in self.ancestors(name)):
                continue
            parent = self._parents.get(name)
            found.append(parent if isinstance(parent, cst.Attribute) and parent.attr is name else name)
        return found

    def _outermost_sdk_expression(self, node: cst.BaseExpression) -> cst.BaseExpression:
        parent = self._parents.get(node)
        while isinstance(parent, cst.Attribute) and parent.value is node and self.may_be_sdk(parent):
            node, parent = parent, self._parents.get(parent)
        return node

    def called_sdk_name(self, call: cst.Call) -> str | None:
        return self.sdk_name(call.func)

    def access(self, name: cst.Name) -> Access | None:
        scope = self._scopes.get(name)
        if scope is None:
            return None
        return next((a for a in scope.accesses[name.value] if a.node is name), None)

    def referents(self, name: cst.Name) -> set[BaseAssignment] | None:
        """The bindings a read of `name` may see: those that can reach it (see `reaching`); a
        confined loop (see `codemod.flow`) counts as a variable of its own: reads in its body see
        it alone, reads elsewhere never see it."""
        access = self.access(name)
        if access is None:
            return None
        found = set(access.referents) | self._loop_bindings(name)
        loops = [(a, loop) for a in found if (loop := loop_of(self, a)) is not None and len(found) > 1 and self.confined(loop, a)]
        for assignment, loop in loops:
            if flow_inside(self, name, loop.body):
                return {assignment}
        return reaching(name, found - {assignment for assignment, _ in loops}, self._parents)

    def confined(self, loop: cst.For, assignment: BaseAssignment) -> bool:
        if loop not in self._confined:
            self._confined[loop] = why_not_confined(self, loop, assignment) is None
        return self._confined[loop]

    def _loop_bindings(self, name: cst.Name) -> set[BaseAssignment]:
        """Bindings of `name` later in a loop around the read: LibCST's scopes see only those
        above a read, but the next turn of the loop sees these too."""
        scope = self._scopes.get(name)
        loops = self._loops_around(name)
        if scope is None or not loops:
            return set()
        return {a for a in scope.assignments[name.value] if a.scope is scope and any(id(getattr(a, "node", None)) in self._inside(loop) for loop in loops)}

    def _inside(self, node: cst.CSTNode) -> frozenset[int]:
        """Ids of `node` and everything below it (cached: loops are asked about often)."""
        found = self._inside_cache.get(id(node))
        if found is None:
            found = self._inside_cache[id(node)] = frozenset(id(n) for n in descendants(node))
        return found

    def _loops_around(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        return [a for a in self.ancestors(node) if isinstance(a, (cst.For, cst.While))]

    def reads_of(self, assignment: BaseAssignment) -> list[cst.Name]:
        """The reads that may see `assignment`."""
        reads = {a.node for a in assignment.references if isinstance(a.node, cst.Name)}
        target = getattr(assignment, "node", None)
        loops = self._loops_around(target) if isinstance(target, cst.CSTNode) else []
        if loops:  # the loop's next turn: reads above the binding, inside the loop
            accesses = assignment.scope.accesses[assignment.name]
            reads |= {a.node for a in accesses if isinstance(a.node, cst.Name) and any(id(a.node) in self._inside(loop) for loop in loops)}
        return sorted((r for r in reads if assignment in (self.referents(r) or ())), key=lambda r: (self.position(r).start.line, self.position(r).start.column))

    def bound_once(self, name: str) -> bool:
        """Is the module-level name bound exactly once (no rebinding, no `global` store)?"""
        scope = self._global_scope()
        return scope is not None and len(scope.assignments[name]) == 1

    def _global_scope(self) -> GlobalScope | None:
        for statement in self.module.body:
            scope = self._scopes.get(statement)
            if isinstance(scope, GlobalScope):
                return scope
        return None

    def bound_once_at_module_level(self, name: cst.Name) -> bool:
        """`name` reads a module-level variable bound exactly once (so another module importing
        it sees the value this read sees, once the module has run)."""
        referents = self.referents(name)
        if not referents or len(referents) != 1:
            return False
        [assignment] = referents
        return isinstance(assignment.scope, GlobalScope) and len(assignment.scope.assignments[assignment.name]) == 1

    def assignment_of(self, target: cst.Name) -> BaseAssignment | None:
        scope = self._scopes.get(target)
        if scope is None:
            return None
        holder = self._parents.get(target)
        nodes = (target, holder) if isinstance(holder, cst.Param) else (target,)
        return next((a for a in scope.assignments[target.value] if getattr(a, "node", None) in nodes), None)

    def assigned_value(self, assignment: BaseAssignment) -> cst.BaseExpression | None:
        """`value` for `name = value` / `name: T = value` (one plain target), else None."""
        target = getattr(assignment, "node", None)
        if not isinstance(target, cst.Name):
            return None
        holder = self._parents.get(target)
        if isinstance(holder, cst.AssignTarget):
            assign = self._parents.get(holder)
            if isinstance(assign, cst.Assign) and len(assign.targets) == 1:
                return assign.value
        if isinstance(holder, cst.AnnAssign) and holder.target is target and holder.value is not None:
            return holder.value
        item = self._parents.get(holder) if isinstance(holder, cst.AsName) else None
        if isinstance(item, cst.WithItem) and item.asname is holder and self._enters_itself(item.item):
            return item.item
        return None

    def _enters_itself(self, value: cst.BaseExpression) -> bool:
        """`with <value> as name:` binds `value` itself: a google-genai client (its __enter__
        returns it, as the OpenAI client's does)."""
        return isinstance(value, cst.Call) and self.client_sdk_name(value.func) == "Client"

    def param_of(self, assignment: BaseAssignment) -> cst.Param | None:
        node = getattr(assignment, "node", None)
        return node if isinstance(node, cst.Param) else None

    def values_of_name(self, name: cst.Name) -> list[cst.BaseExpression] | None:
        """Every value `name` may hold here, when each of its bindings is a plain assignment."""
        referents = self.referents(name)
        if not referents:
            return None
        values = [self.assigned_value(r) for r in referents]
        if any(v is None for v in values):
            return None
        return [v for v in values if v is not None]

    def sole_references(self, target: cst.Name) -> list[cst.Name] | None:
        """Reads of the binding made by `target` that can hold nothing else (None when some read
        may also see another binding of the name, such as a second loop reusing it)."""
        assignment = self.assignment_of(target)
        if assignment is None:
            return None
        references = self.reads_of(assignment)
        if any(self.referents(r) != {assignment} for r in references):
            return None
        return references

    def references(self, target: cst.Name) -> list[cst.Name]:
        """Every read of the binding made by `target` (a Name being assigned)."""
        assignment = self.assignment_of(target)
        if assignment is None:
            return []
        return self.reads_of(assignment)

    def import_assignments(self, statement: cst.Import | cst.ImportFrom) -> list[BaseAssignment]:
        """The bindings an import statement makes."""
        scope = self._scopes.get(statement)
        if scope is None:
            return []
        return [a for a in scope.assignments if getattr(a, "node", None) is statement]

    def caught_names(self, handler: cst.ExceptHandler) -> list[str]:
        """Qualified names of the exception classes an `except` clause catches."""
        if handler.type is None:
            return []
        types = [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
        return sorted({name for t in types for name in self.qualified_names(t)})

    def dunder_all(self) -> list[str]:
        """The names a module-level `__all__ = [...]` (or tuple) exports."""
        for statement in self.module.body:
            assign = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            if m.matches(assign, m.Assign(targets=[m.AssignTarget(m.Name("__all__"))], value=m.List() | m.Tuple())):
                elements = assign.value.elements  # type: ignore[union-attr]
                return [str(e.value.evaluated_value) for e in elements if isinstance(e.value, cst.SimpleString)]
        return []

    def binds_otherwise(self, name: str, qualified: str) -> bool:
        """Does any scope bind `name` to something other than an import of `qualified`?"""
        for scope in {id(s): s for s in self._scopes.values() if s is not None}.values():
            for assignment in scope.assignments[name]:
                node = getattr(assignment, "node", None)
                if not isinstance(node, (cst.Import, cst.ImportFrom)):
                    return True
                if qualified not in {q.name for q in assignment.get_qualified_names_for(name)}:
                    return True
        return False

    def loop_targets(self) -> list[cst.Name]:
        """The plain-name targets of the module's for loops."""
        return [n for n in self._name_nodes if isinstance(p := self._parents.get(n), cst.For) and p.target is n]

    def read_names(self) -> frozenset[str]:
        """Every name read or written anywhere, attribute names included (`x.client` → `client`)."""
        if self._read_names is None:
            self._read_names = frozenset(name.value for name in self._name_nodes)
        return self._read_names

    def is_constant(self, expr: cst.BaseExpression) -> bool:
        """Evaluating `expr` again anywhere gives the same value: literals and module-level names
        bound once (or builtins), combined without calls."""
        if self.has_side_effects(expr):
            return False
        for node in _loads(expr):
            if isinstance(node, cst.Attribute):
                return False
            referents = self.referents(node)
            if referents is None:
                return False
            if all(type(r).__name__ == "BuiltinAssignment" for r in referents):
                continue
            if len(referents) != 1 or not self.is_module_level(getattr(next(iter(referents)), "node", node)):
                return False
        return True

    def free_name(self, wanted: str) -> str:
        """`wanted`, or `wanted_2`, `wanted_3`... when the module already binds or reads it."""
        taken = self.bound_names() | self.read_names()
        name, number = wanted, 1
        while name in taken:
            number += 1
            name = f"{wanted}_{number}"
        return name

    def names_in_use(self) -> frozenset[str]:
        """Every name bound or read anywhere (a new name must be none of them)."""
        if self._names_in_use is None:
            self._names_in_use = self.bound_names() | self.read_names()
        return self._names_in_use

    def bound_names(self) -> frozenset[str]:
        """Every name bound anywhere in the module, in any scope."""
        if self._bound_names is None:
            scopes = {id(s): s for s in self._scopes.values() if s is not None}.values()
            self._bound_names = frozenset(a.name for scope in scopes for a in scope.assignments)
        return self._bound_names

    # ----------------------------------------------------------------- self attributes
    def _index_self_attributes(
        self,
    ) -> tuple[dict[tuple[cst.ClassDef, str], list[cst.Attribute]], dict[tuple[cst.ClassDef, str], list[cst.Attribute]]]:
        stores: dict[tuple[cst.ClassDef, str], list[cst.Attribute]] = defaultdict(list)
        loads: dict[tuple[cst.ClassDef, str], list[cst.Attribute]] = defaultdict(list)
        for function in self._functions:
            cls = self._parents.get(self._parents.get(function))
            if not isinstance(cls, cst.ClassDef) or not function.params.params:
                continue
            self_name = function.params.params[0].name.value
            for attribute in _self_attributes(function, self_name):
                key = (cls, attribute.attr.value)
                if self._is_store(attribute):
                    stores[key].append(attribute)
                else:
                    loads[key].append(attribute)
        return stores, loads

    def is_store(self, node: cst.CSTNode) -> bool:
        """Is `node` written (assigned, augmented, deleted) rather than read?"""
        return self._is_store(node)

    def _is_store(self, node: cst.CSTNode) -> bool:
        parent = self._parents.get(node)
        if isinstance(parent, cst.AssignTarget):
            return True
        if isinstance(parent, (cst.AnnAssign, cst.AugAssign)) and parent.target is node:
            return True
        return isinstance(parent, cst.Del)

    def self_attribute_key(self, node: cst.CSTNode) -> tuple[cst.ClassDef, str] | None:
        """(class, attr) for `self.attr` inside a method of that class, else None."""
        if not (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)):
            return None
        function = self.enclosing_function(node)
        cls = self.enclosing_class(node)
        if function is None or cls is None or not function.params.params:
            return None
        if function.params.params[0].name.value != node.value.value:
            return None
        return (cls, node.attr.value)

    def state_path(self, node: cst.CSTNode) -> str | None:
        """`st.session_state.chat` → its dotted path, when the chain starts at a name that only
        imports bind: state kept on a module (Streamlit's session state, a config module)."""
        if not isinstance(node, cst.Attribute):
            return None
        root: cst.BaseExpression = node
        while isinstance(root, cst.Attribute):
            root = root.value
        if not isinstance(root, cst.Name) or root.value in self.run_modules:
            return None
        referents = self.referents(root)
        if not referents or not all(isinstance(getattr(r, "node", None), (cst.Import, cst.ImportFrom)) for r in referents):
            return None
        return dotted_name(node)

    def _paths(self) -> dict[str, list[cst.Attribute]]:
        if self._state_paths is None:
            self._state_paths = defaultdict(list)
            for attribute in self._attributes:
                if isinstance(attribute.value, cst.Attribute) or isinstance(attribute.value, cst.Name):
                    self._state_paths[dotted_name(attribute)].append(attribute)
        return self._state_paths

    def state_values(self, path: str) -> list[cst.BaseExpression] | None:
        """What `path` may hold: the values of its plain assignments; None if it is also written
        some other way (`+=`, `del`, `setattr`, or the `state["key"]` spelling)."""
        values = []
        for attribute in self._paths().get(path, []):
            if self.state_path(attribute) != path:
                continue
            holder = self._parents.get(attribute)
            if isinstance(holder, cst.AssignTarget):
                assign = self._parents.get(holder)
                if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
                    return None
                values.append(assign.value)
            elif self._is_store(attribute):
                return None
        if self._keyed_spelling(path):
            return None
        return values

    def state_loads(self, path: str) -> list[cst.Attribute]:
        return [a for a in self._paths().get(path, []) if not self._is_store(a) and self.state_path(a) == path]

    def _keyed_spelling(self, path: str) -> bool:
        """Is `owner["name"]` (Streamlit's other spelling of `owner.name`) used for this path?"""
        owner, _, name = path.rpartition(".")
        for attribute in self._paths().get(owner, []):
            subscript = self._parents.get(attribute)
            if isinstance(subscript, cst.Subscript) and subscript.value is attribute:
                keys = [e.slice.value for e in subscript.slice if isinstance(e.slice, cst.Index)]
                if any(isinstance(k, cst.SimpleString) and k.evaluated_value == name for k in keys):
                    return True
        return False

    def reads_attribute(self, names: frozenset[str]) -> bool:
        """Does the module read `x.<name>` for one of `names` anywhere?"""
        return any(self._attribute_counts.get(name, 0) for name in names)

    def read_only_as(self, name: cst.Name, keyword: str, takes: Callable[[cst.Call], bool] = lambda call: True) -> bool:
        """Is every read of the variable `name` the `keyword=` argument of a call that `takes`
        accepts? Then nothing else sees its value, or changes it."""
        for referent in self.referents(name) or ():
            for access in referent.references:
                arg = self._parents.get(access.node)
                call = self._parents.get(arg) if arg is not None else None
                if not (isinstance(arg, cst.Arg) and arg.keyword is not None and arg.keyword.value == keyword):
                    return False
                if not (isinstance(call, cst.Call) and takes(call)):
                    return False
        return True

    def self_attribute_is_private(self, key: tuple[cst.ClassDef, str]) -> bool:
        """`self.<attr>` is only touched by the class's own methods, and no class here inherits it."""
        cls, name = key
        if cls.name.value in self._base_names:
            return False
        own = len(self._self_stores.get(key, ())) + len(self._self_loads.get(key, ()))
        return self._attribute_counts.get(name, 0) == own

    def self_attribute_values(self, node: cst.Attribute) -> list[cst.BaseExpression] | None:
        """Values assigned to `self.attr` anywhere in the class, if all are plain assignments."""
        key = self.self_attribute_key(node)
        if key is None or key not in self._self_stores or not self.self_attribute_is_private(key):
            return None
        values = []
        for store in self._self_stores[key]:
            target_holder = self._parents.get(store)
            if isinstance(target_holder, cst.AnnAssign) and target_holder.value is not None:
                values.append(target_holder.value)  # `self.x: T = value`
                continue
            assign = self._parents.get(target_holder) if isinstance(target_holder, cst.AssignTarget) else None
            if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
                return None
            values.append(assign.value)
        return values

    def self_attribute_loads(self, key: tuple[cst.ClassDef, str]) -> list[cst.Attribute]:
        return list(self._self_loads.get(key, ()))

    # ----------------------------------------------------------------- functions
    def function_named(self, call: cst.Call) -> cst.FunctionDef | None:
        """The FunctionDef of this module a call invokes (`f(...)` or `self.f(...)`), when its
        call gives what its body returns (no decorator that may wrap it)."""
        function = self._function_named(call)
        return function if function is None or plain_function(function) else None

    def _function_named(self, call: cst.Call) -> cst.FunctionDef | None:
        func = call.func
        if isinstance(func, cst.Name):
            referents = self.referents(func) or set()
            nodes = [getattr(r, "node", None) for r in referents]
            if len(nodes) == 1 and isinstance(nodes[0], cst.FunctionDef):
                return nodes[0]
            return None
        key = self.self_attribute_key(func)
        if key is not None:
            cls, name = key
            for statement in cls.body.body:
                if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
                    return statement
        return None

    def constructor_of(self, call: cst.Call) -> cst.FunctionDef | None:
        """The `__init__` of a class of this module that `call` instantiates (`Bot(model)`), when
        no class here inherits from it (a subclass's instances would run other code)."""
        cls = self.instantiated_class(call)
        return None if cls is None else self._init_of(cls)

    def instantiated_class(self, call: cst.Call) -> cst.ClassDef | None:
        """The class of this module `call` instantiates, when no class here inherits from it."""
        func = call.func
        if not isinstance(func, cst.Name):
            return None
        nodes = [getattr(r, "node", None) for r in self.referents(func) or set()]
        if len(nodes) != 1 or not isinstance(nodes[0], cst.ClassDef) or nodes[0].name.value in self._base_names:
            return None
        return nodes[0]

    @staticmethod
    def _init_of(cls: cst.ClassDef) -> cst.FunctionDef | None:
        found = [s for s in cls.body.body if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"]
        return found[0] if len(found) == 1 and not found[0].decorators else None

    def return_values(self, function: cst.FunctionDef) -> list[cst.BaseExpression | None]:
        return [r.value for r in self._returns.get(function, [])]

    def call_sites(self, function: cst.FunctionDef, *, here_only: bool = False) -> list[cst.Call] | None:
        """Every call of `function` in this module; None when it is also used any other way
        (or, unless `here_only`, may be called from another module, or through a decorator)."""
        if not plain_function(function):
            return None
        sites: list[cst.Call] = []
        for reference in self._function_references(function, here_only):
            call = self._parents.get(reference)
            if not (isinstance(call, cst.Call) and call.func is reference):
                return None
            sites.append(call)
        return sites

    def _function_references(self, function: cst.FunctionDef, here_only: bool = False) -> list[cst.CSTNode]:
        if self.is_method(function) and function.name.value == "__init__":
            return self._class_references(function)
        if self.is_method(function):
            cls = self._parents[self._parents[function]]
            assert isinstance(cls, cst.ClassDef)
            return list(self._self_loads.get((cls, function.name.value), [])) + self._instance_reads(cls, function)
        scope = self._scopes.get(function)
        if scope is None:
            return []
        if self.has_importers and not here_only and self.is_module_level(function) and not function.name.value.startswith("_"):
            return [function]  # other modules may call it: not a call, so call_sites gives up
        for assignment in scope.assignments[function.name.value]:
            if isinstance(assignment, Assignment) and assignment.node is function:
                return [access.node for access in assignment.references]
        return []

    def _instance_reads(self, cls: cst.ClassDef, method: cst.FunctionDef) -> list[cst.CSTNode]:
        """`bot.ask` outside the class, for instances `bot = Bot(...)` of a class nothing here
        inherits from. Any other `.ask` whose object may be an instance of it (or whose object
        cannot be followed) makes the method's callers unknown: the class itself is returned,
        which is no call."""
        name = method.name.value
        if (name.startswith("__") and name.endswith("__")) or not self._instances_in_view(cls):
            return [cls]  # called implicitly, or by code that holds an instance out of sight
        found: list[cst.CSTNode] = []
        for attribute in self._attributes:
            if attribute.attr.value != name or self.enclosing_class(attribute) is cls and self.self_attribute_key(attribute) is not None:
                continue
            if self._is_store(attribute):
                return [cls]
            sources = self.sources(attribute.value)
            if sources is None or cls.name.value in self._base_names:
                return [cls]
            mine = [isinstance(v, cst.Call) and self.instantiated_class(v) is cls for v in sources]
            if any(mine) and not all(mine):
                return [cls]
            if all(mine) and sources:
                found.append(attribute)
        return found

    def _instances_in_view(self, cls: cst.ClassDef) -> bool:
        """Is every instance of the class used here only by reading its attributes? Not when it
        may be made or handed on elsewhere: a base class (a framework calls its methods), another
        module (the module has importers), `self` or an instance passed on or stored."""
        if cls in self._in_view:
            return self._in_view[cls]
        self._in_view[cls] = False  # while it is worked out (a recursive question says no)
        self._in_view[cls] = self._all_instances_in_view(cls)
        return self._in_view[cls]

    def _all_instances_in_view(self, cls: cst.ClassDef) -> bool:
        if cls.name.value in self._base_names or any(dotted_name(b.value) != "object" for b in cls.bases) or cls.keywords:
            return False
        if self.has_importers and self.is_module_level(cls) and not cls.name.value.startswith("_"):
            return False
        for function in (f for f in cls.body.body if isinstance(f, cst.FunctionDef)):
            if function.params.params and not function.decorators:
                assignment = self.assignment_of(function.params.params[0].name)
                for read in self.reads_of(assignment) if assignment is not None else []:
                    parent = self._parents.get(read)
                    if not (isinstance(parent, cst.Attribute) and parent.value is read):
                        return False  # `self` handed on
        for reference in self._class_references_of(cls):
            call = self._parents.get(reference)
            if not (isinstance(call, cst.Call) and call.func is reference):
                return False
            for use in self.uses(call):
                if use.kind not in ("attribute", "discard") and not (use.kind == "export" and not self.has_importers):
                    return False
        return True

    def _class_references_of(self, cls: cst.ClassDef) -> list[cst.CSTNode]:
        scope = self._scopes.get(cls)
        for assignment in scope.assignments[cls.name.value] if scope is not None else ():
            if isinstance(assignment, Assignment) and assignment.node is cls:
                return [access.node for access in assignment.references]
        return [cls]

    def _class_references(self, init: cst.FunctionDef) -> list[cst.CSTNode]:
        """Reads of the class whose `__init__` this is (its instantiations, if only called);
        a `None` entry stands for a read that cannot be a call of it (a subclass, `super()`)."""
        cls = self._parents[self._parents[init]]
        assert isinstance(cls, cst.ClassDef)
        if cls.name.value in self._base_names or (self.has_importers and self.is_module_level(cls) and not cls.name.value.startswith("_")):
            return [cls]  # not a call: call_sites gives up
        return self._class_references_of(cls)

    def is_method(self, function: cst.FunctionDef) -> bool:
        return isinstance(self._parents.get(self._parents.get(function)), cst.ClassDef)

    def explicit_params(self, function: cst.FunctionDef) -> list[cst.Param]:
        """Positional parameters a caller fills (without `self` for methods)."""
        params = [*function.params.posonly_params, *function.params.params]
        return params[1:] if self.is_method(function) else params

    def argument_for(self, call: cst.Call, param: cst.Param, function: cst.FunctionDef) -> cst.BaseExpression | None:
        """The expression a call passes for `param` (or its default); None for `*` forms or nothing."""
        if any(arg.star for arg in call.args):
            return None
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == param.name.value and param not in function.params.posonly_params:
                return arg.value
        positional = [arg for arg in call.args if arg.keyword is None]
        params = self.explicit_params(function)
        if param in params and params.index(param) < len(positional):
            return positional[params.index(param)].value
        return param.default

    def param_for(self, function: cst.FunctionDef, call: cst.Call, arg: cst.Arg) -> cst.Param | None:
        """The parameter of `function` that `arg` of `call` fills."""
        if arg.star:
            return None
        if arg.keyword is not None:
            candidates = [*function.params.params, *function.params.kwonly_params]
            candidates = candidates[1:] if self.is_method(function) and not function.params.posonly_params else candidates
            return next((p for p in candidates if p.name.value == arg.keyword.value), None)
        positional = [a for a in call.args if a.keyword is None]
        params = self.explicit_params(function)
        index = positional.index(arg)
        return params[index] if index < len(params) else None

    # ----------------------------------------------------------------- following objects
    def sources(self, expr: cst.BaseExpression, _seen: set[int] | None = None) -> list[cst.BaseExpression] | None:
        """The expressions `expr` may evaluate to, followed back through names, `self.x`,
        parameters and returns. None when some source cannot be followed."""
        seen = _seen if _seen is not None else set()
        if id(expr) in seen:
            return []
        seen.add(id(expr))
        if expr in self.foreign:
            return [self.foreign[expr]]
        if isinstance(expr, cst.Name):
            return self._name_sources(expr, seen)
        if isinstance(expr, cst.Attribute) and self.self_attribute_key(expr) is not None:
            values = self.self_attribute_values(expr)
            return None if values is None else self._flatten([self.sources(v, seen) for v in values])
        path = self.state_path(expr)
        if path is not None:
            values = self.state_values(path)
            return None if not values else self._flatten([self.sources(v, seen) for v in values])
        if isinstance(expr, cst.Await):
            return self.sources(expr.expression, seen)
        if isinstance(expr, cst.Subscript) and (held := containers.values_read(self, expr)) is not None:
            return self._flatten([self.sources(v, seen) for v in held])
        if isinstance(expr, cst.Call) and (passed := awaitables.passed_value(self, expr)) is not None:
            return self.sources(passed, seen)
        if isinstance(expr, cst.Call):
            function = self.function_named(expr)
            if function is not None:
                values = self.return_values(function)
                if not values or any(v is None for v in values):
                    return None
                return self._flatten([self.sources(v, seen) for v in values if v is not None])
        return [expr]

    def _name_sources(self, name: cst.Name, seen: set[int]) -> list[cst.BaseExpression] | None:
        referents = self.referents(name)
        if not referents:
            return None
        found: list[list[cst.BaseExpression] | None] = []
        for referent in referents:
            value = self.assigned_value(referent)
            if value is not None:
                found.append(self.sources(value, seen))
                continue
            target = getattr(referent, "node", None)
            awaited = awaitables.value_sources(self, target) if isinstance(target, cst.Name) else None
            if awaited is not None:
                found.append(self._flatten([self.sources(v, seen) for v in awaited]))
                continue
            param = self.param_of(referent)
            if param is None:
                return None
            found.append(self._param_sources(param, seen))
        return self._flatten(found)

    def _param_sources(self, param: cst.Param, seen: set[int]) -> list[cst.BaseExpression] | None:
        function = self.enclosing_function(param)
        if function is None:
            return None
        sites = self.call_sites(function)
        if not sites:
            return None
        found = []
        for call in sites:
            argument = self.argument_for(call, param, function)
            if argument is None:
                return None
            found.append(self.sources(argument, seen))
        return self._flatten(found)

    @staticmethod
    def _flatten(groups: list[list[cst.BaseExpression] | None]) -> list[cst.BaseExpression] | None:
        if any(g is None for g in groups):
            return None
        return [item for g in groups if g is not None for item in g]

    def uses(self, origin: cst.BaseExpression) -> list[Use]:
        """Every place the object made by `origin` goes, followed forward."""
        found: list[Use] = []
        self._follow(origin, found, set())
        return found

    def uses_of_reads(self, reads: list[cst.BaseExpression]) -> list[Use]:
        """Every place an object read at `reads` goes (an object another module made)."""
        found: list[Use] = []
        seen: set[int] = set()
        for read in reads:
            self._follow(read, found, seen)
        return found

    def _follow(self, expr: cst.BaseExpression, found: list[Use], seen: set[int]) -> None:
        if id(expr) in seen:
            return
        seen.add(id(expr))
        parent = self._parents.get(expr)
        if isinstance(parent, cst.Await):
            self._follow(parent, found, seen)  # `await coroutine` is the value the coroutine makes
        elif isinstance(parent, cst.Attribute) and parent.value is expr:
            found.append(Use(expr, "attribute", parent))
        elif isinstance(parent, cst.For) and parent.iter is expr:
            found.append(Use(expr, "iterate", parent))
        elif isinstance(parent, cst.Expr):
            found.append(Use(expr, "discard", parent))
        elif isinstance(parent, cst.WithItem) and parent.item is expr and parent.asname is not None and isinstance(parent.asname.name, cst.Name):
            self._follow_reads(parent.asname.name, found, seen)  # `with X(...) as x:` (its __enter__ returns it)
        elif isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is expr:
            self._follow_assignment(expr, parent, found, seen)
        elif isinstance(parent, cst.Return):
            self._follow_return(expr, parent, found, seen)
        elif isinstance(parent, cst.Arg) and self.checks_sdk_class(parent):
            found.append(Use(expr, "discard", parent, "isinstance"))  # the class is rewritten along with it
        elif isinstance(parent, cst.Arg) and (wrapper := awaitables.passed_on(self, parent)) is not None:
            self._follow(wrapper, found, seen)  # `await wait_for(coroutine)` is its value too
        elif isinstance(parent, cst.Arg) and (target := awaitables.gathered_target(self, parent)) is not None:
            self._follow_reads(target, found, seen)
        elif isinstance(parent, cst.Element) and (target := awaitables.completed_target(self, parent)) is not None:
            self._follow_reads(target, found, seen)
        elif isinstance(parent, cst.Arg) and isinstance(self._parents.get(parent), cst.Call):
            self._follow_argument(expr, parent, found, seen)
        elif isinstance(parent, (cst.DictElement, cst.Element)) and (reads := containers.reads_of_value(self, expr)) is not None:
            for read in reads:
                self._follow(read, found, seen)
        else:
            found.append(Use(expr, "escape", parent, "used in a way genai2openai does not follow"))

    def _follow_reads(self, target: cst.Name, found: list[Use], seen: set[int]) -> None:
        """Every read of the binding `target` makes (it holds only what is followed)."""
        for reference in self.references(target):
            if self.sources(reference) is None:
                found.append(Use(reference, "escape", self._parents.get(reference), f"read through `{target.value}`, which may also hold something else"))
            else:
                self._follow(reference, found, seen)

    def _follow_assignment(self, expr: cst.BaseExpression, assign: cst.Assign | cst.AnnAssign, found: list[Use], seen: set[int]) -> None:
        if isinstance(assign, cst.Assign) and len(assign.targets) != 1:
            found.append(Use(expr, "escape", assign, "assigned to several targets"))
            return
        target = assign.target if isinstance(assign, cst.AnnAssign) else assign.targets[0].target
        if isinstance(target, cst.Name) and isinstance(self._parents.get(self._parents.get(self.statement_of(assign))), cst.ClassDef):
            found.append(Use(expr, "escape", assign, f"kept in the class attribute `{target.value}`, which genai2openai does not follow: set `self.{target.value}` in `__init__` instead"))
            return
        if isinstance(target, cst.Name):
            for reference in self.references(target):
                if self.sources(reference) is None:
                    found.append(Use(reference, "escape", self._parents.get(reference), f"read through `{target.value}`, which may also hold something else"))
                else:
                    self._follow(reference, found, seen)
            if self.is_module_level(assign):
                found.append(Use(expr, "export", assign, target.value))
            return
        key = self.self_attribute_key(target)
        if key is not None and not self.self_attribute_is_private(key):
            found.append(Use(expr, "escape", assign, f"kept in self.{key[1]}, which is also used outside {key[0].name.value}'s own methods (or the class is subclassed)"))
            return
        if key is not None:
            for load in self.self_attribute_loads(key):
                self._follow(load, found, seen)
            return
        path = self.state_path(target)
        if path is not None and self.state_values(path) is not None:
            for load in self.state_loads(path):
                self._follow(load, found, seen)
            return
        found.append(Use(expr, "escape", assign, "assigned to something genai2openai does not follow"))

    def _follow_return(self, expr: cst.BaseExpression, ret: cst.Return, found: list[Use], seen: set[int]) -> None:
        function = self.enclosing_function(ret)
        sites = None if function is None else self.call_sites(function, here_only=True)
        if not sites:
            found.append(Use(expr, "escape", ret, "returned to callers outside this module"))
            return
        for call in sites:
            self._follow(call, found, seen)
        if function is not None and self.is_module_level(function) and not function.name.value.startswith("_"):
            found.append(Use(expr, "export", ret, function.name.value))  # other modules may call it

    def _follow_argument(self, expr: cst.BaseExpression, arg: cst.Arg, found: list[Use], seen: set[int]) -> None:
        call = self._parents[arg]
        assert isinstance(call, cst.Call)
        function = self.function_named(call) or self.constructor_of(call)
        param = None if function is None else self.param_for(function, call, arg)
        assignment = None if param is None else self.assignment_of(param.name)
        if function is None or assignment is None:
            callee = dotted_name(call.func) or "a call"
            builtin = any(n.startswith("builtins.") for n in self.qualified_names(call.func))
            hint = "" if builtin else " (another library's genai integration? use its OpenAI one)"
            found.append(Use(expr, "escape", call, f"passed to {callee}(), which genai2openai does not follow{hint}"))
            return
        for read in self.reads_of(assignment):
            self._follow(read, found, seen)

    # ----------------------------------------------------------------- values
    def is_text(self, expr: cst.BaseExpression, _depth: int = 0) -> bool:
        """True when `expr` is provably a `str`."""
        if _depth > 8:
            return False
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            return _string_prefix(expr).find("b") < 0
        if isinstance(expr, cst.FormattedString):
            return True
        if isinstance(expr, cst.IfExp):
            return self.is_text(expr.body, _depth + 1) and self.is_text(expr.orelse, _depth + 1)
        if isinstance(expr, cst.BinaryOperation):
            if isinstance(expr.operator, cst.Add):
                return self.is_text(expr.left, _depth + 1) or self.is_text(expr.right, _depth + 1)
            if isinstance(expr.operator, cst.Modulo):
                return self.is_text(expr.left, _depth + 1)
            return False
        if isinstance(expr, cst.Call):
            return self._call_returns_text(expr, _depth)
        if isinstance(expr, cst.Name):
            return self._name_is_text(expr, _depth)
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
            return self.qualified_names(expr.value) == {"sys.argv"}  # an element of sys.argv
        return False

    def _call_returns_text(self, call: cst.Call, depth: int) -> bool:
        func = call.func
        if isinstance(func, cst.Name) and func.value in {"str", "input", "repr"}:
            return "builtins." + func.value in self.qualified_names(func)
        if isinstance(func, cst.Attribute) and func.attr.value in _STR_METHODS:
            return self.is_text(func.value, depth + 1)
        return False

    def _name_is_text(self, name: cst.Name, depth: int) -> bool:
        referents = self.referents(name)
        if not referents:
            return False
        for referent in referents:
            value = self.assigned_value(referent)
            if value is not None:
                if not self.is_text(value, depth + 1):
                    return False
                continue
            if self._loops_over_text(referent, depth):
                continue
            param = self.param_of(referent)
            if param is None:
                return False
            if not _annotated_str(param.annotation) and not self._param_is_text(param, depth):
                return False
        return True

    def _loops_over_text(self, assignment: BaseAssignment, depth: int) -> bool:
        """`for name in ["a", "b"]:` binds text."""
        target = getattr(assignment, "node", None)
        loop = self._parents.get(target) if target is not None else None
        if not (isinstance(loop, cst.For) and loop.target is target and isinstance(loop.iter, (cst.List, cst.Tuple))):
            return False
        elements = loop.iter.elements
        return bool(elements) and all(isinstance(e, cst.Element) and self.is_text(e.value, depth + 1) for e in elements)

    def _param_is_text(self, param: cst.Param, depth: int) -> bool:
        """Every caller in this module passes text for `param`."""
        arguments = self._param_sources(param, set())
        return bool(arguments) and all(self.is_text(a, depth + 1) for a in arguments)  # type: ignore[union-attr]

    def is_portable(self, expr: cst.BaseExpression, source: cst.CSTNode, target: cst.CSTNode) -> bool:
        """Can `expr`, evaluated once at `source`, be evaluated again at `target` with the same value?

        True for literals and f-strings of such, names with a single binding that both places see,
        and `self.x` in methods of one class when only `__init__` sets it. Never for calls:
        `input()` or `datetime.now()` would run again at every request.
        """
        if self.has_side_effects(expr):
            return False
        for node in _loads(expr):
            if isinstance(node, cst.Attribute):
                if not self._same_self_attribute(node, target):
                    return False
                continue
            referents = self.referents(node)
            if referents is None:
                return False
            if any(type(r).__name__ == "BuiltinAssignment" for r in referents):
                continue
            target_scope = self._scopes.get(target)
            if len(referents) != 1 or target_scope is None or set(target_scope[node.value]) != referents:
                return False
        return True

    def _same_self_attribute(self, node: cst.Attribute, target: cst.CSTNode) -> bool:
        """`self.x` means the same at `target`: a method of the same class, `x` set only in `__init__`."""
        key = self.self_attribute_key(node)
        target_function = self.enclosing_function(target)
        if key is None or self.enclosing_class(target) is not key[0] or target_function is None:
            return False
        if target_function.params.params[0].name.value != node.value.value:  # type: ignore[attr-defined]
            return False
        stores = self._self_stores.get(key, [])
        return all(getattr(self.enclosing_function(store), "name", None) and self.enclosing_function(store).name.value == "__init__" for store in stores)  # type: ignore[union-attr]

    def has_side_effects(self, expr: cst.BaseExpression) -> bool:
        """Conservative: any call, await, yield, lambda or walrus counts."""
        return any(
            isinstance(n, (cst.Call, cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda))
            for n in descendants(expr)
        ) and not self._only_sdk_type_calls(expr)

    def _only_sdk_type_calls(self, expr: cst.BaseExpression) -> bool:
        calls = [n for n in descendants(expr) if isinstance(n, cst.Call)]
        others = [n for n in descendants(expr) if isinstance(n, (cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda))]
        return not others and all(self.called_sdk_name(c) is not None or self._is_proto_message(c) or self._is_client_sdk_type(c) for c in calls)

    def _is_client_sdk_type(self, call: cst.Call) -> bool:
        """A google-genai type built from values (`types.Part.from_text(text=...)`): no side effects."""
        name = self.client_sdk_name(call.func)
        return name is not None and name.startswith("types.")

    def _is_proto_message(self, call: cst.Call) -> bool:
        """`content.Schema(...)`, `glm.Tool(...)`: a google.ai.generativelanguage message, plain data."""
        return any(q.startswith(PROTO_PACKAGE) for q in self.qualified_names(call.func))


_STR_METHODS = frozenset(
    {"format", "strip", "lstrip", "rstrip", "lower", "upper", "title", "replace", "join", "capitalize", "casefold"}
)


# Decorators that leave a function's arguments and result as they are.
PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})


def plain_function(function: cst.FunctionDef) -> bool:
    """Is a call of the function a call of its body (no decorator that may wrap it)?"""
    return all(isinstance(d.decorator, cst.Name) and d.decorator.value in PLAIN_DECORATORS for d in function.decorators)


def top_level_imports(module: cst.Module) -> set[tuple[str, str | None]]:
    """What the module imports at its top level without aliases: `("os", None)` for `import os`,
    `("openai", "OpenAI")` for `from openai import OpenAI`."""
    found: set[tuple[str, str | None]] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                found.update((dotted_name(a.name), None) for a in small.names if a.asname is None)
            elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar) and not small.relative:
                found.update((dotted_name(small.module), dotted_name(a.name)) for a in small.names if a.asname is None)  # type: ignore[arg-type]
    return found


def is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )


def is_docstring(statement: cst.CSTNode) -> bool:
    return m.matches(statement, m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString() | m.ConcatenatedString())]))


def _fold(rest: str) -> str:
    """`types.GenerationConfig` → `GenerationConfig`: one spelling whatever the import path."""
    for prefix in _SDK_SUBMODULES:
        if rest.startswith(prefix) and rest != prefix.rstrip("."):
            return rest[len(prefix) :]
    return rest


def _string_prefix(expr: cst.BaseExpression) -> str:
    if isinstance(expr, cst.SimpleString):
        return expr.prefix.lower()
    if isinstance(expr, cst.ConcatenatedString):
        return _string_prefix(expr.left)
    return ""


def _annotated_str(annotation: cst.Annotation | None) -> bool:
    return annotation is not None and isinstance(annotation.annotation, cst.Name) and annotation.annotation.value == "str"


def _loads(expr: cst.BaseExpression) -> Iterator[cst.Name | cst.Attribute]:
    """Names read by `expr` (and `self.x` attributes as a whole), skipping attribute names and keywords."""
    stack: list[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            yield node
        elif isinstance(node, cst.Attribute):
            if isinstance(node.value, cst.Name) and node.value.value == "self":
                yield node
            else:
                stack.append(node.value)
        elif isinstance(node, cst.Arg):
            stack.append(node.value)
        elif isinstance(node, (cst.Lambda, cst.BaseComp)):
            yield cst.Name("<closure>")  # never portable: inner scopes
        else:
            stack.extend(children_of(node))


def _self_attributes(function: cst.FunctionDef, self_name: str) -> Iterator[cst.Attribute]:
    for node in descendants(function.body):
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == self_name:
            yield node


