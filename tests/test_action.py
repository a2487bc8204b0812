"""The composite GitHub action (`action.yml`) and the README's workflow: valid YAML, every input
they use declared, and the action's check step run here as the runner would run it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")  # PyYAML comes with pre-commit

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def _step(name: str) -> dict:
    return next(step for step in ACTION["runs"]["steps"] if step.get("name") == name)


def test_action_is_a_composite_that_uploads_sarif() -> None:
    assert ACTION["runs"]["using"] == "composite"
    uses = [step.get("uses", "") for step in ACTION["runs"]["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    install = _step("Install genai2openai from this action's checkout")["run"]
    assert "github.action_path" in install and "pip install" in install and "genai2openai\"" not in install


def test_every_input_used_is_declared() -> None:
    text = (ROOT / "action.yml").read_text()
    used = set(re.findall(r"inputs\.([a-z-]+)", text))
    assert used <= set(ACTION["inputs"]), used - set(ACTION["inputs"])


def test_readme_workflow_is_valid_and_grants_code_scanning() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", readme, re.S)]
    workflow = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert set(steps[1]["with"]) <= set(ACTION["inputs"])
    hooks = next(b for b in blocks if isinstance(b, dict) and "repos" in b)
    declared = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert {hook["id"] for hook in hooks["repos"][0]["hooks"]} <= declared


@pytest.mark.parametrize(("source", "status"), [("x = 1\n", "0"), ('import google.generativeai as genai\ngenai.GenerativeModel("m").generate_content("q")\n', "1")])
def test_check_step_reports_and_records_the_exit_code(tmp_path: Path, source: str, status: str) -> None:
    """The step's script, with the inputs' defaults, in a workspace holding one file."""
    (tmp_path / "app.py").write_text(source)
    step = _step("Check")
    env = {**os.environ, "GITHUB_OUTPUT": str(tmp_path / "output"), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for name, expression in step["env"].items():
        env[name] = str(ACTION["inputs"][re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expression).group(1)]["default"])  # type: ignore[union-attr]
    run = subprocess.run(["bash", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr  # the job fails in a later step, after the upload
    assert (tmp_path / "output").read_text() == f"exit-code={status}\n"
    sarif = json.loads((tmp_path / "genai2openai.sarif").read_text())
    assert sarif["version"] == "2.1.0"
