"""`--model-map OLD=NEW`: parsing, validation (usage errors) and its effect on migrated code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codemod import migrate as migrate_module
from codemod.cli import main
from codemod.ftypes import Migration, Options

SOURCE = '''import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("models/gemini-pro")
print(model.generate_content("hi").text)
result = genai.embed_content(model="text-embedding-004", content="hi")
print(result["embedding"])
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(SOURCE)
    return tmp_path


def invoke(*args: str) -> Result:
    try:
        cli = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        cli = CliRunner()
    return cli.invoke(main, ["--jobs", "1", *args])


def seen_options(monkeypatch: pytest.MonkeyPatch) -> list[Options]:
    seen: list[Options] = []

    def record(source: str, options: Options, *, path: str, index: object = None) -> Migration:
        seen.append(options)
        return Migration(source=source)

    monkeypatch.setattr(migrate_module, "migrate_source", record)
    return seen


def test_pairs_reach_the_options_in_order(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = seen_options(monkeypatch)
    result = invoke("--model-map", "gemini-pro=gemini-2.0-flash", "--model-map", " models/a = b ")
    assert result.exit_code == 0, result.output
    assert seen == [Options(model_map=(("gemini-pro", "gemini-2.0-flash"), ("models/a", "b")))]
    hash(seen[0])  # Options stays hashable


def test_no_option_means_no_map(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = seen_options(monkeypatch)
    assert invoke().exit_code == 0
    assert seen == [Options()]


def test_the_same_pair_twice_is_accepted(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = seen_options(monkeypatch)
    assert invoke("--model-map", "a=b", "--model-map", "models/a=b").exit_code == 0
    assert seen[0].model_map == (("models/a", "b"),)


@pytest.mark.parametrize(
    "value",
    ["gemini-pro", "=gemini-2.0-flash", "gemini-pro=", "a=b=c", "=", "gemini pro=x", "a= "],
)
def test_malformed_pairs_are_usage_errors(project: Path, value: str) -> None:
    result = invoke("--model-map", value)
    assert result.exit_code == 2
    assert "--model-map" in result.stderr
    assert "OLD=NEW" in result.stderr
    assert (project / "app.py").read_text() == SOURCE


def test_one_model_mapped_twice_is_a_usage_error(project: Path) -> None:
    result = invoke("--model-map", "gemini-pro=a", "--model-map", "models/gemini-pro=b")
    assert result.exit_code == 2
    assert "mapped twice" in result.stderr


def test_options_from_json_lists_become_tuples() -> None:
    options = Options(model_map=[["gemini-pro", "gemini-2.0-flash"]])  # type: ignore[arg-type]
    assert options.model_map == (("gemini-pro", "gemini-2.0-flash"),)
    assert hash(options) == hash(Options(model_map=(("gemini-pro", "gemini-2.0-flash"),)))


def test_mapped_ids_are_written_and_no_longer_reported(project: Path) -> None:
    result = invoke("--model-map", "gemini-pro=gemini-2.0-flash", "--model-map", "text-embedding-004=gemini-embedding-001")
    assert result.exit_code == 0, result.stderr
    assert '+model = "gemini-2.0-flash"' in result.stdout
    assert '+    model="gemini-embedding-001",' in result.stdout
    assert "retired-model" not in result.stderr


def test_unmapped_retired_ids_are_reported(project: Path) -> None:
    result = invoke()
    assert result.exit_code == 0
    assert '+model = "gemini-pro"' in result.stdout
    assert re.search(r"^  8:36 +warning +retired-model +model `text-embedding-004` has been retired", result.stderr, re.M)
    assert "--model-map text-embedding-004=gemini-embedding-001" in result.stderr
