"""The differential harness: does the migrated program mean what the original meant?

``run_differential(input_source, expected_source, setup)`` runs both programs as scripts, in
parallel, each in a temporary directory with the ``files`` of ``setup`` written next to it and
the environment of ``test_execute_fixtures.child_env`` (key ``test-key``, no network):

* the original with the real ``google.generativeai`` or the real ``google-genai`` (``from
  google import genai``), routed to a ``GeminiBackend``: google.generativeai by the hook of
  ``tests/gemini_route/sitecustomize.py``, google-genai by its own ``GOOGLE_GEMINI_BASE_URL``
  variable (``script_env``; the same hook re-points an ``http_options`` base URL naming Google's
  host, which outranks the variable). A Vertex AI client (``vertexai=True``) is not routed: it
  fails offline, visibly. ``script_env`` removes the ``GOOGLE_GENAI_*``/``GOOGLE_CLOUD_*``/
  ``GOOGLE_VERTEX_BASE_URL``/``GOOGLE_APPLICATION_CREDENTIALS`` variables of the job's
  environment, so neither Vertex mode nor another API version leaks in; both SDKs read the key
  ``test-key`` of ``GEMINI_API_KEY``/``GOOGLE_API_KEY``;
* the migrated program with the real ``openai`` package against a ``LoopbackServer`` (its
  Google base URL replaced, as ``test_execute_fixtures`` does); Gemini calls it kept (either
  SDK) go to a second ``GeminiBackend`` and take their place among its requests.

Both backends give the same canned answers for the same input, so the programs can be held to
the same behaviour: the same exit status, the same stdout, and the same sequence of logical
requests once each side's requests are normalised (``tests/normalize.py``).

**Failures.** A ``setup`` failure entry says what the server does to the OpenAI client's
attempts at one logical request. The OpenAI loopback gets it verbatim. The openai SDK makes
``1 + max_retries`` attempts on 408/409/429/5xx (unless ``x-should-retry: false``):
``OPENAI_MAX_RETRIES`` by default, or the literal ``max_retries=N`` the migrated program (and
its other modules) passes, if it passes one (``openai_max_retries``; a migration of google-genai,
which does not retry, may pass ``max_retries=0``).
What the Gemini backend gets depends on the original's SDK (``original_sdks``, read from its
imports), whose default client retries the statuses of ``RETRIED``:

* google.generativeai: its default retry (google.api_core, for every method genai calls)
  retries 503 only (``GENAI_RETRIED``), with backoff for up to 600 s;
* google-genai 3.6.1: no retry at all. ``BaseApiClient`` builds its tenacity ``Retrying`` from
  ``http_options.retry_options``, and ``retry_args(None)`` is ``stop_after_attempt(1)``
  (``google/genai/_api_client.py``, ``retry_args``); only an explicit ``HttpRetryOptions`` turns
  on its 5 attempts on 408/429/500/502/503/504 (``GOOGLE_GENAI_RETRIED`` is empty).

So a status the original's SDK retries gets the same number of failed attempts (both sides
retry; google.generativeai's backoff sleeps about a second per attempt), any other status one
failed attempt per logical request (the SDK raises at once: google-genai a ``ClientError`` for
4xx, a ``ServerError`` for 5xx, with the body's ``code``, ``status`` and ``message``). A count
that is not a whole number of OpenAI attempts has no Gemini counterpart and is refused, and so
are failures for an original that imports both SDKs when they would translate differently, or
a google-genai original that sets its own ``retry_options`` (the harness knows the default
client's retries only). Canned 200 replies (an OpenAI completion with ``tool_calls``) are sent
to the Gemini side as ``functionCall`` parts. Gemini calls the migrated program kept are
answered normally (failures are queued for its OpenAI calls).

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

**Dialects.** Each recorded request is normalised in the dialect of the server that recorded it
(``normalise(request, dialect)``): google-genai's default paths are ``/v1/models...``, which
alone would not tell them from OpenAI's.

**Order.** Requests are compared in order, or as a multiset with ``unordered=True`` (concurrent
programs). The backends serve one run at a time each (a lock per side).
"""

from __future__ import annotations

import ast
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
GOOGLE_GENERATIVEAI = "google.generativeai"
GOOGLE_GENAI = "google.genai"
GENAI_RETRIED = frozenset({503})
"""What google.generativeai's default retry retries."""
GOOGLE_GENAI_RETRIED: frozenset[int] = frozenset()
"""What google-genai's default client retries: nothing (module docstring)."""
RETRIED = {GOOGLE_GENERATIVEAI: GENAI_RETRIED, GOOGLE_GENAI: GOOGLE_GENAI_RETRIED}
GENAI_RETRY_NAMES = frozenset({"retry_options", "HttpRetryOptions", "HttpRetryOptionsDict"})
"""Names a google-genai program configures its own retries with."""
# The job's variables that would change where or how google-genai connects.
_GOOGLE_GENAI_VARIABLE_PREFIXES = ("GOOGLE_GENAI_", "GOOGLE_CLOUD_")
_GOOGLE_GENAI_VARIABLES = (
    "GOOGLE_VERTEX_BASE_URL",
    "GOOGLE_GEMINI_BASE_URL",
    "GOOGLE_APPLICATION_CREDENTIALS",
)


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
    """``child_env()`` with both Gemini SDKs routed to ``gemini_endpoint`` (module docstring)."""
    env = {
        name: value
        for name, value in child_env().items()
        if not name.startswith(_GOOGLE_GENAI_VARIABLE_PREFIXES)
        and name not in _GOOGLE_GENAI_VARIABLES
    }
    env["PYTHONPATH"] = str(ROUTE_DIR)
    env[ENDPOINT_VARIABLE] = gemini_endpoint
    env["GOOGLE_GEMINI_BASE_URL"] = gemini_endpoint
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


# -- the original's SDK ------------------------------------------------------------------------


def imported_modules(source: str) -> frozenset[str]:
    """Every module ``source`` imports anywhere (``from a import b`` names ``a`` and ``a.b``);
    empty when it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def original_sdks(source: str) -> frozenset[str]:
    """The Gemini SDKs a program imports: ``GOOGLE_GENERATIVEAI`` and/or ``GOOGLE_GENAI``."""
    modules = imported_modules(source)
    return frozenset(
        sdk for sdk in RETRIED if any(m == sdk or m.startswith(sdk + ".") for m in modules)
    )


def _node_name(node: ast.AST) -> Any:
    """The name a keyword, name, attribute or string constant spells, else None."""
    if isinstance(node, ast.keyword):
        return node.arg
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.value if isinstance(node, ast.Constant) else None


def sets_genai_retries(source: str) -> bool:
    """True when ``source`` names google-genai's retry options (``GENAI_RETRY_NAMES`` as a
    keyword, name, attribute or dict key)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(_node_name(node) in GENAI_RETRY_NAMES for node in ast.walk(tree))


def retried_statuses(
    source: str, setup: Mapping[str, Any], max_retries: int = OPENAI_MAX_RETRIES
) -> frozenset[int]:
    """What the original's SDK retries, for translating ``setup``'s failures (module
    docstring); raises ``HarnessError`` where the translation would be a guess. The program is
    ``source`` and the Python modules among ``setup``'s files; one importing neither SDK is
    taken for google.generativeai."""
    files = setup.get("files", {})
    sources = [source, *(text for name, text in files.items() if name.endswith(".py"))]
    sdks = sorted(set().union(*map(original_sdks, sources))) or [GOOGLE_GENERATIVEAI]
    errors = [f for f in setup.get("failures", []) if int(f["status"]) >= 400]
    if errors and GOOGLE_GENAI in sdks and any(map(sets_genai_retries, sources)):
        raise HarnessError(
            "the google-genai original sets its own retry_options: the harness translates "
            "failures for google-genai's default client (no retries) only"
        )
    counts = {
        tuple(gemini_script(failure, RETRIED[sdk], max_retries)[1] for failure in errors)
        for sdk in sdks
    }
    if len(counts) > 1:
        raise HarnessError(
            f"the original imports {sdks}, whose default clients retry these failures "
            "differently: cannot tell which SDK they are meant for"
        )
    return RETRIED[sdks[0]]


# -- setup ------------------------------------------------------------------------------------


def openai_attempts(failure: Mapping[str, Any], max_retries: int = OPENAI_MAX_RETRIES) -> int:
    """How many attempts an OpenAI client with ``max_retries`` (the default client's by
    default) makes at a request answered this way."""
    headers = {k.lower(): v for k, v in (failure.get("headers") or {}).items()}
    retried = int(failure["status"]) in OPENAI_RETRIED and headers.get("x-should-retry") != "false"
    return 1 + max_retries if retried else 1


def openai_max_retries(sources: Sequence[str], setup: Mapping[str, Any]) -> int:
    """The ``max_retries`` the migrated program's clients make, read from the literal
    ``max_retries=N`` keywords of its ``sources``; ``OPENAI_MAX_RETRIES`` when it passes none.
    With failures scripted, several values or a computed one are refused (``HarnessError``)."""
    values = {
        node.value.value if isinstance(node.value, ast.Constant) else None
        for source in sources
        for node in _keywords(source, "max_retries")
    }
    if not values:
        return OPENAI_MAX_RETRIES
    value = next(iter(values)) if len(values) == 1 else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if setup.get("failures"):
        raise HarnessError(
            f"the migrated program passes max_retries {sorted(map(repr, values))}: the harness "
            "translates failures for one literal number of retries only"
        )
    return OPENAI_MAX_RETRIES


def _keywords(source: str, name: str) -> list[ast.keyword]:
    """The keyword arguments called ``name`` in ``source`` (none when it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == name]


def gemini_script(
    failure: Mapping[str, Any],
    retried: frozenset[int] = GENAI_RETRIED,
    max_retries: int = OPENAI_MAX_RETRIES,
) -> tuple[int, int, Any]:
    """``(status, count, body)`` for the Gemini backend matching one ``setup`` entry, for an
    original whose SDK retries the statuses ``retried`` (google.generativeai's by default) and
    a migrated program whose OpenAI client makes ``max_retries``."""
    status, count = int(failure["status"]), int(failure.get("count", 1))
    body = failure.get("json")
    if status < 400:
        return status, count, function_call_response(body)
    attempts = openai_attempts(failure, max_retries)
    if count % attempts:
        raise HarnessError(
            f"{count} x {status} is not a whole number of OpenAI attempts ({attempts} each): "
            "genai has no counterpart for a failure the OpenAI client hides by retrying"
        )
    message = (body or {}).get("error", {}).get("message") if isinstance(body, dict) else None
    gemini_count = count if status in retried else count // attempts
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
    recorded: Sequence[RecordedRequest],
    failed: Sequence[bool],
    dialects: Sequence[str | None] | None = None,
) -> tuple[NormalisedRequest, ...]:
    """Normalise ``recorded`` (each in its dialect: ``gemini``, ``openai``, or None to guess)
    and leave out retries of failed requests (module docstring)."""
    out: list[NormalisedRequest] = []
    previous_failed = False
    for request, did_fail, dialect in zip(recorded, failed, dialects or [None] * len(recorded)):
        normalised = normalise(request, dialect)
        if not (previous_failed and out and out[-1] == normalised):
            out.append(normalised)
        previous_failed = did_fail
    return tuple(out)


def run_original(
    source: str,
    setup: Mapping[str, Any] | None = None,
    backends: Backends | None = None,
    max_retries: int = OPENAI_MAX_RETRIES,
) -> Run:
    """Run an original (google.generativeai or google-genai) program against the Gemini
    backend; ``setup``'s failures are counted in attempts of an OpenAI client making
    ``max_retries`` (module docstring)."""
    setup = setup or {}
    backends = backends or default_backends()
    server = backends.gemini
    retried = retried_statuses(source, setup, max_retries)
    with backends.original_lock, tempfile.TemporaryDirectory() as tmp:
        server.reset()
        apply_setup_data({"files": setup.get("files", {})}, server, Path(tmp))
        statuses: list[int] = []
        for failure in setup.get("failures", []):
            status, count, body = gemini_script(failure, retried, max_retries)
            server.queue_response(body, status=status, count=count)
            statuses += [status] * count
        proc = _run_script(backends.original_runner, source, Path(tmp), "input.py")
        recorded = server.requests
        server.reset()
    failed = _failed_flags(statuses, len(recorded))
    requests = logical_requests(recorded, failed, ["gemini"] * len(recorded))
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
    kept_ids = {id(r) for r in kept_recorded}
    dialects = ["gemini" if id(r) in kept_ids else "openai" for r, _ in merged]
    requests = logical_requests([r for r, _ in merged], [f for _, f in merged], dialects)
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
    files = (migrated_setup or {}).get("files", {})
    modules = [expected_source, *(text for name, text in files.items() if name.endswith(".py"))]
    max_retries = openai_max_retries(modules, setup or {})
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        original_future = pool.submit(run_original, input_source, setup, backends, max_retries)
        migrated = pool.submit(run_migrated, expected_source, migrated_setup, backends).result()
        original = original_future.result()
    requests = tuple(as_migrated(r, model_map) for r in original.requests)
    return Comparison(
        dataclasses.replace(original, requests=requests),
        migrated,
        unordered,
        tuple(stdout_rules),
    )
