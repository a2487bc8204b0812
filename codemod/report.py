"""Render results: diffs for stdout, findings and a summary for stderr, machine-readable reports.

Every text shown to the user goes through `secrets.redact_text` first, so a literal key found in
the code never appears in full. A new report format is one function added to `FORMATS`.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from codemod.ftypes import FileResult, Finding, Severity
from codemod.secrets import redact_text

REPORT_VERSION = 1
TOOL = "genai2openai"
NO_NEWLINE = "\\ No newline at end of file\n"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def unified_diff(result: FileResult, relative_to: Path) -> str:
    """A `git diff`-style unified diff of one changed file, with its secrets redacted."""
    if not result.changed or result.original is None or result.migrated is None:
        return ""
    name = display_path(result.path, relative_to)
    old = _lines(redact_text(result.original, result.secrets))
    new = _lines(redact_text(result.migrated, result.secrets))
    diff = difflib.unified_diff(old, new, f"a/{name}", f"b/{name}")
    return "".join(_terminated(line) for line in diff)


def display_path(path: str, relative_to: Path) -> str:
    """`path` relative to `relative_to` with `/` separators, or as given when that is impossible."""
    try:
        rel = os.path.relpath(path, relative_to)
    except ValueError:  # another drive on Windows
        rel = path
    if rel == ".." or rel.startswith(".." + os.sep):
        rel = os.path.abspath(path)  # outside the current directory: `a/../../x` helps nobody
    return Path(rel).as_posix()


def _lines(text: str) -> list[str]:
    """Split on \\n, \\r\\n and \\r only (str.splitlines would also split on form feeds etc.)."""
    return _LINE.findall(text)


def _terminated(line: str) -> str:
    return line if line.endswith(("\n", "\r")) else f"{line}\n{NO_NEWLINE}"


def summary(results: Sequence[FileResult], *, written: bool = False) -> str:
    """One short line for stderr, e.g. `3 files would be changed, 1 file failed, 2 findings (2 warnings)`."""
    changed = sum(result.changed for result in results)
    failed = sum(result.error is not None for result in results)
    findings = [finding for result in results for finding in result.findings]
    parts = [f"{_plural(changed, 'file')} {'changed' if written else 'would be changed'}"]
    if failed:
        parts.append(f"{_plural(failed, 'file')} failed")
    parts.append(_plural(len(findings), "finding") + _by_severity(findings))
    return ", ".join(parts)


def _by_severity(findings: Sequence[Finding]) -> str:
    counts = [
        _plural(n, severity.value)
        for severity in Severity
        if (n := sum(f.severity is severity for f in findings))
    ]
    return f" ({', '.join(counts)})" if counts else ""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def findings_text(results: Sequence[FileResult]) -> str:
    """One line per finding, `path:line:col: severity kind: message` (1-based column)."""
    secrets = _all_secrets(results)
    return "".join(
        f"{f.path}:{f.line}:{f.column + 1}: {f.severity.value} {f.kind.value}: "
        f"{redact_text(f.message, secrets)}\n"
        for f in _sorted_findings(results)
    )


def errors_text(results: Sequence[FileResult]) -> str:
    """One line per file that could not be handled: `path: error: reason`."""
    secrets = _all_secrets(results)
    return "".join(
        f"{r.path}: error: {redact_text(r.error, secrets)}\n"
        for r in results
        if r.error is not None
    )


def to_json(results: Sequence[FileResult]) -> str:
    """The machine-readable report (version 1); columns are 1-based, like the text output."""
    secrets = _all_secrets(results)
    document = {
        "version": REPORT_VERSION,
        "tool": TOOL,
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column + 1,
                "kind": f.kind.value,
                "severity": f.severity.value,
                "message": redact_text(f.message, secrets),
            }
            for f in _sorted_findings(results)
        ],
        "files": [
            {
                "path": r.path,
                "changed": r.changed,
                "error": None if r.error is None else redact_text(r.error, secrets),
            }
            for r in sorted(results, key=lambda r: r.path)
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _sorted_findings(results: Iterable[FileResult]) -> list[Finding]:
    findings = (finding for result in results for finding in result.findings)
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.kind.value, f.message))


def _all_secrets(results: Iterable[FileResult]) -> tuple[str, ...]:
    """Every secret of the run: a message is redacted even against another file's keys."""
    return tuple({secret for result in results for secret in result.secrets})


FORMATS: dict[str, Callable[[Sequence[FileResult]], str]] = {"json": to_json}
