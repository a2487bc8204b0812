"""Public entry points for one file's text: migrated text and findings out.

Python: parse → analyse → scan for keys → plan → apply. Notebooks: their code cells as one
module, migrated as Python and cut back into cells; every part of the file scanned for keys.
Other text files are scanned for keys only. Nothing here reads or writes files.
"""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from codemod.analysis import ModuleAnalysis, top_level_imports
from codemod.ftypes import Export, Finding, Migration, Options, RepoIndex
from codemod.keyfindings import env_for, key_finding
from codemod.keyscan import (
    KeyCollector,
    KeyHit,
    PythonScan,
    env_setting_hit,
    scan_python,
    text_key_hits,
)
from codemod.lines import split_lines
from codemod.notebook_module import (
    CellCode,
    CellSplitError,
    JoinedModule,
    join_cells,
    may_join,
    restore_magics,
    split_module,
)
from codemod.notebooks import Cell, Notebook, env_magics, python_source, read_notebook
from codemod.retired_models import may_call_retired
from codemod.rewriter import apply_plan
from codemod.secrets import may_hold_key, may_hold_key_position
from codemod.suppress import suppressed_lines
from codemod.transforms import Plan, plan_module


def migrate_source(source: str, options: Options, *, path: str = "<string>", index: RepoIndex | None = None) -> Migration:
    """Migrate one module. Raises `libcst.ParserSyntaxError` or `RecursionError` on unparsable input.

    `index` tells what other modules of the run export (see `RepoIndex`): uses of their migrated
    models are marked, and their configured client is shared. Keys are reported in every module
    and, unless `options.secrets_only`, taken out of key positions.
    """
    module = cst.parse_module(source)
    collector = KeyCollector()
    analysis = ModuleAnalysis.of(module, source, also=(collector,))
    marked = suppressed_lines(source)
    scan, accepted = _split_suppressed(scan_python(analysis, collector), marked)
    if options.secrets_only:
        report = _key_report(scan.hits, options, path, source)
        return replace(report, secrets=report.secrets + accepted)
    if not analysis.sdk_imports and not analysis.client_sdk_imports and not index and not scan.hits and not may_call_retired(source):
        return Migration(source=source, secrets=accepted)
    plan = plan_module(analysis, options, path, index or RepoIndex(), scan)
    findings = _sorted_unsuppressed(plan.findings, marked)
    if not plan.has_edits():
        # Nothing to write, but what the run learned about the module still counts.
        return replace(_outcome(plan, source, findings, accepted), client=None, client_in_function=False, default_client=False, dropped_configure=False)
    return _outcome(plan, apply_plan(plan).code, findings, accepted)


def _outcome(plan: Plan, source: str, findings: tuple[Finding, ...], accepted: tuple[str, ...]) -> Migration:
    return Migration(
        source=source,
        findings=findings,
        secrets=(*plan.secrets, *accepted),
        exports=exports_of(plan),
        followed=tuple(plan.followed),
        client=plan.exported_client,
        client_in_function=plan.client_in_function,
        default_client=plan.default_client,
        leans_on_configure=plan.leans_on_configure,
        dropped_configure=plan.dropped_configure,
    )


def exports_of(plan: Plan) -> tuple[Export, ...]:
    """The module-level names whose meaning the migration changed, and the names re-exported."""
    changed = (
        Export(name, what, plan.shared_models.get(name), plan.shared_responses.get(name), plan.unshared.get(name, ""))
        for name, what in sorted(plan.exports.items())
    )
    return (*changed, *plan.reexports)


def scan_text(text: str, options: Options, *, path: str = "<string>") -> Migration:
    """Keys in any other text file (`.env`, YAML, JSON, Markdown...), by pattern; nothing changes."""
    return _key_report(text_key_hits(text), options, path, text, suppressed_lines(text))


def scan_notebook(text: str, options: Options, *, path: str = "<string>") -> Migration:
    """Keys in a notebook: its code cells with the syntax tree (cells that do not parse with the
    patterns alone), then the whole file with the patterns (markdown, outputs, metadata).
    Locations are lines of the `.ipynb` file; suppression markers count within a cell's line (a
    notebook may be one line of JSON). Raises `NotebookError` for a file that is no notebook."""
    notebook = read_notebook(text)
    cell_hits = [hit for cell in notebook.cells for hit in _cell_hits(notebook, cell)]
    lines = split_lines(text)
    raw_hits = [
        replace(hit, note=notebook.part_at(hit.line, hit.column))
        for hit in text_key_hits(text)
        if not _seen_in_cells(hit, cell_hits) and not _suppressed_in_json_string(lines[hit.line - 1], hit.column)
    ]
    return _key_report([*cell_hits, *raw_hits], options, path, text)


class CellSyntaxError(Exception):
    """A code cell of a notebook that would be migrated does not parse. `scan`: the notebook's
    key scan, which still counts. The message is one line without content."""

    def __init__(self, message: str, scan: Migration) -> None:
        super().__init__(message)
        self.scan = scan


def migrate_notebook(text: str, options: Options, *, path: str = "<string>") -> Migration:
    """Migrate a notebook's code cells as one module (cells in order share one namespace; a
    `%%writefile x.py` cell is a module of its own) and write the changed cells' sources back
    into the raw text (`Notebook.with_sources`: nothing else moves). Findings are located in the
    `.ipynb` file and name their cell; keys anywhere in the file are reported as by
    `scan_notebook`. Raises `NotebookError` for a file that is no notebook, `CellSyntaxError`
    for a code cell that does not parse, `CellSplitError` when the migrated code cannot be cut
    back into the cells."""
    scan = scan_notebook(text, options, path=path)
    notebook = read_notebook(text)
    cells = _code_cells(notebook, scan)
    if not may_join(cells):
        raise CellSplitError("a cell holds the text genai2openai marks cell boundaries with")
    modules = [join_cells(group) for group in _modules(cells) if group]
    migrations = [migrate_source(module.text, options, path=path) for module in modules]
    findings = tuple(
        _in_cell(notebook, m, f) for m, migration in zip(modules, migrations) for f in migration.findings if not _on_magic(m, f)
    )
    located = {(f.line, f.column, f.identity) for f in findings if f.is_key}
    findings += tuple(f for f in scan.findings if (f.line, f.column, f.identity) not in located)
    sources = _migrated_sources(modules, [migration.source for migration in migrations])
    return Migration(
        source=notebook.with_sources(text, sources) if sources else text,
        findings=tuple(sorted(findings)),
        secrets=tuple(dict.fromkeys((*(s for m in migrations for s in m.secrets), *scan.secrets))),
    )


def _code_cells(notebook: Notebook, scan: Migration) -> list[CellCode]:
    """The code cells whose source is Python; raises CellSyntaxError for one that does not parse."""
    cells = []
    for cell in notebook.cells:
        source = python_source(cell)
        if source is None:
            continue
        try:
            cst.parse_module(source)
        except cst.ParserSyntaxError as exc:
            raise CellSyntaxError(f"cannot parse cell {cell.index + 1}: {exc.message}", scan) from None
        except RecursionError:
            raise CellSyntaxError(f"cannot parse cell {cell.index + 1}: too deeply nested", scan) from None
        cells.append(CellCode(cell.index, cell.source, source))
    return cells


def _modules(cells: list[CellCode]) -> list[list[CellCode]]:
    """The cells the kernel runs, in order (one namespace), then each cell that writes a
    Python file instead (`%%writefile app.py`), on its own."""
    files = [cell for cell in cells if _writes_file(cell)]
    return [[cell for cell in cells if cell not in files], *([cell] for cell in files)]


def _writes_file(cell: CellCode) -> bool:
    words = cell.original.split(maxsplit=1)
    return bool(words) and words[0] in ("%%writefile", "%%file")


def _migrated_sources(modules: list[JoinedModule], migrated: list[str]) -> dict[int, str]:
    """The new source of each cell that changed, magics as they were written (a `pip install`
    of google-generativeai also installs openai once the code imports it)."""
    changed = [new for module, new in zip(modules, migrated) if new != module.text]
    add_openai = any(_imports_openai(new) for new in changed)
    sources = {}
    for module, new in zip(modules, migrated):
        pieces = split_module(module, new) if new != module.text else tuple(cell.python for cell in module.cells)
        for cell, piece in zip(module.cells, pieces):
            source = restore_magics(cell, piece, add_openai=add_openai)
            if source != cell.original:
                sources[cell.index] = source
    return sources


def _imports_openai(source: str) -> bool:
    return any(name == "openai" or name.startswith("openai.") for name, _ in top_level_imports(cst.parse_module(source)))


def _on_magic(module: JoinedModule, finding: Finding) -> bool:
    """A key in the comment a magic became: the notebook's scan reads the magic itself."""
    cell, line = module.locate(finding.line)
    return finding.is_key and cell.ipython_line(line)


def _in_cell(notebook: Notebook, module: JoinedModule, finding: Finding) -> Finding:
    """A finding of the joined module, located in the `.ipynb` file and naming its cell."""
    cell, line = module.locate(finding.line)
    try:
        file_line, column = notebook.file_position(cell.index, line, finding.column)
    except ValueError:
        file_line, column = notebook.file_position(cell.index, line, 0)
    return replace(finding, line=file_line, column=column, message=f"{finding.message} (cell {cell.index + 1})")


def _cell_hits(notebook: Notebook, cell: Cell) -> list[KeyHit]:
    """Keys in one code cell (its Python and its `%env` magics), located in the file."""
    hits = [h for h in (env_setting_hit(e.name, e.value, e.line, e.column, f"%env {e.name}") for e in env_magics(cell)) if h]
    source = python_source(cell)
    data = cell.source.encode("utf-8", "surrogatepass")
    if source is not None and (may_hold_key(data) or may_hold_key_position(data)):
        try:
            hits.extend(h for h in scan_python(ModuleAnalysis.of(cst.parse_module(source), source)).hits if not h.in_comment)
        except (cst.ParserSyntaxError, RecursionError):
            pass  # not Python after all: the pattern scan of the whole file still runs
    marked = suppressed_lines(cell.source)
    return [
        replace(hit, line=line, column=column, note=f"cell {cell.index + 1}")
        for hit in hits
        if hit.line not in marked
        for line, column in [notebook.file_position(cell.index, hit.line, hit.column)]
    ]


def _seen_in_cells(hit: KeyHit, cell_hits: list[KeyHit]) -> bool:
    """The raw text's key is one a cell's syntax tree found (or a piece of one: `"sk-...\\`),
    at the same place: the same key printed in the cell's output is another finding."""
    return any(hit.line == seen.line and seen.column <= hit.column < seen.column + len(seen.value) and hit.value in seen.value for seen in cell_hits)


def _suppressed_in_json_string(line: str, column: int) -> bool:
    """A marker on the same line of the JSON string holding the key: the text between the
    escaped line breaks (`\\n`) or quotes around it."""
    before, after = _JSON_LINE_END.split(line[:column]), _JSON_LINE_END.split(line[column:], maxsplit=1)
    return bool(suppressed_lines(before[-1] + after[0]))


_JSON_LINE_END = re.compile(r'\\n|(?<!\\)"')


def _key_report(hits: tuple[KeyHit, ...] | list[KeyHit], options: Options, path: str, text: str, marked: frozenset[int] = frozenset()) -> Migration:
    """The findings of key hits (those on `marked` lines left out), and their keys for redaction."""
    findings = [key_finding(hit, path, env=env_for(options, hit)) for hit in hits]
    return Migration(source=text, findings=_sorted_unsuppressed(findings, marked), secrets=tuple(hit.value for hit in hits if not hit.is_placeholder))


def _split_suppressed(scan: PythonScan, marked: frozenset[int]) -> tuple[PythonScan, tuple[str, ...]]:
    """A key on a line marked `# genai2openai: ignore` is neither reported nor rewritten, but its
    value is still returned, so that it is never shown either."""
    if not marked:
        return scan, ()
    accepted = tuple(hit.value for hit in scan.hits if hit.line in marked and not hit.is_placeholder)
    return replace(scan, hits=tuple(hit for hit in scan.hits if hit.line not in marked)), accepted


def _sorted_unsuppressed(findings: list[Finding], marked: frozenset[int]) -> tuple[Finding, ...]:
    return tuple(sorted(f for f in findings if f.line not in marked))
