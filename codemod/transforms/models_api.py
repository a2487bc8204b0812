"""`genai.list_models()` / `genai.get_model(...)` → `client.models.list()` / `.retrieve(...)`,
model renames (`--model-map`) and retired model ids.

genai's `Model` has `name` (`"models/x"`) where OpenAI's has `id` (whatever the endpoint returns);
its other fields (token limits, supported methods, display name...) have no OpenAI counterpart,
so a model object read for one of those stays on genai. `list_models()` is a generator that makes
no request until it is iterated, once: it is migrated only where a `for` loop (or comprehension)
iterates the call itself.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, Use, keyword_argument
from codemod.flow import shared_name_advice
from codemod.ftypes import Kind, Severity
from codemod.retired_models import MODELS_PREFIX, retired_replacement
from codemod.transforms import build
from codemod.transforms.arguments import call_arguments, timeout_argument
from codemod.transforms.generate import DEFAULT_MODEL, MODEL_CLASS, _bare, model_id, rename, renamed
from codemod.transforms.plan import NodeEdit, Plan, Unsupported

LIST_MODELS = "list_models"
GET_MODELS = ("get_model", "get_base_model")
# genai calls whose literal model ids are checked against the retired list (see also
# `report_retired_openai` for code already on the OpenAI SDK).
RETIRED_CHECKED = frozenset({"embed_content", "embed_content_async", MODEL_CLASS, *GET_MODELS})
MODEL_FIELD_ADVICE = {
    "supported_generation_methods": "Model.supported_generation_methods has no OpenAI equivalent (OpenAI models list only id, created and owned_by)",
    "input_token_limit": "Model.input_token_limit has no OpenAI equivalent (OpenAI models list only id, created and owned_by)",
    "output_token_limit": "Model.output_token_limit has no OpenAI equivalent (OpenAI models list only id, created and owned_by)",
    "display_name": "Model.display_name has no OpenAI equivalent: use .id",
    "base_model_id": "Model.base_model_id has no OpenAI equivalent: use .id",
}
MODEL_OBJECT = "a genai Model object is {reason}; the OpenAI Model has only .id, .created and .owned_by"
COMPARED_ID = (
    "`.name` became `.id`, and this compares or takes it apart: genai's names always read"
    " `models/...`, an OpenAI-compatible endpoint's ids may not (Google's keep the prefix,"
    " gateways such as LiteLLM drop it): check against the endpoint you use"
)
STRING_TESTS = frozenset({"startswith", "endswith", "removeprefix", "removesuffix", "split", "rsplit", "partition", "replace"})
MODEL_EXPORT = "it now holds (or returns) an OpenAI Model: read .id instead of .name; other genai Model fields are gone"
ONE_SHOT = (
    "genai.list_models() is a generator that runs once, when iterated: migrated only where a for loop "
    "or a list, set or dict comprehension iterates the call itself"
)
ASSUMED_NAME = "get_model's argument assumed to be a model name (text); if it is a Model object, pass its name"


@dataclasses.dataclass
class Site:
    """One call to migrate: its replacement, the reads to rewrite, and what blocks it."""

    call: cst.Call
    replacement: cst.Call | None = None
    reads: list[tuple[cst.CSTNode, NodeEdit]] = dataclasses.field(default_factory=list)
    problems: list[tuple[cst.CSTNode, str]] = dataclasses.field(default_factory=list)
    marks: list[tuple[Kind, str, Severity]] = dataclasses.field(default_factory=list)
    # Rewritten reads worth a look (reported as notes, no TODO).
    notes: list[tuple[cst.CSTNode, str]] = dataclasses.field(default_factory=list)
    exports: set[str] = dataclasses.field(default_factory=set)
    asynchronous: bool = False


def plan_models_api(plan: Plan, calls: list[cst.Call]) -> None:
    """Plan every `list_models` / `get_model` call (`calls` are the SDK calls of the module),
    apply `--model-map` to migrated GenerativeModel names, and report retired model ids."""
    for call in calls:
        name = plan.analysis.called_sdk_name(call)
        if name == LIST_MODELS:
            settle(plan, _list_models_site(plan, call), MODEL_EXPORT)
        elif name in GET_MODELS:
            settle(plan, _get_model_site(plan, call), MODEL_EXPORT)
    for call in calls:
        if plan.analysis.called_sdk_name(call) in RETIRED_CHECKED:
            report_retired(plan, call)


# ----------------------------------------------------------------- shared by the API transforms
def literal_model_id(value: cst.BaseExpression, plan: Plan) -> cst.BaseExpression:
    """genai's model name → the OpenAI model id written into the migrated call: `models/` stripped
    (see `generate.model_id`) and `--model-map` applied to literals; tuned models are refused."""
    if isinstance(value, cst.SimpleString) and str(value.evaluated_value).startswith("tunedModels/"):
        raise Unsupported("tuned models have no OpenAI-compatible equivalent: keep genai for this call")
    if any(_is_sdk_call(s, plan.analysis) for s in plan.analysis.sources(value) or ()):
        raise Unsupported("the model is a genai Model object: pass its name instead")
    return renamed(model_id(value, plan.analysis), plan.options)


def inside_fstring(node: cst.CSTNode, analysis: ModuleAnalysis) -> bool:
    return any(isinstance(a, cst.FormattedString) for a in analysis.ancestors(node))


def only_from(use: Use, origins: tuple[cst.BaseExpression, ...], analysis: ModuleAnalysis) -> bool:
    """Everything that may reach `use` is the object one of `origins` (a call, the `await` of
    it) made."""
    sources = analysis.sources(use.node)
    return bool(sources) and all(any(s is o for o in origins) for s in sources)


def settle(plan: Plan, site: Site, export_advice: str) -> None:
    """Apply a site with no problems; else mark each problem and keep the call on genai."""
    if site.problems or site.replacement is None:
        mark_kept(plan, site.call, site.problems)
        return
    plan.client_for(site.asynchronous)
    apply_site(plan, site, export_advice)


def apply_site(plan: Plan, site: Site, export_advice: str) -> None:
    """The call's replacement, its reads and the marks it carries."""
    replacement = site.replacement
    assert replacement is not None
    plan.replace(site.call, lambda _: plan.with_edits(replacement))
    plan.call_sites.append(site.call)
    for kind, message, severity in site.marks:
        plan.mark(site.call, kind, message, severity)
    for node, edit in site.reads:
        plan.replace(node, edit)
    for node, message in site.notes:
        plan.report(node, Kind.MANUAL_MIGRATION, Severity.NOTE, message)
    for name in site.exports:
        plan.exports[name] = export_advice


def mark_kept(plan: Plan, call: cst.Call, problems: list[tuple[cst.CSTNode, str]]) -> None:
    """TODOs where the call's result cannot follow, and one on the call pointing there."""
    plan.explained.add(call.func)
    for node, reason in problems:
        plan.mark(node, Kind.MANUAL_MIGRATION, reason)
    home = plan.analysis.statement_of(call)
    elsewhere = sorted(reason for node, reason in problems if plan.analysis.statement_of(node) is not home)
    if elsewhere:
        plan.mark(call, Kind.MANUAL_MIGRATION, f"this call stays on genai: {elsewhere[0]} (see the TODO there)")


def client_call(plan: Plan, path: str, args: list[cst.Arg], asynchronous: bool = False) -> cst.Call:
    """`<client>.<path>(args)` laid out like the other migrated calls (the client is counted when
    the site is applied)."""
    client = plan.async_client_name if asynchronous else plan.client_name
    return build.exploded_call(build.method_call(build.reference(client), path, args))


# ----------------------------------------------------------------- list_models / get_model
def _list_models_site(plan: Plan, call: cst.Call) -> Site:
    site = Site(call)
    analysis = plan.analysis
    try:
        args = call_arguments(call, (), ("page_size", "request_options"))
        page_size = args.get("page_size")
        if page_size is not None and not m.matches(page_size, m.Integer() | m.Name("None")):
            raise Unsupported("page_size is not a literal")  # a literal only changes genai's paging
        loop = analysis.parent(call)
        if not (isinstance(loop, (cst.For, cst.CompFor)) and loop.iter is call) or lazy(loop, analysis):
            raise Unsupported(ONE_SHOT)
        if not isinstance(loop.target, cst.Name):
            raise Unsupported("the loop unpacks genai's Model objects: iterate them by name")
        site.replacement = client_call(plan, "models.list", timeout_argument(args.get("request_options")))
    except Unsupported as error:
        site.problems.append((call, str(error)))
        return site
    for reference in analysis.references(loop.target):
        if len(analysis.referents(reference) or ()) != 1:
            site.problems.append((call, shared_name_advice(analysis, loop, "the models")))
            continue
        model_read(Use(reference, "attribute", analysis.parent(reference)), site, analysis)
    return site


def lazy(loop: cst.CSTNode, analysis: ModuleAnalysis) -> bool:
    """A generator expression would call `models.list()` (a request) before anything iterates it."""
    if not isinstance(loop, cst.CompFor):
        return False
    comprehension = next(a for a in analysis.ancestors(loop) if not isinstance(a, cst.CompFor))
    return isinstance(comprehension, cst.GeneratorExp)


def _get_model_site(plan: Plan, call: cst.Call) -> Site:
    site = Site(call)
    analysis = plan.analysis
    try:
        if inside_fstring(call, analysis):
            raise Unsupported("a call inside an f-string: move it to a variable first")
        args = call_arguments(call, ("name",), ("name", "request_options"))
        if "name" not in args:
            raise Unsupported("get_model without a model name")
        model = retrieve_id(args["name"], plan, site)
        site.replacement = client_call(plan, "models.retrieve", [cst.Arg(model), *timeout_argument(args.get("request_options"))])
    except Unsupported as error:
        site.problems.append((call, str(error)))
        return site
    read_model_uses(plan, site)
    return site


def read_model_uses(plan: Plan, site: Site) -> None:
    """How each use of the model object the call returns changes, or why it cannot."""
    analysis = plan.analysis
    for use in analysis.uses(site.call):
        if use.kind == "export" and use.reason in plan.kept_exports:
            site.problems.append((use.parent or use.node, plan.kept_exports[use.reason]))
        elif use.kind == "export":
            site.exports.add(use.reason)
        elif use.kind == "discard":
            continue
        elif not only_from(use, (site.call,), analysis):
            site.problems.append((use.parent or use.node, "this variable may also hold something other than this model"))
        else:
            model_read(use, site, analysis)


def model_read(use: Use, site: Site, analysis: ModuleAnalysis) -> None:
    """`model.name` → `model.id`; any other use of a genai Model is a problem."""
    attribute = use.parent
    if not (isinstance(attribute, cst.Attribute) and attribute.value is use.node):
        site.problems.append((use.parent or use.node, MODEL_OBJECT.format(reason=use.reason or "used in a way genai2openai does not follow")))
        return
    name = attribute.attr.value
    if name == "name":
        site.reads.append((attribute, lambda updated: updated.with_changes(attr=cst.Name("id"))))  # type: ignore[attr-defined]
        if _compared(attribute, analysis):
            site.notes.append((attribute, COMPARED_ID))
    else:
        site.problems.append((attribute, MODEL_FIELD_ADVICE.get(name, f"Model.{name} has no OpenAI equivalent genai2openai knows")))


def _compared(attribute: cst.Attribute, analysis: ModuleAnalysis) -> bool:
    """Is the name compared, tested for membership or taken apart (`== "models/x"`,
    `"models/x" in [m.name for m in ...]`, `.startswith("models/")`) before its statement ends?"""
    parent = analysis.parent(attribute)
    if isinstance(parent, cst.Attribute) and parent.attr.value in STRING_TESTS:
        return True
    for ancestor in analysis.ancestors(attribute):
        if isinstance(ancestor, cst.Comparison):
            return True
        if isinstance(ancestor, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return False
    return False


def retrieve_id(value: cst.BaseExpression, plan: Plan, site: Site) -> cst.BaseExpression:
    """The id `models.retrieve()` wants: no `models/` prefix (the SDK percent-encodes the slash).
    genai accepted `x` and `models/x` alike, so a computed name gets `.removeprefix("models/")`."""
    if isinstance(value, cst.SimpleString):
        return literal_model_id(value, plan)
    if isinstance(value, cst.FormattedString) and value.parts and isinstance(value.parts[0], cst.FormattedStringText):
        first = value.parts[0]
        if first.value.startswith(MODELS_PREFIX):
            return value.with_changes(parts=[first.with_changes(value=first.value[len(MODELS_PREFIX) :]), *value.parts[1:]])
    if any(_is_sdk_call(s, plan.analysis) for s in plan.analysis.sources(value) or ()):
        raise Unsupported("the model is a genai Model object: pass its name instead")
    if not plan.analysis.is_text(value):
        site.marks.append((Kind.ASSUMED_TEXT, ASSUMED_NAME, Severity.NOTE))
    receiver = value if isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.FormattedString)) else _parenthesized(value)
    return build.method_call(receiver, "removeprefix", [cst.Arg(build.string(MODELS_PREFIX))])


# ----------------------------------------------------------------- retired model ids
# Code already on the OpenAI SDK (a file migrated by an earlier run, or written so) calls Gemini
# models too: a retired id there fails as it did on genai. Only a warning, never a TODO: the file
# is not genai's, and a comment added on each run would break `--check` for good.
OPENAI_CLIENTS = frozenset({"openai.OpenAI", "openai.AsyncOpenAI"})
OPENAI_MODULE = "openai"  # `openai.chat.completions.create(...)`: the module's own client
OPENAI_MODEL_CALLS = (("chat", "completions", "create"), ("embeddings", "create"), ("models", "retrieve"))


def report_retired_openai(plan: Plan) -> None:
    """Warn about each retired model id (a literal, through names, parameters and returns) that
    reaches the model of an OpenAI client's `chat.completions.create`, `embeddings.create` or
    `models.retrieve`; the client is known by its qualified name (`openai.OpenAI`,
    `openai.AsyncOpenAI`), however it was imported and named."""
    analysis = plan.analysis
    if not _may_send_retired_ids(analysis):
        return
    for call in analysis.find(m.Call(func=m.Attribute(attr=m.Name("create") | m.Name("retrieve")))):
        assert isinstance(call, cst.Call)
        receiver = _openai_receiver(call)
        value = _openai_model(call)
        if receiver is None or value is None or not _is_openai_client(receiver, analysis):
            continue
        for literal in _model_literals(value, analysis):
            _warn_retired(plan, literal, str(literal.evaluated_value), mappable=False)


def _may_send_retired_ids(analysis: ModuleAnalysis) -> bool:
    """Cheap tests before any scope is resolved: the module names `openai` (an import, at least)
    and holds a retired id in a string literal."""
    if OPENAI_MODULE not in analysis.read_names():
        return False
    literals = analysis.find(m.SimpleString())
    return any(retired_replacement(str(s.evaluated_value)) for s in literals if isinstance(s, cst.SimpleString))


_REMOVEPREFIX = m.Call(func=m.Attribute(attr=m.Name("removeprefix")))
MAX_FOLLOW = 4


def _model_literals(value: cst.BaseExpression, analysis: ModuleAnalysis, depth: int = 0) -> list[cst.SimpleString]:
    """The string literals `value` may be, through names, parameters (their defaults too),
    returns and the `.removeprefix("models/")` the migration writes after a constant holding
    `"models/x"`."""
    if depth > MAX_FOLLOW:
        return []
    found = []
    for default in _parameter_defaults(value, analysis):
        found.extend(_model_literals(default, analysis, depth + 1))
    for source in analysis.sources(value) or ():
        if isinstance(source, cst.SimpleString) and isinstance(source.evaluated_value, str):
            found.append(source)
        elif m.matches(source, _REMOVEPREFIX):
            found.extend(_model_literals(source.func.value, analysis, depth + 1))  # type: ignore[attr-defined]
    return found


def _parameter_defaults(value: cst.BaseExpression, analysis: ModuleAnalysis) -> list[cst.BaseExpression]:
    """`MODEL` for a `model` bound by `def ask(question, model=MODEL)`."""
    if not isinstance(value, cst.Name):
        return []
    params = [analysis.param_of(referent) for referent in analysis.referents(value) or ()]
    return [param.default for param in params if param is not None and param.default is not None]


def _openai_receiver(call: cst.Call) -> cst.BaseExpression | None:
    """`client` in `client.chat.completions.create(...)` (and the two other model calls)."""
    for path in OPENAI_MODEL_CALLS:
        node: cst.BaseExpression = call.func
        for attr in reversed(path):
            if not m.matches(node, m.Attribute(attr=m.Name(attr))):
                break
            node = node.value  # type: ignore[attr-defined]
        else:
            return node
    return None


def _openai_model(call: cst.Call) -> cst.BaseExpression | None:
    """The `model=` argument (`models.retrieve` also takes it first, by position)."""
    model = keyword_argument(call, "model")
    first = call.args[0] if call.args else None
    if model is None and first is not None and first.keyword is None and not first.star:
        return first.value if m.matches(call.func, m.Attribute(attr=m.Name("retrieve"))) else None
    return model


def _is_openai_client(receiver: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """Is `receiver` always an OpenAI client (made by `openai.OpenAI(...)` / `AsyncOpenAI(...)`)
    or the `openai` module itself?"""
    if OPENAI_MODULE in analysis.qualified_names(receiver):
        return True
    sources = analysis.sources(receiver)
    return bool(sources) and all(
        isinstance(source, cst.Call) and bool(OPENAI_CLIENTS & analysis.qualified_names(source.func)) for source in sources or ()
    )


def report_retired(plan: Plan, call: cst.Call) -> None:
    """Warn about each retired model id a checked SDK call names (the id as the migrated code
    will send it: after `--model-map` when the call is migrated)."""
    analysis = plan.analysis
    name = analysis.called_sdk_name(call)
    value = _model_argument(call, name or "")
    migrated = call in plan.node_edits
    if value is None:
        if name == MODEL_CLASS and migrated:
            _warn_retired(plan, call, rename(plan.options, DEFAULT_MODEL), mappable=True)
        return
    if isinstance(value, cst.SimpleString):
        text = str(value.evaluated_value)
        _warn_retired(plan, value, rename(plan.options, text) if migrated else text, mappable=migrated)
    elif isinstance(value, cst.Name):
        for literal in analysis.values_of_name(value) or ():
            if isinstance(literal, cst.SimpleString):
                _warn_retired(plan, literal, str(literal.evaluated_value), mappable=False)


def _warn_retired(plan: Plan, node: cst.CSTNode, text: str, *, mappable: bool) -> None:
    """One warning per retired id written in the source; `mappable`: `--model-map` would rename it."""
    replacement = retired_replacement(text)
    if replacement is None:
        return
    position = plan.analysis.position(node).start
    if any(f.kind is Kind.RETIRED_MODEL and (f.line, f.column) == (position.line, position.column) for f in plan.findings):
        return
    bare = _bare(text)
    how = f"edit it, or run with --model-map {bare}={replacement}" if mappable else "edit it"
    message = f"model `{bare}` has been retired by Google (requests to it fail): use a current model such as {replacement} ({how})"
    plan.report(node, Kind.RETIRED_MODEL, Severity.WARNING, message)


def _model_argument(call: cst.Call, name: str) -> cst.BaseExpression | None:
    keyword = {"embed_content": "model", "embed_content_async": "model", MODEL_CLASS: "model_name"}.get(name, "name")
    for index, arg in enumerate(call.args):
        if (arg.keyword is not None and arg.keyword.value == keyword) or (index == 0 and arg.keyword is None and not arg.star):
            return arg.value
    return None


def _is_sdk_call(node: cst.CSTNode, analysis: ModuleAnalysis) -> bool:
    return isinstance(node, cst.Call) and analysis.called_sdk_name(node) is not None


def _parenthesized(value: cst.BaseExpression) -> cst.BaseExpression:
    return value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
