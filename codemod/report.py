"""Render results: diffs for stdout, findings and a summary for stderr, and the reports.

`render(format, results, root=...)` writes one of `FORMATS`: `text` (grouped by file, for
people), `json` (version 2, schema in `report.schema.json`, documented in
docs/report-format.md), `sarif` (SARIF 2.1.0 for GitHub code scanning) and `github` (workflow
command annotations). Every text that reaches any output goes through `secrets.redact_text`
first, so a literal key found in the code never appears in full.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import quote

from codemod import __version__
from codemod.ftypes import FileResult, Finding, Kind, Severity
from codemod.notebooks import NotebookError, read_notebook
from codemod.secrets import GENERIC_RULE_ID, PLACEHOLDER_RULE_ID, RULES_BY_ID, redact_text
from codemod.suppress import fingerprint, relative_path

REPORT_VERSION = 2
TOOL = "genai2openai"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "genai2openai/v1"
SRCROOT = "%SRCROOT%"
JSON_SCHEMA = "report.schema.json"  # package resource: importlib.resources.files("codemod") / JSON_SCHEMA
GITHUB_LIMIT = 10  # annotations GitHub shows per level and step
NO_NEWLINE = "\\ No newline at end of file\n"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def unified_diff(result: FileResult, relative_to: Path, secrets: tuple[str, ...] = ()) -> str:
    """A `git diff`-style unified diff of one changed file, with its secrets (and `secrets`,
    the keys found in the other files of the run) redacted, its path too."""
    if not result.changed or result.original is None or result.migrated is None:
        return ""
    known = (*result.secrets, *secrets)
    name = redact_text(display_path(result.path, relative_to), known)
    cells = _changed_cells(result) if result.path.endswith(".ipynb") else None
    if cells is not None:
        return "".join(_diff(f"{name}:cell {index + 1}", old, new, known) for index, old, new in cells)
    return _diff(name, result.original, result.migrated, known)


def _diff(name: str, original: str, migrated: str, known: tuple[str, ...]) -> str:
    """The unified diff of two texts, headed `a/<name>` and `b/<name>`, secrets redacted."""
    old = _lines(redact_text(original, known))
    new = _lines(redact_text(migrated, known))
    diff = difflib.unified_diff(old, new, f"a/{name}", f"b/{name}")
    return "".join(_terminated(line) for line in diff)


def _changed_cells(result: FileResult) -> list[tuple[int, str, str]] | None:
    """The index, old and new source of each cell of a notebook whose source changed (its
    other bytes never change); None when the texts are not two notebooks of the same cells."""
    try:
        before, after = read_notebook(result.original or ""), read_notebook(result.migrated or "")
    except NotebookError:
        return None
    if [cell.kind for cell in before.cells] != [cell.kind for cell in after.cells]:
        return None
    changed = [(old.index, old.source, new.source) for old, new in zip(before.cells, after.cells) if old.source != new.source]
    return [(index, _closed(old), _closed(new)) for index, old, new in changed]


def _closed(source: str) -> str:
    """A cell's source ending with a line break: a cell's last line has none, which is no news."""
    return source if not source or source.endswith(("\n", "\r")) else source + "\n"


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


def colored_diff(diff: str) -> str:
    """A unified diff with ANSI colours: file headers bold, hunk headers cyan, removed lines
    red, added lines green (what `git diff` shows on a terminal)."""
    out = []
    for line in _lines(diff):
        body, end = line.rstrip("\r\n"), line[len(line.rstrip("\r\n")) :]
        if line.startswith(("--- ", "+++ ")):
            out.append(f"\033[1m{body}\033[0m{end}")
        elif line.startswith("@@"):
            out.append(f"\033[36m{body}\033[0m{end}")
        elif line.startswith("-"):
            out.append(f"\033[31m{body}\033[0m{end}")
        elif line.startswith("+"):
            out.append(f"\033[32m{body}\033[0m{end}")
        else:
            out.append(line)
    return "".join(out)


def summary(
    results: Sequence[FileResult], *, written: bool = False, scan_only: bool = False, seconds: float | None = None, hint: bool = False
) -> str:
    """One line for stderr, e.g. `3 files would be changed, 1 file failed, 2 findings (2 warnings);
    40 files scanned, 1 with TODOs left (manual-migration 2) in 0.4 s` (`--secrets-only`:
    `120 files scanned, ...`); `hint`: say how to apply the diffs."""
    changed = sum(result.changed for result in results)
    failed = sum(result.error is not None for result in results)
    findings = [finding for result in results for finding in result.findings]
    if scan_only:
        parts = [f"{_plural(len(results), 'file')} scanned"]
    else:
        parts = [f"{_plural(changed, 'file')} {'changed' if written else 'would be changed'}"]
    if failed:
        parts.append(f"{_plural(failed, 'file')} failed")
    parts.append(_plural(len(findings), "finding") + _by_severity(findings))
    line = ", ".join(parts)
    if seconds is not None:
        line += "; " + _scope(results, scan_only) + f" in {seconds:.1f} s"
    if hint and changed:
        line += "; run again with --write to apply the diffs"
    return line


def _scope(results: Sequence[FileResult], scan_only: bool) -> str:
    """How much was looked at, and what is left to do by hand."""
    parts = [] if scan_only else [f"{_plural(len(results), 'file')} scanned"]
    notebooks = sum(1 for r in results if r.path.endswith(".ipynb"))
    if notebooks:
        parts.append(_plural(notebooks, "notebook"))
    todo = [r for r in results if any(f.kind is Kind.MANUAL_MIGRATION or f.kind is Kind.CROSS_MODULE for f in r.findings)]
    if todo:
        kinds = Counter(f.kind.value for r in results for f in r.findings if not f.is_key)
        parts.append(f"{len(todo)} with TODOs left (" + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ")")
    return ", ".join(parts) if parts else "done"


def _by_severity(findings: Sequence[Finding]) -> str:
    counts = [
        _plural(n, severity.value)
        for severity in Severity
        if (n := sum(f.severity is severity for f in findings))
    ]
    return f" ({', '.join(counts)})" if counts else ""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def errors_text(results: Sequence[FileResult]) -> str:
    """One line per file that could not be handled: `path: error: reason`."""
    secrets = all_secrets(results)
    return "".join(
        f"{_printable(redact_text(r.path, secrets))}: error: {_printable(redact_text(r.error, secrets))}\n"
        for r in results
        if r.error is not None
    )


def _sorted_findings(results: Iterable[FileResult]) -> list[Finding]:
    findings = (finding for result in results for finding in result.findings)
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.kind.value, f.message))


def all_secrets(results: Iterable[FileResult]) -> tuple[str, ...]:
    """Every secret of the run: a message is redacted even against another file's keys."""
    return tuple({secret for result in results for secret in result.secrets})




# --- render: the report formats ----------------------------------------------------------------

FORMATS = ("text", "json", "sarif", "github")


def render(format: str, results: Sequence[FileResult], *, root: Path, color: bool = False) -> str:
    """The report of `results` in `format` (one of `FORMATS`); `root` is the repository root,
    which SARIF and GitHub paths and all fingerprints are relative to. `color` (ANSI) is for
    `text` only."""
    renderers: dict[str, Callable[[_Report], str]] = {
        "text": lambda report: _text(report, color=color),
        "json": _json,
        "sarif": _sarif,
        "github": _github,
    }
    if format not in renderers:
        raise ValueError(f"unknown report format {format!r} (expected one of {', '.join(FORMATS)})")
    return renderers[format](_Report(results, root))


class _Report:
    """The results of a run, prepared once for every format: sorted, with a redactor."""

    def __init__(self, results: Sequence[FileResult], root: Path) -> None:
        self.root = root
        self.findings = _sorted_findings(results)
        self.files = sorted(results, key=lambda r: r.path)
        self.failed = [r for r in self.files if r.error is not None]
        self._secrets = all_secrets(results)

    def clean(self, text: str) -> str:
        """`text` with every key of the run (and any key-shaped token) redacted."""
        return redact_text(text, self._secrets)

    def relative(self, path: str) -> str:
        """`path` relative to the root, redacted."""
        return self.clean(relative_path(path, self.root))

    def fingerprint(self, finding: Finding) -> str:
        return fingerprint(finding, self.root)


def _position(finding: Finding) -> tuple[int, int]:
    """1-based line and column (a finding's column is 0-based)."""
    return max(finding.line, 1), max(finding.column + 1, 1)


# --- text ---------------------------------------------------------------------------------------

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.NOTE: "\x1b[36m"}
_SEVERITY_WIDTH = max(len(severity.value) for severity in Severity)


def _text(report: _Report, *, color: bool) -> str:
    """Findings grouped by file: a path line, then `  line:col  severity  kind[rule]  message`
    per finding and its remediation below; a blank line between files."""
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.path, []).append(finding)
    return "\n".join(_text_group(report, path, findings, color=color) for path, findings in groups.items())


def _text_group(report: _Report, path: str, findings: list[Finding], *, color: bool) -> str:
    header = _printable(report.clean(path))
    lines = [f"{_BOLD}{header}{_RESET}" if color else header]
    places = [":".join(map(str, _position(f))) for f in findings]
    labels = [f.kind.value + (f"[{f.rule}]" if f.rule and f.rule != f.kind.value else "") for f in findings]
    place_width, label_width = max(map(len, places)), max(map(len, labels))
    indent = " " * (2 + place_width + 2 + _SEVERITY_WIDTH + 2 + label_width + 2)
    advised: set[str] = set()
    for finding, place, label in zip(findings, places, labels):
        severity = finding.severity.value.ljust(_SEVERITY_WIDTH)
        if color:
            severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
        message = _printable(report.clean(finding.message))
        lines.append(f"  {place.ljust(place_width)}  {severity}  {label.ljust(label_width)}  {message}")
        if finding.remediation and finding.remediation not in advised:  # once per file is enough
            advised.add(finding.remediation)
            lines.append(indent + _printable(report.clean(finding.remediation)))
    return "".join(line + "\n" for line in lines)


def _printable(text: str, keep: str = "\t") -> str:
    """Control and format characters but `keep` escaped (`\\x1b`, `\\u202e`): text from the scanned
    files cannot move the cursor, recolour the terminal or reorder what is shown."""
    return "".join(
        char
        if unicodedata.category(char) not in ("Cc", "Cf") or char in keep
        else (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        for char in text
    )


# --- json ---------------------------------------------------------------------------------------


def _json(report: _Report) -> str:
    """The JSON report, version 2 (see docs/report-format.md and `report.schema.json`)."""
    document = {
        "version": REPORT_VERSION,
        "tool": TOOL,
        "tool_version": __version__,
        "findings": [_json_finding(report, f) for f in report.findings],
        "files": [
            {
                "path": report.clean(r.path),
                "changed": r.changed,
                "error": None if r.error is None else report.clean(r.error),
            }
            for r in report.files
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _json_finding(report: _Report, finding: Finding) -> dict[str, object]:
    line, column = _position(finding)
    return {
        "path": report.clean(finding.path),
        "line": line,
        "column": column,
        "kind": finding.kind.value,
        "severity": finding.severity.value,
        "rule": finding.rule_id,
        "message": report.clean(finding.message),
        "preview": report.clean(finding.preview) or None,
        "remediation": report.clean(finding.remediation) or None,
        "fingerprint": report.fingerprint(finding),
    }


# --- sarif --------------------------------------------------------------------------------------

ROTATE_HELP = (
    "Rotate the key: revoke it with its provider and create a new one. Deleting it from the code "
    "does not remove it from the git history, where anyone who can read the repository can find "
    "it. Then read the new key from the environment"
)


@dataclass(frozen=True)
class _Rule:
    """What SARIF says about one rule id."""

    id: str
    short: str
    full: str
    help: str  # Markdown with `code` spans only; the plain text drops the backticks
    level: str
    security_severity: float | None = None  # key rules only

    @property
    def name(self) -> str:
        return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", self.id) if part)

    def sarif(self) -> dict[str, object]:
        rule: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "shortDescription": {"text": self.short},
            "fullDescription": {"text": self.full},
            "help": {"text": self.help.replace("`", ""), "markdown": self.help},
            "defaultConfiguration": {"level": self.level},
        }
        if self.security_severity is not None:
            rule["properties"] = {
                "tags": ["security", "secret"],
                "precision": "high",
                "security-severity": f"{self.security_severity:.1f}",
            }
        else:
            rule["properties"] = {"tags": ["migration"]}
        return rule


_KIND_RULE_LIST = (
    _Rule(
        Kind.MANUAL_MIGRATION.value,
        "Code to migrate by hand",
        "genai2openai could not translate this use of google.generativeai to the OpenAI SDK "
        "automatically; the code is left as it was, marked with a TODO(genai2openai) comment.",
        "Port this code to the OpenAI SDK by hand, following the message and the "
        "`TODO(genai2openai)` comment, then remove the comment.",
        "warning",
    ),
    _Rule(
        Kind.DROPPED_OPTION.value,
        "Option dropped in the migration",
        "An option of the google.generativeai call has no equivalent in the OpenAI SDK or the "
        "Gemini OpenAI-compatible endpoint, so the migrated code no longer passes it.",
        "Check that the code still behaves as needed without the option; the message says what "
        "it did.",
        "warning",
    ),
    _Rule(
        Kind.ASSUMED_TEXT.value,
        "Value assumed to be text",
        "The migration assumed that a value is plain text (a prompt, a message or a name), "
        "because it could not tell from the code.",
        "Check the value: if it can be something else (parts, images, a Content), migrate this "
        "call by hand.",
        "note",
    ),
    _Rule(
        Kind.CROSS_MODULE.value,
        "Depends on another migrated module",
        "This code uses a name or a configuration from another module whose meaning the "
        "migration changed.",
        "Check that this module and the one the message names still agree after the migration.",
        "warning",
    ),
    _Rule(
        Kind.PARSE_ERROR.value,
        "File could not be parsed",
        "genai2openai could not parse this file, so it was neither migrated nor scanned with "
        "its syntax tree.",
        "Fix the syntax error, or exclude the file with `--exclude`.",
        "error",
    ),
    _Rule(
        Kind.RETIRED_MODEL.value,
        "Retired model",
        "The code names a Gemini model that Google has retired: requests to it fail.",
        "Use a current model, by editing the name or with `--model-map OLD=NEW`.",
        "warning",
    ),
)
_KIND_RULES = {rule.id: rule for rule in _KIND_RULE_LIST}


def _sarif_rule(rule_id: str, kind: Kind) -> _Rule:
    """The rule of a result: a key shape, a generic or placeholder key, or a kind of finding."""
    key_rule = RULES_BY_ID.get(rule_id)
    if key_rule is not None:
        return _Rule(
            rule_id,
            f"Hardcoded {key_rule.name}",
            f"A {key_rule.name} is written in the repository. Anyone who can read the code, or "
            "its history, can use the key and spend its quota.",
            f"{ROTATE_HELP}, e.g. `os.environ[\"{key_rule.env}\"]`.",
            "error",
            key_rule.security_severity,
        )
    if rule_id == GENERIC_RULE_ID or (kind is Kind.HARDCODED_KEY and rule_id != PLACEHOLDER_RULE_ID):
        return _Rule(
            rule_id,
            "Hardcoded credential",
            "A literal that looks like a credential is passed where an API key or token goes.",
            f"{ROTATE_HELP}, e.g. `os.environ[\"API_KEY\"]`.",
            "error",
            7.0,
        )
    if rule_id == PLACEHOLDER_RULE_ID or kind is Kind.PLACEHOLDER_KEY:
        return _Rule(
            rule_id,
            "Placeholder API key",
            "A placeholder (not a real key) is written where an API key goes: the code cannot "
            "work until a real key is supplied.",
            "Set the real key in an environment variable and read it from there; never write it "
            "in the code.",
            "note",
            2.0,
        )
    if rule_id in _KIND_RULES:
        return _KIND_RULES[rule_id]
    title = rule_id.replace("-", " ").capitalize()
    return _Rule(rule_id, title, f"{title} ({kind.value}).", f"See the message of each {kind.value} finding.", "warning")


# GitHub code scanning rejects a run with more results than this.
SARIF_MAX_RESULTS = 25_000


def _sarif(report: _Report) -> str:
    """SARIF 2.1.0 for GitHub code scanning: one run, rules for the ids used, no snippets."""
    rules: dict[str, _Rule] = {}
    for finding in sorted(report.findings, key=lambda f: f.rule_id):
        rules.setdefault(finding.rule_id, _sarif_rule(finding.rule_id, finding.kind))
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    seen: dict[str, int] = {}
    results = []
    chosen = sorted(range(len(report.findings)), key=lambda i: _most_severe_first(report.findings[i]))[:SARIF_MAX_RESULTS]
    kept = [report.findings[i] for i in sorted(chosen)]  # the most severe, in path order
    for finding in kept:
        fp = report.fingerprint(finding)
        repeat = seen[fp] = seen.get(fp, -1) + 1
        results.append(_sarif_result(report, finding, index[finding.rule_id], fp if not repeat else f"{fp}:{repeat}"))
    run = {
        "tool": {
            "driver": {
                "name": TOOL,
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule.sarif() for rule in rules.values()],
            }
        },
        "invocations": [_sarif_invocation(report, left_out=len(report.findings) - len(kept))],
        "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(report)}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    document = {"version": "2.1.0", "$schema": SARIF_SCHEMA, "runs": [run]}
    return json.dumps(document, indent=2) + "\n"


def _sarif_result(report: _Report, finding: Finding, rule_index: int, fp: str) -> dict[str, object]:
    line, column = _position(finding)
    location = _artifact_location(report, finding.path)
    result: dict[str, object] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": finding.severity.value,
        "message": {"text": report.clean(finding.message)},
        "locations": [
            {"physicalLocation": {"artifactLocation": location, "region": {"startLine": line, "startColumn": column}}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fp},
    }
    if finding.is_key:
        result["properties"] = {"tags": ["security"]}
    return result


def _sarif_invocation(report: _Report, left_out: int = 0) -> dict[str, object]:
    invocation: dict[str, object] = {"executionSuccessful": not report.failed}
    notifications: list[dict[str, object]] = [
        {
            "level": "error",
            "message": {"text": report.clean(r.error or "")},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(report, r.path)}}],
        }
        for r in report.failed
    ]
    if left_out:
        text = f"{left_out} less severe findings left out: GitHub accepts {SARIF_MAX_RESULTS} results per run (use --report-format json for all)"
        notifications.append({"level": "warning", "message": {"text": text}})
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _most_severe_first(finding: Finding) -> int:
    return [Severity.ERROR, Severity.WARNING, Severity.NOTE].index(finding.severity)


def _artifact_location(report: _Report, path: str) -> dict[str, str]:
    """`{"uri": ..., "uriBaseId": "%SRCROOT%"}` for a path under the root (percent-encoded), a
    `file:` URI for one outside it."""
    relative = report.relative(path)
    if PurePath(relative).is_absolute():
        return {"uri": Path(relative).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def _root_uri(report: _Report) -> str:
    uri = Path(report.clean(str(report.root.resolve()))).as_uri()
    return uri if uri.endswith("/") else uri + "/"


# --- github -------------------------------------------------------------------------------------

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def _github(report: _Report) -> str:
    """GitHub workflow commands: the most severe annotations first, at most `GITHUB_LIMIT` per
    level (GitHub shows no more), then one notice counting the ones left out."""
    errors = [_github_error(report, r) for r in report.failed]
    by_level: dict[Severity, list[str]] = {severity: [] for severity in Severity}
    for finding in report.findings:
        by_level[finding.severity].append(_github_finding(report, finding))
    by_level[Severity.ERROR][:0] = errors
    total = sum(map(len, by_level.values()))
    limits = {severity: GITHUB_LIMIT for severity in Severity}
    if any(len(lines) > GITHUB_LIMIT for lines in by_level.values()):
        limits[Severity.NOTE] -= 1  # room for the notice that counts the rest
    out = [line for severity in Severity for line in by_level[severity][: limits[severity]]]
    left_out = total - len(out)
    if left_out:
        out.append(
            f"::notice::{TOOL}: {_plural(left_out, 'more finding')} not annotated (GitHub shows at "
            f"most {GITHUB_LIMIT} annotations of each level); run with --report-format sarif for "
            "the full report"
        )
    return "".join(line + "\n" for line in out)


def _github_finding(report: _Report, finding: Finding) -> str:
    line, column = _position(finding)
    properties = f"file={_property(report.relative(finding.path))},line={line},col={column},title={_property(finding.kind.value)}"
    message = report.clean(finding.message)
    if finding.remediation:
        message += "\n" + report.clean(finding.remediation)
    return f"::{_COMMANDS[finding.severity]} {properties}::{_data(message)}"


def _github_error(report: _Report, result: FileResult) -> str:
    return f"::error file={_property(report.relative(result.path))},title=file-error::{_data(report.clean(result.error or ''))}"


def _data(text: str) -> str:
    """GitHub's escaping of a workflow command's message (other control characters as `\\x1b`)."""
    return _printable(text, keep="\t\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """GitHub's escaping of a workflow command's property value."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
