"""Key findings: what a hit of the key scan becomes in the report, and where its key belongs.

One place for the wording (message, preview, remediation) and for the choice of the environment
variable, shared by the migration (which also rewrites) and the scan-only mode.
"""

from __future__ import annotations

import libcst as cst

from codemod.ftypes import Finding, Kind, Options, Severity
from codemod.keyscan import KeyHit, SlotKind
from codemod.secrets import GOOGLE_RULE_ID, RULES_BY_ID, digest, preview


def env_for(options: Options, hit: KeyHit) -> str | None:
    """The variable the code should read this key from: the one its position names, else the
    vendor's (`--api-key-env` for Google keys); None for an unknown-shape credential."""
    if hit.slot is not None and hit.slot.variable:
        return hit.slot.variable
    if hit.rule == GOOGLE_RULE_ID:
        return options.api_key_env
    rule = RULES_BY_ID.get(hit.rule)
    return rule.env if rule is not None else None


ROTATE = "Rotate this key now: removing it from the code does not remove it from the git history."


def key_finding(hit: KeyHit, path: str, *, env: str | None = None, replaced: bool = False) -> Finding:
    """The finding for a hit. `env`: the variable the code should read the key from; `replaced`:
    the migration already rewrote the code to read it."""
    lookup = f'os.environ["{env}"]' if env else "an environment variable"
    shown = preview(hit.value)
    if hit.is_placeholder:
        where = hit.slot.where if hit.slot else "a key position"
        message = f"placeholder key {shown} in {where}{_in(hit)}" + (_rewrite_note(hit, env) if replaced else "")
        return Finding(
            path, hit.line, hit.column, Kind.PLACEHOLDER_KEY, Severity.NOTE, message,
            rule=hit.rule, preview=shown, remediation=f"Set the real key in the environment and read it from {lookup}.",
            identity=digest(hit.rule, hit.value),
        )
    name = RULES_BY_ID[hit.rule].name if hit.rule in RULES_BY_ID else "credential"
    where = hit.slot.where if hit.slot else "a comment" if hit.in_comment else "a string literal" if hit.node else "this file"
    message = f"hardcoded {name} {shown} in {where}{_in(hit)}" + (_rewrite_note(hit, env) if replaced else "")
    return Finding(
        path, hit.line, hit.column, Kind.HARDCODED_KEY, Severity.ERROR, message,
        rule=hit.rule, preview=shown, remediation=f"{ROTATE} Then read it from {lookup}.",
        identity=digest(hit.rule, hit.value),
    )


def _rewrite_note(hit: KeyHit, env: str | None) -> str:
    if hit.slot is not None and hit.slot.kind is SlotKind.ENV_WRITE:
        return f": statement removed, set {env} in the environment instead"
    if hit.slot is not None and isinstance(hit.slot.holder, cst.BooleanOperation) and hit.slot.variable:
        return f": fallback removed, set {hit.slot.variable} in the environment instead"
    if hit.slot is not None and hit.slot.kind is SlotKind.ENV_DEFAULT and hit.slot.variable:
        return f": default removed, set {hit.slot.variable} in the environment instead"
    return f': replaced by os.environ.get("{env}")'


def _in(hit: KeyHit) -> str:
    return f" ({hit.note})" if hit.note else ""
