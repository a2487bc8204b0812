"""Every calling fixture, original and migration side by side (see tests/differential.py).

``input.py`` runs with the real genai against the fake Gemini backend, ``expected.py`` with the
real openai against the loopback server; both must exit alike, print the same and send the
same logical requests. ``setup.json`` applies to both, ``requests.json`` says whether the
requests may arrive in any order, ``options.json``'s ``model_map`` renames the original's
models. ``KNOWN_DIFFERENCES`` is the one table of fixtures whose migration does not (yet) do
what the original did; ``DOCUMENTED_OUTPUT`` names printed lines the migration changes on
purpose.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from differential import (
    Backends,
    HarnessError,
    Run,
    _interleave,
    gemini_script,
    logical_requests,
    openai_attempts,
    record_genai_requests,
    record_openai_requests,
    run_differential,
)
from loopback import RecordedRequest
from normalize import NormalisedRequest
from test_execute_fixtures import FIXTURES, GEMINI_BASE_URL

# Printed lines a fixture documents as different: (original line, migrated line, why).
DOCUMENTED_OUTPUT: dict[str, tuple[tuple[str, str, str], ...]] = {
    "response_candidates": (
        ("1", "stop", "finish_reason is a string now (TODO in the code, README Limitations)"),
    ),
}

# The migrated program does not do what the original did. Each fixture stays a failing test
# (strict xfail) until the migration (or, where said, the fixture) is fixed.
KNOWN_DIFFERENCES: dict[str, str] = {
    "errors_kept_genai_call": (
        "e.message of a rate-limit error: google's is the server's message, openai's is "
        "'Error code: 429 - <message>', so the handler prints a different line"
    ),
    "errors_server_errors": (
        "retry policy: genai retried 503 (ServiceUnavailable) with backoff for up to 600 s, so "
        "three 503 answers end in the reply; openai gives up after 2 retries and the migrated "
        "program prints 'server trouble: 503'"
    ),
    "models_get_model": (
        "get_model(...).name is 'models/gemini-2.0-flash' (Gemini names models so); "
        "models.retrieve(...).id is whatever the endpoint echoes ('gemini-2.0-flash' on the "
        "loopback): the migration prints a different name, with no TODO"
    ),
    "models_retired_warning": (
        "get_model('gemini-pro').name is 'models/gemini-pro'; the migrated "
        "models.retrieve('gemini-pro').id prints 'gemini-pro' on the loopback, with no TODO"
    ),
}


def _calling_fixtures() -> list[Path]:
    """Fixtures whose migration calls the API and whose original uses genai (an input already on
    the OpenAI SDK has no genai run to compare with: the loopback run checks it)."""
    return sorted(
        p.parent for p in FIXTURES.glob("*/requests.json") if b"generativeai" in (p.parent / "input.py").read_bytes()
    )


def _json(path: Path, default: Any) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default


def _param(fixture: Path) -> Any:
    reason = KNOWN_DIFFERENCES.get(fixture.name)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(fixture, id=fixture.name, marks=marks)


@pytest.mark.parametrize("fixture", [_param(f) for f in _calling_fixtures()])
def test_migration_means_the_same(fixture: Path, harness: Backends) -> None:
    """Same exit status, stdout and logical requests for ``input.py`` and ``expected.py``."""
    requests = _json(fixture / "requests.json", {})
    options = _json(fixture / "options.json", {})
    comparison = run_differential(
        (fixture / "input.py").read_text(encoding="utf-8"),
        (fixture / "expected.py").read_text(encoding="utf-8"),
        _json(fixture / "setup.json", None),
        unordered=isinstance(requests, dict) and bool(requests.get("unordered")),
        model_map=dict(options.get("model_map", [])),
        stdout_rules=[(old, new) for old, new, _ in DOCUMENTED_OUTPUT.get(fixture.name, ())],
        backends=harness,
    )
    assert comparison.ok, comparison.report()
    assert comparison.original.requests, "the original sent no request"


def test_tables_name_calling_fixtures() -> None:
    """Every entry of the two tables is a calling fixture."""
    names = {f.name for f in _calling_fixtures()}
    assert not (set(KNOWN_DIFFERENCES) | set(DOCUMENTED_OUTPUT)) - names


# -- the harness can fail -------------------------------------------------------------------

_ORIGINAL = """\
import google.generativeai as genai

model = genai.GenerativeModel("gemini-1.5-flash", system_instruction="Be brief.")
print(model.generate_content("Name a colour.", generation_config={"temperature": 0.5}).text)
"""

_MIGRATED = f"""\
import os
from openai import OpenAI

client = OpenAI(api_key=os.environ["GEMINI_API_KEY"], base_url="{GEMINI_BASE_URL}")
response = client.chat.completions.create(
    model="gemini-1.5-flash",
    messages=[
        {{"role": "system", "content": "Be brief."}},
        {{"role": "user", "content": "Name a colour."}},
    ],
    temperature=0.5,
)
print(response.choices[0].message.content)
"""


def test_a_faithful_migration_passes(harness: Backends) -> None:
    """The reference pair compares equal."""
    comparison = run_differential(_ORIGINAL, _MIGRATED, backends=harness)
    assert comparison.ok, comparison.report()
    assert comparison.original.stdout == "echo: Name a colour.\n"


@pytest.mark.parametrize(
    ("old", "new", "difference"),
    [
        ("temperature=0.5", "temperature=0.7", "requests differ"),
        ('{"role": "system", "content": "Be brief."},', "", "requests differ"),
        ('model="gemini-1.5-flash"', 'model="gemini-1.5-pro"', "requests differ"),
        ("print(response", "print('!', response", "stdout differs"),
        ("print(response", "raise SystemExit(3)\nprint(response", "exit status"),
    ],
)
def test_a_changed_migration_fails(harness: Backends, old: str, new: str, difference: str) -> None:
    """A changed option, a lost system message, another model, output or exit status show."""
    assert old in _MIGRATED
    comparison = run_differential(_ORIGINAL, _MIGRATED.replace(old, new), backends=harness)
    assert any(d.startswith(difference) for d in comparison.differences), comparison.report()


def test_record_functions(harness: Backends) -> None:
    """The lower-level recorders return the normalised logical requests of each side."""
    original = record_genai_requests(_ORIGINAL, backends=harness)
    migrated = record_openai_requests(_MIGRATED, backends=harness)
    assert original == migrated
    assert [r.kind for r in original] == ["chat"]
    assert original[0].params == (("temperature", "0.5"),)


def test_failures_reach_the_same_handlers(harness: Backends) -> None:
    """A 429 makes genai raise ResourceExhausted where openai raises RateLimitError."""
    original = textwrap.dedent(
        """\
        import google.generativeai as genai
        from google.api_core import exceptions

        model = genai.GenerativeModel("m")
        for prompt in ("one", "two"):
            try:
                print(model.generate_content(prompt).text)
            except exceptions.ResourceExhausted as e:
                print("busy", e.code, e.message)
        """
    )
    migrated = textwrap.dedent(
        f"""\
        import os
        import openai

        client = openai.OpenAI(api_key=os.environ["GEMINI_API_KEY"], base_url="{GEMINI_BASE_URL}")
        for prompt in ("one", "two"):
            try:
                r = client.chat.completions.create(
                    model="m", messages=[{{"role": "user", "content": prompt}}]
                )
                print(r.choices[0].message.content)
            except openai.RateLimitError as e:
                print("busy", e.status_code, e.body["message"])
        """
    )
    setup = {"failures": [{"status": 429, "count": 3}]}
    comparison = run_differential(original, migrated, setup, backends=harness)
    assert comparison.ok, comparison.report()
    assert comparison.migrated.stdout == "busy 429 Scripted loopback error 429\necho: two\n"
    assert len(comparison.migrated.requests) == 2  # the 2 SDK retries collapsed


def test_kept_genai_calls_take_their_place(harness: Backends) -> None:
    """A call the migration left on genai is compared where it happened."""
    original = textwrap.dedent(
        """\
        import google.generativeai as genai

        model = genai.GenerativeModel("gemini-1.5-flash")
        print(model.generate_content("one").text)
        print(model.count_tokens("two").total_tokens)
        print(model.generate_content("three").text)
        """
    )
    migrated = textwrap.dedent(
        f"""\
        import os
        import google.generativeai as genai
        from openai import OpenAI

        client = OpenAI(api_key=os.environ["GEMINI_API_KEY"], base_url="{GEMINI_BASE_URL}")
        for prompt in ("one", "two", "three"):
            if prompt == "two":
                print(genai.GenerativeModel("gemini-1.5-flash").count_tokens(prompt).total_tokens)
                continue
            r = client.chat.completions.create(
                model="gemini-1.5-flash", messages=[{{"role": "user", "content": prompt}}]
            )
            print(r.choices[0].message.content)
        """
    )
    comparison = run_differential(original, migrated, backends=harness)
    assert comparison.ok, comparison.report()
    assert [r.kind for r in comparison.migrated.requests] == ["chat", "count_tokens", "chat"]


def test_unknown_fields_fail_the_harness(harness: Backends) -> None:
    """A request field without a rule is a harness failure, not a silent pass."""
    migrated = _MIGRATED.replace("temperature=0.5,", "temperature=0.5, seed=1,")
    with pytest.raises(AssertionError, match="no normalisation rule for seed"):
        run_differential(_ORIGINAL, migrated, backends=harness)


# -- pieces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failure", "attempts", "script"),
    [
        ({"status": 429, "count": 3}, 3, (429, 1)),
        ({"status": 400}, 1, (400, 1)),
        ({"status": 503, "count": 3}, 3, (503, 3)),
        ({"status": 500, "count": 6}, 3, (500, 2)),
        ({"status": 429, "headers": {"x-should-retry": "false"}}, 1, (429, 1)),
    ],
)
def test_failure_translation(
    failure: dict[str, Any], attempts: int, script: tuple[int, int]
) -> None:
    """OpenAI attempts per logical request, and what the Gemini backend is told to answer."""
    assert openai_attempts(failure) == attempts
    status, count, body = gemini_script(failure)
    assert (status, count) == script
    assert body["error"]["code"] == status


def test_failure_translation_refuses_partial_retries() -> None:
    """A failure the OpenAI client hides by retrying has no Gemini counterpart."""
    with pytest.raises(HarnessError, match="not a whole number"):
        gemini_script({"status": 429, "count": 1})


def test_genai_retries_only_503() -> None:
    """GENAI_RETRIED matches the default retry of genai's generate_content."""
    from google.ai.generativelanguage_v1beta.services.generative_service.transports import rest
    from google.api_core import exceptions
    from google.auth.credentials import AnonymousCredentials

    transport = rest.GenerativeServiceRestTransport(credentials=AnonymousCredentials())
    retry = transport._wrapped_methods[transport.generate_content]._retry
    assert retry._predicate(exceptions.ServiceUnavailable("x"))
    for error in (exceptions.ResourceExhausted, exceptions.InternalServerError):
        assert not retry._predicate(error("x"))


def _chat(text: str) -> RecordedRequest:
    body = {"model": "m", "messages": [{"role": "user", "content": text}]}
    return RecordedRequest("POST", "/v1/chat/completions", {}, {}, body)


def test_only_retries_of_failed_requests_collapse() -> None:
    """A repeat after a failure is a retry; a repeat after a success is a second request."""
    a, b = _chat("a"), _chat("b")
    requests = logical_requests([a, a, a, b, b], [True, True, False, False, False])
    assert [r.messages[0].parts[0].value for r in requests] == ["a", "b", "b"]


def test_kept_requests_interleave_by_arrival() -> None:
    """A kept genai request goes after the OpenAI requests that arrived before it."""
    a, b, c = _chat("a"), _chat("b"), _chat("c")
    merged = _interleave([(a, False), (b, False)], [(c, 1)])
    assert [r for r, _ in merged] == [a, c, b]


def test_run_is_a_value() -> None:
    """Runs compare by value (used by property tests)."""
    request = NormalisedRequest(kind="list_models")
    assert Run((request,), "", "", 0) == Run((request,), "", "", 0)
