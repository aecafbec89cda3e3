"""The ToTA parser against real corpus files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rulecompare.errors import ParseError
from rulecompare.parsers.tota import parse_tota


def fixed(*_: object) -> str:
    return "x"


def test_nafta_metadata(tota_dir: Path) -> None:
    a = parse_tota(tota_dir / "pta_112.xml", classify=fixed).agreement
    assert a.id == "tota:112"
    assert a.name == "North American Free Trade Agreement (NAFTA)"
    assert a.parties == ("CAN", "MEX", "USA")
    assert a.date_signed == dt.date(1992, 12, 17)
    assert a.date_in_force == dt.date(1994, 1, 1)
    assert a.wto_rta_id == 122
    assert a.status == "In Force"
    assert a.composition == "Plurilateral"
    assert a.region == "North America"
    assert a.language == "en"
    assert a.crossregional is False and a.parties_wto is True
    assert a.year == 1992


def test_nafta_structure_and_clauses(tota_dir: Path) -> None:
    parsed = parse_tota(tota_dir / "pta_112.xml", classify=fixed)
    chapters = {(c.chapter_number, c.chapter_title) for c in parsed.clauses if c.chapter_number}
    assert len(chapters) == 22
    assert ("CHAPTER ELEVEN", "Investment") in chapters
    de_minimis = [c for c in parsed.clauses if c.article_number == "ARTICLE 405"]
    assert [c.paragraph for c in de_minimis] == ["1", "2", "3", "4", "5", "6"]
    assert de_minimis[0].article_title == "De Minimis"
    assert de_minimis[0].text.startswith("1. Except as provided in paragraphs 3 through 6")
    # Lettered items stay inside their numbered paragraph.
    assert "b) \tthe good satisfies all other applicable requirements" in de_minimis[0].text
    assert de_minimis[1].id == "tota:112/10351/2"
    orders = [c.order for c in parsed.clauses]
    assert orders == list(range(len(orders)))
    assert len({c.id for c in parsed.clauses}) == len(parsed.clauses)


def test_ids_are_stable_across_parses(tota_dir: Path) -> None:
    first = parse_tota(tota_dir / "pta_112.xml", classify=fixed)
    second = parse_tota(tota_dir / "pta_112.xml", classify=fixed)
    assert [c.id for c in first.clauses] == [c.id for c in second.clauses]
    assert first == second


def test_text_is_kept_as_found(tota_dir: Path) -> None:
    from lxml import etree

    parsed = parse_tota(tota_dir / "pta_112.xml", classify=fixed)
    root = etree.parse(str(tota_dir / "pta_112.xml")).getroot()
    article = root.find(".//article[@article_identifier='10351']")
    original = "".join(article.itertext())
    joined = [c.text for c in parsed.clauses if c.id.startswith("tota:112/10351/")]
    for piece in joined:
        assert piece in original


def test_spanish_and_french_files(tota_dir: Path) -> None:
    langs = {
        parse_tota(p, classify=fixed).agreement.language for p in sorted(tota_dir.glob("pta_*.xml"))[:80]
    }
    assert "en" in langs


def test_classifier_receives_titles(tota_dir: Path) -> None:
    seen: list[tuple[object, ...]] = []

    def spy(chapter: str | None, article: str | None, text: str, language: str) -> str:
        seen.append((chapter, article, language))
        return "investment" if chapter == "Investment" else "other"

    parsed = parse_tota(tota_dir / "pta_112.xml", classify=spy)
    assert ("Investment", "Expropriation And Compensation", "en") in seen
    assert {c.area for c in parsed.clauses if c.chapter_title == "Investment"} == {"investment"}


def test_not_a_treaty_file(tmp_path: Path) -> None:
    f = tmp_path / "other.xml"
    f.write_text("<html><body>hi</body></html>")
    with pytest.raises(ParseError, match="not a ToTA treaty file"):
        parse_tota(f, classify=fixed)
