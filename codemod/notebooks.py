"""Read Jupyter notebooks for the key scan: cells, their Python, and positions in the file.

`read_notebook` parses an nbformat 4 `.ipynb` text with the standard library only and keeps,
for each cell, where the JSON string tokens of its source sit in the raw text, so that
`Notebook.file_position` maps a line/column inside a cell to the line/column of the `.ipynb`
file itself (what SARIF and GitHub annotations point at). `python_source` turns a code cell
into Python that LibCST can parse, with the same line and column layout: IPython magics and
shell escapes become comments (or a `0` statement where a statement is needed) of the same
length. Line breaks are `\\r\\n`, `\\r` and `\\n`, in the cells as in the raw text; columns
count characters. No message or exception here holds any text of the notebook.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from json.decoder import scanstring

from codemod.lines import LINE_BREAK, line_starts

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"[^ \t\n\r,:\]}]+")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)")
_ESCAPE_PAIR_LENGTH = 12  # \uD83D\uDE00: one character


class NotebookError(Exception):
    """The text is not a notebook this module can read. The message is one line, without content."""


@dataclass(frozen=True)
class Cell:
    """One cell: its 0-based index, its kind ("code", "markdown", "raw") and its joined source."""

    index: int
    kind: str
    source: str


@dataclass(frozen=True)
class EnvMagic:
    """`%env NAME=value` (or `%env NAME value`, `%set_env ...`) in a code cell.

    `value` is the text IPython stores, without one pair of surrounding quotes; `line` (1-based)
    and `column` (0-based) locate its first character in the cell's source.
    """

    name: str
    value: str
    line: int
    column: int


# --- raw JSON with string offsets --------------------------------------------------------------


class _Str(str):
    """A decoded JSON string that remembers its token: `start` is the opening quote's offset,
    `end` the offset just after the closing quote."""

    start: int
    end: int


class _List(list):
    """A decoded JSON array that remembers the offsets of its `[` and just after its `]`."""

    start: int
    end: int


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()


def _parse(text: str, index: int) -> tuple[object, int]:
    """The JSON value at `index` of an already validated text, and the offset after it."""
    char = text[index]
    if char == '"':
        value, end = scanstring(text, index + 1, False)
        token = _Str(value)
        token.start, token.end = index, end
        return token, end
    if char == "{":
        return _parse_object(text, index)
    if char == "[":
        return _parse_array(text, index)
    match = _SCALAR.match(text, index)
    return json.loads(match.group()), match.end()


class _Dict(dict):
    """A decoded JSON object that remembers the offsets of its `{` and just after its `}`."""

    start: int
    end: int


def _parse_object(text: str, index: int) -> tuple[dict, int]:
    result = _Dict()
    result.start = index
    index = _skip(text, index + 1)
    while text[index] != "}":
        key, index = scanstring(text, index + 1, False)
        value, index = _parse(text, _skip(text, _skip(text, index) + 1))
        result[key] = value
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)
    result.end = index + 1
    return result, index + 1


def _parse_array(text: str, index: int) -> tuple[_List, int]:
    result = _List()
    result.start = index
    index = _skip(text, index + 1)
    while text[index] != "]":
        value, index = _parse(text, index)
        result.append(value)
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)
    result.end = index + 1
    return result, index + 1


def _load(text: str) -> object:
    """The decoded JSON of `text` (a leading BOM skipped), strings and arrays with offsets."""
    start = 1 if text.startswith("\ufeff") else 0
    try:
        json.loads(text[start:], strict=False)
        return _parse(text, _skip(text, start))[0]
    except json.JSONDecodeError as exc:
        raise NotebookError(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise NotebookError("not a notebook: the JSON is nested too deeply") from None


# --- where each character of a source is ------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """One JSON string token of a cell's source."""

    begin: int  # index of its first character in the joined source
    first: int  # raw offset of its first character (just after the opening quote)
    close: int  # raw offset of its closing quote
    at: tuple[int, ...]  # index in the piece of each escaped character
    raw: tuple[int, ...]  # raw offset of each escape
    width: tuple[int, ...]  # raw length of each escape

    def offset(self, index: int) -> int:
        """The raw offset of the piece's character `index` (its length: the closing quote)."""
        escape = bisect_right(self.at, index) - 1
        if escape < 0:
            return self.first + index
        if self.at[escape] == index:
            return self.raw[escape]
        return self.raw[escape] + self.width[escape] + index - self.at[escape] - 1


def _piece(text: str, token: _Str, begin: int) -> _Piece:
    at: list[int] = []
    raw: list[int] = []
    width: list[int] = []
    decoded, previous = 0, token.start + 1
    for match in _ESCAPE.finditer(text, token.start + 1, token.end - 1):
        if width and raw[-1] + width[-1] == match.start() and _pairs(text, raw[-1], match):
            width[-1] = _ESCAPE_PAIR_LENGTH
            previous = match.end()
            continue
        decoded += match.start() - previous
        at.append(decoded)
        raw.append(match.start())
        width.append(match.end() - match.start())
        decoded, previous = decoded + 1, match.end()
    return _Piece(begin, token.start + 1, token.end - 1, tuple(at), tuple(raw), tuple(width))


def _pairs(text: str, high_at: int, low: re.Match[str]) -> bool:
    """Whether the escape at `high_at` is a high surrogate that `low` completes (JSON decodes
    the pair as one character)."""
    if text[high_at + 1] != "u" or low.group(1) is None or low.end() - high_at != _ESCAPE_PAIR_LENGTH:
        return False
    high_code, low_code = int(text[high_at + 2 : high_at + 6], 16), int(low.group(1), 16)
    return 0xD800 <= high_code <= 0xDBFF and 0xDC00 <= low_code <= 0xDFFF


@dataclass(frozen=True)
class _CellSpan:
    """Raw offsets of a cell's object and of its outputs array ((0, 0) without one)."""

    start: int
    end: int
    outputs: tuple[int, int]


@dataclass(frozen=True)
class _Source:
    """A cell's source as it sits in the raw text."""

    length: int
    lines: tuple[int, ...]  # start of each line in the joined source
    pieces: tuple[_Piece, ...]
    begins: tuple[int, ...]
    empty_at: int  # raw offset given for the end of an empty source
    span: tuple[int, int]  # raw offsets of the whole source value: its string, or its array
    listed: bool  # a list of strings (else one string)

    def offset(self, line: int, column: int) -> int:
        """The raw offset of the character at `line` (1-based) and `column` (0-based)."""
        if not 1 <= line <= len(self.lines):
            raise ValueError(f"line {line} is outside the cell's {len(self.lines)} lines")
        index = self.lines[line - 1] + column
        limit = self.lines[line] - 1 if line < len(self.lines) else self.length
        if column < 0 or index > limit:
            raise ValueError(f"column {column} is outside line {line} of the cell")
        if index == self.length:
            return self.pieces[-1].close if self.pieces else self.empty_at
        piece = self.pieces[bisect_right(self.begins, index) - 1]
        return piece.offset(index - piece.begin)


def _source(text: str, value: _Str | _List) -> tuple[str, _Source]:
    tokens = [value] if isinstance(value, _Str) else list(value)
    pieces, begin = [], 0
    for token in tokens:
        pieces.append(_piece(text, token, begin))
        begin += len(token)
    joined = "".join(tokens)
    where = _Source(
        len(joined),
        tuple(line_starts(joined)),
        tuple(pieces),
        tuple(p.begin for p in pieces),
        value.start,
        (value.start, value.end),
        isinstance(value, _List),
    )
    return joined, where


# --- the notebook ------------------------------------------------------------------------------


class Notebook:
    """An nbformat 4 notebook: its `cells`, and positions of their characters in the raw text."""

    def __init__(
        self, cells: tuple[Cell, ...], sources: tuple[_Source, ...], lines: list[int], spans: tuple[_CellSpan, ...] = ()
    ) -> None:
        self.cells = cells
        self._sources = sources
        self._lines = lines
        self._spans = spans

    def part_at(self, line: int, column: int) -> str:
        """What holds the character at 1-based `line`, 0-based `column` of the raw text, in
        words: `cell 2`, `markdown cell 1`, `an output of cell 3`, `the notebook's metadata`."""
        offset = self._lines[line - 1] + column if 0 < line <= len(self._lines) else -1
        for cell, span, source in zip(self.cells, self._spans, self._sources):
            if span.start <= offset < span.end:
                named = f"cell {cell.index + 1}" if cell.kind == "code" else f"{cell.kind} cell {cell.index + 1}"
                if span.outputs[0] <= offset < span.outputs[1]:
                    return f"an output of {named}"
                in_source = source.span[0] <= offset < source.span[1]
                return named if in_source else f"the metadata of {named}"
        return "the notebook's metadata"

    def file_offset(self, cell_index: int, line: int, column: int) -> int:
        """The offset in the raw text of the character at 1-based `line`, 0-based `column` of a
        cell's source (the end of a line: its line break; the end of the source: the closing
        quote). Raises IndexError for a cell that does not exist, ValueError outside the source."""
        if not 0 <= cell_index < len(self._sources):
            raise IndexError(f"no cell {cell_index} in a notebook of {len(self._sources)} cells")
        return self._sources[cell_index].offset(line, column)

    def file_position(self, cell_index: int, line: int, column: int) -> tuple[int, int]:
        """`file_offset` as the 1-based line and 0-based column of the raw text."""
        return self.line_column(self.file_offset(cell_index, line, column))

    def line_column(self, offset: int) -> tuple[int, int]:
        """The 1-based line and 0-based column of an offset of the raw text."""
        line = bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1]

    def with_sources(self, text: str, sources: Mapping[int, str]) -> str:
        """The raw `text` this notebook was read from, with the source of each cell index in
        `sources` replaced: only those source values change, written as the original wrote its
        own (one string or a list of lines, the same indentation and line breaks, non-ASCII
        escaped or not as the file does); every other byte stays as it was."""
        ascii_only = _escapes_non_ascii(text)
        edits = sorted(((self._sources[index], source) for index, source in sources.items()), key=lambda edit: edit[0].span)
        out, at = [], 0
        for where, source in edits:
            start, end = where.span
            out += [text[at:start], _encoded(text, where, source, ascii_only)]
            at = end
        out.append(text[at:])
        return "".join(out)


def read_notebook(text: str) -> Notebook:
    """Parse an `.ipynb` text (nbformat 4). Raises NotebookError when it is not one."""
    tree = _load(text)
    if not isinstance(tree, dict):
        raise NotebookError("not a notebook: the JSON is not an object")
    _check_format(tree.get("nbformat"))
    cells = tree.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: 'cells' is not a list")
    read = [_cell(text, index, cell) for index, cell in enumerate(cells)]
    spans = tuple(_span(cell) for cell in cells)
    return Notebook(tuple(cell for cell, _ in read), tuple(where for _, where in read), line_starts(text), spans)


def _span(cell: _Dict) -> _CellSpan:
    outputs = cell.get("outputs")
    return _CellSpan(cell.start, cell.end, (outputs.start, outputs.end) if isinstance(outputs, _List) else (0, 0))


def _check_format(version: object) -> None:
    if version is None:
        raise NotebookError("not a notebook: no 'nbformat' version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise NotebookError("not a notebook: 'nbformat' is not a number")
    if version != 4:
        raise NotebookError(f"nbformat {version} is not supported (only nbformat 4)")


def _cell(text: str, index: int, cell: object) -> tuple[Cell, _Source]:
    if not isinstance(cell, dict):
        raise NotebookError(f"cell {index} is not an object")
    kind, source = cell.get("cell_type"), cell.get("source")
    if not isinstance(kind, str):
        raise NotebookError(f"cell {index} has no 'cell_type'")
    if not isinstance(source, _Str) and not (
        isinstance(source, _List) and all(isinstance(line, _Str) for line in source)
    ):
        raise NotebookError(f"cell {index}: 'source' is not a string or a list of strings")
    joined, where = _source(text, source)
    return Cell(index, kind, joined), where


# --- writing sources back -----------------------------------------------------------------------


def _escapes_non_ascii(text: str) -> bool:
    """Whether the file writes non-ASCII characters as `\\uXXXX` escapes (json's
    `ensure_ascii`): it holds such an escape and no raw non-ASCII character. A file with neither
    gets nbformat's choice, raw characters."""
    if any(ord(char) > 0x7F for char in text.removeprefix("\ufeff")):
        return False
    return any(match.group(1) and int(match.group(1), 16) > 0x7F for match in _ESCAPE.finditer(text))


def _encoded(text: str, where: _Source, source: str, ascii_only: bool) -> str:
    """`source` as a JSON value in the style of the value at `where.span`."""
    if not where.listed:
        return json.dumps(source, ensure_ascii=ascii_only)
    tokens = (text[piece.first - 1 : piece.close + 1] for piece in where.pieces)
    raw_of = {json.loads(token, strict=False): token for token in tokens}  # a kept line keeps its bytes
    items = [raw_of.get(line) or json.dumps(line, ensure_ascii=ascii_only) for line in _lines_of(source)]
    if not items:
        return "[]"
    opening, separator, closing = _list_layout(text, where)
    return "[" + opening + separator.join(items) + closing + "]"


def _lines_of(source: str) -> list[str]:
    """The lines of a source, each with its line break (nbformat's list form)."""
    starts = line_starts(source)
    return [source[start:end] for start, end in zip(starts, [*starts[1:], len(source)]) if start < end]


def _list_layout(text: str, where: _Source) -> tuple[str, str, str]:
    """The whitespace after `[`, between items (with the comma) and before `]` of the source
    array at `where`; for an empty array, what the file's indentation gives."""
    start, end = where.span
    pieces = where.pieces
    if not pieces:
        return _empty_list_layout(text, start)
    opening = text[start + 1 : pieces[0].first - 1]
    closing = text[pieces[-1].close + 1 : end - 1]
    if len(pieces) > 1:
        return opening, text[pieces[0].close + 1 : pieces[1].first - 1], closing
    if LINE_BREAK.search(opening):
        return opening, "," + opening, closing
    return opening, ", " if '": ' in text else ",", closing


def _empty_list_layout(text: str, start: int) -> tuple[str, str, str]:
    """The layout of items in an array that had none: one indentation step deeper than the
    line of its `[`, the step being the file's first indentation."""
    breaks = LINE_BREAK.search(text.rstrip())  # a one-line file may end with a line break
    if breaks is None:
        separator = ", " if '": ' in text else ","
        return "", separator, ""
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    indent = text[line_start : line_start + _indent(text[line_start:start])]
    second = text[breaks.end() :]
    step = second[: _indent(second)] or " "
    newline = breaks.group()
    return newline + indent + step, "," + newline + indent + step, newline + indent


# --- IPython syntax to Python ------------------------------------------------------------------

_ESCAPES = frozenset("%!?,;/")  # IPython escapes at the start of a logical line
_CELL_MAGIC = re.compile(r"%%([A-Za-z_][\w.]*)")
_PYTHON_CELL_MAGICS = frozenset(
    {"capture", "time", "timeit", "prun", "debug", "memit", "python", "python3", "px"}
)
_FILE_CELL_MAGICS = frozenset({"writefile", "file"})  # Python when the target ends in .py
_ENV_MAGIC = re.compile(r"%(?:set_)?env[ \t]+(.*)")
_COMPOUND_BEFORE_EQUAL = frozenset("=!<>+-*/%&|^@:")


def python_source(cell: Cell) -> str | None:
    """The code cell's source as Python with the same layout, or None (not a code cell, or a
    cell magic whose body is not Python). Line magics and shell escapes become comments of the
    same length (`#pip install x`); inside a block, or after `=`, a `0` statement (`0#ip ...`)
    so that the code still parses. `%%time`/`%%capture`-like magics: the first line commented."""
    if cell.kind != "code":
        return None
    return ipython_to_python(cell.source)


def ipython_to_python(source: str) -> str | None:
    """`python_source` for a code cell's source text."""
    lines = _Lines(source)
    begin = _body_start(lines)
    if begin is None:
        return None
    chars = list(source)
    if begin:
        _neutralise(lines, chars, _Magic(begin - 1, begin, _indent(lines.text(begin - 1)), False))
    for magic in _magics(lines, begin):
        _neutralise(lines, chars, magic)
    return "".join(chars)


def env_magics(cell: Cell) -> list[EnvMagic]:
    """The `%env`/`%set_env` assignments of a code cell that IPython would run."""
    if cell.kind != "code":
        return []
    lines = _Lines(cell.source)
    begin = _body_start(lines)
    if begin is None:
        return []
    found = (_env_magic(lines, magic) for magic in _magics(lines, begin) if not magic.value)
    return [magic for magic in found if magic is not None]


class _Lines:
    """The physical lines of a cell source: their start offsets and texts without line break."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.starts = line_starts(source)
        self.ends = [match.start() for match in LINE_BREAK.finditer(source)] + [len(source)]

    def __len__(self) -> int:
        return len(self.starts)

    def text(self, line: int) -> str:
        return self.source[self.starts[line] : self.ends[line]]


@dataclass(frozen=True)
class _Magic:
    """IPython syntax over lines `first`..`stop - 1`, starting at `column` of line `first`.
    `value`: it stands where Python needs an expression (`x = !ls`)."""

    first: int
    stop: int
    column: int
    value: bool


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t\f"))


def _body_start(lines: _Lines) -> int | None:
    """The first line of Python: 0, the line after a Python-bodied cell magic, or None."""
    first = next((n for n in range(len(lines)) if lines.text(n).strip()), None)
    if first is None:
        return 0
    head = lines.text(first).lstrip(" \t\f")
    if not head.startswith("%%"):
        return 0
    match = _CELL_MAGIC.match(head)
    return first + 1 if match and _python_body(match.group(1), head[match.end() :]) else None


def _python_body(name: str, arguments: str) -> bool:
    if name in _PYTHON_CELL_MAGICS:
        return True
    targets = [word.strip("'\"") for word in arguments.split() if not word.startswith("-")]
    return name in _FILE_CELL_MAGICS and bool(targets) and targets[-1].endswith(".py")


def _neutralise(lines: _Lines, chars: list[str], magic: _Magic) -> None:
    """Overwrite a magic with a comment (`#`) or a statement (`0#`) of the same length, and
    comment out its continuation lines."""
    start = lines.starts[magic.first] + magic.column
    statement = magic.value or magic.column > 0
    chars[start] = "0" if statement else "#"
    if statement and start + 1 < lines.ends[magic.first]:
        chars[start + 1] = "#"
    for line in range(magic.first + 1, magic.stop):
        text = lines.text(line)
        if text.strip():
            chars[lines.starts[line] + _indent(text)] = "#"


def _magics(lines: _Lines, begin: int) -> list[_Magic]:
    """The IPython syntax of the lines from `begin`: escapes and `x = !cmd` at the start of a
    logical line, and logical lines ending in `?`."""
    found, line = [], begin
    while line < len(lines):
        magic, line = _magic_at(lines, line)
        if magic is not None:
            found.append(magic)
    return found


def _magic_at(lines: _Lines, line: int) -> tuple[_Magic | None, int]:
    """The IPython syntax of the logical line that starts at `line`, if any, and the line after."""
    text = lines.text(line)
    column = _indent(text)
    escaped = text[column : column + 1] in _ESCAPES
    value_at = None if escaped else _assigned_magic(text)
    if escaped or value_at is not None:
        stop = _continued(lines, line)
        if value_at is None:
            return _Magic(line, stop, column, False), stop
        return _Magic(line, stop, value_at, True), stop
    stop, help_end = _logical_line(lines, line)
    return (_Magic(line, stop, column, False) if help_end else None), stop


def _continued(lines: _Lines, line: int) -> int:
    """The line after a magic that trailing backslashes continue."""
    while line + 1 < len(lines) and lines.text(line).endswith("\\"):
        line += 1
    return line + 1


class _State:
    """Python's lexical state across physical lines: open brackets, an open string, a trailing
    backslash, and the last significant character."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote = ""
        self.continued = False
        self.last = ""

    @property
    def open(self) -> bool:
        return self.depth > 0 or bool(self.quote) or self.continued


def _logical_line(lines: _Lines, line: int) -> tuple[int, bool]:
    """The line after the logical line that starts at `line`, and whether it ends in `?`."""
    state = _State()
    _scan(lines.text(line), state)
    while state.open and line + 1 < len(lines):
        line += 1
        _scan(lines.text(line), state)
    return line + 1, state.last == "?"


def _scan(text: str, state: _State) -> None:
    """Advance `state` over one physical line."""
    index, state.continued = 0, False
    while index < len(text):
        if state.quote:
            index = _scan_string(text, index, state)
            continue
        char = text[index]
        if char == "#":
            return
        if char in "'\"":
            state.quote = char * 3 if text.startswith(char * 3, index) else char
            index += len(state.quote)
            continue
        if char == "\\" and index == len(text) - 1:
            state.continued = True
            return
        state.depth = _depth(state.depth, char)
        state.last = state.last if char.isspace() else char
        index += 1


def _depth(depth: int, char: str) -> int:
    """Bracket depth after `char` (a stray closing bracket does not go below 0)."""
    if char in "([{":
        return depth + 1
    return max(0, depth - 1) if char in ")]}" else depth


def _scan_string(text: str, index: int, state: _State) -> int:
    """Advance inside an open string; the offset after it, or the line's length."""
    while index < len(text):
        if text[index] == "\\":
            index += 2
        elif text.startswith(state.quote, index):
            state.last, index = state.quote[0], index + len(state.quote)
            state.quote = ""
            return index
        else:
            index += 1
    escaped_line_break = index > len(text)
    if len(state.quote) == 1 and not escaped_line_break:
        state.quote = ""  # an unterminated string: Python's error, scanning goes on
    return len(text)


def _assigned_magic(text: str) -> int | None:
    """The column of `!`/`%` right after the first top-level `=` of a line (`x = !ls`)."""
    state, index = _State(), 0
    while index < len(text):
        if state.quote:
            index = _scan_string(text, index, state)
            continue
        char = text[index]
        if char in "#'\"":
            if char == "#":
                return None
            state.quote = char * 3 if text.startswith(char * 3, index) else char
            index += len(state.quote)
            continue
        if char == "=" and state.depth == 0 and _plain_equal(text, index):
            rest = text[index + 1 :]
            value_at = index + 1 + _indent(rest)
            return value_at if text[value_at : value_at + 1] in ("!", "%") else None
        state.depth = _depth(state.depth, char)
        index += 1
    return None


def _plain_equal(text: str, index: int) -> bool:
    before = text[index - 1] if index else ""
    return before not in _COMPOUND_BEFORE_EQUAL and not text.startswith("==", index)


def _env_magic(lines: _Lines, magic: _Magic) -> EnvMagic | None:
    """IPython's reading of `%env NAME=value` / `%env NAME value` on one line."""
    text = lines.text(magic.first)
    match = _ENV_MAGIC.fullmatch(text, magic.column)
    if match is None or magic.stop != magic.first + 1:
        return None
    arguments, start = match.group(1), match.start(1)
    split = "=" if "=" in arguments else None
    bits = arguments.split(split, 1)
    name = bits[0].strip()
    if len(bits) < 2 or not name or any(char.isspace() for char in name):
        return None
    value_start = start + len(arguments) - len(bits[1].lstrip())
    value = bits[1].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value, value_start = value[1:-1], value_start + 1
    return EnvMagic(name, value, magic.first + 1, value_start)
