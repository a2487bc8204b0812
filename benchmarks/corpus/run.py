"""Measure genai2openai on a corpus of real public code that uses google.generativeai.

The corpus is `manifest.json` (repository, path, commit, sha256 of each file); the files
themselves live in `files/<owner>__<name>/<path>` and are not committed. Each repository's files
are migrated together, in-process, with the project's own runner (as the CLI does, so a model
built in one module and used in another is seen across modules), and each file is classified:

- fully migrated: no google.generativeai left, no TODO(genai2openai) comment;
- only no-equivalent TODOs: every TODO names something the OpenAI API lacks (`NO_EQUIVALENT`);
- partly migrated: some calls moved to OpenAI, other TODOs could be fixed;
- unchanged: nothing moved to OpenAI;
- nothing to migrate: the file neither uses the SDK nor changed (a related module);
- error: the tool failed, or its output does not parse or no longer compiles.

Usage: python benchmarks/corpus/run.py [--json FILE] [--diffs DIR] [--only OWNER/NAME]
Standard library and the `codemod` package only; no network.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import libcst as cst

import codemod
from codemod.ftypes import TODO_PREFIX, FileResult, Options
from codemod.report import all_secrets, unified_diff
from codemod.runner import run

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
FILES = HERE / "files"

# Statuses, in the order the table shows them.
FULL = "fully migrated"
NO_EQUIV = "only no-equivalent TODOs"
PARTLY = "partly migrated"
UNCHANGED = "unchanged"
NOTHING = "nothing to migrate"
ERROR = "error"
STATUSES = (FULL, NO_EQUIV, PARTLY, UNCHANGED, NOTHING, ERROR)

# TODO texts naming something the OpenAI API (or the OpenAI-compatible endpoint) does not have.
# Matched on the raw TODO text; the label is what the report calls it.
NO_EQUIVALENT: tuple[tuple[str, str], ...] = (
    ("count_tokens", r"count_tokens has no OpenAI equivalent|\bgenai\.\w*count_tokens\b"),
    ("Files API (upload_file, get_file...)", r"Files API has no OpenAI-compatible equivalent|\bgenai\.(upload_file|get_file|list_files|delete_file)\b"),
    ("context caching", r"context caching has no OpenAI equivalent|\bgenai\.caching\b|CachedContent"),
    ("tuned models", r"tuned models have no OpenAI-compatible equivalent|\bgenai\.\w*tuned_model"),
    ("video / media without a content part", r"video has no OpenAI content part|data has no OpenAI content part|no OpenAI content part takes"),
    ("code execution", r"code execution has no OpenAI"),
    ("Google Search grounding", r"Google Search (retrieval )?has no OpenAI"),
    ("safety settings and ratings", r"safety_settings has no OpenAI equivalent|safety ratings, citations and grounding|prompt_feedback has no OpenAI"
     r"|\bgenai(\.types)?(\.safety_types)?\.(HarmCategory|HarmBlockThreshold|HarmProbability|SafetySetting)\b"),
    ("top_k", r"have no top_k"),
    ("embedding task_type / title", r"embeddings API has no (task_type|title)"),
    ("model metadata fields", r"Model\.\w+ has no OpenAI equivalent"),
    ("transport / client options", r"transport choice has no OpenAI counterpart|no OpenAI client equivalent"),
    ("automatic function calling", r"automatic function calling has no OpenAI equivalent"),
    ("response_modalities / speech_config", r"have no (response_modalities|speech_config)"),
    ("function response schema", r"function declaration's `response` schema has no OpenAI"),
)

# How a TODO text is normalised so that the same reason groups together: (pattern, replacement),
# applied in order. The text each one removes is kept as an example.
NORMALISE: tuple[tuple[str, str], ...] = (
    (r"^this (?:model|call|chat|client) stays on genai: ", ""),
    (r" \(see the TODO there\)$", ""),
    (r"`[^`]*`", "`<name>`"),
    (r"/?(?:[\w.-]+/)+[\w.-]+\.py\b|\b[\w-]+\.py\b", "<path>"),
    (r"\bgenai(?:\.\w+)+", "genai.<name>"),
    (r"\bpassed to [\w.]+\(\)", "passed to <function>()"),
    (r"\b(response|chat|chunk)\.\w+(?= (?:of a streamed reply )?has no)", r"\1.<attr>"),
    (r"\b\d+\b", "<n>"),
)
# The rules that take out a name or value (the first two only cut a prefix and a suffix).
_NAME_RULES = NORMALISE[2:]
# A grouped reason: the normalised TODO text and its `NO_EQUIVALENT` label ("" if none).
Reason = tuple[str, str]

TODO_LINE = re.compile(r"#\s*" + re.escape(TODO_PREFIX) + r"\s*(.*?)\s*$", re.M)
# Code that only an OpenAI migration writes (counted before and after).
OPENAI_USE = re.compile(
    r"^\s*(?:from openai import|import openai)\b|\.chat\.completions\.create\(|\.embeddings\.create\("
    r"|\.models\.(?:list|retrieve)\(|\b_genai2openai_\w+\(",
    re.M,
)
SDK = "google.generativeai"
SDK_IMPORT_LINE = re.compile(r"^\s*(?:import google\.generativeai|from google\.generativeai[\s.]|from google import (?:.*\b)?generativeai\b)", re.M)
GENAI_IN_TEXT = "generativeai"  # the byte-level marker the tool itself uses
REBUILD_HINT = (
    "rebuild them from the manifest: a session with the search tools can call "
    "read_file(repo, path, commit), or fetch the repository and `git show <commit>:<path>`; "
    "this script has no network access"
)


@dataclass(frozen=True)
class Entry:
    """One manifest entry."""

    repo: str
    path: str
    commit: str
    sha256: str
    why: str = ""

    @property
    def local_repo(self) -> Path:
        return FILES / self.repo.replace("/", "__")

    @property
    def local(self) -> Path:
        return self.local_repo / self.path

    @property
    def name(self) -> str:
        return f"{self.repo}/{self.path}"


@dataclass
class Outcome:
    """What happened to one file."""

    repo: str
    path: str
    status: str
    todos: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    sdk_imports_before: int = 0
    sdk_imports_after: int = 0
    openai_uses_added: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def load_manifest(only: str | None) -> list[Entry]:
    """The manifest's entries, optionally those of one repository."""
    entries = [Entry(**raw) for raw in json.loads(MANIFEST.read_text(encoding="utf-8"))]
    return [e for e in entries if only is None or e.repo == only]


def present(entries: Iterable[Entry]) -> tuple[list[Entry], list[tuple[Entry, str]]]:
    """Entries whose stored file exists with the recorded sha256, and the others with the reason."""
    ok: list[Entry] = []
    bad: list[tuple[Entry, str]] = []
    for entry in entries:
        try:
            data = entry.local.read_bytes()
        except OSError:
            bad.append((entry, "missing"))
            continue
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            bad.append((entry, "sha256 differs"))
        else:
            ok.append(entry)
    return ok, bad


def by_repo(entries: Sequence[Entry]) -> dict[str, list[Entry]]:
    """Entries grouped by repository, in manifest order."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.repo].append(entry)
    return groups


def migrate_repo(entries: Sequence[Entry], options: Options) -> list[FileResult]:
    """Migrate one repository's files together, from inside its folder as a user would run the
    CLI in their checkout (module names and paths are then the repository's own; the runner's
    second pass links a module's models and client to its importers)."""
    with inside(entries[0].local_repo):
        return run([Path(e.path) for e in entries], options, jobs=1)


@contextmanager
def inside(directory: Path) -> Iterator[None]:
    """Run the block with `directory` as the working directory."""
    previous = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(previous)


def sdk_imports(text: str) -> int:
    """How many imports of google.generativeai the module has, at any depth. Python's own parser
    is used (many times faster than LibCST's); for syntax it does not know (a newer Python's),
    the import lines are counted instead."""
    try:
        tree = compile(text, "<corpus>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return len(SDK_IMPORT_LINE.findall(text))
    return sum(_imports_sdk(node) for node in ast.walk(tree))


def parses(text: str) -> bool:
    """Does the text parse, as the tool checks before writing (LibCST, when Python's parser fails)?"""
    try:
        compile(text, "<corpus>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        return True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    try:
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError):
        return False
    return True


def _imports_sdk(node: ast.AST) -> bool:
    """`import google.generativeai[.x]`, `from google.generativeai[.x] import ...`, `from google import generativeai`."""
    if isinstance(node, ast.Import):
        return any(a.name == SDK or a.name.startswith(SDK + ".") for a in node.names)
    if isinstance(node, ast.ImportFrom) and not node.level and node.module:
        return node.module == SDK or node.module.startswith(SDK + ".") or (node.module == "google" and any(a.name == "generativeai" for a in node.names))
    return False


def compiles(text: str) -> bool:
    """Does Python compile this text (as the runner checks before writing)?"""
    try:
        compile(text, "<corpus>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def new_todos(original: str, migrated: str) -> list[str]:
    """TODO(genai2openai) texts in the migrated text that the original did not have."""
    before = Counter(TODO_LINE.findall(original))
    found: list[str] = []
    for text in TODO_LINE.findall(migrated):
        if before[text] > 0:
            before[text] -= 1
        else:
            found.append(text)
    return found


def openai_uses(text: str) -> int:
    """OpenAI calls and imports in the text, not counting TODO comments (which name calls too)."""
    return len(OPENAI_USE.findall(TODO_LINE.sub("", text)))


def normalise(todo: str) -> str:
    """The TODO's reason without the names and values that differ from one use to the next."""
    for pattern, replacement in NORMALISE:
        todo = re.sub(pattern, replacement, todo)
    return todo


def examples(todo: str) -> list[str]:
    """The specific names `normalise` removes from a TODO (shown next to the grouped reason)."""
    todo = re.sub(NORMALISE[0][0], "", re.sub(NORMALISE[1][0], "", todo))
    found: list[str] = []
    for pattern, _ in _NAME_RULES:
        found += [m.group(0) for m in re.finditer(pattern, todo)]
    return [f for f in found if not f.isdigit()]


def no_equivalent(todo: str) -> str | None:
    """The `NO_EQUIVALENT` label this TODO falls under, if any."""
    return next((label for label, pattern in NO_EQUIVALENT if re.search(pattern, todo)), None)


def classify(entry: Entry, result: FileResult) -> Outcome:
    """Sort one file into a status, with its TODOs and the evidence."""
    outcome = Outcome(entry.repo, entry.path, ERROR)
    outcome.findings = dict(Counter(f.kind.value for f in result.findings))
    if result.error is not None:
        outcome.error = result.error
        return outcome
    # The runner's byte-level pre-filter skips files that neither mention the SDK nor hold a key.
    original = result.original if result.original is not None else entry.local.read_text(encoding="utf-8", errors="replace")
    migrated = result.migrated if result.migrated is not None else original
    if migrated != original and not parses(migrated):
        outcome.error = "migrated code does not parse"
        return outcome
    if compiles(original) and not compiles(migrated):
        outcome.error = "migrated code no longer compiles"
        return outcome
    before, after = sdk_imports(original), sdk_imports(migrated)
    outcome.sdk_imports_before, outcome.sdk_imports_after = before, after
    outcome.openai_uses_added = max(0, openai_uses(migrated) - openai_uses(original))
    outcome.todos = new_todos(original, migrated)
    outcome.reasons = [normalise(t) for t in outcome.todos]
    if after and not outcome.todos:
        outcome.reasons = ["(google.generativeai still imported, without a TODO)"]
    outcome.status = status_of(outcome, changed=migrated != original, uses_sdk=bool(before) or GENAI_IN_TEXT in original)
    return outcome


def status_of(outcome: Outcome, *, changed: bool, uses_sdk: bool) -> str:
    """The status, from what is left and what moved."""
    left = outcome.sdk_imports_after > 0
    if not left and not outcome.todos:
        return FULL if uses_sdk or changed else NOTHING
    if outcome.todos and all(no_equivalent(t) for t in outcome.todos):
        return NO_EQUIV
    return PARTLY if outcome.openai_uses_added else UNCHANGED


def write_diffs(directory: Path, entries: Sequence[Entry], results: Sequence[FileResult]) -> None:
    """One unified diff per changed file of a repository (paths as in the repository, keys
    redacted as the CLI does), named `<owner>__<name>__<path with __ for />.diff`."""
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    secrets = all_secrets(results)
    with inside(entries[0].local_repo):
        for entry, result in zip(entries, results):
            diff = unified_diff(result, Path(), secrets)
            if diff:
                (directory / (entry.name.replace("/", "__") + ".diff")).write_text(diff, encoding="utf-8")


def tool_version() -> str:
    """Where the `codemod` package comes from: its checkout, that checkout's HEAD and the last
    commit that changed codemod/ (the code measured), and whether codemod/ has local changes."""
    root = Path(codemod.__file__).resolve().parent.parent

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()

    try:
        head, last, dirty = git("rev-parse", "HEAD"), git("log", "-1", "--format=%H", "--", "codemod"), git("status", "--porcelain", "--", "codemod")
    except (OSError, subprocess.CalledProcessError):
        return f"codemod from {root} (not a git checkout)"
    state = " plus uncommitted changes" if dirty else ""
    return f"codemod/ as of commit {last}{state} (from {root}, HEAD {head})"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def status_table(outcomes: Sequence[Outcome]) -> list[str]:
    """Markdown rows: how many files ended in each status."""
    counts = Counter(o.status for o in outcomes)
    rows = ["| result | files | share |", "| --- | ---: | ---: |"]
    rows += [f"| {s} | {counts[s]} | {percent(counts[s], len(outcomes))} |" for s in STATUSES]
    rows.append(f"| **total** | **{len(outcomes)}** | |")
    return rows


def reasons_table(outcomes: Sequence[Outcome], limit: int) -> list[str]:
    """Markdown rows: the normalised TODO reasons, most frequent first."""
    todos: Counter[Reason] = Counter()
    files: dict[Reason, set[str]] = defaultdict(set)
    samples: dict[Reason, Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        if outcome.status in (FULL, NOTHING, ERROR):
            continue
        raw = outcome.todos or [""]
        for todo, text in zip(raw, outcome.reasons):
            reason = (text, no_equivalent(todo) or "")
            todos[reason] += 1
            files[reason].add(f"{outcome.repo}/{outcome.path}")
            samples[reason].update(examples(todo))
    rows = ["| # | reason (normalised TODO text) | TODOs | files | no equivalent | examples |", "| ---: | --- | ---: | ---: | --- | --- |"]
    ranked = sorted(todos, key=lambda r: (-todos[r], -len(files[r]), r))
    for rank, reason in enumerate(ranked[:limit], 1):
        shown = ", ".join(f"`{s.strip('`')}`" for s, _ in samples[reason].most_common(3))
        rows.append(f"| {rank} | {_cell(reason[0])} | {todos[reason]} | {len(files[reason])} | {reason[1]} | {_cell(shown)} |")
    if len(ranked) > limit:
        rows.append(f"\n({len(ranked) - limit} less frequent reasons left out; `--json` has them all.)")
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(outcomes: Sequence[Outcome], bad: Sequence[tuple[Entry, str]], total: int, seconds: float, limit: int) -> str:
    """The whole markdown report."""
    repos = {o.repo for o in outcomes}
    lines = [
        "# genai2openai on the public corpus",
        "",
        f"Tool: `{tool_version()}`  ",
        f"Corpus: {total} files in the manifest; {len(outcomes)} present, from {len(repos)} repositories; "
        f"migrated in {seconds:.1f} s.",
        "",
        *status_table(outcomes),
        "",
        "## Why the rest is not fully migrated",
        "",
        "Every TODO(genai2openai) comment the migration added, grouped once names, paths and values are taken out "
        "(`this model stays on genai: ... (see the TODO there)` counts as the TODO it points to). "
        "*no equivalent*: the reason names something the OpenAI API lacks (`NO_EQUIVALENT` in run.py).",
        "",
        *reasons_table(outcomes, limit),
        "",
        "## Errors",
        "",
        *([f"- `{o.repo}/{o.path}`: {o.error}" for o in outcomes if o.status == ERROR] or ["None."]),
        *missing_section(bad),
        "",
        "## Files",
        "",
        *files_table(outcomes),
    ]
    return "\n".join(lines) + "\n"


def missing_section(bad: Sequence[tuple[Entry, str]]) -> list[str]:
    """Markdown lines naming the manifest files that could not be measured, if any."""
    if not bad:
        return []
    lines = ["", "## Files not measured", "", f"{len(bad)} manifest files are missing or differ; {REBUILD_HINT}:", ""]
    return lines + [f"- `{e.name}` at {e.commit}: {why}" for e, why in bad]


def files_table(outcomes: Sequence[Outcome]) -> list[str]:
    """Markdown rows: every file with its status and the evidence for it."""
    rows = [
        "| result | file | TODOs | genai imports before → after | OpenAI uses added | findings |",
        "| --- | --- | ---: | --- | ---: | --- |",
    ]
    for o in sorted(outcomes, key=lambda o: (STATUSES.index(o.status), o.repo.lower(), o.path)):
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(o.findings.items()))
        rows.append(
            f"| {o.status} | `{o.repo}/{o.path}` | {len(o.todos)} | {o.sdk_imports_before} → {o.sdk_imports_after} "
            f"| {o.openai_uses_added} | {kinds} |"
        )
    return rows


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, metavar="FILE", help="write per-file results as JSON")
    parser.add_argument("--diffs", type=Path, metavar="DIR", help="write each changed file's unified diff into DIR")
    parser.add_argument("--only", metavar="OWNER/NAME", help="measure one repository only")
    parser.add_argument("--top", type=int, default=40, help="reasons to list (default 40)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    entries = load_manifest(args.only)
    if not entries:
        print(f"no manifest entry for {args.only}", file=sys.stderr)
        return 2
    ok, bad = present(entries)
    options = Options()
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    for group in by_repo(ok).values():
        results = migrate_repo(group, options)
        outcomes += [classify(e, r) for e, r in zip(group, results)]
        if args.diffs:
            write_diffs(args.diffs, group, results)
    seconds = time.perf_counter() - started
    print(report(outcomes, bad, len(entries), seconds, args.top), end="")
    if bad:
        print(f"\n{len(bad)} files missing or different: {REBUILD_HINT}.", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
