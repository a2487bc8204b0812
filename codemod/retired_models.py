"""Model ids Google has shut down: requests naming them fail, whatever the SDK.

The list comes from Google's deprecation pages (https://ai.google.dev/gemini-api/docs/deprecations
and the Vertex AI "Model versions and lifecycle" page), as they stood in google-generativeai
0.8.6's era (late 2025); it was written offline and not re-checked against the live pages, so it
may miss models shut down since. Shutdown dates as announced: PaLM models (2024), Gemini 1.0 /
`gemini-pro` (April 2025), Gemini 1.5 (September 2025), `embedding-001` (October 2025),
`text-embedding-004` (January 14, 2026).

Each entry is an id, or a prefix ending in `*`, and the current model Google recommended instead
(which may itself be scheduled for shutdown by now: check the page).
"""

from __future__ import annotations

MODELS_PREFIX = "models/"
TEXT = "gemini-2.5-flash"
PRO = "gemini-2.5-pro"
LITE = "gemini-2.5-flash-lite"
EMBEDDING = "gemini-embedding-001"

RETIRED: tuple[tuple[str, str], ...] = (
    # Gemini 1.0
    ("gemini-pro", TEXT),
    ("gemini-pro-vision", TEXT),
    ("gemini-1.0-*", TEXT),
    # Gemini 1.5 (the 8b and pro variants first: the first matching entry wins)
    ("gemini-1.5-flash-8b*", LITE),
    ("gemini-1.5-pro*", PRO),
    ("gemini-1.5-*", TEXT),
    # Embeddings
    ("embedding-001", EMBEDDING),
    ("text-embedding-004", EMBEDDING),
    ("embedding-gecko-001", EMBEDDING),
    # PaLM
    ("text-bison-001", TEXT),
    ("chat-bison-001", TEXT),
)


def retired_replacement(model_id: str) -> str | None:
    """The model Google recommended instead of `model_id` (with or without `models/`) if it is
    retired, else None."""
    bare = model_id[len(MODELS_PREFIX) :] if model_id.startswith(MODELS_PREFIX) else model_id
    for pattern, replacement in RETIRED:
        if bare == pattern or (pattern.endswith("*") and bare.startswith(pattern[:-1])):
            return replacement
    return None


# What a file must contain to send a retired id through the OpenAI SDK: `openai`, and one of the
# ids (the shortest spellings: `gemini-1.5-` covers every 1.5 model). A byte test, for the pre-filter.
OPENAI_MARKER = "openai"
_SPELLINGS = [pattern.rstrip("*") for pattern, _ in RETIRED]
RETIRED_MARKERS = tuple(sorted({s for s in _SPELLINGS if not any(o != s and o in s for o in _SPELLINGS)}))
_RETIRED_MARKER_BYTES = tuple(marker.encode() for marker in RETIRED_MARKERS)


def may_call_retired(text: str | bytes) -> bool:
    """Could this source name a retired model id in an OpenAI SDK call? (It mentions both.)"""
    if isinstance(text, bytes):
        return OPENAI_MARKER.encode() in text and any(marker in text for marker in _RETIRED_MARKER_BYTES)
    return OPENAI_MARKER in text and any(marker in text for marker in RETIRED_MARKERS)
