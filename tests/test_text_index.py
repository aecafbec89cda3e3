"""The full-text index: rebuilt once after a bulk ingest, kept in step otherwise, never silently stale."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_DIR, folder_sources, make_agreement, make_parsed, put

from rulecompare.ingest import ingest_sources
from rulecompare.store import Store
from rulecompare.store import search as S


def integrity_ok(store: Store) -> bool:
    store.db.execute("INSERT INTO clauses_fts(clauses_fts, rank) VALUES('integrity-check', 1)")
    store.db.commit()
    return True


def test_bulk_ingest_rebuilds_the_index_once(fresh_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(S, "DEFER_AT", 2)
    rebuilds: list[int] = []
    original = Store.rebuild_text_index

    def counting(self: Store) -> None:
        rebuilds.append(1)
        original(self)

    monkeypatch.setattr(Store, "rebuild_text_index", counting)
    results = ingest_sources(fresh_store, folder_sources(SAMPLE_DIR / "xml"), workers=1)
    assert all(r.status == "added" for r in results)
    assert rebuilds == [1] and fresh_store.text_index_current() and integrity_ok(fresh_store)
    word = fresh_store.clauses(columns=["text"])["text"].iloc[0].split()[0]
    assert not fresh_store.search(word).empty
    assert rebuilds == [1]  # the search found the index current


def test_single_writes_keep_the_index_in_step(fresh_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    put(fresh_store, make_parsed(make_agreement(1), ["Tariff elimination on wheat."]))
    fresh_store.rebuild_text_index()

    def fail(self: Store) -> None:
        raise AssertionError("rebuilt")

    monkeypatch.setattr(Store, "rebuild_text_index", fail)
    put(fresh_store, make_parsed(make_agreement(2), ["Sanitary measures for bananas."]))
    assert fresh_store.text_index_current() and integrity_ok(fresh_store)
    assert fresh_store.search("bananas")["agreement_id"].tolist() == ["test:2"]
    put(fresh_store, make_parsed(make_agreement(2), ["Sanitary measures for mangoes."]))
    assert fresh_store.search("bananas").empty and not fresh_store.search("mangoes").empty
    fresh_store.delete("test:1")
    assert fresh_store.search("wheat").empty and integrity_ok(fresh_store)


def test_an_interrupted_bulk_write_leaves_the_index_to_be_rebuilt(fresh_store: Store) -> None:
    put(fresh_store, make_parsed(make_agreement(1), ["Tariff elimination on wheat."]))
    fresh_store.rebuild_text_index()
    with pytest.raises(KeyboardInterrupt), fresh_store.text_index_deferred(10_000):
        put(fresh_store, make_parsed(make_agreement(2), ["Sanitary measures for bananas."]))
        put(fresh_store, make_parsed(make_agreement(1), ["Tariff elimination on rice."]))
        raise KeyboardInterrupt
    # Both files landed whole; the index did not follow, and says so.
    assert fresh_store.count("clauses") == 2 and not fresh_store.text_index_current()
    assert fresh_store.search("bananas")["agreement_id"].tolist() == ["test:2"]
    assert (
        fresh_store.search("wheat").empty and fresh_store.text_index_current() and integrity_ok(fresh_store)
    )
