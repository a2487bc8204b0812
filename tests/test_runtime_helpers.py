"""The runtime conversion helpers do what google.generativeai itself did with the same value.

Each property feeds one generated value to genai's own request building
(`GenerativeModel._prepare_request`, the code between a `generate_content` call and the wire) and
to the helper the migration emits (`codemod/transforms/runtime.py`), then compares the two
requests in one normal form: (role, parts) turns with media as (kind, mime type or format,
decoded bytes), and generation parameters in OpenAI's names.
"""

from __future__ import annotations

import base64
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.transforms.runtime import (
    CONFIG_HELPER,
    GENERATION_CONFIG_HELPER,
    MESSAGE_HELPER,
    MESSAGES_HELPER,
    helper_sources,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    genai = pytest.importorskip("google.generativeai")
Image = pytest.importorskip("PIL.Image")

RENAMED = {"max_output_tokens": "max_tokens", "candidate_count": "n", "stop_sequences": "stop"}
ROLES = {"": "user", "user": "user", "model": "assistant"}
WAV = {"audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/mp3": "mp3", "audio/mpeg": "mp3"}


def _helpers() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    for name in (MESSAGES_HELPER, CONFIG_HELPER, GENERATION_CONFIG_HELPER):
        for source in helper_sources(name).values():
            exec(source, namespace)  # noqa: S102 - the helpers' own source, as emitted
    return namespace


HELPERS = _helpers()


def _genai_request(contents: Any = "x", model_config: Any = None, call_config: Any = None) -> dict[str, Any]:
    model = genai.GenerativeModel("m", generation_config=model_config)
    request = model._prepare_request(contents=contents, generation_config=call_config, tools=None, tool_config=None)
    return type(request).to_dict(request, preserving_proto_field_name=True)


# ----------------------------------------------------------------- normal forms
def _genai_part(part: dict[str, Any]) -> tuple[Any, ...]:
    if "text" in part:
        return ("text", part["text"])
    blob = part["inline_data"]
    data = base64.b64decode(blob["data"])
    mime = blob["mime_type"]
    if mime.startswith("image/"):
        return ("image", mime, data)
    if mime in WAV:
        return ("audio", WAV[mime], data)
    return ("file", mime, data)


def _genai_turns(request: dict[str, Any]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    return [(ROLES[c["role"]], [_genai_part(p) for p in c["parts"]]) for c in request["contents"]]


def _openai_part(part: dict[str, Any]) -> tuple[Any, ...]:
    if part["type"] == "text":
        return ("text", part["text"])
    if part["type"] == "image_url":
        header, data = part["image_url"]["url"].split(",", 1)
        return ("image", header[len("data:") : -len(";base64")], base64.b64decode(data))
    if part["type"] == "input_audio":
        return ("audio", part["input_audio"]["format"], base64.b64decode(part["input_audio"]["data"]))
    header, data = part["file"]["file_data"].split(",", 1)
    return ("file", header[len("data:") : -len(";base64")], base64.b64decode(data))


def _openai_turns(messages: list[dict[str, Any]]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    turns = []
    for message in messages:
        content = message["content"]
        parts = [("text", content)] if isinstance(content, str) else [_openai_part(p) for p in content]
        turns.append((message["role"], parts))
    return turns


def _genai_parameters(request: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for key, value in request.get("generation_config", {}).items():
        if value in ([], "", None) or key == "response_modalities":
            continue
        if key == "response_mime_type":
            if value == "application/json":
                found["response_format"] = {"type": "json_object"}
            continue
        found[RENAMED.get(key, key)] = value
    return found


# ----------------------------------------------------------------- generated values
def _png(color: tuple[int, int, int]) -> Any:
    return Image.new("RGB", (2, 2), color)


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
images = st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(_png)
payloads = st.binary(min_size=1, max_size=16)
blobs = st.builds(
    lambda mime, data, as_text: {"mime_type": mime, "data": base64.b64encode(data).decode() if as_text else data},
    st.sampled_from(["image/png", "image/jpeg", "audio/wav", "audio/mp3", "application/pdf"]),
    payloads,
    st.booleans(),
)
proto_parts = st.one_of(
    texts.map(lambda t: genai.protos.Part(text=t)),
    st.builds(lambda d: genai.protos.Part(inline_data=genai.protos.Blob(mime_type="image/png", data=d)), payloads),
)
user_parts = st.one_of(
    texts,
    images,
    blobs,
    texts.map(lambda t: {"text": t}),
    blobs.map(lambda b: {"inline_data": b}),
    proto_parts,
)
text_parts = st.one_of(texts, texts.map(lambda t: {"text": t}))


def _turn(role: str, parts: list[Any]) -> dict[str, Any]:
    return {"role": role, "parts": parts[0] if len(parts) == 1 and isinstance(parts[0], str) else parts}


turns = st.one_of(
    st.lists(user_parts, min_size=1, max_size=3).map(lambda p: _turn("user", p)),
    st.lists(text_parts, min_size=1, max_size=2).map(lambda p: _turn("model", p)),
)
contents = st.one_of(
    user_parts,
    st.lists(user_parts, min_size=1, max_size=4),
    st.lists(user_parts, min_size=1, max_size=3).map(tuple),
    st.lists(turns, min_size=1, max_size=4),
)

OPTION_VALUES = {
    "temperature": st.floats(0, 2, allow_nan=False).map(lambda x: round(x, 2)),
    "top_p": st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 2)),
    "max_output_tokens": st.integers(1, 4096),
    "candidate_count": st.integers(1, 4),
    "stop_sequences": st.lists(texts, min_size=1, max_size=2),
    "presence_penalty": st.floats(-1, 1, allow_nan=False).map(lambda x: round(x, 2)),
    "frequency_penalty": st.floats(-1, 1, allow_nan=False).map(lambda x: round(x, 2)),
    "response_mime_type": st.sampled_from(["application/json", "text/plain"]),
}
configs = st.one_of(
    st.none(),
    st.fixed_dictionaries({}, optional={k: st.one_of(st.none(), v) for k, v in OPTION_VALUES.items()}),
    st.fixed_dictionaries({}, optional=OPTION_VALUES).map(lambda d: genai.GenerationConfig(**d)),
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------- properties
@SETTINGS
@given(contents)
def test_messages_helper_sends_what_genai_sent(value: Any) -> None:
    expected = _genai_turns(_genai_request(contents=value))
    assert _openai_turns(HELPERS[MESSAGES_HELPER](value)) == expected


@SETTINGS
@given(st.one_of(user_parts, st.lists(user_parts, min_size=1, max_size=3), turns))
def test_message_helper_sends_what_genai_sent(value: Any) -> None:
    """send_message's `to_content`: one turn, "user" when the value has no role."""
    content = genai.types.content_types.to_content(value)
    role = content.role or "user"
    expected = [(ROLES[role], [_genai_part(p) for p in type(content).to_dict(content, preserving_proto_field_name=True)["parts"]])]
    assert _openai_turns([HELPERS[MESSAGE_HELPER](value)]) == expected


@SETTINGS
@given(configs, configs)
def test_config_helper_sends_what_genai_sent(model_config: Any, call_config: Any) -> None:
    expected = _genai_parameters(_genai_request(model_config=model_config, call_config=call_config))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert HELPERS[CONFIG_HELPER](model_config, call_config) == expected


@SETTINGS
@given(st.fixed_dictionaries({}, optional={k: st.one_of(st.none(), v) for k, v in OPTION_VALUES.items()}), configs)
def test_generation_config_helper_is_genai_s_dataclass(options: dict[str, Any], call_config: Any) -> None:
    """`GenerationConfig(**options)` rewritten as `_genai2openai_generation_config(**options)`
    makes the same request, merged under the call's config as genai merged the dataclass."""
    expected = _genai_parameters(_genai_request(model_config=genai.GenerationConfig(**options), call_config=call_config))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert HELPERS[CONFIG_HELPER](HELPERS[GENERATION_CONFIG_HELPER](**options), call_config) == expected
    with pytest.raises(TypeError):
        HELPERS[GENERATION_CONFIG_HELPER](**options, temprature=1)


def test_config_helper_warns_about_what_it_drops() -> None:
    with pytest.warns(UserWarning, match="dropped top_k"):
        assert HELPERS[CONFIG_HELPER]({"top_k": 3, "temperature": 0.5}) == {"temperature": 0.5}


@pytest.mark.parametrize(
    "value",
    [{"role": "model", "parts": [_png((1, 2, 3))]}, {"role": "function", "parts": ["x"]}, {"file_data": {"file_uri": "u"}}, 3],
    ids=["image-in-model-turn", "function-role", "file-data", "number"],
)
def test_what_openai_cannot_carry_raises(value: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        HELPERS[MESSAGES_HELPER]([value] if isinstance(value, dict) and "role" in value else value)


def test_an_image_opened_from_a_file_keeps_its_bytes(tmp_path: Any) -> None:
    path = tmp_path / "photo.png"
    _png((9, 9, 9)).save(path)
    with Image.open(path) as opened:
        [message] = HELPERS[MESSAGES_HELPER](["look", opened])
        expected = _genai_turns(_genai_request(contents=["look", opened]))
    assert _openai_turns([message]) == expected
    assert expected[0][1][1] == ("image", "image/png", path.read_bytes())


def test_empty_text_is_refused_as_genai_refused() -> None:
    with pytest.raises(ValueError):
        _genai_request(contents="")
    with pytest.raises(ValueError):
        HELPERS[MESSAGES_HELPER]("")


def test_config_helper_maps_the_names_the_static_mapping_does() -> None:
    """The emitted helper's table and `config.RENAMED` (the static path's) are two copies: they agree."""
    from codemod.transforms.config import RENAMED as STATIC

    for key, name in STATIC.items():
        assert HELPERS[CONFIG_HELPER]({key: 1}) == {name: 1}
