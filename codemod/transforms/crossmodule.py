"""What other modules of the run export, used here.

- `llm.py` builds `model = genai.GenerativeModel("x", system_instruction=...)`; `app.py` does
  `from llm import model` (or `import llm` and `llm.model`, `from . import llm`, a package's
  re-export) and calls `model.generate_content(q)`. `llm.py`'s migration makes `model` the model
  id, so `app.py`'s calls change with it: they become `client.chat.completions.create(...)`
  calls that carry the model's settings (literals as written, other values through names
  imported from `llm`). When a use here cannot change (an unsupported call, a module object
  handed to `getattr`, settings only `llm.py`'s run can compute), `app.py` says so
  (`Plan.followed`) and the run keeps the model on genai in `llm.py` instead: nothing of it
  changes anywhere, and both ends are marked.
- `config.py` calls `genai.configure(api_key=settings.key)` and `app.py`, which imports `config`,
  only builds models: genai used that key everywhere, so `app.py` takes `config`'s new client
  instead of making one from the environment.
"""

from __future__ import annotations

import dataclasses
import os

import libcst as cst

from codemod.analysis import dotted_name
from codemod.ftypes import Export, Followed, Kind, RepoIndex, Severity
from codemod.transforms.config import ConfigItem
from codemod.transforms.generate import MODEL_EXPORT, ModelFacts, ModelMigration
from codemod.transforms.google_genai import CLIENT_EXPORT, CLIENT_EXPORT_ASYNC, ClientMigration
from codemod.transforms.google_genai.responses import client_sdk_read
from codemod.transforms.plan import Plan
from codemod.walk import descendants

NOT_FOLLOWED = "genai2openai follows models, their factories and their (not streamed) responses across modules; this object is none of them (a chat, a stream, a config)"


@dataclasses.dataclass(frozen=True)
class _Object:
    """A name bound here to an object another module exports (or keeps on genai)."""

    path: str  # the module it is read from
    name: str  # its name there
    statement: cst.ImportFrom | None = None  # `from M import name` (None: read as `module.name`)


@dataclasses.dataclass(frozen=True)
class _Module:
    """A name bound here to a module that exports objects: `import llm`, `from . import llm`."""

    path: str
    dotted: str  # the module as the reads spell it: `llm`, `app.llm`


@dataclasses.dataclass
class _Reads:
    target: _Object
    reads: list[cst.BaseExpression] = dataclasses.field(default_factory=list)
    blocked: list[tuple[cst.CSTNode, str]] = dataclasses.field(default_factory=list)


def follow_imported(plan: Plan, index: RepoIndex) -> None:
    """Migrate, or mark, every use here of an object another module of the run exports."""
    if index.modules is None:
        return
    bindings = _bindings(plan, index)
    _remember_imports(plan, bindings)
    if not plan.analysis.sdk_imports:
        _client_through_module(plan, index)
    followable = []
    for entry in _imported_reads(plan, index, bindings).values():
        export = index.exports.get(entry.target.path, {}).get(entry.target.name)
        groups = _plan_entry(plan, index, entry, export)
        if groups and export is not None:
            followable.append((groups, entry, export))
    if not followable:
        return
    for groups, _, _ in followable:
        for facts, reads in groups:
            for read in reads:
                plan.analysis.foreign[read] = facts.construction
    outcome = ModelMigration(plan).run_imported([group for groups, _, _ in followable for group in groups])
    for groups, entry, export in followable:
        reasons = sorted(r for facts, _ in groups if (r := outcome[facts.construction]) is not None)
        if reasons:
            _refuse(plan, entry, export, reasons[0], marked=True)
        else:
            _followed(plan, entry, export, None)


def _remember_imports(plan: Plan, bindings: dict[tuple[cst.CSTNode, str], _Object | _Module]) -> None:
    """How this module reaches the modules that export: for sharing their client."""
    for (statement, _), target in bindings.items():
        if isinstance(target, _Module):
            plan.module_reads.setdefault(target.path, target.dotted)
        elif isinstance(statement, cst.ImportFrom) and plan.analysis.is_module_level(statement):
            plan.from_imports.setdefault(target.path, statement)


def _plan_entry(plan: Plan, index: RepoIndex, entry: _Reads, export: Export | None) -> list[tuple[ModelFacts, list[cst.BaseExpression]]]:
    """The facts to migrate one imported object's reads with; empty when they are not migrated
    (kept by its module, refused here, or not read)."""
    target = entry.target
    kept = index.kept.get(target.path, {}).get(target.name)
    if kept is not None or export is None:
        if kept is not None:
            _mark_kept_here(plan, entry, kept)
        return []
    if target.statement is not None and plan.analysis.is_module_level(target.statement):
        _reexport(plan, target, export)
    if not entry.reads and not entry.blocked:
        return []
    if export.response is not None:
        _follow_response(plan, entry, export)
        return []
    if export.what in (CLIENT_EXPORT, CLIENT_EXPORT_ASYNC):
        _follow_client(plan, entry, export)
        return []
    if export.model is not None and export.model.returned:
        _calls_instead(plan, entry)
    reason = _why_not_followable(plan, entry, export)
    groups = _fact_groups(plan, entry, export) if reason is None else reason
    if isinstance(groups, str):
        _refuse(plan, entry, export, groups)
        return []
    return groups


def _imported_reads(plan: Plan, index: RepoIndex, bindings: dict[tuple[cst.CSTNode, str], _Object | _Module]) -> dict[tuple[str, str], _Reads]:
    """Every read here of an object another module exports or keeps, by (path, name)."""
    found: dict[tuple[str, str], _Reads] = {}

    def entry(target: _Object) -> _Reads:
        return found.setdefault((target.path, target.name), _Reads(target))

    for target in dict.fromkeys(t for t in bindings.values() if isinstance(t, _Object)):
        entry(target)  # re-exported even when not read here
    analysis = plan.analysis
    for call, path in _dynamic_imports(plan, index):
        _block_module(plan, index, _Module(path, ""), call, found, "it imports that module dynamically, which genai2openai cannot follow")
    for node in analysis.loads_named({bound for _, bound in bindings}):
        if not isinstance(node, cst.Name) or analysis.access(node) is None:
            continue  # (an attribute's name: `x.model`)
        referents = analysis.referents(node) or set()
        targets = {bindings.get((getattr(r, "node", None), r.name)) for r in referents}
        if not targets or targets == {None}:
            continue
        if len(targets) != 1 or None in targets:
            for target in targets - {None}:
                if isinstance(target, _Object):
                    entry(target).blocked.append((node, f"`{node.value}` may also hold something else there"))
                else:
                    _block_module(plan, index, target, node, found, f"`{node.value}` may also be something else there")
            continue
        [target] = targets
        if isinstance(target, _Object):
            entry(target).reads.append(node)
        else:
            _module_read(plan, index, target, node, found)
    return found


def _module_read(plan: Plan, index: RepoIndex, module: _Module, node: cst.Name, found: dict[tuple[str, str], _Reads]) -> None:
    """`llm.model` (or `app.llm.model` for `import app.llm`): a read of the object `model`."""
    analysis = plan.analysis
    read: cst.BaseExpression = node
    parent = analysis.parent(read)
    while dotted_name(read) != module.dotted and isinstance(parent, cst.Attribute) and parent.value is read:
        read, parent = parent, analysis.parent(parent)
    if dotted_name(read) != module.dotted:
        return  # `import app.llm` read as `app.other`: another module
    if isinstance(parent, cst.Attribute) and parent.value is read:
        name = parent.attr.value
        if name in index.exports.get(module.path, {}) or name in index.kept.get(module.path, {}):
            entry = found.setdefault((module.path, name), _Reads(_Object(module.path, name)))
            if analysis.is_store(parent):
                entry.blocked.append((parent, f"it stores another object into `{dotted_name(parent)}`"))
            else:
                entry.reads.append(parent)
        return
    _block_module(plan, index, module, read, found, f"it uses the module `{module.dotted}` other than by reading its attributes (getattr, passed on)")


def _block_module(plan: Plan, index: RepoIndex, module: _Module | _Object, node: cst.CSTNode, found: dict[tuple[str, str], _Reads], why: str) -> None:
    names = [*index.exports.get(module.path, {}), *index.kept.get(module.path, {})] if isinstance(module, _Module) else [module.name]
    for name in names:
        found.setdefault((module.path, name), _Reads(_Object(module.path, name))).blocked.append((node, why))


DYNAMIC_IMPORTS = frozenset({"importlib.import_module", "builtins.__import__"})


def _dynamic_imports(plan: Plan, index: RepoIndex) -> list[tuple[cst.Call, str]]:
    """`importlib.import_module("llm")` / `__import__("llm")` of a module that exports."""
    assert index.modules is not None
    found = []
    for call in descendants(plan.analysis.module):
        if not (isinstance(call, cst.Call) and call.args and plan.analysis.qualified_names(call.func) & DYNAMIC_IMPORTS):
            continue
        name = call.args[0].value
        if isinstance(name, cst.SimpleString):
            for path in index.modules.resolve(plan.path, 0, str(name.evaluated_value)):
                if index.exports.get(path) or index.kept.get(path):
                    found.append((call, path))
    return found


UNCERTAIN = "it imports `{module}`, which may name several files of the repository (or one it finds through `sys.path`): genai2openai cannot tell which"


def _bindings(plan: Plan, index: RepoIndex) -> dict[tuple[cst.CSTNode, str], _Object | _Module]:
    """(import statement, bound name) → what the name is, for imports of modules that export.
    An import that may name an exporting module but not surely blocks what that module exports."""
    assert index.modules is not None
    modules = index.modules
    found: dict[tuple[cst.CSTNode, str], _Object | _Module] = {}

    def exporting(path: str) -> bool:
        return bool(index.exports.get(path) or index.kept.get(path))

    def has(path: str, name: str) -> bool:
        return name in index.exports.get(path, {}) or name in index.kept.get(path, {})

    def uncertain(statement: cst.CSTNode, dotted: str, paths: list[str], name: str | None) -> None:
        for path in paths:
            if name is None or has(path, name):
                _block_statement(plan, index, path, name, statement, UNCERTAIN.format(module=dotted))

    for statement in descendants(plan.analysis.module):
        if isinstance(statement, cst.Import):
            for alias in statement.names:
                dotted = dotted_name(alias.name)
                paths, sure = modules.resolve(plan.path, 0, dotted), modules.certain(plan.path, 0, dotted)
                bound = alias.asname.name.value if alias.asname else dotted.split(".")[0]  # type: ignore[union-attr]
                if sure is not None and sure in index.in_run:
                    plan.analysis.run_modules.add(bound)
                if sure is not None and exporting(sure):
                    found[(statement, bound)] = _Module(sure, bound if alias.asname else dotted)
                elif sure is None:
                    uncertain(statement, dotted, [p for p in paths if exporting(p)], None)
        elif isinstance(statement, cst.ImportFrom):
            level = len(statement.relative)
            module = dotted_name(statement.module) if statement.module is not None else ""
            spelled = "." * level + module
            paths = modules.resolve(plan.path, level, module) if module or level else []
            sure = modules.certain(plan.path, level, module) if module or level else None
            if isinstance(statement.names, cst.ImportStar):
                for path in (p for p in paths if exporting(p)):
                    _star_import(plan, statement, path, index)
                continue
            for alias in statement.names:
                name = dotted_name(alias.name)
                bound = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
                full = f"{module}.{name}" if module else name
                subpaths, subsure = modules.resolve(plan.path, level, full), modules.certain(plan.path, level, full)
                if subsure is not None and subsure in index.in_run:
                    plan.analysis.run_modules.add(bound)
                if sure is not None and has(sure, name):
                    found[(statement, bound)] = _Object(sure, name, statement)
                elif subsure is not None and exporting(subsure):
                    found[(statement, bound)] = _Module(subsure, bound)
                elif sure is None and any(has(p, name) for p in paths):
                    uncertain(statement, spelled, paths, name)
                elif subsure is None and any(exporting(p) for p in subpaths):
                    uncertain(statement, f"{spelled}.{name}" if module else spelled + name, [p for p in subpaths if exporting(p)], None)
    return found


def _block_statement(plan: Plan, index: RepoIndex, path: str, name: str | None, statement: cst.CSTNode, why: str) -> None:
    """Nothing of what `path` exports (or of `name`) can change with this module's use of it."""
    names = [name] if name is not None else [*index.exports.get(path, {})]
    for each in names:
        export = index.exports.get(path, {}).get(each)
        origin = export.origin if export is not None and export.origin else (path, each)
        plan.followed.append(Followed(origin[0], origin[1], _kept_message(plan, statement, each, why), _where(plan, statement)))
        kept = index.kept.get(path, {}).get(each)
        if kept is not None or export is not None:
            plan.mark(statement, Kind.CROSS_MODULE, f"`{each}` stays on genai in {path}: genai2openai cannot follow it here ({why})")


def _star_import(plan: Plan, statement: cst.ImportFrom, path: str, index: RepoIndex) -> None:
    _block_statement(plan, index, path, None, statement, "its `import *` hides which names it uses")


def _calls_instead(plan: Plan, entry: _Reads, *, arguments: bool = False) -> None:
    """For a function returning the object (`get_model()`, `ask(q)`), the object is what its
    calls give (a factory of models: called without arguments, which could feed its settings)."""
    calls = []
    for read in entry.reads:
        call = plan.analysis.parent(read)
        if isinstance(call, cst.Call) and call.func is read and (arguments or not call.args):
            calls.append(call)
        else:
            entry.blocked.append((read, f"`{entry.target.name}` is used other than called" + ("" if arguments else " without arguments")))
    entry.reads = calls  # type: ignore[assignment]


def _configures_genai(plan: Plan) -> bool:
    return any(plan.analysis.sdk_name(ref) == "configure" for ref in plan.analysis.sdk_references())


def _follow_response(plan: Plan, entry: _Reads, export: Export) -> None:
    """The reads here of a response another module made change with it (`.text` →
    `.choices[0].message.content`), or none does and that module keeps it on genai."""
    response = export.response
    assert response is not None
    if _configures_genai(plan):
        entry.blocked.append(((entry.reads or [n for n, _ in entry.blocked])[0], "this module configures genai itself, and genai's last configure() applied to the call its module makes"))
    if response.returned:
        _calls_instead(plan, entry, arguments=True)
    if entry.blocked:
        _refuse(plan, entry, export, min(why for _, why in entry.blocked))
        return
    migration = ModelMigration(plan)
    reader = (lambda use: client_sdk_read(use, plan.analysis, None, None)) if response.client_sdk else None
    reasons = sorted(r for read in entry.reads if (r := migration.follow_response(read, response.asynchronous, response.several, reader)) is not None)
    if reasons:
        _refuse(plan, entry, export, reasons[0], marked=True)
    else:
        _followed(plan, entry, export, None)


def _follow_client(plan: Plan, entry: _Reads, export: Export) -> None:
    """The calls here through a google-genai client another module made change with it, or none
    does and that module keeps it on google-genai."""
    if entry.blocked:
        _refuse(plan, entry, export, min(why for _, why in entry.blocked))
        return
    reason = ClientMigration(plan).follow(entry.reads, asynchronous=export.what == CLIENT_EXPORT_ASYNC)
    if reason is not None:
        _refuse(plan, entry, export, reason, marked=True)
    else:
        _followed(plan, entry, export, None)


def _why_not_followable(plan: Plan, entry: _Reads, export: Export) -> str | None:
    if entry.blocked:
        return min(why for _, why in entry.blocked)
    if export.unshared:
        return export.unshared
    if export.model is None:
        if export.what == MODEL_EXPORT:
            return "its settings are computed from values only its own module can read"
        return NOT_FOLLOWED
    return None


def _fact_groups(plan: Plan, entry: _Reads, export: Export) -> list[tuple[ModelFacts, list[cst.BaseExpression]]] | str:
    """The imported model's facts for each way it is read here (each import statement, each
    module alias), its settings' names read through that import."""
    shared = export.model
    assert shared is not None
    groups: dict[object, list[cst.BaseExpression]] = {}
    for read in entry.reads:
        key = _access(plan, read)
        if key is None:
            return "it is read through a name bound in several ways there"
        groups.setdefault(key, []).append(read)
    found = []
    for key, reads in groups.items():
        names: dict[str, cst.BaseExpression] = {}
        if shared.names and isinstance(key, cst.ImportFrom):
            bound = _import_settings(plan, key, shared.names, entry.target.path)
            names = {n: cst.Name(b) for n, b in bound.items()}
        elif shared.names:
            base = _function_of(reads[0]).value  # type: ignore[attr-defined]
            names = {n: cst.Attribute(base.deep_clone(), cst.Name(n)) for n in shared.names}

        def here(code: str, names: dict[str, cst.BaseExpression] = names) -> cst.BaseExpression:
            return cst.parse_expression(code).visit(_Rename(names))  # type: ignore[return-value]

        facts = ModelFacts(
            construction=cst.Call(cst.Name("GenerativeModel")),  # a stand-in: the model was built elsewhere
            model_id=cst.Name(entry.target.name),
            config=[ConfigItem(k, value, value) for k, code in shared.config for value in [here(code)]],
            system=here(shared.system) if shared.system is not None else None,
            dropped=[],
            config_name=None,
            system_is_text=shared.system_is_text,
            imported_from=entry.target.path,
        )
        found.append((facts, reads))
    return found


def _function_of(read: cst.BaseExpression) -> cst.BaseExpression:
    return read.func if isinstance(read, cst.Call) else read


def _access(plan: Plan, read: cst.BaseExpression) -> object:
    """How a read reaches the object: the `from M import` statement of its name, or the code of
    the module it is an attribute of (`llm`, `a`); None when that is not one thing."""
    node = _function_of(read)
    if isinstance(node, cst.Attribute):
        return dotted_name(node.value)
    if isinstance(node, cst.Name):
        statements = {getattr(r, "node", None) for r in plan.analysis.referents(node) or ()}
        if len(statements) == 1:
            [statement] = statements
            return statement if isinstance(statement, cst.ImportFrom) else None
    return None


def _import_settings(plan: Plan, statement: cst.ImportFrom, names: tuple[str, ...], path: str) -> dict[str, str]:
    """Import the names the settings read next to the model (`from llm import model, SYSTEM`),
    each under a name free in this module (`llm_SYSTEM` when `SYSTEM` is taken)."""
    taken = {*plan.analysis.bound_names(), *plan.analysis.read_names(), *plan.added_names}
    aliases = [] if isinstance(statement.names, cst.ImportStar) else list(statement.names)
    present = {dotted_name(a.name): (a.asname.name.value if a.asname else dotted_name(a.name)) for a in aliases}  # type: ignore[union-attr]
    stem = os.path.splitext(os.path.basename(path))[0]
    bound: dict[str, str] = {}
    for name in names:
        if name in present:
            bound[name] = present[name]
            continue
        choice = next(c for c in (name, f"{stem}_{name}", *(f"{stem}_{name}_{i}" for i in range(2, 100))) if c not in taken)
        taken.add(choice)
        plan.added_names.add(choice)
        bound[name] = choice
    _import_names(plan, statement, tuple((n, b) for n, b in bound.items() if n not in present))
    return bound


class _Rename(cst.CSTTransformer):
    """Names of the defining module → how this module reaches them (`SYSTEM` → `llm.SYSTEM`)."""

    def __init__(self, names: dict[str, cst.BaseExpression]) -> None:
        super().__init__()
        self.names = names
        self.skipped: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self.skipped.add(id(node.attr))
        return True

    def visit_Arg(self, node: cst.Arg) -> bool:
        if node.keyword is not None:
            self.skipped.add(id(node.keyword))
        return True

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:  # type: ignore[override]
        if id(original_node) in self.skipped or updated_node.value not in self.names:
            return updated_node
        return self.names[updated_node.value].deep_clone()


def _import_names(plan: Plan, statement: cst.ImportFrom, names: tuple[tuple[str, str], ...]) -> None:
    """`from llm import model` → `from llm import model, model_system_instruction` ((name, bound
    name) pairs; `name as bound` where they differ)."""
    previous = plan.node_edits.get(statement)

    def add(updated: cst.CSTNode) -> cst.CSTNode:
        updated = previous(updated) if previous is not None else updated
        assert isinstance(updated, cst.ImportFrom) and not isinstance(updated.names, cst.ImportStar)
        present = {dotted_name(a.name) for a in updated.names}
        new = [
            cst.ImportAlias(cst.Name(n), asname=None if n == bound else cst.AsName(cst.Name(bound)))
            for n, bound in names
            if n not in present
        ]
        return updated.with_changes(names=[*updated.names, *new])

    plan.replace(statement, add)


def _reexport(plan: Plan, target: _Object, export: Export) -> None:
    """`from .llm import model` at module level makes `model` this module's too."""
    assert target.statement is not None
    for alias in target.statement.names if not isinstance(target.statement.names, cst.ImportStar) else ():
        if dotted_name(alias.name) == target.name:
            bound = alias.asname.name.value if alias.asname else target.name  # type: ignore[union-attr]
            shared = export.model if export.model is not None and not export.model.names else None
            origin = export.origin or (target.path, target.name)
            plan.reexports.append(Export(bound, export.what, model=shared, response=export.response, origin=origin))


def _refuse(plan: Plan, entry: _Reads, export: Export, reason: str, *, marked: bool = False) -> None:
    if not marked:
        for node, why in entry.blocked:
            plan.mark(node, Kind.CROSS_MODULE, f"`{entry.target.name}` stays on genai in {entry.target.path}: genai2openai cannot follow it here ({why})")
    _followed(plan, entry, export, reason)


def _followed(plan: Plan, entry: _Reads, export: Export, reason: str | None) -> None:
    path, name = export.origin or (entry.target.path, entry.target.name)
    node = (entry.reads or [n for n, _ in entry.blocked] or [entry.target.statement])[0]
    assert node is not None
    message = None if reason is None else _kept_message(plan, node, name, reason)
    plan.followed.append(Followed(path, name, message, _where(plan, node)))


def _kept_message(plan: Plan, node: cst.CSTNode, name: str, reason: str) -> str:
    return f"`{name}` is used by {plan.path}, where genai2openai cannot change with it: {reason}"


def _where(plan: Plan, node: cst.CSTNode) -> str:
    return f"{plan.path}:{plan.analysis.position(node).start.line}"


def _mark_kept_here(plan: Plan, entry: _Reads, kept: str) -> None:
    """The defining module keeps the object on genai: say so once, at the first read or import."""
    node = (entry.reads or [n for n, _ in entry.blocked] or [entry.target.statement])[0]
    if node is not None:
        mine = f"`{entry.target.name}` is used by {plan.path}, where genai2openai cannot change with it: "
        why = kept[len(mine):] if kept.startswith(mine) else kept
        plan.mark(node, Kind.CROSS_MODULE, f"`{entry.target.name}` comes from {entry.target.path}, which keeps it on genai: {why}")


def share_configured_client(plan: Plan, index: RepoIndex) -> bool:
    """Use the client a module this one imports made from its configure(); True if done (an
    async client this module needs is then made with that client's key and base URL).

    Called for a module that calls the API without configuring genai itself.
    """
    configuring = {m: c for m, c in index.clients.items() if c[1] != plan.path}
    dotted = "." in plan.client_name  # `llm.client`, set by `_client_through_module`
    if not dotted and not _share_sync_client(plan, index, configuring):
        return False
    if plan.needs_async_client:
        cycle = dotted and any(index.in_cycle(plan.path, path) for path in plan.module_reads)
        if cycle:
            return False  # read at import time, `llm.client` may not exist yet: a client from the environment
        plan.prelude.append(_async_client_from(plan))
    return True


def _async_client_from(plan: Plan) -> cst.BaseStatement:
    """`async_client = AsyncOpenAI(api_key=client.api_key, base_url=client.base_url)`."""
    cls = plan.openai_class.replace("OpenAI", "AsyncOpenAI")
    plan.imports.add(("openai", None) if "." in cls else ("openai", "AsyncOpenAI"))
    client = plan.client_name
    statement = cst.parse_statement(f"{plan.async_client_name} = {cls}(api_key={client}.api_key, base_url={client}.base_url)")
    return statement.with_changes(leading_lines=[cst.EmptyLine()])


def _share_sync_client(plan: Plan, index: RepoIndex, configuring: dict[str, tuple[str, str, bool]]) -> bool:
    if not configuring:
        return False
    for path, statement in plan.from_imports.items():
        name, _, in_function = next((c for c in configuring.values() if c[1] == path), ("", "", True))
        if name and not in_function:
            _import_names(plan, statement, ((name, plan.client_name),))
            return True
    module = next((m for m in _imported_modules(plan.analysis.module) if m in configuring), None)
    if module is None:
        module = _origin_module(plan, index, configuring)
    if module is None:
        linked = index.configured_in.get(plan.path, ())
        if linked:
            plan.report(
                _first_statement(plan),
                Kind.CROSS_MODULE,
                Severity.WARNING,
                f"genai was configured in {', '.join(linked)}, a module of the same program that this file does not import; its new client reads its key from the environment instead",
            )
        return False
    if configuring[module][2]:
        plan.report(
            _first_statement(plan),
            Kind.CROSS_MODULE,
            Severity.WARNING,
            f"genai was configured in {configuring[module][1]}, inside a function; this file's new client reads its key from the environment instead",
        )
        return False
    name = configuring[module][0]
    statement = _import_from(plan.analysis.module, module)
    if statement is not None:
        _import_names(plan, statement, ((name, plan.client_name),))
        return True
    alias = "" if name == plan.client_name else f" as {plan.client_name}"
    plan.prelude.append(cst.parse_statement(f"from {module} import {name}{alias}"))
    return True


def _first_statement(plan: Plan) -> cst.CSTNode:
    imports = plan.analysis.sdk_imports
    return imports[0] if imports else plan.analysis.module.body[0] if plan.analysis.module.body else plan.analysis.module


def _origin_module(plan: Plan, index: RepoIndex, configuring: dict[str, tuple[str, str, bool]]) -> str | None:
    """The configuring module a followed model came from (through a re-export), by a name that
    resolves to it from here: this module already imports it, through the re-export."""
    origins = {f.path for f in plan.followed if f.reason is None}
    for module, (_, path, _) in sorted(configuring.items(), key=lambda item: len(item[0])):
        if path in origins and index.modules is not None and index.modules.certain(plan.path, 0, module) == path:
            return module
    return None


def _client_through_module(plan: Plan, index: RepoIndex) -> None:
    """`import llm` where `llm` made a client of its configure(): calls use `llm.client`, read
    when they run (safe in an import cycle, where `from llm import client` is not)."""
    for name, path, in_function in index.clients.values():
        dotted = plan.module_reads.get(path)
        if dotted is not None and not in_function:
            plan.client_name = f"{dotted}.{name}"
            return
    for name, path, in_function in index.clients.values():
        statement = plan.from_imports.get(path)
        if statement is None or in_function or not index.in_cycle(plan.path, path) or statement.relative or statement.module is None:
            continue
        module = dotted_name(statement.module)
        first = module.split(".")[0]
        if first not in plan.analysis.bound_names() and not plan.analysis.loads_named({first}):
            # `from llm import client` would fail while `llm` is still running its imports.
            plan.prelude.append(cst.parse_statement(f"import {module}"))
            plan.client_name = f"{module}.{name}"
            return


def _import_from(module: cst.Module, dotted: str) -> cst.ImportFrom | None:
    """A top-level `from <dotted> import a, b` of the module."""
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None and dotted_name(small.module) == dotted and not isinstance(small.names, cst.ImportStar):
                return small
    return None


def _imported_modules(module: cst.Module) -> list[str]:
    """Modules the module imports by absolute name at its top level (`import x.y`, `from x import y`)."""
    found = []
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Import):
                found += [dotted_name(a.name) for a in small.names if a.asname is None]
            elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
                found.append(dotted_name(small.module))
    return found
