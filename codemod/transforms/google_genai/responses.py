"""Reads of a google-genai response → the same value on an OpenAI ChatCompletion.

As for google.generativeai (`transforms/responses.py`), with google-genai's own behaviour:
`.text` is the first candidate's text, or None (google-genai never raised there); `.parsed` is
the reply read as JSON, through the pydantic model of the response schema when there is one,
None when it does not parse (`types.GenerateContentResponse._from_response`); `.function_calls`
are the reply's function calls, None when there are none, as OpenAI's `tool_calls`.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, Use
from codemod.transforms.plan import Unsupported
from codemod.transforms.responses import (
    USAGE,
    Read,
    call_field,
    field_imports,
    message_content,
    plan_read,
    rebuild,
)

PARSED_HELPER = "_genai2openai_parsed"
PARSED_HELPER_SOURCE = f'''\
def {PARSED_HELPER}(response, schema=None):
    """google-genai's response.parsed: the reply's text read as JSON (validated by
    the pydantic model `schema` if any), None when it is missing or does not parse."""
    import json

    text = response.choices[0].message.content if response.choices else None
    if text is None:
        return None
    try:
        return json.loads(text) if schema is None else schema.model_validate_json(text)
    except ValueError:
        return None
'''
THOUGHTS = (
    "usage_metadata.thoughts_token_count has no documented counterpart in the endpoint's usage "
    "(it reports prompt, completion and total tokens): read response.usage by hand"
)
FUNCTION_CALLS = (
    "response.function_calls is used other than by index or in a loop reading .name and .args: "
    "read response.choices[0].message.tool_calls (each .function.name, json.loads(.function.arguments))"
)
CALL_FIELDS = ("name", "args")


def client_sdk_read(use: Use, analysis: ModuleAnalysis, schema: cst.BaseExpression | None, structured: bool | None) -> Read:
    """How one attribute read of a google-genai response changes, or Unsupported. `structured`:
    the request asked for JSON with a schema (None: unknown here, the response came from another
    module); `schema`: the pydantic model it names, if any."""
    attribute = use.parent
    assert isinstance(attribute, cst.Attribute)
    name = attribute.attr.value
    if name == "text":
        return Read(attribute, rebuild(1, lambda r: message_content(r, cst.Integer("0"))))
    if name == "parsed":
        if structured is None:
            raise Unsupported("response.parsed of a response another module made: genai2openai does not know its schema here; read json.loads(response.choices[0].message.content)")
        if not structured:
            raise Unsupported("response.parsed without a response schema was always None: write None instead")
        arguments = [cst.Arg(schema)] if schema is not None else []
        return Read(attribute, rebuild(1, lambda r: cst.Call(cst.Name(PARSED_HELPER), [cst.Arg(r), *arguments])), helpers=((PARSED_HELPER, PARSED_HELPER_SOURCE),))
    if name == "function_calls":
        return _function_calls_read(attribute, analysis)
    if name == "usage_metadata":
        field = analysis.parent(attribute)
        if m.matches(field, m.Attribute(attr=m.Name("thoughts_token_count"))):
            raise Unsupported(THOUGHTS)
        if not (isinstance(field, cst.Attribute) and field.attr.value in USAGE):
            raise Unsupported("read usage fields one by one (usage.prompt_tokens / completion_tokens / total_tokens)")
    return plan_read(use, analysis)


def _function_calls_read(attribute: cst.Attribute, analysis: ModuleAnalysis) -> Read:
    """`r.function_calls` → `r.choices[0].message.tool_calls`; each call's `.name` /
    `.args` (by index, or in a loop) → `.function.name` / `json.loads(.function.arguments)`."""
    outer = rebuild(1, lambda r: cst.Attribute(cst.Attribute(_first_choice(r), cst.Name("message")), cst.Name("tool_calls")))
    parent = analysis.parent(attribute)
    if isinstance(parent, cst.If) or m.matches(parent, m.UnaryOperation(operator=m.Not())) or _is_none_test(parent, attribute):
        return Read(attribute, outer)  # None without calls, on both sides
    items: list[cst.Attribute] = []
    iterated: cst.BaseExpression = attribute
    if m.matches(parent, m.BooleanOperation(operator=m.Or(), right=m.List(elements=[]))) and parent.left is attribute:  # type: ignore[union-attr]
        iterated, parent = parent, analysis.parent(parent)  # type: ignore[assignment]  # `... or []`: None without calls, on both sides
    if isinstance(parent, cst.Subscript) and parent.value is iterated:
        items = [_field(parent, analysis)]
    elif isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is iterated and isinstance(parent.target, cst.Name):
        references = analysis.sole_references(parent.target) if isinstance(parent, cst.For) else None
        if references is None:
            raise Unsupported(FUNCTION_CALLS)
        items = [_field(reference, analysis) for reference in references]
    else:
        raise Unsupported(FUNCTION_CALLS)
    also = tuple(Read(item, _call_field_edit(item.attr.value), imports=field_imports(item.attr.value)) for item in items)
    return Read(attribute, outer, also=also, imports=frozenset().union(*(read.imports for read in also)))


def _field(call: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.Attribute:
    field = analysis.parent(call)
    if not (isinstance(field, cst.Attribute) and field.value is call and field.attr.value in CALL_FIELDS):
        raise Unsupported(FUNCTION_CALLS)
    return field


def _call_field_edit(name: str):  # type: ignore[no-untyped-def]
    build = call_field(name)
    return lambda updated: build(cst.Attribute(updated.value, cst.Name("function")))


def _is_none_test(parent: cst.CSTNode | None, attribute: cst.Attribute) -> bool:
    return m.matches(parent, m.Comparison(comparisons=[m.ComparisonTarget(m.Is() | m.IsNot(), m.Name("None"))])) and parent.left is attribute  # type: ignore[union-attr]


def _first_choice(receiver: cst.BaseExpression) -> cst.BaseExpression:
    return cst.Subscript(cst.Attribute(receiver, cst.Name("choices")), [cst.SubscriptElement(cst.Index(cst.Integer("0")))])
