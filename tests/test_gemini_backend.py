"""The fake Gemini backend (tests/gemini_backend.py) and genai's route to it (gemini_route/)."""

from __future__ import annotations

import json
import textwrap
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from differential import Backends, record_genai_requests, run_original
from gemini_backend import GeminiBackend, function_call_response
from loopback import (
    DEFAULT_EMBEDDING_DIMENSIONS,
    PROMPT_TOKENS,
    TOTAL_TOKENS,
    chat_completion,
    embedding_vector,
)


@pytest.fixture(scope="module")
def backend() -> Iterator[GeminiBackend]:
    """A backend of its own, reset around each test."""
    with GeminiBackend() as server:
        yield server


@pytest.fixture
def gemini(backend: GeminiBackend) -> Iterator[GeminiBackend]:
    """The module's backend, reset before and after the test."""
    backend.reset()
    yield backend
    backend.reset()


def _call(server: GeminiBackend, path: str, body: Any = None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _user(*texts: str) -> dict[str, Any]:
    return {"role": "user", "parts": [{"text": t} for t in texts]}


def test_generate_content_answers_like_loopback(gemini: GeminiBackend) -> None:
    """The last user turn's text parts, joined, echoed; the same as loopback answers."""
    body = {
        "contents": [_user("old"), {"role": "model", "parts": [{"text": "x"}]}, _user("a", "b")],
        "generationConfig": {"candidateCount": 2},
    }
    status, raw = _call(gemini, "models/m:generateContent", body)
    answer = json.loads(raw)
    texts = [c["content"]["parts"][0]["text"] for c in answer["candidates"]]
    openai_request = {"messages": [{"role": "user", "content": "a b"}], "n": 2}
    expected = [c["message"]["content"] for c in chat_completion(openai_request)["choices"]]
    assert (status, texts) == (200, expected) == (200, ["echo: a b", "echo: a b [1]"])
    assert answer["usageMetadata"]["totalTokenCount"] == TOTAL_TOKENS
    assert {c["finishReason"] for c in answer["candidates"]} == {"STOP"}


def test_json_mime_type_answers_json(gemini: GeminiBackend) -> None:
    """``responseMimeType: application/json`` answers ``{"echo": ...}`` as loopback's JSON mode."""
    body = {"contents": [_user("hi")], "generationConfig": {"responseMimeType": "application/json"}}
    _, raw = _call(gemini, "models/m:generateContent", body)
    assert json.loads(json.loads(raw)["candidates"][0]["content"]["parts"][0]["text"]) == {
        "echo": "hi"
    }


def test_stream_is_a_json_array_of_pieces(gemini: GeminiBackend) -> None:
    """Pieces join to the whole answer; the last one finishes and carries the usage."""
    body = {"contents": [_user("one two three four five")]}
    status, raw = _call(gemini, "models/m:streamGenerateContent", body)
    chunks = json.loads(raw)
    text = "".join(c["candidates"][0]["content"]["parts"][0]["text"] for c in chunks)
    assert (status, text) == (200, "echo: one two three four five")
    assert len(chunks) > 1 and "usageMetadata" in chunks[-1]
    assert [c["candidates"][0].get("finishReason") for c in chunks][-1] == "STOP"


def test_sse_stream(gemini: GeminiBackend) -> None:
    """``alt=sse`` sends the same chunks as server-sent events."""
    _, raw = _call(gemini, "models/m:streamGenerateContent?alt=sse", {"contents": [_user("x")]})
    events = [json.loads(line[6:]) for line in raw.decode().splitlines() if line]
    assert events[0]["candidates"][0]["content"]["parts"][0]["text"].startswith("echo:")


def test_embeddings_are_loopbacks(gemini: GeminiBackend) -> None:
    """The same vectors as loopback's for the same texts and sizes."""
    _, raw = _call(gemini, "models/e:embedContent", {"content": {"parts": [{"text": "a"}]}})
    assert json.loads(raw)["embedding"]["values"] == embedding_vector(
        "a", DEFAULT_EMBEDDING_DIMENSIONS
    )
    body = {
        "requests": [
            {"model": "models/e", "content": {"parts": [{"text": t}]}, "outputDimensionality": 8}
            for t in ("a", "b")
        ]
    }
    _, raw = _call(gemini, "models/e:batchEmbedContents", body)
    values = [e["values"] for e in json.loads(raw)["embeddings"]]
    assert values == [embedding_vector("a", 8), embedding_vector("b", 8)]


def test_models_and_unknown_routes(gemini: GeminiBackend) -> None:
    """Model listing and lookup; anything else is a Gemini 404."""
    _, raw = _call(gemini, "models")
    assert [m["name"] for m in json.loads(raw)["models"]][0] == "models/gemini-1.5-flash"
    _, raw = _call(gemini, "models/gemini-pro")
    assert json.loads(raw)["name"] == "models/gemini-pro"
    status, raw = _call(gemini, "tunedModels")
    assert (status, json.loads(raw)["error"]["status"]) == (404, "NOT_FOUND")


def test_scripted_failures_and_replies(gemini: GeminiBackend) -> None:
    """Failures carry Gemini error bodies; canned replies are sent verbatim."""
    gemini.queue_failure(429)
    completion = {
        "choices": [
            {
                "index": 0,
                "message": {
                    "content": None,
                    "tool_calls": [{"function": {"name": "f", "arguments": '{"a": 1}'}}],
                },
            }
        ]
    }
    gemini.queue_response(function_call_response(completion))
    status, raw = _call(gemini, "models/m:generateContent", {"contents": []})
    assert status == 429
    assert json.loads(raw)["error"] == {
        "code": 429,
        "message": "Scripted loopback error 429",
        "status": "RESOURCE_EXHAUSTED",
    }
    _, raw = _call(gemini, "models/m:generateContent", {"contents": []})
    part = json.loads(raw)["candidates"][0]["content"]["parts"][0]
    assert part == {"functionCall": {"name": "f", "args": {"a": 1}}}
    assert len(gemini.requests) == 2


# -- genai routed here ----------------------------------------------------------------------


def _program(body: str) -> str:
    return "import google.generativeai as genai\n" + textwrap.dedent(body)


def test_genai_builds_the_requests(harness: Backends) -> None:
    """Sync, streamed, async, embedding and model calls reach the backend, with the key."""
    source = _program(
        """\
        import asyncio

        model = genai.GenerativeModel("models/gemini-1.5-flash", system_instruction="S")
        print(model.generate_content("a").text)
        print("".join(c.text for c in model.generate_content("b", stream=True)))

        async def main():
            print((await model.generate_content_async("c")).text)
            stream = await model.generate_content_async("d", stream=True)
            print("".join([chunk.text async for chunk in stream]))

        asyncio.run(main())
        print(len(genai.embed_content(model="models/e", content="e")["embedding"]))
        print(genai.get_model("models/gemini-pro").name, len(list(genai.list_models())))
        print(model.count_tokens("f").total_tokens)
        """
    )
    run = run_original(source, backends=harness)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "echo: a",
        "echo: b",
        "echo: c",
        "echo: d",
        str(DEFAULT_EMBEDDING_DIMENSIONS),
        "models/gemini-pro 3",
        str(PROMPT_TOKENS),
    ]
    kinds = [(r.kind, r.model, r.stream) for r in run.requests]
    assert kinds == [
        ("chat", "gemini-1.5-flash", False),
        ("chat", "gemini-1.5-flash", True),
        ("chat", "gemini-1.5-flash", False),
        ("chat", "gemini-1.5-flash", True),
        ("embed", "e", False),
        ("get_model", "gemini-pro", False),
        ("list_models", "", False),
        ("count_tokens", "gemini-1.5-flash", False),
    ]
    assert {r.api_key for r in run.requests} == {"test-key"}
    assert run.requests[0].messages[0].role == "system"


def test_program_configuration_is_kept(harness: Backends) -> None:
    """The program's key is sent; its transport and endpoint choices are overridden."""
    source = _program(
        """\
        genai.configure(api_key="my-own-key", transport="grpc",
                        client_options={"api_endpoint": "example.invalid"})
        print(genai.GenerativeModel("m").generate_content("hi").text)
        """
    )
    (request,) = record_genai_requests(source, backends=harness)
    assert request.api_key == "my-own-key"


@pytest.mark.parametrize(
    ("status", "transport", "error"),
    [
        (429, None, "ResourceExhausted"),
        (400, None, "InvalidArgument"),
        (401, None, "Unauthenticated"),
        (500, "grpc", "InternalServerError"),
        (429, "rest", "TooManyRequests"),
    ],
)
def test_errors_are_those_of_the_programs_transport(
    harness: Backends, status: int, transport: str | None, error: str
) -> None:
    """gRPC (genai's default) raises google.rpc classes; a program that chose REST gets REST's."""
    configure = f"genai.configure(transport={transport!r})\n" if transport else ""
    source = _program(
        """\
        try:
            genai.GenerativeModel("m").generate_content("hi")
        except Exception as e:
            print(type(e).__name__, e.code)
        """
    ).replace("\ntry:", "\n" + configure + "try:")
    setup = {"failures": [{"status": status, "count": 3 if status in (429, 500) else 1}]}
    run = run_original(source, setup, backends=harness)
    assert run.stdout == f"{error} {status}\n", run.stderr
    assert len(run.requests) == 1  # no resend, not even of a 401
