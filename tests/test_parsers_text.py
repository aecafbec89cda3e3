"""The plain-text parser on hand-made samples (exact structure) and on the real ggo corpus."""

from __future__ import annotations

import datetime as dt
from collections import Counter, OrderedDict
from pathlib import Path

import pytest

from rulecompare.errors import ParseError
from rulecompare.model import ParsedAgreement
from rulecompare.parsers.manifest import parse_any, parse_entry, read_manifest
from rulecompare.parsers.text import SourceMeta, decode_text, find_parties, guess_language, parse_text
from rulecompare.parsers.tota import parse_tota

DATA = Path(__file__).parent / "data"


def no_area(*_args: object) -> str:
    return "x"


def outline(parsed: ParsedAgreement) -> list[tuple[str | None, str | None, str | None, str | None, bool]]:
    """(chapter number, chapter title, article number, article title, annex) per article, in order."""
    arts: OrderedDict[int, tuple[str | None, str | None, str | None, str | None, bool]] = OrderedDict()
    for c in parsed.clauses:
        arts.setdefault(
            c.article_index, (c.chapter_number, c.chapter_title, c.article_number, c.article_title, c.annex)
        )
    return list(arts.values())


def article_text(parsed: ParsedAgreement, number: str) -> str:
    return "\n".join(c.text for c in parsed.clauses if c.article_number == number)


# ---------------------------------------------------------------- hand-made samples


def test_messy_sample_structure() -> None:
    p = parse_text(DATA / "messy.txt", classify=no_area)
    assert outline(p) == [
        (None, "Preamble", None, None, False),
        ("CHAPTER ONE", "GENERAL PROVISIONS", "ARTICLE 1", "OBJECTIVES", False),
        ("CHAPTER ONE", "GENERAL PROVISIONS", "ARTICLE 2", "DEFINITIONS", False),
        ("CHAPTER TWO", "TRADE IN GOODS", "ARTICLE 3", "CUSTOMS DUTIES", False),
        ("CHAPTER TWO", "TRADE IN GOODS", "ARTICLE 4", "NATIONAL TREATMENT", False),
        (None, "Conclusion", None, None, False),
        ("ANNEX I", "TARIFF SCHEDULES", None, None, True),
    ]
    ids = [c.id for c in p.clauses]
    assert ids == [
        "file:messy/preamble/1",
        "file:messy/art-1/1",
        "file:messy/art-2/1",
        "file:messy/art-2/2",
        "file:messy/art-2/3",
        "file:messy/art-3/1",
        "file:messy/art-3/2",
        "file:messy/art-4/1",
        "file:messy/conclusion/1",
        "file:messy/annex-i/1",
        "file:messy/annex-i/2",
    ]
    assert [c.order for c in p.clauses] == list(range(len(ids)))
    everything = "\n".join(c.text for c in p.clauses)
    # Table of contents, running header and page numbers are gone; hyphenation is joined.
    assert ".........." not in everything
    assert "Page 3 of 5" not in everything and "Page 2" not in everything
    assert "(SAMPLE)" not in everything
    assert "as defined in Article 3" in " ".join(article_text(p, "ARTICLE 1").split())
    assert [c.paragraph for c in p.clauses if c.article_number == "ARTICLE 3"] == ["1", "2"]
    assert p.agreement.id == "file:messy"
    assert p.agreement.name == "AGREEMENT BETWEEN ICELAND AND THE REPUBLIC OF KOREA ON TRADE (SAMPLE)"
    assert p.agreement.parties == ("ISL", "KOR")
    assert p.agreement.language == "en"
    assert any("signature" in w for w in p.warnings)


def test_latin1_cr_and_bom_give_the_same_records(tmp_path: Path) -> None:
    text = (DATA / "messy.txt").read_text(encoding="utf-8").replace("Iceland and", "Iceland’s café and")
    latin = tmp_path / "messy.txt"
    latin.write_bytes(text.replace("\n", "\r").encode("cp1252"))
    bom = tmp_path / "bom" / "messy.txt"
    bom.parent.mkdir()
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    a = parse_text(latin, classify=no_area)
    b = parse_text(bom, classify=no_area)
    assert [(c.id, c.text) for c in a.clauses] == [(c.id, c.text) for c in b.clauses]
    assert "Iceland’s café" in a.clauses[0].text
    assert len(a.clauses) == 11


def test_spanish_sample() -> None:
    p = parse_text(DATA / "spanish.txt", classify=no_area)
    assert outline(p) == [
        (None, "Preamble", None, None, False),
        ("CAPÍTULO I", "Objetivos", "Artículo 1", None, False),
        ("CAPÍTULO I", "Objetivos", "Artículo 2", None, False),
        ("CAPÍTULO II", "Programa de Liberación", "Artículo 3", "Trato Nacional", False),
        ("CAPÍTULO II", "Programa de Liberación", "Artículo 4", None, False),
    ]
    # The article text that starts on the heading line ("Artículo 1.- El presente ...") is kept.
    assert article_text(p, "Artículo 1").startswith("El presente Acuerdo tiene por objeto")
    assert p.agreement.language == "es"
    assert p.agreement.parties == ("CHL", "PER")


@pytest.mark.parametrize(
    ("heading", "number"),
    [("CHAPTER 3", "CHAPTER 3"), ("Chapter Three", "Chapter Three"), ("CHAPTER III", "CHAPTER III"),
     ("Capítulo 3", "Capítulo 3"), ("CAPÍTULO III", "CAPÍTULO III")],
)  # fmt: skip
def test_chapter_heading_forms(heading: str, number: str) -> None:
    text = (
        "Agreement on Trade\n\nPreamble\nThe Parties have agreed as follows:\n\n"
        f"{heading}\nGENERAL PROVISIONS\n\n"
        "Article 1 Objectives\nThe Parties shall cooperate.\n\n"
        "Article 2 Scope\nThis Agreement applies to trade in goods.\n"
    )
    p = parse_text(text, SourceMeta(agreement_id="file:t"), classify=no_area)
    assert outline(p)[1:] == [
        (number, "GENERAL PROVISIONS", "Article 1", "Objectives", False),
        (number, "GENERAL PROVISIONS", "Article 2", "Scope", False),
    ]


def test_cross_references_are_not_headings() -> None:
    text = (
        "ARTICLE 1.1: SCOPE\n"
        "This Chapter applies to measures covered by\n"
        "Article 1.2 of the SCM Agreement and by\n"
        "Chapter 3 (Rules of Origin) of this Agreement.\n"
        "Article 1.2: Definitions\n"
        "For the purposes of this Chapter, goods means goods as referred to in\n"
        "Article 1.9: Goods\n"
        "Article III of GATT 1994 applies.\n"
        "Article 1.3: Review\nThe Parties shall review this Chapter.\n"
    )
    p = parse_text(text, SourceMeta(agreement_id="file:x", name="X"), classify=no_area)
    assert [a[2] for a in outline(p)] == ["ARTICLE 1.1", "Article 1.2", "Article 1.3"]
    assert "Article 1.9: Goods" in article_text(p, "Article 1.2")


def test_footnote_markers_and_wrapped_titles() -> None:
    text = (
        "ARTICLE 1.1: GEOGRAPHICAL APPLICABILITY1\n"
        "This Agreement applies to the territory1 of each Party.\n"
        "Article 1.2: Cooperation on harmonization, equivalency and certificate\nrecognition\n"
        "1. The Parties shall cooperate.\n2. The Parties shall exchange information.\n"
    )
    p = parse_text(text, SourceMeta(agreement_id="file:x", name="X"), classify=no_area)
    assert [a[3] for a in outline(p)] == [
        "GEOGRAPHICAL APPLICABILITY",
        "Cooperation on harmonization, equivalency and certificate recognition",
    ]
    assert article_text(p, "ARTICLE 1.1") == "This Agreement applies to the territory of each Party."


def test_no_article_headings_gives_paragraph_clauses_and_a_warning() -> None:
    p = parse_text(DATA / "no_headings.txt", classify=no_area)
    assert [c.text for c in p.clauses] == [
        "Sample Memorandum of Understanding",
        "The two sides agree to meet once a year to review cooperation.",
        "Each side shall name a contact point within three months.",
        "This memorandum may be amended by mutual consent of the two sides.",
    ]
    assert {c.chapter_index for c in p.clauses} == {0}
    assert [c.id for c in p.clauses][:2] == ["file:no-headings/par-1/1", "file:no-headings/par-2/1"]
    assert any("no article headings" in w for w in p.warnings)


def test_metadata_given_wins_and_missing_is_warned() -> None:

    p = parse_text(
        DATA / "messy.txt",
        SourceMeta(name="Iceland-Korea", parties=("isl", "kor"), signed=dt.date(2020, 5, 1), language="en"),
        classify=no_area,
    )
    assert (p.agreement.name, p.agreement.parties, p.agreement.date_signed) == (
        "Iceland-Korea", ("ISL", "KOR"), dt.date(2020, 5, 1),
    )  # fmt: skip
    assert not any("signature" in w or "parties" in w for w in p.warnings)


def test_reparsing_gives_the_same_unique_ids() -> None:
    a = parse_text(DATA / "messy.txt", classify=no_area)
    b = parse_text(DATA / "messy.txt", classify=no_area)
    assert [c.id for c in a.clauses] == [c.id for c in b.clauses]
    assert len({c.id for c in a.clauses}) == len(a.clauses)


def test_default_classifier_is_used() -> None:
    p = parse_text(DATA / "messy.txt")
    assert all(isinstance(c.area, str) and c.area for c in p.clauses)


def test_helpers() -> None:
    text = "The Governments of New Zealand and the People’s Republic of China, and Papua New Guinea"
    assert find_parties(text) == (
        "NZL", "CHN", "PNG",
    )  # fmt: skip
    assert guess_language("El presente Acuerdo y las Partes que se " * 5) == "es"
    assert guess_language("The Parties to this Agreement shall " * 5) == "en"
    assert decode_text("café".encode("cp1252")) == "café"


# ---------------------------------------------------------------- bad input


def test_binary_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(ParseError, match="not a text file"):
        parse_text(f, classify=no_area)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    with pytest.raises(ParseError, match="empty"):
        parse_text(f, classify=no_area)
    f.write_bytes(b"  \r\n\r\n  ")
    with pytest.raises(ParseError, match="empty"):
        parse_text(f, classify=no_area)


def test_50mb_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: no disk used

    def no_read(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(ParseError, match="limit"):
        parse_any(f, classify=no_area)


# ---------------------------------------------------------------- manifest


def test_manifest_rows_and_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text((DATA / "messy.txt").read_text(encoding="utf-8"), encoding="utf-8")
    m = tmp_path / "m.csv"
    m.write_text(
        "file,title,signed_year,parties,tota_id,language,notes,original_name,name,signed,family\n"
        "a.txt,Iceland-Korea Trade Agreement,2020,ISL;KOR,,en,,orig.txt,iceland-korea,2020-05-01,efta;kor\n"
        "b.txt,Other,2019,EU;JPN,12,en,,,,,\n",
        encoding="utf-8",
    )
    entries = read_manifest(m)
    assert [e.path for e in entries] == [tmp_path / "a.txt", tmp_path / "b.txt"]
    assert entries[0].parties == ("ISL", "KOR") and entries[1].tota_id == 12
    p = parse_entry(entries[0], classify=no_area)
    assert p.agreement.name == "Iceland-Korea Trade Agreement"
    assert p.agreement.date_signed is not None and p.agreement.date_signed.isoformat() == "2020-05-01"
    assert p.agreement.families == ("efta", "kor") and p.agreement.aliases == ("iceland-korea",)
    bad = tmp_path / "bad.csv"
    bad.write_text("file,signed_year,parties\na.txt,2020,ISL\nc.txt,20x0,ISL\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"bad\.csv: line 3: signed_year '20x0'"):
        read_manifest(bad)
    bad.write_text("file,parties\na.txt,Iceland;Korea\n", encoding="utf-8")
    with pytest.raises(ParseError, match="line 2: parties must be ISO3"):
        read_manifest(bad)
    bad.write_text("title,parties\nX,ISL\n", encoding="utf-8")
    with pytest.raises(ParseError, match="no 'file' column"):
        read_manifest(bad)


def test_manifest_year_alone_is_stored_as_unknown_and_said(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text((DATA / "messy.txt").read_text(encoding="utf-8"), encoding="utf-8")
    m = tmp_path / "m.csv"
    m.write_text("file,title,signed_year,parties\na.txt,Sample FTA,2019,ISL;KOR\n", encoding="utf-8")
    (entry,) = read_manifest(m)
    assert entry.signed_year == 2019
    assert entry.meta() == SourceMeta(name="Sample FTA", parties=("ISL", "KOR"), signed=None)
    p = parse_entry(entry, classify=no_area)
    assert p.agreement.date_signed is None  # never a 1 January nobody chose
    assert any("known only to the year (2019): stored as unknown" in w for w in p.warnings)
    assert not any("date of signature" in w for w in p.warnings)


# ---------------------------------------------------------------- real corpus


@pytest.fixture(scope="module")
def ggo(corpora_dir: Path) -> Path:
    d = corpora_dir / "ggo"
    if not (d / "MANIFEST.csv").is_file():
        pytest.skip(f"ggo corpus not found at {d}")
    return d


def test_ggo_manifest_reads(ggo: Path) -> None:
    entries = read_manifest(ggo / "MANIFEST.csv")
    assert len(entries) == 24
    tpp = next(e for e in entries if e.path.name == "tpp-2016.txt")
    assert tpp.tota_id == 449 and tpp.parties[:2] == ("AUS", "BRN") and tpp.signed_year == 2016
    ceta = next(e for e in entries if e.path.name == "eu-canada-ceta-2016.txt")
    assert ceta.parties == ("CAN", "EU")


def test_china_georgia_page_numbers_and_footnotes(ggo: Path) -> None:
    p = parse_text(ggo / "china-georgia-2017.txt", classify=no_area)
    arts = outline(p)
    main = [a for a in arts if a[2] and not a[4]]
    assert (
        "CHAPTER 1",
        "INITIAL PROVISIONS AND DEFINITIONS",
        "ARTICLE 1.3",
        "GEOGRAPHICAL APPLICABILITY",
        False,
    ) in main
    # 17 chapters and 168 articles, counted by hand; a dozen headings lost their space ("ARTICLE12.1"),
    # one has a space inside its number ("ARTICLE 17. 4: TERMINATION"), read as 17.4.
    assert len({a[0] for a in main}) == 17
    assert len(main) == 168
    termination = next(c for c in p.clauses if c.article_title == "TERMINATION")
    assert termination.article_number == "ARTICLE 17. 4"
    assert termination.article_number_repaired == "ARTICLE 17.4"
    assert ("CHAPTER 12", "AREAS OF COOPERATION", "ARTICLE 12.1", "INVESTMENT", False) in main
    assert all(not c.text.strip().isdigit() for c in p.clauses)
    assert p.agreement.parties == ("GEO", "CHN")


def test_latin1_cr_corpus_file(ggo: Path) -> None:
    raw = (ggo / "uk-vietnam-2020.txt").read_bytes()
    assert b"\r" in raw and b"\n" not in raw
    p = parse_text(ggo / "uk-vietnam-2020.txt", classify=no_area)
    text = "\n".join(c.text for c in p.clauses)
    assert "\r" not in text and "\ufffd" not in text
    assert "Viet Nam" in text
    nums = [a[2] for a in outline(p) if a[2]]
    assert nums[:3] == ["ARTICLE 1", "ARTICLE 2", "ARTICLE 3"]


def test_spanish_corpus_file(ggo: Path) -> None:
    p = parse_text(ggo / "colombia-mercosur-2017.txt", classify=no_area)
    assert p.agreement.language == "es"
    assert set(p.agreement.parties) >= {"ARG", "BRA", "PRY", "URY", "COL"}
    nums = [a[2] for a in outline(p) if a[2] and not a[4]]
    assert nums[:5] == ["Artículo 1", "Artículo 2", "Artículo 3", "Artículo 4", "Artículo 5"]
    assert len(nums) >= 45


def test_running_headers_removed(ggo: Path) -> None:
    p = parse_text(ggo / "china-pakistan-2006.txt", classify=no_area)
    text = "\n".join(c.text for c in p.clauses)
    assert "Page 7 of 39" not in text and "Pak-China FTA" not in text
    assert len([a for a in outline(p) if a[2]]) == 83


def test_table_of_contents_not_taken_for_text(ggo: Path) -> None:
    p = parse_text(ggo / "eu-japan-epa-2018.txt", classify=no_area)
    arts = [a for a in outline(p) if a[2] and not a[4]]
    first = arts[0]
    assert first[0] == "CHAPTER 1" and first[2] == "ARTICLE 1.1"
    assert len({a[0] for a in arts}) == 23
    assert len(article_text(p, "ARTICLE 1.1")) > 100


def _numbers(parsed: ParsedAgreement) -> set[str]:
    return {c.article_number.split()[-1].upper() for c in parsed.clauses if c.article_number and not c.annex}


@pytest.mark.parametrize(("name", "tota_id"), [("tpp-2016.txt", 449), ("china-new-zealand-2008.txt", 384)])
def test_article_recall_against_tota(ggo: Path, tota_dir: Path, name: str, tota_id: int) -> None:
    mine = _numbers(parse_text(ggo / name, classify=no_area))
    gold = _numbers(parse_tota(tota_dir / f"pta_{tota_id}.xml", classify=no_area))
    assert len(gold) > 200
    recall = len(gold & mine) / len(gold)
    assert recall >= 0.99, sorted(gold - mine)[:20]


def test_every_ggo_file_parses_with_its_manifest_metadata(ggo: Path) -> None:
    for e in read_manifest(ggo / "MANIFEST.csv"):
        p = parse_entry(e, classify=no_area)
        assert p.clauses and p.agreement.parties == e.parties and p.agreement.name == e.title
        assert len({c.id for c in p.clauses}) == len(p.clauses)


# ---------------------------------------------------------------- files that once came out wrong


def _main_articles(
    parsed: ParsedAgreement,
) -> list[tuple[str | None, str | None, str | None, str | None, bool]]:
    return [a for a in outline(parsed) if a[2] and not a[4]]


def _annex_articles(
    parsed: ParsedAgreement,
) -> list[tuple[str | None, str | None, str | None, str | None, bool]]:
    return [a for a in outline(parsed) if a[2] and a[4]]


def test_articles_numbered_again_in_each_chapter(ggo: Path) -> None:
    # PACER Plus numbers articles from 1 in every chapter: 194 "Article N:" headings plus "Article 14bis".
    p = parse_text(ggo / "pacer-plus-2017.txt", classify=no_area)
    main = _main_articles(p)
    assert len(main) == 195
    assert len({a[0] for a in main}) == 15
    per_chapter = Counter(a[0] for a in main)
    assert (
        per_chapter["CHAPTER 1"] == 2 and per_chapter["CHAPTER 3"] == 29 and per_chapter["CHAPTER 14"] == 19
    )
    assert ("CHAPTER 2", "TRADE IN GOODS", "Article 1", "Objectives", False) in main
    assert (
        "CHAPTER 14",
        "CONSULTATIONS AND DISPUTE SETTLEMENT",
        "Article 14bis",
        "Interim Reports",
        False,
    ) in main


def test_amending_instrument_keeps_its_own_annexes_only(ggo: Path) -> None:
    # Seven articles and Annexes A and B; the "Annex 9-A", "CHAPTER 30" ... inside Annex A name CETA's parts.
    p = parse_text(ggo / "uk-canada-continuity-2020.txt", classify=no_area)
    main = _main_articles(p)
    assert [a[2] for a in main] == [f"ARTICLE {n}" for n in ("I", "II", "III", "IV", "V", "VI", "VII")]
    assert main[1][3] == "Further provision in relation to the Canada-UK Joint Committee"
    assert (
        main[4][3]
        == "Review of procedures for the resolution of investment disputes between investors and states"
    )
    annexes = [a[0] or "" for a in outline(p) if a[4]]
    assert sorted(set(annexes)) == ["Annex A", "Annex B"]
    # The file is Mac Roman, not Latin-1: its dashes and quotes decode as such.
    assert any(a[1] == "Part A – General modifications" for a in outline(p))


def test_protocol_articles_and_sentence_case_titles(ggo: Path) -> None:
    p = parse_text(ggo / "uk-vietnam-2020.txt", classify=no_area)
    main = _main_articles(p)
    assert [a[2] for a in main] == [f"ARTICLE {n}" for n in range(1, 10)]
    assert [a[3] for a in main][:5] == [
        "Definitions and interpretation",
        "Incorporation of the EU-Viet Nam FTA",
        "Objectives",
        "Territorial application",
        "References to the euro",
    ]
    protocol = _annex_articles(p)
    assert len(protocol) == 39 and {a[0] for a in protocol} == {"PROTOCOL 1"}
    assert protocol[-1][2:4] == ("ARTICLE 39", "The Republic of San Marino")
    assert "references to the euro (including “EUR” and “€”)" in article_text(p, "ARTICLE 5")


def test_annex_articles_numbered_in_the_amended_agreement(ggo: Path) -> None:
    ukr = parse_text(ggo / "uk-ukraine-digital-trade-2023.txt", classify=no_area)
    assert [a[2] for a in _main_articles(ukr)] == ["ARTICLE 1", "ARTICLE 2", "ARTICLE 3", "ARTICLE 4"]
    annex = [a[2] for a in _annex_articles(ukr)]
    # ARTICLE 131, 132, 132-A ... 132-Z, 132-AA: 29 headings.
    assert len(annex) == 29 and annex[:3] == ["ARTICLE 131", "ARTICLE 132", "ARTICLE 132-A"]
    assert annex[-1] == "ARTICLE 132-AA"
    # "ARTICLE 1" ... "ARTICLE 6" in the instrument, "ARTICLE 8.57" ... in its Annex A.
    sgp = parse_text(ggo / "uk-singapore-digital-economy-2022.txt", classify=no_area)
    assert [a[2] for a in _main_articles(sgp)] == [f"ARTICLE {n}" for n in range(1, 7)]
    annex_sgp = _annex_articles(sgp)
    # 29 headings; "8.61-1" and "8.61-0" (OCR for I and O) stay inside the articles before them.
    assert len(annex_sgp) == 27
    assert annex_sgp[0][2:4] == ("ARTICLE 8.57", "Definitions") and annex_sgp[-1][2] == "ARTICLE 8.61-X"


def test_flat_text_with_uppercase_headings(ggo: Path) -> None:
    p = parse_text(ggo / "cptpp-2018.txt", classify=no_area)
    main = _main_articles(p)
    assert [(a[2], a[3]) for a in main] == [
        ("ARTICLE 1", "Incorporation of the Trans-pacific Partnership Agreement"),
        ("ARTICLE 2", "Suspension of the Application of Certain Provisions"),
        ("ARTICLE 3", "Entry Into Force"),
        ("ARTICLE 4", "Withdrawal"),
        ("ARTICLE 5", "Accession"),
        ("ARTICLE 6", "Review of the Comprehensive and Progressive Agreement for Trans-pacific Partnership"),
        ("ARTICLE 7", "Authentic Texts"),
    ]
    assert article_text(p, "ARTICLE 5").startswith("After the date of entry into force")
    assert [c.paragraph for c in p.clauses if c.article_number == "ARTICLE 3"] == ["1", "2"]
    assert outline(p)[0][1] == "Preamble"
    assert any("line breaks" in w for w in p.warnings)


def test_flat_text_with_roman_numbers(ggo: Path) -> None:
    # GATT 1947: Articles I to XXXVIII and XXVIII bis, among hundreds of "Article XII" references.
    p = parse_text(ggo / "gatt-1947.txt", classify=no_area)
    main = _main_articles(p)
    assert len(main) == 39
    assert main[0][2:4] == ("Article I", "General Most-Favoured-Nation Treatment")
    assert main[28][2:4] == ("Article XXVIII bis", "Tariff Negotiations")
    assert main[-1][2:4] == ("Article XXXVIII", "Joint Action")
    assert ("Article IV", "Special Provisions relating to Cinematograph Films") in [a[2:4] for a in main]


def test_lower_cased_flat_text_of_many_agreements(ggo: Path) -> None:
    # The Marrakesh texts: one line, lower-cased, each agreement numbering its articles from 1 (or i).
    p = parse_text(ggo / "wto-marrakesh-1994.txt", classify=no_area)
    per: dict[str, int] = Counter(a[1] or "" for a in _main_articles(p))
    expected = {
        "agreement on agriculture": 21,
        "agreement on the application of sanitary and phytosanitary measures": 14,
        "agreement on technical barriers to trade": 15,
        "agreement on subsidies and countervailing measures": 32,
        "agreement on safeguards": 14,
        "general agreement on trade in services (gats)": 32,  # I-XXIX and III bis, V bis, XIV bis
        "general agreement on tariffs and trade (gatt 1947)": 39,
    }
    for title, n in expected.items():
        assert per[title] == n, title
    assert len(per) == 17
    assert sum(per.values()) == 369
    wto = [a for a in _main_articles(p) if a[1] and a[1].startswith("marrakesh agreement")]
    assert [a[3] for a in wto[:2]] == ["establishment of the organization", "scope of the wto"]


def test_flat_sample_exact() -> None:
    # One line of about 7,000 characters; "Article 2," and "Article 3 of" are references.
    body = " ".join(["The Parties shall cooperate on matters covered by this Agreement."] * 36)
    text = (
        "AGREEMENT ON SAMPLES PREAMBLE The Parties, desiring to trade, have agreed as follows: "
        f"ARTICLE 1. Objectives 1. {body} 2. As provided in Article 2, the Parties shall consult. "
        f"ARTICLE 2. Scope This Agreement applies to goods. {body} See Article 3 of the other treaty. "
        f"ARTICLE 3. Final Provisions {body} In witness whereof the undersigned have signed."
    )
    p = parse_text(text, SourceMeta(agreement_id="file:flat"), classify=no_area)
    assert [a[1:4] for a in outline(p)] == [
        ("Preamble", None, None),
        (None, "ARTICLE 1", "Objectives"),
        (None, "ARTICLE 2", "Scope"),
        (None, "ARTICLE 3", "Final Provisions"),
        ("Conclusion", None, None),
    ]
    assert article_text(p, "ARTICLE 2").startswith("This Agreement applies to goods.")
    assert article_text(p, "ARTICLE 2").endswith("See Article 3 of the other treaty.")
    assert [c.paragraph for c in p.clauses if c.article_number == "ARTICLE 1"] == ["1", "2"]


def test_chapter_restart_and_amending_annex_sample() -> None:
    text = (
        "AGREEMENT ON SAMPLES\n\nThe Parties have agreed as follows:\n\n"
        "CHAPTER 1\nGENERAL\n\nArticle 1: Objectives\nThe Parties shall cooperate on trade, investment.\n\n"
        "Article 2: Definitions\nFor this Agreement, terms mean what they say.\n\n"
        "CHAPTER 2\nGOODS\n\nArticle 1: Scope\nThis Chapter applies to all trade in goods.\n\n"
        "Article 2 of Chapter 1 applies to this Chapter.\n\n"
        "Article 2: Tariffs\nNo Party shall raise a customs duty.\n\n"
        "IN WITNESS WHEREOF the undersigned have signed.\n\n"
        "ANNEX A\n\nARTICLE 8.57\nDefinitions\n1. Terms mean what they say.\n\n"
        "ARTICLE 8.58\nScope of application\n\n1. This Section applies to digital trade.\n"
    )
    p = parse_text(text, SourceMeta(agreement_id="file:s"), classify=no_area)
    assert [a for a in outline(p) if a[2]] == [
        ("CHAPTER 1", "GENERAL", "Article 1", "Objectives", False),
        ("CHAPTER 1", "GENERAL", "Article 2", "Definitions", False),
        ("CHAPTER 2", "GOODS", "Article 1", "Scope", False),
        ("CHAPTER 2", "GOODS", "Article 2", "Tariffs", False),
        ("ANNEX A", None, "ARTICLE 8.57", "Definitions", True),
        ("ANNEX A", None, "ARTICLE 8.58", "Scope of application", True),
    ]
    assert len({c.id for c in p.clauses}) == len(p.clauses)


def test_mac_roman_bytes_are_recognised() -> None:
    raw = "The “Parties” agree – in full – to the Party’s terms.\r".encode("mac_roman") * 3
    assert decode_text(raw) == "The “Parties” agree – in full – to the Party’s terms.\r" * 3
    # Latin-1 text with accented lower-case letters stays Latin-1 ("CAPÍTULO" has the byte Ó would have).
    spanish = "CAPÍTULO ÚNICO: las Partes acordarán según el régimen ÓPTIMO.".encode("latin-1")
    assert decode_text(spanish) == "CAPÍTULO ÚNICO: las Partes acordarán según el régimen ÓPTIMO."
