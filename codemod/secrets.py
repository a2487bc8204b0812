"""Secret detection helpers: what looks like a real key, and how to show one safely."""

from __future__ import annotations

import re

_GOOGLE_KEY = re.compile(r"AIza[0-9A-Za-z_\-]{35}")
SHOWN_PREFIX = 4


def redact(secret: str) -> str:
    """Show at most the first 4 characters of a secret."""
    return f"{secret[:SHOWN_PREFIX]}…" if len(secret) > SHOWN_PREFIX else "…"


def redact_text(text: str, secrets: tuple[str, ...]) -> str:
    """Replace every occurrence of each secret (longest first) by its redacted form."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, redact(secret))
    return text


def looks_like_google_key(value: str) -> bool:
    """A real-looking Google API key (`AIza` + 35 characters)."""
    return _GOOGLE_KEY.fullmatch(value) is not None
