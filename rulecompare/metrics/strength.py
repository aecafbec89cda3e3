"""How binding the rules are: obligation strength of clauses, and dispute-settlement carve-outs.

Two agreements can cover the same policy area with the same words and still
bind their parties very differently: "each Party shall ensure" is a hard
commitment, "the Parties shall endeavour to" is a soft one, and a chapter that
"shall not be subject to Chapter 20 (Dispute Settlement)" cannot be enforced
by the agreement's own tribunal whatever its verbs say. This module gives
each clause one obligation-strength class from a closed set, finds the
clauses that exclude a chapter or article from dispute settlement, and
summarises both per agreement and policy area.

The classes follow the legalization literature (Abbott, Keohane, Moravcsik,
Slaughter and Snidal, "The Concept of Legalization", *International
Organization* 54(3), 2000: obligation and precision as the dimensions of hard
versus soft law). The classification is a set of precompiled regular
expressions applied in a fixed precedence; docs/METHODS.md states the label
rules, the precedence and the precision and recall measured on a hand-labelled
sample (tests/data/strength_sample.csv).

Precedence, first match wins:

1. ``exception`` when the clause excludes something from dispute settlement;
2. ``preamble`` (recitals, titles; or the clause's area is ``preamble``);
3. ``definition`` (definitions and positive scope-of-application clauses);
4. ``exception`` (carve-outs: "nothing in this Agreement shall ...",
   "shall not apply to", savings clauses);
5. ``procedural`` (the agreement's own institutions, dispute-settlement
   procedure, life-cycle clauses: entry into force, amendment, review);
6. the first modal phrase of the clause decides between ``soft``
   ("shall endeavour", "shall cooperate", "recognise", "should", "shall,
   where possible, ..."), ``binding`` ("shall", "must", "undertake",
   "no Party may") and ``permissive`` ("may", "is entitled to");
7. ``other`` when none of the above is found (list items, objectives).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, get_args

import numpy as np
import pandas as pd

__all__ = [
    "ENFORCEABLE_THRESHOLD",
    "STRENGTH_CLASSES",
    "StrengthClass",
    "classify_clauses",
    "classify_strength",
    "dispute_settlement_exclusion",
    "excluded_from_dispute_settlement",
    "strength_table",
]

StrengthClass = Literal[
    "binding",
    "soft",
    "permissive",
    "exception",
    "definition",
    "procedural",
    "preamble",
    "other",
]
STRENGTH_CLASSES: tuple[str, ...] = get_args(StrengthClass)

ENFORCEABLE_THRESHOLD = 0.30
"""Minimum share of ``binding`` clauses for an agreement-area to count as enforceable.

Chosen from the corpus distribution (docs/METHODS.md): about the lower
quartile of the binding share of substantive areas in agreements with a
dispute-settlement chapter.
"""

_MAX_CHARS = 3000
"""Only the head of a clause is read: the first modal decides, and the longest
"clauses" are tariff tables whose tails hold no verbs."""

_F = re.UNICODE
"""Most patterns are written in lower case and run on the lower-cased clause:
Python's ``re`` is several times slower with IGNORECASE on these alternations."""
_FI = re.IGNORECASE | re.UNICODE

# --- dispute-settlement exclusion -------------------------------------------------

_DS = (
    r"(?:dispute[- ]settlement|settlement\s+of\s+disputes|dispute\s+resolution"
    r"|soluci[oó]n\s+de\s+controversias)"
)
_DS_EXCLUSION = [
    re.compile(
        r"\b(?:shall|does|do|will|may)\s+not\s+(?:be\s+)?(?:subject(?:ed)?\s+to|apply\s+to|apply"
        r"|be\s+applied\s+to|have\s+recourse\s+to|be\s+referred\s+to|resort\s+to)"
        r"[^.;]{0,100}?" + _DS,
        _F,
    ),
    re.compile(_DS + r"[^.;]{0,140}?\b(?:shall|does|do|will)\s+not\s+apply\b", _F),
    re.compile(
        r"\b(?:no|neither)\s+(?:party|contracting\s+party|member)\s+(?:shall|may)\s+"
        r"(?:have\s+recourse|resort|invoke|seek\s+recourse)[^.;]{0,80}?" + _DS,
        _F,
    ),
    re.compile(
        r"\b(?:no\s+(?:estar[aá]n?|podr[aá]n?|se\s+aplicar[aá]n?|ser[aá]n?)"
        r"|ninguna\s+parte\s+podr[aá]\s+recurrir)[^.;]{0,100}?soluci[oó]n\s+de\s+controversias",
        _F,
    ),
]
_REF = re.compile(
    r"\b(chapter|article|section|annex|cap[ií]tulo|art[ií]culo|secci[oó]n|anexo)\s+"
    r"([0-9]+(?:[.\-][0-9A-Za-z]+)*|[IVXLC]+\b|[A-Z]\b)(?:\s*\(([^)]{0,80})\))?",
    _FI,
)
_SELF_REF = re.compile(
    r"\b(?:this|the\s+present|este|esta|el\s+presente)\s+"
    r"(?:chapter|article|section|annex|sub-?section|cap[ií]tulo|art[ií]culo|secci[oó]n|anexo)\b",
    _F,
)
_KIND = {
    "capítulo": "chapter",
    "capitulo": "chapter",
    "artículo": "article",
    "articulo": "article",
    "sección": "section",
    "seccion": "section",
    "anexo": "annex",
}


_CONDITIONAL = re.compile(r"[^.;]*?\b(?:unless|except\s+(?:where|if|when)|salvo\s+que|a\s+menos\s+que)\b", _F)


def _ds_match(low: str) -> re.Match[str] | None:
    """First dispute-settlement exclusion in a lower-cased clause head.

    An exclusion with a condition in the same sentence ("may not initiate
    dispute settlement ... unless the matter involves a pattern of practice")
    narrows dispute settlement rather than excluding the area, and is skipped.
    """
    if "disput" not in low and "controvers" not in low:
        return None
    for pattern in _DS_EXCLUSION:
        for m in pattern.finditer(low):
            if not _CONDITIONAL.match(low, m.end()):
                return m
    return None


def _flat_lower(text: str) -> str:
    return " ".join(text.split())[:_MAX_CHARS].lower()


def excluded_from_dispute_settlement(text: str) -> bool:
    """True when the clause takes something out of the agreement's dispute settlement.

    Recognises "shall not be subject to Chapter 20 (Dispute Settlement)",
    "no Party shall have recourse to dispute settlement under this Agreement",
    "Article 15 (Dispute Settlement) shall not apply to this Chapter", their
    variants, and the Spanish "no estará sujeto a ... solución de controversias".
    """
    return _ds_match(_flat_lower(text)) is not None


_DS_CHAPTER_LEAD = (
    r"(?:\s+(?:procedures?|provisions?|mechanism))?(?:\s+(?:provided\s+for|set\s+out|established))?"
    r"\s+(?:in|under|of)\s+(?:the\s+)?$"
)
"""What stands between "dispute settlement" and the DS chapter's reference ("... provided for in")."""

_SENTENCE_END = re.compile(r"[.;](?:\s|$)")


def dispute_settlement_exclusion(text: str) -> tuple[str, ...]:
    """What a clause excludes from dispute settlement: empty when nothing.

    Returns ``("self",)`` when the excluded part is the clause's own chapter,
    article or section ("this Chapter", or no explicit target), otherwise the
    references named in the sentence, as ``"chapter:5"``, ``"article:7.2"``
    (lower case). References whose title in parentheses is dispute settlement
    (the dispute-settlement chapter itself) are not targets.
    """
    low = _flat_lower(text)
    m = _ds_match(low)
    if m is None:
        return ()
    # The sentence holding the exclusion: "chapter 5 (sps), chapter 10 ..." follow the
    # verb; "the procedures in chapter 13 shall not apply to this chapter" put the DS
    # chapter before it, so look at the whole sentence and drop the DS chapter itself.
    starts = [e.end() for e in _SENTENCE_END.finditer(low, 0, m.start())]
    start = starts[-1] if starts else 0
    end_m = _SENTENCE_END.search(low, m.end())
    sentence = low[start : end_m.start() if end_m else len(low)]
    targets: list[str] = []
    for ref in _REF.finditer(sentence):
        kind = ref.group(1)
        kind = _KIND.get(kind, kind)
        title = ref.group(3) or ""
        after = sentence[ref.end() : ref.end() + 40]
        before = sentence[max(0, ref.start() - 60) : ref.start()]
        if re.search(_DS, title) or re.match(r"\s*\(?\s*" + _DS, after):
            continue
        if re.search(_DS + _DS_CHAPTER_LEAD, before):
            continue
        targets.append(f"{kind}:{ref.group(2)}")
    if not targets or _SELF_REF.search(sentence[m.start() - start :]):
        targets.insert(0, "self")
    return tuple(dict.fromkeys(targets))


# --- preamble, definitions, exceptions, procedure ---------------------------------

_LABEL = re.compile(r"^\s*(?:\(?(?:[0-9]{1,3}|[a-z]{1,2}|[ivxlc]{1,6})[.)]\s*)+", re.IGNORECASE)

_PREAMBLE = re.compile(
    r"^(?:THE\s+)?(?:(?:FREE\s+TRADE\s+|INTERIM\s+|ASSOCIATION\s+)?AGREEMENT|TREATY|PROTOCOL"
    r"|CONVENTION|PREAMBLE)\b"
    r"|^(?:RECOGNI[SZ]ING|DESIRING|DESIROUS|CONSIDERING|CONSCIOUS|RESOLVED|DETERMINED|REAFFIRMING"
    r"|AFFIRMING|ACKNOWLEDGING|NOTING|BEARING\s+IN\s+MIND|WISHING|AWARE|CONVINCED|HAVING"
    r"|MINDFUL|RECALLING|TAKING\s+INTO|EMPHASI[SZ]ING|UNDERLINING|SEEKING|AIMING|COMMITTED"
    r"|INSPIRED|ANXIOUS|BUILDING|BELIEVING|ENCOURAGING|STRESSING|WELCOMING|PROCEEDING|BEING"
    r"|RECONOCIENDO|CONSIDERANDO|DESEANDO|DECIDIDOS|CONSCIENTES|CONVENCIDOS|REAFIRMANDO)\b",
    re.UNICODE,
)
_RECITAL_TITLE = re.compile(
    r"^(?:Recogni[sz]ing|Desiring|Desirous|Considering|Conscious|Resolved|Determined|Reaffirming"
    r"|Affirming|Acknowledging|Noting|Bearing in mind|Wishing|Aware|Convinced|Mindful|Recalling"
    r"|Emphasi[sz]ing|Underlining|Seeking|Aiming|Inspired|Anxious|Believing|Stressing|Welcoming"
    r"|Proceeding|Being)\b",
)

_DEFINITION = [
    # (first: checked by _is_definition) "'measure' means", "procuring entity means",
    # "(b) perishable goods mean" at the
    # start of the clause or of one of its ";"-separated items
    re.compile(
        r"(?:^|[;:]\s*)(?:\(?[a-z0-9]{1,4}\)\s*)?[“\"‘'«]?[^.;:“\"‘'«]{1,80}?[”\"’'»]?,?\s+"
        r"(?:means|mean|shall\s+mean|shall\s+be\s+understood\s+to\s+mean|refers\s+to"
        r"|has\s+the\s+(?:same\s+)?meaning|is\s+defined\s+as)\b",
        _F,
    ),
    re.compile(r"\bthe\s+terms?\b[^.]{0,60}?(?:\bmeans?\b|\bshall\s+mean\b|\bincludes?\b|:)", _F),
    re.compile(
        r"^for\s+(?:the\s+)?purposes?\s+of\s+this\s+(?:agreement|chapter|article|section|annex"
        r"|protocol|title|part|appendix)[^.:]{0,120}?:",
        _F,
    ),
    re.compile(r"^[“\"‘'«][^”\"’'»]{1,60}[”\"’'»]\s+(?:includes?|shall\s+include)\b", _F),
    # positive scope: "This Chapter applies to", "The provisions of this Agreement shall apply to"
    re.compile(
        r"^(?:(?:except|unless|subject\s+to)\s[^,]{0,80},\s*)?"
        r"(?:this|the\s+present|the\s+provisions\s+of\s+this)\s+"
        r"(?:agreement|chapter|section|article|annex|protocol|title|part)\s+"
        r"(?:(?:shall|will)\s+)?(?:appl(?:y|ies)|cover(?:s)?|be\s+applied)\s+(?:only\s+)?(?:to|in)\b",
        _F,
    ),
    re.compile(r"\bse\s+entender[aá]\s+(?:por|que)\b|\bsignifica\b", _F),
    re.compile(
        r"^para\s+(?:los\s+)?(?:efectos|fines|prop[oó]sitos)\s+de\s+(?:este|esta|el\s+presente)\s+"
        r"(?:acuerdo|tratado|cap[ií]tulo|art[ií]culo|secci[oó]n|anexo)[^.:]{0,120}?:",
        _F,
    ),
]

_DEFINITION_CASED = re.compile(r"^[a-z][^.;:A-Z]{0,60}?\s+includes\b")
"""An unquoted lower-case term that "includes": US-style definition lists ("services includes ...")."""

_TEXT_UNIT = (
    r"(?:agreement|chapter|article|section|annex|protocol|title|part|provisions?|paragraphs?"
    r"|treaty|convention|obligations?|commitments?)"
)
_EXCEPTION = [
    re.compile(r"\bnothing\s+(?:in|contained\s+in|herein|under|of)\b(?:\s+this\s+" + _TEXT_UNIT + r")?", _F),
    re.compile(
        r"\b(?:this|the\s+present|these|such|the)\s+" + _TEXT_UNIT + r"\b[^.;,]{0,120}?\b"
        r"(?:shall|does|do|will)\s+not\s+(?:apply|be\s+applied|preclude|prevent|affect|prejudice"
        r"|be\s+construed|be\s+interpreted|be\s+deemed|require|oblige|derogate)\b",
        _F,
    ),
    re.compile(
        r"\b(?:chapter|article|section|annex|paragraph)\s+[\w.\-()]+\s+(?:shall|does|do)\s+not\s+apply\b", _F
    ),
    re.compile(
        r"\bshall\s+not\s+be\s+(?:construed|interpreted|regarded|deemed|considered)\s+(?:as|to)\b", _F
    ),
    re.compile(r"\b(?:is|are|shall\s+be)\s+without\s+prejudice\s+to\b", _F),
    re.compile(r"\bdoes\s+not\s+(?:of\s+itself\s+)?(?:make|render)\s+(?:this|the)\b", _F),
    re.compile(
        r"\bnada\s+de\s+lo\s+(?:dispuesto|establecido)\b|\bno\s+se\s+aplicar[aá]n?(?:\W|$)"
        r"|\bno\s+se\s+aplican?\b"
        r"|\bno\s+(?:impedir[aá]n?|afectar[aá]n?)(?:\W|$)",
        _F,
    ),
]

_INSTITUTION = re.compile(
    r"\b(?:committee|commission|council|sub-?committee|working\s+group|secretariat|secretary-general"
    r"|panel|panels|panelists?|tribunal|arbitrators?|court|summit|authority|ministers|conference"
    r"|contact\s+points?|enquiry\s+points?|consultations|directives|decisions?|chair(?:person)?"
    r"|complaining\s+part(?:y|ies)|responding\s+part(?:y|ies)|disputing\s+part(?:y|ies)"
    r"|suspension\s+of\s+(?:concessions|benefits)|rules\s+(?:and|of)\s+procedures?"
    r")\b|\b(?:comit[eé]|comisi[oó]n|consejo|grupo\s+arbitral|tribunal\s+arbitral|secretar[ií]a"
    r"|punto\s+de\s+contacto)",
    _F,
)
_PROCEDURAL = re.compile(
    r"\b(?:(?:shall|will|may)\s+enter\s+into\s+force|enters?\s+into\s+force\s+(?:on|upon|\d|sixty"
    r"|thirty|ninety)|equally\s+authentic|in\s+witness\s+whereof|depositary"
    r"|(?:form|forms|constitute|constitutes)\s+(?:an\s+)?integral\s+parts?"
    r"|amendments?\s+(?:may|shall)\s+be|(?:may|shall)\s+be\s+amended|withdraw(?:al)?\s+from\s+this"
    r"|concluded\s+for\s+an?\s+(?:unlimited|indefinite)|shall\s+remain\s+in\s+force"
    r"|instruments?\s+of\s+(?:ratification|acceptance|approval|accession)"
    r"|completion\s+of\s+(?:its|their|the)\s+(?:respective\s+)?(?:internal|domestic)"
    r"|provisional(?:ly)?\s+appli|may\s+accede|rules\s+of\s+procedure|hereby\s+establish"
    r"|(?:is|are)\s+hereby\s+established|shall\s+meet\s+(?:at\s+least|once|annually|regularly"
    r"|alternately|in|within|every)|meet\s+to\s+review|request\s+(?:for\s+)?consultations"
    r"|shall(?:\s*,[^,;]{0,60},)?\s+(?:jointly\s+)?review\b|(?:undertake|conduct)\s+a\s+(?:general\s+)?review"
    r"|contact\s+points?|enquiry\s+points?|shall\s+be\s+annexed"
    r"|(?:the|a|an)\s+(?:arbitral\s+|arbitration\s+|dispute\s+settlement\s+)?(?:panel|tribunal)s?\b"
    r"|arbitration|arbitral|complaining\s+party|responding\s+party|party\s+complained\s+against"
    r"|disputing\s+(?:party|parties|investor)|functions\s+of\s+the"
    r"|entrar[aá]n?\s+en\s+vigor|punto\s+de\s+contacto|arbitraje|grupo\s+arbitral|tribunal\s+arbitral"
    r"|se\s+reunir[aá]n?|enmiendas?)",
    _F,
)

# --- modal phrases ----------------------------------------------------------------

_SHALL = r"\bshall(?:\s*,[^,;]{0,80},)?\s+(?:also\s+|jointly\s+|further\s+|each\s+)?"
_SOFT_PHRASES = [
    _SHALL + r"(?:use\s+(?:its|their)\s+)?(?:best\s+)?endeavou?rs?\b",
    r"\bendeavou?rs?\b",
    r"\bbest\s+efforts?\b",
    _SHALL + r"make\s+(?:every|all|reasonable|all\s+reasonable|its\s+best|their\s+best|its|their)"
    r"(?:\s+possible)?\s+efforts?\b",
    _SHALL + r"(?:strive|seek|try)\s+to\b",
    r"\bstrive\b",
    r"\bseek\s+to\b",
    r"\btry\s+to\b",
    _SHALL + r"(?:co-?operate|encourage|promote|foster|consider|explore|facilitate\s+co-?operation)\b",
    _SHALL + r"give\s+(?:positive|sympathetic|due|favourable|favorable|full|careful)\s+consideration\b",
    r"\bshall\s*,?\s*(?:as\s+appropriate|where\s+appropriate|if\s+appropriate|where\s+possible"
    r"|wherever\s+possible|as\s+far\s+as\s+possible"
    r"|to\s+the\s+(?:extent|degree)\s+(?:possible|practicable|feasible)"
    r"|where\s+practicable|as\s+far\s+as\s+practicable|in\s+so\s+far\s+as\s+possible"
    r"|insofar\s+as\s+possible)",
    r"\b(?:agree|agrees|undertake|undertakes)\s+to\s+(?:co-?operate|foster|promote|encourage|explore"
    r"|exchange\s+views|consider|work\s+together)\b",
    r"\b(?:is|are|shall\s+be|will\s+be)\s+encouraged\b",
    r"\b(?:encourage|encourages)\b",
    r"\bshould\b",
    r"\bmay\s+consider\b",
    r"\bwill\s+(?:endeavou?r|seek|cooperate|co-operate|consider|promote|encourage|explore)\b",
    r"\bdeclare\s+(?:their|its)\s+readiness\b|\breadiness\b",
    r"\b(?:recogni[sz]e|recogni[sz]es|acknowledge|acknowledges|reaffirm|reaffirms|affirm|affirms"
    r"|reiterate|reiterates|share\s+the\s+(?:view|objective))\b",
    r"\b(?:parties|party)\s+(?:note|notes)\b",
    r"\b(?:aim|aims|intend|intends)\s+to\b",
    # Spanish
    r"\bprocurar[aá]n?(?:\W|$)|\bse\s+esforzar[aá]n?(?:\W|$)|\bmejores\s+esfuerzos\b"
    r"|\bhar[aá]n?\s+lo\s+posible\b",
    r"\breconocen?\b|\breafirman?\b|\bcooperar[aá]n?(?:\W|$)|\bpromover[aá]n?(?:\W|$)"
    r"|\balentar[aá]n?(?:\W|$)"
    r"|\bfomentar[aá]n?(?:\W|$)|\bpodr[aá]n?\s+considerar\b|\bdeber[ií]an?\b"
    r"|\ben\s+la\s+medida\s+de\s+lo\s+posible\b|\bcuando\s+(?:sea|resulte)\s+(?:apropiado|procedente)\b",
]
_PERMISSIVE_PHRASES = [
    r"\b(?:shall|will)\s+be\s+(?:entitled|free)\s+to\b",
    r"\b(?:is|are)\s+(?:entitled|free)\s+to\b",
    r"\b(?:retains?|reserves?)\s+the\s+right\b",
    r"\b(?:has|have)\s+the\s+right\s+to\b",
    r"\btendr[aá]n?\s+(?:el\s+)?derecho\b",
]
_BINDING_PHRASES = [
    r"\b(?:no|neither)\s+(?:\w+\s+){0,3}?(?:may|shall)\b",
    r"\bmay\s+not\b",
    r"\bshall\b",
    r"\bmust\b",
    r"\bundertakes?\b",
    r"\b(?:is|are)\s+(?:required|obliged|bound)\s+to\b",
    r"\bagrees?\s+(?:to|that)\b",
    r"\bwill\b",
    # Spanish: deber, prohibitions, and the future tense that Spanish treaties use for "shall"
    r"\bdeber[aá]n?(?:\W|$)|\bno\s+podr[aá]n?(?:\W|$)|\bningun[oa]\s+parte\b"
    r"|\bse\s+(?:obliga|comprometen?)n?\b",
]
_PERMISSIVE_MAY = [r"\bmay\b", r"\bpodr[aá]n?(?:\W|$)"]
# Spanish treaties write "shall" as the future tense ("otorgará", "será"). Tried last at a
# position, so that "podrá" (permissive) and "procurará" (soft) win over it; no leading
# word boundary because RE2 (the vectorised path) has only ASCII boundaries.
_SPANISH_FUTURE = [r"[a-záéíóúñ]+rán?(?:\W|$)"]

_MODAL = re.compile(
    "|".join(
        f"(?P<{kind}{i}>{p})"
        for kind, phrases in (
            ("soft", _SOFT_PHRASES),
            ("permissive", _PERMISSIVE_PHRASES),
            ("binding", _BINDING_PHRASES),
            ("permissive_may", _PERMISSIVE_MAY),
            ("binding_future", _SPANISH_FUTURE),
        )
        for i, p in enumerate(phrases)
    ),
    _F,
)
_FIRST_MODAL_LEAD = 200


def _prepare(text: str) -> tuple[str, str]:
    """The clause head as matched (whitespace collapsed, leading paragraph label removed) and its lower case.

    The raw text is cut before splitting so that a 50,000-character tariff
    table costs no more than a paragraph.
    """
    flat = " ".join(text[: 4 * _MAX_CHARS].split())[:_MAX_CHARS]
    head = _LABEL.sub("", flat, count=1)
    return head, head.lower()


def _modal_kind(group: str) -> str:
    """ "soft3" -> "soft", "permissive_may0" -> "permissive", "binding_future0" -> "binding"."""
    return group.rstrip("0123456789").split("_")[0]


def _modal_class(low: str) -> str | None:
    """Class of the first modal phrase of a lower-cased clause, or None."""
    m = _MODAL.search(low)
    return _modal_kind(m.lastgroup or "") if m else None


_LEAD_END = re.compile(r"\b(?:shall|may|must|will|should|is|are|deber[aá]n?|podr[aá]n?|se)\b", _F)


def _lead(low: str) -> str:
    """The subject part of the clause: what comes before its first modal verb."""
    m = _LEAD_END.search(low, 0, _FIRST_MODAL_LEAD)
    return low[: m.start() if m else _FIRST_MODAL_LEAD]


_MODAL_WORD = re.compile(r"\b(?:shall|may|must|will|should|deber[aá]n?|podr[aá]n?)\b", _F)
_SHALL_WORD = re.compile(r"\bshall\b", _F)


def _is_definition(m: re.Match[str]) -> bool:
    """A "means" whose subject holds a modal verb is the noun ("shall provide means of review")."""
    return not _MODAL_WORD.search(m.group(0)) or "shall mean" in m.group(0)


def classify_strength(text: str, language: str = "en", *, area: str | None = None) -> str:
    """Obligation-strength class of one clause (one of :data:`STRENGTH_CLASSES`).

    ``language`` is accepted for symmetry with the other text functions: the
    patterns for English and Spanish are applied together, since a Spanish
    pattern never matches English text and vice versa. ``area`` (the clause's
    policy area) lets preamble clauses that read like obligations ("the rules
    should be updated") be classed as ``preamble``. See the module docstring
    for the precedence.
    """
    del language
    head, low = _prepare(text)
    if not head:
        return "other"
    if _ds_match(low):
        return "exception"
    if area == "preamble" or (
        (_PREAMBLE.match(head) or _RECITAL_TITLE.match(head)) and not _SHALL_WORD.search(low)
    ):
        return "preamble"
    if (
        any(_is_definition(m) for m in _DEFINITION[0].finditer(low))
        or _DEFINITION_CASED.search(head)
        or any(p.search(low) for p in _DEFINITION[1:])
    ):
        return "definition"
    if any(p.search(low) for p in _EXCEPTION):
        return "exception"
    if _INSTITUTION.search(_lead(low)) or _PROCEDURAL.search(low):
        return "procedural"
    return _modal_class(low) or "other"


# --- tables ----------------------------------------------------------------------


def _vector_strength(texts: list[str], areas: list[object]) -> np.ndarray:
    """:func:`classify_strength` over many clauses at once.

    The patterns are run by Arrow's RE2 kernels over whole columns; the three
    checks that need Python (a "means" whose subject holds a modal verb, an
    institution in the subject, a dispute-settlement exclusion) run only on the
    few clauses that the column pass flags. tests/test_strength.py checks that
    the result equals the one-clause function on real clauses.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    def match(arr: pa.Array, pattern: str) -> np.ndarray:
        return np.asarray(pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False), dtype=bool)

    prepared = [_prepare(t) for t in texts]
    lows = [p[1] for p in prepared]
    head = pa.array([p[0] for p in prepared], type=pa.large_string())
    low = pa.array(lows, type=pa.large_string())

    def python_check(mask: np.ndarray, check: Callable[[str], bool]) -> np.ndarray:
        out = np.zeros(len(mask), dtype=bool)
        for i in np.flatnonzero(mask):
            out[i] = check(lows[i])
        return out

    empty = np.asarray(pc.equal(pc.utf8_length(head), 0).to_numpy(zero_copy_only=False), dtype=bool)
    ds = python_check(match(low, "disput|controvers"), lambda t: _ds_match(t) is not None)
    is_preamble_area = np.array([a == "preamble" for a in areas], dtype=bool)
    preamble = is_preamble_area | (
        (match(head, _PREAMBLE.pattern) | match(head, _RECITAL_TITLE.pattern))
        & ~match(low, _SHALL_WORD.pattern)
    )
    definition = python_check(
        match(low, _DEFINITION[0].pattern),
        lambda t: any(_is_definition(m) for m in _DEFINITION[0].finditer(t)),
    ) | match(head, _DEFINITION_CASED.pattern)
    for pattern in _DEFINITION[1:]:
        definition |= match(low, pattern.pattern)
    exception = np.zeros(len(texts), dtype=bool)
    for pattern in _EXCEPTION:
        exception |= match(low, pattern.pattern)
    procedural = match(low, _PROCEDURAL.pattern) | python_check(
        match(pc.utf8_slice_codeunits(low, 0, _FIRST_MODAL_LEAD), _INSTITUTION.pattern),
        lambda t: _INSTITUTION.search(_lead(t)) is not None,
    )
    groups = pc.extract_regex(low, _MODAL.pattern)
    modal = np.full(len(texts), "other", dtype=object)
    decided = ~np.asarray(groups.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    for i, field in enumerate(groups.type):
        nonempty = pc.fill_null(pc.greater(pc.utf8_length(groups.field(i)), 0), False)
        hit = ~decided & np.asarray(nonempty.to_numpy(zero_copy_only=False), dtype=bool)
        modal[hit] = _modal_kind(field.name)
        decided |= hit
    return np.select(
        [empty, ds, preamble, definition, exception, procedural],
        ["other", "exception", "preamble", "definition", "exception", "procedural"],
        default=modal,
    )


def classify_clauses(clauses: pd.DataFrame) -> pd.DataFrame:
    """Add ``strength`` and ``ds_exclusion`` columns to a clause frame (a copy).

    ``clauses`` needs a ``text`` column; ``area`` is used when present.
    ``ds_exclusion`` holds the tuple returned by :func:`dispute_settlement_exclusion`.
    The result equals :func:`classify_strength` clause by clause, computed
    column-wise (about a second per 100,000 clauses).
    """
    out = clauses.copy()
    texts = out["text"].fillna("").astype(str).tolist()
    areas = out["area"].tolist() if "area" in out.columns else [None] * len(out)
    out["strength"] = _vector_strength(texts, areas) if texts else np.array([], dtype=object)
    out["ds_exclusion"] = [
        dispute_settlement_exclusion(t) if ("isput" in t or "ontrovers" in t) else () for t in texts
    ]
    return out


def _ref_key(value: object) -> str | None:
    """ "CHAPTER 5", "Chapter Five", "5" -> "5" / "five": the last token, lowercased."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    tokens = re.findall(r"[0-9]+(?:[.\-][0-9A-Za-z]+)*|[A-Za-z]+", str(value))
    return tokens[-1].lower() if tokens else None


def _excluded_areas(classified: pd.DataFrame) -> set[tuple[str, str]]:
    """(agreement id, area) pairs that some clause takes out of dispute settlement."""
    excluded: set[tuple[str, str]] = set()
    hits = classified[classified["ds_exclusion"].map(bool)]
    if hits.empty:
        return excluded
    wanted = set(hits["agreement_id"])
    subset = classified[classified["agreement_id"].isin(wanted)]
    by_agreement = dict(iter(subset.groupby("agreement_id", sort=False)))
    for row in hits.itertuples(index=False):
        agreement_id = str(row.agreement_id)
        for target in row.ds_exclusion:
            if target == "self":
                # the dispute-settlement chapter does not exclude itself: its carve-outs
                # are matters (the Treaty of Waitangi), not an area
                if row.area != "dispute_settlement":
                    excluded.add((agreement_id, str(row.area)))
                continue
            kind, _, ref = target.partition(":")
            column = {"chapter": "chapter_number", "article": "article_number"}.get(kind)
            group = by_agreement[agreement_id]
            if column is None or column not in group.columns:
                continue
            keys = group[column].map(_ref_key)
            for area in group.loc[keys == ref.lower(), "area"].unique():
                excluded.add((agreement_id, str(area)))
    return excluded


def strength_table(clauses: pd.DataFrame, agreements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per agreement and policy area: share of each strength class and an enforceability flag.

    ``clauses`` is a frame as returned by ``Store.clauses()`` (at least
    ``agreement_id``, ``area``, ``text``; ``chapter_number`` and
    ``article_number`` let an exclusion that names "Chapter 5" find its area).
    ``agreements`` (``Store.agreements()``), when given, adds the agreement
    name. Columns: ``agreement_id``, [``name``], ``area``, ``n_clauses``,
    ``share_<class>`` for every class, ``hard_share`` (binding / (binding +
    soft), NaN without either), ``has_dispute_settlement`` (the agreement has
    clauses in the ``dispute_settlement`` area), ``ds_excluded``, and
    ``enforceable`` = has_dispute_settlement and not ds_excluded and
    share_binding >= :data:`ENFORCEABLE_THRESHOLD`.
    """
    if "area" not in clauses.columns:
        clauses = clauses.assign(area="unclassified")
    classified = classify_clauses(clauses)
    counts = pd.crosstab([classified["agreement_id"], classified["area"]], classified["strength"])
    counts = counts.reindex(columns=list(STRENGTH_CLASSES), fill_value=0)
    n = counts.sum(axis=1)
    table = counts.div(n, axis=0).add_prefix("share_")
    table.insert(0, "n_clauses", n)
    binding, soft = counts["binding"], counts["soft"]
    table["hard_share"] = (binding / (binding + soft)).where(binding + soft > 0)
    table = table.reset_index()
    table.columns.name = None
    with_ds = set(classified.loc[classified["area"] == "dispute_settlement", "agreement_id"])
    table["has_dispute_settlement"] = table["agreement_id"].isin(with_ds)
    excluded = _excluded_areas(classified)
    table["ds_excluded"] = [
        (a, ar) in excluded for a, ar in zip(table["agreement_id"], table["area"], strict=True)
    ]
    table["enforceable"] = (
        table["has_dispute_settlement"]
        & ~table["ds_excluded"]
        & (table["share_binding"] >= ENFORCEABLE_THRESHOLD)
    )
    if agreements is not None and "name" in agreements.columns:
        names = agreements.set_index("id")["name"]
        table.insert(1, "name", table["agreement_id"].map(names))
    return table
