"""Measure genai2openai's speed.

    python scripts/benchmark.py [TREE] [--repeat N]

1. `genai2openai --check TREE` against `ruff check TREE` (if ruff is installed), wall time, best
   of N. Default TREE: the running Python's standard library (few files mention the SDK: this
   measures discovery and the byte-level pre-filter).
2. The per-file cost of the migration on files that do use the SDK (the fixture inputs):
   parse alone, parse + analysis, and the whole migration.
3. With `--synthetic N`: `genai2openai --check` on a temporary tree holding every fixture input
   N times (a repository where every file uses the SDK), with 1 job and with all CPUs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import libcst as cst

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codemod.analysis import ModuleAnalysis  # noqa: E402
from codemod.ftypes import Options  # noqa: E402
from codemod.migrate import migrate_source  # noqa: E402


def best_of(repeat: int, command: list[str]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def tree_benchmark(tree: Path, repeat: int) -> None:
    files = sum(1 for _ in tree.rglob("*.py"))
    print(f"tree: {tree} ({files} .py files)")
    ours = best_of(repeat, [sys.executable, "-m", "codemod", "--check", "--quiet", str(tree)])
    print(f"  genai2openai --check: {ours:.2f} s")
    ruff = shutil.which("ruff")
    if ruff:
        theirs = best_of(repeat, [ruff, "check", "--no-cache", "--exit-zero", "--quiet", str(tree)])
        print(f"  ruff check:           {theirs:.2f} s")


def per_file_benchmark(repeat: int) -> None:
    sources = [p.read_text() for p in sorted((ROOT / "tests" / "fixtures").glob("*/input.py"))]
    if not sources:
        return
    rounds = max(1, repeat) * 5

    def clock(step) -> float:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        for _ in range(rounds):
            for source in sources:
                step(source)
        return (time.perf_counter() - start) / (rounds * len(sources)) * 1000

    parse = clock(cst.parse_module)
    # Scopes are resolved on first use: ask for the SDK references, which need them.
    analyse = clock(lambda s: ModuleAnalysis.of(cst.parse_module(s)).sdk_references())
    migrate = clock(lambda s: migrate_source(s, Options()))
    print(f"SDK files ({len(sources)} fixture inputs), per file:")
    print(f"  parse {parse:.2f} ms, parse+analysis {analyse:.2f} ms ({analyse / parse:.1f}x), whole migration {migrate:.2f} ms")


def synthetic_benchmark(copies: int, repeat: int) -> None:
    inputs = sorted((ROOT / "tests" / "fixtures").glob("*/input.py"))
    with tempfile.TemporaryDirectory() as tmp:
        for copy in range(copies):
            folder = Path(tmp) / f"pkg{copy}"
            folder.mkdir()
            for source in inputs:
                (folder / f"{source.parent.name}.py").write_bytes(source.read_bytes())
        total = copies * len(inputs)
        print(f"synthetic tree: {total} files, all using the SDK")
        for jobs in (1, os.cpu_count() or 1):
            seconds = best_of(repeat, [sys.executable, "-m", "codemod", "--check", "--quiet", "--jobs", str(jobs), tmp])
            print(f"  --jobs {jobs}: {seconds:.2f} s ({total / seconds:.0f} files/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree", nargs="?", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=0, metavar="N")
    args = parser.parse_args()
    tree_benchmark(args.tree, args.repeat)
    per_file_benchmark(args.repeat)
    if args.synthetic:
        synthetic_benchmark(args.synthetic, args.repeat)


if __name__ == "__main__":
    main()
