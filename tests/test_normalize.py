"""The request normaliser (tests/normalize.py): what it equates, and that it can tell apart."""

from __future__ import annotations

import base64
import copy
import io
import json
from typing import Any

import gemini_files
import pytest
from loopback import RecordedRequest
from normalize import (
    _SCHEMA_TYPES,
    _TOOL_MODES,
    DROPPED,
    NormalisedRequest,
    UnknownField,
    guess_dialect,
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


def _genai_upload(data: bytes, mime_type: str) -> str:
    """Upload ``data`` as google-genai does (one finalising chunk); the File's ``uri``."""
    endpoint, size = "http://normalize.test", str(len(data))
    start = {
        "x-goog-upload-protocol": "resumable",
        "x-goog-upload-command": "start",
        "x-goog-upload-header-content-length": size,
        "x-goog-upload-header-content-type": mime_type,
    }
    body = json.dumps({"file": {"mime_type": mime_type, "size_bytes": len(data)}}).encode()
    _, _, headers = gemini_files.answer(endpoint, "POST", "/upload/v1/files", {}, start, body)
    path, _, upload_id = headers["X-Goog-Upload-URL"][len(endpoint) :].partition("?upload_id=")
    query = {"upload_id": upload_id.split("&")[0]}
    chunk = {"x-goog-upload-command": "upload, finalize", "x-goog-upload-offset": "0"}
    _, answer, _ = gemini_files.answer(endpoint, "POST", path, query, chunk, data)
    return answer["file"]["uri"]


@pytest.mark.parametrize("spelling", ["snake", "camel"])
def test_google_genai_file_parts_are_the_uploaded_bytes(spelling: str) -> None:
    """A ``file_data`` part (google-genai's spelling, or camelCase) naming a file uploaded with
    google-genai's protocol is the inline data of its bytes: the migration's inline part."""
    uri = _genai_upload(PDF, "application/pdf")
    parts = {
        "snake": {"file_data": {"file_uri": uri, "mime_type": "application/pdf"}},
        "camel": {"fileData": {"fileUri": uri, "mimeType": "application/pdf"}},
    }
    part = parts[spelling]
    original = RecordedRequest(
        "POST",
        "/v1/models/m:generateContent",
        {},
        {"x-goog-api-key": KEY},
        {"contents": [{"role": "user", "parts": [{"text": "Read"}, part]}]},
    )

    def migrated(data: bytes, mime_type: str = "application/pdf") -> NormalisedRequest:
        inline = {"type": "file", "file": {"file_data": f"data:{mime_type};base64,{_b64(data)}"}}
        content = [{"type": "text", "text": "Read"}, inline]
        return normalise(openai({"model": "m", "messages": [{"role": "user", "content": content}]}))

    assert normalise(original, "gemini") == migrated(PDF)
    assert normalise(original, "gemini") != migrated(PDF + b" ")
    assert normalise(original, "gemini") != migrated(PDF, "text/plain")


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
        gemini({"contents": [], "generationConfig": {"responseLogprobs": True}}),
        gemini({"contents": [], "cachedContent": "c"}),
        gemini({"contents": [], "tools": [{"googleSearch": {}}]}),
        gemini({"contents": [], "generationConfig": {"thinkingConfig": {"thinking_mode": 1}}}),
        gemini({"contents": [{"role": "user", "parts": [{"fileData": {"fileUri": "u"}}]}]}),
        gemini({"contents": [{"role": "function", "parts": []}]}),
        openai({"model": "m", "messages": [], "logit_bias": {"1": 1}}),
        openai({"model": "m", "messages": [], "extra_body": {"google": {"cached_content": "c"}}}),
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


# -- google-genai ---------------------------------------------------------------------------


def genai_request(
    body: dict[str, Any], action: str = "generateContent", model: str = "m"
) -> RecordedRequest:
    """A Gemini REST request as google-genai 3.6.1 sends it (``/v1/``, no ``$alt``)."""
    headers = {"x-goog-api-key": KEY, "x-goog-api-client": "google-genai-sdk/3.6.1"}
    return RecordedRequest("POST", f"/v1/models/{model}:{action}", {}, headers, body)


def _urlsafe(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


PDF = b"%PDF\xfb\xff\xfe"  # URL-safe base64 differs from the standard alphabet here

# What google-genai sends: snake_case inside the objects it passes through, URL-safe base64.
GENAI_CHAT: dict[str, Any] = {
    "contents": [
        {
            "role": "user",
            "parts": [
                {"text": "Summarise."},
                {"inlineData": {"data": _urlsafe(PDF), "mime_type": "application/pdf"}},
            ],
        }
    ],
    "systemInstruction": {"parts": [{"text": "Be brief."}], "role": "user"},
    "generationConfig": {
        "temperature": 0.5,
        "seed": 7,
        "thinkingConfig": {"thinking_budget": 0, "include_thoughts": False},
        "responseMimeType": "application/json",
        "responseJsonSchema": {
            "type": "object",
            "properties": {"title": {"type": "string"}},
            "additionalProperties": False,
        },
    },
}

OPENAI_FOR_GENAI: dict[str, Any] = {
    "model": "m",
    "messages": [
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Summarise."},
                {
                    "type": "file",
                    "file": {"file_data": "data:application/pdf;base64," + _b64(PDF)},
                },
            ],
        },
    ],
    "temperature": 0.5,
    "seed": 7,
    "extra_body": {
        "google": {"thinking_config": {"thinking_budget": 0, "include_thoughts": False}}
    },
    "response_format": {
        "type": "json_schema",
        "json_schema": {
            "name": "summary",
            "schema": {
                "type": "object",
                "properties": {"title": {"type": "string"}},
                "additionalProperties": False,
            },
        },
    },
}


def test_a_google_genai_request_in_both_dialects() -> None:
    """google-genai's spellings (``/v1/``, snake_case, URL-safe base64, ``responseJsonSchema``,
    ``thinkingConfig``) line up with the OpenAI request the migration sends."""
    original, migrated = normalise(genai_request(GENAI_CHAT)), normalise(openai(OPENAI_FOR_GENAI))
    assert original == migrated, (original.describe(), migrated.describe())
    assert original.describe()["params"]["thinking_config"] == {
        "thinking_budget": 0,
        "include_thoughts": False,
    }


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["messages", 0], _DELETE),  # the system message
        (["temperature"], _DELETE),
        (["temperature"], 0.7),
        (["seed"], 8),
        (["extra_body", "google", "thinking_config", "thinking_budget"], 1024),
        (["extra_body"], _DELETE),
        (["response_format", "json_schema", "schema", "additionalProperties"], True),
        (["messages", 1, "content", 1, "file", "file_data"], "data:application/pdf;base64,JVBERg=="),
    ],
    ids=lambda v: str(v)[:30],
)
def test_a_changed_google_genai_migration_differs(path: list[Any], value: Any) -> None:
    """A lost system message or option, another value, another schema or file shows."""
    migrated = openai(_changed(OPENAI_FOR_GENAI, path, value))
    assert normalise(genai_request(GENAI_CHAT)) != normalise(migrated)


@pytest.mark.parametrize(
    ("model", "thinking", "effort", "same"),
    [
        ("gemini-2.5-flash", {"thinking_budget": 0}, "none", True),
        ("gemini-2.5-flash", {"thinkingBudget": 1024}, "low", True),
        ("gemini-2.5-flash", {"thinking_budget": 8192}, "medium", True),
        ("gemini-2.5-flash", {"thinking_budget": 24576}, "high", True),
        ("gemini-2.5-pro", {"thinking_budget": 0}, "none", False),  # 2.5 Pro cannot turn it off
        ("gemini-2.5-flash", {"thinking_budget": -1}, "medium", False),  # dynamic: no effort
        ("gemini-2.5-flash", {"thinking_budget": 1024, "include_thoughts": True}, "low", False),
        ("gemini-3-pro-preview", {"thinking_level": "HIGH"}, "high", True),
        ("gemini-3-pro-preview", {"thinking_level": "LOW"}, "high", False),
        ("gemini-3-pro-preview", {"thinking_budget": 1024}, "low", False),
    ],
)
def test_reasoning_effort_is_what_the_endpoint_maps_it_to(
    model: str, thinking: dict[str, Any], effort: str, same: bool
) -> None:
    """``reasoning_effort`` equals the thinking config the endpoint turns it into, per model."""
    config = {"thinkingConfig": thinking}
    original = genai_request({"contents": [], "generationConfig": config}, model=model)
    migrated = openai({"model": model, "messages": [], "reasoning_effort": effort})
    assert (normalise(original) == normalise(migrated)) is same


def test_reasoning_effort_and_thinking_config_together_are_refused() -> None:
    """The endpoint refuses both at once: no rule makes that request mean anything."""
    body = {"model": "m", "messages": [], "reasoning_effort": "low"}
    body["extra_body"] = {"google": {"thinking_config": {"thinking_budget": 1}}}
    with pytest.raises(UnknownField, match="reasoning_effort with thinking_config"):
        normalise(openai(body))


# google-genai's Schema of a pydantic model and pydantic's own JSON Schema for it.
_PYDANTIC_AS_GENAI_SCHEMA = {
    "properties": {
        "name": {"title": "Name", "type": "STRING"},
        "tags": {"items": {"type": "STRING"}, "title": "Tags", "type": "ARRAY", "minItems": "1"},
        "n": {"nullable": True, "title": "N", "type": "INTEGER", "minimum": 0},
    },
    "property_ordering": ["name", "tags", "n"],
    "required": ["name", "tags"],
    "title": "Recipe",
    "type": "OBJECT",
}
_PYDANTIC_JSON_SCHEMA = {
    "properties": {
        "name": {"title": "Name", "type": "string"},
        "tags": {"items": {"type": "string"}, "title": "Tags", "type": "array", "minItems": 1},
        "n": {
            "anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}],
            "default": None,
            "title": "N",
        },
    },
    "required": ["tags", "name"],
    "title": "Recipe",
    "type": "object",
}


def _schema_request(dialect: str, schema: dict[str, Any]) -> RecordedRequest:
    if dialect == "gemini":
        config = {"responseMimeType": "application/json", "responseSchema": schema}
        return genai_request({"contents": [], "generationConfig": config})
    response_format = {"type": "json_schema", "json_schema": {"name": "Recipe", "schema": schema}}
    return openai({"model": "m", "messages": [], "response_format": response_format})


def test_google_genai_schemas_and_json_schema() -> None:
    """Titles, bounds, ``nullable`` as ``anyOf`` with null, ``propertyOrdering`` as the order of
    ``properties``: google-genai's Schema and the JSON Schema of one model compare equal."""
    original = normalise(_schema_request("gemini", _PYDANTIC_AS_GENAI_SCHEMA))
    assert original == normalise(_schema_request("openai", _PYDANTIC_JSON_SCHEMA))
    reordered = {**_PYDANTIC_AS_GENAI_SCHEMA, "property_ordering": ["tags", "name", "n"]}
    assert normalise(_schema_request("gemini", reordered)) != original
    not_nullable = copy.deepcopy(_PYDANTIC_JSON_SCHEMA)
    not_nullable["properties"]["n"] = {"type": "integer", "minimum": 0, "title": "N"}
    assert normalise(_schema_request("openai", not_nullable)) != original
    no_bound = copy.deepcopy(_PYDANTIC_JSON_SCHEMA)
    no_bound["properties"]["n"]["anyOf"][0] = {"type": "integer"}
    assert normalise(_schema_request("openai", no_bound)) != original


def test_parameters_json_schema_of_a_python_function() -> None:
    """google-genai declares a Python function with ``parameters_json_schema`` (and a result
    schema OpenAI has no place for): the same tool as OpenAI's function."""
    declaration = {
        "description": "Weather of a city.",
        "name": "get_weather",
        "parameters_json_schema": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
        "response_json_schema": {"type": "string"},
    }
    original = genai_request({"contents": [], "tools": [{"functionDeclarations": [declaration]}]})
    function = {
        "name": "get_weather",
        "description": "Weather of a city.",
        "parameters": declaration["parameters_json_schema"],
    }
    tools = [{"type": "function", "function": function}]
    assert normalise(original) == normalise(openai({"model": "m", "messages": [], "tools": tools}))
    function["parameters"] = {"type": "object", "properties": {"city": {"type": "integer"}}}
    assert normalise(original) != normalise(openai({"model": "m", "messages": [], "tools": tools}))


def test_one_input_is_one_embedding_however_sent() -> None:
    """google-genai sends one string as a batch of one; ``input="a"`` and ``["a"]`` equal it."""
    request = {"content": {"parts": [{"text": "a"}], "role": "user"}, "model": "models/e"}
    one = {"requests": [request]}
    original = normalise(genai_request(one, "batchEmbedContents", "e"))
    assert original.kind == "embed"
    for raw in ("a", ["a"]):
        assert original == normalise(openai({"model": "e", "input": raw}, "/v1/embeddings"))
    two = {"requests": one["requests"] * 2}
    assert normalise(genai_request(two, "batchEmbedContents", "e")).kind == "embed_batch"


def test_the_dialect_is_named_or_guessed() -> None:
    """google-genai's ``GET /v1/models`` is Gemini by its key header, or when named so."""
    listing = RecordedRequest("GET", "/v1/models/gemini-pro", {}, {"x-goog-api-key": KEY}, None)
    assert guess_dialect(listing) == "gemini"
    assert normalise(listing) == normalise(listing, "gemini")
    assert normalise(listing).api_key == KEY
    bearer = {"authorization": f"Bearer {KEY}"}
    openai_listing = RecordedRequest("GET", "/v1/models", {}, bearer, None)
    assert guess_dialect(openai_listing) == "openai"
    with pytest.raises(UnknownField, match="no API version"):
        normalise(RecordedRequest("POST", "/models/m:generateContent", {}, {}, {}), "gemini")
    with pytest.raises(ValueError, match="unknown dialect"):
        normalise(listing, "vertex")


def test_a_streamed_reply_in_chat_history_is_one_turn() -> None:
    """google-genai's chat sends a streamed reply back as one model turn per chunk: that is
    one assistant message; a reply split otherwise still differs."""
    chunks = [{"role": "model", "parts": [{"text": t}]} for t in ("echo: Hi, ", "I am ", "Ada.")]
    user = [{"role": "user", "parts": [{"text": "Hi, I am Ada."}]}]
    ask = [{"role": "user", "parts": [{"text": "Name?"}]}]
    original = normalise(genai_request({"contents": user + chunks + ask}))
    turns = [
        {"role": "user", "content": "Hi, I am Ada."},
        {"role": "assistant", "content": "echo: Hi, I am Ada."},
        {"role": "user", "content": "Name?"},
    ]
    assert original == normalise(openai({"model": "m", "messages": turns}))
    turns[1]["content"] = "echo: Hi,  I am Ada."
    assert original != normalise(openai({"model": "m", "messages": turns}))
    two_parts = [{"role": "model", "parts": [{"text": "echo: Hi, "}, {"text": "I am Ada."}]}]
    assert normalise(genai_request({"contents": user + two_parts + ask})) != original
