"""Agreements: the table of every agreement in the store, to filter, sort, mark and open."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from .. import data
from ..messages import OpenAgreement, OpenCompare, OpenMatrix, navigate
from ..widgets.nav import NavTable
from ..widgets.text_input import text_input
from .base import BaseScreen

SORTS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("name", "name"),
    ("signed", "date_signed"),
    ("parties", "parties"),
    ("families", "families"),
    ("language", "language"),
    ("size", "n_clauses"),
)
"""Sort keys in the order ``s`` cycles through them: (label, frame column)."""

DEBOUNCE = 0.12
"""Seconds of quiet in the filter box before the table is filtered."""

MARK = Text("●", style="bold")
MARK_HEADER = Text("●", style="dim")

WIDE_COLUMNS = (
    ("Name", "name", 44), ("Lang", "language", 4), ("Parties", "parties", 20), ("Signed", "signed", 10),
    ("Families", "families", 18), ("Clauses", "size", 7),
)  # fmt: skip
"""(label, key, width) of the table's columns after the marks; keys name the sort (see SORTS)."""
NARROW_COLUMNS = (
    ("Name", "name", 30), ("Lang", "language", 4), ("Parties", "parties", 12), ("Signed", "signed", 10),
    ("Clauses", "size", 7),
)  # fmt: skip
"""The columns below 100 terminal columns: families left out (the filter box still finds them)."""

MAX_MATRIX = 80
"""The most agreements ``m`` puts in a matrix from the filtered table (marks have no limit)."""


SORT_KEYS = Binding.Group("Sort")


class AgreementsScreen(BaseScreen):
    """Browse all agreements; the app's home screen."""

    HELP = """\
## Agreements

`/` moves to the filter box: the table narrows as you type (`down`,
`enter` or `escape` go back to the table). Besides words, it understands
`family:eu`, `party:CHN`, `area:investment`, `year:2000-2010` (or
`year:2005`, `year:2000-`) and `lang:en`. In the table, typing a name's
first letters moves to it.

Mark agreements with `space` (a ● in the first column); `c` compares the two
marked agreements (or the marked one with the row under the cursor), `m`
opens the overlap matrix of the marked agreements (or of the filtered table,
up to 80), `u` clears the marks. `enter` opens the agreement under the
cursor. `s` cycles the sort column, `r` reverses it; a click on a column
header sorts by it too.
"""

    AUTO_FOCUS = "#agreements"
    WORK = {"load": "loading the agreements", "filter": "filtering the agreements"}

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("down", "leave_filter", "Table", show=False),
        Binding("space", "toggle_mark", "Mark"),
        Binding("c", "compare", "Compare"),
        Binding("m", "matrix", "Matrix"),
        Binding("s", "cycle_sort", "Sort", group=SORT_KEYS),
        Binding("r", "reverse_sort", "Reverse sort", group=SORT_KEYS),
        Binding("u", "clear_marks", "Unmark all", show=False),
        Binding("escape", "leave_filter", "Table", show=False),
    ]

    def __init__(self, ref: data.StoreRef, *, lazy: bool = False) -> None:
        """``lazy``: load the table only when the screen is first shown (the app opened elsewhere)."""
        super().__init__()
        self.ref = ref
        self.lazy = lazy
        self.covered = False
        self.table_df = pd.DataFrame()
        self.shown = pd.DataFrame()
        self.marked: list[str] = []
        self.sort_index = 0
        self.sort_reverse = False
        self.debounce: Timer | None = None
        self.layout_narrow: bool | None = None
        """Whether the columns are laid out for a narrow terminal (None: not yet laid out)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="agreements-body"):
            yield text_input(
                self.app,
                placeholder="filter: words, family:eu party:CHN area:investment year:2000-2010 lang:en",
                id="filter",
            )
            yield NavTable(
                id="agreements",
                cursor_type="row",
                zebra_stripes=True,
                label_of=self._row_name,
                choose=self._open_row,
            )
            yield Static("", id="agreements-status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "rulecompare"
        self.sub_title = "Agreements"
        table = self.query_one("#agreements", DataTable)
        self._columns()
        table.loading = True
        if not self.lazy:
            self.load()

    def on_screen_suspend(self) -> None:
        self.covered = True

    def on_screen_resume(self) -> None:
        # The first resume comes at start-up, before the other screen is pushed over this one.
        if self.lazy and self.covered:
            self.lazy = False
            self.load()

    def work_failed(self, group: str) -> None:
        self.query_one("#agreements", DataTable).loading = False

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        with self.ref.open() as store:
            df = data.all_agreements(store)
        self.app.call_from_thread(self._loaded, df)

    def _loaded(self, df: pd.DataFrame) -> None:
        self.table_df = df
        self.query_one("#agreements", DataTable).loading = False
        self.apply_filter(self.query_one("#filter", Input).value)

    # -- filtering and sorting ----------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # Wait for a pause in typing: filtering on every key would rebuild the table for nothing.
        if self.debounce is not None:
            self.debounce.stop()
        self.debounce = self.set_timer(DEBOUNCE, lambda: self.apply_filter(event.value))

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#agreements", DataTable).focus()

    def apply_filter(self, text: str) -> None:
        """Filter the table by the filter box's text (in a worker: some tokens query the store)."""
        if self.table_df.empty:
            return
        self._filter(data.AgreementFilter.parse(text))

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def _filter(self, flt: data.AgreementFilter) -> None:
        with self.ref.open() as store:
            df = data.filter_agreements(store, self.table_df, flt)
        self.app.call_from_thread(self._show, df)

    def _show(self, df: pd.DataFrame) -> None:
        label, column = SORTS[self.sort_index]
        if column == "n_clauses":
            df = df.sort_values(column, ascending=not self.sort_reverse, kind="stable")
        elif column != "id":
            df = df.sort_values(
                column, ascending=not self.sort_reverse, kind="stable", na_position="last",
                key=lambda s: s.fillna("").astype(str).str.lower(),
            )  # fmt: skip
        elif self.sort_reverse:
            df = df.iloc[::-1]
        self.shown = df
        table = self.query_one("#agreements", DataTable)
        current = self._cursor_id()
        if self.layout_narrow != self.narrow:
            self._columns()
        else:
            table.clear()
        for row in data.records(df):
            table.add_row(*self._cells(row), key=row.id)
        if current is not None and current in set(df["id"]):
            table.move_cursor(row=table.get_row_index(current))
        self._status()

    def _columns(self) -> None:
        """(Re)create the columns for the terminal's width: fewer and narrower below 100 columns."""
        table = self.query_one("#agreements", DataTable)
        table.clear(columns=True)
        self.layout_narrow = self.narrow
        table.add_column(MARK_HEADER, key="mark", width=1)
        for label, key, width in NARROW_COLUMNS if self.narrow else WIDE_COLUMNS:
            table.add_column(label, key=key, width=width)

    @on(events.Resize)
    def _relayout(self) -> None:
        if self.layout_narrow != self.narrow and not self.table_df.empty:
            self._show(self.shown)

    def _cells(self, r: Any) -> tuple[object, ...]:
        """Display cells of one agreements() row (a namedtuple), in the order of the columns."""
        signed = r.date_signed[:10] if isinstance(r.date_signed, str) else ""
        widths = {key: width for _, key, width in (NARROW_COLUMNS if self.layout_narrow else WIDE_COLUMNS)}
        cells: dict[str, object] = {
            "name": data.short_name(r.name, widths["name"]),
            "language": r.language,
            "parties": data.short_name((r.parties or "").replace(";", " "), widths["parties"]),
            "signed": signed,
            "families": data.short_name((r.families or "").replace(";", " "), widths.get("families", 0)),
            "size": Text(f"{int(r.n_clauses):,}", justify="right"),
        }
        return (MARK if r.id in self.marked else "", *(cells[key] for key in widths))

    def _status(self) -> None:
        label, _ = SORTS[self.sort_index]
        arrow = "↓" if self.sort_reverse else "↑"
        marks = f" · marked: {', '.join(self.marked)}" if self.marked else ""
        self.query_one("#agreements-status", Static).update(
            f"{len(self.shown)} of {len(self.table_df)} agreements · sorted by {label} {arrow}{marks}"
        )

    def _cursor_id(self) -> str | None:
        table = self.query_one("#agreements", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.sort_reverse = False
        self._show(self.shown)

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._show(self.shown)

    @on(DataTable.HeaderSelected, "#agreements")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        keys = [label for label, _ in SORTS]
        key = str(event.column_key.value)
        if key in keys:
            index = keys.index(key)
            self.sort_reverse = not self.sort_reverse if index == self.sort_index else False
            self.sort_index = index
            self._show(self.shown)

    def _row_name(self, row: int) -> str:
        return str(self.shown["name"].iloc[row]) if row < len(self.shown) else ""

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Down and escape leave the filter box; elsewhere they are the table's and the app's keys.
        if action == "leave_filter":
            return self.query_one("#filter", Input).has_focus
        return True

    def action_leave_filter(self) -> None:
        self.query_one("#agreements", DataTable).focus()

    # -- marks and actions ---------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        aid = self._cursor_id()
        if aid is None:
            return
        if aid in self.marked:
            self.marked.remove(aid)
        else:
            self.marked.append(aid)
        table = self.query_one("#agreements", DataTable)
        table.update_cell(aid, "mark", MARK if aid in self.marked else "")
        table.action_cursor_down()
        self._status()

    def action_clear_marks(self) -> None:
        self.marked.clear()
        self._show(self.shown)

    @on(DataTable.RowSelected, "#agreements")
    def _open(self, event: DataTable.RowSelected) -> None:
        self._open_row(event.cursor_row)

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.shown):
            navigate(self, OpenAgreement(str(self.shown["id"].iloc[row])))

    def action_compare(self) -> None:
        pair = list(self.marked)
        cursor = self._cursor_id()
        if len(pair) == 1 and cursor and cursor != pair[0]:
            pair.append(cursor)
        if len(pair) != 2:
            self.notify("Mark two agreements with space (or one, then move to the other)", severity="warning")
            return
        navigate(self, OpenCompare(pair[0], pair[1]))

    def action_matrix(self) -> None:
        if len(self.marked) >= 2:
            ids = tuple(self.marked)
            title = f"{len(ids)} marked agreements"
        elif 2 <= len(self.shown) <= MAX_MATRIX:
            ids = tuple(self.shown["id"])
            flt = self.query_one("#filter", Input).value.strip()
            title = f"{len(ids)} agreements" + (f" ({flt})" if flt else "")
        else:
            self.notify(
                f"Mark two or more agreements, or filter the table to 2-{MAX_MATRIX} (e.g. family:us)",
                severity="warning",
            )
            return
        navigate(self, OpenMatrix(ids, title))

    def export_frame(self) -> tuple[pd.DataFrame, str]:
        """The filtered, sorted table, and a file name stem for it."""
        cols = [c for c in data.AGREEMENT_EXPORT_COLUMNS if c in self.shown.columns]
        return self.shown[cols].reset_index(drop=True), "agreements"
