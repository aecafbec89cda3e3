"""Articles -> clauses: the step every parser ends with, so that ids and order mean the same everywhere.

A parser finds an agreement's articles, each with its place (chapter,
section, number, title) and text; here each article gets its policy area and
is split into its paragraphs (:func:`rulecompare.segment.split_paragraphs`),
one clause each, with the id ``<agreement id>/<article key>/<paragraph sequence>``.
An article's footnotes go to the paragraph that carries their marker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Clause, Footnote
from ..segment import split_paragraphs
from .common import Classifier


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote of an article, before the article is split into clauses."""

    label: str
    text: str
    anchor: int
    """Where in the article's text its marker was (a character offset); the clause there takes it."""


@dataclass(frozen=True, slots=True)
class Article:
    """An article (or preamble, chapter lead-in, annex text) with its place, before it is split."""

    key: str
    """Unique within the agreement and stable across re-parsing: the middle part of its clauses' ids."""
    chapter_index: int
    chapter_number: str | None
    chapter_title: str | None
    number: str | None
    title: str | None
    text: str
    annex: bool = False
    section_number: str | None = None
    section_title: str | None = None
    chapter_number_repaired: str | None = None
    chapter_title_repaired: str | None = None
    section_title_repaired: str | None = None
    number_repaired: str | None = None
    title_repaired: str | None = None
    notes: tuple[Note, ...] = ()


def article_clauses(
    agreement_id: str, language: str, articles: Iterable[Article], classify: Classifier
) -> list[Clause]:
    """The clauses of ``articles`` in order; an article's paragraphs share the area ``classify`` gives it."""
    return article_parts(agreement_id, language, articles, classify)[0]


def article_parts(
    agreement_id: str, language: str, articles: Iterable[Article], classify: Classifier
) -> tuple[list[Clause], list[Footnote]]:
    """The clauses of ``articles`` in order, and their footnotes, each attached to a clause."""
    clauses: list[Clause] = []
    footnotes: list[Footnote] = []
    for article_index, a in enumerate(articles):
        area = classify(a.chapter_title, a.title, a.text, language)
        first = len(clauses)
        starts: list[int] = []
        cursor = 0
        for seq, para in enumerate(split_paragraphs(a.text), start=1):
            # A paragraph's text is a stripped slice of the article's: find where it starts.
            at = a.text.find(para.text, cursor)
            starts.append(at if at >= 0 else cursor)
            cursor = max(cursor, starts[-1] + len(para.text))
            clauses.append(
                Clause(
                    id=f"{agreement_id}/{a.key}/{seq}",
                    agreement_id=agreement_id,
                    chapter_index=a.chapter_index,
                    chapter_number=a.chapter_number,
                    chapter_title=a.chapter_title,
                    article_index=article_index,
                    article_number=a.number,
                    article_title=a.title,
                    paragraph=para.label,
                    order=len(clauses),
                    text=para.text,
                    area=area,
                    annex=a.annex,
                    section_number=a.section_number,
                    section_title=a.section_title,
                    chapter_number_repaired=a.chapter_number_repaired,
                    chapter_title_repaired=a.chapter_title_repaired,
                    section_title_repaired=a.section_title_repaired,
                    article_number_repaired=a.number_repaired,
                    article_title_repaired=a.title_repaired,
                )
            )
        if len(clauses) == first:
            continue
        for note in a.notes:
            k = max((i for i, at in enumerate(starts) if at <= note.anchor), default=0)
            footnotes.append(Footnote(clauses[first + k].id, note.label, note.text, len(footnotes)))
    return clauses, footnotes
