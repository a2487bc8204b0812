"""Notebooks: cells, positions of cell characters in the .ipynb text, IPython syntax to Python."""

from __future__ import annotations

import json
import os
import re
import shutil
from bisect import bisect_right
from pathlib import Path

import libcst
import pytest
from click.testing import Result
from clirunner import cli_runner
from hypothesis import given, settings
from hypothesis import strategies as st
from loopback import LoopbackServer
from test_execute_fixtures import run_fixture

from codemod.cli import main
from codemod.notebook_module import (
    BOUNDARY,
    CellCode,
    CellSplitError,
    join_cells,
    restore_magics,
    split_module,
    with_openai,
)
from codemod.notebooks import (
    Cell,
    EnvMagic,
    NotebookError,
    env_magics,
    ipython_to_python,
    python_source,
    read_notebook,
)

_STRING_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BREAK = re.compile(r"\r\n|\r|\n")


def _notebook(*cells: dict) -> dict:
    return {
        "cells": list(cells),
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _code(source: str | list[str]) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def _markdown(source: str | list[str]) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def _lines(source: str) -> list[str]:
    """The source as nbformat writes it: a list of lines, each keeping its line break."""
    return source.splitlines(keepends=True)


def _cell_position(source: str, index: int) -> tuple[int, int]:
    """1-based line and 0-based column of a source character (independent of the module)."""
    starts = [0] + [match.end() for match in _BREAK.finditer(source)]
    line = bisect_right(starts, index)
    return line, index - starts[line - 1]


def _offset(text: str, line: int, column: int) -> int:
    starts = [0] + [match.end() for match in _BREAK.finditer(text)]
    return starts[line - 1] + column


def _decoded_at(text: str, offset: int) -> str:
    """The decoded character of the JSON string token whose raw text holds `offset`."""
    for token in _STRING_TOKEN.finditer(text):
        if token.start() < offset < token.end() - 1:
            index = len(json.loads(text[token.start() : offset] + '"'))
            return json.loads(token.group())[index]
    raise AssertionError(f"offset {offset} is not inside a string token")


def _found(text: str, line: int, column: int, needle: str) -> bool:
    offset = _offset(text, line, column)
    return text.startswith(needle, offset)


# --- reading -----------------------------------------------------------------------------------

NBFORMAT_INDENT_1 = """{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": [
    "# Title\\n",
    "Set `GEMINI_API_KEY` first."
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "ok\\n"
     ]
    }
   ],
   "source": [
    "import google.generativeai as genai\\n",
    "\\n",
    "genai.configure(api_key=\\"NOT-A-REAL-KEY\\")"
   ]
  }
 ],
 "metadata": {
  "language_info": {
   "name": "python"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
"""


def test_cells_of_an_nbformat_file() -> None:
    notebook = read_notebook(NBFORMAT_INDENT_1)
    assert [(cell.index, cell.kind) for cell in notebook.cells] == [(0, "markdown"), (1, "code")]
    assert notebook.cells[0].source == "# Title\nSet `GEMINI_API_KEY` first."
    assert notebook.cells[1].source.endswith('genai.configure(api_key="NOT-A-REAL-KEY")')


def test_position_in_a_list_of_lines() -> None:
    notebook = read_notebook(NBFORMAT_INDENT_1)
    line, column = notebook.file_position(1, 3, len('genai.configure(api_key="'))
    assert line == 27
    assert _found(NBFORMAT_INDENT_1, line, column, 'NOT-A-REAL-KEY\\")')
    assert notebook.file_position(0, 2, 5) == (8, 10)  # the backquote before GEMINI_API_KEY
    assert notebook.file_position(1, 1, 0) == (25, 5)


def test_escapes_before_the_column_are_counted() -> None:
    source = 'x = "a\\"b\\\\c\\té" + KEY\n'
    for ensure_ascii in (True, False):
        text = json.dumps(_notebook(_code(_lines(source))), indent=1, ensure_ascii=ensure_ascii)
        line, column = read_notebook(text).file_position(0, 1, source.index("KEY"))
        assert _found(text, line, column, "KEY")


def test_single_string_source() -> None:
    source = 'import os\n\tname = "é\\"\\\\"\nKEY = os.environ["X"]\n'
    text = json.dumps(_notebook(_markdown("notes"), _code(source)), indent=1)
    assert '"source": "import os\\n\\tname' in text
    notebook = read_notebook(text)
    assert notebook.cells[1].source == source
    line, column = notebook.file_position(1, 3, 0)
    assert _found(text, line, column, "KEY = os.environ")
    line, column = notebook.file_position(1, 2, 0)
    assert _found(text, line, column, "\\tname")


def test_compact_json_on_one_line() -> None:
    text = json.dumps(_notebook(_code(["a = 1\n", "b = 'é'\n", "KEY = 2"])), separators=(",", ":"))
    assert "\n" not in text
    line, column = read_notebook(text).file_position(0, 3, 0)
    assert line == 1
    assert _found(text, line, column, "KEY = 2")


def test_crlf_file_and_indent_2() -> None:
    text = json.dumps(_notebook(_code(["a = 1\n", "KEY = 2\n"])), indent=2).replace("\n", "\r\n")
    line, column = read_notebook(text).file_position(0, 2, 0)
    assert text.split("\r\n")[line - 1][column:].startswith("KEY = 2")


def test_unusual_whitespace_between_tokens() -> None:
    text = '\t{ "nbformat" :4 ,"cells"\r\n:[ {"source":\n\n[ "a\\n" ,\t"KEY"] ,\r"cell_type" : "code"}\n ] }  '
    notebook = read_notebook(text)
    assert notebook.cells[0].source == "a\nKEY"
    line, column = notebook.file_position(0, 2, 0)
    assert (line, column) == (4, 11)
    assert _found(text, line, column, "KEY")


def test_identical_lines_in_two_cells_map_to_their_own_cell() -> None:
    same = ["import os\n", 'token = "abc"\n']
    text = json.dumps(_notebook(_code(same), _markdown(same), _code(same)), indent=1)
    positions = [read_notebook(text).file_position(index, 2, 9) for index in range(3)]
    assert len(set(positions)) == 3
    assert positions == sorted(positions)
    for line, column in positions:
        assert _found(text, line, column, 'abc\\"')


def test_identical_source_strings_in_outputs_and_metadata_are_skipped() -> None:
    cell = _code(['token = "abc"\n'])
    cell["metadata"] = {"note": 'token = "abc"\n'}
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ['token = "abc"\n']}]
    text = json.dumps(_notebook(cell), indent=1)
    line, _ = read_notebook(text).file_position(0, 1, 0)
    assert text.splitlines()[line - 1].strip().startswith('"token')
    assert '"source"' in text.splitlines()[line - 2]


def test_keys_of_the_source_object_in_any_order() -> None:
    text = json.dumps({"nbformat": 4, "cells": [{"source": ["KEY"], "cell_type": "code", "metadata": {}}]})
    line, column = read_notebook(text).file_position(0, 1, 0)
    assert _found(text, line, column, "KEY")


def test_several_lines_in_one_list_element() -> None:
    text = json.dumps(_notebook(_code(["a\nb\n", "c", "d\n", "KEY"])), indent=1)
    notebook = read_notebook(text)
    assert notebook.cells[0].source == "a\nb\ncd\nKEY"
    assert _found(text, *notebook.file_position(0, 2, 0), "b\\n")
    assert _found(text, *notebook.file_position(0, 3, 1), 'd\\n"')
    assert _found(text, *notebook.file_position(0, 4, 0), 'KEY"')


def test_surrogate_escapes() -> None:
    text = '{"nbformat": 4, "cells": [{"cell_type": "code", "source": "a\\ud83d\\ude00b\\ud800c\\udc00\\u00e9"}]}'
    notebook = read_notebook(text)
    source = notebook.cells[0].source
    assert source == "a\U0001f600b\ud800c\udc00é"
    for index, char in enumerate(source):
        line, column = notebook.file_position(0, 1, index)
        assert _decoded_at(text, _offset(text, line, column)) == char


def test_end_of_lines_and_of_the_source() -> None:
    text = json.dumps(_notebook(_code(["ab\r\n", "c"]), _code([]), _code("")), indent=1)
    notebook = read_notebook(text)
    assert _found(text, *notebook.file_position(0, 1, 2), "\\r\\n")
    assert _found(text, *notebook.file_position(0, 1, 3), "\\n")
    assert _found(text, *notebook.file_position(0, 2, 1), '"')
    assert _found(text, *notebook.file_position(1, 1, 0), "[]")
    assert _found(text, *notebook.file_position(2, 1, 0), '"')
    assert notebook.cells[1].source == notebook.cells[2].source == ""


def test_positions_outside_the_source_are_refused() -> None:
    notebook = read_notebook(json.dumps(_notebook(_code(["ab\n", "c"]))))
    for line, column in [(0, 0), (3, 0), (1, 4), (2, 2), (1, -1), (2, -1)]:
        with pytest.raises(ValueError):
            notebook.file_position(0, line, column)
    with pytest.raises(IndexError):
        notebook.file_position(1, 1, 0)


def test_byte_order_mark() -> None:
    text = "\ufeff" + json.dumps(_notebook(_code(["KEY"])))
    notebook = read_notebook(text)
    assert _found(text, *notebook.file_position(0, 1, 0), "KEY")


def test_line_column_of_raw_offsets() -> None:
    text = '{"nbformat": 4,\r\n "cells": [],\r"x":\n1}'
    notebook = read_notebook(text)
    assert notebook.cells == ()
    assert notebook.line_column(0) == (1, 0)
    assert notebook.line_column(text.index('"cells"')) == (2, 1)
    assert notebook.line_column(text.index('"x"')) == (3, 0)
    assert notebook.line_column(text.index("1}")) == (4, 0)


MARKER = "sk-MARKER-never-in-a-message"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "not valid JSON"),
        ('{"cells": [' + f'"{MARKER}"', "not valid JSON"),
        (f"# {MARKER}\nimport os\n", "not valid JSON"),
        (f'["{MARKER}"]', "not an object"),
        (json.dumps({"cells": [], "note": MARKER}), "no 'nbformat'"),
        (json.dumps({"nbformat": MARKER, "cells": []}), "not a number"),
        (json.dumps({"nbformat": True, "cells": []}), "not a number"),
        (json.dumps({"nbformat": 3, "worksheets": [{"cells": [{"input": MARKER}]}]}), "nbformat 3"),
        (json.dumps({"nbformat": 4, "cells": {"a": MARKER}}), "'cells' is not a list"),
        (json.dumps({"nbformat": 4}), "'cells' is not a list"),
        (json.dumps({"nbformat": 4, "cells": [MARKER]}), "cell 0 is not an object"),
        (json.dumps({"nbformat": 4, "cells": [{"source": MARKER}]}), "cell 0 has no 'cell_type'"),
        (json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}), "cell 0: 'source'"),
        (json.dumps({"nbformat": 4, "cells": [_code(["a", 1, MARKER])]}), "cell 0: 'source'"),
        (json.dumps({"nbformat": 4, "cells": [{"cell_type": "code"}]}), "cell 0: 'source'"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_errors_are_one_line_without_content(text: str, expected: str) -> None:
    with pytest.raises(NotebookError) as caught:
        read_notebook(text)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message
    assert "MARKER" not in message
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None or caught.value.__suppress_context__


def test_strings_with_raw_control_characters_are_read() -> None:
    text = '{"nbformat": 4, "cells": [{"cell_type": "code", "source": "a\tb\\nKEY"}]}'
    notebook = read_notebook(text)
    assert notebook.cells[0].source == "a\tb\nKEY"
    assert _found(text, *notebook.file_position(0, 2, 0), "KEY")


# --- the property: every character of every cell -----------------------------------------------

_CHARS = st.one_of(
    st.characters(blacklist_categories=("Cs",)),
    st.sampled_from(['"', "\\", "\t", "\n", "\r", "é", "\U0001f600", "\u2028", "\x0b", "\x00", "/", "'"]),
)
_SOURCES = st.text(_CHARS, max_size=40)


@st.composite
def _stored(draw: st.DrawFn, source: str) -> str | list[str]:
    """The source as a JSON string, nbformat's list of lines, or arbitrary chunks."""
    layout = draw(st.sampled_from(["string", "lines", "chunks"]))
    if layout == "string":
        return source
    if layout == "lines":
        return _lines(source)
    cuts = sorted(draw(st.lists(st.integers(0, len(source)), max_size=6)))
    bounds = [0, *cuts, len(source)]
    return [source[start:end] for start, end in zip(bounds, bounds[1:])]


@st.composite
def _notebooks(draw: st.DrawFn) -> tuple[dict, list[str]]:
    sources = draw(st.lists(_SOURCES, min_size=1, max_size=4))
    if draw(st.booleans()) and len(sources) > 1:
        sources[-1] = sources[0]  # identical cells
    kinds = draw(st.lists(st.sampled_from(["code", "markdown", "raw"]), min_size=len(sources), max_size=len(sources)))
    cells = [{"cell_type": kind, "metadata": {"s": source}, "source": draw(_stored(source))} for kind, source in zip(kinds, sources)]
    return _notebook(*cells), sources


_DUMPS = [
    lambda nb: json.dumps(nb, indent=1),
    lambda nb: json.dumps(nb),
    lambda nb: json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True),
    lambda nb: json.dumps(nb, indent=2).replace("\n", "\r\n"),
    lambda nb: json.dumps(nb, separators=(",", ":"), ensure_ascii=False),
]


@settings(max_examples=300, deadline=None)
@given(_notebooks())
def test_every_character_maps_to_itself_in_the_file(generated: tuple[dict, list[str]]) -> None:
    nb, sources = generated
    for dumps in _DUMPS:
        text = dumps(nb)
        notebook = read_notebook(text)
        assert [cell.source for cell in notebook.cells] == sources
        previous = -1
        for cell_index, source in enumerate(sources):
            for index, char in enumerate(source):
                line, column = notebook.file_position(cell_index, *_cell_position(source, index))
                offset = _offset(text, line, column)
                assert _decoded_at(text, offset) == char
                assert offset > previous
                previous = offset
            end = _offset(text, *notebook.file_position(cell_index, *_cell_position(source, len(source))))
            assert text[end] in '"['
            assert end >= previous


# --- IPython syntax ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("%pip install openai\nimport openai\n", "#pip install openai\nimport openai\n"),
        ("!pip install -q openai\n", "#pip install -q openai\n"),
        ("!!ls\n", "#!ls\n"),
        ("%env GEMINI_API_KEY=abc\nx = 1", "#env GEMINI_API_KEY=abc\nx = 1"),
        ("%load_ext autoreload\n%autoreload 2\n", "#load_ext autoreload\n#autoreload 2\n"),
        ("for f in files:\n    !echo $f\n", "for f in files:\n    0#cho $f\n"),
        ("if x:\n    %time f()\nelse:\n  !\n", "if x:\n    0#ime f()\nelse:\n  0\n"),
        ("files = !ls -la\n", "files = 0#s -la\n"),
        ("x = %time f()\n", "x = 0#ime f()\n"),
        ("a, b = !cmd\n", "a, b = 0#md\n"),
        ("self.x=%who_ls\n", "self.x=0#ho_ls\n"),
        ("x = !\n", "x = 0\n"),
        ("!pip install \\\n    openai \\\n\nx\n", "#pip install \\\n    #penai \\\n\nx\n"),
        ("def f():\n    x = !echo \\\n  y\n    return x\n", "def f():\n    x = 0#cho \\\n  #\n    return x\n"),
        ("obj?\n", "#bj?\n"),
        ("obj.method??\n", "#bj.method??\n"),
        ("?obj\n", "#obj\n"),
        ("if x:\n    obj?\n", "if x:\n    0#j?\n"),
        ("%pip install x\r\nx = 1\r\n%env A=b", "#pip install x\r\nx = 1\r\n#env A=b"),
        ("/print 1\n,f a b\n", "#print 1\n#f a b\n"),
    ],
)
def test_magics_become_comments_of_the_same_length(source: str, expected: str) -> None:
    assert ipython_to_python(source) == expected
    libcst.parse_module(expected)


@pytest.mark.parametrize(
    "source",
    [
        "y = (a\n     % b)\n",
        "if (a\n    != b):\n    pass\n",
        "y = a \\\n    % b\n",
        "s = '''\n%not a magic\n!nor this\n?\n'''\n",
        's = """a \\"""\n%still in the string\n"""\n',
        "s = 'a\\\n%continued string'\n",
        "d = {\n    'k': v,\n    # %comment\n}\n",
        "x == y\na[i] = b % c\nf(a=1)\nx != y\nx += 1\nx %= 2\nq = lambda a=1: a\n",
        "x = '!'  # ?\ny = f'{x!r}'\n",
        "print('?')\n",
        "",
        "\n\n",
    ],
)
def test_python_is_left_alone(source: str) -> None:
    assert ipython_to_python(source) == source
    libcst.parse_module(source)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("%%capture\n!pip install openai\n", "#%capture\n#pip install openai\n"),
        ("%%time\nx = f()\n", "#%time\nx = f()\n"),
        ("\n  \n%%timeit -n 3\nf()", "\n  \n#%timeit -n 3\nf()"),
        ("%%writefile app.py\nimport os\nKEY = 'x'\n", "#%writefile app.py\nimport os\nKEY = 'x'\n"),
        ("%%writefile -a 'app.py'\nx = 1\n", "#%writefile -a 'app.py'\nx = 1\n"),
        ("%%bash\necho $KEY\n", None),
        ("%%writefile notes.txt\nKEY=x\n", None),
        ("%%writefile\nx\n", None),
        ("%%html\n<b>x</b>\n", None),
        ("%%\nx\n", None),
    ],
)
def test_cell_magics(source: str, expected: str | None) -> None:
    assert ipython_to_python(source) == expected
    if expected is not None:
        libcst.parse_module(expected)


def test_only_code_cells_have_python() -> None:
    assert python_source(Cell(0, "markdown", "x = 1")) is None
    assert python_source(Cell(0, "raw", "x = 1")) is None
    assert python_source(Cell(0, "code", "%pip install x")) == "#pip install x"


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(list("%!?=\\\n\r'\"#([{}]) "))), max_size=80))
def test_layout_is_kept_for_any_text(source: str) -> None:
    python = ipython_to_python(source)
    if python is None:
        assert source.lstrip(" \t\f\r\n").startswith("%%")
        return
    assert len(python) == len(source)
    for before, after in zip(source, python):
        assert after == before or after in "#0"
        assert (before in "\r\n") == (after in "\r\n")


_STATEMENTS = st.sampled_from(
    [
        "x = 1",
        "y = (a\n     % b)",
        "z = [1,\n     2]",
        "s = '''\n%text\n!text\n'''",
        "w = a \\\n    % b",
        "print('?')",
        "# a comment ?",
        "%pip install openai",
        "!pip install \\\n  openai",
        "files = !ls",
        "t = %time f()",
        "%env GEMINI_API_KEY=abc",
        "obj?",
        "?obj",
        "",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), _STATEMENTS), max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_cells_of_python_and_magics_parse(lines: list[tuple[bool, str]], newline: str) -> None:
    source_lines = []
    for in_block, statement in lines:
        if in_block and statement.strip() and not statement.startswith("#"):
            source_lines.append("if x:")
            source_lines.extend("    " + part if part else part for part in statement.split("\n"))
        else:
            source_lines.extend(statement.split("\n"))
    source = newline.join(source_lines)
    python = ipython_to_python(source)
    assert python is not None
    libcst.parse_module(python)


# --- %env ----------------------------------------------------------------------------------------


def test_env_magics() -> None:
    source = (
        "%env GEMINI_API_KEY=abc\n"
        "%env OPENAI_API_KEY  'sk-quoted'\n"
        "  %set_env HF_TOKEN = hf_x \n"
        "%env PATH\n"
        "%env\n"
        "%env A B=C\n"
        "s = '''\n%env NOT=this\n'''\n"
        "%envs X=1\n"
    )
    found = env_magics(Cell(0, "code", source))
    assert found == [
        EnvMagic("GEMINI_API_KEY", "abc", 1, 20),
        EnvMagic("OPENAI_API_KEY", "sk-quoted", 2, 22),
        EnvMagic("HF_TOKEN", "hf_x", 3, 22),
    ]
    lines = source.split("\n")
    for magic in found:
        assert lines[magic.line - 1][magic.column :].startswith(magic.value)


def test_env_magics_in_cell_magics_and_other_cells() -> None:
    assert env_magics(Cell(0, "code", "%%capture\n%env A=b\n")) == [EnvMagic("A", "b", 2, 7)]
    assert env_magics(Cell(0, "code", "%%bash\n%env A=b\n")) == []
    assert env_magics(Cell(0, "markdown", "%env A=b\n")) == []


def test_env_magic_positions_in_the_file() -> None:
    text = json.dumps(_notebook(_markdown("intro"), _code(["import os\n", "%env GEMINI_API_KEY=\"abc\"\n"])), indent=1)
    notebook = read_notebook(text)
    [magic] = env_magics(notebook.cells[1])
    assert _found(text, *notebook.file_position(1, magic.line, magic.column), 'abc\\"')


# --- migration: the notebooks of tests/notebooks/ ------------------------------------------------
#
# Each case folder holds `input.ipynb`, the notebook the command line migrates (`--write`, run
# from a copy of the folder, the file named `notebook.ipynb`), `expected.ipynb`, the bytes it must
# give, and `findings.json`, the findings and the error of the run. A `requests.json` (the format
# of tests/test_execute_fixtures.py) makes the migrated notebook's code cells run against the
# loopback server. Set GENAI2OPENAI_UPDATE=1 to rewrite `expected.ipynb` and `findings.json`
# from the tool's output (then read the diff before committing it).

NOTEBOOKS = Path(__file__).parent / "notebooks"
CASES = sorted(p for p in NOTEBOOKS.iterdir() if (p / "input.ipynb").is_file())
UPDATE = os.environ.get("GENAI2OPENAI_UPDATE") == "1"
NAME = "notebook.ipynb"
# Colab's secrets, outside Colab: `userdata.get(name)` reads the environment.
COLAB_STUB = """\
import os as _os, sys as _sys, types as _types
_colab = _types.ModuleType("google.colab")
_colab.userdata = _types.SimpleNamespace(get=lambda name: _os.environ[name])
_sys.modules["google.colab"] = _colab
"""


def _run_cli(work: Path, *arguments: str) -> Result:
    previous = os.getcwd()
    os.chdir(work)
    try:
        return cli_runner().invoke(main, ["--jobs", "1", *arguments])
    finally:
        os.chdir(previous)


def _migrate_case(case: Path, tmp_path: Path) -> tuple[bytes, dict[str, object]]:
    work = tmp_path / case.name
    work.mkdir()
    shutil.copyfile(case / "input.ipynb", work / NAME)
    result = _run_cli(work, "--write", "--report", "report.json", "--report-format", "json", NAME)
    assert result.exit_code in (0, 1, 2), result.output
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    outcome = {
        "errors": [f["error"] for f in report["files"] if f["error"]],
        "findings": [
            {"line": f["line"], "column": f["column"], "kind": f["kind"], "message": f["message"]}
            for f in report["findings"]
        ],
    }
    return (work / NAME).read_bytes(), outcome


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_notebook_migrates_to_expected(case: Path, tmp_path: Path) -> None:
    migrated, outcome = _migrate_case(case, tmp_path)
    if UPDATE:
        (case / "expected.ipynb").write_bytes(migrated)
        (case / "findings.json").write_text(json.dumps(outcome, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert migrated == (case / "expected.ipynb").read_bytes()
    assert outcome == json.loads((case / "findings.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_only_code_sources_change(case: Path) -> None:
    """Outputs, counts, metadata, ids and markdown are the same values; every byte outside the
    changed sources is the same byte."""
    before, after = (json.loads((case / name).read_text(encoding="utf-8")) for name in ("input.ipynb", "expected.ipynb"))
    for cell in (*before["cells"], *after["cells"]):
        if cell["cell_type"] == "code":
            cell["source"] = "".join(cell["source"])
    changed = {i for i, (old, new) in enumerate(zip(before["cells"], after["cells"])) if old["source"] != new["source"]}
    assert all(before["cells"][i]["cell_type"] == "code" for i in changed)
    for i in changed:
        after["cells"][i]["source"] = before["cells"][i]["source"]
    assert after == before
    text = (case / "input.ipynb").read_text(encoding="utf-8")
    expected = (case / "expected.ipynb").read_text(encoding="utf-8")
    sources = {cell.index: cell.source for cell in read_notebook(expected).cells if cell.index in changed}
    assert read_notebook(text).with_sources(text, sources) == expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_notebook_migration_is_idempotent(case: Path, tmp_path: Path) -> None:
    work = tmp_path / "again"
    work.mkdir()
    shutil.copyfile(case / "expected.ipynb", work / NAME)
    result = _run_cli(work, "--write", NAME)
    assert result.exit_code in (0, 1, 2), result.output
    assert (work / NAME).read_bytes() == (case / "expected.ipynb").read_bytes()


def _program(notebook: str) -> str:
    """The code cells the kernel runs, in order, as one script: IPython lines as comments,
    cells of another language and `%%writefile` cells left out."""
    cells = [cell for cell in read_notebook(notebook).cells if not cell.source.startswith(("%%writefile", "%%file"))]
    return COLAB_STUB + "".join(f"{python}\n" for cell in cells if (python := python_source(cell)) is not None)


EXECUTED = [case for case in CASES if (case / "requests.json").is_file()]


@pytest.mark.parametrize("case", EXECUTED, ids=[c.name for c in EXECUTED])
def test_migrated_notebook_executes(case: Path, loopback: LoopbackServer, tmp_path: Path) -> None:
    """The migrated cells, run in order against the loopback server, send the listed requests."""
    fixture = tmp_path / "fixture"
    fixture.mkdir()
    (fixture / "expected.py").write_text(_program((case / "expected.ipynb").read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copyfile(case / "requests.json", fixture / "requests.json")
    run_fixture(fixture, loopback, tmp_path / "work")


def test_at_least_two_notebooks_are_executed() -> None:
    assert len(EXECUTED) >= 2


def _colab_copy(tmp_path: Path) -> Path:
    shutil.copyfile(NOTEBOOKS / "colab_userdata" / "input.ipynb", tmp_path / NAME)
    return tmp_path


def test_diffs_have_one_hunk_header_per_changed_cell(tmp_path: Path) -> None:
    result = _run_cli(_colab_copy(tmp_path), NAME)
    headers = [line for line in result.stdout.splitlines() if line.startswith(("--- ", "+++ "))]
    assert headers == [f"{side}/{NAME}:cell {n}" for n in (2, 3, 4, 6) for side in ("--- a", "+++ b")]
    assert "No newline at end of file" not in result.stdout
    assert '"cell_type"' not in result.stdout  # sources only, never the JSON around them
    assert "+!pip install -U -q google-generativeai openai" in result.stdout.splitlines()


def test_check_fails_for_a_notebook_that_would_change(tmp_path: Path) -> None:
    work = _colab_copy(tmp_path)
    before = (work / NAME).read_bytes()
    result = _run_cli(work, "--check", NAME)
    assert result.exit_code == 1
    assert "1 file would be changed" in result.stderr
    assert (work / NAME).read_bytes() == before


def test_keys_never_show_in_notebook_diffs_or_reports(tmp_path: Path) -> None:
    shutil.copyfile(NOTEBOOKS / "key_in_output" / "input.ipynb", tmp_path / NAME)
    key = json.loads((tmp_path / NAME).read_text())["cells"][1]["outputs"][0]["text"][0].strip()
    for arguments in ((NAME,), ("--report", "-", "--report-format", "sarif", NAME), ("--report", "-", "--report-format", "text", NAME)):
        result = _run_cli(tmp_path, *arguments)
        assert key[:8] not in result.stdout + result.stderr


def test_sarif_region_is_the_line_of_the_ipynb_file(tmp_path: Path) -> None:
    source = 'import google.generativeai as genai\n\nf = genai.upload_file("clip.mp4")\n'
    (tmp_path / NAME).write_text(json.dumps(_notebook(_markdown("x"), _code(_lines(source))), indent=1) + "\n")
    result = _run_cli(tmp_path, "--report", "-", "--report-format", "sarif", NAME)
    results = json.loads(result.stdout)["runs"][0]["results"]
    assert results and all("(cell 2)" in r["message"]["text"] for r in results)
    lines = (tmp_path / NAME).read_text().splitlines()
    for region in (r["locations"][0]["physicalLocation"]["region"] for r in results):
        assert "upload_file" in lines[region["startLine"] - 1]


def test_genai_left_in_a_notebook_is_reported(tmp_path: Path) -> None:
    """A notebook that keeps genai code says so: the run is not "clean"."""
    source = 'import google.generativeai as genai\nvideo = genai.upload_file("clip.mp4")\nprint(video.uri)\n'
    (tmp_path / NAME).write_text(json.dumps(_notebook(_code(_lines(source))), indent=1))
    result = _run_cli(tmp_path, "--check", NAME)
    assert result.exit_code == 1
    assert "manual-migration" in result.stderr and "(cell 1)" in result.stderr


def test_a_writefile_cell_is_a_module_of_its_own(tmp_path: Path) -> None:
    app = '%%writefile app.py\nimport google.generativeai as genai\nprint(genai.GenerativeModel("gemini-2.0-flash").generate_content("x").text)\n'
    kernel = 'import google.generativeai as genai\nmodel = genai.GenerativeModel("gemini-2.0-flash")\n'
    (tmp_path / NAME).write_text(json.dumps(_notebook(_code(_lines(app)), _code(_lines(kernel))), indent=1))
    assert _run_cli(tmp_path, "--write", NAME).exit_code == 0
    first, second = (cell.source for cell in read_notebook((tmp_path / NAME).read_text()).cells)
    assert first.startswith("%%writefile app.py\nimport os\nfrom openai import OpenAI\n") and "client = OpenAI(" in first
    assert second == 'model = "gemini-2.0-flash"\n'  # its own namespace: no client needed here


def test_a_cell_holding_the_boundary_text_leaves_the_notebook_alone(tmp_path: Path) -> None:
    source = f'import google.generativeai as genai\n{BOUNDARY} 1\nmodel = genai.GenerativeModel("m")\n'
    text = json.dumps(_notebook(_code(_lines(source))), indent=1)
    (tmp_path / NAME).write_text(text)
    result = _run_cli(tmp_path, "--write", NAME)
    assert result.exit_code == 2 and "left unchanged" in result.stderr
    assert (tmp_path / NAME).read_text() == text


# --- cutting the module back into cells -----------------------------------------------------------


def _cells(*sources: str) -> list[CellCode]:
    return [CellCode(index, source, ipython_to_python(source) or "") for index, source in enumerate(sources)]


def test_join_and_split_round_trip() -> None:
    cells = _cells("!pip install x", "import os\n", "a = 1\n\nb = 2", "")
    module = join_cells(cells)
    assert module.text == f"#pip install x\n{BOUNDARY} 1\nimport os\n{BOUNDARY} 2\na = 1\n\nb = 2\n{BOUNDARY} 3\n"
    assert split_module(module, module.text) == tuple(cell.python for cell in cells)
    assert [module.locate(line) for line in (1, 3, 5, 7)] == [(cells[0], 1), (cells[1], 1), (cells[2], 1), (cells[2], 3)]


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text.replace(f"{BOUNDARY} 2\n", ""),  # lost
        lambda text: text.replace(f"{BOUNDARY} 1\n", f"{BOUNDARY} 1\n{BOUNDARY} 1\n"),  # doubled
        lambda text: text.replace(f"{BOUNDARY} 1", "@").replace(f"{BOUNDARY} 2", f"{BOUNDARY} 1").replace("@", f"{BOUNDARY} 2"),  # swapped
        lambda text: text.replace(f"import os\n{BOUNDARY} 2\n", f"{BOUNDARY} 2\nimport os\n"),  # code moved across
        lambda text: text.replace("a = 1\n", "def f():\n"),  # a cell that no longer parses alone
    ],
)
def test_a_cut_that_cannot_be_trusted_is_refused(edit) -> None:
    module = join_cells(_cells("!pip install x", "import os\n", "a = 1\n\nb = 2"))
    with pytest.raises(CellSplitError):
        split_module(module, edit(module.text))


def test_blank_lines_added_at_cell_edges_go() -> None:
    module = join_cells(_cells("import os", "x = 1"))
    migrated = f"import os\n\n\ndef helper():\n    pass\n\n\n{BOUNDARY} 1\n\n\nx = 1\n"
    assert split_module(module, migrated) == ("import os\n\n\ndef helper():\n    pass", "x = 1")


def test_magic_lines_come_back_as_written() -> None:
    (cell,) = _cells("%time y = 2\nfor i in range(2):\n    !echo $i\nx = 1")
    migrated = "# TODO(genai2openai): a note\n" + cell.python.replace("x = 1", "x = 2")
    assert restore_magics(cell, migrated) == "# TODO(genai2openai): a note\n%time y = 2\nfor i in range(2):\n    !echo $i\nx = 2"
    with pytest.raises(CellSplitError):
        restore_magics(cell, cell.python.replace("    0#", "    1#"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("!pip install -U -q google-generativeai\n", "!pip install -U -q google-generativeai openai\n"),
        ("%pip install google-generativeai>=0.8 pillow", "%pip install google-generativeai>=0.8 openai pillow"),
        ('!pip install -q "google_generativeai[extra]"', '!pip install -q "google_generativeai[extra]" openai'),
        ("!python -m pip install google-generativeai", "!python -m pip install google-generativeai openai"),
        ("!pip install google-generativeai openai", "!pip install google-generativeai openai"),  # already there
        ("!pip uninstall google-generativeai", "!pip uninstall google-generativeai"),
        ("!echo google-generativeai install", "!echo google-generativeai install"),
        ("# pip install google-generativeai", "# pip install google-generativeai"),
    ],
)
def test_pip_install_of_genai_gains_openai(line: str, expected: str) -> None:
    assert with_openai(line) == expected


# --- writing sources into the raw text ------------------------------------------------------------


@pytest.mark.parametrize("indent", [None, 1, 2, 4])
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_sources_are_written_as_the_file_writes_them(indent: int | None, ensure_ascii: bool) -> None:
    original = _notebook(_code(["a = 1\n", "b = 'é'"]), _code([]), _code("single"), _markdown(["Café"]))
    text = json.dumps(original, indent=indent, ensure_ascii=ensure_ascii) + "\n"
    new = read_notebook(text).with_sources(text, {0: "a = 1\nc = 'ü'\n", 1: "q = 1\nr", 2: "y\nz"})
    expected = json.loads(text)
    expected["cells"][0]["source"] = ["a = 1\n", "c = 'ü'\n"]
    expected["cells"][1]["source"] = ["q = 1\n", "r"]
    expected["cells"][2]["source"] = "y\nz"
    assert new == json.dumps(expected, indent=indent, ensure_ascii=ensure_ascii) + "\n"


def test_a_source_emptied_is_an_empty_list_and_kept_lines_keep_their_escapes() -> None:
    text = '{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x = \\"\\u00e9\\"\\n", "y"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    notebook = read_notebook(text)
    assert notebook.with_sources(text, {0: 'x = "é"\nz'}).endswith('"source": ["x = \\"\\u00e9\\"\\n", "z"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    assert '"source": []' in notebook.with_sources(text, {0: ""})


def test_keys_outside_code_name_the_part_of_the_notebook() -> None:
    notebook = _notebook(_markdown(["KEY in markdown\n"]), {**_code(["x = 1\n"]), "outputs": [{"output_type": "stream", "name": "stdout", "text": ["KEY out\n"]}]})
    notebook["metadata"]["note"] = "KEY meta"
    text = json.dumps(notebook, indent=1)
    lines = text.splitlines()
    parts = {
        needle: read_notebook(text).part_at(line, lines[line - 1].index(needle))
        for needle in ("KEY in markdown", "KEY out", "KEY meta", "x = 1")
        for line in [next(n for n, content in enumerate(lines, 1) if needle in content)]
    }
    assert parts == {"KEY in markdown": "markdown cell 1", "KEY out": "an output of cell 2", "KEY meta": "the notebook's metadata", "x = 1": "cell 2"}
