"""The store-backed cache of shingle sets: used when valid, dropped when a clause or its source changes."""

from __future__ import annotations

import numpy as np
import pytest

from rulecompare import features as F
from rulecompare.model import Agreement, Clause, ParsedAgreement
from rulecompare.overlap import units as U
from rulecompare.store import Store


def test_cache_is_used_and_invalidated_when_a_clause_changes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    store = Store(tmp_path / "s.db")
    clauses = pd.DataFrame(
        {"agreement_id": ["x:1", "x:1", "x:2"], "article_index": [0, 1, 0],
         "text": ["National treatment of goods", "Most favoured nation", "Rules of origin"]}
    )  # fmt: skip
    _, first = U.unit_sets(store, clauses, "article")
    key = f"char5|x:1|article|*|{F.VERSION}"
    assert store.db.execute("SELECT count(*) FROM cache WHERE key = ?", (key,)).fetchone()[0] == 1
    # A poisoned cache entry with the right digest is returned as is: proof that the cache is read.
    digest = store.db.execute("SELECT digest FROM cache WHERE key = ?", (key,)).fetchone()[0]
    fake = F.UnitSets(np.array([0, 1, 1]), np.array([7], dtype=np.uint64))
    store.cache_put(key, digest, fake.to_bytes())
    _, again = U.unit_sets(store, clauses, "article")
    assert again.row(0).tolist() == [7]
    changed = clauses.assign(
        text=["National treatment of services", "Most favoured nation", "Rules of origin"]
    )
    _, fresh = U.unit_sets(store, changed, "article")
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
        return U.unit_sets(store, store.clauses(["t:1"], columns=columns), "article")[1]

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
        U.unit_sets(store, store.clauses(["t:1"], columns=cols).iloc[:2], "article")
