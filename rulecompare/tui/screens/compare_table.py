"""The rows of Compare: an alignment's table filled in batches, laid out for the terminal's size,
a row expanded or clipped, and moves between rows (the next difference, a clause only one side has,
an article of either side)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from .. import data
from ..widgets.compare_rows import SCORE_WIDTH, Layout, row_cells, row_layout, row_sides
from ..widgets.diff import Shown
from .base import BaseScreen
from .goto import GoToScreen

FIRST_ROWS = 60
"""Rows put in the table before the first paint; the rest follow in batches."""
BATCH = 200


class AlignedRows(BaseScreen):
    """A screen showing an alignment's rows in ``#compare-table`` (:class:`~.compare.CompareScreen`)."""

    def __init__(self) -> None:
        super().__init__()
        self.view: data.CompareView | None = None
        self.added = 0
        self.layout_key: Layout = (False, 0, 0, 0)
        """What the rows were laid out for: narrow, the two text widths, and the lines a side may take."""
        self.expanded: set[int] = set()
        """Rows shown whole however long."""
        self.shown: dict[int, tuple[Shown | None, Shown | None]] = {}
        """How each row's sides were drawn (None: the side has no clause)."""

    def _title(self) -> None:
        if self.view is not None:
            v = self.view
            # The header centres "rulecompare — A × B": each name gets half of what is left.
            room = max(20, (self.app.size.width - 24) // 2)
            wide = f"{data.short_name(v.a_name, room)} × {data.short_name(v.b_name, room)}"
            self.sub_title = f"{v.a_short} × {v.b_short}" if self.narrow else wide

    def _layout(self) -> Layout:
        """The row layout for the current size (see :func:`row_layout`)."""
        table = self.query_one("#compare-table", DataTable)
        height = table.size.height if table.size.height > 4 else self.app.size.height - 7
        return row_layout(self.app.size.width, height, narrow=self.narrow)

    def _build(self) -> None:
        table = self.query_one("#compare-table", DataTable)
        table.loading = False
        table.clear(columns=True)
        assert self.view is not None
        self.layout_key = narrow, wa, wb, _ = self._layout()
        self.set_class(narrow, "-stacked")
        a_head = Text(f"A: {data.short_name(self.view.a_name, wa - 3)}", style="bold")
        b_head = Text(f"B: {data.short_name(self.view.b_name, wb - 3)}", style="bold")
        if narrow:
            table.add_column(Text("score", justify="right"), key="score", width=SCORE_WIDTH)
            title = Text("A over B: ", style="bold")
            title.append(f"{self.view.a_short} × {self.view.b_short}")
            table.add_column(title, key="text", width=wa)
        else:
            table.add_column(a_head, key="a", width=wa)
            table.add_column(Text("score", justify="right"), key="score", width=SCORE_WIDTH)
            table.add_column(b_head, key="b", width=wb)
        self.added = 0
        self.shown.clear()
        self._add_rows(FIRST_ROWS)
        if self.added < len(self.view.rows):
            self.set_timer(0.05, self._add_more)

    def _add_more(self) -> None:
        if self.view is None or self.added >= len(self.view.rows):
            return
        self._add_rows(BATCH)
        if self.added < len(self.view.rows):
            self.set_timer(0.02, self._add_more)

    def _cells(self, i: int) -> tuple[dict[str, object], int]:
        """Row ``i``'s cells by column key, and its height (whole when expanded)."""
        assert self.view is not None
        row = self.view.rows[i]
        a, b = self.shown[i] = row_sides(row, self.layout_key, whole=i in self.expanded)
        return row_cells(row, a, b, narrow=self.layout_key[0])

    def _add_rows(self, count: int) -> None:
        assert self.view is not None
        table = self.query_one("#compare-table", DataTable)
        order = [str(c.value) for c in table.columns]
        stop = min(self.added + count, len(self.view.rows))
        for i in range(self.added, stop):
            cells, height = self._cells(i)
            table.add_row(*(cells[k] for k in order), key=str(i), height=height)
        self.added = stop

    def _ensure_rows(self, upto: int) -> None:
        """Make sure rows up to index ``upto`` are in the table (before jumping there)."""
        if self.view is not None and upto >= self.added:
            self._add_rows(upto + 1 - self.added)

    def on_resize(self) -> None:
        self._title()
        if self.view is not None and self._layout() != self.layout_key:
            cursor = self.query_one("#compare-table", DataTable).cursor_row
            self._build()
            self._goto(cursor)

    def action_expand(self) -> None:
        """Show the row under the cursor whole, or clip it again."""
        if self.view is None or not self.view.rows:
            return
        table = self.query_one("#compare-table", DataTable)
        i = table.cursor_row
        a, b = self.shown.get(i, (None, None))
        clipped = any(s is not None and s.hidden for s in (a, b))
        if i in self.expanded:
            self.expanded.discard(i)
        elif clipped:
            self.expanded.add(i)
        else:
            self.notify("This row is shown whole already")
            return
        cells, height = self._cells(i)
        key = RowKey(str(i))
        # A row's height is fixed when it is added; a DataTable recomputes its size from the heights
        # of its rows once a cell changes, so the row grows (or shrinks) in place.
        table.rows[key].height = height
        for column, value in cells.items():
            table.update_cell(key, column, value, update_width=True)
        table.move_cursor(row=i, animate=False)

    # -- navigation -----------------------------------------------------------------------

    def _goto(self, index: int) -> None:
        self._ensure_rows(index)
        table = self.query_one("#compare-table", DataTable)
        table.move_cursor(row=index, animate=False)
        # The row's place is known once the new rows are laid out: put it at the top.
        self.call_after_refresh(self._scroll_to_row, index)

    def _scroll_to_row(self, index: int) -> None:
        table = self.query_one("#compare-table", DataTable)
        if table.row_count > index and table.cursor_row == index:
            top = sum(row.height for row in table.ordered_rows[:index])
            table.scroll_to(y=top, animate=False)

    def _jump(self, step: int, want: str) -> None:
        if self.view is None or not self.view.rows:
            return
        table = self.query_one("#compare-table", DataTable)
        rows = self.view.rows
        i = table.cursor_row + step
        while 0 <= i < len(rows):
            r = rows[i]
            wanted = r.kind == "pair" and r.differs if want == "diff" else r.kind != "pair"
            if wanted:
                self._goto(i)
                return
            i += step
        what = "aligned pairs that differ" if want == "diff" else "clauses only one side has"
        self.notify(f"No more {what} {'below' if step > 0 else 'above'}")

    def action_next_difference(self) -> None:
        self._jump(1, "diff")

    def action_previous_difference(self) -> None:
        self._jump(-1, "diff")

    def action_next_unmatched(self) -> None:
        self._jump(1, "unmatched")

    def action_previous_unmatched(self) -> None:
        self._jump(-1, "unmatched")

    def action_goto(self) -> None:
        if self.view is None or not self.view.rows:
            return
        articles = data.compare_articles(self.view.rows)
        self.app.push_screen(GoToScreen(articles, title="Go to an article of A or B"), self._goto_chosen)

    def _goto_chosen(self, row: int | None) -> None:
        if row is not None:
            self.query_one("#compare-table", DataTable).focus()
            self._goto(row)

    def current_row(self) -> data.CompareRow | None:
        """The aligned row under the cursor."""
        if self.view is None or not self.view.rows:
            return None
        return self.view.rows[self.query_one("#compare-table", DataTable).cursor_row]

    def _row_label(self, i: int) -> str:
        if self.view is None or i >= len(self.view.rows):
            return ""
        r = self.view.rows[i]
        return f"{r.a_where} {r.b_where}"
