"""A fake Gemini REST backend on loopback that answers like the OpenAI one of tests/loopback.py.

The original programs of the fixtures talk to it through the real ``google.generativeai`` or the
real ``google-genai`` (``from google import genai``; see ``tests/gemini_route/sitecustomize.py``
for how each is routed here). Stdlib only: it is a ``LoopbackServer`` (same lifecycle, recording,
scripting and body reading) whose handler speaks Gemini's REST dialect instead.
``GeminiBackend().start()`` listens on ``127.0.0.1`` (random port); ``backend.endpoint`` is
``http://127.0.0.1:PORT`` (genai's ``api_endpoint``, google-genai's base URL).

Paths start with an API version: ``/v1beta/`` (google.generativeai; google-genai with
``GOOGLE_GENAI_API_VERSION=beta`` or ``api_version="v1beta"``), ``/v1/`` (google-genai 3.6.1's
default) or any other ``/v<N>[alpha|beta][<M>]/`` (``split_path``); the version does not change
the answer. The answers are loopback's, computed from the same input, so a program and its
migration get the same canned content:

* ``POST /{version}/models/{m}:generateContent``: one candidate per ``candidateCount`` whose
  text is ``loopback.chat_contents`` of the request seen as OpenAI messages (the last ``user``
  turn's text parts joined with a space: ``"echo: <text>"``, ``{"echo": "<text>"}`` when
  ``responseMimeType`` is ``application/json``, ``" [i]"`` suffixes), ``finishReason`` ``STOP``,
  ``usageMetadata`` with loopback's ``PROMPT_TOKENS``/``COMPLETION_TOKENS``/``TOTAL_TOKENS``,
  ``modelVersion`` the requested model (what loopback echoes as ``model``) and ``responseId``
  loopback's ``COMPLETION_ID`` (its ``id``), so ``response.model_version`` / ``.response_id``
  print what the migration's ``response.model`` / ``.id`` print. No ``thoughtsTokenCount``:
  loopback reports no reasoning tokens either.
* ``:streamGenerateContent``: the pieces of ``loopback.chat_chunks`` as a JSON array of
  responses (what google.generativeai's REST transport reads; ``alt=sse``, google-genai's
  stream, gets the same as server-sent events); the last piece of each candidate carries
  ``finishReason``, the last chunk the usage; every chunk ``modelVersion`` and ``responseId``.
* ``:embedContent`` / ``:batchEmbedContents``: ``loopback.embedding_vector`` of each content's
  text (``outputDimensionality`` or ``DEFAULT_EMBEDDING_DIMENSIONS`` values).
* ``:countTokens``: ``totalTokens`` = ``PROMPT_TOKENS``.
* ``GET /{version}/models`` lists ``loopback.MODEL_IDS``; ``GET /{version}/models/{m}`` returns
  model ``models/{m}``.
* the Files API of both SDKs (google.generativeai's discovery document and uploads,
  google-genai's resumable uploads under ``/upload/{version}/files``, ``/{version}/files...``):
  answered from the store of ``tests/gemini_files.py``, not recorded and never scripted.
  Anything else: 404 with a Gemini error body.

Scripted responses work as loopback's, answering the next ``count`` requests whatever the
endpoint: ``queue_failure(429)`` sends ``{"error": {"code": 429, "message": ..., "status":
"RESOURCE_EXHAUSTED"}}`` (loopback's message by default, so both sides can print the same one;
google-genai's ``APIError`` reads ``code``, ``message`` and ``status`` from it),
``queue_response(body)`` a canned JSON body (``function_call_response`` builds one from an
OpenAI ``tool_calls`` completion), never streamed.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from http.server import ThreadingHTTPServer
from typing import Any

import gemini_files
import loopback
from loopback import (
    COMPLETION_ID,
    COMPLETION_TOKENS,
    DEFAULT_EMBEDDING_DIMENSIONS,
    MODEL_IDS,
    PROMPT_TOKENS,
    TOTAL_TOKENS,
    LoopbackServer,
    RecordedRequest,
    chat_chunks,
    chat_contents,
    embedding_vector,
    error_body,
)

API_PREFIX = "/v1beta/"
"""google.generativeai's API version (``url``); google-genai may send others (``split_path``)."""
API_VERSION = re.compile(r"/(v\d+(?:alpha|beta)?\d*)/")
JSON_MIME_TYPE = "application/json"

# google.rpc.Code names, as Google's REST errors carry them.
_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def gemini_error_body(status: int, message: str | None = None) -> dict[str, Any]:
    """A Gemini error body; the message defaults to loopback's for the same status."""
    text = message or error_body(status)["error"]["message"]
    name = _STATUS_NAMES.get(status, "UNKNOWN")
    return {"error": {"code": status, "message": text, "status": name}}


def as_openai_request(body: Mapping[str, Any]) -> dict[str, Any]:
    """What loopback needs of an OpenAI request equal to this ``generateContent`` body."""
    messages = [
        {
            "role": "user" if content.get("role", "user") == "user" else "assistant",
            "content": [
                {"type": "text", "text": part["text"]}
                for part in content.get("parts", [])
                if "text" in part
            ],
        }
        for content in body.get("contents", [])
    ]
    config = body.get("generationConfig") or {}
    request: dict[str, Any] = {"messages": messages, "n": config.get("candidateCount") or 1}
    if config.get("responseMimeType") == JSON_MIME_TYPE:
        request["response_format"] = {"type": "json_object"}
    return request


def _usage_metadata() -> dict[str, int]:
    return {
        "promptTokenCount": PROMPT_TOKENS,
        "candidatesTokenCount": COMPLETION_TOKENS,
        "totalTokenCount": TOTAL_TOKENS,
    }


def _candidate(index: int, text: str, finished: bool) -> dict[str, Any]:
    candidate: dict[str, Any] = {
        "index": index,
        "content": {"role": "model", "parts": [{"text": text}]},
    }
    if finished:
        candidate["finishReason"] = "STOP"
    return candidate


def _response_ids(model: str) -> dict[str, str]:
    """``modelVersion`` and ``responseId``: what loopback answers as ``model`` and ``id``."""
    return {"modelVersion": model, "responseId": COMPLETION_ID}


def generate_content_response(body: Mapping[str, Any], model: str = "") -> dict[str, Any]:
    """A ``GenerateContentResponse`` answering a ``generateContent`` body for ``model``."""
    texts = chat_contents(as_openai_request(body))
    return {
        "candidates": [_candidate(i, text, True) for i, text in enumerate(texts)],
        "usageMetadata": _usage_metadata(),
        **_response_ids(model),
    }


def stream_chunks(body: Mapping[str, Any], model: str = "") -> list[dict[str, Any]]:
    """The responses of a streamed answer: loopback's content deltas, one per chunk."""
    pieces: dict[int, list[str]] = {}
    for chunk in chat_chunks(as_openai_request(body)):
        for choice in chunk["choices"]:
            if choice["delta"].get("content"):
                pieces.setdefault(choice["index"], []).append(choice["delta"]["content"])
    chunks = [
        {"candidates": [_candidate(index, piece, n == len(texts) - 1)], **_response_ids(model)}
        for index, texts in sorted(pieces.items())
        for n, piece in enumerate(texts)
    ]
    chunks[-1]["usageMetadata"] = _usage_metadata()
    return chunks


def _content_text(content: Mapping[str, Any]) -> str:
    return " ".join(str(p["text"]) for p in content.get("parts", []) if "text" in p)


def _embedding(request: Mapping[str, Any]) -> dict[str, Any]:
    size = int(request.get("outputDimensionality") or DEFAULT_EMBEDDING_DIMENSIONS)
    return {"values": embedding_vector(_content_text(request.get("content") or {}), size)}


def model_resource(name: str) -> dict[str, Any]:
    """A ``Model`` resource named ``name`` (``models/...``)."""
    base = name.split("/", 1)[-1]
    return {
        "name": name,
        "baseModelId": base,
        "version": "001",
        "displayName": base,
        "description": "",
        "inputTokenLimit": 1048576,
        "outputTokenLimit": 8192,
        "supportedGenerationMethods": ["generateContent", "countTokens", "embedContent"],
    }


def function_call_response(completion: Mapping[str, Any]) -> dict[str, Any]:
    """The Gemini counterpart of a canned OpenAI completion (``tool_calls`` become
    ``functionCall`` parts, text becomes a text part)."""
    candidates = []
    for choice in completion.get("choices", []):
        message = choice.get("message") or {}
        parts: list[dict[str, Any]] = []
        if message.get("content"):
            parts.append({"text": message["content"]})
        for call in message.get("tool_calls") or []:
            function = call["function"]
            args = json.loads(function.get("arguments") or "{}")
            parts.append({"functionCall": {"name": function["name"], "args": args}})
        candidates.append(
            {
                "index": choice.get("index", 0),
                "content": {"role": "model", "parts": parts},
                "finishReason": "STOP",
            }
        )
    return {"candidates": candidates, "usageMetadata": _usage_metadata()}


def split_path(path: str) -> tuple[str, str] | None:
    """``(resource, action)`` of a Gemini REST path ``/{version}/{resource}[:{action}]`` (the
    resource still percent-encoded), or None when the path has no API version."""
    match = API_VERSION.match(path)
    if match is None:
        return None
    resource, _, action = path[match.end() :].partition(":")
    return resource, action


def route(method: str, path: str, body: Mapping[str, Any]) -> tuple[int, Any]:
    """Status and payload for a request; a list payload is a stream of chunks."""
    split = split_path(path)
    if split is None:
        return 404, gemini_error_body(404, f"No Gemini route for {method} {path}")
    resource, action = split
    if method == "POST" and action in _ANSWERS:
        model = urllib.parse.unquote(resource).removeprefix("models/")
        return 200, _ANSWERS[action](body, model)
    if method == "POST" and action in _ACTIONS:
        return 200, _ACTIONS[action](body)
    if method == "GET" and resource == "models" and not action:
        return 200, {"models": [model_resource(m) for m in MODEL_IDS]}
    if method == "GET" and resource.startswith("models/") and not action:
        return 200, model_resource(urllib.parse.unquote(resource))
    return 404, gemini_error_body(404, f"No Gemini route for {method} {path}")


# Answers that name the requested model (``modelVersion``), and answers that do not.
_ANSWERS = {"generateContent": generate_content_response, "streamGenerateContent": stream_chunks}
_ACTIONS = {
    "embedContent": lambda body: {"embedding": _embedding(body)},
    "batchEmbedContents": lambda body: {
        "embeddings": [_embedding(r) for r in body.get("requests", [])]
    },
    "countTokens": lambda body: {"totalTokens": PROMPT_TOKENS},
}


class _Handler(loopback._Handler):
    server_version = "loopback-gemini/1"

    def _handle(self) -> None:
        split = urllib.parse.urlsplit(self.path)
        if gemini_files.is_files_request(split.path):  # served from a store, not recorded
            query = dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True))
            headers = {k.lower(): v for k, v in self.headers.items()}
            endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
            status, payload, extra = gemini_files.answer(endpoint, self.command, split.path, query, headers, self._read_body())
            self._send_json(status, payload, extra)
            return
        self.server.note_arrival()  # type: ignore[attr-defined]
        super()._handle()

    def _route(self, req: RecordedRequest) -> tuple[int, Any]:
        body = req.json if isinstance(req.json, dict) else {}
        self._sse = req.query.get("alt") == "sse"
        return route(req.method, req.path, body)

    def _send_sse(self, chunks: list[dict[str, Any]]) -> None:
        # loopback's _handle sends every list payload (a stream) through this method.
        events = list(_sse_events(chunks) if self._sse else _json_array(chunks))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream" if self._sse else JSON_MIME_TYPE)
        self.send_header("Content-Length", str(sum(len(e) for e in events)))
        self.end_headers()
        for event in events:
            self.wfile.write(event)
            self.wfile.flush()


def _sse_events(chunks: list[dict[str, Any]]) -> Iterator[bytes]:
    for chunk in chunks:
        yield f"data: {json.dumps(chunk)}\n\n".encode()


def _json_array(chunks: list[dict[str, Any]]) -> Iterator[bytes]:
    for index, chunk in enumerate(chunks):
        yield (("[" if index == 0 else ",\r\n") + json.dumps(chunk)).encode()
    yield b"]"


class GeminiBackend(LoopbackServer):
    """Fake Gemini REST backend; see the module docstring.

    ``order_hint`` (optional) is called as each request arrives; ``order_hints`` holds its
    results in arrival order (the harness passes the number of requests another server has
    received, to interleave the two records).
    """

    def __init__(self, order_hint: Callable[[], int] | None = None) -> None:
        super().__init__()
        self._order_hint = order_hint or (lambda: 0)
        self._hints: list[int] = []

    def _note_arrival(self) -> None:
        hint = self._order_hint()
        with self._state.lock:
            self._hints.append(hint)

    @property
    def order_hints(self) -> list[int]:
        """``order_hint()`` at the arrival of each request, in arrival order."""
        with self._state.lock:
            return list(self._hints)

    def reset(self) -> None:
        """Forget recorded requests, order hints, pending scripted responses and uploaded files."""
        super().reset()
        with self._state.lock:
            self._hints.clear()
        if self._httpd is not None:
            gemini_files.forget(self.endpoint)

    def start(self) -> GeminiBackend:
        """Bind 127.0.0.1:0 and serve in a daemon thread."""
        if self._httpd is None:
            self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
            self._httpd.daemon_threads = True
            self._httpd.loopback_state = self._state  # type: ignore[attr-defined]
            self._httpd.note_arrival = self._note_arrival  # type: ignore[attr-defined]
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    @property
    def endpoint(self) -> str:
        """genai's ``api_endpoint``: ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The API root, ``http://127.0.0.1:PORT/v1beta/``."""
        return self.endpoint + API_PREFIX

    def queue_failure(
        self,
        status: int,
        count: int = 1,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer the next ``count`` requests with ``status`` and a Gemini error body."""
        payload = gemini_error_body(status) if body is None else body
        self._queue(status, count, payload, dict(headers or {}))
