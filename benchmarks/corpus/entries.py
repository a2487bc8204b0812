"""The corpus manifest: its entries and where each file lives on disk.

Shared by `run.py` (which measures the migration) and `rebuild.py` (which brings the files back
from git snapshots); standard library only.

A manifest entry is a JSON object with `repo` ("owner/name"), `path` (inside the repository),
`commit` (the full hash the file was read at), `sha256` (of its bytes) and `why` (what it shows),
and optionally:

- `sdk`: the Gemini SDK the file imported when it was added ("google.generativeai",
  "google-genai", "both", or "none" for a related module that uses neither directly). Informative
  only: run.py decides a file's SDK from its imports and notes any difference.
- `checkout`: the folder under `files/` that holds it, when it is not `<owner>__<name>`. Used when
  the corpus holds a repository at two commits whose files would collide (a project's old-SDK
  code and the same project after its own move to google-genai); each checkout is migrated as
  a project of its own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
FILES = HERE / "files"


@dataclass(frozen=True)
class Entry:
    """One manifest entry."""

    repo: str
    path: str
    commit: str
    sha256: str
    why: str = ""
    sdk: str = ""
    checkout: str = ""

    @property
    def folder(self) -> str:
        """The folder under `files/` holding this entry's repository."""
        return self.checkout or self.repo.replace("/", "__")

    @property
    def local_repo(self) -> Path:
        return FILES / self.folder

    @property
    def local(self) -> Path:
        return self.local_repo / self.path

    @property
    def name(self) -> str:
        """`owner/name/path`, with `@<commit>` after the repository for a separate checkout."""
        repo = f"{self.repo}@{self.commit[:12]}" if self.checkout else self.repo
        return f"{repo}/{self.path}"


def load_manifest(only: str | None = None) -> list[Entry]:
    """The manifest's entries, optionally those of one repository."""
    entries = [Entry(**raw) for raw in json.loads(MANIFEST.read_text(encoding="utf-8"))]
    return [e for e in entries if only is None or e.repo == only]


def check(entry: Entry) -> str | None:
    """None if the stored file exists with the recorded sha256, else why not."""
    try:
        data = entry.local.read_bytes()
    except OSError:
        return "missing"
    return None if hashlib.sha256(data).hexdigest() == entry.sha256 else "sha256 differs"


def present(entries: Iterable[Entry]) -> tuple[list[Entry], list[tuple[Entry, str]]]:
    """Entries whose stored file exists with the recorded sha256, and the others with the reason."""
    ok: list[Entry] = []
    bad: list[tuple[Entry, str]] = []
    for entry in entries:
        problem = check(entry)
        if problem is None:
            ok.append(entry)
        else:
            bad.append((entry, problem))
    return ok, bad
