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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, chop_cells
from rich.text import Text

DELETED = "bold #ffffff on #8b1a1a"
"""Words of A that B does not have (white on dark red: contrast 9.9:1)."""
INSERTED = "bold #000000 on #5fd75f"
"""Words of B that A does not have (black on green: contrast 11.4:1)."""
UNMATCHED = "italic"
"""Clauses of one side with no counterpart on the other: in the theme's text colour, so that they
read on a normal row and on the cursor's row alike; the score column says "only A"/"only B"."""
UNMATCHED_BADGE = "bold #000000 on #ffb86c"
"""The "only A"/"only B" mark in the score column (black on orange: contrast 11.6:1)."""
HEADER = "bold"
"""A side's header line: the article and paragraph of its clause."""
MORE = "italic"
"""The line that says how much of a clipped clause is not shown."""
TAB_SIZE = 8
"""Rich's tab stops (a console's default), which :func:`line_count` follows."""

_WRAP_WORD = re.compile(r"\s*\S+\s*")  # what Rich's wrap treats as one word: leading and trailing space
_WORD_END = re.compile(r"\S+")


def side(
    header: str, segments: Iterable[tuple[str, str]], *, changed_style: str, base_style: str = ""
) -> Text:
    """A header line, then the runs of ``segments`` as they are, with changed runs styled.

    ``segments`` holds ("=", text) for text both sides share and ("+", text)
    for text only this side has; after the header, the result's plain text is
    the runs joined, unchanged.
    """
    text = Text(header + "\n", style=HEADER) if header else Text()
    for op, run in segments:
        text.append(run, style=changed_style if op == "+" else base_style)
    return text


def more_line(hidden: int, width: int = 80) -> str:
    """The last line of a clipped side: how many lines are not shown, and the key that shows them
    (shortened to fit ``width`` cells)."""
    full = f"… {hidden} more line{'s' if hidden != 1 else ''} (e shows all)"
    return full if cell_len(full) <= width else f"… +{hidden}"


@dataclass(frozen=True)
class Shown:
    """One side of a Compare row as drawn: whole, or clipped with :func:`more_line` after it."""

    text: Text
    lines: int
    """Lines the text takes at the width it was laid out for."""
    shown: int
    """Characters of the side's own text shown (its full length when not clipped)."""
    hidden: int
    """Lines of the side's text not shown (0 when whole)."""


def clipped_side(
    header: str,
    segments: Sequence[tuple[str, str]],
    *,
    changed_style: str,
    width: int,
    max_lines: int | None,
    base_style: str = "",
) -> Shown:
    """:func:`side`, cut to at most ``max_lines`` lines (``None``: never), a "… N more lines" line last.

    The cut falls after a word, so the text shown is the side's text up to
    :attr:`Shown.shown` characters exactly, as written.  (A header and the
    last line always show, so a very small ``max_lines`` may be exceeded.)
    """
    whole = side(header, segments, changed_style=changed_style, base_style=base_style)
    total = line_count(whole.plain, width)
    body = "".join(run for _, run in segments)
    if max_lines is None or total <= max_lines:
        return Shown(whole, total, len(body), 0)
    room = max_lines - line_count(more_line(total, width), width)
    head = header + "\n" if header else ""
    ends = [m.end() for m in _WORD_END.finditer(body)]
    lo, hi = 0, len(ends) - 1  # the largest word end whose prefix fits in ``room`` lines
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if line_count(head + body[: ends[mid]], width) <= room:
            best, lo = ends[mid], mid + 1
        else:
            hi = mid - 1
    cut = side(header, _cut(segments, best), changed_style=changed_style, base_style=base_style)
    kept = line_count(cut.plain, width) if best else (1 if header else 0)
    hidden = max(total - kept, 1)
    # After the header alone the text ends with its line break already.
    cut.append(("\n" if best else "") + more_line(hidden, width), style=MORE)
    return Shown(cut, line_count(cut.plain, width), best, hidden)


def stacked(a: Shown | None, b: Shown | None) -> tuple[Text, int]:
    """A over B in one cell for a narrow terminal: "A · " and A's side, then "B · " and B's side
    ("(no counterpart in A)" for a side without a clause); the cell and the lines it takes."""
    text = Text("A · ", style=HEADER)
    text.append_text(a.text if a else Text("(no counterpart in A)", style=UNMATCHED))
    text.append("\nB · ", style=HEADER)
    text.append_text(b.text if b else Text("(no counterpart in B)", style=UNMATCHED))
    return text, (a.lines if a else 1) + (b.lines if b else 1)


def _cut(segments: Sequence[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    """The runs of ``segments`` up to ``length`` characters of their joined text."""
    out: list[tuple[str, str]] = []
    left = length
    for op, run in segments:
        if left <= 0:
            break
        out.append((op, run[:left]))
        left -= len(run)
    return out


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
