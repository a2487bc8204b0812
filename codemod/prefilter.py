"""Byte-level tests that settle most files of a run without decoding, parsing or importing
LibCST (the command imports the migration itself only when a file needs it)."""

from __future__ import annotations

import re

# google.generativeai; google-genai as a word (`google.genai`, `from google import genai`), not
# inside other names (`langchain_google_genai`, `genai2openai`).
SDK_PATTERN = re.compile(rb"generativeai|\bgenai\b")


def mentions_sdk(data: bytes) -> bool:
    """Can this file possibly use google.generativeai or google-genai?"""
    return SDK_PATTERN.search(data) is not None
