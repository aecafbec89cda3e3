"""Rendering one side of a clause diff as Rich text, and sizing it for a table row.

A side is shown as its own text, every character of it (line breaks, runs of
spaces and tabs as in the source), with the words the other side lacks
styled.  The Compare table sets each row's height itself: letting the
DataTable measure thousands of wrapped cells takes seconds, while
:func:`line_count`, which follows Rich's word wrap step by step, takes
milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import cell_len, chop_cells
from rich.text import Text

DELETED = "bold #ffffff on #8b1a1a"
"""Words of A that B does not have."""
INSERTED = "bold #000000 on #5fd75f"
"""Words of B that A does not have."""
UNMATCHED = "#ffb86c"
"""Clauses of one side with no counterpart on the other."""
TAB_SIZE = 8
"""Rich's tab stops (a console's default), which :func:`line_count` follows."""

_WRAP_WORD = re.compile(r"\s*\S+\s*")  # what Rich's wrap treats as one word: leading and trailing space


def side(
    header: str, segments: Iterable[tuple[str, str]], *, changed_style: str, base_style: str = ""
) -> Text:
    """A header line, then the runs of ``segments`` as they are, with changed runs styled.

    ``segments`` holds ("=", text) for text both sides share and ("+", text)
    for text only this side has; after the header, the result's plain text is
    the runs joined, unchanged.
    """
    text = Text(header + "\n", style="dim") if header else Text()
    for op, run in segments:
        text.append(run, style=changed_style if op == "+" else base_style)
    return text


def _expand_tabs(line: str, tab_size: int) -> str:
    """``line`` with each tab made spaces up to the next tab stop, as Rich does before wrapping."""
    parts = line.split("\t")
    out: list[str] = []
    position = 0
    for part in parts[:-1]:
        run = part + " "
        position += cell_len(run)
        pad = -position % tab_size
        out.append(run + " " * pad)
        position += pad
    out.append(parts[-1])
    return "".join(out)


def _breaks(line: str, width: int) -> int:
    """Line breaks Rich's word wrap (overflow "fold") puts into one line of text at ``width`` cells."""
    breaks = 0
    offset = 0
    for match in _WRAP_WORD.finditer(line):
        start, word = match.start(), match.group()
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width:  # longer than a line: folded over several
            chunks = chop_cells(word, width)
            for k, chunk in enumerate(chunks):
                breaks += bool(start)
                if k == len(chunks) - 1:
                    offset = cell_len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks += 1
            offset = cell_len(word)
    return breaks


def line_count(plain: str, width: int) -> int:
    """Lines that Rich's word wrap makes of ``plain`` at ``width`` cells (tabs expanded, blank lines kept)."""
    width = max(width, 1)
    lines = 0
    for line in plain.split("\n"):
        if "\t" in line:
            line = _expand_tabs(line, TAB_SIZE)
        lines += 1 + _breaks(line, width)
    return lines
