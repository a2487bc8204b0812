"""Project configuration: the `[tool.genai2openai]` table of a `pyproject.toml`.

Found as ruff and black find theirs: the nearest `pyproject.toml` above the first path given
(or the working directory) that has the table; `--config FILE` names one instead (a
`pyproject.toml`, or any TOML file whose top level holds the same keys). Command-line options
override it. An unknown key or a value of the wrong type is a one-line error naming the key and
the file. TOML is read with the standard library's `tomllib` (Python 3.11+) or `tomli` when it
is installed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codemod.ftypes import Kind

SECTION = ("tool", "genai2openai")
SEVERITIES = ("error", "warning", "note")
REPORT_FORMATS = ("text", "json", "sarif", "github")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class ProjectConfig:
    """The settings a configuration file gives (None: not set there), and where it is."""

    path: Path | None = None
    base_url: str | None = None
    base_url_env: str | None = None
    api_key_env: str | None = None
    model_map: tuple[tuple[str, str], ...] | None = None
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    report_format: str | None = None
    fail_on: str | None = None
    fail_on_kinds: tuple[str, ...] | None = None
    values: Mapping[str, Any] = field(default_factory=dict, repr=False)


def find_config(start: Path) -> Path | None:
    """The nearest `pyproject.toml` at or above `start` with a `[tool.genai2openai]` table."""
    directory = Path(os.path.abspath(start))
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_section(pyproject):
            return pyproject
    return None


def _has_section(path: Path) -> bool:
    """Does the pyproject.toml hold `[tool.genai2openai]`? (One that cannot be read does: its
    error is then reported.)"""
    try:
        if b"genai2openai" not in path.read_bytes():
            return False
        document = _parse(path)
    except (OSError, ConfigError):
        return True
    tool = document.get("tool", {})
    return isinstance(tool, Mapping) and "genai2openai" in tool


def load_config(path: Path) -> ProjectConfig:
    """Read and check one configuration file. Raises ConfigError."""
    table = _table(path, _parse(path))
    unknown = sorted(set(table) - set(_READERS))
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} in {_where(path)} (known: {', '.join(sorted(_READERS))})")
    settings = {name.replace("-", "_"): reader(path, name, table[name]) for name, reader in _READERS.items() if name in table}
    return ProjectConfig(path=path, values=table, **settings)


def _parse(path: Path) -> Mapping[str, Any]:
    try:
        import tomllib  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # Python < 3.11
        try:
            import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            raise ConfigError(f"{path}: reading TOML needs Python 3.11+ or the tomli package (pip install tomli)") from None
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)  # type: ignore[no-any-return]
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {' '.join(str(exc).split())}") from None


def _table(path: Path, document: Mapping[str, Any]) -> Mapping[str, Any]:
    """`[tool.genai2openai]` of a pyproject.toml; the whole document of another file."""
    if path.name != "pyproject.toml":
        return document
    table: Any = document
    for key in SECTION:
        table = table.get(key, {}) if isinstance(table, Mapping) else {}
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.genai2openai] must be a table")
    return table


def _where(path: Path) -> str:
    return "[tool.genai2openai]" if path.name == "pyproject.toml" else "the file"


def _string(path: Path, name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: {name!r} must be a non-empty string")
    return value


def _strings(path: Path, name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {name!r} must be a list of strings")
    return tuple(value)


def _choice(choices: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def read(path: Path, name: str, value: Any) -> str:
        if value not in choices:
            raise ConfigError(f"{path}: {name!r} must be one of {', '.join(choices)}")
        return str(value)

    return read


def _model_map(path: Path, name: str, value: Any) -> tuple[tuple[str, str], ...]:
    """`{ "gemini-1.5-flash" = "gemini-2.5-flash" }`, or a list of `"OLD=NEW"` strings."""
    if isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return tuple((k, v) for k, v in value.items())
    if isinstance(value, list) and all(isinstance(v, str) and v.count("=") == 1 for v in value):
        return tuple(tuple(part.strip() for part in v.split("=")) for v in value)  # type: ignore[misc]
    raise ConfigError(f"{path}: {name!r} must be a table of OLD = NEW model ids (or a list of \"OLD=NEW\")")


def _kinds(path: Path, name: str, value: Any) -> tuple[str, ...]:
    known = [kind.value for kind in Kind]
    kinds = _strings(path, name, value)
    unknown = [k for k in kinds if k not in known]
    if unknown:
        raise ConfigError(f"{path}: {name!r}: unknown finding kind {unknown[0]!r} (known: {', '.join(known)})")
    return kinds


_READERS = {
    "base-url": _string,
    "base-url-env": _string,
    "api-key-env": _string,
    "model-map": _model_map,
    "exclude": _strings,
    "extend-exclude": _strings,
    "report-format": _choice(REPORT_FORMATS),
    "fail-on": _choice(SEVERITIES),
    "fail-on-kinds": _kinds,
}
