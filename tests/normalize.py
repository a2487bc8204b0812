"""One form for Gemini (genai) and OpenAI requests, so a program and its migration compare.

``normalise(recorded, dialect)`` turns a request recorded by ``tests/loopback.py`` (``openai``)
or ``tests/gemini_backend.py`` (``gemini``: Gemini REST as ``google.generativeai`` and
``google-genai`` send it, ``/{version}/models...``) into a ``NormalisedRequest``. The harness
names the dialect (it knows which server recorded a request); without one, a request is Gemini
when its path starts with ``/v1beta/`` or it carries ``x-goog-api-key`` or a ``key`` query
parameter (google-genai's default ``/v1/models`` paths look like OpenAI's otherwise).

* ``kind``: ``chat``, ``embed`` (one input), ``embed_batch`` (several), ``count_tokens``,
  ``list_models`` or ``get_model``; ``model`` without ``models/``; ``api_key`` from
  ``x-goog-api-key`` / ``Authorization: Bearer``; ``stream``. One input is ``embed`` however it
  was sent: google-genai sends even one string as ``batchEmbedContents``, and OpenAI answers
  ``input="a"`` and ``input=["a"]`` alike, so a batch of one is not a request of its own kind.
  The API version of a Gemini path is not compared (google-genai 3.6.1 sends ``/v1/`` by
  default, ``google.generativeai`` ``/v1beta/``; the answers are the same).
* ``messages``: ``(role, parts)`` in order. Gemini's ``systemInstruction`` is a leading
  ``system`` message and role ``model`` is ``assistant``. A string content is one text part.
  Consecutive text-only ``model`` turns are one assistant message with their texts joined:
  google-genai's chat keeps a streamed reply as one model turn per chunk in its history (the
  next request sends them so), where the migration keeps one assistant turn.
  Images are compared by decoded pixels (PIL, as RGBA: genai may re-encode), bytes PIL cannot
  decode by mime type and bytes; wav/mp3 audio by format and bytes; other inline data (PDF...)
  by mime type and bytes. A ``fileData`` part (a file uploaded with either SDK's Files API) is
  the inline data of the bytes the fake backend stored under its ``fileUri``, of the part's
  mime type (``tests/gemini_files.py``); the upload requests themselves are not recorded.
* ``params``: generation options under their OpenAI names (``max_output_tokens`` →
  ``max_tokens``, ``candidate_count`` → ``n``, ``stop_sequences`` → ``stop``, ``seed``
  (google-genai's) → ``seed``, JSON mime type → ``response_format``, ``response_schema`` /
  ``response_json_schema`` → a JSON-schema ``response_format``, function declarations
  (``parameters`` or ``parametersJsonSchema``) → ``tools``, ``tool_config`` → ``tool_choice``),
  as canonical JSON. Floats are compared as float32, the precision of Gemini's proto fields.
* thinking: Gemini's ``thinkingConfig`` and the OpenAI endpoint's ``extra_body.google.
  thinking_config`` are one ``thinking_config`` param (``thinking_budget``, ``thinking_level``
  lower-cased, ``include_thoughts``). OpenAI's ``reasoning_effort`` is what the endpoint maps it
  to (Gemini's OpenAI-compatibility documentation): on ``gemini-2.5`` models a budget
  (``minimal``/``low`` 1024, ``medium`` 8192, ``high`` 24576, ``none`` 0 except on 2.5 Pro),
  on other models the thinking level of the same name; anything else stays
  ``{"reasoning_effort": ...}`` and matches no Gemini request.
* schemas: the proto ``Schema`` of ``google.generativeai`` (int enums), google-genai's
  ``Schema`` (upper-case type names, ``title``, ``anyOf``, bounds, ``propertyOrdering``) and
  JSON Schema (``response_json_schema``, OpenAI's) in one form: lower-case types, a nullable
  ``anyOf``/type list as ``nullable``, integer bounds as ints, ``propertyOrdering`` left out
  when it is the order of ``properties`` (the order JSON carries anyway).
* embeddings: ``inputs`` (the parts of each content) and ``dimensions``.

google-genai writes the objects it passes through (``inline_data``, ``file_data``,
``thinking_config``, ``parameters_json_schema``, ``property_ordering``...) with snake_case keys
and URL-safe base64; Gemini's JSON parser takes both spellings and both alphabets, so the
normaliser does too (``_camel``, ``_b64decode``).

Every field either has a rule here or is listed in ``DROPPED`` with the reason the migration
leaves it out by design. Anything else raises ``UnknownField``: the harness never ignores a
field silently.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import io
import json
import struct
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

from gemini_backend import split_path
from gemini_files import uploaded
from loopback import RecordedRequest

GEMINI_PREFIX = "/v1beta/"
DIALECTS = ("gemini", "openai")

# (dialect, field or rule) → why the migration leaves it out by design; such a field is
# compared as absent. Fields are dotted paths as ``_check_keys`` names them.
DROPPED: dict[tuple[str, str], str] = {
    ("gemini", "generationConfig.topK"): "no OpenAI equivalent: dropped-option warning",
    ("gemini", "safetySettings"): "no OpenAI equivalent: dropped-option warning",
    ("gemini", "embed.taskType"): "no OpenAI equivalent: dropped-option warning",
    ("gemini", "embed.title"): "no OpenAI equivalent: dropped-option warning",
    ("gemini", "query.pageSize"): "the page size of genai's model pager: dropped",
    ("gemini", "systemInstruction.role"): "the API does not read the system instruction's role",
    ("gemini", "responseMimeType=text/plain"): "the default answer type: omitted",
    ("gemini", "propertyOrdering=properties order"): "repeats the order JSON carries anyway",
    ("gemini", "streamed reply recorded per chunk"): "joined into one assistant turn",
    ("gemini", "tools.responseJsonSchema"): "OpenAI function tools declare no result schema",
    ("gemini", "tools.response"): "OpenAI function tools declare no result schema",
    ("openai", "stream_options"): "asks for the usage chunk the stream wrapper reads",
    ("openai", "embeddings.encoding_format"): "the wire encoding of the answer (floats)",
    ("openai", "response_format.json_schema.name"): "a label OpenAI requires; Gemini has none",
}

# Generation options whose value is compared as float32 (Gemini's proto floats).
_FLOAT_PARAMS = {"temperature", "top_p", "presence_penalty", "frequency_penalty"}
_GEMINI_CONFIG = {
    "temperature": "temperature",
    "topP": "top_p",
    "maxOutputTokens": "max_tokens",
    "candidateCount": "n",
    "stopSequences": "stop",
    "presencePenalty": "presence_penalty",
    "frequencyPenalty": "frequency_penalty",
    "seed": "seed",
}
_OPENAI_PARAMS = {
    "temperature": "temperature",
    "top_p": "top_p",
    "max_tokens": "max_tokens",
    "max_completion_tokens": "max_tokens",
    "n": "n",
    "stop": "stop",
    "presence_penalty": "presence_penalty",
    "frequency_penalty": "frequency_penalty",
    "seed": "seed",
}
# google.ai.generativelanguage's Type and FunctionCallingConfig.Mode (JSON enums as ints).
_SCHEMA_TYPES = {1: "string", 2: "number", 3: "integer", 4: "boolean", 5: "array", 6: "object"}
_TOOL_MODES = {0: "MODE_UNSPECIFIED", 1: "AUTO", 2: "ANY", 3: "NONE"}
_SCHEMA_KEYS = {
    "type",
    "format",
    "description",
    "nullable",
    "enum",
    "items",
    "properties",
    "required",
    "minItems",
    "maxItems",
}
# Keywords google-genai's Schema adds to the proto's (google.generativeai's), and JSON Schema's
# (OpenAI's schemas, google-genai's response_json_schema and parameters_json_schema); OpenAI's
# keep ``nullable``, which they always had here.
_INT_SCHEMA_KEYS = {
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "minProperties",
    "maxProperties",
}
_GENAI_SCHEMA_KEYS = _SCHEMA_KEYS | _INT_SCHEMA_KEYS | {
    "title",
    "anyOf",
    "default",
    "example",
    "minimum",
    "maximum",
    "pattern",
    "propertyOrdering",
}
_JSON_SCHEMA_KEYS = (_GENAI_SCHEMA_KEYS - {"propertyOrdering", "example"}) | {
    "additionalProperties",
    "$defs",
    "$ref",
    "const",
    "examples",
}
_SCHEMA_FLAVOURS = {"genai": _GENAI_SCHEMA_KEYS, "json": _JSON_SCHEMA_KEYS}
# reasoning_effort → thinking budget on gemini-2.5 models (the endpoint's documented mapping).
_EFFORT_BUDGETS = {"minimal": 1024, "low": 1024, "medium": 8192, "high": 24576, "none": 0}
_THINKING_KEYS = {"thinkingBudget", "thinkingLevel", "includeThoughts"}
_AUDIO_FORMATS = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/mp3": "mp3",
    "audio/mpeg": "mp3",
}


class UnknownField(AssertionError):
    """A request field the normaliser has no rule for."""

    def __init__(self, dialect: str, where: str, value: Any = None) -> None:
        shown = json.dumps(value, default=repr)[:200]
        super().__init__(f"{dialect} request: no normalisation rule for {where} = {shown}")


@dataclasses.dataclass(frozen=True)
class Part:
    """One part of a message: ``kind`` is text, image, audio or inline; ``value`` says what."""

    kind: str
    value: str


@dataclasses.dataclass(frozen=True)
class Message:
    """A message: ``system``, ``user`` or ``assistant`` and its parts."""

    role: str
    parts: tuple[Part, ...]


@dataclasses.dataclass(frozen=True)
class NormalisedRequest:
    """A request in the dialect-free form described in the module docstring."""

    kind: str
    model: str = ""
    api_key: str | None = None
    stream: bool = False
    messages: tuple[Message, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    """(OpenAI name, canonical JSON value), sorted."""
    inputs: tuple[tuple[Part, ...], ...] = ()

    def describe(self) -> dict[str, Any]:
        """A readable JSON-able view, for assertion messages."""
        return {
            "kind": self.kind,
            "model": self.model,
            "api_key": self.api_key,
            "stream": self.stream,
            "messages": [
                {"role": m.role, "parts": [f"{p.kind}: {p.value}" for p in m.parts]}
                for m in self.messages
            ],
            "params": {name: json.loads(value) for name, value in self.params},
            "inputs": [[f"{p.kind}: {p.value}" for p in parts] for parts in self.inputs],
        }


def normalise(request: RecordedRequest, dialect: str | None = None) -> NormalisedRequest:
    """Normalise a request of ``dialect`` (``gemini`` or ``openai``; None: guess it, see the
    module docstring)."""
    if dialect not in (None, *DIALECTS):
        raise ValueError(f"unknown dialect {dialect!r}")
    if (dialect or guess_dialect(request)) == "gemini":
        return normalise_gemini(request)
    return normalise_openai(request)


def guess_dialect(request: RecordedRequest) -> str:
    """``gemini`` for a ``/v1beta/`` path or a request keyed the Gemini way, else ``openai``."""
    keyed = "x-goog-api-key" in request.headers or "key" in request.query
    return "gemini" if request.path.startswith(GEMINI_PREFIX) or keyed else "openai"


# -- shared pieces ----------------------------------------------------------------------------


def model_id(name: str) -> str:
    """A model id without the ``models/`` prefix."""
    return name[len("models/") :] if name.startswith("models/") else name


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _float32(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return struct.unpack("<f", struct.pack("<f", value))[0]
    return value


def _params(pairs: Iterable[tuple[str, Any]]) -> tuple[tuple[str, str], ...]:
    out = {}
    for name, value in pairs:
        out[name] = _canonical(_float32(value) if name in _FLOAT_PARAMS else value)
    return tuple(sorted(out.items()))


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def image_part(mime_type: str, data: bytes) -> Part:
    """An image by its decoded pixels; bytes PIL cannot decode by mime type and bytes."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return Part("image", f"undecodable {mime_type} {_digest(data)}")
    width, height = rgba.size
    return Part("image", f"pixels {width}x{height} {_digest(rgba.tobytes())}")


def inline_part(mime_type: str, data: bytes) -> Part:
    """Inline bytes of a mime type: an image, wav/mp3 audio, or other data."""
    if mime_type.startswith("image/"):
        return image_part(mime_type, data)
    if mime_type in _AUDIO_FORMATS:
        return Part("audio", f"{_AUDIO_FORMATS[mime_type]} {_digest(data)}")
    return Part("inline", f"{mime_type} {_digest(data)}")


def _camel(obj: Mapping[str, Any]) -> dict[str, Any]:
    """``obj`` with snake_case keys spelled in lowerCamelCase (one level: property names of a
    schema are data, not keys)."""
    return {_camel_name(key): value for key, value in obj.items()}


def _camel_name(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest) if rest and head else key


def _b64decode(dialect: str, where: str, text: str) -> bytes:
    if dialect == "gemini":  # Gemini's JSON takes the URL-safe alphabet too (google-genai's)
        text = text.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise UnknownField(dialect, f"{where} (not base64: {error})", text[:40]) from None


def _by_design(dialect: str, rule: str) -> bool:
    """True: ``rule`` is one of the ``DROPPED`` differences (it must be listed there)."""
    assert (dialect, rule) in DROPPED, f"rule {rule!r} is not listed in DROPPED"
    return True


def _check_keys(dialect: str, where: str, obj: Mapping[str, Any], known: set[str]) -> None:
    """Every key of ``obj`` has a rule (``known``) or is dropped by design."""
    for key in sorted(set(obj) - known):
        field = f"{where}.{key}" if where else key
        if (dialect, field) not in DROPPED:
            raise UnknownField(dialect, field, obj[key])


def normalise_schema(dialect: str, schema: Any, where: str = "schema", flavour: str = "") -> Any:
    """A response or parameters schema in one form: lower-case type names, int bounds, sorted
    ``required``, proto defaults (empty lists and strings, false, null) left out, a nullable
    ``anyOf`` or type list as ``nullable``. ``flavour``: ``genai`` (google's Schema, both
    SDKs'; google-genai's keywords are a superset of the proto's) or ``json`` (JSON Schema); by
    default ``json`` for OpenAI and ``genai`` for Gemini."""
    flavour = flavour or ("json" if dialect == "openai" else "genai")
    if not isinstance(schema, dict):
        raise UnknownField(dialect, where, schema)
    schema = _nullable(_camel(schema) if flavour == "genai" else dict(schema))
    _check_keys(dialect, where, schema, _SCHEMA_FLAVOURS[flavour])
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if _proto_default(key, value):
            continue
        out[key] = _schema_value(dialect, key, value, where, flavour)
    ordering = out.pop("propertyOrdering", None)
    if ordering is not None and not (
        ordering == list(schema.get("properties") or {})
        and _by_design("gemini", "propertyOrdering=properties order")
    ):
        out["propertyOrdering"] = ordering
    return out


def _proto_default(key: str, value: Any) -> bool:
    """An empty or false value a proto sends for an unset field (not ``0``, and not
    ``additionalProperties: false``, which means something)."""
    if key == "additionalProperties":
        return False
    return value is None or value is False or (not value and isinstance(value, (list, str, dict)))


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [S, {type: null}]`` → S with ``nullable``; ``type: [t, "null"]`` → ``t``,
    ``nullable`` (JSON Schema's spellings of google's ``nullable``)."""
    kinds = schema.get("type")
    if isinstance(kinds, list) and "null" in kinds and len(kinds) == 2:
        (kind,) = [k for k in kinds if k != "null"]
        return {**schema, "type": kind, "nullable": True}
    options = schema.get("anyOf")
    if not isinstance(options, list) or len(options) != 2:
        return schema
    nulls = [o for o in options if o in ({"type": "null"}, {"type": "NULL"})]
    if len(nulls) == 1:
        (other,) = [o for o in options if o is not nulls[0]]
        rest = {k: v for k, v in schema.items() if k != "anyOf"}
        if isinstance(other, dict) and not set(other) & set(rest):
            return {**rest, **other, "nullable": True}
    return schema


def _schema_value(dialect: str, key: str, value: Any, where: str, flavour: str) -> Any:
    """One keyword's value in normal form (nested schemas normalised in the same flavour)."""
    if key == "type":
        value = _SCHEMA_TYPES.get(value, value) if isinstance(value, int) else value
        return value.lower() if isinstance(value, str) else value
    if key in ("properties", "$defs"):
        return {k: normalise_schema(dialect, v, f"{where}.{k}", flavour) for k, v in value.items()}
    if key == "items" or (key == "additionalProperties" and isinstance(value, dict)):
        return normalise_schema(dialect, value, f"{where}.{key}", flavour)
    if key == "anyOf":
        return [normalise_schema(dialect, v, f"{where}.anyOf", flavour) for v in value]
    if key in _INT_SCHEMA_KEYS:
        return int(value)
    if key in ("minimum", "maximum"):
        return float(value)
    if key == "required":
        return sorted(value)
    return value


# -- Gemini -----------------------------------------------------------------------------------

_GEMINI_ROLES = {"user": "user", "model": "assistant"}
_GEMINI_CHAT_KEYS = {"contents", "generationConfig", "systemInstruction", "tools", "toolConfig"}


def _gemini_part(part: Mapping[str, Any], where: str) -> Part:
    part = _camel(part)
    if set(part) == {"text"}:
        return Part("text", str(part["text"]))
    if set(part) == {"inlineData"}:
        blob = _camel(part["inlineData"])
        _check_keys("gemini", f"{where}.inlineData", blob, {"mimeType", "data"})
        data = _b64decode("gemini", f"{where}.inlineData.data", blob.get("data", ""))
        return inline_part(blob.get("mimeType", ""), data)
    if set(part) == {"fileData"}:
        reference = _camel(part["fileData"])
        _check_keys("gemini", f"{where}.fileData", reference, {"mimeType", "fileUri"})
        stored = uploaded(reference.get("fileUri", ""))
        if stored is None:
            raise UnknownField("gemini", f"{where}.fileData (not uploaded to the fake backend)", reference)
        return inline_part(reference.get("mimeType", ""), stored.data)
    raise UnknownField("gemini", where, part)


def _gemini_parts(content: Mapping[str, Any], where: str) -> tuple[Part, ...]:
    parts = content.get("parts", [])
    return tuple(_gemini_part(p, f"{where}.parts[{i}]") for i, p in enumerate(parts))


def _gemini_messages(body: Mapping[str, Any]) -> tuple[Message, ...]:
    messages = []
    system = body.get("systemInstruction")
    if system:
        system = _camel(system)
        _check_keys("gemini", "systemInstruction", system, {"parts"})
        messages.append(Message("system", _gemini_parts(system, "systemInstruction")))
    for index, content in enumerate(body.get("contents", [])):
        where = f"contents[{index}]"
        _check_keys("gemini", where, content, {"parts", "role"})
        role = _GEMINI_ROLES.get(content.get("role", "user"))
        if role is None:
            raise UnknownField("gemini", f"{where}.role", content.get("role"))
        messages.append(Message(role, _gemini_parts(content, where)))
    return _join_streamed_replies(messages)


def _join_streamed_replies(messages: list[Message]) -> tuple[Message, ...]:
    """Runs of text-only ``assistant`` messages as one message whose one text part is their
    texts joined: google-genai's chat records a streamed reply as one model turn per chunk,
    the migration as one assistant turn (``DROPPED``)."""
    out: list[Message] = []
    for message in messages:
        previous = out[-1] if out else None
        if (
            previous is not None
            and _is_text_reply(previous)
            and _is_text_reply(message)
            and _by_design("gemini", "streamed reply recorded per chunk")
        ):
            text = "".join(part.value for part in (*previous.parts, *message.parts))
            out[-1] = Message("assistant", (Part("text", text),))
        else:
            out.append(message)
    return tuple(out)


def _is_text_reply(message: Message) -> bool:
    return message.role == "assistant" and all(part.kind == "text" for part in message.parts)


def _gemini_response_format(config: Mapping[str, Any]) -> dict[str, Any] | None:
    mime_type = config.get("responseMimeType")
    schema = _gemini_response_schema(config)
    if mime_type == "application/json":
        if schema is None:
            return {"type": "json_object"}
        return {"type": "json_schema", "schema": schema}
    if schema is not None:
        raise UnknownField("gemini", "generationConfig.responseSchema (no JSON mime type)", schema)
    if mime_type is None or (
        mime_type == "text/plain" and _by_design("gemini", "responseMimeType=text/plain")
    ):
        return None
    raise UnknownField("gemini", "generationConfig.responseMimeType", mime_type)


def _gemini_response_schema(config: Mapping[str, Any]) -> dict[str, Any] | None:
    """``responseSchema`` (google's Schema) or ``responseJsonSchema`` (JSON Schema), normalised."""
    schema, json_schema = config.get("responseSchema"), config.get("responseJsonSchema")
    if schema is not None and json_schema is not None:
        where = "generationConfig.responseSchema and responseJsonSchema"
        raise UnknownField("gemini", where, config)
    if json_schema is not None:
        return normalise_schema("gemini", json_schema, "responseJsonSchema", "json")
    return None if schema is None else normalise_schema("gemini", schema)


def _thinking(config: Mapping[str, Any], dialect: str, where: str) -> dict[str, Any]:
    """A thinking config (either spelling) as ``thinking_budget``/``thinking_level``/
    ``include_thoughts``."""
    if not isinstance(config, dict):
        raise UnknownField(dialect, where, config)
    config = _camel(config)
    _check_keys(dialect, where, config, _THINKING_KEYS)
    out: dict[str, Any] = {}
    if config.get("thinkingBudget") is not None:
        out["thinking_budget"] = int(config["thinkingBudget"])
    if config.get("thinkingLevel") is not None:
        out["thinking_level"] = str(config["thinkingLevel"]).lower()
    if config.get("includeThoughts") is not None:
        out["include_thoughts"] = bool(config["includeThoughts"])
    return out


def _gemini_config(config: Mapping[str, Any]) -> list[tuple[str, Any]]:
    known = {
        *_GEMINI_CONFIG,
        "responseMimeType",
        "responseSchema",
        "responseJsonSchema",
        "thinkingConfig",
    }
    _check_keys("gemini", "generationConfig", config, known)
    pairs = [(_GEMINI_CONFIG[k], v) for k, v in config.items() if k in _GEMINI_CONFIG]
    response_format = _gemini_response_format(config)
    if response_format is not None:
        pairs.append(("response_format", response_format))
    if config.get("thinkingConfig") is not None:
        thinking = _thinking(config["thinkingConfig"], "gemini", "generationConfig.thinkingConfig")
        pairs.append(("thinking_config", thinking))
    return pairs


def _gemini_tools(tools: list[Any]) -> list[dict[str, Any]]:
    functions = []
    for index, tool in enumerate(tools):
        _check_keys("gemini", f"tools[{index}]", tool, {"functionDeclarations"})
        for declaration in tool.get("functionDeclarations", []):
            where = f"tools[{index}].functionDeclarations"
            functions.append(_gemini_function(_camel(declaration), where))
    return functions


def _gemini_function(declaration: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A function declaration; ``parametersJsonSchema`` (google-genai's, from a Python
    function's signature) is JSON Schema, ``parameters`` google's Schema."""
    known = {"name", "description", "parameters", "parametersJsonSchema"}
    dropped = {
        key
        for key in ("response", "responseJsonSchema")
        if key in declaration and _by_design("gemini", f"tools.{key}")
    }
    _check_keys("gemini", where, declaration, known | dropped)
    if "parameters" in declaration and "parametersJsonSchema" in declaration:
        raise UnknownField("gemini", f"{where} (parameters and parametersJsonSchema)", declaration)
    function = _function(declaration, "gemini")
    if "parametersJsonSchema" in declaration:
        schema = declaration["parametersJsonSchema"]
        function["parameters"] = normalise_schema("gemini", schema, "parametersJsonSchema", "json")
    return function


def _function(declaration: Mapping[str, Any], dialect: str) -> dict[str, Any]:
    function: dict[str, Any] = {"name": declaration["name"]}
    if declaration.get("description"):
        function["description"] = declaration["description"]
    if "parameters" in declaration:
        function["parameters"] = normalise_schema(dialect, declaration["parameters"])
    return function


def _gemini_tool_choice(tool_config: Mapping[str, Any]) -> Any:
    _check_keys("gemini", "toolConfig", tool_config, {"functionCallingConfig"})
    config = tool_config.get("functionCallingConfig", {})
    _check_keys("gemini", "toolConfig.fcc", config, {"mode", "allowedFunctionNames"})
    mode = config.get("mode", 0)
    mode = _TOOL_MODES.get(mode, mode) if isinstance(mode, int) else mode
    names = config.get("allowedFunctionNames", [])
    if mode == "ANY" and len(names) == 1:
        return {"type": "function", "function": {"name": names[0]}}
    if names:
        return {"gemini_mode": mode, "allowed_function_names": names}  # no OpenAI equivalent
    return {"AUTO": "auto", "ANY": "required", "NONE": "none"}.get(mode, mode)


def _gemini_chat(body: Mapping[str, Any]) -> tuple[tuple[Message, ...], list[tuple[str, Any]]]:
    _check_keys("gemini", "", body, _GEMINI_CHAT_KEYS)
    pairs = _gemini_config(body.get("generationConfig") or {})
    if body.get("tools"):
        pairs.append(("tools", _gemini_tools(body["tools"])))
    if body.get("toolConfig"):
        pairs.append(("tool_choice", _gemini_tool_choice(body["toolConfig"])))
    return _gemini_messages(body), pairs


def _gemini_embed_input(request: Mapping[str, Any], where: str) -> tuple[Part, ...]:
    _check_keys("gemini", "embed", request, {"model", "content", "outputDimensionality"})
    return _gemini_parts(request.get("content") or {}, f"{where}.content")


def _gemini_embed(model: str, body: Mapping[str, Any], batch: bool) -> NormalisedRequest:
    requests = body.get("requests", []) if batch else [body]
    if batch:
        _check_keys("gemini", "", body, {"requests"})
    inputs = tuple(_gemini_embed_input(r, f"requests[{i}]") for i, r in enumerate(requests))
    dimensions = {r.get("outputDimensionality") for r in requests}
    models = {model_id(r.get("model", model)) for r in requests}
    if len(dimensions) > 1 or models != {model_id(model)}:
        raise UnknownField("gemini", "batch requests of different models or sizes", body)
    (size,) = dimensions or {None}
    return NormalisedRequest(
        kind=_embed_kind(len(inputs)),
        model=model_id(model),
        inputs=inputs,
        params=_params([("dimensions", size)] if size else []),
    )


def _embed_kind(count: int) -> str:
    """``embed`` for one input, ``embed_batch`` for several (module docstring)."""
    return "embed" if count == 1 else "embed_batch"


def normalise_gemini(request: RecordedRequest) -> NormalisedRequest:
    """Normalise a Gemini REST request (``/{version}/models...``, any API version)."""
    split = split_path(request.path)
    if split is None:
        raise UnknownField("gemini", f"{request.method} {request.path} (no API version)")
    resource, action = urllib.parse.unquote(split[0]), split[1]
    body = request.json if isinstance(request.json, dict) else {}
    key = request.headers.get("x-goog-api-key") or request.query.get("key")
    _check_keys("gemini", "query", request.query, {"$alt", "alt", "key"})
    if request.method == "GET" and resource == "models" and not action:
        return NormalisedRequest(kind="list_models", api_key=key)
    if request.method == "GET" and resource.startswith("models/") and not action:
        return NormalisedRequest(kind="get_model", model=model_id(resource), api_key=key)
    if request.method == "POST" and action in ("generateContent", "streamGenerateContent"):
        messages, pairs = _gemini_chat(body)
        return NormalisedRequest(
            kind="chat",
            model=model_id(resource),
            api_key=key,
            stream=action == "streamGenerateContent",
            messages=messages,
            params=_params(pairs),
        )
    if request.method == "POST" and action in ("embedContent", "batchEmbedContents"):
        embed = _gemini_embed(resource, body, batch=action == "batchEmbedContents")
        return dataclasses.replace(embed, api_key=key)
    if request.method == "POST" and action == "countTokens":
        inner = body.get("generateContentRequest") or {"contents": body.get("contents", [])}
        _check_keys("gemini", "", body, {"contents", "generateContentRequest"})
        messages, pairs = _gemini_chat({k: v for k, v in inner.items() if k != "model"})
        return NormalisedRequest(
            kind="count_tokens",
            model=model_id(resource),
            api_key=key,
            messages=messages,
            params=_params(pairs),
        )
    raise UnknownField("gemini", f"{request.method} {request.path}")


# -- OpenAI -----------------------------------------------------------------------------------

_OPENAI_CHAT_KEYS = {
    "model",
    "messages",
    "stream",
    "response_format",
    "tools",
    "tool_choice",
    "reasoning_effort",
    "extra_body",
    *_OPENAI_PARAMS,
}


def _data_url(where: str, url: str) -> tuple[str, bytes]:
    head, sep, data = url.partition(",")
    if not (sep and head.startswith("data:") and head.endswith(";base64")):
        raise UnknownField("openai", f"{where} (not a base64 data URL)", url[:60])
    return head[len("data:") : -len(";base64")], _b64decode("openai", where, data)


def _openai_part(part: Mapping[str, Any], where: str) -> Part:
    kind = part.get("type")
    if kind == "text":
        _check_keys("openai", where, part, {"type", "text"})
        return Part("text", str(part["text"]))
    if kind == "image_url":
        _check_keys("openai", where, part, {"type", "image_url"})
        _check_keys("openai", f"{where}.image_url", part["image_url"], {"url"})
        return image_part(*_data_url(f"{where}.image_url.url", part["image_url"]["url"]))
    if kind == "input_audio":
        _check_keys("openai", where, part, {"type", "input_audio"})
        audio = part["input_audio"]
        _check_keys("openai", f"{where}.input_audio", audio, {"data", "format"})
        data = _b64decode("openai", f"{where}.input_audio.data", audio["data"])
        return Part("audio", f"{audio['format']} {_digest(data)}")
    if kind == "file":
        _check_keys("openai", where, part, {"type", "file"})
        _check_keys("openai", f"{where}.file", part["file"], {"file_data"})
        return inline_part(*_data_url(f"{where}.file.file_data", part["file"]["file_data"]))
    raise UnknownField("openai", where, part)


def _openai_messages(messages: list[Any]) -> tuple[Message, ...]:
    out = []
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        _check_keys("openai", where, message, {"role", "content"})
        role = message.get("role")
        if role not in ("system", "user", "assistant"):
            raise UnknownField("openai", f"{where}.role", role)
        content = message.get("content")
        if isinstance(content, str):
            parts: tuple[Part, ...] = (Part("text", content),)
        elif isinstance(content, list):
            parts = tuple(_openai_part(p, f"{where}.content[{i}]") for i, p in enumerate(content))
        else:
            raise UnknownField("openai", f"{where}.content", content)
        out.append(Message(role, parts))
    return tuple(out)


def _openai_response_format(response_format: Mapping[str, Any]) -> dict[str, Any]:
    kind = response_format.get("type")
    if kind == "json_object":
        _check_keys("openai", "response_format", response_format, {"type"})
        return {"type": "json_object"}
    if kind == "json_schema":
        _check_keys("openai", "response_format", response_format, {"type", "json_schema"})
        spec = response_format["json_schema"]
        _check_keys("openai", "response_format.json_schema", spec, {"schema"})
        return {"type": "json_schema", "schema": normalise_schema("openai", spec["schema"])}
    raise UnknownField("openai", "response_format", response_format)


def _openai_tools(tools: list[Any]) -> list[dict[str, Any]]:
    functions = []
    for index, tool in enumerate(tools):
        _check_keys("openai", f"tools[{index}]", tool, {"type", "function"})
        if tool.get("type") != "function":
            raise UnknownField("openai", f"tools[{index}].type", tool.get("type"))
        declaration = tool["function"]
        known = {"name", "description", "parameters"}
        _check_keys("openai", f"tools[{index}].function", declaration, known)
        functions.append(_function(declaration, "openai"))
    return functions


def _openai_thinking(body: Mapping[str, Any]) -> dict[str, Any] | None:
    """The thinking config of ``extra_body.google.thinking_config`` or of ``reasoning_effort``
    (as the endpoint maps it for the request's model, module docstring)."""
    extra = body.get("extra_body")
    if extra is not None:
        _check_keys("openai", "extra_body", extra, {"google"})
        _check_keys("openai", "extra_body.google", extra["google"], {"thinking_config"})
    config = ((extra or {}).get("google") or {}).get("thinking_config")
    effort = body.get("reasoning_effort")
    if config is not None and effort is not None:
        where = "reasoning_effort with thinking_config (the endpoint refuses)"
        raise UnknownField("openai", where, body)
    if config is not None:
        return _thinking(config, "openai", "extra_body.google.thinking_config")
    if effort is None:
        return None
    model = model_id(str(body.get("model", "")))
    if model.startswith("gemini-2.5") and effort in _EFFORT_BUDGETS:
        if not (effort == "none" and model.startswith("gemini-2.5-pro")):
            return {"thinking_budget": _EFFORT_BUDGETS[effort]}
    elif effort in ("minimal", "low", "medium", "high"):
        return {"thinking_level": effort}
    return {"reasoning_effort": effort}


def _openai_chat(body: Mapping[str, Any], key: str | None) -> NormalisedRequest:
    _check_keys("openai", "", body, _OPENAI_CHAT_KEYS)
    pairs: list[tuple[str, Any]] = [
        (_OPENAI_PARAMS[k], v) for k, v in body.items() if k in _OPENAI_PARAMS
    ]
    pairs = [(name, [v] if name == "stop" and isinstance(v, str) else v) for name, v in pairs]
    if "response_format" in body:
        pairs.append(("response_format", _openai_response_format(body["response_format"])))
    if body.get("tools"):
        pairs.append(("tools", _openai_tools(body["tools"])))
    if "tool_choice" in body:
        pairs.append(("tool_choice", body["tool_choice"]))
    thinking = _openai_thinking(body)
    if thinking is not None:
        pairs.append(("thinking_config", thinking))
    return NormalisedRequest(
        kind="chat",
        model=model_id(str(body.get("model", ""))),
        api_key=key,
        stream=bool(body.get("stream")),
        messages=_openai_messages(body.get("messages", [])),
        params=_params(pairs),
    )


def _openai_embed(body: Mapping[str, Any], key: str | None) -> NormalisedRequest:
    _check_keys("openai", "embeddings", body, {"model", "input", "dimensions"})
    raw = body.get("input")
    items = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(item, str) for item in items):
        raise UnknownField("openai", "input (token lists)", raw)
    size = body.get("dimensions")
    return NormalisedRequest(
        kind=_embed_kind(len(items)),
        model=model_id(str(body.get("model", ""))),
        api_key=key,
        inputs=tuple((Part("text", item),) for item in items),
        params=_params([("dimensions", size)] if size else []),
    )


def normalise_openai(request: RecordedRequest) -> NormalisedRequest:
    """Normalise an OpenAI request (``.../chat/completions``, ``/embeddings``, ``/models``)."""
    path = request.path.rstrip("/")
    body = request.json if isinstance(request.json, dict) else {}
    auth = request.headers.get("authorization", "")
    key = auth[len("Bearer ") :] if auth.startswith("Bearer ") else None
    if request.method == "POST" and path.endswith("/chat/completions"):
        return _openai_chat(body, key)
    if request.method == "POST" and path.endswith("/embeddings"):
        return _openai_embed(body, key)
    if request.method == "GET" and path.endswith("/models"):
        return NormalisedRequest(kind="list_models", api_key=key)
    if request.method == "GET" and "/models/" in path:
        name = urllib.parse.unquote(path.split("/models/", 1)[1])
        return NormalisedRequest(kind="get_model", model=model_id(name), api_key=key)
    raise UnknownField("openai", f"{request.method} {request.path}")
