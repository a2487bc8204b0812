"""The `genai2openai` command: discover files, run the migration, render and (optionally) write.

Exit codes: 0 done; 1 `--check` found changes or error-severity findings; 2 bad usage or files
that could not be processed.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from codemod import __version__
from codemod.discovery import DiscoveryError, discover
from codemod.ftypes import DEFAULT_API_KEY_ENV, DEFAULT_BASE_URL, FileResult, Options, Severity
from codemod.report import FORMATS, errors_text, findings_text, summary, unified_diff
from codemod.runner import run, write_all

EXIT_OK, EXIT_CHECK_FAILED, EXIT_ERROR = 0, 1, 2
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MODEL_ID = re.compile(r"[^\s=]+")


def _validate_env_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not _ENV_NAME.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not an environment variable name")
    return value


def _validate_model_map(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`OLD=NEW` pairs: exactly one `=`, two model ids without spaces, each OLD given once
    (`models/x` and `x` are the same id)."""
    pairs: dict[str, tuple[str, str]] = {}
    for item in value:
        old, sep, new = (part.strip() for part in item.partition("="))
        if not sep or not _MODEL_ID.fullmatch(old) or not _MODEL_ID.fullmatch(new):
            raise click.BadParameter(f"{item!r} is not OLD=NEW (two non-empty model ids)")
        key = old[len("models/") :] if old.startswith("models/") else old
        if key in pairs and pairs[key][1] != new:
            raise click.BadParameter(f"{old!r} is mapped twice ({pairs[key][1]!r} and {new!r})")
        pairs[key] = (old, new)
    return tuple(pairs.values())


def _validate_base_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not re.fullmatch(r"https?://\S+", value):
        raise click.BadParameter(f"{value!r} is not an http(s) URL")
    return value


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--write", is_flag=True, help="Rewrite changed files in place.")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if a file would change or has an error finding.",
)
@click.option(
    "--base-url",
    default=DEFAULT_BASE_URL,
    show_default=True,
    metavar="URL",
    callback=_validate_base_url,
    help="OpenAI-compatible endpoint written into the migrated code.",
)
@click.option(
    "--api-key-env",
    default=DEFAULT_API_KEY_ENV,
    show_default=True,
    metavar="NAME",
    callback=_validate_env_name,
    help="Environment variable the migrated code reads the API key from.",
)
@click.option(
    "--model-map",
    multiple=True,
    metavar="OLD=NEW",
    callback=_validate_model_map,
    help="Write model id NEW where the migrated code would name OLD (repeatable).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a machine-readable report to this file.",
)
@click.option(
    "--report-format",
    type=click.Choice(sorted(FORMATS)),
    default="json",
    show_default=True,
    help="Format of --report.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    default=os.cpu_count() or 1,
    show_default="number of CPUs",
    help="Worker processes.",
)
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Skip matching files and directories."
)
@click.option("--quiet", "-q", is_flag=True, help="No findings or summary on stderr.")
@click.version_option(__version__, prog_name="genai2openai")
@click.pass_context
def main(
    ctx: click.Context,
    paths: tuple[Path, ...],
    write: bool,
    check: bool,
    base_url: str,
    api_key_env: str,
    model_map: tuple[tuple[str, str], ...],
    report_path: Path | None,
    report_format: str,
    jobs: int,
    exclude: tuple[str, ...],
    quiet: bool,
) -> None:
    """Migrate Python code from google.generativeai to the OpenAI SDK.

    PATHS are files or directories (default: the current directory). Without --write nothing is
    changed: the diffs go to stdout, findings and a summary to stderr.

    \b
    Exit status: 0 done; 1 --check found changes or error findings;
                 2 bad usage, or files that could not be read, decoded or parsed.
    """
    if write and check:
        raise click.UsageError("--write and --check cannot be used together")
    try:
        files = discover(paths or (Path("."),), exclude)
    except DiscoveryError as exc:
        _fail(ctx, str(exc))
    results = run(files, Options(base_url=base_url, api_key_env=api_key_env, model_map=model_map), jobs)
    if write:
        results = write_all(results)
    else:
        _print_diffs(results)
    _print_diagnostics(results, written=write, quiet=quiet)
    if report_path is not None:
        _write_report(ctx, report_path, FORMATS[report_format](results))
    ctx.exit(exit_code(results, check=check))


def exit_code(results: Sequence[FileResult], *, check: bool) -> int:
    """1 for `--check` with changes or error findings, else 2 if any file failed, else 0."""
    if check and any(_fails_check(result) for result in results):
        return EXIT_CHECK_FAILED
    if any(result.error is not None for result in results):
        return EXIT_ERROR
    return EXIT_OK


def _fails_check(result: FileResult) -> bool:
    return result.changed or any(f.severity is Severity.ERROR for f in result.findings)


def _print_diffs(results: Sequence[FileResult]) -> None:
    """Diffs go to stdout as UTF-8 bytes: line endings stay as in the files, any locale works."""
    stdout = sys.stdout.buffer
    cwd = Path.cwd()
    for result in results:
        diff = unified_diff(result, cwd)
        if diff:
            stdout.write(diff.encode("utf-8", "backslashreplace"))
    stdout.flush()


def _print_diagnostics(results: Sequence[FileResult], *, written: bool, quiet: bool) -> None:
    errors = errors_text(results)
    if errors:
        click.echo(errors, err=True, nl=False)
    if not quiet:
        click.echo(findings_text(results), err=True, nl=False)
        click.echo(summary(results, written=written), err=True)


def _write_report(ctx: click.Context, path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(ctx, f"{path}: cannot write report: {exc.strerror or exc}")


def _fail(ctx: click.Context, message: str) -> NoReturn:
    """An expected error: one line on stderr, exit 2, no traceback."""
    click.echo(f"genai2openai: error: {message}", err=True)
    ctx.exit(EXIT_ERROR)
