"""Before/after fixture pairs: `tests/fixtures/<feature>/input.py` → `expected.py`.

A folder may also hold `options.json` (keyword arguments of `Options`) and `findings.json`
(the findings the migration must report: a list of `{"line", "kind", "severity"}`, in order;
`message_contains` is optional).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemod.ftypes import TODO_PREFIX, Options
from codemod.migrate import migrate_source

FIXTURES = Path(__file__).parent / "fixtures"
PAIRS = sorted(p for p in FIXTURES.iterdir() if (p / "input.py").is_file() and (p / "expected.py").is_file())


def _options(folder: Path) -> Options:
    path = folder / "options.json"
    return Options(**json.loads(path.read_text())) if path.is_file() else Options()


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("folder", PAIRS, ids=[p.name for p in PAIRS])
def test_fixture_migrates_to_expected(folder: Path) -> None:
    result = migrate_source(_read(folder / "input.py"), _options(folder), path="input.py")
    assert result.source == _read(folder / "expected.py")


@pytest.mark.parametrize("folder", PAIRS, ids=[p.name for p in PAIRS])
def test_fixture_is_idempotent(folder: Path) -> None:
    expected = _read(folder / "expected.py")
    assert migrate_source(expected, _options(folder), path="expected.py").source == expected


@pytest.mark.parametrize("folder", PAIRS, ids=[p.name for p in PAIRS])
def test_fixture_findings(folder: Path) -> None:
    result = migrate_source(_read(folder / "input.py"), _options(folder), path="input.py")
    path = folder / "findings.json"
    wanted = json.loads(path.read_text()) if path.is_file() else []
    got = [{"line": f.line, "kind": f.kind.value, "severity": f.severity.value} for f in result.findings]
    assert got == [{k: w[k] for k in ("line", "kind", "severity")} for w in wanted]
    for finding, want in zip(result.findings, wanted):
        assert want.get("message_contains", "") in finding.message


@pytest.mark.parametrize("folder", PAIRS, ids=[p.name for p in PAIRS])
def test_every_todo_is_reported(folder: Path) -> None:
    """Each TODO comment the migration adds has a finding on the line it annotates."""
    original = _read(folder / "input.py")
    result = migrate_source(original, _options(folder), path="input.py")
    added = result.source.count(TODO_PREFIX) - original.count(TODO_PREFIX)
    reported = [f for f in result.findings if f.severity.value != "error"]
    assert added <= len(reported)
    for line in result.source.splitlines():
        if TODO_PREFIX in line and line not in original:
            assert any(f.message in line for f in reported), line


def test_there_are_enough_fixtures() -> None:
    assert len(PAIRS) >= 25
