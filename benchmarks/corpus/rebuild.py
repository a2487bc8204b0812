"""Bring the corpus files back from git snapshots of their repositories.

The files the manifest lists are not committed (they are other people's code). This script
writes each missing one (or one whose sha256 differs) to `files/<owner>__<name>/<path>` (or
`files/<checkout>/<path>`) with `git show <commit>:<path>` from a git directory of its
repository, checks its sha256, and lists the repositories it found no git directory for.

A repository's git directory is looked for under each `--mirrors` folder (default: /work/.mirror,
where a session's search tool `fetch("github:<owner>/<name>")` puts its snapshots) as
`<owner>+<name>/repo` (a bare repository or a clone), `<owner>+<name>`, `<owner>__<name>` or
`<owner>/<name>`; `--repo OWNER/NAME=DIR` names one directly (any clone holding the commit).

Usage: python benchmarks/corpus/rebuild.py [--mirrors DIR]... [--repo OWNER/NAME=DIR]... [--check]
Standard library and git only; no network.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from entries import Entry, check, load_manifest

DEFAULT_MIRRORS = Path("/work/.mirror")


def git_dirs(repo: str, mirrors: Sequence[Path], named: dict[str, Path]) -> list[Path]:
    """Candidate git directories (or work trees) for `owner/name`, most specific first."""
    owner, name = repo.split("/", 1)
    found = [named[repo]] if repo in named else []
    for root in mirrors:
        for folder in (
            f"{owner}+{name}/repo",
            f"{owner}+{name}",
            f"{owner}__{name}",
            f"{owner}/{name}",
        ):
            found += [root / folder]
    return [d for d in found if d.is_dir()]


def show(directory: Path, commit: str, path: str) -> bytes | None:
    """The file at that commit in the repository at `directory` (git dir or work tree), if there."""
    done = subprocess.run(
        ["git", "-C", str(directory), "show", f"{commit}:{path}"], capture_output=True, check=False
    )
    return done.stdout if done.returncode == 0 else None


def rebuild(entry: Entry, directories: Sequence[Path]) -> str | None:
    """Write the entry's file from the first directory that has it with the recorded sha256;
    None on success, else why not."""
    if not directories:
        return "no git directory of the repository"
    for directory in directories:
        data = show(directory, entry.commit, entry.path)
        if data is None:
            continue
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            return f"{directory}: the file at {entry.commit[:12]} has another sha256"
        entry.local.parent.mkdir(parents=True, exist_ok=True)
        entry.local.write_bytes(data)
        return None
    return f"commit {entry.commit[:12]} or the path is not in " + ", ".join(map(str, directories))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--mirrors",
        type=Path,
        action="append",
        metavar="DIR",
        help=f"folder of repository snapshots (repeatable; default {DEFAULT_MIRRORS})",
    )
    parser.add_argument(
        "--repo",
        action="append",
        default=[],
        metavar="OWNER/NAME=DIR",
        help="a git directory or clone of one repository (repeatable)",
    )
    parser.add_argument(
        "--check", action="store_true", help="only list the files that are missing or differ"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    mirrors = args.mirrors or [DEFAULT_MIRRORS]
    named = {}
    for item in args.repo:
        repo, _, directory = item.partition("=")
        named[repo] = Path(directory)
    entries = load_manifest()
    todo = [(e, problem) for e in entries if (problem := check(e)) is not None]
    if args.check or not todo:
        for entry, problem in todo:
            print(f"{entry.name} at {entry.commit}: {problem}")
        print(f"{len(entries) - len(todo)} of {len(entries)} files present.")
        return 1 if todo else 0
    failed: dict[str, list[str]] = defaultdict(list)
    for entry, _ in todo:
        problem = rebuild(entry, git_dirs(entry.repo, mirrors, named))
        if problem is not None:
            failed[entry.repo].append(f"{entry.path} at {entry.commit[:12]}: {problem}")
    rebuilt = len(todo) - sum(map(len, failed.values()))
    print(
        f"{rebuilt} files rebuilt; {len(entries) - len(todo) + rebuilt} of {len(entries)} present."
    )
    if failed:
        print(f"\nNot rebuilt ({len(failed)} repositories; fetch them, then run this again):")
        for repo, problems in sorted(failed.items()):
            print(f"- {repo}")
            for problem in problems:
                print(f"    {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
