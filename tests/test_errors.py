"""The exception tables of codemod/transforms/errors.py against the installed packages, and
small cases of the transform that the fixtures do not show."""

from __future__ import annotations

import warnings

import openai
import pytest

from codemod.ftypes import Options
from codemod.migrate import migrate_source
from codemod.transforms.errors import GOOGLE_BASES, OPENAI_BASES, OPENAI_FOR

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from google.api_core import exceptions as google_exceptions

HEADER = """\
import os

import google.generativeai as genai
from google.api_core import exceptions

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-1.5-flash")
"""


def _migrate(body: str) -> str:
    return migrate_source(HEADER + body, Options(), path="t.py").source


@pytest.mark.parametrize("google_name", sorted(OPENAI_FOR))
def test_every_target_exists_in_openai(google_name: str) -> None:
    assert issubclass(getattr(google_exceptions, google_name), google_exceptions.GoogleAPIError)
    assert issubclass(getattr(openai, OPENAI_FOR[google_name].name), openai.OpenAIError)


@pytest.mark.parametrize(("name", "base"), sorted(OPENAI_BASES.items()))
def test_openai_bases(name: str, base: str) -> None:
    assert getattr(openai, name).__bases__ == (getattr(openai, base),)


@pytest.mark.parametrize(("name", "base"), sorted(GOOGLE_BASES.items()))
def test_google_bases(name: str, base: str) -> None:
    assert getattr(google_exceptions, name).__bases__ == (getattr(google_exceptions, base),)


@pytest.mark.parametrize(
    "google_name", [n for n, t in OPENAI_FOR.items() if t.name not in {"APIError", "OpenAIError", "APIStatusError", "APITimeoutError"}]
)
def test_status_classes_agree(google_name: str) -> None:
    """A google class with an HTTP code maps to the openai class openai picks for that code."""
    code = getattr(google_exceptions, google_name).code
    by_status = {400: "BadRequestError", 401: "AuthenticationError", 403: "PermissionDeniedError", 404: "NotFoundError", 429: "RateLimitError"}
    expected = by_status.get(code, "InternalServerError") if code is not None else "InternalServerError"
    assert OPENAI_FOR[google_name].name == expected


def test_deadline_exceeded_is_a_server_status_but_maps_to_the_client_timeout() -> None:
    assert google_exceptions.DeadlineExceeded.code == 504
    assert not issubclass(openai.APITimeoutError, openai.APIStatusError)


def test_no_space_after_except_keeps_parentheses() -> None:
    source = _migrate(
        "try:\n"
        '    print(model.generate_content("hi").text)\n'
        "except(exceptions.ServiceUnavailable, exceptions.InternalServerError):\n"
        "    pass\n"
    )
    assert "except(openai.InternalServerError):" in source
    assert "import openai" in source
    assert "google.api_core" not in source


def test_openai_bound_to_something_else_is_marked() -> None:
    source = _migrate(
        "openai = None\n"
        "try:\n"
        '    print(model.generate_content("hi").text)\n'
        "except exceptions.NotFound:\n"
        "    pass\n"
    )
    assert "except exceptions.NotFound:" in source
    assert "binds `openai` to something else" in source


def test_unmapped_class_is_marked() -> None:
    source = _migrate(
        "try:\n"
        '    print(model.generate_content("hi").text)\n'
        "except exceptions.RetryError:\n"
        "    pass\n"
    )
    assert "except exceptions.RetryError:" in source
    assert "no OpenAI counterpart" in source


def test_other_google_library_in_the_try_keeps_both() -> None:
    source = _migrate(
        "from google.cloud import storage\n"
        "bucket = storage.Client().bucket('b')\n"
        "try:\n"
        '    print(model.generate_content("hi").text)\n'
        "    bucket.blob('x').upload_from_string('y')\n"
        "except exceptions.NotFound:\n"
        "    pass\n"
    )
    assert "except (exceptions.NotFound, openai.NotFoundError):" in source
    assert "from google.api_core import exceptions" in source


def test_an_unmapped_class_in_a_tuple_leaves_the_try() -> None:
    source = _migrate(
        "try:\n"
        '    print(model.generate_content("hi").text)\n'
        "except (\n"
        "    exceptions.ServiceUnavailable,  # overloaded\n"
        "    exceptions.InternalServerError,\n"
        "    exceptions.BadGateway,\n"
        ") as error:\n"
        "    pass\n"
    )
    assert "no OpenAI counterpart" in source  # BadGateway


def test_repeated_classes_are_left_out_keeping_the_layout() -> None:
    source = _migrate(
        "try:\n"
        '    print(model.generate_content("hi").text)\n'
        "except (\n"
        "    exceptions.ServiceUnavailable,  # overloaded\n"
        "    exceptions.InternalServerError,\n"
        "    exceptions.NotFound,\n"
        "    exceptions.TooManyRequests,\n"
        "    exceptions.ResourceExhausted,\n"
        ") as error:\n"
        "    pass\n"
    )
    expected = (
        "except (\n"
        "    openai.InternalServerError,  # overloaded\n"
        "    openai.InternalServerError,\n"
        "    openai.NotFoundError,\n"
        "    openai.RateLimitError,\n"
        ") as error:\n"
    )
    assert expected in source


def test_reads_of_the_error_in_a_function_it_is_passed_to_are_marked() -> None:
    source = _migrate(
        "def report(error):\n"
        "    print(error.code, error.message)\n"
        "\n"
        "\n"
        "try:\n"
        '    print(model.generate_content("hi").text)\n'
        "except exceptions.ResourceExhausted as e:\n"
        "    report(e)\n"
    )
    assert "    # TODO(genai2openai): .code of an error that may be an openai error now" in source
    assert "print(error.code, error.message)" in source
    assert "except openai.RateLimitError as e:" in source


def test_module_without_migrated_calls_is_left_alone() -> None:
    body = (
        "try:\n"
        '    genai.upload_file("a.txt")\n'
        "except exceptions.NotFound as e:\n"
        "    print(e.code)\n"
    )
    source = migrate_source(HEADER.replace('model = genai.GenerativeModel("gemini-1.5-flash")\n', "") + body, Options(), path="t.py").source
    assert "except exceptions.NotFound as e:\n    print(e.code)" in source
    assert "import openai" not in source
