"""The transforms: each plans edits for one part of the SDK; `plan_module` runs them in order."""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, keyword_argument
from codemod.ftypes import Kind, Options, RepoIndex, Severity
from codemod.keyscan import PythonScan
from codemod.transforms.client import (
    ASYNC_CLIENT_CANDIDATES,
    check_configure,
    check_names,
    choose_client_name,
    client_anchor,
    client_statements,
    default_key,
    openai_class,
    plan_configure,
    secure_environ_writes,
)
from codemod.transforms.client import (
    base_url as endpoint,
)
from codemod.transforms.crossmodule import follow_imported, share_configured_client
from codemod.transforms.embeddings import plan_embeddings
from codemod.transforms.errors import plan_errors
from codemod.transforms.files import plan_files
from codemod.transforms.generate import MODEL_CLASS, ModelMigration
from codemod.transforms.google_genai import plan_google_genai
from codemod.transforms.imports import plan_imports, plan_proto_imports
from codemod.transforms.keys import plan_keys
from codemod.transforms.leftovers import mark_leftovers
from codemod.transforms.models_api import plan_models_api, report_retired_openai
from codemod.transforms.plan import Plan, Unsupported
from codemod.transforms.sdk_types import plan_sdk_types
from codemod.transforms.settings import remove_consumed_settings
from codemod.transforms.shadowing import rename_shadowing_loops

__all__ = ["Plan", "plan_module"]


def plan_module(analysis: ModuleAnalysis, options: Options, path: str, index: RepoIndex, scan: PythonScan) -> Plan:
    """Decide every edit of one module: models and calls, leftovers, the client, imports, keys."""
    plan = Plan(
        key_scan=scan,
        analysis=analysis,
        options=options,
        path=path,
        client_name=choose_client_name(analysis),
        async_client_name=choose_client_name(analysis, ASYNC_CLIENT_CANDIDATES),
        openai_class=openai_class(analysis),
    )
    plan.kept_exports = dict(index.kept.get(path, {}))
    plan.importers_known = index.modules is not None
    plan.has_importers = bool(index.imported_by.get(path))
    analysis.has_importers = plan.has_importers
    plan.imported_names = index.imported_names.get(path, frozenset())
    if index.exports or index.kept:
        follow_imported(plan, index)
    if analysis.client_sdk_imports:
        plan_google_genai(plan)
    if not analysis.sdk_imports:
        if plan.call_sites:
            plan_errors(plan)
        if plan.migrated_calls:
            _give_client(plan, index)
        if plan.migrated_calls or plan.client_sites or plan.call_sites:
            plan_imports(plan)
            try:
                check_names(plan)
            except Unsupported as error:
                return _finish(_refused(plan, str(error)))
        return _finish(plan)
    references = analysis.sdk_references()
    called = _called(analysis, references)
    configures = [call for ref, call in called.items() if analysis.sdk_name(ref) == "configure"]
    if _unreadable_configure(plan, configures) or _star_import(plan):
        return _finish(plan)
    ModelMigration(plan).run([call for ref, call in called.items() if analysis.sdk_name(ref) == MODEL_CLASS])
    if not plan_files(plan):  # a call kept on genai sends an uploaded file: it stays uploaded, plan again
        return plan_module(analysis, options, path, index, scan)
    sdk_calls = list(called.values())
    plan_embeddings(plan, sdk_calls)
    plan_models_api(plan, sdk_calls)
    remove_consumed_settings(plan)
    plan_errors(plan)
    plan_sdk_types(plan, references)
    rename_shadowing_loops(plan)
    keeps_sdk = mark_leftovers(plan, references, skip=[c.func for c in configures])
    if analysis.sdk_aliases & plan.imported_names:
        keeps_sdk = True  # another module uses genai through this one (`from config import genai`)
        _report_reexported_sdk(plan)
    create_client = plan.migrated_calls > 0 or not keeps_sdk or (plan.has_importers and bool(plan.exports))  # importers call its models
    if create_client and not plan.migrated_calls and _made_client(plan):
        create_client = False  # a kept configure() already has its client beside it (a second run)
    # genai's configuration is global (the last configure() made applies): code that stays on
    # genai relies on every configure() of its program, its own module's or not.
    plan.leans_on_configure = keeps_sdk
    needed = index.configure_needed.get(path, ())
    plan.dropped_configure = bool(configures) and not keeps_sdk and not needed
    for configure in configures:
        # Another module of the program still uses genai without configuring it: this configure() stays.
        plan_configure(plan, configure, create_client=create_client, keep_configure=keeps_sdk or bool(needed))
        if needed and not keeps_sdk:
            plan.keep(configure)
            others = ", ".join(needed[:3]) + (" ..." if len(needed) > 3 else "")
            plan.report(configure, Kind.CROSS_MODULE, Severity.NOTE, f"genai.configure() stays: {others} still use genai, whose configuration is global (the last configure() made applies)")
    if plan.migrated_calls and not configures:
        _give_client(plan, index)
    secure_environ_writes(plan)
    plan_imports(plan, kept_references=[c.func for c in configures] if keeps_sdk else [])
    plan_proto_imports(plan)
    try:
        check_names(plan)
    except Unsupported as error:
        plan = Plan(analysis=analysis, options=options, path=path, key_scan=scan)
        plan.mark(analysis.sdk_imports[0], Kind.MANUAL_MIGRATION, f"{error}; nothing in this file was migrated")
    return _finish(plan)


def _made_client(plan: Plan) -> bool:
    """Does the module already make an OpenAI client for this run's endpoint at its top level?"""
    wanted = m.Call(func=m.Name("OpenAI") | m.Attribute(m.Name("openai"), m.Name("OpenAI")))
    for statement in plan.analysis.module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if m.matches(small, m.Assign(value=wanted)):
                written = keyword_argument(small.value, "base_url")  # type: ignore[attr-defined]
                if written is not None and written.deep_equals(endpoint(plan)):
                    return True
    return False


def _report_reexported_sdk(plan: Plan) -> None:
    names = ", ".join(f"`{n}`" for n in sorted(plan.analysis.sdk_aliases & plan.imported_names))
    plan.report(
        plan.analysis.sdk_imports[0],
        Kind.CROSS_MODULE,
        Severity.NOTE,
        f"{names} stays imported, and genai configured: other modules import it from here and use genai through it",
    )


def _refused(plan: Plan, reason: str) -> Plan:
    """A module that cannot take the calls of models it imports: none of them change."""
    fresh = Plan(analysis=plan.analysis, options=plan.options, path=plan.path, key_scan=plan.key_scan)
    fresh.followed = [dataclasses.replace(f, reason=f.reason or reason) for f in plan.followed]
    return fresh


def _give_client(plan: Plan, index: RepoIndex) -> None:
    """A module that calls the API without configuring genai: the client of the module that
    configured it, when this one imports it, else one made from the environment."""
    if not share_configured_client(plan, index):
        shared_sync = "." in plan.client_name  # `llm.client` serves the sync calls; the async one is made here
        needs_sync, plan.needs_sync_client = plan.needs_sync_client, plan.needs_sync_client and not shared_sync
        plan.prelude.extend(client_statements(plan, default_key(plan)))
        plan.needs_sync_client = needs_sync
        plan.default_client = True
    plan.prelude_after = client_anchor(plan)


def _finish(plan: Plan) -> Plan:
    """What every module gets, whatever else was migrated: retired model ids already sent
    through the OpenAI SDK are reported, keys are taken out."""
    report_retired_openai(plan)
    plan_keys(plan)
    return plan


def _called(analysis: ModuleAnalysis, references: list[cst.BaseExpression]) -> dict[cst.BaseExpression, cst.Call]:
    calls = {ref: analysis.parent(ref) for ref in references}
    return {ref: call for ref, call in calls.items() if isinstance(call, cst.Call) and call.func is ref}


def _star_import(plan: Plan) -> bool:
    """`from google.generativeai import *` hides which names are the SDK's: nothing can be proven."""
    stars = [s for s in plan.analysis.sdk_imports if isinstance(s, cst.ImportFrom) and isinstance(s.names, cst.ImportStar)]
    for star in stars:
        plan.mark(star, Kind.MANUAL_MIGRATION, "a * import hides which names come from google.generativeai: import them by name, then run genai2openai again")
    return bool(stars)


def _unreadable_configure(plan: Plan, configures: list[cst.Call]) -> bool:
    """A configure() that cannot become a client blocks the whole module: its key is unknown."""
    blocked = False
    for configure in configures:
        try:
            check_configure(plan, configure)
        except Unsupported as error:
            plan.mark(configure, Kind.MANUAL_MIGRATION, f"{error}; nothing else in this file was migrated")
            blocked = True
    return blocked
