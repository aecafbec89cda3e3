"""An agreement held twice is linked at ingest and counted once; the new record fields survive the store.

Also the store side of issue 16: sections, OCR repairs and footnotes written and
read back, and shown by ``rulecompare show``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rulecompare.cli import app
from rulecompare.duplicates import THRESHOLD, find_duplicate
from rulecompare.ingest import SourceFile, ingest_sources
from rulecompare.parsers.text import SourceMeta, parse_text_string
from rulecompare.store import Store, schema

runner = CliRunner()

ARTICLES = [
    ("Objectives", "The objectives of this Agreement are to liberalise and facilitate trade in goods."),
    (
        "Definitions",
        "For the purposes of this Agreement, days means calendar days and measure includes any law.",
    ),
    ("National Treatment", "Each Party shall accord national treatment to the goods of the other Party."),
    ("Customs Duties", "No Party shall increase any existing customs duty on an originating good."),
    (
        "Import Licensing",
        "No Party shall adopt or maintain a measure inconsistent with the Import Licensing Agreement.",
    ),
    (
        "Exceptions",
        "Nothing in this Agreement shall prevent a Party from taking measures to protect public morals.",
    ),
]


def treaty(title: str, articles: list[tuple[str, str]], extra: str = "") -> str:
    body = [f"{title.upper()}", "", "The Parties have agreed as follows:", ""]
    for k, (head, text) in enumerate(articles, start=1):
        body += [f"ARTICLE {k}: {head}", f"1. {text}", "", f"2. {text.replace('shall', 'may')} ({k})", ""]
    return "\n".join(body) + extra


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _ingest(store: Store, path: Path, parties: tuple[str, ...] = ("CHN", "NZL")) -> str:
    [result] = ingest_sources(store, [SourceFile(path, meta=SourceMeta(parties=parties))], workers=1)
    assert result.status in ("added", "updated", "unchanged"), result.message
    return result.duplicate


@pytest.mark.parametrize("order", ["a-first", "b-first"])
def test_a_near_copy_is_linked_whichever_comes_first(tmp_path: Path, order: str) -> None:
    a = _write(tmp_path, "a.txt", treaty("Free Trade Agreement", ARTICLES))
    b = _write(tmp_path, "b.txt", treaty("Free Trade Agreement (copy)", ARTICLES, "\nDone at Wellington."))
    with Store(tmp_path / "s.db") as store:
        first, second = (a, b) if order == "a-first" else (b, a)
        assert _ingest(store, first) == ""
        warning = _ingest(store, second)
        # The warning names both; the one kept is the same whichever came first (ids decide between files).
        assert "file:a" in warning and "file:b" in warning
        assert "file:b is linked as a duplicate of file:a" in warning
        df = store.agreements().set_index("id")
        assert df.loc["file:b", "duplicate_of"] == "file:a" and pd.isna(df.loc["file:a", "duplicate_of"])
        assert store.agreement("file:b").duplicate_of == "file:a"
        assert list(store.agreements(include_duplicates=False)["id"]) == ["file:a"]
        # Re-ingesting an unchanged file keeps the link.
        _ingest(store, b)
        assert store.agreement("file:b").duplicate_of == "file:a"
        # With the agreement it duplicates gone, the copy counts again.
        store.delete("file:a")
        assert list(store.agreements(include_duplicates=False)["id"]) == ["file:b"]


def test_different_agreements_are_not_linked(tmp_path: Path) -> None:
    other = [
        (h, t.replace("Party", "Member").replace("goods", "services") + " Other words.") for h, t in ARTICLES
    ]
    with Store(tmp_path / "s.db") as store:
        _ingest(store, _write(tmp_path, "a.txt", treaty("Free Trade Agreement", ARTICLES)))
        assert _ingest(store, _write(tmp_path, "c.txt", treaty("Services Agreement", other[:4]))) == ""
        # Same text, other parties and another name: not a candidate at all.
        assert _ingest(store, _write(tmp_path, "d.txt", treaty("Pact", ARTICLES)), ("CHL", "PER")) == ""
        assert store.agreements()["duplicate_of"].isna().all()


def test_threshold_is_the_documented_one(tmp_path: Path) -> None:
    assert THRESHOLD == 0.9
    with Store(tmp_path / "s.db") as store:
        _ingest(store, _write(tmp_path, "a.txt", treaty("Free Trade Agreement", ARTICLES)))
        half = parse_text_string(
            treaty("Free Trade Agreement", ARTICLES[:3]),
            SourceMeta(agreement_id="file:h", parties=("CHN", "NZL")),
        )
        assert find_duplicate(store, half) is None


@pytest.mark.corpus
@pytest.mark.parametrize("tota_first", [True, False])
def test_canada_ukraine_is_held_once(corpora_dir: Path, tmp_path: Path, tota_first: bool) -> None:
    tota = corpora_dir / "tota" / "xml" / "pta_396.xml"
    text = corpora_dir / "ggo" / "canada-ukraine-2016.txt"
    sources = [SourceFile(tota), SourceFile(text, meta=SourceMeta(parties=("CAN", "UKR")))]
    with Store(tmp_path / "s.db") as store:
        results = ingest_sources(store, sources if tota_first else sources[::-1], workers=1)
        warnings = [r.duplicate for r in results if r.duplicate]
        assert len(warnings) == 1 and "tota:396" in warnings[0] and "file:canada-ukraine-2016" in warnings[0]
        # The ToTA record is kept: it carries the WTO RTA card (dates, type, status).
        assert store.agreement("file:canada-ukraine-2016").duplicate_of == "tota:396"
        assert store.agreement("tota:396").duplicate_of is None
        listed = runner.invoke(app, ["list", "--party", "UKR", "-f", "csv", "--db", str(tmp_path / "s.db")])
        assert "file:canada-ukraine-2016" in listed.output and ",tota:396" in listed.output


def test_sections_repairs_and_footnotes_survive_the_store(tmp_path: Path) -> None:
    text = (
        "TEST AGREEMENT\n\nCHAPTER 1\nINITIAL PROVISIONS\n\nArticle 1.1: Objectives\n"
        "The Parties establish a free trade area under the WTO Agreement.1\n\n"
        "Section A: Definitions\nARTIcLE 1 2: Joint Conunittee\n"
        "1. The Parties establish a Joint Committee.\n\n2. It shall meet once a year.\n\n"
        "1 For greater certainty, the WTO Agreement includes its annexes.\n2\n\f"
        "Article 1.3: Final Provisions\nThis Agreement enters into force on signature.\n"
    )
    path = _write(tmp_path, "scan.txt", text)
    db = tmp_path / "s.db"
    with Store(db) as store:
        _ingest(store, path)
        parsed = parse_text_string(text, SourceMeta(agreement_id="file:scan", source=str(path)))
        assert [c.id for c in store.iter_clauses("file:scan")] == [c.id for c in parsed.clauses]
        stored = {c.id: c for c in store.iter_clauses("file:scan")}
        joint = stored["file:scan/art-1.2/1"]
        assert (joint.article_number, joint.article_number_repaired) == ("ARTIcLE 1 2", "ARTICLE 1.2")
        assert (joint.article_title, joint.article_title_repaired) == ("Joint Conunittee", "Joint Committee")
        assert (joint.section_number, joint.section_title) == ("Section A", "Definitions")
        [note] = store.iter_footnotes("file:scan")
        assert (note.clause_id, note.label) == ("file:scan/art-1.1/1", "1")
        assert note.text == "For greater certainty, the WTO Agreement includes its annexes."
        assert not store.clauses(["file:scan"], article="1.2").empty  # found by the number as read
    shown = runner.invoke(app, ["show", "file:scan", "--db", str(db)]).output
    assert "  Section A Definitions" in shown
    assert "ARTIcLE 1 2 Joint Conunittee  (read as: ARTICLE 1.2 Joint Committee)" in shown
    article = runner.invoke(app, ["show", "file:scan", "--article", "1.1", "--db", str(db)]).output
    assert "[1] For greater certainty, the WTO Agreement includes its annexes." in article


def test_a_schema_1_store_is_migrated_with_its_data(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    for statement in schema.MIGRATIONS[1]:
        con.execute(statement)
    con.execute(
        "INSERT INTO agreements (id, name, language, source, source_urls, parties, parties_original,"
        " families, aliases, n_chapters, n_articles, n_clauses, n_chars) VALUES"
        " ('t:1', 'Old', 'en', 'x', '[]', 'CHN', 'CHN', '', '', 1, 1, 1, 10)"
    )
    con.execute(
        "INSERT INTO clauses (id, agreement_id, chapter_index, article_index, paragraph, ord, area, annex,"
        " text) VALUES ('t:1/a/1', 't:1', 0, 0, '', 0, 'x', 0, 'Old text.')"
    )
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with Store(db) as store:
        assert store.schema_version == schema.SCHEMA_VERSION
        assert store.agreement("t:1").duplicate_of is None
        [clause] = store.iter_clauses("t:1")
        assert (
            clause.text == "Old text."
            and clause.section_number is None
            and clause.article_title_repaired is None
        )
        assert store.footnotes("t:1").empty
