"""Store queries on the full ToTA corpus (the session's store)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rulecompare.store import CLAUSE_COLUMNS, Store, article_key


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
