"""Every SDK reference no transform took over: marked with a TODO, never changed."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from codemod.ftypes import Kind
from codemod.transforms.plan import Plan

SUBCLASS_ADVICE = "a subclass of a genai class: its inherited methods call genai; rewrite it around the OpenAI client by hand"
MODULE_ADVICE = "this code still uses the google.generativeai module itself"
AMBIGUOUS_ADVICE = "this name may be google.generativeai's or another library's (another import binds it too): migrate by hand"
SAFETY_ENUM_ADVICE = (
    "genai's safety enums have no OpenAI equivalent (safety settings are dropped); this value is not "
    "only in settings the migration dropped (it is used for something else, or sent by code kept on genai): "
    "write its name as a string if that is all the code needs, else keep genai for it"
)
ADVICE = {
    "upload_file": "genai's Files API has no OpenAI-compatible equivalent: send the file's bytes inline as a part ({\"mime_type\": ..., \"data\": ...}) or keep genai for it",
    "get_file": "genai's Files API has no OpenAI-compatible equivalent: keep genai for the files uploaded with it",
    "list_files": "genai's Files API has no OpenAI-compatible equivalent: this lists files uploaded with genai; keep genai for it",
    "delete_file": "genai's Files API has no OpenAI-compatible equivalent: this deletes a file uploaded with genai; keep genai for it",
    "embed_content": "this embedding call could not be migrated here: use client.embeddings.create(model=..., input=..., encoding_format=\"float\")",
    "embed_content_async": "this embedding call could not be migrated here: use await async_client.embeddings.create(...)",
    "list_models": "this list_models call could not be migrated here: use client.models.list() (ids instead of names)",
    "get_model": "this get_model call could not be migrated here: use client.models.retrieve(\"<id without models/>\")",
    "caching": "context caching has no OpenAI equivalent",
    "generate_text": "PaLM-era generate_text: rewrite with client.chat.completions.create",
    "chat": "PaLM-era chat: rewrite with client.chat.completions.create",
    "GenerationConfig": "a GenerationConfig genai2openai could not follow: pass its options to create() by hand",
    "GenerativeModel": "a GenerativeModel genai2openai could not follow",
    "HarmCategory": SAFETY_ENUM_ADVICE,
    "HarmBlockThreshold": SAFETY_ENUM_ADVICE,
    "HarmProbability": SAFETY_ENUM_ADVICE,
}
# SDK names that do nothing by themselves: enums, and classes named in annotations. Left over,
# they keep the genai import but need no configure() (no request is made through them).
INERT = frozenset({"HarmCategory", "HarmBlockThreshold", "HarmProbability"})


def mark_leftovers(plan: Plan, references: Iterable[cst.CSTNode], skip: Iterable[cst.CSTNode]) -> bool:
    """Mark every untouched SDK reference; True when some SDK use that may make requests (and so
    needs `configure`) stays in the module: an enum value or an annotation does not."""
    skipped = set(skip)
    kept = False
    for reference in references:
        if plan.touched(reference) or reference in skipped:
            continue
        kept = kept or not _inert(plan, reference)
        if reference in plan.explained:
            continue
        plan.mark(reference, Kind.MANUAL_MIGRATION, _advice(plan, reference))
    return kept


def _inert(plan: Plan, reference: cst.CSTNode) -> bool:
    name = plan.analysis.sdk_name(reference)
    if name is not None and name.split(".")[0] in INERT:
        return True
    return any(isinstance(a, cst.Annotation) for a in plan.analysis.ancestors(reference))


def _advice(plan: Plan, reference: cst.CSTNode) -> str:
    if isinstance(plan.analysis.parent(plan.analysis.parent(reference)), cst.ClassDef):
        return SUBCLASS_ADVICE  # `class Mine(genai.GenerativeModel)`: Arg → ClassDef
    name = plan.analysis.sdk_name(reference)
    if name is None:
        return AMBIGUOUS_ADVICE
    if not name:
        return MODULE_ADVICE
    return ADVICE.get(name.split(".")[0], f"genai.{name} is not migrated")
