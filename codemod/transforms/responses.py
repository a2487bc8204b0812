"""Reads of a genai response → the same value on an OpenAI ChatCompletion."""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, Use
from codemod.transforms.plan import NodeEdit, Unsupported

USAGE = {
    "prompt_token_count": "prompt_tokens",
    "candidates_token_count": "completion_tokens",
    "total_token_count": "total_tokens",
}
ADVICE = {
    "prompt_feedback": "prompt_feedback has no OpenAI equivalent: check choices[0].finish_reason == \"content_filter\"",
    "resolve": "resolve() on a response that is not streamed did nothing and returned None: write None instead of the call",
    "candidates": "this read of response.candidates has no OpenAI equivalent",
    "usage_metadata": "read usage fields one by one (usage.prompt_tokens / completion_tokens / total_tokens)",
}
BLOCKED_TEXT = (
    "response.text raised ValueError for a blocked answer; choices[0].message.content is None "
    "instead (check finish_reason == \"content_filter\")"
)
_CATCHES_VALUE_ERROR = m.ExceptHandler(type=None) | m.ExceptHandler(
    type=m.Name("ValueError") | m.Name("Exception") | m.Tuple(elements=[m.ZeroOrMore(), m.Element(m.Name("ValueError") | m.Name("Exception")), m.ZeroOrMore()])
)
PARTS_ADVICE = (
    "OpenAI has no parts list: text is in choices[0].message.content and function calls are in "
    "choices[0].message.tool_calls (None when there are none)"
)
FUNCTION_CALL_ADVICE = (
    "read function calls as choices[0].message.tool_calls[k].function.name and "
    "json.loads(....function.arguments) (tool_calls is None when the model called no function)"
)
FUNCTION_CALL_NOTE = (
    "tool_calls holds only function calls and is None when the model called none "
    "(genai's parts[j] also counted text parts, whose function_call was empty)"
)
FUNCTION_CALL_EXPORT = "it now holds an OpenAI function call: .name, and .arguments as a JSON string (json.loads it) instead of .args"
ARGS_NOTE = "json.loads gives ints for whole numbers where genai's args (a protobuf Struct) gave floats"
TEXT_HELPER = "_genai2openai_text"
TEXT_HELPER_SOURCE = f'''\
def {TEXT_HELPER}(response):
    """genai's response.text: the text of the only reply, or ValueError as genai raised
    when there are several replies, or the reply has no text (blocked or empty)."""
    if len(response.choices) != 1:
        raise ValueError(
            "the response has "
            + str(len(response.choices))
            + " choices: read one of them"
        )
    content = response.choices[0].message.content
    if content is None:
        raise ValueError(
            "the reply has no text (finish_reason: "
            + str(response.choices[0].finish_reason)
            + ")"
        )
    return content
'''
_ZERO = m.Subscript(slice=[m.SubscriptElement(m.Index(m.Integer("0")))])


@dataclasses.dataclass(frozen=True)
class Read:
    """A rewritable read: replace `outer` by `edit(updated outer)`; `todo` is advice for the reader.

    `also`: further reads the same rewrite needs (`fc.args` after `fc = ….function_call`);
    `imports`: modules the new code uses (`json`); `exports`: (module-level name, what it holds
    now) for other modules that may import it.
    """

    outer: cst.CSTNode
    edit: NodeEdit
    todo: str | None = None
    also: tuple[Read, ...] = ()
    imports: frozenset[tuple[str, str | None]] = frozenset()
    exports: tuple[tuple[str, str], ...] = ()
    helpers: tuple[tuple[str, str], ...] = ()  # (name, source) of functions the new code calls


def plan_read(use: Use, analysis: ModuleAnalysis, several_choices: bool = False) -> Read:
    """How to rewrite one attribute read of a response, or Unsupported; `several_choices`: the
    request may ask for several candidates (genai's `.text` raised then)."""
    attribute = use.parent
    assert isinstance(attribute, cst.Attribute)
    name = attribute.attr.value
    if name == "text":
        if several_choices or _inside_value_error_handler(attribute, analysis) or _missing_text_matters(attribute, analysis):
            call = lambda r: cst.Call(cst.Name(TEXT_HELPER), [cst.Arg(r)])  # noqa: E731
            return Read(attribute, rebuild(1, call), helpers=((TEXT_HELPER, TEXT_HELPER_SOURCE),))
        return Read(attribute, rebuild(1, lambda r: message_content(r, cst.Integer("0"))))
    if name == "usage_metadata":
        return _usage_read(attribute, analysis)
    if name == "candidates":
        return _candidate_read(attribute, analysis)
    if name == "parts":
        return _function_call_read(attribute, cst.Integer("0"), 1, analysis)
    if name == "resolve":
        return _resolve_read(attribute, analysis)
    raise Unsupported(ADVICE.get(name, f"response.{name} has no OpenAI equivalent genai2openai knows"))


def _missing_text_matters(attribute: cst.Attribute, analysis: ModuleAnalysis) -> bool:
    """genai's `.text` was never None (it raised ValueError instead): does the program compare
    the text with None, or loop while it is missing? Then the migrated read must raise too."""
    reads: list[cst.CSTNode] = [attribute]
    assign = analysis.parent(attribute)
    if isinstance(assign, cst.Assign) and assign.value is attribute and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name):
        reads += analysis.references(assign.targets[0].target)
    return any(_tests_missing(read, analysis) for read in reads)


def _tests_missing(read: cst.CSTNode, analysis: ModuleAnalysis) -> bool:
    parent = analysis.parent(read)
    if isinstance(parent, cst.Comparison) and any(m.matches(c.comparator, m.Name("None")) for c in parent.comparisons):
        return True
    if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
        parent = analysis.parent(parent)
    return isinstance(parent, cst.While) and any(a is parent.test for a in (read, analysis.parent(read)))


def _inside_value_error_handler(node: cst.CSTNode, analysis: ModuleAnalysis, depth: int = 0) -> bool:
    """Is `node` in the body of a `try` that catches ValueError (genai's "no text" error), here or,
    when `node` is returned, around a call of its function (two levels up)?"""
    child = node
    for ancestor in analysis.ancestors(node):
        if isinstance(ancestor, cst.Try) and child is ancestor.body:
            if any(m.matches(handler, _CATCHES_VALUE_ERROR) for handler in ancestor.handlers):
                return True
        if isinstance(ancestor, cst.Return) and depth < 2:
            function = analysis.enclosing_function(ancestor)
            calls = analysis.call_sites(function) if function is not None else None
            if any(_inside_value_error_handler(call, analysis, depth + 1) for call in calls or ()):
                return True
        if isinstance(ancestor, (cst.FunctionDef, cst.ClassDef)):
            return False
        child = ancestor
    return False


def _resolve_read(attribute: cst.Attribute, analysis: ModuleAnalysis) -> Read:
    """`response.resolve()` alone on its line: genai's resolve() of a finished (not streamed)
    response returned at once, so the line goes. Inside an expression it stays (TODO)."""
    call = analysis.parent(attribute)
    if not (isinstance(call, cst.Call) and call.func is attribute and not call.args):
        raise Unsupported(ADVICE["resolve"])
    awaited = analysis.parent(call)
    statement = analysis.parent(awaited) if isinstance(awaited, cst.Await) and _awaits_async_response(attribute, analysis) else awaited
    line = analysis.parent(statement) if isinstance(statement, cst.Expr) else None
    if not (isinstance(line, cst.SimpleStatementLine) and any(small is statement for small in line.body)):
        raise Unsupported(ADVICE["resolve"])
    if sum(m.matches(small, _RESOLVE_STATEMENT) for small in line.body) > 1:
        raise Unsupported(ADVICE["resolve"])  # one edit per line: `a.resolve(); b.resolve()` is left to the reader
    index = next(i for i, small in enumerate(line.body) if small is statement)
    return Read(line, lambda updated: _without(updated, index))


def _awaits_async_response(attribute: cst.Attribute, analysis: ModuleAnalysis) -> bool:
    """`await response.resolve()` is only right on generate_content_async's response."""
    sources = analysis.sources(attribute.value) or []
    return bool(sources) and all(m.matches(s, _ASYNC_CALL) for s in sources)


_RESOLVE_CALL = m.Call(func=m.Attribute(attr=m.Name("resolve")), args=[])
_RESOLVE_STATEMENT = m.Expr(value=_RESOLVE_CALL | m.Await(expression=_RESOLVE_CALL))
_ASYNC_CALL = m.Call(func=m.Attribute(attr=m.Name("generate_content_async") | m.Name("send_message_async")))


def _without(line: cst.CSTNode, index: int) -> cst.CSTNode:
    """The line without its `index`-th small statement (an empty line is removed on the way out)."""
    assert isinstance(line, cst.SimpleStatementLine)
    body = [s for i, s in enumerate(line.body) if i != index]
    if body:
        body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return line.with_changes(body=body)


def _usage_read(attribute: cst.Attribute, analysis: ModuleAnalysis) -> Read:
    field = analysis.parent(attribute)
    if not (isinstance(field, cst.Attribute) and field.value is attribute and field.attr.value in USAGE):
        raise Unsupported(ADVICE["usage_metadata"])
    target = USAGE[field.attr.value]
    return Read(field, rebuild(2, lambda r: cst.Attribute(cst.Attribute(r, cst.Name("usage")), cst.Name(target))))


def _candidate_read(attribute: cst.Attribute, analysis: ModuleAnalysis) -> Read:
    subscript = analysis.parent(attribute)
    if not (isinstance(subscript, cst.Subscript) and subscript.value is attribute and len(subscript.slice) == 1):
        raise Unsupported(ADVICE["candidates"])
    index = subscript.slice[0].slice
    if not isinstance(index, cst.Index):
        raise Unsupported(ADVICE["candidates"])
    field = analysis.parent(subscript)
    if m.matches(field, m.Attribute(attr=m.Name("safety_ratings") | m.Name("citation_metadata") | m.Name("grounding_metadata"))):
        raise Unsupported("safety ratings, citations and grounding have no OpenAI equivalent: check finish_reason == \"content_filter\"")
    if m.matches(field, m.Attribute(attr=m.Name("finish_reason"))):
        note = "finish_reason is now a string (\"stop\", \"length\", \"content_filter\", \"tool_calls\"), not a genai enum"
        follower = analysis.parent(field)
        if isinstance(follower, (cst.Attribute, cst.Comparison)):
            raise Unsupported(note + ": compare with the new values by hand")
        return Read(field, rebuild(3, lambda r: _finish_reason(r, index.value)), todo=note)
    text = _text_of_first_part(field, analysis)
    if text is not None:
        return Read(text, rebuild(6, lambda r: message_content(r, index.value)))
    parts = analysis.parent(field) if m.matches(field, m.Attribute(attr=m.Name("content"))) else None  # type: ignore[arg-type]
    if m.matches(parts, m.Attribute(attr=m.Name("parts"))):
        return _function_call_read(parts, index.value, 4, analysis)  # type: ignore[arg-type]
    raise Unsupported(ADVICE["candidates"])


def _text_of_first_part(content: cst.CSTNode | None, analysis: ModuleAnalysis) -> cst.CSTNode | None:
    """`….content.parts[0].text` above a candidate, or None."""
    if not m.matches(content, m.Attribute(attr=m.Name("content"))):
        return None
    parts = analysis.parent(content)  # type: ignore[arg-type]
    if not m.matches(parts, m.Attribute(attr=m.Name("parts"))):
        return None
    first = analysis.parent(parts)  # type: ignore[arg-type]
    if not m.matches(first, _ZERO):
        return None
    text = analysis.parent(first)  # type: ignore[arg-type]
    return text if m.matches(text, m.Attribute(attr=m.Name("text"))) else None


def _function_call_read(parts: cst.Attribute, choice: cst.BaseExpression, depth: int, analysis: ModuleAnalysis) -> Read:
    """`<parts>[j].function_call.name` / `.args`, or `fc = <parts>[j].function_call` read only
    through `fc.name` / `fc.args`. `depth`: levels from `parts` down to the response."""
    item = analysis.parent(parts)
    if not m.matches(item, m.Subscript(slice=[m.SubscriptElement(m.Index(m.Integer()))])) or item.value is not parts:  # type: ignore[union-attr]
        raise Unsupported(PARTS_ADVICE)
    index = item.slice[0].slice.value  # type: ignore[union-attr]
    call = analysis.parent(item)  # type: ignore[arg-type]
    if not m.matches(call, m.Attribute(attr=m.Name("function_call"))):
        raise Unsupported(PARTS_ADVICE)
    field = analysis.parent(call)  # type: ignore[arg-type]
    if isinstance(field, cst.Attribute) and field.value is call and field.attr.value in ("name", "args"):
        build = call_field(field.attr.value)
        note = FUNCTION_CALL_NOTE if field.attr.value == "name" else f"{FUNCTION_CALL_NOTE}; {ARGS_NOTE}"
        edit = rebuild(depth + 3, lambda r: build(_tool_function(r, choice, index)))
        return Read(field, edit, todo=note, imports=field_imports(field.attr.value))
    if isinstance(field, cst.Assign) and field.value is call:
        uses = analysis.uses(call)  # type: ignore[arg-type]
        exports = tuple((use.reason, FUNCTION_CALL_EXPORT) for use in uses if use.kind == "export")
        also = tuple(read for use in uses if use.kind != "export" and (read := _held_function_call_read(use)) is not None)
        edit = rebuild(depth + 2, lambda r: _tool_function(r, choice, index))
        imports = frozenset().union(*(read.imports for read in also))
        return Read(call, edit, todo=FUNCTION_CALL_NOTE, also=also, imports=imports, exports=exports)  # type: ignore[arg-type]
    raise Unsupported(FUNCTION_CALL_ADVICE)


def _held_function_call_read(use: Use) -> Read | None:
    """`fc.name` stays as it is (an OpenAI function has a name too); `fc.args` is parsed."""
    if use.attribute == "name":
        return None
    if use.attribute == "args":
        return Read(use.parent, lambda u: call_field("args")(u.value), todo=ARGS_NOTE, imports=field_imports("args"))  # type: ignore[arg-type, attr-defined]
    raise Unsupported(FUNCTION_CALL_ADVICE)


def call_field(name: str) -> callable[[cst.BaseExpression], cst.BaseExpression]:  # type: ignore[valid-type]
    """`function.name`, or `json.loads(function.arguments)` for genai's `args`."""
    if name == "name":
        return lambda function: cst.Attribute(function, cst.Name("name"))
    return lambda function: cst.Call(
        cst.Attribute(cst.Name("json"), cst.Name("loads")), [cst.Arg(cst.Attribute(function, cst.Name("arguments")))]
    )


def field_imports(name: str) -> frozenset[tuple[str, str | None]]:
    return frozenset({("json", None)}) if name == "args" else frozenset()


def _tool_function(receiver: cst.BaseExpression, choice: cst.BaseExpression, index: cst.BaseExpression) -> cst.BaseExpression:
    """`<receiver>.choices[i].message.tool_calls[j].function`."""
    message = cst.Attribute(_choice(receiver, choice), cst.Name("message"))
    call = cst.Subscript(cst.Attribute(message, cst.Name("tool_calls")), [cst.SubscriptElement(cst.Index(index))])
    return cst.Attribute(call, cst.Name("function"))


def _choice(receiver: cst.BaseExpression, index: cst.BaseExpression) -> cst.Subscript:
    return cst.Subscript(cst.Attribute(receiver, cst.Name("choices")), [cst.SubscriptElement(cst.Index(index))])


def message_content(receiver: cst.BaseExpression, index: cst.BaseExpression) -> cst.BaseExpression:
    return cst.Attribute(cst.Attribute(_choice(receiver, index), cst.Name("message")), cst.Name("content"))


def _finish_reason(receiver: cst.BaseExpression, index: cst.BaseExpression) -> cst.BaseExpression:
    return cst.Attribute(_choice(receiver, index), cst.Name("finish_reason"))


def rebuild(depth: int, build: callable[[cst.BaseExpression], cst.BaseExpression]) -> NodeEdit:  # type: ignore[valid-type]
    """An edit that finds the (already rewritten) receiver `depth` levels down and rebuilds on it."""

    def edit(updated: cst.CSTNode) -> cst.CSTNode:
        receiver = updated
        for _ in range(depth):
            receiver = receiver.value  # type: ignore[attr-defined]
        return build(receiver)  # type: ignore[arg-type]

    return edit
