"""Every screen at 80x24 and 160x45: usable when narrow (nothing the reader needs is cut, every key in
the footer), and SVG snapshots of the main screens at both sizes.

On the small store of ``tui_helpers``, so that the snapshots are the same on every machine.
Update them after a deliberate change with ``pytest tests/test_tui_screens.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Size
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Static
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
)

from rulecompare.tui import RulecompareApp
from rulecompare.tui.messages import OpenAgreement, OpenMatrix
from rulecompare.tui.screens.agreement import AgreementScreen
from rulecompare.tui.screens.agreements import AgreementsScreen
from rulecompare.tui.screens.compare import CompareScreen
from rulecompare.tui.screens.matrix import MatrixScreen
from rulecompare.tui.screens.search import SearchScreen
from rulecompare.tui.widgets.diff import line_count

NARROW = (80, 24)
WIDE = (160, 45)
Setup = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tui_store(tmp_path_factory.mktemp("tui-screens") / "small.db")


# -- how each screen is reached -----------------------------------------------------------------------


async def agreements(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("space")


async def agreement(pilot: Pilot[None]) -> None:
    app = pilot.app
    app.post_message(OpenAgreement(ATLANTIS))
    await settle(pilot)
    await pilot.press(*"1110")
    await pause_typing(pilot)
    await pilot.press("n")
    await settle(pilot)


async def compare(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)


async def matrix(pilot: Pilot[None]) -> None:
    pilot.app.post_message(OpenMatrix((ATLANTIS, OCEANIC, OCEANIC_ES), "snapshot"))
    await settle(pilot)
    await pilot.press("down")


async def search(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+f")
    pilot.app.screen.query_one("#query", Input).value = "investment"
    await settle(pilot)
    await pilot.press("enter")


SCREENS: dict[str, tuple[Setup, dict[str, Any]]] = {
    "agreements": (agreements, {}),
    "agreement": (agreement, {}),
    "compare": (compare, {"compare": (ATLANTIS, OCEANIC)}),
    "matrix": (matrix, {}),
    "search": (search, {}),
}


# -- usable at 80x24 ---------------------------------------------------------------------------------


def shows_all_of(widget: Widget) -> bool:
    """Whether a widget's content fits in it (nothing cut at the bottom)."""
    width = widget.content_size.width
    needed = widget.get_content_height(widget.size, Size(*NARROW), width)
    return needed <= widget.content_size.height


def check_footer(app: RulecompareApp) -> None:
    """Every key the screen shows in its footer is inside the terminal, and the help key is there."""
    footer = app.screen.query_one(Footer)
    keys = list(app.screen.query(FooterKey))
    assert "question_mark" in {k.key for k in keys}
    for key in keys:
        assert key.region.right <= app.size.width, (key.key, key.region)
    assert footer.virtual_size.width <= footer.size.width


@pytest.mark.parametrize("name", list(SCREENS))
def test_every_screen_is_usable_at_80x24(small_db: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    patient_type_ahead(monkeypatch)
    setup, kwargs = SCREENS[name]

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        await setup(pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        check_footer(app)
        status_lines = [w for w in screen.query(Static) if w.has_class("status") and w.region.height]
        assert status_lines
        for widget in status_lines:
            assert shows_all_of(widget), (widget.id, str(widget.render()))
        if isinstance(screen, CompareScreen):
            summary = str(screen.query_one("#compare-summary", Static).render())
            assert "corpus baseline" in summary and shows_all_of(screen.query_one("#compare-summary"))
            assert screen.layout_key[0]  # A over B
            assert screen.sub_title == "USAFTA × TOP (en)"
        if isinstance(screen, AgreementScreen):
            detail = str(screen.query_one("#neighbours-detail", Static).render())
            best = screen.neighbours.iloc[0]
            assert f"{best['article_number']} {best['article_title']}" in " ".join(detail.split())
            assert "ARTICLE 1110 Expropriation and Compensation" in " ".join(
                str(screen.query_one("#outline-detail", Static).render()).split()
            )
        if isinstance(screen, SearchScreen):
            table = screen.query_one("#hits", DataTable)
            width = table.ordered_columns[0].width
            for i, hit in enumerate(screen.results.itertuples()):
                cell = table.get_row_at(i)[0]
                snippet = cell.plain.partition("\n")[2]
                # The whole snippet is in the row, and the row is tall enough to show it.
                assert snippet == " ".join(hit.snippet.replace("\x02", "").replace("\x03", "").split())
                assert table.ordered_rows[i].height >= 1 + min(line_count(snippet, width), 3)
        if isinstance(screen, MatrixScreen):
            assert shows_all_of(screen.query_one("#matrix-pair"))
        if isinstance(screen, AgreementsScreen):
            assert screen.query_one("#agreements", DataTable).has_focus

    drive(make_app(small_db, **kwargs), steps, size=NARROW)


# -- snapshots -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["160x45", "80x24"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_snapshot(
    small_db: Path, snap_compare: Any, name: str, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    patient_type_ahead(monkeypatch)
    setup, kwargs = SCREENS[name]
    assert snap_compare(make_app(small_db, **kwargs), terminal_size=size, run_before=setup)
