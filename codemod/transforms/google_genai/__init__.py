"""google-genai, the newer SDK (`from google import genai`) → the OpenAI SDK.

Its one object is the client: `genai.Client(api_key=K)` becomes `OpenAI(api_key=K',
base_url=URL)` where it stands, under the same name (`AsyncOpenAI` when only `client.aio` is
used), and each call made through it becomes an OpenAI call on it:

* `client.models.generate_content(model=M, contents=C, config=CFG)` →
  `client.chat.completions.create(model=M, messages=[...], ...)`, with the same model, turns and
  options; `generate_content_stream` the same with `stream=True` (`contents.py`);
* `client.chats.create(...)` → a small chat class keeping google-genai's history rules (`chats.py`);
* `client.models.embed_content(...)` → `client.embeddings.create(...)` (`services.py`);
* the same through `client.aio`, awaited, on an `AsyncOpenAI` client.

A use with no equivalent (`count_tokens`, a call genai2openai cannot prove) keeps only itself on
google-genai when it reads the client by the name it was bound to: OpenAI clients are then made
next to it under names of their own, and the other calls move to them. Any other use that
cannot follow keeps the whole client, and each blocking spot gets a TODO.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, Use, keyword_argument
from codemod.ftypes import Kind, Severity, SharedResponse
from codemod.transforms import build
from codemod.transforms.arguments import call_arguments
from codemod.transforms.config import to_openai
from codemod.transforms.contents import message
from codemod.transforms.files import read_bytes
from codemod.transforms.generate import (
    REBOUND,
    RESPONSE_EXPORT,
    CallSite,
    ModelMigration,
    model_id,
    renamed,
)
from codemod.transforms.google_genai.chats import (
    CHAT_EXPORT,
    GET_HISTORY,
    SENDS,
    chat_creation,
    send_turn,
)
from codemod.transforms.google_genai.client import (
    CLIENT,
    ClientFacts,
    bound_name,
    openai_client,
    read_client,
    repeatable,
)
from codemod.transforms.google_genai.contents import (
    UNPROVABLE,
    Request,
    Unprovable,
    at_run_time,
    for_client_sdk,
    read_config,
    user_messages,
)
from codemod.transforms.google_genai.responses import client_sdk_read
from codemod.transforms.google_genai.runtime import CONTENTS_HELPER, helper_sources
from codemod.transforms.google_genai.services import (
    EMBED_EXPORT,
    EmbedPlan,
    Upload,
    plan_embed,
    plan_models_get,
    plan_models_list,
    read_upload,
)
from codemod.transforms.models_api import MODEL_EXPORT, apply_site
from codemod.transforms.parts import BLOB_HELPER, helper_call
from codemod.transforms.plan import NodeEdit, Plan, Unsupported
from codemod.transforms.responses import Read
from codemod.transforms.settings import remove_variable
from codemod.transforms.streaming import STREAM

GENERATE = {"generate_content": False, "generate_content_stream": True}  # method → streamed
# google-genai methods that take `contents=` / `config=` (their arguments are read, never changed).
SDK_METHODS = ("generate_content", "generate_content_stream", "count_tokens", "compute_tokens", "embed_content", "create", "send_message", "send_message_stream")
CLIENT_EXPORT = "it now holds an OpenAI client: call .chat.completions.create(model=..., messages=[...]) on it"
CLIENT_EXPORT_ASYNC = "it now holds an AsyncOpenAI client: await .chat.completions.create(model=..., messages=[...]) on it"
OTHER_KIND = "this module calls the client {here}, and its own module made it an {there} client: make the other kind of OpenAI client here by hand"
SERVICE_ADVICE = {
    "files": "the Files API has no OpenAI-compatible equivalent on the Gemini endpoint: send the file's bytes inline (types.Part.from_bytes) instead",
    "caches": "context caches have no OpenAI equivalent: keep google-genai for this call",
    "tunings": "tuning has no OpenAI-compatible equivalent on the Gemini endpoint: keep google-genai for this call",
    "batches": "batches are not migrated: keep google-genai for this call",
    "live": "the Live API has no OpenAI chat-completions equivalent: keep google-genai for this call",
    "operations": "long-running operations have no OpenAI equivalent: keep google-genai for this call",
}
MODEL_ADVICE = {
    "count_tokens": "count_tokens has no OpenAI equivalent: read response.usage.prompt_tokens after the call",
    "compute_tokens": "compute_tokens has no OpenAI equivalent",
    "generate_images": "generate_images is not migrated: check that the endpoint's client.images.generate serves the model you use (google-genai 3.x serves Imagen on Vertex AI only), then call it by hand",
    "generate_videos": "video generation has no OpenAI-compatible equivalent on the Gemini endpoint",
    "list": "client.aio.models.list() is not migrated: iterate client.models.list() instead",
    "get": "client.aio.models.get() is not migrated: call client.models.get() instead",
}
NONE_CHUNK = (
    "google-genai's chunk.text is None for a chunk without text, where the migrated read gives \"\" "
    "(OpenAI chunks split differently): test the text's truth instead, then run genai2openai again"
)
SHARED_RECEIVER = "this may be this client or another object (another client, or something else): one call cannot serve both"
UNKNOWN_RECEIVER = "this may also be a client made elsewhere (a parameter other modules' calls may pass): one call cannot serve both"
GLOBAL_CLIENT = (
    "this client is kept in a global name that a function sets (`global`), which genai2openai does "
    "not follow into the functions that read it: make it OpenAI(api_key=..., base_url=...) and "
    "their calls client.chat.completions.create(...) by hand"
)
SECOND_CLIENT = "the client's key is computed by a call, and a second client would compute it again: bind the key to a variable first, then run genai2openai again"
BOTH_KINDS = "the client serves both sync calls and client.aio, and is not bound alone to a name an async client can sit beside: make an AsyncOpenAI client by hand"


@dataclasses.dataclass
class ClientCall:
    """One call made through the client (`client.models.x(...)`, `client.aio.chats.create(...)`)."""

    call: cst.Call
    receiver: cst.BaseExpression  # the client expression the call is made on
    asynchronous: bool
    apply: Callable[[], None]  # plans its edits, once its client moves


def plan_google_genai(plan: Plan) -> None:
    """Migrate every google-genai client of the module whose uses can be."""
    analysis = plan.analysis
    migration = ClientMigration(plan)
    constructions = [call for call in analysis.find(m.Call()) if isinstance(call, cst.Call) and analysis.client_sdk_name(call.func) == CLIENT]
    for call in constructions:
        migration.migrate(call)
    if constructions and migration.in_place == set(constructions):
        retype_client_annotations(plan, set(constructions))
    mark_untraced_calls(plan)


OPENAI_CLIENTS = frozenset({"openai.OpenAI", "openai.AsyncOpenAI"})
UNTRACED = (
    "this call looks like one made through a google-genai client that genai2openai cannot trace "
    "(made in another module, passed in, or kept in an attribute it does not follow): if it is "
    "one, migrate the client where it is made, or this call by hand"
)
_SERVICE_CALL = m.Call(
    func=m.Attribute(
        value=m.Attribute(attr=m.Name("models") | m.Name("chats") | m.Name("files")),
        attr=m.OneOf(*(m.Name(n) for n in ("generate_content", "generate_content_stream", "embed_content", "create", "upload", "count_tokens"))),
    )
)


def mark_untraced_calls(plan: Plan) -> None:
    """In a module that imports google-genai, client calls the migration did not reach (the
    client came from elsewhere) get a TODO, so that none stays unnoticed."""
    analysis = plan.analysis
    for call in analysis.find(_SERVICE_CALL):
        statement = analysis.statement_of(call)
        if plan.touched(call) or statement in plan.todos or call in plan.call_sites:
            continue
        if "openai" in {q.split(".")[0] for q in analysis.qualified_names(call.func)}:  # type: ignore[attr-defined]
            continue
        if _traced_client(call.func.value.value, analysis):  # type: ignore[attr-defined]
            continue  # a client of this module (its own migration marked what stays), or OpenAI's
        plan.mark(call, Kind.MANUAL_MIGRATION, UNTRACED)


def _traced_client(receiver: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """Is `receiver` (or `receiver.aio`'s owner) a client made in this module, or one read from
    another module of the run?"""
    if m.matches(receiver, m.Attribute(attr=m.Name("aio"))):
        receiver = receiver.value  # type: ignore[attr-defined]
    if receiver in analysis.foreign:
        return True
    sources = analysis.sources(receiver) or []
    return any(isinstance(s, cst.Call) and (analysis.client_sdk_name(s.func) == CLIENT or analysis.qualified_names(s.func) & OPENAI_CLIENTS) for s in sources)


def retype_client_annotations(plan: Plan, constructions: set[cst.Call]) -> None:
    """`genai.Client` in annotations → `OpenAI`, when every client the module makes became an
    OpenAI client where it stood (the annotated values can only be those)."""
    analysis = plan.analysis
    for node in analysis.find(m.Name() | m.Attribute()):
        if analysis.client_sdk_name(node) != CLIENT or analysis.parent(node) in constructions:
            continue
        if not any(isinstance(a, cst.Annotation) for a in analysis.ancestors(node)) or plan.touched(node):
            continue
        outer = analysis.parent(node)
        if isinstance(outer, cst.Attribute) and outer.value is node:
            continue  # a part of a longer name
        plan.imports.add(("openai", "OpenAI"))
        plan.replace(node, lambda _: cst.Name("OpenAI"))


class ClientMigration:
    """Plans the migration of the google-genai clients of one module."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.analysis = plan.analysis
        self.sites = ModelMigration(plan)  # response reads, streams and call edits are shared
        # Edits a call needs outside itself (its contents variable), made once its client moves.
        self.deferred: dict[cst.Call, list[tuple[cst.CSTNode, NodeEdit]]] = {}
        self.taken: set[str] = set()  # names given to new clients
        self.consumed: dict[cst.Call, tuple[cst.Name, ...]] = {}  # variables a call's conversion read
        self.in_place: set[cst.Call] = set()  # clients that became a sync OpenAI client where they stood
        self.kept: dict[cst.Call, list[cst.CSTNode]] = {}  # values a call's new code keeps as written
        self.inlined: dict[cst.CSTNode, Upload] = {}  # reads of uploads whose bytes go inline
        self.plan_helpers: dict[str, str] = {}

    def migrate(self, construction: cst.Call) -> None:
        try:
            facts = read_client(construction, self.plan)
        except Unsupported as error:
            self.plan.mark(construction, Kind.MANUAL_MIGRATION, str(error))
            return
        target = bound_name(construction, self.analysis)
        uses = self.analysis.uses(construction)
        if not uses and self._declared_global(construction):
            self.plan.mark(construction, Kind.MANUAL_MIGRATION, GLOBAL_CLIENT)
            return
        uploads = self._inlinable_uploads(uses)
        while True:  # an upload stays uploaded when a call that sends it stays on google-genai
            self.inlined = {read: upload for upload in uploads.values() for read in upload.reads}
            planned = self._plan_uses(construction, target, uses)
            moved = {c.call for c in planned[0]}
            stays = [u for u in uploads if any(self._sender(read) not in moved for read in uploads[u].reads)]
            if not stays:
                break
            for upload in stays:
                del uploads[upload]
        calls, problems, kept, exports = planned
        kinds = {c.asynchronous for c in calls}
        if len(kinds) == 2 and target is None:
            problems.append((construction, BOTH_KINDS))
        if (kept or len(kinds) == 2) and not repeatable(facts, self.analysis):
            problems += kept
            kept = []
            problems.append((construction, SECOND_CLIENT))
        if problems or not (calls or exports):
            # Only uses that stay beside OpenAI clients (a second run): no word on the client.
            self._keep(construction, problems + kept, on_client=bool(problems))
            return
        self._apply(facts, target, calls, kept, exports)

    def _plan_uses(self, construction: cst.Call, target: cst.Name | None, uses: list[Use]) -> tuple[list[ClientCall], list[tuple[cst.CSTNode, str]], list[tuple[cst.CSTNode, str]], set[str]]:
        """(the calls that move, what blocks the client, the uses that can stay beside OpenAI
        clients, the module-level names the client is bound to)."""
        calls: list[ClientCall] = []
        problems: list[tuple[cst.CSTNode, str]] = []
        kept: list[tuple[cst.CSTNode, str]] = []
        exports: set[str] = set()
        for use in uses:
            if use.kind == "export" and use.reason in self.plan.kept_exports:
                # Another module uses this client and cannot follow it: it stays for them.
                (kept if target is not None else problems).append((use.parent or use.node, self.plan.kept_exports[use.reason]))
            elif use.kind == "export":
                exports.add(use.reason)
            elif use.kind == "attribute" and self.analysis.sources(use.node) not in ([construction], None) and use.node not in self.analysis.foreign:
                problems.append((use.node, SHARED_RECEIVER))
            elif use.kind == "attribute" and self.analysis.sources(use.node) is None:
                problems.append((use.node, UNKNOWN_RECEIVER))
            elif use.kind == "attribute":
                found: list[tuple[cst.CSTNode, str]] = []
                planned = self._call(use, found)
                if planned is not None:
                    calls.append(planned)
                keepable = target is not None and isinstance(use.node, cst.Name) and self.analysis.sources(use.node) == [construction]
                (kept if keepable else problems).extend(found)
            elif use.kind != "discard":
                problems.append((use.parent or use.node, f"a google-genai client {use.reason}" if use.kind == "escape" else "a google-genai client used in a way genai2openai does not follow"))
        return calls, problems, kept, exports

    def _inlinable_uploads(self, uses: list[Use]) -> dict[cst.Call, Upload]:
        """`f = client.files.upload(file=path)` of a local file whose mime type is known, with
        `f` only sent as a part of `contents=` of generate calls: its bytes can go inline."""
        found = {}
        for use in uses:
            where = self._method_of(use) if use.kind == "attribute" else None
            if isinstance(where, tuple) and where[:2] == ("files", "upload") and not where[3]:
                upload = read_upload(where[2], self.analysis)  # type: ignore[arg-type]
                if upload is not None and all(self._sender(read) is not None for read in upload.reads):
                    found[upload.call] = upload
        return found

    def _sender(self, read: cst.CSTNode) -> cst.Call | None:
        """The generate call whose `contents=` (or a literal list there) holds this read."""
        holder = self.analysis.parent(read)
        if isinstance(holder, cst.Element):
            holder = self.analysis.parent(self.analysis.parent(holder))  # the list, then its Arg
        call = self.analysis.parent(holder) if isinstance(holder, cst.Arg) else None
        if not (isinstance(holder, cst.Arg) and holder.keyword is not None and holder.keyword.value == "contents" and isinstance(call, cst.Call)):
            return None
        return call if m.matches(call.func, m.Attribute(attr=m.OneOf(*(m.Name(n) for n in GENERATE)))) else None

    # ------------------------------------------------------------- reading
    def _call(self, use: Use, problems: list[tuple[cst.CSTNode, str]]) -> ClientCall | None:
        """The planned call this use of the client makes, or None (with its problems noted)."""
        if use.attribute == "close" and m.matches(self.analysis.parent(use.parent), m.Call(args=[])):  # type: ignore[arg-type]
            call = self.analysis.parent(use.parent)
            assert isinstance(call, cst.Call)
            return ClientCall(call, use.node, False, lambda: None)  # the OpenAI client closes alike
        found = self._method_of(use)
        if isinstance(found, tuple) and isinstance(found[0], cst.CSTNode):
            problems.append(found)  # type: ignore[arg-type]
            return None
        service, method, call, asynchronous = found  # type: ignore[misc]
        if service == "models" and method in GENERATE:
            return self._generate(call, use.node, GENERATE[method], asynchronous, problems)
        if service == "models" and method == "embed_content":
            return self._embed(call, use.node, asynchronous, problems)
        if service == "models" and method in ("list", "get") and not asynchronous:
            site = plan_models_list(call, use.node, self.analysis) if method == "list" else plan_models_get(call, use.node, self.plan)
            if site.problems:
                problems.extend(site.problems)
                return None
            return ClientCall(call, use.node, asynchronous, lambda: apply_site(self.plan, site, MODEL_EXPORT))
        if service == "chats" and method == "create":
            return self._chat(call, use.node, asynchronous, problems)
        if service == "files" and method == "upload" and any(u.call is call for u in self.inlined.values()):
            upload = next(u for u in self.inlined.values() if u.call is call)
            return ClientCall(call, use.node, asynchronous, lambda: self._apply_upload(upload))
        advice = MODEL_ADVICE.get(method) if service == "models" else SERVICE_ADVICE.get(service)
        problems.append((call, advice or f"client.{service}.{method} is not migrated"))
        return None

    def _method_of(self, use: Use) -> tuple[str, str, cst.Call, bool] | tuple[cst.CSTNode, str]:
        """(service, method, call, asynchronous) for `client[.aio].<service>.<method>(...)`, else
        (node, why not)."""
        node = use.parent
        assert isinstance(node, cst.Attribute)
        asynchronous = node.attr.value == "aio"
        if asynchronous:
            inner = self.analysis.parent(node)
            if not (isinstance(inner, cst.Attribute) and inner.value is node):
                return node, "client.aio used other than to call one of its services"
            node = inner
        service = node.attr.value
        method = self.analysis.parent(node)
        call = self.analysis.parent(method) if method is not None else None
        if not (isinstance(method, cst.Attribute) and method.value is node and isinstance(call, cst.Call) and call.func is method):
            advice = SERVICE_ADVICE.get(service, f"client.{service} used without calling one of its methods")
            return node, advice
        return service, method.attr.value, call, asynchronous

    def _generate(self, call: cst.Call, receiver: cst.BaseExpression, stream: bool, asynchronous: bool, problems: list[tuple[cst.CSTNode, str]]) -> ClientCall | None:
        site = CallSite(call, receiver, [], stream=stream, asynchronous=asynchronous, client_sdk=True)
        try:
            site.build = self._create_call(site, call_arguments(call, ()))
        except Unsupported as error:
            problems.append((call, str(error)))
            return None
        self.sites.plan_reads(site)
        self.sites.built(site)
        if stream:
            site.problems += [(read.outer, NONE_CHUNK) for read in site.reads if _compared_with_none(read.outer, self.analysis)]
        if site.problems:
            problems.extend(site.problems)
            return None
        return ClientCall(call, receiver, asynchronous, lambda: self._apply_site(site))

    def _create_call(self, site: CallSite, args: dict[str, cst.BaseExpression]) -> Callable[[CallSite], cst.BaseExpression]:
        for key in args:
            if key not in ("model", "contents", "config"):
                raise Unsupported(f"argument `{key}` is not migrated")
        if "model" not in args or "contents" not in args:
            raise Unsupported("generate_content without model= or contents=")
        if any(isinstance(a, cst.FormattedString) for a in self.analysis.ancestors(site.call)):
            raise Unsupported("a call inside an f-string: move it to a variable first")
        request = read_config(self._literal(args.get("config"), "config"), self.analysis, site.helpers)
        self.consumed[site.call] = request.consumed
        site.reader = self._reader(request)
        messages = self._messages(args["contents"], request, site)
        arguments = [build.kwarg("model", model_id(args["model"], self.analysis)), build.kwarg("messages", messages)]
        site.config = list(request.items)
        arguments += [build.kwarg(name, value) for name, value in options(request, site, self.analysis)]
        receiver = site.receiver
        map_models = self.plan.options

        def create(site: CallSite) -> cst.BaseExpression:
            extra = [build.kwarg("stream_options", cst.parse_expression('{"include_usage": True}'))] if site.include_usage else []
            first = arguments[0].with_changes(value=renamed(arguments[0].value, map_models))
            call = build.exploded_call(build.method_call(receiver, "chat.completions.create", [first, *arguments[1:], *extra]))
            return cst.Call(cst.Name(STREAM), [cst.Arg(call)]) if site.wrap else call

        return create

    def _reader(self, request: Request) -> Callable[[Use], Read]:
        return lambda use: client_sdk_read(use, self.analysis, request.parsed_as, request.structured)

    def _messages(self, contents: cst.BaseExpression, request: Request, site: CallSite) -> cst.BaseExpression:
        """The `messages=` value: literal messages, or the variable that held the contents, its
        value rewritten in place, when the call is its only reader."""
        system = [message("system", request.system)] if request.system is not None else []
        plain = self.analysis.is_text(contents) or contents in self.inlined
        literal = contents if plain else self._held_literal(contents, "contents", only=site.call)
        try:
            if literal is None:
                raise Unprovable(UNPROVABLE)
            converted = user_messages(literal, self.analysis, site.helpers, frozenset(self.inlined))
        except Unprovable:
            converted_at_run_time = at_run_time(contents, CONTENTS_HELPER, self.analysis, site.helpers, self.kept.setdefault(site.call, []))
            if not system:
                return converted_at_run_time
            return cst.List([*(cst.Element(x) for x in system), cst.StarredElement(converted_at_run_time)])
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
        return build.shifted(build.fitted(new, start), depth)  # type: ignore[return-value]

    def _held_literal(self, value: cst.BaseExpression, keyword: str, only: cst.Call) -> cst.BaseExpression | None:
        """The literal a contents variable holds, when this call alone reads it and no other
        module can (so that rewriting it in place changes nothing else); else None."""
        if not isinstance(value, cst.Name):
            return value
        try:
            literal = self._literal(value, keyword)
        except Unsupported:
            return None
        references = [r for referent in self.analysis.referents(value) or () for r in referent.references]
        if len(references) != 1 or self.analysis.parent(self.analysis.parent(references[0].node)) is not only:
            return None
        if self.analysis.is_module_level(literal) and (self.plan.has_importers or not self.plan.importers_known):
            return None
        return literal

    def _literal(self, value: cst.BaseExpression | None, keyword: str) -> cst.BaseExpression | None:
        """`value`, or the literal a variable holds when it is bound once and read only as this
        argument of google-genai calls (so that nothing else can change it)."""
        if not isinstance(value, cst.Name):
            return value
        sources = self.analysis.sources(value)
        if not sources or len(sources) != 1 or sources[0] is value or not self.analysis.read_only_as(value, keyword, _sdk_method_call):
            raise Unsupported(f"{keyword}= is a variable whose value only the run can tell: pass a literal, or convert it by hand")
        return sources[0]

    def _embed(self, call: cst.Call, receiver: cst.BaseExpression, asynchronous: bool, problems: list[tuple[cst.CSTNode, str]]) -> ClientCall | None:
        site = plan_embed(call, asynchronous, self.analysis)
        if site.problems:
            problems.extend(site.problems)
            return None
        return ClientCall(call, receiver, asynchronous, lambda: self._apply_embed(site, receiver))

    def _chat(self, create: cst.Call, receiver: cst.BaseExpression, asynchronous: bool, problems: list[tuple[cst.CSTNode, str]]) -> ClientCall | None:
        helpers: dict[str, str] = {}
        marks = CallSite(create, receiver, [], client_sdk=True)  # collects the dropped options
        try:
            config = call_arguments(create, ()).get("config")
            request = read_config(self._literal(config, "config"), self.analysis, helpers)
            creation = chat_creation(create, receiver, asynchronous, self.analysis, options(request, marks, self.analysis), request, helpers, self.kept.setdefault(create, []))
        except Unsupported as error:
            problems.append((create, str(error)))
            return None
        sends: list[CallSite] = []
        exports: set[str] = set()
        blocked = len(problems)
        for use in self.analysis.uses(create):
            send = self.analysis.parent(use.parent) if use.attribute in SENDS else None
            if use.kind == "export" and use.reason in self.plan.kept_exports:
                problems.append((use.parent or use.node, self.plan.kept_exports[use.reason]))
            elif use.kind == "export":
                exports.add(use.reason)
            elif isinstance(send, cst.Call) and send.func is use.parent:
                site = self._send(send, use.node, SENDS[use.attribute], asynchronous, request)  # type: ignore[index]
                problems.extend(site.problems)
                sends.append(site)
            elif use.attribute == "get_history":
                problems.append((use.parent, GET_HISTORY))  # type: ignore[arg-type]
            elif use.kind != "discard":
                problems.append((use.parent or use.node, f"a chat used in a way genai2openai does not follow ({use.reason or use.attribute or use.kind})"))
        if len(problems) > blocked:
            return None

        def apply() -> None:
            plan = self.plan
            for node in self.kept.get(create, ()):
                plan.keep(node)
            plan.replace(create, lambda _: self._laid_out(create, plan.with_edits(creation)))  # type: ignore[arg-type]
            for name, source in {**helpers, **marks.helpers}.items():
                plan.add_helper(name, source)
            for kind, text, severity in marks.marks:
                plan.mark(create, kind, text, severity)
            for site in sends:
                self.sites.apply_site(site)
            for name in exports:
                plan.exports[name] = CHAT_EXPORT
            if isinstance(config, cst.Name):
                remove_variable(plan, config)  # its options now live in the chat

        return ClientCall(create, receiver, asynchronous, apply)

    def _send(self, send: cst.Call, chat: cst.BaseExpression, stream: bool, asynchronous: bool, request: Request) -> CallSite:
        """One `chat.send_message(...)`: its call keeps its shape with the message converted."""
        site = CallSite(send, chat, [], stream=stream, asynchronous=asynchronous, client_sdk=True, reader=self._reader(request))
        try:
            turn = send_turn(send, self.analysis, site.helpers, self.kept.setdefault(send, []))
        except Unsupported as error:
            site.problems.append((send, str(error)))
            return site

        def build_send(site: CallSite) -> cst.BaseExpression:
            if site.wrap:
                raise Unsupported("the whole answer of a streamed chat reply read after the loop is not migrated: collect chunk texts in the loop")
            call = send.with_changes(args=[cst.Arg(turn)])
            # A message dict goes on a line of its own: the reads after the call make it long.
            return build.exploded_call(call) if not isinstance(turn, cst.Dict) else call.with_changes(
                args=[cst.Arg(turn, comma=cst.Comma(whitespace_after=build.line_break(0)))], whitespace_before_args=build.line_break(1)
            )

        site.build = build_send
        self.sites.plan_reads(site)
        return self.sites.built(site)

    # ------------------------------------------------------------- applying
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

    def _apply(self, facts: ClientFacts, target: cst.Name | None, calls: list[ClientCall], kept: list[tuple[cst.CSTNode, str]], exports: set[str]) -> None:
        """The client becomes OpenAI's where it stands, or (with uses that stay, or calls of
        both kinds) OpenAI clients are made below it; then every call moves to its client."""
        plan, construction = self.plan, facts.construction
        depth = sum(isinstance(a, cst.IndentedBlock) for a in self.analysis.ancestors(construction))
        kinds = sorted({c.asynchronous for c in calls})
        names: dict[bool, str] = {}
        if kept:
            assert target is not None
            plan.keep(construction)
            for asynchronous in kinds:
                names[asynchronous] = self._free_name("async_openai_client" if asynchronous else "openai_client")
        else:
            client = openai_client(plan, facts, depth, asynchronous=kinds == [True])
            plan.replace(construction, lambda _: client)
            if kinds != [True]:
                self.in_place.add(construction)
            if len(kinds) == 2:
                assert target is not None
                names[True] = self._free_name(f"async_{target.value}")
        if names:
            statement = self.analysis.statement_of(construction)
            lines = [
                cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], openai_client(plan, facts, depth, asynchronous))])
                for asynchronous, name in sorted(names.items())
            ]
            plan.replace_statement(statement, lambda updated: [updated, *lines])
        plan.client_sites.append(self.analysis.statement_of(construction))
        for node, note in facts.dropped:
            plan.report(node, Kind.DROPPED_OPTION, Severity.NOTE, note)
        for call in calls:
            name = names.get(call.asynchronous)
            if name is not None:
                plan.replace(call.receiver, lambda _, name=name: cst.Name(name))
            call.apply()
        for node, reason in kept:
            plan.mark(node, Kind.MANUAL_MIGRATION, reason)
        for name in exports:
            plan.exports[name] = CLIENT_EXPORT_ASYNC if kinds == [True] else CLIENT_EXPORT

    def follow(self, reads: list[cst.BaseExpression], asynchronous: bool) -> str | None:
        """Migrate the calls made here through a client another module made and migrated (an
        `AsyncOpenAI` one when `asynchronous`), read at `reads`; None when every use changed,
        else why none did (the blocking spots marked)."""
        calls: list[ClientCall] = []
        problems: list[tuple[cst.CSTNode, str]] = []
        for use in self.analysis.uses_of_reads(reads):
            if use.kind == "attribute":
                planned = self._call(use, problems)
                if planned is not None and planned.asynchronous != asynchronous:
                    kinds = ("through client.aio", "OpenAI") if planned.asynchronous else ("synchronously", "AsyncOpenAI")
                    problems.append((planned.call, OTHER_KIND.format(here=kinds[0], there=kinds[1])))
                elif planned is not None:
                    calls.append(planned)
            elif use.kind == "export":
                problems.append((use.parent or use.node, f"the client is bound again to `{use.reason}`, which genai2openai does not follow across modules"))
            elif use.kind != "discard":
                problems.append((use.parent or use.node, f"a google-genai client {use.reason}" if use.kind == "escape" else "a google-genai client used in a way genai2openai does not follow"))
        if problems:
            for node, reason in problems:
                self.plan.mark(node, Kind.CROSS_MODULE, reason)
            return min(reason for _, reason in problems)
        for call in calls:
            call.apply()
        return None

    def _declared_global(self, construction: cst.Call) -> bool:
        """The client is assigned to a name its function declares `global`."""
        assign = self.analysis.parent(construction)
        function = self.analysis.enclosing_function(construction)
        if not isinstance(assign, cst.Assign) or function is None:
            return False
        names = {t.target.value for t in assign.targets if isinstance(t.target, cst.Name)}
        declared = {n.name.value for g in self.analysis.find(m.Global(), function) for n in g.names}  # type: ignore[attr-defined]
        return bool(names & declared)

    def _free_name(self, wanted: str) -> str:
        name = self.analysis.free_name(wanted)
        while name in self.taken:
            name = self.analysis.free_name(f"{name}_")
        self.taken.add(name)
        return name

    def _apply_site(self, site: CallSite) -> None:
        for node in self.kept.get(site.call, ()):
            self.plan.keep(node)
        self.sites.apply_site(site)
        for node, edit in self.deferred.get(site.call, ()):
            self.plan.replace(node, edit)
        self._share_response(site)
        config = keyword_argument(site.call, "config")
        for name in [*([config] if isinstance(config, cst.Name) else []), *self.consumed.get(site.call, ())]:
            remove_variable(self.plan, name)  # its options now live in create()

    def _apply_upload(self, upload: Upload) -> None:
        """The upload becomes the content part of its bytes, read where google-genai read them."""
        self.plan.imports.add(("pathlib", None))
        part = helper_call(BLOB_HELPER, helper_sources(BLOB_HELPER), [build.string(upload.mime_type), read_bytes(upload.path)], self.analysis, self.plan_helpers)
        for name, source in self.plan_helpers.items():
            self.plan.add_helper(name, source)
        laid_out = self._laid_out(upload.call, part)
        self.plan.replace(upload.call, lambda _: laid_out)

    def _share_response(self, site: CallSite) -> None:
        """Module-level names the response reaches, for the modules that import them."""
        plan = self.plan
        several = any(i.key == "candidate_count" and not m.matches(i.value, m.Integer("1")) for i in site.config)
        for name in site.exports:
            plan.exports[name] = RESPONSE_EXPORT
            if not self.analysis.bound_once(name):
                plan.unshared[name] = REBOUND
            elif not site.stream:
                plan.shared_responses[name] = SharedResponse(site.asynchronous, several, name in site.returned, client_sdk=True)

    def _apply_embed(self, site: EmbedPlan, receiver: cst.BaseExpression) -> None:
        plan = self.plan
        replacement = build.exploded_call(build.method_call(receiver, "embeddings.create", site.arguments))
        depth = self.analysis.continuation_depth(site.call)
        column = self.analysis.position(self.analysis.statement_of(site.call)).start.column + build.INDENT_WIDTH * depth
        plan.replace(site.call, lambda _: build.shifted(build.fitted(plan.with_edits(replacement), column), depth))
        for node, edit in site.reads:
            plan.replace(node, edit)
        for kind, text, severity in site.marks:
            plan.mark(site.call, kind, text, severity)
        for name in site.exports:
            plan.exports[name] = EMBED_EXPORT
        plan.call_sites.append(site.call)


def options(request: Request, site: CallSite, analysis: ModuleAnalysis) -> list[tuple[str, cst.BaseExpression]]:
    """create()'s options for the request; what it drops goes to `site.marks`."""
    items = [i for i in request.items if i.key != "seed"]
    with for_client_sdk():
        kwargs, dropped = to_openai(items, analysis, site.helpers)
    kwargs += [("seed", i.value) for i in request.items if i.key == "seed"]
    if request.response_format is not None:
        kwargs.append(("response_format", request.response_format))
    if request.tools is not None:
        kwargs.append(("tools", request.tools))
    if request.tool_choice is not None:
        kwargs.append(("tool_choice", request.tool_choice))
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


def _compared_with_none(node: cst.CSTNode, analysis: ModuleAnalysis) -> bool:
    parent = analysis.parent(node)
    return isinstance(parent, cst.Comparison) and any(m.matches(c, m.ComparisonTarget(comparator=m.Name("None"))) for c in parent.comparisons) or (
        isinstance(parent, cst.ComparisonTarget) and m.matches(analysis.parent(parent), m.Comparison(left=m.Name("None")))
    )


def _sdk_method_call(call: cst.Call) -> bool:
    """A call of a google-genai method that takes `contents=` / `config=` (and never changes them)."""
    return m.matches(call.func, m.Attribute(attr=m.OneOf(*(m.Name(n) for n in SDK_METHODS))))


__all__ = ["plan_google_genai"]
