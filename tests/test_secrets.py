"""Key detection end to end: shapes, look-alikes, key positions, every output mode, baselines.

Keys here are generated from the rules' own shapes. No assertion message ever contains a key:
outputs are checked with `in`/`not in` and failures name the mode, never the text.
"""

from __future__ import annotations

import json
import re
import uuid
from hashlib import sha1, sha256
from pathlib import Path

import pytest
from clirunner import Key, cli_runner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.cli import main
from codemod.ftypes import Options
from codemod.migrate import migrate_source
from codemod.secrets import (
    RULES,
    RULES_BY_ID,
    find_keys,
    is_key_name,
    is_placeholder,
    key_rule,
    preview,
    redact,
)

KEY_RULES = [rule.id for rule in RULES]


def keys_of(rule_id: str) -> st.SearchStrategy[str]:
    """Keys of one rule's shape that are not placeholders (`AIza000…` is one)."""
    return st.from_regex(f"(?:{RULES_BY_ID[rule_id].shape})", fullmatch=True).filter(lambda k: not is_placeholder(k)).map(Key)


any_key = st.sampled_from(KEY_RULES).flatmap(lambda rule: st.tuples(st.just(rule), keys_of(rule)))


@given(any_key)
def test_every_shape_is_found_in_text_with_its_rule(rule_and_key: tuple[str, str]) -> None:
    rule, key = rule_and_key
    assert key.startswith(RULES_BY_ID[rule].prefixes), "a rule's prefixes must start its keys"
    for text in (f'x = "{key}"', f"KEY={key}\n", f"see `{key}`.", f'{{"k": "{key}\\n"}}'):
        found = find_keys(text)
        assert [(m.rule.id, m.value) for m in found] == [(rule, key)], "wrong match in a template"


@given(any_key)
def test_previews_show_at_most_four_characters(rule_and_key: tuple[str, str]) -> None:
    _, key = rule_and_key
    for shown in (preview(key), redact(key)):
        assert key[:4] in shown
        assert key[4:8] not in shown.replace(key[:4], "", 1)


@pytest.mark.parametrize(
    "text",
    [
        sha256(b"x").hexdigest(),
        sha1(b"x").hexdigest(),
        str(uuid.UUID(int=12345678901234567890)),
        "AIzawesome",
        "AIza" + "b" * 10 + "C" * 10 + "d" * 14,  # 38 characters: one short
        "AIza" + "Abc123" * 6,  # 40 characters: one too many
        "gemini-1.5-flash",
        "models/text-embedding-004",
        "sk-learn",
        "hf_hub",
        "GEMINI_API_KEY",
        "dGhpcyBpcyBub3QgYSBrZXkgYXQgYWxsLCBqdXN0IGJhc2U2NA==",
    ],
)
def test_look_alikes_are_not_keys(text: str) -> None:
    assert find_keys(f'"{text}"') == []
    assert key_rule(text) is None


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [("", True), ("YOUR_API_KEY", True), ("<your-key>", True), ("AIza...", True), ("sk-...", True), ("XX", True),
     ("API_KEY", True), ("GEMINI_API_KEY", True), ("${OPENAI_API_KEY}", True), ("sk-xxxxxxxxxxxxxxxx", True),
     ("AIza" + "0" * 35, True), ("ollama", False), ("a8f3k2m9q4w7e1r6t5y0u3i8o2p9s4d7", False),
     ("gemini-key", True), ("google_api_key", True), ("my-openai-key", True), ("test-key", True), ("token", True),
     ("gemini-key-a8f3k2m9q4w7e1r6t5y0", False), ("gemini-keys-here", True), ("Gemini-Key", False), ("gemini", True),
     ("sk-" + "a" * 24 + "b" * 24, True), ("hf_" + "key" * 11 + "x", False)],
)
def test_placeholders(value: str, placeholder: bool) -> None:
    assert is_placeholder(value) is placeholder


@pytest.mark.parametrize(
    ("source", "wanted"),
    [
        # A key's own name stands in for it: a note where it reaches a key, nothing where it is only stored.
        ('import google.generativeai as genai\nGEMINI_API_KEY = "gemini-key"\ngenai.configure(api_key=GEMINI_API_KEY)\n', [("placeholder-key", "note")]),
        ('import google.generativeai as genai\ngenai.configure(api_key="my-gemini-api-key")\n', [("placeholder-key", "note")]),
        ('from openai import OpenAI\nclient = OpenAI(api_key="openai-api-key")\n', [("placeholder-key", "note")]),
        ('SECRET_NAME = "gemini-api-key"\nAPI_KEY = "gemini-api-key"\n', []),
        # Words and something else: still a credential (any literal passed to configure is the key).
        ('from openai import OpenAI\nclient = OpenAI(api_key="gemini-key-a8f3k2m9q4w7e1r6t5y0")\n', [("hardcoded-key", "error")]),
        ('import google.generativeai as genai\ngenai.configure(api_key="gemini-prod-2024")\n', [("hardcoded-key", "error")]),
    ],
)
def test_a_key_named_by_its_words_is_a_placeholder(source: str, wanted: list[tuple[str, str]]) -> None:
    findings = migrate_source(source, Options(), path="a.py").findings
    assert [(f.kind.value, f.severity.value) for f in findings] == wanted


@pytest.mark.parametrize(
    ("name", "key"),
    [("api_key", True), ("apiKey", True), ("GEMINI_API_KEY", True), ("x-goog-api-key", True), ("token", True),
     ("HF_TOKEN", True), ("auth_token", True), ("API_KEY_ENV", False), ("max_tokens", False),
     ("pad_token", False), ("token_count", False), ("model", False)],
)
def test_key_names(name: str, key: bool) -> None:
    assert is_key_name(name) is key


# --- key positions, every mode ------------------------------------------------------------------

POSITIONS = {
    "configure": 'import google.generativeai as genai\ngenai.configure(api_key="{key}")\nm = genai.GenerativeModel("gemini-2.5-flash")\nprint(m.generate_content("hi").text)\n',
    "client": 'from openai import OpenAI\nclient = OpenAI(api_key="{key}")\n',
    "constant": 'from openai import OpenAI\nSECRET = "{key}"\nclient = OpenAI(api_key=SECRET)\n',
    "environ": 'import os\nos.environ["GOOGLE_API_KEY"] = "{key}"\n',
    "getenv": 'import os\nkey = os.getenv("GEMINI_API_KEY", "{key}")\n',
    "dict": 'headers = {{"x-goog-api-key": "{key}"}}\n',
    "fallback": 'import os\napi_key = os.getenv("K") or "{key}"\n',
}
MODES = {
    "diff": [],
    "check": ["--check"],
    "secrets-only": ["--secrets-only"],
    "json": ["--secrets-only", "--report", "-", "--report-format", "json"],
    "sarif": ["--report", "-", "--report-format", "sarif"],
    "github": ["--check", "--report", "-", "--report-format", "github"],
    "text": ["--report", "-", "--report-format", "text"],
    "write": ["--write"],
}


def run_cli(folder: Path, *args: str) -> tuple[int, str]:
    """Exit code and everything the command printed (stdout and stderr)."""
    result = cli_runner().invoke(main, [*args, str(folder)], catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rule_and_key=any_key, position=st.sampled_from(sorted(POSITIONS)), mode=st.sampled_from(sorted(MODES)))
def test_a_key_in_a_key_position_is_found_and_never_shown(
    tmp_path_factory: pytest.TempPathFactory, rule_and_key: tuple[str, str], position: str, mode: str
) -> None:
    rule, key = rule_and_key
    folder = tmp_path_factory.mktemp("repo")
    source = POSITIONS[position].format(key=key)
    (folder / "app.py").write_text(source)
    code, output = run_cli(folder, *MODES[mode])
    assert key not in output, f"the key leaked in mode {mode}"
    assert key[:4] in output or mode == "write", f"no finding shown in mode {mode}"
    if mode == "write":
        assert key not in (folder / "app.py").read_text(), f"key left in the code ({position})"
    else:
        assert (folder / "app.py").read_text() == source
    assert code == (1 if mode in ("check", "secrets-only", "json", "github") else 0)
    if mode == "json":
        findings = json.loads(_stdout(folder, *MODES[mode]))["findings"]
        assert [(f["kind"], f["rule"]) for f in findings] == [("hardcoded-key", rule)]


def _stdout(folder: Path, *args: str) -> str:
    return cli_runner().invoke(main, [*args, str(folder)], catch_exceptions=False).stdout


def test_keys_in_other_files_are_found_where_they_are(tmp_path: Path) -> None:
    key, other = "AIza" + "Q1w2E3r4T5y6U7i8O9p0" + "a" * 15, "gsk_" + "Ab3" * 17 + "x"
    (tmp_path / ".env").write_text(f"# settings\nGEMINI_API_KEY={key}\n")
    (tmp_path / "config.yaml").write_text(f"llm:\n  provider: groq\n  key: '{other}'\n")
    (tmp_path / "README.md").write_text(f"Run with `export GEMINI_API_KEY={key}`\n")
    (tmp_path / "notes.bin").write_text(f"{key}\n")  # not a scanned kind of file
    result = cli_runner().invoke(main, ["--secrets-only", "--report", "-", "--report-format", "json", str(tmp_path)])
    assert key not in result.stdout + result.stderr and other not in result.stdout + result.stderr
    found = sorted((Path(f["path"]).name, f["line"], f["column"], f["rule"]) for f in json.loads(result.stdout)["findings"])
    assert found == [
        (".env", 2, 16, "google-api-key"),
        ("README.md", 1, 33, "google-api-key"),
        ("config.yaml", 3, 9, "groq-api-key"),
    ]


def test_notebook_keys_are_located_in_the_ipynb_file(tmp_path: Path) -> None:
    key, shown = "AIza" + "N0tebook" * 4 + "abc", "sk-proj-" + "Output9x" * 6
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Demo\n"]},
            {
                "cell_type": "code", "execution_count": 1, "metadata": {},
                "source": ["!pip install -q google-generativeai\n", "import google.generativeai as genai\n", f'genai.configure(api_key="{key}")'],
                "outputs": [{"name": "stdout", "output_type": "stream", "text": [f"{shown}\n"]}],
            },
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    text = json.dumps(notebook, indent=1)
    (tmp_path / "demo.ipynb").write_text(text)
    result = cli_runner().invoke(main, ["--secrets-only", "--report", "-", "--report-format", "json", str(tmp_path)])
    assert key not in result.stdout + result.stderr and shown not in result.stdout + result.stderr
    lines = text.splitlines()
    found = {(f["rule"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]}
    expected = set()
    for rule, value in (("google-api-key", key), ("openai-api-key", shown)):
        line = next(n for n, content in enumerate(lines, 1) if value in content)
        expected.add((rule, line, lines[line - 1].index(value) + 1))
    assert found == expected


def test_baseline_accepts_old_findings_by_fingerprint_and_survives_line_moves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    old, new = "AIza" + "OldKey12" * 4 + "xyz", "AIza" + "NewKey34" * 4 + "xyz"
    (tmp_path / "app.py").write_text(f'print("{old}")\n')
    code, output = run_cli(Path("."), "--secrets-only", "--baseline", "baseline.json", "--update-baseline")
    assert code == 0 and old not in output
    stored = (tmp_path / "baseline.json").read_text()
    assert old not in stored and old[:8] not in stored
    assert [f["rule"] for f in json.loads(stored)["findings"]] == ["google-api-key"]
    (tmp_path / "app.py").write_text(f'\n\n# moved down\nprint("{old}")\n')
    assert run_cli(Path("."), "--secrets-only", "--baseline", "baseline.json")[0] == 0
    (tmp_path / "app.py").write_text(f'print("{old}")\nprint("{new}")\n')
    code, output = run_cli(Path("."), "--secrets-only", "--baseline", "baseline.json")
    assert code == 1 and re.search(r"^  2:8 +error", output, re.M) and not re.search(r"^  1:", output, re.M)


def test_a_missing_or_broken_baseline_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("[1, 2]")
    for name in ("missing.json", "broken.json"):
        code, output = run_cli(tmp_path, "--secrets-only", "--baseline", str(tmp_path / name))
        assert code == 2 and output.count("\n") == 1 and name in output


def test_suppression_markers_work_in_text_files(tmp_path: Path) -> None:
    key = "AIza" + "Suppress" * 4 + "abc"
    (tmp_path / ".env").write_text(f"GEMINI_API_KEY={key}  # genai2openai: ignore\nOTHER={key}\n")
    code, output = run_cli(tmp_path, "--secrets-only")
    assert code == 1 and re.search(r"^  2:7 ", output, re.M) and not re.search(r"^  1:", output, re.M)


def test_secrets_only_refuses_write(tmp_path: Path) -> None:
    code, output = run_cli(tmp_path, "--secrets-only", "--write")
    assert code == 2 and "--secrets-only" in output


def test_a_file_that_cannot_be_parsed_never_shows_its_key(tmp_path: Path) -> None:
    key = "AIza" + "Unparsed" * 4 + "abc"
    (tmp_path / "bad.py").write_text(f'import google.generativeai as genai\ngenai.configure(api_key="{key}"\n')
    for mode in MODES.values():
        code, output = run_cli(tmp_path, *mode)
        assert key not in output, "a parse error showed the key"


# --- regressions from the adversarial review ------------------------------------------------------


def google_key(seed: str) -> str:
    """A fake Google key; `seed` (letters and digits) makes it unique and recognisable."""
    return ("AIza" + (seed * 40))[:39]


def assert_hidden(text: str, key: str, what: str) -> None:
    """No run of 6 characters of the key beyond its first 4 shows (pieces, windows)."""
    windows = {key[i : i + 6] for i in range(1, len(key) - 5)}
    assert not any(window in text for window in windows), f"part of the key showed: {what}"


def everything(folder: Path, *args: str) -> str:
    """All a run prints, plus every file of the folder afterwards."""
    result = cli_runner().invoke(main, [*args, str(folder)], catch_exceptions=False)
    files = "".join(p.read_text(errors="replace") + p.name for p in folder.rglob("*") if p.is_file() and p.suffix != ".py")
    return result.stdout + result.stderr + files


def test_a_key_split_in_short_pieces_never_shows(tmp_path: Path) -> None:
    key = google_key("Sp1itKey")
    pieces = " ".join(f'"{key[i:i + 4]}"' for i in range(0, len(key), 4))
    (tmp_path / "app.py").write_text(f"from openai import OpenAI\nclient = OpenAI(api_key={pieces})\nKEY = ({pieces})\n")
    for mode in MODES.values():
        assert_hidden(everything(tmp_path, *mode), key, f"split key, mode {mode}")


def test_a_key_joined_with_plus_is_found_and_moved(tmp_path: Path) -> None:
    key = google_key("PlusJoin9")
    source = f'import google.generativeai as genai\ngenai.configure(api_key="{key[:10]}" + "{key[10:]}")\nprint(genai.GenerativeModel("gemini-2.5-flash").generate_content("hi").text)\n'
    (tmp_path / "app.py").write_text(source)
    code, output = run_cli(tmp_path, "--write")
    assert_hidden(output, key, "diff of a + key")
    written = (tmp_path / "app.py").read_text()
    assert key[10:] not in written and 'os.environ.get("GEMINI_API_KEY")' in written


def test_keys_of_other_files_and_suppressed_keys_are_redacted_in_diffs(tmp_path: Path) -> None:
    credential = "a8f3k2m9q4w7e1r6t5y0u3i8o2p9s4d7"
    (tmp_path / "a.py").write_text(f'from mistralai import Mistral\nm = Mistral(api_key="{credential}")\n')
    (tmp_path / "b.py").write_text(
        f'import google.generativeai as genai\nLOCAL = "{credential}"\n'
        f'suppressed = Other(api_key="{credential[::-1]}")  # genai2openai: ignore\n'
        'print(genai.GenerativeModel("gemini-2.5-flash").generate_content("hi").text)\n'
    )
    code, output = run_cli(tmp_path)
    assert "b.py\n@@" in output  # the diff of b.py is printed
    assert credential not in output and credential[::-1] not in output


def test_option_values_holding_a_key_are_refused_without_showing_it(tmp_path: Path) -> None:
    key = google_key("Opt1on-Key")
    for args in (["--api-key-env", key], ["--base-url", f"https://proxy/v1?key={key}"], ["--model-map", f"a={key}"]):
        code, output = run_cli(tmp_path, *args)
        assert code == 2 and key not in output, f"{args[0]} leaked or was accepted"


def test_a_key_in_a_file_name_never_shows(tmp_path: Path) -> None:
    key = google_key("F1leName")
    (tmp_path / f"cfg_{key}.py").write_text(f'import google.generativeai as genai\nprint(genai.GenerativeModel("gemini-2.5-flash").generate_content("{key}").text)\n')
    for mode in (*MODES.values(), ["--secrets-only", "--baseline", str(tmp_path / "b.json"), "--update-baseline"]):
        assert key not in everything(tmp_path, *mode), f"file name leaked in mode {mode}"


GENAI_CALL = 'print(genai.GenerativeModel("gemini-2.5-flash").generate_content("hi").text)\n'


def written(folder: Path, head: str, call: str = GENAI_CALL) -> str:
    """`a.py` made of `head` and a genai call, after `genai2openai --write`."""
    (folder / "a.py").write_text(head + call)
    run_cli(folder, "--write")
    return (folder / "a.py").read_text()


def test_todo_comments_never_carry_a_key(tmp_path: Path) -> None:
    key = google_key("T0doNote")
    head = f'import google.generativeai as genai\nmodel = genai.GenerativeModel("gemini-2.5-flash", generation_config={{"temperature": 0.1, "api_key": "{key}"}})\n'
    assert key not in written(tmp_path, head, 'print(model.generate_content("hi").text)\n')


@pytest.mark.parametrize("word", ["here", "your", "fake", "XXXX"])
def test_a_real_key_holding_a_placeholder_word_is_still_a_key(word: str) -> None:
    key = ("AIza" + "Q7" + word + "m3Kp9" * 8)[:39]
    assert not is_placeholder(key) and [m.value for m in find_keys(f'"{key}"')] == [key]


def test_a_file_that_cannot_be_parsed_is_still_scanned(tmp_path: Path) -> None:
    key = google_key("Py2Script")
    (tmp_path / "old.py").write_text(f'print "hello"\nKEY = "{key}"\n')
    (tmp_path / "broken.ipynb").write_text(f'{{"cells": [ "{key}"\n')
    result = cli_runner().invoke(main, ["--secrets-only", "--report", "-", "--report-format", "json", str(tmp_path)])
    report = json.loads(result.stdout)
    assert sorted((Path(f["path"]).name, f["line"]) for f in report["findings"]) == [("broken.ipynb", 1), ("old.py", 2)]
    assert all(f["error"] for f in report["files"]) and key not in result.stdout + result.stderr


# --- regressions from the second review -------------------------------------------------------------


def test_a_key_after_an_escape_sequence_is_found(tmp_path: Path) -> None:
    key = google_key("AfterTab")
    (tmp_path / "a.py").write_text(f'MSG = "key:\\t{key}"\n')
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": f"intro\n{key}\n"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "n.ipynb").write_text(json.dumps(notebook))
    (tmp_path / "c.json").write_text(json.dumps({"note": f"line\n{key}"}))
    result = cli_runner().invoke(main, ["--secrets-only", "--report", "-", "--report-format", "json", str(tmp_path)])
    assert sorted(Path(f["path"]).name for f in json.loads(result.stdout)["findings"]) == ["a.py", "c.json", "n.ipynb"]


def test_a_marker_in_a_one_line_notebook_suppresses_only_its_own_line(tmp_path: Path) -> None:
    first, second = google_key("NbFirst1"), google_key("NbSecond")
    notebook = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
             "source": f"a = '{first}'  # genai2openai: ignore\nb = '{second}'"},
            {"cell_type": "markdown", "metadata": {}, "source": ["Add `# genai2openai: ignore` to accept a line.\n"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    (tmp_path / "n.ipynb").write_text(json.dumps(notebook))  # one line of JSON
    result = cli_runner().invoke(main, ["--secrets-only", "--report", "-", "--report-format", "json", str(tmp_path)])
    text = (tmp_path / "n.ipynb").read_text()
    assert [f["column"] - 1 for f in json.loads(result.stdout)["findings"]] == [text.index(second)]


def test_fingerprints_do_not_depend_on_where_the_command_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "src").mkdir()
    (repo / "src" / "a.py").write_text(f'print("{google_key("Fingerpr")}")\n')
    monkeypatch.chdir(tmp_path)
    assert run_cli(Path("repo"), "--secrets-only", "--baseline", "repo/b.json", "--update-baseline")[0] == 0
    monkeypatch.chdir(repo / "src")
    assert run_cli(Path("."), "--secrets-only", "--baseline", str(repo / "b.json"))[0] == 0


def test_a_shared_line_env_write_is_removed_in_one_run(tmp_path: Path) -> None:
    key = google_key("Semic0lon")
    head = f'import os; os.environ["GOOGLE_API_KEY"] = "{key}"; import google.generativeai as genai\ngenai.configure(api_key=os.environ["GOOGLE_API_KEY"])\n'
    assert key not in written(tmp_path, head)
    assert run_cli(tmp_path, "--check")[0] == 0


def test_configure_with_a_conditional_key_moves_the_literal(tmp_path: Path) -> None:
    key = google_key("Cond1tion")
    head = f'import os\nimport google.generativeai as genai\ngenai.configure(api_key="{key}" if os.getenv("DEV") else os.environ["GOOGLE_API_KEY"])\n'
    text = written(tmp_path, head)
    assert key not in text and '(os.environ.get("GEMINI_API_KEY") if os.getenv("DEV") else os.environ["GOOGLE_API_KEY"])\n    or ' in text


def test_option_field_and_tuple_defaults_are_key_positions(tmp_path: Path) -> None:
    credential = "a8f3k2m9q4w7e1r6t5y0u3i8o2p9s4d7"
    source = (
        "import argparse\nfrom dataclasses import dataclass, field\n"
        f'argparse.ArgumentParser().add_argument("--mistral-api-key", default="{credential}")\n'
        f'@dataclass\nclass C:\n    api_key: str = field(default="{credential}")\n'
        f'API_KEY, MODEL = "{credential}", "m"\n'
    )
    (tmp_path / "a.py").write_text(source)
    result = cli_runner().invoke(main, ["--secrets-only", "--report", "-", "--report-format", "json", str(tmp_path)])
    assert [(f["line"], f["rule"]) for f in json.loads(result.stdout)["findings"]] == [(3, "generic-api-key"), (6, "generic-api-key"), (7, "generic-api-key")]


NAME_WORDS = ["api", "access", "auth", "client", "bearer", "hf", "secret", "openai", "mistral", "gemini", "my", "x", "goog", "app"]


@given(
    words=st.lists(st.sampled_from(NAME_WORDS), max_size=3),
    last=st.sampled_from(["key", "token", "secret", "KEY", "Token", "apiKey"]),
    separator=st.sampled_from(["_", "-", ""]),
    form=st.sampled_from(['{name} = "{value}"', '{name}: str = "{value}"', 'f({name}="{value}")', '{{"{name}": "{value}"}}']),
)
def test_the_byte_pre_filter_lets_through_every_key_position_the_tree_knows(words: list[str], last: str, separator: str, form: str) -> None:
    from codemod.secrets import may_hold_key_position

    name = separator.join([*words, last])
    if not is_key_name(name) or not name.isidentifier() and "{" not in form:
        return
    source = form.format(name=name, value="a8f3k2m9q4w7e1r6t5y0u3i8o2p9s4d7")
    assert may_hold_key_position(source.encode()), f"pre-filter drops: {source[:60]}"


@pytest.mark.parametrize(
    "source",
    [
        'TYPES = {"AWS::ApiGateway::ApiKey": "4820a1b2c3d4e5f6"}',  # a type name, a hash
        'ACCESS_KEY = "AWS_ACCESS_KEY_ID"',  # a constant naming an env var
        'def f(api_key=None):\n    api_key = api_key or ""',  # an optional key
        'EMOJI = {"secret": "\u3299"}',
        'h = {"token": "9f86d081884c7d65"}',  # 16 hex characters: a hash more often than a key
        'client = OpenAI(api_key="EMPTY", base_url="http://localhost:8000/v1")',
    ],
)
def test_site_packages_look_alikes_are_not_reported(tmp_path: Path, source: str) -> None:
    """Shapes that a scan of 26,771 installed files reported before these rules."""
    (tmp_path / "a.py").write_text(source + "\n", encoding="utf-8")
    result = cli_runner().invoke(main, ["--secrets-only", "--report", "-", "--report-format", "json", str(tmp_path)])
    assert json.loads(result.stdout)["findings"] == []
