"""genai2openai as a LibCST codemod command, for projects that run their migrations with
`python -m libcst.tool codemod`:

    python -m libcst.tool codemod -x codemod.libcst_command.MigrateToOpenAI --no-format src/

(or, with `codemod.libcst_command` listed under `modules:` in `.libcst.codemod.yaml`,
`python -m libcst.tool codemod libcst_command.MigrateToOpenAI src/`). Each file is migrated on
its own, as the command line migrates a single file: LibCST's runner gives a command one module
at a time, so models imported from other modules are not followed (run `genai2openai` over the
repository for that). Findings become the codemod's warnings; keys are never shown in them.
"""

from __future__ import annotations

import argparse

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand

from codemod.ftypes import DEFAULT_API_KEY_ENV, DEFAULT_BASE_URL, Options
from codemod.migrate import migrate_source
from codemod.secrets import redact_text


class MigrateToOpenAI(VisitorBasedCodemodCommand):
    """Migrate google.generativeai and google-genai code to the OpenAI SDK (see genai2openai's README)."""

    DESCRIPTION: str = "Migrate google.generativeai and google-genai code to the OpenAI SDK, keys out of the code."

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="OpenAI-compatible endpoint written into the code.")
        arg_parser.add_argument("--api-key-env", default=DEFAULT_API_KEY_ENV, help="Environment variable the code reads the key from.")
        arg_parser.add_argument("--model-map", action="append", default=[], metavar="OLD=NEW", help="Write model id NEW for OLD (repeatable).")

    def __init__(self, context: CodemodContext, base_url: str = DEFAULT_BASE_URL, api_key_env: str = DEFAULT_API_KEY_ENV, model_map: list[str] | None = None) -> None:
        super().__init__(context)
        pairs = tuple(tuple(part.strip() for part in item.split("=", 1)) for item in model_map or [])
        self.options = Options(base_url=base_url, api_key_env=api_key_env, model_map=pairs)  # type: ignore[arg-type]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        migration = migrate_source(tree.code, self.options, path=self.context.filename or "<string>")
        for finding in migration.findings:
            self.warn(redact_text(f"{finding.line}:{finding.column} {finding.kind.value}: {finding.message}", migration.secrets))
        return tree if migration.source == tree.code else cst.parse_module(migration.source)
