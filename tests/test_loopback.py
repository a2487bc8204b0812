"""Direct tests of the loopback server (tests/loopback.py) through the real openai client."""

from __future__ import annotations

import openai
import pytest
from loopback import (
    COMPLETION_TOKENS,
    DEFAULT_EMBEDDING_DIMENSIONS,
    MODEL_IDS,
    PROMPT_TOKENS,
    TOTAL_TOKENS,
    LoopbackServer,
    embedding_vector,
)


def _client(server: LoopbackServer, max_retries: int = 2) -> openai.OpenAI:
    return openai.OpenAI(api_key="test-key", base_url=server.url, max_retries=max_retries)


def test_chat_completion_echoes_last_user_message(loopback: LoopbackServer) -> None:
    response = _client(loopback).chat.completions.create(
        model="gemini-1.5-flash",
        messages=[
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "echo: first"},
            {"role": "user", "content": [{"type": "text", "text": "second"}]},
        ],
        temperature=0.5,
        n=2,
    )
    assert [c.message.content for c in response.choices] == ["echo: second", "echo: second [1]"]
    assert response.choices[0].finish_reason == "stop"
    assert response.model == "gemini-1.5-flash"
    assert response.usage is not None
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (
        PROMPT_TOKENS,
        COMPLETION_TOKENS,
    )
    assert response.usage.total_tokens == TOTAL_TOKENS

    (request,) = loopback.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.json["temperature"] == 0.5
    assert request.json["n"] == 2


def test_json_response_format_gives_json_content(loopback: LoopbackServer) -> None:
    response = _client(loopback).chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "hi"}],
        response_format={"type": "json_object"},
    )
    assert response.choices[0].message.content == '{"echo": "hi"}'


def test_stream_with_usage(loopback: LoopbackServer) -> None:
    stream = _client(loopback).chat.completions.create(
        model="gemini-1.5-flash",
        messages=[{"role": "user", "content": "tell me a long story"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    deltas = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert len(deltas) > 1
    assert "".join(deltas) == "echo: tell me a long story"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == TOTAL_TOKENS
    assert all(c.usage is None for c in chunks[:-1])
    assert loopback.requests[0].json["stream"] is True


def test_stream_without_usage(loopback: LoopbackServer) -> None:
    chunks = list(
        _client(loopback).chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}], stream=True
        )
    )
    assert all(c.choices for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "echo: hi"


def test_embeddings_with_dimensions(loopback: LoopbackServer) -> None:
    client = _client(loopback)
    response = client.embeddings.create(model="text-embedding-004", input=["a", "b"], dimensions=3)
    assert [len(d.embedding) for d in response.data] == [3, 3]
    assert response.data[0].embedding == embedding_vector("a", 3)
    assert response.data[0].embedding != response.data[1].embedding
    # The SDK asks for base64 by default; an explicit float request yields the same numbers.
    assert loopback.requests[0].json["encoding_format"] == "base64"
    single = client.embeddings.create(
        model="text-embedding-004", input="a", encoding_format="float"
    )
    assert single.data[0].embedding == embedding_vector("a", DEFAULT_EMBEDDING_DIMENSIONS)
    assert embedding_vector("a", DEFAULT_EMBEDDING_DIMENSIONS)[:3] == embedding_vector("a", 3)


def test_queued_rate_limit_raises(loopback: LoopbackServer) -> None:
    loopback.queue_failure(429)
    with pytest.raises(openai.RateLimitError) as info:
        _client(loopback, max_retries=0).chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}]
        )
    assert info.value.status_code == 429
    assert len(loopback.requests) == 1
    # The queue is consumed: the next request succeeds.
    ok = _client(loopback, max_retries=0).chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hi"}]
    )
    assert ok.choices[0].message.content == "echo: hi"


def test_default_retries_are_fast_and_recorded(loopback: LoopbackServer) -> None:
    loopback.queue_failure(429, count=2)
    response = _client(loopback).chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hi"}]
    )
    assert response.choices[0].message.content == "echo: hi"
    assert len(loopback.requests) == 3


def test_queued_bad_request(loopback: LoopbackServer) -> None:
    loopback.queue_failure(400)
    with pytest.raises(openai.BadRequestError):
        _client(loopback).embeddings.create(model="m", input="x")
    assert len(loopback.requests) == 1  # 400 is not retried


def test_queued_canned_response(loopback: LoopbackServer) -> None:
    loopback.queue_response(
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "call_1",
                                "type": "function",
                                "function": {"name": "f", "arguments": "{}"},
                            }
                        ],
                    },
                }
            ],
        }
    )
    response = _client(loopback).chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hi"}]
    )
    tool_calls = response.choices[0].message.tool_calls
    assert tool_calls is not None and tool_calls[0].function.name == "f"


def test_models_list_and_retrieve(loopback: LoopbackServer) -> None:
    client = _client(loopback)
    assert [m.id for m in client.models.list()] == list(MODEL_IDS)
    assert client.models.retrieve("gemini-1.5-flash").id == "gemini-1.5-flash"
    assert client.models.retrieve("models/gemini-1.5-pro").id == "models/gemini-1.5-pro"
    assert [r.method for r in loopback.requests] == ["GET", "GET", "GET"]
    assert loopback.requests[0].path == "/v1/models"


def test_unknown_route_is_404(loopback: LoopbackServer) -> None:
    with pytest.raises(openai.NotFoundError):
        _client(loopback).completions.create(model="m", prompt="hi")


def test_reset_clears_requests_and_script(loopback: LoopbackServer) -> None:
    loopback.queue_failure(500, count=5)
    with pytest.raises(openai.InternalServerError):
        _client(loopback, max_retries=0).models.list()
    assert len(loopback.requests) == 1
    loopback.reset()
    assert loopback.requests == []
    assert _client(loopback, max_retries=0).models.retrieve("m").id == "m"
