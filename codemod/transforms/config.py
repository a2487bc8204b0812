"""Generation config: where it is written, and what each genai option becomes in OpenAI."""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis
from codemod.transforms.parts import helper_call
from codemod.transforms.plan import Unsupported
from codemod.transforms.runtime import CONFIG_HELPER, helper_sources
from codemod.transforms.schema import response_format
from codemod.walk import descendants

RENAMED = {
    "temperature": "temperature",
    "top_p": "top_p",
    "presence_penalty": "presence_penalty",
    "frequency_penalty": "frequency_penalty",
    "max_output_tokens": "max_tokens",
    "candidate_count": "n",
    "stop_sequences": "stop",
}
NO_EQUIVALENT = {
    "top_k": "OpenAI's chat completions have no top_k",
    "response_logprobs": "not verified against the OpenAI-compatible endpoint",
    "logprobs": "not verified against the OpenAI-compatible endpoint",
    "response_modalities": "OpenAI's chat completions have no response_modalities",
    "speech_config": "OpenAI's chat completions have no speech_config",
    "seed": "google-generativeai 0.8.6 rejects seed, so this option never took effect",
}
# The key of a ConfigItem that stands for a whole generation config known only at run time.
RUNTIME = "**"
SCHEMA_AT_RUN_TIME = "a response_schema together with a generation config built at run time: build response_format by hand"
JSON_MIME = "application/json"
TEXT_MIME = "text/plain"
SCHEMA_WITHOUT_JSON = (
    'response_schema without response_mime_type="application/json": the Gemini API takes a schema '
    "only with a JSON mime type; set it, then run genai2openai again"
)


@dataclasses.dataclass(frozen=True)
class ConfigItem:
    """One genai option: its key, its value expression, and the node it was written at."""

    key: str
    value: cst.BaseExpression
    origin: cst.CSTNode


@dataclasses.dataclass(frozen=True)
class Dropped:
    key: str
    value_code: str
    reason: str


def config_items(expr: cst.BaseExpression | None, analysis: ModuleAnalysis) -> list[ConfigItem]:
    """The options a `generation_config=` value sets, read statically; a config that only the
    run can tell is one `RUNTIME` item, converted at run time (`_genai2openai_config`)."""
    if expr is None or m.matches(expr, m.Name("None")):
        return []
    try:
        if isinstance(expr, cst.Name):
            sources = analysis.sources(expr)
            if not sources or len(sources) != 1 or sources[0] is expr or not analysis.read_only_as(expr, "generation_config"):
                return [ConfigItem(RUNTIME, expr, expr)]
            return _literal_items(sources[0], analysis)
        return _literal_items(expr, analysis)
    except _NotLiteral:
        item = ConfigItem(RUNTIME, expr, expr)
        runtime_config_calls(item, analysis)  # raises Unsupported for other genai types
        return [item]


def runtime_config_calls(item: ConfigItem, analysis: ModuleAnalysis) -> list[cst.Call]:
    """The `GenerationConfig(...)` calls a config converted at run time is built with (in it, or
    where the names it reads were bound): the migration makes them dicts as genai did. Raises
    Unsupported for other genai calls there."""
    found = []
    for node in descendants(item.origin):
        for source in [node, *((analysis.sources(node) or []) if isinstance(node, cst.Name) else [])]:
            for call in (n for n in descendants(source) if isinstance(n, cst.Call) and analysis.called_sdk_name(n) is not None):
                if analysis.called_sdk_name(call) != "GenerationConfig" or any(a.keyword is None and not a.star for a in call.args):
                    raise Unsupported("a generation config built with genai's types at run time: build it as a dict")
                found.append(call)
    return found


class _NotLiteral(Unsupported):
    """The config is not a literal: the run will tell what it holds."""


def _literal_items(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> list[ConfigItem]:
    if isinstance(expr, cst.Dict):
        items = []
        for element in expr.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                raise _NotLiteral("generation config dict has non-literal keys")
            items.append(ConfigItem(str(element.key.evaluated_value), element.value, element))
        return items
    if isinstance(expr, cst.Call) and analysis.called_sdk_name(expr) == "GenerationConfig":
        if any(arg.keyword is None and not arg.star for arg in expr.args):
            raise Unsupported("GenerationConfig with positional arguments: build the config as a dict")
        if any(arg.star for arg in expr.args):
            raise _NotLiteral("GenerationConfig(**options): the run tells its options")
        # genai drops a GenerationConfig's None fields before merging; a dict's None unsets the key.
        return [
            ConfigItem(arg.keyword.value, arg.value, arg)
            for arg in expr.args
            if arg.keyword is not None and not m.matches(arg.value, m.Name("None"))
        ]
    raise _NotLiteral("generation config is not a dict or GenerationConfig literal")


def merge(defaults: list[ConfigItem], overrides: list[ConfigItem]) -> list[ConfigItem]:
    """Per-call config overrides the model's defaults key by key, as genai does; with a config
    known only at run time, all of them in order (the run merges them)."""
    if any(item.key == RUNTIME for item in defaults + overrides):
        return defaults + overrides
    merged = {item.key: item for item in defaults}
    merged.update({item.key: item for item in overrides})
    return list(merged.values())


def to_openai(
    items: list[ConfigItem], analysis: ModuleAnalysis, helpers: dict[str, str] | None = None
) -> tuple[list[tuple[str, cst.BaseExpression]], list[Dropped]]:
    """OpenAI keyword arguments for genai options (`**` for a conversion at run time, whose
    helpers go into `helpers`), and the options that have to be dropped."""
    if any(item.key == RUNTIME for item in items):
        return _at_run_time(items, analysis, helpers)
    kwargs: list[tuple[str, cst.BaseExpression]] = []
    dropped: list[Dropped] = []
    schema = _has_schema(items)
    for item in items:
        if m.matches(item.value, m.Name("None")):
            continue  # genai treats None as "not set"
        code = cst.Module([]).code_for_node(item.value)
        if item.key in RENAMED:
            kwargs.append((RENAMED[item.key], item.value))
        elif item.key == "response_mime_type":
            mime = _mime_type(item.value)
            if not schema:
                kwargs.extend(mime)
            elif not mime:
                raise Unsupported(SCHEMA_WITHOUT_JSON)
        elif item.key == "response_schema":
            kwargs.append(("response_format", response_format(item.value, analysis)))
        else:
            reason = NO_EQUIVALENT.get(item.key, "unknown generation option")
            dropped.append(Dropped(item.key, code, reason))
    return kwargs, dropped


def _at_run_time(
    items: list[ConfigItem], analysis: ModuleAnalysis, helpers: dict[str, str] | None
) -> tuple[list[tuple[str, cst.BaseExpression]], list[Dropped]]:
    """`**_genai2openai_config(...)` of the configs in order (literal options as dicts), and the
    literal options create() has no place for."""
    if any(i.key == "response_schema" and not m.matches(i.value, m.Name("None")) for i in items):
        raise Unsupported(SCHEMA_AT_RUN_TIME)
    visible = [found for i in items if i.key == RUNTIME and isinstance(i.origin, cst.BaseExpression) for found in _visible_items(i.origin, analysis)]
    dropped = [
        Dropped(i.key, cst.Module([]).code_for_node(i.value), NO_EQUIVALENT.get(i.key, "unknown generation option"))
        for i in items + visible
        if i.key not in (RUNTIME, "response_mime_type", *RENAMED) and not m.matches(i.value, m.Name("None"))
    ]
    arguments: list[cst.BaseExpression] = []
    for item in items:
        if item.key == RUNTIME:
            arguments.append(item.value)
        elif item.key in RENAMED or item.key == "response_mime_type":
            if not arguments or not isinstance(arguments[-1], cst.Dict):
                arguments.append(cst.Dict([]))
            entry = cst.DictElement(cst.SimpleString(f'"{item.key}"'), item.value)
            arguments[-1] = arguments[-1].with_changes(elements=[*arguments[-1].elements, entry])  # type: ignore[attr-defined]
    return [(RUNTIME, helper_call(CONFIG_HELPER, helper_sources(CONFIG_HELPER), arguments, analysis, helpers))], dropped


def _visible_items(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> list[ConfigItem]:
    """Options a config built at run time visibly sets: literal keys of the dicts a name is bound
    to, and `name["key"] = value` stores into it."""
    if not isinstance(expr, cst.Name):
        return []
    found = []
    for value in analysis.values_of_name(expr) or ():
        if isinstance(value, cst.Dict):
            found += [ConfigItem(str(e.key.evaluated_value), e.value, e) for e in value.elements if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)]
    for referent in analysis.referents(expr) or ():
        for access in referent.references:
            store = analysis.parent(access.node)
            assign = analysis.parent(store) if isinstance(store, cst.Subscript) else None
            key = store.slice[0].slice if isinstance(store, cst.Subscript) and len(store.slice) == 1 else None
            target = analysis.parent(assign) if isinstance(assign, cst.AssignTarget) else None
            if isinstance(target, cst.Assign) and isinstance(key, cst.Index) and isinstance(key.value, cst.SimpleString):
                found.append(ConfigItem(str(key.value.evaluated_value), target.value, target))
    return found


def _has_schema(items: list[ConfigItem]) -> bool:
    """A response_schema is set: its json_schema response_format replaces the mime type's
    json_object one; the Gemini API took a schema only with the JSON mime type."""
    schema = any(i.key == "response_schema" and not m.matches(i.value, m.Name("None")) for i in items)
    if schema and not any(i.key == "response_mime_type" and not m.matches(i.value, m.Name("None")) for i in items):
        raise Unsupported(SCHEMA_WITHOUT_JSON)
    return schema


def _mime_type(value: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]]:
    mime = value.evaluated_value if isinstance(value, cst.SimpleString) else None
    if mime == TEXT_MIME:
        return []
    if mime == JSON_MIME:
        return [("response_format", cst.parse_expression('{"type": "json_object"}'))]
    raise Unsupported("response_mime_type is not a literal genai2openai can map")
