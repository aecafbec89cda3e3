"""Tables for people at a terminal: every cell whole, wrapped to the terminal's width.

A result's text (a clause, a diff, a search snippet, an agreement's name) is
what a researcher came for, so no cell is cut: text columns wrap, numbers
stay on one line. A missing value is shown as "—", never NaN or <NA>.
Matrices (many numeric columns) are printed in blocks of columns that fit
the width, each block with the row labels again, as pandas does.
"""

from __future__ import annotations

import io
import re
import shutil

import numpy as np
import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..export import MISSING, is_missing, tidy

__all__ = ["MISSING", "render_grid", "render_table", "terminal_width"]

MARKS = (
    (re.compile(r"«([^»]*)»"), "bold yellow"),
    (re.compile(r"\[-(.*?)-\]", re.S), "bold red"),
    (re.compile(r"\{\+(.*?)\+\}", re.S), "bold green"),
)
"""Marked words (search hits, the words only one side of a diff has) and their colours in a terminal."""


def terminal_width() -> int:
    """The width to fit: $COLUMNS, else the terminal's, else 160 (for a table piped to a file)."""
    return max(40, shutil.get_terminal_size(fallback=(160, 24)).columns)


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _decimals(values: pd.Series) -> int:
    """Three decimals for scores and shares, fewer for larger numbers."""
    finite = values.dropna().to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    biggest = float(np.abs(finite).max()) if len(finite) else 0.0
    return 3 if biggest < 10 else 2 if biggest < 1000 else 0


def _cells(series: pd.Series) -> list[str]:
    """The column's values as text: numbers with a fixed number of decimals, missing as "—"."""
    if pd.api.types.is_bool_dtype(series):
        # A nullable boolean column may hold <NA>, which has no truth value.
        return [MISSING if is_missing(v) else "yes" if v else "no" for v in series]
    if pd.api.types.is_float_dtype(series):
        decimals = _decimals(series)
        return [MISSING if is_missing(v) else _number(float(v), decimals) for v in series]
    out = []
    for v in series:
        if is_missing(v):
            out.append(MISSING)
        elif isinstance(v, bool | np.bool_):
            out.append("yes" if v else "no")
        elif isinstance(v, float):
            out.append(_number(v, 3))
        else:
            out.append(" ".join(str(v).split()) if isinstance(v, str) else str(v))
    return out


SHORT = 24
"""A column whose longest cell is at most this wide keeps every cell on one line."""


LONG_ID = 40
"""An id without spaces up to this long is kept on one line too (a file agreement's id is long)."""


def _breakable(text: str) -> str:
    """A ";"-joined list (parties, families) with a space after each ";", so that it wraps between items."""
    return text.replace(";", "; ") if ";" in text and " " not in text else text


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _styled(text: str, color: bool) -> Text:
    """A cell; in colour, marked words are highlighted and their markers kept (they also say which side)."""
    cell = Text(text)
    if color:
        for pattern, style in MARKS:
            for m in pattern.finditer(text):
                cell.stylize(style, m.start(), m.end())
    return cell


def render_table(df: pd.DataFrame, *, width: int | None = None, color: bool = False) -> str:
    """``df`` as a table that fits ``width`` columns: text wraps, numbers keep one line.

    When even the ids, codes and numbers cannot stand side by side in ``width`` (many columns in a
    narrow terminal), each row is printed as a block of ``column  value`` lines instead, so that
    nothing is cut or left out.
    """
    df = tidy(df)
    width = width or terminal_width()
    if df.empty:
        return "(no rows)\n" if len(df.columns) else "(nothing)\n"
    names = [str(c) for c in df.columns]
    numeric = [_numeric(df[c]) for c in df.columns]
    cells = [
        _cells(df[c]) if num else [_breakable(v) for v in _cells(df[c])]
        for c, num in zip(df.columns, numeric, strict=True)
    ]
    widths = _fit(names, cells, numeric, width)
    if widths is None:
        return _records_layout(names, cells, width, color)
    if not color and _plain(names, *cells):
        return _plain_table(names, cells, numeric, widths)
    return _rich_table(names, cells, numeric, widths, width, color)


def _rich_table(
    names: list[str], cells: list[list[str]], numeric: list[bool], widths: list[int], width: int, color: bool
) -> str:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for name, num, w in zip(names, numeric, widths, strict=True):
        table.add_column(name, justify="right" if num else "left", width=w, overflow="fold")
    for row in zip(*cells, strict=True):
        table.add_row(*(_styled(cell, color) for cell in row))
    return _to_text(table, width, color)


GAP = 2
"""Spaces between two columns of a table."""
MIN_TEXT = 8
"""The narrowest a wrapping text column or a wrapped header is made."""
LONG_WORD = 16
"""A text column is made as wide as its longest word, up to this; a longer word is folded."""


def _fit(names: list[str], cells: list[list[str]], numeric: list[bool], width: int) -> list[int] | None:
    """Column widths that fit ``width``, or None when the short columns alone do not fit.

    Short columns (numbers, ids, codes, dates: no cell to wrap) keep every cell whole, with room for
    their header when there is enough; text columns share what is left in proportion to their length.
    """
    longest = [max((len(v) for v in col), default=0) for col in cells]
    natural = [max(n, len(name)) for n, name in zip(longest, names, strict=True)]
    room = width - GAP * (len(names) - 1)
    if sum(natural) <= room:
        return natural
    short = [
        num or n <= SHORT or (n <= LONG_ID and not any(" " in v for v in col))
        for num, n, col in zip(numeric, longest, cells, strict=True)
    ]
    texts = [i for i, s in enumerate(short) if not s]
    # A text column is at least as wide as its longest word (up to a point), so that words stay whole.
    words = {
        i: max(MIN_TEXT, min(LONG_WORD, max((len(w) for v in cells[i] for w in v.split()), default=0)))
        for i in texts
    }
    headed = [max(n, min(len(name), MIN_TEXT)) for n, name in zip(longest, names, strict=True)]
    # First with whole headers and words, then with headers in a few lines, then with long words folded.
    for fixed, least in (
        (natural, words),
        (headed, words),
        (headed, dict.fromkeys(texts, MIN_TEXT)),
    ):
        widths = [max(w, 1) if s else 0 for w, s in zip(fixed, short, strict=True)]
        left = room - sum(widths)
        if left >= sum(least.values()):
            break
    else:
        return None
    # Each text column gets its least, and what is left is shared in proportion to what each still wants.
    for i in texts:
        widths[i] = least[i]
    spare = left - sum(least.values())
    want = {i: max(0, natural[i] - least[i]) for i in texts}
    total = sum(want.values()) or 1
    for i in texts:
        widths[i] += min(want[i], spare * want[i] // total)
    spare = left - sum(widths[i] for i in texts)
    for i in sorted(texts, key=lambda i: -want[i]):  # what rounding left over, longest first
        grow = min(spare, natural[i] - widths[i])
        if grow > 0:
            widths[i] += grow
            spare -= grow
    return widths if sum(widths) <= room else None


_PLAIN = re.compile(r"[!-~—]+(?: [!-~—]+)*")
"""A cell whose layout :func:`_wrap` gives as rich does: printable ASCII (and the missing mark, one
cell wide), single spaces between words."""
_WORD = re.compile(r"\S+ ?")


def _plain(*columns: list[str]) -> bool:
    return all(not v or _PLAIN.fullmatch(v) for col in columns for v in col)


def _wrap(text: str, width: int) -> list[str]:
    """The lines rich wraps a plain cell (:data:`_PLAIN`) into at ``width`` with ``overflow="fold"``,
    trailing spaces dropped: words fill a line greedily, a word longer than the width is cut into
    pieces of the width (rich's ``divide_line`` for single-cell text)."""
    if len(text) <= width:
        return [text]
    breaks: list[int] = []
    offset = 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for k, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if k == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    bounds = [0, *breaks, len(text)]
    return [text[a:b].rstrip() for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _rows(
    rows: list[tuple[str, ...]], widths: list[int], right: list[bool], gap: int, *, bottom: bool = False
) -> list[str]:
    """Each row's cells wrapped to their widths and justified, side by side ``gap`` apart, lines as
    :func:`_to_text` leaves them (trailing spaces dropped); cells at the top of their row, or at the
    bottom (``bottom``: rich's headers)."""
    sep = " " * gap
    out: list[str] = []
    for row in rows:
        wrapped = [_wrap(v, w) for v, w in zip(row, widths, strict=True)]
        height = max(len(lines) for lines in wrapped)
        if bottom:
            wrapped = [[""] * (height - len(lines)) + lines for lines in wrapped]
        for i in range(height):
            parts = (lines[i] if i < len(lines) else "" for lines in wrapped)
            line = sep.join(
                v.rjust(w) if r else v.ljust(w) for v, w, r in zip(parts, widths, right, strict=True)
            )
            out.append(line.rstrip())
    return out


def _plain_table(names: list[str], cells: list[list[str]], numeric: list[bool], widths: list[int]) -> str:
    """The table :func:`render_table` draws with rich, without colour, when every cell is plain
    (:func:`_plain`): header, rule, rows; text left, numbers right, :data:`GAP` apart, each cell
    wrapped to its column as rich wraps it (:func:`_wrap`).

    Written out because rich lays out every cell (about 0.15 ms each: 5 s for the 30,000 cells of
    ``compat --by-area``); tests check it against rich's rendering.
    """
    out = _rows([tuple(names)], widths, numeric, GAP, bottom=True)
    out.append("─" * (sum(widths) + GAP * (len(widths) - 1)))
    out += _rows(list(zip(*cells, strict=True)), widths, numeric, GAP)
    return "\n".join(out) + "\n"


def _records_layout(names: list[str], cells: list[list[str]], width: int, color: bool) -> str:
    """One block per row: each column's name and its value, the value wrapped beside the name."""
    label = max(len(n) for n in names)
    value_width = max(MIN_TEXT, width - label - GAP)
    if not color and label + 1 + value_width <= width and _plain(names, *cells):
        return _plain_records(names, cells, label, value_width)
    return _rich_records(names, cells, width, color)


def _rich_records(names: list[str], cells: list[list[str]], width: int, color: bool) -> str:
    label = max(len(n) for n in names)
    value_width = max(MIN_TEXT, width - label - GAP)
    table = Table(box=None, show_header=False, pad_edge=False, collapse_padding=True)
    table.add_column(width=label, style="bold" if color else "", no_wrap=True)
    table.add_column(width=value_width, overflow="fold")
    rows = list(zip(*cells, strict=True))
    for n, row in enumerate(rows):
        for name, cell in zip(names, row, strict=True):
            table.add_row(name, _styled(cell, color))
        if n < len(rows) - 1:
            table.add_row("", "")
    return _to_text(table, width, color)


def _plain_records(names: list[str], cells: list[list[str]], label: int, value_width: int) -> str:
    """:func:`_records_layout` without colour for plain cells: name, one space (the collapsed padding
    of a table without lines), the value wrapped beside it, and a blank line between rows (as rich
    draws it; tests check it against rich)."""
    out: list[str] = []
    for row in zip(*cells, strict=True):
        if out:
            out.append("")
        out += _rows(list(zip(names, row, strict=True)), [label, value_width], [False, False], 1)
    return "\n".join(out) + "\n"


def _to_text(renderable: object, width: int, color: bool) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        soft_wrap=False,
    )
    console.print(renderable)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def render_grid(df: pd.DataFrame, labels: list[str], *, width: int | None = None) -> str:
    """A matrix: the ``labels`` columns name each row, the other columns are numbers.

    Columns are printed in blocks that fit ``width``, each block repeating the labels, so that a wide
    matrix is read block by block instead of being cut or folded cell by cell.
    """
    width = width or terminal_width()
    if df.empty:
        return "(no rows)\n"
    keys = df[labels].copy()
    for name in labels:
        keys[name] = _cells(keys[name])
    values = [c for c in df.columns if c not in labels]
    cells = {c: _cells(df[c]) for c in values}
    key_widths = [max(len(str(k)), *(len(v) for v in keys[k])) for k in labels]
    widths = {c: max(len(str(c)), *(len(v) for v in cells[c])) for c in values}
    room = width - sum(w + 2 for w in key_widths)
    blocks: list[list[str]] = []
    for c in values:
        if blocks and sum(widths[x] + 2 for x in blocks[-1]) + widths[c] + 2 <= max(room, widths[c] + 2):
            blocks[-1].append(c)
        else:
            blocks.append([c])
    out: list[str] = []
    for n, block in enumerate(blocks):
        if n:
            out.append("")
        head = "  ".join(str(k).ljust(w) for k, w in zip(labels, key_widths, strict=True))
        out.append((head + "  " + "  ".join(str(c).rjust(widths[c]) for c in block)).rstrip())
        for i in range(len(df)):
            key = "  ".join(keys[k].iloc[i].ljust(w) for k, w in zip(labels, key_widths, strict=True))
            out.append((key + "  " + "  ".join(cells[c][i].rjust(widths[c]) for c in block)).rstrip())
    return "\n".join(out) + "\n"
