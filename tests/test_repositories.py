"""Repositories of several modules, migrated together: `tests/repos/<name>/input/` is migrated
with the command line (run from that folder, as a user would) and must give `expected/` and the
findings of `findings.json`; then the original program (`main.py`, on genai against the fake
Gemini backend) and the migrated one (on openai against the loopback server) must agree.

Set GENAI2OPENAI_UPDATE=1 to rewrite `expected/` and `findings.json` from the tool's output
(then read the diff before committing it).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from differential import Backends, run_differential
from test_execute_fixtures import GEMINI_BASE_URL

from codemod.cli import main
from codemod.ftypes import TODO_PREFIX

REPOS = Path(__file__).parent / "repos"
CASES = sorted(p for p in REPOS.iterdir() if (p / "input").is_dir())
UPDATE = os.environ.get("GENAI2OPENAI_UPDATE") == "1"
ENTRY = "main.py"


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted([*root.rglob("*.py"), *root.rglob("*.ipynb")])
        if "__pycache__" not in p.parts and ".genai2openai_cache" not in p.parts
    }


def _without_todos(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith(f"# {TODO_PREFIX}"))


def _migrate(case: Path, tmp_path: Path) -> tuple[dict[str, str], list[dict[str, object]]]:
    work = tmp_path / case.name
    shutil.copytree(case / "input", work)
    previous = os.getcwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(main, ["--jobs", "1", "--write", "--report", "report.json", "--report-format", "json", "."])
    finally:
        os.chdir(previous)
    assert result.exit_code in (0, 1), result.output
    report = json.loads((work / "report.json").read_text())
    findings = [
        {"path": f["path"], "line": f["line"], "kind": f["kind"], "message": f["message"]}
        for f in report["findings"]
        if f["kind"] != "retired-model"
    ]
    return _files(work), sorted(findings, key=lambda f: (f["path"], f["line"], f["message"]))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_repository_migrates_to_expected(case: Path, tmp_path: Path) -> None:
    migrated, findings = _migrate(case, tmp_path)
    if UPDATE:
        shutil.rmtree(case / "expected", ignore_errors=True)
        for name, text in migrated.items():
            (case / "expected" / name).parent.mkdir(parents=True, exist_ok=True)
            (case / "expected" / name).write_text(text, encoding="utf-8")
        (case / "findings.json").write_text(json.dumps(findings, indent=2) + "\n", encoding="utf-8")
    assert migrated == _files(case / "expected")
    assert findings == json.loads((case / "findings.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_repository_migration_is_idempotent(case: Path, tmp_path: Path) -> None:
    work = tmp_path / "again"
    shutil.copytree(case / "expected", work)
    previous = os.getcwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(main, ["--jobs", "1", "--write", "."])
    finally:
        os.chdir(previous)
    assert result.exit_code in (0, 1), result.output
    assert _files(work) == _files(case / "expected")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_repository_means_the_same(case: Path, harness: Backends) -> None:
    original, migrated = _files(case / "input"), _files(case / "expected")
    if not any(GEMINI_BASE_URL in text for text in migrated.values()):
        # Everything stays on genai: the program is the same, with TODO comments added.
        assert {n: _without_todos(t) for n, t in migrated.items()} == original
        return
    comparison = run_differential(
        original.pop(ENTRY),
        migrated.pop(ENTRY),
        {"files": original},
        migrated_files=migrated,
        backends=harness,
    )
    assert comparison.ok, comparison.report()
    assert comparison.original.requests, "the original sent no request"
