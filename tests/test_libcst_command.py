"""The migration as a LibCST codemod command (`codemod.libcst_command.MigrateToOpenAI`), run by
`python -m libcst.tool codemod` itself: on every fixture without options it writes what the
command line writes (the fixtures' `expected.py`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


def _cases() -> list[Path]:
    return sorted(
        p for p in FIXTURES.iterdir() if (p / "input.py").is_file() and (p / "expected.py").is_file() and not (p / "options.json").exists()
    )


def test_libcst_tool_gives_the_fixtures_expected_output(tmp_path: Path) -> None:
    cases = _cases()
    for case in cases:
        shutil.copyfile(case / "input.py", tmp_path / f"{case.name}.py")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "libcst.tool", "initialize", "."], cwd=tmp_path, env=env, check=True, capture_output=True)
    run = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "-x", "codemod.libcst_command.MigrateToOpenAI", "--no-format", "--hide-progress", "."],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    differing = [case.name for case in cases if (tmp_path / f"{case.name}.py").read_bytes() != (case / "expected.py").read_bytes()]
    assert not differing, differing
    assert len(cases) > 100


def test_findings_are_warnings_without_keys(tmp_path: Path) -> None:
    key = "AIzaSy" + "Z" * 33
    (tmp_path / "app.py").write_text(f'import google.generativeai as genai\n\ngenai.configure(api_key="{key}")\nprint(genai.GenerativeModel("gemini-2.0-flash").generate_content("hi").text)\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "libcst.tool", "initialize", "."], cwd=tmp_path, env=env, check=True, capture_output=True)
    run = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "-x", "codemod.libcst_command.MigrateToOpenAI", "--no-format", "--hide-progress", "app.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "hardcoded-key" in run.stderr and key not in run.stderr + run.stdout
    assert key not in (tmp_path / "app.py").read_text()
