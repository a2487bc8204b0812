"""Migrations that span files: a module-level model imported elsewhere, and a client configured
in one module and used by others. The migrated project is run against the loopback server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer

from codemod.cli import main

CONFIG = """\
import google.generativeai as genai
from app.settings import KEY

genai.configure(api_key=KEY)
"""
SETTINGS = 'KEY = "key-from-settings"\n'
MAIN = """\
import app.config
import google.generativeai as genai

model = genai.GenerativeModel("gemini-1.5-flash")
print(model.generate_content("hi").text)
"""
LLM = """\
import google.generativeai as genai

model = genai.GenerativeModel("gemini-1.5-flash")
"""
USER = """\
from llm import model

print(model.generate_content("hello").text)
"""


def _project(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _migrate(root: Path, *args: str) -> str:
    previous = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["--jobs", "1", *args, "."])
    finally:
        os.chdir(previous)
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_client_configured_in_one_module_is_shared(tmp_path: Path, loopback: LoopbackServer) -> None:
    _project(tmp_path, {"app/__init__.py": "", "app/config.py": CONFIG, "app/settings.py": SETTINGS, "app/main.py": MAIN})
    _migrate(tmp_path, "--write", "--base-url", loopback.url)
    main_py = (tmp_path / "app" / "main.py").read_text()
    assert "from app.config import client" in main_py
    assert "OpenAI(" not in main_py
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "GEMINI_", "GOOGLE_"))}
    run = subprocess.run([sys.executable, "-m", "app.main"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "echo: hi\n"
    [request] = loopback.requests
    assert request.headers["authorization"] == "Bearer key-from-settings"
    assert request.json == {"model": "gemini-1.5-flash", "messages": [{"role": "user", "content": "hi"}]}


def test_module_level_model_changes_with_its_importers(tmp_path: Path, loopback: LoopbackServer) -> None:
    _project(tmp_path, {"llm.py": LLM, "user.py": USER, "unrelated.py": "x = 1\n"})
    _migrate(tmp_path, "--write", "--base-url", loopback.url)
    user = (tmp_path / "user.py").read_text()
    assert "client.chat.completions.create(" in user and "TODO" not in user
    assert (tmp_path / "unrelated.py").read_text() == "x = 1\n"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "GEMINI_", "GOOGLE_"))}, "GEMINI_API_KEY": "k"}
    run = subprocess.run([sys.executable, "user.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "echo: hello\n"


def test_client_configured_in_an_unrelated_module_is_not_mentioned(tmp_path: Path) -> None:
    """Two programs in one tree: what configures a module's genai is what it is linked to by imports."""
    other = 'import google.generativeai as genai\n\nprint(genai.GenerativeModel("m").generate_content("x").text)\n'
    _project(tmp_path, {"app/__init__.py": "", "app/config.py": CONFIG, "app/settings.py": SETTINGS, "tool/other.py": other})
    output = _migrate(tmp_path)
    assert "configured in" not in output


def test_client_configured_in_a_linked_module_is_reported(tmp_path: Path) -> None:
    other = 'import google.generativeai as genai\n\nprint(genai.GenerativeModel("m").generate_content("x").text)\n'
    main_py = "import app.config\nimport app.other\n"
    _project(tmp_path, {"app/__init__.py": "", "app/config.py": CONFIG, "app/settings.py": SETTINGS, "app/other.py": other, "main.py": main_py})
    output = _migrate(tmp_path)
    assert re.search(r"warning +cross-module +genai was configured in app/config\.py, a module of the same program", output)


@pytest.mark.parametrize("importer", ["from llm import model\n", "import llm\nllm.model\n"])
def test_single_file_run_keeps_what_files_outside_it_import(tmp_path: Path, importer: str) -> None:
    """pre-commit passes the staged llm.py alone: user.py, outside the run, still imports its
    model, so the model stays on genai and llm.py says why."""
    _project(tmp_path, {"llm.py": LLM + 'print(model.generate_content("x").text)\n', "user.py": importer})
    (tmp_path / ".git").mkdir()
    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["--jobs", "1", "--write", "llm.py"])
    finally:
        os.chdir(previous)
    llm = (tmp_path / "llm.py").read_text()
    assert "model = genai.GenerativeModel(" in llm
    assert "# TODO(genai2openai): `model` is imported by user.py, which this run does not change" in llm
    assert (tmp_path / "user.py").read_text() == importer
    assert (tmp_path / ".genai2openai_cache" / "imports-v2.json").is_file()
    assert "user.py" in result.output


def test_single_file_run_migrates_what_nothing_else_imports(tmp_path: Path) -> None:
    _project(tmp_path, {"llm.py": LLM + 'print(model.generate_content("x").text)\n', "user.py": "import json\n"})
    (tmp_path / ".git").mkdir()
    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        CliRunner().invoke(main, ["--jobs", "1", "--write", "llm.py"])
    finally:
        os.chdir(previous)
    assert 'model = "gemini-1.5-flash"' in (tmp_path / "llm.py").read_text()


KEPT = """\
import google.generativeai as genai

model = genai.GenerativeModel("gemini-1.5-flash")
print(model.count_tokens("hi").total_tokens)
"""


def test_configure_stays_while_another_module_still_uses_genai(tmp_path: Path) -> None:
    """genai's configure() sets up every module of the program: app/kept.py stays on genai and
    relies on it, so app/config.py keeps it (and its import) beside the new client."""
    migrated = CONFIG + 'print(genai.GenerativeModel("gemini-1.5-flash").generate_content("hi").text)\n'
    main_py = "import app.config\nimport app.kept\n"  # one program: both run in the same process
    _project(tmp_path, {"app/__init__.py": "", "app/config.py": migrated, "app/settings.py": SETTINGS, "app/kept.py": KEPT, "main.py": main_py})
    output = _migrate(tmp_path, "--write")
    assert re.search(r"note +cross-module +genai.configure\(\) stays: app/kept\.py still use genai", output)
    config = (tmp_path / "app" / "config.py").read_text()
    assert "import google.generativeai as genai" in config
    assert "genai.configure(api_key=KEY)" in config
    assert "client.chat.completions.create(" in config


def test_configure_goes_once_nothing_relies_on_it(tmp_path: Path) -> None:
    migrated = CONFIG + 'print(genai.GenerativeModel("gemini-1.5-flash").generate_content("hi").text)\n'
    _project(tmp_path, {"app/__init__.py": "", "app/config.py": migrated, "app/settings.py": SETTINGS, "app/other.py": "x = 1\n"})
    _migrate(tmp_path, "--write")
    config = (tmp_path / "app" / "config.py").read_text()
    assert "google.generativeai" not in config and "genai.configure" not in config and "client.chat.completions.create(" in config


def test_notebook_importer_keeps_the_model(tmp_path: Path) -> None:
    """A notebook is not migrated: a model it imports stays on genai, and the module says why."""
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": ["from llm import model\n", 'model.generate_content("x")']}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    _project(tmp_path, {"llm.py": LLM + 'print(model.generate_content("x").text)\n', "explore.ipynb": json.dumps(notebook)})
    _migrate(tmp_path, "--write")
    llm = (tmp_path / "llm.py").read_text()
    assert "model = genai.GenerativeModel(" in llm
    assert "`model` is imported by explore.ipynb, a notebook" in llm


ASYNC_USER = """\
import asyncio

from app.config import model


async def go():
    reply = await model.generate_content_async("hi")
    print(reply.text)


asyncio.run(go())
"""


def test_async_importer_uses_the_configured_key(tmp_path: Path, loopback: LoopbackServer) -> None:
    """genai's configure() key reaches the importer's async calls: its AsyncOpenAI client is made
    with the shared client's key, not from the environment."""
    config = CONFIG + 'model = genai.GenerativeModel("gemini-2.0-flash")\n'
    _project(tmp_path, {"app/__init__.py": "", "app/config.py": config, "app/settings.py": SETTINGS, "main.py": ASYNC_USER})
    _migrate(tmp_path, "--write", "--base-url", loopback.url)
    main_py = (tmp_path / "main.py").read_text()
    assert "AsyncOpenAI(api_key=client.api_key, base_url=client.base_url)" in main_py
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "GEMINI_", "GOOGLE_"))}
    run = subprocess.run([sys.executable, "main.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "echo: hi\n"
    [request] = loopback.requests
    assert request.headers["authorization"] == "Bearer key-from-settings"
