"""The labelled secrets set, `tests/fixtures/secrets/`: a miniature repository with FAKE keys of
every shape of `codemod.secrets.RULES` planted in every position the tool must cover, placeholders
in key positions, and look-alikes. `labels.json` (written by hand) says where each one is.

`genai2openai --secrets-only` must report every key (recall 100%) with its rule at its line, every
placeholder as a `placeholder-key` note, nothing else (zero false positives), and never print a
key. Assertion messages name `path:line:rule`, never a value: pytest would print the operands of a
failed `value in output`, so every check builds a list of labels first and asserts it is empty.
"""

from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Iterator
from configparser import ConfigParser
from functools import cache
from pathlib import Path

import pytest
from click.testing import Result
from clirunner import cli_runner

from codemod.cli import main
from codemod.secrets import (
    GENERIC_RULE_ID,
    RULES,
    SHOWN_PREFIX,
    find_keys,
    is_placeholder,
    key_rule,
    looks_like_credential,
    redact_text,
)

FOLDER = Path(__file__).parent / "fixtures" / "secrets"
LABELS = json.loads((FOLDER / "labels.json").read_text(encoding="utf-8"))
FORMATS = ("json", "text", "sarif", "github")
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
# The opening of a string literal: an optional prefix and the quote(s).
_OPENING = re.compile(r"[rRbBuUfF]{0,2}(\"\"\"|'''|\"|')")

Location = tuple[str, int]


# --- the labelled set ----------------------------------------------------------------------------


def _files() -> list[str]:
    """Every file of the set, relative and with `/` separators."""
    return sorted(
        (Path(root) / name).relative_to(FOLDER).as_posix()
        for root, _, names in os.walk(FOLDER)
        for name in names
        if "__pycache__" not in root
    )


def _lines(path: str) -> list[str]:
    return (FOLDER / path).read_text(encoding="utf-8").splitlines()


def _python_strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, value) of each string constant; an implicit concatenation is one value on its first line."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def _notebook_sources() -> Iterator[tuple[str, str]]:
    for path in _files():
        if path.endswith(".ipynb"):
            notebook = json.loads((FOLDER / path).read_text(encoding="utf-8"))
            for cell in notebook["cells"]:
                if cell["cell_type"] == "code":
                    yield path, "".join(cell["source"])


def _value_at(label: dict[str, object]) -> str | None:
    """The planted key a label points at, read from the file (one value, else None)."""
    path, line, rule = str(label["path"]), int(label["line"]), label["rule"]  # type: ignore[call-overload]
    found = [m.value for m in find_keys(_lines(path)[line - 1]) if m.rule.id == rule]
    if not found and path.endswith(".py"):
        found = [
            value
            for lineno, value in _python_strings((FOLDER / path).read_text(encoding="utf-8"))
            if lineno == line and _TOKEN.fullmatch(value) and _is_rule(value, str(rule))
        ]
    return found[0] if len(found) == 1 else None


def _is_rule(value: str, rule: str) -> bool:
    shape = key_rule(value)
    if rule == GENERIC_RULE_ID:
        return shape is None and looks_like_credential(value)
    return shape is not None and shape.id == rule and not is_placeholder(value)


@cache
def planted() -> dict[Location, str]:
    """Where each planted key is and its value (kept in memory only, never shown)."""
    return {(label["path"], label["line"]): _value_at(label) or "" for label in LABELS["keys"]}


def _name(location: Location, rule: str = "") -> str:
    return f"{location[0]}:{location[1]}" + (f":{rule}" if rule else "")


# --- running the tool ----------------------------------------------------------------------------


def _stderr(result: Result) -> str:
    try:
        return result.stderr
    except ValueError:  # click < 8.2 with stderr mixed into the output
        return ""


@cache
def scan(report_format: str = "json") -> tuple[Result, str]:
    """Run `genai2openai --secrets-only --report -` on the set: the result and stdout + stderr."""
    args = ["--secrets-only", "--report", "-", "--report-format", report_format, str(FOLDER)]
    result = cli_runner().invoke(main, args)
    return result, result.stdout + _stderr(result)


def _crash(result: Result) -> str:
    """Why the run failed, with any key in it redacted."""
    if result.exception is None or isinstance(result.exception, SystemExit):
        return ""
    text = f"{type(result.exception).__name__}: {result.exception}"
    return redact_text(text, tuple(planted().values()))


def _relative(path: str) -> str:
    """A reported path (as discovered) relative to the set's folder."""
    candidate = Path(path)
    if not candidate.is_absolute() and not candidate.exists() and (FOLDER / candidate).exists():
        candidate = FOLDER / candidate
    return candidate.resolve().relative_to(FOLDER.resolve()).as_posix()


@cache
def findings() -> tuple[dict[str, object], ...]:
    """The JSON report's findings, paths relative to the set's folder."""
    result, _ = scan("json")
    crash = _crash(result)
    assert not crash, f"genai2openai --secrets-only failed: {crash}"
    report = json.loads(result.stdout)
    assert report["version"] == 2 and report["tool"] == "genai2openai"
    return tuple({**finding, "path": _relative(str(finding["path"]))} for finding in report["findings"])


def _at(location: Location) -> list[dict[str, object]]:
    return [f for f in findings() if (f["path"], f["line"]) == location]


# --- the set itself ------------------------------------------------------------------------------


def test_every_python_file_parses() -> None:
    for path in _files():
        if path.endswith(".py"):
            ast.parse((FOLDER / path).read_text(encoding="utf-8"), filename=path)
    for path, source in _notebook_sources():
        ast.parse(source, filename=path)


def test_notebook_is_nbformat_4_with_indent_1() -> None:
    for path in _files():
        if path.endswith(".ipynb"):
            text = (FOLDER / path).read_text(encoding="utf-8")
            notebook = json.loads(text)
            assert (notebook["nbformat"], notebook["nbformat_minor"]) == (4, 5)
            assert all({"cell_type", "id", "metadata", "source"} <= set(cell) for cell in notebook["cells"])
            assert text == json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_text_files_are_valid() -> None:
    json.loads((FOLDER / "settings.json").read_text(encoding="utf-8"))
    ConfigParser().read_string((FOLDER / "setup.cfg").read_text(encoding="utf-8"))
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        pass
    else:
        tomllib.loads((FOLDER / "config.toml").read_text(encoding="utf-8"))


def test_yaml_file_is_valid() -> None:
    yaml = pytest.importorskip("yaml")
    yaml.safe_load((FOLDER / "config.yaml").read_text(encoding="utf-8"))


def test_labels_point_at_planted_keys() -> None:
    unreadable = [_name(location) for location, value in planted().items() if not value]
    assert not unreadable, f"labels with no single key of their rule on their line: {unreadable}"
    values = list(planted().values())
    count, distinct = len(values), len(set(values))  # plain numbers: pytest prints operands
    assert distinct == count, "every planted key is a different value"
    assert 25 <= count <= 60, f"{count} planted keys"
    covered = {label["rule"] for label in LABELS["keys"]}
    assert covered == {rule.id for rule in RULES} | {GENERIC_RULE_ID}


def test_no_key_shaped_text_outside_the_labelled_lines() -> None:
    """Every key-shaped token of the set is labelled, and no look-alike or placeholder has one."""
    labelled = set(planted())
    stray = [
        _name((path, number))
        for path in _files()
        for number, line in enumerate(_lines(path), 1)
        if find_keys(line) and (path, number) not in labelled
    ]
    assert not stray, f"key-shaped text on unlabelled lines: {stray}"
    others = {(item["path"], item["line"]) for item in LABELS["placeholders"] + LABELS["lookalikes"]}
    assert not others & labelled
    assert all(1 <= line <= len(_lines(path)) for path, line in others | labelled)


# --- genai2openai on the set ---------------------------------------------------------------------


def test_every_planted_key_is_reported() -> None:
    """Recall 100%: each key is a `hardcoded-key` with its rule, at its path and line."""
    missed = [
        _name((label["path"], label["line"]), label["rule"])
        for label in LABELS["keys"]
        if not any(
            f["kind"] == "hardcoded-key" and f["rule"] == label["rule"]
            for f in _at((label["path"], label["line"]))
        )
    ]
    assert not missed, f"{len(missed)} of {len(LABELS['keys'])} planted keys not reported: {missed}"


def test_every_placeholder_is_a_note() -> None:
    wrong = [
        _name((label["path"], label["line"]))
        for label in LABELS["placeholders"]
        if [(f["kind"], f["severity"]) for f in _at((label["path"], label["line"]))]
        != [("placeholder-key", "note")]
    ]
    assert not wrong, f"placeholders not reported as one placeholder-key note: {wrong}"


def test_no_other_findings() -> None:
    """Zero false positives: nothing on a look-alike or an unlabelled line, one finding per label."""
    keys = {(label["path"], label["line"]): label["rule"] for label in LABELS["keys"]}
    placeholders = {(label["path"], label["line"]) for label in LABELS["placeholders"]}
    extra = []
    for finding in findings():
        location = (str(finding["path"]), int(finding["line"]))  # type: ignore[call-overload]
        expected = (
            (finding["kind"], finding["rule"]) == ("hardcoded-key", keys.get(location))
            or (finding["kind"] == "placeholder-key" and location in placeholders)
        )
        if not expected:
            extra.append(_name(location, f"{finding['kind']}/{finding['rule']}"))
    doubled = sorted({_name(location) for location in [*keys, *placeholders] if len(_at(location)) > 1})
    assert not extra, f"{len(extra)} findings on lines that hold no key: {extra}"
    assert not doubled, f"lines reported more than once: {doubled}"


def _starts_at(line: str, column: int, value: str) -> bool:
    """Does the key's text start at this 1-based column, or right inside the string literal that
    opens there (a key split over several literals may be located at its first piece)?"""
    rest = line[column - 1 :]
    opening = _OPENING.match(rest)
    return rest.startswith(value[:SHOWN_PREFIX]) or (
        opening is not None and rest[opening.end() :].startswith(value[:SHOWN_PREFIX])
    )


def test_findings_are_located_and_redacted() -> None:
    """Key findings point at the key's column and show at most its first 4 characters."""
    wrong = []
    for location, value in planted().items():
        for finding in _at(location):
            line = _lines(location[0])[location[1] - 1]
            column = int(finding["column"])  # type: ignore[call-overload]
            if value[: SHOWN_PREFIX + 1] in str(finding["preview"]) or not _starts_at(line, column, value):
                wrong.append(_name(location, str(finding["rule"])))
    assert not wrong, f"findings with a wrong column or a preview showing more than 4 characters: {wrong}"


@pytest.mark.parametrize("report_format", FORMATS)
def test_no_key_is_printed(report_format: str) -> None:
    result, output = scan(report_format)
    crash = _crash(result)
    assert not crash, f"genai2openai --secrets-only --report-format {report_format} failed: {crash}"
    assert output.strip(), "the report is empty"
    leaked = [_name(location) for location, value in planted().items() if value and value in output]
    assert not leaked, f"keys printed in full ({report_format} report): {leaked}"
