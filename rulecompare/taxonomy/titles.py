"""Reading a chapter or article title: the reviewed table, fuzzy matching and the areas' keywords.

Steps 1-3 of docs/TAXONOMY.md: a normalized title is looked up in
``data/area_titles.tsv`` (every ToTA chapter title, reviewed by hand), then
fuzzy-matched against the known titles and the longer keywords (for
misspellings and OCR noise), then scanned for the areas' keywords
(``areas.toml``). Lookups are cached: ingest pays for each distinct title once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Literal

from rapidfuzz import fuzz, process

from ..errors import RulecompareError
from ..model import UNCLASSIFIED
from .areas import AREAS
from .normalize import normalize_title

__all__ = [
    "BROAD_AREAS",
    "EMPTY_TITLES",
    "TABLE",
    "Role",
    "classify_title",
    "names_area",
    "names_its_topic",
    "title_lookup",
]

Role = Literal["topic", "generic"]


def _load_table() -> dict[str, tuple[str, Role]]:
    """Read ``data/area_titles.tsv``: normalized title, area, role.

    Role ``topic`` means the title decides the area of everything under it.
    Role ``generic`` means the title is a container ("General Provisions",
    "Payments, Competition And Other Economic Provisions"): the article title
    decides, and the area given is only the default when it cannot.
    """
    table: dict[str, tuple[str, Role]] = {}
    text = resources.files("rulecompare").joinpath("data/area_titles.tsv").read_text("utf-8")
    for n, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        title, area, role = line.split("\t")
        if area not in AREAS:
            raise RulecompareError(f"data/area_titles.tsv:{n}: area '{area}' is not defined in areas.toml")
        if role not in ("topic", "generic"):
            raise RulecompareError(f"data/area_titles.tsv:{n}: role '{role}' is neither topic nor generic")
        table[normalize_title(title)] = (area, "topic" if role == "topic" else "generic")
    return table


TABLE = _load_table()

# Chapter titles that carry no topic at all, beyond those listed in the table.
EMPTY_TITLES = frozenset({"", "none", "main agreement", "agreement", "general", "text", "body"})

# Leftmost keyword match wins ("Rules Of Origin And Customs Procedures" is
# rules of origin), the longer keyword on a tie ("customs duties" beats
# "customs"); but these broad areas give way to any specific area named in the
# same title ("Customs Cooperation" is customs, "Cooperation In Tourism" is not).
BROAD_AREAS = frozenset(
    {"cooperation", "development", "institutions", "initial_provisions", "final_provisions"}
)


def _alias_regex(aliases: Iterable[str]) -> re.Pattern[str]:
    """One pattern for an area's keywords: whole words (plural allowed), or a stem ending in ``*``."""
    words: set[str] = set()
    stems: set[str] = set()
    for a in aliases:
        (stems if a.endswith("*") else words).add(normalize_title(a.rstrip("*")))
    alts = [re.escape(w) + r"(?:s|es)?\b" for w in sorted(words, key=len, reverse=True) if w]
    alts += [re.escape(st) for st in sorted(stems, key=len, reverse=True) if st]
    return re.compile(r"\b(?:" + "|".join(alts) + ")")


_KEYWORD_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, _alias_regex(info.aliases)) for key, info in AREAS.items() if info.aliases
)
_KEYWORD_BY_AREA = dict(_KEYWORD_RES)


_BODY_ASPECT = (
    r"(?:establishment|creation|functions?|composition|membership|meetings?|procedures?|powers?|tasks?"
    r"|rules\s+of\s+procedure|decisions?|chair(?:manship)?)"
)
_ABOUT_A_BODY = re.compile(
    rf"^{_BODY_ASPECT}(?:\s*(?:,|and)\s*{_BODY_ASPECT})*\s+of\s+(?:the\s+|a\s+|an\s+)?"
)


def _keyword_match(title: str) -> tuple[str, int, int] | None:
    """Area whose keyword a normalized title names first (see above), with the keyword's start and length."""
    # "Establishment of the Free Trade Commission" is about the commission, not establishment
    about = _ABOUT_A_BODY.match(title)
    skip = about.end() if about else 0
    spans = [(key, m.start(), m.end()) for key, rx in _KEYWORD_RES for m in rx.finditer(title, skip)]
    best: tuple[int, int, int, str] | None = None
    for key, start, end in spans:
        # a keyword inside another area's longer keyword is part of that one: "business environment"
        # (cooperation) is not the environment, "business climate" not the climate
        if any(k != key and s <= start and end <= e and e - s > end - start for k, s, e in spans):
            continue
        rank = (key in BROAD_AREAS, start, start - end, key)
        if best is None or rank < best:
            best = rank
    return (best[3], best[1], -best[2]) if best else None


def _keyword_area(title: str) -> str | None:
    hit = _keyword_match(title)
    return hit[0] if hit else None


# Fuzzy choices: every table title plus every alias of three words or more
# (short aliases fuzzy-match too many unrelated short titles).
_FUZZY_CHOICES: dict[str, str] = {
    **{
        normalize_title(a): key
        for key, info in AREAS.items()
        for a in info.aliases
        if len(normalize_title(a).split()) >= 3
    },
    **{t: area for t, (area, role) in TABLE.items() if role == "topic"},
}
_FUZZY_KEYS = list(_FUZZY_CHOICES)
_FUZZY_CUTOFF = 88.0


@lru_cache(maxsize=65536)
def title_lookup(title: str) -> tuple[str, Role] | None:
    """Area and role of a normalized title by table, fuzzy match, then keywords."""
    if title in EMPTY_TITLES:
        return (UNCLASSIFIED, "generic")
    hit = TABLE.get(title)
    if hit:
        return hit
    if len(title) >= 8:
        best = process.extractOne(
            title, _FUZZY_KEYS, scorer=fuzz.token_sort_ratio, score_cutoff=_FUZZY_CUTOFF
        )
        if best:
            key = best[0]
            return TABLE.get(key, (_FUZZY_CHOICES[key], "topic"))
    area = _keyword_area(title)
    return (area, "topic") if area else None


@lru_cache(maxsize=65536)
def names_its_topic(title: str) -> bool:
    """The title as a whole names its area: a reviewed or fuzzy-matched title, or a keyword that leads it.

    "Customs Valuation" names customs; "Identical and Interchangeable Goods or
    Materials" only mentions goods, and under a rules-of-origin chapter stays there.
    """
    if title in TABLE:
        return True
    if len(title) >= 8 and process.extractOne(
        title, _FUZZY_KEYS, scorer=fuzz.token_sort_ratio, score_cutoff=_FUZZY_CUTOFF
    ):
        return True
    hit = _keyword_match(title)
    if hit is None:
        return False
    _, start, length = hit
    # "Cooperation in Statistics" names statistics: the broad frame words do not count
    rest = len(" ".join(_FILLER.sub(" ", title).split())) or len(title)
    return length >= 0.5 * min(len(title), rest) or (start == 0 and length >= 0.3 * len(title))


_FILLER = re.compile(
    r"\b(?:co\s*operation|cooperacion|in|on|the|of|field|fields|area|areas|matters|and|for|to|regarding|sector)\b"
)


_FRAMED_BY = re.compile(r"\b(?:in|of|for|under|on|regarding|concerning|to)\s+(?:the\s+)?$")


def names_area(title: str, area: str) -> bool:
    """The title puts its topic in this area: "Use of Electronic Communications in Procurement"."""
    if area in BROAD_AREAS:
        return False  # "Statistical Cooperation" under a cooperation chapter is about statistics
    rx = _KEYWORD_BY_AREA.get(area)
    if rx is None:
        return False
    return any(_FRAMED_BY.search(title, 0, m.start()) for m in rx.finditer(title))


def classify_title(title: str | None) -> str:
    """Area of one title on its own (steps 1-3 of :func:`classify_area`), or "unclassified"."""
    hit = title_lookup(normalize_title(title))
    return hit[0] if hit else UNCLASSIFIED
