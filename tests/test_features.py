"""The fast shingling and measures against plain Python sets (Hypothesis) and small exact cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulecompare import features as F

# Words from a small vocabulary make shared runs likely; free unicode text covers the odd characters.
WORDS = st.sampled_from(
    ["the", "Party", "shall", "treatment", "no", "less", "favourable", "Article", "12", "é", "’s", "—"]
)
SENTENCES = st.lists(WORDS, max_size=40).map(" ".join)
TEXTS = st.one_of(SENTENCES, st.text(max_size=60), st.text(alphabet="ab 1.", max_size=12))


def ref_shingles(text: str) -> set[str]:
    t = F.normalize(text)
    return {t[i : i + 5] for i in range(len(t) - 4)}


def ref_jaccard(a: str, b: str) -> float:
    sa, sb = ref_shingles(a), ref_shingles(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def ref_containment(a: str, b: str) -> float:
    sa, sb = ref_shingles(a), ref_shingles(b)
    return len(sa & sb) / len(sa) if sa else 0.0


def ref_copied(a: str, b: str, n: int = 6) -> float:
    wa, wb = F.normalize(a).split(), F.normalize(b).split()
    grams = {tuple(wb[i : i + n]) for i in range(len(wb) - n + 1)}
    covered: set[int] = set()
    for i in range(len(wa) - n + 1):
        if tuple(wa[i : i + n]) in grams:
            covered.update(range(i, i + n))
    return len(covered) / len(wa) if wa else 0.0


def test_normalize_documented_examples() -> None:
    assert F.normalize("  Article 12.3 — the Party’s “ﬁne” ÉTÉ ß ") == "article 0 0 the party s fine été ss"
    assert F.normalize("Article 1205") == F.normalize("ARTICLE 7") == "article 0"
    assert F.normalize("") == "" and F.normalize(" \t\n ") == ""


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_normalize_idempotent_and_bulk_equal(text: str) -> None:
    once = F.normalize(text)
    assert F.normalize(once) == once
    assert "  " not in once and once == once.strip()


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=5))
def test_bulk_codes_equal_plain_normalize(texts: list[str]) -> None:
    assert F.decode_codes(F.normalized_codes(texts)) == [F.normalize(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_hashed_shingles_equal_key_of_plain_shingles(text: str) -> None:
    expected = sorted(F.shingle_key(s) for s in ref_shingles(text))
    assert F.text_shingles(text).tolist() == expected
    assert F.shingles(text) == ref_shingles(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_measures_equal_set_reference(a: str, b: str) -> None:
    assert F.jaccard(a, b) == ref_jaccard(a, b)
    assert F.jaccard(a, b) == F.jaccard(b, a)
    assert F.containment(a, b) == ref_containment(a, b)
    assert 0.0 <= F.containment(a, b) <= 1.0
    assert F.copied_share(a, b) == pytest.approx(ref_copied(a, b), abs=1e-12)
    assert 0.0 <= F.copied_share(a, b) <= 1.0


@settings(max_examples=100, deadline=None)
@given(SENTENCES)
def test_identical_and_disjoint(text: str) -> None:
    if len(ref_shingles(text)):
        assert F.jaccard(text, text) == 1.0 and F.containment(text, text) == 1.0
    assert F.jaccard(text, "日本語のテキストです") == 0.0
    if len(F.normalize(text).split()) >= 6:
        assert F.copied_share(text, text) == 1.0


def test_short_and_empty_texts_have_no_shingles() -> None:
    assert F.text_shingles("").size == 0 and F.text_shingles("abcd").size == 0
    assert F.text_shingles("abcde").size == 1
    assert F.jaccard("", "") == 0.0 and F.containment("", "abcdef") == 0.0 and F.copied_share("", "x") == 0.0


def test_non_latin_shingles_keys() -> None:
    # Greek is packed exactly (flag bit 62), CJK is hashed (flag bit 63).
    assert F.shingle_key("αβγδε") >> 62 == 1
    assert F.shingle_key("日本語のテ") >> 63 == 1
    assert F.jaccard("日本語のテキスト", "日本語のテキスト") == 1.0


def test_copied_share_runs_need_six_words() -> None:
    a = "one two three four five six seven"
    assert F.copied_share(a, "zero one two three four five six eight") == pytest.approx(6 / 7)
    assert F.copied_share(a, "one two three four five") == 0.0
    # Runs never span two clauses.
    assert F.copied_share(["one two three", "four five six"], "one two three four five six") == 0.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(TEXTS, st.integers(0, 3)), min_size=1, max_size=8))
def test_unit_sets_are_unions_of_text_sets(items: list[tuple[str, int]]) -> None:
    texts = [t for t, _ in items]
    units = np.array([u for _, u in items])
    sets = F.shingle_unit_sets(texts, units, 4)
    for u in range(4):
        expected = set().union(*(ref_shingles(t) for t, v in items if v == u))
        assert sets.row(u).tolist() == sorted(F.shingle_key(s) for s in expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXTS, max_size=6), st.data())
def test_unit_sets_take_union_and_concat(texts: list[str], data: st.DataObject) -> None:
    sets = F.shingle_unit_sets(texts, np.arange(len(texts)), len(texts))
    rows = data.draw(st.lists(st.integers(0, max(len(texts) - 1, 0)), max_size=8)) if texts else []
    taken = sets.take(rows)
    assert [taken.row(i).tolist() for i in range(len(rows))] == [sets.row(r).tolist() for r in rows]
    union = taken.union()
    assert len(union) == 1
    assert union.row(0).tolist() == sorted({k for r in rows for k in sets.row(r).tolist()})
    both = F.UnitSets.concat([sets, taken])
    assert len(both) == len(texts) + len(rows)
    assert [both.row(i).tolist() for i in range(len(both))] == [
        *(sets.row(i).tolist() for i in range(len(texts))),
        *(sets.row(r).tolist() for r in rows),
    ]
