"""Tests for codemod.runner: reading, decoding, per-file errors, parallelism and safe writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from codemod import migrate as migrate_module
from codemod import runner
from codemod.ftypes import FileResult, Migration, Options
from codemod.runner import load, run, write_all, write_file

OPTIONS = Options()
# Mentions the SDK (so the file is parsed) but only in a comment, so the real transform keeps it.
UNCHANGED = "# not using generativeai here\nx = 1\n"
KEY = "AIza" + "S" * 35


def upper_marker(source: str, options: Options, *, path: str = "<string>", index: object = None) -> Migration:
    """Stub collaborator: a 'migration' that only uppercases the word `marker`."""
    return Migration(source=source.replace("marker", "MARKER"))


@pytest.fixture
def stub_migrate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrate_module, "migrate_source", upper_marker)


def run_one(path: Path) -> FileResult:
    (result,) = run([path], OPTIONS, jobs=1)
    return result


def test_file_without_sdk_is_not_decoded_or_parsed(tmp_path: Path) -> None:
    path = tmp_path / "plain.py"
    path.write_bytes(b"\xff\xfe not even text (\n")
    assert run_one(path) == FileResult(str(path))


def test_openai_file_naming_a_retired_model_is_parsed_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text('from openai import OpenAI\nOpenAI().models.retrieve("gemini-1.5-flash")\n')
    result = run_one(path)
    assert [f.kind.value for f in result.findings] == ["retired-model"] and not result.changed
    plain = tmp_path / "plain.py"
    plain.write_bytes(b'MODEL = "gemini-1.5-flash"  # no OpenAI SDK: not parsed \xff\n')
    assert run_one(plain) == FileResult(str(plain))


def test_sdk_file_is_migrated_with_text_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text(UNCHANGED)
    result = run_one(path)
    assert (result.path, result.original, result.migrated, result.error) == (
        str(path),
        UNCHANGED,
        UNCHANGED,
        None,
    )
    assert not result.changed


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        (b"\xef\xbb\xbf# generativeai marker\r\ns = 'caf\xc3\xa9'\r\n", "utf-8", True),
        (
            b"# -*- coding: latin-1 -*-\r\n# generativeai marker\r\ns = 'caf\xe9'\r\n",
            "iso-8859-1",
            False,
        ),
        (b"# generativeai marker\rs = 'caf\xc3\xa9'\r\n", "utf-8", False),
    ],
    ids=["bom-crlf", "latin1-cookie-crlf", "mixed-endings"],
)
@pytest.mark.usefixtures("stub_migrate")
def test_write_round_trips_bytes(tmp_path: Path, data: bytes, encoding: str, bom: bool) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(data)
    result = run_one(path)
    assert (result.encoding, result.bom) == (encoding, bom)
    assert "\r\n" in (result.original or "") and "\ufeff" not in (result.original or "")
    assert write_file(result).error is None
    assert path.read_bytes() == data.replace(b"marker", b"MARKER")


def test_unchanged_bom_cookie_crlf_file_is_identity(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf# -*- coding: utf-8 -*-\r\n# generativeai\r\ns = 'caf\xc3\xa9'\r\n"
    path = tmp_path / "a.py"
    path.write_bytes(data)
    result = run_one(path)
    assert not result.changed
    assert runner.encode(result.migrated or "", result.encoding, result.bom) == data
    assert write_all([result]) == [result]
    assert path.read_bytes() == data


def test_load_decodes_like_python(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"# coding: latin-1\nx = '\xe9'\n")
    loaded = load(path)
    assert (loaded.text, loaded.encoding, loaded.bom) == (
        "# coding: latin-1\nx = 'é'\n",
        "iso-8859-1",
        False,
    )


@pytest.mark.usefixtures("stub_migrate")
def test_write_preserves_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_text("# generativeai marker\n")
    path.chmod(0o750)
    assert write_file(run_one(path)).error is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert path.read_text() == "# generativeai MARKER\n"


@pytest.mark.usefixtures("stub_migrate")
def test_failed_replace_leaves_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.py"
    path.write_text("# generativeai marker\n")
    result = run_one(path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    written = write_file(result)
    assert written.error == "cannot write: No space left on device"
    assert path.read_text() == "# generativeai marker\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py"]


def test_refuses_to_write_code_that_parses_but_does_not_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.py"
    path.write_text(UNCHANGED)
    broken = "def f():\n    x = 1\n    global x\n"  # LibCST parses it; Python refuses it
    monkeypatch.setattr(migrate_module, "migrate_source", lambda s, o, path, index=None: Migration(source=broken))
    written = write_file(run_one(path))
    assert written.error is not None and "does not compile" in written.error
    assert path.read_text() == UNCHANGED


def test_refuses_to_write_code_that_does_not_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.py"
    path.write_text(UNCHANGED)
    monkeypatch.setattr(migrate_module, "migrate_source", lambda s, o, path, index=None: Migration(source="x = (\n"))
    written = write_file(run_one(path))
    assert written.error is not None and "does not parse" in written.error
    assert path.read_text() == UNCHANGED


@pytest.mark.usefixtures("stub_migrate")
def test_refuses_to_write_when_file_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("# generativeai marker\n")
    result = run_one(path)
    path.write_text("# generativeai marker\nedited = True\n")
    assert "changed on disk" in (write_file(result).error or "")
    assert path.read_text() == "# generativeai marker\nedited = True\n"


def test_unencodable_migration_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"# coding: latin-1\n# generativeai\n"
    path = tmp_path / "a.py"
    path.write_bytes(data)
    monkeypatch.setattr(
        migrate_module, "migrate_source", lambda s, o, path, index=None: Migration(source=s + "# \u20ac\n")
    )
    written = write_file(run_one(path))
    assert (written.error or "").startswith("cannot encode as iso-8859-1")
    assert path.read_bytes() == data


def test_unparsable_file_is_an_error_and_others_continue(tmp_path: Path) -> None:
    bad, good = tmp_path / "bad.py", tmp_path / "good.py"
    bad.write_text("import google.generativeai\nx = (\n")
    good.write_text(UNCHANGED)
    results = run([bad, good], OPTIONS, jobs=1)
    assert (results[0].error or "").startswith("cannot parse:")
    assert "\n" not in (results[0].error or "")
    assert results[1].error is None and results[1].original == UNCHANGED


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"# generativeai\n\nx = '\xff'\n", "cannot decode: 'utf-8' codec can't decode byte 0xff"),
        (b"# generativeai\nx = '\xff'\n", "cannot decode: invalid or missing encoding declaration"),
        (b"# coding: klingon\n# generativeai\n", "cannot decode: unknown encoding"),
        (b"\xef\xbb\xbf# coding: latin-1\n# generativeai\n", "cannot decode: encoding problem"),
    ],
    ids=["invalid-utf8", "invalid-utf8-in-first-lines", "unknown-cookie", "bom-with-other-cookie"],
)
def test_undecodable_file_is_an_error(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(data)
    assert (run_one(path).error or "").startswith(reason)


def test_recursion_error_is_reported_like_a_parse_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def too_deep(source: str, options: Options, *, path: str, index: object = None) -> Migration:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(migrate_module, "migrate_source", too_deep)
    path = tmp_path / "a.py"
    path.write_text(UNCHANGED)
    assert run_one(path).error == "cannot parse: too deeply nested"


def test_internal_error_is_labelled_and_redacts_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(source: str, options: Options, *, path: str, index: object = None) -> Migration:
        raise ValueError(f"bad value\n{KEY}")

    monkeypatch.setattr(migrate_module, "migrate_source", crash)
    path = tmp_path / "a.py"
    path.write_text(UNCHANGED)
    error = run_one(path).error or ""
    assert error.startswith("internal error: ValueError: bad value AIza")
    assert KEY not in error


def test_unreadable_path_is_an_error(tmp_path: Path) -> None:
    assert (run_one(tmp_path).error or "").startswith("cannot read:")


def _count_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Replace the runner's process pool with one that notes each start (in this process)."""
    started: list[int] = []

    class CountedPool(runner.ProcessPoolExecutor):
        def __init__(self, max_workers: int) -> None:
            started.append(max_workers)
            super().__init__(max_workers=max_workers)

    monkeypatch.setattr(runner, "ProcessPoolExecutor", CountedPool)
    return started


def test_process_pool_keeps_input_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = []
    for i in range(3 * runner.PARALLEL_THRESHOLD):
        path = tmp_path / f"m{i:02d}.py"
        path.write_text(f"# generativeai\nx = {i}\n" if i % 3 else "x = (\n# generativeai\n")
        files.append(path)
    files.insert(5, tmp_path / "plain.py")
    files[5].write_text("y = 1\n")
    started = _count_pools(monkeypatch)
    parallel = run(files, OPTIONS, jobs=2)
    assert started == [2]
    assert [r.path for r in parallel] == [str(p) for p in files]
    assert parallel == run(files, OPTIONS, jobs=1)
    assert [r.error is not None for r in parallel].count(True) == runner.PARALLEL_THRESHOLD
    assert parallel[5] == FileResult(str(files[5]))


def test_many_files_are_prefiltered_by_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = []
    for i in range(runner.MANY_FILES + 1):
        path = tmp_path / f"m{i:03d}.py"
        path.write_text("import google.generativeai as genai\nprint(genai)\n" if i % 50 == 0 else f"x = {i}\n")
        files.append(path)
    files.append(tmp_path / "gone.py")  # as if deleted after discovery
    parallel = run(files, OPTIONS, jobs=2)
    assert parallel == run(files, OPTIONS, jobs=1)
    assert sum(r.original is not None for r in parallel) == 6
    assert (parallel[-1].error or "").startswith("cannot read:")


def test_one_pool_serves_every_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "llm.py").write_text(
        'import google.generativeai as genai\n\ngenai.configure(api_key="x")\nmodel = genai.GenerativeModel("gemini-2.0-flash")\n'
    )
    files = [tmp_path / "llm.py"]
    for i in range(2 * runner.PARALLEL_THRESHOLD):
        files.append(tmp_path / f"app{i:02d}.py")
        files[-1].write_text(f'from llm import model\n\nprint(model.generate_content("q{i}").text)\n')
    started = _count_pools(monkeypatch)
    parallel = run(files, OPTIONS, jobs=2)
    assert started == [2]
    assert parallel == run(files, OPTIONS, jobs=1)
    assert all(r.changed for r in parallel)
    assert all("chat.completions.create" in (r.migrated or "") for r in parallel[1:])


def test_few_files_stay_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.py"
    path.write_text(UNCHANGED)
    started = _count_pools(monkeypatch)
    assert run([path] * 3, OPTIONS, jobs=4)[0].original == UNCHANGED
    assert started == []


def test_progress_hears_every_parsed_file(tmp_path: Path) -> None:
    files = [tmp_path / f"m{i}.py" for i in range(12)]
    for path in files:
        path.write_text("import google.generativeai as genai\n")
    for jobs in (1, 2):
        heard: list[tuple[int, int]] = []
        run(files, OPTIONS, jobs=jobs, progress=lambda done, total, heard=heard: heard.append((done, total)))
        assert heard and heard[-1] == (12, 12)
        assert [done for done, _ in heard] == sorted(done for done, _ in heard)
