"""`response_schema` → `response_format` (codemod/transforms/schema.py), and how config.py's
`to_openai` lets it replace the mime type's json_object."""

from __future__ import annotations

import ast

import libcst as cst
import libcst.matchers as m
import pytest

from codemod.analysis import ModuleAnalysis
from codemod.transforms import build
from codemod.transforms.config import ConfigItem, to_openai
from codemod.transforms.plan import Unsupported
from codemod.transforms.schema import JsonArray, followed_names, obj, render, response_format, text

HEADER = "import google.generativeai as genai\nfrom google.ai.generativelanguage_v1beta.types import content\n"


def _argument(source: str, keyword: str) -> tuple[cst.BaseExpression, ModuleAnalysis]:
    module = cst.parse_module(HEADER + source)
    analysis = ModuleAnalysis.of(module)
    arg = next(iter(m.findall(module, m.Arg(keyword=m.Name(keyword)))))
    assert isinstance(arg, cst.Arg)
    return arg.value, analysis


def _schema(source: str) -> object:
    """The JSON schema response_format sends for `genai.GenerationConfig(response_schema=<source>)`."""
    value, analysis = _argument(f"genai.GenerationConfig(response_schema={source})", "response_schema")
    converted = ast.literal_eval(build.code(response_format(value, analysis)))
    assert converted["type"] == "json_schema"
    assert converted["json_schema"]["name"] == "response"
    return converted["json_schema"]["schema"]


def _unsupported(source: str, prelude: str = "") -> str:
    value, analysis = _argument(f"{prelude}genai.GenerationConfig(response_schema={source})", "response_schema")
    with pytest.raises(Unsupported) as error:
        response_format(value, analysis)
    return str(error.value)


@pytest.mark.parametrize("spelling", ["OBJECT", "object", "Object"])
def test_dict_types_in_any_case_become_lower_case(spelling: str) -> None:
    schema = _schema(f'{{"type": "{spelling}", "properties": {{"a": {{"type": "STRING"}}}}, "required": ["a"]}}')
    assert schema == {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}


def test_nested_arrays_and_objects_keep_their_order_and_rename_item_counts() -> None:
    schema = _schema(
        '{"type": "array", "min_items": 1, "max_items": 0, "items": {"type": "object", "properties": '
        '{"tags": {"type": "array", "items": {"type": "string", "format": "enum", "enum": ["a", "b"]}}}, '
        '"required": ["tags"], "nullable": False, "description": ""}}'
    )
    assert schema == {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "properties": {"tags": {"type": "array", "items": {"type": "string", "format": "enum", "enum": ["a", "b"]}}},
            "required": ["tags"],
        },
    }


def test_ai_studio_content_schema_export() -> None:
    schema = _schema(
        "content.Schema(type = content.Type.OBJECT, enum = [], required = ['a'], "
        "properties = {'a': content.Schema(type = content.Type.STRING)})"
    )
    assert schema == {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}


def test_protos_schema_with_type_underscore() -> None:
    assert _schema('genai.protos.Schema(type_=genai.protos.Type.INTEGER, description="n")') == {"type": "integer", "description": "n"}
    assert _schema('genai.protos.Schema(type_="NUMBER", format_="double")') == {"type": "number", "format": "double"}


def test_glm_schema_is_recognised_by_qualified_name() -> None:
    value, analysis = _argument(
        "import google.ai.generativelanguage as glm\ngenai.GenerationConfig(response_schema=glm.Schema(type=glm.Type.BOOLEAN))",
        "response_schema",
    )
    assert ast.literal_eval(build.code(response_format(value, analysis)))["json_schema"]["schema"] == {"type": "boolean"}


def test_literals_are_kept_as_written() -> None:
    value, analysis = _argument("genai.GenerationConfig(response_schema={'type': 'STRING', 'description': 'it\\'s'})", "response_schema")
    assert "'it\\'s'" in build.code(response_format(value, analysis))


def test_schema_in_a_variable_that_is_only_passed_on() -> None:
    assert _schema_with_prelude('S = {"type": "string"}\n', "S") == {"type": "string"}


def _schema_with_prelude(prelude: str, source: str) -> object:
    value, analysis = _argument(f"{prelude}genai.GenerationConfig(response_schema={source})", "response_schema")
    return ast.literal_eval(build.code(response_format(value, analysis)))["json_schema"]["schema"]


@pytest.mark.parametrize(
    ("prelude", "source", "reason"),
    [
        ("class Recipe:\n    name: str\n", "list[Recipe]", "Python type"),
        ("class Recipe:\n    name: str\n", "Recipe", "Python type"),
        ("", "str", "Python type"),
        ("import typing\n", "typing.List[str]", "Python type"),
        ("", '{"type": "string", "nullable": True}', "nullable"),
        ("", '{"type": "STRING", "title": "x"}', "`title`"),
        ("", '{"description": "no type"}', "without a type"),
        ("", '{"type": "text"}', "not one genai accepted"),
        ("", 'genai.protos.Schema(type_="object")', "only upper-case"),
        ("", '{"type": "object", "properties": {"a": content.Schema(type=content.Type.STRING)}}', ".copy()"),
        ("", '{"type": "string", "description": f"{1}"}', "not a string literal"),
        ("", 'genai.protos.Schema(type_=genai.protos.Type.TYPE_UNSPECIFIED)', "not a literal type name"),
        ('S = {"type": "string"}\nS["format"] = "x"\n', "S", "changed or read elsewhere"),
        ('S = {"type": "string"}\nif x:\n    S = {"type": "number"}\n', "S", "several values"),
    ],
)
def test_unsupported_schemas_say_why(prelude: str, source: str, reason: str) -> None:
    assert reason in _unsupported(source, prelude)


def test_followed_names_lists_outer_variables_first() -> None:
    value, analysis = _argument(
        'ITEM = {"type": "string"}\nSCHEMA = {"type": "array", "items": ITEM}\n'
        'CONFIG = {"response_mime_type": "application/json", "response_schema": SCHEMA}\n'
        "genai.GenerativeModel(generation_config=CONFIG)",
        "generation_config",
    )
    assert [n.value for n in followed_names(value, analysis)] == ["CONFIG", "SCHEMA", "ITEM"]


def test_render_keeps_short_values_on_one_line_and_explodes_long_ones() -> None:
    short = obj(("type", text("string")))
    assert render(short, 1, 10) == '{"type": "string"}'
    long = JsonArray(tuple(text("x" * 30) for _ in range(3)))
    assert render(long, 1, 0) == "[\n" + ",\n".join(f'        "{"x" * 30}"' for _ in range(3)) + ",\n    ]"


# ----------------------------------------------------------------- config.py interplay
def _config(source: str) -> list[tuple[str, cst.BaseExpression]]:
    """The create() keyword arguments for a generation config dict."""
    module = cst.parse_module(HEADER + f"CONFIG = {source}\n")
    analysis = ModuleAnalysis.of(module)
    value = next(iter(m.findall(module, m.Dict())))
    assert isinstance(value, cst.Dict)
    items = [ConfigItem(str(e.key.evaluated_value), e.value, e) for e in value.elements if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)]
    return to_openai(items, analysis)[0]


def test_schema_replaces_the_json_object_response_format() -> None:
    kwargs = _config('{"response_schema": {"type": "STRING"}, "response_mime_type": "application/json"}')
    assert [name for name, _ in kwargs] == ["response_format"]
    assert '"json_schema"' in build.code(kwargs[0][1])


def test_schema_without_the_json_mime_type_is_unsupported() -> None:
    with pytest.raises(Unsupported, match="response_mime_type"):
        _config('{"response_schema": {"type": "STRING"}}')
    with pytest.raises(Unsupported, match="response_mime_type"):
        _config('{"response_schema": {"type": "STRING"}, "response_mime_type": "text/plain"}')


def test_mime_type_alone_still_gives_json_object() -> None:
    kwargs = _config('{"response_mime_type": "application/json", "response_schema": None}')
    assert [build.code(v) for _, v in kwargs] == ['{"type": "json_object"}']


@pytest.mark.parametrize(
    "prelude",
    [
        'S = {"type": "string"}\nALIAS = [S]\nALIAS[0]["format"] = "x"\n',
        'S = {"type": "string"}\nprint(S)\n',
        'S = {"type": "string"}\nmutate(response_schema=S)\n',
    ],
)
def test_a_schema_variable_that_may_change_is_not_read(prelude: str) -> None:
    assert "changed or read elsewhere" in _unsupported("S", prelude)


def test_a_schema_variable_inside_settings_variables_is_read() -> None:
    prelude = 'S = {"type": "string"}\nCONFIG = {"response_mime_type": "application/json", "response_schema": S}\ngenai.GenerativeModel(generation_config=CONFIG)\n'
    assert _schema_with_prelude(prelude, "S") == {"type": "string"}
