"""Run the migration over many files: read, decode, migrate, and write back safely.

The pipeline per file is load → migrate → (later) write. A repository-index phase (first pass:
collect module-level SDK objects; second pass: find their importers) fits between the pre-filter
in `run` and the migration: it can reuse `load` on the pending files.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import stat
import sys
import tempfile
import tokenize
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from codemod.discovery import NOTEBOOK, PYTHON, TEXT, file_kind, repository_root
from codemod.ftypes import Export, FileResult, Migration, Options, RepoIndex
from codemod.notebooks import NotebookError, python_source, read_notebook
from codemod.prefilter import mentions_sdk
from codemod.repository import (
    PATH_CHANGE,
    ImportCache,
    ImportLine,
    ModuleMap,
    import_lines,
    importers,
    module_names,
    python_files,
)
from codemod.retired_models import may_call_retired
from codemod.secrets import may_hold_key, may_hold_key_position, redact_text

# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 8
# From this many files on, the pre-filter runs in the workers too.
MANY_FILES = 256
MAX_BATCH = 32
MAX_REASON = 300
# Text files (not Python, not notebooks) larger than this are data, not configuration: skipped.
MAX_TEXT_BYTES = 5_000_000


@dataclass(frozen=True)
class LoadedFile:
    """A file's text, decoded exactly as Python would, and how to encode it back."""

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False


def load(path: str | Path) -> LoadedFile:
    """Read and decode one file. Raises OSError, SyntaxError (bad cookie) or UnicodeDecodeError."""
    with open(path, "rb") as f:
        return decode(str(path), f.read())


def decode(path: str, data: bytes) -> LoadedFile:
    """Decode honouring a UTF-8 BOM and the PEP 263 cookie; line endings are kept as they are."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8"
    return LoadedFile(path, data.decode(encoding), encoding, bom)


def encode(text: str, encoding: str, bom: bool) -> bytes:
    """The inverse of `decode`."""
    return (codecs.BOM_UTF8 if bom else b"") + text.encode(encoding)


Progress = Callable[[int, int], None]  # (files done so far, files to do)


def run(files: Sequence[Path], options: Options, jobs: int, progress: Progress | None = None) -> list[FileResult]:
    """Migrate every file; results come back in input order and a bad file never stops the run.
    `progress` hears how many of the files are done. With `jobs` > 1 and enough files, worker
    processes read, pre-filter and migrate them, and stay for the passes that follow."""
    paths = [str(path) for path in files]
    with Workers(jobs) as workers:
        # Few files: the pre-filter runs here first, so that workers start only if enough files
        # need parsing. Many: the workers pre-filter them too.
        todo = paths if len(paths) >= MANY_FILES else [path for path in paths if _worth_a_look(path, options)]
        done = dict(zip(todo, workers.migrate(todo, options, progress)))
        first = [done.get(path) or FileResult(path) for path in paths]
        return _second_pass(first, options, workers)


def _worth_a_look(path: str, options: Options) -> bool:
    """The byte-level pre-filter (a file that cannot be read is worth a look: it is an error)."""
    try:
        with open(path, "rb") as f:
            return wanted(path, f.read(), options)
    except OSError:
        return True


MAX_ROUNDS = 30


def repo_index(
    results: Sequence[FileResult],
    kept: Mapping[str, Mapping[str, str]] | None = None,
    graph: ImportGraph | None = None,
    needed: Mapping[str, tuple[str, ...]] | None = None,
) -> RepoIndex:
    """What the passes so far learned: exported objects, configured clients, kept objects.
    `needed`: configure() calls that stay, as the first pass decided (see RepoIndex)."""
    exports: dict[str, dict[str, Export]] = {}
    clients: dict[str, tuple[str, str, bool]] = {}
    for result in results:
        if result.error is None and result.exports:
            exports[result.path] = {e.name: e for e in result.exports}
        if result.changed and result.client:
            for module in module_names(result.path):
                clients[module] = (result.client, result.path, result.client_in_function)
    if needed is None:
        needed = configure_needed(results, graph)
    configured_in: dict[str, tuple[str, ...]] = {}
    if clients and graph is not None:
        configuring_paths = {c[1] for c in clients.values()}
        for result in results:
            if result.default_client:
                linked = graph.linked(result.path)
                configured_in[result.path] = tuple(sorted(p for p in configuring_paths if p in linked and p != result.path))
    return RepoIndex(
        imports=graph.imports if graph is not None else {},
        imported_names=graph.imported_names if graph is not None else {},
        configured_in={p: c for p, c in configured_in.items() if c},
        exports=exports,
        kept=dict(kept or {}),
        clients=clients,
        configure_needed={p: n for p, n in needed.items() if n},
        imported_by=graph.imported_by if graph is not None else {},
        in_run=graph.in_run if graph is not None else frozenset(),
        modules=graph.modules if graph is not None else None,
    )


def configure_needed(results: Sequence[FileResult], graph: ImportGraph | None) -> dict[str, tuple[str, ...]]:
    """Modules that dropped their configure() → the modules of the same program that still use
    genai without configuring it."""
    needed: dict[str, tuple[str, ...]] = {}
    leaning = [r.path for r in results if r.leans_on_configure]
    configuring = [r.path for r in results if r.dropped_configure]
    if leaning and configuring and graph is not None:
        for path in configuring:
            linked = graph.linked(path)
            needed[path] = tuple(sorted(p for p in leaning if p in linked))
    return needed


@dataclass(frozen=True)
class ImportGraph:
    """Who imports whom among the run's Python files and the rest of their repository."""

    modules: ModuleMap
    imported_by: Mapping[str, tuple[str, ...]]
    lines: Mapping[str, Sequence[ImportLine]]
    in_run: frozenset[str]

    @cached_property
    def imported_names(self) -> dict[str, frozenset[str]]:
        """path → the names files import from it by name (`from config import genai, model`)."""
        found: dict[str, set[str]] = {}
        for importer, lines in self.lines.items():
            for line in lines:
                if line.names and (line.module or line.level):
                    for target in self.modules.resolve(importer, line.level, line.module):
                        found.setdefault(target, set()).update(line.names)
        return {path: frozenset(names) for path, names in found.items()}

    @cached_property
    def imports(self) -> dict[str, tuple[str, ...]]:
        """path → the files it may import."""
        found: dict[str, set[str]] = {}
        for target, importers_of in self.imported_by.items():
            for importer in importers_of:
                found.setdefault(importer, set()).add(target)
        return {path: tuple(sorted(targets)) for path, targets in found.items()}

    def linked(self, path: str) -> set[str]:
        """The files of the same program as `path`: linked to it by imports, either way,
        transitively (scripts side by side that do not import each other run apart)."""
        seen, todo = {path}, [path]
        while todo:
            current = todo.pop()
            for other in (*self.imports.get(current, ()), *self.imported_by.get(current, ())):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen


def import_graph(results: Sequence[FileResult], options: Options) -> ImportGraph:
    """The import lines of the run's Python files, and of the other Python files and notebooks
    of the repository holding them (read through the cache), resolved to files."""
    run_paths = [r.path for r in results if kind_of(r.path, options) == PYTHON]
    in_run = {os.path.abspath(p) for p in run_paths}
    notebooks = [r.path for r in results if r.path.endswith(".ipynb")]  # their imports are not followed
    seen = in_run | {os.path.abspath(p) for p in notebooks}
    outside = [*notebooks, *(p for p in _repository_files(run_paths) if os.path.abspath(p) not in seen)]
    module_paths = [*run_paths, *(p for p in outside if not p.endswith(".ipynb"))]
    modules = ModuleMap(module_paths)
    lines: dict[str, list[ImportLine]] = {}
    for path in run_paths:
        try:
            with open(path, "rb") as f:
                lines[path] = import_lines(f.read())
        except OSError:
            continue
    if outside:
        root = repository_root(Path(os.path.commonpath([os.path.abspath(p) for p in run_paths or outside])))
        cache = ImportCache(str(root) if (root / ".git").exists() else None)  # a cache only in a repository
        for path in outside:
            found = cache.lines(path)
            if found:
                lines[path] = found
        cache.save()
    modules.path_changers = {p for p, found in lines.items() if PATH_CHANGE in found}
    return ImportGraph(modules, importers(module_paths, lines, modules), lines, frozenset(run_paths))


def _repository_files(run_paths: Sequence[str]) -> list[str]:
    """The Python files and notebooks of the git repository around the run; none outside a
    repository (the run's files are all there is to see: a run over unrelated folders must not
    walk the file system above them)."""
    if not run_paths:
        return []
    common = os.path.commonpath([os.path.abspath(p) for p in run_paths])
    start = common if os.path.isdir(common) else os.path.dirname(common)
    root = repository_root(Path(start))
    if not (root / ".git").exists():
        return []
    return [_shown(p) for p in python_files(str(root))]


def _shown(path: str) -> str:
    """A path relative to the working directory when it is below it (as discovery gives them)."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _second_pass(results: list[FileResult], options: Options, workers: Workers) -> list[FileResult]:
    """Modules that use what another module of the run exports are migrated with it, in rounds:
    each round migrates exporters and importers knowing the previous round's exports and the
    objects kept on genai (an importer could not follow them), until nothing changes.

    Only files whose bytes name an exporting module (or that made a client of their own while
    another module configured genai) are read again and parsed."""
    kept: dict[str, dict[str, str]] = {}
    index = repo_index(results)
    # A module's public functions and classes may be called from its importers: any change to
    # a Python file needs the import graph.
    changed = any(r.changed and kind_of(r.path, options) == PYTHON for r in results)
    if not index and not changed:
        return results
    graph = import_graph(results, options)
    _keep_for_outside_importers(graph, index, kept)
    needed = configure_needed(results, graph)
    index = repo_index(results, kept, graph, needed)
    current = results
    for _ in range(MAX_ROUNDS):
        current = _again(current, options, index, workers)
        for result in current:
            for followed in result.followed:
                if followed.reason is not None:
                    kept.setdefault(followed.path, {}).setdefault(followed.name, followed.reason)
        following = repo_index(current, kept, graph, needed)
        _keep_for_outside_importers(graph, following, kept)  # what this round newly exports
        following = repo_index(current, kept, graph, needed)
        if _signature(following) == _signature(index):
            return current
        index = following
    # No fixed point: keep every exported object that any file imports, and migrate once more.
    for path, exported in index.exports.items():
        if index.imported_by.get(path):
            for name in exported:
                kept.setdefault(path, {}).setdefault(name, f"`{name}` is imported through a chain of modules genai2openai could not settle")
    index = repo_index(current, kept, graph, needed)
    return _again(current, options, index, workers)


def _signature(index: RepoIndex) -> tuple[object, ...]:
    exports = sorted((path, name, e.model is not None) for path, names in index.exports.items() for name, e in names.items())
    kept = sorted((path, name) for path, names in index.kept.items() for name in names)
    return (tuple(exports), tuple(kept), tuple(sorted(index.clients.items())), tuple(sorted(index.configure_needed.items())))


def _keep_for_outside_importers(graph: ImportGraph, index: RepoIndex, kept: dict[str, dict[str, str]]) -> None:
    """Objects imported by files of the repository the run does not change stay on genai."""
    for path, exported in index.exports.items():
        for importer in (p for p in graph.imported_by.get(path, ()) if p not in graph.in_run):
            names = _names_imported(graph, importer, path, exported)
            for name in names:
                why = (
                    "a notebook, whose imports of other modules genai2openai does not follow: the model stays on genai so that the notebook keeps working"
                    if importer.endswith(".ipynb")
                    else "which this run does not change: run genai2openai on both files"
                )
                kept.setdefault(path, {}).setdefault(name, f"`{name}` is imported by {importer}, {why}")


def _names_imported(graph: ImportGraph, importer: str, path: str, exported: Mapping[str, Export]) -> list[str]:
    found: set[str] = set()
    for line in graph.lines.get(importer, ()):
        module = graph.modules.resolve(importer, line.level, line.module) if line.module or line.level else []
        if path in module and line.names:
            found.update(n for n in line.names if n in exported)
        elif path in module or any(path in c for c in graph.modules.imported(importer, line)[1 if module else 0 :]):
            found.update(exported)
    return sorted(found)


def _again(results: list[FileResult], options: Options, index: RepoIndex, workers: Workers) -> list[FileResult]:
    """The results, with the files the index concerns migrated again knowing it."""
    again = list(results)
    todo = []
    for i, result in enumerate(results):
        if result.error is not None or kind_of(result.path, options) != PYTHON:
            continue
        try:
            with open(result.path, "rb") as f:
                data = f.read()
        except OSError as exc:
            again[i] = FileResult(result.path, error=describe_error(exc))
            continue
        if _concerned(result, data, index):
            todo.append(i)
    redone = workers.migrate([results[i].path for i in todo], options, index=index)
    for i, new in zip(todo, redone):
        # A file that never mentioned the SDK is no business of this run if it cannot be parsed.
        again[i] = results[i] if new.error is not None and results[i].original is None else new
    return again


def _concerned(result: FileResult, data: bytes, index: RepoIndex) -> bool:
    """Can the index change this file's migration? Decided on its bytes."""
    if result.path in index.kept or result.path in index.configure_needed:
        return True
    if index.imported_by.get(result.path) and mentions_sdk(data):
        return True  # its public functions and classes may be called from its importers
    involved = {*index.exports, *index.kept}
    if index.modules is not None:
        if involved & set(index.imports.get(result.path, ())):
            return True
        if b"import_module" not in data and b"__import__" not in data and not result.default_client:
            return False  # the import graph says it imports none of them
    stems = {module.rsplit(".", 1)[-1].encode() for path in involved for module in module_names(path)[:1]}
    stems |= {module.rsplit(".", 1)[-1].encode() for module in index.clients}
    return (
        any(stem in data for stem in stems)
        or (result.default_client and bool(index.clients))
    )


def kind_of(path: str, options: Options) -> str:
    """How a file is handled. A file named on the command line with another suffix is Python
    (a script), or in `--secrets-only` text (pre-commit passes every committed file)."""
    return file_kind(os.path.basename(path)) or (TEXT if options.secrets_only else PYTHON)


def wanted(path: str, data: bytes, options: Options) -> bool:
    """Byte-level pre-filter: does this file need decoding and a closer look?"""
    kind = kind_of(path, options)
    if kind in (PYTHON, NOTEBOOK):
        return _migratable(data, options) or may_hold_key(data) or may_hold_key_position(data)
    return len(data) <= MAX_TEXT_BYTES and may_hold_key(data)


def _migratable(data: bytes, options: Options) -> bool:
    """May this Python file or notebook need migrating (not only a key scan)?"""
    return not options.secrets_only and (mentions_sdk(data) or may_call_retired(data))


def migrate_file(path: str, options: Options, index: RepoIndex | None = None) -> FileResult:
    """Read and migrate (or scan) one file: the unit of work of a worker process. Without an
    index (the first pass) a file the pre-filter rules out is done without being decoded; with
    one, the file is one the index concerns (see `_concerned`) and is migrated again."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        return FileResult(path, error=describe_error(exc))
    if index is None and not wanted(path, data, options):
        return FileResult(path)
    return migrate_data(path, data, options, index)


def migrate_data(path: str, data: bytes, options: Options, index: RepoIndex | None = None) -> FileResult:
    """Decode and migrate (Python) or scan (notebooks, text) one file's bytes; every failure
    becomes `FileResult.error`."""
    from codemod.migrate import (  # the migration itself: only once a file needs it
        CellSyntaxError,
        migrate_source,
        scan_text,
    )
    from codemod.notebook_module import CellSplitError

    kind = kind_of(path, options)
    try:
        if kind == PYTHON:
            loaded = decode(path, data)
            migration = migrate_source(loaded.text, options, path=path, index=index)
        elif kind == NOTEBOOK:
            loaded, migration = _notebook(path, data, options)
        else:
            loaded = LoadedFile(path, data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace"))
            migration = scan_text(loaded.text, options, path=path)
    except (CellSyntaxError, CellSplitError) as exc:
        return _failed_notebook(path, data, options, exc)
    except Exception as exc:  # noqa: BLE001 - last resort: one bad file must never end the run
        return _failed(path, data, options, exc)
    return FileResult(
        path,
        original=loaded.text,
        migrated=migration.source,
        findings=migration.findings,
        secrets=migration.secrets,
        exports=migration.exports,
        followed=migration.followed,
        client=migration.client,
        client_in_function=migration.client_in_function,
        default_client=migration.default_client,
        leans_on_configure=migration.leans_on_configure,
        dropped_configure=migration.dropped_configure,
        encoding=loaded.encoding,
        bom=loaded.bom,
    )


def _notebook(path: str, data: bytes, options: Options) -> tuple[LoadedFile, Migration]:
    """A notebook migrated (UTF-8 only, as nbformat writes them: it is written back) or, with
    `--secrets-only`, for a notebook that cannot use the SDK, or one that is no valid UTF-8,
    scanned."""
    from codemod.migrate import migrate_notebook, scan_notebook

    migrated = _migratable(data, options)
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8") if migrated else None
    except UnicodeDecodeError:
        text = None
    if text is None:
        loaded = LoadedFile(path, data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace"))
        return loaded, scan_notebook(loaded.text, options, path=path)
    return LoadedFile(path, text, "utf-8", bom), migrate_notebook(text, options, path=path)


def _failed_notebook(path: str, data: bytes, options: Options, exc: Exception) -> FileResult:
    """A notebook left alone (`exc`: a CellSyntaxError or a CellSplitError): why, and the keys
    its scan found (every cell that parses with the syntax tree)."""
    from codemod.migrate import CellSyntaxError, scan_notebook

    if isinstance(exc, CellSyntaxError):
        scan = exc.scan
    else:
        scan = scan_notebook(data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace"), options, path=path)
    return FileResult(path, error=describe_error(exc), findings=scan.findings, secrets=scan.secrets)


def _failed(path: str, data: bytes, options: Options, exc: Exception) -> FileResult:
    """A file that could not be parsed or decoded: the reason, and the keys the patterns still
    find in it (a Python 2 script or a broken notebook can leak a key as well as any file)."""
    from codemod.migrate import scan_text

    scan = scan_text(data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace"), options, path=path)
    return FileResult(path, error=describe_error(exc), findings=scan.findings, secrets=scan.secrets)


def describe_error(exc: BaseException) -> str:
    """A one-line reason, without any key-looking token, for a file that could not be handled."""
    if _is_a(exc, "libcst", "ParserSyntaxError"):
        reason = f"cannot parse: {exc.message}"  # type: ignore[attr-defined]
    elif _is_a(exc, "libcst", "CSTValidationError"):
        reason = f"internal error: the rewrite would not be valid Python ({exc})"
    elif isinstance(exc, RecursionError):
        reason = "cannot parse: too deeply nested"
    elif isinstance(exc, UnicodeError):
        reason = f"cannot decode: {exc}"
    elif isinstance(exc, SyntaxError):
        reason = f"cannot decode: {exc.msg}"
    elif isinstance(exc, OSError):
        reason = f"cannot read: {exc.strerror or exc}"
    elif isinstance(exc, NotebookError):
        reason = f"cannot read the notebook: {exc}"
    elif _is_a(exc, "codemod.migrate", "CellSyntaxError"):
        reason = str(exc)
    elif _is_a(exc, "codemod.notebook_module", "CellSplitError"):
        reason = f"left unchanged: {exc}"
    else:
        reason = f"internal error: {type(exc).__name__}: {exc}"
    return _one_line(reason)


def _is_a(exc: BaseException, module: str, name: str) -> bool:
    """Is `exc` a `module.name`? A module not imported yet made no exception (this spares a run
    that parsed nothing the import of LibCST)."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(exc, getattr(loaded, name))


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    text = redact_text(text, ())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"




class Workers:
    """The worker processes of one run: started at the first pass with enough files, kept for
    the passes after it, fed batches of paths (never file contents) and returning results. With
    one job, few files, or no process support, the work runs in this process."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._usable = jobs > 1

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def migrate(self, paths: list[str], options: Options, progress: Progress | None = None, index: RepoIndex | None = None) -> list[FileResult]:
        """`migrate_file` on each path, results in the same order."""
        tick = progress or (lambda done, total: None)
        pool = self._started() if len(paths) >= PARALLEL_THRESHOLD else None
        if pool is None:
            done = []
            for path in paths:
                done.append(migrate_file(path, options, index))
                tick(len(done), len(paths))
            return done
        batches = list(_batches(paths, self.jobs))
        futures = [_submit(pool, batch, options, index) for batch in batches]
        results: list[FileResult] = []
        for future, batch in zip(futures, batches):
            results += _collect(future, batch, options, index)
            tick(len(results), len(paths))
        return results

    def _started(self) -> ProcessPoolExecutor | None:
        if self._pool is None and self._usable:
            try:
                self._pool = ProcessPoolExecutor(max_workers=self.jobs)
            except (OSError, ImportError, NotImplementedError):
                self._usable = False  # no process support here
        return self._pool


def _submit(
    pool: ProcessPoolExecutor, batch: tuple[str, ...], options: Options, index: RepoIndex | None
) -> Future[list[FileResult]] | None:
    # OSError: a worker could not be started; BrokenProcessPool (a RuntimeError): an earlier
    # batch crashed its worker. Either way this batch is innocent and runs in-process instead.
    try:
        return pool.submit(_migrate_batch, batch, options, index)
    except (OSError, RuntimeError):
        return None


def _collect(
    future: Future[list[FileResult]] | None, batch: tuple[str, ...], options: Options, index: RepoIndex | None
) -> list[FileResult]:
    if future is None:
        return _migrate_batch(batch, options, index)
    try:
        return future.result()
    except BrokenProcessPool:
        # A worker crashed (e.g. the native parser overflowed its stack); its batch cannot be trusted.
        return [FileResult(path, error="internal error: worker process died") for path in batch]


def _batches(paths: Sequence[str], jobs: int) -> Iterator[tuple[str, ...]]:
    size = max(1, min(MAX_BATCH, len(paths) // (jobs * 4)))
    for start in range(0, len(paths), size):
        yield tuple(paths[start : start + size])


def _migrate_batch(paths: Sequence[str], options: Options, index: RepoIndex | None = None) -> list[FileResult]:
    return [migrate_file(path, options, index) for path in paths]


def write_all(results: Sequence[FileResult]) -> list[FileResult]:
    """Write every changed file; a failed write turns that result into an error."""
    return [write_file(result) if result.changed else result for result in results]


def write_file(result: FileResult) -> FileResult:
    """Atomically replace the file with `result.migrated`; on failure the original stays intact."""
    if not result.changed or result.migrated is None or result.original is None:
        return result
    try:
        if file_kind(os.path.basename(result.path)) == NOTEBOOK:
            _check_notebook(result.migrated)
        else:
            _check_parses(result.migrated, result.original)
        data = encode(result.migrated, result.encoding, result.bom)
        target = os.path.realpath(result.path)
        _check_unchanged_on_disk(target, encode(result.original, result.encoding, result.bom))
        _replace_file(target, data)
    except WriteError as exc:
        return replace(result, error=str(exc))
    except UnicodeEncodeError as exc:
        return replace(result, error=_one_line(f"cannot encode as {result.encoding}: {exc.reason}"))
    except OSError as exc:
        return replace(result, error=_one_line(f"cannot write: {exc.strerror or exc}"))
    return result


class WriteError(Exception):
    """A check before writing failed; the message is the one-line reason."""


def _check_parses(source: str, original: str) -> None:
    """Like black's --safe: never write code that does not parse."""
    import libcst as cst

    try:
        cst.parse_module(source)
    except (cst.ParserSyntaxError, RecursionError) as exc:
        raise WriteError("refusing to write: the migrated code does not parse") from exc
    if _compiles(original) and not _compiles(source):
        raise WriteError("refusing to write: the migrated code does not compile with this Python")


def _check_notebook(text: str) -> None:
    """Never write a notebook that is no notebook any more, or a code cell that does not parse."""
    import libcst as cst

    try:
        notebook = read_notebook(text)
        for cell in notebook.cells:
            source = python_source(cell)
            if source is not None:
                cst.parse_module(source)
    except (NotebookError, cst.ParserSyntaxError, RecursionError) as exc:
        raise WriteError("refusing to write: the migrated notebook does not read back") from exc


def _compiles(source: str) -> bool:
    try:
        compile(source, "<source>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _check_unchanged_on_disk(target: str, expected: bytes) -> None:
    with open(target, "rb") as f:
        if f.read() != expected:
            raise WriteError("refusing to write: the file changed on disk since it was read")


def _replace_file(target: str, data: bytes) -> None:
    """Write `data` to a temporary file beside `target`, keep its mode, then rename it over `target`."""
    mode = stat.S_IMODE(os.stat(target).st_mode)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".genai2openai-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
