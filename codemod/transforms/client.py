"""`genai.configure(...)` → an OpenAI client whose key never sits in the source."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import DEFAULT_API_KEY_ENV, Kind, Severity
from codemod.secrets import looks_like_google_key, redact
from codemod.transforms import build
from codemod.transforms.plan import Plan, Unsupported

CLIENT_CANDIDATES = ("client", "openai_client", "genai2openai_client")
IGNORED_OPTIONS = {"transport": "genai's transport choice has no OpenAI counterpart (the client speaks HTTP to base_url)"}
KEY_VARIABLES = frozenset({"GEMINI_API_KEY", "GOOGLE_API_KEY"})
_ENV_READ = m.Call(
    func=m.Attribute(value=m.Name("os"), attr=m.Name("getenv"))
    | m.Attribute(value=m.Attribute(value=m.Name("os"), attr=m.Name("environ")), attr=m.Name("get"))
)


def choose_client_name(analysis: ModuleAnalysis) -> str:
    """`client`, unless the module already binds that name somewhere."""
    taken = analysis.bound_names()
    return next((name for name in CLIENT_CANDIDATES if name not in taken), CLIENT_CANDIDATES[-1])


def default_key(plan: Plan) -> cst.BaseExpression:
    """Where genai looked for a key when none was configured (or the user's chosen variable)."""
    plan.imports.add(("os", None))
    if plan.options.api_key_env == DEFAULT_API_KEY_ENV:
        return cst.parse_expression('os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY")')
    return build.env_lookup(plan.options.api_key_env)


def client_assignment(plan: Plan, key: cst.BaseExpression) -> cst.Assign:
    plan.imports.add(("openai", "OpenAI"))
    create = build.exploded_call(
        build.call("OpenAI", [build.kwarg("api_key", key), build.kwarg("base_url", build.string(plan.options.base_url))])
    )
    return cst.Assign([cst.AssignTarget(cst.Name(plan.client_name))], create)


def client_statement(plan: Plan, key: cst.BaseExpression) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([client_assignment(plan, key)], leading_lines=[cst.EmptyLine()])


ENVIRONMENT_NAMES = frozenset({"environ", "load_dotenv", "setdefault", "putenv", "userdata"})


def client_anchor(plan: Plan) -> cst.CSTNode | None:
    """Where a client made from the environment can go: after the imports, and after any
    top-level statement that sets up the environment (`load_dotenv()`, `os.environ[...] = ...`)
    before the first top-level statement that calls the API. genai read the key lazily, at the
    first call; the OpenAI client reads it when it is made."""
    analysis = plan.analysis
    body = list(analysis.module.body)
    first_call = min((body.index(analysis.top_level_statement(site)) for site in plan.call_sites), default=len(body))
    anchor = analysis.leading_imports_end()
    for node in analysis.loads_named(ENVIRONMENT_NAMES):
        index = body.index(analysis.top_level_statement(node))
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
    key = secure_key(plan, _key_argument(call))
    if not create_client:
        return
    _report_other_options(plan, call)
    statement = analysis.parent(call)
    assert isinstance(statement, cst.Expr)
    plan.client_sites.append(statement)
    if analysis.is_module_level(call):
        plan.exported_client = plan.client_name
    new: list[cst.BaseSmallStatement] = [client_assignment(plan, key if key is not None else default_key(plan))]
    function = analysis.enclosing_function(call)
    if function is not None:
        _declare_global(plan, function)
    plan.replace_statement(statement, lambda updated: ([updated] if keep_configure else []) + new)  # type: ignore[arg-type, operator]
    plan.split_lines.add(analysis.parent(statement))  # type: ignore[arg-type]


def _declare_global(plan: Plan, function: cst.FunctionDef) -> None:
    """`global client` at the top of the function: it must come before any use of the name."""
    plan.function_globals.setdefault(function, set()).add(plan.client_name)


def _key_argument(call: cst.Call) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "api_key":
            return arg.value
    options = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "client_options"), None)
    if isinstance(options, cst.Dict):
        for element in options.elements:
            if isinstance(element, cst.DictElement) and _literal_text(element.key) == "api_key":
                return element.value
    return None


def secure_key(plan: Plan, key: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """The key expression the client gets; literal keys become an environment lookup and are reported.

    None means "no key": genai then read GEMINI_API_KEY / GOOGLE_API_KEY (an empty key too).
    """
    if key is None or _literal_text(key) == "" or m.matches(key, m.Name("None")):
        return None
    if _literal_text(key) is not None:
        return _replace_literal(plan, key, plan.options.api_key_env)
    if m.matches(key, _ENV_READ) and len(key.args) == 2 and _literal_text(key.args[1].value):  # type: ignore[attr-defined]
        variable = _literal_text(key.args[0].value)  # type: ignore[attr-defined]
        return _replace_literal(plan, key, variable or plan.options.api_key_env, shown=key.args[1].value)  # type: ignore[attr-defined]
    if isinstance(key, cst.BooleanOperation) and isinstance(key.operator, cst.Or) and _literal_text(key.right):
        _report_key(plan, key.right, plan.options.api_key_env)
        plan.replace(key, lambda updated: updated.left)  # type: ignore[attr-defined]
        return key.left
    if isinstance(key, cst.Name):
        for literal in plan.analysis.values_of_name(key) or []:
            if _literal_text(literal):
                _replace_literal(plan, literal, plan.options.api_key_env)
    return key


def secure_environ_assignments(plan: Plan) -> None:
    """`os.environ["GOOGLE_API_KEY"] = "AIza..."` is removed: the variable must come from outside."""
    for statement in plan.analysis.environ_assignments():
        assign = statement.body[0]
        assert isinstance(assign, cst.Assign)
        variable = _literal_text(assign.targets[0].target.slice[0].slice.value)  # type: ignore[attr-defined]
        value = _literal_text(assign.value)
        if variable is None or value is None:
            continue
        if variable in KEY_VARIABLES | {plan.options.api_key_env} or looks_like_google_key(value):
            plan.secrets.append(value)
            plan.report(assign.value, Kind.HARDCODED_KEY, Severity.ERROR, f"hardcoded API key {redact(value)} removed: set {variable} in the environment instead, and revoke the key")
            plan.replace_statement(statement, lambda _: cst.RemovalSentinel.REMOVE)


def _literal_text(node: cst.CSTNode | None) -> str | None:
    """The value of a string literal without interpolation (concatenations included), else None."""
    if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
        return node.evaluated_value
    if isinstance(node, cst.ConcatenatedString):
        left, right = _literal_text(node.left), _literal_text(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, cst.FormattedString) and all(isinstance(p, cst.FormattedStringText) for p in node.parts):
        return "".join(p.value for p in node.parts)  # type: ignore[union-attr]
    return None


def _replace_literal(plan: Plan, node: cst.BaseExpression, variable: str, shown: cst.BaseExpression | None = None) -> cst.BaseExpression:
    plan.imports.add(("os", None))
    _report_key(plan, shown or node, variable)
    plan.replace(node, lambda _: build.env_lookup(variable))
    return build.env_lookup(variable)


def _report_key(plan: Plan, literal: cst.BaseExpression, variable: str) -> None:
    value = _literal_text(literal) or ""
    plan.secrets.append(value)
    advice = "revoke it and set" if looks_like_google_key(value) else "set"
    plan.report(
        literal,
        Kind.HARDCODED_KEY,
        Severity.ERROR,
        f"hardcoded API key {redact(value)} replaced by os.environ[\"{variable}\"]; {advice} {variable}",
    )


def _report_other_options(plan: Plan, call: cst.Call) -> None:
    for arg in call.args:
        name = arg.keyword.value if arg.keyword is not None else "?"
        if name == "api_key":
            continue
        if name in IGNORED_OPTIONS:
            plan.report(arg, Kind.DROPPED_OPTION, Severity.NOTE, f"dropped {name}: {IGNORED_OPTIONS[name]}")
        else:
            plan.mark(call, Kind.DROPPED_OPTION, f"dropped configure({name}=...): no OpenAI client equivalent")
