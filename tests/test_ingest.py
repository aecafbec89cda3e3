"""Ingest: idempotence, all-or-nothing per file, and every kind of bad input (on the sample corpus)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR

from rulecompare.errors import StoreError
from rulecompare.ingest import ingest_paths
from rulecompare.store import Store

GOOD = ["pta_901.xml", "pta_904.xml", "pta_907.xml"]

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<treaty><meta><treaty_identifier>9001</treaty_identifier><name>&lol3;</name></meta><body/></treaty>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE treaty [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<treaty><meta><treaty_identifier>9002</treaty_identifier><name>&secret;</name></meta><body/></treaty>
"""


def snapshot(db: Path) -> list[tuple[object, ...]]:
    """Everything the store holds that matters, in a comparable form."""
    con = sqlite3.connect(db)
    try:
        rows: list[tuple[object, ...]] = []
        for table in ("agreements", "agreement_parties", "agreement_families", "clauses", "sources"):
            cols = "*" if table != "sources" else "path, sha256, parser, agreement_id"
            rows += [(table, *r) for r in con.execute(f"SELECT {cols} FROM {table} ORDER BY 1, 2")]
        rows += [
            ("fts", *r)
            for r in con.execute("SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH 'party' ORDER BY 1")
        ]
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.execute("INSERT INTO clauses_fts(clauses_fts) VALUES ('integrity-check')")
        return rows
    finally:
        con.close()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(SAMPLE_DIR / "xml" / name, folder / name)
    return folder


def test_ingest_then_reingest_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        first = ingest_paths(store, [corpus], workers=1)
    assert [r.status for r in first] == ["added"] * 3
    before = snapshot(db)
    with Store(db) as store:
        second = ingest_paths(store, [corpus], workers=1)
    assert [r.status for r in second] == ["unchanged"] * 3
    assert snapshot(db) == before


def test_changed_file_is_replaced_with_stable_ids(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest_paths(store, [corpus], workers=1)
        ids_before = list(store.clauses(["tota:904"])["id"])
    f = corpus / "pta_904.xml"
    f.write_text(
        f.read_text(encoding="utf-8").replace(
            "</body>",
            "<chapter name='Extra'><article article_identifier='999999'>"
            "An added article.</article></chapter></body>",
        ),
        encoding="utf-8",
    )
    with Store(db) as store:
        results = ingest_paths(store, [corpus], workers=1)
        ids_after = list(store.clauses(["tota:904"])["id"])
        assert store.search('"added article"')["clause_id"].tolist() == ["tota:904/999999/1"]
    assert sorted(r.status for r in results) == ["unchanged", "unchanged", "updated"]
    assert ids_after[:-1] == ids_before and ids_after[-1] == "tota:904/999999/1"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("malformed.xml", b"<treaty><meta><name>x</name></meta><body><chapter>", "not well-formed XML"),
        ("laughs.xml", BILLION_LAUGHS.encode(), "refused"),
        ("xxe.xml", XXE.encode(), "refused"),
        ("empty.xml", b"", "file is empty"),
        ("notxml.xml", b"\x89PNG\r\n\x1a\n\x00\x00binary", "not well-formed XML"),
        (
            "latin1.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            "<treaty><meta><name>Acuerdo Perú</name></meta><body/></treaty>".encode("latin-1"),
            "not well-formed XML",
        ),
    ],
)
def test_bad_file_fails_alone_and_store_keeps_everything(
    tmp_path: Path, corpus: Path, name: str, content: bytes, reason: str
) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest_paths(store, [corpus], workers=1)
    before = snapshot(db)
    bad = tmp_path / name
    bad.write_bytes(content)
    with Store(db) as store:
        results = ingest_paths(store, [bad], workers=1)
    assert len(results) == 1 and results[0].status == "failed"
    message = results[0].message
    assert str(bad) in message and reason in message and "\n" not in message
    assert "root:" not in message  # the external entity was never read
    assert snapshot(db) == before


def test_mixed_folder_ingests_good_files_and_reports_bad(tmp_path: Path, corpus: Path) -> None:
    (corpus / "pta_broken.xml").write_bytes(b"<treaty><meta>")
    (corpus / "pta_empty.xml").write_bytes(b"")
    db = tmp_path / "s.db"
    with Store(db) as store:
        results = ingest_paths(store, [corpus], workers=2)
        assert store.count("agreements") == 3
    statuses = {Path(r.path).name: r.status for r in results}
    assert statuses == {
        "pta_901.xml": "added",
        "pta_904.xml": "added",
        "pta_907.xml": "added",
        "pta_broken.xml": "failed",
        "pta_empty.xml": "failed",
    }


def test_missing_path(fresh_store: Store, tmp_path: Path) -> None:
    results = ingest_paths(fresh_store, [tmp_path / "nowhere"])
    assert results[0].status == "failed" and "no such file or folder" in results[0].message


def test_interrupt_mid_file_leaves_store_consistent(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest_paths(store, [corpus / "pta_901.xml"], workers=1)
    before = snapshot(db)
    original = Store._insert

    def insert_then_interrupt(db_: sqlite3.Connection, parsed: object) -> None:
        original(db_, parsed)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "_insert", staticmethod(insert_then_interrupt))
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        ingest_paths(store, [corpus], workers=1)
    assert snapshot(db) == before


def test_locked_store_gives_clear_error(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    holder = sqlite3.connect(db)
    # Another program holds the write lock: opening works (WAL readers never block), writing fails cleanly.
    with Store(db, timeout=0.1) as store:
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError, match=r"s\.db: cannot write to store \(database is locked\)"):
                ingest_paths(store, [corpus / "pta_904.xml"], workers=1)
        finally:
            holder.rollback()
            holder.close()
        assert store.count("agreements") == 0


def test_read_only_store_refuses_writes_and_stays_intact(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest_paths(store, [corpus / "pta_904.xml"], workers=1)
    before = snapshot(db)
    with Store(db, readonly=True) as store, pytest.raises(StoreError, match="cannot write"):
        ingest_paths(store, [corpus / "pta_901.xml"], workers=1)
    assert snapshot(db) == before


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(StoreError, match="newer than this rulecompare"):
        Store(db)


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (x)")
    con.close()
    with pytest.raises(StoreError, match="not a rulecompare store"):
        Store(db)
