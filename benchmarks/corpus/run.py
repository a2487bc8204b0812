"""Measure genai2openai on a corpus of real public code that uses Google's Gemini SDKs.

The corpus is `manifest.json` (repository, path, commit, sha256 of each file; see entries.py);
the files themselves live in `files/<owner>__<name>/<path>` (or `files/<checkout>/<path>`) and are
not committed: `rebuild.py` brings them back from git snapshots. Each repository's files (each
checkout's) are migrated together, in-process, with the project's own runner (as the CLI does,
so a model or client built in one module and used in another is seen across modules), and each
file is classified:

- fully migrated: no Gemini SDK left (no import of google.generativeai or google.genai, no call
  shaped like a google-genai client's), no TODO(genai2openai) comment;
- only no-equivalent TODOs: every TODO names something the OpenAI API lacks (`NO_EQUIVALENT`);
- partly migrated: some calls moved to OpenAI, other TODOs could be fixed;
- unchanged: nothing moved to OpenAI;
- nothing to migrate: the file neither uses the SDK nor changed (a related module);
- error: the tool failed, or its output does not parse or no longer compiles.

Each file's SDK is read from its original imports (Python's parser, LibCST's for syntax Python's
does not know): the old `google.generativeai`, the new `google-genai` (`google.genai`), both, or
none (a related module); the table counts each status per SDK and in total.

Usage: python benchmarks/corpus/run.py [--json FILE] [--diffs DIR] [--only OWNER/NAME]
Standard library and the `codemod` package only; no network.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import libcst as cst
from entries import Entry, load_manifest, present

import codemod
from codemod.ftypes import TODO_PREFIX, FileResult, Options
from codemod.report import all_secrets, unified_diff
from codemod.runner import run

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
OLD_SDK = "google.generativeai"  # the old SDK's module
NEW_SDK = "google.genai"  # the new SDK's (package google-genai)
# A file's SDK, from its imports; the keys the table and the manifest's `sdk` field use.
OLD, NEW, BOTH, NONE = "google.generativeai", "google-genai", "both", "none"
SDKS = (OLD, NEW, BOTH, NONE)
SDK_HEADINGS = {OLD: "google.generativeai", NEW: "google-genai", BOTH: "both", NONE: "no SDK import"}
# Import lines, counted only for a file neither Python's parser nor LibCST's can read.
OLD_IMPORT_LINE = re.compile(r"^\s*(?:import google\.generativeai|from google\.generativeai[\s.]|from google import (?:.*\b)?generativeai\b)", re.M)
NEW_IMPORT_LINE = re.compile(r"^\s*(?:import google\.genai\b|from google\.genai[\s.]|from google import (?:.*\b)?genai\b)", re.M)
# Calls only a google-genai client makes, `<anything>.<service>.<method>(...)`: they show the SDK
# in a module that uses a client made elsewhere and imports nothing from it. (OpenAI's client
# has none of these: its calls are chat.completions.create, embeddings.create, files.create...)
GENAI_CLIENT_CALLS = frozenset({
    ("models", "generate_content"), ("models", "generate_content_stream"), ("models", "embed_content"),
    ("models", "count_tokens"), ("models", "generate_images"), ("models", "generate_videos"),
    ("models", "edit_image"), ("models", "upscale_image"), ("chats", "create"), ("files", "upload"),
    ("caches", "create"), ("live", "connect"), ("tunings", "tune"),
})
GENAI_IN_TEXT = "generativeai"  # the byte-level marker the tool itself uses
REBUILD_HINT = (
    "rebuild them from the manifest with `python benchmarks/corpus/rebuild.py`, which takes them "
    "from git snapshots of the repositories (a session with the search tools can fetch them); "
    "this script has no network access"
)


@dataclass
class Outcome:
    """What happened to one file."""

    repo: str
    path: str
    status: str
    name: str = ""  # as Entry.name: the repository with its commit for a separate checkout
    sdk: str = NONE  # the SDK the original imports
    todos: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    sdk_imports_before: int = 0  # import statements of either SDK
    sdk_imports_after: int = 0
    client_calls_after: int = 0  # google-genai client calls left (GENAI_CLIENT_CALLS)
    openai_uses_added: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def by_repo(entries: Sequence[Entry]) -> dict[str, list[Entry]]:
    """Entries grouped by repository folder (a separate checkout is a group of its own), in
    manifest order."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.folder].append(entry)
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


@dataclass(frozen=True)
class Scan:
    """What a module holds of the two SDKs."""

    old: int = 0  # import statements of google.generativeai, at any depth
    new: int = 0  # of google.genai
    client_calls: int = 0  # calls shaped like a google-genai client's (GENAI_CLIENT_CALLS)

    @property
    def imports(self) -> int:
        return self.old + self.new

    @property
    def sdk(self) -> str:
        return BOTH if self.old and self.new else OLD if self.old else NEW if self.new else NONE


def scan(text: str) -> Scan:
    """The module's imports of each SDK and its google-genai client calls. Python's own parser is
    used (many times faster than LibCST's); LibCST's for syntax Python's does not know (a newer
    Python's); the import lines are counted for text neither parses."""
    try:
        tree = compile(text, "<corpus>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _scan_cst(text)
    old = new = calls = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            o, n = _imported_sdks(None, [a.name for a in node.names])
        elif isinstance(node, ast.ImportFrom):
            if node.level or not node.module:
                continue
            o, n = _imported_sdks(node.module, [a.name for a in node.names])
        else:
            func = node.func if isinstance(node, ast.Call) else None
            calls += isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute) and (func.value.attr, func.attr) in GENAI_CLIENT_CALLS
            continue
        old, new = old + o, new + n
    return Scan(old, new, calls)


def _imported_sdks(module: str | None, names: Sequence[str]) -> tuple[bool, bool]:
    """Whether `import <names>` (module None) or `from <module> import <names>` (absolute)
    imports the old SDK, the new one."""
    def under(name: str, sdk: str) -> bool:
        return name == sdk or name.startswith(sdk + ".")

    if module is None:
        return any(under(n, OLD_SDK) for n in names), any(under(n, NEW_SDK) for n in names)
    if module == "google":
        return "generativeai" in names, "genai" in names
    return under(module, OLD_SDK), under(module, NEW_SDK)


class _CstScan(cst.CSTVisitor):
    """`scan` on LibCST's tree."""

    def __init__(self) -> None:
        self.old = self.new = self.calls = 0

    def _count(self, module: str | None, names: Sequence[str]) -> None:
        o, n = _imported_sdks(module, names)
        self.old, self.new = self.old + o, self.new + n

    def visit_Import(self, node: cst.Import) -> None:
        self._count(None, [cst.helpers.get_full_name_for_node(a.name) or "" for a in node.names])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        names = [] if isinstance(node.names, cst.ImportStar) else [cst.helpers.get_full_name_for_node(a.name) or "" for a in node.names]
        self._count(cst.helpers.get_full_name_for_node(node.module), names)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute):
            self.calls += (func.value.attr.value, func.attr.value) in GENAI_CLIENT_CALLS


def _scan_cst(text: str) -> Scan:
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError):
        return Scan(len(OLD_IMPORT_LINE.findall(text)), len(NEW_IMPORT_LINE.findall(text)))
    visitor = _CstScan()
    module.visit(visitor)
    return Scan(visitor.old, visitor.new, visitor.calls)


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
    outcome = Outcome(entry.repo, entry.path, ERROR, name=entry.name)
    outcome.findings = dict(Counter(f.kind.value for f in result.findings))
    if result.error is not None:
        outcome.error = result.error
        return outcome
    # The runner's byte-level pre-filter skips files that neither mention the SDK nor hold a key.
    original = result.original if result.original is not None else entry.local.read_text(encoding="utf-8", errors="replace")
    migrated = result.migrated if result.migrated is not None else original
    before = scan(original)
    outcome.sdk = before.sdk
    if migrated != original and not parses(migrated):
        outcome.error = "migrated code does not parse"
        return outcome
    if compiles(original) and not compiles(migrated):
        outcome.error = "migrated code no longer compiles"
        return outcome
    after = scan(migrated) if migrated != original else before
    outcome.sdk_imports_before, outcome.sdk_imports_after = before.imports, after.imports
    outcome.client_calls_after = after.client_calls
    outcome.openai_uses_added = max(0, openai_uses(migrated) - openai_uses(original))
    outcome.todos = new_todos(original, migrated)
    outcome.reasons = [normalise(t) for t in outcome.todos]
    if (after.imports or after.client_calls) and not outcome.todos:
        outcome.reasons = [f"({left_behind(after)}, without a TODO)"]
    uses_sdk = bool(before.imports or before.client_calls) or GENAI_IN_TEXT in original
    outcome.status = status_of(outcome, changed=migrated != original, uses_sdk=uses_sdk)
    return outcome


def left_behind(after: Scan) -> str:
    """What of the SDKs a migrated module still holds, in words."""
    left = [f"{sdk} still imported" for sdk, count in ((OLD, after.old), (NEW, after.new)) if count]
    return "; ".join(left or [f"{NEW} client calls left"])


def status_of(outcome: Outcome, *, changed: bool, uses_sdk: bool) -> str:
    """The status, from what is left and what moved."""
    left = outcome.sdk_imports_after > 0 or outcome.client_calls_after > 0
    if not left and not outcome.todos:
        return FULL if uses_sdk or changed else NOTHING
    if outcome.todos and all(no_equivalent(t) for t in outcome.todos):
        return NO_EQUIV
    return PARTLY if outcome.openai_uses_added else UNCHANGED


def write_diffs(directory: Path, entries: Sequence[Entry], results: Sequence[FileResult]) -> None:
    """One unified diff per changed file of a repository (paths as in the repository, keys
    redacted as the CLI does), named `<owner>__<name>__<path with __ for />.diff` (with
    `__<commit>` after the name for a separate checkout)."""
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    secrets = all_secrets(results)
    with inside(entries[0].local_repo):
        for entry, result in zip(entries, results):
            diff = unified_diff(result, Path(), secrets)
            if diff:
                (directory / (entry.name.replace("/", "__").replace("@", "__") + ".diff")).write_text(diff, encoding="utf-8")


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
    """Markdown rows: how many files ended in each status, per SDK the file imported and in total."""
    columns = [s for s in SDKS if any(o.sdk == s for o in outcomes)] or [NONE]
    counts = {s: Counter(o.status for o in outcomes if o.sdk == s) for s in columns}
    total = Counter(o.status for o in outcomes)
    rows = [
        "| result | " + " | ".join(SDK_HEADINGS[s] for s in columns) + " | total | share |",
        "| --- | " + "---: | " * len(columns) + "---: | ---: |",
    ]
    for status in STATUSES:
        cells = " | ".join(f"{counts[s][status]} ({percent(counts[s][status], counts[s].total())})" for s in columns)
        rows.append(f"| {status} | {cells} | {total[status]} | {percent(total[status], len(outcomes))} |")
    files = " | ".join(f"**{counts[s].total()}**" for s in columns)
    rows.append(f"| **files** | {files} | **{len(outcomes)}** | |")
    repos = " | ".join(str(len({o.repo for o in outcomes if o.sdk == s})) for s in columns)
    rows.append(f"| repositories | {repos} | {len({o.repo for o in outcomes})} | |")
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
            files[reason].add(outcome.name)
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


def report(outcomes: Sequence[Outcome], bad: Sequence[tuple[Entry, str]], total: int, seconds: float, limit: int,
           notes: Sequence[str] = ()) -> str:
    """The whole markdown report."""
    repos = {o.repo for o in outcomes}
    lines = [
        "# genai2openai on the public corpus",
        "",
        f"Tool: `{tool_version()}`  ",
        f"Corpus: {total} files in the manifest; {len(outcomes)} present, from {len(repos)} repositories; "
        f"migrated in {seconds:.1f} s.",
        "",
        "Each column holds the files whose original imports that SDK (*no SDK import*: related modules, "
        "which use a model or client made elsewhere or nothing of it); a cell's share is of its column.",
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
        *([f"- `{o.name}`: {o.error}" for o in outcomes if o.status == ERROR] or ["None."]),
        *missing_section(bad),
        *([""] + ["## Manifest notes", "", *notes] if notes else []),
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
        "| result | SDK | file | TODOs | genai imports before → after | OpenAI uses added | findings |",
        "| --- | --- | --- | ---: | --- | ---: | --- |",
    ]
    for o in sorted(outcomes, key=lambda o: (STATUSES.index(o.status), SDKS.index(o.sdk), o.name.lower())):
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(o.findings.items()))
        rows.append(
            f"| {o.status} | {SDK_HEADINGS[o.sdk]} | `{o.name}` | {len(o.todos)} | {o.sdk_imports_before} → {o.sdk_imports_after} "
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
    notes: list[str] = []
    started = time.perf_counter()
    for group in by_repo(ok).values():
        results = migrate_repo(group, options)
        for entry, result in zip(group, results):
            outcomes.append(classify(entry, result))
            if entry.sdk and entry.sdk != outcomes[-1].sdk:
                notes.append(f"- `{entry.name}`: the manifest says {entry.sdk}, its imports say {outcomes[-1].sdk}")
        if args.diffs:
            write_diffs(args.diffs, group, results)
    seconds = time.perf_counter() - started
    print(report(outcomes, bad, len(entries), seconds, args.top, notes), end="")
    if bad:
        print(f"\n{len(bad)} files missing or different: {REBUILD_HINT}.", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
