"""The classifier: chapter and article titles, then the opening of the text, to one policy area.

:mod:`.titles` reads one title, :mod:`.text` reads the opening of a text;
this module weighs the article's title against its chapter's (docs/LABELLING.md
2.1) and falls back on the text.

Titles are mapped in four steps (see :func:`classify_area` and
docs/TAXONOMY.md): an explicit table of reviewed titles (``data/area_titles.tsv``,
covering every chapter title of the ToTA corpus), a fuzzy match against the
known titles and the areas' keywords for misspellings and OCR noise, a
keyword scan of the title, and for chapters whose title says nothing
(missing, "General Provisions", "Part II") the article title and then the
opening of the text. Ingest classifies about 100,000 clauses, so title lookups
are cached and the text scan is a handful of precompiled regular expressions.

The areas and their keywords are data (``areas.toml``, see :mod:`.areas`);
the rules here name areas too, and the import fails when one of them names an
area the data does not define.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..errors import RulecompareError
from ..model import UNCLASSIFIED
from .areas import AREAS
from .normalize import normalize_title
from .text import TEXT_CUES, cooperation_field, text_area
from .titles import BROAD_AREAS, classify_title, names_area, names_its_topic, title_lookup

__all__ = ["classify_area", "classify_title", "coverage"]


# --- the classifier ------------------------------------------------------------

# Article titles that only say where an article sits in its chapter ("Definitions",
# "Committee on ...", "Cooperation", "Consultations"); under a topical chapter they take
# the chapter's area (docs/LABELLING.md 2.1, rule 2).
_WEAK_ARTICLE_AREAS = frozenset(
    {
        "initial_provisions",
        "final_provisions",
        "institutions",
        "transparency",
        "dispute_settlement",
        "exceptions",
        "cooperation",
    }
)
# Disciplines that many chapters repeat for their own subject ("National Treatment" in
# a services chapter is services, not goods) are positional too.
_POSITIONAL_TITLE = re.compile(
    r"^(?:(?:the\s+)?(?:national\s+treatment|most\s+favou?red\s+nation|mfn|market\s+access|non\s+conforming"
    r"|reservations?|schedules?\s+of|denial\s+of\s+benefits|domestic\s+regulation|transfers|transferencias"
    r"|payments\s+and\s+transfers|general\s+provisions?"
    r"|scope|coverage|obligations?|principles?|technical\s+assistance|capacity\s+building|exchange\s+of\s+information"
    r"|information\s+exchange|notification|implementation|sub\s*committee|committee|working\s+group|contact\s+points?"
    r"|consultations?|review|confidentiality|relation\s+to|trato\s+nacional|nacion\s+mas\s+favorecida"
    r"|acceso\s+a\s+(?:los\s+)?mercados?|medidas\s+disconformes|reservas|comite|ambito|mutual\s+recognition|recognition|technical\s+standards"
    r"|service\s+of\s+documents|trade\s+facilitation)\b)"
)
# Disciplines whose own area (goods) is only a guess under a chapter that names no topic.
_DISCIPLINE_TITLE = re.compile(
    r"^(?:the\s+)?(?:national\s+treatment|most\s+favou?red\s+nation|mfn|market\s+access|trato\s+nacional"
    r"|nacion\s+mas\s+favorecida|acceso\s+a\s+(?:los\s+)?mercados?)\b"
)
# Exceptions that belong to the exceptions area wherever they sit (rule 4), and the
# chapters whose articles all share the chapter's area whatever their titles say.
_ABSOLUTE_EXCEPTIONS = re.compile(
    r"\b(?:general|security|essential\s+security)\s+exceptions?\b|\bexcepciones\s+generales\b|\btreaty\s+of\s+waitangi\b"
)
_ENCLOSING_AREAS = frozenset({"exceptions", "dispute_settlement"})
_SAFEGUARD_CHAPTERS = frozenset({"goods_market_access", "services", "rules_of_origin"})
"""Chapters whose safeguard articles are trade remedies (rule 6: agriculture, textiles, services);
elsewhere a "safeguard" is the chapter's own (capital controls, competitive safeguards in telecoms)."""
_SAFEGUARD = re.compile(r"(?<!competitive\s)\b(?:safeguards?|emergency\s+actions?|salvaguardias?)\b")
_STRUCTURAL_AREAS = frozenset({"preamble", "initial_provisions", "final_provisions", "institutions"})
# Under a cooperation chapter these stay cooperation; the sectors TAXONOMY.md gives an
# area of their own (customs, SPS, environment, energy, statistics ...) take it (rule 9).
_GENERAL_TOPICS = frozenset({"goods_market_access", "cooperation"})


_COOPERATION_FIELDS = frozenset(
    {
        "customs_trade_facilitation",
        "sps",
        "tbt",
        "regulatory_cooperation",
        "development",
        "intellectual_property",
        "competition",
        "government_procurement",
    }
)
"""Fields of cooperation with an area of their own whose text cues are specific enough to decide
an untitled article of a cooperation chapter (docs/LABELLING.md 2.1, rule 9)."""


def _untitled(article: str) -> bool:
    """The article's title names no area (none, "Article 12", a number)."""
    art = title_lookup(article) if article else None
    return art is None or art[0] == UNCLASSIFIED


def _positional(title: str, area: str) -> bool:
    """An article title that says where the article sits rather than what it is about.

    Trade-in-goods disciplines ("Customs Duties", "National Treatment") repeated in
    another topical chapter (e-commerce, services) count as positional there too.
    """
    if _ABSOLUTE_EXCEPTIONS.search(title):
        return False
    return (
        area in _WEAK_ARTICLE_AREAS
        or area == "goods_market_access"
        or _POSITIONAL_TITLE.match(title) is not None
    )


def _chapter_keeps(chapter_area: str, article: str, article_area: str) -> bool:
    """Under a topical chapter, does the chapter's area stand over the one the article title names?

    It does for a positional title, one that does not name its topic as a whole
    or names it within the chapter's area, and trade in goods or a general
    topic under a cooperation chapter; development cooperation there (capacity
    building, technical assistance) is development (rule 9).
    """
    if chapter_area == "cooperation" and article_area == "development":
        return False
    if _positional(article, article_area) or not names_its_topic(article):
        return True
    return names_area(article, chapter_area) or (
        chapter_area == "cooperation" and article_area in _GENERAL_TOPICS
    )


@lru_cache(maxsize=262144)
def _classify_titles(chapter: str, article: str) -> str | None:
    """Area from normalized titles alone; None when the text (then the chapter default) must decide.

    The article's own title outranks its chapter's (docs/LABELLING.md 2.1, rule 1)
    when it names a topic of its own as a whole ("Customs Valuation" in a goods
    chapter), unless it is positional (rule 2: "Definitions", "Committee on ...",
    "National Treatment"), the chapter encloses everything in it (an exceptions or
    dispute-settlement chapter), or it names trade in goods or a general topic under
    a cooperation chapter ("Agriculture" there is agricultural cooperation, rule 9).
    Under a structural chapter (initial, final, institutional provisions) or a
    generic one the article title decides; a positional title then gives way to a
    generic chapter's topical default.
    """
    ch = title_lookup(chapter)
    art = title_lookup(article) if article else None
    art_area = art[0] if art and art[0] != UNCLASSIFIED else None
    if ch and ch[1] == "topic":
        c = ch[0]
        if c in _ENCLOSING_AREAS or art_area is None or art_area == c:
            return c
        if c in _STRUCTURAL_AREAS:
            # mixed chapters (general and final provisions): the article decides, but a
            # positional title ("Relation to Environmental Agreements") keeps the chapter's area
            if (
                art_area in _WEAK_ARTICLE_AREAS
                or art_area in _STRUCTURAL_AREAS
                or not _positional(article, art_area)
            ):
                return art_area
            return c
        if art_area == "trade_remedies" and _SAFEGUARD.search(article):
            # safeguards in goods, agriculture, textiles and services chapters are trade remedies
            # (rule 6); a capital chapter's or a telecoms chapter's safeguards are its own
            return art_area if c in _SAFEGUARD_CHAPTERS else c
        return c if _chapter_keeps(c, article, art_area) else art_area
    default = ch[0] if ch else UNCLASSIFIED
    if art_area is not None:
        if default not in _WEAK_ARTICLE_AREAS and default != UNCLASSIFIED and _positional(article, art_area):
            return default
        return art_area
    return None


@lru_cache(maxsize=262144)
def _tentative(chapter: str, article: str) -> bool:
    """A positional article title ("Most-Favoured-Nation Treatment") under a chapter that names no topic.

    Its own area is only a guess: the opening of the text, when it names a topic
    ("With regard to the protection of intellectual property, ..."), decides first.
    """
    ch = title_lookup(chapter)
    if ch and ch[1] == "topic":
        return False
    art = title_lookup(article) if article else None
    return (
        art is not None
        and art[0] not in _WEAK_ARTICLE_AREAS
        and art[0] != UNCLASSIFIED
        and _DISCIPLINE_TITLE.match(article) is not None
    )


def classify_area(
    chapter_title: str | None,
    article_title: str | None = None,
    text: str = "",
    language: str = "en",
) -> str:
    """Policy area key of a provision from its chapter title, article title and text.

    1. The normalized chapter title is looked up in the explicit table of
       reviewed titles (``data/area_titles.tsv``).
    2. Failing that, it is fuzzy-matched (RapidFuzz token-sort ratio, cutoff
       88) against the known titles and the multi-word aliases of each area,
       which absorbs misspellings and OCR noise ("Rules Of Orgin").
    3. Failing that, the title is scanned for area keywords in English,
       Spanish and French; the keyword found first wins, specific areas before
       broad ones.
    4. When the chapter title is missing or generic ("General Provisions",
       "Final Provisions", "Part II", None), the article title goes through the
       same three steps ("Rules of Origin" under "General Provisions" is rules
       of origin; "Definitions" there stays with the chapter's default); when
       that gives nothing either, the first 300 characters of the text are
       scanned for cue phrases, and last the generic chapter's default area.

    ``language`` is accepted for callers that know it; the tables and cues
    already hold all three languages, so it does not change the result.
    Returns ``"unclassified"`` when nothing matches.
    """
    del language  # every table covers en, es and fr at once
    chapter = normalize_title(chapter_title)
    article = normalize_title(article_title)
    area = _classify_titles(chapter, article)
    if area == "cooperation" and text and _untitled(article):
        # an untitled article of a cooperation chapter: the field its text names (rule 9)
        field = cooperation_field(text)
        if field in _COOPERATION_FIELDS:
            return field
    if area is not None and not (text and _tentative(chapter, article)):
        return area
    found = text_area(text) if text else None
    if found:
        return found
    if area is not None:
        return area
    ch = title_lookup(chapter)
    return ch[0] if ch else UNCLASSIFIED


def coverage(areas: Iterable[str]) -> float:
    """Share of the given area keys that are not ``"unclassified"`` (0.0 for none)."""
    total = classified = 0
    for a in areas:
        total += 1
        classified += a != UNCLASSIFIED
    return classified / total if total else 0.0


def _check_rule_areas(rules: dict[str, Iterable[str]], areas: Iterable[str]) -> None:
    """Raise when a rule (text cues, broad areas ...) names an area that areas.toml does not define."""
    defined = set(areas)
    for rule, keys in rules.items():
        unknown = sorted(set(keys) - defined)
        if unknown:
            raise RulecompareError(
                f"rulecompare.taxonomy: the {rule} name areas that areas.toml does not define: {unknown}"
            )


_check_rule_areas(
    {"text cues": TEXT_CUES, "broad areas": BROAD_AREAS, "weak article areas": _WEAK_ARTICLE_AREAS},
    AREAS,
)
