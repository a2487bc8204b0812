"""What a key looks like, what a placeholder looks like, and how to show either safely.

The key shapes are data (`RULES`): one entry per vendor, each a regular expression for the key
itself. Detection adds word boundaries around it; tests generate keys from it. There is no entropy
guessing: a digest or a UUID matches no rule, so it is never a key.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

SHOWN_PREFIX = 4
_KEY_CHARS = "A-Za-z0-9_-"


@dataclass(frozen=True)
class KeyRule:
    """One vendor's key shape. `env` is where the migrated code reads such a key from."""

    id: str
    name: str
    shape: str
    env: str
    # The literal starts its shape allows, longest first (`sk-proj-` before `sk-`).
    prefixes: tuple[str, ...] = ()
    # How severe a leaked key of this kind is, for SARIF's security-severity (0-10).
    security_severity: float = 8.0

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.shape)  # cached: rules are few, keys are tested often


GOOGLE_RULE_ID = "google-api-key"
GENERIC_RULE_ID = "generic-api-key"
PLACEHOLDER_RULE_ID = "placeholder-key"

RULES: tuple[KeyRule, ...] = (
    # gitleaks: \b(AIza[\w-]{35})(?:[`'"\s;]|\\[nr]|$)
    KeyRule(GOOGLE_RULE_ID, "Google API key", r"AIza[A-Za-z0-9_-]{35}", "GEMINI_API_KEY", ("AIza",)),
    KeyRule("anthropic-api-key", "Anthropic API key", r"sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA", "ANTHROPIC_API_KEY", ("sk-ant-",)),
    KeyRule("openrouter-api-key", "OpenRouter API key", r"sk-or-v1-[a-f0-9]{64}", "OPENROUTER_API_KEY", ("sk-or-v1-",)),
    KeyRule(
        "openai-api-key",
        "OpenAI API key",
        r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-[A-Za-z0-9]{48}",
        "OPENAI_API_KEY",
        ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-"),
    ),
    KeyRule("groq-api-key", "Groq API key", r"gsk_[A-Za-z0-9]{52}", "GROQ_API_KEY", ("gsk_",)),
    KeyRule("huggingface-token", "Hugging Face token", r"hf_[A-Za-z]{34}", "HF_TOKEN", ("hf_",)),
    KeyRule("xai-api-key", "xAI API key", r"xai-[A-Za-z0-9]{80}", "XAI_API_KEY", ("xai-",)),
    KeyRule("perplexity-api-key", "Perplexity API key", r"pplx-[A-Za-z0-9]{48}", "PERPLEXITY_API_KEY", ("pplx-",)),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


# A key starts after a character that cannot be part of it, or after an escape sequence in the
# raw text of a string (`"key:\tAIza..."` in source code, `\n` or `\u00e9` in JSON).
_START = rf"(?:(?<![{_KEY_CHARS}])|(?<=\\[nrtbfv])|(?<=\\x[0-9a-fA-F]{{2}})|(?<=\\u[0-9a-fA-F]{{4}}))"
_END = rf"(?![{_KEY_CHARS}])"


# --- names of key positions ---------------------------------------------------------------------

_VENDORS = "openai|gemini|google|mistral|deepseek|anthropic|claude|groq|cohere|together|openrouter|xai|grok|perplexity|pplx|hf|huggingface|fireworks|replicate"
_KEY_NAME_SUFFIXES = ("apikey", "apitoken", "accesstoken", "authtoken", "secretkey", "bearertoken", "clientsecret", "accesskey")
_KEY_NAMES = frozenset({"token", "secret", "hftoken", "authorization"})
_VENDOR_KEY = re.compile(rf"(?:{_VENDORS})key")  # OPENAI_KEY, MISTRAL_KEY, HF_KEY


def is_api_key_name(name: str) -> bool:
    """A name only a key goes by (`api_key`, `OPENAI_API_KEY`), unlike `token` or `secret`."""
    normalized = re.sub(r"[^a-z0-9]", "", name.lower())
    return normalized.endswith(_KEY_NAME_SUFFIXES) or _VENDOR_KEY.fullmatch(normalized) is not None


def is_fill_in(value: str) -> bool:
    """A placeholder someone has to replace (`YOUR_API_KEY`, `<key>`, `sk-...`, `AIzaXXXX`), as
    opposed to an env var name, a key's name (`gemini-api-key`, as secret managers call keys) or
    an empty string, which code uses on purpose."""
    stripped = value.strip()
    if not stripped or (_ENV_NAME.fullmatch(stripped) and not _PLACEHOLDER_WORDS.search(stripped)):
        return False
    return not names_a_key(stripped) and is_placeholder(stripped)


def is_key_name(name: str) -> bool:
    """`api_key`, `apiKey`, `GEMINI_API_KEY`, `x-goog-api-key`, `token`, `HF_TOKEN`... but not
    `API_KEY_ENV`, `max_tokens` or `pad_token`."""
    if any(c in name for c in ":/ "):  # `AWS::ApiGateway::ApiKey`, a path, a sentence: no variable
        return False
    return re.sub(r"[^a-z0-9]", "", name.lower()) in _KEY_NAMES or is_api_key_name(name)


@functools.cache
def _compiled(shape: str) -> re.Pattern[str]:
    return re.compile(rf"{_START}(?:{shape}){_END}")


_ANY_KEY = re.compile(rf"{_START}(?:{'|'.join(f'(?P<r{i}>{r.shape})' for i, r in enumerate(RULES))}){_END}")
# Cheap byte tests: could this file hold a key at all, or a literal in a key position?
# Forms of a key position holding a literal, matched on lowercased bytes: a keyword argument
# (`(api_key="`, `, token="`), a dict entry (`"apikey": "`), an env lookup default or env write
# (`getenv("hf_token", "`, `environ["x_api_key"] = "`), a long literal assigned to a key name,
# and `api_key=` followed by a name (a constant that may hold the key).
_QUOTE = rb"""[rbfu]{0,2}["']"""


def _strong_key_names() -> tuple[bytes, ...]:
    """The names `is_api_key_name` accepts (`api_key`, `MISTRAL-KEY`, `client_secret`,
    `auth_token`...), one pattern per last word (`key`, `token`, `secret`) followed by fixed-width
    look-behinds for what comes before it. Each pattern starts with its word, so that `re` looks
    for it at `find` speed on the lowercased bytes (an alternation of the three would not)."""
    pairs = [(suffix[: -len(end)], end) for suffix in _KEY_NAME_SUFFIXES for end in ("key", "token", "secret") if suffix.endswith(end)]
    pairs += [(vendor, "key") for vendor in _VENDORS.split("|")] + [("hf", "token")]
    patterns = []
    for end in ("key", "token", "secret"):
        behind = [f"(?<={stem}{sep}{end})" for stem, last in pairs if last == end for sep in ("", "_", "-")]
        patterns.append(f"{end}(?:{'|'.join(behind)})".encode())
    return tuple(patterns)


# A name only a key goes by, then a literal, a name or a parenthesis after `=`, `:` or `,`
# (`api_key = "`, `API_KEY: str = "`, `"apiKey": x`, `getenv("OPENAI_API_KEY", "`,
# `environ["GEMINI_API_KEY"] = "`, `access_token=TOKEN`, `("--api-token", default=`); common
# words (`token`, `secret`) only as a keyword argument, a dict entry, an env default or write,
# or a long literal, not `self.token = ''`. Matched on lowercased bytes.
_KEY_POSITION_HINTS = (
    *(re.compile(name + rb"""(?:["']\]?)?(?::[^=\n]{1,40})?\s*[:=,]\s*(?:""" + _QUOTE + rb"|[a-z_(])") for name in _strong_key_names()),
    *(
        re.compile(
            word + rb"(?:=" + _QUOTE + rb"""|["']\s*[:,]\s*""" + _QUOTE + rb"""|["']\]\s*=\s*""" + _QUOTE
            + rb"|(?::[^=\n]{1,40})?\s*=\s*" + _QUOTE + rb"""[^"'\s]{16,}["'])"""
        )
        for word in (b"token", b"secret")
    ),
    # `{"Authorization": "Bearer ..."}`, not `("Authorization", "Basic %s")`.
    re.compile(rb"""authorization(?:=|["']\s*:\s*|["']\]\s*=\s*)""" + _QUOTE + rb"(?:bearer|token)\s"),
)
# The pre-filter has no boundaries: a false alarm costs a parse, a miss costs a key.
_ANY_KEY_BYTES_LOOSE = re.compile("|".join(f"(?:{rule.shape})" for rule in RULES).encode())
# For redaction, no boundaries: `cfg_AIza....py` is no key to report, but it is no text to show.
_ANY_KEY_LOOSE = re.compile("|".join(f"(?:{rule.shape})" for rule in RULES))
# Every rule's prefixes, longest first; for the byte test only those no shorter one covers.
_PREFIXES = tuple(sorted({prefix for rule in RULES for prefix in rule.prefixes}, key=lambda p: (-len(p), p)))
_SHORTEST_PREFIXES = tuple(p for p in _PREFIXES if not any(p != q and p.startswith(q) for q in _PREFIXES))
_KEY_PREFIXES = tuple(p.encode() for p in _SHORTEST_PREFIXES)


def may_hold_key(data: bytes) -> bool:
    """Does this text contain a key-shaped token (placeholders included)? Every key starts with
    a rule's prefix: the shapes are only tried where one stands (a search of the whole text with
    their alternation would try every position)."""
    for prefix in _KEY_PREFIXES:
        start = data.find(prefix)
        while start >= 0:
            if _ANY_KEY_BYTES_LOOSE.match(data, start) is not None:
                return True
            start = data.find(prefix, start + 1)
    return False


def may_hold_key_position(data: bytes) -> bool:
    """Could this source put a literal in a key position (`api_key=`, `token=`, ...)?"""
    lowered = data.lower()
    return any(hint.search(lowered) is not None for hint in _KEY_POSITION_HINTS)


@dataclass(frozen=True)
class KeyMatch:
    """A key found in a text: its rule, its value and where it starts (0-based offset)."""

    rule: KeyRule
    value: str
    start: int


def find_keys(text: str) -> list[KeyMatch]:
    """Every key-shaped token of `text`, placeholders (`AIzaXXXX…`) excepted."""
    if not any(prefix in text for prefix in _SHORTEST_PREFIXES):
        return []  # every key starts with a prefix: the regex need not run (it is slow on long texts)
    found = []
    for match in _ANY_KEY.finditer(text):
        index = next(int(name[1:]) for name, value in match.groupdict().items() if value is not None)
        if not is_placeholder(match.group()):
            found.append(KeyMatch(RULES[index], match.group(), match.start()))
    return found


def key_rule(value: str) -> KeyRule | None:
    """The rule `value` is a whole key of, if any."""
    return next((rule for rule in RULES if rule.pattern.fullmatch(value)), None)


# --- placeholders -------------------------------------------------------------------------------

_PLACEHOLDER_WORDS = re.compile(
    r"your|here|placeholder|example|changeme|change_me|replace|insert|dummy|fake|sample|redacted|"
    r"xxxx|\*\*\*|\.\.\.|…|<|>|\{|\}",
    re.IGNORECASE,
)
# An env var name (`GEMINI_API_KEY`, `${OPENAI_API_KEY}`, `API_KEY`, `EMPTY`), not an upper-case
# credential such as `Q7XK2N9PL4MR8TZ3B6`: a name has an underscore or no digit.
_ENV_NAME = re.compile(r"\$?\{?(?:[A-Z][A-Z0-9]*_[A-Z0-9_]*|[A-Z]+)\}?")


# In a value of a key's shape only an unmistakable filler counts: a random key holds "here" or
# "fake" about once in 5,000, but a run of six x's or a separated word almost never.
_SHAPED_PLACEHOLDER = re.compile(
    r"x{6,}|(?:^|[_-])(?:your|here|example|placeholder|dummy|fake|sample|replace|insert|redacted|changeme)(?:[_-]|$)",
    re.IGNORECASE,
)
# A value made only of lower-case words naming a vendor or a key (`gemini-key`, `openai_api_key`,
# `my-api-key`, `test-key`) says what a key is, it is none: every key shape has capitals, digits or
# a word of no dictionary, and an unknown-shape credential needs digits, so no key can read so.
_KEY_WORDS = frozenset({*_VENDORS.split("|"), "api", "key", "keys", "apikey", "token", "secret", "access", "auth", "my", "test"})
_LOWER_WORDS = re.compile(r"[a-z]+(?:[-_][a-z]+)*")


def names_a_key(value: str) -> bool:
    """`gemini-key`, `google_api_key`, `my-api-key`: lower-case words naming a vendor or a key."""
    return _LOWER_WORDS.fullmatch(value) is not None and all(word in _KEY_WORDS for word in re.split("[-_]", value))


# Values that stand for "no key needed" (Ollama, vLLM, LM Studio): neither a key nor a placeholder.
NO_KEY_VALUES = frozenset({"empty", "none", "null", "nokey", "no-key", "no_key", "not-needed", "not_needed", "unused", "ollama", "lm-studio", "lmstudio", "sk-no-key-required"})


def is_placeholder(value: str) -> bool:
    """A stand-in for a key, not a key: `""`, `YOUR_API_KEY`, `<key>`, `AIza...`, `sk-XXXX`,
    an env var name such as `GEMINI_API_KEY` or `${OPENAI_API_KEY}`, a key's name (`gemini-key`)."""
    stripped = value.strip()
    if not stripped or _ENV_NAME.fullmatch(stripped) or names_a_key(stripped):
        return True
    if not any(c.isascii() for c in stripped):
        return False  # `"㊙"` in an emoji table
    body = next((stripped[len(p) :] for p in _PREFIXES if stripped.startswith(p)), stripped)
    if len(set(body.lower())) <= 2:  # "XX", "sk-xxxxxxxx", "AIza000…"
        return True
    if key_rule(stripped) is not None:
        return _SHAPED_PLACEHOLDER.search(body) is not None
    return _PLACEHOLDER_WORDS.search(stripped) is not None


def looks_like_credential(value: str) -> bool:
    """A literal in a key position that is no known shape but could be a key: long enough (20+:
    shorter hex strings are hashes more often than keys), one token, letters and digits. Shorter or wordy values (`"ollama"`, `"not-needed"`) are not."""
    return (
        len(value) >= 20
        and not any(c.isspace() for c in value)
        and "://" not in value and not value.startswith(("/", "arn:", "./", "~/"))  # URLs, paths, ARNs
        and any(c.isalpha() for c in value)
        and any(c.isdigit() for c in value)
        and not is_placeholder(value)
    )


# --- showing keys safely ------------------------------------------------------------------------


def preview(secret: str) -> str:
    """`AIza…(39 chars)`: at most the first 4 characters, and the length."""
    shown = secret[:SHOWN_PREFIX] if len(secret) > 2 * SHOWN_PREFIX else ""
    return f"{shown}…({len(secret)} chars)"


def redact(secret: str) -> str:
    """How a key is written wherever its text would appear: `AIza…(39 chars, redacted)`."""
    return preview(secret)[:-1] + ", redacted)"


HIDDEN = "\x00"  # marks a secret entry to hide entirely (a later piece of a split key)


def hidden(piece: str) -> str:
    """A secrets entry for a piece that must not show even 4 characters (not the key's start)."""
    return HIDDEN + piece


def redact_text(text: str, secrets: tuple[str, ...]) -> str:
    """Replace every occurrence of each secret (longest first) by its redacted form, and any
    key-shaped token on top, so a key never shows in full even if nobody listed it."""
    for entry in sorted(set(secrets), key=lambda e: len(e.lstrip(HIDDEN)), reverse=True):
        secret = entry.lstrip(HIDDEN)
        if secret:
            text = text.replace(secret, "…" if entry.startswith(HIDDEN) else redact(secret))
    return _ANY_KEY_LOOSE.sub(lambda match: redact(match.group()), text)


def digest(*parts: str) -> str:
    """A stable hash of `parts` (hex SHA-256); used for fingerprints, never reversible to a key."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
