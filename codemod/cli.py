"""The `genai2openai` command: discover files, run the migration, render and (optionally) write.

Exit codes: 0 done; 1 `--check` found changes or error-severity findings (`--secrets-only`:
error-severity findings); 2 bad usage or files that could not be processed.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import click

from codemod import __version__
from codemod.config import SEVERITIES, ConfigError, ProjectConfig, find_config, load_config
from codemod.discovery import DiscoveryError, discover, repository_root
from codemod.ftypes import DEFAULT_API_KEY_ENV, DEFAULT_BASE_URL, FileResult, Kind, Options
from codemod.report import (
    FORMATS,
    all_secrets,
    colored_diff,
    errors_text,
    render,
    summary,
    unified_diff,
)
from codemod.runner import run, write_all
from codemod.secrets import find_keys, key_rule, redact_text
from codemod.suppress import BaselineError, baseline_document, read_baseline, without_baselined

EXIT_OK, EXIT_CHECK_FAILED, EXIT_ERROR = 0, 1, 2
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MODEL_ID = re.compile(r"[^\s=]+")


def _validate_env_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    _refuse_keys(value)
    if not _ENV_NAME.fullmatch(value):
        raise click.BadParameter(f"{redact_text(value, ())!r} is not an environment variable name")
    return value


def _refuse_keys(value: str) -> None:
    """An option value holding a key would be written into the code: refuse it, never echo it."""
    if find_keys(value) or key_rule(value):
        raise click.BadParameter(f"{redact_text(value, (value,) if key_rule(value) else ())!r} holds an API key: never pass one on a command line, and rotate it")


def _validate_model_map(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`OLD=NEW` pairs: exactly one `=`, two model ids without spaces, each OLD given once
    (`models/x` and `x` are the same id)."""
    pairs: dict[str, tuple[str, str]] = {}
    for item in value:
        _refuse_keys(item)
        old, sep, new = (part.strip() for part in item.partition("="))
        if not sep or not _MODEL_ID.fullmatch(old) or not _MODEL_ID.fullmatch(new):
            raise click.BadParameter(f"{redact_text(item, ())!r} is not OLD=NEW (two non-empty model ids)")
        key = old[len("models/") :] if old.startswith("models/") else old
        if key in pairs and pairs[key][1] != new:
            raise click.BadParameter(f"{old!r} is mapped twice ({pairs[key][1]!r} and {new!r})")
        pairs[key] = (old, new)
    return tuple(pairs.values())


def _validate_base_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if find_keys(value):
        raise click.BadParameter(f"{redact_text(value, ())!r} holds an API key: the key comes from --api-key-env")
    if not re.fullmatch(r"https?://\S+", value):
        raise click.BadParameter(f"{redact_text(value, ())!r} is not an http(s) URL")
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
    "--base-url-env",
    metavar="NAME",
    callback=lambda ctx, param, value: None if value is None else _validate_env_name(ctx, param, value),
    help="Also read the endpoint from this environment variable: base_url=os.environ.get(NAME, URL).",
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
    "--secrets-only",
    is_flag=True,
    help="Only report hardcoded keys (Python, notebooks, text files); change nothing; exit 1 on any.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Do not report findings accepted in FILE (fingerprints, written by --update-baseline).",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="Write every current finding to the --baseline FILE, then exit 0.",
)
@click.option(
    "--report",
    "report_path",
    metavar="FILE",
    help="Also write a report to FILE (`-`: stdout, instead of the diffs).",
)
@click.option(
    "--report-format",
    type=click.Choice(FORMATS),
    default=None,
    help="Format of --report: text, json, sarif or github annotations.  [default: text on a terminal, else json]",
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
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="error",
    show_default=True,
    help="With --check: the least severe finding that fails it (warning: TODOs left fail too).",
)
@click.option(
    "--fail-on-kind",
    multiple=True,
    type=click.Choice([k.value for k in Kind]),
    metavar="KIND",
    help="With --check: also fail on findings of this kind, whatever their severity (repeatable).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Settings file (default: [tool.genai2openai] of the nearest pyproject.toml).",
)
@click.option("--color/--no-color", default=None, help="Colour diffs and findings (default: on a terminal, unless NO_COLOR is set).")
@click.option("--quiet", "-q", is_flag=True, help="No findings or summary on stderr.")
@click.version_option(__version__, prog_name="genai2openai")
@click.pass_context
def main(
    ctx: click.Context,
    paths: tuple[Path, ...],
    write: bool,
    check: bool,
    base_url: str,
    base_url_env: str | None,
    api_key_env: str,
    model_map: tuple[tuple[str, str], ...],
    secrets_only: bool,
    baseline_path: Path | None,
    update_baseline: bool,
    report_path: str | None,
    report_format: str | None,
    jobs: int,
    exclude: tuple[str, ...],
    fail_on: str,
    fail_on_kind: tuple[str, ...],
    config_path: Path | None,
    color: bool | None,
    quiet: bool,
) -> None:
    """Migrate Python code from google.generativeai and google-genai to the OpenAI SDK.

    PATHS are files or directories (default: the current directory). Python files are migrated;
    every file (also notebooks, .env, YAML, JSON, TOML, Markdown, shell scripts) is scanned for
    hardcoded API keys. Without --write nothing is changed: the diffs go to stdout, findings and
    a summary to stderr. Add `# genai2openai: ignore` to a line to accept its findings.

    \b
    Examples:
      genai2openai .                         show the diffs, change nothing
      genai2openai --write src/              migrate src/ in place
      genai2openai --check --fail-on warning .
                                             CI: fail while genai code is left
      genai2openai --secrets-only .          report hardcoded keys only

    \b
    Settings may also come from [tool.genai2openai] in pyproject.toml.
    Exit status: 0 done; 1 --check found changes or findings at --fail-on
                 (--secrets-only: a hardcoded key); 2 bad usage, or files
                 that could not be read, decoded or parsed.
    """
    _check_usage(write, check, secrets_only, baseline_path, update_baseline)
    started = time.monotonic()
    settings = _settings(ctx, config_path, paths)
    base_url, base_url_env, api_key_env = settings.get("base_url", base_url), settings.get("base_url_env", base_url_env), settings.get("api_key_env", api_key_env)
    model_map, report_format, fail_on = settings.get("model_map", model_map), settings.get("report_format", report_format), settings.get("fail_on", fail_on)
    fail_on_kind = tuple(settings.get("fail_on_kinds", fail_on_kind))
    exclude = (*settings.get("exclude", exclude), *settings.get("extend_exclude", ()))
    try:
        files = discover(paths or (Path("."),), exclude)
        accepted = read_baseline(baseline_path) if baseline_path and not update_baseline else frozenset()
    except (DiscoveryError, BaselineError) as exc:
        _fail(ctx, str(exc))
    options = Options(base_url=base_url, base_url_env=base_url_env, api_key_env=api_key_env, model_map=model_map, secrets_only=secrets_only)
    root = _root(paths)
    with _Progress(enabled=not quiet and len(files) >= PROGRESS_FILES and sys.stderr.isatty()) as progress:
        results = run(files, options, jobs, progress)
    if update_baseline:
        assert baseline_path is not None
        findings = [finding for result in results for finding in result.findings]
        _write_report(ctx, str(baseline_path), baseline_document(findings, root))
        click.echo(f"genai2openai: {_plural(len(findings), 'finding')} accepted in {baseline_path}", err=True)
        ctx.exit(EXIT_OK)
    if accepted:
        results = [replace(r, findings=without_baselined(r.findings, accepted, root)) for r in results]
    if write:
        results = write_all(results)
    elif report_path != "-" and not secrets_only:
        _print_diffs(results, color=_colour(sys.stdout) if color is None else color)
    findings_elsewhere = report_path == "-"  # the report on stdout lists them: once is enough
    hint = not write and not check and not secrets_only and report_path != "-"
    _print_diagnostics(results, root, written=write, quiet=quiet, scan_only=secrets_only, listed=not findings_elsewhere, color=color, seconds=time.monotonic() - started, hint=hint)
    if report_path is not None:
        to_stdout = report_path == "-"
        fmt = report_format or _report_format_for(report_path)
        colored = to_stdout and fmt == "text" and (_colour(sys.stdout) if color is None else color)
        text = render(fmt, results, root=root, color=colored)
        _write_report(ctx, report_path, text)
    ctx.exit(exit_code(results, check=check or secrets_only, fail_on=fail_on, fail_on_kinds=fail_on_kind))


PROGRESS_FILES = 200  # a run over fewer files is over before a bar helps


class _Progress:
    """A one-line bar on stderr while files are parsed, for long runs on a terminal only (never
    in pipes or CI logs); erased when the run ends."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        filled = 30 * done // total
        sys.stderr.write(f"\rgenai2openai [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} files")
        sys.stderr.flush()
        self.shown = True


def _root(paths: Sequence[Path]) -> Path:
    """The repository the run is about (that of its first path, else of the current directory):
    report paths and fingerprints are relative to it, wherever the command runs from."""
    first = paths[0] if paths else Path.cwd()
    return repository_root(first if first.is_dir() else first.parent)


def _check_usage(write: bool, check: bool, secrets_only: bool, baseline: Path | None, update: bool) -> None:
    if write and check:
        raise click.UsageError("--write and --check cannot be used together")
    if write and secrets_only:
        raise click.UsageError("--secrets-only changes nothing: drop --write (or --secrets-only)")
    if update and baseline is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")


def _colour(stream: object) -> bool:
    """ANSI colours on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def exit_code(results: Sequence[FileResult], *, check: bool, fail_on: str = "error", fail_on_kinds: Sequence[str] = ()) -> int:
    """1 for `--check` with changes or findings at least as severe as `fail_on` (or of one of
    `fail_on_kinds`), else 2 if any file failed, else 0."""
    if check and any(_fails_check(result, fail_on, fail_on_kinds) for result in results):
        return EXIT_CHECK_FAILED
    if any(result.error is not None for result in results):
        return EXIT_ERROR
    return EXIT_OK


def _fails_check(result: FileResult, fail_on: str = "error", kinds: Sequence[str] = ()) -> bool:
    worst = SEVERITIES.index(fail_on)
    return result.changed or any(SEVERITIES.index(f.severity.value) <= worst or f.kind.value in kinds for f in result.findings)


def _print_diffs(results: Sequence[FileResult], *, color: bool = False) -> None:
    """Diffs go to stdout as UTF-8 bytes: line endings stay as in the files, any locale works."""
    stdout = sys.stdout.buffer
    cwd = Path.cwd()
    secrets = all_secrets(results)
    for result in results:
        diff = unified_diff(result, cwd, secrets)
        if diff:
            stdout.write((colored_diff(diff) if color else diff).encode("utf-8", "backslashreplace"))
    stdout.flush()


def _print_diagnostics(
    results: Sequence[FileResult],
    root: Path,
    *,
    written: bool,
    quiet: bool,
    scan_only: bool,
    listed: bool = True,
    color: bool | None = None,
    seconds: float | None = None,
    hint: bool = False,
) -> None:
    errors = errors_text(results)
    if errors:
        click.echo(errors, err=True, nl=False)
    if not quiet:
        if listed:
            click.echo(render("text", results, root=root, color=_colour(sys.stderr) if color is None else color), err=True, nl=False)
        click.echo(summary(results, written=written, scan_only=scan_only, seconds=seconds, hint=hint), err=True)


def _report_format_for(path: str) -> str:
    """A report's format from its file name (`-`: text on a terminal, else json)."""
    if path == "-":
        return "text" if sys.stdout.isatty() else "json"
    name = path.lower()
    if name.endswith((".sarif", ".sarif.json")):
        return "sarif"
    if name.endswith((".txt", ".log")):
        return "text"
    return "json"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _settings(ctx: click.Context, config_path: Path | None, paths: Sequence[Path]) -> dict[str, Any]:
    """The configuration file's settings for the options the command line left at their
    defaults, checked as the options are."""
    path = config_path or find_config(paths[0] if paths else Path.cwd())
    if path is None:
        return {}
    try:
        config = load_config(path)
    except ConfigError as exc:
        _fail(ctx, str(exc))
    found: dict[str, Any] = {}
    for name in ("base_url", "base_url_env", "api_key_env", "model_map", "exclude", "report_format", "fail_on", "fail_on_kinds"):
        value = getattr(config, name)
        option = "fail_on_kind" if name == "fail_on_kinds" else name
        if value is None or ctx.get_parameter_source(option) not in (click.core.ParameterSource.DEFAULT, None):
            continue
        found[name] = _checked(ctx, config, name, value)
    found["extend_exclude"] = config.extend_exclude
    return found


def _checked(ctx: click.Context, config: ProjectConfig, name: str, value: Any) -> Any:
    """A configuration value through the option's own validation (a one-line error naming it)."""
    validators = {"base_url": _validate_base_url, "base_url_env": _validate_env_name, "api_key_env": _validate_env_name}
    try:
        if name in validators:
            return validators[name](ctx, None, value)  # type: ignore[arg-type]
        if name == "model_map":
            return _validate_model_map(ctx, None, tuple(f"{old}={new}" for old, new in value))  # type: ignore[arg-type]
    except click.BadParameter as exc:
        _fail(ctx, f"{config.path}: {name.replace('_', '-')!r}: {exc.message}")
    return value


def _write_report(ctx: click.Context, path: str, text: str) -> None:
    """Write a report (or a baseline) to `path`, or to stdout for `-`."""
    if path == "-":
        sys.stdout.buffer.write(text.encode("utf-8", "backslashreplace"))
        sys.stdout.flush()
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(ctx, f"{path}: cannot write report: {exc.strerror or exc}")


def _fail(ctx: click.Context, message: str) -> NoReturn:
    """An expected error: one line on stderr, exit 2, no traceback."""
    click.echo(f"genai2openai: error: {message}", err=True)
    ctx.exit(EXIT_ERROR)
