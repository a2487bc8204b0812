"""The request normaliser (tests/normalize.py): what it equates, and that it can tell apart."""

from __future__ import annotations

import base64
import copy
import io
from typing import Any

import pytest
from loopback import RecordedRequest
from normalize import (
    _SCHEMA_TYPES,
    _TOOL_MODES,
    DROPPED,
    NormalisedRequest,
    UnknownField,
    normalise,
)
from PIL import Image

KEY = "test-key"


def _image(color: tuple[int, int, int], fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 2), color).save(out, format=fmt, **options)
    return out.getvalue()


PNG_RED = _image((255, 0, 0), "PNG")
WEBP_RED = _image((255, 0, 0), "WEBP", lossless=True)
PNG_BLUE = _image((0, 0, 255), "PNG")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def gemini(
    body: dict[str, Any], action: str = "generateContent", model: str = "m"
) -> RecordedRequest:
    """A Gemini REST request as genai sends it."""
    return RecordedRequest(
        "POST",
        f"/v1beta/models/{model}:{action}",
        {"$alt": "json;enum-encoding=int"},
        {"x-goog-api-key": KEY},
        body,
    )


def openai(body: dict[str, Any], path: str = "/v1/chat/completions") -> RecordedRequest:
    """An OpenAI request as the SDK sends it."""
    return RecordedRequest("POST", path, {}, {"authorization": f"Bearer {KEY}"}, body)


GEMINI_CHAT: dict[str, Any] = {
    "systemInstruction": {"parts": [{"text": "Be brief."}]},
    "contents": [
        {"role": "user", "parts": [{"text": "Hi"}]},
        {"role": "model", "parts": [{"text": "Hello."}]},
        {
            "role": "user",
            "parts": [
                {"text": "What is this?"},
                {"inlineData": {"mimeType": "image/png", "data": _b64(PNG_RED)}},
            ],
        },
    ],
    "generationConfig": {
        "temperature": 0.7,
        "topP": 0.95,
        "topK": 40,
        "maxOutputTokens": 100,
        "candidateCount": 2,
        "stopSequences": ["END"],
        "responseMimeType": "application/json",
        "responseSchema": {
            "type": 6,
            "properties": {"tags": {"type": 5, "items": {"type": 1}, "minItems": "1"}},
            "required": ["tags"],
        },
    },
    "safetySettings": [{"category": 10, "threshold": 4}],
    "tools": [
        {
            "functionDeclarations": [
                {
                    "name": "f",
                    "description": "F.",
                    "parameters": {"type": 6, "properties": {"a": {"type": 3}}},
                }
            ]
        }
    ],
    "toolConfig": {"functionCallingConfig": {"mode": 2, "allowedFunctionNames": ["f"]}},
}

OPENAI_CHAT: dict[str, Any] = {
    "model": "m",
    "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Hi"}]},
        {"role": "assistant", "content": "Hello."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is this?"},
                {
                    "type": "image_url",
                    "image_url": {"url": "data:image/webp;base64," + _b64(WEBP_RED)},
                },
            ],
        },
    ],
    "temperature": 0.7,
    "top_p": 0.95,
    "max_tokens": 100,
    "n": 2,
    "stop": "END",
    "response_format": {
        "type": "json_schema",
        "json_schema": {
            "name": "response",
            "schema": {
                "type": "object",
                "properties": {
                    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1}
                },
                "required": ["tags"],
            },
        },
    },
    "tools": [
        {
            "type": "function",
            "function": {
                "name": "f",
                "description": "F.",
                "parameters": {"type": "OBJECT", "properties": {"a": {"type": "integer"}}},
            },
        }
    ],
    "tool_choice": {"type": "function", "function": {"name": "f"}},
    "stream_options": {"include_usage": True},
}


def test_the_same_request_in_both_dialects() -> None:
    """System instruction, roles, parts, options, schema, tools and tool choice line up."""
    original, migrated = normalise(gemini(GEMINI_CHAT)), normalise(openai(OPENAI_CHAT))
    assert original == migrated, (original.describe(), migrated.describe())
    assert [m.role for m in original.messages] == ["system", "user", "assistant", "user"]
    assert original.api_key == KEY and original.model == "m"


def _changed(body: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    target = out
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["temperature"], 0.8),
        (["messages", 0], _DELETE),  # the system message
        (
            ["messages", 3, "content", 1, "image_url", "url"],
            "data:image/png;base64," + _b64(PNG_BLUE),
        ),
        (["messages", 3, "content"], list(reversed(OPENAI_CHAT["messages"][3]["content"]))),
        (["messages", 1, "role"], "assistant"),
        (["stop"], "STOP"),
        (["n"], 1),
        (["response_format"], {"type": "json_object"}),
        (["response_format", "json_schema", "schema", "required"], []),
        (["tools", 0, "function", "name"], "g"),
        (["tool_choice"], "required"),
        (["model"], "models/other"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_a_changed_request_compares_different(path: list[Any], value: Any) -> None:
    """Each change of meaning shows: an option, a lost message, an image, order, roles..."""
    assert normalise(gemini(GEMINI_CHAT)) != normalise(openai(_changed(OPENAI_CHAT, path, value)))


def test_swapped_messages_compare_different() -> None:
    """Message order matters."""
    messages = OPENAI_CHAT["messages"]
    swapped = [messages[0], messages[2], messages[1], messages[3]]
    assert normalise(gemini(GEMINI_CHAT)) != normalise(openai({**OPENAI_CHAT, "messages": swapped}))


def test_a_string_is_a_single_text_part() -> None:
    """``"hi"`` and ``[{"type": "text", "text": "hi"}]`` are the same content; two parts are not."""
    one = normalise(openai({"model": "m", "messages": [{"role": "user", "content": "a b"}]}))
    parts = [{"type": "text", "text": "a b"}]
    same = normalise(openai({"model": "m", "messages": [{"role": "user", "content": parts}]}))
    two = [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]
    other = normalise(openai({"model": "m", "messages": [{"role": "user", "content": two}]}))
    assert one == same != other


def test_images_compare_by_pixels() -> None:
    """PNG and lossless WebP of the same pixels are equal; other pixels are not."""

    def request(data: bytes, mime: str) -> NormalisedRequest:
        part = {"inlineData": {"mimeType": mime, "data": _b64(data)}}
        return normalise(gemini({"contents": [{"role": "user", "parts": [part]}]}))

    assert request(PNG_RED, "image/png") == request(WEBP_RED, "image/webp")
    assert request(PNG_RED, "image/png") != request(PNG_BLUE, "image/png")


def test_undecodable_images_compare_by_mime_type_and_bytes() -> None:
    """Bytes PIL cannot read are compared as they are, mime type included."""

    def request(data: bytes, mime: str) -> NormalisedRequest:
        url = f"data:{mime};base64,{_b64(data)}"
        content = [{"type": "image_url", "image_url": {"url": url}}]
        return normalise(openai({"model": "m", "messages": [{"role": "user", "content": content}]}))

    assert request(b"junk", "image/png") == request(b"junk", "image/png")
    assert request(b"junk", "image/png") != request(b"junk", "image/jpeg")
    assert request(b"junk", "image/png") != request(b"junk!", "image/png")


def test_audio_and_files() -> None:
    """wav/mp3 inline data is ``input_audio``; a PDF is a ``file`` data URL."""
    wav, pdf = base64.b64encode(b"RIFF").decode(), base64.b64encode(b"%PDF").decode()
    original = gemini(
        {
            "contents": [
                {
                    "role": "user",
                    "parts": [
                        {"inlineData": {"mimeType": "audio/x-wav", "data": wav}},
                        {"inlineData": {"mimeType": "application/pdf", "data": pdf}},
                    ],
                }
            ]
        }
    )
    content = [
        {"type": "input_audio", "input_audio": {"data": wav, "format": "wav"}},
        {"type": "file", "file": {"file_data": "data:application/pdf;base64," + pdf}},
    ]
    migrated = openai({"model": "m", "messages": [{"role": "user", "content": content}]})
    assert normalise(original) == normalise(migrated)
    content[0]["input_audio"]["format"] = "mp3"
    assert normalise(original) != normalise(migrated)


def test_floats_compare_at_gemini_precision() -> None:
    """Gemini's floats are float32: 0.1 sent as JSON by genai equals openai's 0.1."""
    original = gemini({"contents": [], "generationConfig": {"temperature": 0.10000000149011612}})
    assert normalise(original) == normalise(
        openai({"model": "m", "messages": [], "temperature": 0.1})
    )
    assert normalise(original) != normalise(
        openai({"model": "m", "messages": [], "temperature": 0.11})
    )


@pytest.mark.parametrize(
    ("mode", "names", "choice"),
    [
        (1, [], "auto"),
        (2, [], "required"),
        (3, [], "none"),
        ("ANY", ["f"], {"type": "function", "function": {"name": "f"}}),
    ],
)
def test_tool_config_modes(mode: Any, names: list[str], choice: Any) -> None:
    """AUTO/ANY/NONE (as ints or names) and ANY with one function become ``tool_choice``."""
    config = {"functionCallingConfig": {"mode": mode, "allowedFunctionNames": names}}
    original = gemini({"contents": [], "toolConfig": config})
    assert normalise(original) == normalise(
        openai({"model": "m", "messages": [], "tool_choice": choice})
    )


def test_dropped_by_design() -> None:
    """The fields listed in DROPPED compare as absent, and only those."""
    base = gemini({"contents": [], "generationConfig": {}})
    dropped = gemini(
        {
            "contents": [],
            "systemInstruction": {"parts": [{"text": "s"}], "role": "system"},
            "generationConfig": {"topK": 3, "responseMimeType": "text/plain"},
            "safetySettings": [{"category": 10, "threshold": 4}],
        }
    )
    with_system = gemini({"contents": [], "systemInstruction": {"parts": [{"text": "s"}]}})
    assert normalise(dropped) == normalise(with_system)
    assert normalise(base) != normalise(with_system)
    assert all(dialect in ("gemini", "openai") for dialect, _ in DROPPED)


@pytest.mark.parametrize(
    "request_",
    [
        gemini({"contents": [], "generationConfig": {"seed": 1}}),
        gemini({"contents": [], "cachedContent": "c"}),
        gemini({"contents": [{"role": "user", "parts": [{"fileData": {"fileUri": "u"}}]}]}),
        gemini({"contents": [{"role": "function", "parts": []}]}),
        openai({"model": "m", "messages": [], "seed": 1}),
        openai({"model": "m", "messages": [{"role": "tool", "content": "x"}]}),
        openai(
            {
                "model": "m",
                "messages": [{"role": "user", "content": [{"type": "video", "video": {}}]}],
            }
        ),
        openai({"model": "m", "input": "x", "user": "u"}, "/v1/embeddings"),
        RecordedRequest("POST", "/v1/responses", {}, {}, {}),
    ],
    ids=lambda r: str(r.json)[:40],
)
def test_unknown_fields_are_errors(request_: RecordedRequest) -> None:
    """A field without a rule raises instead of being ignored."""
    with pytest.raises(UnknownField):
        normalise(request_)


def test_embeddings() -> None:
    """A text and a list of texts, dimensions, dropped task type and title."""
    single = gemini(
        {
            "content": {"parts": [{"text": "a"}]},
            "taskType": 2,
            "title": "t",
            "outputDimensionality": 8,
        },
        "embedContent",
        "e",
    )
    assert normalise(single) == normalise(
        openai(
            {"model": "e", "input": "a", "dimensions": 8, "encoding_format": "float"},
            "/v1/embeddings",
        )
    )
    batch = gemini(
        {"requests": [{"model": "models/e", "content": {"parts": [{"text": t}]}} for t in "ab"]},
        "batchEmbedContents",
        "e",
    )
    as_list = openai({"model": "e", "input": ["a", "b"]}, "/v1/embeddings")
    assert normalise(batch) == normalise(as_list)
    assert normalise(batch) != normalise(
        openai({"model": "e", "input": ["b", "a"]}, "/v1/embeddings")
    )
    assert normalise(single).kind == "embed" and normalise(batch).kind == "embed_batch"


def test_models() -> None:
    """Listing models and getting one, ``models/`` and percent-encoding left out."""
    gemini_list = RecordedRequest("GET", "/v1beta/models", {"pageSize": "50"}, {}, None)
    openai_list = RecordedRequest("GET", "/v1/models", {}, {}, None)
    assert normalise(gemini_list) == normalise(openai_list)
    gemini_get = RecordedRequest("GET", "/v1beta/models/gemini-pro", {}, {}, None)
    openai_get = RecordedRequest("GET", "/v1/models/models%2Fgemini-pro", {}, {}, None)
    assert normalise(gemini_get) == normalise(openai_get)


def test_enum_tables_match_the_protos() -> None:
    """The int enums of genai's JSON are google.ai.generativelanguage's."""
    from google.ai import generativelanguage_v1beta as glm

    assert _SCHEMA_TYPES == {t.value: t.name.lower() for t in glm.Type if t.value}
    assert _TOOL_MODES == {m.value: m.name for m in glm.FunctionCallingConfig.Mode}
