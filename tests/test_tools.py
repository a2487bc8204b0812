"""genai tools → OpenAI `tools`, `tool_config` → `tool_choice` (codemod/transforms/tools.py), and
the function-call reads of a response (codemod/transforms/responses.py)."""

from __future__ import annotations

import ast

import libcst as cst
import libcst.matchers as m
import pytest

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import Options
from codemod.transforms import build
from codemod.transforms.plan import Plan, Unsupported
from codemod.transforms.responses import plan_read
from codemod.transforms.tools import openai_tools, tool_choice

HEADER = "import google.generativeai as genai\nfrom google.ai.generativelanguage_v1beta.types import content\n"
PARAMETERS = '{"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}'
OPENAI_PARAMETERS = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}


def _argument(source: str, keyword: str) -> tuple[cst.BaseExpression, ModuleAnalysis]:
    module = cst.parse_module(HEADER + source)
    analysis = ModuleAnalysis.of(module)
    arg = next(iter(m.findall(module, m.Arg(keyword=m.Name(keyword)))))
    assert isinstance(arg, cst.Arg)
    return arg.value, analysis


def _tools(source: str, prelude: str = "") -> object:
    value, analysis = _argument(f'{prelude}genai.GenerativeModel("m", tools={source})', "tools")
    return ast.literal_eval(build.code(openai_tools(value, analysis)))


def _tools_unsupported(source: str, prelude: str = "") -> str:
    value, analysis = _argument(f'{prelude}genai.GenerativeModel("m", tools={source})', "tools")
    with pytest.raises(Unsupported) as error:
        openai_tools(value, analysis)
    return str(error.value)


def _function(name: str, description: str | None = "Weather", parameters: object = OPENAI_PARAMETERS) -> dict[str, object]:
    function: dict[str, object] = {"name": name}
    if description is not None:
        function["description"] = description
    if parameters is not None:
        function["parameters"] = parameters
    return {"type": "function", "function": function}


@pytest.mark.parametrize(
    "source",
    [
        f'{{"function_declarations": [{{"name": "w", "description": "Weather", "parameters": {PARAMETERS}}}]}}',
        f'[{{"function_declarations": [{{"name": "w", "description": "Weather", "parameters": {PARAMETERS}}}]}}]',
        f'[[{{"name": "w", "description": "Weather", "parameters": {PARAMETERS}}}]]',
        f'genai.types.Tool(function_declarations=[{{"name": "w", "description": "Weather", "parameters": {PARAMETERS}}}])',
        f'[genai.types.FunctionDeclaration(name="w", description="Weather", parameters={PARAMETERS})]',
        (
            'genai.protos.Tool(function_declarations=[genai.protos.FunctionDeclaration(name="w", description="Weather", '
            "parameters=content.Schema(type=content.Type.OBJECT, properties={'city': content.Schema(type=content.Type.STRING)}, "
            "required=['city']))])"
        ),
        '{"name": "w", "description": "Weather", "parameters": {"type_": "OBJECT", "properties": {"city": {"type": "STRING"}}, "required": ["city"]}}',
    ],
)
def test_literal_declarations_in_every_form_genai_took(source: str) -> None:
    tools = _tools(source)
    assert isinstance(tools, list) and len(tools) == 1
    function = tools[0]["function"]
    assert tools[0]["type"] == "function" and function["name"] == "w" and function["description"] == "Weather"
    assert function["parameters"]["type"] == "object"
    assert function["parameters"]["properties"] == {"city": {"type": "string"}}


def test_several_tools_keep_their_order_and_omit_empty_fields() -> None:
    tools = _tools(
        '[{"function_declarations": [{"name": "a", "description": ""}, {"name": "b", "description": "B"}]}, '
        'genai.protos.FunctionDeclaration(name="c")]'
    )
    assert tools == [_function("a", None, None), _function("b", "B", None), _function("c", None, None)]


def test_declarations_held_in_variables() -> None:
    prelude = f'DECLARATION = {{"name": "w", "description": "Weather", "parameters": {PARAMETERS}}}\nTOOL = {{"function_declarations": [DECLARATION]}}\n'
    assert _tools("[TOOL]", prelude) == [_function("w")]


def test_several_tools_are_one_element_per_line_inside_create() -> None:
    value, analysis = _argument('genai.GenerativeModel("m", tools=[{"name": "a"}, {"name": "b"}])', "tools")
    tools = openai_tools(value, analysis)
    call = build.exploded_call(build.method_call(cst.Name("client"), "chat.completions.create", [build.kwarg("tools", tools)]))
    assert build.code(call) == (
        "client.chat.completions.create(\n"
        "    tools=[\n"
        '        {"type": "function", "function": {"name": "a"}},\n'
        '        {"type": "function", "function": {"name": "b"}},\n'
        "    ],\n"
        ")"
    )


@pytest.mark.parametrize(
    ("prelude", "source", "reason"),
    [
        ("def add(a: int, b: int) -> int:\n    return a + b\n", "[add]", "Python function"),
        ("def add(a: int, b: int) -> int:\n    return a + b\n", "add", "Python function"),
        ("", "[lambda x: x]", "Python function"),
        ("def add(a, b):\n    return a + b\n", '[{"function_declarations": [{"name": "add", "function": add}]}]', "Python function"),
        ("", '"code_execution"', "code execution"),
        ("", '["code_execution"]', "code execution"),
        ("", '{"google_search_retrieval": {}}', "Google Search"),
        ("", "genai.protos.Tool(code_execution=genai.protos.CodeExecution())", "code execution"),
        ("", "[]", "empty tools list"),
        ("", '[{"name": "a"}, {"name": "a"}]', "share a name"),
        ("", '[{"function_declarations": [{"name": "a"}]}]', "without name or description"),
        ("", '{"name": "a", "parameters": {"type": "object"}}', "only upper-case"),
        ("", '{"name": "a", "response": {"type": "STRING"}}', "`response`"),
        ("from mytools import TOOLS\n", "TOOLS", "cannot read statically"),
        ("", "[self.weather]", "cannot read statically"),
    ],
)
def test_unsupported_tools_say_why(prelude: str, source: str, reason: str) -> None:
    assert reason in _tools_unsupported(source, prelude)


# ----------------------------------------------------------------- tool_config
def _choice(source: str) -> object:
    value, analysis = _argument(f'genai.GenerativeModel("m", tool_config={source})', "tool_config")
    return ast.literal_eval(build.code(tool_choice(value, analysis)))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{"function_calling_config": {"mode": "AUTO"}}', "auto"),
        ('{"function_calling_config": {"mode": "any"}}', "required"),
        ('{"function_calling_config": {"mode": "mode_none"}}', "none"),
        ('{"function_calling_config": "ANY"}', "required"),
        ('{"function_calling_config": 3}', "none"),
        ('{"function_calling_config": {"mode": genai.protos.FunctionCallingConfig.Mode.ANY, "allowed_function_names": []}}', "required"),
        ('genai.protos.ToolConfig(function_calling_config=genai.protos.FunctionCallingConfig(mode="NONE"))', "none"),
        ('genai.protos.ToolConfig(function_calling_config={"mode": "AUTO"})', "auto"),
        (
            '{"function_calling_config": {"mode": "ANY", "allowed_function_names": ["lights_off"]}}',
            {"type": "function", "function": {"name": "lights_off"}},
        ),
        (
            "genai.protos.ToolConfig(function_calling_config=genai.protos.FunctionCallingConfig("
            "mode=genai.protos.FunctionCallingConfig.Mode.ANY, allowed_function_names=['f']))",
            {"type": "function", "function": {"name": "f"}},
        ),
    ],
)
def test_tool_config_modes(source: str, expected: object) -> None:
    assert _choice(source) == expected


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ('{"function_calling_config": {"mode": "ANY", "allowed_function_names": ["a", "b"]}}', "several names"),
        ('{"function_calling_config": {"mode": "AUTO", "allowed_function_names": ["a"]}}', "only valid with mode ANY"),
        ('{"function_calling_config": {"allowed_function_names": ["a"]}}', "needs a mode"),
        ('genai.protos.ToolConfig(function_calling_config=genai.protos.FunctionCallingConfig(mode="any"))', "AUTO, ANY or NONE"),
        ('{"function_calling_config": {"mode": "MODE_UNSPECIFIED"}}', "AUTO, ANY or NONE"),
        ('"ANY"', "not a dict"),
        ('{"function_calling_config": {"mode": "ANY"}, "other": 1}', "other than function_calling_config"),
    ],
)
def test_unsupported_tool_configs_say_why(source: str, reason: str) -> None:
    value, analysis = _argument(f'genai.GenerativeModel("m", tool_config={source})', "tool_config")
    with pytest.raises(Unsupported, match=reason):
        tool_choice(value, analysis)


# ----------------------------------------------------------------- function-call reads
def _reads(body: str) -> tuple[str, set[tuple[str, str | None]], list[str]]:
    """Rewrite every read of `response` (made by generate_content) in `body`: (new code, imports, todos)."""
    module = cst.parse_module(HEADER + 'model = genai.GenerativeModel("m")\nresponse = model.generate_content("x")\n' + body)
    analysis = ModuleAnalysis.of(module)
    call = next(c for c in m.findall(module, m.Call(func=m.Attribute(attr=m.Name("generate_content")))))
    plan = Plan(analysis=analysis, options=Options(), path="x.py")
    imports: set[tuple[str, str | None]] = set()
    todos: list[str] = []
    for use in analysis.uses(call):  # type: ignore[arg-type]
        if use.kind != "attribute":
            continue
        read = plan_read(use, analysis)
        for part in (read, *read.also):
            plan.replace(part.outer, part.edit)
            imports |= part.imports
            todos += [part.todo] if part.todo else []
    new = plan.with_edits(module)
    assert isinstance(new, cst.Module)
    return new.code.split("\n", 4)[4], imports, todos


def test_function_call_name_and_args_through_candidates() -> None:
    code, imports, todos = _reads(
        "print(response.candidates[0].content.parts[0].function_call.name)\n"
        'print(response.candidates[0].content.parts[1].function_call.args["city"])\n'
    )
    assert code == (
        "print(response.choices[0].message.tool_calls[0].function.name)\n"
        'print(json.loads(response.choices[0].message.tool_calls[1].function.arguments)["city"])\n'
    )
    assert imports == {("json", None)}
    assert len(todos) == 2 and "None when the model called none" in todos[0] and "floats" in todos[1]


def test_function_call_through_response_parts() -> None:
    code, imports, _ = _reads("name = response.parts[0].function_call.name\n")
    assert code == "name = response.choices[0].message.tool_calls[0].function.name\n"
    assert imports == set()


def test_function_call_held_in_a_variable() -> None:
    code, imports, todos = _reads(
        "call = response.candidates[0].content.parts[0].function_call\nprint(call.name, dict(call.args))\n"
    )
    assert code == (
        "call = response.choices[0].message.tool_calls[0].function\n"
        "print(call.name, dict(json.loads(call.arguments)))\n"
    )
    assert imports == {("json", None)}
    assert len(todos) == 2


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("for part in response.parts:\n    print(part.function_call)\n", "no parts list"),
        ("print(response.candidates[0].content.parts[0].function_call)\n", "tool_calls"),
        ("call = response.candidates[0].content.parts[0].function_call\nif call:\n    pass\n", "tool_calls"),
        ("call = response.parts[0].function_call\nprint(call.id)\n", "tool_calls"),
        ("print(response.parts[0].text)\n", "no parts list"),
        ("i = 0\nprint(response.parts[i].function_call.name)\n", "no parts list"),
    ],
)
def test_unmappable_function_call_reads_say_why(body: str, reason: str) -> None:
    with pytest.raises(Unsupported, match=reason):
        _reads(body)
