"""Take hardcoded keys out of the code: a key in a key position becomes an environment lookup.

Every hit of the scan is reported once. A key of a known shape that reaches a key position is
rewritten (`API_KEY = "AIza..."` → `API_KEY = os.environ.get("GEMINI_API_KEY")`, the default of
`os.getenv("X", "AIza...")` removed, `os.environ["X"] = "AIza..."` deleted); placeholders,
unknown-shape credentials and keys elsewhere (a print, a URL, a comment) are only reported:
which variable they belong in is not something to guess. `configure(api_key=...)` is the
exception: that is the Gemini key whatever it looks like, and `client.secure_key` takes it out.

A rewritten value never raises where the literal was always there: a lookup reads `None` when
the variable is unset (`os.environ.get`, never `os.environ[...]`), so a module that imported
without the variable still does; the code that uses the key fails where it needs it.
"""

from __future__ import annotations

import libcst as cst

from codemod.keyfindings import env_for, key_finding
from codemod.keyscan import KeyHit, SlotKind, env_read_variable, text_parts
from codemod.secrets import RULES_BY_ID, hidden
from codemod.transforms import build
from codemod.transforms.plan import Plan


def plan_keys(plan: Plan) -> None:
    """Report every hit not handled yet; rewrite the known-shape keys in key positions."""
    for hit in plan.key_hits:
        if hit.node is not None and hit.node in plan.secured:
            continue
        if hit.rule in RULES_BY_ID and _rewritable(plan, hit):
            take_out(plan, hit, env_for(plan.options, hit))
        else:
            report_hit(plan, hit, env_for(plan.options, hit))


def _rewritable(plan: Plan, hit: KeyHit) -> bool:
    if hit.slot is None or plan.options.secrets_only or plan.analysis.binds_otherwise("os", "os"):
        return False
    if hit.slot.holder is None or plan.touched(hit.slot.holder):
        return False
    if hit.slot.kind is SlotKind.ENV_DEFAULT:
        return hit.slot.variable is not None
    return True


def take_out(plan: Plan, hit: KeyHit, env: str | None) -> None:
    """Plan the rewrite of one hit (its slot says what to edit) and report it."""
    assert hit.slot is not None and hit.slot.holder is not None and env is not None
    holder = hit.slot.holder
    report_hit(plan, hit, env, replaced=True)
    if hit.slot.kind is SlotKind.ENV_WRITE:
        plan.replace_statement(holder, lambda _: cst.RemovalSentinel.REMOVE)
        if not isinstance(holder, cst.SimpleStatementLine):
            plan.split_lines.add(plan.analysis.statement_of(holder))  # the line's other statements stay
        return
    if isinstance(holder, cst.BooleanOperation):
        if env_read_variable(plan.analysis, holder.left) is not None:  # `os.getenv("X") or "AIza..."`
            plan.replace(holder, lambda updated: updated.left)  # type: ignore[attr-defined]
            return
        holder = holder.right  # `user_key or "AIza..."`: the fallback becomes the lookup
    if hit.slot.kind is SlotKind.ENV_DEFAULT and isinstance(holder, cst.Call):  # `os.getenv("X", "AIza...")`
        kept = [index for index, arg in enumerate(holder.args) if not _holds(plan, arg, hit.node)]
        plan.replace(holder, lambda updated: _with_arguments(updated, kept))  # type: ignore[arg-type]
        return
    lookup = env_get(plan, env)
    plan.replace(holder, lambda _: lookup)


def env_get(plan: Plan, variable: str) -> cst.Call:
    """`os.environ.get("X")`: `None` when the variable is unset, where `os.environ["X"]` would
    raise (at import time, for a module-level key)."""
    plan.imports.add(("os", None))
    return build.method_call(cst.Name("os"), "environ.get", [cst.Arg(build.string(variable))])


def _holds(plan: Plan, arg: cst.Arg, node: cst.CSTNode | None) -> bool:
    return node is not None and (arg.value is node or arg.value in plan.analysis.ancestors(node))


def _with_arguments(call: cst.Call, kept: list[int]) -> cst.Call:
    """`call` with only the arguments at `kept` (the env lookup without its default)."""
    args = [call.args[index] for index in kept]
    return call.with_changes(args=[*args[:-1], args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)] if args else [])


def report_hit(plan: Plan, hit: KeyHit, env: str | None, *, replaced: bool = False) -> None:
    """Report a hit once and remember every spelling of its key, so that diffs hide it."""
    if hit.node is not None:
        plan.secured.add(hit.node)
    plan.findings.append(key_finding(hit, plan.path, env=env, replaced=replaced))
    remember_secret(plan, hit)


def remember_secret(plan: Plan, hit: KeyHit) -> None:
    """The key's value and the pieces it is spelled in (`"AIzaSy" "rest"`), for redaction.
    A placeholder (`"XX"`, `"YOUR_API_KEY"`) is no secret: hiding it would mangle other text."""
    if not hit.value or hit.is_placeholder:
        return
    plan.secrets.append(hit.value)
    if hit.node is None:
        return
    pieces = [piece for piece in text_parts(hit.node) if isinstance(piece, cst.SimpleString)]
    if len(pieces) == 1 and hit.value in pieces[0].raw_value:
        return  # spelled as it is: the value itself is enough
    if len(pieces) > 1:  # the literal as written, pieces and all, shows as `…`
        plan.secrets.append(hidden(plan.analysis.module.code_for_node(hit.node)))
    for index, piece in enumerate(pieces):
        if len(piece.raw_value) > 4:  # only the key's own first piece may show its first 4 characters
            shown = index == 0 and hit.value.startswith(piece.raw_value)
            plan.secrets.append(piece.raw_value if shown else hidden(piece.raw_value))


