"""`google.api_core.exceptions.X` (and google-genai's `google.genai.errors.X`) caught around
migrated calls → the matching `openai.X`.

The OpenAI SDK picks its error class from the HTTP status alone (`RateLimitError` for 429,
`BadRequestError` for any 400...), raises `APITimeoutError` / `APIConnectionError` itself for
timeouts and failed connections, and never raises google's errors. So a handler is rewritten only
when its `try` reaches a migrated call:

- it reaches nothing else that may raise google's errors: `except exceptions.ResourceExhausted`
  becomes `except openai.RateLimitError`, `e.code` becomes `e.status_code`;
- it also reaches code that stays on genai, or another Google library: both are caught,
  `except (exceptions.ResourceExhausted, openai.RateLimitError)`;
- it reaches no migrated call: it is left alone (genai or another library still raises there),
  and marked when the analysis cannot see what its calls are.

A `try` is left unchanged and marked when the mapping would change which handler runs (two
google classes becoming one openai class), when a class has no counterpart, or when it reads a
migrated stream (whose errors come as `openai.APIError` whatever the status). The google
imports nothing reads any more are removed. genai's `BlockedPromptException` /
`StopCandidateException` handlers around migrated calls are marked: the OpenAI SDK raises nothing
for a blocked prompt, the answer's `finish_reason` says so.

google-genai raises `APIError` for any HTTP error status only (`raise_for_response`; a failed
connection is httpx's own error), `ClientError` for 4xx, `ServerError` for 5xx. openai has no class
for exactly 4xx: `except errors.ClientError` becomes `except openai.APIStatusError` whose handler
first re-raises the other statuses, when no handler below it could have taken them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import libcst as cst
import libcst.matchers as m

from codemod.analysis import CLIENT_SDK_MODULE, dotted_name
from codemod.ftypes import Kind
from codemod.transforms.plan import NodeEdit, Plan
from codemod.walk import children_of, descendants

GOOGLE_EXCEPTIONS = "google.api_core.exceptions"
CLIENT_SDK_ERRORS = "google.genai.errors"
CLIENT_SDK_TYPES = "google.genai.types."  # models and enums: building one sends no request
SDK_MODULE = "google.generativeai"
# Libraries that raise google.api_core's errors too.
GOOGLE_BACKED = ("google.", "vertexai", "firebase_admin", "langchain_google", "llama_index.llms.gemini", "llama_index.llms.vertex")


@dataclasses.dataclass(frozen=True)
class Target:
    """The openai class for one google.api_core class; `differs` (when set) is a TODO saying what
    the google class caught that the openai one does not, or the other way round."""

    name: str
    differs: str = ""
    # The google class is only the answers with these statuses (end excluded), the openai class
    # any: its handler re-raises the others.
    statuses: tuple[int, int] | None = None


OPENAI_FOR = {
    "ResourceExhausted": Target("RateLimitError"),
    "TooManyRequests": Target("RateLimitError"),
    "InvalidArgument": Target("BadRequestError"),
    "BadRequest": Target("BadRequestError"),
    "FailedPrecondition": Target("BadRequestError"),
    "OutOfRange": Target("BadRequestError"),
    "Unauthenticated": Target("AuthenticationError"),
    "Unauthorized": Target("AuthenticationError"),
    "PermissionDenied": Target("PermissionDeniedError"),
    "Forbidden": Target("PermissionDeniedError"),
    "NotFound": Target("NotFoundError"),
    "DeadlineExceeded": Target(
        "APITimeoutError",
        "that is the client's own timeout (raised after its retries); a 504 from the server is openai.InternalServerError",
    ),
    "ServiceUnavailable": Target(
        "InternalServerError",
        "that is any 5xx answer, and a failed connection (ServiceUnavailable with genai) is openai.APIConnectionError",
    ),
    "InternalServerError": Target("InternalServerError"),
    "ServerError": Target(
        "InternalServerError",
        "timeouts and failed connections (ServerErrors with genai) are openai.APIConnectionError",
    ),
    "ClientError": Target("APIStatusError", "that is any error status, 5xx included"),
    "GoogleAPICallError": Target("APIError"),
    "GoogleAPIError": Target("OpenAIError"),
}
# The classes' bases in openai 3.x and google.api_core 2.x (tests/test_errors.py checks them).
OPENAI_BASES = {
    "APIError": "OpenAIError",
    "APIStatusError": "APIError",
    "APIConnectionError": "APIError",
    "APITimeoutError": "APIConnectionError",
    "RateLimitError": "APIStatusError",
    "BadRequestError": "APIStatusError",
    "AuthenticationError": "APIStatusError",
    "PermissionDeniedError": "APIStatusError",
    "NotFoundError": "APIStatusError",
    "InternalServerError": "APIStatusError",
}
GOOGLE_BASES = {
    "GoogleAPICallError": "GoogleAPIError",
    "ClientError": "GoogleAPICallError",
    "ServerError": "GoogleAPICallError",
    "BadRequest": "ClientError",
    "InvalidArgument": "BadRequest",
    "FailedPrecondition": "BadRequest",
    "OutOfRange": "BadRequest",
    "Unauthorized": "ClientError",
    "Unauthenticated": "Unauthorized",
    "Forbidden": "ClientError",
    "PermissionDenied": "Forbidden",
    "NotFound": "ClientError",
    "TooManyRequests": "ClientError",
    "ResourceExhausted": "TooManyRequests",
    "InternalServerError": "ServerError",
    "ServiceUnavailable": "ServerError",
    "GatewayTimeout": "ServerError",
    "DeadlineExceeded": "GatewayTimeout",
}
# google-genai (google/genai/errors.py, APIError.raise_error) picks the class from the status alone.
CLIENT_SDK_OPENAI_FOR = {
    "APIError": Target("APIStatusError"),
    "ClientError": Target("APIStatusError", statuses=(400, 500)),
    "ServerError": Target("InternalServerError"),
}
CLIENT_SDK_BASES = {"ClientError": "APIError", "ServerError": "APIError"}
BLOCKED = frozenset({"BlockedPromptException", "StopCandidateException"})
# Builtin classes an openai error derives from: a handler of them takes what a guard re-raises.
OPENAI_ERROR_BUILTINS = frozenset({"builtins.Exception", "builtins.BaseException"})
# Attributes of an exception that mean the same on openai's errors (`message` is a str on both:
# openai's starts with "Error code: 429 - ").
SAME_ATTRIBUTES = frozenset(
    {"message", "args", "with_traceback", "add_note", "__traceback__", "__cause__", "__context__", "__class__", "__notes__", "__suppress_context__"}
)
# google-genai's errors have .response too, an httpx.Response as openai's is.
CLIENT_SDK_SAME_ATTRIBUTES = SAME_ATTRIBUTES | {"response"}
# google-genai attributes openai errors lack, and what to read instead ({0}: the error).
CLIENT_SDK_ATTRIBUTES = {
    "status": (
        '{0}.status, google-genai\'s status name (e.g. "RESOURCE_EXHAUSTED"), is not on openai errors: it is the "status" of the error '
        'object in {0}.body ({0}.body["status"] when Gemini answers {{"error": {{...}}}}; it has also answered [{{"error": {{...}}}}], which {0}.body keeps whole)'
    ),
    "details": (
        '{0}.details, google-genai\'s whole JSON answer ({{"error": {{...}}}}), is not on openai errors: {0}.body holds the "error" '
        'object inside it (the whole answer when that has no "error" or is not a JSON object)'
    ),
}
# google-genai errors that are not HTTP errors: why no openai class stands for them, and what to do.
_TOOL_ERROR = (
    "google-genai raises it for the Python function tools it calls itself (automatic function calling), which the OpenAI SDK never does: "
    "catch the tool's errors where you run message.tool_calls"
)
CLIENT_SDK_UNMAPPED = {
    "UnknownFunctionCallArgumentError": _TOOL_ERROR,
    "UnsupportedFunctionError": _TOOL_ERROR,
    "FunctionInvocationError": _TOOL_ERROR,
    "UnknownApiResponseError": (
        "google-genai raises it for an answer that is not JSON; the OpenAI SDK raises json.JSONDecodeError for an answer "
        "that says it is JSON and is not, and returns the text of one that does not say so"
    ),
}
# genai calls that reach the API (a touched one was migrated).
API_FUNCTIONS = frozenset({"embed_content", "embed_content_async", "list_models", "get_model", "list_tuned_models", "get_tuned_model"})


@dataclasses.dataclass(frozen=True, eq=False)
class Family:
    """The errors of one Google library: their module, openai classes and bases, and the
    attributes that mean the same on openai's errors."""

    module: str
    shown: str  # the library, as messages name it
    targets: dict[str, Target]
    bases: dict[str, str]
    same: frozenset[str]


API_CORE = Family(GOOGLE_EXCEPTIONS, "google.api_core", OPENAI_FOR, GOOGLE_BASES, SAME_ATTRIBUTES)
CLIENT_SDK = Family(CLIENT_SDK_ERRORS, "google-genai", CLIENT_SDK_OPENAI_FOR, CLIENT_SDK_BASES, CLIENT_SDK_SAME_ATTRIBUTES)
FAMILIES = (API_CORE, CLIENT_SDK)

BLOCKED_ADVICE = (
    "the OpenAI SDK raises nothing for a blocked prompt or a stopped answer, so this handler never runs now: "
    'check response.choices[0].finish_reason == "content_filter" after the call'
)
OPENAI_TAKEN = "this module binds `openai` to something else: catch the openai.* errors by hand"
ATTRIBUTE_ADVICE = "openai errors have .status_code, .message, .body (the JSON error object) and .response (an httpx.Response)"


@dataclasses.dataclass
class Reach:
    """What the code of a `try` body may run, followed into functions of the module."""

    migrated: bool = False  # a call genai2openai migrated
    stream: bool = False  # reading a migrated stream
    openai: bool = False  # a call of an OpenAI client already there
    genai: bool = False  # code that stays on genai
    google: bool = False  # another Google library, or google.api_core errors raised
    unknown: bool = False  # a call the analysis cannot place


@dataclasses.dataclass
class Caught:
    """One class expression of an `except` clause."""

    node: cst.BaseExpression
    google: str | None = None  # the class of google.api_core or google-genai (`family`)
    ambiguous: bool = False  # the name may be google's or something else
    blocked: bool = False  # genai's BlockedPromptException / StopCandidateException
    family: Family = API_CORE

    @property
    def target(self) -> Target | None:
        """The openai class for the google one, if it has one."""
        return self.family.targets.get(self.google) if self.google is not None else None


def plan_errors(plan: Plan) -> None:
    """Rewrite, keep or mark every handler of google.api_core and google-genai errors (and genai's
    blocked-prompt ones); mark the other uses of google's errors; remove google.api_core imports
    left unused (google-genai's go with the SDK's other imports, in plan_imports)."""
    ErrorMigration(plan).run()


class ErrorMigration:
    """Plans the exception changes of one module."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.analysis = plan.analysis
        references = self.analysis.sdk_references()
        # genai code that stays (configure makes no request)
        self.kept_sdk = {r for r in references if not plan.touched(r) and self.analysis.sdk_name(r) != "configure"}
        self.migrated = set(plan.call_sites) | _migrated_sdk_calls(plan, references)
        self.imports = self._google_imports() if plan.call_sites and "api_core" in self.analysis.read_names() else []
        self.handled: set[cst.CSTNode] = set()  # google references dealt with here
        self.kept: set[cst.CSTNode] = set()  # google references inside an edit that stay in the code

    def run(self) -> None:
        tries: dict[cst.Try, list[cst.ExceptHandler]] = {}
        for handler in self.analysis.handlers:
            owner = self.analysis.parent(handler)
            if isinstance(owner, cst.Try):
                tries.setdefault(owner, []).append(handler)
        for owner, handlers in tries.items():
            self._plan_try(owner, handlers)
        if self.imports:
            self._mark_other_references(API_CORE, self.imports)
            self._remove_unused_imports()
        if self.plan.call_sites and self.analysis.client_sdk_imports:
            self._mark_other_references(CLIENT_SDK, self.analysis.client_sdk_imports)

    # ------------------------------------------------------------- handlers
    def _plan_try(self, owner: cst.Try, handlers: list[cst.ExceptHandler]) -> None:
        caught = {handler: self._caught(handler) for handler in handlers}
        google = [h for h in handlers if any(c.google or c.ambiguous for c in caught[h])] if self.plan.call_sites else []
        blocked = [h for h in handlers if any(c.blocked for c in caught[h])]
        if not google and not blocked:
            return
        reach = self._reach(owner.body)
        self._plan_blocked(blocked, caught, reach)
        if not google:
            return
        for handler in google:
            self.handled.update(c.node for c in caught[handler] if c.google or c.ambiguous)
        if not reach.migrated:
            if reach.unknown and not (reach.genai or reach.google or reach.openai):
                for handler in google:
                    self.plan.mark(handler, Kind.MANUAL_MIGRATION, _unknown_reach_message(caught[handler]))
            return
        problem = self._problem(google, caught) or self._guard_problem(handlers, caught) or (_stream_problem(google, caught) if reach.stream else None)
        if problem is not None:
            self.plan.mark(owner, Kind.MANUAL_MIGRATION, problem)
            return
        both = reach.genai or reach.google
        for handler in google:
            self._rewrite_handler(handler, caught[handler], both)

    def _caught(self, handler: cst.ExceptHandler) -> list[Caught]:
        if handler.type is None:
            return []
        if isinstance(handler.type, cst.Tuple):
            values = [e.value for e in handler.type.elements if isinstance(e, cst.Element)]
        else:
            values = [handler.type]
        return [self._classify(value) for value in values]

    def _classify(self, node: cst.BaseExpression) -> Caught:
        names = self.analysis.qualified_names(node)
        for family in FAMILIES:
            google = [n for n in names if n.startswith(family.module + ".")]
            if google:
                name = google[0][len(family.module) + 1 :]
                if len(names) == 1 and "." not in name:
                    return Caught(node, google=name, family=family)
                return Caught(node, ambiguous=True, family=family)
        blocked = node in self.kept_sdk and (self.analysis.sdk_name(node) or "").rsplit(".", 1)[-1] in BLOCKED
        return Caught(node, blocked=blocked)

    def _plan_blocked(self, handlers: list[cst.ExceptHandler], caught: dict[cst.ExceptHandler, list[Caught]], reach: Reach) -> None:
        """genai raised these from chats; a try that now calls the OpenAI SDK never sees them."""
        if not (reach.migrated or reach.openai) or reach.genai:
            return
        for handler in handlers:
            blocked = [c.node for c in caught[handler] if c.blocked]
            if blocked:
                self.plan.explained.update(blocked)
                self.plan.mark(handler, Kind.MANUAL_MIGRATION, BLOCKED_ADVICE)

    def _problem(self, handlers: list[cst.ExceptHandler], caught: dict[cst.ExceptHandler, list[Caught]]) -> str | None:
        """Why the handlers of this try cannot be rewritten, if they cannot."""
        for handler in handlers:
            for item in caught[handler]:
                if item.ambiguous:
                    return f"`{dotted_name(item.node)}` may be {item.family.shown}'s error or something else: catch the openai.* errors by hand"
                if item.google is not None and item.target is None:
                    return _no_counterpart(item)
        if self.analysis.binds_otherwise("openai", "openai"):
            return OPENAI_TAKEN
        return _shadowed(handlers, caught)

    def _guard_problem(self, handlers: list[cst.ExceptHandler], caught: dict[cst.ExceptHandler, list[Caught]]) -> str | None:
        """Why a class narrower than its openai one (ClientError: 4xx) cannot be caught by
        re-raising the other statuses at the top of its handler: a class beside it in the clause,
        or a handler below it, could have taken what would be re-raised (re-raising skips them)."""
        for index, handler in enumerate(handlers):
            for item in caught[handler]:
                target = item.target
                if target is None or target.statuses is None:
                    continue
                low, high = target.statuses
                what = f"{item.family.shown}'s {item.google} is any answer with status {low}-{high - 1} and no openai class is exactly that"
                beside = [c.node for c in caught[handler] if c is not item]
                if not self._lets_through(beside):
                    return f"not migrated: {what} (openai.{target.name} is any error status): give it a handler of its own, then run genai2openai again"
                if not all(below.type is not None and self._lets_through(_classes(below.type)) for below in handlers[index + 1 :]):
                    return (
                        f"not migrated: {what}; catching openai.{target.name} and re-raising the other statuses would skip the handlers below: "
                        f"catch openai.{target.name} and branch on e.status_code in its handler, doing for the other statuses what the handlers below do"
                    )
        return None

    def _lets_through(self, classes: list[cst.BaseExpression]) -> bool:
        """The classes are builtin exceptions, none of them an openai error's base."""
        for value in classes:
            names = self.analysis.qualified_names(value)
            if len(names) != 1 or not next(iter(names)).startswith("builtins.") or next(iter(names)) in OPENAI_ERROR_BUILTINS:
                return False
        return True

    def _rewrite_handler(self, handler: cst.ExceptHandler, caught: list[Caught], both: bool) -> None:
        """The clause's classes become openai's (beside google's when `both`); a class narrower
        than its openai one gets its other statuses re-raised first thing in the handler."""
        plan = self.plan
        assert handler.type is not None
        plan.imports.add(("openai", None))
        bare = not m.matches(handler.whitespace_after_except, m.SimpleWhitespace(""))
        google = [c for c in caught if c.google is not None]
        # The edit is the handler's: what stays in it is kept, so its imports stay too.
        plan.keep(handler.body)
        for item in caught:
            if item.google is None or both:
                plan.keep(item.node)
        if both:
            self.kept.update(c.node for c in google)
        statuses = next((c.target.statuses for c in google if c.target is not None and c.target.statuses), None)
        named = handler.name is not None and isinstance(handler.name.name, cst.Name)
        guard = None
        if statuses is not None:
            error = handler.name.name.value if named else self.analysis.free_name("error")  # type: ignore[union-attr]
            guard = (error, _guard(error, statuses, both or len(caught) > 1))
        plan.replace(handler, _handler_edit(self._retype(handler.type, both, bare), guard))
        for item in google:
            target = item.target
            if target is not None and target.differs:
                plan.mark(handler, Kind.MANUAL_MIGRATION, f"{item.google} became openai.{target.name}: {target.differs}")
        if named:
            targets = {c.target.name for c in google if c.target is not None}
            status_only = not both and len(google) == len(caught) and all(_is_status_error(t) for t in targets)
            families = list(dict.fromkeys(c.family for c in google))
            for reference in self.analysis.references(handler.name.name):  # type: ignore[union-attr]
                # Python unbinds the name when the handler ends: a read elsewhere is another binding's.
                if handler.body in self.analysis.ancestors(reference):
                    self._plan_error_use(reference, both, status_only, targets, families)

    def _plan_error_use(self, reference: cst.Name, both: bool, status_only: bool, targets: set[str], families: list[Family]) -> None:
        """`e.code` → `e.status_code`; `isinstance(e, exceptions.X)` like the except clause;
        google-only attributes marked."""
        plan = self.plan
        parent = self.analysis.parent(reference)
        name = reference.value
        if isinstance(parent, cst.Attribute) and parent.value is reference:
            attribute = parent.attr.value
            if all(attribute in family.same for family in families):
                return
            if attribute == "code" and status_only:
                plan.replace(parent, lambda updated: updated.with_changes(attr=cst.Name("status_code")))  # type: ignore[attr-defined]
            elif attribute == "code" and both:
                plan.mark(parent, Kind.MANUAL_MIGRATION, f"{name} may be google's error (.code) or openai's (.status_code) here")
            elif attribute == "code":
                shown = ", ".join(f"openai.{t}" for t in sorted(targets) if not _is_status_error(t))
                plan.mark(parent, Kind.MANUAL_MIGRATION, f"{name}.code: {shown or 'this error'} carries no HTTP status (openai's .code is the error's code string)")
            else:
                plan.mark(parent, Kind.MANUAL_MIGRATION, _attribute_advice(families, attribute, name))
            return
        arg = parent
        call = self.analysis.parent(arg) if isinstance(arg, cst.Arg) else None
        if not (isinstance(call, cst.Call) and isinstance(arg, cst.Arg)):
            return
        if self.analysis.function_named(call) is not None:
            self._mark_reads_elsewhere(reference, families)
            return
        if len(call.args) != 2 or call.args[0] is not arg or "builtins.isinstance" not in self.analysis.qualified_names(call.func):
            return
        classes = call.args[1].value
        values = _classes(classes)
        items = [self._classify(v) for v in values]
        if any(i.ambiguous or (i.google is not None and i.target is None) for i in items) or not any(i.google for i in items):
            return
        self.handled.update(i.node for i in items if i.google)
        narrower = next((i for i in items if i.target is not None and i.target.statuses), None)
        if narrower is not None:
            low, high = narrower.target.statuses  # type: ignore[union-attr, misc]
            plan.mark(
                call,
                Kind.MANUAL_MIGRATION,
                f"{narrower.google} is any answer with status {low}-{high - 1}, and no openai class is exactly that: "
                f"test isinstance({name}, openai.APIStatusError) and {low} <= {name}.status_code < {high}",
            )
            return
        for item in items:
            if item.google is None or both:
                plan.keep(item.node)
        if both:
            self.kept.update(i.node for i in items if i.google)
        retype = self._retype(classes, both, bare=True)
        plan.replace(call.args[1], lambda updated: updated.with_changes(value=retype(updated.value)))  # type: ignore[attr-defined]

    def _mark_reads_elsewhere(self, reference: cst.Name, families: list[Family]) -> None:
        """The caught error handed to a function of the module: its google-only reads are marked
        there (other callers may still pass google's errors, so nothing is rewritten)."""
        for use in self.analysis.uses(reference):
            attribute = use.attribute
            if attribute is None or all(attribute in family.same for family in families) or use.node is reference:
                continue
            shown = " or ".join(family.shown for family in families)
            advice = "the HTTP status is .status_code, .code is openai's error code string" if attribute == "code" else f"it is {shown}'s; {ATTRIBUTE_ADVICE}"
            self.plan.mark(use.parent, Kind.MANUAL_MIGRATION, f".{attribute} of an error that may be an openai error now (it is caught around migrated calls): {advice}")  # type: ignore[arg-type]

    def _retype(self, expr: cst.BaseExpression, both: bool, bare: bool) -> NodeEdit:
        """An edit of a class (or tuple of classes) expression: each google class becomes its
        openai class (next to it when `both`), without repeating a class."""
        values = _classes(expr)
        outputs: list[list[str | None]] = []  # per element: None keeps it, a name is openai.<name>
        repeats: list[bool] = []  # its openai class is already caught by an element before it
        seen: set[str] = set()
        for value in values:
            item = self._classify(value)
            if item.google is None:
                outputs.append([None])
                repeats.append(False)
                continue
            assert item.target is not None
            target = item.target.name
            repeats.append(target in seen)
            seen.add(target)
            outputs.append([None, target] if both else [target])

        def edit(updated: cst.CSTNode) -> cst.CSTNode:
            if isinstance(updated, cst.Tuple):
                return _rebuilt_tuple(updated, outputs, repeats, bare)
            assert isinstance(updated, cst.BaseExpression)
            made = [updated if out is None else _openai(out) for out in outputs[0]]
            if len(made) == 1:
                return made[0]
            return _parenthesized_tuple(made)

        return edit

    # ------------------------------------------------------------- what a try reaches
    def _reach(self, body: cst.CSTNode) -> Reach:
        reach = Reach()
        self._scan(body, reach, set())
        return reach

    def _scan(self, body: cst.CSTNode, reach: Reach, seen: set[cst.CSTNode]) -> None:
        for node in _runtime_nodes(body):
            if isinstance(node, cst.Call):
                self._scan_call(node, reach, seen)
            elif isinstance(node, (cst.For, cst.CompFor)):
                self._scan_loop(node.iter, reach)
            elif node in self.kept_sdk:
                reach.genai = True
            elif (isinstance(node, cst.Name) and _is_load_root(node, self.analysis.parent(node))) or isinstance(node, cst.Attribute):
                if any(q.startswith((GOOGLE_EXCEPTIONS, CLIENT_SDK_ERRORS)) for q in self.analysis.qualified_names(node)):
                    reach.google = True  # raises google's errors itself

    def _scan_call(self, call: cst.Call, reach: Reach, seen: set[cst.CSTNode]) -> None:
        if call in self.migrated:
            reach.migrated = True
            return
        function = self.analysis.function_named(call)
        if function is not None:
            if function not in seen:
                seen.add(function)
                self._scan(function.body, reach, seen)
            return
        origins = self._origins(call.func, 0)
        reach.genai = reach.genai or "genai" in origins
        reach.openai = reach.openai or "openai" in origins
        reach.google = reach.google or "google" in origins
        reach.unknown = reach.unknown or not origins

    def _scan_loop(self, iterated: cst.BaseExpression, reach: Reach) -> None:
        """Reading a stream makes requests too: `for chunk in response` where the response is
        a migrated (or a kept genai) call's."""
        sources = self.analysis.sources(iterated) or []
        if any(source in self.migrated for source in sources):
            reach.migrated = reach.stream = True
        elif "genai" in self._origins(iterated, 0):
            reach.genai = True

    def _origins(self, expr: cst.BaseExpression, depth: int) -> set[str]:
        """Which library the object a call is made on comes from: {"genai", "openai", "google",
        "builtins", "local"}, empty when unknown."""
        if depth > 8:
            return set()
        if isinstance(expr, (cst.Name, cst.Attribute)):
            found = {_library(q) for q in self.analysis.qualified_names(expr)} - {""}
            if found & {"genai", "client_sdk"} and self.plan.touched(expr):
                found = found - {"genai", "client_sdk"} | {"local"}  # migrated: its calls are the migrated ones
            if "client_sdk" in found:
                found = found - {"client_sdk"} | {"google"}  # google-genai that stays raises its own errors
            if found:
                return found
        if isinstance(expr, (cst.Attribute, cst.Subscript)):
            return self._origins(expr.value, depth + 1)
        if isinstance(expr, cst.Call):
            return self._origins(expr.func, depth + 1)
        if isinstance(expr, cst.Await):
            return self._origins(expr.expression, depth + 1)
        if isinstance(expr, cst.Name):
            sources = self.analysis.sources(expr) or []
            found = set()
            for source in sources:
                if source is not expr:
                    found |= self._origins(source, depth + 1)
            return found
        return {"local"} if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.List, cst.Dict)) else set()

    # ------------------------------------------------------------- other uses of google's errors
    def _mark_other_references(self, family: Family, imports: list[cst.Import | cst.ImportFrom]) -> None:
        for reference, name in self._google_references(family, imports):
            if reference in self.handled:
                continue
            target = family.targets.get(name or "")
            shown = f"openai.{target.name}" if target else "openai.* errors"
            module = family.module.rsplit(".", 1)[-1]
            message = f"{family.shown}'s {name or module}: the calls genai2openai migrated raise {shown} instead, if this is about them"
            if any(isinstance(a, cst.Raise) for a in self.analysis.ancestors(reference)):
                message += " (an openai error is built from an HTTP response: raise your own exception)"
            self.plan.mark(reference, Kind.MANUAL_MIGRATION, message)

    # ------------------------------------------------------------- google imports
    def _google_imports(self) -> list[cst.Import | cst.ImportFrom]:
        statements = self.analysis.find(m.Import() | m.ImportFrom())
        return [s for s in statements if isinstance(s, (cst.Import, cst.ImportFrom)) and _google_aliases(s)]

    def _google_references(self, family: Family, imports: list[cst.Import | cst.ImportFrom]) -> list[tuple[cst.BaseExpression, str | None]]:
        """Reads of the family's errors: (the outermost expression, the class name)."""
        found: dict[cst.BaseExpression, str | None] = {}
        for statement in imports:
            for assignment in self.analysis.import_assignments(statement):
                for access in assignment.references:
                    node, name = self._outermost(access.node, family)  # type: ignore[arg-type]
                    if node is not None:
                        found[node] = name
        return list(found.items())

    def _outermost(self, node: cst.BaseExpression, family: Family = API_CORE) -> tuple[cst.BaseExpression | None, str | None]:
        while True:
            names = self.analysis.qualified_names(node)
            inside = [n for n in names if n.startswith(family.module + ".")]
            if inside:
                name = inside[0][len(family.module) + 1 :]
                return node, (name if "." not in name else None)
            parent = self.analysis.parent(node)
            if not (isinstance(parent, cst.Attribute) and parent.value is node):
                return (node, None) if family.module in names else (None, None)
            node = parent

    def _remove_unused_imports(self) -> None:
        """Google imports whose every read this plan rewrote go away; untouched ones stay."""
        exported = set(self.analysis.dunder_all()) | self.plan.imported_names
        for statement in self.imports:
            if statement in self.plan.statement_edits or isinstance(statement.names, cst.ImportStar):
                continue
            names = list(statement.names)
            unused = [a for a in names if a in _google_aliases(statement) and self._unused(statement, a, exported)]
            if not unused:
                continue
            kept = [a for a in names if a not in unused]
            if kept:
                trimmed = [*kept[:-1], kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
                self.plan.replace_statement(statement, lambda updated, names=trimmed: [updated.with_changes(names=names)])
            else:
                self.plan.replace_statement(statement, lambda _: cst.RemovalSentinel.REMOVE)

    def _unused(self, statement: cst.Import | cst.ImportFrom, alias: cst.ImportAlias, exported: set[str]) -> bool:
        """Some code read the binding, and the plan rewrote every one of those reads."""
        bound = _bound(statement, alias)
        if bound.split(".")[0] in exported:
            return False
        assignments = [a for a in self.analysis.import_assignments(statement) if a.name == bound or bound.startswith(a.name + ".")]
        reads = [access.node for a in assignments for access in a.references]
        return bool(reads) and all(self._gone(node) for node in reads)

    def _gone(self, node: cst.CSTNode) -> bool:
        outer, _ = self._outermost(node)  # type: ignore[arg-type]
        return self.plan.touched(node) and (outer is None or outer not in self.kept)


# ----------------------------------------------------------------- helpers
def _migrated_sdk_calls(plan: Plan, references: list[cst.BaseExpression]) -> set[cst.CSTNode]:
    """`genai.embed_content(...)` and the like that a transform rewrote."""
    found: set[cst.CSTNode] = set()
    for reference in references:
        call = plan.analysis.parent(reference)
        if isinstance(call, cst.Call) and call.func is reference and plan.touched(call):
            if (plan.analysis.sdk_name(reference) or "") in API_FUNCTIONS:
                found.add(call)
    return found


def _shadowed(handlers: list[cst.ExceptHandler], caught: dict[cst.ExceptHandler, list[Caught]]) -> str | None:
    """A class that, once openai's, an earlier handler of the same try would catch first."""
    earlier: list[Caught] = []  # the classes of the handlers above
    for handler in handlers:
        mine = [c for c in caught[handler] if c.google is not None and c.target is not None]
        for item in mine:
            for above in earlier:
                if _derives(item.target.name, above.target.name, OPENAI_BASES) and not _google_derives(item, above):  # type: ignore[union-attr]
                    return (
                        f"not migrated: with the OpenAI SDK the handler for {item.google} would never run, since openai.{item.target.name} "  # type: ignore[union-attr]
                        f"is caught by the handler for {above.google} above (the OpenAI SDK has one class per HTTP status): "
                        "merge these handlers, then catch openai errors"
                    )
        earlier.extend(mine)
    return None


def _google_derives(item: Caught, above: Caught) -> bool:
    """A handler above for `above` already caught every `item` with the google SDK."""
    return item.family is above.family and _derives(item.google or "", above.google or "", item.family.bases)


def _stream_problem(handlers: list[cst.ExceptHandler], caught: dict[cst.ExceptHandler, list[Caught]]) -> str | None:
    """Reading an OpenAI stream raises APIError (an error event), APITimeoutError or
    APIConnectionError whatever the status: only the broadest classes still match."""
    classes = [c for h in handlers for c in caught[h] if c.google is not None and c.target is not None]
    narrow = [c for c in classes if c.target.name not in {"APIError", "OpenAIError"}]  # type: ignore[union-attr]
    if not narrow:
        return None
    message = (
        f"not migrated: reading an OpenAI stream raises openai.APIError (an error event), APITimeoutError or APIConnectionError "
        f"whatever the HTTP status, so {', '.join(dict.fromkeys(c.google or '' for c in narrow))} has no counterpart here: catch openai.APIError"
    )
    if any(c.family is CLIENT_SDK for c in narrow):
        message += " (the request is sent by create() now, google-genai sent it when the stream was first read)"
    return message


def _derives(name: str, base: str, bases: dict[str, str]) -> bool:
    current: str | None = name
    while current is not None:
        if current == base:
            return True
        current = bases.get(current)
    return False


def _is_status_error(name: str) -> bool:
    return _derives(name, "APIStatusError", OPENAI_BASES)


def _unknown_reach_message(caught: list[Caught]) -> str:
    google = [c for c in caught if c.google is not None]
    shown = ", ".join(c.google or "" for c in google) or "errors"
    library = " and ".join(dict.fromkeys(c.family.shown for c in google)) or "google.api_core"
    targets = ", ".join(dict.fromkeys(_shown_target(c.target) for c in google if c.target is not None)) or "the openai.* errors"
    never = "google's errors" if library == "google.api_core" else f"{library}'s errors"
    return f"catches {shown} from {library}: if this code reaches the calls genai2openai migrated, catch {targets} instead (the OpenAI SDK never raises {never})"


def _shown_target(target: Target) -> str:
    if target.statuses is None:
        return f"openai.{target.name}"
    low, high = target.statuses
    return f"openai.{target.name} with {low} <= e.status_code < {high}"


def _no_counterpart(item: Caught) -> str:
    """Why a try catching a google class with no openai class is left alone."""
    if item.family is API_CORE:
        return (
            f"catches google.api_core's {item.google}, which has no OpenAI counterpart "
            "(the OpenAI SDK never raises google's errors): catch openai.APIStatusError and test e.status_code"
        )
    reason = CLIENT_SDK_UNMAPPED.get(item.google or "", "it is not an HTTP error, and the OpenAI SDK raises only its own errors")
    return f"catches google-genai's {item.google}, which has no OpenAI counterpart: {reason}"


def _attribute_advice(families: list[Family], attribute: str, name: str) -> str:
    """What `name.attribute` was, and what to read on an openai error instead."""
    if families == [CLIENT_SDK] and attribute in CLIENT_SDK_ATTRIBUTES:
        return CLIENT_SDK_ATTRIBUTES[attribute].format(name)
    shown = " or ".join(family.shown for family in families)
    return f"{name}.{attribute} is {shown}'s: {ATTRIBUTE_ADVICE}"


def _guard(error: str, statuses: tuple[int, int], others: bool) -> cst.BaseStatement:
    """`if not 400 <= error.status_code < 500: raise`, first thing in a handler whose openai
    class is broader than the google one (for openai's errors only when it catches `others`)."""
    low, high = statuses
    test = f"not {low} <= {error}.status_code < {high}"
    if others:
        test = f"isinstance({error}, openai.APIStatusError) and {test}"
    return cst.parse_statement(f"if {test}:\n    raise\n")


def _handler_edit(retype: NodeEdit, guard: tuple[str, cst.BaseStatement] | None) -> NodeEdit:
    """The handler with its classes retyped and, with a guard, the name it needs and the guard
    above its body."""

    def edit(updated: cst.CSTNode) -> cst.CSTNode:
        assert isinstance(updated, cst.ExceptHandler) and updated.type is not None
        kind = retype(updated.type)
        if updated.type.lpar and not isinstance(updated.type, cst.Tuple) and isinstance(kind, cst.BaseExpression) and not kind.lpar:
            kind = kind.with_changes(lpar=updated.type.lpar, rpar=updated.type.rpar)  # `except(X):` keeps them
        if guard is None:
            return updated.with_changes(type=kind)
        error, statement = guard
        name = updated.name or cst.AsName(cst.Name(error))
        return updated.with_changes(type=kind, name=name, body=_guarded(updated.body, statement))

    return edit


def _guarded(body: cst.BaseSuite, guard: cst.BaseStatement) -> cst.BaseSuite:
    if isinstance(body, cst.IndentedBlock):
        return body.with_changes(body=[guard, *body.body])
    assert isinstance(body, cst.SimpleStatementSuite)  # `except X: pass` on one line
    line = cst.SimpleStatementLine(body.body, trailing_whitespace=body.trailing_whitespace)
    return cst.IndentedBlock([guard, line])


def _library(qualified: str) -> str:
    if qualified == SDK_MODULE or qualified.startswith(SDK_MODULE + "."):
        return "genai"
    if qualified.startswith(CLIENT_SDK_TYPES):
        return "local"
    if qualified == CLIENT_SDK_MODULE or qualified.startswith(CLIENT_SDK_MODULE + "."):
        return "client_sdk"
    if qualified == "openai" or qualified.startswith("openai."):
        return "openai"
    if qualified.startswith(GOOGLE_BACKED):
        return "google"
    if qualified.startswith("builtins."):
        return "builtins"
    return ""


def _is_load_root(name: cst.Name, parent: cst.CSTNode | None) -> bool:
    """`name` is read as a value, not an attribute's or a keyword's name."""
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return False
    return not (isinstance(parent, cst.Arg) and parent.keyword is name)


def _classes(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The classes an `except` clause or `isinstance` names."""
    return [e.value for e in expr.elements] if isinstance(expr, cst.Tuple) else [expr]


def _runtime_nodes(body: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes of `body` that run with it: not nested definitions, not `except` classes."""
    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        yield node
        for child in children_of(node):
            if isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Import, cst.ImportFrom)):
                continue
            if isinstance(node, cst.ExceptHandler) and child is node.type:
                continue
            stack.append(child)


def _google_aliases(statement: cst.Import | cst.ImportFrom) -> list[cst.ImportAlias]:
    """The aliases of an import that bind google.api_core's exceptions (or a module holding them)."""
    if isinstance(statement.names, cst.ImportStar):
        return []
    if isinstance(statement, cst.Import):
        return [a for a in statement.names if GOOGLE_EXCEPTIONS.startswith(dotted_name(a.name)) and dotted_name(a.name).startswith("google.api_core")]
    if statement.relative or statement.module is None:
        return []
    module = dotted_name(statement.module)
    if module == GOOGLE_EXCEPTIONS:
        return list(statement.names)
    wanted = {"google.api_core": "exceptions", "google": "api_core"}.get(module)
    return [a for a in statement.names if dotted_name(a.name) == wanted]


def _bound(statement: cst.Import | cst.ImportFrom, alias: cst.ImportAlias) -> str:
    """The name an alias binds as the scope analysis records it (`google.api_core.exceptions`
    for a plain dotted import)."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return dotted_name(alias.name)


def _openai(name: str) -> cst.Attribute:
    return cst.Attribute(cst.Name("openai"), cst.Name(name))


def _parenthesized_tuple(values: list[cst.BaseExpression]) -> cst.Tuple:
    elements = [cst.Element(v, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for v in values[:-1]]
    return cst.Tuple([*elements, cst.Element(values[-1])], lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _rebuilt_tuple(updated: cst.Tuple, outputs: list[list[str | None]], repeats: list[bool], bare: bool) -> cst.BaseExpression:
    """The tuple with each element replaced by its outputs, keeping the layout and comments. An
    openai class already in the tuple is left out, its comma (the layout up to what follows)
    going to the element before it, unless a comment sits there."""
    elements: list[cst.Element] = []
    for element, outs, repeat in zip(updated.elements, outputs, repeats):
        assert isinstance(element, cst.Element)
        if repeat and elements and not _has_comment(elements[-1].comma) and not _has_comment(element):
            outs = outs[:-1]
            if not outs:
                elements[-1] = elements[-1].with_changes(comma=element.comma)
                continue
        for index, out in enumerate(outs):
            value = element.value if out is None else _openai(out)
            if index < len(outs) - 1:
                elements.append(cst.Element(value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))))
            else:
                elements.append(element.with_changes(value=value))
    if len(elements) == 1 and not _has_comment(updated):
        value = elements[0].value
        return value if bare else value.with_changes(lpar=updated.lpar, rpar=updated.rpar)
    return updated.with_changes(elements=elements)


def _has_comment(node: cst.CSTNode) -> bool:
    return any(isinstance(child, cst.Comment) for child in descendants(node))


