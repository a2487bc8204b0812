"""`genai.embed_content(...)` → `client.embeddings.create(...)`, and reads of its result.

genai returned a dict: `{"embedding": vector}` for one content, `{"embedding": [vector, ...]}`
for a list of contents. OpenAI returns a `CreateEmbeddingResponse`: `r.data[0].embedding` for one
input, `[d.embedding for d in r.data]` for several. The shape of the content therefore decides how
each `r["embedding"]` read is rewritten; a content that may be either stays on genai (marked).
`encoding_format="float"` is always passed: without it the SDK asks the endpoint for base64.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
from libcst.helpers import parse_template_expression

from codemod.analysis import ModuleAnalysis, Use
from codemod.ftypes import Kind, Severity
from codemod.transforms import build
from codemod.transforms.arguments import call_arguments, timeout_argument
from codemod.transforms.models_api import (
    Site,
    client_call,
    inside_fstring,
    literal_model_id,
    only_from,
    settle,
)
from codemod.transforms.plan import NodeEdit, Plan, Unsupported

EMBED = {"embed_content": False, "embed_content_async": True}  # name → asynchronous
PARAMS = ("model", "content", "task_type", "title", "output_dimensionality", "client", "request_options")
DROPPED = {
    "task_type": "OpenAI's embeddings API has no task_type (the vectors may differ from genai's)",
    "title": "OpenAI's embeddings API has no title",
}
ONE, MANY = "one", "many"
EMBED_EXPORT = 'it now holds (or returns) an OpenAI CreateEmbeddingResponse: read .data[0].embedding instead of ["embedding"]'
SHAPE_UNKNOWN = (
    "content may be one text or a list of texts, and the result's shape depends on it: "
    "annotate it `: str` or `: list[str]`, or call client.embeddings.create by hand"
)
ASSUMED_TEXT = "embedding content assumed to be text (or a list of texts); OpenAI embeds text only"
RESULT_ADVICE = 'the embedding result (a dict) is {reason}; only its ["embedding"] reads are migrated'
_EMBEDDING_KEY = m.SimpleString('"embedding"') | m.SimpleString("'embedding'")
_SEQUENCE_TYPES = m.Name("list") | m.Name("List") | m.Name("tuple") | m.Name("Tuple") | m.Attribute(attr=m.Name("List") | m.Name("Tuple"))


def plan_embeddings(plan: Plan, calls: list[cst.Call]) -> None:
    """Plan every `embed_content` / `embed_content_async` call (`calls` are the SDK calls of the
    module, whatever their name)."""
    for call in calls:
        name = plan.analysis.called_sdk_name(call)
        if name in EMBED:
            settle(plan, _site(plan, call, EMBED[name]), EMBED_EXPORT)


def _site(plan: Plan, call: cst.Call, asynchronous: bool) -> Site:
    analysis = plan.analysis
    site = Site(call, asynchronous=asynchronous)
    try:
        if inside_fstring(call, analysis):
            raise Unsupported("a call inside an f-string: move it to a variable first")
        origin = _awaited(call, analysis) if asynchronous else call
        args = call_arguments(call, PARAMS, (p for p in PARAMS if p != "client"))
        if "model" not in args or "content" not in args:
            raise Unsupported("embed_content without a model or content")
        shape, assumed = content_shape(args["content"], analysis)
        site.replacement = client_call(plan, "embeddings.create", _create_arguments(args, plan, site), asynchronous)
    except Unsupported as error:
        site.problems.append((call, str(error)))
        return site
    reads: list[tuple[cst.CSTNode, int]] = []
    for use in analysis.uses(origin):
        if use.kind == "export" and use.reason in plan.kept_exports:
            site.problems.append((use.parent or use.node, plan.kept_exports[use.reason]))
        elif use.kind == "export":
            site.exports.add(use.reason)
        elif use.kind == "discard":
            continue
        elif not only_from(use, (origin, call), analysis):
            site.problems.append((use.parent or use.node, "this variable may also hold something other than this embedding result"))
        else:
            read = _embedding_read(use, analysis)
            if read is None:
                site.problems.append((use.parent or use.node, RESULT_ADVICE.format(reason=use.reason or "used in a way genai2openai does not follow")))
            else:
                reads.append(read)
    if reads and shape is None:
        site.problems.append((call, SHAPE_UNKNOWN))
    elif shape is None or assumed:
        site.marks.append((Kind.ASSUMED_TEXT, ASSUMED_TEXT, Severity.NOTE))
    site.reads = [(node, _vector_edit(depth, shape or ONE)) for node, depth in reads]
    return site


def _awaited(call: cst.Call, analysis: ModuleAnalysis) -> cst.Await:
    """The `await` around an async call: the object the program then uses."""
    parent = analysis.parent(call)
    if isinstance(parent, cst.Await) and parent.expression is call:
        return parent
    raise Unsupported("embed_content_async is not awaited where it is called: await it there, then run genai2openai again")


def _create_arguments(args: dict[str, cst.BaseExpression], plan: Plan, site: Site) -> list[cst.Arg]:
    """create()'s keyword arguments; dropped options go to `site.marks`."""
    arguments = [build.kwarg("model", literal_model_id(args["model"], plan)), build.kwarg("input", args["content"])]
    dimensions = args.get("output_dimensionality")
    if dimensions is not None and not m.matches(dimensions, m.Name("None") | m.Integer("0")):
        arguments.append(build.kwarg("dimensions", dimensions))  # genai treated 0 as "not set"
    arguments.append(build.kwarg("encoding_format", build.string("float")))
    arguments += timeout_argument(args.get("request_options"))
    for key, reason in DROPPED.items():
        value = args.get(key)
        if value is not None and not m.matches(value, m.Name("None")):
            site.marks.append((Kind.DROPPED_OPTION, f"dropped {key}={build.code(value)}: {reason}", Severity.WARNING))
    return arguments


def content_shape(content: cst.BaseExpression, analysis: ModuleAnalysis) -> tuple[str | None, bool]:
    """(ONE for a text, MANY for a list of texts, None when unknown; whether its texts are only
    assumed), or Unsupported when it is provably something OpenAI cannot embed."""
    if analysis.is_text(content):
        return ONE, False
    if isinstance(content, (cst.List, cst.Tuple)):
        if not content.elements:
            raise Unsupported("an empty content list: genai sent no request for it")
        values = [e.value for e in content.elements]
        if any(_not_text(v, analysis) for v in values):
            raise Unsupported("content items that are not text (parts, images, files) are not migrated")
        return MANY, not all(isinstance(e, cst.Element) and analysis.is_text(e.value) for e in content.elements)
    if _not_text(content, analysis):
        raise Unsupported("content that is not text (parts, images, files) is not migrated")
    many = _text_sequence(content, analysis)
    if many is not None:
        return MANY, not many
    return None, True


def _text_sequence(expr: cst.BaseExpression, analysis: ModuleAnalysis, depth: int = 0) -> bool | None:
    """True: a list of texts; False: a list or tuple of unknown items; None: maybe not a list."""
    if depth > 4:
        return None
    if isinstance(expr, (cst.List, cst.Tuple)):
        return all(isinstance(e, cst.Element) and analysis.is_text(e.value) for e in expr.elements)
    if isinstance(expr, cst.ListComp):
        return analysis.is_text(expr.elt)
    if isinstance(expr, cst.Call) and m.matches(expr.func, m.Attribute(attr=m.Name("split") | m.Name("splitlines"))):
        return True if analysis.is_text(expr.func.value) else None  # type: ignore[attr-defined]
    if not isinstance(expr, cst.Name):
        return None
    found: list[bool | None] = []
    for referent in analysis.referents(expr) or ():
        value = analysis.assigned_value(referent)
        param = analysis.param_of(referent)
        if value is not None and value is not expr:
            found.append(_text_sequence(value, analysis, depth + 1))
        elif param is not None and param.annotation is not None:
            found.append(_annotated_sequence(param.annotation.annotation))
        else:
            found.append(None)
    if not found or any(f is None for f in found):
        return None
    return all(found)


def _annotated_sequence(annotation: cst.BaseExpression) -> bool | None:
    """`list[str]` / `List[str]` / `tuple[str, ...]`: True; another list or tuple: False."""
    if m.matches(annotation, _SEQUENCE_TYPES):
        return False
    if isinstance(annotation, cst.Subscript) and m.matches(annotation.value, _SEQUENCE_TYPES):
        first = annotation.slice[0].slice
        return isinstance(first, cst.Index) and m.matches(first.value, m.Name("str"))
    return None


def _not_text(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """Positive evidence that `expr` is neither a text nor a list of texts (a dict is one content
    of parts; bytes, numbers and SDK objects are no text)."""
    if isinstance(expr, (cst.Dict, cst.Integer, cst.Float, cst.Set)):
        return True
    if isinstance(expr, cst.SimpleString) and "b" in expr.prefix.lower():
        return True
    return isinstance(expr, cst.Call) and analysis.called_sdk_name(expr) is not None


def _embedding_read(use: Use, analysis: ModuleAnalysis) -> tuple[cst.CSTNode, int] | None:
    """`r["embedding"]` or `r.get("embedding")`: (node to replace, depth of `r` below it)."""
    parent = use.parent
    if isinstance(parent, cst.Subscript) and parent.value is use.node and len(parent.slice) == 1:
        index = parent.slice[0].slice
        holder = analysis.parent(parent)
        stored = isinstance(holder, (cst.AssignTarget, cst.Del)) or (isinstance(holder, cst.AugAssign) and holder.target is parent)
        if isinstance(index, cst.Index) and m.matches(index.value, _EMBEDDING_KEY) and not stored:
            return parent, 1
        return None
    if use.attribute == "get":
        call = analysis.parent(parent)  # type: ignore[arg-type]
        if m.matches(call, m.Call(args=[m.Arg(value=_EMBEDDING_KEY, keyword=None, star="")])) and call.func is parent:  # type: ignore[union-attr]
            return call, 2  # type: ignore[return-value]
    return None


def _vector_edit(depth: int, shape: str) -> NodeEdit:
    """Rebuild the read on the (already rewritten) result found `depth` levels down."""

    def edit(updated: cst.CSTNode) -> cst.CSTNode:
        receiver = updated
        for _ in range(depth):
            receiver = receiver.func if isinstance(receiver, cst.Call) else receiver.value  # type: ignore[attr-defined]
        if shape == MANY:
            return parse_template_expression("[d.embedding for d in {r}.data]", r=receiver)
        return parse_template_expression("{r}.data[0].embedding", r=receiver)

    return edit
