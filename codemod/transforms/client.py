"""`genai.configure(...)` → an OpenAI client whose key never sits in the source.

genai read its key by these rules: the key given, else (when it is missing, `None` or empty)
`GEMINI_API_KEY`, then `GOOGLE_API_KEY`; with no key at all, importing and configuring worked
and the first request raised. `OpenAI(...)` raises when it is made without a key, so the client
gets the same fallbacks and, last, a callable (`_genai2openai_no_key`) that the OpenAI client
calls for its key at the first request (openai >= 1.106), which raises there.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, keyword_argument
from codemod.ftypes import Kind, Severity
from codemod.keyscan import SlotKind, forced_hit, literal_text
from codemod.transforms import build
from codemod.transforms.keys import env_get, take_out
from codemod.transforms.plan import Plan, Unsupported

CLIENT_CANDIDATES = ("client", "openai_client", "genai2openai_client")
ASYNC_CLIENT_CANDIDATES = ("async_client", "openai_async_client", "genai2openai_async_client")
IGNORED_OPTIONS = {"transport": "genai's transport choice has no OpenAI counterpart (the client speaks HTTP to base_url)"}
# Where genai looked for a key when it was given none (or an empty one), in its order.
GENAI_KEY_VARIABLES = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
KEY_VARIABLES = frozenset(GENAI_KEY_VARIABLES)
NO_KEY = "_genai2openai_no_key"
NO_KEY_SOURCE = '''\
def {name}():
    """The OpenAI client's key when none was found: the client calls this at its
    first request, which fails there as genai's did (OpenAI() without one fails)."""
    raise RuntimeError({message})
'''
MAX_KEY_LINE = 88

def choose_client_name(analysis: ModuleAnalysis, candidates: tuple[str, ...] = CLIENT_CANDIDATES) -> str:
    """`client`, unless the module binds or reads that name anywhere (a `*` import may supply it)."""
    taken = {*analysis.bound_names(), *analysis.read_names()}
    return next((name for name in candidates if name not in taken), candidates[-1])


def check_names(plan: Plan) -> None:
    """Raise Unsupported when a name the new code relies on means something else here."""
    if ("os", None) in plan.imports and plan.analysis.binds_otherwise("os", "os"):
        raise Unsupported("this module binds `os` to something other than the os module: move the API key lookup by hand")
    if plan.openai_class == "openai.OpenAI" and plan.analysis.binds_otherwise("openai", "openai"):
        raise Unsupported("this module binds both `OpenAI` and `openai` to other things: create the client by hand")


def openai_class(analysis: ModuleAnalysis) -> str:
    """`OpenAI`, or `openai.OpenAI` when the module already binds `OpenAI` (LangChain's, say)."""
    return "openai.OpenAI" if analysis.binds_otherwise("OpenAI", "openai.OpenAI") else "OpenAI"


def default_key(plan: Plan, depth: int = 0) -> cst.BaseExpression:
    """The key of a client made when genai was given none: the environment, as genai read it
    (the user's chosen variable first; `client_key` adds genai's own and the late failure).
    `depth`: how many blocks deep the client is made."""
    return client_key(plan, env_get(plan, plan.options.api_key_env), depth=depth)


def client_key(plan: Plan, key: cst.BaseExpression, original: cst.BaseExpression | None = None, depth: int = 0) -> cst.BaseExpression:
    """`key` (as the migrated code spells it) with genai's fallbacks: unless `original` (the
    expression as the source spells it) can never be empty or None, `key or
    os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY") or _genai2openai_no_key`
    (variables `key` itself reads are not read twice)."""
    if original is not None and never_empty(plan, original):
        return key
    read = env_reads(plan, key)
    fallbacks: list[cst.BaseExpression] = [env_get(plan, variable) for variable in GENAI_KEY_VARIABLES if variable not in read]
    variables = dict.fromkeys([plan.options.api_key_env, *GENAI_KEY_VARIABLES])
    plan.add_helper(NO_KEY, no_key_source(list(variables)))
    return or_chain([_operand(key), *fallbacks, cst.Name(NO_KEY)], depth)


def no_key_source(variables: list[str]) -> str:
    """The source of `_genai2openai_no_key` naming `variables`, laid out as black would: the
    message goes on a line of its own when the `raise` would pass 88 columns."""
    message = '"No API key found: set ' + " or ".join(variables) + '"'
    if len(f"    raise RuntimeError({message})") > MAX_KEY_LINE:
        message = f"\n        {message}\n    "
    return NO_KEY_SOURCE.format(name=NO_KEY, message=message)


def never_empty(plan: Plan, value: cst.BaseExpression, depth: int = 0) -> bool:
    """Is `value` (a source expression) never empty nor None when evaluated? A non-empty literal
    left as it is, `os.environ["X"]` (it raises instead), names and branches holding only those.
    A value the plan rewrites may be (a literal key becomes an environment lookup)."""
    analysis = plan.analysis
    if depth > MAX_DEPTH or any(node is value or value in analysis.ancestors(node) for node in plan.node_edits):
        return False
    text = literal_text(value)
    if text is not None:
        return bool(text)
    if isinstance(value, cst.Subscript):
        return "os.environ" in analysis.qualified_names(value.value)
    if isinstance(value, cst.IfExp):
        return never_empty(plan, value.body, depth + 1) and never_empty(plan, value.orelse, depth + 1)
    if m.matches(value, m.BooleanOperation(operator=m.Or())):
        return never_empty(plan, value.left, depth + 1) or never_empty(plan, value.right, depth + 1)  # type: ignore[attr-defined]
    if isinstance(value, cst.Name):
        values = analysis.values_of_name(value)
        return bool(values) and all(never_empty(plan, v, depth + 1) for v in values or ())
    return False


MAX_DEPTH = 8
# `os.environ.get("X")` / `os.getenv("X")` without a default: empty exactly when the variable is
# (the module's `os` is the os module: `check_names` refuses the file otherwise).
_ENV_GET = m.Call(
    func=m.Attribute(value=m.Attribute(value=m.Name("os"), attr=m.Name("environ")), attr=m.Name("get"))
    | m.Attribute(value=m.Name("os"), attr=m.Name("getenv")),
    args=[m.Arg(value=m.SimpleString(), keyword=None)],
)


def env_reads(plan: Plan, key: cst.BaseExpression) -> set[str]:
    """The variables the operands of `key`'s `or` chain read: when `key` comes out empty, they
    are unset or empty, and reading them again changes nothing. A name counts when every value
    it may hold is such a read (as the migrated code spells it)."""
    read = set()
    for operand in _or_operands(key):
        candidates = [operand]
        if isinstance(operand, cst.Name):
            candidates = [plan.with_edits(v) for v in plan.analysis.values_of_name(operand) or [operand]]  # type: ignore[misc]
        variables = {_read_variable(candidate) for candidate in candidates}
        if len(variables) == 1 and None not in variables:
            read |= variables  # type: ignore[arg-type]
    return read


def _read_variable(node: cst.BaseExpression) -> str | None:
    if not m.matches(node, _ENV_GET):
        return None
    value = node.args[0].value  # type: ignore[attr-defined]
    return value.evaluated_value if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str) else None


def _or_operands(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or) and not node.lpar:
        return [*_or_operands(node.left), *_or_operands(node.right)]
    return [node]


def _operand(key: cst.BaseExpression) -> cst.BaseExpression:
    """`key` as the left operand of `or`: a conditional expression or a lambda in parentheses."""
    if isinstance(key, (cst.IfExp, cst.Lambda, cst.NamedExpr)) and not key.lpar:
        return key.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return key


def or_chain(operands: list[cst.BaseExpression], depth: int) -> cst.BaseExpression:
    """`a or b or c`, broken before each `or` (black's style) when `api_key=...,` would not fit
    on its line, `depth` blocks deep."""
    chain = operands[0]
    for operand in operands[1:]:
        chain = cst.BooleanOperation(chain, cst.Or(), operand)
    if len(build.INDENT * (depth + 1) + "api_key=" + build.code(chain) + ",") <= MAX_KEY_LINE:
        return chain
    broken = cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), indent=True, last_line=cst.SimpleWhitespace(build.INDENT))
    chain = operands[0]
    for operand in operands[1:]:
        chain = cst.BooleanOperation(chain, cst.Or(whitespace_before=broken), operand)
    return chain


def client_assignments(plan: Plan, key: cst.BaseExpression) -> list[cst.Assign]:
    """`client = OpenAI(...)` and/or `async_client = AsyncOpenAI(...)`, as the calls need them.

    With both, the async client takes the sync one's key, so the key expression runs once (an
    empty `client.api_key` means the sync client was made with `_genai2openai_no_key`).
    """
    sync = plan.needs_sync_client or not plan.needs_async_client
    made = []
    if sync:
        made.append(_client(plan, plan.client_name, "OpenAI", key))
    if plan.needs_async_client:
        async_key = cst.parse_expression(f"{plan.client_name}.api_key") if sync else key
        if sync and m.matches(key, m.BooleanOperation(right=m.Name(NO_KEY))):
            async_key = cst.BooleanOperation(async_key, cst.Or(), cst.Name(NO_KEY))
        made.append(_client(plan, plan.async_client_name, "AsyncOpenAI", async_key))
    return made


def base_url(plan: Plan) -> cst.BaseExpression:
    """The endpoint: the URL, or `os.environ.get(NAME, URL)` with `--base-url-env NAME`."""
    url = build.string(plan.options.base_url)
    if plan.options.base_url_env is None:
        return url
    plan.imports.add(("os", None))
    return build.method_call(cst.Name("os"), "environ.get", [cst.Arg(build.string(plan.options.base_url_env)), cst.Arg(url)])


def _client(plan: Plan, name: str, cls: str, key: cst.BaseExpression) -> cst.Assign:
    qualified = plan.openai_class.replace("OpenAI", cls)
    plan.imports.add(("openai", None) if "." in qualified else ("openai", cls))
    arguments = [build.kwarg("api_key", key), build.kwarg("base_url", base_url(plan))]
    return cst.Assign([cst.AssignTarget(cst.Name(name))], build.exploded_call(build.call(qualified, arguments)))


def client_statements(plan: Plan, key: cst.BaseExpression) -> list[cst.SimpleStatementLine]:
    lines = [cst.SimpleStatementLine([assign]) for assign in client_assignments(plan, key)]
    return [lines[0].with_changes(leading_lines=[cst.EmptyLine()]), *lines[1:]]


ENVIRONMENT_NAMES = frozenset({"environ", "load_dotenv", "setdefault", "putenv", "userdata"})


def client_anchor(plan: Plan) -> cst.CSTNode | None:
    """Where a client made from the environment can go: after the imports, and after any
    top-level statement that sets up the environment (`load_dotenv()`, `os.environ[...] = ...`)
    before the first top-level statement that calls the API. genai read the key lazily, at the
    first call; the OpenAI client reads it when it is made."""
    analysis = plan.analysis
    body = list(analysis.module.body)
    first_call = min((analysis.statement_index(site) for site in plan.call_sites), default=len(body))
    anchor = analysis.leading_imports_end()
    for node in analysis.loads_named(ENVIRONMENT_NAMES):
        index = analysis.statement_index(node)
        if anchor <= index < first_call:
            anchor = index + 1
    return body[anchor - 1] if anchor > 0 else None


def check_configure(plan: Plan, call: cst.Call) -> None:
    """Raise Unsupported when a configure() call cannot become a client statement."""
    if not isinstance(plan.analysis.parent(call), cst.Expr):
        raise Unsupported("configure() used inside an expression: create the OpenAI client by hand")
    if any(arg.star for arg in call.args):
        raise Unsupported("configure(**options) cannot be read statically: create the OpenAI client by hand")
    if plan.analysis.enclosing_function(call) is None and not plan.analysis.is_module_level(call):
        raise Unsupported("configure() in a class body: create the OpenAI client at module level by hand")


def plan_configure(plan: Plan, call: cst.Call, create_client: bool, keep_configure: bool) -> None:
    """Rewrite one `configure(...)` statement; secure a literal key even when nothing else moves."""
    analysis = plan.analysis
    original = _key_argument(call)
    key = secure_key(plan, original)
    if not create_client:
        return
    _report_other_options(plan, call)
    statement = analysis.parent(call)
    assert isinstance(statement, cst.Expr)
    plan.client_sites.append(statement)
    function = analysis.enclosing_function(call)
    plan.exported_client = plan.client_name
    plan.client_in_function = plan.client_in_function or function is not None
    depth = sum(isinstance(a, cst.IndentedBlock) for a in analysis.ancestors(statement))
    bound: list[cst.BaseSmallStatement] = []
    if keep_configure and key is not None and original is not None and analysis.has_side_effects(original):
        # `configure(api_key=next(keys))` stays: the client must get the same key, not the next one.
        name = analysis.free_name("gemini_api_key")
        bound = [cst.Assign([cst.AssignTarget(cst.Name(name))], key)]
        plan.replace(original, lambda _: cst.Name(name))
        key = cst.Name(name)
    key = default_key(plan, depth) if key is None else client_key(plan, key, original, depth)
    new: list[cst.BaseSmallStatement] = list(client_assignments(plan, key))
    if function is not None:
        _declare_global(plan, function)
    plan.replace_statement(statement, lambda updated: [*bound, *([updated] if keep_configure else []), *new])  # type: ignore[arg-type, operator]
    plan.split_lines.add(analysis.parent(statement))  # type: ignore[arg-type]


def _declare_global(plan: Plan, function: cst.FunctionDef) -> None:
    """`global client` at the top of the function: it must come before any use of the name."""
    names = plan.function_globals.setdefault(function, set())
    if plan.needs_sync_client or not plan.needs_async_client:
        names.add(plan.client_name)
    if plan.needs_async_client:
        names.add(plan.async_client_name)


def _key_argument(call: cst.Call) -> cst.BaseExpression | None:
    key = keyword_argument(call, "api_key")
    if key is not None:
        return key
    options = keyword_argument(call, "client_options")
    if isinstance(options, cst.Dict):
        for element in options.elements:
            if isinstance(element, cst.DictElement) and literal_text(element.key) == "api_key":
                return element.value
    return None


def secure_key(plan: Plan, key: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """The key expression the client gets; literal keys become an environment lookup and are reported.

    None means "no key": genai then read GEMINI_API_KEY / GOOGLE_API_KEY (an empty key too).
    Whatever a literal passed to configure() looks like, it is the Gemini key: it is taken out,
    wherever it sits in the expression (itself, an env-lookup default, an `or` fallback, a branch
    of `... if ... else ...`, a constant the name holds).
    """
    if key is None or literal_text(key) == "" or m.matches(key, m.Name("None")):
        return None
    if plan.analysis.binds_otherwise("os", "os"):
        return key
    if isinstance(key, cst.Name):
        for value in plan.analysis.values_of_name(key) or []:
            _take_out_literals(plan, value)  # `API_KEY = "AIza..."` elsewhere: fixed where it is written
        return key
    _take_out_literals(plan, key)
    return plan.with_edits(key)  # type: ignore[return-value]


def _take_out_literals(plan: Plan, value: cst.BaseExpression) -> None:
    """Plan the rewrite of every non-empty literal key position inside `value`."""
    for literal, slot in plan.key_scan.slots.items():
        if literal in plan.secured or not literal_text(literal) or slot.holder is None:
            continue
        if literal is value or value in plan.analysis.ancestors(literal):
            hit = plan.key_scan.hit_for(literal) or forced_hit(plan.analysis, literal, slot)
            take_out(plan, hit, slot.variable if slot.kind is SlotKind.ENV_DEFAULT and slot.variable else plan.options.api_key_env)


def secure_environ_writes(plan: Plan) -> None:
    """`os.environ["GOOGLE_API_KEY"] = "..."` (or `.setdefault(...)`) is removed whatever the value
    looks like: the variable genai read its key from must come from outside the program."""
    for literal, slot in plan.key_scan.slots.items():
        if slot.kind is not SlotKind.ENV_WRITE or slot.variable not in KEY_VARIABLES | {plan.options.api_key_env}:
            continue
        if literal in plan.secured or not literal_text(literal) or slot.holder is None:
            continue
        take_out(plan, plan.key_scan.hit_for(literal) or forced_hit(plan.analysis, literal, slot), slot.variable)


def _report_other_options(plan: Plan, call: cst.Call) -> None:
    for arg in call.args:
        name = arg.keyword.value if arg.keyword is not None else "?"
        if name == "api_key":
            continue
        if name in IGNORED_OPTIONS:
            plan.report(arg, Kind.DROPPED_OPTION, Severity.NOTE, f"dropped {name}: {IGNORED_OPTIONS[name]}")
        else:
            plan.mark(call, Kind.DROPPED_OPTION, f"dropped configure({name}=...): no OpenAI client equivalent")
