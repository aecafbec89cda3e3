"""Search: full-text search over every clause, with the matched words highlighted."""

from __future__ import annotations

import re

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from ...errors import RulecompareError
from .. import data, labels
from ..messages import OpenAgreement, navigate
from ..widgets.diff import line_count
from ..widgets.nav import NavTable
from ..widgets.text_input import text_input
from .base import BaseScreen

LIMIT = 200
"""Hits shown for one query (best first)."""
DEBOUNCE = 0.15
"""Seconds of quiet in the query box before searching."""
MIN_CHARS = 3
"""Searching starts as you type once the query has this many characters (enter searches any)."""


def snippet_text(snippet: str) -> Text:
    """A search snippet with the matched words (between :data:`data.MARK`) highlighted."""
    text = Text()
    start, end = data.MARK
    for i, part in enumerate(snippet.replace(end, start).split(start)):
        text.append(re.sub(r"\s+", " ", part), style="bold black on yellow" if i % 2 else "")
    return text


class SearchScreen(BaseScreen):
    """Search all clauses of all agreements."""

    HELP = """\
## Search

Type words (all must occur) or a "quoted phrase"; FTS5 syntax (`OR`, `NOT`,
`NEAR`, `prefix*`) works too. Results update as you type; `enter` in the box
moves to the results, `enter` on a result opens its article in context. `x`
exports the hits with each clause's whole text.
"""

    BINDINGS = [
        Binding("slash", "focus_query", "Query"),
    ]
    WORK = {"search": "searching"}

    def __init__(self, ref: data.StoreRef, query: str = "") -> None:
        super().__init__()
        self.ref = ref
        self.initial = query
        self.results = pd.DataFrame()
        self.searched = ""
        """The query whose hits are shown."""
        self.debounce: Timer | None = None
        self.layout_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield text_input(
            self.app, value=self.initial, placeholder='search clauses: words or "a phrase"', id="query"
        )
        yield NavTable(
            id="hits", cursor_type="row", zebra_stripes=True, label_of=self._hit_name, choose=self._open_row
        )
        yield Static("", id="search-status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Search"
        self.query_one("#query", Input).focus()
        if self.initial:
            self.run_search(self.initial)

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        if self.debounce is not None:
            self.debounce.stop()
        if len(event.value.strip()) >= MIN_CHARS:
            # Search once typing pauses, not for every letter of a word.
            self.debounce = self.set_timer(DEBOUNCE, lambda: self.run_search(event.value))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.debounce is not None:
            self.debounce.stop()
        if event.value.strip() and event.value.strip() != self.searched:
            self.run_search(event.value)
        self.query_one("#hits", DataTable).focus()

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def run_search(self, query: str) -> None:
        """Search in a worker; a newer query cancels an older one."""
        self.query_one("#hits", DataTable).loading = True
        self._search(query.strip())

    def work_failed(self, group: str) -> None:
        self.query_one("#hits", DataTable).loading = False

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str) -> None:
        try:
            with self.ref.open() as store:
                df = data.search(store, query, limit=LIMIT)
            error = ""
        except RulecompareError as exc:
            # Half-typed FTS syntax ("a NEAR(") is normal while typing: say so, keep the old hits.
            df, error = self.results, str(exc)
        self.app.call_from_thread(self._show, query, df, error)

    def _show(self, query: str, df: pd.DataFrame, error: str) -> None:
        table = self.query_one("#hits", DataTable)
        table.loading = False
        status = self.query_one("#search-status", Static)
        if error:
            status.update(Text(error, style="red"))
            return
        self.results = df
        self.searched = query
        self._fill()
        more = f" · the best {LIMIT}: refine the query for others" if len(df) == LIMIT else ""
        status.update(f"{len(df)} clauses match '{query}'{more}")

    def _fill(self) -> None:
        """Put the hits in the table, laid out for the terminal's width (wrapped snippets)."""
        table = self.query_one("#hits", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        width = self.layout_width = self.app.size.width
        if self.narrow:
            # One column: where the hit is on the first line, the snippet wrapped below it.
            text_width = max(width - 2 - 2, 20)
            table.add_column("Hit", key="hit", width=text_width)
        else:
            text_width = max(width - 28 - 30 - 3 * 2 - 2, 30)
            table.add_column("Agreement", key="agreement", width=28)
            table.add_column("Article", key="article", width=30)
            table.add_column("Snippet", key="snippet", width=text_width)
        for i, r in enumerate(data.records(self.results)):
            article = data.article_label(r.article_number, r.article_title)
            if r.paragraph:
                article += f" ¶{r.paragraph}"
            snippet = snippet_text(r.snippet)
            lines = min(line_count(snippet.plain, text_width), 3)
            if self.narrow:
                cell = Text(f"{r.short} · {article}", style="bold")
                cell.truncate(text_width, overflow="ellipsis")
                cell.append("\n")
                cell.append_text(snippet)
                table.add_row(cell, key=str(i), height=lines + 1)
            else:
                table.add_row(
                    data.short_name(r.label, 28),
                    data.short_name(article, 30),
                    snippet,
                    key=str(i),
                    height=lines,
                )
        if 0 <= cursor < table.row_count:
            table.move_cursor(row=cursor, animate=False)

    def on_resize(self) -> None:
        if not self.results.empty and self.app.size.width != self.layout_width:
            self._fill()

    def _hit_name(self, row: int) -> str:
        return str(self.results["name"].iloc[row]) if row < len(self.results) else ""

    @on(DataTable.RowSelected, "#hits")
    def _open(self, event: DataTable.RowSelected) -> None:
        self._open_row(event.cursor_row)

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.results):
            r = self.results.iloc[row]
            navigate(self, OpenAgreement(str(r.agreement_id), clause_id=str(r.clause_id)))

    def export_frame(self) -> tuple[pd.DataFrame, str]:
        """The hits with each clause's whole text; snippets with their markers made «guillemets»."""
        if self.results.empty:
            return self.results, "search"
        with self.ref.open() as store:
            df = data.search_export(store, self.results)
        return df, labels.file_part(f"search {self.searched}")
