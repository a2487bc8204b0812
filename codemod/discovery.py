"""Find the files a run should look at: walk directories, honour .gitignore and --exclude.

Python files are migrated; notebooks and the text files a repository commits (`.env`, YAML,
JSON, TOML, INI, Markdown, shell scripts...) are scanned for keys.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".venv",
        "venv",
        ".env",
        "env",
        ".direnv",
        "site-packages",
        "__pycache__",
        "__pypackages__",
        "node_modules",
        "build",
        "dist",
        "_build",
        "buck-out",
        ".eggs",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        ".ipynb_checkpoints",
    }
)
# A directory holding this file is a virtual environment, whatever its name.
VENV_MARKER = "pyvenv.cfg"
PYTHON, NOTEBOOK, TEXT = "python", "notebook", "text"
TEXT_SUFFIXES = frozenset(
    {".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".md", ".rst", ".txt", ".sh", ".bash", ".zsh", ".env"}
)
ENV_FILE_NAMES = frozenset({".env", ".envrc"})


def file_kind(name: str) -> str | None:
    """`python`, `notebook`, `text` (scanned for keys only), or None for files a run skips."""
    if name.endswith(".py"):
        return PYTHON
    if name.endswith(".ipynb"):
        return NOTEBOOK
    if name in ENV_FILE_NAMES or name.startswith(".env."):
        return TEXT
    return TEXT if os.path.splitext(name)[1].lower() in TEXT_SUFFIXES else None


class DiscoveryError(Exception):
    """A path argument that cannot be used (missing, or neither a file nor a directory)."""


@dataclass(frozen=True)
class IgnoreRule:
    """One line of a .gitignore file, compiled; it applies below `prefix` (its directory)."""

    prefix: str
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool

    def matches(self, abs_path: str, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        if not abs_path.startswith(self.prefix):
            return False
        rel = abs_path[len(self.prefix) :].replace(os.sep, "/")
        return self.regex.fullmatch(rel) is not None


def discover(paths: Sequence[Path], excludes: Sequence[str] = ()) -> list[Path]:
    """Files to process, sorted and deduplicated; explicit file arguments are always kept."""
    found: dict[str, Path] = {}
    patterns = tuple(_normalize_exclude(pattern) for pattern in excludes)
    for path in paths:
        for file in _expand(Path(path), patterns):
            found.setdefault(os.path.realpath(file), file)
    return sorted(found.values())


def _expand(path: Path, excludes: tuple[str, ...]) -> Iterator[Path]:
    if path.is_dir():
        yield from _walk(path, excludes)
    elif path.is_file():
        yield path
    elif path.exists():
        raise DiscoveryError(f"{path}: not a regular file or directory")
    else:
        raise DiscoveryError(f"{path}: no such file or directory")


def _walk(root: Path, excludes: tuple[str, ...]) -> Iterator[Path]:
    """Depth-first walk with os.scandir, pruning skipped, excluded and ignored directories."""
    abs_root = os.path.abspath(root)
    stack: list[tuple[str, str, tuple[IgnoreRule, ...]]] = [
        (abs_root, "", tuple(_inherited_rules(abs_root)))
    ]
    while stack:
        abs_dir, rel_dir, rules = stack.pop()
        entries = _scan(abs_dir)
        names = {entry.name for entry in entries}
        if rel_dir and VENV_MARKER in names:
            continue
        if ".gitignore" in names:
            rules = rules + tuple(read_gitignore(os.path.join(abs_dir, ".gitignore"), abs_dir))
        for entry, rel, is_dir in _kept(entries, rel_dir, excludes, rules):
            if is_dir:
                stack.append((entry.path, rel, rules))
            elif file_kind(entry.name) is not None:
                yield root / rel


def _kept(
    entries: list[os.DirEntry[str]],
    rel_dir: str,
    excludes: tuple[str, ...],
    rules: tuple[IgnoreRule, ...],
) -> Iterator[tuple[os.DirEntry[str], str, bool]]:
    """Entries that are neither symlinks, tool directories, excluded nor ignored: (entry, rel, is_dir)."""
    for entry in entries:
        kind = _kind(entry)
        if kind is None:
            continue
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        is_dir = kind == "dir"
        if not _skipped(entry.name, rel, is_dir, excludes, rules, entry.path):
            yield entry, rel, is_dir


def _scan(abs_dir: str) -> list[os.DirEntry[str]]:
    """Directory entries; an unreadable directory is treated as empty."""
    try:
        with os.scandir(abs_dir) as it:
            return list(it)
    except OSError:
        return []


def _kind(entry: os.DirEntry[str]) -> str | None:
    """'dir', 'file', or None for symlinks and anything else (symlinks could loop or leave the tree)."""
    try:
        if entry.is_symlink():
            return None
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        if entry.is_file(follow_symlinks=False):
            return "file"
    except OSError:
        pass
    return None


def _skipped(
    name: str,
    rel: str,
    is_dir: bool,
    excludes: tuple[str, ...],
    rules: tuple[IgnoreRule, ...],
    abs_path: str,
) -> bool:
    if is_dir and (name in SKIP_DIRS or name.endswith(".egg-info")):
        return True
    if any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in excludes):
        return True
    return is_ignored(rules, abs_path, is_dir)


def _normalize_exclude(pattern: str) -> str:
    pattern = pattern.replace(os.sep, "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or pattern


def is_ignored(rules: Sequence[IgnoreRule], abs_path: str, is_dir: bool) -> bool:
    """Git's rule: the last matching pattern decides; deeper .gitignore files come later."""
    for rule in reversed(rules):
        if rule.matches(abs_path, is_dir):
            return not rule.negated
    return False


def repository_root(start: Path) -> Path:
    """The git repository holding `start` (a directory), else `start` itself."""
    absolute = os.path.abspath(start)
    return Path(_repo_root(absolute) or absolute)


def _inherited_rules(abs_dir: str) -> list[IgnoreRule]:
    """Rules from .git/info/exclude and the .gitignore files above `abs_dir`, up to its repository root."""
    repo = _repo_root(abs_dir)
    if repo is None:
        return []  # outside a repository only the walked tree's own .gitignore files count
    rules = read_gitignore(os.path.join(repo, ".git", "info", "exclude"), repo)
    for directory in _ancestors(abs_dir, repo):
        rules += read_gitignore(os.path.join(directory, ".gitignore"), directory)
    return rules


def _repo_root(abs_dir: str) -> str | None:
    current = abs_dir
    while not os.path.exists(os.path.join(current, ".git")):
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
    return current


def _ancestors(abs_dir: str, top: str) -> list[str]:
    """Directories from `top` down to the parent of `abs_dir` (empty when they are the same)."""
    chain: list[str] = []
    current = abs_dir
    while current != top:
        current = os.path.dirname(current)
        chain.append(current)
    return chain[::-1]


def read_gitignore(path: str, base: str) -> list[IgnoreRule]:
    """Compile the patterns of one ignore file; a missing or unreadable file has none."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    prefix = base if base.endswith(os.sep) else base + os.sep
    return [rule for line in lines if (rule := parse_pattern(line, prefix)) is not None]


def parse_pattern(line: str, prefix: str) -> IgnoreRule | None:
    """One gitignore line → rule, or None for blanks and comments."""
    line = re.sub(r"(?<!\\) +$", "", line)
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    if not anchored and not line.startswith("**"):
        line = "**/" + line
    return IgnoreRule(prefix, re.compile(translate(line)), negated, dir_only)


def translate(pattern: str) -> str:
    """Gitignore glob → regex: `*`/`?` stay within one path segment, `**` spans segments."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i) and i + 2 == n and (i == 0 or pattern[i - 1] == "/"):
            out.append(".*")
            i += 2
        else:
            token, i = _translate_one(pattern, i)
            out.append(token)
    return "".join(out)


def _translate_one(pattern: str, i: int) -> tuple[str, int]:
    char = pattern[i]
    if char == "*":
        while i < len(pattern) and pattern[i] == "*":
            i += 1
        return "[^/]*", i
    if char == "?":
        return "[^/]", i + 1
    if char == "\\" and i + 1 < len(pattern):
        return re.escape(pattern[i + 1]), i + 2
    if char == "[":
        return _translate_class(pattern, i)
    return re.escape(char), i + 1


def _translate_class(pattern: str, i: int) -> tuple[str, int]:
    """`[abc]`, `[!a-z]`, `[]x]`; an unclosed `[` is a literal."""
    start = i + 1
    negated = pattern[start : start + 1] in ("!", "^")
    start += negated
    end = pattern.find("]", start + 1 if pattern[start : start + 1] == "]" else start)
    if end == -1:
        return re.escape("["), i + 1
    body = "".join(c if c == "-" else re.escape(c) for c in pattern[start:end])
    return ("[^" if negated else "[") + body + "]", end + 1
