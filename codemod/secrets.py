"""Secret detection helpers: what looks like a real key, and how to show one safely."""

from __future__ import annotations

import re

_GOOGLE_KEY = re.compile(r"AIza[0-9A-Za-z_\-]{35}")
SHOWN_PREFIX = 4


def redact(secret: str) -> str:
    """Show at most the first 4 characters of a secret."""
    return f"{secret[:SHOWN_PREFIX]}…" if len(secret) > SHOWN_PREFIX else "…"


HIDDEN = "\x00"  # marks a secret entry to hide entirely (a later piece of a split key)


def hidden(piece: str) -> str:
    """A secrets entry for a piece that must not show even 4 characters (not the key's start)."""
    return HIDDEN + piece


def redact_text(text: str, secrets: tuple[str, ...]) -> str:
    """Replace every occurrence of each secret (longest first) by its redacted form."""
    for entry in sorted(set(secrets), key=lambda e: len(e.lstrip(HIDDEN)), reverse=True):
        secret = entry.lstrip(HIDDEN)
        if secret:
            text = text.replace(secret, "…" if entry.startswith(HIDDEN) else redact(secret))
    return text


def looks_like_google_key(value: str) -> bool:
    """A real-looking Google API key (`AIza` + 35 characters)."""
    return _GOOGLE_KEY.fullmatch(value) is not None
