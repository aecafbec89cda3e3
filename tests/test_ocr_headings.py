"""Headings read through OCR damage, one confusion at a time, and the sequence deciding what is a heading.

Each test parses a small treaty whose headings carry one kind of damage and
checks that every article is found with its number as printed, that what was
found is kept (``article_number``) beside how it reads (``article_number_repaired``),
and that the clause ids are those of the undamaged text.
"""

from __future__ import annotations

import pytest

from rulecompare.model import ParsedAgreement
from rulecompare.parsers.text import SourceMeta, parse_text_string
from rulecompare.parsers.text.misread import read_heading
from rulecompare.parsers.text.repair import repair_title

META = SourceMeta(agreement_id="file:t", name="Test Agreement", parties=("CHN", "NZL"))

BODY = "Each Party shall apply this Article in good faith and without delay to goods of the other Party"


def no_area(*_args: object) -> str:
    return "x"


def treaty(headings: list[str], *, chapters: bool = True) -> str:
    """A small treaty: two chapters of three articles each (or six articles), with the given heading lines."""
    parts = ["FREE TRADE AGREEMENT", "", "The Parties have agreed as follows:", ""]
    for k, heading in enumerate(headings):
        if chapters and k % 3 == 0:
            parts += [f"CHAPTER {k // 3 + 1}", "GENERAL PROVISIONS" if k == 0 else "TRADE IN GOODS", ""]
        # Every paragraph differs: lines that repeat on many pages are taken for running headers.
        parts += [heading, f"1. {BODY} ({k}a).", "", f"2. {BODY} ({k}b).", ""]
    return "\n".join(parts)


def articles(p: ParsedAgreement) -> list[tuple[str | None, str | None, str | None]]:
    """(number as found, number as read, title) per article, in order."""
    seen: dict[int, tuple[str | None, str | None, str | None]] = {}
    for c in p.clauses:
        if c.article_number is not None:
            seen.setdefault(c.article_index, (c.article_number, c.article_number_repaired, c.article_title))
    return list(seen.values())


def read_as(p: ParsedAgreement) -> list[str]:
    return [(repaired or found or "").split()[-1] for found, repaired, _ in articles(p)]


DOTTED = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
TITLES = ["Objectives", "Definitions", "Scope", "National Treatment", "Customs Duties", "Import Licensing"]


def clean_ids() -> list[str]:
    text = treaty([f"ARTICLE {n}: {t}" for n, t in zip(DOTTED, TITLES, strict=True)])
    return [c.id for c in parse_text_string(text, META, classify=no_area).clauses]


@pytest.mark.parametrize(
    ("damaged", "confusion"),
    [
        ("ARTIcLE 1.2", "the case of a letter of the keyword flipped"),
        ("ArTiCLE 1.2", "letters of a title-case keyword in capitals"),
        ("article 1.2", "the keyword all in lower case"),
        ("ARTlCLE 1.2", "l for I in the keyword"),
        ("ART1CLE 1.2", "1 for I in the keyword"),
        ("Artide 1.2", "d for cl"),
        ("Artitle 1.2", "one letter misread beyond the look-alikes"),
        ("ARTICLE l.2", "l for 1 in the number"),
        ("ARTICLE I.2", "I for 1 in the number"),
        ("ARTICLE 1 .2", "a space before the period"),
        ("ARTICLE 1. 2", "a space after the period"),
        ("ARTICLE 1,2", "a comma for the period"),
        ("ARTICLE 1 2", "the period lost"),
        ("‘ARTICLE 1.2", "a speck before the keyword"),
        ("ARTICLE-1.2", "a mark between keyword and number"),
    ],
)
def test_one_damaged_heading_is_read(damaged: str, confusion: str) -> None:
    headings = [f"ARTICLE {n}: {t}" for n, t in zip(DOTTED, TITLES, strict=True)]
    headings[1] = f"{damaged}: {TITLES[1]}"
    p = parse_text_string(treaty(headings), META, classify=no_area)
    assert read_as(p) == DOTTED, confusion
    found, repaired, title = articles(p)[1]
    # What was found is kept (spacing aside); how it reads is beside it when that differs.
    assert found is not None and found.startswith(damaged.lstrip("‘").split("-")[0].split()[0])
    assert (repaired or found).upper() == "ARTICLE 1.2", confusion
    assert title == "Definitions"
    # The clause ids are those of the undamaged text: re-parsing a better scan changes nothing downstream.
    assert [c.id for c in p.clauses] == clean_ids()


def test_digit_look_alikes_in_numbers() -> None:
    numbers = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
    damaged = ["l", "2", "3", "4", "S", "6", "7", "8", "9", "1O", "l1", "I2"]
    headings = [f"Article {n}: Title {k}" for k, n in enumerate(damaged)]
    p = parse_text_string(treaty(headings, chapters=False), META, classify=no_area)
    assert read_as(p) == numbers
    assert [r for _, r, _ in articles(p)][9] == "Article 10"


def test_dropped_period_reads_as_the_number_that_runs_on() -> None:
    # "2 1" is 2.1 where articles are numbered within chapters ...
    dotted = [f"ARTICLE {n}: {t}" for n, t in zip(DOTTED, TITLES, strict=True)]
    dotted[3] = "ARTICLE 2 1: National Treatment"
    assert read_as(parse_text_string(treaty(dotted), META, classify=no_area)) == DOTTED
    # ... and 21 where they are numbered through ("Article 2 1" after Article 20).
    through = [f"Article {n}: Title {n}" for n in range(1, 25)]
    through[20] = "Article 2 1: Title 21"
    p = parse_text_string(treaty(through, chapters=False), META, classify=no_area)
    assert read_as(p) == [str(n) for n in range(1, 25)]
    assert articles(p)[20] == ("Article 2 1", "Article 21", "Title 21")


def test_the_sequence_tells_a_damaged_heading_from_a_cross_reference() -> None:
    headings = [f"ARTICLE {n}: {t}" for n, t in zip(DOTTED, TITLES, strict=True)]
    text = treaty(headings)
    # A damaged line that reads as an article number out of sequence, with a title, is not a heading ...
    text = text.replace("2. " + BODY + " (1b)", "ARTIcLE 7 4: Something Else\n2. " + BODY, 1)
    # ... and neither is a reference that opens a line and goes on in lower case.
    text = text.replace("1. " + BODY + " (2a)", "ARTIcLE 1.3 of this Chapter applies.\n1. " + BODY, 1)
    p = parse_text_string(text, META, classify=no_area)
    assert read_as(p) == DOTTED
    assert "ARTIcLE 7 4" in "\n".join(c.text for c in p.clauses)


def test_a_digit_misread_between_two_articles_that_run_on() -> None:
    headings = [f"Article {n}: Title {n}" for n in range(1, 13)]
    headings[7] = "Article 6: Title 8"  # 8 read as 6, between 7 and 9
    p = parse_text_string(treaty(headings, chapters=False), META, classify=no_area)
    assert read_as(p) == [str(n) for n in range(1, 13)]
    assert articles(p)[7] == ("Article 6", "Article 8", "Title 8")


def test_chapter_and_section_headings_through_damage() -> None:
    text = treaty([f"ARTICLE {n}: {t}" for n, t in zip(DOTTED, TITLES, strict=True)])
    text = text.replace("CHAPTER 2\n", "CHAPTEr 2\n").replace(
        "ARTICLE 2.2", "SECTlON A: Customs Matters\nARTICLE 2.2"
    )
    p = parse_text_string(text, META, classify=no_area)
    second = [c for c in p.clauses if c.article_number and c.article_number.endswith("2.2")][0]
    assert second.chapter_number == "CHAPTEr 2" and second.chapter_number_repaired == "CHAPTER 2"
    assert (second.section_number, second.section_title) == ("SECTlON A", "Customs Matters")


@pytest.mark.parametrize(
    ("line", "kind", "readings"),
    [
        ("ARTIcLE 2.1 Scope", "article", ("2.1",)),
        ("ARTICLE 2 1 Scope", "article", ("2.1", "21")),
        ("Arti¢le 15: Originating Goods", "article", ("15",)),
        ("Article $8: Committee", "article", ("58",)),
        ("Article lO: Title", "article", ("10",)),
        ("ARTICLE 7.S: Technical Regulations", "article", ("7.5",)),
        ("CHAPTEr l2 Final Provisions", "chapter", ("12",)),
        ("SECTlON B: Tariffs", "section", ("B",)),
    ],
)
def test_read_heading(line: str, kind: str, readings: tuple[str, ...]) -> None:
    h = read_heading(line)
    assert h is not None and h.kind == kind and h.readings == readings and h.damaged


@pytest.mark.parametrize(
    "line",
    [
        "Articles 3 and 4 apply.",  # a plural is a reference
        "Particle 5 is small",  # one letter off, but not at the start of the word
        "Article 3 so that",  # "so" after a number is a word
        "Article 16.4, Article 16.6 and Article 16.10 shall not apply",  # a list of references
        "The Article 5 of GATT",
    ],
)
def test_not_headings(line: str) -> None:
    h = read_heading(line)
    assert h is None or h.rest.startswith("so")


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("Joint Conunittee", "Joint Committee"),
        ("II’Iultilateral Environmental Agreements", "Multilateral Environmental Agreements"),
        ("Establishment ofArbitration Panel", "Establishment of Arbitration Panel"),
        ("Employnient", "Employment"),
        ("Objectives ofthe Agreement", "Objectives of the Agreement"),
        ("NationaI Treatment", "National Treatment"),
        ("GENERAL DEFlNlTlONS", "GENERAL DEFINITIONS"),
        ("Cornpetition Po1icy", "Competition Policy"),
        ("Transparency ‘ . a", "Transparency"),
    ],
)
def test_title_repairs(damaged: str, repaired: str) -> None:
    assert repair_title(damaged) == repaired


@pytest.mark.parametrize(
    "title",
    ["Icewine", "Definitions", "Sanitary and Phytosanitary Measures", "The Republic of San Marino", "MRAs"],
)
def test_clean_titles_are_left_alone(title: str) -> None:
    assert repair_title(title) is None


def test_bold_repairs_for_text_known_to_come_from_ocr() -> None:
    # One letter off a frequent word of treaties: repaired only when the text is known to be OCR'd,
    # where it is far more often damage than a name the word list lacks.
    assert repair_title("Other Customis Issues") is None
    assert repair_title("Other Customis Issues", bold=True) == "Other Customs Issues"
    assert repair_title("Labor, Soctal Security", bold=True) == "Labor, Social Security"


def test_only_english_titles_are_repaired() -> None:
    assert repair_title("Expedición directa", "es") is None


def test_repairs_go_beside_what_was_found() -> None:
    headings = [f"ARTICLE {n}: {t}" for n, t in zip(DOTTED, TITLES, strict=True)]
    headings[4] = "ARTICLE 2.2: Joint Conunittee"
    p = parse_text_string(treaty(headings), META, classify=no_area)
    c = next(c for c in p.clauses if c.article_number == "ARTICLE 2.2")
    assert c.article_title == "Joint Conunittee" and c.article_title_repaired == "Joint Committee"
    untouched = next(c for c in p.clauses if c.article_number == "ARTICLE 2.1")
    assert untouched.article_title_repaired is None and untouched.article_number_repaired is None


def test_specks_after_a_headings_number_leave_its_title_on_the_next_line() -> None:
    headings = [f"ARTICLE {n}\n{t}" for n, t in zip(DOTTED, TITLES, strict=True)]
    headings[1] = "Article 1.2 , ; a]\nDefinitions, ."
    headings[2] = "Article 1.3°\nScope"
    headings[3] = "Article 2.1 *\n\nNational Treatment _ = ."
    p = parse_text_string(treaty(headings), META, classify=no_area)
    assert read_as(p) == DOTTED
    assert [t for _, _, t in articles(p)][1:4] == ["Definitions", "Scope", "National Treatment"]


def test_a_double_quote_before_a_heading_is_a_speck_only_in_text_known_to_be_ocred() -> None:
    headings = [f"ARTICLE {n}: {t}" for n, t in zip(DOTTED, TITLES, strict=True)]
    headings[4] = "“ARTICLE 2.2: Customs Duties"
    text = treaty(headings)
    # Elsewhere it opens a quotation: an amending instrument quoting the articles it replaces.
    assert "2.2" not in read_as(parse_text_string(text, META, classify=no_area))
    assert read_as(parse_text_string(text, META, classify=no_area, ocr=True)) == DOTTED
