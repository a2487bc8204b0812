"""Conversions done at run time, where static proof ends.

When the type of a value cannot be proven statically (contents passed in as a parameter, a
history list built by code, a generation config filled in by `if`s), the migrated code hands it
to a small helper emitted once per file that does at run time what google.generativeai 0.8.6
itself did with that value (`content_types.to_contents` / `to_content` / `to_part`,
`generation_types.to_generation_config_dict` and `GenerativeModel._prepare_request`'s merge), and
builds the OpenAI equivalent. Helpers use the standard library only: a PIL image is recognised
through `sys.modules` (a program that never imported PIL holds no PIL image).

What has no OpenAI equivalent (uploaded files, function-call parts, video, a role other than
user/model) makes a helper raise with the reason, where genai would have sent it.
"""

from __future__ import annotations

from collections.abc import Mapping

from codemod.transforms.parts import (
    BLOB_HELPER,
    BLOB_HELPER_SOURCE,
    IMAGE_HELPER,
    IMAGE_HELPER_SOURCE,
)

MESSAGES_HELPER = "_genai2openai_messages"
MESSAGE_HELPER = "_genai2openai_message"
PART_HELPER = "_genai2openai_part"
CONFIG_HELPER = "_genai2openai_config"
GENERATION_CONFIG_HELPER = "_genai2openai_generation_config"

MESSAGES_HELPER_SOURCE = f'''\
def {MESSAGES_HELPER}(contents):
    """genai contents as OpenAI messages, by google.generativeai's rules (to_contents):
    a list of contents (dicts with "parts", protos.Content) is one message each;
    anything else (text, an image, a part, a list of parts) is one user message."""
    from collections.abc import Iterable, Mapping

    if contents is None:
        return []
    if isinstance(contents, Iterable) and not isinstance(contents, (str, Mapping)):
        contents = list(contents)
        if all(
            (isinstance(c, Mapping) and "parts" in c) or type(c).__name__ == "Content"
            for c in contents
        ):
            return [{MESSAGE_HELPER}(c) for c in contents]
    return [{MESSAGE_HELPER}(contents)]
'''

MESSAGE_HELPER_SOURCE = f'''\
def {MESSAGE_HELPER}(content):
    """One genai content (a dict with "parts", a protos.Content, a part or a list of
    parts) as an OpenAI message, by genai's rules (to_content); no role means user."""
    from collections.abc import Iterable, Mapping

    if not content:
        raise ValueError("Invalid input: 'content' argument must not be empty.")
    role, parts = "", content
    if isinstance(content, Mapping) and "parts" in content:
        role, parts = content.get("role", ""), content["parts"]
        parts = [parts] if isinstance(parts, str) else parts
    elif type(content).__name__ == "Content" and hasattr(content, "parts"):
        role, parts = content.role, content.parts
    elif (
        isinstance(content, str)
        or isinstance(content, Mapping)
        or not isinstance(content, Iterable)
    ):
        parts = [content]
    roles = {{"": "user", "user": "user", "model": "assistant"}}
    if role not in roles:
        raise ValueError("genai2openai: OpenAI messages have no role " + repr(role))
    converted = [{PART_HELPER}(part) for part in parts]
    if roles[role] == "assistant" and any(p["type"] != "text" for p in converted):
        raise ValueError("genai2openai: OpenAI assistant messages carry text only")
    if len(converted) == 1 and converted[0]["type"] == "text":
        return {{"role": roles[role], "content": converted[0]["text"]}}
    return {{"role": roles[role], "content": converted}}
'''

PART_HELPER_SOURCE = f'''\
def {PART_HELPER}(part):
    """One genai part (text, a PIL image, a {{"mime_type", "data"}} blob, {{"text"}} or
    {{"inline_data"}} dicts, protos.Part/Blob) as an OpenAI content part (to_part)."""
    import sys
    from collections.abc import Mapping

    if type(part).__name__ == "Part" and hasattr(type(part), "pb"):
        field = type(part).pb(part).WhichOneof("data")
        part = {{field: getattr(part, field)}}
    elif type(part).__name__ == "Blob" and hasattr(type(part), "pb"):
        part = {{"mime_type": part.mime_type, "data": part.data}}
    if isinstance(part, str):
        return {{"type": "text", "text": part}}
    if isinstance(part, Mapping) and list(part) == ["text"]:
        return {{"type": "text", "text": part["text"]}}
    if isinstance(part, Mapping) and list(part) == ["inline_data"]:
        return {PART_HELPER}(part["inline_data"])
    if (
        isinstance(part, Mapping)
        and "parts" not in part
        and "mime_type" in part
        and "data" in part
    ):
        return {BLOB_HELPER}(part["mime_type"], part["data"])
    image = sys.modules.get("PIL.Image")
    if image is not None and isinstance(part, image.Image):
        return {IMAGE_HELPER}(part)
    if isinstance(part, Mapping) and "parts" not in part and len(part) != 1:
        raise KeyError(
            "Unable to determine the intended type of the `dict`: " + repr(list(part))
        )
    raise TypeError("genai2openai: no OpenAI content part for " + type(part).__name__)
'''

CONFIG_HELPER_SOURCE = f'''\
def {CONFIG_HELPER}(*configs):
    """genai generation configs (dicts, GenerationConfig) as chat.completions.create()
    arguments: later configs override earlier ones key by key and None unsets a key,
    as google.generativeai merged them; options OpenAI has no equivalent for are
    dropped with a warning, never sent."""
    import dataclasses
    import warnings

    renamed = {{
        "temperature": "temperature",
        "top_p": "top_p",
        "presence_penalty": "presence_penalty",
        "frequency_penalty": "frequency_penalty",
        "max_output_tokens": "max_tokens",
        "candidate_count": "n",
        "stop_sequences": "stop",
    }}
    merged = {{}}
    for config in configs:
        if dataclasses.is_dataclass(config):
            config = {{
                k: v for k, v in dataclasses.asdict(config).items() if v is not None
            }}
        merged.update(config or {{}})
    arguments = {{}}
    for key, value in merged.items():
        if value is None or (key == "response_mime_type" and value == "text/plain"):
            continue
        if key in renamed:
            arguments[renamed[key]] = value
        elif key == "response_mime_type" and value == "application/json":
            arguments["response_format"] = {{"type": "json_object"}}
        elif key in ("response_mime_type", "response_schema"):
            raise ValueError(
                "genai2openai: "
                + key
                + " "
                + repr(value)
                + " is not converted at run time"
            )
        else:
            warnings.warn(
                "genai2openai: dropped " + key + ": no OpenAI equivalent", stacklevel=2
            )
    return arguments
'''

GENERATION_CONFIG_HELPER_SOURCE = f'''\
def {GENERATION_CONFIG_HELPER}(**options):
    """genai.GenerationConfig(...) as the dict genai made of it: its fields only
    (TypeError otherwise, as the dataclass raised), None fields left out."""
    fields = (
        "candidate_count",
        "stop_sequences",
        "max_output_tokens",
        "temperature",
        "top_p",
        "top_k",
        "response_mime_type",
        "response_schema",
        "presence_penalty",
        "frequency_penalty",
    )
    unknown = sorted(set(options) - set(fields))
    if unknown:
        raise TypeError(
            "GenerationConfig() got unexpected keyword arguments: " + ", ".join(unknown)
        )
    return {{key: value for key, value in options.items() if value is not None}}
'''

# Each helper with the helpers it calls, in the order they are emitted.
HELPERS = {
    MESSAGES_HELPER: (MESSAGES_HELPER_SOURCE, MESSAGE_HELPER),
    MESSAGE_HELPER: (MESSAGE_HELPER_SOURCE, PART_HELPER),
    PART_HELPER: (PART_HELPER_SOURCE, IMAGE_HELPER, BLOB_HELPER),
    IMAGE_HELPER: (IMAGE_HELPER_SOURCE,),
    BLOB_HELPER: (BLOB_HELPER_SOURCE,),
    CONFIG_HELPER: (CONFIG_HELPER_SOURCE,),
    GENERATION_CONFIG_HELPER: (GENERATION_CONFIG_HELPER_SOURCE,),
}


def helper_sources(name: str, table: Mapping[str, tuple[str, ...]] = HELPERS) -> dict[str, str]:
    """`name`'s source and the sources of every helper it calls, by name (`table`: each
    helper's source and the helpers it calls)."""
    source, *calls = table[name]
    found = {name: source}
    for call in calls:
        found.update(helper_sources(call, table))
    return found
