"""`client.models.embed_content(...)` → `client.embeddings.create(...)`, and reads of its result.

google-genai returns an `EmbedContentResponse` whose `.embeddings` hold one `ContentEmbedding`
per content (`.values`, the vector): one for a text, one per item of a list. OpenAI returns a
`CreateEmbeddingResponse` whose `.data` hold one `Embedding` per input (`.embedding`). So
`r.embeddings[i].values` becomes `r.data[i].embedding`, and a loop over `r.embeddings` reading
`e.values` loops over `r.data` reading `e.embedding`. `encoding_format="float"` is always passed:
without it the SDK asks the endpoint for base64.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, Use
from codemod.ftypes import Kind, Severity
from codemod.transforms import build
from codemod.transforms.arguments import call_arguments
from codemod.transforms.embeddings import content_shape
from codemod.transforms.files import upload_mime_type
from codemod.transforms.generate import model_id
from codemod.transforms.google_genai.contents import literal_fields
from codemod.transforms.models_api import Site, lazy, model_read, read_model_uses, retrieve_id
from codemod.transforms.plan import NodeEdit, Plan, Unsupported
from codemod.walk import descendants

EMBED_EXPORT = "it now holds (or returns) an OpenAI CreateEmbeddingResponse: read .data[i].embedding instead of .embeddings[i].values"
DROPPED = {
    "task_type": "OpenAI's embeddings API has no task_type (the vectors may differ from google-genai's)",
    "title": "OpenAI's embeddings API has no title",
}
CONFIG_FIELDS = ("output_dimensionality", "task_type", "title")
READ_ADVICE = "this read of an embedding result has no OpenAI equivalent genai2openai knows: read .data[i].embedding"


@dataclasses.dataclass
class EmbedPlan:
    """One `embed_content` call: its replacement, the reads to rewrite, what blocks it."""

    call: cst.Call
    arguments: list[cst.Arg] = dataclasses.field(default_factory=list)
    reads: list[tuple[cst.CSTNode, NodeEdit]] = dataclasses.field(default_factory=list)
    problems: list[tuple[cst.CSTNode, str]] = dataclasses.field(default_factory=list)
    marks: list[tuple[Kind, str, Severity]] = dataclasses.field(default_factory=list)
    exports: set[str] = dataclasses.field(default_factory=set)


def plan_embed(call: cst.Call, asynchronous: bool, analysis: ModuleAnalysis) -> EmbedPlan:
    """Read one `client.models.embed_content(model=, contents=, config=)` and its result's uses."""
    site = EmbedPlan(call)
    try:
        args = call_arguments(call, ())
        if set(args) - {"model", "contents", "config"} or "model" not in args or "contents" not in args:
            raise Unsupported("embed_content with arguments other than model=, contents= and config=")
        shape, assumed = content_shape(args["contents"], analysis)
        if shape is None or assumed:
            raise Unsupported("embedding contents that may not be text: OpenAI embeds text only (annotate it `: str` or `: list[str]`)")
        site.arguments = [build.kwarg("model", model_id(args["model"], analysis)), build.kwarg("input", args["contents"])]
        site.arguments += _config_arguments(args.get("config"), analysis, site)
        site.arguments.append(build.kwarg("encoding_format", build.string("float")))
        origin = _awaited(call, analysis) if asynchronous else call
    except Unsupported as error:
        site.problems.append((call, str(error)))
        return site
    for use in analysis.uses(origin):
        if use.kind == "export":
            site.exports.add(use.reason)
        elif use.kind == "attribute" and use.attribute == "embeddings" and analysis.sources(use.node) in ([origin], [call]):
            try:
                site.reads += _vector_reads(use.parent, analysis)  # type: ignore[arg-type]
            except Unsupported as error:
                site.problems.append((use.parent or use.node, str(error)))
        elif use.kind != "discard":
            site.problems.append((use.parent or use.node, READ_ADVICE))
    return site


def _config_arguments(config: cst.BaseExpression | None, analysis: ModuleAnalysis, site: EmbedPlan) -> list[cst.Arg]:
    if config is None or m.matches(config, m.Name("None")):
        return []
    fields = literal_fields(config, "EmbedContentConfig", analysis, "an embedding config")
    arguments = []
    for key, value in fields.items():
        if m.matches(value, m.Name("None")):
            continue
        if key not in CONFIG_FIELDS:
            raise Unsupported(f"EmbedContentConfig {key}= is not migrated")
        if key == "output_dimensionality":
            arguments.append(build.kwarg("dimensions", value))
        else:
            site.marks.append((Kind.DROPPED_OPTION, f"dropped {key}={build.code(value)}: {DROPPED[key]}", Severity.WARNING))
    return arguments


def _vector_reads(embeddings: cst.Attribute, analysis: ModuleAnalysis) -> list[tuple[cst.CSTNode, NodeEdit]]:
    """`r.embeddings` → `r.data`, and each vector read on its items (`[i].values`, a loop's
    `e.values`) → `.embedding`."""
    reads: list[tuple[cst.CSTNode, NodeEdit]] = [(embeddings, lambda updated: updated.with_changes(attr=cst.Name("data")))]  # type: ignore[attr-defined]
    parent = analysis.parent(embeddings)
    if isinstance(parent, cst.Subscript) and parent.value is embeddings:
        values = analysis.parent(parent)
        if m.matches(values, m.Attribute(attr=m.Name("values"))) and values.value is parent:  # type: ignore[union-attr]
            return [*reads, (values, _as_embedding)]  # type: ignore[list-item]
        raise Unsupported("an embedding read without .values: read .data[i].embedding")
    loop = parent if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is embeddings else None
    if loop is None or not isinstance(loop.target, cst.Name):
        raise Unsupported("result.embeddings used other than by index or in a loop")
    references = analysis.sole_references(loop.target) if isinstance(loop, cst.For) else _comprehension_reads(loop, analysis)
    if references is None:
        raise Unsupported("the loop variable over result.embeddings is also used for something else")
    for reference in references:
        values = analysis.parent(reference)
        if not (m.matches(values, m.Attribute(attr=m.Name("values"))) and values.value is reference):  # type: ignore[union-attr]
            raise Unsupported("an embedding read without .values: read .data[i].embedding")
        reads.append((values, _as_embedding))  # type: ignore[arg-type]
    return reads


def _comprehension_reads(loop: cst.CompFor, analysis: ModuleAnalysis) -> list[cst.Name] | None:
    """The reads of a comprehension's target inside its element (`[e.values for e in ...]`)."""
    comprehension = analysis.parent(loop)
    target = loop.target
    assert isinstance(target, cst.Name)
    element = getattr(comprehension, "elt", None)
    if element is None or loop.inner_for_in is not None or loop.ifs:
        return None
    return [n for n in descendants(element) if isinstance(n, cst.Name) and n.value == target.value]


def _as_embedding(updated: cst.CSTNode) -> cst.CSTNode:
    return updated.with_changes(attr=cst.Name("embedding"))  # type: ignore[attr-defined]


def _awaited(call: cst.Call, analysis: ModuleAnalysis) -> cst.Await:
    parent = analysis.parent(call)
    if isinstance(parent, cst.Await) and parent.expression is call:
        return parent
    raise Unsupported("embed_content of client.aio is not awaited where it is called: await it there, then run genai2openai again")


# ----------------------------------------------------------------- models.list / models.get
def plan_models_list(call: cst.Call, receiver: cst.BaseExpression, analysis: ModuleAnalysis) -> Site:
    """`for m in client.models.list():` → `client.models.list()` (a page the SDK iterates across
    pages, as google-genai's pager did); `m.name` → `m.id`."""
    site = Site(call)
    try:
        args = call_arguments(call, ())
        if set(args) - {"config"} or not _only_page_size(args.get("config"), analysis):
            raise Unsupported("models.list with options other than page_size (which only changes the paging)")
        loop = analysis.parent(call)
        if not (isinstance(loop, (cst.For, cst.CompFor)) and loop.iter is call) or lazy(loop, analysis):
            raise Unsupported("client.models.list() is migrated where a for loop or a list, set or dict comprehension iterates the call itself")
        if not isinstance(loop.target, cst.Name):
            raise Unsupported("the loop unpacks google-genai's Model objects: iterate them by name")
    except Unsupported as error:
        site.problems.append((call, str(error)))
        return site
    site.replacement = build.method_call(receiver, "models.list", [])
    for reference in analysis.references(loop.target):
        model_read(Use(reference, "attribute", analysis.parent(reference)), site, analysis)
    return site


def plan_models_get(call: cst.Call, receiver: cst.BaseExpression, plan: Plan) -> Site:
    """`client.models.get(model=x)` → `client.models.retrieve(x)`; its `.name` → `.id`."""
    site = Site(call)
    try:
        args = call_arguments(call, ())
        if set(args) != {"model"}:
            raise Unsupported("models.get with arguments other than model=")
        site.replacement = build.method_call(receiver, "models.retrieve", [cst.Arg(retrieve_id(args["model"], plan, site))])
    except Unsupported as error:
        site.problems.append((call, str(error)))
        return site
    read_model_uses(plan, site)
    return site


def _only_page_size(config: cst.BaseExpression | None, analysis: ModuleAnalysis) -> bool:
    if config is None:
        return True
    try:
        fields = literal_fields(config, "ListModelsConfig", analysis, "a models.list config")
    except Unsupported:
        return False
    return set(fields) <= {"page_size"} and all(m.matches(v, m.Integer() | m.Name("None")) for v in fields.values())


# ----------------------------------------------------------------- files.upload
@dataclasses.dataclass(frozen=True)
class Upload:
    """`f = client.files.upload(file=path)` of a local file sent only as a part: its bytes can
    go inline."""

    call: cst.Call
    path: cst.BaseExpression
    mime_type: str
    reads: tuple[cst.Name, ...]


def read_upload(call: cst.Call, analysis: ModuleAnalysis) -> Upload | None:
    """The upload, when its mime type is known (a literal `mime_type`, or google-genai's guess
    from an extension the source spells) and has an OpenAI content part; else None."""
    try:
        args = call_arguments(call, ())
        if set(args) - {"file", "config"} or "file" not in args:
            return None
        mime_type = upload_mime_type(_config_mime_type(args.get("config"), analysis), args["file"], analysis)
    except Unsupported:
        return None
    assign = analysis.parent(call)
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)):
        return None
    target = assign.targets[0].target
    reads = analysis.references(target) if analysis.assignment_of(target) is not None else []
    if not reads or any(analysis.sources(read) != [call] for read in reads):
        return None
    return Upload(call, args["file"], mime_type, tuple(reads))


def _config_mime_type(config: cst.BaseExpression | None, analysis: ModuleAnalysis) -> cst.BaseExpression | None:
    if config is None:
        return None
    fields = literal_fields(config, "UploadFileConfig", analysis, "an upload config")
    if set(fields) - {"mime_type", "display_name"}:
        raise Unsupported("upload options other than mime_type and display_name")
    return fields.get("mime_type")
