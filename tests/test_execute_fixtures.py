"""Execute each migrated fixture (``expected.py``) with the real ``openai`` package.

Every ``tests/fixtures/<name>/expected.py`` with a sibling ``requests.json`` is run as a script
against the loopback server of ``tests/loopback.py``:

1. ``expected.py`` is copied to a temporary directory. Migrated code talks to Google's endpoint
   by default, so the ONE textual substitution made is: every occurrence of the literal
   ``https://generativelanguage.googleapis.com/v1beta/openai/`` is replaced by the loopback
   base URL (``http://127.0.0.1:PORT/v1/``). The literal must occur in the file.
2. Files listed in an optional ``setup.json`` are written next to it and scripted responses are
   queued on the server (see below).
3. It runs as ``sys.executable expected.py`` (cwd = that directory, 30 s timeout) with
   ``GEMINI_API_KEY=test-key`` and ``GOOGLE_API_KEY=test-key``; ``PYTHONPATH`` and all
   ``OPENAI_*`` variables are removed, and HTTP(S) proxies point at a closed local port (with
   ``NO_PROXY`` for loopback) so nothing can reach the real network.
4. It must exit with status 0, every request must carry ``Authorization: Bearer test-key``,
   the recorded requests must match ``requests.json`` and, if given, stdout must match.

``requests.json`` is either a list of expected requests or an object::

    {"requests": [<request>, ...],   # required
     "stdout": ["line", ...],        # optional: the whole stdout, split into lines, must equal it
     "unordered": false}             # optional: true = requests may arrive in any order

    <request> = {"method": "POST", "path": "/v1/chat/completions",   # both required, exact
                 "json": {...},        # optional, subset rule below, against the parsed body
                 "query": {...},       # optional, subset rule, against the query parameters
                 "headers": {...}}     # optional, subset rule, header names case-insensitive

The number of recorded requests must equal the number of expected ones (SDK retries count:
each attempt is a request). Unknown keys are errors, to catch typos.

Subset rule (``json_mismatch``): an expected dict matches a dict that has every expected key
with a matching value; other keys are ignored (the SDK may add fields). Expected lists match
lists of the same length element by element (dict elements again by the subset rule). Other
values must be equal: ``null`` only matches ``null``, booleans only booleans, numbers compare
numerically (``1`` == ``1.0``), strings exactly.

``setup.json`` (optional)::

    {"failures": [{"status": 429, "count": 3}],   # queued in order, one entry per response kind
     "files": {"data/prompt.txt": "text"}}        # UTF-8 text files, relative paths

A failure entry answers the next ``count`` (default 1) requests, whatever the endpoint, with
``status``, an OpenAI-style error body and ``retry-after-ms: 1`` (so SDK retries are instant);
optional ``"json"`` replaces the body and ``"headers"`` adds headers (``{"x-should-retry":
"false"}`` stops SDK retries). The default client retries 429/5xx twice, so a program that
must see ``openai.RateLimitError`` needs ``"count": 3`` and three expected requests. An entry
with ``"status": 200`` and a ``"json"`` body is a canned success reply (e.g. ``tool_calls``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tokenize
from pathlib import Path
from typing import Any

import pytest
from loopback import LoopbackServer, RecordedRequest

FIXTURES = Path(__file__).parent / "fixtures"
GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai/"
API_KEY = "test-key"
TIMEOUT_S = 30
CALL_MARKERS = ("chat.completions.create", "embeddings.create")
_REQUEST_KEYS = {"method", "path", "json", "query", "headers"}
_TOP_KEYS = {"requests", "stdout", "unordered"}
_SETUP_KEYS = {"failures", "files"}
_FAILURE_KEYS = {"status", "count", "json", "headers"}
_NO_PROXY = "http://127.0.0.1:9"


def json_mismatch(expected: Any, actual: Any, where: str = "$") -> str | None:
    """Describe the first way ``actual`` breaks the subset rule for ``expected``, else None."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            if key not in actual:
                return f"{where}: missing key {key!r}"
            problem = json_mismatch(value, actual[key], f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{where}: expected a list, got {actual!r}"
        if len(expected) != len(actual):
            return f"{where}: expected {len(expected)} items, got {len(actual)}: {actual!r}"
        for index, (exp, act) in enumerate(zip(expected, actual)):
            problem = json_mismatch(exp, act, f"{where}[{index}]")
            if problem:
                return problem
        return None
    same_kind = (
        isinstance(expected, bool) == isinstance(actual, bool)
        and (expected is None) == (actual is None)
        and isinstance(expected, str) == isinstance(actual, str)
    )
    if not same_kind or expected != actual:
        return f"{where}: expected {expected!r}, got {actual!r}"
    return None


def request_mismatch(expected: dict[str, Any], actual: RecordedRequest) -> str | None:
    """Why ``actual`` does not match one ``requests.json`` entry, else None."""
    if expected["method"] != actual.method or expected["path"] != actual.path:
        return (
            f"expected {expected['method']} {expected['path']}, got {actual.method} {actual.path}"
        )
    if "json" in expected:
        problem = json_mismatch(expected["json"], actual.json, "json")
        if problem:
            return problem
    if "query" in expected:
        problem = json_mismatch(expected["query"], actual.query, "query")
        if problem:
            return problem
    if "headers" in expected:
        wanted = {k.lower(): v for k, v in expected["headers"].items()}
        problem = json_mismatch(wanted, actual.headers, "headers")
        if problem:
            return problem
    return None


def load_expectations(path: Path) -> dict[str, Any]:
    """Read ``requests.json`` into ``{"requests": [...], "stdout": ... , "unordered": bool}``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list):
        data = {"requests": data}
    assert isinstance(data, dict), f"{path}: must be a list or an object"
    assert not set(data) - _TOP_KEYS, f"{path}: unknown keys {sorted(set(data) - _TOP_KEYS)}"
    assert isinstance(data.get("requests"), list), f"{path}: 'requests' must be a list"
    for entry in data["requests"]:
        assert isinstance(entry, dict), f"{path}: each request must be an object"
        unknown = set(entry) - _REQUEST_KEYS
        assert not unknown, f"{path}: unknown request keys {sorted(unknown)}"
        assert "method" in entry and "path" in entry, f"{path}: 'method' and 'path' are required"
    stdout = data.get("stdout")
    assert stdout is None or (
        isinstance(stdout, list) and all(isinstance(line, str) for line in stdout)
    ), f"{path}: 'stdout' must be a list of strings"
    return {
        "requests": data["requests"],
        "stdout": stdout,
        "unordered": bool(data.get("unordered")),
    }


def apply_setup(path: Path, server: LoopbackServer, workdir: Path) -> None:
    """Queue the scripted responses and write the files of a ``setup.json``."""
    apply_setup_data(json.loads(path.read_text(encoding="utf-8")), server, workdir, path)


def apply_setup_data(
    setup: Any, server: LoopbackServer, workdir: Path, path: Path | str = "setup"
) -> None:
    """``apply_setup`` for the parsed contents of a ``setup.json``."""
    assert isinstance(setup, dict), f"{path}: must be an object"
    assert not set(setup) - _SETUP_KEYS, f"{path}: unknown keys {sorted(set(setup) - _SETUP_KEYS)}"
    for failure in setup.get("failures", []):
        unknown = set(failure) - _FAILURE_KEYS
        assert not unknown, f"{path}: unknown failure keys {sorted(unknown)}"
        status = int(failure["status"])
        assert status >= 400 or "json" in failure, f"{path}: status {status} needs a 'json' body"
        server.queue_failure(
            status,
            count=int(failure.get("count", 1)),
            body=failure.get("json"),
            headers=failure.get("headers"),
        )
    for name, text in setup.get("files", {}).items():
        target = (workdir / name).resolve()
        assert workdir.resolve() in target.parents, f"{path}: file {name!r} escapes the workdir"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def child_env() -> dict[str, str]:
    """Environment for the fixture subprocess (see the module docstring)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONPATH" and not k.startswith("OPENAI_") and not k.lower().endswith("_proxy")
    }
    env.update(
        GEMINI_API_KEY=API_KEY,
        GOOGLE_API_KEY=API_KEY,
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
        HTTP_PROXY=_NO_PROXY,
        HTTPS_PROXY=_NO_PROXY,
        ALL_PROXY=_NO_PROXY,
        NO_PROXY="127.0.0.1,localhost",
    )
    return env


def _show(requests: list[RecordedRequest]) -> str:
    return json.dumps([r.summary() for r in requests], indent=1, default=repr)


def run_fixture(fixture_dir: Path, server: LoopbackServer, workdir: Path) -> None:
    """Run ``fixture_dir/expected.py`` against ``server`` in ``workdir`` and check it."""
    expectations = load_expectations(fixture_dir / "requests.json")
    source = (fixture_dir / "expected.py").read_text(encoding="utf-8")
    assert GEMINI_BASE_URL in source, (
        f"{fixture_dir.name}/expected.py never mentions {GEMINI_BASE_URL!r}, "
        "so it cannot be pointed at the loopback server"
    )
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "expected.py"
    script.write_text(source.replace(GEMINI_BASE_URL, server.url), encoding="utf-8")
    if (fixture_dir / "setup.json").exists():
        apply_setup(fixture_dir / "setup.json", server, workdir)

    proc = subprocess.run(
        [sys.executable, script.name],
        check=False,
        cwd=workdir,
        env=child_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_S,
    )
    recorded = server.requests
    output = f"--- stdout ---\n{proc.stdout}--- stderr ---\n{proc.stderr}"
    assert proc.returncode == 0, f"exit status {proc.returncode}\n{output}"

    for request in recorded:
        auth = request.headers.get("authorization")
        assert auth == f"Bearer {API_KEY}", (
            f"{request.method} {request.path}: Authorization {auth!r}"
        )

    expected = expectations["requests"]
    assert len(recorded) == len(expected), (
        f"expected {len(expected)} requests, got {len(recorded)}:\n{_show(recorded)}"
    )
    if expectations["unordered"]:
        unused = list(recorded)
        for index, want in enumerate(expected):
            match = next((r for r in unused if request_mismatch(want, r) is None), None)
            assert match is not None, f"request #{index} matches none of:\n{_show(unused)}"
            unused.remove(match)
    else:
        for index, (want, got) in enumerate(zip(expected, recorded)):
            problem = request_mismatch(want, got)
            assert problem is None, f"request #{index}: {problem}\nrecorded:\n{_show(recorded)}"

    if expectations["stdout"] is not None:
        assert proc.stdout.splitlines() == expectations["stdout"], output


def _executable_fixtures() -> list[Path]:
    return sorted(
        p.parent for p in FIXTURES.glob("*/expected.py") if (p.parent / "requests.json").exists()
    )


@pytest.mark.parametrize("fixture_dir", _executable_fixtures(), ids=lambda p: p.name)
def test_expected_executes(fixture_dir: Path, loopback: LoopbackServer, tmp_path: Path) -> None:
    """The migrated program runs and sends the requests its ``requests.json`` lists."""
    run_fixture(fixture_dir, loopback, tmp_path)


def _code_without_comments(path: Path) -> str:
    """The file's code with comments dropped: a TODO that *mentions* a call is not a call."""
    with path.open("rb") as f:
        tokens = tokenize.tokenize(f.readline)
        return " ".join(t.string for t in tokens if t.type != tokenize.COMMENT)


def test_calling_fixtures_are_executed() -> None:
    """Every ``expected.py`` that calls the API has a ``requests.json``, so it is executed."""
    missing = [
        p.parent.name
        for p in sorted(FIXTURES.glob("*/expected.py"))
        if any(m in _code_without_comments(p) for m in CALL_MARKERS)
        and not (p.parent / "requests.json").exists()
    ]
    assert not missing, f"fixtures calling the API without requests.json: {missing}"


# -- self-tests of the harness -------------------------------------------------------------

_RATE_LIMIT_PROGRAM = """\
import os
import openai
from openai import OpenAI

client = OpenAI(api_key=os.environ["GEMINI_API_KEY"], base_url="{url}")
with open("prompt.txt") as f:
    prompt = f.read().strip()
try:
    client.chat.completions.create(model="m", messages=[{{"role": "user", "content": prompt}}])
except openai.RateLimitError as err:
    print("rate limited", err.status_code)
response = client.chat.completions.create(model="m", messages=[{{"role": "user", "content": prompt}}])
print(response.choices[0].message.content)
"""


def _write_fixture(root: Path, requests: Any, setup: dict[str, Any] | None = None) -> Path:
    fixture = root / "fixture"
    fixture.mkdir()
    (fixture / "expected.py").write_text(_RATE_LIMIT_PROGRAM.format(url=GEMINI_BASE_URL))
    (fixture / "requests.json").write_text(json.dumps(requests))
    if setup is not None:
        (fixture / "setup.json").write_text(json.dumps(setup))
    return fixture


def test_harness_failures_files_and_stdout(loopback: LoopbackServer, tmp_path: Path) -> None:
    """setup.json failures and files are applied; retries are requests; stdout is checked."""
    call = {
        "method": "POST",
        "path": "/v1/chat/completions",
        "json": {"messages": [{"role": "user", "content": "ping"}]},
    }
    fixture = _write_fixture(
        tmp_path,
        {"requests": [call] * 4, "stdout": ["rate limited 429", "echo: ping"]},
        {"failures": [{"status": 429, "count": 3}], "files": {"prompt.txt": "ping\n"}},
    )
    run_fixture(fixture, loopback, tmp_path / "run")


def test_harness_reports_mismatches(loopback: LoopbackServer, tmp_path: Path) -> None:
    """A wrong expected value makes the run fail."""
    right = {"method": "POST", "path": "/v1/chat/completions"}
    wrong = {**right, "json": {"model": "other"}}
    fixture = _write_fixture(tmp_path, [right, wrong], {"files": {"prompt.txt": "x"}})
    with pytest.raises(AssertionError, match=r"request #1: json\.model: expected 'other', got 'm'"):
        run_fixture(fixture, loopback, tmp_path / "run")


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        ({"a": 1}, {"a": 1.0, "b": 2}, True),
        ({"a": {"b": [1, {"c": 2}]}}, {"a": {"b": [1, {"c": 2, "d": 3}]}, "e": 0}, True),
        ({"a": [1]}, {"a": [1, 2]}, False),
        ({"a": None}, {}, False),
        ({"a": None}, {"a": None}, True),
        ({"a": True}, {"a": 1}, False),
        ({"a": "1"}, {"a": 1}, False),
        ([{"x": 1}], [{"x": 1, "y": 2}], True),
    ],
)
def test_json_subset_rule(expected: Any, actual: Any, ok: bool) -> None:
    """The subset-with-exact-values rule documented in the module docstring."""
    assert (json_mismatch(expected, actual) is None) is ok
