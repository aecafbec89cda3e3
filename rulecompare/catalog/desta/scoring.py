"""Scoring one agreement against the DESTA treaties that share a party with it, and the link that follows.

The signals and the thresholds are described in :mod:`rulecompare.catalog.desta`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ...model import Agreement
from ..names import normalize
from ..records import Catalog
from .lists import DestaTreaty

MIN_CONFIDENCE = 0.65
"""A best candidate scoring below this (0-1) is no match."""
MARGIN = 0.05
"""A runner-up within this of the best candidate makes the link ambiguous."""

_WEIGHTS = {"parties": 0.45, "year": 0.25, "name": 0.30}
_YEAR_SCORE = {0: 1.0, 1: 0.7, 2: 0.3}
_NOT_TEXTS = frozenset({"negotiation", "withdrawal"})
_SIDE_ENTRY_PENALTY = 0.08
"""Taken off an accession, protocol or consolidated text whose kind the agreement's name does not say."""
_CONSOLIDATED_PENALTY = 0.06
"""Taken off a consolidated text as well, so that the text it consolidates (``193`` for ``193a``) wins."""
_SIDE_WORDS = {
    "accession": re.compile(r"\baccession\b", re.I),
    "protocol or amendment": re.compile(
        r"\b(protocol|amend\w*|services|investment|supplementary|additional|side)\b", re.I
    ),
    "consolidated": re.compile(r"\b(consolidated|as amended)\b", re.I),
}
_FOLD_SHARE = 0.75
"""A party set holding this share of a bloc's members is read as the bloc and the rest (:func:`_fold`)."""
_SAME_PARTY = {"RKS": "XKX"}
"""Codes of one party that the sources spell differently: ToTA writes Kosovo RKS, DESTA 900 (XKX)."""

# DESTA spells blocs out in full where ToTA and the WTO use acronyms; the catalog's normalize knows
# the EU's spellings but not these.
_DESTA_SPELLINGS = (
    ("association of southeast asian nations", "asean"),
    ("european free trade association", "efta"),
    ("southern common market", "mercosur"),
    ("gulf cooperation council", "gcc"),
    ("southern african customs union", "sacu"),
    ("southern african development community", "sadc"),
    ("eurasian economic union", "eaeu"),
    ("common market for eastern and southern africa", "comesa"),
    ("economic community of west african states", "ecowas"),
    ("transpacific", "trans pacific"),
)
_EXTRA_STOPWORDS = frozenset({"on", "in", "for", "with", "to", "states", "economic", "partnership"})

LinkStatus = Literal["matched", "ambiguous", "unmatched"]


@dataclass(frozen=True, slots=True)
class DestaLink:
    """What the crosswalk says about one stored agreement."""

    agreement_id: str
    status: LinkStatus
    desta_id: str | None
    """The DESTA number when ``status`` is matched, else None."""
    confidence: float
    """Score of the best candidate, 0-1; NaN when there was no candidate at all."""
    reason: str
    """Why: the signals of the best candidate, the competitors, or what is missing."""
    desta_name: str | None = None
    desta_year: int | None = None
    candidates: tuple[str, ...] = ()
    """DESTA numbers of the best candidate and those within :data:`MARGIN` of it, best first."""
    wto_rta_id: int | None = None
    """The WTO RTA id: the store's (from ToTA) or, failing that, the matched DESTA treaty's WTO name."""


def _words(name: str) -> frozenset[str]:
    text = name.casefold()
    for long, short in _DESTA_SPELLINGS:
        text = text.replace(long, short)
    words = normalize(text).split()
    kept = [w for w in words if w not in _EXTRA_STOPWORDS]
    return frozenset(kept or words)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _fold(
    parties: frozenset[str], start: dt.date | None, end: dt.date | None, catalog: Catalog
) -> frozenset[str]:
    """Parties with each bloc whose members are (mostly) all there written as the bloc's code.

    Without it every agreement of the EU shares 15 to 27 parties with every
    other one, and EU-Mexico looks like the Treaty of Amsterdam; folded, they
    are {EU, MEX} and {EU}. A bloc is folded when the set holds
    :data:`_FOLD_SHARE` of its members on some day from signature (``start``)
    to entry into force (``end``), or today (ToTA often lists the current
    members: EFTA-Israel of 1992 names Iceland, Liechtenstein, Norway and
    Switzerland); its members between the two dates, and today's when those
    were the ones held, are then taken out. Without dates, only today's
    members are tried.
    """
    out = set(parties)
    for code, bloc in catalog.blocs.items():
        now = bloc.members_at(None)
        then: frozenset[str] = frozenset()
        if start is not None:
            end = max(end or start, start)
            # Membership on every day it changed between the two dates: DESTA dates by the year only.
            days = {start, end} | {
                d for m in bloc.memberships for d in (m.joined, m.left) if d is not None and start <= d <= end
            }
            if any(_holds(parties, bloc.members_at(d)) for d in days):
                then = bloc.members_between(start, end)
        held_now = _holds(parties, now)
        if then or held_now:
            out = (out - then - (now if held_now else frozenset())) | {code}
    return frozenset(out)


def _holds(parties: frozenset[str], members: frozenset[str]) -> bool:
    return len(members) >= 2 and len(members & parties) >= _FOLD_SHARE * len(members)


@dataclass(frozen=True, slots=True)
class _Side:
    """What is fixed on the agreement's side of every comparison."""

    parties: frozenset[str]
    """Countries, blocs written out (for finding candidates)."""
    folded: frozenset[str]
    """The same with blocs folded (for scoring)."""
    year: int | None
    words: frozenset[str]
    kinds: frozenset[str]
    """The kinds of side entry its name says it is (accession, protocol or amendment, consolidated)."""


@dataclass(frozen=True, slots=True)
class _Signals:
    parties: float
    year: float
    name: float
    penalty: float
    shared: int
    union: int
    year_gap: int | None

    @property
    def score(self) -> float:
        s = _WEIGHTS["parties"] * self.parties + _WEIGHTS["year"] * self.year + _WEIGHTS["name"] * self.name
        return max(0.0, s - self.penalty)

    def describe(self) -> str:
        gap = "year unknown" if self.year_gap is None else f"years {self.year_gap} apart"
        return f"parties {self.shared}/{self.union}, {gap}, name words {self.name:.2f}"


def _signals(side: _Side, t: DestaTreaty, folded: frozenset[str], words: frozenset[str]) -> _Signals:
    gap = None if side.year is None or t.year is None else abs(side.year - t.year)
    penalty = 0.0 if t.entry_type == "base_treaty" or t.entry_type in side.kinds else _SIDE_ENTRY_PENALTY
    if t.entry_type == "consolidated" and t.entry_type not in side.kinds:
        penalty += _CONSOLIDATED_PENALTY
    return _Signals(
        parties=_jaccard(side.folded, folded),
        year=0.5 if gap is None else _YEAR_SCORE.get(gap, 0.0),
        name=_jaccard(side.words, words),
        penalty=penalty,
        shared=len(side.folded & folded),
        union=len(side.folded | folded),
        year_gap=gap,
    )


def _side(agreement: Agreement, catalog: Catalog) -> _Side:
    """The agreement's side: its countries on the day of signature, blocs written out, and more.

    The original signatories when the source lists them: DESTA codes the
    treaty as signed, and ToTA's current parties include later members.
    """
    listed = agreement.parties_original or agreement.parties
    date = agreement.date_signed or agreement.date_in_force
    parties = frozenset(_SAME_PARTY.get(p, p) for p in catalog.expand_parties(listed, date))
    return _Side(
        parties=parties,
        folded=_fold(parties, date, agreement.date_in_force, catalog),
        year=agreement.year or (date.year if date else None),
        words=_words(agreement.name),
        kinds=frozenset(kind for kind, pattern in _SIDE_WORDS.items() if pattern.search(agreement.name)),
    )


def _window(t: DestaTreaty) -> tuple[dt.date | None, dt.date | None]:
    """From 1 January of the year of signature to 31 December of the year of entry into force."""
    if t.year is None:
        return None, None
    return dt.date(t.year, 1, 1), dt.date(max(t.entry_force_year or t.year, t.year), 12, 31)


class Candidates:
    """The DESTA treaties that can be candidates, by party, with their folded parties and name words."""

    def __init__(self, treaties: Sequence[DestaTreaty], catalog: Catalog) -> None:
        self.treaties = [t for t in treaties if t.entry_type not in _NOT_TEXTS and t.parties]
        self.negotiations = {
            _fold(t.parties, None, None, catalog): t
            for t in treaties
            if t.entry_type == "negotiation" and t.parties
        }
        self.folded = [_fold(t.parties, *_window(t), catalog) for t in self.treaties]
        self.words = [
            (_words(t.name), _words(t.wto_name) if t.wto_name else frozenset()) for t in self.treaties
        ]
        self.by_party: dict[str, list[int]] = {}
        for i, t in enumerate(self.treaties):
            for p in t.parties:
                self.by_party.setdefault(p, []).append(i)

    def scored(self, side: _Side) -> list[tuple[_Signals, DestaTreaty]]:
        """Every treaty sharing a party with ``side``, with its signals, best first."""
        found = sorted({i for p in side.parties for i in self.by_party.get(p, ())})
        out = []
        for i in found:
            own, wto = self.words[i]
            words = own if _jaccard(side.words, own) >= _jaccard(side.words, wto) else wto
            out.append((_signals(side, self.treaties[i], self.folded[i], words), self.treaties[i]))
        return sorted(out, key=lambda st: -st[0].score)


def link_agreement(agreement: Agreement, index: Candidates, catalog: Catalog) -> DestaLink:
    side = _side(agreement, catalog)
    if not side.parties:
        return DestaLink(agreement.id, "unmatched", None, math.nan, "no parties recorded")
    scored = index.scored(side)
    if not scored:
        return DestaLink(agreement.id, "unmatched", None, math.nan, "no DESTA treaty has any of its parties")
    best_signals, best = scored[0]
    top = best_signals.score
    close = [t for s, t in scored[1:] if s.score >= top - MARGIN]
    about = f"{best.number} '{best.name}' ({best.year or '?'}): {best_signals.describe()}"
    numbers = (best.number, *(t.number for t in close))
    if top < MIN_CONFIDENCE - 1e-9:  # tolerance: 0.45 + 0.25 * 0.5 + 0.30 * 0.25 is 0.6499999... in floats
        status: LinkStatus = "unmatched"
        reason = f"best candidate {about} scores {top:.2f} < {MIN_CONFIDENCE}"
        talks = index.negotiations.get(side.folded)
        if talks is not None:
            reason += f"; DESTA lists {talks.number} '{talks.name}' only as a negotiation"
        numbers = ()
    elif close:
        status = "ambiguous"
        rivals = ", ".join(f"{t.number} '{t.name}' ({t.year or '?'})" for t in close)
        reason = f"{about} scores {top:.2f}, but within {MARGIN}: {rivals}"
    else:
        status = "matched"
        reason = about
    return DestaLink(
        agreement_id=agreement.id,
        status=status,
        desta_id=best.number if status == "matched" else None,
        confidence=round(top, 3),
        reason=reason,
        desta_name=best.name,
        desta_year=best.year,
        candidates=numbers,
    )
