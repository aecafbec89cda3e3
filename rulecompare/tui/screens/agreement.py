"""Agreement: one agreement's chapters and articles as a tree, the selected article's clauses,
and its nearest articles in other agreements."""

from __future__ import annotations

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, Tree

from ...errors import RulecompareError
from ...model import Agreement
from .. import data
from ..messages import OpenAgreement, OpenCompare, OpenProvisions

NEIGHBOURS = 15
"""How many nearest articles ``n`` lists."""


class AgreementScreen(Screen[None]):
    """Read one agreement article by article."""

    HELP = """\
## Agreement

The tree lists chapters and articles with their policy areas; moving the
cursor shows the article's clauses on the right. `n` lists the nearest
articles in other agreements (Jaccard similarity of character 5-gram
shingles); `enter` on one of them opens it, `c` compares the two whole
agreements. `p` shows the environmental and labour provisions coded for
the agreement, with their clauses. `tab` moves between the tree, the text
and the list.
"""

    BINDINGS = [
        Binding("n", "neighbours", "Nearest articles"),
        Binding("c", "compare_neighbour", "Compare with nearest", show=False),
        Binding("e", "expand_all", "Expand/collapse", show=False),
        Binding("p", "provisions", "Provisions"),
    ]

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
        self.clauses = pd.DataFrame()
        self.article_index: int | None = None
        self.neighbours = pd.DataFrame()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="agreement-meta", classes="status")
        with Horizontal(id="agreement-body"):
            yield Tree("", id="outline")
            with Vertical(id="agreement-right"):
                with VerticalScroll(id="article-scroll"):
                    yield Static("", id="article")
                yield DataTable(id="neighbours", cursor_type="row", classes="hidden")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.agreement_id
        tree = self.query_one("#outline", Tree)
        tree.show_root = False
        tree.loading = True
        tree.focus()
        table = self.query_one("#neighbours", DataTable)
        for label, key in (
            ("Score", "score"),
            ("Agreement", "agreement"),
            ("Article", "article"),
            ("Area", "area"),
        ):
            table.add_column(label, key=key)
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        with self.ref.open() as store:
            agreement = store.agreement(self.agreement_id)
            clauses = data.agreement_clauses(store, self.agreement_id)
        self.app.call_from_thread(self._loaded, agreement, clauses)

    def _loaded(self, a: Agreement, clauses: pd.DataFrame) -> None:
        self.clauses = clauses
        self.sub_title = a.name
        signed = a.date_signed.isoformat() if a.date_signed else "date unknown"
        self.query_one("#agreement-meta", Static).update(
            f"{a.id} · {' '.join(a.parties)} · signed {signed} · "
            f"{' '.join(a.families) or 'no family'} · {a.language} · "
            f"{clauses['article_index'].nunique()} articles, {len(clauses)} clauses"
        )
        tree = self.query_one("#outline", Tree)
        tree.loading = False
        tree.clear()
        tree.root.set_label(a.name)
        start = self.start_article
        if start is None and self.start_clause is not None:
            hit = clauses.loc[clauses["id"] == self.start_clause, "article_index"]
            start = int(hit.iloc[0]) if len(hit) else None
        target = None
        articles = clauses.drop_duplicates("article_index")
        for _, chapter in articles.groupby("chapter_index", sort=True):
            first = chapter.iloc[0]
            label = Text(data.article_label(first.chapter_number, first.chapter_title), style="bold")
            node = tree.root.add(label, data=None, expand=True)
            for art in data.records(chapter):
                text = Text(data.article_label(art.article_number, art.article_title))
                text.append(f"  {data.area_label(art.area)}", style="dim italic")
                leaf = node.add_leaf(text, data=int(art.article_index))
                if start is not None and int(art.article_index) == start:
                    target = leaf
        if target is None and tree.root.children and tree.root.children[0].children:
            target = tree.root.children[0].children[0]
        if target is not None and target.data is not None:
            self.show_article(target.data)
            # The tree lays out its new lines on the next refresh; the cursor can only move after that.
            self.call_after_refresh(tree.move_cursor, target)

    @on(Tree.NodeHighlighted, "#outline")
    def _highlighted(self, event: Tree.NodeHighlighted[int | None]) -> None:
        if event.node.data is not None:
            self.show_article(event.node.data)

    def show_article(self, article_index: int) -> None:
        """Show one article's clauses on the right."""
        self.article_index = article_index
        rows = self.clauses[self.clauses["article_index"] == article_index]
        if rows.empty:
            return
        first = rows.iloc[0]
        text = Text()
        if isinstance(first.chapter_title, str) or isinstance(first.chapter_number, str):
            text.append(data.article_label(first.chapter_number, first.chapter_title) + "\n", style="dim")
        text.append(data.article_label(first.article_number, first.article_title), style="bold")
        text.append(f"   [{data.area_label(first.area)}]\n", style="italic cyan")
        for r in data.records(rows):
            text.append("\n")
            body = r.text.strip()
            # Most texts begin with their own label ("2. ...", "(a) ..."); show a label only when missing.
            if r.paragraph and not body.startswith((r.paragraph, f"({r.paragraph}")):
                text.append(f"{r.paragraph}  ", style="bold")
            text.append(body)
            if r.area != first.area:
                text.append(f"  [{data.area_label(r.area)}]", style="italic cyan")
            text.append("\n")
        self.query_one("#article", Static).update(text)
        self.query_one("#article-scroll", VerticalScroll).scroll_home(animate=False)
        if not self.query_one("#neighbours", DataTable).has_class("hidden"):
            self.action_neighbours()

    # -- nearest articles ------------------------------------------------------------------

    def action_neighbours(self) -> None:
        if self.article_index is None:
            return
        table = self.query_one("#neighbours", DataTable)
        table.remove_class("hidden")
        table.loading = True
        self._load_neighbours(self.article_index)

    @work(thread=True, exclusive=True, group="neighbours")
    def _load_neighbours(self, article_index: int) -> None:
        try:
            with self.ref.open() as store:
                df = data.nearest_articles(store, self.agreement_id, article_index, top=NEIGHBOURS)
        except RulecompareError as exc:
            self.app.call_from_thread(self._neighbours_failed, str(exc))
            return
        self.app.call_from_thread(self._show_neighbours, df)

    def _neighbours_failed(self, message: str) -> None:
        table = self.query_one("#neighbours", DataTable)
        table.loading = False
        table.clear()
        self.notify(message, severity="warning")

    def _show_neighbours(self, df: pd.DataFrame) -> None:
        self.neighbours = df
        table = self.query_one("#neighbours", DataTable)
        table.loading = False
        table.clear()
        for i, r in enumerate(data.records(df)):
            table.add_row(
                Text(f"{r.score:.3f}", justify="right"),
                data.short_name(r.name, 32),
                data.short_name(data.article_label(r.article_number, r.article_title), 40),
                data.short_name(data.area_label(r.area) if isinstance(r.area, str) else "", 24),
                key=str(i),
            )
        if df.empty:
            self.notify("No article of another agreement shares text with this one")

    @on(DataTable.RowSelected, "#neighbours")
    def _open_neighbour(self, event: DataTable.RowSelected) -> None:
        r = self.neighbours.iloc[int(str(event.row_key.value))]
        index = None if pd.isna(r.article_index) else int(r.article_index)
        self.post_message(OpenAgreement(str(r.agreement_id), article_index=index))

    def action_compare_neighbour(self) -> None:
        table = self.query_one("#neighbours", DataTable)
        if self.neighbours.empty or table.has_class("hidden"):
            self.notify("Press n to list the nearest articles first", severity="warning")
            return
        r = self.neighbours.iloc[table.cursor_row]
        area = r.area if isinstance(r.area, str) else None
        self.post_message(OpenCompare(self.agreement_id, str(r.agreement_id), area=area))

    def action_provisions(self) -> None:
        self.post_message(OpenProvisions(self.agreement_id))

    def action_expand_all(self) -> None:
        root = self.query_one("#outline", Tree).root
        if all(n.is_expanded for n in root.children):
            for n in root.children:
                n.collapse()
        else:
            root.expand_all()

    def export_frame(self) -> tuple[pd.DataFrame, str]:
        """The nearest-articles list when shown, else the selected article's clauses."""
        stem = self.agreement_id.replace(":", "-")
        if not self.query_one("#neighbours", DataTable).has_class("hidden") and not self.neighbours.empty:
            return self.neighbours.reset_index(drop=True), f"{stem}-article-{self.article_index}-nearest"
        rows = self.clauses[self.clauses["article_index"] == self.article_index]
        return rows.reset_index(drop=True), f"{stem}-article-{self.article_index}"
