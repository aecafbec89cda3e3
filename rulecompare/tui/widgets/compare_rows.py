"""The rows of the Compare table: how wide each side is, how many lines it may take, and its cells.

Pure functions of a :class:`~rulecompare.tui.data.CompareRow` and the
terminal's size, so that the screen only decides which rows to add and when.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from ..comparison import CompareRow
from .diff import DELETED, INSERTED, UNMATCHED, UNMATCHED_BADGE, Shown, clipped_side, stacked
from .heatmap import colour, readable_on

SCORE_WIDTH = 6
MAX_LINES = 16
"""Lines a side may take in a row before it is clipped (fewer when the terminal is short)."""

Layout = tuple[bool, int, int, int]
"""(narrow: A over B, width of A's text, width of B's text, lines a side may take)."""


def row_layout(width: int, height: int, *, narrow: bool) -> Layout:
    """The layout for a terminal ``width`` wide and a table ``height`` lines high."""
    room = max(height - 2, 4)  # the header line and one line of the next row stay visible
    if narrow:
        # Score, then one column with A's text over B's; each cell is padded by one on both sides.
        text = max(width - SCORE_WIDTH - 2 * 2 - 2, 20)
        return True, text, text, max(3, min(MAX_LINES, (room - 1) // 2))
    free = max(width - SCORE_WIDTH - 2 * 3 - 2, 30)
    return False, free // 2, free - free // 2, max(4, min(MAX_LINES, room))


def row_sides(row: CompareRow, layout: Layout, *, whole: bool) -> tuple[Shown | None, Shown | None]:
    """The row's two sides laid out (clipped to the layout's lines unless ``whole``)."""
    _, wa, wb, lines = layout
    limit = None if whole else lines
    a = b = None
    if row.kind != "b":
        style = DELETED if row.kind == "pair" else UNMATCHED
        a = clipped_side(row.a_where, row.a_pieces, changed_style=style, width=wa, max_lines=limit)
    if row.kind != "a":
        style = INSERTED if row.kind == "pair" else UNMATCHED
        b = clipped_side(row.b_where, row.b_pieces, changed_style=style, width=wb, max_lines=limit)
    return a, b


def row_cells(
    row: CompareRow, a: Shown | None, b: Shown | None, *, narrow: bool
) -> tuple[dict[str, object], int]:
    """The row's cells by column key ("a", "score", "b"; narrow: "score", "text"), and its height."""
    score = score_cell(row)
    if narrow:
        text, lines = stacked(a, b)
        return {"score": score, "text": text}, lines + 1
    missing_a = Text("only B: no counterpart in A", style=UNMATCHED)
    missing_b = Text("only A: no counterpart in B", style=UNMATCHED)
    lines = max(a.lines if a else 1, b.lines if b else 1)
    return {"a": a.text if a else missing_a, "score": score, "b": b.text if b else missing_b}, lines + 1


def score_cell(row: CompareRow) -> Text:
    """The score on a badge coloured by it, or "only A"/"only B"."""
    if row.kind == "a":
        return Text("only\nA", style=UNMATCHED_BADGE, justify="center")
    if row.kind == "b":
        return Text("only\nB", style=UNMATCHED_BADGE, justify="center")
    score = row.score or 0.0
    bg = colour(0.35 + 0.65 * score)
    return Text(f"{score:.2f}", style=Style(bold=True, color=readable_on(bg), bgcolor=bg), justify="center")
