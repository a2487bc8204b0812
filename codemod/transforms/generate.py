"""`GenerativeModel(...)` + `.generate_content(...)` → `client.chat.completions.create(...)`.

A model object has no OpenAI counterpart: the expression that held the model now holds its model
id, and each `generate_content` call carries the model's system instruction and defaults itself.
A model is migrated only when every use of it, and of every response it returns, can be; else
nothing of it changes and each blocking spot gets a TODO.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, Use
from codemod.ftypes import Kind, Options, Severity, SharedModel, SharedResponse
from codemod.transforms import build
from codemod.transforms.arguments import call_arguments, timeout_argument
from codemod.transforms.chat import (
    CHAT_EXPORT,
    SEND,
    SEND_ASYNC,
    ChatSite,
    _has_parts,
    apply_chat,
    plan_chat,
    send_helper,
)
from codemod.transforms.config import (
    NO_EQUIVALENT,
    RENAMED,
    RUNTIME,
    ConfigItem,
    Dropped,
    config_items,
    merge,
    runtime_config_calls,
    to_openai,
)
from codemod.transforms.contents import message, system_message, user_message, user_messages
from codemod.transforms.hoist import Hoist, bound_target, hoist_settings, same_holder
from codemod.transforms.plan import Plan, Unsupported
from codemod.transforms.responses import Read, plan_read
from codemod.transforms.runtime import GENERATION_CONFIG_HELPER, GENERATION_CONFIG_HELPER_SOURCE
from codemod.transforms.streaming import (
    SEND_STREAM,
    STREAM,
    chunk_reads,
    send_stream_helper,
    stream_helper,
    whole_answer_read,
)
from codemod.transforms.tools import openai_tools, tool_choice
from codemod.walk import descendants

MODEL_CLASS = "GenerativeModel"
DEFAULT_MODEL = "gemini-1.5-flash-002"
MODELS_PREFIX = "models/"  # GenerativeModel's default in google-generativeai 0.8.6
MODEL_ATTRIBUTE_ADVICE = {
    "start_chat": "start_chat used without being called",
    "generate_content_async": "generate_content_async used without being called",
    "count_tokens": "count_tokens has no OpenAI equivalent: read response.usage after the call",
    "model_name": "model_name: the model id is now the value itself",
}
# Read-only properties of GenerativeModel (setting them raised) and what setting others did.
MODEL_PROPERTIES = frozenset({"model_name", "cached_content"})
INERT_STORE = (
    "removed an attribute set on the model: genai never read it (a model's settings are fixed when "
    "it is built); if it was meant to apply, pass it to create()"
)
MODEL_EXPORT = "it now holds the model id (a string), or returns it; call client.chat.completions.create(model=..., messages=[...]) where it is used"
RESPONSE_EXPORT = "it now holds (or returns) an OpenAI ChatCompletion: read .choices[0].message.content instead of .text"
REBOUND = "the name is bound more than once in its module (or in a function through `global`): what it holds there is not always this object"
OPTION_REASONS = {
    "safety_settings": "safety_settings has no OpenAI equivalent (the endpoint rejects it)",
}


@dataclasses.dataclass(frozen=True)
class ModelFacts:
    """What a `GenerativeModel(...)` construction sets."""

    construction: cst.Call
    model_id: cst.BaseExpression
    config: list[ConfigItem]
    system: cst.BaseExpression | None
    dropped: list[Dropped]
    config_name: cst.Name | None
    system_source: cst.BaseExpression | None = None  # as written, when `system` is a companion
    hoist: Hoist | None = None
    tools: cst.BaseExpression | None = None  # `tools=` / `tool_config=` as written
    tool_config: cst.BaseExpression | None = None
    # For a model another module made (see `run_imported`): whether its instruction is text
    # (that module's analysis said so), and where it comes from.
    system_is_text: bool | None = None
    imported_from: str | None = None

    def defaults_code(self) -> tuple[str, ...]:
        system = build.code(self.system) if self.system is not None else ""
        tools = tuple(build.code(v) if v is not None else "" for v in (self.tools, self.tool_config))
        return (system, *tools, *(f"{i.key}={build.code(i.value)}" for i in self.config))


@dataclasses.dataclass
class CallSite:
    """One `<model>.generate_content(...)` call, its replacement, and what its response is used for."""

    call: cst.Call
    receiver: cst.BaseExpression
    reads: list[Read]
    replacement: cst.Call | None = None
    marks: list[tuple[Kind, str, Severity]] = dataclasses.field(default_factory=list)
    problems: list[tuple[cst.CSTNode, str]] = dataclasses.field(default_factory=list)
    exports: set[str] = dataclasses.field(default_factory=set)  # module-level names the response reaches
    start: cst.Call | None = None  # for a chat's send_message: the start_chat the model was used at
    config: list[ConfigItem] = dataclasses.field(default_factory=list)  # the model's merged with the call's
    asynchronous: bool = False  # generate_content_async / send_message_async
    stream: bool = False  # stream=True
    wrap: bool = False  # the whole streamed answer is read after the loop: accumulate it
    include_usage: bool = False  # ... including the token counts
    loops: int = 0  # for loops over the stream
    build: Callable[[CallSite], cst.BaseExpression] | None = None  # the replacement, once reads are known
    helpers: dict[str, str] = dataclasses.field(default_factory=dict)  # functions the replacement calls: name → source
    read_sources: set[cst.CSTNode] = dataclasses.field(default_factory=set)  # the calls whose responses its reads may see
    returned: set[str] = dataclasses.field(default_factory=set)  # exported names that are functions returning the response
    # A google-genai call: its client is the one its own `genai.Client(...)` became (none is
    # made for it), and `reader` says how its response's reads change (they differ from genai's).
    client_sdk: bool = False
    reader: Callable[[Use], Read] | None = None


def read_model(call: cst.Call, analysis: ModuleAnalysis) -> ModelFacts:
    """Read a `GenerativeModel(...)` call statically, or raise Unsupported."""
    args = call_arguments(call, ("model_name",))
    for key in args:
        if key not in {"model_name", "generation_config", "system_instruction", "safety_settings", "tools", "tool_config"}:
            raise Unsupported(OPTION_REASONS.get(key, f"GenerativeModel option `{key}` is not migrated"))
    name = args.get("model_name")
    if isinstance(name, cst.SimpleString) and str(name.evaluated_value).startswith("tunedModels/"):
        raise Unsupported("tuned models have no OpenAI-compatible equivalent: keep genai for this model")
    config_value = args.get("generation_config")
    dropped = [SAFETY_DROPPED] if "safety_settings" in args else []
    system = args.get("system_instruction")
    if system is not None and m.matches(system, m.Name("None")):
        system = None
    tools, tool_config = _given(args.get("tools")), _given(args.get("tool_config"))
    if tools is not None:
        openai_tools(tools, analysis)  # raises Unsupported: the model stays on genai
    if tool_config is not None:
        tool_choice(tool_config, analysis)
    return ModelFacts(
        construction=call,
        tools=tools,
        tool_config=tool_config,
        model_id=model_id(args.get("model_name"), analysis),
        config=config_items(config_value, analysis),
        system=system,
        dropped=dropped,
        config_name=config_value if isinstance(config_value, cst.Name) else None,
    )


def model_id(value: cst.BaseExpression | None, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The OpenAI model id for genai's model name: `"models/x"` becomes `"x"`, and a variable
    known to hold such a name gets `.removeprefix("models/")`."""
    if value is None:
        return build.string(DEFAULT_MODEL)
    if _has_models_prefix(value):
        return value.with_changes(value=value.value.replace(MODELS_PREFIX, "", 1))  # type: ignore[attr-defined]
    if isinstance(value, cst.Name) and any(_has_models_prefix(v) for v in analysis.values_of_name(value) or []):
        return build.method_call(value, "removeprefix", [cst.Arg(build.string(MODELS_PREFIX))])
    return value


def rename(options: Options, text: str) -> str:
    """`text` after `--model-map` (ids compared without a `models/` prefix); NEW as given."""
    bare = _bare(text)
    for old, new in options.model_map:
        if _bare(old) == bare:
            return new
    return text


def renamed(value: cst.BaseExpression, options: Options) -> cst.BaseExpression:
    """A string literal renamed by `--model-map`; anything else unchanged."""
    if not isinstance(value, cst.SimpleString):
        return value
    text = str(value.evaluated_value)
    new = rename(options, text)
    return value if new == text else build.string(new)


def _bare(text: str) -> str:
    return text[len(MODELS_PREFIX) :] if text.startswith(MODELS_PREFIX) else text


def _has_models_prefix(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.SimpleString) and str(value.evaluated_value).startswith(MODELS_PREFIX)


SAFETY_DROPPED = Dropped("safety_settings", "...", OPTION_REASONS["safety_settings"])


class ModelMigration:
    """Plans the migration of every GenerativeModel of one module."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.analysis = plan.analysis
        self.models: dict[cst.Call, ModelFacts] = {}
        self.sites: dict[cst.Call, list[CallSite]] = {}
        self.problems: dict[cst.Call, list[tuple[cst.CSTNode, str]]] = {}
        self.exports: dict[cst.Call, set[str]] = {}
        self.returned: dict[cst.Call, set[str]] = {}  # exported names that are functions returning the model
        self.chats: dict[cst.Call, list[ChatSite]] = {}
        # Uses with no OpenAI equivalent that keep a genai twin of the model: (receiver, node, why).
        self.kept: dict[cst.Call, list[tuple[cst.BaseExpression, cst.CSTNode, str]]] = {}
        # `model.x = value` statements: genai never read such attributes, so they go.
        self.stores: dict[cst.Call, list[cst.SimpleStatementLine]] = {}

    def run(self, constructions: list[cst.Call]) -> None:
        for construction in constructions:
            self._read(construction)
        supported = self._settle()
        for construction in constructions:
            if construction in supported:
                self._apply(self.models[construction])
            else:
                self._mark_kept(construction)

    def run_imported(self, imported: list[tuple[ModelFacts, list[cst.BaseExpression]]]) -> dict[cst.Call, str | None]:
        """Migrate the uses here of models other modules made, each given by its facts (the
        construction a stand-in) and its reads here. Returns, per model, None when every use
        changed with it, else why nothing of it changed (the blocking spots get TODOs)."""
        for facts, reads in imported:
            construction = facts.construction
            self.models[construction] = facts
            for table in (self.sites, self.chats, self.kept, self.stores, self.problems):
                table[construction] = []  # type: ignore[index]
            uses = self.analysis.uses_of_reads(reads)
            for use in uses:
                if use.kind == "export" and self.plan.importers_known and not self.plan.has_importers:
                    continue  # a module-level name no other module imports
                if use.kind == "export":
                    self.problems[construction].append((use.parent or use.node, f"the model is bound again to `{use.reason}`, which genai2openai does not follow across modules"))
                else:
                    self._classify(construction, use, uses)
        supported = self._settle()
        outcome: dict[cst.Call, str | None] = {}
        for facts, _ in imported:
            construction = facts.construction
            if construction in supported:
                self._apply(facts)
                outcome[construction] = None
            else:
                problems = self.problems[construction]
                self._mark_kept(construction)
                outcome[construction] = min(reason for _, reason in problems) if problems else "it is used in a way genai2openai does not follow"
        return outcome

    def _mark_kept(self, construction: cst.Call, problems: list[tuple[cst.CSTNode, str]] | None = None) -> None:
        """TODOs where the model cannot follow, and one on the model saying where to look."""
        self.plan.explained.add(construction.func)
        if problems is None:  # the whole model stays: the uses that would have kept a twin say why too
            problems = self.problems.get(construction, []) + [(node, reason) for _, node, reason in self.kept.get(construction, [])]
        for node, reason in problems:
            self.plan.mark(node, Kind.MANUAL_MIGRATION, reason)
            self._explain_inside(node)
        if self.models.get(construction) is not None and self.models[construction].imported_from is not None:
            return  # the defining module says it stays, and points here
        home = self.analysis.statement_of(construction)
        elsewhere = [reason for node, reason in problems if self.analysis.statement_of(node) is not home]
        if elsewhere:
            self.plan.mark(construction, Kind.MANUAL_MIGRATION, f"this model stays on genai: {min(elsewhere)} (see the TODO there)")

    # ------------------------------------------------------------- reading
    def _read(self, construction: cst.Call) -> None:
        self.problems[construction] = []
        try:
            facts = read_model(construction, self.analysis)
            system, config, hoist = hoist_settings(construction, facts.system, facts.config, self.analysis)
            self.models[construction] = dataclasses.replace(facts, system=system, config=config, hoist=hoist, system_source=facts.system)
        except Unsupported as error:
            self.problems[construction].append((construction, str(error)))
            return
        self.sites[construction] = []
        self.chats[construction] = []
        self.kept[construction] = []
        self.stores[construction] = []
        uses = self.analysis.uses(construction)
        for use in uses:
            self._classify(construction, use, uses)

    def _classify(self, construction: cst.Call, use: Use, uses: list[Use]) -> None:
        problems = self.problems[construction]
        if use.kind == "export" and use.reason in self.plan.kept_exports:
            problems.append((use.parent or use.node, self.plan.kept_exports[use.reason]))
        elif use.kind == "export":
            self.exports.setdefault(construction, set()).add(use.reason)
            if isinstance(use.parent, cst.Return):
                self.returned.setdefault(construction, set()).add(use.reason)
        elif use.kind == "escape" and (name := self._exported_factory(use)) is not None:
            self._classify(construction, dataclasses.replace(use, kind="export", reason=name), uses)
        elif use.kind == "escape":
            problems.append((use.parent or use.node, f"a GenerativeModel is {use.reason}"))
        elif use.attribute in ("generate_content", "generate_content_async"):
            call = self.analysis.parent(use.parent)  # type: ignore[arg-type]
            if isinstance(call, cst.Call) and call.func is use.parent:
                self.sites[construction].append(self._site(construction, call, use.node, use.attribute.endswith("_async")))  # type: ignore[union-attr]
            else:
                problems.append((use.parent, f"{use.attribute} is used without being called"))  # type: ignore[arg-type]
        elif use.attribute == "start_chat" and m.matches(self.analysis.parent(use.parent), m.Call(func=m.Attribute(attr=m.Name("start_chat")))):  # type: ignore[arg-type]
            start = self.analysis.parent(use.parent)
            assert isinstance(start, cst.Call)
            self.chats[construction].append(plan_chat(self, construction, start, use.node))
        elif use.kind == "attribute" and (store := self._inert_store(use, uses)) is not None:
            self.stores[construction].append(store)
        elif use.kind == "attribute":
            attribute = use.attribute or ""
            self._keep_or_block(construction, use.node, use.parent, MODEL_ATTRIBUTE_ADVICE.get(attribute, f"model.{attribute} is not migrated"))  # type: ignore[arg-type]
        elif use.kind != "discard":
            problems.append((use.parent or use.node, "a GenerativeModel used in a way genai2openai does not follow"))

    def _exported_factory(self, use: Use) -> str | None:
        """A public module-level function returning the model that nothing here calls, in a
        module other modules of the repository import: followed into them, by name."""
        if not isinstance(use.parent, cst.Return):
            return None
        function = self.analysis.enclosing_function(use.parent)
        if function is None or not self.analysis.is_module_level(function) or function.name.value.startswith("_") or self.analysis.call_sites(function, here_only=True) != []:
            return None
        return function.name.value if self.plan.has_importers else None

    def _explain_inside(self, node: cst.CSTNode) -> None:
        """SDK references inside a call kept on genai (its `GenerationConfig(...)`...) stay with it:
        the call's own TODO explains them."""
        if not isinstance(node, cst.Call):
            return
        inside = set(descendants(node))
        self.plan.explained.update(ref for ref in self.analysis.sdk_references() if ref in inside and ref is not node.func)

    def _inert_store(self, use: Use, uses: list[Use]) -> cst.SimpleStatementLine | None:
        """`model.temperature = t` alone on its line, with a value free of side effects and an
        attribute nothing reads: genai never looked at it (its settings were fixed when the
        model was built), so the statement can go."""
        target = self.analysis.parent(use.parent) if use.parent is not None else None
        assign = self.analysis.parent(target) if isinstance(target, cst.AssignTarget) else None
        line = self.analysis.parent(assign) if isinstance(assign, cst.Assign) else None
        if not (isinstance(assign, cst.Assign) and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and len(assign.targets) == 1):
            return None
        if self.analysis.has_side_effects(assign.value) or (use.attribute or "_").startswith("_") or use.attribute in MODEL_PROPERTIES:
            return None
        read_elsewhere = any(u.attribute == use.attribute and u is not use for u in uses)
        return None if read_elsewhere else line

    def _keep_or_block(self, construction: cst.Call, receiver: cst.BaseExpression, node: cst.CSTNode, reason: str) -> None:
        """A use with no equivalent keeps a genai twin of the model when the use reads the model
        by the name it was bound to; otherwise it keeps the whole model on genai."""
        if self._twin_target(construction) is not None and self._reads_binding(construction, receiver):
            self.kept[construction].append((receiver, node, reason))
        else:
            self.problems[construction].append((node, reason))

    def _twin_target(self, construction: cst.Call) -> cst.Name | None:
        """The name the model is bound to, when a twin can be made next to it (not when settings
        move to companions: the twin and they would evaluate them twice)."""
        facts = self.models.get(construction)
        if facts is None or facts.hoist is not None:
            return None
        target, statement = bound_target(construction, self.analysis)
        return target if isinstance(target, cst.Name) and statement is not None and self.analysis.is_module_level(statement) == self.analysis.is_module_level(construction) else None

    def _reads_binding(self, construction: cst.Call, receiver: cst.BaseExpression) -> bool:
        target = self._twin_target(construction)
        return target is not None and isinstance(receiver, cst.Name) and same_holder(receiver, target, self.analysis) and self.analysis.sources(receiver) == [construction]

    def _site(self, construction: cst.Call, call: cst.Call, receiver: cst.BaseExpression, asynchronous: bool) -> CallSite:
        site = CallSite(call, receiver, [], asynchronous=asynchronous)
        try:
            site.build = self._create_call(self.facts_at(construction, receiver), site, call_arguments(call, ("contents",)))
        except Unsupported as error:
            site.problems.append((call, str(error)))
            return site  # its response reads would only repeat that the call stays
        self.plan_reads(site)
        return self.built(site)

    def built(self, site: CallSite) -> CallSite:
        """Build the replacement now that the reads say whether a stream must accumulate."""
        if not site.problems and site.build is not None:
            try:
                site.replacement = site.build(site)  # type: ignore[assignment]
            except Unsupported as error:
                site.problems.append((site.call, str(error)))
        return site

    def send_site(self, construction: cst.Call, call: cst.Call, receiver: cst.BaseExpression, chat_node: cst.BaseExpression, chat: ChatSite, asynchronous: bool) -> CallSite:
        """One `chat.send_message(...)`: a call of the send helper, and its response's reads."""
        site = CallSite(call, receiver, [], start=chat.start, asynchronous=asynchronous)
        try:
            args = call_arguments(call, ("content",))
            if "content" not in args:
                raise Unsupported("send_message without content")
            system, kwargs = self.request(self.facts_at(construction, receiver), site, args)
            turn = user_message(args["content"], self.analysis, site.helpers)
            literal_turn = isinstance(turn, cst.Dict)
            if literal_turn and not m.matches(turn, m.Dict(elements=[m.DictElement(m.SimpleString('"role"'), m.SimpleString('"user"')), m.DoNotCare()])):
                raise Unsupported("send_message with another role")
            chat.multipart = chat.multipart or not literal_turn or _has_parts(turn)
            arguments = [cst.Arg(chat_node), cst.Arg(turn)]
            if system:
                arguments.append(build.kwarg("system", cst.List([cst.Element(x) for x in system])))
            arguments.append(build.kwarg("model", receiver))
            arguments += [build.kwarg(name, value) for name, value in kwargs if name != "stream"]  # the helper streams
            if site.asynchronous and site.stream:
                raise Unsupported("streamed async chat sessions are not migrated yet")
            helper = SEND_STREAM if site.stream else SEND_ASYNC if site.asynchronous else SEND
            site.wrap = site.stream  # the history needs the whole reply
            if any(i.key == "candidate_count" for i in site.config):
                raise Unsupported("genai's chats refused several candidates (ValueError)")
            usage = [build.kwarg("stream_options", cst.parse_expression('{"include_usage": True}'))]
            site.build = lambda s: build.exploded_call(cst.Call(cst.Name(helper), arguments + (usage if s.include_usage else [])))
        except Unsupported as error:
            site.problems.append((call, str(error)))
            return site
        self.plan_reads(site)
        return self.built(site)

    def plan_reads(self, site: CallSite) -> None:
        """How every read of the site's response is rewritten (or why it cannot be)."""
        call = site.call
        for use in self.analysis.uses(call):
            try:
                if use.kind == "escape" and (name := self._exported_factory(use)) is not None:
                    use = dataclasses.replace(use, kind="export", reason=name)
                if use.kind == "escape":
                    raise Unsupported(f"the response is {use.reason}")
                sources = self.analysis.sources(use.node)
                if not _only_responses(sources):
                    raise Unsupported("this variable may also hold something other than a genai response")
                site.read_sources.update(sources or ())
                if site.stream:
                    self._plan_stream_use(site, use)
                elif use.kind == "iterate":
                    raise Unsupported("iterating over a response that is not streamed")
                elif use.kind == "attribute":
                    reader = site.reader or (lambda use: plan_read(use, self.analysis, several_choices=_several_candidates(site)))
                    read = reader(use)
                    site.reads.append(read)
                elif use.kind == "export":
                    _check_not_kept(self.plan, use.reason)
                    site.exports.add(use.reason)
                    if isinstance(use.parent, cst.Return):
                        site.returned.add(use.reason)
            except Unsupported as error:
                site.problems.append((use.parent or use.node, str(error)))  # the TODO goes where the read is

    def _plan_stream_use(self, site: CallSite, use: Use) -> None:
        if use.kind == "iterate":
            if site.asynchronous != bool(getattr(use.parent, "asynchronous", None)):
                raise Unsupported("a stream iterated with the other kind of for loop")
            site.reads.extend(chunk_reads(use, self.analysis))
            site.loops += 1
            if site.loops > 1:  # genai replayed a finished stream; an OpenAI stream reads once
                if site.asynchronous:
                    raise Unsupported("an async stream iterated twice is not migrated yet")
                site.wrap = True
        elif use.kind == "attribute":
            read, usage = whole_answer_read(use, self.analysis)
            if site.asynchronous:
                raise Unsupported("reading an async stream's whole answer after the loop is not migrated yet")
            site.wrap = True
            site.include_usage = site.include_usage or usage
            if read is not None:
                site.reads.append(read)
        elif use.kind == "export":
            _check_not_kept(self.plan, use.reason)
            site.exports.add(use.reason)

    def _settle(self) -> set[cst.Call]:
        """Models whose every use (and every response's use) can be migrated, to a fixed point;
        calls and chats that cannot keep a genai twin of their model where they can."""
        for construction in self.models:
            self._keep_blocked_sites(construction)
            for site in self._all_sites(construction):
                self.problems[construction].extend(site.problems)
            for chat in self.chats.get(construction, []):
                self.problems[construction].extend(chat.problems)
        supported = {c for c in self.models if not self.problems[c]}
        changed = True
        while changed:
            changed = False
            migrated = {s.call for c in supported for s in self._all_sites(c)}
            for construction in list(supported):
                reason = self._shared_receiver_problem(construction, supported, migrated)
                if reason is not None:
                    supported.discard(construction)
                    self.problems[construction].append(reason)
                    changed = True
        return supported

    def _keep_blocked_sites(self, construction: cst.Call) -> None:
        """Calls and chats with a problem stay on a genai twin of the model, when they read the
        model by its name: the model's other calls still move to OpenAI."""
        kept = self.kept[construction]
        for site in list(self.sites[construction]):
            if site.problems and self._reads_binding(construction, site.receiver):
                self.sites[construction].remove(site)
                kept += [(site.receiver, node, reason) for node, reason in site.problems]
        for chat in list(self.chats[construction]):
            receiver = chat.start.func.value if isinstance(chat.start.func, cst.Attribute) else None
            problems = chat.problems + [p for send in chat.sends for p in send.problems]
            if problems and receiver is not None and self._reads_binding(construction, receiver):
                self.chats[construction].remove(chat)
                kept += [(receiver, node, reason) for node, reason in problems]
        if kept and not self._all_sites(construction) and not self.chats[construction]:
            self.problems[construction] += [(node, reason) for _, node, reason in kept]  # nothing would move
            kept.clear()

    def _kept_across_runs(self, start: cst.Call) -> bool:
        assign = self.analysis.parent(start)
        return isinstance(assign, cst.Assign) and self.analysis.state_path(assign.targets[0].target) is not None

    def _fixed_model(self, construction: cst.Call) -> bool:
        """The model's name and settings are constants: rebuilding it gives the same model."""
        facts = self.models[construction]
        if facts.imported_from is not None:
            return False
        values = [facts.model_id, *([facts.system_source] if facts.system_source is not None else []), *(i.value for i in facts.config)]
        inside = set(descendants(construction))
        return all(self._literal_derived(v) for v in values if v in inside)

    def _literal_derived(self, value: cst.BaseExpression, depth: int = 0) -> bool:
        """Built from literals only, through names bound to such: the same on every run."""
        if depth > 5 or self.analysis.has_side_effects(value):
            return False
        for node in descendants(value):
            if isinstance(node, cst.Name) and node.value not in ("True", "False", "None") and not isinstance(self.analysis.parent(node), cst.Attribute):
                values = self.analysis.values_of_name(node)
                if values is None or not all(self._literal_derived(v, depth + 1) for v in values):
                    return False
            elif isinstance(node, cst.Attribute):
                return False
        return True

    def _all_sites(self, construction: cst.Call) -> list[CallSite]:
        """generate_content calls and chat sends of one model."""
        sends = [send for chat in self.chats.get(construction, []) for send in chat.sends]
        return self.sites.get(construction, []) + sends

    def _shared_receiver_problem(self, construction: cst.Call, supported: set[cst.Call], migrated: set[cst.CSTNode]) -> tuple[cst.CSTNode, str] | None:
        for site in self._all_sites(construction):
            if site.read_sources - migrated:
                return (site.call, "its response is read where a response of a call that stays on genai may be read too: one read cannot serve both")
            if site.start is not None and not self.analysis.is_portable(site.receiver, site.start, site.call):
                return (site.call, "the chat's model is not visible where the message is sent")
            if site.start is not None and self._kept_across_runs(site.start) and not self._fixed_model(construction):
                return (site.call, "the chat outlives the run that built its model (module state), and the model is rebuilt from values that may change: genai kept the first model")
            sources = self.analysis.sources(site.receiver) or []
            if sources and not all(s in self.models or (isinstance(s, cst.Call) and self.analysis.called_sdk_name(s) == MODEL_CLASS) for s in sources):
                return (site.call, "the object here is a genai model for some callers and something else for others: one call cannot serve both")
            if not sources or any(s not in supported for s in sources):
                return (site.call, "the model here may be something genai2openai cannot migrate")
            if len({self.models[s].defaults_code() for s in sources if isinstance(s, cst.Call)}) > 1:
                return (site.call, "the model here may be one of several with different settings")
            facts = self.facts_at(construction, site.receiver)
            hoisted = facts.hoist.references if facts.hoist else frozenset()
            if facts.hoist and not same_holder(site.receiver, facts.hoist.target, self.analysis):
                return (site.call, "the model's settings are kept next to it, and this call does not reach the model by that name")
            for value in [facts.system, *(i.value for i in facts.config)]:
                if value is None or id(value) in hoisted or facts.imported_from is not None:
                    continue
                if not self.analysis.is_portable(value, construction, site.call):
                    return (site.call, "the model's settings are computed when it is built (or change later): genai2openai cannot repeat them at each call")
        return None

    def facts_at(self, construction: cst.Call, receiver: cst.BaseExpression) -> ModelFacts:
        """The model's facts as a call through `receiver` sees them: for a model a factory
        builds from its parameters (`def make(t): return GenerativeModel(..., {"temperature":
        t})`), with the constants the factory call that made this model passed for them
        (`cold = make(0.1)`); else as read."""
        facts = self.models[construction]
        function = self.analysis.enclosing_function(construction)
        call = None if function is None or facts.imported_from is not None else self._factory_call(receiver, function)
        if call is None or function is None:
            return facts
        arguments: dict[cst.CSTNode, cst.BaseExpression] = {}
        for value in [facts.system, *(i.value for i in facts.config)]:
            for name in _read_names(value) if value is not None else ():
                referents = self.analysis.referents(name) or set()
                params = [self.analysis.param_of(r) for r in referents]
                if not any(p is not None and self.analysis.enclosing_function(p) is function for p in params):
                    continue
                if len(params) != 1:
                    return facts  # the parameter, or what the factory rebound it to
                param = params[0]
                assert param is not None
                argument = self.analysis.argument_for(call, param, function)
                if argument is None or not self.analysis.is_constant(argument):
                    return facts
                arguments[name] = argument
        if not arguments:
            return facts

        def bound(value: cst.BaseExpression | None) -> cst.BaseExpression | None:
            return None if value is None else value.visit(_Substitute(arguments))  # type: ignore[return-value]

        try:
            bound(facts.system)
        except Unsupported:
            return facts
        return dataclasses.replace(
            facts,
            system=bound(facts.system),
            system_source=bound(facts.system_source) if facts.system_source is not facts.system else bound(facts.system),
            config=[dataclasses.replace(i, value=bound(i.value)) for i in facts.config],  # type: ignore[arg-type]
        )

    def _factory_call(self, receiver: cst.BaseExpression, function: cst.FunctionDef, depth: int = 0) -> cst.Call | None:
        """The call of `function` whose returned model `receiver` holds (`cold = make(0.1)`)."""
        if depth > 5:
            return None
        if isinstance(receiver, cst.Call):
            return receiver if self.analysis.function_named(receiver) is function else None
        values: list[cst.BaseExpression] | None = None
        if isinstance(receiver, cst.Name):
            values = self.analysis.values_of_name(receiver)
        elif self.analysis.self_attribute_key(receiver) is not None:
            values = self.analysis.self_attribute_values(receiver)  # type: ignore[arg-type]
        if values is None or len(values) != 1:
            return None
        return self._factory_call(values[0], function, depth + 1)

    # ------------------------------------------------------------- applying
    def _apply(self, facts: ModelFacts) -> None:
        plan = self.plan
        if facts.imported_from is not None:
            self._apply_uses(facts)
            return
        if self.kept[facts.construction]:
            self._apply_twin(facts)
        else:
            plan.replace(facts.construction, lambda _: renamed(facts.model_id, plan.options))
        hoist = facts.hoist
        if hoist is not None:
            plan.replace_statement(hoist.statement, lambda updated: [updated, *hoist.statements(plan.with_edits)])
        for dropped in facts.dropped + _model_dropped(facts.config):
            plan.mark(facts.construction, Kind.DROPPED_OPTION, _dropped_message(dropped))
        self._apply_uses(facts)
        for name in self.exports.get(facts.construction, ()):
            plan.exports[name] = MODEL_EXPORT
            shared = self._shared(facts)
            if not self.analysis.bound_once(name):
                plan.unshared[name] = REBOUND
            elif shared is not None:
                plan.shared_models[name] = dataclasses.replace(shared, returned=name in self.returned.get(facts.construction, ()))

    def _shared(self, facts: ModelFacts) -> SharedModel | None:
        """How a module importing this model repeats its settings at its calls: the settings'
        code, reading only module-level names bound once (companions included); else None."""
        if facts.tools is not None or facts.tool_config is not None or any(i.key == RUNTIME for i in facts.config):
            return None
        companions = {build.code(target) for target, _ in facts.hoist.companions} if facts.hoist else set()
        names: set[str] = set()
        for value in [facts.system, *(i.value for i in facts.config)]:
            for name in _read_names(value) if value is not None else ():
                if name.value in companions or self.analysis.bound_once_at_module_level(name):
                    names.add(name.value)
                else:
                    return None
        written = facts.system_source if facts.system_source is not None else facts.system
        return SharedModel(
            system=build.code(facts.system) if facts.system is not None else None,
            system_is_text=written is None or self.analysis.is_text(written),
            config=tuple((i.key, build.code(i.value)) for i in facts.config),
            names=tuple(sorted(names)),
        )

    def _apply_uses(self, facts: ModelFacts) -> None:
        """The calls, chats and attribute stores of one model."""
        plan = self.plan
        for line in self.stores[facts.construction]:
            plan.replace_statement(line, lambda _: cst.RemovalSentinel.REMOVE)
            plan.report(line, Kind.MANUAL_MIGRATION, Severity.NOTE, INERT_STORE)
        for site in self.sites[facts.construction]:
            self.apply_site(site)
        for chat in self.chats[facts.construction]:
            apply_chat(plan, chat)
            for send in chat.sends:
                send_stream_helper(plan) if send.stream else send_helper(plan, send.asynchronous)
                self.apply_site(send)
            for name in chat.exports:
                plan.exports[name] = CHAT_EXPORT
        for site in self._all_sites(facts.construction):
            for name in site.exports:
                plan.exports[name] = RESPONSE_EXPORT
                if not self.analysis.bound_once(name):
                    plan.unshared[name] = REBOUND
                elif not site.stream and site.start is None:
                    plan.shared_responses[name] = SharedResponse(site.asynchronous, _several_candidates(site), name in site.returned)

    def _apply_twin(self, facts: ModelFacts) -> None:
        """`model = GenerativeModel(...)` → `model_genai = GenerativeModel(...)` (the same
        construction, kept for the uses with no equivalent) and `model = "<id>"` below it."""
        plan, construction = self.plan, facts.construction
        target = self._twin_target(construction)
        assert target is not None
        twin = self.analysis.free_name(f"{target.value}_genai")
        statement = self.analysis.statement_of(construction)
        plan.keep(construction)
        plan.explained.add(construction.func)

        def split(updated: cst.SimpleStatementLine) -> list[cst.SimpleStatementLine]:
            assign = updated.body[0]
            assert isinstance(assign, cst.Assign)
            genai_line = updated.with_changes(body=[assign.with_changes(targets=[cst.AssignTarget(cst.Name(twin))])])
            model_id = plan.with_edits(renamed(facts.model_id, plan.options).deep_clone())
            id_line = cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(target.deep_clone())], model_id)])  # type: ignore[arg-type]
            return [genai_line, id_line]

        plan.replace_statement(statement, split)
        for receiver, _, _ in self.kept[construction]:
            plan.replace(receiver, lambda _: cst.Name(twin))
        self._mark_kept(construction, [(node, reason) for _, node, reason in self.kept[construction]])

    def apply_site(self, site: CallSite) -> None:
        plan = self.plan
        replacement = site.replacement
        assert replacement is not None
        depth = self.analysis.continuation_depth(site.call)
        column = self.analysis.position(self.analysis.statement_of(site.call)).start.column + build.INDENT_WIDTH * depth
        plan.replace(site.call, lambda _: build.shifted(build.fitted(plan.with_edits(replacement), column), depth))
        for name, source in site.helpers.items():
            plan.add_helper(name, source)
        for kind, text, severity in site.marks:
            plan.mark(site.call, kind, text, severity)
        if not site.client_sdk:
            plan.client_for(site.asynchronous)
        for item in site.config:
            if item.key == RUNTIME:
                plan.keep(item.origin)  # read as it is at run time: its variables must stay
                for call in runtime_config_calls(item, self.analysis):
                    plan.replace(call, lambda updated: updated.with_changes(func=cst.Name(GENERATION_CONFIG_HELPER)))
                    plan.add_helper(GENERATION_CONFIG_HELPER, GENERATION_CONFIG_HELPER_SOURCE)
        if site.wrap:
            stream_helper(plan)
        plan.call_sites.append(site.call)
        self._apply_reads(site)

    def _apply_reads(self, site: CallSite) -> None:
        plan = self.plan
        for read in site.reads:
            for part in (read, *read.also):
                plan.replace(part.outer, part.edit)
                if part.todo:
                    plan.mark(part.outer, Kind.MANUAL_MIGRATION, part.todo)
                plan.imports.update(part.imports)
                plan.exports.update(part.exports)
                for name, source in part.helpers:
                    plan.add_helper(name, source)

    def follow_response(
        self, origin: cst.BaseExpression, asynchronous: bool, several: bool, reader: Callable[[Use], Read] | None = None
    ) -> str | None:
        """Rewrite the reads here of a response another module made, read at `origin` (a name
        or the call of a function returning it); None when done, else why not (TODOs placed).
        `reader`: how its reads change, when not as genai's (a google-genai response)."""
        stand_in = cst.Call(cst.Attribute(cst.Name("model"), cst.Name("generate_content_async" if asynchronous else "generate_content")))
        self.analysis.foreign[origin] = stand_in
        several_items = [ConfigItem("candidate_count", cst.Integer("2"), stand_in)] if several else []
        site = CallSite(stand_in, origin, [], asynchronous=asynchronous, config=several_items, reader=reader)
        site.call = origin  # type: ignore[assignment]  # its uses are the reads
        self.plan_reads(site)
        if site.problems:
            for node, reason in site.problems:
                self.plan.mark(node, Kind.MANUAL_MIGRATION, reason)
            return min(reason for _, reason in site.problems)
        self._apply_reads(site)
        if isinstance(origin, cst.Call):
            self.plan.call_sites.append(origin)  # it raises OpenAI's errors now: handlers around it change
        return None

    def _system_message(self, facts: ModelFacts, site: CallSite) -> cst.BaseExpression:
        assert facts.system is not None
        if facts.system_is_text:
            return message("system", facts.system)
        return system_message(facts.system, facts.system_source, self.analysis, site.helpers)

    def _create_call(self, facts: ModelFacts, site: CallSite, args: dict[str, cst.BaseExpression]) -> Callable[[CallSite], cst.BaseExpression]:
        """How to build the create() call for one generate_content site, once its reads are known."""
        if "contents" not in args:
            raise Unsupported("generate_content without contents")
        system, kwargs = self.request(facts, site, args)
        user = user_messages(args["contents"], self.analysis, site.helpers)
        arguments = [build.kwarg("model", site.receiver), build.kwarg("messages", _messages([cst.Element(x) for x in system] + user))]
        arguments += [build.kwarg(name, value) for name, value in kwargs]
        client = self.plan.async_client_name if site.asynchronous else self.plan.client_name

        def create(site: CallSite) -> cst.BaseExpression:
            extra = [build.kwarg("stream_options", cst.parse_expression('{"include_usage": True}'))] if site.include_usage else []
            call = build.exploded_call(build.method_call(build.reference(client), "chat.completions.create", arguments + extra))
            return cst.Call(cst.Name(STREAM), [cst.Arg(call)]) if site.wrap else call

        return create

    def request(
        self, facts: ModelFacts, site: CallSite, args: dict[str, cst.BaseExpression]
    ) -> tuple[list[cst.BaseExpression], list[tuple[str, cst.BaseExpression]]]:
        """The system messages and the create() keyword arguments (but `model` and `messages`) a
        call of this model sends; what it drops goes to `site.marks`."""
        for key in args:
            if key not in {"contents", "content", "generation_config", "safety_settings", "request_options", "stream", "tools", "tool_config"}:
                raise Unsupported(OPTION_REASONS.get(key, f"option `{key}` is not migrated"))
        if "stream" in args and not m.matches(args["stream"], m.Name("False")):
            if not m.matches(args["stream"], m.Name("True")):
                raise Unsupported("stream= is not a literal True or False")
            site.stream = True
        if any(isinstance(a, cst.FormattedString) for a in self.analysis.ancestors(site.call)):
            raise Unsupported("a call inside an f-string: move it to a variable first")
        system = [self._system_message(facts, site)] if facts.system is not None else []
        call_config = config_items(args.get("generation_config"), self.analysis)
        site.config = merge(facts.config, call_config)
        kwargs, dropped = to_openai(site.config, self.analysis, site.helpers)
        kwargs += [(a.keyword.value, a.value) for a in timeout_argument(args.get("request_options")) if a.keyword]
        kwargs += _tool_kwargs(facts, site, args, self.analysis)
        if site.stream:
            kwargs.append(("stream", cst.Name("True")))
        if "safety_settings" in args:
            dropped.append(SAFETY_DROPPED)
        for item in dropped:
            if item.key == "safety_settings" or any(i.key == item.key for i in call_config) or not any(i.key == item.key for i in facts.config):
                site.marks.append((Kind.DROPPED_OPTION, _dropped_message(item), Severity.WARNING))
        return system, kwargs


class _Substitute(cst.CSTTransformer):
    """Put the given expressions in place of the given nodes (parameters by their arguments)."""

    def __init__(self, replacements: dict[cst.CSTNode, cst.BaseExpression]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        if isinstance(original_node, cst.FormattedStringExpression) and original_node.expression in self.replacements:
            return _folded(updated_node)  # type: ignore[arg-type]
        if isinstance(updated_node, cst.FormattedString) and all(isinstance(p, cst.FormattedStringText) for p in updated_node.parts):
            text = "".join(p.value for p in updated_node.parts).replace("{{", "{").replace("}}", "}")  # type: ignore[attr-defined]
            prefix, quote = updated_node.prefix, updated_node.start[len(updated_node.prefix) :]
            return cst.SimpleString(f"{prefix.replace('f', '').replace('F', '')}{quote}{text}{updated_node.end}")
        return self.replacements.get(original_node, updated_node)


def _folded(part: cst.FormattedStringExpression) -> cst.BaseFormattedStringContent:
    """`{"a poet"}` inside an f-string → `a poet` (its quotes could not nest before Python 3.12);
    raises Unsupported when the text cannot stand in the f-string as written."""
    value = part.expression
    if isinstance(value, (cst.Integer, cst.Float)):
        return part
    if not isinstance(value, cst.SimpleString):
        raise Unsupported("a setting built in an f-string from a factory's argument: write the value into the f-string by hand")
    text = str(value.evaluated_value)
    if part.conversion is not None or part.format_spec is not None or any(c in text for c in "\\'\"\n\r"):
        raise Unsupported("a setting built in an f-string from a factory's argument: write the value into the f-string by hand")
    return cst.FormattedStringText(text.replace("{", "{{").replace("}", "}}"))


def _check_not_kept(plan: Plan, name: str) -> None:
    """An exported name an importer could not follow stays on genai here."""
    if name in plan.kept_exports:
        raise Unsupported(plan.kept_exports[name])


def _read_names(value: cst.BaseExpression) -> list[cst.Name]:
    """The variables an expression reads (not attribute names, keywords or literals)."""
    skipped = {"True", "False", "None"}
    attributes = {id(n.attr) for n in descendants(value) if isinstance(n, cst.Attribute)}
    keywords = {id(n.keyword) for n in descendants(value) if isinstance(n, cst.Arg) and n.keyword is not None}
    return [n for n in descendants(value) if isinstance(n, cst.Name) and n.value not in skipped and id(n) not in attributes | keywords]


def _messages(elements: list[cst.BaseElement]) -> cst.BaseExpression:
    """The `messages` list; contents converted at run time alone are passed as they come."""
    if len(elements) == 1 and isinstance(elements[0], cst.StarredElement):
        return elements[0].value
    return cst.List(elements)


def _model_dropped(items: list[ConfigItem]) -> list[Dropped]:
    """The model's options create() has no place for, found by key alone: converting the model's
    own config may fail where the calls' merged configs did not (a schema on the model, its
    mime type on the call), and a model without calls never had it converted."""
    mapped = {*RENAMED, RUNTIME, "response_mime_type", "response_schema"}
    return [
        Dropped(i.key, build.code(i.value), NO_EQUIVALENT.get(i.key, "unknown generation option"))
        for i in items
        if i.key not in mapped and not m.matches(i.value, m.Name("None"))
    ]


def _given(value: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """An argument's value; None when absent or a literal None (genai: "not set")."""
    return None if value is None or m.matches(value, m.Name("None")) else value


def _tool_kwargs(facts: ModelFacts, site: CallSite, args: dict[str, cst.BaseExpression], analysis: ModuleAnalysis) -> list[tuple[str, cst.BaseExpression]]:
    """`tools=` / `tool_choice=`: a call's `tools` and `tool_config` each replace the model's, as in
    genai's `_prepare_request`."""
    tools = _given(args.get("tools"))
    tools = facts.tools if tools is None else tools
    config = _given(args.get("tool_config"))
    config = facts.tool_config if config is None else config
    if site.start is not None and (tools is not None or config is not None):
        raise Unsupported("tools in chat sessions are not migrated: the history would need the tool calls and their results as tool messages")
    kwargs = [] if tools is None else [("tools", openai_tools(tools, analysis))]
    if config is not None:
        if tools is None:
            raise Unsupported("tool_config without tools: OpenAI takes tool_choice only with tools")
        kwargs.append(("tool_choice", tool_choice(config, analysis)))
    return kwargs


def _several_candidates(site: CallSite) -> bool:
    """candidate_count set to anything but a literal 1, on the model or the call, or a config only
    the run can tell."""
    return any((i.key == "candidate_count" and not m.matches(i.value, m.Integer("1"))) or i.key == RUNTIME for i in site.config)


def _only_responses(sources: list[cst.BaseExpression] | None) -> bool:
    """Every value that may reach here comes from a `generate_content(...)` call."""
    names = ("generate_content", "generate_content_async", "generate_content_stream", "send_message", "send_message_async", "send_message_stream")
    calls = m.Call(func=m.Attribute(attr=m.OneOf(*(m.Name(n) for n in names))))
    return bool(sources) and all(m.matches(s, calls) for s in sources)


def _dropped_message(dropped: Dropped) -> str:
    shown = f"{dropped.key}={dropped.value_code}" if dropped.value_code != "..." else dropped.key
    return f"dropped {shown}: {dropped.reason}"
