"""`genai.list_models()` / `genai.get_model(...)` → `client.models.list()` / `.retrieve(...)`,
model renames (`--model-map`) and retired model ids."""

from __future__ import annotations

import libcst as cst

from codemod.transforms.plan import Plan


def plan_models_api(plan: Plan, calls: list[cst.Call]) -> None:
    """Plan every `list_models` / `get_model` call (`calls` are the SDK calls of the module)."""
