"""Dispute-settlement carve-outs: which clauses take a chapter, article or matter out of dispute settlement.

A chapter that "shall not be subject to Chapter 20 (Dispute Settlement)"
cannot be enforced by the agreement's own tribunal whatever its verbs say.
The exclusion is rule 1 of the obligation-strength classes (it makes a clause
an ``exception``) and feeds the enforceability columns of the strength table
(docs/METHODS.md 1.4).
"""

from __future__ import annotations

import re

__all__ = ["dispute_settlement_exclusion", "ds_match", "excluded_from_dispute_settlement", "flat_lower"]

MAX_CHARS = 3000
"""Only the head of a clause is read: the longest "clauses" are tariff tables whose tails hold no verbs."""

_F = re.UNICODE
_FI = re.IGNORECASE | re.UNICODE

_DS = (
    r"(?:dispute[- ]settlement|settlement\s+of\s+disputes|dispute\s+resolution"
    r"|soluci[oó]n\s+de\s+controversias)"
)
_DS_EXCLUSION = [
    re.compile(
        r"\b(?:shall|does|do|will|may|is|are)\s+not\s+(?:be\s+)?(?:subject(?:ed)?\s+to|apply\s+to|apply"
        r"|be\s+applied\s+to|have\s+recourse\s+to|be\s+referred\s+to|resort\s+to|be\s+pursued\s+under)"
        r"[^.;]{0,100}?" + _DS,
        _F,
    ),
    re.compile(
        _DS + r"[^.;]{0,140}?\b(?:(?:shall|does|do|will)\s+not\s+apply|no\s+se\s+aplicar[aá]n?)\b", _F
    ),
    re.compile(
        r"\b(?:no|neither)\s+(?:party|contracting\s+party|member)\s+(?:shall|may)\s+"
        r"(?:have\s+recourse|resort|invoke|seek\s+recourse)[^.;]{0,80}?" + _DS,
        _F,
    ),
    re.compile(
        r"\b(?:no|neither)\s+(?:party|contracting\s+party|member)\s+(?:shall|may)\s+(?:request"
        r"|seek)\s+the\s+establishment\s+of"
        r"\s+(?:an?\s+)?(?:arbitral\s+|dispute\s+settlement\s+)?(?:panel"
        r"|tribunal)[^.;]{0,120}?\b(?:regarding|with\s+respect\s+to"
        r"|in\s+respect\s+of|concerning|relating\s+to|for|where|when)\b",
        _F,
    ),
    re.compile(
        r"\bninguna\s+parte\s+podr[aá]\s+(?:solicitar|recurrir)[^.;]{0,80}?(?:grupo\s+arbitral"
        r"|grupo\s+especial"
        r"|tribunal\s+arbitral)",
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


def ds_match(low: str) -> re.Match[str] | None:
    """First dispute-settlement exclusion in a lower-cased clause head.

    An exclusion with a condition in the same sentence ("may not initiate
    dispute settlement ... unless the matter involves a pattern of practice")
    narrows dispute settlement rather than excluding the area, and is skipped.
    """
    if "disput" not in low and "controvers" not in low and "arbitral" not in low and "panel" not in low:
        return None
    for pattern in _DS_EXCLUSION:
        for m in pattern.finditer(low):
            if not _CONDITIONAL.match(low, m.end()):
                return m
    return None


def flat_lower(text: str) -> str:
    return " ".join(text.split())[:MAX_CHARS].lower()


def excluded_from_dispute_settlement(text: str) -> bool:
    """True when the clause takes something out of the agreement's dispute settlement.

    Recognises "shall not be subject to Chapter 20 (Dispute Settlement)",
    "no Party shall have recourse to dispute settlement under this Agreement",
    "Article 15 (Dispute Settlement) shall not apply to this Chapter", their
    variants, and the Spanish "no estará sujeto a ... solución de controversias".
    """
    return ds_match(flat_lower(text)) is not None


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
    low = flat_lower(text)
    m = ds_match(low)
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
