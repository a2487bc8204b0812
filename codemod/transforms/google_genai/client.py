"""`genai.Client(...)` → `OpenAI(...)` / `AsyncOpenAI(...)`: the key as google-genai read it, the
endpoint, and the `http_options` the OpenAI client has a counterpart for."""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis
from codemod.transforms import build
from codemod.transforms.arguments import call_arguments
from codemod.transforms.client import (
    GENAI_KEY_VARIABLES,
    env_reads,
    never_empty,
    or_chain,
    secure_key,
)
from codemod.transforms.client import base_url as endpoint
from codemod.transforms.google_genai.contents import literal_fields
from codemod.transforms.keys import env_get
from codemod.transforms.plan import Plan, Unsupported
from codemod.walk import descendants

CLIENT = "Client"
# google-genai reads these when given no key (or an empty one), in this order (`get_env_api_key`).
CLIENT_KEY_VARIABLES = ("GOOGLE_API_KEY", "GEMINI_API_KEY")
VERTEX = "a Vertex AI client (vertexai=True, project or location): it needs Vertex's endpoint and Google Cloud credentials, not a Gemini API key; migrate it by hand"
ENVIRONMENT_READS = frozenset({"os.environ.get", "os.getenv"})
KEY_HELPER = "_genai2openai_key"
KEY_HELPER_SOURCE = f'''\
def {KEY_HELPER}(api_key):
    """The key as genai.Client(api_key=...) took it: the one given, else GOOGLE_API_KEY,
    else GEMINI_API_KEY, stripped; the ValueError google-genai raised without any."""
    import os

    environ = os.environ
    key = api_key or environ.get("GOOGLE_API_KEY") or environ.get("GEMINI_API_KEY")
    if not key:
        raise ValueError(
            "No API key was provided. Please pass a valid API key. Learn how to"
            " create an API key at https://aistudio.google.com/docs/api-key."
        )
    return key.strip()
'''
MISSING_KEY = "_genai2openai_missing_key"
MISSING_KEY_SOURCE = f'''\
def {MISSING_KEY}():
    """genai.Client() without a key raised this ValueError where the client was made
    (OpenAI() would read OPENAI_API_KEY instead)."""
    raise ValueError(
        "No API key was provided. Please pass a valid API key. Learn how to"
        " create an API key at https://aistudio.google.com/docs/api-key."
    )
'''
# google-genai makes a Vertex AI client, when not told which, if one of these variables says so.
VERTEX_VARIABLES = frozenset({"GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE"})
VERTEX_SWITCH = (
    "this module names GOOGLE_GENAI_USE_VERTEXAI (or _ENTERPRISE): with it set, genai.Client() is a "
    "Vertex AI client, with another endpoint and Google Cloud credentials; pass vertexai=False if it "
    "is a Gemini API client, then run genai2openai again"
)
VERTEX_OPTIONS = ("vertexai", "project", "location", "credentials")
HTTP_OPTIONS = {"timeout", "headers", "api_version"}


@dataclasses.dataclass(frozen=True)
class ClientFacts:
    """What a `genai.Client(...)` construction sets."""

    construction: cst.Call
    key: cst.BaseExpression | None
    options: tuple[cst.Arg, ...] = ()  # more OpenAI client arguments (timeout, default_headers)
    dropped: tuple[tuple[cst.CSTNode, str], ...] = ()  # options left out, reported once migrated


def read_client(construction: cst.Call, plan: Plan) -> ClientFacts:
    """Read a `genai.Client(...)` call statically, or raise Unsupported."""
    args = call_arguments(construction, ())
    if "vertexai" not in args and _names_vertex_switch(plan.analysis):
        raise Unsupported(VERTEX_SWITCH)
    for key, value in args.items():
        if key in VERTEX_OPTIONS and not m.matches(value, m.Name("None") | m.Name("False")):
            raise Unsupported(VERTEX)
        if key not in ("api_key", "http_options", *VERTEX_OPTIONS):
            raise Unsupported(f"genai.Client({key}=...) is not migrated")
    options, dropped = _http_options(args.get("http_options"), plan)
    return ClientFacts(construction, args.get("api_key"), options, dropped)


def repeatable(facts: ClientFacts, analysis: ModuleAnalysis) -> bool:
    """Can the client's key be read a second time, for a second client, with the same result
    (literals, names, environment reads)?"""
    if facts.key is None:
        return True
    for node in descendants(facts.key):
        if isinstance(node, (cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda)):
            return False
        if isinstance(node, cst.Call) and not analysis.qualified_names(node.func) & ENVIRONMENT_READS:
            return False
    return True


def _names_vertex_switch(analysis: ModuleAnalysis) -> bool:
    return any(isinstance(s, cst.SimpleString) and s.evaluated_value in VERTEX_VARIABLES for s in analysis.find(m.SimpleString()))


def _http_options(value: cst.BaseExpression | None, plan: Plan) -> tuple[tuple[cst.Arg, ...], tuple[tuple[cst.CSTNode, str], ...]]:
    """OpenAI client arguments for `http_options` (timeout in milliseconds → seconds, headers),
    and the options dropped; Unsupported for options the OpenAI client has no counterpart for."""
    if value is None or m.matches(value, m.Name("None")):
        return (), ()
    fields = literal_fields(value, "HttpOptions", plan.analysis, "http_options")
    found: list[cst.Arg] = []
    dropped: list[tuple[cst.CSTNode, str]] = []
    for key, field in fields.items():
        if key not in HTTP_OPTIONS:
            raise Unsupported(f"http_options {key}= has no OpenAI client counterpart genai2openai writes: set it by hand")
        if key == "timeout":
            # google-genai set no timeout for 0 (`if timeout:`); OpenAI's None is none either.
            found.append(build.kwarg("timeout", cst.Name("None") if m.matches(field, m.Integer("0")) else _seconds(field)))
        elif key == "headers":
            found.append(build.kwarg("default_headers", field))
        elif key == "api_version":
            dropped.append((field, "dropped api_version: the OpenAI-compatible endpoint has its own version in base_url"))
    return tuple(found), tuple(dropped)


def _seconds(milliseconds: cst.BaseExpression) -> cst.BaseExpression:
    """google-genai's timeout is in milliseconds, OpenAI's in seconds."""
    if isinstance(milliseconds, cst.Integer):
        return cst.Float(repr(int(milliseconds.value.replace("_", ""), 0) / 1000))
    return cst.BinaryOperation(milliseconds, cst.Divide(), cst.Integer("1000"))


def openai_client(plan: Plan, facts: ClientFacts, depth: int, asynchronous: bool = False) -> cst.Call:
    """`OpenAI(api_key=..., base_url=..., max_retries=0)` (or `AsyncOpenAI`) for the client, its
    key read as google-genai read it; `depth`: how many blocks deep it is made. google-genai
    makes one attempt per request unless told to retry (`retry_args`), the OpenAI SDK three."""
    name = "AsyncOpenAI" if asynchronous else "OpenAI"
    plan.imports.add(("openai", name))
    key = client_key(plan, facts.key, depth)
    arguments = [build.kwarg("api_key", key), build.kwarg("base_url", endpoint(plan)), *facts.options, build.kwarg("max_retries", cst.Integer("0"))]
    return build.exploded_call(build.call(name, arguments))


def client_key(plan: Plan, original: cst.BaseExpression | None, depth: int) -> cst.BaseExpression:
    """The key as google-genai took it (`BaseApiClient.__init__`): the one given, unless empty
    or None, else GOOGLE_API_KEY, else GEMINI_API_KEY (a literal key becomes an environment
    lookup); without any, the ValueError google-genai raised when the client was made (OpenAI()
    would read OPENAI_API_KEY instead). A key read from anything but the environment or a
    literal goes through `_genai2openai_key`, which also strips it as google-genai did."""
    key = secure_key(plan, original)
    if key is not None and original is not None and not _plain_key(original, plan.analysis):
        plan.add_helper(KEY_HELPER, KEY_HELPER_SOURCE)
        return cst.Call(cst.Name(KEY_HELPER), [cst.Arg(key)])
    if key is not None and original is not None and never_empty(plan, original):
        return key
    read = env_reads(plan, key) if key is not None else set()
    chosen = plan.options.api_key_env
    first = [chosen] if key is None and chosen not in GENAI_KEY_VARIABLES else []
    variables = [v for v in dict.fromkeys([*first, *CLIENT_KEY_VARIABLES]) if v not in read]
    plan.add_helper(MISSING_KEY, MISSING_KEY_SOURCE)
    operands = ([key] if key is not None else []) + [env_get(plan, v) for v in variables] + [cst.Call(cst.Name(MISSING_KEY))]
    return or_chain(operands, depth)


def _plain_key(key: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """A key google-genai's strip() leaves as it is in practice: literals, environment reads and
    names bound only to such (an environment variable holding spaces is not worth a rewrite)."""
    if isinstance(key, (cst.SimpleString, cst.ConcatenatedString)) or m.matches(key, m.Name("None")):
        return True
    if isinstance(key, cst.Subscript) or (isinstance(key, cst.Call) and analysis.qualified_names(key.func) & ENVIRONMENT_READS):
        return isinstance(key, cst.Call) or "os.environ" in analysis.qualified_names(key.value)  # type: ignore[attr-defined]
    if isinstance(key, cst.BooleanOperation):
        return _plain_key(key.left, analysis) and _plain_key(key.right, analysis)
    if isinstance(key, cst.Name):
        values = analysis.values_of_name(key)
        return bool(values) and all(v is not key and _plain_key(v, analysis) for v in values or ())
    return False





def bound_name(construction: cst.Call, analysis: ModuleAnalysis) -> cst.Name | None:
    """The name the client is bound to alone on its line: another client can be made below it."""
    assign = analysis.parent(construction)
    line = analysis.parent(assign) if isinstance(assign, cst.Assign) else None
    if not (isinstance(assign, cst.Assign) and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and len(assign.targets) == 1):
        return None
    target = assign.targets[0].target
    if not isinstance(target, cst.Name) or analysis.assignment_of(target) is None:
        return None
    return target
