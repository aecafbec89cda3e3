"""The classifier: chapter and article titles, then the opening of the text, to one policy area.

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
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Literal

from rapidfuzz import fuzz, process

from ..errors import RulecompareError
from ..model import UNCLASSIFIED
from .areas import AREAS
from .normalize import normalize_title

__all__ = ["classify_area", "classify_title", "coverage"]

# --- explicit table -----------------------------------------------------------

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


_TABLE = _load_table()

# Chapter titles that carry no topic at all, beyond those listed in the table.
_EMPTY_TITLES = frozenset({"", "none", "main agreement", "agreement", "general", "text", "body"})

# Leftmost keyword match wins ("Rules Of Origin And Customs Procedures" is
# rules of origin), the longer keyword on a tie ("customs duties" beats
# "customs"); but these broad areas give way to any specific area named in the
# same title ("Customs Cooperation" is customs, "Cooperation In Tourism" is not).
_BROAD = frozenset({"cooperation", "development", "institutions", "initial_provisions", "final_provisions"})


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


def _keyword_area(title: str) -> str | None:
    """Area whose keyword a normalized title names first (see the rule above)."""
    best: tuple[int, int, int, str] | None = None
    for key, rx in _KEYWORD_RES:
        m = rx.search(title)
        if m:
            rank = (key in _BROAD, m.start(), m.start() - m.end(), key)
            if best is None or rank < best:
                best = rank
    return best[3] if best else None


# Fuzzy choices: every table title plus every alias of three words or more
# (short aliases fuzzy-match too many unrelated short titles).
_FUZZY_CHOICES: dict[str, str] = {
    **{
        normalize_title(a): key
        for key, info in AREAS.items()
        for a in info.aliases
        if len(normalize_title(a).split()) >= 3
    },
    **{t: area for t, (area, role) in _TABLE.items() if role == "topic"},
}
_FUZZY_KEYS = list(_FUZZY_CHOICES)
_FUZZY_CUTOFF = 88.0


@lru_cache(maxsize=65536)
def _title_lookup(title: str) -> tuple[str, Role] | None:
    """Area and role of a normalized title by table, fuzzy match, then keywords."""
    if title in _EMPTY_TITLES:
        return (UNCLASSIFIED, "generic")
    hit = _TABLE.get(title)
    if hit:
        return hit
    if len(title) >= 8:
        best = process.extractOne(
            title, _FUZZY_KEYS, scorer=fuzz.token_sort_ratio, score_cutoff=_FUZZY_CUTOFF
        )
        if best:
            key = best[0]
            return _TABLE.get(key, (_FUZZY_CHOICES[key], "topic"))
    area = _keyword_area(title)
    return (area, "topic") if area else None


def classify_title(title: str | None) -> str:
    """Area of one title on its own (steps 1-3 of :func:`classify_area`), or "unclassified"."""
    hit = _title_lookup(normalize_title(title))
    return hit[0] if hit else UNCLASSIFIED


# --- text fallback ------------------------------------------------------------

# Phrases that, near the start of an article, say what it is about. Order is
# irrelevant: the phrase found earliest in the text wins.
_TEXT_CUES: dict[str, tuple[str, ...]] = {
    "preamble": (
        r"preamble",
        r"preambulo",
        r"desirous of",
        r"desiring",
        r"deseosos de",
        r"resolved to",
        r"of the one part",
        r"have agreed as follows",
        r"han convenido",
        r"considerando",
    ),
    "final_provisions": (
        r"in witness whereof",
        r"en fe de lo cual",
        r"done at",
        r"hecho en",
        r"shall enter into force",
        r"entrara en vigor",
        r"may accede",
        r"may withdraw from",
        r"denounce",
        r"depositary",
        r"equally authentic",
        r"amendments? to this agreement",
        r"shall remain in force",
        r"come into force",
        r"done in",
        r"accede",
        r"enters? into force",
        r"integral part",
        r"equally valid",
        r"faisant foi",
        r"entrera en vigueur",
        r"shall apply[^.]{0,40}to the territor",
        r"fields not covered",
    ),
    "initial_provisions": (
        r"establish(?:es)? a free trade area",
        r"the objectives? of this agreement",
        r"for the purposes? of this agreement[^.]{0,40}\bmeans?\b",
        r"zona de libre comercio",
        r"los objetivos del presente",
        r"shall replace (?:the )?provisions",
        r"replace the provisions",
        r"shall not affect",
        r"references in the",
    ),
    "rules_of_origin": (
        r"rules of origin",
        r"originating products",
        r"originating goods",
        r"concept of .originating",
        r"normas de origen",
        r"reglas de origen",
        r"productos originarios",
        r"totalmente originarios",
        r"certificate of origin",
    ),
    "goods_market_access": (
        r"customs dut(?:y|ies)",
        r"charges? having (?:an )?(?:effect )?equivalent",
        r"quantitative restrictions?",
        r"internal tax(?:es|ation)",
        r"tariff",
        r"agricultural products",
        r"import duties",
        r"export duties",
        r"derechos aduaneros",
        r"gravamenes",
        r"aranceles",
        r"restricciones no arancelarias",
        r"national treatment",
        r"internal fiscal",
        r"fiscal (?:character|nature)",
        r"domestic taxes",
        r"like products",
        r"agricultural policy",
        r"export control",
        r"dut(?:y|ies)",
    ),
    "customs_trade_facilitation": (
        r"customs administration",
        r"customs procedures",
        r"freedom of transit",
        r"free transit",
        r"transit",
        r"trade facilitation",
        r"customs co-?operation",
    ),
    "trade_remedies": (
        r"dumping",
        r"safeguard",
        r"countervailing",
        r"serious injury",
        r"increased quantities",
        r"increase in imports",
        r"seriously detrimental",
        r"salvaguardia",
    ),
    "sps": (r"sanitary", r"phytosanitary", r"sanitarias"),
    "tbt": (r"technical regulations", r"standards and conformity", r"technical barriers"),
    "state_enterprises_subsidies": (
        r"state aid",
        r"state monopol",
        r"subsid",
        r"public undertakings",
        r"state trading",
    ),
    "competition": (
        r"competition",
        r"restrictive business practices",
        r"concerted practices",
        r"anti-?competitive",
        r"dominant position",
        r"competencia",
        r"unfair business practices",
        r"agreements between (?:enterprises|undertakings)",
    ),
    "government_procurement": (
        r"public procurement",
        r"government procurement",
        r"contratacion publica",
        r"invitation to tender",
    ),
    "intellectual_property": (r"intellectual property", r"propiedad intelectual"),
    "capital_payments": (
        r"payments?",
        r"capital movements?",
        r"movement of capital",
        r"balance[- ]of[- ]payments",
        r"pagos",
    ),
    "services": (r"trade in services", r"services", r"establishment", r"servicios"),
    "investment": (r"investments?", r"inversion"),
    "exceptions": (
        r"essential security interests",
        r"nothing in this agreement shall (?:prevent|preclude|be construed)",
        r"public morals",
        r"general exceptions",
        r"public policy or public security",
        r"vital interests",
        r"shall not preclude",
    ),
    "dispute_settlement": (r"disputes?", r"arbitra", r"controversias?", r"cour de justice"),
    "institutions": (
        r"joint committee",
        r"joint council",
        r"council of ministers",
        r"the committee shall",
        r"comision administradora",
        r"consejo",
        r"secretariat",
        r"association council",
        r"co-?operation council",
        r"council shall",
    ),
    "cooperation": (
        r"economic co-?operation",
        r"co-?operation",
        r"cooperacion",
        r"trade representati",
        r"trade fairs",
    ),
    "transparency": (r"publish", r"transparency", r"publicar"),
}
# One alternation anchored at word starts: with lowercased input and no
# IGNORECASE flag this is some ten times faster than the naive pattern.
_TEXT_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<a{i}>{'|'.join(cues)})" for i, cues in enumerate(_TEXT_CUES.values())) + ")"
)
_TEXT_GROUPS = {f"a{i}": key for i, key in enumerate(_TEXT_CUES)}
_TEXT_WINDOW = 300
# Accent stripping by table: NFKD on every text would cost more than the scan.
_DEACCENT = {
    c: unicodedata.normalize("NFKD", chr(c))[0]
    for c in range(0xC0, 0x180)
    if unicodedata.normalize("NFKD", chr(c)) != chr(c)
}


def _text_area(text: str) -> str | None:
    """Area of the cue found earliest in the opening of an article's text."""
    m = _TEXT_RE.search(text[:_TEXT_WINDOW].lower().translate(_DEACCENT))
    return _TEXT_GROUPS[m.lastgroup] if m and m.lastgroup else None


# --- the classifier ------------------------------------------------------------

# Article titles that only say where an article sits in its chapter; under a
# topical container chapter they defer to the chapter's default area.
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


@lru_cache(maxsize=262144)
def _classify_titles(chapter: str, article: str) -> str | None:
    """Area from normalized titles alone; None when the text (then the chapter default) must decide."""
    ch = _title_lookup(chapter)
    if ch and ch[1] == "topic":
        return ch[0]
    default = ch[0] if ch else UNCLASSIFIED
    art = _title_lookup(article) if article else None
    if art and art[0] != UNCLASSIFIED:
        if default not in _WEAK_ARTICLE_AREAS and default != UNCLASSIFIED and art[0] in _WEAK_ARTICLE_AREAS:
            return default
        return art[0]
    return None


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
    if area is not None:
        return area
    found = _text_area(text) if text else None
    if found:
        return found
    ch = _title_lookup(chapter)
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
    {"text cues": _TEXT_CUES, "broad areas": _BROAD, "weak article areas": _WEAK_ARTICLE_AREAS},
    AREAS,
)
