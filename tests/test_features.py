"""The fast shingling and measures against plain Python sets (Hypothesis) and small exact cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulecompare import features as F
from rulecompare.model import Agreement, Clause, ParsedAgreement
from rulecompare.store import Store

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


def test_cache_is_used_and_invalidated_when_a_clause_changes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    store = Store(tmp_path / "s.db")
    clauses = pd.DataFrame(
        {"agreement_id": ["x:1", "x:1", "x:2"], "article_index": [0, 1, 0],
         "text": ["National treatment of goods", "Most favoured nation", "Rules of origin"]}
    )  # fmt: skip
    _, first = F.unit_sets(store, clauses, "article")
    key = f"char5|x:1|article|*|{F.VERSION}"
    assert store.db.execute("SELECT count(*) FROM cache WHERE key = ?", (key,)).fetchone()[0] == 1
    # A poisoned cache entry with the right digest is returned as is: proof that the cache is read.
    digest = store.db.execute("SELECT digest FROM cache WHERE key = ?", (key,)).fetchone()[0]
    fake = F.UnitSets(np.array([0, 1, 1]), np.array([7], dtype=np.uint64))
    store.cache_put(key, digest, fake.to_bytes())
    _, again = F.unit_sets(store, clauses, "article")
    assert again.row(0).tolist() == [7]
    changed = clauses.assign(
        text=["National treatment of services", "Most favoured nation", "Rules of origin"]
    )
    _, fresh = F.unit_sets(store, changed, "article")
    assert fresh.row(0).tolist() == F.text_shingles("National treatment of services").tolist()
    assert fresh.row(2).tolist() == first.row(2).tolist()


def _parsed(first_clause: str) -> ParsedAgreement:
    texts = [first_clause, "Most favoured nation", "Rules of origin apply"]
    clauses = tuple(
        Clause(
            id=f"t:1/{k}/1",
            agreement_id="t:1",
            chapter_index=0,
            chapter_number=None,
            chapter_title=None,
            article_index=k // 2,
            article_number=str(k // 2 + 1),
            article_title=None,
            paragraph=str(k),
            order=k,
            text=text,
        )  # fmt: skip
        for k, text in enumerate(texts)
    )
    return ParsedAgreement(Agreement(id="t:1", name="T"), clauses)


def test_stored_agreement_cache_is_read_without_texts_and_tied_to_its_source(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "s.db")
    store.put(_parsed("National treatment of goods"), path="t.xml", sha256="aa", parser="p1")
    cols = ["agreement_id", "article_index"]

    def sets_of(columns: list[str]) -> F.UnitSets:
        return F.unit_sets(store, store.clauses(["t:1"], columns=columns), "article")[1]

    first = sets_of(cols)
    texts = ["National treatment of goods", "Most favoured nation", "Rules of origin apply"]
    expected = F.shingle_unit_sets(texts, np.array([0, 0, 1]), 2)
    assert first.to_bytes() == expected.to_bytes()
    key = f"char5|t:1|article|*|{F.VERSION}"
    digest = store.db.execute("SELECT digest FROM cache WHERE key = ?", (key,)).fetchone()[0]
    fake = F.UnitSets(np.array([0, 1, 1]), np.array([7], dtype=np.uint64))
    store.cache_put(key, digest, fake.to_bytes())
    # The poisoned entry is served with and without the texts: one entry, validated without texts.
    for columns in (cols, [*cols, "text"]):
        assert sets_of(columns).row(0).tolist() == [7]
    # An entry of the wrong shape (another unit count) is never served.
    store.cache_put(key, digest, F.UnitSets(np.array([0, 1]), np.array([7], dtype=np.uint64)).to_bytes())
    assert sets_of(cols).to_bytes() == expected.to_bytes()
    # A new parser version changes the digest.
    store.cache_put(key, digest, fake.to_bytes())
    store.db.execute("UPDATE sources SET parser = 'p2'")
    store.db.commit()
    assert sets_of(cols).to_bytes() == expected.to_bytes()
    # Re-ingesting drops the entry, even when file digest and parser version are unchanged.
    store.put(_parsed("National treatment of services"), path="t.xml", sha256="aa", parser="p2")
    fresh = sets_of(cols)
    union = {*F.text_shingles("National treatment of services").tolist(), *F.text_shingles(texts[1]).tolist()}
    assert fresh.row(0).tolist() == sorted(union)
    assert fresh.row(1).tolist() == first.row(1).tolist()
    # A frame that is not the store's clauses is refused rather than cached under the store's digest.
    store.db.execute("DELETE FROM cache")
    store.db.commit()
    with pytest.raises(ValueError):
        F.unit_sets(store, store.clauses(["t:1"], columns=cols).iloc[:2], "article")
