"""Which modules of a repository import which, read from their import lines (bytes, no parse).

The migration of a module changes what its module-level models are (a model becomes its id), so
every module that imports them must change with it, or the object must stay as it was. This is
the map that says who imports whom. It is built from the import statements' text: `import x`,
`import x.y as z`, `from x import a, b`, `from . import llm`, `from .llm import model`,
parenthesised and continued name lists. A module name is resolved to a file of the repository
the way Python would find it from the importer: relative imports from the importer's package,
absolute ones from the nearest directory above the importer that holds them (a script's own
directory, a project root), else from the only file that can be meant.

For runs over a few files (pre-commit passes the staged ones), the rest of the repository is
scanned too, and each file's imports are cached by content under `.genai2openai_cache/`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

CACHE_DIR = ".genai2openai_cache"
CACHE_FILE = "imports-v2.json"
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".tox", ".nox", ".venv", "venv", "site-packages", CACHE_DIR})

# One import statement; `from x import (` lists are read on to their `)`.
_STATEMENT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(?P<dots>\.*)[ \t]*(?P<module>[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|(?:[^\n\\#;]|\\\n)+)"
    rb"|import[ \t]+(?P<modules>(?:[^\n\\#;]|\\\n)+))",
    re.MULTILINE,
)
_NAME = re.compile(rb"[A-Za-z_][\w.]*")


@dataclass(frozen=True)
class ImportLine:
    """One imported module: `level` leading dots, the dotted `module`, and the names taken from
    it (empty for `import module`; each may itself be a submodule: `from . import llm`)."""

    level: int
    module: str
    names: tuple[str, ...] = ()


# Stands among a file's import lines for "this file changes `sys.path`": its absolute imports may
# then load modules from anywhere in the repository.
PATH_CHANGE = ImportLine(-1, "sys.path")


def import_lines(data: bytes) -> list[ImportLine]:
    """The imports written in a Python file's bytes (in any block: a function's imports count)."""
    found = [PATH_CHANGE] if b"sys.path" in data else []
    for match in _STATEMENT.finditer(data):
        if match.group("modules") is not None:
            for part in _clean(match.group("modules")).split(b","):
                words = part.split()
                if words and _NAME.fullmatch(words[0]):
                    found.append(ImportLine(0, words[0].decode("ascii", "replace")))
            continue
        names = []
        for part in _clean(match.group("names")).strip(b"()").split(b","):
            words = part.split()
            if words and _NAME.fullmatch(words[0]):
                names.append(words[0].decode("ascii", "replace"))
        found.append(ImportLine(len(match.group("dots")), match.group("module").decode("ascii", "replace"), tuple(names)))
    return found


def notebook_code(data: bytes) -> bytes:
    """The code cells of a notebook, one after the other (nothing for a file that is no notebook)."""
    try:
        cells = json.loads(data).get("cells", [])
        sources = ["".join(c["source"]) if isinstance(c.get("source"), list) else str(c.get("source", "")) for c in cells if c.get("cell_type") == "code"]
    except (ValueError, AttributeError, TypeError, KeyError):
        return b""
    return "\n".join(sources).encode("utf-8", "replace")


def _clean(text: bytes) -> bytes:
    """An import list without continuations and comments."""
    return re.sub(rb"#[^\n]*", b"", text.replace(b"\\\n", b" "))


def module_names(path: str) -> list[str]:
    """Every dotted suffix of the path without `.py`: `app/llm.py` → `llm`, `app.llm`;
    a package's `__init__.py` is the package."""
    parts = list(os.path.normpath(path).split(os.sep))
    parts[-1] = parts[-1].rsplit(".", 1)[0]
    if parts[-1] == "__init__":
        parts.pop()
    parts = [p for p in parts if p not in ("", ".", "..")]
    return [".".join(parts[start:]) for start in range(len(parts) - 1, -1, -1)]


class ModuleMap:
    """Resolves imported module names to the Python files of a repository."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._by_name: dict[str, list[str]] = {}
        self._by_abs: dict[str, str] = {}
        # Files that change sys.path (see PATH_CHANGE).
        self.path_changers: set[str] = set()
        for path in paths:
            absolute = os.path.abspath(path)
            self._by_abs.setdefault(absolute, path)
            for name in module_names(absolute):
                self._by_name.setdefault(name, []).append(path)

    def resolve(self, importer: str, level: int, module: str) -> list[str]:
        """The files `module` may name from `importer`: none (another library), one, or
        several; `certain` says whether it is surely that one."""
        return self._candidates(importer, level, module)[0]

    def certain(self, importer: str, level: int, module: str) -> str | None:
        """The one file `module` names from `importer`, when no other file of the repository
        may be meant: a relative import, or exactly one file found from a directory above the
        importer (a script's directory, a project root). A file found only elsewhere (through
        `sys.path` changes, a `src/` layout) or beside another candidate above is not certain."""
        found, sure = self._candidates(importer, level, module)
        return found[0] if sure and len(found) == 1 else None

    def _candidates(self, importer: str, level: int, module: str) -> tuple[list[str], bool]:
        if level < 0:
            return [], False
        if level:
            base = os.path.dirname(os.path.abspath(importer))
            for _ in range(level - 1):
                base = os.path.dirname(base)
            target = os.path.join(base, *module.split(".")) if module else base
            found = [self._by_abs.get(target + ".py"), self._by_abs.get(os.path.join(target, "__init__.py"))]
            return [p for p in found if p is not None][:1], True
        candidates = self._by_name.get(module)
        if not candidates:
            return [], False  # another library's module (most imports): nothing to compute
        here = os.path.dirname(os.path.abspath(importer))
        roots = {path: _root_of(path, module) for path in candidates}
        above = [p for p, root in roots.items() if here == root or here.startswith(root + os.sep)]
        if len(above) == 1:
            return above, True
        if above:
            return above, False
        # Found only elsewhere: through sys.path changes, or a package installed from a `src/`
        # layout; a top-level name is otherwise another project's module of the same name.
        if importer in self.path_changers or os.path.abspath(importer) in self.path_changers:
            return candidates, False
        return [p for p in candidates if "." in module and self._in_package(p, module)], False

    def _in_package(self, path: str, module: str) -> bool:
        """Is the module's top package a regular package (an `__init__.py`), as an installed or
        `src/`-layout package is? A folder of scripts is not one."""
        top = os.path.join(_root_of(path, module), module.split(".")[0], "__init__.py")
        return top in self._by_abs

    def imported(self, importer: str, line: ImportLine) -> list[list[str]]:
        """For one import line, the files it may load: the module, and each name that is a
        submodule (`from app import llm`)."""
        if line.level < 0:
            return []
        found = [self.resolve(importer, line.level, line.module)] if line.module or line.level else []
        for name in line.names:
            dotted = f"{line.module}.{name}" if line.module else name
            submodule = self.resolve(importer, line.level, dotted)
            if submodule:
                found.append(submodule)
        return [f for f in found if f]


def _root_of(path: str, module: str) -> str:
    """The directory a module is imported from: `/r/app/llm.py` as `app.llm` → `/r`."""
    root = os.path.dirname(os.path.abspath(path))
    depth = module.count(".") + (1 if os.path.basename(path) == "__init__.py" else 0)
    for _ in range(depth):
        root = os.path.dirname(root)
    return root


def importers(
    targets: Iterable[str], files: Mapping[str, Sequence[ImportLine]], modules: ModuleMap
) -> dict[str, tuple[str, ...]]:
    """target path → the files (of `files`) whose imports may load it."""
    wanted = set(targets)
    found: dict[str, set[str]] = {}
    for importer, lines in files.items():
        for line in lines:
            for candidates in modules.imported(importer, line):
                for target in wanted.intersection(candidates):
                    if target != importer:
                        found.setdefault(target, set()).add(importer)
    return {target: tuple(sorted(paths)) for target, paths in found.items()}


def python_files(root: str) -> Iterator[str]:
    """The Python files and notebooks under `root`, without version control, caches and virtual
    environments. (A notebook is never migrated: one that imports a module keeps its objects.)"""
    for directory, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg")))
        for name in sorted(names):
            if name.endswith((".py", ".pyi", ".ipynb")):
                yield os.path.join(directory, name)


class ImportCache:
    """Import lines of files, reused while a file's size and mtime (or, when they changed, its
    content hash) are the same. Stored as JSON under `<root>/.genai2openai_cache/`; a cache
    that cannot be read or written is simply not used."""

    def __init__(self, root: str | None) -> None:
        """`root`: where the cache folder goes; None for no cache (files are read each time)."""
        self.path = os.path.join(root, CACHE_DIR, CACHE_FILE) if root is not None else None
        self._entries: dict[str, list] = {}
        self._dirty = False
        if self.path is None:
            return
        with contextlib.suppress(OSError, ValueError, TypeError):
            with open(self.path, encoding="utf-8") as f:
                loaded = json.load(f)
            if isinstance(loaded, dict):
                self._entries = loaded

    def lines(self, path: str, wanted: Sequence[bytes] = ()) -> list[ImportLine] | None:
        """The file's import lines; None when it cannot be read, or when its bytes name none of
        `wanted` (then it cannot import them: not scanned)."""
        key = os.path.abspath(path)
        try:
            info = os.stat(key)
        except OSError:
            return None
        entry = self._entries.get(key)
        if entry and entry[0] == info.st_size and entry[1] == info.st_mtime_ns:
            return self._decoded(entry[3], entry[4], wanted)
        try:
            with open(key, "rb") as f:
                data = f.read()
        except OSError:
            return None
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if entry and entry[2] == digest:
            found = entry[4]
        else:
            code = notebook_code(data) if key.endswith(".ipynb") else data
            found = [[line.level, line.module, list(line.names)] for line in import_lines(code)]
        words = sorted({w for line in found for part in (line[1], *line[2]) for w in part.split(".") if w})
        self._entries[key] = [info.st_size, info.st_mtime_ns, digest, words, found]
        self._dirty = True
        return self._decoded(words, found, wanted)

    @staticmethod
    def _decoded(words: list[str], found: list, wanted: Sequence[bytes]) -> list[ImportLine] | None:
        if wanted and not any(w.decode() in words for w in wanted):
            return []
        return [ImportLine(level, module, tuple(names)) for level, module, names in found]

    def save(self) -> None:
        if not self._dirty or self.path is None:
            return
        directory = os.path.dirname(self.path)
        with contextlib.suppress(OSError):
            os.makedirs(directory, exist_ok=True)
            gitignore = os.path.join(directory, ".gitignore")
            if not os.path.exists(gitignore):
                with open(gitignore, "w", encoding="utf-8") as f:
                    f.write("*\n")
            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self._entries, f)
            os.replace(tmp, self.path)
