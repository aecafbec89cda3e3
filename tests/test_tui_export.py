"""Exports from the TUI: offered in the documented folder (not the working directory), named for what
they hold, the folder remembered between runs, the Search export with each clause's whole text.

On the small store of ``tui_helpers``, with the per-user data folder redirected to a temporary one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import ATLANTIS, OCEANIC, build_tui_store, drive, make_app, open_article, settle

from rulecompare.store import Store
from rulecompare.tui import RulecompareApp
from rulecompare.tui.screens.export import ExportScreen
from rulecompare.tui.screens.search import SearchScreen

STAMP = r"-\d{8}-\d{4}\.csv"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tui_store(tmp_path_factory.mktemp("tui-export") / "small.db")


@pytest.fixture()
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The per-user data folder, moved to a temporary one (XDG_DATA_HOME; Linux and macOS)."""
    home = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    return home


async def export(pilot: Pilot[None], path: Path | None = None) -> Path:
    """Press x, optionally type another path, press enter; the path written."""
    await pilot.press("x")
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportScreen)
    box = dialog.query_one("#export-path", Input)
    if path is not None:
        box.value = str(path)
    written = Path(box.value)
    await pilot.press("enter")
    await settle(pilot)
    return written


def test_exports_go_to_the_data_folder_named_for_what_they_hold_and_the_folder_is_remembered(
    small_db: Path, data_home: Path, tmp_path: Path
) -> None:
    exports = data_home / "rulecompare" / "exports"
    elsewhere = tmp_path / "my-exports"
    state = tmp_path / "state"

    async def first_run(pilot: Pilot[None], app: RulecompareApp) -> None:
        written = await export(pilot)
        assert written.parent == exports
        assert re.fullmatch(f"compare-usafta-vs-top-en{STAMP}", written.name), written.name
        assert written.is_file() and not list(tmp_path.glob("*.csv"))  # nothing in the working directory
        # The nearest articles of an article: named by the agreement and the article's number.
        await open_article(pilot, app, ATLANTIS, "1110")
        await pilot.press("n")
        await settle(pilot)
        written = await export(pilot, elsewhere / "nearest.csv")
        nearest = pd.read_csv(written)
        assert nearest["query"].iloc[0] == f"{ATLANTIS} ARTICLE 1110 Expropriation and Compensation"
        assert nearest["agreement_id"].iloc[0] == OCEANIC

    async def second_run(pilot: Pilot[None], app: RulecompareApp) -> None:
        await open_article(pilot, app, ATLANTIS, "1110")
        await pilot.press("x")
        suggestion = Path(app.screen.query_one("#export-path", Input).value)
        # The folder last written to, remembered; the name says which article.
        assert suggestion.parent == elsewhere
        assert re.fullmatch(f"usafta-art-1110{STAMP}", suggestion.name), suggestion.name

    drive(make_app(small_db, compare=(ATLANTIS, OCEANIC), state_dir=state), first_run)
    assert (state / "tui.json").is_file()
    drive(make_app(small_db, state_dir=state), second_run)


def test_search_export_carries_the_whole_clause(small_db: Path, tmp_path: Path) -> None:
    with Store(small_db, readonly=True) as store:
        texts = store.clauses(columns=["id", "text"]).set_index("id")["text"]

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        await pilot.press("ctrl+f")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#query", Input).value = "expropriation"
        await settle(pilot)
        await pilot.press("enter")
        written = await export(pilot)
        assert re.fullmatch(f"search-expropriation{STAMP}", written.name), written.name
        hits = pd.read_csv(written)
        assert len(hits) == len(screen.results) >= 2
        assert list(hits["text"]) == [texts[c] for c in hits["clause_id"]]
        assert hits["snippet"].str.contains("«").all()
        assert all(len(t) > len(s) for t, s in zip(hits["text"], hits["snippet"], strict=True))

    drive(make_app(small_db, export_dir=tmp_path), steps)


@pytest.mark.parametrize("suffix", ["xlsx", "tsv", "txt"])
def test_the_suffix_chooses_the_format_and_a_workbook_says_what_it_holds(
    small_db: Path, tmp_path: Path, suffix: str
) -> None:
    """The formats the CLI writes: .tsv and .xlsx (with an "about" sheet naming the comparison and the
    store); a suffix that names none gets CSV."""

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        written = await export(pilot, tmp_path / f"compare.{suffix}")
        screen = app.screen
        assert not isinstance(screen, ExportScreen) and written.is_file()
        frame = getattr(screen, "view").frame  # noqa: B009  (the Compare screen's rows)
        if suffix == "xlsx":
            sheets = pd.read_excel(written, sheet_name=None)
            assert list(sheets) == ["data", "about"]
            back = sheets["data"]
            about = " ".join(sheets["about"].astype(str).to_numpy().ravel())
            assert "USAFTA × TOP (en)" in about or "Trans-Oceanic" in about
            assert str(small_db) in about
        else:
            back = pd.read_csv(written, sep="\t" if suffix == "tsv" else ",")
        assert len(back) == len(frame)
        assert list(back["a_clause"].fillna("")) == list(frame["a_clause"].fillna(""))

    drive(make_app(small_db, compare=(ATLANTIS, OCEANIC), export_dir=tmp_path), steps)
