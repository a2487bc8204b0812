"""Findings the user accepted: `# genai2openai: ignore` on the line, and a baseline file.

A baseline holds fingerprints, never keys: a hash of the file's path (relative to the
repository root), the finding's rule and the key (for other findings, its message), so it
survives lines moving around the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from codemod.ftypes import Finding
from codemod.lines import split_lines
from codemod.secrets import digest, redact_text

BASELINE_VERSION = 1
# detect-secrets' marker is honoured too, for repositories that already carry it.
_MARKER = re.compile(r"genai2openai:\s*ignore\b|pragma:\s*allowlist[ -]secret", re.IGNORECASE)


class BaselineError(Exception):
    """The baseline file cannot be read; the message is one line naming the file."""


def suppressed_lines(text: str) -> frozenset[int]:
    """1-based numbers of the lines that carry a suppression marker."""
    if not _MARKER.search(text):
        return frozenset()
    return frozenset(number for number, line in enumerate(split_lines(text), 1) if _MARKER.search(line))


def fingerprint(finding: Finding, root: Path) -> str:
    """Stable identity of a finding: hash of its repository-relative path, rule and key/message."""
    return digest(relative_path(finding.path, root), finding.rule_id, finding.identity or finding.message)


def relative_path(path: str, root: Path) -> str:
    """`path` relative to `root` with `/` separators (as given when it lies outside `root`)."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()  # outside the repository: a relative path would mislead


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints accepted in a baseline file (written by `baseline_document`)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return frozenset(str(entry["fingerprint"]) for entry in document["findings"])
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a genai2openai baseline (expected {{\"findings\": [{{\"fingerprint\": ...}}]}})") from exc


def baseline_document(findings: Sequence[Finding], root: Path) -> str:
    """A baseline accepting `findings`: fingerprints with path, line and rule for the reader."""
    entries = sorted(
        (
            {"fingerprint": fingerprint(f, root), "path": redact_text(relative_path(f.path, root), ()), "line": f.line, "rule": f.rule_id}
            for f in findings
        ),
        key=lambda e: (e["path"], e["line"], e["rule"], e["fingerprint"]),
    )
    return json.dumps({"version": BASELINE_VERSION, "tool": "genai2openai", "findings": entries}, indent=2) + "\n"


def without_baselined(findings: Iterable[Finding], accepted: frozenset[str], root: Path) -> tuple[Finding, ...]:
    return tuple(f for f in findings if fingerprint(f, root) not in accepted)
