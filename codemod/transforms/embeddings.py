"""`genai.embed_content(...)` → `client.embeddings.create(...)`, and reads of its result."""

from __future__ import annotations

import libcst as cst

from codemod.transforms.plan import Plan


def plan_embeddings(plan: Plan, calls: list[cst.Call]) -> None:
    """Plan every `embed_content` / `embed_content_async` call (`calls` are the SDK calls of the
    module, whatever their name)."""
