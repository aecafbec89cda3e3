"""The terminal UI driven by Textual's Pilot on the real ToTA store, plus SVG snapshots.

Each test opens the app on the session's ToTA store, presses keys as a user
would, and asserts on the screens' state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("textual")

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import DataTable, Input, Select, Tree  # noqa: E402

from rulecompare.catalog import resolve  # noqa: E402
from rulecompare.overlap import Alignment, align, in_place_order, word_diff  # noqa: E402
from rulecompare.store import Store  # noqa: E402
from rulecompare.tui import RulecompareApp  # noqa: E402
from rulecompare.tui.data import AgreementFilter, CompareRow, diff_pieces  # noqa: E402
from rulecompare.tui.messages import OpenAgreement, OpenMatrix  # noqa: E402
from rulecompare.tui.screens.agreement import AgreementScreen  # noqa: E402
from rulecompare.tui.screens.agreements import AgreementsScreen  # noqa: E402
from rulecompare.tui.screens.compare import CompareScreen  # noqa: E402
from rulecompare.tui.screens.help import HelpScreen  # noqa: E402
from rulecompare.tui.screens.matrix import MatrixScreen  # noqa: E402
from rulecompare.tui.screens.search import SearchScreen, snippet_text  # noqa: E402

NAFTA = "tota:112"
SIZE = (120, 40)

Steps = Callable[[Pilot[None], RulecompareApp], Awaitable[None]]


@pytest.fixture(scope="module")
def tpp(tota_store) -> str:  # type: ignore[no-untyped-def]
    return resolve("tpp", tota_store.agreements())


def make_app(db: Path, **kwargs: object) -> RulecompareApp:
    """The app as the tests build it: no cursor blink.

    The store is opened writable, as ``rulecompare tui`` opens a user's store,
    so that the shingle features computed by one test are cached for the next
    (the cache holds only derived data keyed by a digest of its inputs; no
    agreement or clause is written).
    """
    return RulecompareApp(db, cursor_blink=False, **kwargs)  # type: ignore[arg-type]


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the typing debounce, every worker, and the screen to catch up."""
    await pilot.pause(0.2)
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def drive(app: RulecompareApp, steps: Steps, size: tuple[int, int] = SIZE) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await steps(pilot, app)

    asyncio.run(main())


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


def test_agreements_filter_sort_and_open(tota_db: Path, tota_store) -> None:  # type: ignore[no-untyped-def]
    table_df = tota_store.agreements()
    total = len(table_df)
    us_en = set(tota_store.agreements(family="us", language="en")["id"])
    text = (
        table_df[["id", "name", "parties", "families", "aliases"]]
        .fillna("")
        .agg(" ".join, axis=1)
        .str.lower()
    )
    nafta_word = set(table_df.loc[text.str.contains("nafta"), "id"])

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, AgreementsScreen)
        table = screen.query_one("#agreements", DataTable)
        assert table.row_count == total
        # Typing filters as you type (Pilot types slowly, so longer filters are set directly).
        await pilot.press(*"nafta")
        await settle(pilot)
        assert set(rows(table)) == nafta_word and NAFTA in nafta_word
        filter_box = screen.query_one("#filter", Input)
        filter_box.value = "family:us lang:en"
        await settle(pilot)
        assert set(rows(table)) == us_en
        filter_box.value += " north american"
        await settle(pilot)
        assert rows(table) == [NAFTA]
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
        filter_box.value = "north american free"
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)
        assert app.screen.agreement_id == NAFTA
        await pilot.press("escape")
        assert isinstance(app.screen, AgreementsScreen)

    drive(make_app(tota_db), steps)


# -- Agreement -------------------------------------------------------------------------


def test_agreement_tree_and_article(tota_db: Path, tota_store) -> None:  # type: ignore[no-untyped-def]
    clauses = tota_store.clauses([NAFTA])
    articles = clauses.drop_duplicates("article_index")

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenAgreement(NAFTA))
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

    drive(make_app(tota_db), steps)


# -- Search ----------------------------------------------------------------------------


def test_search_and_open_in_context(tota_db: Path, tota_store) -> None:  # type: ignore[no-untyped-def]
    expected = tota_store.search("electronic transmissions", limit=200)

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        screen = app.screen
        screen.query_one("#query", Input).value = "electronic transmissions"
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
            tota_store.clauses([hit["agreement_id"]]).set_index("id").loc[hit["clause_id"], "article_index"]
        )
        assert app.screen.article_index == article

    drive(make_app(tota_db), steps)


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


def test_compare_marks_rows_jumps_area_and_export(
    tota_db: Path, tota_store: Store, tpp: str, tmp_path: Path
) -> None:
    with Store(tota_db) as store:  # writable, so the features it computes serve the app too
        al = align(store, NAFTA, tpp)
        al_invest = align(store, NAFTA, tpp, area="investment").frame()
    order = tota_store.clauses([NAFTA, tpp], columns=["id", "ord"]).set_index("id")["ord"]
    invest = set(tota_store.clauses([NAFTA, tpp], area="investment")["id"])

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        # Mark two agreements in the table and compare them.
        home = app.screen
        assert isinstance(home, AgreementsScreen)
        home.query_one("#filter", Input).value = "family:us lang:en"
        await settle(pilot)
        await pilot.press("enter")
        table = home.query_one("#agreements", DataTable)
        table.move_cursor(row=table.get_row_index(NAFTA))
        await pilot.press("space")
        table.move_cursor(row=table.get_row_index(tpp))
        await pilot.press("space")
        assert home.marked == [NAFTA, tpp]
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert (screen.a, screen.b) == (NAFTA, tpp)
        view = screen.view
        assert view is not None
        rows = view.rows
        # Every clause of both sides is shown exactly once, pairs with the matcher's scores.
        assert len(rows) == len(al.pairs) + len(al.only_a) + len(al.only_b)
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
        assert " ".join(t for _, t in first.a_segments) == " ".join(a_text.split())

        table = screen.query_one("#compare-table", DataTable)
        assert table.cursor_row == 0
        await pilot.press("n")
        i = table.cursor_row
        assert rows[i].differs and not any(r.differs for r in rows[1:i])
        await pilot.press("u")
        j = table.cursor_row
        assert rows[j].kind != "pair" and all(r.kind == "pair" for r in rows[i + 1 : j])
        await pilot.press("p")
        assert table.cursor_row < j and rows[table.cursor_row].differs
        # Far jumps reach rows that were not yet in the table.
        await pilot.press("U")
        for _ in range(3):
            await pilot.press("n")
        assert rows[table.cursor_row].differs

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

    drive(make_app(tota_db), steps)
    back = pd.read_csv(tmp_path / "compare.csv")
    assert set(back["row"]) <= {"aligned", "only_a", "only_b"}
    assert len(back) == len(al_invest)
    assert sorted(back["a_clause"].dropna()) == sorted(al_invest["a_clause"].dropna())


def test_start_in_compare_then_back_home(tota_db: Path, tota_store, tpp: str) -> None:  # type: ignore[no-untyped-def]
    """`rulecompare tui nafta tpp`: Compare first; the agreements table loads once it is shown."""

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        assert isinstance(app.screen, CompareScreen)
        home = app.screen_stack[0]
        assert isinstance(home, AgreementsScreen) and home.table_df.empty
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen_stack[-1] is home
        assert home.query_one("#agreements", DataTable).row_count == tota_store.count("agreements")

    drive(make_app(tota_db, compare=(NAFTA, tpp)), steps)


def test_cached_alignment_equals_a_fresh_one(tota_db: Path, tota_store, tpp: str) -> None:  # type: ignore[no-untyped-def]
    def alignment(store: Store) -> Alignment:
        return align(store, NAFTA, tpp, area="investment", cache=True)

    with Store(tota_db) as store:
        key = f"align|{NAFTA}|{tpp}|investment|0.3"
        store.db.execute("DELETE FROM cache WHERE key = ?", (key,))
        store.db.commit()
        computed = alignment(store)
        assert store.db.execute("SELECT count(*) FROM cache WHERE key = ?", (key,)).fetchone()[0] == 1
        read = alignment(store)
    first, cached = computed.in_place(), read.in_place()
    fresh = alignment(tota_store).in_place()  # read-only: never cached
    pd.testing.assert_frame_equal(cached, first)
    pd.testing.assert_frame_equal(cached.astype(object), fresh.astype(object), check_dtype=False)
    assert read.diffs == computed.diffs and (read.order == computed.order).all()
    for name in ("pairs", "only_a", "only_b", "articles"):
        pd.testing.assert_frame_equal(getattr(read, name), getattr(computed, name))


# -- Matrix ----------------------------------------------------------------------------


def test_matrix_cell_opens_compare(tota_db: Path, tota_store, tpp: str) -> None:  # type: ignore[no-untyped-def]
    ids = (NAFTA, tpp, "tota:121")

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

    drive(make_app(tota_db), steps)


# -- Everywhere ------------------------------------------------------------------------


def test_export_help_and_palette(tota_db: Path, tmp_path: Path, tota_store) -> None:  # type: ignore[no-untyped-def]
    us = tota_store.agreements(family="us")

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.screen.query_one("#filter", Input).value = "family:us"
        await settle(pilot)
        await pilot.press("enter")
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
        app.screen.query_one(Input).value = "open north american free"
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)
        assert app.screen.agreement_id == NAFTA

    drive(make_app(tota_db, export_dir=tmp_path), steps)
    back = pd.read_csv(tmp_path / "us.csv")
    assert sorted(back["id"]) == sorted(us["id"])
    assert list(back.columns[:3]) == ["id", "name", "parties"]
    assert back.set_index("id").loc[NAFTA, "n_clauses"] == us.set_index("id").loc[NAFTA, "n_clauses"]


# -- snapshots -------------------------------------------------------------------------

SNAP_SIZE = (110, 32)


def test_snapshot_agreements(tota_db: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await settle(pilot)
        pilot.app.screen.query_one("#filter", Input).value = "family:us lang:en"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(tota_db), terminal_size=SNAP_SIZE, run_before=run_before)


def test_snapshot_matrix(tota_db: Path, tpp: str, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.post_message(OpenMatrix((NAFTA, tpp, "tota:121", "tota:156"), "snapshot"))
        await settle(pilot)

    assert snap_compare(make_app(tota_db), terminal_size=SNAP_SIZE, run_before=run_before)


def test_snapshot_compare(tota_db: Path, tpp: str, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """`rulecompare tui nafta tpp` opens straight into Compare; the cursor on the first difference."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()

    app = make_app(tota_db, compare=(NAFTA, tpp))
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run_before)


# -- the command -----------------------------------------------------------------------


def test_tui_command_resolves_names_and_starts_the_app(
    tota_db: Path, tpp: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from rulecompare.cli import app as cli

    started: list[RulecompareApp] = []
    monkeypatch.setattr(RulecompareApp, "run", lambda self, *a, **k: started.append(self))
    runner = CliRunner()
    result = runner.invoke(cli, ["tui", "nafta", "tpp", "--db", str(tota_db)])
    assert result.exit_code == 0, result.output
    assert started[0].start_compare == (NAFTA, tpp)
    assert started[0].ref.path == tota_db
    result = runner.invoke(cli, ["tui", "nafta", "--db", str(tota_db)])
    assert result.exit_code == 1 and "two to compare" in result.output
    assert len(started) == 1
