"""HTML and PDF sources: samples, hostile or broken files, and the RCEP PDF as published."""

from __future__ import annotations

import datetime as dt
import io
from collections import OrderedDict
from pathlib import Path

import pytest
from pypdf import PdfWriter

from rulecompare.errors import ParseError
from rulecompare.model import ParsedAgreement
from rulecompare.parsers.html import html_to_text, parse_html
from rulecompare.parsers.manifest import detect_format, parse_any
from rulecompare.parsers.pdf import parse_pdf
from rulecompare.parsers.text import SourceMeta, parse_text_string

DATA = Path(__file__).parent / "data"


def no_area(*_args: object) -> str:
    return "x"


def articles(parsed: ParsedAgreement) -> list[tuple[str | None, str | None, str | None, str | None]]:
    arts: OrderedDict[int, tuple[str | None, str | None, str | None, str | None]] = OrderedDict()
    for c in parsed.clauses:
        if c.article_number and not c.annex:
            arts.setdefault(
                c.article_index, (c.chapter_number, c.chapter_title, c.article_number, c.article_title)
            )
    return list(arts.values())


# ---------------------------------------------------------------- HTML


def test_html_page_structure_without_furniture() -> None:
    p = parse_html(DATA / "treaty_page.html", classify=no_area)
    assert articles(p) == [
        ("Chapter 1", "Initial Provisions", "Article 1.1", "Establishment of a Free Trade Area"),
        ("Chapter 1", "Initial Provisions", "Article 1.2", "Definitions"),
        ("Chapter 2", "Trade in Goods", "Article 2.1", "National Treatment"),
        ("Chapter 2", "Trade in Goods", "Article 2.2", "Customs Duties"),
    ]
    assert [c.paragraph for c in p.clauses if c.article_number == "Article 1.2"] == ["1", "2"]
    assert p.clauses[0].chapter_title == "Preamble"
    everything = "\n".join(c.text for c in p.clauses)
    for furniture in ("Tracking", "Not a heading", "cookies", "Ministry", "Related news", "Home", "color"):
        assert furniture not in everything
    assert p.agreement.id == "file:treaty-page"
    assert p.agreement.parties == ("CHL", "NZL")
    assert detect_format(DATA / "treaty_page.html") == "html"
    assert [c.id for c in parse_any(DATA / "treaty_page.html", classify=no_area).clauses] == [
        c.id for c in p.clauses
    ]


def test_html_without_treaty_is_refused() -> None:
    with pytest.raises(ParseError, match="no treaty text in this HTML page"):
        parse_html(DATA / "no_treaty.html", classify=no_area)


def test_html_entities_are_not_expanded_and_nothing_is_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    page = (
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y "EXPANDED">]>'
        "<html><body><p>Article 1: Scope &x; &y;</p>"
        "<p>Each Party shall apply this Agreement.</p></body></html>"
    )
    text = html_to_text(page.encode())
    assert "TOPSECRET" not in text and "EXPANDED" not in text
    assert "Each Party shall apply this Agreement." in text


def _nested(depth: int) -> bytes:
    return ("<html><body>" + "<div>" * depth + "<p>Each Party shall comply.</p>" + "</div>" * depth).encode()


def test_deeply_nested_html_does_not_crash() -> None:
    assert "Each Party shall comply." in html_to_text(_nested(200))
    # Beyond libxml2's depth limit (2048 in huge mode) the page would be read in part: it is refused.
    with pytest.raises(ParseError, match="HTML cannot be read whole"):
        html_to_text(_nested(5000))


# ---------------------------------------------------------------- broken PDFs


def _blank_pdf(pages: int = 3, password: str | None = None) -> bytes:
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(width=595, height=842)
    if password:
        w.encrypt(password)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_scanned_pdf_without_ocr_is_refused_with_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "scan.pdf"
    f.write_bytes(_blank_pdf())
    monkeypatch.setattr("rulecompare.parsers.ocr.shutil.which", lambda _name: None)
    with pytest.raises(ParseError) as err:
        parse_pdf(f, classify=no_area)
    message = str(err.value)
    assert message.startswith(f"{f}: image-only PDF (a scan) and no OCR: tesseract, pdftoppm not found")
    assert message.endswith("install with: apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils")
    assert "\n" not in message


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "locked.pdf"
    f.write_bytes(_blank_pdf(password="secret"))
    with pytest.raises(ParseError, match="encrypted"):
        parse_pdf(f, classify=no_area)


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    data = _blank_pdf(pages=20)
    f = tmp_path / "cut.pdf"
    f.write_bytes(data[: len(data) // 2])
    with pytest.raises(ParseError, match="truncated"):
        parse_any(f, classify=no_area)


def test_garbage_after_pdf_header_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "junk.pdf"
    f.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n")
    with pytest.raises(ParseError, match="damaged or truncated PDF|no extractable text"):
        parse_pdf(f, classify=no_area)


# ---------------------------------------------------------------- RCEP as published

RCEP_CHAPTERS = [
    "Initial Provisions and General Definitions", "Trade in Goods", "Rules of Origin",
    "Customs Procedures and Trade Facilitation", "Sanitary and Phytosanitary Measures",
    "Standards, Technical Regulations, and Conformity Assessment Procedures", "Trade Remedies",
    "Trade in Services", "Temporary Movement of Natural Persons", "Investment", "Intellectual Property",
    "Electronic Commerce", "Competition", "Small and Medium Enterprises",
    "Economic and Technical Cooperation",
    "Government Procurement", "General Provisions and Exceptions", "Institutional Provisions",
    "Dispute Settlement", "Final Provisions",
]  # fmt: skip


@pytest.fixture(scope="module")
def rcep(corpora_dir: Path) -> ParsedAgreement:
    pdf = corpora_dir / "pdf" / "rcep-2020.pdf"
    if not pdf.is_file():
        pytest.skip(f"RCEP PDF not found at {pdf}")
    seen: list[tuple[int, int]] = []
    parsed = parse_pdf(pdf, classify=no_area, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (510, 510) and len(seen) == 510
    return parsed


def test_rcep_chapters_and_titles(rcep: ParsedAgreement) -> None:
    arts = articles(rcep)
    chapters = list(OrderedDict.fromkeys((a[0], a[1]) for a in arts))
    assert [c[0] for c in chapters] == [f"CHAPTER {n}" for n in range(1, 21)]
    assert [(c[1] or "").lower() for c in chapters] == [t.lower() for t in RCEP_CHAPTERS]


def test_rcep_articles_numbered_within_their_chapters(rcep: ParsedAgreement) -> None:
    arts = articles(rcep)
    for chapter, _title, number, title in arts:
        assert chapter is not None and number is not None and title
        ch, _, seq = number.split()[-1].partition(".")
        assert f"CHAPTER {ch}" == chapter
    by_chapter: dict[str, list[int]] = {}
    for chapter, _t, number, _ in arts:
        by_chapter.setdefault(chapter or "", []).append(int((number or "").split(".")[-1]))
    # Every chapter's articles run 1, 2, 3 ... with none missing.
    for chapter, seqs in by_chapter.items():
        assert seqs == list(range(1, len(seqs) + 1)), chapter
    assert len(by_chapter["CHAPTER 11"]) == 83 and len(by_chapter["CHAPTER 20"]) == 9
    titles = {a[2]: a[3] for a in arts}
    assert (
        titles["Article 1.1"]
        == "Establishment of the Regional Comprehensive Economic Partnership as a Free Trade Area"
    )
    assert titles["Article 8.17"] == "Monopolies and Exclusive Service Suppliers"
    assert titles["Article 20.9"] == "Accession"


def test_rcep_annexes_are_marked(rcep: ParsedAgreement) -> None:
    annexes = {c.chapter_number for c in rcep.clauses if c.annex}
    assert {"ANNEX 3A", "ANNEX 8A", "ANNEX 10B"} <= annexes
    assert rcep.agreement.name == "REGIONAL COMPREHENSIVE ECONOMIC PARTNERSHIP AGREEMENT"


# ---------------------------------------------------------------- one SourceMeta for every format


def test_every_format_takes_the_same_source_meta(tmp_path: Path) -> None:
    meta = SourceMeta(
        agreement_id="file:mine", name="My Agreement", parties=("chl", " nzl "), signed=dt.date(2008, 4, 7),
        language="en", source="https://example.org/treaty", families=("fam", "fam"), aliases=("mine",),
    )  # fmt: skip
    html = parse_html(DATA / "treaty_page.html", meta, classify=no_area).agreement
    text = parse_any(DATA / "messy.txt", meta, classify=no_area).agreement
    for a in (html, text):
        assert (a.id, a.name, a.parties, a.date_signed, a.language, a.source) == (
            "file:mine", "My Agreement", ("CHL", "NZL"), dt.date(2008, 4, 7), "en", "https://example.org/treaty",
        )  # fmt: skip
        assert (a.families, a.aliases) == (("fam",), ("mine",))
    # What the meta does not say comes from the file: its id from its name, its path as the source.
    page = parse_html(DATA / "treaty_page.html", SourceMeta(name="Page"), classify=no_area).agreement
    assert (page.id, page.source) == ("file:treaty-page", str(DATA / "treaty_page.html"))
    # A text string's id comes from its name, else from the file name its source gives.
    body = "Agreement on Trade\n\nArticle 1 Objectives\nThe Parties shall cooperate.\n"
    assert parse_text_string(body, SourceMeta(name="Trade Pact"), classify=no_area).agreement.id == (
        "file:trade-pact"
    )
    assert parse_text_string(body, SourceMeta(source="in/pact-2020.txt"), classify=no_area).agreement.id == (
        "file:pact-2020"
    )
    # ToTA XML keeps its own metadata; only families and aliases are added.
    xml = tmp_path / "pta_9.xml"
    xml.write_text(
        "<treaty><meta><treaty_identifier>9</treaty_identifier><name>Sample FTA</name></meta>"
        "<body><chapter name='General'><article number='1' name='Objectives'>1. The Parties shall trade.\n"
        "2. Each Party shall publish its laws.</article></chapter></body></treaty>",
        encoding="utf-8",
    )
    tota = parse_any(xml, meta, classify=no_area)
    assert (tota.agreement.id, tota.agreement.name, tota.agreement.parties) == ("tota:9", "Sample FTA", ())
    assert (tota.agreement.families, tota.agreement.aliases) == (("fam",), ("mine",))
    assert [c.id for c in tota.clauses] == ["tota:9/a0/1", "tota:9/a0/2"]
