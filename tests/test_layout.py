"""What the migration writes passes the user's linters: black's layout at 88 columns, no E402.

(a) Every helper function the migration emits (the `*_SOURCE` templates of codemod/transforms),
    rendered as the migration renders it (each client name it may choose, a short and a very
    long API-key variable), is exactly what `black.format_str(..., line_length=88)` returns, and
    its lines are at most 88 columns unless they hold a string literal black cannot split.

(b) In every fixture (tests/fixtures/*/input.py → expected.py), the lines the migration added
    are at most 88 columns. A line counts as added when it is not a line of input.py; left out
    are `# TODO(genai2openai)` comment lines (a finding's text, one line by design), the lines of
    the emitted helper functions (checked whole by (a)) and a line that rewrites an input line
    already over 88 columns (the user's length, not ours): in a block of lines difflib finds
    replaced, a line whose ratio with such an input line of the block is 0.8 or more. Exempt, as
    black cannot shorten them either, is a line that after its indentation is one string
    literal (plain, raw, bytes or f-string; a single token, not implicit concatenation) with
    at most these around it: before it `name=` / `name = ` (a keyword argument or a plain
    assignment) or `"key": ` (a dict entry with a string key), after it a `,`. Nothing else
    (a call, a dict holding a long string, a trailing comment) is exempt: black would split it.
    KNOWN_LONG lists the lines over 88 columns the migration writes today that are not ours to
    fix here (expression rewrites and calls not yet laid out); a line fixed must leave it.

(c) ruff (E402, E501 at 88 columns) finds no E402 in an expected.py whose input.py has none:
    what we write goes after the imports.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from codemod.transforms import chat, client, parts, responses, runtime, streaming

black = pytest.importorskip("black")

LINE_LENGTH = 88
REWRITE = 0.8  # how alike (difflib's ratio) a line and the input line it rewrites are
FIXTURES = Path(__file__).parent / "fixtures"
PAIRS = sorted(p.parent.name for p in FIXTURES.glob("*/expected.py") if p.with_name("input.py").exists())
MODULES = (chat, client, parts, responses, runtime, streaming)
KEY_VARIABLES = (
    ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    ["OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"],
    ["MY_COMPANY_SPECIFIC_LLM_GATEWAY_API_KEY_VARIABLE_NAME", "GEMINI_API_KEY", "GOOGLE_API_KEY"],
)

_STRING = r"""(?:[rRbBuUfF]{0,2})(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
_UNSPLITTABLE = re.compile(rf"\s*(?:[A-Za-z_]\w*\s*=\s*|{_STRING}\s*:\s*)?{_STRING},?")

# fixture → lines (stripped) over 88 columns the migration writes today, by what writes them.
KNOWN_LONG: dict[str, set[str]] = {
    # A read rewritten inside the user's own expression, which is not laid out again.
    "chat_history_read_before_image_send": {
        'print(("model" if message["role"] == "assistant" else message["role"]), ":", _genai2openai_first_text(message))',
    },
    "chat_two_turns": {'print(("model" if message["role"] == "assistant" else message["role"]), message["content"])'},
    "loop_variable_shadows_migrated_name": {
        'print(("model" if message["role"] == "assistant" else message["role"]), message["content"])',
    },
    "project_streamlit_chat": {
        'with st.chat_message(role_to_streamlit(("model" if message["role"] == "assistant" else message["role"]))):',
    },
    "response_read_in_parentheses": {
        "return(reply.choices[0].message.content)  # the parentheses are all that separates the value from `return`",
    },
    "stream_chunks": {'print(((chunk.choices[0].delta.content or "") if chunk.choices else ""), end="", flush=True)'},
    # A call or dict the migration writes on one line.
    "config_generation_config_kwargs": {
        'defaults = _genai2openai_generation_config(temperature=0.3, **{"top_p": 0.5, "top_k": None})',
    },
    "files_upload_inline": {
        'organ = {"mime_type": "image/jpeg", "data": pathlib.Path(media / "organ.jpg").read_bytes()}',
    },
    "files_upload_processing": {
        'picture = {"mime_type": "image/png", "data": pathlib.Path(picture_path).read_bytes()}',
        '{"role": "user", "content": [{"type": "text", "text": "Here is the report."}, _genai2openai_blob_part(report["mime_type"], report["data"])]},',
    },
    "project_discord_bot": {
        '{"role": "system", "content": "You are a friendly Discord bot. Keep answers under 2000 characters."},',
    },
}


def unsplittable(line: str) -> bool:
    """Is `line` one string literal black cannot shorten (see the module docstring)?"""
    return _UNSPLITTABLE.fullmatch(line) is not None


def rendered_helpers() -> Iterator[tuple[str, str]]:
    """(label, source) of every helper function as the migration renders it."""
    for name in client.CLIENT_CANDIDATES:
        yield f"SEND_SOURCE[{name}]", chat.SEND_SOURCE.format(name=chat.SEND, client=name)
        source = streaming.SEND_STREAM_SOURCE.format(name=streaming.SEND_STREAM, client=name, stream=streaming.STREAM)
        yield f"SEND_STREAM_SOURCE[{name}]", source
    for name in client.ASYNC_CLIENT_CANDIDATES:
        yield f"SEND_ASYNC_SOURCE[{name}]", chat.SEND_ASYNC_SOURCE.format(name=chat.SEND_ASYNC, client=name)
    for variables in KEY_VARIABLES:
        yield f"NO_KEY_SOURCE[{variables[0]}]", client.no_key_source(variables)
    yield "STREAM_SOURCE", streaming.STREAM_SOURCE.format(name=streaming.STREAM)
    yield "FIRST_TEXT_SOURCE", chat.FIRST_TEXT_SOURCE
    yield "TEXT_HELPER_SOURCE", responses.TEXT_HELPER_SOURCE
    yield "IMAGE_HELPER_SOURCE", parts.IMAGE_HELPER_SOURCE
    yield "BLOB_HELPER_SOURCE", parts.BLOB_HELPER_SOURCE
    for name in ("MESSAGES", "MESSAGE", "PART", "CONFIG", "GENERATION_CONFIG"):
        yield f"{name}_HELPER_SOURCE", getattr(runtime, f"{name}_HELPER_SOURCE")


HELPERS = dict(rendered_helpers())
HELPER_NAMES = frozenset(
    ast.parse(source).body[0].name  # type: ignore[attr-defined]
    for source in HELPERS.values()
)


def test_every_helper_source_is_rendered() -> None:
    """A new `*_SOURCE` constant must be added to rendered_helpers (and so be checked)."""
    constants = {name for module in MODULES for name, value in vars(module).items() if name.endswith("_SOURCE") and isinstance(value, str)}
    covered = {label.split("[")[0] for label in HELPERS}
    assert constants == covered


@pytest.mark.parametrize("label", sorted(HELPERS))
def test_helper_is_black_stable(label: str) -> None:
    source = HELPERS[label]
    assert black.format_str(source, mode=black.Mode(line_length=LINE_LENGTH)) == source
    long = [line for line in source.splitlines() if len(line) > LINE_LENGTH and not unsplittable(line)]
    assert long == []


def _helper_lines(source: str) -> set[int]:
    """Line numbers of the emitted helper functions in `source`."""
    lines: set[int] = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in HELPER_NAMES:
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lines.update(range(start, (node.end_lineno or node.lineno) + 1))
    return lines


def long_added_lines(before: str, after: str) -> list[str]:
    """The lines of `after` (stripped) the migration added over 88 columns, by the rules above."""
    old_lines, new_lines = before.splitlines(), after.splitlines()
    present = set(old_lines)
    inherited: set[int] = set()  # 0-based lines of `after` replacing an input line already too long
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag != "replace":
            continue
        too_long = [line for line in old_lines[i1:i2] if len(line) > LINE_LENGTH]
        for j in range(j1, j2):
            if any(difflib.SequenceMatcher(None, line, new_lines[j]).ratio() >= REWRITE for line in too_long):
                inherited.add(j)
    helpers = _helper_lines(after)
    found = []
    for index, line in enumerate(new_lines):
        if len(line) <= LINE_LENGTH or line in present or index in inherited or index + 1 in helpers:
            continue
        if line.strip().startswith("# TODO(genai2openai)") or unsplittable(line):
            continue
        found.append(line.strip())
    return found


def test_exemption_rule() -> None:
    long = "x" * 90
    for line in (f'    "{long}"', f'    "{long}",', f'    content="{long}",', f"    text = f'{long}'", f'    "content": "{long}",'):
        assert unsplittable(line), line
    for line in (f'    print("{long}")', f'    {{"content": "{long}"}},', f'    "{long}" "b",', f'    x = "{long}"  # note'):
        assert not unsplittable(line), line


@pytest.mark.parametrize("name", PAIRS)
def test_added_lines_fit(name: str) -> None:
    folder = FIXTURES / name
    before = (folder / "input.py").read_text(encoding="utf-8")
    after = (folder / "expected.py").read_text(encoding="utf-8")
    found = set(long_added_lines(before, after))
    known = KNOWN_LONG.get(name, set())
    assert found - known == set(), "lines over 88 columns the migration added"
    assert known - found == set(), "KNOWN_LONG lists lines the migration no longer writes: remove them"


def _ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed")
    return found


def _e402(ruff: str, path: Path) -> list[str]:
    command = [ruff, "check", "--isolated", "--select", "E402,E501", "--line-length", str(LINE_LENGTH)]
    result = subprocess.run([*command, "--output-format", "json", "--exit-zero", str(path)], capture_output=True, text=True, check=True)
    return [f"{d['location']['row']}: {d['message']}" for d in json.loads(result.stdout) if d["code"] == "E402"]


def test_no_import_after_our_code() -> None:
    ruff = _ruff()
    broken = {}
    for name in PAIRS:
        folder = FIXTURES / name
        if _e402(ruff, folder / "input.py"):
            continue
        found = _e402(ruff, folder / "expected.py")
        if found:
            broken[name] = found
    assert broken == {}
