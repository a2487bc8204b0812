"""Function declarations → OpenAI `tools=[{"type": "function", ...}]`, `tool_config` →
`tool_choice`, converted statically.

genai took tools in many shapes (`content_types._make_tools`): a dict `{"function_declarations":
[...]}` or a list of them, a bare declaration dict, `protos.Tool(function_declarations=[...])`,
`protos.FunctionDeclaration(...)` or genai's own `types.Tool` / `types.FunctionDeclaration`.
Each declaration becomes `{"type": "function", "function": {"name", "description", "parameters"}}`
with its parameters converted like a response schema. Python functions (genai derived their
declarations from signatures and could call them itself), code execution and Google Search
retrieval have no faithful OpenAI counterpart: they are Unsupported, with advice.

Which dicts genai upper-cased: a declaration dict given to genai's `FunctionDeclaration` (inside
`function_declarations` of a dict or `types.Tool`, or in a nested list) went through
`_rename_schema_fields`; a bare declaration dict, or anything inside `protos.*`, went straight to
proto-plus, which takes only the exact enum names.
"""

from __future__ import annotations

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.transforms.plan import Unsupported
from codemod.transforms.schema import (
    Code,
    Json,
    JsonArray,
    dict_fields,
    expression,
    genai_name,
    is_python_type,
    json_schema,
    keyword_fields,
    obj,
    proto_name,
    render,
    resolve,
    string_list,
    string_literal,
    text,
)

CALLABLE_ADVICE = (
    "a Python function as a tool: genai built its declaration from the signature (and could call it "
    "itself); write {\"type\": \"function\", \"function\": {\"name\", \"description\", \"parameters\"}} by hand "
    "and run the function on message.tool_calls yourself"
)
BUILTIN_TOOL_ADVICE = {
    "code_execution": "code execution has no OpenAI chat-completions equivalent: keep genai for it",
    "google_search_retrieval": "Google Search retrieval has no OpenAI chat-completions equivalent: keep genai for it",
    "google_search": "Google Search has no OpenAI chat-completions equivalent: keep genai for it",
}
UNREADABLE_TOOL = (
    "a tool genai2openai cannot read statically (a Python function, or a declaration built elsewhere): "
    "write the OpenAI tool dict {\"type\": \"function\", \"function\": {...}} by hand"
)
TOOL_KEYS = frozenset({"function_declarations", *BUILTIN_TOOL_ADVICE})
MODES = {"AUTO": "auto", "ANY": "required", "NONE": "none"}
# genai's to_function_calling_mode: strings in any case, with or without `mode_`, and numbers.
_MODE_NUMBERS = {1: "AUTO", 2: "ANY", 3: "NONE"}
ALLOWED_NAMES_ADVICE = (
    "allowed_function_names with several names: OpenAI's tool_choice names one function "
    "(\"allowed_tools\" is not verified on the OpenAI-compatible endpoint): pass only those tools, "
    "or pick one by hand"
)


# ----------------------------------------------------------------- tools
def openai_tools(tools: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The `tools=` value for genai `tools`, or Unsupported (Python callables, code execution...)."""
    declarations = _tools(tools, analysis)
    if not declarations:
        raise Unsupported("an empty tools list: OpenAI rejects tools=[]; leave tools out")
    names = [name for name, _ in declarations]
    if len(set(names)) != len(names):
        raise Unsupported("two function declarations share a name (genai raised ValueError)")
    return _tool_list([function for _, function in declarations])


def _tool_list(functions: list[Json]) -> cst.BaseExpression:
    """The tools list. With several tools it is left on one line (each tool laid out for its
    place): create()'s layout (`build.exploded_call`) puts such a list one element per line."""
    if len(functions) == 1:
        return expression(JsonArray(tuple(functions)), "tools")
    return cst.List([cst.Element(cst.parse_expression(render(f, 2, 0))) for f in functions])


Declaration = tuple[str, Json]  # (the function's name, its OpenAI tool entry)


def _tools(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> list[Declaration]:
    """genai's `_make_tools`: a string, a list of tools, or one tool."""
    value = _value(expr, analysis)
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
        return _builtin_tool(value)
    if isinstance(value, (cst.List, cst.Tuple)):
        return [d for element in _elements(value) for d in _tool(element, analysis)]
    return _tool(value, analysis)


def _tool(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> list[Declaration]:
    """genai's `_make_tool`: one tool, in any of the forms it accepted."""
    value = _value(expr, analysis)
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
        return _builtin_tool(value)
    if isinstance(value, cst.Dict):
        fields = dict_fields(value, "tool")
        if any(key in TOOL_KEYS for key, _ in fields):
            return _tool_fields(fields, analysis, proto=False)
        return [_declaration(value, analysis, renamed=False)]  # protos.FunctionDeclaration(**fd)
    if isinstance(value, (cst.List, cst.Tuple)):
        return [_declaration(element, analysis, renamed=True) for element in _elements(value)]
    if isinstance(value, cst.Call):
        if proto_name(value.func, analysis) == "Tool":
            return _tool_fields(keyword_fields(value, "Tool"), analysis, proto=True)
        if genai_name(value.func, analysis) == "Tool":
            return _tool_fields(keyword_fields(value, "Tool"), analysis, proto=False)
        if proto_name(value.func, analysis) in ("CodeExecution", "GoogleSearchRetrieval"):
            raise Unsupported(BUILTIN_TOOL_ADVICE["code_execution" if proto_name(value.func, analysis) == "CodeExecution" else "google_search_retrieval"])
    return [_declaration(value, analysis, renamed=True)]


def _tool_fields(fields: list[tuple[str, cst.BaseExpression]], analysis: ModuleAnalysis, proto: bool) -> list[Declaration]:
    declarations: list[Declaration] = []
    for key, value in fields:
        if key in BUILTIN_TOOL_ADVICE:
            raise Unsupported(BUILTIN_TOOL_ADVICE[key])
        if key != "function_declarations":
            raise Unsupported(f"tool field `{key}` is not one genai 0.8.6 accepts")
        listed = _value(value, analysis)
        if not isinstance(listed, (cst.List, cst.Tuple)):
            raise Unsupported("function_declarations is not a list literal")
        declarations += [_declaration(element, analysis, renamed=not proto) for element in _elements(listed)]
    return declarations


def _declaration(expr: cst.BaseExpression, analysis: ModuleAnalysis, renamed: bool) -> Declaration:
    """One function declaration. `renamed`: a dict here went through genai's FunctionDeclaration."""
    value = _value(expr, analysis)
    if isinstance(value, cst.Dict):
        fields = dict_fields(value, "function declaration")
        if any(key == "function" for key, _ in fields):
            raise Unsupported(CALLABLE_ADVICE)
        return _function(fields, analysis, renamed=renamed, wrapper=renamed)
    if isinstance(value, cst.Call):
        if proto_name(value.func, analysis) == "FunctionDeclaration":
            return _function(keyword_fields(value, "FunctionDeclaration"), analysis, renamed=False, wrapper=False)
        name = genai_name(value.func, analysis)
        if name == "FunctionDeclaration":
            return _function(keyword_fields(value, "FunctionDeclaration"), analysis, renamed=True, wrapper=True)
        if name in ("CallableFunctionDeclaration", "from_function"):
            raise Unsupported(CALLABLE_ADVICE)
    if isinstance(value, cst.Lambda):
        raise Unsupported(CALLABLE_ADVICE)
    raise Unsupported(UNREADABLE_TOOL)


def _function(fields: list[tuple[str, cst.BaseExpression]], analysis: ModuleAnalysis, renamed: bool, wrapper: bool) -> Declaration:
    """`{"type": "function", "function": {...}}` for a declaration's fields.

    genai's `FunctionDeclaration` wrapper (`wrapper`) requires name and description and takes
    nothing else; `protos.FunctionDeclaration` also has `response`, which OpenAI lacks.
    """
    given = dict(fields)
    allowed = {"name", "description", "parameters"}
    for key in given:
        if key == "response" and not wrapper:
            raise Unsupported("a function declaration's `response` schema has no OpenAI equivalent")
        if key not in allowed:
            raise Unsupported(f"function declaration field `{key}` is not one genai 0.8.6 accepts")
    if "name" not in given or (wrapper and "description" not in given):
        raise Unsupported("a function declaration without name or description (genai raised TypeError)")
    name = string_literal(given["name"], "the function name")
    entries: list[tuple[str, Json]] = [("name", name)]
    if "description" in given:
        description = string_literal(given["description"], "the function description")
        if _literal_text(description):
            entries.append(("description", description))
    parameters = given.get("parameters")
    if parameters is not None and not (isinstance(parameters, cst.Name) and parameters.value == "None"):
        entries.append(("parameters", json_schema(parameters, analysis, renamed)))
    return _literal_text(name) or "", obj(("type", text("function")), ("function", obj(*entries)))


def _builtin_tool(value: cst.SimpleString | cst.ConcatenatedString) -> list[Declaration]:
    name = str(value.evaluated_value).lower()
    raise Unsupported(BUILTIN_TOOL_ADVICE.get(name, "genai accepted only \"code_execution\" as a tool string"))


def _elements(value: cst.List | cst.Tuple) -> list[cst.BaseExpression]:
    if any(not isinstance(e, cst.Element) for e in value.elements):
        raise Unsupported("a tools list with * elements cannot be read statically")
    return [e.value for e in value.elements]


def _value(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """`resolve`, rejecting Python functions and types with the callable advice."""
    if _is_function(expr, analysis):
        raise Unsupported(CALLABLE_ADVICE)
    value = resolve(expr, analysis)
    if _is_function(value, analysis) or is_python_type(value, analysis):
        raise Unsupported(CALLABLE_ADVICE)
    return value


def _is_function(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """A name bound by `def` in this module: a callable genai would have wrapped."""
    if not isinstance(expr, cst.Name):
        return False
    return any(isinstance(getattr(r, "node", None), cst.FunctionDef) for r in analysis.referents(expr) or ())


def _literal_text(code: Code) -> str | None:
    node = cst.parse_expression(code.text)
    value = getattr(node, "evaluated_value", None)
    return value if isinstance(value, str) else None


# ----------------------------------------------------------------- tool_config
def tool_choice(tool_config: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The `tool_choice=` value for a genai `tool_config`, or Unsupported."""
    value = resolve(tool_config, analysis)
    if isinstance(value, cst.Dict):
        fields = dict_fields(value, "tool_config")
        lenient = True  # genai's to_tool_config normalises the function_calling_config
    elif isinstance(value, cst.Call) and proto_name(value.func, analysis) == "ToolConfig":
        fields = keyword_fields(value, "ToolConfig")
        lenient = False
    else:
        raise Unsupported("tool_config is not a dict or ToolConfig(...) literal genai2openai can read")
    if [key for key, _ in fields] != ["function_calling_config"]:
        raise Unsupported("tool_config has fields other than function_calling_config")
    mode, names = _calling_config(fields[0][1], analysis, lenient)
    if names and mode != "ANY":
        raise Unsupported("allowed_function_names is only valid with mode ANY (the Gemini API rejected it)")
    if mode == "ANY" and len(names) == 1:
        choice: Json = obj(("type", text("function")), ("function", obj(("name", names[0]))))
        return expression(choice, "tool_choice")
    if len(names) > 1:
        raise Unsupported(ALLOWED_NAMES_ADVICE)
    return expression(text(MODES[mode]), "tool_choice")


def _calling_config(expr: cst.BaseExpression, analysis: ModuleAnalysis, lenient: bool) -> tuple[str, list[Code]]:
    """(AUTO / ANY / NONE, allowed names) of a function_calling_config: a mode alone (genai's
    dict path only), a dict, or `FunctionCallingConfig(...)`."""
    value = resolve(expr, analysis)
    if isinstance(value, cst.Dict):
        fields = dict_fields(value, "function_calling_config")
    elif isinstance(value, cst.Call) and proto_name(value.func, analysis) == "FunctionCallingConfig":
        fields, lenient = keyword_fields(value, "FunctionCallingConfig"), False
    elif lenient:
        return _mode(value, analysis, lenient), []
    else:
        raise Unsupported("function_calling_config is not a literal genai2openai can read")
    given = dict(fields)
    if set(given) - {"mode", "allowed_function_names"} or "mode" not in given:
        raise Unsupported("function_calling_config needs a mode and takes only mode and allowed_function_names")
    names = string_list(given["allowed_function_names"], "allowed_function_names", analysis) if "allowed_function_names" in given else []
    return _mode(given["mode"], analysis, lenient), names


def _mode(value: cst.BaseExpression, analysis: ModuleAnalysis, lenient: bool) -> str:
    """AUTO, ANY or NONE. genai's dict path took `"any"`, `"MODE_ANY"`, 2 or the enum member;
    proto-plus only the exact name or the member."""
    if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
        name = value.evaluated_value
        if lenient:
            name = name.upper()
            name = name[5:] if name.startswith("MODE_") else name
        if name in MODES:
            return name
    elif isinstance(value, cst.Integer):
        if int(value.value, 0) in _MODE_NUMBERS:
            return _MODE_NUMBERS[int(value.value, 0)]
    else:
        member = proto_name(value, analysis) or ""
        for qualified in analysis.qualified_names(value):
            if qualified.startswith("google.generativeai.types.content_types.FunctionCallingMode."):
                member = "FunctionCallingConfig.Mode." + qualified.rsplit(".", 1)[-1]
        if member.startswith("FunctionCallingConfig.Mode.") and member.rsplit(".", 1)[-1] in MODES:
            return member.rsplit(".", 1)[-1]
    raise Unsupported("the function calling mode is not AUTO, ANY or NONE written as a literal")
