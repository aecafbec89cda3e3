"""Go to article: type a number or words of a title, pick from the best matches."""

from __future__ import annotations

import pandas as pd
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from .. import data
from ..widgets.text_input import text_input

SHOWN = 30
"""Matches listed at most."""


class GoToScreen(ModalScreen[int | None]):
    """Returns the chosen article's index (``article_index``), or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, articles: pd.DataFrame, *, title: str = "Go to article", query: str = "") -> None:
        """``articles``: :func:`~rulecompare.tui.data.article_choices` of the agreement."""
        super().__init__()
        self.articles = articles
        self.heading = title
        self.initial = query
        self.found: list[int] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Label(self.heading, classes="heading")
            yield Label("a number (1110, 10.5) or words of the title; enter goes there", classes="dim")
            yield text_input(self.app, value=self.initial, placeholder="article", id="goto-query")
            yield OptionList(id="goto-list")

    def on_mount(self) -> None:
        self.query_one("#goto-query", Input).focus()
        self._update(self.initial)

    @on(Input.Changed, "#goto-query")
    def _changed(self, event: Input.Changed) -> None:
        self._update(event.value)

    def _update(self, query: str) -> None:
        self.found = data.rank_articles(self.articles, query, limit=SHOWN)
        options = self.query_one("#goto-list", OptionList)
        options.clear_options()
        options.add_options(Option(str(self.articles["label"].iloc[i]), id=str(i)) for i in self.found)
        if self.found:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#goto-list", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = min(max(current + step, 0), options.option_count - 1)

    @on(Input.Submitted, "#goto-query")
    def _submitted(self) -> None:
        highlighted = self.query_one("#goto-list", OptionList).highlighted
        self._choose(highlighted)

    @on(OptionList.OptionSelected, "#goto-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, position: int | None) -> None:
        if position is None or not 0 <= position < len(self.found):
            self.app.bell()
            return
        self.dismiss(int(self.articles["article_index"].iloc[self.found[position]]))

    def action_cancel(self) -> None:
        self.dismiss(None)
