"""`google.api_core.exceptions.X` in `except` clauses → the matching `openai.X`."""

from __future__ import annotations

from codemod.ftypes import Kind
from codemod.transforms.plan import Plan

GOOGLE_ERRORS = "google.api_core."


def plan_errors(plan: Plan) -> None:
    """`except google.api_core.exceptions.X` around migrated calls no longer catches anything."""
    if not plan.migrated_calls:
        return
    for handler in plan.analysis.handlers:
        caught = [n for n in plan.analysis.caught_names(handler) if n.startswith(GOOGLE_ERRORS)]
        if caught:
            shown = ", ".join(n.rsplit(".", 1)[-1] for n in caught)
            plan.mark(handler, Kind.MANUAL_MIGRATION, f"catches {shown} from google.api_core, which the OpenAI SDK never raises: catch openai.RateLimitError, openai.APIError, ... instead")
