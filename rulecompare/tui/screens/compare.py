"""Compare: two agreements side by side, clause by clause, with their differences marked."""

from __future__ import annotations

import pandas as pd
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from ...errors import RulecompareError
from .. import data
from ..messages import OpenAgreement
from ..widgets.diff import DELETED, INSERTED, UNMATCHED, line_count, side
from ..widgets.heatmap import colour

FIRST_ROWS = 60
"""Rows put in the table before the first paint; the rest follow in batches."""
BATCH = 200
SCORE_WIDTH = 6
MAX_LINES = 16
"""Lines a row may take; a longer clause is cut there (enter opens its whole article)."""
ALL_AREAS = "*"


class CompareScreen(Screen[None]):
    """The clause alignment of two agreements."""

    HELP = """\
## Compare

Each row pairs a clause of A (left) with its best counterpart in B (right)
and their similarity score; each side shows its own text as written. Words
only A has are marked in red, words only B has in green (case, quotes and
punctuation attached to a word do not count as differences). Rows marked
`only A` / `only B` are clauses with no counterpart on the other side,
shown where they occur.

`n` / `p` jump to the next / previous row that differs, `u` / `U` to the next
/ previous unmatched clause; `a` picks a policy area; `enter` opens the
row's article in A (`o` in B). Rows show at most 16 lines of a clause;
the article view has the whole text. The summary line gives the share of each
side's clauses that were aligned, the mean score of the aligned pairs, and
the corpus baseline for two unrelated agreements.
"""

    BINDINGS = [
        Binding("n", "next_difference", "Next diff"),
        Binding("p", "previous_difference", "Prev diff"),
        Binding("u", "next_unmatched", "Next unmatched"),
        Binding("U", "previous_unmatched", "Prev unmatched", show=False),
        Binding("a", "pick_area", "Area"),
        Binding("o", "open_b", "Open B", show=False),
    ]

    def __init__(self, ref: data.StoreRef, a: str, b: str, *, area: str | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.a = a
        self.b = b
        self.area = area
        self.view: data.CompareView | None = None
        self.added = 0
        self.widths = (0, 0)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="compare-top"):
            yield Select[str]([], prompt="all areas", id="compare-areas", allow_blank=True)
        yield Static("", id="compare-summary", classes="status")
        yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Compare {self.a} × {self.b}"
        self.query_one("#compare-table", DataTable).focus()
        self.load()

    def load(self) -> None:
        """Align the two agreements (in a worker) for the current area."""
        table = self.query_one("#compare-table", DataTable)
        table.loading = True
        self.query_one("#compare-summary", Static).update("aligning clauses …")
        self._align(self.area)

    @work(thread=True, exclusive=True, group="align")
    def _align(self, area: str | None) -> None:
        try:
            with self.ref.open() as store:
                view = data.compare(store, self.a, self.b, area=area)
        except RulecompareError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, view)

    def _failed(self, message: str) -> None:
        self.query_one("#compare-table", DataTable).loading = False
        self.query_one("#compare-summary", Static).update(Text(message, style="red"))

    # -- the table ------------------------------------------------------------------------

    def _show(self, view: data.CompareView) -> None:
        self.view = view
        self.sub_title = f"{data.short_name(view.a_name, 40)} × {data.short_name(view.b_name, 40)}"
        self.query_one("#compare-summary", Static).update(view.summary + " · baseline …")
        select = self.query_one("#compare-areas", Select)
        if not select.has_class("filled"):
            select.set_options((f"{data.area_label(k)} ({n})", k) for k, n in view.areas)
            select.add_class("filled")
            if self.area is not None and self.area in {k for k, _ in view.areas}:
                select.value = self.area
        self._build()
        # The baseline's numpy work would compete with the first paint, so it starts after it.
        self.call_after_refresh(self._baseline, view)

    @work(thread=True, exclusive=True, group="baseline")
    def _baseline(self, view: data.CompareView) -> None:
        # After the first paint: the corpus baseline takes longer than the alignment itself.
        try:
            with self.ref.open() as store:
                note = data.compare_baseline(store, view.a_id, view.b_id, area=view.area)
        except RulecompareError as exc:
            note = f"baseline unavailable ({exc})"
        self.app.call_from_thread(self._baseline_done, view, note)

    def _baseline_done(self, view: data.CompareView, note: str) -> None:
        if view is self.view:
            self.query_one("#compare-summary", Static).update(f"{view.summary} · {note}")

    def _column_widths(self) -> tuple[int, int]:
        # Each column has one cell of padding on both sides; leave room for the scrollbar.
        free = max(self.size.width - SCORE_WIDTH - 2 * 3 - 2, 30)
        return free // 2, free - free // 2

    def _build(self) -> None:
        table = self.query_one("#compare-table", DataTable)
        table.loading = False
        table.clear(columns=True)
        assert self.view is not None
        wa, wb = self.widths = self._column_widths()
        table.add_column(
            Text(f"A: {data.short_name(self.view.a_name, wa - 3)}", style="bold"), key="a", width=wa
        )
        table.add_column(Text("score", justify="right"), key="score", width=SCORE_WIDTH)
        table.add_column(
            Text(f"B: {data.short_name(self.view.b_name, wb - 3)}", style="bold"), key="b", width=wb
        )
        self.added = 0
        self._add_rows(FIRST_ROWS)
        if self.added < len(self.view.rows):
            self.set_timer(0.05, self._add_more)

    def _add_more(self) -> None:
        if self.view is None or self.added >= len(self.view.rows):
            return
        self._add_rows(BATCH)
        if self.added < len(self.view.rows):
            self.set_timer(0.02, self._add_more)

    def _add_rows(self, count: int) -> None:
        assert self.view is not None
        table = self.query_one("#compare-table", DataTable)
        wa, wb = self.widths
        stop = min(self.added + count, len(self.view.rows))
        for i in range(self.added, stop):
            row = self.view.rows[i]
            if row.kind == "b":
                left = Text("only B: no counterpart in A", style=f"italic {UNMATCHED}")
            else:
                changed = DELETED if row.kind == "pair" else UNMATCHED
                left = side(row.a_where, row.a_pieces, changed_style=changed)
            if row.kind == "a":
                right = Text("only A: no counterpart in B", style=f"italic {UNMATCHED}")
            else:
                changed = INSERTED if row.kind == "pair" else UNMATCHED
                right = side(row.b_where, row.b_pieces, changed_style=changed)
            height = max(line_count(left.plain, wa), line_count(right.plain, wb))
            table.add_row(left, _score_cell(row), right, key=str(i), height=min(height, MAX_LINES) + 1)
        self.added = stop

    def _ensure_rows(self, upto: int) -> None:
        """Make sure rows up to index ``upto`` are in the table (before jumping there)."""
        if self.view is not None and upto >= self.added:
            self._add_rows(upto + 1 - self.added)

    def on_resize(self) -> None:
        if self.view is not None and self._column_widths() != self.widths:
            cursor = self.query_one("#compare-table", DataTable).cursor_row
            self._build()
            self._goto(cursor)

    # -- navigation -----------------------------------------------------------------------

    def _goto(self, index: int) -> None:
        self._ensure_rows(index)
        table = self.query_one("#compare-table", DataTable)
        table.move_cursor(row=index, animate=False)

    def _jump(self, step: int, want: str) -> None:
        if self.view is None or not self.view.rows:
            return
        table = self.query_one("#compare-table", DataTable)
        rows = self.view.rows
        i = table.cursor_row + step
        while 0 <= i < len(rows):
            r = rows[i]
            if (want == "diff" and r.differs) or (want == "unmatched" and r.kind != "pair"):
                self._goto(i)
                return
            i += step
        self.notify(f"No {'more differences' if want == 'diff' else 'more unmatched clauses'} this way")

    def action_next_difference(self) -> None:
        self._jump(1, "diff")

    def action_previous_difference(self) -> None:
        self._jump(-1, "diff")

    def action_next_unmatched(self) -> None:
        self._jump(1, "unmatched")

    def action_previous_unmatched(self) -> None:
        self._jump(-1, "unmatched")

    def action_pick_area(self) -> None:
        select = self.query_one("#compare-areas", Select)
        select.focus()
        select.expanded = True

    @on(Select.Changed, "#compare-areas")
    def _area_changed(self, event: Select.Changed) -> None:
        area = None if event.value is Select.BLANK else str(event.value)
        if area != self.area:
            self.area = area
            self.query_one("#compare-table", DataTable).focus()
            self.load()

    def current_row(self) -> data.CompareRow | None:
        """The aligned row under the cursor."""
        if self.view is None or not self.view.rows:
            return None
        return self.view.rows[self.query_one("#compare-table", DataTable).cursor_row]

    @on(DataTable.RowSelected, "#compare-table")
    def _open_a(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if row.a_clause:
            self.post_message(OpenAgreement(self.a, clause_id=row.a_clause))
        elif row.b_clause:
            self.post_message(OpenAgreement(self.b, clause_id=row.b_clause))

    def action_open_b(self) -> None:
        row = self.current_row()
        if row is not None and row.b_clause:
            self.post_message(OpenAgreement(self.b, clause_id=row.b_clause))

    def export_frame(self) -> tuple[pd.DataFrame, str]:
        """The alignment as shown: one row per pair or unmatched clause."""
        if self.view is None:
            return pd.DataFrame(), "compare"
        stem = f"compare-{self.a}-{self.b}".replace(":", "")
        return self.view.frame, stem + (f"-{self.area}" if self.area else "")


def _score_cell(row: data.CompareRow) -> Text:
    if row.kind == "a":
        return Text("only\nA", style=f"bold {UNMATCHED}", justify="right")
    if row.kind == "b":
        return Text("only\nB", style=f"bold {UNMATCHED}", justify="right")
    score = row.score or 0.0
    return Text(f"{score:.2f}", style=Style(bold=True, color=colour(0.35 + 0.65 * score)), justify="right")
