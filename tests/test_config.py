"""Project configuration (`[tool.genai2openai]`, `--config`), its precedence under the command
line and its errors; and the options that came with it (`--fail-on`, `--base-url-env`,
`--color`, report formats by file name)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import Result
from clirunner import cli_runner

from codemod.cli import main
from codemod.config import ConfigError, find_config, load_config

SOURCE = """\
import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-2.0-flash")
print(model.generate_content("hi").text)
print(model.count_tokens("hi"))
"""

pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib (or tomli) reads the configuration")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(SOURCE)
    return tmp_path


def invoke(*args: str) -> Result:
    return cli_runner().invoke(main, ["--jobs", "1", *args])


def pyproject(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n[tool.genai2openai]\n{body}')


def test_settings_come_from_the_nearest_pyproject(project: Path) -> None:
    pyproject(project, 'base-url = "https://gateway.example/v1/"\napi-key-env = "GATEWAY_KEY"\nmodel-map = { "gemini-2.0-flash" = "gemini-2.5-flash" }\n')
    (project / "sub").mkdir()
    (project / "sub" / "app.py").write_text(SOURCE.replace('genai.configure(api_key=os.environ["GEMINI_API_KEY"])\n', ""))
    result = invoke("sub")
    assert 'base_url="https://gateway.example/v1/"' in result.stdout
    assert 'os.environ.get("GATEWAY_KEY")' in result.stdout
    assert '"gemini-2.5-flash"' in result.stdout


def test_the_command_line_overrides_the_file(project: Path) -> None:
    pyproject(project, 'base-url = "https://gateway.example/v1/"\n')
    result = invoke("--base-url", "https://other.example/v1/", "app.py")
    assert 'base_url="https://other.example/v1/"' in result.stdout
    assert "gateway.example" not in result.stdout


def test_a_pyproject_without_the_table_is_passed_over(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "genai2openai-user"\n')
    assert find_config(project) is None
    assert invoke("app.py").exit_code == 0


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('colour = "auto"\n', "unknown key 'colour' in [tool.genai2openai]"),
        ("base-url = 3\n", "'base-url' must be a non-empty string"),
        ('fail-on = "fatal"\n', "'fail-on' must be one of error, warning, note"),
        ('exclude = "build"\n', "'exclude' must be a list of strings"),
        ('model-map = ["a"]\n', "'model-map' must be a table of OLD = NEW"),
        ('base-url = "ftp://x"\n', "'base-url': 'ftp://x' is not an http(s) URL"),
        ('api-key-env = "MY KEY"\n', "'api-key-env': 'MY KEY' is not an environment variable name"),
    ],
)
def test_bad_settings_are_one_line_errors_naming_key_and_file(project: Path, body: str, error: str) -> None:
    pyproject(project, body)
    result = invoke("app.py")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("genai2openai: error: ") and "pyproject.toml" in line and error in line


def test_invalid_toml_is_reported(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.genai2openai\n")
    result = invoke("app.py")
    assert result.exit_code == 2
    assert "pyproject.toml: not valid TOML" in result.stderr


def test_config_option_names_a_file(project: Path) -> None:
    settings = project / "migration.toml"
    settings.write_text('base-url = "https://gateway.example/v1/"\n')
    result = invoke("--config", str(settings), "app.py")
    assert 'base_url="https://gateway.example/v1/"' in result.stdout
    with pytest.raises(ConfigError, match="unknown key 'nope'"):
        settings.write_text("nope = 1\n")
        load_config(settings)


def test_exclude_and_extend_exclude(project: Path) -> None:
    (project / "vendor").mkdir()
    (project / "vendor" / "lib.py").write_text(SOURCE)
    (project / "old").mkdir()
    (project / "old" / "lib.py").write_text(SOURCE)
    pyproject(project, 'exclude = ["vendor"]\nextend-exclude = ["old"]\n')
    result = invoke(".")
    assert "a/app.py" in result.stdout
    assert "vendor/lib.py" not in result.stdout and "old/lib.py" not in result.stdout


def test_fail_on_warning_fails_the_check_while_todos_are_left(project: Path) -> None:
    assert invoke("--write", "app.py").exit_code == 0
    assert invoke("--check", "app.py").exit_code == 0  # only warnings (TODOs) are left
    assert invoke("--check", "--fail-on", "warning", "app.py").exit_code == 1
    pyproject(project, 'fail-on = "warning"\n')
    assert invoke("--check", "app.py").exit_code == 1


def test_base_url_env_reads_the_endpoint_from_the_environment(project: Path) -> None:
    result = invoke("--base-url-env", "OPENAI_BASE_URL", "app.py")
    assert 'base_url=os.environ.get(\n        "OPENAI_BASE_URL",' in result.stdout or 'base_url=os.environ.get("OPENAI_BASE_URL", "https://generativelanguage.googleapis.com/v1beta/openai/")' in result.stdout
    assert invoke("--base-url-env", "not a name", "app.py").exit_code == 2


def test_diffs_are_coloured_on_request_only(project: Path) -> None:
    assert "\x1b[" not in invoke("app.py").stdout  # not a terminal
    coloured = invoke("--color", "app.py").stdout
    assert "\x1b[32m+" in coloured and "\x1b[31m-" in coloured and "\x1b[1m--- a/app.py" in coloured


def test_report_format_follows_the_file_name(project: Path) -> None:
    invoke("--report", "out.sarif", "app.py")
    assert json.loads((project / "out.sarif").read_text())["version"] == "2.1.0"
    invoke("--report", "out.txt", "app.py")
    assert not (project / "out.txt").read_text().startswith("{")
    invoke("--report", "out.json", "app.py")
    assert json.loads((project / "out.json").read_text())["version"] == 2


def test_a_report_on_stdout_is_the_only_listing(project: Path) -> None:
    result = invoke("--report", "-", "--report-format", "github", "app.py")
    assert result.stdout.count("::warning ") == 2
    assert len(result.stderr.splitlines()) == 1 and "count_tokens" not in result.stderr  # the summary alone
    assert "--write to apply the diffs" not in result.stderr  # no diffs were shown


def test_summary_says_how_to_apply_and_what_is_left(project: Path) -> None:
    result = invoke("app.py")
    assert "; run again with --write to apply the diffs" in result.stderr
    assert "1 with TODOs left (manual-migration 2)" in result.stderr


def test_fail_on_kinds(project: Path) -> None:
    assert invoke("--write", "app.py").exit_code == 0
    assert invoke("--check", "--fail-on-kind", "dropped-option", "app.py").exit_code == 0
    assert invoke("--check", "--fail-on-kind", "manual-migration", "app.py").exit_code == 1
    pyproject(project, 'fail-on-kinds = ["manual-migration"]\n')
    assert invoke("--check", "app.py").exit_code == 1
    pyproject(project, 'fail-on-kinds = ["todo"]\n')
    result = invoke("--check", "app.py")
    assert result.exit_code == 2 and "'fail-on-kinds': unknown finding kind 'todo'" in result.stderr
