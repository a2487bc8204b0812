"""Lines as Python and editors count them: broken by \\n, \\r\\n or \\r only.

`str.splitlines` also breaks on form feeds, U+2028 and friends: a finding's line number and the
line a suppression marker sits on would then disagree.
"""

from __future__ import annotations

import bisect
import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, without their line breaks."""
    return LINE_BREAK.split(text)


def line_starts(text: str) -> list[int]:
    """Offsets where lines start."""
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]


def line_and_column(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and 0-based column of `offset`, given `line_starts` of the text."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1]
