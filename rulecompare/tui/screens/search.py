"""Search: full-text search over every clause, with the matched words highlighted."""

from __future__ import annotations

import re

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from ...errors import RulecompareError
from .. import data
from ..messages import OpenAgreement
from ..widgets.text_input import text_input

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


class SearchScreen(Screen[None]):
    """Search all clauses of all agreements."""

    HELP = """\
## Search

Type words (all must occur) or a "quoted phrase"; FTS5 syntax (`OR`, `NOT`,
`NEAR`, `prefix*`) works too. Results update as you type; `enter` in the box
moves to the results, `enter` on a result opens its article in context.
"""

    BINDINGS = [
        Binding("slash", "focus_query", "Query"),
    ]

    def __init__(self, ref: data.StoreRef, query: str = "") -> None:
        super().__init__()
        self.ref = ref
        self.initial = query
        self.results = pd.DataFrame()
        self.searched = ""
        """The query whose hits are shown."""
        self.debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield text_input(
            self.app, value=self.initial, placeholder='search clauses: words or "a phrase"', id="query"
        )
        yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield Static("", id="search-status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Search"
        table = self.query_one("#hits", DataTable)
        for label, key in (("Agreement", "agreement"), ("Article", "article"), ("Snippet", "snippet")):
            table.add_column(label, key=key)
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

    @work(thread=True, exclusive=True, group="search")
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
        table.clear()
        for i, r in enumerate(data.records(df)):
            article = data.article_label(r.article_number, r.article_title)
            if r.paragraph:
                article += f" ¶{r.paragraph}"
            table.add_row(
                data.short_name(r.name, 28), data.short_name(article, 30), snippet_text(r.snippet), key=str(i)
            )
        more = " (best first; refine the query for others)" if len(df) == LIMIT else ""
        status.update(f"{len(df)} clauses match '{query}'{more}")

    @on(DataTable.RowSelected, "#hits")
    def _open(self, event: DataTable.RowSelected) -> None:
        r = self.results.iloc[int(str(event.row_key.value))]
        self.post_message(OpenAgreement(str(r.agreement_id), clause_id=str(r.clause_id)))

    def export_frame(self) -> tuple[pd.DataFrame, str]:
        """The hits, snippets with their markers turned into «guillemets»."""
        df = self.results.copy()
        if "snippet" in df:
            df["snippet"] = df["snippet"].str.replace(data.MARK[0], "«").str.replace(data.MARK[1], "»")
        return df.reset_index(drop=True), "search"
