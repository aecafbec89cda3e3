"""The nearest articles of Agreement: other agreements' articles closest to the one under the cursor.

The list opens with ``n``, follows the cursor once it rests, is looked up in
a worker (a newer request wins; the wait is shown), and opens or compares
the article chosen.
"""

from __future__ import annotations

import pandas as pd
from textual import on, work
from textual.timer import Timer
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from ...errors import RulecompareError
from .. import data
from ..memory import release_memory
from ..messages import OpenAgreement, OpenCompare, navigate
from ..widgets import nearest
from .base import BaseScreen

NEIGHBOURS = 15
"""How many nearest articles ``n`` lists."""
FOLLOW_DELAY = 0.35
"""Seconds the cursor must rest on an article before its nearest articles are looked up."""
WAIT_STEP: float = 3
"""Seconds between updates of "looking up … N s" while nearest articles are awaited."""
SLOW_NOTE = " (a first lookup after an ingest indexes the articles, once)"
"""Said after the seconds waited: why a lookup may take long."""


class NearestPane(BaseScreen):
    """A screen of one agreement with the ``#neighbours-pane`` of its articles' nearest articles."""

    ref: data.StoreRef
    agreement_id: str

    def __init__(self) -> None:
        super().__init__()
        self.article_index: int | None = None
        """The article under the cursor."""
        self.neighbours = pd.DataFrame()
        """The nearest articles shown, for :attr:`neighbours_for`."""
        self.neighbours_for: int | None = None
        """The article whose nearest articles are shown (or being looked up)."""
        self.request = 0
        """Number of the latest nearest-articles request; older answers are dropped."""
        self.follow: Timer | None = None
        self.neighbours_narrow = False
        """Whether the nearest-articles table is laid out for a narrow terminal."""

    def article_name(self, article_index: int | None) -> str:
        """How an article of this agreement is named (the screen knows its articles)."""
        raise NotImplementedError

    @property
    def neighbours_shown(self) -> bool:
        """Whether the nearest-articles list is open."""
        return not self.query_one("#neighbours-pane").has_class("hidden")

    def action_neighbours(self) -> None:
        """Open the list for the current article; close it when it already shows that article."""
        if self.article_index is None:
            return
        pane = self.query_one("#neighbours-pane")
        if self.neighbours_shown and self.neighbours_for == self.article_index:
            pane.add_class("hidden")
            self.request += 1
            self.neighbours = pd.DataFrame()
            self.neighbours_for = None
            return
        pane.remove_class("hidden")
        self.ask_neighbours(self.article_index)

    def _follow(self, article_index: int) -> None:
        """The cursor moved while the list is open: say so at once, look up once it rests."""
        self._pending(article_index)
        if self.follow is not None:
            self.follow.stop()
        self.follow = self.set_timer(FOLLOW_DELAY, lambda: self.ask_neighbours(article_index))

    def _pending(self, article_index: int) -> None:
        self.request += 1  # answers to earlier requests are now stale
        self.neighbours_for = article_index
        self.neighbours = pd.DataFrame()
        table = self.query_one("#neighbours", DataTable)
        table.clear(columns=True)
        table.loading = True
        self.query_one("#neighbours-detail", Static).update("")
        self.query_one("#neighbours-title", Static).update(
            f"Nearest to {self.article_name(article_index)}: looking up …"
        )

    def ask_neighbours(self, article_index: int) -> None:
        """Look up the nearest articles of ``article_index`` (in a worker; a newer request wins)."""
        if article_index != self.article_index:
            return  # the cursor moved on before the timer fired
        self._pending(article_index)
        self._load_neighbours(article_index, self.request)
        self._waiting(self.request, article_index, 0)

    def _waiting(self, request: int, article_index: int, seconds: float) -> None:
        """While an answer is awaited, say every few seconds how long it has taken."""
        if request != self.request or not self.query_one("#neighbours", DataTable).loading:
            return
        if seconds:
            self.query_one("#neighbours-title", Static).update(
                f"Nearest to {self.article_name(article_index)}: looking up … {seconds:.0f} s{SLOW_NOTE}"
            )
        self.set_timer(WAIT_STEP, lambda: self._waiting(request, article_index, seconds + WAIT_STEP))

    @work(thread=True, exclusive=True, group="neighbours", exit_on_error=False)
    def _load_neighbours(self, article_index: int, request: int) -> None:
        try:
            with self.ref.open() as store:
                df = data.nearest_articles(store, self.agreement_id, article_index, top=NEIGHBOURS)
            release_memory()  # what the query built is garbage now; let the system have it back
        except RulecompareError as exc:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._neighbours_failed, request, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_neighbours, request, article_index, df)

    def _neighbours_failed(self, request: int, message: str) -> None:
        if request != self.request:
            return
        self.query_one("#neighbours", DataTable).loading = False
        self.query_one("#neighbours-title", Static).update(
            f"Nearest to {self.article_name(self.neighbours_for)}: {message}"
        )

    def _show_neighbours(self, request: int, article_index: int, df: pd.DataFrame) -> None:
        """Show an answer, unless a newer request (another article) has been made since."""
        if request != self.request or article_index != self.neighbours_for:
            return
        self.neighbours = df
        table = self.query_one("#neighbours", DataTable)
        table.loading = False
        narrow = self.neighbours_narrow = self.narrow
        pane = self.query_one("#neighbours-pane").size.width or self.app.size.width * 55 // 100
        nearest.fill(table, df, pane=pane, narrow=narrow)
        baseline = df.attrs.get("baseline")
        note = f" (corpus baseline {baseline:.3f})" if isinstance(baseline, float) else ""
        self.query_one("#neighbours-title", Static).update(
            f"Nearest to {self.article_name(article_index)}: {len(df)} articles{note}"
            if len(df)
            else f"Nearest to {self.article_name(article_index)}: no article of another agreement shares text"
        )
        if len(df):
            self._neighbour_detail(0)

    @on(DataTable.RowHighlighted, "#neighbours")
    def _neighbour_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._neighbour_detail(event.cursor_row)

    def _neighbour_detail(self, row: int) -> None:
        if not 0 <= row < len(self.neighbours):
            return
        r = self.neighbours.iloc[row]
        area = data.area_label(r.area) if isinstance(r.area, str) else "no area"
        name = r.label if isinstance(r.label, str) else r["name"]
        self.query_one("#neighbours-detail", Static).update(
            f"{r.score:.3f} · {name} · {data.article_label(r.article_number, r.article_title)} · {area}"
        )

    def _neighbour_name(self, row: int) -> str:
        return str(self.neighbours["name"].iloc[row]) if row < len(self.neighbours) else ""

    @on(DataTable.RowSelected, "#neighbours")
    def _open_neighbour(self, event: DataTable.RowSelected) -> None:
        self._open_neighbour_row(event.cursor_row)

    def _open_neighbour_row(self, row: int) -> None:
        if not 0 <= row < len(self.neighbours):
            return
        r = self.neighbours.iloc[row]
        index = None if pd.isna(r.article_index) else int(r.article_index)
        navigate(self, OpenAgreement(str(r.agreement_id), article_index=index))

    def action_compare_neighbour(self) -> None:
        table = self.query_one("#neighbours", DataTable)
        if self.neighbours.empty or not self.neighbours_shown:
            self.notify("Press n to list the nearest articles first", severity="warning")
            return
        r = self.neighbours.iloc[table.cursor_row]
        area = r.area if isinstance(r.area, str) else None
        navigate(self, OpenCompare(self.agreement_id, str(r.agreement_id), area=area))
