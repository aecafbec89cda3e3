"""Translations: Apertium run in batches, the glossary that finishes its output, and the store's table.

The tests that run Apertium need the ``apertium`` program with the Spanish-English and
French-Spanish pairs (``.ci/run`` installs them); without them they skip and say what to install.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import make_agreement, make_parsed, put
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rulecompare.cli import app
from rulecompare.errors import StoreError
from rulecompare.features import normalize
from rulecompare.store import Store, TranslationRow, schema, source_digest
from rulecompare.translate import (
    INSTALL,
    TranslationError,
    TranslatorMissing,
    apertium,
    find_apertium,
    glossary,
    translate_agreements,
    translations_for,
)
from rulecompare.translate.apertium import batch_document, prepare, split_document

FOUND = find_apertium()
READY = FOUND is not None and FOUND.supports("es", "en") and FOUND.supports("fr", "en")
needs_apertium = pytest.mark.skipif(
    not READY, reason=f"Apertium with spa-eng and fr-es not installed: {INSTALL}"
)

SPANISH = [
    "Cada Parte otorgará trato nacional a las mercancías de la otra Parte.",
    "Las Partes contendientes aplicarán los aranceles aduaneros conforme al Acuerdo sobre la OMC.",
    "",
    "La Comisión se reunirá al menos una vez al año.",
]


def spanish_store(path: Path) -> Store:
    store = Store(path)
    put(
        store,
        make_parsed(make_agreement(1, language="es", name="Acuerdo Uno"), SPANISH),
        make_parsed(
            make_agreement(2), ["Each Party shall accord national treatment to the goods of the other Party."]
        ),
    )
    return store


# -- the store's table ----------------------------------------------------------------------------


def test_translations_are_kept_replaced_by_a_new_version_and_dropped_with_their_agreement(
    tmp_path: Path,
) -> None:
    with spanish_store(tmp_path / "s.db") as store:
        clauses = store.clauses(["test:1"], columns=["id", "text", "article_title"])
        rows = [
            TranslationRow(c, source_digest(t, None), f"tr {t}", None)
            for c, t in zip(clauses["id"], clauses["text"], strict=True)
        ]
        store.put_translations("test:1", rows, translator="apertium", version="v1", source="es")
        assert store.translated_counts(["test:1", "test:2"], translator="apertium", version="v1") == {
            "test:1": 4
        }
        got = store.translations(["test:1"], translator="apertium", version="v1")
        assert got["text"].tolist() == [f"tr {t}" for t in SPANISH]
        assert store.clauses(["test:1"])["text"].tolist() == SPANISH  # the original is untouched
        store.put_translations("test:1", rows[:2], translator="apertium", version="v2", source="es")
        assert store.translated_counts(["test:1"], translator="apertium", version="v1") == {}
        assert store.translated_counts(["test:1"], translator="apertium", version="v2") == {"test:1": 2}
        summary = store.translation_summary()
        assert summary[["agreement_id", "version", "n_clauses"]].values.tolist() == [["test:1", "v2", 2]]
        # Re-ingesting the agreement (a new text) takes its translations with it.
        put(store, make_parsed(make_agreement(1, language="es"), ["Otro texto."]))
        assert store.translation_summary().empty
        store.put_translations("test:1", rows[:1], translator="apertium", version="v2", source="es")
        store.delete("test:1")
        assert store.db.execute("SELECT count(*) FROM translations").fetchone()[0] == 0


def test_a_translation_needs_its_agreement_and_a_writable_store(tmp_path: Path) -> None:
    with spanish_store(tmp_path / "s.db") as store:
        with pytest.raises(StoreError, match="cannot keep the translation of test:9"):
            store.put_translations(
                "test:9", [TranslationRow("x", "d", "t", None)], translator="a", version="v", source="es"
            )
    with Store(tmp_path / "s.db", readonly=True) as store, pytest.raises(StoreError):
        store.put_translations("test:1", [], translator="a", version="v", source="es")


def test_a_version_2_store_gains_the_translations_table(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    for version in (1, 2):
        for statement in schema.MIGRATIONS[version]:
            con.execute(statement)
    con.execute("PRAGMA user_version = 2")
    con.commit()
    con.close()
    with Store(db) as store:
        assert store.schema_version == schema.SCHEMA_VERSION >= 3
        assert store.translation_summary().empty


# -- batches and markers --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(exclude_categories=["Cs"])), max_size=8))
def test_a_batch_document_splits_back_into_its_texts(texts: list[str]) -> None:
    assert split_document(batch_document(texts), len(texts)) == [t.strip() for t in texts]


def test_a_document_that_lost_a_marker_is_refused() -> None:
    doc = batch_document(["uno", "dos", "tres"])
    assert split_document(doc.replace('<p id="1">', ""), 3) is None
    assert split_document(doc, 4) is None


def test_what_the_translator_reads_repairs_spanish_accents_only() -> None:
    assert prepare("informaciòn\x07", "es") == "información "
    assert prepare("où à", "fr") == "où à"


# -- the glossary ---------------------------------------------------------------------------------


def test_glossary_finds_plural_feminine_capitalized_and_acronym_forms() -> None:
    assert glossary.lookup("aduaneras") == "customs"
    assert glossary.lookup("Salvaguardias") == "Safeguards"
    assert glossary.lookup("prestadores") == "suppliers"
    assert glossary.lookup("gravámenes") == "levies"
    assert glossary.lookup("OMC") == "WTO"
    assert glossary.lookup("ARANCELARIOS") == "TARIFF"
    assert glossary.lookup("revisora") == "reviewing"
    assert glossary.lookup("denegaron") is None  # an exact-form entry (denegar) is not inflected
    assert glossary.lookup("zzzz") is None


def test_glossary_file_has_one_entry_per_word_and_known_kinds() -> None:
    seen: set[str] = set()
    for line in glossary._read().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spanish, english, kind = line.split("\t")
        assert english and kind.partition("|")[0] in {"n", "a", "x"}, line
        key = glossary._fold(spanish)
        assert key not in seen, f"{spanish} twice"
        seen.add(key)


def test_finish_puts_unknown_adjectives_before_their_noun_and_writes_the_register() -> None:
    marked = (
        "The Parts *contendientes will have to apply the tariffs *aduaneros to the commodities *originarias."
    )
    assert (
        glossary.finish(marked)
        == "The disputing Parties shall apply the customs tariffs to the originating goods."
    )
    assert glossary.finish("The procedure will be *expedito and #carry out in Part II.") == (
        "The procedure shall be expeditious and carry out in Part II."
    )
    assert glossary.finish("*zzzz Each Part can") == "zzzz Each Party may"


# -- Apertium itself ------------------------------------------------------------------------------


@needs_apertium
def test_spanish_and_french_become_treaty_english() -> None:
    assert FOUND is not None
    out = FOUND.translate(SPANISH, "es", "en")
    assert out[0] == "Each Party shall award national treatment to the goods of the other Party."
    assert "disputing Parties" in out[1] and "customs tariffs" in out[1] and "WTO" in out[1]
    assert out[2] == ""
    [french] = FOUND.translate(
        ["Les Parties contractantes appliquent le tarif extérieur commun."], "fr", "en"
    )
    assert "contracting Parties" in french and "common external" in french
    assert FOUND.version("es", "en").startswith("apertium-") and "spa-eng@" in FOUND.version("es", "en")
    assert "fr-es@" in FOUND.version("fr", "en")


@needs_apertium
def test_batches_keep_the_order_of_many_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    assert FOUND is not None
    monkeypatch.setattr(apertium, "BATCH_CHARS", 60)
    codes = [f"zq{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(40)]
    texts = [f"El anexo {c} se aplicará." for c in codes]
    done: list[int] = []
    out = FOUND.translate(texts, "es", "en", jobs=2, progress=done.append)
    assert [normalize(t) for t in out] == [f"the annex {c} shall apply" for c in codes]
    assert sum(done) == sum(len(t) for t in texts) and len(done) > 5


@needs_apertium
def test_a_batch_that_loses_a_clause_is_translated_clause_by_clause(monkeypatch: pytest.MonkeyPatch) -> None:
    assert FOUND is not None
    real = apertium.Apertium._stage
    calls: list[int] = []

    def lossy(self: apertium.Apertium, document: str, mode: str, running: Any, *, marks: bool) -> str:
        out = real(self, document, mode, running, marks=marks)
        calls.append(document.count("<p "))
        return out.replace('<p id="1">', "<p>", 1) if document.count("<p ") > 1 else out

    monkeypatch.setattr(apertium.Apertium, "_stage", lossy)
    assert FOUND.translate(["Uno.", "Dos.", "Tres."], "es", "en") == ["One.", "Two.", "Three."]
    assert calls == [3, 1, 1, 1]


@needs_apertium
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_stage_over_its_time_limit_is_killed_with_its_whole_pipeline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert FOUND is not None
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording(*args: Any, **kw: Any) -> subprocess.Popen[bytes]:
        proc = real_popen(*args, **kw)
        started.append(proc)
        return proc

    monkeypatch.setattr("rulecompare.translate.apertium.subprocess.Popen", recording)
    monkeypatch.setattr(apertium, "_timeout", lambda chars: 0.01)
    with pytest.raises(TranslationError, match=r"took more than 0 s"):
        FOUND.translate(["Texto " * 20_000], "es", "en")
    assert started
    groups = {proc.pid for proc in started}
    deadline = time.monotonic() + 10
    while _running_in(groups) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running_in(groups)  # no stage of the pipeline is left running


def _running_in(groups: set[int]) -> list[int]:
    """Processes (not zombies) whose process group is one of ``groups``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) in groups:
            found.append(int(stat.parent.name))
    return found


# -- without Apertium -----------------------------------------------------------------------------


def test_without_apertium_translating_says_what_to_install(tmp_path: Path, no_apertium: None) -> None:
    with spanish_store(tmp_path / "s.db") as store:
        with pytest.raises(
            TranslatorMissing, match="apt-get install apertium apertium-eng-spa apertium-fr-es"
        ):
            translate_agreements(store)
        with pytest.raises(TranslatorMissing, match="--monolingual"):
            translations_for(store, ["test:1", "test:2"])
        assert translate_agreements(store, ["test:2"]) == []  # English needs no translator
        assert translations_for(store, ["test:2"]).empty
    result = CliRunner().invoke(app, ["translate", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1
    assert "install with: apt-get install apertium apertium-eng-spa apertium-fr-es" in " ".join(
        result.output.split()
    )


# -- filling the store ----------------------------------------------------------------------------


@needs_apertium
def test_translate_fills_the_store_once_and_translations_follow_their_text(tmp_path: Path) -> None:
    with spanish_store(tmp_path / "s.db") as store:
        seen: list[tuple[str, int, int]] = []
        first = translate_agreements(store, progress=lambda a, d, t: seen.append((a, d, t)))
        assert [(r.agreement_id, r.status, r.clauses) for r in first] == [("test:1", "translated", 4)]
        assert seen[-1] == ("test:1", sum(map(len, SPANISH)), sum(map(len, SPANISH)))
        again = translate_agreements(store)
        assert [(r.agreement_id, r.status) for r in again] == [("test:1", "current")]
        frame = translations_for(store, ["test:1", "test:2"])
        assert frame["agreement_id"].unique().tolist() == ["test:1"]
        assert (
            frame["text"].iloc[0]
            == "Each Party shall award national treatment to the goods of the other Party."
        )
        # A new text of the agreement: the old translations go with it, and are made again on first use.
        put(store, make_parsed(make_agreement(1, language="es"), ["Cada Parte podrá adoptar medidas."]))
        assert store.translation_summary().empty
        assert translations_for(store, ["test:1"])["text"].tolist() == ["Each Party may adopt measures."]
        assert len(store.translation_summary()) == 1
    with Store(tmp_path / "s.db", readonly=True) as store:
        assert translations_for(store, ["test:1"])["text"].tolist() == ["Each Party may adopt measures."]


@needs_apertium
def test_a_read_only_store_translates_in_memory(tmp_path: Path) -> None:
    spanish_store(tmp_path / "s.db").close()
    with Store(tmp_path / "s.db", readonly=True) as store:
        frame = translations_for(store, ["test:1"])
        assert len(frame) == 4 and frame["text"].iloc[2] == ""
        assert store.translation_summary().empty


@needs_apertium
def test_translate_command_reports_each_agreement(tmp_path: Path) -> None:
    spanish_store(tmp_path / "s.db").close()
    runner = CliRunner()
    result = runner.invoke(app, ["translate", "--db", str(tmp_path / "s.db"), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "test:1,es,translated,4," in result.output
    result = runner.invoke(app, ["translate", "acuerdo uno", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 0 and "current" in result.output
