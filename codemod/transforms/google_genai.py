"""google-genai, the newer SDK (`from google import genai`) → the OpenAI SDK.

Its one object is the client: `genai.Client(api_key=K)` becomes `OpenAI(api_key=K',
base_url=URL)` where it stands, under the same name, and each call made through it becomes an
OpenAI call on it: `client.models.generate_content(model=M, contents=C, config=CFG)` →
`client.chat.completions.create(model=M, messages=[...], ...)`, with the same model, turns and
options; `generate_content_stream` the same with `stream=True`.

A use with no equivalent (`count_tokens`, a call genai2openai cannot prove) keeps only itself on
google-genai when it reads the client by the name it was bound to: the OpenAI client is then made
next to it under a name of its own (a *twin*), and the other calls move to it. Any other use
that cannot follow keeps the whole client, and each blocking spot gets a TODO.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, Use, keyword_argument
from codemod.ftypes import Kind, Severity
from codemod.transforms import build
from codemod.transforms.arguments import call_arguments
from codemod.transforms.client import GENAI_KEY_VARIABLES, env_reads, never_empty, secure_key
from codemod.transforms.client import base_url as endpoint
from codemod.transforms.config import merge, to_openai
from codemod.transforms.contents import message
from codemod.transforms.genai_contents import (
    Request,
    dict_fields,
    keyword_fields,
    read_config,
    snake_case,
    user_messages,
)
from codemod.transforms.generate import CallSite, ModelMigration, model_id, renamed
from codemod.transforms.keys import env_get
from codemod.transforms.plan import NodeEdit, Plan, Unsupported
from codemod.transforms.settings import remove_variable
from codemod.transforms.streaming import STREAM

CLIENT = "Client"
# google-genai reads these when given no key (or an empty one), in this order (`get_env_api_key`).
CLIENT_KEY_VARIABLES = ("GOOGLE_API_KEY", "GEMINI_API_KEY")
GENERATE = {"generate_content": False, "generate_content_stream": True}  # method → streamed
CLIENT_EXPORT = "it now holds an OpenAI client: call .chat.completions.create(model=..., messages=[...]) on it"
SERVICE_ADVICE = {
    "aio": "the async client (client.aio) is not migrated yet: keep genai for this client",
    "chats": "chats (client.chats) are not migrated yet: keep genai for this client",
    "files": "the Files API has no OpenAI-compatible equivalent on the Gemini endpoint: send the file's bytes inline (types.Part.from_bytes) instead",
    "caches": "context caches have no OpenAI equivalent: keep genai for this client",
    "tunings": "tuning has no OpenAI-compatible equivalent on the Gemini endpoint: keep genai for this client",
    "batches": "batches are not migrated: keep genai for this client",
    "live": "the Live API has no OpenAI chat-completions equivalent: keep genai for this client",
    "operations": "long-running operations have no OpenAI equivalent: keep genai for this client",
}
MODEL_ADVICE = {
    "count_tokens": "count_tokens has no OpenAI equivalent: read response.usage.prompt_tokens after the call",
    "compute_tokens": "compute_tokens has no OpenAI equivalent",
    "embed_content": "embed_content is not migrated yet",
    "generate_images": "generate_images is not migrated: check whether the endpoint serves this model through client.images.generate",
    "generate_videos": "video generation has no OpenAI-compatible equivalent on the Gemini endpoint",
}
VERTEX = "a Vertex AI client (vertexai=True, project or location): it needs Vertex's endpoint and Google Cloud credentials, not a Gemini API key; migrate it by hand"
HTTP_OPTIONS = {"timeout", "headers", "api_version"}


@dataclasses.dataclass(frozen=True)
class ClientFacts:
    """What a `genai.Client(...)` construction sets."""

    construction: cst.Call
    key: cst.BaseExpression | None
    options: tuple[cst.Arg, ...] = ()  # more OpenAI client arguments (timeout, default_headers)


def plan_google_genai(plan: Plan) -> None:
    """Migrate every google-genai client of the module whose every use can be."""
    analysis = plan.analysis
    constructions = [call for call in analysis.find(m.Call()) if isinstance(call, cst.Call) and analysis.client_sdk_name(call.func) == CLIENT]
    migration = ClientMigration(plan)
    for construction in constructions:
        migration.migrate(construction)


class ClientMigration:
    """Plans the migration of the google-genai clients of one module."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.analysis = plan.analysis
        self.sites = ModelMigration(plan)  # response reads, streams and call edits are shared
        # Edits a call needs outside itself (its contents variable), made once its client moves.
        self.deferred: dict[cst.Call, list[tuple[cst.CSTNode, NodeEdit]]] = {}
        self.taken: set[str] = set()  # twin names given out

    def migrate(self, construction: cst.Call) -> None:
        problems: list[tuple[cst.CSTNode, str]] = []
        try:
            facts = read_client(construction, self.plan)
        except Unsupported as error:
            self.plan.mark(construction, Kind.MANUAL_MIGRATION, str(error))
            return
        sites: list[CallSite] = []
        kept: list[tuple[cst.CSTNode, str]] = []  # uses that can stay on a twin
        exports: set[str] = set()
        twin_target = _twin_target(construction, self.analysis)
        for use in self.analysis.uses(construction):
            if use.kind == "export":
                exports.add(use.reason)
            elif use.kind == "attribute":
                found: list[tuple[cst.CSTNode, str]] = []
                site = self._site(use, found)
                found += site.problems if site is not None else []
                if site is not None and not site.problems:
                    sites.append(site)
                keepable = twin_target is not None and isinstance(use.node, cst.Name) and self.analysis.sources(use.node) == [construction]
                (kept if keepable else problems).extend(found)
            elif use.kind != "discard":
                problems.append((use.parent or use.node, f"a google-genai client {use.reason}" if use.kind == "escape" else "a google-genai client used in a way genai2openai does not follow"))
        if problems or not sites:
            # Only uses a twin would keep anyway (a second run, after the twin was made): no
            # word on the client itself.
            self._keep(construction, problems + kept, on_client=bool(problems))
            return
        if kept:
            assert twin_target is not None
            self._apply_twin(facts, twin_target, sites, kept)
            return
        self._apply(facts, sites, exports)

    def _site(self, use: Use, problems: list[tuple[cst.CSTNode, str]]) -> CallSite | None:
        """The call `client.models.<method>(...)` this use makes, or None (a problem noted)."""
        service = use.attribute or ""
        if service != "models":
            problems.append((use.parent or use.node, SERVICE_ADVICE.get(service, f"client.{service} is not migrated")))
            return None
        method = self.analysis.parent(use.parent)  # type: ignore[arg-type]
        call = self.analysis.parent(method) if method is not None else None
        if not (isinstance(method, cst.Attribute) and method.value is use.parent and isinstance(call, cst.Call) and call.func is method):
            problems.append((use.parent, "client.models used without calling one of its methods"))  # type: ignore[arg-type]
            return None
        name = method.attr.value
        if name not in GENERATE:
            problems.append((call, MODEL_ADVICE.get(name, f"client.models.{name} is not migrated")))
            return None
        site = CallSite(call, use.node, [], stream=GENERATE[name], client_sdk=True)
        try:
            site.build = self._create_call(site, call_arguments(call, ()))
        except Unsupported as error:
            site.problems.append((call, str(error)))
            return site
        self.sites.plan_reads(site)
        return self.sites.built(site)

    def _create_call(self, site: CallSite, args: dict[str, cst.BaseExpression]):  # type: ignore[no-untyped-def]
        for key in args:
            if key not in ("model", "contents", "config"):
                raise Unsupported(f"argument `{key}` is not migrated")
        if "model" not in args or "contents" not in args:
            raise Unsupported("generate_content without model= or contents=")
        if any(isinstance(a, cst.FormattedString) for a in self.analysis.ancestors(site.call)):
            raise Unsupported("a call inside an f-string: move it to a variable first")
        request = read_config(self._literal(args.get("config"), "config"), self.analysis, site.helpers)
        messages = self._messages(args["contents"], request, site)
        arguments = [build.kwarg("model", model_id(args["model"], self.analysis)), build.kwarg("messages", messages)]
        site.config = list(merge([], list(request.items)))
        kwargs = _options(request, site, self.analysis)
        arguments += [build.kwarg(name, value) for name, value in kwargs]
        receiver = site.receiver
        options = self.plan.options

        def create(site: CallSite) -> cst.BaseExpression:
            extra = [build.kwarg("stream_options", cst.parse_expression('{"include_usage": True}'))] if site.include_usage else []
            first = arguments[0].with_changes(value=renamed(arguments[0].value, options))
            call = build.exploded_call(build.method_call(receiver, "chat.completions.create", [first, *arguments[1:], *extra]))
            return cst.Call(cst.Name(STREAM), [cst.Arg(call)]) if site.wrap else call

        return create

    def _messages(self, contents: cst.BaseExpression, request: Request, site: CallSite) -> cst.BaseExpression:
        """The `messages=` value: literal messages, or the variable that held the contents, its
        value rewritten in place, when the call is its only reader."""
        system = [message("system", request.system)] if request.system is not None else []
        literal = contents if self.analysis.is_text(contents) else self._literal(contents, "contents")
        assert literal is not None
        converted = user_messages(literal, self.analysis, site.helpers)
        if literal is contents:
            return cst.List([cst.Element(x) for x in system + converted])
        new = self._laid_out(literal, cst.List([cst.Element(x) for x in converted]))
        self.deferred.setdefault(site.call, []).append((literal, lambda _: new))
        if not system:
            return contents
        return cst.List([*(cst.Element(x) for x in system), cst.StarredElement(contents)])

    def _laid_out(self, original: cst.BaseExpression, new: cst.BaseExpression) -> cst.BaseExpression:
        """`new` in the place of `original`, broken over lines as black would where it is long."""
        depth = self.analysis.continuation_depth(original)
        start = self.analysis.position(original).start.column
        return build.shifted(build.fitted(new, start, lead=0), depth)  # type: ignore[return-value]

    def _literal(self, value: cst.BaseExpression | None, keyword: str) -> cst.BaseExpression | None:
        """`value`, or the literal a variable holds when it is bound once and read only as this
        argument of google-genai calls (so that rewriting it changes nothing else)."""
        if not isinstance(value, cst.Name):
            return value
        sources = self.analysis.sources(value)
        if not sources or len(sources) != 1 or sources[0] is value or not _only_passed_as(value, keyword, self.analysis):
            raise Unsupported(f"{keyword}= is a variable whose value only the run can tell: pass a literal, or convert it by hand")
        return sources[0]

    def _keep(self, construction: cst.Call, problems: list[tuple[cst.CSTNode, str]], on_client: bool = True) -> None:
        """TODOs where the client cannot follow, and one on the client saying where to look."""
        for node, reason in problems:
            self.plan.mark(node, Kind.MANUAL_MIGRATION, reason)
        if not on_client:
            return
        home = self.analysis.statement_of(construction)
        elsewhere = [reason for node, reason in problems if self.analysis.statement_of(node) is not home]
        if elsewhere:
            self.plan.mark(construction, Kind.MANUAL_MIGRATION, f"this client stays on google-genai: {min(elsewhere)} (see the TODO there)")

    def _apply_twin(self, facts: ClientFacts, target: cst.Name, sites: list[CallSite], kept: list[tuple[cst.CSTNode, str]]) -> None:
        """`client = genai.Client(...)` stays for the uses with no equivalent, and `openai_client
        = OpenAI(...)` below it serves the calls that move."""
        plan = self.plan
        twin = self.analysis.free_name("openai_client")
        while twin in self.taken:
            twin = self.analysis.free_name(f"{twin}_")
        self.taken.add(twin)
        statement = self.analysis.statement_of(facts.construction)
        depth = sum(isinstance(a, cst.IndentedBlock) for a in self.analysis.ancestors(facts.construction))
        client = openai_client(plan, facts, depth)
        line = cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(twin))], client)])
        plan.replace_statement(statement, lambda updated: [updated, line])
        plan.keep(facts.construction)
        plan.client_sites.append(statement)
        for site in sites:
            plan.replace(site.receiver, lambda _: cst.Name(twin))
            self._apply_site(site)
        for node, reason in kept:
            plan.mark(node, Kind.MANUAL_MIGRATION, reason)

    def _apply_site(self, site: CallSite) -> None:
        self.sites.apply_site(site)
        for node, edit in self.deferred.get(site.call, ()):
            self.plan.replace(node, edit)
        for config in _consumed_variables(site):
            remove_variable(self.plan, config)

    def _apply(self, facts: ClientFacts, sites: list[CallSite], exports: set[str]) -> None:
        plan = self.plan
        depth = sum(isinstance(a, cst.IndentedBlock) for a in self.analysis.ancestors(facts.construction))
        client = openai_client(plan, facts, depth)
        plan.replace(facts.construction, lambda _: client)
        plan.client_sites.append(self.analysis.statement_of(facts.construction))
        for site in sites:
            self._apply_site(site)
        for name in exports:
            plan.exports[name] = CLIENT_EXPORT


def _twin_target(construction: cst.Call, analysis: ModuleAnalysis) -> cst.Name | None:
    """The name the client is bound to alone on its line, once in its scope: a twin can be made
    below it."""
    assign = analysis.parent(construction)
    line = analysis.parent(assign) if isinstance(assign, cst.Assign) else None
    if not (isinstance(assign, cst.Assign) and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and len(assign.targets) == 1):
        return None
    target = assign.targets[0].target
    if not isinstance(target, cst.Name) or analysis.assignment_of(target) is None:
        return None
    return target


def read_client(construction: cst.Call, plan: Plan) -> ClientFacts:
    """Read a `genai.Client(...)` call statically, or raise Unsupported."""
    args = call_arguments(construction, ())
    for key, value in args.items():
        if key in ("vertexai", "project", "location", "credentials") and not m.matches(value, m.Name("None") | m.Name("False")):
            raise Unsupported(VERTEX)
        if key not in ("api_key", "http_options", "vertexai", "project", "location", "credentials"):
            raise Unsupported(f"genai.Client({key}=...) is not migrated")
    options = _http_options(args.get("http_options"), plan)
    return ClientFacts(construction, args.get("api_key"), options)


def _http_options(value: cst.BaseExpression | None, plan: Plan) -> tuple[cst.Arg, ...]:
    """OpenAI client arguments for `http_options` (timeout in milliseconds → seconds, headers);
    Unsupported for options the OpenAI client has no counterpart for."""
    if value is None or m.matches(value, m.Name("None")):
        return ()
    if isinstance(value, cst.Call) and plan.analysis.client_sdk_name(value.func) == "types.HttpOptions":
        fields = keyword_fields(value, "HttpOptions")
    elif isinstance(value, cst.Dict):
        fields = dict_fields(value)
    else:
        raise Unsupported("http_options that are not an HttpOptions(...) or dict literal: set the OpenAI client's options by hand")
    found: list[cst.Arg] = []
    for key, field in fields.items():
        if key not in HTTP_OPTIONS:
            raise Unsupported(f"http_options {key}= has no OpenAI client counterpart genai2openai writes: set it by hand")
        if key == "timeout":
            found.append(build.kwarg("timeout", _seconds(field)))
        elif key == "headers":
            found.append(build.kwarg("default_headers", field))
        elif key == "api_version":
            plan.report(field, Kind.DROPPED_OPTION, Severity.NOTE, "dropped api_version: the OpenAI-compatible endpoint has its own version in base_url")
    return tuple(found)


def _seconds(milliseconds: cst.BaseExpression) -> cst.BaseExpression:
    """google-genai's timeout is in milliseconds, OpenAI's in seconds."""
    if isinstance(milliseconds, cst.Integer):
        return cst.Float(repr(int(milliseconds.value.replace("_", ""), 0) / 1000))
    return cst.BinaryOperation(milliseconds, cst.Divide(), cst.Integer("1000"))


def openai_client(plan: Plan, facts: ClientFacts, depth: int) -> cst.Call:
    """`OpenAI(api_key=..., base_url=...)` for the client, its key read as google-genai read it."""
    plan.imports.add(("openai", "OpenAI"))
    key = _client_key(plan, facts.key, depth)
    arguments = [build.kwarg("api_key", key), build.kwarg("base_url", endpoint(plan)), *facts.options]
    return build.exploded_call(build.call("OpenAI", arguments))


def _client_key(plan: Plan, original: cst.BaseExpression | None, depth: int) -> cst.BaseExpression:
    """The key as google-genai took it: the one given, unless empty or None, else
    GOOGLE_API_KEY, else GEMINI_API_KEY (a literal key becomes an environment lookup)."""
    key = secure_key(plan, original)
    if key is not None and original is not None and never_empty(plan, original):
        return key
    read = env_reads(plan, key) if key is not None else set()
    chosen = plan.options.api_key_env
    variables = [v for v in dict.fromkeys([*([chosen] if key is None and chosen not in GENAI_KEY_VARIABLES else []), *CLIENT_KEY_VARIABLES]) if v not in read]
    operands = ([key] if key is not None else []) + [env_get(plan, v) for v in variables]
    chain = operands[0]
    for operand in operands[1:]:
        chain = cst.BooleanOperation(chain, cst.Or(), operand)
    return chain


def _options(request: Request, site: CallSite, analysis: ModuleAnalysis) -> list[tuple[str, cst.BaseExpression]]:
    """create()'s options for the request; what it drops goes to `site.marks`."""
    items = [i for i in request.items if i.key != "seed"]
    kwargs, dropped = to_openai(items, analysis, site.helpers)
    kwargs += [("seed", i.value) for i in request.items if i.key == "seed"]
    if request.thinking is not None:
        google = cst.Dict([cst.DictElement(cst.SimpleString('"thinking_config"'), request.thinking)])
        nested = cst.Dict([cst.DictElement(cst.SimpleString('"google"'), google)])
        kwargs.append(("extra_body", cst.Dict([cst.DictElement(cst.SimpleString('"extra_body"'), nested)])))
    if site.stream:
        kwargs.append(("stream", cst.Name("True")))
    for item in [*request.dropped, *dropped]:
        shown = f"{item.key}={item.value_code}" if item.value_code != "..." else item.key
        site.marks.append((Kind.DROPPED_OPTION, f"dropped {shown}: {item.reason}", Severity.WARNING))
    return kwargs


def _only_passed_as(name: cst.Name, keyword: str, analysis: ModuleAnalysis) -> bool:
    """Every read of the variable is a `keyword=` argument: nothing else sees its value."""
    for referent in analysis.referents(name) or ():
        for access in referent.references:
            arg = analysis.parent(access.node)
            if not (isinstance(arg, cst.Arg) and arg.keyword is not None and arg.keyword.value == keyword):
                return False
    return True


def _consumed_variables(site: CallSite) -> list[cst.Name]:
    """The `config=` variable of a migrated call: its options now live in create()."""
    config = keyword_argument(site.call, "config")
    return [config] if isinstance(config, cst.Name) else []


__all__ = ["plan_google_genai", "snake_case"]
