"""Warm runs (tests/warm_runner.py) behave as fresh ``python script.py`` processes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from differential import Backends, run_differential, script_env, start_backends
from test_execute_fixtures import FIXTURES
from warm_runner import WarmRunner, run_cold

_SCRIPTS = {
    "main_module": """\
        '''Doc.'''
        import os, sys, threading, time, atexit
        print(__name__, __doc__, __file__ == os.path.abspath("script.py"), sys.argv)
        print(sys.path[0] == os.getcwd(), type(__builtins__).__name__, type(__loader__).__name__)
        print(os.environ["GEMINI_API_KEY"], repr(sys.stdin.read()))
        atexit.register(print, "atexit")
        threading.Thread(target=lambda: (time.sleep(0.1), print("thread"))).start()
        """,
    "exception": "print('before')\nraise ValueError('boom')\n",
    "exit_status": "import sys\nprint('x')\nsys.exit(3)\n",
    "exit_message": "raise SystemExit('bye')\n",
}


@pytest.fixture(scope="module")
def runner() -> Iterator[WarmRunner]:
    """A warm runner of its own."""
    warm = WarmRunner(script_env("http://127.0.0.1:9"), cold=False)
    yield warm
    warm.stop()


@pytest.mark.parametrize("name", sorted(_SCRIPTS))
def test_scripts_run_as_in_a_fresh_process(runner: WarmRunner, tmp_path: Path, name: str) -> None:
    """Same stdout, exit status and last line of stderr, warm or cold."""
    script = tmp_path / "script.py"
    script.write_text(_SCRIPTS[name].replace("\n        ", "\n"), encoding="utf-8")
    warm = runner.run(script, tmp_path, 30)
    cold = run_cold(script, tmp_path, script_env("http://127.0.0.1:9"), 30)
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
    assert warm.stderr.splitlines()[-1:] == cold.stderr.splitlines()[-1:]


@pytest.fixture(scope="module")
def cold_backends() -> Iterator[Backends]:
    """Harness servers whose runners start a fresh process per program."""
    backends = start_backends(cold=True)
    yield backends
    backends.stop()


@pytest.mark.parametrize("name", ["async_calls", "errors_import_module", "parts_pil_image"])
def test_fixtures_run_alike_warm_and_cold(cold_backends: Backends, name: str) -> None:
    """A few fixtures (async, failures, images) give the same runs both ways."""
    fixture = FIXTURES / name
    setup_file = fixture / "setup.json"
    setup = json.loads(setup_file.read_text()) if setup_file.exists() else None
    sources = [(fixture / f).read_text(encoding="utf-8") for f in ("input.py", "expected.py")]
    warm = run_differential(*sources, setup, unordered=True)
    cold = run_differential(*sources, setup, unordered=True, backends=cold_backends)
    for side in ("original", "migrated"):
        warm_run, cold_run = getattr(warm, side), getattr(cold, side)
        assert sorted(map(repr, warm_run.requests)) == sorted(map(repr, cold_run.requests))
        assert (warm_run.stdout, warm_run.returncode) == (cold_run.stdout, cold_run.returncode)
