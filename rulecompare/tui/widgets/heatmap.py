"""A heatmap grid: a DataTable whose cells are coloured by score."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

# Stops of a perceptually ordered dark-to-light scale (after matplotlib's viridis).
_STOPS = np.array([(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)], dtype=float)


def colour(value: float) -> Color:
    """The scale's colour at ``value`` in [0, 1] (clipped)."""
    v = min(max(float(value), 0.0), 1.0) * (len(_STOPS) - 1)
    i = min(int(v), len(_STOPS) - 2)
    rgb = _STOPS[i] + (_STOPS[i + 1] - _STOPS[i]) * (v - i)
    r, g, b = (int(round(c)) for c in rgb)
    return Color.from_rgb(r, g, b)


def cell(score: float, top: float, *, diagonal: bool = False) -> Text:
    """One grid cell: the score on its colour (scaled so that ``top`` is the lightest)."""
    if diagonal:
        return Text("  ·  ", style="dim", justify="center")
    shade = score / top if top > 0 else 0.0
    fg = "black" if shade > 0.55 else "white"
    return Text(
        f"{score:.3f}"[1:] if score < 1 else "1.00",
        style=Style(color=fg, bgcolor=colour(shade)),
        justify="center",
    )


def legend(top: float, baseline: float) -> Text:
    """A one-line colour key from 0 to ``top``, with the baseline's place on it."""
    text = Text("0 ")
    for k in range(10):
        text.append("  ", style=Style(bgcolor=colour(k / 9)))
    text.append(f" {top:.3f}   baseline {baseline:.3f} ")
    if top > 0:
        text.append("  ", style=Style(bgcolor=colour(baseline / top)))
    return text


class Heatmap(DataTable[Text]):
    """Square matrix of scores with numbered columns and labelled rows."""

    DEFAULT_CSS = """
    Heatmap > .datatable--cursor {
        text-style: bold reverse;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.top = 0.0

    def show(self, scores: pd.DataFrame, labels: list[str]) -> None:
        """Fill the grid from a square frame; ``labels`` name the rows (and columns, by number)."""
        self.clear(columns=True)
        values = scores.to_numpy(dtype=float)
        n = len(values)
        off = values[~np.eye(n, dtype=bool)] if n > 1 else np.zeros(0)
        self.top = float(off.max()) if off.size else 1.0
        width = len(str(n))
        for j in range(n):
            self.add_column(Text(str(j + 1).rjust(5), justify="right"), key=str(j), width=5)
        for i in range(n):
            self.add_row(
                *(cell(values[i, j], self.top, diagonal=i == j) for j in range(n)),
                key=str(i),
                label=Text(f"{str(i + 1).rjust(width)} {labels[i]}"),
            )
