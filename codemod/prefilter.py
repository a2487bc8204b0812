"""Byte-level tests that settle most files of a run without decoding, parsing or importing
LibCST (the command imports the migration itself only when a file needs it)."""

from __future__ import annotations

SDK_MARKERS = (b"generativeai", b"genai")  # google.generativeai; google-genai (`google.genai`, `from google import genai`)


def mentions_sdk(data: bytes) -> bool:
    """Can this file possibly use google.generativeai or google-genai?"""
    return any(marker in data for marker in SDK_MARKERS)
