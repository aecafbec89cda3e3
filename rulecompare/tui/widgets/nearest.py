"""The nearest-articles list of the Agreement screen: its columns, sized to the pane, and its rows."""

from __future__ import annotations

import pandas as pd
from rich.text import Text
from textual.widgets import DataTable

from .. import data


def column_widths(pane: int, *, narrow: bool) -> tuple[int, int, int]:
    """Widths of the agreement, article and area columns, so that a row fits a pane ``pane`` wide."""
    if narrow:
        return 16, 18, 0
    free = max(pane - 5 - 4 * 2 - 2, 60)  # the score, each column's padding, the scroll bar
    area = min(24, free // 4)  # most area labels fit; the line under the list gives the whole one
    return free * 3 // 10, free - free * 3 // 10 - area, area


def fill(table: DataTable[object], df: pd.DataFrame, *, pane: int, narrow: bool) -> None:
    """Put the rows of :func:`data.nearest_articles` in ``table`` (area left out when narrow)."""
    table.clear(columns=True)
    table.add_column("Score", key="score")
    table.add_column("Agreement", key="agreement")
    table.add_column("Article", key="article")
    if not narrow:
        table.add_column("Area", key="area")
    w_name, w_article, w_area = column_widths(pane, narrow=narrow)
    for i, r in enumerate(data.records(df)):
        name = (r.short if narrow else r.label) if isinstance(r.label, str) else r.name
        cells: list[object] = [
            Text(f"{r.score:.3f}", justify="right"),
            data.short_name(name, w_name),
            data.short_name(data.article_label(r.article_number, r.article_title), w_article),
        ]
        if not narrow:
            area = data.area_label(r.area) if isinstance(r.area, str) else ""
            cells.append(data.short_name(area, w_area))
        table.add_row(*cells, key=str(i))
