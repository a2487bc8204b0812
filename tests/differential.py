"""The differential harness: does the migrated program mean what the original meant?

``run_differential(input_source, expected_source, setup)`` runs both programs as scripts, in
parallel, each in a temporary directory with the ``files`` of ``setup`` written next to it and
the environment of ``test_execute_fixtures.child_env`` (key ``test-key``, no network):

* the original with the real ``google.generativeai``, routed (``tests/gemini_route``) to a
  ``GeminiBackend``;
* the migrated program with the real ``openai`` package against a ``LoopbackServer`` (its
  Google base URL replaced, as ``test_execute_fixtures`` does); genai calls it kept go to a
  second ``GeminiBackend`` and take their place among its requests.

Both backends give the same canned answers for the same input, so the programs can be held to
the same behaviour: the same exit status, the same stdout, and the same sequence of logical
requests once each side's requests are normalised (``tests/normalize.py``).

**Failures.** A ``setup`` failure entry says what the server does to the OpenAI client's
attempts at one logical request. The OpenAI loopback gets it verbatim. The openai SDK makes
``1 + OPENAI_MAX_RETRIES`` attempts on 408/409/429/5xx (unless ``x-should-retry: false``)
where genai's default retry (google.api_core, for every method genai calls) retries 503 only
(``GENAI_RETRIED``), so the Gemini backend gets: for 503, the same number of failed attempts
(both sides retry; genai's backoff sleeps about a second per attempt); for any other status,
one failed attempt per logical request (genai raises at once). A count that is not a whole
number of OpenAI attempts has no Gemini counterpart and is refused. Canned 200 replies (an
OpenAI completion with ``tool_calls``) are sent to genai as ``functionCall`` parts. Genai calls
the migrated program kept are answered normally (failures are queued for its OpenAI calls).

**Retries collapsed.** A request equal (normalised) to the one just before it on the same side,
when that one was answered with a scripted error, is a retry (by the SDK or by the program) of
the same logical request and is left out. Only retries of failed requests are collapsed, so a
migration that sends a request twice is still caught.

**By design.** Two changes the migration makes on purpose are applied to the original's
requests before comparing: models renamed with ``--model-map`` (``model_map``), and a key the
original sent that is not its environment's (``test-key``): that one was written in its source,
and the migration moves it to an environment variable (``hardcoded-key``), so the migrated
program must send the environment's key. ``stdout_rules`` (``(original line, migrated line)``
pairs) name printed lines a fixture documents as different; whole lines only.

**Order.** Requests are compared in order, or as a multiset with ``unordered=True`` (concurrent
programs). The backends serve one run at a time each (a lock per side).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import difflib
import json
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from gemini_backend import GeminiBackend, function_call_response, gemini_error_body
from loopback import LoopbackServer, RecordedRequest
from normalize import NormalisedRequest, model_id, normalise
from test_execute_fixtures import API_KEY, GEMINI_BASE_URL, TIMEOUT_S, apply_setup_data, child_env
from warm_runner import COLD_RUNS, Result, WarmRunner

ROUTE_DIR = Path(__file__).parent / "gemini_route"
ENDPOINT_VARIABLE = "GENAI2OPENAI_GEMINI_ENDPOINT"
OPENAI_RETRIED = frozenset({408, 409, 429}) | frozenset(range(500, 600))
OPENAI_MAX_RETRIES = 2
GENAI_RETRIED = frozenset({503})


class HarnessError(AssertionError):
    """The harness cannot run this case faithfully."""


@dataclasses.dataclass(frozen=True)
class Backends:
    """The servers of one harness and a warm runner for each side: started once, shared."""

    openai: LoopbackServer
    gemini: GeminiBackend
    kept: GeminiBackend
    """Where the migrated program's remaining genai calls go."""
    original_runner: WarmRunner
    migrated_runner: WarmRunner
    original_lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)
    migrated_lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def stop(self) -> None:
        """Stop the servers and the runners."""
        for server in (self.openai, self.gemini, self.kept):
            server.stop()
        self.original_runner.stop()
        self.migrated_runner.stop()


def script_env(gemini_endpoint: str) -> dict[str, str]:
    """``child_env()`` with genai routed to ``gemini_endpoint``."""
    env = child_env()
    env["PYTHONPATH"] = str(ROUTE_DIR)
    env[ENDPOINT_VARIABLE] = gemini_endpoint
    return env


def start_backends(cold: bool = COLD_RUNS) -> Backends:
    """Start a loopback OpenAI server, two Gemini backends and the two runners (``cold``:
    every program in a fresh process, see ``tests/warm_runner.py``)."""
    openai = LoopbackServer().start()
    gemini = GeminiBackend().start()
    kept = GeminiBackend(order_hint=lambda: len(openai.requests)).start()
    return Backends(
        openai,
        gemini,
        kept,
        WarmRunner(script_env(gemini.endpoint), cold),
        WarmRunner(script_env(kept.endpoint), cold),
    )


_default: Backends | None = None
_default_lock = threading.Lock()


def default_backends() -> Backends:
    """The process-wide backends, started on first use (daemon threads)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = start_backends()
        return _default


@dataclasses.dataclass(frozen=True)
class Run:
    """What one program did: its logical requests, output and exit status."""

    requests: tuple[NormalisedRequest, ...]
    stdout: str
    stderr: str
    returncode: int


@dataclasses.dataclass(frozen=True)
class Comparison:
    """The original's and the migrated program's runs, and how they differ.

    ``original.requests`` are as the migration means to send them (``as_migrated``).
    """

    original: Run
    migrated: Run
    unordered: bool = False
    stdout_rules: tuple[tuple[str, str], ...] = ()
    """(original line, migrated line): a documented difference in what they print."""

    @property
    def expected_stdout(self) -> str:
        """The original's stdout with the ``stdout_rules`` applied."""
        rules = dict(self.stdout_rules)
        lines = self.original.stdout.splitlines(keepends=True)
        return "".join(_rewrite_line(line, rules) for line in lines)

    @property
    def differences(self) -> tuple[str, ...]:
        """One line per kind of difference (exit status, stdout, requests)."""
        out = []
        if self.original.returncode != self.migrated.returncode:
            out.append(
                f"exit status: original {self.original.returncode}, "
                f"migrated {self.migrated.returncode}"
            )
        if self.expected_stdout != self.migrated.stdout:
            out.append("stdout differs")
        if _request_key(self.original.requests, self.unordered) != _request_key(
            self.migrated.requests, self.unordered
        ):
            out.append("requests differ")
        return tuple(out)

    @property
    def ok(self) -> bool:
        """True when nothing differs."""
        return not self.differences

    def report(self) -> str:
        """The differences with diffs of stdout and of the normalised requests."""
        lines = list(self.differences)
        lines += _diff("stdout", self.expected_stdout, self.migrated.stdout)
        lines += _diff("requests", _show(self.original.requests), _show(self.migrated.requests))
        for name, run in (("original", self.original), ("migrated", self.migrated)):
            if run.returncode:
                lines.append(f"--- {name} stderr (tail) ---\n{run.stderr[-2000:]}")
        return "\n".join(lines)


def _rewrite_line(line: str, rules: Mapping[str, str]) -> str:
    body = line.rstrip("\r\n")
    return rules[body] + line[len(body) :] if body in rules else line


def _request_key(requests: Sequence[NormalisedRequest], unordered: bool) -> list[str]:
    keys = [json.dumps(r.describe(), sort_keys=True) for r in requests]
    return sorted(keys) if unordered else keys


def _show(requests: Sequence[NormalisedRequest]) -> str:
    return json.dumps([r.describe() for r in requests], indent=1) + "\n"


def _diff(name: str, original: str, migrated: str) -> list[str]:
    if original == migrated:
        return []
    lines = difflib.unified_diff(
        original.splitlines(),
        migrated.splitlines(),
        f"original {name}",
        f"migrated {name}",
        lineterm="",
    )
    return list(lines)


# -- setup ------------------------------------------------------------------------------------


def openai_attempts(failure: Mapping[str, Any]) -> int:
    """How many attempts the default OpenAI client makes at a request answered this way."""
    headers = {k.lower(): v for k, v in (failure.get("headers") or {}).items()}
    retried = int(failure["status"]) in OPENAI_RETRIED and headers.get("x-should-retry") != "false"
    return 1 + OPENAI_MAX_RETRIES if retried else 1


def gemini_script(failure: Mapping[str, Any]) -> tuple[int, int, Any]:
    """``(status, count, body)`` for the Gemini backend matching one ``setup`` entry."""
    status, count = int(failure["status"]), int(failure.get("count", 1))
    body = failure.get("json")
    if status < 400:
        return status, count, function_call_response(body)
    attempts = openai_attempts(failure)
    if count % attempts:
        raise HarnessError(
            f"{count} x {status} is not a whole number of OpenAI attempts ({attempts} each): "
            "genai has no counterpart for a failure the OpenAI client hides by retrying"
        )
    message = (body or {}).get("error", {}).get("message") if isinstance(body, dict) else None
    gemini_count = count if status in GENAI_RETRIED else count // attempts
    return status, gemini_count, gemini_error_body(status, message)


def _failed_flags(statuses: Sequence[int], recorded: int) -> list[bool]:
    flags = [status >= 400 for status in statuses][:recorded]
    return flags + [False] * (recorded - len(flags))


def _openai_statuses(setup: Mapping[str, Any]) -> list[int]:
    return [
        int(f["status"]) for f in setup.get("failures", []) for _ in range(int(f.get("count", 1)))
    ]


# -- running ----------------------------------------------------------------------------------


def _run_script(runner: WarmRunner, source: str, workdir: Path, name: str) -> Result:
    script = workdir / name
    script.write_text(source, encoding="utf-8")
    return runner.run(script, workdir, TIMEOUT_S)


def logical_requests(
    recorded: Sequence[RecordedRequest], failed: Sequence[bool]
) -> tuple[NormalisedRequest, ...]:
    """Normalise ``recorded`` and leave out retries of failed requests (module docstring)."""
    out: list[NormalisedRequest] = []
    previous_failed = False
    for request, did_fail in zip(recorded, failed):
        normalised = normalise(request)
        if not (previous_failed and out and out[-1] == normalised):
            out.append(normalised)
        previous_failed = did_fail
    return tuple(out)


def run_original(
    source: str, setup: Mapping[str, Any] | None = None, backends: Backends | None = None
) -> Run:
    """Run an original (genai) program against the Gemini backend."""
    setup = setup or {}
    backends = backends or default_backends()
    server = backends.gemini
    with backends.original_lock, tempfile.TemporaryDirectory() as tmp:
        server.reset()
        apply_setup_data({"files": setup.get("files", {})}, server, Path(tmp))
        statuses: list[int] = []
        for failure in setup.get("failures", []):
            status, count, body = gemini_script(failure)
            server.queue_response(body, status=status, count=count)
            statuses += [status] * count
        proc = _run_script(backends.original_runner, source, Path(tmp), "input.py")
        recorded = server.requests
        server.reset()
    requests = logical_requests(recorded, _failed_flags(statuses, len(recorded)))
    return Run(requests, proc.stdout, proc.stderr, proc.returncode)


def run_migrated(
    source: str, setup: Mapping[str, Any] | None = None, backends: Backends | None = None
) -> Run:
    """Run a migrated (openai) program against the loopback server."""
    setup = setup or {}
    backends = backends or default_backends()
    server, kept = backends.openai, backends.kept
    files = {name: text.replace(GEMINI_BASE_URL, server.url) for name, text in setup.get("files", {}).items()}
    if GEMINI_BASE_URL not in source and not any(server.url in text for text in files.values()):
        raise HarnessError(f"the migrated program never mentions {GEMINI_BASE_URL!r}")
    with backends.migrated_lock, tempfile.TemporaryDirectory() as tmp:
        server.reset()
        kept.reset()
        apply_setup_data({**setup, "files": files}, server, Path(tmp))
        source = source.replace(GEMINI_BASE_URL, server.url)
        proc = _run_script(backends.migrated_runner, source, Path(tmp), "expected.py")
        recorded, kept_recorded, hints = server.requests, kept.requests, kept.order_hints
        server.reset()
        kept.reset()
    failed = _failed_flags(_openai_statuses(setup), len(recorded))
    merged = _interleave(list(zip(recorded, failed)), list(zip(kept_recorded, hints)))
    requests = logical_requests([r for r, _ in merged], [f for _, f in merged])
    return Run(requests, proc.stdout, proc.stderr, proc.returncode)


def _interleave(
    main: list[tuple[RecordedRequest, bool]], kept: list[tuple[RecordedRequest, int]]
) -> list[tuple[RecordedRequest, bool]]:
    """``main`` with each kept request placed after the ``hint`` main requests it followed."""
    out: list[tuple[RecordedRequest, bool]] = []
    position = 0
    for request, hint in kept:
        out += main[position:hint]
        position = max(position, hint)
        out.append((request, False))
    return out + main[position:]


def record_genai_requests(
    source: str, setup: Mapping[str, Any] | None = None, backends: Backends | None = None
) -> list[NormalisedRequest]:
    """The logical requests a genai program sends (it must exit with status 0)."""
    run = run_original(source, setup, backends)
    if run.returncode:
        raise HarnessError(f"the genai program failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return list(run.requests)


def record_openai_requests(
    source: str, setup: Mapping[str, Any] | None = None, backends: Backends | None = None
) -> list[NormalisedRequest]:
    """The logical requests an openai program sends (it must exit with status 0)."""
    run = run_migrated(source, setup, backends)
    if run.returncode:
        raise HarnessError(f"the openai program failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return list(run.requests)


def as_migrated(
    request: NormalisedRequest, model_map: Mapping[str, str] | None = None
) -> NormalisedRequest:
    """An original request as the migration means to send it (see "By design")."""
    renames = {model_id(old): new for old, new in (model_map or {}).items()}
    key = request.api_key
    return dataclasses.replace(
        request,
        model=renames.get(request.model, request.model),
        api_key=API_KEY if key is not None and key != API_KEY else key,
    )


def run_differential(
    input_source: str,
    expected_source: str,
    setup: Mapping[str, Any] | None = None,
    *,
    unordered: bool = False,
    model_map: Mapping[str, str] | None = None,
    stdout_rules: Sequence[tuple[str, str]] = (),
    backends: Backends | None = None,
    migrated_files: Mapping[str, str] | None = None,
) -> Comparison:
    """Run the original and the migrated program side by side and compare them.

    ``migrated_files``: for a program of several modules, the migrated side's other modules
    (the original side gets ``setup["files"]``)."""
    backends = backends or default_backends()
    migrated_setup = {**(setup or {}), "files": dict(migrated_files)} if migrated_files is not None else setup
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        original_future = pool.submit(run_original, input_source, setup, backends)
        migrated = pool.submit(run_migrated, expected_source, migrated_setup, backends).result()
        original = original_future.result()
    requests = tuple(as_migrated(r, model_map) for r in original.requests)
    return Comparison(
        dataclasses.replace(original, requests=requests),
        migrated,
        unordered,
        tuple(stdout_rules),
    )
