"""The fake Gemini backend (tests/gemini_backend.py) and the routes of google.generativeai and
google-genai to it (gemini_route/, differential.script_env)."""

from __future__ import annotations

import json
import textwrap
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from differential import Backends, record_genai_requests, run_original, script_env
from gemini_backend import GeminiBackend, function_call_response, split_path
from loopback import (
    COMPLETION_ID,
    DEFAULT_EMBEDDING_DIMENSIONS,
    PROMPT_TOKENS,
    TOTAL_TOKENS,
    chat_completion,
    embedding_vector,
)
from test_execute_fixtures import TIMEOUT_S
from warm_runner import run_cold


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


def _call(
    server: GeminiBackend, path: str, body: Any = None, version: str = "v1beta"
) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{server.endpoint}/{version}/{path}", data=data)
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


def _post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, Any, Any]:
    """Status, JSON body and headers of a POST (the upload protocol answers in headers)."""
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


def test_google_genai_uploads_are_served_not_recorded_nor_scripted(gemini: GeminiBackend) -> None:
    """google-genai's resumable upload under ``/upload/v1/files`` (start, then the bytes at the
    ``X-Goog-Upload-URL`` answered) and the file's ``/v1/files/{id}`` are answered from the
    store: the scripted failure waits for the generate call, the one request recorded."""
    gemini.queue_failure(429)
    start = {
        "Content-Type": "application/json",
        "X-Goog-Upload-Protocol": "resumable",
        "X-Goog-Upload-Command": "start",
        "X-Goog-Upload-Header-Content-Length": "5",
        "X-Goog-Upload-Header-Content-Type": "text/plain",
    }
    metadata = json.dumps({"file": {"mime_type": "text/plain", "size_bytes": 5}}).encode()
    status, _, headers = _post(f"{gemini.endpoint}/upload/v1/files", metadata, start)
    assert (status, headers["X-Goog-Upload-Status"]) == (200, "active")
    finalize = {"X-Goog-Upload-Command": "upload, finalize", "X-Goog-Upload-Offset": "0"}
    status, answer, headers = _post(headers["X-Goog-Upload-URL"], b"hello", finalize)
    assert (status, headers["X-Goog-Upload-Status"]) == (200, "final")
    name = answer["file"]["name"]
    status, raw = _call(gemini, name, version="v1")
    assert (status, json.loads(raw)) == (200, answer["file"])
    part = {"fileData": {"fileUri": answer["file"]["uri"], "mimeType": "text/plain"}}
    status, _ = _call(gemini, "models/m:generateContent", {"contents": [{"parts": [part]}]}, "v1")
    assert status == 429
    assert [r.path for r in gemini.requests] == ["/v1/models/m:generateContent"]


@pytest.mark.parametrize("version", ["v1", "v1beta", "v1alpha"])
def test_every_api_version_is_answered(gemini: GeminiBackend, version: str) -> None:
    """google-genai's default ``/v1/`` and the others get the same answers."""
    status, raw = _call(gemini, "models/m:generateContent", {"contents": [_user("hi")]}, version)
    assert status == 200
    assert json.loads(raw)["candidates"][0]["content"]["parts"][0]["text"] == "echo: hi"
    status, raw = _call(gemini, "models", version=version)
    assert (status, len(json.loads(raw)["models"])) == (200, 3)


def test_responses_name_model_and_id(gemini: GeminiBackend) -> None:
    """``modelVersion`` is the requested model and ``responseId`` loopback's id, in every chunk."""
    _, raw = _call(gemini, "models/gemini-2.5-flash:generateContent", {"contents": [_user("x")]})
    answer = json.loads(raw)
    assert (answer["modelVersion"], answer["responseId"]) == ("gemini-2.5-flash", COMPLETION_ID)
    _, raw = _call(gemini, "models/m:streamGenerateContent", {"contents": [_user("a b c d")]})
    assert {(c["modelVersion"], c["responseId"]) for c in json.loads(raw)} == {("m", COMPLETION_ID)}


@pytest.mark.parametrize(
    ("path", "split"),
    [
        ("/v1/models/m:generateContent", ("models/m", "generateContent")),
        ("/v1beta/models", ("models", "")),
        ("/v1alpha/models/models%2Fm", ("models/models%2Fm", "")),
        ("/v1/chat/completions", ("chat/completions", "")),
        ("/upload/v1beta/files", None),
        ("/models/m:generateContent", None),
    ],
)
def test_split_path(path: str, split: tuple[str, str] | None) -> None:
    """A Gemini path is an API version, a resource and an optional action."""
    assert split_path(path) == split


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


# -- google-genai routed here ---------------------------------------------------------------


def _genai_program(body: str) -> str:
    header = "from google import genai\nfrom google.genai import errors, types\n"
    return header + textwrap.dedent(body)


def test_google_genai_builds_the_requests(harness: Backends) -> None:
    """google-genai's sync, streamed, chat, async, embedding, token and model calls reach the
    backend through ``GOOGLE_GEMINI_BASE_URL``, with the environment's key."""
    source = _genai_program(
        """\
        import asyncio

        client = genai.Client()
        config = types.GenerateContentConfig(system_instruction="S", temperature=0.5)
        r = client.models.generate_content(model="gemini-2.5-flash", contents="a", config=config)
        print(r.text, r.model_version, r.response_id)
        stream = client.models.generate_content_stream(model="gemini-2.5-flash", contents="b")
        print("".join(c.text for c in stream))
        chat = client.chats.create(model="gemini-2.5-flash")
        print(chat.send_message("c").text, chat.send_message("d").text)

        async def main():
            r = await client.aio.models.generate_content(model="gemini-2.5-flash", contents="e")
            print(r.text)

        asyncio.run(main())
        print(len(client.models.embed_content(model="e", contents="f").embeddings))
        print(client.models.count_tokens(model="gemini-2.5-flash", contents="g").total_tokens)
        print(client.models.get(model="gemini-pro").name, len(list(client.models.list())))
        """
    )
    run = run_original(source, backends=harness)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        f"echo: a gemini-2.5-flash {COMPLETION_ID}",
        "echo: b",
        "echo: c echo: d",
        "echo: e",
        "1",
        str(PROMPT_TOKENS),
        "models/gemini-pro 3",
    ]
    kinds = [(r.kind, r.model, r.stream, len(r.messages)) for r in run.requests]
    assert kinds == [
        ("chat", "gemini-2.5-flash", False, 2),
        ("chat", "gemini-2.5-flash", True, 1),
        ("chat", "gemini-2.5-flash", False, 1),
        ("chat", "gemini-2.5-flash", False, 3),
        ("chat", "gemini-2.5-flash", False, 1),
        ("embed", "e", False, 0),
        ("count_tokens", "gemini-2.5-flash", False, 1),
        ("get_model", "gemini-pro", False, 0),
        ("list_models", "", False, 0),
    ]
    assert {r.api_key for r in run.requests} == {"test-key"}
    assert run.requests[0].params == (("temperature", "0.5"),)


def test_google_genai_base_url_on_googles_host_is_routed(
    gemini: GeminiBackend, tmp_path: Path
) -> None:
    """A program's own base URL naming Google's host reaches the backend; its API version and
    key are kept."""
    script = tmp_path / "input.py"
    script.write_text(
        _genai_program(
            """\
            options = types.HttpOptions(
                base_url="https://generativelanguage.googleapis.com/", api_version="v1alpha"
            )
            client = genai.Client(api_key="own-key", http_options=options)
            print(client.models.generate_content(model="m", contents="hi").text)
            """
        )
    )
    result = run_cold(script, tmp_path, script_env(gemini.endpoint), TIMEOUT_S)
    assert (result.returncode, result.stdout) == (0, "echo: hi\n"), result.stderr
    (request,) = gemini.requests
    assert request.path == "/v1alpha/models/m:generateContent"
    assert request.headers["x-goog-api-key"] == "own-key"


@pytest.mark.parametrize(
    "client",
    [
        'genai.Client(vertexai=True, api_key="k")',
        'genai.Client(http_options={"base_url": "https://gateway.example.invalid/"})',
    ],
)
def test_google_genai_other_hosts_are_not_routed(harness: Backends, client: str) -> None:
    """A Vertex AI client or a gateway of the program's own is never passed off as Gemini's:
    it fails offline and the backend hears nothing."""
    source = _genai_program(
        f"""\
        client = {client}
        try:
            client.models.generate_content(model="m", contents="hi")
        except Exception as e:
            print("offline", type(e).__name__)
        """
    )
    run = run_original(source, backends=harness)
    assert run.stdout.startswith("offline"), run.stderr
    assert run.requests == ()


@pytest.mark.parametrize(
    ("status", "error", "name"),
    [
        (429, "ClientError", "RESOURCE_EXHAUSTED"),
        (400, "ClientError", "INVALID_ARGUMENT"),
        (503, "ServerError", "UNAVAILABLE"),
    ],
)
def test_google_genai_errors_read_the_error_body(
    harness: Backends, status: int, error: str, name: str
) -> None:
    """google-genai raises ClientError/ServerError with the body's code, status and message,
    after one attempt: its default client does not retry, not even a 503."""
    source = _genai_program(
        """\
        client = genai.Client()
        try:
            client.models.generate_content(model="m", contents="hi")
        except errors.APIError as e:
            print(type(e).__name__, e.code, e.status, e.message)
        print(client.models.generate_content(model="m", contents="again").text)
        """
    )
    setup = {"failures": [{"status": status, "count": 1 if status == 400 else 3}]}
    run = run_original(source, setup, backends=harness)
    assert run.stdout.splitlines() == [
        f"{error} {status} {name} Scripted loopback error {status}",
        "echo: again",
    ], run.stderr
    assert [r.messages[-1].parts[0].value for r in run.requests] == ["hi", "again"]
