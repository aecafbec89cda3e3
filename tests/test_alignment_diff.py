"""Alignment as data: diff operations tile both clause texts, and every front shows each side's own text.

Hypothesis checks the operations and the two fronts' rendering functions on
random texts (punctuation, runs of spaces, line breaks, tabs, unicode); the
real corpus checks them on every aligned pair of five agreement pairs, and
that one-sided alignments (no pair at all) come back as rows, not errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel
from rich.console import Console
from rich.text import Text

from rulecompare.catalog import resolve
from rulecompare.cli.overlap import MARKS, marked, side_columns
from rulecompare.features import normalize
from rulecompare.model import Agreement, Clause, ParsedAgreement
from rulecompare.overlap import Alignment, ClauseDiff, align, in_place_order, word_diff
from rulecompare.overlap.diff import Side
from rulecompare.store import Store
from rulecompare.tui import data
from rulecompare.tui.widgets.diff import DELETED, INSERTED, line_count, side

# -- random texts ----------------------------------------------------------------------------------

TOKENS = st.sampled_from(
    ["the", "The", "Party", "party's", "Party’s", "PARTY'S", "shall", "investments.", "investments,",
     "(a)", "—", "1.", "Article", "日本語", "é", "x", "territory;", "“fair”"]
)  # fmt: skip
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \xa0", " \n ", "\u2003"])
TOKEN_TEXTS = st.builds(
    lambda lead, parts, trail: lead + "".join(t + s for t, s in parts) + trail,
    st.sampled_from(["", " ", "\n "]),
    st.lists(st.tuples(TOKENS, SEPARATORS), max_size=25),
    st.sampled_from(["", " ", "\n"]),
)
# Rich drops these C0 controls from what it displays, so the TUI check leaves them out.
RICH_STRIPS = "\x07\x08\x0b\x0c\r"
TEXTS = st.one_of(TOKEN_TEXTS, st.text(max_size=80))
SHOWN_TEXTS = st.one_of(
    TOKEN_TEXTS, st.text(alphabet=st.characters(exclude_characters=RICH_STRIPS, codec="utf-8"), max_size=80)
)


def old_word_diff(a: str, b: str) -> tuple[str, str, str]:
    """The deleted, inserted and inline columns as the first version computed them (plain reference)."""
    wa, wb = a.split(), b.split()
    deleted, inserted, inline = [], [], []
    for op in Indel.opcodes([normalize(w) for w in wa], [normalize(w) for w in wb]):
        if op.tag == "equal":
            inline.append(" ".join(wa[op.src_start : op.src_end]))
        if op.tag in ("delete", "replace"):
            run = " ".join(wa[op.src_start : op.src_end])
            deleted.append(run)
            inline.append(f"[-{run}-]")
        if op.tag in ("insert", "replace"):
            run = " ".join(wb[op.dest_start : op.dest_end])
            inserted.append(run)
            inline.append(f"{{+{run}+}}")
    return " … ".join(deleted), " … ".join(inserted), " ".join(inline)


def unmark(rendered: str, side_: Side) -> str:
    """The CLI's marked text with its markers taken out."""
    start, end = (re.escape(m) for m in MARKS[side_])
    return re.sub(f"{start}(.*?){end}", r"\1", rendered, flags=re.S)


def check_tiles(d: ClauseDiff) -> None:
    sides: tuple[tuple[Side, str], ...] = (("a", d.a), ("b", d.b))
    for side_, text in sides:
        spans = [(o.a_start, o.a_end) if side_ == "a" else (o.b_start, o.b_end) for o in d.ops]
        if not text:
            assert all(s == e == 0 for s, e in spans)
            continue
        assert spans[0][0] == 0 and spans[-1][1] == len(text)
        assert all(e == s2 for (_, e), (s2, _) in zip(spans, spans[1:], strict=False))
        assert "".join(text[s:e] for s, e in spans) == text
        assert "".join(run for _, run in d.pieces(side_)) == text


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_operations_tile_both_texts_and_pair_equal_words(a: str, b: str) -> None:
    d = word_diff(a, b)
    check_tiles(d)
    for o in d.ops:
        wa, wb = a[o.a_start : o.a_end].split(), b[o.b_start : o.b_end].split()
        if o.tag == "equal":
            assert [normalize(w) for w in wa] == [normalize(w) for w in wb]
        if o.tag == "delete":
            assert wa and not wb
        if o.tag == "insert":
            assert wb and not wa
    # Changed runs are exactly the words of deletes (A) and inserts (B), never whitespace.
    cases: tuple[tuple[Side, tuple[str, ...], str], ...] = (
        ("a", ("delete", "replace"), a),
        ("b", ("insert", "replace"), b),
    )
    for side_, tags, text in cases:
        spans = [
            (o.a_start, o.a_end) if side_ == "a" else (o.b_start, o.b_end) for o in d.ops if o.tag in tags
        ]
        words = [w for s, e in spans for w in text[s:e].split()]
        changed = [run for is_changed, run in d.pieces(side_) if is_changed]
        assert all(run and run == run.strip() for run in changed)
        assert " ".join(changed).split() == words
    assert (d.deleted, d.inserted, d.inline) == old_word_diff(a, b)


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_identical_texts_differ_nowhere(a: str) -> None:
    d = word_diff(a, a)
    assert not d.differs and all(not changed for changed, _ in d.pieces("a") + d.pieces("b"))
    assert ClauseDiff.from_array(a, a, d.op_array()) == d


@settings(max_examples=200, deadline=None)
@given(SHOWN_TEXTS, SHOWN_TEXTS, st.sampled_from(["", "ARTICLE 1102 National Treatment ¶1"]))
def test_tui_side_shows_each_text_exactly(a: str, b: str, header: str) -> None:
    d = word_diff(a, b)
    sides: tuple[tuple[Side, str, str], ...] = (("a", a, DELETED), ("b", b, INSERTED))
    for side_, text, style in sides:
        shown = side(header, data.diff_pieces(d, side_), changed_style=style)
        assert shown.plain == (header + "\n" if header else "") + text
        # The styled spans cover exactly the changed runs.
        styled = "".join(shown.plain[s.start : s.end] for s in shown.spans if s.style == style)
        assert styled == "".join(run for changed, run in d.pieces(side_) if changed)


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS)
def test_cli_marked_text_is_each_text_exactly(a: str, b: str) -> None:
    if any(m in t for t in (a, b) for pair in MARKS.values() for m in pair):
        return  # markers inside the text itself cannot be told from the CLI's
    d = word_diff(a, b)
    assert unmark(marked(d, "a"), "a") == a
    assert unmark(marked(d, "b"), "b") == b


def test_the_inline_diff_misquoted_b_and_the_pieces_do_not() -> None:
    a = "shall accord to investments of investors of another Party.\n  treatment no less favourable"
    b = "shall accord to covered investments, treatment no less favourable"
    d = word_diff(a, b)
    assert d.inline.startswith("shall accord to {+covered+} investments [-of investors")
    assert "".join(run for _, run in d.pieces("b")) == b
    assert marked(d, "b") == "shall accord to {+covered+} investments, treatment no less favourable"
    assert marked(d, "a") == (
        "shall accord to investments [-of investors of another Party.-]\n  treatment no less favourable"
    )


# -- Rich's wrap, followed by line_count ------------------------------------------------------------

WRAP_TEXTS = st.lists(st.sampled_from([*"ab é日 \t\n\xa0—", "abcdefghijklmnop"]), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(WRAP_TEXTS, st.integers(1, 40))
def test_line_count_follows_richs_wrap(text: str, width: int) -> None:
    console = Console(width=200)
    assert line_count(text, width) == len(Text(text).wrap(console, width))


# -- reading order ----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 12), st.integers(0, 12), st.data())
def test_in_place_order_keeps_both_documents_in_order(n_a: int, n_b: int, draw: st.DataObject) -> None:
    k = draw.draw(st.integers(0, min(n_a, n_b)))
    pa = sorted(draw.draw(st.permutations(range(n_a)))[:k])
    pb = draw.draw(st.permutations(range(n_b)))[:k]
    rest_a = [i for i in range(n_a) if i not in pa]
    rest_b = [i for i in range(n_b) if i not in pb]
    status = ["aligned"] * k + ["only_a"] * len(rest_a) + ["only_b"] * len(rest_b)
    a_pos = [*pa, *rest_a, *[np.nan] * len(rest_b)]
    b_pos = [*pb, *[np.nan] * len(rest_a), *rest_b]
    order = in_place_order(a_pos, b_pos, status)
    assert sorted(order) == list(range(len(status)))
    shown_a = [a_pos[i] for i in order if status[i] != "only_b"]
    assert shown_a == sorted(shown_a)
    # Each B-only clause follows the aligned pair with the nearest B clause before it (the top
    # when there is none), and B-only clauses in one place keep B's order.
    last_pair_b: float | None = None
    last_only_b = -1.0
    for i in order:
        if status[i] == "aligned":
            last_pair_b, last_only_b = b_pos[i], -1.0
        elif status[i] == "only_b":
            before = [p for p in pb if p < b_pos[i]]
            assert last_pair_b == (max(before) if before else None)
            assert b_pos[i] > last_only_b
            last_only_b = b_pos[i]


# -- constructed stores: empty sides and the cache ---------------------------------------------------


def _put(store: Store, aid: str, texts: list[str], *, sha: str = "00") -> None:
    clauses = tuple(
        Clause(
            id=f"{aid}/{k}/1",
            agreement_id=aid,
            chapter_index=0,
            chapter_number="1",
            chapter_title="Goods",
            article_index=k,
            article_number=str(k + 1),
            article_title=None,
            paragraph="1",
            order=k,
            text=t,
            area="trade_in_goods",
        )  # fmt: skip
        for k, t in enumerate(texts)
    )
    store.put(
        ParsedAgreement(Agreement(id=aid, name=aid), clauses), path=f"{aid}.txt", sha256=sha, parser="t"
    )


TEXT_1 = "Each Party shall accord national treatment to the goods of the other Party."
TEXT_2 = "Each Party shall eliminate its customs duties on originating goods."


def test_one_sided_and_empty_alignments_are_rows(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    _put(store, "t:1", [TEXT_1, TEXT_2])
    _put(store, "t:2", ["Nada que ver con los textos anteriores, en castellano."])
    _put(store, "t:0", [])
    for a, b, n_a, n_b in [
        ("t:1", "t:2", 2, 1),
        ("t:2", "t:1", 1, 2),
        ("t:1", "t:0", 2, 0),
        ("t:0", "t:0", 0, 0),
    ]:
        al = align(store, a, b)
        assert al.pairs.empty and (len(al.only_a), len(al.only_b)) == (n_a, n_b)
        rows = al.in_place()
        assert list(rows["status"]) == ["only_b"] * n_b + ["only_a"] * n_a
        assert (rows["pair"] == -1).all() and list(rows.columns[-2:]) == ["status", "pair"]
        view = data.compare(store, a, b)
        assert [r.kind for r in view.rows] == ["b"] * n_b + ["a"] * n_a
    al = align(store, "t:1", "t:1", area="services")  # an area neither has
    assert al.frame().empty and al.in_place().empty


def test_cached_alignment_is_reused_and_dropped_with_its_agreement(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    _put(store, "t:1", [TEXT_1, TEXT_2])
    _put(store, "t:2", [TEXT_1.replace("national", "the"), "Something else entirely, unrelated to goods."])
    key = "align|t:1|t:2|*|0.3|mono"
    fresh = align(store, "t:1", "t:2", cache=True)
    assert store.db.execute("SELECT count(*) FROM cache WHERE key = ?", (key,)).fetchone()[0] == 1
    again = align(store, "t:1", "t:2", cache=True)
    assert again.diffs == fresh.diffs and (again.order == fresh.order).all()
    pd.testing.assert_frame_equal(again.in_place(), fresh.in_place())
    # A poisoned entry under the right digest is served: proof that the cache is read.
    digest = store.db.execute("SELECT digest FROM cache WHERE key = ?", (key,)).fetchone()[0]
    poisoned = Alignment(**{**fresh.__dict__, "min_score": 0.99})
    store.cache_put(key, digest, poisoned.to_bytes())
    assert align(store, "t:1", "t:2", cache=True).min_score == 0.99
    assert align(store, "t:1", "t:2").min_score == 0.3  # without cache: computed
    # Re-ingesting either agreement drops the entry; the new text is aligned.
    _put(store, "t:2", [TEXT_1, "Something else entirely, unrelated to goods."], sha="01")
    assert store.db.execute("SELECT count(*) FROM cache WHERE key = ?", (key,)).fetchone()[0] == 0
    new = align(store, "t:1", "t:2", cache=True)
    assert new.min_score == 0.3 and new.pairs["score"].iloc[0] == 1.0


# -- the real corpus --------------------------------------------------------------------------------

PAIRS = [
    ("tota:112", "tota:449"),  # NAFTA x TPP
    ("us-peru", "tpp"),
    ("china-korea", "korus"),
    ("eu-korea", "korus"),
    ("rcep", "china-asean"),
]


@pytest.fixture(scope="module")
def corpus_store(full_db: Path) -> Iterator[Store]:
    """The whole default corpus (the run's shared store; the tests add only cached alignments to it).
    Every pair resolves to ToTA texts but RCEP, which is the PDF."""
    with Store(full_db) as store:
        yield store


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_every_aligned_pair_is_shown_as_written(corpus_store: Store, a: str, b: str) -> None:
    meta = corpus_store.agreements()
    ia, ib = resolve(a, meta), resolve(b, meta)
    al = align(corpus_store, ia, ib)
    assert len(al.pairs) >= 15
    texts = corpus_store.clauses([ia, ib], columns=["id", "text"]).set_index("id")["text"]
    # The library: each pair's operations tile both clause texts.
    for d, ta, tb in zip(al.diffs, al.pairs["a_text"], al.pairs["b_text"], strict=True):
        assert (d.a, d.b) == (ta, tb)
        check_tiles(d)
    # The CLI's rendering: marked texts, markers taken out, are the clause texts.
    frame = al.in_place()
    a_cells, b_cells = side_columns(frame, al.diffs)
    for cell_a, cell_b, ca, cb, status in zip(
        a_cells, b_cells, frame["a_clause"], frame["b_clause"], frame["status"], strict=True
    ):
        if status == "aligned":
            assert unmark(cell_a, "a") == texts[ca] and unmark(cell_b, "b") == texts[cb]
    # The TUI's rendering: each side of each row, after its header, is the clause text.
    view = data.compare(corpus_store, ia, ib)
    assert len(view.rows) == len(frame)
    for row in view.rows:
        for clause, where, pieces, style in (
            (row.a_clause, row.a_where, row.a_pieces, DELETED),
            (row.b_clause, row.b_where, row.b_pieces, INSERTED),
        ):
            if clause is not None:
                assert side(where, pieces, changed_style=style).plain == f"{where}\n{texts[clause]}"


def test_nafta_tpp_investment_quotes_tpp_as_tpp_writes_it(corpus_store: Store) -> None:
    """The inline diff quoted TPP with NAFTA's punctuation ("of investments. in its territory.")."""
    al = align(corpus_store, "tota:112", "tota:449", area="investment")
    misquoted = 0
    for d in al.diffs:
        # What the first version showed as B: the inline diff's shared and inserted words.
        old_b = re.sub(r"\[-.*?-\]", "", d.inline).replace("{+", "").replace("+}", "")
        misquoted += " ".join(old_b.split()) != " ".join(d.b.split())
        assert "".join(run for _, run in data.diff_pieces(d, "b")) == d.b
    assert misquoted > 10


def test_nafta_against_spanish_tpp_has_no_pairs_and_shows_every_clause(corpus_store: Store) -> None:
    """`rulecompare tui nafta tota:450` died with an IndexError: nothing aligns with a Spanish text."""
    al = align(corpus_store, "tota:112", "tota:450")
    n_a, n_b = (len(corpus_store.clauses([x], columns=["id"])) for x in ("tota:112", "tota:450"))
    assert len(al.pairs) + len(al.only_a) == n_a and len(al.pairs) + len(al.only_b) == n_b
    view = data.compare(corpus_store, "tota:112", "tota:450")
    assert len(view.rows) == n_a + n_b - len(al.pairs)
    shown_a = [r.a_clause for r in view.rows if r.a_clause]
    assert shown_a == corpus_store.clauses(["tota:112"], columns=["id"])["id"].tolist()
    # One side without any clause of an area: the other side's clauses, one-sided.
    only_tpp = align(corpus_store, "tota:112", "tota:449", area="e_commerce")
    assert only_tpp.pairs.empty and only_tpp.only_a.empty and len(only_tpp.only_b) > 10
    assert list(only_tpp.in_place()["status"].unique()) == ["only_b"]
