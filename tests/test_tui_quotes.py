"""The exact-quote property on every rendering path of Compare, for every aligned pair of five real
agreement pairs: a clipped side quotes a prefix of its clause exactly and says what it leaves out, an
expanded side quotes the clause whole, the narrow layout (A over B) quotes both, and the export's
marked texts are the clauses once their marks are taken out.

``tests/test_alignment_diff.py`` checks the side-by-side cell itself on the same pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from rulecompare.catalog import resolve
from rulecompare.overlap.diff import Side
from rulecompare.store import Store
from rulecompare.tui import data
from rulecompare.tui.widgets.diff import DELETED, INSERTED, UNMATCHED, Shown, clipped_side, more_line, stacked

PAIRS = [
    ("tota:112", "tota:449"),  # NAFTA x TPP
    ("us-peru", "tpp"),
    ("china-korea", "korus"),
    ("eu-korea", "korus"),
    ("rcep", "china-asean"),
]
LAYOUTS = [(38, 6), (70, 16)]
"""(text width, lines a side may take) of a narrow and a wide Compare."""


@pytest.fixture(scope="module")
def quotes_store(full_db: Path) -> Iterator[Store]:
    """The whole default corpus (the run's shared store; the tests add only cached alignments to it).
    Every pair resolves to ToTA texts but RCEP, which is the PDF."""
    with Store(full_db) as store:
        yield store


def unmark(text: str, side: Side) -> str:
    start, end = (re.escape(m) for m in data.MARKS[side])
    return re.sub(f"{start}(.*?){end}", r"\1", text, flags=re.S)


def check_side(where: str, pieces: tuple[data.Segment, ...], text: str, style: str) -> tuple[int, int]:
    """Each layout of one side quotes ``text`` exactly; returns how many layouts clipped it, and of those
    how many quoted a non-empty prefix."""
    clipped = prefixes = 0
    for width, lines in LAYOUTS:
        whole = clipped_side(where, pieces, changed_style=style, width=width, max_lines=None)
        assert whole.text.plain == f"{where}\n{text}" and not whole.hidden
        shown = clipped_side(where, pieces, changed_style=style, width=width, max_lines=lines)
        if not shown.hidden:
            assert shown.text.plain == whole.text.plain
            continue
        clipped += 1
        marker = more_line(shown.hidden, width)
        body = shown.text.plain.removeprefix(f"{where}\n").removesuffix(marker).removesuffix("\n")
        assert body == text[: shown.shown] and 0 <= shown.shown < len(text)
        prefixes += shown.shown > 0
    return clipped, prefixes


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_every_rendering_path_quotes_each_clause_exactly(quotes_store: Store, a: str, b: str) -> None:
    meta = quotes_store.agreements()
    ia, ib = resolve(a, meta), resolve(b, meta)
    view = data.compare(quotes_store, ia, ib)
    texts = quotes_store.clauses([ia, ib], columns=["id", "text"]).set_index("id")["text"]
    clipped = prefixes = 0
    for row in view.rows:
        sides: list[Shown | None] = []
        for clause, where, pieces, style in (
            (row.a_clause, row.a_where, row.a_pieces, DELETED if row.kind == "pair" else UNMATCHED),
            (row.b_clause, row.b_where, row.b_pieces, INSERTED if row.kind == "pair" else UNMATCHED),
        ):
            if clause is None:
                sides.append(None)
                continue
            c, p = check_side(where, pieces, str(texts[clause]), style)
            clipped, prefixes = clipped + c, prefixes + p
            sides.append(clipped_side(where, pieces, changed_style=style, width=38, max_lines=None))
        # Narrow: A over B in one cell, each side after its label, whole here.
        cell, _ = stacked(sides[0], sides[1])
        top, sep, bottom = cell.plain.partition("\nB · ")
        assert sep and top.startswith("A · ")
        for shown, clause, where in (
            (top[4:], row.a_clause, row.a_where),
            (bottom, row.b_clause, row.b_where),
        ):
            if clause is None:
                assert shown.startswith("(no counterpart in")
            else:
                assert shown == f"{where}\n{texts[clause]}"
    assert clipped > 10 and prefixes > 10  # long clauses were clipped, and quoted up to the cut
    # The export: each side's text as stored, and its marked text without the marks.
    frame = view.frame
    assert len(frame) == len(view.rows)
    for r in frame.itertuples():
        sides_: tuple[Side, ...] = ("a", "b")
        for side in sides_:
            clause = getattr(r, f"{side}_clause")
            if isinstance(clause, str):
                assert getattr(r, f"{side}_text") == texts[clause]
                assert unmark(getattr(r, f"{side}_marked"), side) == texts[clause]
