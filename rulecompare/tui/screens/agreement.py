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
from textual.widgets import DataTable, Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode

from ...model import Agreement
from .. import data, labels
from ..messages import OpenProvisions, navigate
from ..widgets.nav import NavTable, NavTree
from .goto import GoToScreen
from .nearest_pane import NearestPane


class AgreementScreen(NearestPane):
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

    @on(events.Resize)
    def _relayout(self) -> None:
        tree = self.query_one("#outline", NavTree)
        if tree.cursor_node is not None:
            # The outline keeps the highlighted article in view when the terminal changes size.
            self.call_after_refresh(tree.scroll_to_node, tree.cursor_node, animate=False)
        article = self.neighbours_for
        if article is not None and not self.neighbours.empty and self.neighbours_narrow != self.narrow:
            self._show_neighbours(self.request, article, self.neighbours)

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
