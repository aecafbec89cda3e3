"""Agreement: one agreement's chapters and articles as a tree, the selected article's clauses,
and its nearest articles in other agreements."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from ...errors import RulecompareError
from ...model import Agreement
from .. import data, labels
from ..memory import release_memory
from ..messages import OpenAgreement, OpenCompare, OpenProvisions, navigate
from ..widgets import nearest
from ..widgets.nav import NavTable, NavTree
from .base import BaseScreen
from .goto import GoToScreen

NEIGHBOURS = 15
"""How many nearest articles ``n`` lists."""
FOLLOW_DELAY = 0.35
"""Seconds the cursor must rest on an article before its nearest articles are looked up."""
WAIT_STEP: float = 3
"""Seconds between updates of "looking up … N s" while nearest articles are awaited."""
SLOW_NOTE = " (a first lookup after an ingest indexes the articles, once)"
"""Said after the seconds waited: why a lookup may take long."""


class AgreementScreen(BaseScreen):
    """Read one agreement article by article."""

    HELP = """\
## Agreement

The tree lists chapters and articles with their policy areas; moving the
cursor shows the article's clauses on the right, and the line under the tree
gives the full title of the highlighted chapter or article. Type an article's
number ("1110") or a word of its title to move to it, or press `g` to pick it
from a list (numbers first, then titles, forgiving typos).

`n` lists the nearest articles in other agreements (Jaccard similarity of
character 5-gram shingles), under a heading that names the article they are
for; while the list is open it follows the cursor. `enter` on one of them
opens it, `c` compares the two whole agreements (within that article's
policy area). `p` shows the environmental and labour provisions coded for
the agreement, with their clauses. `tab` moves between the tree, the text
and the list; `e` opens or closes every chapter.
"""

    BINDINGS = [
        Binding("g", "goto", "Go to"),
        Binding("n", "neighbours", "Nearest"),
        Binding("c", "compare_neighbour", "Compare"),
        Binding("e", "expand_all", "Expand all", show=False),
        Binding("p", "provisions", "Provisions"),
    ]
    WORK = {"load": "loading the agreement", "neighbours": "looking up the nearest articles"}

    def __init__(
        self,
        ref: data.StoreRef,
        agreement_id: str,
        *,
        article_index: int | None = None,
        clause_id: str | None = None,
    ) -> None:
        super().__init__()
        self.ref = ref
        self.agreement_id = agreement_id
        self.start_article = article_index
        self.start_clause = clause_id
        self.agreement: Agreement | None = None
        self.short = agreement_id
        self.clauses = pd.DataFrame()
        self.articles = pd.DataFrame()
        """One row per article (:func:`~rulecompare.tui.data.article_choices`), for going to one."""
        self.leaves: dict[int, TreeNode[Any]] = {}
        self.article_index: int | None = None
        self.neighbours = pd.DataFrame()
        """The nearest articles shown, for :attr:`neighbours_for`."""
        self.neighbours_for: int | None = None
        """The article whose nearest articles are shown (or being looked up)."""
        self.request = 0
        """Number of the latest nearest-articles request; older answers are dropped."""
        self.follow: Timer | None = None
        self.neighbours_narrow = False
        """Whether the nearest-articles table is laid out for a narrow terminal."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="agreement-meta", classes="status")
        with Horizontal(id="agreement-body"):
            with Vertical(id="outline-pane"):
                yield NavTree("", id="outline")
                yield Static("", id="outline-detail", classes="status")
            with Vertical(id="agreement-right"):
                with VerticalScroll(id="article-scroll"):
                    yield Static("", id="article")
                with Vertical(id="neighbours-pane", classes="hidden"):
                    yield Static("", id="neighbours-title", classes="status")
                    yield NavTable(
                        id="neighbours",
                        cursor_type="row",
                        label_of=self._neighbour_name,
                        choose=self._open_neighbour_row,
                    )
                    yield Static("", id="neighbours-detail", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.agreement_id
        tree = self.query_one("#outline", Tree)
        tree.show_root = False
        tree.loading = True
        tree.focus()
        self.load()

    def work_failed(self, group: str) -> None:
        if group == "load":
            self.query_one("#outline", Tree).loading = False
        else:
            self.query_one("#neighbours", DataTable).loading = False

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        with self.ref.open() as store:
            agreement = store.agreement(self.agreement_id)
            clauses = data.agreement_clauses(store, self.agreement_id)
            short = labels.agreement_labels(store.agreements(), short=True).get(self.agreement_id, "")
        self.app.call_from_thread(self._loaded, agreement, clauses, short)

    def _loaded(self, a: Agreement, clauses: pd.DataFrame, short: str) -> None:
        self.agreement = a
        self.short = short or a.id
        self.clauses = clauses
        self.articles = data.article_choices(clauses)
        self.sub_title = a.name
        signed = a.date_signed.isoformat() if a.date_signed else "date unknown"
        self.query_one("#agreement-meta", Static).update(
            f"{a.id} · {' '.join(a.parties)} · signed {signed} · "
            f"{' '.join(a.families) or 'no family'} · {labels.language_name(a.language)} · "
            f"{len(self.articles)} articles, {len(clauses)} clauses"
        )
        tree = self.query_one("#outline", Tree)
        tree.loading = False
        tree.clear()
        tree.root.set_label(a.name)
        self.leaves = {}
        for _, chapter in clauses.drop_duplicates("article_index").groupby("chapter_index", sort=True):
            first = chapter.iloc[0]
            label = Text(data.article_label(first.chapter_number, first.chapter_title), style="bold")
            node = tree.root.add(label, data=None, expand=True)
            for art in data.records(chapter):
                text = Text(data.article_label(art.article_number, art.article_title))
                text.append(f"  {data.area_label(art.area)}", style="italic")
                self.leaves[int(art.article_index)] = node.add_leaf(text, data=int(art.article_index))
        self.go_to(article_index=self.start_article, clause_id=self.start_clause)

    def go_to(self, *, article_index: int | None = None, clause_id: str | None = None) -> None:
        """Show an article (or the article of a clause; the first article when neither is given)."""
        start = article_index
        if start is None and clause_id is not None and not self.clauses.empty:
            hit = self.clauses.loc[self.clauses["id"] == clause_id, "article_index"]
            start = int(hit.iloc[0]) if len(hit) else None
        if start is None or start not in self.leaves:
            start = next(iter(self.leaves), None)
        if start is None:
            return
        self.show_article(start)
        tree = self.query_one("#outline", NavTree)
        # The tree lays out its new lines on the next refresh; the cursor can only move after that.
        self.call_after_refresh(tree.reveal, self.leaves[start])

    @on(Tree.NodeHighlighted, "#outline")
    def _highlighted(self, event: Tree.NodeHighlighted[int | None]) -> None:
        node = event.node
        detail = self.query_one("#outline-detail", Static)
        if node.data is not None:
            self.show_article(node.data)
            rows = self.clauses[self.clauses["article_index"] == node.data]
            first = rows.iloc[0]
            detail.update(
                f"{data.article_label(first.article_number, first.article_title)} · "
                f"{data.area_label(first.area)} · {len(rows)} clause{'s' if len(rows) != 1 else ''}"
            )
        else:
            label = node.label.plain if isinstance(node.label, Text) else str(node.label)
            detail.update(f"{label} · {len(node.children)} articles")

    def show_article(self, article_index: int) -> None:
        """Show one article's clauses on the right."""
        rows = self.clauses[self.clauses["article_index"] == article_index]
        if rows.empty:
            return
        changed = article_index != self.article_index
        self.article_index = article_index
        first = rows.iloc[0]
        text = Text()
        if isinstance(first.chapter_title, str) or isinstance(first.chapter_number, str):
            text.append(data.article_label(first.chapter_number, first.chapter_title) + "\n", style="italic")
        text.append(data.article_label(first.article_number, first.article_title), style="bold")
        text.append(f"   [{data.area_label(first.area)}]\n", style="italic")
        for r in data.records(rows):
            text.append("\n")
            body = r.text.strip()
            # Most texts begin with their own label ("2. ...", "(a) ..."); show a label only when missing.
            if r.paragraph and not body.startswith((r.paragraph, f"({r.paragraph}")):
                text.append(f"{r.paragraph}  ", style="bold")
            text.append(body)
            if r.area != first.area:
                text.append(f"  [{data.area_label(r.area)}]", style="italic")
            text.append("\n")
        self.query_one("#article", Static).update(text)
        self.query_one("#article-scroll", VerticalScroll).scroll_home(animate=False)
        if changed and self.neighbours_shown:
            self._follow(article_index)

    def article_name(self, article_index: int | None) -> str:
        """ "ARTICLE 1110 Expropriation And Compensation" for an article of this agreement."""
        rows = self.articles[self.articles["article_index"] == article_index]
        return str(rows["label"].iloc[0]) if len(rows) else "(no article)"

    # -- going to an article ---------------------------------------------------------------

    def action_goto(self) -> None:
        if self.articles.empty:
            return
        self.app.push_screen(
            GoToScreen(self.articles, title=f"Go to an article of {self.short}"), self._goto_chosen
        )

    def _goto_chosen(self, article_index: int | None) -> None:
        if article_index is not None:
            self.goto_article(article_index)

    def goto_article(self, article_index: int) -> None:
        """Move the tree's cursor to an article (the command palette's "go to" lands here too)."""
        if article_index in self.leaves:
            self.query_one("#outline", NavTree).focus()
            self.go_to(article_index=article_index)

    # -- nearest articles ------------------------------------------------------------------

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

    @on(events.Resize)
    def _relayout(self) -> None:
        tree = self.query_one("#outline", NavTree)
        if tree.cursor_node is not None:
            # The outline keeps the highlighted article in view when the terminal changes size.
            self.call_after_refresh(tree.scroll_to_node, tree.cursor_node, animate=False)
        article = self.neighbours_for
        if article is not None and not self.neighbours.empty and self.neighbours_narrow != self.narrow:
            self._show_neighbours(self.request, article, self.neighbours)

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

    def action_provisions(self) -> None:
        navigate(self, OpenProvisions(self.agreement_id))

    def action_expand_all(self) -> None:
        root = self.query_one("#outline", Tree).root
        if all(n.is_expanded for n in root.children):
            for n in root.children:
                n.collapse()
        else:
            root.expand_all()

    def export_frame(self) -> tuple[pd.DataFrame, str]:
        """The nearest-articles list when shown, else the selected article's clauses."""
        numbers = self.articles.set_index("article_index")["article_number"] if len(self.articles) else None
        number = labels.article_short(numbers.get(self.article_index) if numbers is not None else None)
        stem = labels.file_part(f"{self.short} art {number or self.article_index}")
        if self.neighbours_shown and not self.neighbours.empty:
            df = self.neighbours.drop(columns=["article_index"], errors="ignore").reset_index(drop=True)
            df.insert(0, "query", f"{self.agreement_id} {self.article_name(self.neighbours_for)}")
            return df, f"{stem}-nearest"
        rows = self.clauses[self.clauses["article_index"] == self.article_index]
        return rows.reset_index(drop=True), stem
