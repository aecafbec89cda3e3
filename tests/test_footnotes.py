"""Footnotes left in the text by page breaks: found, taken out of the clause text, attached to their clause.

Hand-made pages for the exact behaviour, ToTA agreements laid out as pages for
precision and recall against the footnotes ToTA kept, and TPP's real PDF text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rulecompare.parsers.fidelity import footnote_scores
from rulecompare.parsers.synthetic import damage, layout_tota, page_text, tota_footnotes
from rulecompare.parsers.text import SourceMeta, parse_text, parse_text_string

META = SourceMeta(agreement_id="file:t", name="Test Agreement", parties=("CHN", "NZL"))


def no_area(*_args: object) -> str:
    return "x"


PAGES = [
    """TEST FREE TRADE AGREEMENT
ARTICLE 1: Objectives
1. The Parties establish a free trade area consistent with the GATT 1994 and the
WTO Agreement.1

2. The Parties shall interpret this Agreement in the light of its objectives and
of the rules of international law.

ARTICLE 2: Customs Duties
1. No Party shall increase any existing customs duty,2 or adopt a new customs duty,
on an originating good, and each Party shall eliminate its customs duties on
originating goods in accordance with its Schedule to Annex 2-A. Each Party
shall notify the other Party of
1 For greater certainty, the WTO Agreement includes any waiver granted by WTO
Members.
2 For the purposes of this paragraph, a customs duty includes a surcharge.
Test FTA - page 1
1""",
    """Test FTA - page 2
any change to its customs duties within thirty days.

2. Each Party shall apply its customs duties in a transparent manner.

ARTICLE 3: National Treatment
1. Each Party shall accord national treatment to the goods of the other Party.

2. Paragraph 1 shall not apply to the measures set out in Annex 3-A.
3 Paragraph 2 does not cover measures of a Party taken under its tax laws.
2""",
    """Test FTA - page 3
ARTICLE 4: Final Provisions
1. This Agreement shall enter into force sixty days after the later notification.

2. This Agreement may be amended by written agreement of the Parties.
3""",
]


@pytest.fixture(scope="module")
def pages_parsed():  # type: ignore[no-untyped-def]
    return parse_text_string("\f".join(PAGES), META, classify=no_area)


def test_footnotes_at_page_feet_are_taken_out_and_attached_to_their_clause(pages_parsed) -> None:  # type: ignore[no-untyped-def]
    p = pages_parsed
    notes = {f.label: f for f in p.footnotes}
    assert set(notes) == {"1", "2", "3"}
    assert (
        notes["1"].text
        == "For greater certainty, the WTO Agreement includes any waiver granted by WTO Members."
    )
    # Each goes to the clause that carries its marker: footnote 2 to Article 2 paragraph 1, whose text
    # runs on over the page break without the footnote in it.
    assert notes["1"].clause_id == "file:t/art-1/1"
    assert notes["2"].clause_id == "file:t/art-2/1"
    art2 = next(c for c in p.clauses if c.id == "file:t/art-2/1")
    assert "For the purposes of this paragraph" not in art2.text
    assert " ".join(art2.text.split()).endswith(
        "notify the other Party of any change to its customs duties within thirty days."
    )
    everything = "\n".join(c.text for c in p.clauses)
    assert "waiver granted" not in everything and "tax laws" not in everything
    assert [f.order for f in p.footnotes] == [0, 1, 2]


def test_a_footnote_whose_marker_was_lost_is_found_at_the_foot_of_its_page(pages_parsed) -> None:  # type: ignore[no-untyped-def]
    # "3 Paragraph 2 does not cover ..." has no marker, but it is the next number, at the page's foot.
    note = next(f for f in pages_parsed.footnotes if f.label == "3")
    assert note.text.startswith("Paragraph 2 does not cover")
    assert note.clause_id.startswith("file:t/art-3/")


def test_running_headers_and_page_numbers_are_gone(pages_parsed) -> None:  # type: ignore[no-untyped-def]
    everything = "\n".join(c.text for c in pages_parsed.clauses)
    assert "Test FTA - page" not in everything
    assert not any(c.text.strip().isdigit() for c in pages_parsed.clauses)


def test_numbered_paragraphs_are_not_footnotes() -> None:
    # "2. Each Party" has a period: a paragraph; "2 Each Party" with no marker before it and not at a
    # page's foot stays text too.
    text = (
        PAGES[2].replace("Test FTA - page 3\n", "") + "\n2 Each Party shall publish this Agreement.\n\nEnd."
    )
    p = parse_text_string(
        "ARTICLE 1: Scope\n1. This Agreement applies to goods.\n\n" + text, META, classify=no_area
    )
    assert p.footnotes == ()
    assert "2 Each Party shall publish" in "\n".join(c.text for c in p.clauses)


def test_footnote_number_on_a_line_of_its_own() -> None:
    # PDF text often puts a footnote's number on a line of its own, its text on the next after a space.
    text = (
        "ARTICLE 1: Scope\n1. This Agreement applies to originating goods.7\n\n"
        "2. It applies to services as well.\n7\n For greater certainty, goods include packaging.\n2-1\n"
        "ARTICLE 2: Definitions\nFor the purposes of this Agreement, days means calendar days.\n"
    )
    p = parse_text_string(text, META, classify=no_area)
    assert [(f.label, f.text, f.clause_id) for f in p.footnotes] == [
        ("7", "For greater certainty, goods include packaging.", "file:t/art-1/1")
    ]


@pytest.mark.corpus
@pytest.mark.parametrize("tota_id", [398, 156, 29])
def test_footnote_precision_and_recall_on_laid_out_tota_agreements(tota_dir: Path, tota_id: int) -> None:
    # China-Korea, US-Peru (footnotes numbered chapter by chapter), EU-Chile: clean and OCR-damaged.
    path = tota_dir / f"pta_{tota_id}.xml"
    pages, truth = layout_tota(path, seed=tota_id)
    assert len(truth) >= 10
    for version in (pages, damage(pages, seed=tota_id)):
        p = parse_text_string(page_text(version), META, classify=no_area)
        scores = footnote_scores(p, truth)
        assert scores.precision >= 0.95 and scores.recall >= 0.9, scores


def test_tota_footnotes_are_read_only_where_paragraphs_have_periods(tota_dir: Path) -> None:
    notes = tota_footnotes(tota_dir / "pta_7.xml")  # Chile-China: four footnotes
    assert [n.label for n in notes] == ["1", "2", "3", "4"]
    assert notes[1].text.startswith("Products of sea fishing and other products")


@pytest.mark.corpus
def test_tpp_real_pdf_text(corpora_dir: Path, tota_dir: Path) -> None:
    p = parse_text(corpora_dir / "ggo" / "tpp-2016.txt", classify=no_area)
    # "... on foodstuffs13 to prevent": footnote 13 of chapter 2 goes to Article 2.24, paragraph 1.
    note = next(
        f for f in p.footnotes if f.text.startswith("For the purpose of this Article, foodstuffs include")
    )
    assert note.label == "13" and note.clause_id == "file:tpp-2016/art-2.24/1"
    art = next(c for c in p.clauses if c.id == "file:tpp-2016/art-2.24/2")
    assert "For greater certainty and without prejudice" not in art.text
    annex = {c.id for c in p.clauses if c.annex}
    main = [f for f in p.footnotes if f.clause_id not in annex]
    scores = footnote_scores(
        type(p)(p.agreement, p.clauses, footnotes=tuple(main)), tota_footnotes(tota_dir / "pta_449.xml")
    )
    # ToTA kept 404 of TPP's main-text footnotes; the PDF text has more, and lays some out badly.
    assert scores.precision >= 0.95 and scores.recall >= 0.75, scores
