"""A tiny OpenAI-compatible HTTP server on loopback, for executing migrated code in tests.

Stdlib only. ``LoopbackServer().start()`` listens on ``127.0.0.1`` (random port) in a daemon
thread; ``server.url`` is ``http://127.0.0.1:PORT/v1/`` (use it as the client's ``base_url``).
Every request is recorded (``server.requests``: method, raw path, query, lower-cased headers,
parsed JSON body) in a thread-safe list; ``server.reset()`` clears it and the script queue.

Endpoints (matched on the end of the path, so any prefix such as ``/v1`` works):

* ``POST .../chat/completions``: a ``chat.completion`` whose message content is
  ``"echo: " + <text of the last user message>`` (list contents: the ``text`` parts joined with a
  space). With ``n`` > 1, choice ``i`` >= 1 gets the suffix ``" [i]"``. When ``response_format``
  asks for JSON (``json_object``/``json_schema``), the content is ``{"echo": "<text>"}`` instead.
  ``finish_reason`` is ``"stop"``; ``usage`` is the fixed ``PROMPT_TOKENS``/``COMPLETION_TOKENS``/
  ``TOTAL_TOKENS``. With ``"stream": true`` the same content is sent as ``text/event-stream``
  ``chat.completion.chunk`` events (a role delta, a few content deltas, a finish delta per
  choice), then a usage chunk with empty ``choices`` when ``stream_options.include_usage`` is
  true, then ``data: [DONE]``.
* ``POST .../embeddings``: one vector per input (a string, a list of strings, a token list or a
  list of token lists) of ``dimensions`` floats (default ``DEFAULT_EMBEDDING_DIMENSIONS``),
  derived from a SHA-256 of the input and exact in float32 (multiples of 1/16), so base64
  (the SDK's default ``encoding_format``) and float encodings decode to the same numbers.
* ``GET .../models`` lists ``MODEL_IDS``; ``GET .../models/{id}`` returns a model whose ``id``
  is the (URL-decoded) ``{id}`` as requested. Anything else: 404 with an OpenAI-style error.

Scripted responses: ``server.queue_failure(429, count=3)`` makes the next 3 requests (any
endpoint) fail with that status, an OpenAI-style error body and a ``retry-after-ms: 1`` header.
The openai SDK retries 408/409/429/5xx ``max_retries`` times (default 2; there is no environment
variable for it) and honours ``retry-after-ms``, so retries are instant but each attempt is a
request: to make a default client raise ``RateLimitError`` queue 3 failures (and expect 3
recorded requests). Pass ``headers={"x-should-retry": "false"}`` to stop the SDK retrying.
``server.queue_response(body)`` returns a canned 200 JSON body (e.g. a completion with
``tool_calls``) for the next request; it is always plain JSON, never a stream.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import threading
import urllib.parse
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

PROMPT_TOKENS = 10
COMPLETION_TOKENS = 5
TOTAL_TOKENS = PROMPT_TOKENS + COMPLETION_TOKENS
CREATED = 1700000000
COMPLETION_ID = "chatcmpl-loopback"
DEFAULT_EMBEDDING_DIMENSIONS = 4
MODEL_IDS = ("models/gemini-1.5-flash", "models/gemini-1.5-pro", "models/text-embedding-004")

_ERROR_KINDS = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("authentication_error", "invalid_api_key"),
    403: ("permission_error", "permission_denied"),
    404: ("not_found_error", "not_found"),
    409: ("conflict_error", "conflict"),
    422: ("invalid_request_error", "unprocessable_entity"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
}


def error_body(status: int, message: str | None = None) -> dict[str, Any]:
    """An OpenAI-style error body for ``status``."""
    kind, code = _ERROR_KINDS.get(status, ("server_error", "server_error"))
    return {
        "error": {
            "message": message or f"Scripted loopback error {status}",
            "type": kind,
            "param": None,
            "code": code,
        }
    }


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received by the server."""

    method: str
    path: str
    """Raw (still percent-encoded) path, without the query string."""
    query: dict[str, str]
    headers: dict[str, str]
    """Header names lower-cased."""
    json: Any
    """Parsed JSON body, or ``None`` when there is no (valid) JSON body."""
    body: bytes = b""

    def summary(self) -> dict[str, Any]:
        """The parts worth showing in an assertion message."""
        return {"method": self.method, "path": self.path, "json": self.json}


@dataclass
class _Scripted:
    status: int
    body: Any
    headers: dict[str, str]
    remaining: int


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[RecordedRequest] = field(default_factory=list)
    script: deque[_Scripted] = field(default_factory=deque)


class LoopbackServer:
    """OpenAI-compatible test server; see the module docstring."""

    def __init__(self) -> None:
        self._state = _State()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> LoopbackServer:
        """Bind 127.0.0.1:0 and serve in a daemon thread."""
        if self._httpd is not None:
            return self
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        httpd.daemon_threads = True
        httpd.loopback_state = self._state  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port."""
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL for the client, ``http://127.0.0.1:PORT/v1/``."""
        return f"http://127.0.0.1:{self.port}/v1/"

    # -- recording and scripting -----------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of the requests received so far, in arrival order."""
        with self._state.lock:
            return list(self._state.requests)

    def reset(self) -> None:
        """Forget recorded requests and pending scripted responses."""
        with self._state.lock:
            self._state.requests.clear()
            self._state.script.clear()

    def queue_failure(
        self,
        status: int,
        count: int = 1,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer the next ``count`` requests with ``status`` and an OpenAI-style error body.

        ``retry-after-ms: 1`` is sent unless ``headers`` overrides it.
        """
        merged = {"retry-after-ms": "1"}
        merged.update(headers or {})
        self._queue(status, count, error_body(status) if body is None else body, merged)

    def queue_response(
        self,
        body: Any,
        status: int = 200,
        count: int = 1,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer the next ``count`` requests with this JSON ``body`` verbatim."""
        self._queue(status, count, body, dict(headers or {}))

    def _queue(self, status: int, count: int, body: Any, headers: dict[str, str]) -> None:
        if count < 1:
            raise ValueError("count must be >= 1")
        with self._state.lock:
            self._state.script.append(_Scripted(status, body, headers, count))


# -- response builders ---------------------------------------------------------------------


def _text_of(content: Any) -> str:
    """Text of a message ``content`` (a string or a list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            str(part.get("text", ""))
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
        ]
        return " ".join(texts)
    return ""


def chat_contents(request: Mapping[str, Any]) -> list[str]:
    """The message content of each choice the server answers ``request`` with."""
    text = ""
    for message in request.get("messages") or []:
        if isinstance(message, dict) and message.get("role") == "user":
            text = _text_of(message.get("content"))
    n = request.get("n") or 1
    fmt = request.get("response_format")
    wants_json = isinstance(fmt, dict) and fmt.get("type") in ("json_object", "json_schema")
    contents = []
    for i in range(int(n)):
        suffix = f" [{i}]" if i else ""
        if wants_json:
            contents.append(json.dumps({"echo": text + suffix}))
        else:
            contents.append(f"echo: {text}{suffix}")
    return contents


def _usage() -> dict[str, int]:
    return {
        "prompt_tokens": PROMPT_TOKENS,
        "completion_tokens": COMPLETION_TOKENS,
        "total_tokens": TOTAL_TOKENS,
    }


def chat_completion(request: Mapping[str, Any]) -> dict[str, Any]:
    """A non-streaming ``chat.completion`` answering ``request``."""
    choices = [
        {
            "index": i,
            "message": {"role": "assistant", "content": content, "refusal": None},
            "finish_reason": "stop",
            "logprobs": None,
        }
        for i, content in enumerate(chat_contents(request))
    ]
    return {
        "id": COMPLETION_ID,
        "object": "chat.completion",
        "created": CREATED,
        "model": request.get("model", ""),
        "choices": choices,
        "usage": _usage(),
    }


def _split(content: str) -> list[str]:
    """Split ``content`` into at most 3 non-empty pieces on word boundaries."""
    words = re.findall(r"\S+\s*|\s+", content)
    if len(words) <= 3:
        return words or [""]
    size = -(-len(words) // 3)
    return ["".join(words[i : i + size]) for i in range(0, len(words), size)]


def chat_chunks(request: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``chat.completion.chunk`` objects of a streamed answer to ``request``."""
    opts = request.get("stream_options")
    include_usage = isinstance(opts, dict) and bool(opts.get("include_usage"))
    model = request.get("model", "")

    def chunk(choices: list[dict[str, Any]], usage: Any = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": COMPLETION_ID,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "choices": choices,
        }
        if include_usage:
            out["usage"] = usage
        return out

    def choice(index: int, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {"index": index, "delta": delta, "finish_reason": finish, "logprobs": None}

    chunks = []
    for i, content in enumerate(chat_contents(request)):
        chunks.append(chunk([choice(i, {"role": "assistant", "content": ""})]))
        for piece in _split(content):
            chunks.append(chunk([choice(i, {"content": piece})]))
        chunks.append(chunk([choice(i, {}, "stop")]))
    if include_usage:
        chunks.append(chunk([], _usage()))
    return chunks


def embedding_vector(item: Any, dimensions: int) -> list[float]:
    """Deterministic vector for one embedding input; values are multiples of 1/16 in [-1, 1)."""
    seed = json.dumps(item, sort_keys=True).encode()
    out: list[float] = []
    counter = 0
    while len(out) < dimensions:
        digest = hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        out.extend((b % 32 - 16) / 16 for b in digest)
        counter += 1
    return out[:dimensions]


def embeddings_response(request: Mapping[str, Any]) -> dict[str, Any]:
    """A ``list`` of embeddings answering ``request``."""
    raw = request.get("input")
    if isinstance(raw, str) or (isinstance(raw, list) and raw and isinstance(raw[0], int)):
        items: list[Any] = [raw]
    else:
        items = list(raw) if isinstance(raw, list) else [raw]
    dimensions = request.get("dimensions") or DEFAULT_EMBEDDING_DIMENSIONS
    base64_out = request.get("encoding_format") == "base64"
    data = []
    for index, item in enumerate(items):
        vector = embedding_vector(item, int(dimensions))
        encoded: Any = vector
        if base64_out:
            encoded = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
        data.append({"object": "embedding", "index": index, "embedding": encoded})
    return {
        "object": "list",
        "data": data,
        "model": request.get("model", ""),
        "usage": {"prompt_tokens": PROMPT_TOKENS, "total_tokens": PROMPT_TOKENS},
    }


def model_object(model_id: str) -> dict[str, Any]:
    """A ``model`` object."""
    return {"id": model_id, "object": "model", "created": CREATED, "owned_by": "google"}


# -- HTTP plumbing -------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "loopback-openai/1"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    @property
    def _state(self) -> _State:
        return self.server.loopback_state  # type: ignore[attr-defined,no-any-return]

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(parts)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        split = urllib.parse.urlsplit(self.path)
        body = self._read_body()
        try:
            parsed: Any = json.loads(body) if body else None
        except ValueError:
            parsed = None
        record = RecordedRequest(
            method=self.command,
            path=split.path,
            query=dict(urllib.parse.parse_qsl(split.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            json=parsed,
            body=body,
        )
        with self._state.lock:
            self._state.requests.append(record)
            scripted = self._state.script[0] if self._state.script else None
            if scripted is not None:
                scripted.remaining -= 1
                if scripted.remaining == 0:
                    self._state.script.popleft()
        if scripted is not None:
            self._send_json(scripted.status, scripted.body, scripted.headers)
            return
        if body and parsed is None:
            self._send_json(400, error_body(400, "Request body is not valid JSON"))
            return
        status, payload = self._route(record)
        if isinstance(payload, list):
            self._send_sse(payload)
        else:
            self._send_json(status, payload)

    def _route(self, req: RecordedRequest) -> tuple[int, Any]:
        path = req.path.rstrip("/")
        body = req.json if isinstance(req.json, dict) else {}
        if req.method == "POST" and path.endswith("/chat/completions"):
            messages = body.get("messages")
            if not isinstance(body.get("model"), str) or not body.get("model"):
                return 400, error_body(400, "`model` must be a non-empty string")
            if not isinstance(messages, list) or not messages:
                return 400, error_body(400, "`messages` must be a non-empty list")
            if body.get("stream"):
                return 200, chat_chunks(body)
            return 200, chat_completion(body)
        if req.method == "POST" and path.endswith("/embeddings"):
            if not isinstance(body.get("model"), str) or "input" not in body:
                return 400, error_body(400, "`model` and `input` are required")
            return 200, embeddings_response(body)
        if req.method == "GET" and path.endswith("/models"):
            return 200, {"object": "list", "data": [model_object(m) for m in MODEL_IDS]}
        if req.method == "GET" and "/models/" in path:
            model_id = urllib.parse.unquote(path.split("/models/", 1)[1])
            return 200, model_object(model_id)
        return 404, error_body(404, f"No loopback route for {req.method} {req.path}")

    def _send_json(
        self, status: int, payload: Any, headers: Mapping[str, str] | None = None
    ) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _send_sse(self, chunks: list[dict[str, Any]]) -> None:
        events = [f"data: {json.dumps(c)}\n\n".encode() for c in chunks]
        events.append(b"data: [DONE]\n\n")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", str(sum(len(e) for e in events)))
        self.end_headers()
        for event in events:
            self.wfile.write(event)
            self.wfile.flush()
