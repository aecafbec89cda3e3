"""Matrix: the overlap matrix of a set of agreements as a heatmap; Enter on a cell compares the pair."""

from __future__ import annotations

import pandas as pd
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from ...errors import RulecompareError
from ...overlap import MatrixResult
from .. import data, labels
from ..memory import release_memory
from ..messages import OpenCompare, navigate
from ..widgets.heatmap import Heatmap, legend
from .base import BaseScreen

MAX_GRID = 250
"""Units beyond which the grid is not drawn (the matrix can still be exported)."""


class MatrixScreen(BaseScreen):
    """A heatmap of pairwise overlap, with the measure and the level selectable."""

    HELP = """\
## Matrix

Each cell is the overlap of the row's text with the column's (columns are
numbered like the rows). `jaccard` is symmetric; `containment` and `copied`
read "row found in column". Colours run from dark (0) to light (the largest
score off the diagonal); the summary gives the corpus baseline, the median
pair of unrelated agreements, to read the scores against.

Rows are labelled by agreement (with its language, or year, where two
agreements share a name); at chapter level by the agreement's short name and
the chapter ("NAFTA · Ch 11 Investment"), at area level by the short name and
the area. Typing the first letters of a label moves to its row.

Moving the cursor shows the pair and its score; `enter` compares the two
agreements clause by clause (within the cell's policy area at area level).
`m` cycles the measure, `l` the level (agreement, chapter, area).
"""

    BINDINGS = [
        Binding("m", "cycle_measure", "Measure"),
        Binding("l", "cycle_level", "Level"),
    ]
    WORK = {"matrix": "computing the matrix"}

    def __init__(
        self,
        ref: data.StoreRef,
        agreement_ids: tuple[str, ...],
        *,
        title: str = "",
        level: str = "agreement",
        measure: str = "jaccard",
    ) -> None:
        super().__init__()
        self.ref = ref
        self.agreement_ids = agreement_ids
        self.heading = title or f"{len(agreement_ids)} agreements"
        self.level = level
        self.measure = measure
        self.result: MatrixResult | None = None
        self.labels: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="matrix-summary", classes="status")
        yield Heatmap(id="matrix-grid", choose=self._choose)
        yield Static("", id="matrix-pair")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Matrix · {self.heading}"
        self.query_one("#matrix-grid", Heatmap).focus()
        self.load()

    def load(self) -> None:
        """Recompute the matrix for the current measure and level, in a worker."""
        grid = self.query_one("#matrix-grid", Heatmap)
        grid.loading = True
        self.query_one("#matrix-pair", Static).update("")
        self.query_one("#matrix-summary", Static).update(
            f"computing {self.measure} at {self.level} level for {self.heading} …"
        )
        self._compute(self.level, self.measure)

    def work_failed(self, group: str) -> None:
        self.query_one("#matrix-grid", Heatmap).loading = False

    @work(thread=True, exclusive=True, group="matrix", exit_on_error=False)
    def _compute(self, level: str, measure: str) -> None:
        try:
            with self.ref.open() as store:
                result = data.overlap_matrix(store, self.agreement_ids, level=level, measure=measure)
                labels = data.matrix_labels(store, result)
                shorts = data.matrix_labels(store, result, short=True)
            release_memory()
        except RulecompareError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, result, labels, shorts)

    def _failed(self, message: str) -> None:
        self.query_one("#matrix-grid", Heatmap).loading = False
        self.query_one("#matrix-summary", Static).update(Text(message, style="red"))

    def _show(self, result: MatrixResult, labels: list[str], shorts: list[str]) -> None:
        self.result = result
        self.labels = labels
        grid = self.query_one("#matrix-grid", Heatmap)
        grid.loading = False
        n = len(result.units)
        if n > MAX_GRID:
            grid.clear(columns=True)
            self.query_one("#matrix-summary", Static).update(
                f"{n} units is too many to draw; press x to export the matrix, or choose fewer agreements"
            )
            return
        width = max(16, min(44, self.app.size.width // 3))
        grid.show(result.frame, data.fit_labels(labels, shorts, width))
        grid.fit(self.app.size.width)
        self._summary()
        if n > 1:
            grid.move_cursor(row=0, column=1)

    def _summary(self) -> None:
        """The measure, level and colour key on one line (a shorter key when the terminal is narrow)."""
        if self.result is None or len(self.result.units) > MAX_GRID:
            return
        r = self.result
        summary = Text(f"{r.measure} · {r.level} level · {len(r.units)} units · ")
        summary.append_text(
            legend(self.query_one("#matrix-grid", Heatmap).top, r.baseline, steps=5 if self.narrow else 10)
        )
        self.query_one("#matrix-summary", Static).update(summary)

    @on(events.Resize)
    def _refit(self) -> None:
        self.query_one("#matrix-grid", Heatmap).fit(self.app.size.width)
        self._summary()
        grid = self.query_one("#matrix-grid", Heatmap)
        if self.result is not None and grid.row_count:
            self._pair(grid.cursor_coordinate.row, grid.cursor_coordinate.column)

    def _pair(self, row: int, column: int) -> None:
        assert self.result is not None
        text = data.matrix_pair_text(self.result, row, column, self.labels, brief=self.narrow)
        self.query_one("#matrix-pair", Static).update(text)

    @on(DataTable.CellHighlighted, "#matrix-grid")
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        if self.result is None:
            return
        self._pair(event.coordinate.row, event.coordinate.column)

    @on(DataTable.CellSelected, "#matrix-grid")
    def _selected(self, event: DataTable.CellSelected) -> None:
        self._open(event.coordinate.row, event.coordinate.column)

    def _choose(self, row: int) -> None:
        self._open(row, self.query_one("#matrix-grid", Heatmap).cursor_column)

    def _open(self, row: int, column: int) -> None:
        if self.result is None:
            return
        pair = data.matrix_pair(self.result, row, column)
        if pair is None:
            self.notify("Pick a cell off the diagonal: two different agreements", severity="warning")
            return
        navigate(self, OpenCompare(*pair))

    def cell_pair(self) -> tuple[str, str, str | None] | None:
        """The (a, b, area) the cursor's cell would compare, None on the diagonal."""
        if self.result is None:
            return None
        c = self.query_one("#matrix-grid", Heatmap).cursor_coordinate
        return data.matrix_pair(self.result, c.row, c.column)

    def action_cycle_measure(self) -> None:
        order = list(data.MEASURES)
        self.measure = order[(order.index(self.measure) + 1) % len(order)]
        self.load()

    def action_cycle_level(self) -> None:
        order = list(data.LEVELS)
        self.level = order[(order.index(self.level) + 1) % len(order)]
        self.load()

    def export_frame(self) -> tuple[pd.DataFrame, str]:
        """The square matrix with a label column, as shown."""
        if self.result is None:
            return pd.DataFrame(), "matrix"
        stem = labels.file_part(f"matrix {self.heading} {self.measure} {self.level}")
        return data.matrix_frame(self.result, self.labels), stem
