"""Tests for codemod.discovery: walking, skipped directories, .gitignore, --exclude."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemod.discovery import DiscoveryError, discover, file_kind


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def found(root: Path, *args: str, excludes: tuple[str, ...] = ()) -> list[str]:
    """Discovered files as posix paths relative to `root`."""
    paths = [root / arg for arg in args] if args else [root]
    return [p.relative_to(root).as_posix() for p in discover(paths, excludes)]


def test_walks_python_notebook_and_text_files_sorted(tmp_path: Path) -> None:
    touch(tmp_path, "b.py", "a.py", "pkg/c.py", "notes.txt", "pkg/data.json", "stub.pyi", "nb.ipynb")
    touch(tmp_path, ".env", ".env.local", "image.png", "lib.so", "Makefile", "deploy.sh", "conf/app.yaml")
    assert found(tmp_path) == [
        ".env", ".env.local", "a.py", "b.py", "conf/app.yaml", "deploy.sh", "nb.ipynb", "notes.txt",
        "pkg/c.py", "pkg/data.json",
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.py", "python"), ("a.ipynb", "notebook"), (".env", "text"), (".env.production", "text"),
     ("prod.env", "text"), (".envrc", "text"), ("config.YML", "text"), ("setup.cfg", "text"),
     ("README.md", "text"), ("run.sh", "text"), ("a.pyi", None), ("logo.png", None), ("Makefile", None)],
)
def test_file_kind(name: str, kind: str | None) -> None:
    assert file_kind(name) == kind


@pytest.mark.parametrize(
    "skipped",
    [".git", ".hg", ".venv", "venv", "site-packages", "__pycache__", "node_modules", "build"]
    + ["dist", ".tox", ".mypy_cache", "pkg.egg-info"],
)
def test_skips_tool_directories(tmp_path: Path, skipped: str) -> None:
    touch(tmp_path, "keep.py", f"{skipped}/drop.py", f"src/{skipped}/drop.py")
    assert found(tmp_path) == ["keep.py"]


def test_skips_virtualenv_by_marker(tmp_path: Path) -> None:
    touch(tmp_path, "keep.py", "myenv/lib/drop.py")
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    assert found(tmp_path) == ["keep.py"]


def test_gitignore_patterns(tmp_path: Path) -> None:
    touch(tmp_path, "keep.py", "gen_a.py", "sub/gen_b.py", "out/x.py", "sub/out/y.py", "root.py")
    touch(tmp_path, "sub/root.py")
    (tmp_path / ".gitignore").write_text("# comment\n\ngen_*.py\nout/\n/root.py\n")
    assert found(tmp_path) == ["keep.py", "sub/root.py"]


def test_gitignore_negation(tmp_path: Path) -> None:
    touch(tmp_path, "a_gen.py", "keep_gen.py", "plain.py")
    (tmp_path / ".gitignore").write_text("*_gen.py\n!keep_gen.py\n")
    assert found(tmp_path) == ["keep_gen.py", "plain.py"]


def test_gitignore_dir_only_pattern_does_not_match_files(tmp_path: Path) -> None:
    touch(tmp_path, "cache/a.py", "cache.py")
    (tmp_path / ".gitignore").write_text("cache/\n")
    assert found(tmp_path) == ["cache.py"]


def test_gitignore_double_star(tmp_path: Path) -> None:
    touch(tmp_path, "a/gen/x.py", "a/b/gen/y.py", "gen/z.py", "docs/a/keep.py", "docs/a/b/m.py")
    (tmp_path / ".gitignore").write_text("**/gen\ndocs/**/m.py\n")
    assert found(tmp_path) == ["docs/a/keep.py"]


def test_nested_gitignore_applies_to_its_subtree_only(tmp_path: Path) -> None:
    touch(tmp_path, "local.py", "sub/local.py", "sub/deeper/local.py", "sub/other.py")
    (tmp_path / ".gitignore").write_text("other.py\n")
    (tmp_path / "sub" / ".gitignore").write_text("local.py\n")
    assert found(tmp_path) == ["local.py"]


def test_nested_gitignore_can_negate_a_parent_pattern(tmp_path: Path) -> None:
    touch(tmp_path, "a_gen.py", "sub/a_gen.py")
    (tmp_path / ".gitignore").write_text("*_gen.py\n")
    (tmp_path / "sub" / ".gitignore").write_text("!a_gen.py\n")
    assert found(tmp_path) == ["sub/a_gen.py"]


def test_parent_gitignore_and_info_exclude_of_the_repository(tmp_path: Path) -> None:
    touch(tmp_path, "src/keep.py", "src/generated/x.py", "src/local_only.py")
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local_only.py\n")
    (tmp_path / ".gitignore").write_text("generated/\n")
    assert found(tmp_path, "src") == ["src/keep.py"]


def test_exclude_matches_basename_and_relative_path(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "test_a.py", "legacy/b.py", "pkg/legacy/c.py", "pkg/d.py")
    assert found(tmp_path, excludes=("test_*.py", "pkg/legacy")) == [
        "a.py",
        "legacy/b.py",
        "pkg/d.py",
    ]
    assert found(tmp_path, excludes=("legacy/",)) == ["a.py", "pkg/d.py", "test_a.py"]


def test_explicit_files_are_always_returned(tmp_path: Path) -> None:
    touch(tmp_path, "build/gen.py", "ignored.py", "script")
    (tmp_path / ".gitignore").write_text("ignored.py\n")
    args = ["build/gen.py", "ignored.py", "script"]
    assert found(tmp_path, *args, excludes=("ignored.py",)) == [
        "build/gen.py",
        "ignored.py",
        "script",
    ]


def test_deduplicates_overlapping_arguments(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py", "pkg/b.py")
    paths = discover([tmp_path / "pkg", tmp_path / "pkg" / "a.py", tmp_path])
    assert [p.name for p in paths] == ["a.py", "b.py"]


def test_keeps_paths_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path, "pkg/a.py")
    monkeypatch.chdir(tmp_path)
    assert discover([Path(".")]) == [Path("pkg/a.py")]
    assert discover([Path("pkg")]) == [Path("pkg/a.py")]


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(DiscoveryError, match="no such file or directory"):
        discover([tmp_path / "missing.py"])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_does_not_follow_symlinked_directories(tmp_path: Path) -> None:
    touch(tmp_path, "real/a.py")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert found(tmp_path) == ["real/a.py"]
