"""What other modules of the run export, used here.

- `llm.py` builds `model = genai.GenerativeModel(...)`; `app.py` does `from llm import model` and
  calls `model.generate_content(...)`. Once `llm.py` is migrated, `model` is a model id string, so
  every such use in `app.py` gets a TODO and a `cross-module` finding. The same goes for public
  functions returning a model or a response, and for settings variables the migration removed.
- `config.py` calls `genai.configure(api_key=settings.key)` and `app.py`, which imports `config`,
  only builds models: genai used that key everywhere, so `app.py` takes `config`'s new client
  instead of making one from the environment.
"""

from __future__ import annotations

import libcst as cst

from codemod.analysis import dotted_name
from codemod.ftypes import Kind, RepoIndex, Severity
from codemod.transforms.plan import Plan


def mark_imported_names(plan: Plan, index: RepoIndex) -> None:
    """Every use here of a name another module exports and whose meaning its migration changed."""
    names = {name for exported in index.exports.values() for name in exported}
    for node in plan.analysis.loads_named(names):
        found = _exporter(plan, node, index)
        if found is not None:
            path, what = found
            name = node.attr.value if isinstance(node, cst.Attribute) else node.value  # type: ignore[union-attr]
            plan.mark(node, Kind.CROSS_MODULE, f"`{name}` comes from {path}, where genai2openai migrated it: {what}")


def _exporter(plan: Plan, node: cst.CSTNode, index: RepoIndex) -> tuple[str, str] | None:
    for qualified in plan.analysis.qualified_names(node):
        module, _, name = qualified.rpartition(".")
        exported = index.exports.get(module.lstrip("."), {})
        if name in exported and exported[name][0] != plan.path:
            return exported[name]
    return None


def share_configured_client(plan: Plan, index: RepoIndex) -> bool:
    """Import the client a module this one imports made from its configure(); True if done.

    Called for a module that calls the API without configuring genai itself.
    """
    configuring = {m: c for m, c in index.clients.items() if c[1] != plan.path}
    if not configuring or plan.needs_async_client:
        return False  # (an async client is made here from the environment)
    module = next((m for m in _imported_modules(plan.analysis.module) if m in configuring), None)
    if module is None or configuring[module][2]:
        where = ", ".join(sorted({path for _, path, _ in configuring.values()}))
        plan.report(
            plan.analysis.sdk_imports[0],
            Kind.CROSS_MODULE,
            Severity.WARNING,
            f"genai was configured in {where}; this file's new client reads its key from the environment instead",
        )
        return False
    name = configuring[module][0]
    alias = "" if name == plan.client_name else f" as {plan.client_name}"
    plan.prelude.append(cst.parse_statement(f"from {module} import {name}{alias}"))
    return True


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
