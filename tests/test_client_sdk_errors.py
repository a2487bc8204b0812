"""google-genai's errors (`google.genai.errors`) in codemod/transforms/errors.py: the tables
against the installed google-genai and openai, and small cases the fixtures do not show."""

from __future__ import annotations

import httpx2
import openai
import pytest
from google.genai import _api_client, types
from google.genai import errors as genai_errors

from codemod.ftypes import Options
from codemod.migrate import migrate_source
from codemod.transforms.errors import (
    CLIENT_SDK_BASES,
    CLIENT_SDK_OPENAI_FOR,
    CLIENT_SDK_UNMAPPED,
    OPENAI_BASES,
)

HEADER = """\
import os

from google import genai
from google.genai import errors

client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])
"""
CALL = 'client.models.generate_content(model="gemini-2.5-flash", contents="Hi").text'
STATUSES = [400, 401, 403, 404, 408, 409, 413, 422, 429, 499, 500, 501, 502, 503, 504, 599]


def _migrate(body: str) -> str:
    return migrate_source(HEADER + body, Options(), path="t.py").source


def _google_error(status: int) -> genai_errors.APIError:
    try:
        genai_errors.APIError.raise_error(status, {"error": {"code": status, "message": "m", "status": "S"}}, None)
    except genai_errors.APIError as error:
        return error
    raise AssertionError("raise_error raised nothing")


def _openai_error(status: int, body: bytes = b'{"error": {"code": 429, "message": "m", "status": "RESOURCE_EXHAUSTED"}}') -> openai.APIStatusError:
    client = openai.OpenAI(api_key="k", base_url="http://127.0.0.1:9/v1/")
    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    response = httpx2.Response(status, content=body, request=request, headers={"content-type": "application/json"})
    return client._make_status_error_from_response(response)


# -- the tables ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CLIENT_SDK_OPENAI_FOR))
def test_every_target_exists(name: str) -> None:
    assert issubclass(getattr(genai_errors, name), genai_errors.APIError)
    assert issubclass(getattr(openai, CLIENT_SDK_OPENAI_FOR[name].name), openai.APIStatusError)


@pytest.mark.parametrize(("name", "base"), sorted(CLIENT_SDK_BASES.items()))
def test_bases(name: str, base: str) -> None:
    assert getattr(genai_errors, name).__bases__ == (getattr(genai_errors, base),)
    assert set(OPENAI_BASES) >= {t.name for t in CLIENT_SDK_OPENAI_FOR.values()}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("name", sorted(CLIENT_SDK_OPENAI_FOR))
def test_the_openai_class_and_guard_catch_what_google_genai_caught(name: str, status: int) -> None:
    """For every error status, the google class catches google-genai's error exactly when the
    openai class (and the guard re-raising the other statuses) catches openai's."""
    target = CLIENT_SDK_OPENAI_FOR[name]
    caught_before = isinstance(_google_error(status), getattr(genai_errors, name))
    error = _openai_error(status)
    low, high = target.statuses or (0, 1000)
    assert caught_before == (isinstance(error, getattr(openai, target.name)) and low <= error.status_code < high)


def test_the_other_errors_of_google_genai_are_not_http_errors() -> None:
    for name in CLIENT_SDK_UNMAPPED:
        assert not issubclass(getattr(genai_errors, name), genai_errors.APIError)


def test_openai_keeps_the_error_object_in_body() -> None:
    """What the `.status` / `.details` TODOs say: e.body is the "error" object of the answer, or
    the whole answer when it is a list (Gemini has answered `[{"error": {...}}]`)."""
    error = _openai_error(429)
    assert error.body == {"code": 429, "message": "m", "status": "RESOURCE_EXHAUSTED"}
    assert error.message == "Error code: 429 - m"
    listed = _openai_error(429, b'[{"error": {"code": 429, "message": "m", "status": "RESOURCE_EXHAUSTED"}}]')
    assert listed.body == [{"error": {"code": 429, "message": "m", "status": "RESOURCE_EXHAUSTED"}}]
    assert _google_error(429).details == {"error": {"code": 429, "message": "m", "status": "S"}}


def test_google_genai_makes_one_attempt_by_default() -> None:
    """The fixtures' comment on retries: no retry_options, no retry (openai retries twice)."""
    assert types.HttpOptions().retry_options is None
    assert _api_client.retry_args(None)["stop"].max_attempt_number == 1


# -- the transform ---------------------------------------------------------------------------


def test_a_handler_without_a_name_gets_one_for_its_guard() -> None:
    source = _migrate(f"try:\n    print({CALL})\nexcept errors.ClientError:\n    print('rejected')\n")
    assert "except openai.APIStatusError as error:\n    if not 400 <= error.status_code < 500:\n        raise\n    print('rejected')\n" in source
    assert "google.genai" not in source


def test_a_one_line_handler_gets_its_guard_on_lines_of_its_own() -> None:
    source = _migrate(f"try:\n    print({CALL})\nexcept errors.ClientError as e: print(e.code)  # 4xx\n")
    assert "except openai.APIStatusError as e:\n    if not 400 <= e.status_code < 500:\n        raise\n    print(e.status_code)  # 4xx\n" in source


def test_client_error_beside_builtin_classes_is_guarded_for_openai_errors_only() -> None:
    source = _migrate(f"try:\n    print({CALL})\nexcept (errors.ClientError, KeyError) as e:\n    print(e)\n")
    assert "except (openai.APIStatusError, KeyError) as e:\n    if isinstance(e, openai.APIStatusError) and not 400 <= e.status_code < 500:\n        raise\n" in source


@pytest.mark.parametrize("clause", ["(errors.ClientError, Exception)", "(errors.ClientError, errors.ServerError)"])
def test_client_error_beside_a_class_that_would_take_the_rest_is_marked(clause: str) -> None:
    source = _migrate(f"try:\n    print({CALL})\nexcept {clause}:\n    pass\n")
    assert "give it a handler of its own" in source
    assert f"except {clause}:" in source
    assert "from google.genai import errors" in source


def test_client_error_below_a_server_error_handler_is_guarded() -> None:
    source = _migrate(f"try:\n    print({CALL})\nexcept errors.ServerError:\n    pass\nexcept errors.ClientError:\n    pass\nexcept ValueError:\n    pass\n")
    assert "except openai.InternalServerError:\n    pass\nexcept openai.APIStatusError as error:\n" in source
    assert "except ValueError:" in source


def test_isinstance_of_client_error_is_marked_and_server_error_retyped() -> None:
    source = _migrate(
        f"try:\n    print({CALL})\nexcept errors.APIError as e:\n"
        "    if isinstance(e, errors.ServerError):\n        print('server')\n"
        "    if isinstance(e, errors.ClientError):\n        print('client')\n"
    )
    assert "if isinstance(e, openai.InternalServerError):" in source
    assert "ClientError is any answer with status 400-499" in source
    assert "test isinstance(e, openai.APIStatusError) and 400 <= e.status_code < 500" in source
    assert "from google.genai import errors" in source  # still read by the marked isinstance


def test_a_kept_isinstance_class_keeps_its_import() -> None:
    """A try that also reaches a google-genai call that stays: isinstance keeps google's class
    beside openai's, so the import stays."""
    source = _migrate(
        "import sys\n"
        "try:\n"
        "    if '--count' in sys.argv:\n"
        '        print(client.models.count_tokens(model="gemini-2.5-flash", contents="Hi").total_tokens)\n'
        f"    print({CALL})\n"
        "except errors.APIError as e:\n"
        "    if isinstance(e, errors.ServerError):\n        print('server')\n"
    )
    assert "except (errors.APIError, openai.APIStatusError) as e:" in source
    assert "isinstance(e, (errors.ServerError, openai.InternalServerError))" in source
    assert "from google.genai import errors" in source


def test_a_try_reaching_no_migrated_call_is_left_alone() -> None:
    source = _migrate(f"print({CALL})\ntry:\n    print(len('x'))\nexcept errors.APIError:\n    pass\n")
    assert "except errors.APIError:" in source
    assert "TODO" not in source


def test_a_stream_read_after_the_call_is_marked() -> None:
    source = _migrate(
        'stream = client.models.generate_content_stream(model="gemini-2.5-flash", contents="Hi")\n'
        "try:\n    for chunk in stream:\n        print(chunk.text)\nexcept errors.APIError:\n    pass\n"
    )
    assert "the request is sent by create() now, google-genai sent it when the stream was first read" in source
    assert "except errors.APIError:" in source


def test_other_reads_of_google_genai_errors_are_marked() -> None:
    source = _migrate(f"print({CALL})\n\n\ndef fatal(e):\n    return isinstance(e, errors.ClientError)\n")
    assert "google-genai's ClientError: the calls genai2openai migrated raise openai.APIStatusError instead" in source


def test_reads_of_the_name_in_other_handlers_are_not_this_handler_s() -> None:
    """Two module-level handlers binding `e`: each rewrites only the reads in its own body."""
    source = _migrate(
        f"try:\n    print({CALL})\nexcept (errors.ServerError, KeyError) as e:\n    print(e)\n"
        f"try:\n    print({CALL})\nexcept errors.ServerError as e:\n    print(e.code)\n"
    )
    assert "print(e.status_code)" in source
    assert "carries no HTTP status" not in source


def test_google_api_core_single_class_in_parentheses_keeps_them() -> None:
    """`except(X):` with no space: the openai class keeps the parentheses it needs."""
    source = migrate_source(
        "import os\n\nimport google.generativeai as genai\nfrom google.api_core import exceptions\n\n"
        'genai.configure(api_key=os.environ["GEMINI_API_KEY"])\nmodel = genai.GenerativeModel("gemini-2.5-flash")\n'
        'try:\n    print(model.generate_content("hi").text)\nexcept(exceptions.ResourceExhausted):\n    pass\n',
        Options(),
        path="t.py",
    ).source
    assert "except(openai.RateLimitError):" in source
