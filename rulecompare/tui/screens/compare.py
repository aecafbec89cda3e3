"""Compare: two agreements side by side (A over B when narrow), clause by clause, their differences marked."""

from __future__ import annotations

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Select, Static

from ...errors import RulecompareError
from .. import data, labels
from ..messages import OpenAgreement, OpenCompare, navigate
from ..widgets.nav import NavTable
from .compare_table import AlignedRows

ROW_ACTIONS = frozenset(
    {"next_difference", "previous_difference", "next_unmatched", "previous_unmatched", "expand",
     "pick_area", "goto", "open_b"}
)  # fmt: skip
"""The keys that act on rows (left out of the footer when there are none)."""
DIFF_KEYS = Binding.Group("Diff")
ONLY_KEYS = Binding.Group("Only")


class CompareScreen(AlignedRows):
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
        self.gap: data.LanguageGap | None = None

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

    # -- loading the alignment --------------------------------------------------------------

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
