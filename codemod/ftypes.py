"""Value types shared by every part of genai2openai: options, findings, results."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai/"
DEFAULT_API_KEY_ENV = "GEMINI_API_KEY"
TODO_PREFIX = "TODO(genai2openai):"


class Severity(str, enum.Enum):
    """How much a finding matters; `error` fails `--check`."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Kind(str, enum.Enum):
    """What a finding is about. The values are the report's `kind` strings."""

    HARDCODED_KEY = "hardcoded-key"
    PLACEHOLDER_KEY = "placeholder-key"
    MANUAL_MIGRATION = "manual-migration"
    DROPPED_OPTION = "dropped-option"
    ASSUMED_TEXT = "assumed-text"
    CROSS_MODULE = "cross-module"
    PARSE_ERROR = "parse-error"
    RETIRED_MODEL = "retired-model"


@dataclass(frozen=True)
class Options:
    """What the user asked for; the same for every file of a run."""

    base_url: str = DEFAULT_BASE_URL
    # `--base-url-env NAME`: the code reads the endpoint from NAME, with `base_url` as default.
    base_url_env: str | None = None
    api_key_env: str = DEFAULT_API_KEY_ENV
    # `--model-map OLD=NEW` pairs, in the order given.
    model_map: tuple[tuple[str, str], ...] = ()
    # `--secrets-only`: report keys, change nothing.
    secrets_only: bool = False

    def __post_init__(self) -> None:
        # Lists (from JSON) become tuples, so that Options stays hashable.
        object.__setattr__(self, "model_map", tuple((str(old), str(new)) for old, new in self.model_map))


@dataclass(frozen=True, order=True)
class Finding:
    """One thing the report tells the user, located in the *original* file (1-based line, 0-based column).

    Key findings also name the `rule` (the key's shape, see `secrets.RULES`), a redacted
    `preview`, a `remediation`, and `identity`: a hash of the rule and the key, from which the
    report derives a fingerprint that survives line moves. No finding ever holds a key.
    """

    path: str
    line: int
    column: int
    kind: Kind
    severity: Severity
    message: str
    rule: str = ""
    preview: str = ""
    remediation: str = ""
    identity: str = ""

    @property
    def rule_id(self) -> str:
        """The rule for reports: the key rule, else the finding's kind."""
        return self.rule or self.kind.value

    @property
    def is_key(self) -> bool:
        return self.kind in (Kind.HARDCODED_KEY, Kind.PLACEHOLDER_KEY)


@dataclass(frozen=True)
class SharedModel:
    """A module-level model other modules may call: its settings as code written with the
    defining module's names, which a module that imports the model can repeat at its calls.

    `names`: module-level names of the defining module the code reads (the importer imports
    them, or reads them through the module). `system_is_text`: the instruction is text."""

    system: str | None = None
    system_is_text: bool = True
    config: tuple[tuple[str, str], ...] = ()
    names: tuple[str, ...] = ()
    # The name is a function returning the model (`get_model()`), not the model.
    returned: bool = False


@dataclass(frozen=True)
class SharedResponse:
    """A response other modules may read (`reply = model.generate_content(...)`, or a function
    returning one): what its reads need to know to be rewritten there."""

    asynchronous: bool = False
    several: bool = False  # several candidates may come back (`.text` raises then)
    returned: bool = False  # the name is a function returning it
    client_sdk: bool = False  # a google-genai response (its reads differ: `.text` may be None)


@dataclass(frozen=True)
class Export:
    """A module-level name whose meaning a migration changed: what it holds now, and for a model
    whose settings can travel, how an importer calls it."""

    name: str
    what: str
    model: SharedModel | None = None
    response: SharedResponse | None = None
    # Why an importer cannot follow it, when that is known here.
    unshared: str = ""
    # For a name re-exported from another module (`from .llm import model` in `__init__.py`):
    # the module that made the object, and its name there.
    origin: tuple[str, str] | None = None


@dataclass(frozen=True)
class Followed:
    """What an importer did with a name another module of the run exports: followed it (the
    uses here changed with it) or not, and why not (the defining module then keeps it)."""

    path: str  # the defining module
    name: str
    reason: str | None = None  # None: followed
    where: str = ""  # `importer.py:12`


@dataclass(frozen=True)
class Migration:
    """The outcome of migrating one module's source text."""

    source: str
    findings: tuple[Finding, ...] = ()
    # Literal keys found in the source: kept in memory only so that diffs can redact them.
    secrets: tuple[str, ...] = field(default=(), repr=False)
    # Module-level names whose meaning this migration changed, and what they are now (other
    # modules may import them).
    exports: tuple[Export, ...] = ()
    # What this module did with names other modules export (see RepoIndex.exports).
    followed: tuple[Followed, ...] = ()
    # The client made from a configure() (and whether only a function call makes it), and whether
    # a client had to come from the environment because the module never configured genai.
    client: str | None = None
    client_in_function: bool = False
    default_client: bool = False
    # Still uses genai without a configure() of its own / removed its configure() (see Plan).
    leans_on_configure: bool = False
    dropped_configure: bool = False

    def changed(self, original: str) -> bool:
        return self.source != original


@dataclass(frozen=True)
class FileResult:
    """What happened to one file: its text before and after, its findings, or why it failed."""

    path: str
    original: str | None = None
    migrated: str | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)
    exports: tuple[Export, ...] = ()
    followed: tuple[Followed, ...] = ()
    client: str | None = None
    client_in_function: bool = False
    default_client: bool = False
    leans_on_configure: bool = False
    dropped_configure: bool = False
    # How the file was stored on disk, so that writing it back keeps the same bytes around the edit.
    encoding: str = "utf-8"
    bom: bool = False

    @property
    def changed(self) -> bool:
        return self.error is None and self.migrated is not None and self.migrated != self.original


@dataclass(frozen=True)
class RepoIndex:
    """What a first pass over the files of a run learned, for the second pass.

    Modules are named by every dotted suffix of their path (`app/llm.py`: `llm`, `app.llm`).
    `exports`: path → name whose meaning the migration changed (or re-exported) → its Export.
    `kept`: path → name → why the module keeps that object on genai (an importer could not
    follow it); importers read it to mark their uses.
    `clients`: module → (name of the client its configure() became, path, whether only a
    function call creates it).
    `configure_needed`: path of a module that configures genai → the modules of the same
    program (linked to it by imports) that still use genai without configuring it, so that
    its configure() stays.
    `imported_by`: path → the paths of the files that import it (by their import lines), in and
    outside the run; `in_run`: the paths of the run.
    """

    exports: Mapping[str, Mapping[str, Export]] = field(default_factory=dict)
    kept: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    clients: Mapping[str, tuple[str, str, bool]] = field(default_factory=dict)
    configure_needed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    imported_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # path → the names other files import from it by name (`from config import genai`).
    imported_names: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # path → the files it imports (possibly), for import cycles.
    imports: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # path → the modules linked to it by imports (the same program) that configure genai.
    configured_in: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    in_run: frozenset[str] = frozenset()
    # Resolves a module name imported by a file to the file (a `repository.ModuleMap`).
    modules: Any = field(default=None, compare=False)

    def __bool__(self) -> bool:
        return bool(self.exports or self.kept or self.clients or self.configure_needed or self.imported_by)

    def in_cycle(self, importer: str, imported: str) -> bool:
        """Does `imported` import `importer` back, directly or not?"""
        seen, todo = {imported}, [imported]
        while todo:
            for other in self.imports.get(todo.pop(), ()):
                if other == importer:
                    return True
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return False

    def outside_importers(self, path: str) -> tuple[str, ...]:
        """Files that import `path` but that this run does not change."""
        return tuple(p for p in self.imported_by.get(path, ()) if p not in self.in_run)
