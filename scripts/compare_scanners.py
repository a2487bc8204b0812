"""Score genai2openai and other secret scanners on the labelled secrets set.

    python scripts/compare_scanners.py [--tool-bin DIR]... [--fixtures DIR] [--json]

The set, `tests/fixtures/secrets/`, is a miniature repository with FAKE keys of every shape
genai2openai knows, planted in code, comments, docstrings, notebooks and config files, plus
placeholders in key positions and look-alikes (env var names, model names, digests, UUIDs, base64
blobs, near-miss `AIza` strings); `labels.json` says where each one is. Every tool scans a copy of
the set (without `labels.json`) and is scored on:

- recall: labelled keys with a finding at their path and line / labelled keys;
- false positives: distinct lines with a finding that hold no key, split into look-alike lines,
  placeholder lines and other lines. A placeholder flagged as a secret is a false positive; for
  genai2openai only a `placeholder-key` note on a placeholder line is correct. Findings without a
  line (whispers' "this file is a .env" notice) are not counted.

The script installs nothing and runs only the tools it finds, in the `--tool-bin` directories
(searched first) or on PATH; genai2openai itself is always run from this checkout. It never prints
what a tool found or logged (those outputs hold the planted keys): only paths, lines and rule names.
Output: a Markdown table and the misses and false positives of each tool, or `--json`.

The other scanners come from PyPI; keep them out of the project's environment, e.g.:

    python -m venv /tmp/scanners && /tmp/scanners/bin/pip install detect-secrets bandit trufflehog whispers
    python -m venv /tmp/scanners2 && /tmp/scanners2/bin/pip install credsweeper tartufo
    python scripts/compare_scanners.py --tool-bin /tmp/scanners/bin --tool-bin /tmp/scanners2/bin

- detect-secrets (Yelp): `detect-secrets scan --all-files DIR`, every plugin at its defaults.
- bandit: only its hard-coded password checks, B105-B107, on `.py` files.
- trufflehog: the PyPI package (2.x, Python); it scans git history, so the copy is made a one-commit
  repository; `--regex --entropy=True`. It reports strings, not lines: a string counts on every
  line of its file that holds it. (trufflehog 3 is a Go binary, not on PyPI.)
- whispers: `whispers -a`; its Python support parses with semgrep, which pip installs with it
  (the tool's directory is put first on PATH for it).
- credsweeper (Samsung): `credsweeper --path DIR`, rules and ML filter at their defaults.
- tartufo: `tartufo --regex scan-folder DIR`; strings are located like trufflehog's.
- ggshield is not run: it sends the files to GitGuardian's API and needs an API key.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FIXTURES = ROOT / "tests" / "fixtures" / "secrets"
TIMEOUT = 600

Location = tuple[str, int]


@dataclass(frozen=True)
class Hit:
    """One finding of a tool, reduced to where it is and what the tool called it."""

    path: str
    line: int
    rule: str
    # For genai2openai: a placeholder note rather than a secret.
    placeholder: bool = False


@dataclass
class Score:
    tool: str
    version: str
    seconds: float
    found: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    false_positives: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Placeholders reported as such (a note, not a secret); None for tools without the notion.
    placeholder_notes: int | None = None

    @property
    def fp_count(self) -> int:
        return sum(len(lines) for lines in self.false_positives.values())


@dataclass(frozen=True)
class Labels:
    keys: dict[Location, str]
    placeholders: frozenset[Location]
    lookalikes: frozenset[Location]

    @classmethod
    def read(cls, folder: Path) -> Labels:
        data = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        return cls(
            keys={(k["path"], k["line"]): k["rule"] for k in data["keys"]},
            placeholders=frozenset((p["path"], p["line"]) for p in data["placeholders"]),
            lookalikes=frozenset((p["path"], p["line"]) for p in data["lookalikes"]),
        )


# --- running a tool ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tool:
    name: str
    executable: str
    # (tool, copy of the set, scratch dir) -> hits and notes
    scan: Callable[[Tool, Path, Path], tuple[list[Hit], list[str]]]
    version_args: tuple[str, ...] = ("--version",)
    # The PyPI distribution, for a tool that has no --version (asked of its virtualenv's python).
    distribution: str = ""
    fixed_version: str = ""

    @property
    def directory(self) -> str:
        return os.path.dirname(self.executable)

    def run(self, args: Sequence[str], cwd: Path, ok: Iterable[int] = (0, 1)) -> str:
        """The tool's stdout. Its output may hold keys: it is parsed, never shown."""
        env = dict(os.environ, PATH=self.directory + os.pathsep + os.environ.get("PATH", ""))
        proc = subprocess.run(
            [self.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
        if proc.returncode not in ok:
            raise ToolFailed(f"{self.name} exited with status {proc.returncode}")
        return proc.stdout

    def version(self) -> str:
        if self.fixed_version:
            return self.fixed_version
        if not self.version_args:
            return _distribution_version(self.directory, self.distribution) or "?"
        try:
            out = subprocess.run(
                [self.executable, *self.version_args], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return "?"
        match = re.search(r"\d+\.\d+(?:\.\d+)?", out.stdout + out.stderr)
        return match.group() if match else "?"


class ToolFailed(Exception):
    """A tool ran but failed; the message holds no output of the tool."""


def _distribution_version(directory: str, distribution: str) -> str:
    """The version of a package installed next to a tool's executable (its virtualenv's python)."""
    python = os.path.join(directory, "python")
    if not distribution or not os.path.exists(python):
        return ""
    code = f"import importlib.metadata as m; print(m.version({distribution!r}))"
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _relative(path: str, root: Path, cwd: Path | None = None) -> str:
    """A reported path relative to the scanned copy; `cwd` is where the tool ran (default: `root`)."""
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = (cwd or root) / candidate
    return os.path.relpath(os.path.realpath(candidate), os.path.realpath(root)).replace(os.sep, "/")


def _lines_holding(root: Path, path: str, strings: Iterable[str]) -> list[int]:
    """The lines of `path` that hold one of `strings` (for tools that report strings, not lines)."""
    try:
        lines = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    wanted = [s.strip() for s in strings if len(s.strip()) >= 8]
    return [number for number, line in enumerate(lines, 1) if any(s in line for s in wanted)]


# --- one parser per tool -------------------------------------------------------------------------


def scan_genai2openai(tool: Tool, copy: Path, scratch: Path) -> tuple[list[Hit], list[str]]:
    out = tool.run(["-m", "codemod", "--secrets-only", "--report", "-", "--report-format", "json", str(copy)], ROOT)
    report = json.loads(out)
    hits = [
        Hit(_relative(f["path"], copy, ROOT), f["line"], f["rule"] or f["kind"], f["kind"] == "placeholder-key")
        for f in report["findings"]
    ]
    return hits, []


def scan_detect_secrets(tool: Tool, copy: Path, scratch: Path) -> tuple[list[Hit], list[str]]:
    report = json.loads(tool.run(["scan", "--all-files", "."], copy))
    hits = [
        Hit(_relative(path, copy), secret["line_number"], secret["type"])
        for path, secrets in report["results"].items()
        for secret in secrets
    ]
    return hits, []


def scan_bandit(tool: Tool, copy: Path, scratch: Path) -> tuple[list[Hit], list[str]]:
    report = json.loads(tool.run(["-r", ".", "-f", "json", "-q", "-t", "B105,B106,B107"], copy))
    hits = [Hit(_relative(r["filename"], copy), r["line_number"], r["test_id"]) for r in report["results"]]
    return hits, ["B105-B107 only, .py files only"]


def scan_trufflehog(tool: Tool, copy: Path, scratch: Path) -> tuple[list[Hit], list[str]]:
    repo = scratch / "git"
    shutil.copytree(copy, repo)
    git = ["git", "-c", "user.name=compare", "-c", "user.email=compare@example.invalid", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "labelled set"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    out = tool.run(["--json", "--regex", "--entropy=True", repo.as_uri()], scratch)
    hits = []
    for line in out.splitlines():
        if line.strip().startswith("{"):
            issue = json.loads(line)
            for number in _lines_holding(copy, issue["path"], issue["stringsFound"]):
                hits.append(Hit(issue["path"], number, issue["reason"]))
    return hits, ["reports strings: located on the lines that hold them"]


def scan_whispers(tool: Tool, copy: Path, scratch: Path) -> tuple[list[Hit], list[str]]:
    output = scratch / "whispers.json"
    tool.run(["-a", "-o", str(output), str(copy)], scratch, ok=range(256))
    items = json.loads(output.read_text(encoding="utf-8")) if output.exists() else []
    hits = [Hit(_relative(i["file"], copy, scratch), int(i["line"]), i["rule_id"]) for i in items if int(i["line"]) > 0]
    notes = [] if shutil.which("semgrep", path=tool.directory) or shutil.which("semgrep") else ["no semgrep: .py not parsed"]
    return hits, notes


def scan_credsweeper(tool: Tool, copy: Path, scratch: Path) -> tuple[list[Hit], list[str]]:
    output = scratch / "credsweeper.json"
    tool.run(["--path", str(copy), "--save-json", str(output), "--no-stdout", "--log", "ERROR"], scratch)
    items = json.loads(output.read_text(encoding="utf-8"))
    hits = [
        Hit(_relative(data["path"], copy, scratch), data["line_num"], f"{item['rule']} ({item['severity']})")
        for item in items
        for data in item["line_data_list"]
    ]
    return hits, []


def scan_tartufo(tool: Tool, copy: Path, scratch: Path) -> tuple[list[Hit], list[str]]:
    report = json.loads(tool.run(["--regex", "-of", "json", "scan-folder", str(copy)], scratch))
    hits = []
    for issue in report.get("found_issues", []):
        path = _relative(issue["file_path"], copy)
        rule = issue.get("issue_detail") or issue.get("issue_type") or "?"
        for number in _lines_holding(copy, path, [issue.get("matched_string") or ""]):
            hits.append(Hit(path, number, rule))
    return hits, ["reports strings: located on the lines that hold them"]


SCANNERS: tuple[tuple[str, str, Callable[[Tool, Path, Path], tuple[list[Hit], list[str]]], tuple[str, ...], str], ...] = (
    ("detect-secrets", "detect-secrets", scan_detect_secrets, ("--version",), "detect-secrets"),
    ("bandit", "bandit", scan_bandit, ("--version",), "bandit"),
    ("trufflehog", "trufflehog", scan_trufflehog, (), "truffleHog"),
    ("whispers", "whispers", scan_whispers, ("--version",), "whispers"),
    ("credsweeper", "credsweeper", scan_credsweeper, ("--version",), "credsweeper"),
    ("tartufo", "tartufo", scan_tartufo, ("--version",), "tartufo"),
)


def find_tools(bin_dirs: Sequence[str]) -> tuple[list[Tool], list[str]]:
    """genai2openai from this checkout, and every other scanner found; plus the names not found."""
    from codemod import __version__

    ours = Tool("genai2openai", sys.executable, scan_genai2openai, fixed_version=__version__)
    tools, missing = [ours], []
    search = os.pathsep.join([*bin_dirs, os.environ.get("PATH", "")])
    for name, executable, scan, version_args, distribution in SCANNERS:
        path = shutil.which(executable, path=search)
        if path:
            tools.append(Tool(name, path, scan, version_args, distribution))
        else:
            missing.append(name)
    return tools, missing


# --- scoring -------------------------------------------------------------------------------------


def score(tool: Tool, hits: Sequence[Hit], labels: Labels, seconds: float, notes: list[str]) -> Score:
    result = Score(tool.name, tool.version(), seconds, notes=notes)
    rules: dict[Location, set[str]] = {}
    secret_lines: set[Location] = set()
    noted: set[Location] = set()
    for hit in hits:
        location = (hit.path, hit.line)
        rules.setdefault(location, set()).add(hit.rule)
        if hit.placeholder and location in labels.placeholders:
            noted.add(location)
        else:
            secret_lines.add(location)
    if any(hit.placeholder for hit in hits) or tool.name == "genai2openai":
        result.placeholder_notes = len(noted - secret_lines)
    for location, rule in sorted(labels.keys.items()):
        name = f"{location[0]}:{location[1]}:{rule}"
        (result.found if location in secret_lines else result.missed).append(name)
    groups = {"look-alike": labels.lookalikes, "placeholder": labels.placeholders}
    for location in sorted(secret_lines - set(labels.keys)):
        group = next((g for g, members in groups.items() if location in members), "other")
        found_as = ",".join(sorted(rules[location]))
        result.false_positives.setdefault(group, []).append(f"{location[0]}:{location[1]} ({found_as})")
    return result


def evaluate(tools: Sequence[Tool], fixtures: Path) -> list[Score]:
    labels = Labels.read(fixtures)
    scores = []
    with tempfile.TemporaryDirectory(prefix="compare-scanners-") as temp:
        copy = Path(temp) / "set"
        shutil.copytree(fixtures, copy, ignore=shutil.ignore_patterns("labels.json", "__pycache__"))
        for tool in tools:
            scratch = Path(temp) / f"scratch-{tool.name}"
            scratch.mkdir()
            start = time.perf_counter()
            try:
                hits, notes = tool.scan(tool, copy, scratch)
            except (ToolFailed, subprocess.SubprocessError, OSError, ValueError, KeyError) as error:
                # The message names the tool and its status (or the JSON error's position): no output.
                print(f"{tool.name}: skipped ({_safe(error)})", file=sys.stderr)
                continue
            scores.append(score(tool, hits, labels, time.perf_counter() - start, notes))
    return scores


_SAFE_ERRORS = (ToolFailed, json.JSONDecodeError, subprocess.TimeoutExpired, subprocess.CalledProcessError)


def _safe(error: Exception) -> str:
    """An error fit to print: these messages name a status, a command or a position in the
    output, never the output itself; any other error shows its type only."""
    return f"{type(error).__name__}: {error}" if isinstance(error, _SAFE_ERRORS) else type(error).__name__


# --- output --------------------------------------------------------------------------------------


def markdown(scores: Sequence[Score], labels: Labels, missing: Sequence[str]) -> str:
    total = len(labels.keys)
    out = [
        f"Labelled set: {total} keys, {len(labels.placeholders)} placeholders in key positions, "
        f"{len(labels.lookalikes)} look-alike lines.",
        "",
        "| tool | version | recall | false positives (look-alike / placeholder / other lines) | placeholders reported as notes | time |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in scores:
        fp = s.false_positives
        split = " / ".join(str(len(fp.get(g, []))) for g in ("look-alike", "placeholder", "other"))
        recall = f"{len(s.found)}/{total} ({100 * len(s.found) / total:.0f}%)"
        notes = "–" if s.placeholder_notes is None else f"{s.placeholder_notes}/{len(labels.placeholders)}"
        out.append(f"| {s.tool} | {s.version} | {recall} | {s.fp_count} ({split}) | {notes} | {s.seconds:.1f} s |")
    if missing:
        out += ["", f"Not found (not installed): {', '.join(missing)}."]
    for s in scores:
        out += ["", f"### {s.tool}", ""]
        out += [f"- note: {note}" for note in s.notes]
        out.append(f"- missed ({len(s.missed)}): {', '.join(s.missed) or 'none'}")
        for group in ("look-alike", "placeholder", "other"):
            lines = s.false_positives.get(group, [])
            if lines:
                out.append(f"- false positives on {group} lines ({len(lines)}): {', '.join(lines)}")
    return "\n".join(out) + "\n"


def as_json(scores: Sequence[Score], labels: Labels, missing: Sequence[str]) -> str:
    data = {
        "labelled": {"keys": len(labels.keys), "placeholders": len(labels.placeholders), "lookalikes": len(labels.lookalikes)},
        "tools": [
            {
                "tool": s.tool,
                "version": s.version,
                "seconds": round(s.seconds, 2),
                "recall": round(len(s.found) / len(labels.keys), 4),
                "found": len(s.found),
                "missed": s.missed,
                "false_positives": s.fp_count,
                "false_positive_lines": s.false_positives,
                "placeholder_notes": s.placeholder_notes,
                "notes": s.notes,
            }
            for s in scores
        ],
        "not_found": list(missing),
    }
    return json.dumps(data, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tool-bin", action="append", default=[], metavar="DIR", help="where to look for scanners first (repeatable)")
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="the labelled set (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="JSON instead of Markdown")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    tools, missing = find_tools(args.tool_bin)
    labels = Labels.read(args.fixtures)
    scores = evaluate(tools, args.fixtures)
    sys.stdout.write((as_json if args.json else markdown)(scores, labels, missing))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
