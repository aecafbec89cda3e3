"""Getting around the TUI: keys in the footer from the start, marks that show, type-ahead, go to article,
the command palette's commands, Compare's first row and jumps, and screens that open once per Enter.

All on the small store of ``tui_helpers``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Tree
from textual.widgets._footer import FooterKey
from tui_helpers import (
    ATLANTIS,
    OCEANIC,
    OCEANIC_ES,
    build_tui_store,
    drive,
    make_app,
    patient_type_ahead,
    pause_typing,
    settle,
    type_quickly,
)

from rulecompare.tui import RulecompareApp
from rulecompare.tui.messages import OpenAgreement
from rulecompare.tui.screens.agreement import AgreementScreen
from rulecompare.tui.screens.agreements import AgreementsScreen
from rulecompare.tui.screens.compare import CompareScreen
from rulecompare.tui.screens.goto import GoToScreen
from rulecompare.tui.screens.matrix import MatrixScreen


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tui_store(tmp_path_factory.mktemp("tui-nav") / "small.db")


def on_top(app: RulecompareApp, screen: object) -> bool:
    """Whether ``screen`` is the screen shown (a function, so that type checkers do not narrow)."""
    return app.screen is screen


def footer_keys(app: RulecompareApp) -> set[str]:
    """The keys the footer shows now."""
    return {k.key for k in app.screen.query(FooterKey)}


def cursor_id(screen: AgreementsScreen) -> str:
    table = screen.query_one("#agreements", DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


def article_number(screen: AgreementScreen) -> str:
    rows = screen.articles[screen.articles["article_index"] == screen.article_index]
    return str(rows["number"].iloc[0])


# -- screens open once per Enter ------------------------------------------------------------------


def test_quick_enter_escape_pairs_leave_no_screen_behind(small_db: Path) -> None:
    """Twenty quick Enter/Escape pairs left twenty stacked screens."""

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        assert isinstance(app.screen, AgreementsScreen)
        type_quickly(app, *["enter", "escape"] * 20)
        await settle(pilot)
        assert len(app.screen_stack) == 1 and isinstance(app.screen, AgreementsScreen)
        # Enter twice quickly opens the agreement once; escape then goes home.
        type_quickly(app, "enter", "enter")
        await settle(pilot)
        assert len(app.screen_stack) == 2 and isinstance(app.screen, AgreementScreen)
        await pilot.press("escape")
        assert len(app.screen_stack) == 1

    drive(make_app(small_db), steps)


def test_opening_what_is_already_open_pushes_nothing(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.open(OpenAgreement(ATLANTIS))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        target = int(screen.articles.loc[screen.articles["number"] == "1110", "article_index"].iloc[0])
        app.open(OpenAgreement(ATLANTIS, article_index=target))
        await settle(pilot)
        assert on_top(app, screen) and len(app.screen_stack) == 2
        assert screen.article_index == target

    drive(make_app(small_db), steps)


# -- the agreements table ------------------------------------------------------------------------------


def test_agreements_start_in_the_table_with_every_key_in_the_footer_and_marks_showing(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, AgreementsScreen)
        table = screen.query_one("#agreements", DataTable)
        assert table.has_focus
        # The footer lists the screen's keys at once (it showed two until the cursor moved), r too.
        assert {"slash", "space", "c", "m", "s", "r", "question_mark", "x"} <= footer_keys(app)
        assert "escape" not in footer_keys(app)  # nothing to go back to
        await pilot.press("space")
        marked = screen.marked[0]
        mark_column = table.ordered_columns[0]
        assert mark_column.get_render_width(table) >= 3  # the column had no width at all
        cell = table.get_cell(marked, "mark")
        assert isinstance(cell, Text) and cell.plain == "●"
        assert marked in str(screen.query_one("#agreements-status").render())

    drive(make_app(small_db), steps)


def test_type_ahead_in_the_agreements_table_and_bound_keys_still_work(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient_type_ahead(monkeypatch)

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, AgreementsScreen)
        await pilot.press(*"lag")  # "l" and "g" are not keys of this screen
        assert cursor_id(screen) == "t:unrelated"
        await pause_typing(pilot)
        await pilot.press(*"oce")  # after a pause, a new search; words split at hyphens
        assert cursor_id(screen) in (OCEANIC, OCEANIC_ES)
        await pause_typing(pilot)
        await pilot.press("s")  # after a pause, a bound letter is its command again
        assert screen.sort_index == 1

    drive(make_app(small_db), steps)


# -- one agreement: type-ahead, go to, full titles ---------------------------------------------------


def test_type_ahead_and_go_to_article(small_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reaching NAFTA Art. 1110 took 150 presses of Down."""
    patient_type_ahead(monkeypatch)

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenAgreement(ATLANTIS))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        tree = screen.query_one("#outline", Tree)
        assert tree.has_focus
        # Type-ahead in the outline: the digits of an article number.
        await pilot.press(*"1110")
        await pilot.pause()
        assert article_number(screen) == "1110"
        # A collapsed chapter opens to show the article typed.
        for chapter in tree.root.children:
            chapter.collapse()
        await pause_typing(pilot)
        await pilot.press(*"302")
        await pilot.pause()
        assert article_number(screen) == "302"
        # Go to: a number ...
        await pause_typing(pilot)
        await pilot.press("g")
        assert isinstance(app.screen, GoToScreen)
        await pilot.press(*"1107", "enter")
        await settle(pilot)
        assert on_top(app, screen) and article_number(screen) == "1107"
        # ... or words of a title, typos forgiven.
        await pilot.press("g")
        app.screen.query_one("#goto-query", Input).value = "expropiation"
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert article_number(screen) == "1110"
        # Escape cancels and leaves the article as it was.
        await pilot.press("g", *"1101", "escape")
        await settle(pilot)
        assert on_top(app, screen) and article_number(screen) == "1110"

    drive(make_app(small_db), steps)


# -- the command palette --------------------------------------------------------------------------


async def palette(pilot: Pilot[None], query: str) -> None:
    """Open the command palette, type ``query`` and choose the first command."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    pilot.app.screen.query_one(Input).value = query
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the palette's search is a worker: every hit is in
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


def test_palette_compares_goes_to_and_opens_the_matrix_of_marked(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        home = app.screen
        assert isinstance(home, AgreementsScreen)
        await palette(pilot, "compare usafta with top")
        assert isinstance(app.screen, CompareScreen)
        assert (app.screen.a, app.screen.b) == (ATLANTIS, OCEANIC)
        await pilot.press("escape")
        await palette(pilot, "top vs usafta")
        assert isinstance(app.screen, CompareScreen) and (app.screen.a, app.screen.b) == (OCEANIC, ATLANTIS)
        await pilot.press("escape")
        # The matrix of the marked agreements.
        table = home.query_one("#agreements", DataTable)
        for aid in (ATLANTIS, OCEANIC):
            table.move_cursor(row=table.get_row_index(aid))
            await pilot.press("space")
        await palette(pilot, "matrix of the 2 marked")
        assert isinstance(app.screen, MatrixScreen) and app.screen.agreement_ids == (ATLANTIS, OCEANIC)
        await pilot.press("escape")
        # Go to an article of the agreement on screen.
        await palette(pilot, "open united states atlantis")
        screen = app.screen
        assert isinstance(screen, AgreementScreen) and screen.agreement_id == ATLANTIS
        await palette(pilot, "go to 1106")
        assert on_top(app, screen) and article_number(screen) == "1106"

    drive(make_app(small_db), steps)


# -- Compare ---------------------------------------------------------------------------------------


def test_compare_opens_on_the_first_pair_and_jumps(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.view is not None
        rows = screen.view.rows
        table = screen.query_one("#compare-table", DataTable)
        assert [r.kind for r in rows[:2]] == ["b", "a"]  # the preambles, one-sided
        assert table.cursor_row == screen.view.first_pair == 2
        # n visits exactly the pairs whose words differ, in order; p goes back.
        changed = [i for i, r in enumerate(rows) if r.kind == "pair" and r.differs]
        same = [i for i, r in enumerate(rows) if r.kind == "pair" and not r.differs]
        assert changed and same  # both kinds exist: n has something to skip
        visited = []
        for _ in changed:
            await pilot.press("n")
            visited.append(table.cursor_row)
        assert visited == [i for i in changed if i > 2]
        await pilot.press("p")
        assert table.cursor_row == visited[-2]
        # u / U: the clauses only one side has.
        unmatched = [i for i, r in enumerate(rows) if r.kind != "pair"]
        await pilot.press("U")
        assert table.cursor_row == max(i for i in unmatched if i < visited[-2])
        await pilot.press("u")
        assert table.cursor_row == min(
            i for i in unmatched if i > max(i for i in unmatched if i < visited[-2])
        )
        # Every key is in the footer: U and o too.
        assert {"n", "p", "u", "U", "e", "a", "g", "o", "question_mark", "escape", "x"} <= footer_keys(app)
        # Go to an article of B.
        await pilot.press("g")
        app.screen.query_one("#goto-query", Input).value = "agricultural"
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert rows[table.cursor_row].b_title == "Agricultural Export Subsidies"
        # ... or B's number of an article both have.
        await pilot.press("g", *"9.8", "enter")
        await settle(pilot)
        assert rows[table.cursor_row].b_article == "ARTICLE 9.8" and rows[table.cursor_row].kind == "pair"

    drive(make_app(small_db, compare=(ATLANTIS, OCEANIC)), steps)


def test_after_choosing_an_area_the_table_has_the_focus(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        await pilot.press("a")
        select = screen.query_one("#compare-areas", Select)
        assert select.has_focus_within and select.expanded
        await pilot.press("down", "down", "enter")  # an area of the list
        await settle(pilot)
        assert screen.area is not None and not select.expanded
        assert screen.query_one("#compare-table", DataTable).has_focus
        assert screen.view is not None and screen.view.area == screen.area

    drive(make_app(small_db, compare=(ATLANTIS, OCEANIC)), steps)


def test_matrix_enter_compares_the_cell_and_type_ahead_finds_rows(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient_type_ahead(monkeypatch)

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        from rulecompare.tui.messages import OpenMatrix

        app.post_message(OpenMatrix((ATLANTIS, OCEANIC, OCEANIC_ES), "three"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        grid = screen.query_one("#matrix-grid", DataTable)
        await pilot.press(*"tr")
        assert grid.cursor_row == 1
        grid.cursor_coordinate = Coordinate(1, 0)
        type_quickly(app, "enter", "escape")
        await settle(pilot)
        assert on_top(app, screen)

    drive(make_app(small_db), steps)


def test_type_ahead_extends_while_typing_and_lapses_after_a_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from rulecompare.tui.widgets import nav

    monkeypatch.setattr(nav, "TYPE_AHEAD_SECONDS", 0.2)
    state = nav.TypeAhead()
    assert state.feed("1") == ("1", False) and state.active()
    assert state.feed("1") == ("11", True)
    time.sleep(0.3)
    assert not state.active()
    assert state.feed("E") == ("e", False)
    assert nav.starts_a_word("ARTICLE 1110 Expropriation", "111")
    assert nav.starts_a_word("Trans-Oceanic Partnership", "oce")
    assert nav.starts_a_word("North American Free Trade Agreement (NAFTA)", "nafta")
    assert nav.starts_a_word("ARTICLE G-10 Expropriation", "g-1")
    assert not nav.starts_a_word("ARTICLE 1110 Expropriation", "110")
