"""Compare: two agreements side by side (A over B when narrow), clause by clause, their differences marked."""

from __future__ import annotations

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Select, Static
from textual.widgets.data_table import RowKey

from ...errors import RulecompareError
from .. import data, labels
from ..messages import OpenAgreement, OpenCompare, navigate
from ..widgets.compare_rows import SCORE_WIDTH, Layout, row_cells, row_layout, row_sides
from ..widgets.diff import Shown
from ..widgets.nav import NavTable
from .base import BaseScreen
from .goto import GoToScreen

FIRST_ROWS = 60
"""Rows put in the table before the first paint; the rest follow in batches."""
BATCH = 200
ROW_ACTIONS = frozenset(
    {"next_difference", "previous_difference", "next_unmatched", "previous_unmatched", "expand",
     "pick_area", "goto", "open_b"}
)  # fmt: skip
"""The keys that act on rows (left out of the footer when there are none)."""
DIFF_KEYS = Binding.Group("Diff")
ONLY_KEYS = Binding.Group("Only")


class CompareScreen(BaseScreen):
    """The clause alignment of two agreements."""

    HELP = """\
## Compare

Each row pairs a clause of A with its best counterpart in B and their
similarity score; each side shows its own text as written. Words only A has
are marked white on red, words only B has black on green (case, quotes and
punctuation attached to a word do not count as differences). Rows marked
`only A` / `only B` are clauses with no counterpart on the other side,
shown where they occur. Side by side on a wide terminal, A over B on a
narrow one.

The screen opens on the first aligned pair. `n` / `p` jump to the next /
previous aligned pair whose texts differ (pairs with the same words are
skipped), `u` / `U` to the next / previous clause only one side has; `g`
goes to an article of either side. A long clause is clipped with a
"… N more lines" line: `e` shows the whole row, `e` again clips it. `a`
picks a policy area; `enter` opens the row's article in A, `o` in B.

The summary gives the share of each side's clauses that were aligned, the
mean score of the aligned pairs, and the agreements' Jaccard beside the
corpus baseline for two unrelated agreements. Agreements in different
languages have no aligned pairs: the screen says so (`l` opens the
comparison with the text in A's language when the store has one).
"""

    BINDINGS = [
        Binding("n", "next_difference", "Next diff", group=DIFF_KEYS),
        Binding("p", "previous_difference", "Previous diff", group=DIFF_KEYS),
        Binding("u", "next_unmatched", "Next unmatched", group=ONLY_KEYS),
        Binding("U", "previous_unmatched", "Previous unmatched", group=ONLY_KEYS),
        Binding("e", "expand", "Expand"),
        Binding("a", "pick_area", "Area"),
        Binding("g", "goto", "Go to"),
        Binding("o", "open_b", "Open B"),
        Binding("l", "same_language", "Same language"),
    ]
    WORK = {"align": "aligning the clauses", "baseline": "computing the baseline"}

    def __init__(self, ref: data.StoreRef, a: str, b: str, *, area: str | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.a = a
        self.b = b
        self.area = area
        self.view: data.CompareView | None = None
        self.gap: data.LanguageGap | None = None
        self.added = 0
        self.layout_key: Layout = (False, 0, 0, 0)
        """What the rows were laid out for: narrow, the two text widths, and the lines a side may take."""
        self.expanded: set[int] = set()
        """Rows shown whole however long."""
        self.shown: dict[int, tuple[Shown | None, Shown | None]] = {}
        """How each row's sides were drawn (None: the side has no clause)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="compare-top"):
            yield Select[str]([], prompt="all areas", id="compare-areas", allow_blank=True)
        yield Static("", id="compare-summary", classes="status")
        yield Static("", id="compare-note", classes="hidden")
        yield NavTable(
            id="compare-table",
            cursor_type="row",
            zebra_stripes=False,
            cursor_foreground_priority="renderable",
            label_of=self._row_label,
            choose=self._open_row,
        )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Compare {self.a} × {self.b}"
        self.query_one("#compare-table", DataTable).focus()
        self.watch(self.query_one("#compare-areas", Select), "expanded", self._areas_toggled, init=False)
        self.load()

    def _areas_toggled(self, expanded: bool) -> None:
        # The Select takes the focus back as its list closes (after a choice or escape); the rows
        # are what the keys are for, so the focus goes back to them once the Select is done.
        if not expanded:
            self.call_after_refresh(self.query_one("#compare-table", DataTable).focus)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "same_language":
            return self.gap is not None and self.gap.same_in_a_language is not None
        # With nothing aligned (two languages) the keys for rows have nothing to act on.
        return self.gap is None or action not in ROW_ACTIONS

    def load(self) -> None:
        """Align the two agreements (in a worker) for the current area."""
        table = self.query_one("#compare-table", DataTable)
        table.loading = True
        self.query_one("#compare-summary", Static).update("aligning clauses …")
        self._align(self.area)

    def work_failed(self, group: str) -> None:
        self.query_one("#compare-table", DataTable).loading = False
        if group == "align":
            self.query_one("#compare-summary", Static).update(
                Text("The comparison could not be made (see the notification).", style="bold")
            )

    @work(thread=True, exclusive=True, group="align", exit_on_error=False)
    def _align(self, area: str | None) -> None:
        try:
            with self.ref.open() as store:
                gap = data.language_gap(store, self.a, self.b)
                if gap is not None:
                    self.app.call_from_thread(self._language_gap, gap)
                    return
                view = data.compare(store, self.a, self.b, area=area)
        except RulecompareError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, view)

    def _failed(self, message: str) -> None:
        self.query_one("#compare-table", DataTable).loading = False
        self.query_one("#compare-summary", Static).update(Text(message, style="bold"))

    def _language_gap(self, gap: data.LanguageGap) -> None:
        """Say why there is nothing to align, instead of listing every clause as unmatched."""
        self.gap = gap
        self.sub_title = gap.title
        table = self.query_one("#compare-table", DataTable)
        table.loading = False
        table.add_class("hidden")
        self.query_one("#compare-top").add_class("hidden")
        self.query_one("#compare-summary", Static).update(
            f"0 aligned pairs: different languages ({labels.language_name(gap.a_language)}, "
            f"{labels.language_name(gap.b_language)})"
        )
        hint = "\n\nescape goes back"
        if gap.same_in_a_language is not None:
            hint = f"\n\nl compares with {gap.same_in_a_language} instead · escape goes back"
        note = self.query_one("#compare-note", Static)
        note.update(Text(gap.message + hint))
        note.remove_class("hidden")
        self.refresh_bindings()

    def action_same_language(self) -> None:
        if self.gap is not None and self.gap.same_in_a_language is not None:
            self.dismiss()
            navigate(self, OpenCompare(self.a, self.gap.same_in_a_language, area=self.area))

    # -- the table ------------------------------------------------------------------------

    def _show(self, view: data.CompareView) -> None:
        self.view = view
        self.expanded.clear()
        self._title()
        self.query_one("#compare-summary", Static).update(view.summary + " · baseline …")
        select = self.query_one("#compare-areas", Select)
        if not select.has_class("filled"):
            select.set_options((f"{data.area_label(k)} ({n})", k) for k, n in view.areas)
            select.add_class("filled")
            if self.area is not None and self.area in {k for k, _ in view.areas}:
                select.value = self.area
        self._build()
        self._goto(view.first_pair)
        table = self.query_one("#compare-table", DataTable)
        if self.focused is None or isinstance(self.focused, Select):
            # A table that is loading cannot take the focus: after choosing an area it takes it now.
            table.focus()
        # The baseline's numpy work would compete with the first paint, so it starts after it.
        self.call_after_refresh(self._baseline, view)

    def _title(self) -> None:
        if self.view is not None:
            v = self.view
            # The header centres "rulecompare — A × B": each name gets half of what is left.
            room = max(20, (self.app.size.width - 24) // 2)
            wide = f"{data.short_name(v.a_name, room)} × {data.short_name(v.b_name, room)}"
            self.sub_title = f"{v.a_short} × {v.b_short}" if self.narrow else wide

    @work(thread=True, exclusive=True, group="baseline", exit_on_error=False)
    def _baseline(self, view: data.CompareView) -> None:
        # After the first paint: the corpus baseline takes longer than the alignment itself.
        try:
            with self.ref.open() as store:
                note, scope = data.compare_baseline(store, view.a_id, view.b_id, area=view.area)
        except RulecompareError as exc:
            note, scope = "baseline unavailable", str(exc)
        self.app.call_from_thread(self._baseline_done, view, note, scope)

    def _baseline_done(self, view: data.CompareView, note: str, scope: str) -> None:
        if view is self.view:
            summary = self.query_one("#compare-summary", Static)
            summary.update(f"{view.summary} · {note}")
            summary.tooltip = f"Corpus baseline: {scope}"

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

    def action_pick_area(self) -> None:
        if self.gap is not None:
            return
        select = self.query_one("#compare-areas", Select)
        select.focus()
        select.expanded = True

    @on(Select.Changed, "#compare-areas")
    def _area_changed(self, event: Select.Changed) -> None:
        area = None if event.value is Select.BLANK else str(event.value)
        if area != self.area:
            self.area = area
            self.load()

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

    @on(DataTable.RowSelected, "#compare-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open_row(event.cursor_row)

    def _open_row(self, i: int) -> None:
        if self.view is None or not 0 <= i < len(self.view.rows):
            return
        row = self.view.rows[i]
        if row.a_clause:
            navigate(self, OpenAgreement(self.a, clause_id=row.a_clause))
        elif row.b_clause:
            navigate(self, OpenAgreement(self.b, clause_id=row.b_clause))

    def action_open_b(self) -> None:
        row = self.current_row()
        if row is not None and row.b_clause:
            navigate(self, OpenAgreement(self.b, clause_id=row.b_clause))

    def export_frame(self) -> tuple[pd.DataFrame, str]:
        """The alignment as shown: one row per pair or unmatched clause, each side's text exact and marked."""
        if self.view is None:
            return pd.DataFrame(), "compare"
        parts = ["compare", self.view.a_short, "vs", self.view.b_short]
        if self.area:
            parts.append(self.area)
        return self.view.frame, labels.file_part(" ".join(parts))
