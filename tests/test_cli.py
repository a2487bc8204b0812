"""Tests for the `genai2openai` command: modes, exit codes, diagnostics, reports, redaction."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from clirunner import cli_runner

from codemod import __version__, runner
from codemod import migrate as migrate_module
from codemod.cli import main
from codemod.ftypes import Finding, Kind, Migration, Options, Severity

UNCHANGED = "# not using generativeai here\nx = 1\n"
CHANGING = "# generativeai marker\nx = 1\n"
KEY = "AIzaSy" + "K" * 33

Stub = Callable[..., Migration]


def upper_marker(source: str, options: Options, *, path: str = "<string>", index: object = None) -> Migration:
    """Stub collaborator: uppercases `marker`, so a file containing it 'changes'."""
    return Migration(source=source.replace("marker", "MARKER"))


def with_finding(severity: Severity, message: str = "check this") -> Stub:
    """Stub collaborator: no change, one finding on line 2."""

    def migrate(source: str, options: Options, *, path: str = "<string>", index: object = None) -> Migration:
        finding = Finding(path, 2, 0, Kind.MANUAL_MIGRATION, severity, message)
        return Migration(source=source, findings=(finding,))

    return migrate


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> Result:
    return cli_runner().invoke(main, ["--jobs", "1", *args])


def use(monkeypatch: pytest.MonkeyPatch, stub: Stub) -> None:
    monkeypatch.setattr(migrate_module, "migrate_source", stub)


def test_default_mode_prints_diff_and_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, upper_marker)
    (project / "pkg").mkdir()
    (project / "pkg" / "a.py").write_text(CHANGING)
    result = invoke()
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/pkg/a.py\n+++ b/pkg/a.py\n@@ -1,2 +1,2 @@\n")
    assert "-# generativeai marker\n+# generativeai MARKER\n" in result.stdout
    assert _counts(result.stderr) == "1 file would be changed, 0 findings\n"
    assert "; run again with --write to apply the diffs" in result.stderr
    assert (project / "pkg" / "a.py").read_text() == CHANGING


def test_write_mode_writes_and_prints_no_diff(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, upper_marker)
    (project / "a.py").write_text(CHANGING)
    (project / "b.py").write_text(UNCHANGED)
    result = invoke("--write", ".")
    assert (result.exit_code, result.stdout) == (0, "")
    assert _counts(result.stderr) == "1 file changed, 0 findings\n"
    assert (project / "a.py").read_text() == CHANGING.replace("marker", "MARKER")
    assert (project / "b.py").read_text() == UNCHANGED


def test_options_reach_the_migration(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Options] = []

    def record(source: str, options: Options, *, path: str, index: object = None) -> Migration:
        seen.append(options)
        return Migration(source=source)

    use(monkeypatch, record)
    (project / "a.py").write_text(UNCHANGED)
    result = invoke("--base-url", "http://localhost:8080/v1/", "--api-key-env", "MY_KEY")
    assert result.exit_code == 0
    assert seen == [Options(base_url="http://localhost:8080/v1/", api_key_env="MY_KEY")]


@pytest.mark.parametrize(
    ("content", "code"),
    [(UNCHANGED, 0), (CHANGING, 1), ("y = 1\n", 0)],
    ids=["unchanged", "changed", "no-sdk"],
)
def test_check_exit_codes(
    project: Path, monkeypatch: pytest.MonkeyPatch, content: str, code: int
) -> None:
    use(monkeypatch, upper_marker)
    (project / "a.py").write_text(content)
    result = invoke("--check")
    assert result.exit_code == code
    assert (project / "a.py").read_text() == content
    assert ("+# generativeai MARKER" in result.stdout) is (code == 1)


@pytest.mark.parametrize(("severity", "code"), [(Severity.ERROR, 1), (Severity.WARNING, 0)])
def test_check_fails_on_error_findings_only(
    project: Path, monkeypatch: pytest.MonkeyPatch, severity: Severity, code: int
) -> None:
    use(monkeypatch, with_finding(severity))
    (project / "a.py").write_text(UNCHANGED)
    result = invoke("--check")
    assert result.exit_code == code
    assert re.search(rf"^a\.py\n  2:1 +{severity.value} +manual-migration +check this$", result.stderr, re.M)
    assert invoke().exit_code == 0  # findings never fail the default mode


def test_write_and_check_are_mutually_exclusive(project: Path) -> None:
    result = invoke("--write", "--check")
    assert result.exit_code == 2
    assert "--write and --check cannot be used together" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["--api-key-env", "1BAD"], ["--api-key-env", "MY-KEY"], ["--jobs", "0"], ["--base-url", "x"]],
)
def test_bad_option_values_are_usage_errors(project: Path, args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Invalid value" in result.stderr and "Traceback" not in result.stderr


def test_nonexistent_path_is_one_line_exit_2(project: Path) -> None:
    result = invoke("missing.py")
    assert result.exit_code == 2
    assert result.stderr == "genai2openai: error: missing.py: no such file or directory\n"


def test_unparsable_file_is_reported_and_others_still_processed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "bad.py").write_text("import google.generativeai\nx = (\n")
    (project / "good.py").write_text(CHANGING)
    real = migrate_module.migrate_source

    def stub(source: str, options: Options, *, path: str, index: object = None) -> Migration:
        real(source, options, path=path)  # the real parser raises for bad.py
        return upper_marker(source, options)

    use(monkeypatch, stub)
    result = invoke("--write", "--quiet")
    assert result.exit_code == 2
    assert result.stderr.startswith("bad.py: error: cannot parse: ")
    assert len(result.stderr.splitlines()) == 1
    assert (project / "good.py").read_text() == CHANGING.replace("marker", "MARKER")
    assert (project / "bad.py").read_text() == "import google.generativeai\nx = (\n"


def test_check_exit_1_wins_over_errors(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, upper_marker)
    (project / "bad.py").write_bytes(b"# generativeai\n\nx = '\xff'\n")
    assert invoke("--check").exit_code == 2
    (project / "good.py").write_text(CHANGING)
    result = invoke("--check")
    assert result.exit_code == 1
    assert "bad.py: error: cannot decode" in result.stderr


def test_recursion_error_is_reported_like_unparsable(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def too_deep(source: str, options: Options, *, path: str, index: object = None) -> Migration:
        raise RecursionError

    use(monkeypatch, too_deep)
    (project / "deep.py").write_text(UNCHANGED)
    result = invoke()
    assert result.exit_code == 2
    assert "deep.py: error: cannot parse: too deeply nested\n" in result.stderr
    assert "Traceback" not in result.output


def test_quiet_keeps_diffs_and_errors_but_not_summary(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, with_finding(Severity.WARNING))
    (project / "a.py").write_text(UNCHANGED)
    assert invoke("--quiet").stderr == ""
    use(monkeypatch, upper_marker)
    (project / "a.py").write_text(CHANGING)
    result = invoke("-q")
    assert "+# generativeai MARKER" in result.stdout and result.stderr == ""


def test_exclude_option(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, upper_marker)
    (project / "a.py").write_text(CHANGING)
    (project / "legacy").mkdir()
    (project / "legacy" / "b.py").write_text(CHANGING)
    result = invoke("--exclude", "legacy", "--write")
    assert _counts(result.stderr) == "1 file changed, 0 findings\n"
    assert (project / "legacy" / "b.py").read_text() == CHANGING


def test_json_report(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, with_finding(Severity.WARNING, "look here"))
    (project / "b.py").write_text(UNCHANGED)
    (project / "a.py").write_text(UNCHANGED)
    (project / "bad.py").write_bytes(b"# generativeai\n\nx = '\xff'\n")
    result = invoke("--report", "report.json", "--report-format", "json", "a.py", "b.py", "bad.py")
    assert result.exit_code == 2
    report = json.loads((project / "report.json").read_text())
    assert (report["version"], report["tool"]) == (2, "genai2openai")
    assert [{k: f[k] for k in ("path", "line", "column", "kind", "severity", "rule", "message")} for f in report["findings"]] == [
        {
            "path": p,
            "line": 2,
            "column": 1,
            "kind": "manual-migration",
            "severity": "warning",
            "rule": "manual-migration",
            "message": "look here",
        }
        for p in ("a.py", "b.py")
    ]
    assert [(f["path"], f["changed"], f["error"] is None) for f in report["files"]] == [
        ("a.py", False, True),
        ("b.py", False, True),
        ("bad.py", False, False),
    ]


def test_secrets_never_appear_in_full(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def leak(source: str, options: Options, *, path: str, index: object = None) -> Migration:
        finding = Finding(path, 2, 6, Kind.HARDCODED_KEY, Severity.ERROR, f"literal key {KEY}")
        new = source.replace(f'"{KEY}"', 'os.environ["GEMINI_API_KEY"]  # was ' + KEY)
        return Migration(source=new, findings=(finding,), secrets=(KEY,))

    use(monkeypatch, leak)
    (project / "a.py").write_text(f'import google.generativeai as genai\nkey = "{KEY}"\n')
    result = invoke("--check", "--report", "out.json")
    report = (project / "out.json").read_text()
    assert result.exit_code == 1
    for text in (result.stdout, result.stderr, report):
        assert KEY[:4] in text
        assert KEY not in text
    assert '-key = "AIza…(39 chars, redacted)"' in result.stdout


def test_diff_keeps_crlf_and_marks_missing_final_newline(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, upper_marker)
    (project / "a.py").write_bytes(b"# generativeai\r\nmarker = 1")
    result = invoke()
    assert "-marker = 1\n\\ No newline at end of file\n+MARKER = 1\n" in result.stdout
    assert b" # generativeai\r\n" in result.stdout_bytes


def test_process_pool_through_cli(project: Path) -> None:
    for i in range(2 * runner.PARALLEL_THRESHOLD):
        (project / f"m{i:02d}.py").write_text(UNCHANGED)
    (project / "m05.py").write_text("import google.generativeai\nx = (\n")
    result = cli_runner().invoke(main, ["--jobs", "2", "--check"])
    assert result.exit_code == 2
    assert result.stderr.startswith("m05.py: error: cannot parse")
    assert _counts(result.stderr).endswith("0 files would be changed, 1 file failed, 0 findings\n")


def test_version_and_module_entry_point() -> None:
    assert (
        cli_runner().invoke(main, ["--version"]).output == f"genai2openai, version {__version__}\n"
    )
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.run(
        [sys.executable, "-m", "codemod", "--help"],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0 and "--api-key-env" in proc.stdout


def _counts(stderr: str) -> str:
    """stderr without the summary's scope and timing (`; 3 files scanned in 0.1 s`)."""
    return re.sub(r"; [^\n]* in \d+\.\d s[^\n]*", "", stderr)


def test_progress_bar_is_drawn_and_erased(capsys: pytest.CaptureFixture[str]) -> None:
    from codemod.cli import _Progress

    with _Progress(enabled=True) as progress:
        progress(1, 4)
        progress(4, 4)
    err = capsys.readouterr().err
    assert "\rgenai2openai [#######" in err and "4/4 files" in err and err.endswith("\r\x1b[K")
    with _Progress(enabled=False) as progress:
        progress(1, 4)
    assert capsys.readouterr().err == ""


def test_no_progress_bar_in_pipes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("codemod.cli.PROGRESS_FILES", 1)
    use(monkeypatch, upper_marker)
    (project / "a.py").write_text(CHANGING)
    assert "\r" not in invoke("a.py").stderr
