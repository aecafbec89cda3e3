"""A heatmap grid: a DataTable whose cells are coloured by score."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from rich.cells import cell_len
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate

from .nav import NavTable

# Stops of a perceptually ordered dark-to-light scale (after matplotlib's viridis).
_STOPS = np.array([(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)], dtype=float)


def colour(value: float) -> Color:
    """The scale's colour at ``value`` in [0, 1] (clipped)."""
    v = min(max(float(value), 0.0), 1.0) * (len(_STOPS) - 1)
    i = min(int(v), len(_STOPS) - 2)
    rgb = _STOPS[i] + (_STOPS[i + 1] - _STOPS[i]) * (v - i)
    r, g, b = (int(round(c)) for c in rgb)
    return Color.from_rgb(r, g, b)


def luminance(c: Color) -> float:
    """Relative luminance of a colour (WCAG 2.x)."""
    r, g, b = c.get_truecolor()

    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


BLACK = Color.from_rgb(0, 0, 0)
WHITE = Color.from_rgb(255, 255, 255)


def readable_on(background: Color) -> Color:
    """Black or white, whichever reads better on ``background`` (always 4.5:1 or more)."""
    return BLACK if contrast(BLACK, background) >= contrast(WHITE, background) else WHITE


def cell(score: float, top: float, *, diagonal: bool = False) -> Text:
    """One grid cell: the score on its colour (scaled so that ``top`` is the lightest)."""
    if diagonal:
        return Text("  ·  ", justify="center")
    bg = colour(score / top if top > 0 else 0.0)
    return Text(
        f"{score:.3f}"[1:] if score < 1 else "1.00",
        style=Style(color=readable_on(bg), bgcolor=bg),
        justify="center",
    )


def legend(top: float, baseline: float, *, steps: int = 10) -> Text:
    """A one-line colour key from 0 to ``top`` in ``steps`` colours, with the baseline's place on it."""
    text = Text("0 ")
    for k in range(steps):
        text.append("  ", style=Style(bgcolor=colour(k / (steps - 1))))
    text.append(f" {top:.3f} · baseline {baseline:.3f} ")
    if top > 0:
        text.append("  ", style=Style(bgcolor=colour(baseline / top)))
    return text


class Heatmap(NavTable):
    """Square matrix of scores with numbered columns and labelled rows (type-ahead on the labels)."""

    DEFAULT_CSS = """
    Heatmap {
        scrollbar-gutter: stable;
    }
    Heatmap > .datatable--cursor {
        text-style: bold reverse;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=False, **kwargs)
        self.top = 0.0
        self.labels: list[str] = []
        self.label_width = 0
        """Width of the row labels' column, padding included."""
        if self.label_of is None:
            self.label_of = self._label

    def _label(self, row: int) -> str:
        return self.labels[row] if row < len(self.labels) else ""

    # The row labels stay put while the columns scroll under them.  Scrolled to show the cursor's
    # column at the right edge, the grid would leave a column half under the labels (its score cut
    # to "576").  So the grid is as wide as a whole number of columns (:meth:`fit`), and it scrolls
    # by whole columns, without animation: every column in view is whole.

    def fit(self, available: int) -> None:
        """Take the widest width up to ``available`` cells that shows a whole number of columns."""
        if not self.columns:
            return
        step = self.ordered_columns[0].get_render_width(self)
        gutter = self.styles.scrollbar_size_vertical
        k = max(1, min(len(self.columns), (available - self.label_width - gutter) // step))
        self.styles.width = self.label_width + k * step + gutter

    def action_cursor_right(self) -> None:
        self.move_cursor(column=min(self.cursor_column + 1, len(self.columns) - 1))

    def action_cursor_left(self) -> None:
        self.move_cursor(column=max(self.cursor_column - 1, 0))

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self.call_after_refresh(self.align_columns)

    def align_columns(self) -> None:
        """Scroll sideways by whole columns so that the cursor's column is in view."""
        if not self.columns:
            return
        step = self.ordered_columns[0].get_render_width(self)
        room = self.scrollable_content_region.width - self.label_width
        visible = max(room // step, 1)
        first = math.ceil(round(self.scroll_x) / step)
        column = self.cursor_column
        if column < first:
            first = column
        elif column >= first + visible:
            first = column - visible + 1
        if self.scroll_x != first * step:
            self.scroll_to(x=first * step, animate=False, immediate=True)

    def show(self, scores: pd.DataFrame, labels: list[str]) -> None:
        """Fill the grid from a square frame; ``labels`` name the rows (and columns, by number)."""
        self.clear(columns=True)
        self.labels = list(labels)
        values = scores.to_numpy(dtype=float)
        n = len(values)
        off = values[~np.eye(n, dtype=bool)] if n > 1 else np.zeros(0)
        self.top = float(off.max()) if off.size else 1.0
        width = len(str(n))
        longest = max((cell_len(label) for label in labels), default=0)
        self.label_width = width + 1 + longest + 2 * self.cell_padding
        for j in range(n):
            self.add_column(Text(str(j + 1).rjust(5), justify="right"), key=str(j), width=5)
        for i in range(n):
            self.add_row(
                *(cell(values[i, j], self.top, diagonal=i == j) for j in range(n)),
                key=str(i),
                label=Text(f"{str(i + 1).rjust(width)} {labels[i]}"),
            )
