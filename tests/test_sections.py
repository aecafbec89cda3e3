"""Sections, the level between chapter and article ("Section A: ..."), kept on every clause."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulecompare.parsers.text import SourceMeta, parse_text, parse_text_string

META = SourceMeta(agreement_id="file:t", name="Test Agreement", parties=("CAN", "UKR"))


def no_area(*_args: object) -> str:
    return "x"


TEXT = """TEST AGREEMENT

CHAPTER 1
INITIAL PROVISIONS

Article 1.1: Establishment of a Free Trade Area
The Parties establish a free trade area.

Section B - General Definitions
Article 1.2: Definitions
For the purposes of this Agreement, days means calendar days.

CHAPTER 2
TRADE IN GOODS

Article 2.1: Scope
This Chapter applies to trade in goods.

Section A: National Treatment
Article 2.2: National Treatment
Each Party shall accord national treatment to the goods of the other Party.

Section B: Tariffs
Article 2.3: Tariff Elimination
Each Party shall eliminate its customs duties.

Article 2.4: Customs Valuation
The Customs Valuation Agreement applies; Section A of its Schedule sets out exceptions.
"""


def sections(p) -> list[tuple[str | None, str | None, str | None]]:  # type: ignore[no-untyped-def]
    seen: dict[int, tuple[str | None, str | None, str | None]] = {}
    for c in p.clauses:
        if c.article_number:
            seen.setdefault(c.article_index, (c.article_number, c.section_number, c.section_title))
    return list(seen.values())


def test_sections_are_kept_on_their_articles_until_the_next_section_or_chapter() -> None:
    p = parse_text_string(TEXT, META, classify=no_area)
    assert sections(p) == [
        ("Article 1.1", None, None),
        ("Article 1.2", "Section B", "General Definitions"),
        ("Article 2.1", None, None),  # a new chapter starts outside any section
        ("Article 2.2", "Section A", "National Treatment"),
        ("Article 2.3", "Section B", "Tariffs"),
        ("Article 2.4", "Section B", "Tariffs"),  # "Section A of its Schedule" is a reference
    ]


@pytest.mark.corpus
def test_tpp_investment_sections(corpora_dir: Path) -> None:
    p = parse_text(corpora_dir / "ggo" / "tpp-2016.txt", classify=no_area)
    by_article = {c.article_number: (c.section_number, c.section_title) for c in p.clauses if not c.annex}
    assert by_article["Article 9.1"] == ("Section A", None)  # the source gives Section A no title
    assert by_article["Article 9.17"] == ("Section A", None)
    assert by_article["Article 9.18"] == ("Section B", "Investor-State Dispute Settlement")
    assert by_article["Article 3.1"] == ("Section A", "Rules of Origin")
    assert by_article["Article 1.1"] == ("Section A", "Initial Provisions")


@pytest.mark.corpus
def test_canada_ukraine_sections(corpora_dir: Path) -> None:
    p = parse_text(corpora_dir / "ggo" / "canada-ukraine-2016.txt", classify=no_area)
    by_article = {c.article_number: (c.section_number, c.section_title) for c in p.clauses if not c.annex}
    assert by_article["Article 2.3"] == ("Section A", "National Treatment")
    assert by_article["Article 17.1"][0] == "Section A"
    assert by_article["Article 17.1"][1] == "State to State Dispute Settlement"
