"""Store queries on the full ToTA corpus (the session's store), records round trips and migrations."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from rulecompare.errors import StoreError
from rulecompare.model import Agreement, Clause, ParsedAgreement
from rulecompare.store import CLAUSE_COLUMNS, SCHEMA_VERSION, Store, article_key, schema


def test_full_corpus_counts(tota_store: Store) -> None:
    stats = tota_store.stats()
    assert stats["agreements"] == 450
    assert stats["languages"] == {"en": 424, "es": 24, "fr": 2}
    assert stats["articles_en"] >= 35_000
    assert stats["area_coverage_en"] > 0.95


def test_agreement_filters(tota_store: Store) -> None:
    us = tota_store.agreements(party="USA")
    assert "tota:112" in set(us["id"]) and all("USA" in p.split(";") for p in us["parties"])
    both = tota_store.agreements(party=["USA", "PER"])
    assert all({"USA", "PER"} <= set(p.split(";")) for p in both["parties"]) and len(both) >= 1
    recent = tota_store.agreements(year_from=2010, year_to=2012, language="en")
    assert not recent.empty and recent["date_signed"].str[:4].astype(int).between(2010, 2012).all()
    assert (recent["language"] == "en").all()
    ids = tota_store.agreements()["id"].tolist()
    assert ids[:3] == ["tota:1", "tota:2", "tota:3"]


def test_outline_and_article(tota_store: Store) -> None:
    outline = tota_store.outline("tota:112")
    titled = outline.dropna(subset=["chapter_number"])
    assert titled["chapter_number"].nunique() == 22
    art = tota_store.clauses(["tota:112"], article="1110")
    assert art["article_title"].iloc[0] == "Expropriation And Compensation"
    assert list(art["paragraph"])[:3] == ["1", "2", "3"]
    assert article_key("ARTICLE 1110") == "1110" and article_key("Article 12.3:") == "12.3"


def test_search_finds_tpp_ecommerce(tota_store: Store) -> None:
    hits = tota_store.search('"electronic transmissions"', limit=50)
    assert not hits.empty
    tpp = hits[hits["name"].str.contains("Trans-Pacific", case=False)]
    assert not tpp.empty
    assert (tpp["chapter_title"].str.contains("Electronic Commerce", case=False)).any()
    assert hits["snippet"].str.contains("«").all()


def test_clauses_frame_columns_and_order(tota_store: Store) -> None:
    df = tota_store.clauses(["tota:112", "tota:17"])
    assert list(df.columns) == CLAUSE_COLUMNS
    for _, group in df.groupby("agreement_id"):
        assert group["ord"].tolist() == list(range(len(group)))


def test_cache_roundtrip_and_invalidation(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    store.cache_put("char5|tota:1|v1", "d1", b"abc")
    assert store.cache_get("char5|tota:1|v1", "d1") == b"abc"
    assert store.cache_get("char5|tota:1|v1", "d2") is None
    store.close()


def test_export_frame_reads_back(tota_store: Store, tmp_path: Path) -> None:
    from rulecompare.export import write_frame

    df = tota_store.clauses(["tota:112"])
    out = tmp_path / "c.csv"
    write_frame(df, out)
    back = pd.read_csv(out, keep_default_na=False)
    assert len(back) == len(df) and list(back.columns) == list(df.columns)
    assert back["text"].tolist() == df["text"].tolist()


def _parsed() -> ParsedAgreement:
    agreement = Agreement(
        id="t:1", name="Test FTA", parties=("CHL", "PER"), parties_original=("CHL", "PER"),
        date_signed=dt.date(2006, 8, 22), crossregional=False, wto_rta_id=7,
        source_urls=("https://example.org/a",), families=("latam",), aliases=("chl-per",),
    )  # fmt: skip
    clauses = tuple(
        Clause(
            id=f"t:1/1.{i}/{i}",
            agreement_id="t:1",
            chapter_index=0,
            chapter_number="1" if i else None,
            chapter_title=None,
            article_index=i,
            article_number=f"Article 1.{i}",
            article_title=None,
            paragraph=str(i),
            order=i,
            text=f"Each Party shall apply rule {i}.",
            area="rules_of_origin",
            annex=i == 2,
        )  # fmt: skip
        for i in range(3)
    )
    return ParsedAgreement(agreement, clauses)


def test_records_read_back_as_written() -> None:
    parsed = _parsed()
    with Store(":memory:") as store:
        assert store.put(parsed, path="t.txt", sha256="s", parser="p") == "added"
        assert store.iter_clauses("t:1") == list(parsed.clauses)
        assert store.agreement("t:1") == parsed.agreement
        assert store.clauses(["t:1"], article="1.2")["annex"].tolist() == [1]
        assert store.put(parsed, path="t.txt", sha256="s2", parser="p") == "updated"
        assert store.count("clauses") == 3 and len(store.search("rule")) == 3


def test_cache_get_many_leaves_out_stale_and_missing(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        store.cache_put_many([("a|t:1|", "d1", b"1"), ("b|t:1|", "d1", b"2")])
        assert store.cache_get_many([("a|t:1|", "d1"), ("b|t:1|", "old"), ("c|t:1|", "d1")]) == {
            "a|t:1|": b"1"
        }
    with Store(tmp_path / "c.db", readonly=True) as store:
        store.cache_put("c|t:1|", "d1", b"3")
        assert store.cache_get("c|t:1|", "d1") is None


def test_migrations_have_one_step_per_version() -> None:
    assert sorted(schema.MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))
    with Store(":memory:") as store:
        assert store.schema_version == SCHEMA_VERSION


def test_older_store_is_migrated_step_by_step_and_keeps_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.put(_parsed(), path="t.txt", sha256="s", parser="p")
    newer = SCHEMA_VERSION + 1
    monkeypatch.setattr(schema, "SCHEMA_VERSION", newer)
    monkeypatch.setitem(schema.MIGRATIONS, newer, ("CREATE TABLE notes (agreement_id TEXT, note TEXT)",))
    with pytest.raises(StoreError, match=f"needs an upgrade to schema {newer} but is read-only"):
        Store(db, readonly=True)
    with Store(db) as store:
        assert store.schema_version == newer
        assert store.count("clauses") == 3 and store.agreement("t:1").name == "Test FTA"
        assert store.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == newer
    con.close()


def test_failed_migration_step_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.put(_parsed(), path="t.txt", sha256="s", parser="p")
    newer = SCHEMA_VERSION + 1
    monkeypatch.setattr(schema, "SCHEMA_VERSION", newer)
    monkeypatch.setitem(
        schema.MIGRATIONS, newer, ("CREATE TABLE notes (note TEXT)", "ALTER TABLE nowhere ADD COLUMN x")
    )
    with pytest.raises(StoreError, match="cannot open store"):
        Store(db)
    monkeypatch.undo()
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION and store.count("clauses") == 3
        assert store.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'notes'").fetchone()[0] == 0
