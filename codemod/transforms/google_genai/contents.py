"""google-genai's `contents`, parts and `GenerateContentConfig` → OpenAI messages and options.

The rules are google-genai's own (`_transformers.t_contents` / `t_content` / `t_part`): a string
or a part is one user turn; in a list, consecutive parts make one user turn and each `Content`
is a turn of its own; a nested list is one user turn. `Part.from_text(text=x)` proves `x` is a
string (pydantic refuses anything else), so its text is passed as it is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Iterator

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis
from codemod.transforms.config import ConfigItem, Dropped
from codemod.transforms.contents import message
from codemod.transforms.google_genai.runtime import PIL_HELPER, helper_sources
from codemod.transforms.parts import (
    ASSISTANT_MEDIA,
    FILE_ADVICE,
    VIDEO_ADVICE,
    blob_part,
    helper_call,
    is_pil_image,
    text_part,
)
from codemod.transforms.plan import Unsupported
from codemod.transforms.schema import (
    Code,
    Json,
    JsonArray,
    JsonObject,
    expression,
    followed_names,
    obj,
    text,
)
from codemod.transforms.tools import openai_tools, tool_choice
from codemod.walk import descendants

ROLES = {"user": "user", "model": "assistant"}
TEXT_PARTS = frozenset({"types.Part.from_text", "types.Part"})
CONTENT_CLASSES = {"types.Content": None, "types.UserContent": "user", "types.ModelContent": "model"}
CONFIG_CLASS = "types.GenerateContentConfig"
UNPROVABLE = "contents whose type only the run can tell"
# Names that show the module handles what a conversion at run time cannot take: uploaded
# files, function calls and their results.
UNCONVERTIBLE = frozenset({"upload", "from_uri", "file_data", "function_call", "function_calls", "function_response", "from_function_response", "FunctionResponse", "FileData"})
RUNTIME_REFUSED = (
    "contents whose type only the run can tell, in a module that also handles uploaded files or "
    "function calls (which OpenAI messages cannot carry): convert them to OpenAI messages by hand"
)


class Unprovable(Unsupported):
    """The type of a value in the contents cannot be proven statically: the conversion at run
    time takes over (`runtime.py`)."""
NO_EQUIVALENT = {
    "top_k": "OpenAI's chat completions have no top_k",
    "safety_settings": "safety_settings has no OpenAI equivalent (the endpoint rejects it)",
}
UNSUPPORTED = {
    "cached_content": "a context cache has no OpenAI equivalent genai2openai writes: keep genai for this call",
    "response_modalities": "response_modalities (images or audio out) have no chat-completions equivalent: keep genai for this call",
    "speech_config": "speech output has no chat-completions equivalent: keep genai for this call",
    "automatic_function_calling": "automatic function calling has no OpenAI equivalent: run the tool loop by hand",
    "http_options": "per-request http_options are not migrated: pass timeout= to create() by hand",
    "labels": "labels are a Vertex AI feature with no OpenAI equivalent",
    "response_logprobs": "not verified against the OpenAI-compatible endpoint",
    "logprobs": "not verified against the OpenAI-compatible endpoint",
    "media_resolution": "media_resolution has no OpenAI equivalent",
    "audio_timestamp": "audio_timestamp has no OpenAI equivalent",
    "routing_config": "routing_config is a Vertex AI feature with no OpenAI equivalent",
    "model_selection_config": "model_selection_config is a Vertex AI feature with no OpenAI equivalent",
    "image_config": "image_config (image output) has no chat-completions equivalent",
}
THINKING_FIELDS = ("thinking_budget", "thinking_level", "include_thoughts")
THOUGHTS_SHOWN = (
    "include_thoughts=True: the endpoint then returns the thoughts inside the message text, where "
    "google-genai kept them out of response.text; keep genai for this call"
)


@dataclasses.dataclass(frozen=True)
class Request:
    """What a google-genai config asks for, in OpenAI terms."""

    system: cst.BaseExpression | None = None  # the system message's content
    items: tuple[ConfigItem, ...] = ()  # generation options (`config.to_openai` converts them)
    thinking: cst.BaseExpression | None = None  # the endpoint's `thinking_config` dict
    dropped: tuple[Dropped, ...] = ()
    response_format: cst.BaseExpression | None = None  # for a pydantic model or a JSON schema
    parsed_as: cst.Name | None = None  # the pydantic model `response.parsed` is validated with
    structured: bool = False  # a response schema: `response.parsed` reads JSON
    tools: cst.BaseExpression | None = None
    tool_choice: cst.BaseExpression | None = None
    consumed: tuple[cst.Name, ...] = ()  # variables read only to build what this request converted


def snake_case(name: str) -> str:
    """google-genai's models take camelCase aliases too (`responseMimeType`, `googleSearch`)."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


# ----------------------------------------------------------------- contents
def user_messages(
    contents: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str], inlined: frozenset[cst.CSTNode] = frozenset()
) -> list[cst.BaseExpression]:
    """The messages `contents` stands for (`t_contents`), or Unsupported. `inlined`: reads of
    files uploaded with the Files API whose uploads became OpenAI content parts."""
    if isinstance(contents, cst.List):
        return _list_messages(contents, analysis, helpers, inlined)
    if isinstance(contents, cst.Tuple):  # t_content: UserContent(parts=contents)
        parts = [_part(e.value, analysis, helpers, inlined) for e in contents.elements if isinstance(e, cst.Element)]
        if len(parts) != len(contents.elements) or not parts:
            raise Unsupported("a contents tuple uses * or is empty")
        return [message("user", _joined(parts))]
    content = _content(contents, analysis, helpers, inlined)
    if content is not None:
        return [content]
    return [message("user", _joined([_part(contents, analysis, helpers, inlined)]))]


def _list_messages(contents: cst.List, analysis: ModuleAnalysis, helpers: dict[str, str], inlined: frozenset[cst.CSTNode]) -> list[cst.BaseExpression]:
    elements = [e.value for e in contents.elements if isinstance(e, cst.Element)]
    if len(elements) != len(contents.elements) or not elements:
        raise Unsupported("contents list uses * or is empty (google-genai refuses an empty one)")
    messages: list[cst.BaseExpression] = []
    pending: list[tuple[bool, cst.BaseExpression]] = []
    for element in elements:
        content = _content(element, analysis, helpers, inlined)
        if content is None and isinstance(element, cst.List):
            content = message("user", _joined([_part(e.value, analysis, helpers, inlined) for e in element.elements if isinstance(e, cst.Element)]))
        if content is None:
            pending.append(_part(element, analysis, helpers, inlined))
            continue
        if pending:
            messages.append(message("user", _joined(pending)))
            pending = []
        messages.append(content)
    if pending:
        messages.append(message("user", _joined(pending)))
    return messages


def _content(node: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str], inlined: frozenset[cst.CSTNode]) -> cst.BaseExpression | None:
    """The message for a `types.Content(role=..., parts=[...])` (or its dict), None for anything else."""
    if isinstance(node, cst.Call) and analysis.client_sdk_name(node.func) in CONTENT_CLASSES:
        fields = keyword_fields(node, "Content")
        role: cst.BaseExpression | str | None = CONTENT_CLASSES[analysis.client_sdk_name(node.func)]  # type: ignore[index]
        if role is None:
            role = fields.get("role")
        return _turn(role, fields.get("parts"), analysis, helpers, inlined)
    if isinstance(node, cst.Dict) and "role" in (fields := dict_fields(node)):
        return _turn(fields["role"], fields.get("parts"), analysis, helpers, inlined)
    return None


def _turn(
    role: cst.BaseExpression | str | None, parts: cst.BaseExpression | None, analysis: ModuleAnalysis, helpers: dict[str, str], inlined: frozenset[cst.CSTNode]
) -> cst.BaseExpression:
    text = role if isinstance(role, str) else role.evaluated_value if isinstance(role, cst.SimpleString) else None
    if text not in ROLES:
        raise Unsupported("a Content without a literal role \"user\" or \"model\"")
    if parts is None:
        raise Unsupported("a Content without parts")
    items = [e.value for e in parts.elements if isinstance(e, cst.Element)] if isinstance(parts, cst.List) else [parts]
    if isinstance(parts, cst.List) and (len(items) != len(parts.elements) or not items):
        raise Unsupported("a Content's parts use * or are empty")
    found = [_part(item, analysis, helpers, inlined) for item in items]
    if text == "model" and not all(is_text for is_text, _ in found):
        raise Unsupported(ASSISTANT_MEDIA)
    return message(ROLES[str(text)], _joined(found))


def _part(part: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str], inlined: frozenset[cst.CSTNode] = frozenset()) -> tuple[bool, cst.BaseExpression]:
    """(is it text, the text or the OpenAI content part) for one google-genai part."""
    if part in inlined:
        return False, part  # an upload that became the OpenAI content part itself
    if analysis.is_text(part):
        return True, part
    if isinstance(part, cst.Call):
        name = analysis.client_sdk_name(part.func)
        if name in TEXT_PARTS:
            fields = keyword_fields(part, name)
            if set(fields) == {"text"}:
                return True, fields["text"]
            if name == "types.Part" and set(fields) == {"inline_data"}:
                return False, _blob(fields["inline_data"], analysis, helpers)
            raise Unsupported(f"a {name}(...) with {', '.join(sorted(fields)) or 'no fields'}: build the OpenAI content part by hand")
        if name == "types.Part.from_bytes":
            fields = keyword_fields(part, name)
            if set(fields) != {"data", "mime_type"}:
                raise Unsupported("Part.from_bytes without data= and mime_type=")
            return False, blob_part(fields["mime_type"], fields["data"], analysis, helpers)
        if name == "types.Part.from_uri":
            raise Unsupported(f"a file referenced by URI: {FILE_ADVICE}")
        if name is not None:
            raise Unsupported(f"a {name}(...) part has no OpenAI content part genai2openai knows")
    if isinstance(part, cst.Dict):
        fields = dict_fields(part)
        if set(fields) == {"text"}:
            return True, fields["text"]
        raise Unsupported("a part dict other than {\"text\": ...}: build the OpenAI content part by hand")
    if is_pil_image(part, analysis):
        return False, helper_call(PIL_HELPER, helper_sources(PIL_HELPER), [part], analysis, helpers)
    if isinstance(part, (cst.Integer, cst.Float, cst.Imaginary, cst.Set, cst.Lambda)) or (isinstance(part, cst.SimpleString) and "b" in part.prefix.lower()):
        raise Unsupported("a part is neither text nor an image, audio or PDF genai2openai can convert")
    raise Unprovable(UNPROVABLE)


def at_run_time(value: cst.BaseExpression, helper: str, analysis: ModuleAnalysis, helpers: dict[str, str], kept: list[cst.CSTNode]) -> cst.BaseExpression:
    """`helper(value)`: the conversion at run time, unless the module visibly handles what it
    cannot take (then Unsupported). `value` joins `kept`: it stays in the new code as written."""
    if analysis.reads_attribute(UNCONVERTIBLE):
        raise Unsupported(RUNTIME_REFUSED)
    kept.append(value)  # what it reads (google-genai's `types`...) stays read: its imports stay
    return helper_call(helper, helper_sources(helper), [value], analysis, helpers)


def _blob(value: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str]) -> cst.BaseExpression:
    """`types.Blob(mime_type=..., data=...)` (or its dict) as an OpenAI content part."""
    fields = literal_fields(value, "Blob", analysis, "inline_data")
    if set(fields) != {"data", "mime_type"}:
        raise Unsupported("inline data without data= and mime_type=")
    mime = fields["mime_type"]
    if isinstance(mime, cst.SimpleString) and str(mime.evaluated_value).startswith("video/"):
        raise Unsupported(VIDEO_ADVICE)
    return blob_part(mime, fields["data"], analysis, helpers)


def _joined(parts: list[tuple[bool, cst.BaseExpression]]) -> cst.BaseExpression:
    """A bare string for one text part, else a list of OpenAI content parts (order kept)."""
    if len(parts) == 1 and parts[0][0]:
        return parts[0][1]
    return cst.List([cst.Element(text_part(value) if is_text else value) for is_text, value in parts])


def _config_literal(value: cst.BaseExpression, keyword: str, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The literal a variable holds when it is bound once and read only as this field of
    `GenerateContentConfig(...)` calls (nothing else sees or changes it); else `value`."""
    if not isinstance(value, cst.Name):
        return value
    values = analysis.values_of_name(value)
    if not values or len(values) != 1 or not analysis.read_only_as(value, keyword, lambda call: analysis.client_sdk_name(call.func) == CONFIG_CLASS):
        return value
    return values[0]


def system_content(value: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str]) -> cst.BaseExpression:
    """The system message's content for `system_instruction` (`t_content`: text, a part, a
    list of parts or a Content); text only, as OpenAI system messages take."""
    value = _config_literal(value, "system_instruction", analysis)
    if isinstance(value, cst.List):
        found = [_part(e.value, analysis, helpers) for e in value.elements if isinstance(e, cst.Element)]
        if len(found) != len(value.elements) or not found:
            raise Unsupported("system_instruction list uses * or is empty")
    elif isinstance(value, cst.Call) and analysis.client_sdk_name(value.func) in CONTENT_CLASSES:
        parts = keyword_fields(value, "Content").get("parts")
        items = parts.elements if isinstance(parts, cst.List) else ()
        found = [_part(e.value, analysis, helpers) for e in items if isinstance(e, cst.Element)]
        if not found or len(found) != len(items):
            raise Unsupported("a system_instruction Content whose parts are not a literal list")
    else:
        found = [_part(value, analysis, helpers)]
    if not all(is_text for is_text, _ in found):
        raise Unsupported("an image or file in system_instruction: OpenAI system messages carry text only")
    return _joined(found)


# ----------------------------------------------------------------- config
GENERATION_FIELDS = ("temperature", "top_p", "max_output_tokens", "stop_sequences", "candidate_count", "presence_penalty", "frequency_penalty", "response_mime_type", "seed")
PYDANTIC_BASES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel"})
SCHEMA_WITHOUT_JSON = (
    'a response schema without response_mime_type="application/json": the Gemini API takes a '
    "schema only with a JSON mime type; set it, then run genai2openai again"
)


def read_config(config: cst.BaseExpression | None, analysis: ModuleAnalysis, helpers: dict[str, str]) -> Request:
    """The request a literal `GenerateContentConfig(...)` (or its dict) asks for."""
    if config is None or m.matches(config, m.Name("None")):
        return Request()
    fields = literal_fields(config, "GenerateContentConfig", analysis, "a config")
    fields = {key: value for key, value in fields.items() if not m.matches(value, m.Name("None"))}
    system = None
    items: list[ConfigItem] = []
    dropped: list[Dropped] = []
    thinking = None
    for key, value in fields.items():
        if key == "system_instruction":
            system = system_content(value, analysis, helpers)
        elif key in NO_EQUIVALENT:
            dropped.append(Dropped(key, cst.Module([]).code_for_node(value) if key != "safety_settings" else "...", NO_EQUIVALENT[key]))
        elif key == "thinking_config":
            thinking = thinking_config(value, analysis)
        elif key in ("tools", "tool_config", "response_schema", "response_json_schema"):
            pass  # read below, together
        elif key in UNSUPPORTED:
            raise Unsupported(UNSUPPORTED[key])
        elif key in GENERATION_FIELDS:
            items.append(ConfigItem(key, value, value))
        else:
            raise Unsupported(f"config option `{key}` is not migrated")
    request = Request(system, tuple(items), thinking, tuple(dropped))
    request = _with_schema(request, fields, analysis)
    return _with_tools(request, fields, analysis)


def _with_schema(request: Request, fields: dict[str, cst.BaseExpression], analysis: ModuleAnalysis) -> Request:
    """A `response_schema` (a Schema literal, a pydantic model) or `response_json_schema`."""
    schema, json_schema = fields.get("response_schema"), fields.get("response_json_schema")
    if schema is None and json_schema is None:
        return request
    if schema is not None and json_schema is not None:
        raise Unsupported("both response_schema and response_json_schema: the Gemini API refuses that")
    mime = fields.get("response_mime_type")
    if not m.matches(mime, m.SimpleString('"application/json"') | m.SimpleString("'application/json'")):
        raise Unsupported(SCHEMA_WITHOUT_JSON)
    model = pydantic_model(schema, analysis) if schema is not None else None
    if schema is not None and model is None:
        return dataclasses.replace(request, items=(*request.items, ConfigItem("response_schema", schema, schema)), structured=True)
    items = tuple(i for i in request.items if i.key != "response_mime_type")
    if model is not None:
        named: tuple[str, Json] = (model.value, Code(f"{model.value}.model_json_schema()"))
    else:
        assert json_schema is not None
        named = ("response", literal_json(json_schema))
    value = obj(("type", text("json_schema")), ("json_schema", obj(("name", text(named[0])), ("schema", named[1]))))
    return dataclasses.replace(request, items=items, response_format=expression(value, "response_format"), parsed_as=model, structured=True)


def literal_json(value: cst.BaseExpression) -> Json:
    """A dict / list literal as JSON values (re-laid out); anything else as written."""
    if isinstance(value, cst.Dict) and all(isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString) for e in value.elements):
        return JsonObject(tuple((Code(e.key.value), literal_json(e.value)) for e in value.elements))  # type: ignore[union-attr]
    if isinstance(value, cst.List) and all(isinstance(e, cst.Element) for e in value.elements):
        return JsonArray(tuple(literal_json(e.value) for e in value.elements))
    return Code(cst.Module([]).code_for_node(value))


def pydantic_model(schema: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.Name | None:
    """`schema` when it names a pydantic model class this module defines, else None."""
    if not isinstance(schema, cst.Name):
        return None
    for referent in analysis.referents(schema) or ():
        node = getattr(referent, "node", None)
        if isinstance(node, cst.ClassDef) and any(analysis.qualified_names(base.value) & PYDANTIC_BASES for base in node.bases) and len(analysis.referents(schema) or ()) == 1:
            return schema
    return None


@contextlib.contextmanager
def for_client_sdk() -> Iterator[None]:
    """google.generativeai's conversions (schemas, tools) reused for google-genai: their refusals
    name what genai2openai converts, not what google.generativeai accepted."""
    try:
        yield
    except Unsupported as error:
        text = str(error).replace("is not one genai 0.8.6 accepts", "is not one genai2openai converts")
        text = text.replace("genai's Schema requires one", "genai2openai needs one").replace("(genai raised ValueError)", "")
        raise Unsupported(text.strip()) from None


def _with_tools(request: Request, fields: dict[str, cst.BaseExpression], analysis: ModuleAnalysis) -> Request:
    """Function declarations → OpenAI tools, `tool_config` → `tool_choice`."""
    tools, config = fields.get("tools"), fields.get("tool_config")
    if tools is None:
        if config is not None:
            raise Unsupported("tool_config without tools: OpenAI takes tool_choice only with tools")
        return request
    advice = _builtin_tool_advice(tools, analysis)
    if advice is not None:
        raise Unsupported(advice)
    with for_client_sdk():
        converted = openai_tools(tools, analysis)
        choice = tool_choice(config, analysis) if config is not None else None
    consumed = tuple(followed_names(tools, analysis)) + (tuple(followed_names(config, analysis)) if config is not None else ())
    return dataclasses.replace(request, tools=converted, tool_choice=choice, consumed=consumed)


def thinking_config(value: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The endpoint's `thinking_config` (google's own fields, passed through `extra_body`)."""
    fields = literal_fields(value, "ThinkingConfig", analysis, "a thinking_config")
    fields = {k: v for k, v in fields.items() if not m.matches(v, m.Name("None"))}
    for key, field in fields.items():
        if key not in THINKING_FIELDS:
            raise Unsupported(f"thinking_config option `{key}` is not migrated")
        if key == "include_thoughts" and not m.matches(field, m.Name("False")):
            raise Unsupported(THOUGHTS_SHOWN)
    entries = []
    for key, field in fields.items():
        if key == "thinking_level":
            field = _thinking_level(field, analysis)
        entries.append(cst.DictElement(cst.SimpleString(f'"{key}"'), field))
    return cst.Dict(entries)


def _thinking_level(value: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """`types.ThinkingLevel.HIGH` → `"high"`; a literal string as it is."""
    if isinstance(value, cst.SimpleString):
        return value
    name = analysis.client_sdk_name(value)
    if name is not None and name.startswith("types.ThinkingLevel."):
        return cst.SimpleString(f'"{name.rsplit(".", 1)[-1].lower()}"')
    raise Unsupported("a thinking_level that is not a literal")


GROUNDING = {
    "google_search": "the Google Search tool (grounding) has no equivalent on the OpenAI-compatible endpoint: keep google-genai for this call",
    "google_search_retrieval": "the Google Search tool (grounding) has no equivalent on the OpenAI-compatible endpoint: keep google-genai for this call",
    "code_execution": "the code execution tool has no equivalent on the OpenAI-compatible endpoint: keep google-genai for this call",
    "url_context": "the URL context tool has no equivalent on the OpenAI-compatible endpoint: keep google-genai for this call",
}


def _builtin_tool_advice(value: cst.BaseExpression, analysis: ModuleAnalysis) -> str | None:
    """Why these tools stay, when one is a Google built-in tool (no equivalent)."""
    values = [value, *(analysis.sources(value) or [])] if isinstance(value, cst.Name) else [value]
    for node in (n for v in values for n in descendants(v)):
        if isinstance(node, cst.Call) and analysis.client_sdk_name(node.func) == "types.Tool":
            for arg in node.args:
                key = snake_case(arg.keyword.value) if arg.keyword is not None else ""
                if key in GROUNDING:
                    return GROUNDING[key]
    return None


# ----------------------------------------------------------------- fields
def literal_fields(value: cst.BaseExpression, model: str, analysis: ModuleAnalysis, what: str) -> dict[str, cst.BaseExpression]:
    """The fields of a google-genai model written as `types.<model>(...)` or as a dict literal;
    Unsupported for anything else (`what` names the value in the message)."""
    if isinstance(value, cst.Call) and analysis.client_sdk_name(value.func) == f"types.{model}":
        return keyword_fields(value, model)
    if isinstance(value, cst.Dict):
        return dict_fields(value)
    raise Unsupported(f"{what} that is not a {model}(...) or dict literal: genai2openai cannot read it")


def keyword_fields(call: cst.Call, what: str) -> dict[str, cst.BaseExpression]:
    """A google-genai model's fields by their snake_case names (keywords only, as pydantic takes)."""
    if any(arg.keyword is None for arg in call.args):
        raise Unsupported(f"{what}(...) with positional or ** arguments: genai2openai cannot read it")
    return {snake_case(arg.keyword.value): arg.value for arg in call.args if arg.keyword is not None}


def dict_fields(value: cst.Dict) -> dict[str, cst.BaseExpression]:
    fields = {}
    for element in value.elements:
        if not (isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString) and isinstance(element.key.evaluated_value, str)):
            raise Unsupported("a dict with keys that are not string literals: genai2openai cannot read it")
        fields[snake_case(element.key.evaluated_value)] = element.value
    return fields
