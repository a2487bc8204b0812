"""Migrated clients start wherever genai did: without a key, importing the module works and the
first request fails (genai read its key only then), instead of `OpenAI()` raising at import.

Each source is migrated, written to a temporary directory and imported by a fresh interpreter
with no GEMINI_API_KEY, GOOGLE_API_KEY nor OPENAI_* variable; the endpoint is a closed local
port, so a request that went out would fail differently (a connection error, after retries).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemod.ftypes import Options
from codemod.migrate import migrate_source

CLOSED = "http://127.0.0.1:9/v1/"
NO_KEY = "RuntimeError: No API key found: set GEMINI_API_KEY or GOOGLE_API_KEY"

SYNC = """
    model = genai.GenerativeModel("gemini-2.5-flash")


    def ask(question):
        return model.generate_content(question).text
"""
ASYNC = """
    model = genai.GenerativeModel("gemini-2.5-flash")


    async def ask(question):
        response = await model.generate_content_async(question)
        return response.text
"""
BOTH = """
    model = genai.GenerativeModel("gemini-2.5-flash")


    def ask_sync(question):
        return model.generate_content(question).text


    async def ask(question):
        response = await model.generate_content_async(question)
        return response.text
"""
HEADER = """
    import os

    import google.generativeai as genai
"""
SOURCES = {
    "configure-without-key": (HEADER + "\n    genai.configure()\n" + SYNC, "app.ask('hi')"),
    "no-configure": (HEADER + SYNC, "app.ask('hi')"),
    "configure-getenv": (HEADER + '\n    genai.configure(api_key=os.getenv("GEMINI_BACKUP_KEY"))\n' + SYNC, "app.ask('hi')"),
    "configure-empty-key": (HEADER + '\n    genai.configure(api_key="")\n' + SYNC, "app.ask('hi')"),
    "async-client": (HEADER + "\n    genai.configure()\n" + ASYNC, "asyncio.run(app.ask('hi'))"),
    "async-client-beside-sync": (HEADER + "\n    genai.configure()\n" + BOTH, "asyncio.run(app.ask('hi'))"),
}


def _environment() -> dict[str, str]:
    drop = {"GEMINI_API_KEY", "GOOGLE_API_KEY", "PYTHONPATH"}
    environment = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("OPENAI_")}
    return {**environment, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"}


def _run(folder: Path, code: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", f"import asyncio, app\n{code}"]
    return subprocess.run(command, cwd=folder, env=_environment(), capture_output=True, text=True, timeout=60)


def _migrated(tmp_path: Path, source: str) -> Path:
    migrated = migrate_source(textwrap.dedent(source), Options(base_url=CLOSED), path="app.py").source
    assert "import google.generativeai" not in migrated
    (tmp_path / "app.py").write_text(migrated, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_imports_without_a_key_and_fails_at_the_first_request(tmp_path: Path, name: str) -> None:
    source, first_call = SOURCES[name]
    folder = _migrated(tmp_path, source)
    run = _run(folder, f"print('imported', flush=True)\n{first_call}")
    assert run.stdout == "imported\n", run.stderr[-2000:]
    assert run.returncode != 0 and NO_KEY in run.stderr, run.stderr[-2000:]


def test_genai_too_imported_without_a_key(tmp_path: Path) -> None:
    """The behaviour kept: genai's configure() with no key anywhere did not raise."""
    source, _ = SOURCES["configure-without-key"]
    (tmp_path / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    imported = _run(tmp_path, "print('imported')")
    assert imported.returncode == 0, imported.stderr[-2000:]


def test_an_environ_subscript_key_still_raises_where_it_did(tmp_path: Path) -> None:
    """`configure(api_key=os.environ["GEMINI_API_KEY"])` raised KeyError at import under genai
    too: it is kept as it is, without fallbacks."""
    source = HEADER + '\n    genai.configure(api_key=os.environ["GEMINI_API_KEY"])\n' + SYNC
    folder = _migrated(tmp_path, source)
    assert "_genai2openai_no_key" not in (folder / "app.py").read_text(encoding="utf-8")
    imported = _run(folder, "print('imported')")
    assert imported.returncode != 0 and "KeyError: 'GEMINI_API_KEY'" in imported.stderr
