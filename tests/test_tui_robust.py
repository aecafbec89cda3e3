"""The TUI never dies of a worker's error, says why agreements in two languages have no pairs, drops
nearest-article answers that arrive for an article the cursor has left, and a crash exits non-zero.

On the small store of ``tui_helpers``, except where a real agreement is the point (NAFTA x Spanish TPP).
"""

from __future__ import annotations

import gc
import re
import threading
import weakref
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey
from tui_helpers import (
    ATLANTIS,
    OCEANIC,
    OCEANIC_ES,
    build_tui_store,
    drive,
    make_app,
    open_article,
    settle,
    wait_until,
)

import rulecompare.tui
from rulecompare.store import Store
from rulecompare.tui import RulecompareApp, data
from rulecompare.tui.messages import OpenAgreement, OpenCompare, OpenMatrix
from rulecompare.tui.screens import nearest_pane
from rulecompare.tui.screens.agreement import AgreementScreen
from rulecompare.tui.screens.agreements import AgreementsScreen
from rulecompare.tui.screens.compare import CompareScreen
from rulecompare.tui.screens.matrix import MatrixScreen
from rulecompare.tui.screens.nearest_pane import NEIGHBOURS


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tui_store(tmp_path_factory.mktemp("tui-robust") / "small.db")


def notifications(app: RulecompareApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record what the app notifies (the messages of its toasts)."""
    seen: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append(message)
        original(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return seen


# -- languages -------------------------------------------------------------------------------------


def test_agreements_in_two_languages_open_with_the_reason(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.gap is not None
        assert screen.view is None  # nothing was aligned: every row would be one-sided
        note = str(screen.query_one("#compare-note", Static).render())
        assert "No aligned pairs" in note and "English" in note and "Spanish" in note
        assert "cross-lingual" in note and OCEANIC in note
        assert screen.query_one("#compare-table").has_class("hidden")
        summary = str(screen.query_one("#compare-summary", Static).render())
        assert summary.startswith("0 aligned pairs: different languages (English, Spanish)")
        keys = {k.key for k in screen.query(FooterKey)}
        assert "l" in keys and not keys & {"n", "p", "u", "e", "a", "g", "o"}  # no rows to act on
        assert screen.sub_title == "USAFTA × TOP (es)"
        # `l` compares with the same agreement in A's language.
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and app.screen is not screen
        assert (app.screen.a, app.screen.b) == (ATLANTIS, OCEANIC) and app.screen.view is not None
        assert len(app.screen_stack) == 2

    drive(make_app(small_db, compare=(ATLANTIS, OCEANIC_ES)), steps)


def test_matrix_cell_across_languages_opens_the_reason_not_a_crash(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenMatrix((ATLANTIS, OCEANIC_ES), "two"))
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        await pilot.press("enter")  # the cursor starts on (0, 1)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and (screen.a, screen.b) == (ATLANTIS, OCEANIC_ES)
        assert screen.gap is not None and app.return_code is None

    drive(make_app(small_db), steps)


def test_nafta_against_the_spanish_tpp(tota_db: Path) -> None:
    """`rulecompare tui nafta tota:450` killed the app."""

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.gap is not None
        note = str(screen.query_one("#compare-note", Static).render())
        assert "North American Free Trade Agreement (NAFTA) is in English" in note
        assert "Trans-Pacific Partnership (Spanish) in Spanish" in note
        assert "tota:449" in note
        assert app.return_code is None

    drive(make_app(tota_db, compare=("tota:112", "tota:450")), steps)


@pytest.mark.parametrize(
    ("a", "b", "says"),
    [
        ("tota:901", "tota:904", "mean score n/a (no aligned pairs) · only in A 3, only in B 0"),
        ("tota:904", "tota:901", "mean score n/a (no aligned pairs) · only in A 0, only in B 3"),
        ("tota:904", "tota:907", "Neither agreement has clauses in this area"),
    ],
)
def test_an_area_one_side_lacks_opens_with_its_clauses_and_no_score(
    sample_db: Path, a: str, b: str, says: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the sample, US - Peru has labour clauses and neither China - Pakistan nor Pakistan - Sri Lanka
    has any: a side with nothing to align (what raised IndexError in the issue) shows the other side's
    clauses, and a mean over no pairs is said to be missing, not 0."""

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        seen = notifications(app, monkeypatch)
        app.open(OpenCompare(a, b, area="labour"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.view is not None
        assert says in str(screen.query_one("#compare-summary", Static).render())
        assert all(r.kind != "pair" for r in screen.view.rows)
        await pilot.press("n", "u", "e", "g")
        await pilot.pause()
        assert app.return_code is None
        # The baseline too is worked out without a pair to score (it raised IndexError).
        await wait_until(
            pilot, lambda: "baseline …" not in str(screen.query_one("#compare-summary").render())
        )
        assert not app.errors
        assert bool(screen.view.rows) == any("No more aligned pairs" in m for m in seen)

    drive(make_app(sample_db), steps)


# -- a worker's unexpected error ----------------------------------------------------------------------


class Boom(RuntimeError):
    """An error no screen expects."""


def _raise(*args: object, **kwargs: object) -> Any:
    raise Boom("disk on fire")


async def _open_compare(pilot: Pilot[None], app: RulecompareApp) -> None:
    app.open(OpenCompare(ATLANTIS, OCEANIC))


async def _open_matrix(pilot: Pilot[None], app: RulecompareApp) -> None:
    app.open(OpenMatrix((ATLANTIS, OCEANIC), "two"))


async def _nearest(pilot: Pilot[None], app: RulecompareApp) -> None:
    app.open(OpenAgreement(ATLANTIS))
    await settle(pilot)
    await pilot.press("n")


async def _search(pilot: Pilot[None], app: RulecompareApp) -> None:
    await pilot.press("ctrl+f")
    app.screen.query_one("#query", Input).value = "investment"


@pytest.mark.parametrize(
    ("function", "action", "doing"),
    [
        ("compare", _open_compare, "aligning the clauses"),
        ("overlap_matrix", _open_matrix, "computing the matrix"),
        ("nearest_articles", _nearest, "looking up the nearest articles"),
        ("search", _search, "searching"),
    ],
)
def test_a_worker_error_is_a_notification_with_the_log_not_a_dead_app(
    small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, function: str, action: Any, doing: str
) -> None:
    monkeypatch.setattr(data, function, _raise)
    app = make_app(small_db, state_dir=tmp_path)
    seen = notifications(app, monkeypatch)

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        await action(pilot, app)
        await settle(pilot)
        assert app.return_code is None and app.is_running
        assert app.errors == [f"{doing}: Boom: disk on fire"]
        log = tmp_path / "logs" / "tui.log"
        message = next(m for m in seen if "Something went wrong" in m)
        assert doing in message and str(log) in message
        text = log.read_text(encoding="utf-8")
        assert f"error while {doing}" in text and "Traceback" in text and "Boom: disk on fire" in text
        # The screen left its loading state, and the app still answers keys.
        for table in app.screen.query(DataTable):
            assert not table.loading
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running

    drive(app, steps)


def test_a_failing_start_is_reported_too(
    small_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data, "all_agreements", _raise)

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        assert isinstance(app.screen, AgreementsScreen) and app.is_running
        assert app.errors == ["loading the agreements: Boom: disk on fire"]
        assert not app.screen.query_one("#agreements", DataTable).loading

    drive(make_app(small_db, state_dir=tmp_path), steps)


def test_every_worker_is_declared_to_report_rather_than_end_the_app() -> None:
    package = Path(rulecompare.tui.__file__).parent
    sources = {p: p.read_text(encoding="utf-8") for p in package.rglob("*.py")}
    decorators = [(p.name, m.group(0)) for p, s in sources.items() for m in re.finditer(r"@work\([^)]*\)", s)]
    assert len(decorators) >= 8
    assert [d for d in decorators if "exit_on_error=False" not in d[1]] == []


def test_a_crash_exits_non_zero(small_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash outside the workers ends the app; `rulecompare tui` then exits 1 (it exited 0)."""
    from typer.testing import CliRunner

    from rulecompare.cli import app as cli

    def crash(self: AgreementsScreen) -> None:
        raise Boom("in a handler")

    monkeypatch.setattr(AgreementsScreen, "on_mount", crash)
    original_run = RulecompareApp.run

    def run_headless(self: RulecompareApp, *args: object, **kwargs: object) -> None:
        # Should the app not stop on the error, this ends it with a code the assertion rejects.
        guard = threading.Timer(30, lambda: self.call_from_thread(self.exit, None, 99))
        guard.start()
        try:
            original_run(self, headless=True)
        finally:
            guard.cancel()

    monkeypatch.setattr(RulecompareApp, "run", run_headless)
    result = CliRunner().invoke(cli, ["tui", "--db", str(small_db)])
    assert result.exit_code == 1, result.output


# -- nearest articles: labelled, never stale, nothing kept ---------------------------------------------


def test_nearest_articles_for_an_article_left_behind_are_dropped(
    small_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results for Art. 304 arrived under Art. 306's heading after the cursor moved."""
    gate = threading.Event()
    made: dict[int, weakref.ref[pd.DataFrame]] = {}
    with Store(small_db, readonly=True) as store:
        real = data.nearest_articles(store, ATLANTIS, 1, top=NEIGHBOURS)

    def slow_first(store: Store, agreement_id: str, article_index: int, *, top: int) -> pd.DataFrame:
        if article_index == 1:
            gate.wait(10)  # the first request answers late, after the cursor has moved on
        df = real.assign(article_title=f"answer for {article_index}")
        made[article_index] = weakref.ref(df)
        return df

    monkeypatch.setattr(data, "nearest_articles", slow_first)
    # the app's own follow delay: the title must say "looking up" before the cursor has rested (long
    # enough that a loaded machine cannot let it elapse between the key press and the check)
    monkeypatch.setattr(nearest_pane, "FOLLOW_DELAY", 1.5)

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenAgreement(ATLANTIS, article_index=1))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen) and screen.article_index == 1
        await pilot.press("n")
        title = screen.query_one("#neighbours-title", Static)
        assert "looking up" in str(title.render()) and screen.article_name(1) in str(title.render())
        await pilot.press("down")  # article 2, while the answer for 1 is still out
        assert screen.article_index == 2
        assert str(title.render()).startswith(f"Nearest to {screen.article_name(2)}: looking up")
        # The cursor rests: article 2 is looked up and answered.
        table = screen.query_one("#neighbours", DataTable)
        await wait_until(pilot, lambda: table.row_count == len(real))
        assert screen.neighbours_for == 2
        assert set(screen.neighbours["article_title"]) == {"answer for 2"}
        assert f"Nearest to {screen.article_name(2)}: {len(real)} articles" in str(title.render())
        gate.set()  # now the answer for article 1 arrives (its cancelled worker is not waited for by settle)
        await wait_until(pilot, lambda: 1 in made)
        await settle(pilot)
        assert screen.neighbours_for == 2 and set(screen.neighbours["article_title"]) == {"answer for 2"}
        assert "answer for 1" not in " ".join(
            str(c) for row in range(table.row_count) for c in table.get_row_at(row)
        )
        assert f"Nearest to {screen.article_name(2)}" in str(title.render())
        # The stale answer is not kept anywhere (once its thread has returned); the one shown is.
        await wait_until(pilot, lambda: gc.collect() >= 0 and made[1]() is None)
        assert made[2]() is screen.neighbours
        # `n` again on the same article closes the list and lets its rows go.
        await pilot.press("n")
        gc.collect()
        assert not screen.neighbours_shown and made[2]() is None

    try:
        drive(make_app(small_db), steps)
    finally:
        gate.set()


def test_a_slow_lookup_says_how_long_it_has_taken(small_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first lookup in a large store can take a while: the heading counts the seconds, then the answer
    replaces it."""
    gate = threading.Event()
    with Store(small_db, readonly=True) as store:
        real = data.nearest_articles(store, ATLANTIS, 1, top=NEIGHBOURS)

    def slow(store: Store, agreement_id: str, article_index: int, *, top: int) -> pd.DataFrame:
        gate.wait(10)
        return real

    monkeypatch.setattr(data, "nearest_articles", slow)
    monkeypatch.setattr(nearest_pane, "WAIT_STEP", 0.2)

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenAgreement(ATLANTIS, article_index=1))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await pilot.press("n")
        title = screen.query_one("#neighbours-title", Static)
        await wait_until(pilot, lambda: re.search(r"looking up … [\d.]+ s", str(title.render())) is not None)
        gate.set()
        table = screen.query_one("#neighbours", DataTable)
        await wait_until(pilot, lambda: table.row_count == len(real))
        await pilot.pause(0.5)  # a tick of the timer after the answer changes nothing
        assert str(title.render()).startswith(f"Nearest to {screen.article_name(1)}: {len(real)} articles")

    try:
        drive(make_app(small_db), steps)
    finally:
        gate.set()


def test_nearest_articles_name_their_article_and_open(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = await open_article(pilot, app, ATLANTIS, "1110")
        await pilot.press("n")
        await settle(pilot)
        title = str(screen.query_one("#neighbours-title", Static).render())
        assert title.startswith("Nearest to ARTICLE 1110 Expropriation and Compensation:")
        best = screen.neighbours.iloc[0]
        assert best["agreement_id"] == OCEANIC and best["article_title"] == "Expropriation and Compensation"
        detail = str(screen.query_one("#neighbours-detail", Static).render())
        assert "Trans-Oceanic Partnership (English)" in detail and "Expropriation and Compensation" in detail
        table = screen.query_one("#neighbours", DataTable)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        opened = app.screen
        assert isinstance(opened, AgreementScreen) and opened.agreement_id == OCEANIC
        assert opened.article_index == int(best["article_index"])

    drive(make_app(small_db), steps)
