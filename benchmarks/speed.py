"""genai2openai's speed and memory next to baselines, on trees this script builds.

    python benchmarks/speed.py [--rounds N] [--timeout S] [--huge-lines N]

Cases (each run `--rounds` times, medians reported; peak memory is the largest resident set of
one process of the command, workers included):

- sparse: `--check` over the running Python's standard library and its site-packages (many
  files, few that use the SDK), against `ruff check --select F821` on the same paths.
- dense: `--check` over a tree of fixture inputs copied until it holds about 720 files that all
  use the SDK, against one process running `libcst.parse_module` on each file, and against
  `python -m libcst.tool codemod` with LibCST's no-op command.
- single: `--check` on one fixture (the pre-commit case), against `python -c "import libcst,
  click"`; and on one file of this repository that neither uses the SDK nor holds a key (what
  a hook sees most).
- huge: `--check` on one generated file of `--huge-lines` lines that uses the SDK, against
  `libcst.parse_module` of it (time and memory).
- growth: the dense tree at 1x, 2x and 4x its size: the cost should grow linearly.

Targets (issue 11): sparse <= 1.0x ruff, dense <= 1.5x the bare parse, single <= 2.0x the
import, huge <= 3x its parse with peak memory <= 1.5x, sparse peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PLAIN_FILE = ROOT / "codemod" / "lines.py"  # most files a hook sees: no SDK, no key
MEASURE = """\
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""
PARSE_ALL = """\
import sys, libcst
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        libcst.parse_module(f.read())
"""
HUGE_BLOCK = '''\
model_{i} = genai.GenerativeModel("gemini-2.0-flash", system_instruction="Answer briefly.")
reply_{i} = model_{i}.generate_content("Question {i}?")
print(reply_{i}.text)
'''


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float
    timed_out: bool = False


def measure(command: list[str], timeout: float) -> Sample:
    """Wall time and peak memory of one run of `command` (in a fresh process group, killed
    whole when the run is given up)."""
    with subprocess.Popen([sys.executable, "-c", MEASURE, *command], stdout=subprocess.PIPE, text=True, start_new_session=True) as process:
        try:
            out, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return Sample(timeout, 0.0, timed_out=True)
    seconds, rss_kb, _ = out.split()
    return Sample(float(seconds), int(rss_kb) / 1024)


def median(command: list[str], rounds: int, timeout: float) -> Sample:
    samples = [measure(command, timeout) for _ in range(rounds)]
    return Sample(statistics.median(s.seconds for s in samples), max(s.peak_mb for s in samples), any(s.timed_out for s in samples))


def ours(*args: str) -> list[str]:
    return [sys.executable, "-m", "codemod", "--check", "--quiet", *args]


def _in(directory: Path, command: list[str]) -> list[str]:
    """`command` run from `directory` (libcst.tool reads its configuration from there)."""
    subprocess.run([sys.executable, "-m", "libcst.tool", "initialize", "."], cwd=directory, capture_output=True, check=False)
    return ["sh", "-c", 'cd "$0" && exec "$@"', str(directory), *command]


def dense_tree(target: Path, files: int) -> list[Path]:
    """About `files` SDK programs: the fixtures' inputs that use the SDK, copied round-robin."""
    sources = [p for p in sorted(FIXTURES.glob("*/input.py")) if b"generativeai" in p.read_bytes()]
    made = []
    for n in range(files):
        source = sources[n % len(sources)]
        path = target / f"pkg{n // 100}" / f"m{n}_{source.parent.name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        made.append(path)
    return made


def huge_file(target: Path, lines: int) -> Path:
    path = target / "generated.py"
    blocks = max(1, lines // 3)
    text = "import google.generativeai as genai\n\n" + "".join(HUGE_BLOCK.format(i=i) for i in range(blocks))
    path.write_text(text)
    return path


def ruff_command() -> list[str] | None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    return [ruff] if Path(ruff).exists() else None


def row(name: str, mine: Sample, base: Sample | None, base_name: str, target: str) -> str:
    if base is None:
        return f"| {name} | {fmt(mine)} | {base_name}: not available | | {target} |"
    ratio = "n/a" if mine.timed_out or base.seconds <= 0 else f"{mine.seconds / base.seconds:.1f}x"
    return f"| {name} | {fmt(mine)} | {base_name}: {fmt(base)} | {ratio} | {target} |"


def fmt(sample: Sample) -> str:
    time_text = f">{sample.seconds:.0f} s (timed out)" if sample.timed_out else f"{sample.seconds:.2f} s"
    return f"{time_text}, {sample.peak_mb:.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is given up")
    parser.add_argument("--huge-lines", type=int, default=250_000)
    parser.add_argument("--dense-files", type=int, default=720)
    args = parser.parse_args()
    jobs = str(os.cpu_count() or 1)
    rows = ["| case | genai2openai | baseline | ratio | target |", "| --- | --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory(prefix="genai2openai-bench-") as tmp:
        work = Path(tmp)
        stdlib, site = sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"]
        ruff = ruff_command()
        sparse = median(ours("--jobs", jobs, stdlib, site), args.rounds, args.timeout)
        sparse_base = median([*ruff, "check", "--select", "F821", "--no-cache", "--exit-zero", "--quiet", stdlib, site], args.rounds, args.timeout) if ruff else None
        rows.append(row("sparse: stdlib + site-packages", sparse, sparse_base, "ruff F821", "<= 1.0x, < 300 MB"))

        dense = dense_tree(work / "dense", args.dense_files)
        mine = median(ours("--jobs", jobs, str(work / "dense")), args.rounds, args.timeout)
        parse = median([sys.executable, "-c", PARSE_ALL, *map(str, dense)], args.rounds, args.timeout)
        rows.append(row(f"dense: {len(dense)} SDK files", mine, parse, "parse_module, 1 process", "<= 1.5x"))
        noop = median(_in(work / "dense", [sys.executable, "-m", "libcst.tool", "codemod", "-x", "libcst.codemod.commands.noop.NOOPCommand", "--no-format", "--hide-progress", "-j", jobs, "."]), args.rounds, args.timeout)
        rows.append(row(f"dense: {len(dense)} SDK files", mine, noop, f"libcst.tool no-op codemod, {jobs} jobs", "(reference)"))

        single = FIXTURES / "model_inline" / "input.py"
        one = median(ours(str(single)), max(args.rounds, 5), args.timeout)
        imports = median([sys.executable, "-c", "import libcst, click"], max(args.rounds, 5), args.timeout)
        rows.append(row("single file (pre-commit), uses the SDK", one, imports, "import libcst, click", "<= 2.0x"))
        plain = median(ours(str(PLAIN_FILE)), max(args.rounds, 5), args.timeout)
        rows.append(row("single file (pre-commit), no SDK, no key", plain, imports, "import libcst, click", "(reference)"))

        huge = huge_file(work, args.huge_lines)
        big = median(ours(str(huge)), 1, args.timeout)
        big_parse = median([sys.executable, "-c", PARSE_ALL, str(huge)], 1, args.timeout)
        rows.append(row(f"huge: one {args.huge_lines:,}-line file", big, big_parse, "parse_module", "<= 3x, memory <= 1.5x"))

        growth = []
        for factor in (1, 2, 4):
            tree = work / f"growth{factor}"
            dense_tree(tree, args.dense_files * factor // 4)
            growth.append(median(ours("--jobs", jobs, str(tree)), 1, args.timeout))
        rows.append("| growth: dense tree 1x / 2x / 4x | " + " / ".join(f"{s.seconds:.2f} s" for s in growth) + " | | | linear |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
