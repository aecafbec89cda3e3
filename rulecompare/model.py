"""The records every part of rulecompare speaks: agreements and their clauses.

Parsers produce them, the store keeps them, the overlap functions and the metrics read
them. They are frozen so that a record read from one place can be handed to
another without anyone changing it behind the other's back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

UNCLASSIFIED = "unclassified"
"""Policy area of a clause whose titles and text match no area."""


@dataclass(frozen=True, slots=True)
class Agreement:
    """One trade agreement as a source presents it."""

    id: str
    """Stable id: ``tota:112`` for ToTA's NAFTA, ``file:<slug>`` for an imported file."""
    name: str
    """Full name as the source gives it."""
    parties: tuple[str, ...] = ()
    """Current parties, ISO 3166-1 alpha-3 (a bloc party such as ``EU`` keeps its bloc code)."""
    parties_original: tuple[str, ...] = ()
    """Original signatories, ISO3."""
    language: str = "en"
    """ISO 639-1 code of the text."""
    type: str | None = None
    """Agreement type from the WTO RTA card (FTA, CU, EIA ...)."""
    status: str | None = None
    """WTO status ("In Force", "Inactive" ...)."""
    date_signed: dt.date | None = None
    date_in_force: dt.date | None = None
    date_notification: dt.date | None = None
    end_implementation: dt.date | None = None
    date_inactive: dt.date | None = None
    composition: str | None = None
    """"Bilateral", "Plurilateral", "Plurilateral & Bilateral" ..."""
    region: str | None = None
    """Regions joined by "; " as in the WTO card."""
    crossregional: bool | None = None
    parties_wto: bool | None = None
    """Whether all parties are WTO members."""
    notification: str | None = None
    wto_rta_id: int | None = None
    source: str = ""
    """Where the record came from: a file path (or URL) as given to the parser."""
    source_urls: tuple[str, ...] = ()
    """Published locations of the text named by the source."""
    families: tuple[str, ...] = ()
    """Catalog families (``us``, ``eu``, ``china`` ...); filled in by the catalog at ingest."""
    aliases: tuple[str, ...] = ()
    """Short names users type (``nafta``, ``tpp``)."""
    duplicate_of: str | None = None
    """Id of the agreement this one nearly repeats (same text from another source); set by ingest.

    Analyses count such a pair once: the store can leave the duplicate out
    (``Store.agreements(include_duplicates=False)``)."""

    @property
    def year(self) -> int | None:
        """Year of signature, if known."""
        return self.date_signed.year if self.date_signed else None


@dataclass(frozen=True, slots=True)
class Clause:
    """The unit of comparison: one numbered paragraph of an article (or a whole article)."""

    id: str
    """Stable id ``<agreement id>/<article key>/<paragraph sequence>``, e.g. ``tota:112/10351/2``."""
    agreement_id: str
    chapter_index: int
    """Position of the chapter in the agreement, from 0."""
    chapter_number: str | None
    """Chapter number as found ("CHAPTER ELEVEN", "3"), or None."""
    chapter_title: str | None
    article_index: int
    """Position of the article in the agreement, from 0 (across chapters)."""
    article_number: str | None
    """Article number as found ("ARTICLE 405", "12.3"), or None."""
    article_title: str | None
    paragraph: str
    """Paragraph label as found ("1", "2(a)"), "" for an unnumbered article or its lead-in."""
    order: int
    """Position of the clause in the agreement, from 0."""
    text: str
    """The text as found (not normalized)."""
    area: str = UNCLASSIFIED
    """Policy area key from :mod:`rulecompare.taxonomy`."""
    annex: bool = False
    """True for text from an annex, protocol or appendix."""
    section_number: str | None = None
    """Section within the chapter as found ("Section A", "SECTION 2"), or None."""
    section_title: str | None = None
    chapter_number_repaired: str | None = None
    """The chapter number as read through OCR damage ("CHAPTER 12" for "CHAPTER l2"), or None."""
    chapter_title_repaired: str | None = None
    """The chapter title with OCR damage repaired ("Joint Committee" for "Joint Conunittee"), or None."""
    section_title_repaired: str | None = None
    article_number_repaired: str | None = None
    """The article number as read through OCR damage ("ARTICLE 2.1" for "ARTIcLE 2 1"), or None."""
    article_title_repaired: str | None = None
    """The article title with OCR damage repaired; None when unchanged.

    Repairs never replace what was found: ``article_title`` and ``text`` stay as the source has them."""


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote's text, kept apart from the clause it annotates (where a page break had left it)."""

    clause_id: str
    """The clause whose text carries the footnote's marker (or, with no marker found, where its text was)."""
    label: str
    """The footnote's number as found ("12")."""
    text: str
    """The footnote's text as found, without its number."""
    order: int = 0
    """Position of the footnote in the agreement, from 0."""


@dataclass(frozen=True, slots=True)
class ParsedAgreement:
    """What a parser returns for one source: the agreement and its clauses in order."""

    agreement: Agreement
    clauses: tuple[Clause, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = ()
    """Things the parser could not read or had to guess, for the user."""
    footnotes: tuple[Footnote, ...] = ()
    """Footnotes found in the text, each attached to a clause of ``clauses``."""
