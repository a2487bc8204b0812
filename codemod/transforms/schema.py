"""`response_schema` (a dict, `content.Schema(...)`, `protos.Schema(...)`) → an OpenAI
`response_format` of type `json_schema`, converted statically.

genai's schema is a subset of OpenAPI 3.0 held in `protos.Schema`: type (an enum, written in any
case in dicts), format, description, nullable, enum, items, min_items, max_items, properties,
required. It becomes the JSON-Schema dict OpenAI expects, with lower-case types, `minItems` /
`maxItems`, and proto defaults (`""`, `0`, `[]`, `False`) left out since genai never sent them.
The JSON-Schema `name` OpenAI requires is always `"response"` (`RESPONSE_FORMAT_NAME`).

Every leaf must be a literal: the new dict is written at each call, far from where the schema was.
A schema held in a variable is followed when the variable is bound once and only passed on
(never changed or read otherwise). A Python type (`list[Recipe]`, a TypedDict or dataclass,
`str`) was turned into a schema by genai at run time: it is marked, never guessed.
"""

from __future__ import annotations

import dataclasses
from typing import Union

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis
from codemod.transforms import build
from codemod.transforms.plan import Unsupported
from codemod.walk import children_of

RESPONSE_FORMAT_NAME = "response"
TYPES = ("STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT")
# genai's protos and google.ai.generativelanguage (any version: `_v1beta`, and its `types`).
PROTO_MODULES = ("google.generativeai.protos.", "google.ai.generativelanguage.", "google.ai.generativelanguage_", "google.genai.types.")  # google-genai's Schema / Type too
TYPE_ADVICE = (
    "response_schema is a Python type, which genai turned into a schema at run time: write the JSON schema "
    "by hand as response_format={\"type\": \"json_schema\", \"json_schema\": {\"name\": ..., \"schema\": {...}}} "
    "(or use a pydantic model with client.beta.chat.completions.parse)"
)
NULLABLE_ADVICE = (
    "nullable: true has no spelling verified on the OpenAI-compatible endpoint: write this schema by hand "
    "(JSON Schema: \"type\": [\"string\", \"null\"])"
)
_SCHEMA_KEYS = {
    "type": "type",
    "type_": "type",
    "format": "format",
    "format_": "format",
    "description": "description",
    "nullable": "nullable",
    "enum": "enum",
    "items": "items",
    "min_items": "minItems",
    "max_items": "maxItems",
    "properties": "properties",
    "required": "required",
}
# Keyword arguments of genai calls that take settings (genai copies or converts what it is given).
_PASSING_KEYWORDS = frozenset(
    {
        "generation_config",
        "response_schema",
        "parameters",
        "items",
        "properties",
        "tools",
        "tool_config",
        "function_declarations",
        "function_calling_config",
    }
)
_SETTINGS_METHODS = ("generate_content", "generate_content_async", "send_message", "send_message_async", "start_chat")


# ----------------------------------------------------------------- JSON values as code
@dataclasses.dataclass(frozen=True)
class Code:
    """A literal written as source text (kept as the user wrote it, or made here)."""

    text: str


@dataclasses.dataclass(frozen=True)
class JsonObject:
    entries: tuple[tuple[Code, Json], ...]


@dataclasses.dataclass(frozen=True)
class JsonArray:
    items: tuple[Json, ...]


Json = Union[Code, JsonObject, JsonArray]


def text(value: str) -> Code:
    """A new string literal."""
    return Code(build.string(value).value)


def obj(*entries: tuple[str | Code, Json]) -> JsonObject:
    return JsonObject(tuple((text(k) if isinstance(k, str) else k, v) for k, v in entries))


def render(value: Json, depth: int, prefix: int) -> str:
    """Source for `value` laid out as black would: on one line when it fits in 88 columns after
    `depth` indents and `prefix` characters, else one entry per line with a trailing comma."""
    flat = _flat(value)
    if isinstance(value, Code) or ("\n" not in flat and len(build.INDENT) * depth + prefix + len(flat) + 1 <= build.MAX_INLINE):
        return flat
    inner = build.INDENT * (depth + 1)
    if isinstance(value, JsonObject):
        lines = [f"{inner}{k.text}: {render(v, depth + 1, len(k.text) + 2)}," for k, v in value.entries]
        return "{\n" + "\n".join(lines) + "\n" + build.INDENT * depth + "}"
    lines = [f"{inner}{render(v, depth + 1, 0)}," for v in value.items]
    return "[\n" + "\n".join(lines) + "\n" + build.INDENT * depth + "]"


def _flat(value: Json) -> str:
    if isinstance(value, Code):
        return value.text
    if isinstance(value, JsonObject):
        return "{" + ", ".join(f"{k.text}: {_flat(v)}" for k, v in value.entries) + "}"
    return "[" + ", ".join(_flat(v) for v in value.items) + "]"


def expression(value: Json, keyword: str) -> cst.BaseExpression:
    """`value` as the expression of a `keyword=` argument of an exploded create() call."""
    return cst.parse_expression(render(value, 1, len(keyword) + 1))


# ----------------------------------------------------------------- response_format
def response_format(schema: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The `response_format=` value for a genai `response_schema`, or Unsupported."""
    # genai renames a dict's fields (upper-casing `type`) but sends a Schema(...) as it is.
    value = resolve(schema, analysis)
    renamed = not (isinstance(value, cst.Call) and proto_name(value.func, analysis) == "Schema")
    converted = json_schema(value, analysis, renamed=renamed)
    value = obj(
        ("type", text("json_schema")),
        ("json_schema", obj(("name", text(RESPONSE_FORMAT_NAME)), ("schema", converted))),
    )
    return expression(value, "response_format")


def json_schema(expr: cst.BaseExpression, analysis: ModuleAnalysis, renamed: bool) -> JsonObject:
    """The JSON Schema for a genai schema written as a dict or a `Schema(...)` call.

    `renamed`: genai runs the value through `_rename_schema_fields` (a dict in the generation
    config or in genai's `FunctionDeclaration`), which upper-cases a dict's `type` and fails on a
    Schema(...); elsewhere proto-plus reads dicts and takes only the exact enum names (`"OBJECT"`).
    """
    value = resolve(expr, analysis)
    if isinstance(value, cst.Dict):
        return _schema_fields(_dict_fields(value, "schema"), analysis, renamed)
    if isinstance(value, cst.Call) and proto_name(value.func, analysis) == "Schema":
        if renamed:
            raise Unsupported("genai fails on a Schema(...) inside a dict schema (it calls .copy() on it): write a dict")
        return _schema_fields(keyword_fields(value, "Schema"), analysis, renamed=False)
    if is_python_type(value, analysis):
        raise Unsupported(TYPE_ADVICE)
    raise Unsupported("this schema is not a dict or Schema(...) literal genai2openai can read")


def _schema_fields(fields: list[tuple[str, cst.BaseExpression]], analysis: ModuleAnalysis, renamed: bool) -> JsonObject:
    seen: set[str] = set()
    entries: list[tuple[str, Json]] = []
    for key, value in fields:
        target = _SCHEMA_KEYS.get(key)
        if target is None:
            raise Unsupported(f"schema field `{key}` is not one genai 0.8.6 accepts")
        if target in seen:
            raise Unsupported(f"schema field `{target}` is given twice")
        seen.add(target)
        converted = _schema_field(key, value, analysis, renamed)
        if converted is not None:
            entries.append((target, converted))
    if "type" not in seen:
        raise Unsupported("a schema without a type (genai's Schema requires one)")
    return obj(*entries)


def _schema_field(key: str, value: cst.BaseExpression, analysis: ModuleAnalysis, renamed: bool) -> Json | None:
    """One field in JSON Schema, or None for a proto default genai never sent."""
    if key in ("type", "type_"):
        return text(_type_name(value, analysis, lenient=renamed and key == "type").lower())
    if key in ("format", "format_", "description"):
        literal = string_literal(value, key)
        return literal if _string_value(literal) else None
    if key == "nullable":
        if _is_name(value, "True"):
            raise Unsupported(NULLABLE_ADVICE)
        if _is_name(value, "False"):
            return None
        raise Unsupported("nullable is not True or False")
    if key in ("enum", "required"):
        items = string_list(value, key, analysis)
        return JsonArray(tuple(items)) if items else None
    if key == "items":
        return json_schema(value, analysis, renamed)
    if key in ("min_items", "max_items"):
        if not isinstance(value, cst.Integer):
            raise Unsupported(f"{key} is not an integer literal")
        return Code(value.value) if value.evaluated_value != 0 else None
    return _properties(value, analysis, renamed)


def _properties(value: cst.BaseExpression, analysis: ModuleAnalysis, renamed: bool) -> Json | None:
    properties = resolve(value, analysis)
    if not isinstance(properties, cst.Dict):
        raise Unsupported("schema properties are not a dict literal")
    entries = [(key, json_schema(item, analysis, renamed)) for key, item in _dict_items(properties, "properties")]
    return JsonObject(tuple(entries)) if entries else None


def _type_name(value: cst.BaseExpression, analysis: ModuleAnalysis, lenient: bool) -> str:
    """`OBJECT` for `"object"` (genai upper-cased dict types), `"OBJECT"`, `content.Type.OBJECT`."""
    if isinstance(value, cst.SimpleString):
        name = str(value.evaluated_value)
        found = name.upper() if lenient or _client_sdk_schema(value, analysis) else name
        if found not in TYPES:
            case = "" if lenient else " (here genai passed the schema to protos unchanged: only upper-case names)"
            raise Unsupported(f"schema type {value.value} is not one genai accepted{case}")
        return found
    qualified = proto_name(value, analysis)
    if qualified is not None and qualified.startswith("Type.") and qualified[5:] in TYPES:
        return qualified[5:]
    raise Unsupported("schema type is not a literal type name or Type member")


def _client_sdk_schema(value: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """A schema google-genai reads: its `Type` enum takes names in any case. So is every schema
    of a module that imports google-genai and not google.generativeai, and one written inside a
    google-genai model (`types.FunctionDeclaration(parameters={...})`)."""
    if analysis.client_sdk_imports and not analysis.sdk_imports:
        return True
    return any(isinstance(a, cst.Call) and (analysis.client_sdk_name(a.func) or "").startswith("types.") for a in analysis.ancestors(value))


# ----------------------------------------------------------------- reading literals
def resolve(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The literal a name holds, when it is bound once and only passed on; else `expr` itself."""
    seen: set[int] = set()
    while isinstance(expr, cst.Name) and id(expr) not in seen:
        seen.add(id(expr))
        values = analysis.values_of_name(expr)
        if values is None:
            return expr
        if len(values) != 1:
            raise Unsupported(f"`{expr.value}` may hold several values: genai2openai cannot read it statically")
        if not _only_passed_on(expr, analysis):
            raise Unsupported(f"`{expr.value}` is also changed or read elsewhere: convert it by hand")
        expr = values[0]
    return expr


def followed_names(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> list[cst.Name]:
    """The variables `resolve` reads through in `expr` (a generation config, tools, a schema), the
    outer ones first: once the calls that used them are rewritten, nothing else reads them."""
    found: list[cst.Name] = []
    stack: list[cst.CSTNode] = [expr]
    seen: set[int] = set()
    while stack:
        node = stack.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, cst.Name):
            values = analysis.values_of_name(node)
            if values is not None and len(values) == 1 and _only_passed_on(node, analysis):
                found.append(node)
                stack.append(values[0])
            continue
        stack.extend(children_of(node))
    return found


def _only_passed_on(name: cst.Name, analysis: ModuleAnalysis, seen: set[int] | None = None) -> bool:
    """Every read of the variable `name` reads (or, for an assignment target, binds) hands it to
    genai (directly, or inside literal lists and dicts that are handed to genai or bound to
    variables that are), so nothing can have changed it by the time genai read it."""
    seen = set() if seen is None else seen
    assignment = analysis.assignment_of(name)
    referents = {assignment} if assignment is not None else analysis.referents(name)
    if not referents:
        return False
    for referent in referents:
        if id(referent) in seen:
            continue
        seen.add(id(referent))
        for access in referent.references:
            if not _handed_to_genai(access.node, analysis, seen):
                return False
    return True


def _handed_to_genai(node: cst.CSTNode, analysis: ModuleAnalysis, seen: set[int]) -> bool:
    parent = analysis.parent(node)
    while isinstance(parent, (cst.Element, cst.DictElement, cst.List, cst.Tuple, cst.Dict)):
        if isinstance(parent, cst.DictElement) and parent.value is not node:
            return False  # a key
        node, parent = parent, analysis.parent(parent)
    if isinstance(parent, cst.Arg):
        call = analysis.parent(parent)
        return (
            parent.keyword is not None
            and parent.keyword.value in _PASSING_KEYWORDS
            and isinstance(call, cst.Call)
            and _is_genai_call(call, analysis)
        )
    if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0].target
        return isinstance(target, cst.Name) and _only_passed_on(target, analysis, seen)
    return False


def _is_genai_call(call: cst.Call, analysis: ModuleAnalysis) -> bool:
    """A genai or protos constructor, or a model / chat method taking settings."""
    if m.matches(call.func, m.Attribute(attr=m.OneOf(*(m.Name(n) for n in _SETTINGS_METHODS)))):
        return True
    return analysis.sdk_name(call.func) is not None or proto_name(call.func, analysis) is not None


def proto_name(node: cst.CSTNode, analysis: ModuleAnalysis) -> str | None:
    """`Schema` / `Type.OBJECT` for a name from genai's protos or google.ai.generativelanguage
    (any version, any submodule), else None."""
    for qualified in analysis.qualified_names(node):
        if not qualified.startswith(PROTO_MODULES):
            continue
        parts = qualified.split(".")
        first = next((i for i, part in enumerate(parts) if part[:1].isupper()), None)
        if first is not None:
            return ".".join(parts[first:])
    return None


def genai_name(node: cst.CSTNode, analysis: ModuleAnalysis) -> str | None:
    """`FunctionDeclaration` for genai's own wrapper classes (`genai.types.X`, not its protos)."""
    for qualified in analysis.qualified_names(node):
        if qualified.startswith("google.generativeai.") and not qualified.startswith(PROTO_MODULES[0]):
            return qualified.rsplit(".", 1)[-1]
    return None


def keyword_fields(call: cst.Call, what: str) -> list[tuple[str, cst.BaseExpression]]:
    if any(arg.keyword is None for arg in call.args):
        raise Unsupported(f"{what}(...) with positional or ** arguments cannot be read statically")
    return [(arg.keyword.value, arg.value) for arg in call.args if arg.keyword is not None]


def _dict_fields(value: cst.Dict, what: str) -> list[tuple[str, cst.BaseExpression]]:
    return [(str(_string_value(key)), item) for key, item in _dict_items(value, what)]


def _dict_items(value: cst.Dict, what: str) -> list[tuple[Code, cst.BaseExpression]]:
    items = []
    for element in value.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            raise Unsupported(f"{what} dict has keys that are not string literals")
        items.append((Code(element.key.value), element.value))
    return items


def dict_fields(value: cst.Dict, what: str) -> list[tuple[str, cst.BaseExpression]]:
    """(key, value) of a dict whose keys are all string literals."""
    return _dict_fields(value, what)


def string_literal(value: cst.BaseExpression, what: str) -> Code:
    """The literal as written, when it is a (non-f, non-bytes) string literal."""
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)) and isinstance(value.evaluated_value, str):
        return Code(build.code(value))
    raise Unsupported(f"{what} is not a string literal")


def string_list(value: cst.BaseExpression, what: str, analysis: ModuleAnalysis) -> list[Code]:
    found = resolve(value, analysis)
    if not isinstance(found, (cst.List, cst.Tuple)):
        raise Unsupported(f"{what} is not a list of string literals")
    items = []
    for element in found.elements:
        if not isinstance(element, cst.Element):
            raise Unsupported(f"{what} is not a list of string literals")
        items.append(string_literal(element.value, what))
    return items


def _string_value(literal: cst.SimpleString | Code) -> str | None:
    node = cst.parse_expression(literal.text) if isinstance(literal, Code) else literal
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _is_name(value: cst.BaseExpression, name: str) -> bool:
    return isinstance(value, cst.Name) and value.value == name


def is_python_type(value: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """A class, a builtin type or a typing form (`list[Recipe]`, `Recipe`, `str`, `typing.List[X]`)."""
    if isinstance(value, cst.Subscript):
        return is_python_type(value.value, analysis)
    if isinstance(value, cst.Name):
        for referent in analysis.referents(value) or ():
            if isinstance(getattr(referent, "node", None), cst.ClassDef) or type(referent).__name__ == "BuiltinAssignment":
                return True
    names = analysis.qualified_names(value) if isinstance(value, (cst.Name, cst.Attribute)) else set()
    return any(q.startswith(("typing.", "typing_extensions.", "builtins.")) for q in names)
