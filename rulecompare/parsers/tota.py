"""ToTA XML (Texts of Trade Agreements, Alschner, Seiermann and Skougarevskiy 2017) -> records.

Layout: ``treaty/meta`` (WTO RTA card fields) and ``treaty/body/chapter/article``.
Preambles and concluding text are chapters named "Preamble" / "Conclusion".
Article and chapter numbers and titles are attributes; the article text keeps
the line breaks of the original, which :mod:`rulecompare.segment` uses to
find numbered paragraphs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..errors import ParseError
from ..model import Agreement, ParsedAgreement
from ..xmlsafe import parse_xml
from .clauses import Article, article_clauses
from .common import Classifier, resolve_classifier


def _text(meta: etree._Element, tag: str) -> str | None:
    el = meta.find(tag)
    if el is None or el.text is None:
        return None
    value = el.text.strip()
    return value or None


def _date(meta: etree._Element, tag: str) -> dt.date | None:
    value = _text(meta, tag)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _yes_no(meta: etree._Element, tag: str) -> bool | None:
    value = (_text(meta, tag) or "").lower()
    return {"yes": True, "no": False}.get(value)


def _number(value: str | None) -> int | None:
    """A non-negative integer written in ASCII digits that fits SQLite's INTEGER, else None."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _parties(meta: etree._Element, tag: str) -> tuple[str, ...]:
    """The party codes in the order of their ``n`` attribute (document order where ``n`` is no number)."""
    group = meta.find(tag)
    if group is None:
        return ()
    ranked = []
    for position, p in enumerate(group.iter("partyisocode")):
        n = _number(p.get("n"))
        ranked.append(((n is None, n or 0, position), (p.text or "").strip().upper()))
    return tuple(dict.fromkeys(code for _, code in sorted(ranked) if code))


def agreement_id(treaty_identifier: str | int) -> str:
    """The stable id of a ToTA treaty: ``tota:<treaty_identifier>``."""
    return f"tota:{treaty_identifier}"


_DATE_TAGS = ("date_signed", "date_into_force", "date_notification", "end_implementation", "date_inactive")
"""The WTO RTA card's dates, in the order of :class:`rulecompare.model.Agreement`'s date fields."""


def parse_tota(path: Path | str, classify: Classifier | None = None) -> ParsedAgreement:
    """Read one ToTA XML file into an agreement and its clauses.

    ``classify`` maps (chapter title, article title, text, language) to a
    policy area; it defaults to :func:`rulecompare.taxonomy.classify_area`.
    """
    path = Path(path)
    classify = resolve_classifier(classify)
    root = parse_xml(path)
    if root.tag != "treaty":
        raise ParseError(path, f"not a ToTA treaty file (root element <{root.tag}>, expected <treaty>)")
    meta = root.find("meta")
    body = root.find("body")
    if meta is None or body is None:
        raise ParseError(path, "ToTA file lacks <meta> or <body>")
    agreement = _agreement(meta, path)
    clauses = article_clauses(agreement.id, agreement.language, _articles(body), classify)
    return ParsedAgreement(agreement=agreement, clauses=tuple(clauses))


def _agreement(meta: etree._Element, path: Path) -> Agreement:
    """The agreement from ToTA's ``<meta>``: its names, parties and the fields of its WTO RTA card."""
    ident = _text(meta, "treaty_identifier")
    if not ident:
        raise ParseError(path, "ToTA file has no <treaty_identifier>")
    rta = _text(meta, "wto_rta_id")
    signed, in_force, notified, implemented, inactive = (_date(meta, tag) for tag in _DATE_TAGS)
    return Agreement(
        id=agreement_id(ident),
        name=_text(meta, "name") or path.stem,
        parties=_parties(meta, "parties"),
        parties_original=_parties(meta, "parties_original"),
        language=(_text(meta, "language") or "en").lower(),
        type=_text(meta, "type"),
        status=_text(meta, "status"),
        date_signed=signed,
        date_in_force=in_force,
        date_notification=notified,
        end_implementation=implemented,
        date_inactive=inactive,
        composition=_text(meta, "composition"),
        region=_text(meta, "region"),
        crossregional=_yes_no(meta, "crossregional"),
        parties_wto=_yes_no(meta, "parties_wto"),
        notification=_text(meta, "notification"),
        wto_rta_id=_number(rta),
        source=str(path),
        source_urls=tuple((s.text or "").strip() for s in meta.iter("source") if (s.text or "").strip()),
    )


def _articles(body: etree._Element) -> Iterator[Article]:
    """The articles of each chapter, in order, with the numbers and titles ToTA marked up."""
    article_index = 0
    for chapter_index, chapter in enumerate(body.iter("chapter")):
        ch_title = (chapter.get("name") or "").strip() or None
        ch_number = (chapter.get("number") or "").strip() or None
        for article in chapter.iter("article"):
            yield Article(
                key=article.get("article_identifier") or f"a{article_index}",
                chapter_index=chapter_index,
                chapter_number=ch_number,
                chapter_title=ch_title,
                number=(article.get("number") or "").strip() or None,
                title=(article.get("name") or "").strip() or None,
                text="".join(article.itertext()),
            )
            article_index += 1
