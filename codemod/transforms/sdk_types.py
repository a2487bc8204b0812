"""genai's classes in annotations and `isinstance` checks → the type of what replaced the objects.

A migrated model is its model id (`str`), a migrated chat the list of its messages, a response an
OpenAI `ChatCompletion` (a stream: `Stream[ChatCompletionChunk]`, or the accumulating wrapper
when the program reads it whole), and genai's TypedDicts describe plain dicts. Which objects a
class describes is found by following the annotated value (a parameter's arguments, a function's
returns, a variable's values) or the checked one back to where they were made. When some of them
stay on genai, or their origin cannot be told, the class stays and is marked; when all stay on
genai it stays as it is, still true.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

import libcst as cst
import libcst.matchers as m

from codemod.analysis import SDK_CLASSES, SDK_MODULE, ModuleAnalysis
from codemod.ftypes import Kind
from codemod.transforms import build
from codemod.transforms.chat import SEND, SEND_ASYNC
from codemod.transforms.plan import Plan
from codemod.transforms.streaming import SEND_STREAM, STREAM
from codemod.walk import children_of, descendants

Imports = frozenset[tuple[str, "str | None"]]


@dataclasses.dataclass(frozen=True)
class Target:
    """What a genai class becomes: in annotations, in `isinstance` checks, and the imports each needs."""

    annotation: str
    check: str
    imports: Imports = frozenset()
    check_imports: Imports = frozenset()

    def code(self, in_check: bool) -> tuple[str, Imports]:
        return (self.check, self.check_imports) if in_check else (self.annotation, self.imports)


_COMPLETION = frozenset({("openai.types.chat", "ChatCompletion")})
_CHUNK = ("openai.types.chat", "ChatCompletionChunk")
STR = Target("str", "str")
LIST = Target("list", "list")
DICT = Target("dict", "dict")
COMPLETION = Target("ChatCompletion", "ChatCompletion", _COMPLETION, _COMPLETION)
STREAMED = Target("Stream[ChatCompletionChunk]", "Stream", frozenset({("openai", "Stream"), _CHUNK}), frozenset({("openai", "Stream")}))
ASYNC_STREAMED = Target("AsyncStream[ChatCompletionChunk]", "AsyncStream", frozenset({("openai", "AsyncStream"), _CHUNK}), frozenset({("openai", "AsyncStream")}))
WRAPPED = Target(STREAM, STREAM)

RESPONSES = frozenset({"GenerateContentResponse", "AsyncGenerateContentResponse"})
# genai's TypedDicts for what the migration sends or converts; their values are plain dicts.
TYPED_DICTS = frozenset({"ContentDict", "PartDict", "BlobDict", "FileDataDict", "GenerationConfigDict", "SafetySettingDict", "ToolDict"})
# What each class describes once migrated, for advice.
SHOULD_BE = {
    "GenerativeModel": "str (a migrated model is its model id)",
    "ChatSession": "list (a migrated chat is the list of its messages)",
    "GenerateContentResponse": "openai.types.chat.ChatCompletion (openai.Stream[ChatCompletionChunk] when streamed)",
    "AsyncGenerateContentResponse": "openai.types.chat.ChatCompletion (openai.AsyncStream[ChatCompletionChunk] when streamed)",
}
UNTRACED = "genai's {name} here describes values genai2openai cannot follow to where they are made; once they are migrated it is {should_be}"
MIXED = "genai's {name} here describes objects that were migrated and objects kept on genai (or replies of several kinds): handle them apart"
_RESPONSE_CALLS = ("generate_content", "generate_content_async", "send_message", "send_message_async")
KEPT = "kept"  # an object left on genai
NONE = "none"  # the literal None (Optional[...])


@dataclasses.dataclass(frozen=True)
class ClassUse:
    """One spelling of a genai class: `node` (a reference, or a string annotation holding it),
    the class, the annotation it sits in (None for an `isinstance` check) and the checked value."""

    node: cst.BaseExpression
    name: str
    annotation: cst.Annotation | None
    checked: cst.BaseExpression | None = None


def plan_sdk_types(plan: Plan, references: Iterable[cst.BaseExpression]) -> None:
    """Rewrite (or mark) every annotation and `isinstance` check naming a genai class."""
    for use in _class_uses(plan, references):
        target = _target(plan, use)
        if target is not None:
            _rewrite(plan, use, target)


def _class_uses(plan: Plan, references: Iterable[cst.BaseExpression]) -> Iterator[ClassUse]:
    analysis = plan.analysis
    for reference in references:
        name = analysis.sdk_class(reference)
        if name is None or plan.touched(reference):
            continue
        annotation = next((a for a in analysis.ancestors(reference) if isinstance(a, cst.Annotation)), None)
        arg = analysis.parent(reference)
        if annotation is not None:
            yield ClassUse(reference, name, annotation)
        elif isinstance(arg, cst.Arg) and _is_checked_class(analysis, arg):
            call = analysis.parent(arg)
            yield ClassUse(reference, name, None, checked=call.args[0].value)  # type: ignore[union-attr]
    yield from _string_uses(plan)


def _is_checked_class(analysis: ModuleAnalysis, arg: cst.Arg) -> bool:
    """`arg` is the class of `isinstance(x, C)`."""
    call = analysis.parent(arg)
    return isinstance(call, cst.Call) and len(call.args) == 2 and call.args[1] is arg and analysis.checks_sdk_class(call.args[0])


def _string_uses(plan: Plan) -> Iterator[ClassUse]:
    """String annotations (`m: "genai.GenerativeModel"`) naming a genai class: LibCST's scopes
    count them as reads of the import, with the string as the node."""
    analysis = plan.analysis
    strings = {
        access.node: None
        for statement in analysis.sdk_imports
        for assignment in analysis.import_assignments(statement)
        for access in assignment.references
        if isinstance(access.node, (cst.SimpleString, cst.ConcatenatedString)) and not plan.touched(access.node)
    }
    for string in strings:
        annotation = next((a for a in analysis.ancestors(string) if isinstance(a, cst.Annotation)), None)
        names = {name for _, name in _classes_in_string(analysis, string)}
        if annotation is None or len(names) != 1 or None in names or not isinstance(string, cst.SimpleString):
            plan.mark(string, Kind.MANUAL_MIGRATION, "this string names google.generativeai: update it by hand once the code it describes is migrated")
            continue
        yield ClassUse(string, names.pop(), annotation)  # type: ignore[arg-type]


def _parsed(string: cst.BaseExpression) -> cst.BaseExpression | None:
    try:
        return cst.parse_expression(str(getattr(string, "evaluated_value", "")))
    except cst.ParserSyntaxError:
        return None


def _classes_in_string(analysis: ModuleAnalysis, string: cst.BaseExpression, parsed: cst.BaseExpression | None = None) -> list[tuple[cst.BaseExpression, str | None]]:
    """The outermost names in a string annotation that refer to genai, with the class each names."""
    parsed = parsed if parsed is not None else _parsed(string)
    if parsed is None:
        return [(string, None)]
    scope = analysis.scope(string)
    found = []
    for node in _outermost_dotted(parsed):
        qualified = {q.name for q in scope.get_qualified_names_for(build.code(node))} if scope is not None else set()
        sdk = [q for q in qualified if q == SDK_MODULE or q.startswith(SDK_MODULE + ".")]
        if sdk:
            classes = {SDK_CLASSES.get(q[len(SDK_MODULE) + 1 :]) for q in qualified}
            found.append((node, classes.pop() if len(classes) == 1 else None))
    return found


def _outermost_dotted(node: cst.CSTNode) -> Iterator[cst.BaseExpression]:
    if isinstance(node, (cst.Name, cst.Attribute)) and _dotted(node):
        yield node
        return
    for child in children_of(node):
        yield from _outermost_dotted(child)


def _dotted(node: cst.BaseExpression) -> bool:
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


# ------------------------------------------------------------------ what the class describes
def _target(plan: Plan, use: ClassUse) -> Target | None:
    """The new type, or None (the class stays: marked, or left as it is when still true)."""
    if use.name in TYPED_DICTS:
        return DICT if use.annotation is not None and plan.migrated_calls else None
    if use.name not in SHOULD_BE:
        return None
    values = _described(plan.analysis, use)
    found = None if values is None else {_migrated_as(plan, use.name, v) for v in values} - {NONE}
    plan.explained.add(use.node)  # explained here, or still true: what it describes stays on genai
    if not found or None in found:
        plan.mark(use.node, Kind.MANUAL_MIGRATION, UNTRACED.format(name=use.name, should_be=SHOULD_BE[use.name]))
        return None
    if len(found) > 1 and found != {KEPT}:
        plan.mark(use.node, Kind.MANUAL_MIGRATION, MIXED.format(name=use.name))
        return None
    return None if found == {KEPT} else found.pop()  # type: ignore[return-value]


def _described(analysis: ModuleAnalysis, use: ClassUse) -> list[cst.BaseExpression] | None:
    """The expressions that may make the values the class describes; None when unknown."""
    if use.checked is not None:
        return analysis.sources(use.checked)
    holder = analysis.parent(use.annotation)  # type: ignore[arg-type]
    if isinstance(holder, cst.Param):
        return _argument_sources(analysis, holder)
    if isinstance(holder, cst.FunctionDef) and holder.returns is use.annotation:
        return _flatten([analysis.sources(v) if v is not None else [cst.Name("None")] for v in analysis.return_values(holder)])
    if isinstance(holder, cst.AnnAssign):
        if holder.value is not None:
            return analysis.sources(holder.value)
        return _declared_sources(analysis, holder)
    return None


def _argument_sources(analysis: ModuleAnalysis, param: cst.Param) -> list[cst.BaseExpression] | None:
    function = analysis.enclosing_function(param)
    sites = analysis.call_sites(function) if function is not None else None
    if not sites or function is None:
        return None
    arguments = [analysis.argument_for(site, param, function) for site in sites]
    if any(a is None for a in arguments):
        return None
    return _flatten([analysis.sources(a) for a in arguments if a is not None])


def _declared_sources(analysis: ModuleAnalysis, declaration: cst.AnnAssign) -> list[cst.BaseExpression] | None:
    """`model: genai.GenerativeModel` without a value: the values of the name's other bindings,
    or, in a class body, of `self.model` in its methods."""
    target = declaration.target
    if not isinstance(target, cst.Name):
        return None
    owner = analysis.parent(analysis.parent(analysis.statement_of(declaration)))  # line → block → class
    if isinstance(owner, cst.ClassDef):
        loads = analysis.self_attribute_loads((owner, target.value))
        values = analysis.self_attribute_values(loads[0]) if loads else None
        return None if values is None else _flatten([analysis.sources(v) for v in values])
    scope = analysis.scope(target)
    bindings = [a for a in scope.assignments[target.value] if getattr(a, "node", None) is not target] if scope is not None else []
    values = [analysis.assigned_value(a) for a in bindings]
    if not values or any(v is None for v in values):
        return None
    return _flatten([analysis.sources(v) for v in values if v is not None])


def _flatten(groups: list[list[cst.BaseExpression] | None]) -> list[cst.BaseExpression] | None:
    if any(g is None for g in groups):
        return None
    return [item for g in groups if g is not None for item in g]


def _migrated_as(plan: Plan, name: str, value: cst.BaseExpression) -> Target | str | None:
    """The Target of one value the class describes, KEPT (left on genai), NONE, or None (not an
    object of this class, or unknown)."""
    analysis = plan.analysis
    if m.matches(value, m.Name("None")):
        return NONE
    if not isinstance(value, cst.Call):
        return None
    migrated = value in plan.node_edits
    if name == "GenerativeModel" and analysis.sdk_class(value.func) == "GenerativeModel":
        return STR if migrated else KEPT
    if name == "ChatSession" and m.matches(value.func, m.Attribute(attr=m.Name("start_chat"))):
        return LIST if migrated else KEPT
    if name in RESPONSES and m.matches(value.func, m.Attribute(attr=m.OneOf(*(m.Name(n) for n in _RESPONSE_CALLS)))):
        asynchronous = value.func.attr.value.endswith("_async")  # type: ignore[attr-defined]
        if asynchronous != (name == "AsyncGenerateContentResponse"):
            return None
        return _reply_type(plan, value) if migrated else KEPT
    return None


def _reply_type(plan: Plan, call: cst.Call) -> Target:
    """What the migrated call returns (once awaited): read off its replacement."""
    new = plan.with_edits(call)
    if m.matches(new, m.Call(func=m.Name(STREAM) | m.Name(SEND_STREAM))):
        return WRAPPED
    if m.matches(new, m.Call(func=m.Name(SEND) | m.Name(SEND_ASYNC))):
        return COMPLETION
    streamed = m.matches(new, m.Call(args=[m.ZeroOrMore(), m.Arg(keyword=m.Name("stream"), value=m.Name("True")), m.ZeroOrMore()]))
    asynchronous = call.func.attr.value.endswith("_async")  # type: ignore[attr-defined]
    return (ASYNC_STREAMED if asynchronous else STREAMED) if streamed else COMPLETION


# ------------------------------------------------------------------ rewriting
def _rewrite(plan: Plan, use: ClassUse, target: Target) -> None:
    code, imports = target.code(in_check=use.annotation is None)
    taken = sorted(name for module, name in imports if name is not None and plan.analysis.binds_otherwise(name, f"{module}.{name}"))
    builtin = code.split("[")[0]
    if builtin in ("str", "list", "dict") and plan.analysis.binds_otherwise(builtin, f"builtins.{builtin}"):
        taken.append(builtin)
    if taken:
        plan.mark(use.node, Kind.MANUAL_MIGRATION, f"genai's {use.name} here is now {code}, but this module binds `{taken[0]}` to something else")
        return
    if isinstance(use.node, cst.SimpleString):
        new = _string_with(plan.analysis, use.node, code)
        if new is None:
            plan.mark(use.node, Kind.MANUAL_MIGRATION, f"genai's {use.name} here is now {code}: update the string by hand")
            return
        plan.replace(use.node, lambda _: new)
    else:
        plan.replace(use.node, lambda _: cst.parse_expression(code))
    plan.imports.update(imports)


def _string_with(analysis: ModuleAnalysis, string: cst.SimpleString, code: str) -> cst.SimpleString | None:
    """The string annotation with its genai class written as `code`, quoted as it was."""
    parsed = _parsed(string)
    if parsed is None:
        return None
    replaced = {id(node) for node, name in _classes_in_string(analysis, string, parsed) if name is not None}
    new = parsed.visit(_Replace(replaced, cst.parse_expression(code)))
    text = build.code(new)
    if string.quote in text or "\\" in text or any(isinstance(n, cst.SimpleString) for n in descendants(new)):
        return None
    return string.with_changes(value=f"{string.prefix}{string.quote}{text}{string.quote}")


class _Replace(cst.CSTTransformer):
    def __init__(self, nodes: set[int], new: cst.BaseExpression) -> None:
        super().__init__()
        self._nodes, self._new = nodes, new

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        return self._new if id(original_node) in self._nodes else updated_node
