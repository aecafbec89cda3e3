"""The terminal UI driven by Textual's Pilot, as a user would drive it, asserting on the screens' state.

All of them run on the sample corpus (tests/data/sample), so they are in the fast suite; the tests
whose answer is a fact about real treaties (NAFTA x TPP) are in tests/test_tui_quotes.py and
tests/test_tui_robust.py.  More in tests/test_tui_*.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("textual")

from conftest import copy_store  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import DataTable, Input, Select, Tree  # noqa: E402
from tui_helpers import drive, make_app, settle  # noqa: E402

from rulecompare.overlap import Alignment, align, in_place_order, word_diff  # noqa: E402
from rulecompare.store import Store  # noqa: E402
from rulecompare.tui import RulecompareApp  # noqa: E402
from rulecompare.tui.data import AgreementFilter, CompareRow, diff_pieces  # noqa: E402
from rulecompare.tui.messages import OpenAgreement, OpenCompare, OpenMatrix  # noqa: E402
from rulecompare.tui.screens.agreement import AgreementScreen  # noqa: E402
from rulecompare.tui.screens.agreements import AgreementsScreen  # noqa: E402
from rulecompare.tui.screens.compare import CompareScreen  # noqa: E402
from rulecompare.tui.screens.help import HelpScreen  # noqa: E402
from rulecompare.tui.screens.matrix import MatrixScreen  # noqa: E402
from rulecompare.tui.screens.search import SearchScreen, snippet_text  # noqa: E402

US_PERU = "tota:901"
US_PANAMA = "tota:902"
ASEAN_CHINA = "tota:905"
"""Of the sample corpus (tests/data/sample): US - Panama reuses US - Peru with edits."""


@pytest.fixture
def sample_copy(sample_db: Path, tmp_path: Path) -> Path:
    """A writable copy of the sample store, for the tests that let the app or the library write to it."""
    return copy_store(sample_db, tmp_path / "sample.db")


def rows(table: DataTable[object]) -> list[str]:
    return [str(k.value) for k in table.rows]


# -- pure helpers ----------------------------------------------------------------------


def test_filter_tokens_are_parsed() -> None:
    f = AgreementFilter.parse("Korea family:EU party:chn area:invest year:2000-2010 lang:en foo:bar")
    assert f.words == ("korea", "foo:bar")
    assert (f.family, f.party, f.area, f.language) == ("eu", "CHN", "investment", "en")
    assert (f.year_from, f.year_to) == (2000, 2010)
    assert AgreementFilter.parse("year:2005").year_from == 2005
    assert AgreementFilter.parse("year:2005").year_to == 2005
    assert (AgreementFilter.parse("year:2005-").year_from, AgreementFilter.parse("year:2005-").year_to) == (
        2005,
        None,
    )
    assert AgreementFilter.parse("year:-1999").year_to == 1999
    assert not AgreementFilter.parse("nafta").structured


def test_snippet_highlights_only_marked_words() -> None:
    text = snippet_text("duties on \x02electronic\x03 \x02transmissions\x03, and")
    assert text.plain == "duties on electronic transmissions, and"
    styled = {text.plain[s.start : s.end] for s in text.spans if s.style}
    assert styled == {"electronic", "transmissions"}


# -- Agreements ------------------------------------------------------------------------


def test_agreements_filter_sort_and_open(sample_db: Path, sample_store: Store) -> None:
    table_df = sample_store.agreements()
    total = len(table_df)
    us_en = set(sample_store.agreements(family="us", language="en")["id"])
    text = (
        table_df[["id", "name", "parties", "families", "aliases"]]
        .fillna("")
        .agg(" ".join, axis=1)
        .str.lower()
    )
    peru_word = set(table_df.loc[text.str.contains("peru"), "id"])

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, AgreementsScreen)
        table = screen.query_one("#agreements", DataTable)
        assert table.row_count == total
        # The table has the focus (its keys are in the footer); `/` goes to the filter box, which
        # filters as you type (Pilot types slowly, so longer filters are set directly).
        assert table.has_focus
        await pilot.press("slash", *"peru")
        await settle(pilot)
        assert set(rows(table)) == peru_word and {US_PERU, "tota:906"} <= peru_word
        filter_box = screen.query_one("#filter", Input)
        filter_box.value = "family:us lang:en"
        await settle(pilot)
        assert set(rows(table)) == us_en and len(us_en) >= 2
        filter_box.value += " panama"
        await settle(pilot)
        assert rows(table) == [US_PANAMA]
        # Clearing the box brings everything back; sorting by size puts the smallest first.
        screen.query_one("#filter", Input).value = ""
        await settle(pilot)
        assert table.row_count == total
        await pilot.press("down")
        for _ in range(6):  # id -> name -> signed -> parties -> families -> language -> size
            await pilot.press("s")
        sizes = list(screen.shown["n_clauses"])
        assert sizes == sorted(sizes)
        assert rows(table)[0] == screen.shown["id"].iloc[0]
        await pilot.press("r")
        assert list(screen.shown["n_clauses"]) == sorted(sizes, reverse=True)
        await pilot.press("/")
        filter_box.value = "us peru"
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)
        assert app.screen.agreement_id == US_PERU
        await pilot.press("escape")
        assert isinstance(app.screen, AgreementsScreen)

    drive(make_app(sample_db), steps)


# -- Agreement -------------------------------------------------------------------------


def test_agreement_tree_and_article(sample_db: Path, sample_store: Store) -> None:
    clauses = sample_store.clauses([US_PERU])
    articles = clauses.drop_duplicates("article_index")

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenAgreement(US_PERU))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        tree = screen.query_one("#outline", Tree)
        assert len(tree.root.children) == clauses["chapter_index"].nunique()
        leaves = [leaf.data for chapter in tree.root.children for leaf in chapter.children]
        assert leaves == list(articles["article_index"])
        first = int(articles["article_index"].iloc[0])
        assert screen.article_index == first
        # Down passes the next chapter's own line, then lands on its first article.
        await pilot.press("down", "down")
        assert screen.article_index == int(articles["article_index"].iloc[1])
        shown = str(screen.query_one("#article").render())
        one = clauses[clauses["article_index"] == screen.article_index]["text"].iloc[0]
        assert " ".join(one.split())[:40] in " ".join(shown.split())

    drive(make_app(sample_db), steps)


# -- Search ----------------------------------------------------------------------------


def test_search_and_open_in_context(sample_db: Path, sample_store: Store) -> None:
    expected = sample_store.search("originating goods", limit=200)
    assert len(expected) >= 2

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        screen = app.screen
        screen.query_one("#query", Input).value = "originating goods"
        await settle(pilot)
        screen = app.screen
        assert list(screen.results["clause_id"]) == list(expected["clause_id"])
        assert screen.query_one("#hits", DataTable).row_count == len(expected)
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        hit = expected.iloc[1]
        assert isinstance(app.screen, AgreementScreen)
        assert app.screen.agreement_id == hit["agreement_id"]
        article = (
            sample_store.clauses([hit["agreement_id"]]).set_index("id").loc[hit["clause_id"], "article_index"]
        )
        assert app.screen.article_index == article

    drive(make_app(sample_db), steps)


def test_sample_compare_and_its_spanish_neighbour(sample_db: Path) -> None:
    """US - Peru against US - Panama (which reuses it with edits), then against Chile - Peru in Spanish."""

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.view is not None
        rows = screen.view.rows
        assert {r.kind for r in rows} == {"pair", "a", "b"}
        table = screen.query_one("#compare-table", DataTable)
        assert rows[table.cursor_row].kind == "pair" and table.cursor_row == screen.view.first_pair
        await pilot.press("n")
        assert rows[table.cursor_row].kind == "pair" and rows[table.cursor_row].differs
        await pilot.press("escape")
        app.open(OpenCompare(US_PERU, "tota:906"))
        await settle(pilot)
        spanish = app.screen
        assert isinstance(spanish, CompareScreen) and spanish.gap is not None
        assert "Spanish" in str(spanish.query_one("#compare-note").render())

    drive(make_app(sample_db, compare=(US_PERU, US_PANAMA)), steps)


# -- Compare ---------------------------------------------------------------------------


def test_diff_pieces_are_each_sides_own_text() -> None:
    # The case the inline-diff string got wrong: B's punctuation and line breaks are B's, not A's.
    a_text, b_text = (
        "Each Party shall not apply  investments.",
        "Each of the\nshall apply investments, duties.",
    )
    diff = word_diff(a_text, b_text)
    a, b = diff_pieces(diff, "a"), diff_pieces(diff, "b")
    assert a == (
        ("=", "Each "),
        ("+", "Party"),
        ("=", " shall "),
        ("+", "not"),
        ("=", " apply  investments."),
    )
    assert b == (("=", "Each "), ("+", "of the"), ("=", "\nshall apply investments, "), ("+", "duties."))
    row = CompareRow("pair", 0.5, "x", "", a, "y", "", b)
    assert row.a_segments == (
        ("=", "Each"),
        ("+", "Party"),
        ("=", "shall"),
        ("+", "not"),
        ("=", "apply investments."),
    )
    assert row.b_segments == (
        ("=", "Each"),
        ("+", "of the"),
        ("=", "shall apply investments,"),
        ("+", "duties."),
    )
    assert row.differs
    same = CompareRow("pair", 1.0, "x", "", (("=", "a b"),), "y", "", (("=", "A B"),))
    assert not same.differs


def test_unmatched_b_clauses_are_placed_after_their_predecessor() -> None:
    # A: a0 a1 a2 (a1 only in A); B: b0 b1 b2 b3 with b0, b2 only in B; pairs a0-b1, a2-b3.
    status = pd.Series(["aligned", "only_a", "aligned", "only_b", "only_b"])
    a_pos = pd.Series([0, 1, 2, None, None], dtype=float)
    b_pos = pd.Series([1, None, 3, 0, 2], dtype=float)
    assert in_place_order(a_pos, b_pos, status) == [3, 0, 4, 1, 2]


def test_compare_marks_rows_jumps_area_and_export(sample_copy: Path, tmp_path: Path) -> None:
    """Two agreements marked in the table and compared: every clause shown once, in reading order,
    with the matcher's scores; the jumps, one policy area and the export."""
    with Store(sample_copy) as store:  # writable, so the alignments it caches serve the app too
        al = align(store, US_PERU, US_PANAMA)
        al_invest = align(store, US_PERU, US_PANAMA, area="investment").frame()
        order = store.clauses([US_PERU, US_PANAMA], columns=["id", "ord"]).set_index("id")["ord"]
        invest = set(store.clauses([US_PERU, US_PANAMA], area="investment")["id"])

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        # Mark two agreements in the table and compare them.
        home = app.screen
        assert isinstance(home, AgreementsScreen)
        home.query_one("#filter", Input).value = "family:us lang:en"
        await settle(pilot)
        table = home.query_one("#agreements", DataTable)
        table.move_cursor(row=table.get_row_index(US_PERU))
        await pilot.press("space")
        table.move_cursor(row=table.get_row_index(US_PANAMA))
        await pilot.press("space")
        assert home.marked == [US_PERU, US_PANAMA]
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert (screen.a, screen.b) == (US_PERU, US_PANAMA)
        view = screen.view
        assert view is not None
        rows = view.rows
        # Every clause of both sides is shown exactly once, pairs with the matcher's scores.
        assert len(rows) == len(al.pairs) + len(al.only_a) + len(al.only_b)
        assert len(al.only_a) and len(al.only_b)
        shown_a = [r.a_clause for r in rows if r.a_clause]
        assert sorted(shown_a) == sorted([*al.pairs["a_clause"], *al.only_a["a_clause"]])
        assert sorted(r.b_clause for r in rows if r.b_clause) == sorted(
            [*al.pairs["b_clause"], *al.only_b["b_clause"]]
        )
        pairs = {(r.a_clause, r.b_clause): r.score for r in rows if r.kind == "pair"}
        keys = zip(al.pairs["a_clause"], al.pairs["b_clause"], strict=True)
        assert pairs == dict(zip(keys, al.pairs["score"], strict=True))
        # A's clauses keep A's order; a clause only B has follows its aligned B predecessor.
        assert [order[c] for c in shown_a] == sorted(order[c] for c in shown_a)
        last_b = -1
        for r in rows:
            if r.kind == "pair":
                last_b = order[r.b_clause]
            elif r.kind == "b":
                assert order[r.b_clause] > last_b
        # The words of A's side are exactly A's text.
        first = next(r for r in rows if r.kind == "pair" and r.differs)
        a_text = al.pairs.set_index("a_clause").loc[first.a_clause, "a_text"]
        assert "".join(t for _, t in first.a_pieces) == a_text

        # It opens on the first aligned pair, not on the one-sided rows before it; `n` skips pairs
        # whose words are the same and clauses only one side has.
        table = screen.query_one("#compare-table", DataTable)
        start = view.first_pair
        assert table.cursor_row == start and rows[start].kind == "pair"
        assert all(r.kind != "pair" for r in rows[:start])

        def changed(r: CompareRow) -> bool:
            return r.kind == "pair" and r.differs

        await pilot.press("n")
        i = table.cursor_row
        assert changed(rows[i]) and not any(changed(r) for r in rows[start + 1 : i])
        await pilot.press("u")
        j = table.cursor_row
        assert rows[j].kind != "pair" and all(r.kind == "pair" for r in rows[i + 1 : j])
        await pilot.press("p")
        k = table.cursor_row
        assert k < j and changed(rows[k]) and not any(changed(r) for r in rows[k + 1 : j])
        # Jumps reach rows that were not yet in the table; past the last one the cursor stays.
        await pilot.press("U")
        for _ in range(3):
            await pilot.press("n")
        assert changed(rows[table.cursor_row])
        last = max(x for x, r in enumerate(rows) if changed(r))
        while table.cursor_row != last:
            await pilot.press("n")
        await pilot.press("n")
        assert table.cursor_row == last

        # One policy area: both sides restricted to its clauses.
        screen.query_one("#compare-areas", Select).value = "investment"
        await settle(pilot)
        assert screen.view is not None and screen.view.area == "investment"
        clauses = {c for r in screen.view.rows for c in (r.a_clause, r.b_clause) if c}
        assert clauses and clauses <= invest

        await pilot.press("x")
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "compare.csv")
        await pilot.press("enter")
        await pilot.pause()

    drive(make_app(sample_copy), steps)
    back = pd.read_csv(tmp_path / "compare.csv")
    assert set(back["row"]) <= {"aligned", "only_a", "only_b"}
    assert len(back) == len(al_invest)
    assert sorted(back["a_clause"].dropna()) == sorted(al_invest["a_clause"].dropna())


def test_start_in_compare_then_back_home(sample_db: Path, sample_store: Store) -> None:
    """`rulecompare tui us-peru us-panama`: Compare first; the agreements table loads once it is shown."""

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        assert isinstance(app.screen, CompareScreen)
        home = app.screen_stack[0]
        assert isinstance(home, AgreementsScreen) and home.table_df.empty
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen_stack[-1] is home
        assert home.query_one("#agreements", DataTable).row_count == sample_store.count("agreements")

    drive(make_app(sample_db, compare=(US_PERU, US_PANAMA)), steps)


def test_cached_alignment_equals_a_fresh_one(sample_copy: Path) -> None:
    def alignment(store: Store) -> Alignment:
        return align(store, US_PERU, US_PANAMA, area="investment", cache=True)

    with Store(sample_copy) as store:
        key = f"align|{US_PERU}|{US_PANAMA}|investment|0.3|mono"  # two English texts: no translation
        store.db.execute("DELETE FROM cache WHERE key = ?", (key,))
        store.db.commit()
        computed = alignment(store)
        assert store.db.execute("SELECT count(*) FROM cache WHERE key = ?", (key,)).fetchone()[0] == 1
        read = alignment(store)
    first, cached = computed.in_place(), read.in_place()
    with Store(sample_copy, readonly=True) as store:
        fresh = align(store, US_PERU, US_PANAMA, area="investment").in_place()  # not from the cache
    pd.testing.assert_frame_equal(cached, first)
    pd.testing.assert_frame_equal(cached.astype(object), fresh.astype(object), check_dtype=False)
    assert read.diffs == computed.diffs and (read.order == computed.order).all()
    for name in ("pairs", "only_a", "only_b", "articles"):
        pd.testing.assert_frame_equal(getattr(read, name), getattr(computed, name))


# -- Matrix ----------------------------------------------------------------------------


def test_matrix_cell_opens_compare(sample_db: Path) -> None:
    ids = (US_PERU, US_PANAMA, ASEAN_CHINA)

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenMatrix(ids, "test"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        assert screen.result is not None
        units = list(screen.result.units["agreement_id"])
        assert sorted(units) == sorted(ids)
        assert list(screen.result.frame.index) == units
        grid = screen.query_one("#matrix-grid", DataTable)
        assert (grid.row_count, len(grid.columns)) == (3, 3)
        # The cursor starts on (0, 1); the pair line names both and gives the score.
        score = screen.result.frame.iat[0, 1]
        pair_line = str(screen.query_one("#matrix-pair").render())
        assert f"{score:.3f}" in pair_line
        assert screen.result.units["label"].iloc[1] in pair_line
        assert screen.cell_pair() == (units[0], units[1], None)
        await pilot.press("down", "right")
        assert screen.cell_pair() == (units[1], units[2], None)
        await pilot.press("left")
        assert screen.cell_pair() is None  # the diagonal
        await pilot.press("right", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert (app.screen.a, app.screen.b) == (units[1], units[2])

    drive(make_app(sample_db), steps)


# -- Everywhere ------------------------------------------------------------------------


def test_export_help_and_palette(sample_db: Path, tmp_path: Path, sample_store: Store) -> None:
    us = sample_store.agreements(family="us")

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.screen.query_one("#filter", Input).value = "family:us"
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, AgreementsScreen)
        await pilot.press("x")
        box = app.screen.query_one("#export-path", Input)
        assert box.value.endswith(".csv")
        box.value = str(tmp_path / "us.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AgreementsScreen)
        # The command palette opens an agreement by name.
        await pilot.press("ctrl+p")
        await pilot.pause()
        app.screen.query_one(Input).value = "open us - peru"
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)
        assert app.screen.agreement_id == US_PERU

    drive(make_app(sample_db, export_dir=tmp_path), steps)
    back = pd.read_csv(tmp_path / "us.csv")
    assert sorted(back["id"]) == sorted(us["id"])
    assert list(back.columns[:3]) == ["id", "name", "parties"]
    assert back.set_index("id").loc[US_PERU, "n_clauses"] == us.set_index("id").loc[US_PERU, "n_clauses"]


# -- the command -----------------------------------------------------------------------


def test_tui_command_resolves_names_and_starts_the_app(
    sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from rulecompare.cli import app as cli

    started: list[RulecompareApp] = []
    monkeypatch.setattr(RulecompareApp, "run", lambda self, *a, **k: started.append(self))
    runner = CliRunner()
    result = runner.invoke(cli, ["tui", "us-peru", "us-panama", "--db", str(sample_copy)])
    assert result.exit_code == 0, result.output
    assert started[0].start_compare == (US_PERU, US_PANAMA)
    assert started[0].ref.path == sample_copy and not started[0].ref.readonly  # writable: features kept
    result = runner.invoke(cli, ["tui", "us-peru", "--db", str(sample_copy)])
    assert result.exit_code == 1 and "two to compare" in result.output
    assert len(started) == 1
