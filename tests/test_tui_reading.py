"""Reading in the TUI: colours that pass WCAG AA, clipped clauses that say so and expand, each side quoted
exactly on every rendering path (clipped, expanded, stacked, exported), full titles, telling rows apart.

Most tests run on the small store of ``tui_helpers`` (seconds); the exact-quote property is also checked
on every aligned pair of NAFTA x TPP in the real corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import Color
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, Tree
from tui_helpers import ATLANTIS, OCEANIC, OCEANIC_ES, build_tui_store, drive, make_app, open_article, settle

from rulecompare.overlap import word_diff
from rulecompare.overlap.diff import Side
from rulecompare.store import Store
from rulecompare.tui import RulecompareApp, data
from rulecompare.tui.messages import OpenMatrix
from rulecompare.tui.screens.compare import CompareScreen
from rulecompare.tui.screens.matrix import MatrixScreen
from rulecompare.tui.widgets.diff import DELETED, INSERTED, clipped_side, line_count, more_line
from rulecompare.tui.widgets.heatmap import Heatmap, contrast

AA = 4.5
"""WCAG 2.x level AA: the least contrast for normal text."""


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tui_store(tmp_path_factory.mktemp("tui-reading") / "small.db")


def unmark(text: str, side: Side) -> str:
    start, end = (re.escape(m) for m in data.MARKS[side])
    return re.sub(f"{start}(.*?){end}", r"\1", text, flags=re.S)


# -- contrast ---------------------------------------------------------------------------------------


def _rows_lines(table: DataTable[object]) -> dict[int, list[int]]:
    """Screen lines of the table (y within the widget) for each visible row."""
    out: dict[int, list[int]] = {}
    y = 1 if table.show_header else 0
    offset = int(table.scroll_y)
    for row_index, row in enumerate(table.ordered_rows):
        for _ in range(row.height):
            line = y - offset
            if 0 < line < table.size.height:
                out.setdefault(row_index, []).append(line)
            y += 1
    return out


def test_marked_words_pass_wcag_aa_on_the_cursor_row_and_the_others(small_db: Path) -> None:
    """Inserted words on the highlighted row were light green on green (about 1.2:1)."""
    checked: dict[str, list[float]] = {"cursor": [], "other": []}

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.view is not None
        table = screen.query_one("#compare-table", DataTable)
        rows = screen.view.rows
        # The cursor on a pair with marked words on both sides, with rows of every kind in view.
        only_a = next(i for i, r in enumerate(rows) if r.kind == "a" and i > screen.view.first_pair)
        target = max(i for i, r in enumerate(rows[:only_a]) if r.kind == "pair" and r.differs)
        screen._goto(target)  # the row at the top, the rows after it in view
        await pilot.pause()
        kinds = {rows[i].kind for i in _rows_lines(table)}
        assert kinds >= {"pair", "a"}
        marked_styles = 0
        for i, lines in _rows_lines(table).items():
            where = "cursor" if i == table.cursor_row else "other"
            for y in lines:
                for seg in table.render_line(y):
                    if not seg.text.strip() or seg.style is None:
                        continue
                    fg, bg = seg.style.color, seg.style.bgcolor
                    assert isinstance(fg, Color) and isinstance(bg, Color), seg
                    ratio = contrast(fg, bg)
                    checked[where].append(ratio)
                    assert ratio >= AA, (where, seg.text, fg, bg, ratio)
                    marked_styles += bg.triplet is not None and bg.triplet.hex in ("#5fd75f", "#8b1a1a")
        assert marked_styles > 0  # marked words were among the segments checked

    drive(make_app(small_db, compare=(ATLANTIS, OCEANIC)), steps, size=(160, 45))
    assert checked["cursor"] and checked["other"]


def test_the_diff_colours_themselves_pass() -> None:
    for style in (DELETED, INSERTED):
        fg, _, bg = style.removeprefix("bold ").partition(" on ")
        assert contrast(Color.parse(fg), Color.parse(bg)) >= 7  # AAA, whatever is around them


# -- clipping and expanding -------------------------------------------------------------------------


SIDE_TEXTS = st.lists(
    st.sampled_from(["Each", "Party", "shall", "(a)", "investments,", "日本", "\n", " ", "  "])
)


@settings(max_examples=200, deadline=None)
@given(SIDE_TEXTS, SIDE_TEXTS, st.integers(8, 50), st.integers(2, 12))
def test_a_clipped_side_quotes_a_prefix_and_says_how_much_is_hidden(
    a_words: list[str], b_words: list[str], width: int, max_lines: int
) -> None:
    a, b = " ".join(a_words), " ".join(b_words)
    d = word_diff(a, b)
    for side, text, style in (("a", a, DELETED), ("b", b, INSERTED)):
        pieces = data.diff_pieces(d, side)  # type: ignore[arg-type]
        shown = clipped_side("ART 1", pieces, changed_style=style, width=width, max_lines=max_lines)
        plain = shown.text.plain
        assert line_count(plain, width) == shown.lines
        if not shown.hidden:
            assert plain == f"ART 1\n{text}" and shown.shown == len(text)
            continue
        if shown.shown:
            assert shown.lines <= max_lines
            body, _, marker = plain.removeprefix("ART 1\n").rpartition("\n")
        else:  # no word fitted: the header, then the marker
            body, marker = "", plain.removeprefix("ART 1\n")
        assert marker == more_line(shown.hidden, width)
        assert body == text[: shown.shown] and shown.shown < len(text)


def test_long_clause_is_clipped_with_a_marker_and_expands(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.view is not None
        rows = screen.view.rows
        long_row = next(i for i, r in enumerate(rows) if "Transparency" in r.a_where)
        screen._goto(long_row)
        await pilot.pause()
        table = screen.query_one("#compare-table", DataTable)
        a, b = screen.shown[long_row]
        assert a is not None and b is not None and a.hidden and b.hidden
        height = table.ordered_rows[long_row].height
        a_text = "".join(run for _, run in rows[long_row].a_pieces)
        assert a.text.plain.startswith(rows[long_row].a_where + "\n" + a_text[: a.shown])
        assert a.text.plain.endswith(more_line(a.hidden))
        await pilot.press("e")
        a, b = screen.shown[long_row]
        assert a is not None and not a.hidden and a.text.plain == f"{rows[long_row].a_where}\n{a_text}"
        assert table.ordered_rows[long_row].height > height and table.cursor_row == long_row
        cell = table.get_cell_at(Coordinate(long_row, 0))
        assert isinstance(cell.plain, str) and cell.plain.endswith(a_text)
        await pilot.press("e")
        assert table.ordered_rows[long_row].height == height
        assert screen.shown[long_row][0] is not None and screen.shown[long_row][0].hidden  # type: ignore[union-attr]

    drive(make_app(small_db, compare=(ATLANTIS, OCEANIC)), steps, size=(100, 30))


def test_narrow_compare_stacks_a_over_b_each_quoted_exactly(small_db: Path) -> None:
    with Store(small_db, readonly=True) as store:
        texts = store.clauses([ATLANTIS, OCEANIC], columns=["id", "text"]).set_index("id")["text"]

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.view is not None
        table = screen.query_one("#compare-table", DataTable)
        assert [str(c.value) for c in table.columns] == ["score", "text"]
        assert screen.has_class("-stacked")
        await pilot.pause(0.3)  # every batch of rows is in
        for i, row in enumerate(screen.view.rows):
            cell = table.get_cell_at(Coordinate(i, 1)).plain
            top, sep, bottom = cell.partition("\nB · ")
            assert sep and top.startswith("A · ")
            for shown, clause, where in (
                (top[4:], row.a_clause, row.a_where),
                (bottom, row.b_clause, row.b_where),
            ):
                if clause is None:
                    assert shown.startswith("(no counterpart")
                    continue
                body = shown.removeprefix(where + "\n")
                if body.endswith("(e shows all)"):
                    body = body.rpartition("\n")[0]
                    assert texts[clause].startswith(body) and len(body) < len(texts[clause])
                else:
                    assert body == texts[clause]

    drive(make_app(small_db, compare=(ATLANTIS, OCEANIC)), steps, size=(80, 24))


def test_compare_export_quotes_each_side_exactly_and_marks_the_differences(small_db: Path) -> None:
    with Store(small_db, readonly=True) as store:
        view = data.compare(store, ATLANTIS, OCEANIC)
        texts = store.clauses([ATLANTIS, OCEANIC], columns=["id", "text"]).set_index("id")["text"]
    frame = view.frame
    assert len(frame) == len(view.rows)
    for r in frame.itertuples():
        for side in ("a", "b"):
            clause, text, marks = (getattr(r, f"{side}_{k}") for k in ("clause", "text", "marked"))
            if not isinstance(clause, str):
                assert pd.isna(marks)
                continue
            assert text == texts[clause] and unmark(marks, side) == text
    changed = frame[frame["row"] == "aligned"]
    assert changed["b_marked"].str.contains(re.escape("{+")).any()
    assert changed["a_marked"].str.contains(re.escape("[-")).any()


# -- full titles, rows that can be told apart --------------------------------------------------------


def test_tree_detail_line_gives_the_full_title(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        screen = await open_article(pilot, app, ATLANTIS, "1111")
        tree = screen.query_one("#outline", Tree)
        detail = str(screen.query_one("#outline-detail", Static).render())
        title = "ARTICLE 1111 Special Formalities and Information Requirements"
        assert tree.cursor_node is not None and tree.cursor_node.label.plain.startswith(title)  # type: ignore[union-attr]
        assert tree.size.width < len(title) + 10  # the tree cuts it ...
        assert title in " ".join(detail.split())  # ... the detail line does not
        assert "Investment" in detail

    drive(make_app(small_db), steps, size=(80, 24))


def test_matrix_rows_name_language_and_chapter(small_db: Path) -> None:
    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenMatrix((ATLANTIS, OCEANIC, OCEANIC_ES), "three"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        assert screen.labels == [
            "United States - Atlantis Free Trade Agreement (USAFTA)",
            "Trans-Oceanic Partnership (English)",
            "Trans-Oceanic Partnership (Spanish)",
        ]
        await pilot.press("l")  # chapter level
        await settle(pilot)
        assert screen.labels == [
            "USAFTA · Preamble",
            "USAFTA · Ch 11 Investment",
            "USAFTA · Ch 3 Trade in Goods",
            "TOP (en) · Preamble",
            "TOP (en) · Ch 9 Investment",
            "TOP (en) · Ch 2 Trade in Goods",
            "TOP (es) · Ch 9 Inversión",
        ]
        assert len(set(screen.labels)) == len(screen.labels)

    drive(make_app(small_db), steps)


def test_narrow_matrix_rows_keep_what_tells_them_apart(small_db: Path) -> None:
    """At 80 columns "Trans-Oceanic Partnership (English)" was cut to "Trans-Oceanic Partnership…" on two
    rows; a label too long for the column is now the short name, and the pair line fits three lines."""

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenMatrix((ATLANTIS, OCEANIC, OCEANIC_ES), "three"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        grid = screen.query_one("#matrix-grid", Heatmap)
        shown = [grid.labels[i] for i in range(3)]
        assert shown == ["USAFTA", "TOP (en)", "TOP (es)"]
        await pilot.press("down", "right")
        pair = str(screen.query_one("#matrix-pair", Static).render())
        assert "Trans-Oceanic Partnership (English)" in pair and "Trans-Oceanic Partnership (Spanish)" in pair
        assert "baseline" in pair and "agreement units" not in pair  # how it is computed: in the help
        assert len(pair.splitlines()) == 2 and all(len(line) <= 80 for line in pair.splitlines()[1:])
        summary = str(screen.query_one("#matrix-summary", Static).render())
        assert len(summary) <= 78 and "baseline" in summary

    drive(make_app(small_db), steps, size=(80, 24))


def test_matrix_scrolls_sideways_by_whole_columns(sample_db: Path, sample_store: Store) -> None:
    """Scrolled sideways, the Matrix left a column half under the row labels (".576" read "576")."""
    ids = tuple(sample_store.agreements()["id"])

    async def steps(pilot: Pilot[None], app: RulecompareApp) -> None:
        app.post_message(OpenMatrix(ids, "twelve"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        grid = screen.query_one("#matrix-grid", Heatmap)
        step = grid.ordered_columns[0].get_render_width(grid)
        room = grid.scrollable_content_region.width - grid.label_width
        # The grid does not fit in 85 columns and has to scroll; it takes the width of a whole number
        # of columns (85 would leave 61 cells: 8 columns and 5 cells of a ninth, cut at the left
        # once scrolled to the last).
        assert room < step * len(ids) and room % step == 0
        for key in ["right"] * (len(ids) - 1) + ["left"] * (len(ids) - 1):
            await pilot.press(key)
            await pilot.pause()
            first = grid.scroll_x / step
            # The first column in view is whole, and the cursor's column is in view.
            assert first == int(first), (key, grid.scroll_x)
            assert first <= grid.cursor_column < first + room // step
        assert grid.cursor_column == 0 and grid.scroll_x == 0

    drive(make_app(sample_db), steps, size=(85, 24))
