"""Every calling fixture, original and migration side by side (see tests/differential.py).

``input.py`` runs with the real Gemini SDK it imports (google.generativeai or google-genai,
judged by its import statements, ``differential.original_sdks``) against the fake Gemini
backend, ``expected.py`` with the real openai against the loopback server; both must exit
alike, print the same and send the same logical requests. ``setup.json`` applies to both (its
failures translated for the original's SDK), ``requests.json`` says whether the requests may
arrive in any order, ``options.json``'s ``model_map`` renames the original's models.
``KNOWN_DIFFERENCES`` is the one table of fixtures whose migration does not (yet) do what the
original did; ``DOCUMENTED_OUTPUT`` names printed lines the migration changes on purpose.

Below the fixtures, the harness's own tests: reference pairs for each SDK that must pass,
changed migrations that must fail (a lost system message or temperature, another model, a
stream read whole, a handler left on google-genai's error class or printing openai's
``e.message``), and the pieces (SDK detection, failure translation per SDK and per the migrated
client's ``max_retries``, retries collapsed, kept calls interleaved).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from differential import (
    GENAI_RETRIED,
    GOOGLE_GENAI,
    GOOGLE_GENAI_RETRIED,
    GOOGLE_GENERATIVEAI,
    Backends,
    HarnessError,
    Run,
    _interleave,
    gemini_script,
    logical_requests,
    openai_attempts,
    openai_max_retries,
    original_sdks,
    record_genai_requests,
    record_openai_requests,
    retried_statuses,
    run_differential,
    script_env,
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
    "client_sdk_models": (
        "google-genai's models.get(...).name is 'models/gemini-2.5-flash'; the migrated "
        "models.retrieve(...).id prints 'gemini-2.5-flash' on the loopback, with no TODO (as "
        "models_get_model)"
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
    """Fixtures whose migration calls the API and whose original imports a Gemini SDK
    (google.generativeai or google-genai; an input already on the OpenAI SDK has no Gemini run
    to compare with: the loopback run checks it)."""
    return sorted(
        p.parent
        for p in FIXTURES.glob("*/requests.json")
        if original_sdks((p.parent / "input.py").read_text(encoding="utf-8"))
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
    migrated = _MIGRATED.replace("temperature=0.5,", "temperature=0.5, logit_bias={'1': 1},")
    with pytest.raises(AssertionError, match="no normalisation rule for logit_bias"):
        run_differential(_ORIGINAL, migrated, backends=harness)


# -- google-genai originals -----------------------------------------------------------------

_GENAI_ORIGINAL = """\
import os

from google import genai
from google.genai import types

client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])
response = client.models.generate_content(
    model="gemini-2.5-flash",
    contents="Name a colour.",
    config=types.GenerateContentConfig(system_instruction="Be brief.", temperature=0.5),
)
print(response.text)
for chunk in client.models.generate_content_stream(model="gemini-2.5-flash", contents="Go on."):
    print(chunk.text, end="")
print()
"""

_GENAI_MIGRATED = f"""\
import os
from openai import OpenAI

client = OpenAI(api_key=os.environ["GEMINI_API_KEY"], base_url="{GEMINI_BASE_URL}")
response = client.chat.completions.create(
    model="gemini-2.5-flash",
    messages=[
        {{"role": "system", "content": "Be brief."}},
        {{"role": "user", "content": "Name a colour."}},
    ],
    temperature=0.5,
)
print(response.choices[0].message.content)
for chunk in client.chat.completions.create(
    model="gemini-2.5-flash",
    messages=[{{"role": "user", "content": "Go on."}}],
    stream=True,
):
    print((chunk.choices[0].delta.content or "") if chunk.choices else "", end="")
print()
"""


def test_a_faithful_migration_of_google_genai_passes(harness: Backends) -> None:
    """The google-genai reference pair compares equal, streamed call included."""
    comparison = run_differential(_GENAI_ORIGINAL, _GENAI_MIGRATED, backends=harness)
    assert comparison.ok, comparison.report()
    assert comparison.original.stdout == "echo: Name a colour.\necho: Go on.\n"
    assert [r.stream for r in comparison.original.requests] == [False, True]


@pytest.mark.parametrize(
    ("old", "new", "difference"),
    [
        ('{"role": "system", "content": "Be brief."},', "", "requests differ"),
        ("    temperature=0.5,\n", "", "requests differ"),
        ("temperature=0.5", "temperature=0.7", "requests differ"),
        ("    stream=True,\n):", "):", "requests differ"),
        ('model="gemini-2.5-flash",\n    messages', 'model="gemini-2.0-flash",\n    messages', "requests differ"),
        ('end="")', ")", "stdout differs"),
    ],
    ids=["system", "temperature lost", "temperature changed", "not streamed", "model", "newlines"],
)
def test_a_wrong_migration_of_google_genai_fails(
    harness: Backends, old: str, new: str, difference: str
) -> None:
    """A lost system message or temperature, another value or model, a stream read whole, or
    other output: each shows as a difference."""
    assert old in _GENAI_MIGRATED
    migrated = _GENAI_MIGRATED.replace(old, new, 1)
    comparison = run_differential(_GENAI_ORIGINAL, migrated, backends=harness)
    assert any(d.startswith(difference) for d in comparison.differences), comparison.report()


_GENAI_HANDLER = """\
from google import genai
from google.genai import errors

client = genai.Client()
for prompt in ("one", "two"):
    try:
        print(client.models.generate_content(model="m", contents=prompt).text)
    except errors.APIError as e:
        print("failed", e.code, e.message)
"""


def _handler_migration(except_clause: str) -> str:
    return textwrap.dedent(
        f"""\
        import os
        import openai
        from google.genai import errors

        client = openai.OpenAI(api_key=os.environ["GEMINI_API_KEY"], base_url="{GEMINI_BASE_URL}")
        for prompt in ("one", "two"):
            try:
                r = client.chat.completions.create(
                    model="m", messages=[{{"role": "user", "content": prompt}}]
                )
                print(r.choices[0].message.content)
            except {except_clause} as e:
                print("failed", e.status_code, e.body["message"])
        """
    )


@pytest.mark.parametrize("status", [429, 503])
def test_google_genai_failures_reach_the_same_handlers(harness: Backends, status: int) -> None:
    """Three OpenAI attempts at a 429 or a 503 are one google-genai attempt (it does not retry
    by default): both programs take their handlers, with the same code and message."""
    setup = {"failures": [{"status": status, "count": 3}]}
    migrated = _handler_migration("openai.APIStatusError")
    comparison = run_differential(_GENAI_HANDLER, migrated, setup, backends=harness)
    assert comparison.ok, comparison.report()
    message = f"Scripted loopback error {status}"
    assert comparison.original.stdout == f"failed {status} {message}\necho: two\n"


def test_a_handler_left_on_google_genai_fails(harness: Backends) -> None:
    """A migration that keeps ``except errors.APIError`` (google-genai's) never catches openai's
    error: the harness shows the crash."""
    setup = {"failures": [{"status": 429, "count": 3}]}
    migrated = _handler_migration("errors.APIError")
    comparison = run_differential(_GENAI_HANDLER, migrated, setup, backends=harness)
    assert "exit status: original 0, migrated 1" in comparison.differences, comparison.report()


def test_openai_message_is_not_google_genais(harness: Backends) -> None:
    """google-genai's ``e.message`` is the server's message; openai's ``e.message`` is
    ``"Error code: 429 - <message>"``: a migration that keeps the attribute prints another
    line, and the harness shows it."""
    original = _GENAI_HANDLER.replace("e.code, e.message", "e.message")
    migrated = _handler_migration("openai.APIStatusError").replace(
        'e.status_code, e.body["message"]', "e.message"
    )
    setup = {"failures": [{"status": 429, "count": 3}]}
    comparison = run_differential(original, migrated, setup, backends=harness)
    assert comparison.differences == ("stdout differs",), comparison.report()
    assert comparison.migrated.stdout.startswith("failed Error code: 429 - Scripted")


def test_kept_google_genai_calls_take_their_place(harness: Backends) -> None:
    """A google-genai call the migration left in place goes to the kept backend, in order."""
    original = textwrap.dedent(
        """\
        from google import genai

        client = genai.Client()
        print(client.models.generate_content(model="m", contents="one").text)
        print(client.models.count_tokens(model="m", contents="two").total_tokens)
        """
    )
    migrated = textwrap.dedent(
        f"""\
        import os
        from google import genai
        from openai import OpenAI

        client = OpenAI(api_key=os.environ["GEMINI_API_KEY"], base_url="{GEMINI_BASE_URL}")
        messages = [{{"role": "user", "content": "one"}}]
        r = client.chat.completions.create(model="m", messages=messages)
        print(r.choices[0].message.content)
        kept = genai.Client()  # a temporary client is closed before its call (google-genai)
        print(kept.models.count_tokens(model="m", contents="two").total_tokens)
        """
    )
    comparison = run_differential(original, migrated, backends=harness)
    assert comparison.ok, comparison.report()
    assert [r.kind for r in comparison.migrated.requests] == ["chat", "count_tokens"]


def test_the_google_genai_demo_fixture_is_compared() -> None:
    """The demo pair is one of the calling fixtures (compared by test_migration_means_the_same)."""
    assert "_harness_demo_google_genai" in {f.name for f in _calling_fixtures()}


@pytest.mark.parametrize(
    ("source", "sdks"),
    [
        ("from google import genai", {GOOGLE_GENAI}),
        ("import google.genai as genai", {GOOGLE_GENAI}),
        ("import google.genai", {GOOGLE_GENAI}),
        ("from google.genai import types", {GOOGLE_GENAI}),
        ("from google.genai.errors import APIError", {GOOGLE_GENAI}),
        ("def f():\n    from google import genai", {GOOGLE_GENAI}),
        ("import google.generativeai as genai", {GOOGLE_GENERATIVEAI}),
        ("from google import generativeai", {GOOGLE_GENERATIVEAI}),
        ("import google.generativeai\nfrom google import genai", {GOOGLE_GENAI, GOOGLE_GENERATIVEAI}),
        ("# uses genai2openai and google.generativeai\nimport openai", set()),
        ("from google import genaix", set()),
        ("from google import genai(", set()),  # does not parse
    ],
)
def test_original_sdks_by_imports(source: str, sdks: set[str]) -> None:
    """The original's SDK is read from its imports, not from words in comments."""
    assert original_sdks(source) == sdks


@pytest.mark.parametrize(
    ("failure", "old_sdk", "new_sdk"),
    [
        ({"status": 503, "count": 3}, (503, 3), (503, 1)),
        ({"status": 429, "count": 3}, (429, 1), (429, 1)),
        ({"status": 500, "count": 6}, (500, 2), (500, 2)),
        ({"status": 400}, (400, 1), (400, 1)),
    ],
)
def test_failure_translation_per_sdk(
    failure: dict[str, Any], old_sdk: tuple[int, int], new_sdk: tuple[int, int]
) -> None:
    """google.generativeai sees every 503 attempt (it retries them); google-genai one attempt
    per logical request whatever the status."""
    assert gemini_script(failure, GENAI_RETRIED)[:2] == old_sdk
    assert gemini_script(failure, GOOGLE_GENAI_RETRIED)[:2] == new_sdk


def test_retried_statuses_follow_the_original() -> None:
    """Each SDK's set; a guess (both SDKs disagreeing, a program's own retry options) refused."""
    setup_503 = {"failures": [{"status": 503, "count": 3}]}
    assert retried_statuses("from google import genai", setup_503) == GOOGLE_GENAI_RETRIED
    assert retried_statuses("import google.generativeai", setup_503) == GENAI_RETRIED
    assert retried_statuses("import os", setup_503) == GENAI_RETRIED
    both = "import google.generativeai\nfrom google import genai"
    with pytest.raises(HarnessError, match="retry these failures differently"):
        retried_statuses(both, setup_503)
    retried_statuses(both, {"failures": [{"status": 429, "count": 3}]})  # same either way
    own = "from google import genai\nopts = genai.types.HttpRetryOptions(attempts=3)"
    with pytest.raises(HarnessError, match="retry_options"):
        retried_statuses(own, setup_503)
    assert retried_statuses(own, {}) == GOOGLE_GENAI_RETRIED
    helper = {**setup_503, "files": {"llm.py": "from google import genai", "notes.txt": "x"}}
    assert retried_statuses("import llm", helper) == GOOGLE_GENAI_RETRIED


def test_a_migration_without_retries_is_counted_so(harness: Backends) -> None:
    """A migrated client with ``max_retries=0`` (google-genai does not retry either) makes one
    attempt: a 429 scripted once is one failure on both sides."""
    migrated = _handler_migration("openai.APIStatusError").replace(
        'base_url="', 'max_retries=0, base_url="'
    )
    setup = {"failures": [{"status": 429}]}
    comparison = run_differential(_GENAI_HANDLER, migrated, setup, backends=harness)
    assert comparison.ok, comparison.report()
    assert comparison.migrated.stdout.startswith("failed 429 ")


@pytest.mark.parametrize(
    ("sources", "failures", "retries"),
    [
        (["client = OpenAI()"], True, 2),
        (["client = OpenAI(max_retries=0)"], True, 0),
        (["import helper", "client = OpenAI(max_retries=5)"], True, 5),
        (["a = OpenAI(max_retries=0)\nb = a.with_options(max_retries=1)"], False, 2),
        (["client = OpenAI(max_retries=n)"], False, 2),
    ],
)
def test_openai_max_retries(sources: list[str], failures: bool, retries: int) -> None:
    """The migrated program's literal ``max_retries``, the default without one."""
    setup = {"failures": [{"status": 429}]} if failures else {}
    assert openai_max_retries(sources, setup) == retries


@pytest.mark.parametrize(
    "source", ["a = OpenAI(max_retries=0)\nb = OpenAI(max_retries=1)", "OpenAI(max_retries=n)"]
)
def test_openai_max_retries_refuses_a_guess(source: str) -> None:
    """Several values, or a computed one, cannot count scripted failures."""
    with pytest.raises(HarnessError, match="one literal number of retries"):
        openai_max_retries([source], {"failures": [{"status": 429}]})


def test_failure_translation_with_max_retries() -> None:
    """Counts are in attempts of the migrated client: one each when it does not retry."""
    assert openai_attempts({"status": 429}, max_retries=0) == 1
    assert gemini_script({"status": 429}, GOOGLE_GENAI_RETRIED, max_retries=0)[:2] == (429, 1)
    assert gemini_script({"status": 503, "count": 2}, GENAI_RETRIED, max_retries=0)[:2] == (503, 2)
    with pytest.raises(HarnessError, match="not a whole number"):
        gemini_script({"status": 429, "count": 3}, GOOGLE_GENAI_RETRIED, max_retries=1)


def test_google_genai_does_not_retry_by_default() -> None:
    """GOOGLE_GENAI_RETRIED matches google-genai's default client: one attempt, whereas its
    HttpRetryOptions would retry 408/429/5xx."""
    from google import genai
    from google.genai import _api_client, errors, types

    client = genai.Client(api_key="k")
    assert client._api_client._http_options.retry_options is None
    assert _api_client.retry_args(None)["stop"].max_attempt_number == 1
    opted_in = _api_client.retry_args(types.HttpRetryOptions())
    assert opted_in["retry"].predicate(errors.ServerError(503, {}, None))
    assert not GOOGLE_GENAI_RETRIED


def test_script_env_routes_google_genai(monkeypatch: pytest.MonkeyPatch) -> None:
    """``GOOGLE_GEMINI_BASE_URL`` is the endpoint; the job's Vertex and version settings go."""
    monkeypatch.setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p")
    monkeypatch.setenv("GOOGLE_GENAI_API_VERSION", "v1alpha")
    env = script_env("http://127.0.0.1:1")
    assert env["GOOGLE_GEMINI_BASE_URL"] == "http://127.0.0.1:1"
    leaked = {"GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_CLOUD_PROJECT", "GOOGLE_GENAI_API_VERSION"}
    assert not leaked & set(env)
    assert env["GEMINI_API_KEY"] == env["GOOGLE_API_KEY"] == "test-key"


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
