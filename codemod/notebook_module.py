"""A notebook's code cells as one Python module, and the migrated module cut back into cells.

`join_cells` puts the cells' Python (`notebooks.python_source`: magics turned into comments of
the same length) one after the other, with a boundary comment line between two cells
(`# genai2openai-cell-boundary 3` before the fourth). LibCST keeps comments where they are, and
the rewriter carries the comments of a removed statement to the statement after it, so the
boundaries survive the migration in order. `split_module` cuts the migrated text on them and
refuses (`CellSplitError`) when a boundary is missing, doubled or out of order, when a cut cell
does not parse on its own, when a statement of one cell ended up in another, or when a magic's
line changed. `restore_magics` then puts each magic's original text back on its line.
"""

from __future__ import annotations

import difflib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from codemod.lines import LINE_BREAK, line_starts

BOUNDARY = "# genai2openai-cell-boundary"
PIP_PACKAGES = ("google-generativeai", "google-genai")
OPENAI_PACKAGE = "openai"


class CellSplitError(Exception):
    """The migrated module cannot be cut back into the notebook's cells (one line, no code)."""


@dataclass(frozen=True)
class CellCode:
    """A code cell whose source is Python: its index in the notebook, its source as written,
    and that source with the IPython syntax turned into comments (same lines and columns)."""

    index: int
    original: str
    python: str

    def ipython_line(self, line: int) -> bool:
        """Whether 1-based `line` holds IPython syntax (it differs from the Python)."""
        python, original = _lines(self.python), _lines(self.original)
        return 0 < line <= len(python) and python[line - 1] != original[line - 1]


@dataclass(frozen=True)
class JoinedModule:
    """The cells as one module: `text`, and the 1-based line of `text` where each cell starts."""

    cells: tuple[CellCode, ...]
    text: str
    starts: tuple[int, ...]

    def locate(self, line: int) -> tuple[CellCode, int]:
        """The cell holding 1-based `line` of the text, and the line's 1-based number in it (a
        boundary line counts as the first line of the cell after it)."""
        position = max(bisect_right(self.starts, line) - 1, 0)
        cell = self.cells[position]
        return cell, max(1, min(line - self.starts[position] + 1, len(_lines(cell.python)) or 1))


def join_cells(cells: Sequence[CellCode]) -> JoinedModule:
    """The cells in order, each ending with a line break, a boundary line between two."""
    parts: list[str] = []
    starts: list[int] = []
    line = 1
    for position, cell in enumerate(cells):
        if position:
            parts.append(f"{_boundary(position)}\n")
            line += 1
        starts.append(line)
        body = cell.python if not cell.python or _ends_with_break(cell.python) else cell.python + "\n"
        parts.append(body)
        line += len(line_starts(body)) - 1
    return JoinedModule(tuple(cells), "".join(parts), tuple(starts))


def may_join(cells: Sequence[CellCode]) -> bool:
    """No cell already holds a boundary line's text (the cut would be ambiguous)."""
    return not any(BOUNDARY in cell.python for cell in cells)


def split_module(module: JoinedModule, migrated: str) -> tuple[str, ...]:
    """The migrated text of each cell (magics still as comments), in the cells' order.
    Raises CellSplitError when the cut cannot be trusted (see the module docstring)."""
    pieces = _cut(migrated, len(module.cells))
    texts = tuple(_fitted(cell.python, piece) for cell, piece in zip(module.cells, pieces))
    trees = [_parsed(cell, text) for cell, text in zip(module.cells, texts)]
    _check_nothing_moved(module.cells, trees)
    return texts


def _boundary(position: int) -> str:
    return f"{BOUNDARY} {position}"


def _ends_with_break(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def _lines(text: str) -> list[str]:
    """Lines with their line breaks (no empty last line)."""
    starts = line_starts(text)
    return [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)]) if start < end]


def _content(line: str) -> str:
    return LINE_BREAK.sub("", line)


def _cut(migrated: str, count: int) -> list[str]:
    """The text between the boundary lines, which must be there once each and in order."""
    pieces: list[list[str]] = [[]]
    for line in _lines(migrated):
        if BOUNDARY not in line:
            pieces[-1].append(line)
        elif _content(line) == _boundary(len(pieces)) and len(pieces) < count:
            pieces.append([])
        else:
            raise CellSplitError("the migrated code lost the order of the notebook's cells")
    if len(pieces) != count:
        raise CellSplitError("the migrated code lost a boundary between the notebook's cells")
    return ["".join(piece) for piece in pieces]


def _fitted(original: str, piece: str) -> str:
    """A cut cell without the line break the join added, and with no more blank lines at its
    start and end than the cell had (blank lines PEP 8 wants between definitions mean nothing
    between cells)."""
    if piece == original or piece == original + "\n":
        return original
    lines = _lines(piece)
    lead, trail = _blank_run(_lines(original)), _blank_run(_lines(original)[::-1])
    while len(lines) > lead and _blank_run(lines) > lead:
        lines.pop(0)
    while len(lines) > trail and _blank_run(lines[::-1]) > trail:
        lines.pop()
    text = "".join(lines)
    if not _ends_with_break(original) and text.endswith("\n"):
        text = text[:-1]
    return text


def _blank_run(lines: Sequence[str]) -> int:
    """How many lines at the start of `lines` are blank."""
    count = 0
    while count < len(lines) and not _content(lines[count]).strip():
        count += 1
    return count


def _parsed(cell: CellCode, text: str) -> cst.Module:
    try:
        return cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError):
        raise CellSplitError(f"cell {cell.index + 1} would not parse on its own after the migration") from None


def _check_nothing_moved(cells: Sequence[CellCode], trees: Sequence[cst.Module]) -> None:
    """No statement that one cell had before is now in another cell only."""
    before = [_statements(cst.parse_module(cell.python)) for cell in cells]
    for position, (cell, tree) in enumerate(zip(cells, trees)):
        for statement in _statements(tree) - before[position]:
            if any(statement in other for other in before):
                raise CellSplitError(f"the migration moved code into cell {cell.index + 1} from another cell")


def _statements(module: cst.Module) -> set[str]:
    """The code of the module's top-level statements, without the lines above them."""
    return {module.code_for_node(s.with_changes(leading_lines=[])).strip() for s in module.body}


# --- the IPython lines ----------------------------------------------------------------------------


def restore_magics(cell: CellCode, migrated: str, *, add_openai: bool = False) -> str:
    """The migrated cell with every line the IPython syntax was on as written, found by aligning
    the migrated lines with the neutralised ones. `add_openai`: a `pip install` of a Gemini SDK
    (google-generativeai, google-genai) also installs openai. Raises CellSplitError when such a
    line changed."""
    neutral, written = _lines(cell.python), _lines(cell.original)
    magic = {n for n, (a, b) in enumerate(zip(neutral, written)) if a != b}
    if not magic:
        return migrated
    new = _lines(migrated)
    restored: set[int] = set()
    matcher = difflib.SequenceMatcher(None, neutral, new, autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            old_at = block.a + offset
            if old_at in magic:
                line = written[old_at]
                new[block.b + offset] = with_openai(line) if add_openai else line
                restored.add(old_at)
    if restored != magic:
        raise CellSplitError(f"the migration changed a line with IPython syntax in cell {cell.index + 1}")
    return "".join(new)


def with_openai(line: str) -> str:
    """A `!pip install` / `%pip install` line that installs a Gemini SDK (google-generativeai,
    google-genai) and not yet openai, with `openai` added after the last of them; any other line
    as it is."""
    words = line.split()
    if not words or words[0][:1] not in "!%" or "install" not in words or not _names_pip(words):
        return line
    names = [_package(word) for word in words]
    installed = [name for name in names if name in PIP_PACKAGES]
    if OPENAI_PACKAGE in names or not installed:
        return line
    word = words[names.index(installed[-1])]
    at = _word_at(line, word)
    return line[: at + len(word)] + " " + OPENAI_PACKAGE + line[at + len(word) :]


def _names_pip(words: Sequence[str]) -> bool:
    return any(word.lstrip("!%") in ("pip", "pip3", "uv") or word.lstrip("!%").endswith("/pip") for word in words[:3])


def _package(word: str) -> str:
    """The normalised project name a pip argument names (`"google_generativeai>=0.8"` →
    `google-generativeai`)."""
    name = word.strip("'\"")
    for stop in "<>=!~[;@ ":
        name = name.split(stop, 1)[0]
    return name.lower().replace("_", "-").replace(".", "-")


def _word_at(line: str, word: str) -> int:
    """The offset of `word` as a whole word of `line`."""
    at = line.find(word)
    while at > 0 and not line[at - 1].isspace():
        at = line.find(word, at + 1)
    return at
