"""Articles -> clauses: the step every parser ends with, so that ids and order mean the same everywhere.

A parser finds an agreement's articles, each with its place (chapter,
number, title) and text; here each article gets its policy area and is split
into its paragraphs (:func:`rulecompare.segment.split_paragraphs`), one clause
each, with the id ``<agreement id>/<article key>/<paragraph sequence>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Clause
from ..segment import split_paragraphs
from .common import Classifier


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


def article_clauses(
    agreement_id: str, language: str, articles: Iterable[Article], classify: Classifier
) -> list[Clause]:
    """The clauses of ``articles`` in order; an article's paragraphs share the area ``classify`` gives it."""
    clauses: list[Clause] = []
    for article_index, a in enumerate(articles):
        area = classify(a.chapter_title, a.title, a.text, language)
        for seq, para in enumerate(split_paragraphs(a.text), start=1):
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
                )
            )
    return clauses
