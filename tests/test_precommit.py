"""The hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit framework (`pre-commit
try-repo` against this checkout) in a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
KEY = "AIzaSy" + "Q7" * 16 + "x"  # a fake Google key, 39 characters

APP = """\
import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-2.0-flash")
print(model.generate_content("hi").text)
"""

pytestmark = pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="pre-commit is not installed")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache: the hook environment is built once for the module."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _repository(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    for command in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "start"]):
        subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)
    return root


def _try(home: Path, repository: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)  # the hook runs the installed tool, as a user's would
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(CHECKOUT), hook, "--all-files", "--color", "never"],
        cwd=repository,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_check_hook_fails_while_code_is_left_and_changes_nothing(home: Path, tmp_path: Path) -> None:
    repository = _repository(tmp_path / "repo", {"app.py": APP})
    run = _try(home, repository, "genai2openai")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "genai2openai (fails while google.generativeai code is left" in run.stdout
    assert (repository / "app.py").read_text() == APP


def test_fix_hook_migrates_then_passes(home: Path, tmp_path: Path) -> None:
    repository = _repository(tmp_path / "repo", {"app.py": APP, "notes.md": "nothing here\n"})
    first = _try(home, repository, "genai2openai-fix")
    assert first.returncode == 1, first.stdout + first.stderr  # files were modified by this hook
    migrated = (repository / "app.py").read_text()
    assert "client.chat.completions.create(" in migrated and "google.generativeai" not in migrated
    assert (repository / "notes.md").read_text() == "nothing here\n"
    subprocess.run(["git", "add", "."], cwd=repository, check=True)
    second = _try(home, repository, "genai2openai-fix")
    assert second.returncode == 0, second.stdout + second.stderr
    assert (repository / "app.py").read_text() == migrated


def test_secrets_hook_fails_on_a_key_and_never_shows_it(home: Path, tmp_path: Path) -> None:
    files = {"app.py": "x = 1\n", ".env.example": f"GEMINI_API_KEY={KEY}\n", "README.md": "# demo\n"}
    repository = _repository(tmp_path / "repo", files)
    run = _try(home, repository, "genai2openai-secrets")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "hardcoded-key" in run.stdout
    assert KEY not in run.stdout + run.stderr
    assert run.stdout.count("1 file scanned") + run.stdout.count("files scanned") == 1  # one run (require_serial)
