"""`genai.configure(...)` → an OpenAI client whose key never sits in the source."""

from __future__ import annotations

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import DEFAULT_API_KEY_ENV, Kind, Severity
from codemod.secrets import redact
from codemod.transforms import build
from codemod.transforms.plan import Plan

IGNORED_OPTIONS = {"transport": "the OpenAI SDK always uses HTTPS"}
CLIENT_CANDIDATES = ("client", "openai_client", "genai2openai_client")


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


def client_statement(plan: Plan, key: cst.BaseExpression) -> cst.SimpleStatementLine:
    plan.imports.add(("openai", "OpenAI"))
    create = build.exploded_call(
        build.call("OpenAI", [build.kwarg("api_key", key), build.kwarg("base_url", build.string(plan.options.base_url))])
    )
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(plan.client_name))], create)])


def plan_configure(plan: Plan, call: cst.Call, create_client: bool, keep_configure: bool) -> None:
    """Rewrite one `configure(...)` statement; secure a literal key even when nothing else moves."""
    analysis = plan.analysis
    statement = analysis.statement_of(call)
    if not _is_alone_in_statement(call, statement):
        plan.mark(call, Kind.MANUAL_MIGRATION, "configure() inside an expression: create the OpenAI client by hand")
        return
    key = _secure_key(plan, _keyword(call, "api_key"))
    if not create_client:
        return
    _report_other_options(plan, call)
    new = [client_statement(plan, key if key is not None else default_key(plan))]
    if analysis.enclosing_function(call) is not None:
        new.insert(0, build.statement(f"global {plan.client_name}"))  # type: ignore[arg-type]

    def rewrite(updated: cst.BaseStatement) -> list[cst.BaseStatement]:
        head = [updated] if keep_configure else []
        statements = head + new
        return [statements[0].with_changes(leading_lines=updated.leading_lines), *statements[1:]]  # type: ignore[call-arg]

    plan.replace_statement(statement, rewrite)  # type: ignore[arg-type]


def _is_alone_in_statement(call: cst.Call, statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and statement.body[0].value is call
    )


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    return next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def _secure_key(plan: Plan, key: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """The key expression to keep; literal keys are replaced by an environment lookup and reported."""
    if key is None:
        return None
    if _is_literal(key):
        _replace_literal(plan, key)  # type: ignore[arg-type]
        return build.env_lookup(plan.options.api_key_env)
    if isinstance(key, cst.Name):
        literals = [v for v in plan.analysis.values_of_name(key) or [] if _is_literal(v)]
        for literal in literals:
            _replace_literal(plan, literal)  # type: ignore[arg-type]
    return key


def _is_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str)


def _replace_literal(plan: Plan, literal: cst.SimpleString) -> None:
    value = str(literal.evaluated_value)
    env = plan.options.api_key_env
    plan.secrets.append(value)
    plan.imports.add(("os", None))
    plan.replace(literal, lambda _: build.env_lookup(env))
    plan.report(
        literal,
        Kind.HARDCODED_KEY,
        Severity.ERROR,
        f"hardcoded API key {redact(value)} replaced by os.environ[\"{env}\"]; revoke it and set {env}",
    )


def _report_other_options(plan: Plan, call: cst.Call) -> None:
    for arg in call.args:
        name = arg.keyword.value if arg.keyword is not None else "*"
        if name == "api_key":
            continue
        if name in IGNORED_OPTIONS:
            plan.report(arg, Kind.DROPPED_OPTION, Severity.NOTE, f"dropped {name}: {IGNORED_OPTIONS[name]}")
        else:
            plan.mark(call, Kind.DROPPED_OPTION, f"dropped configure({name}=...): no OpenAI client equivalent")
