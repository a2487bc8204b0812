"""Uses of SDK objects that another, migrated, module exports: marked so nothing breaks silently.

`llm.py` builds `model = genai.GenerativeModel(...)`; `app.py` does `from llm import model` and
calls `model.generate_content(...)`. Once `llm.py` is migrated, `model` is a model id string, so
every such use in `app.py` gets a TODO and a `cross-module` finding.
"""

from __future__ import annotations

import libcst as cst

from codemod.ftypes import ExportIndex, Kind
from codemod.transforms.plan import Plan


def mark_imported_sdk_objects(plan: Plan, exports: ExportIndex) -> None:
    names = {name for exported in exports.values() for name in exported}
    for node in plan.analysis.loads_named(names):
        exporter = _exporter(plan, node, exports)
        if exporter is not None:
            name = node.attr.value if isinstance(node, cst.Attribute) else node.value  # type: ignore[union-attr]
            plan.mark(
                node,
                Kind.CROSS_MODULE,
                f"`{name}` comes from {exporter}, where genai2openai migrated it: it now holds the model id; "
                f"call client.chat.completions.create(model={name}, messages=[...]) here",
            )


def _exporter(plan: Plan, node: cst.CSTNode, exports: ExportIndex) -> str | None:
    for qualified in plan.analysis.qualified_names(node):
        module, _, name = qualified.rpartition(".")
        exported = exports.get(module.lstrip("."), {})
        if name in exported and exported[name] != plan.path:
            return exported[name]
    return None
