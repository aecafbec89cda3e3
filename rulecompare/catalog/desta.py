"""The crosswalk to DESTA: which DESTA treaty (and which WTO RTA) each stored agreement is.

Hand-coded datasets on trade agreements (DESTA's design variables, TREND's
environmental provisions, LABPTA's labour provisions) identify an agreement
by its DESTA number (Dür, Baccini and Elsig 2014); ToTA and the WTO RTA-IS
use the WTO RTA id; a user's own file has neither. To check rulecompare's
results against those datasets, or to join its exports to them, every stored
agreement needs its DESTA number where DESTA lists it.

Nothing in the texts says so, and DESTA does not give WTO ids, so the link is
inferred: each agreement is scored against every DESTA treaty that shares a
party, on three signals (docs/METHODS.md, "The DESTA crosswalk"):

- parties: the Jaccard index of the two sets of countries, blocs written out
  as their members on the day of signature (ToTA lists the EU's member states,
  DESTA does too, a user's file may just say ``EU``);
- year of signature: equal, one or two years apart, or further;
- name: the words the two names share, after :func:`~.names.normalize` and
  DESTA's long bloc names shortened (both DESTA's own name and its spelling
  of the WTO name are tried).

The best candidate is the link when it scores at least :data:`MIN_CONFIDENCE`
and no other DESTA treaty comes within :data:`MARGIN` of it; otherwise the
agreement is reported as ambiguous (with the competing numbers) or
unmatched (with the best candidate and why it fell short), never guessed.
Negotiations and withdrawals are not treaty texts and are never candidates;
accessions, protocols and consolidated texts are, but give way to the base
treaty unless the agreement's name says it is one of them.

The computation reads two metadata files and takes well under a second, so it
is done when asked for (and kept for the session), not stored at ingest: a
store ingested before this module existed gets its links without re-ingest.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from ..errors import RulecompareError
from ..model import Agreement
from ..paths import METADATA_ENV, metadata_dir
from ..store import Store, row_to_agreement
from .countries import load_countries
from .load import load_catalog
from .names import key, normalize
from .records import Catalog

__all__ = [
    "CROSSWALK_COLUMNS",
    "DESTA_FILE",
    "MARGIN",
    "MIN_CONFIDENCE",
    "WTO_FILE",
    "DestaLink",
    "DestaTreaty",
    "LinkStatus",
    "crosswalk",
    "crosswalk_frame",
    "desta_path",
    "load_desta_treaties",
    "load_wto_names",
    "store_crosswalk",
]

DESTA_FILE = "desta-list.csv"
"""The DESTA list of treaties, in the shared metadata folder."""
WTO_FILE = "wto-rta-all.csv"
"""The WTO RTA-IS export, in the shared metadata folder (for WTO ids of agreements ToTA does not hold)."""

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
class DestaTreaty:
    """One row of the DESTA list, parties as ISO3 codes."""

    number: str
    """DESTA's number, a string: ``636``, ``267+1`` (an accession), ``1008a`` (a consolidated text)."""
    base_treaty: str
    """The number of the treaty this row amends, joins or consolidates (its own for a base treaty)."""
    name: str
    entry_type: str
    """base_treaty, accession, protocol or amendment, consolidated, negotiation, withdrawal."""
    year: int | None
    """Year of signature."""
    entry_force_year: int | None
    wto_name: str
    """How DESTA writes the WTO's name of the agreement, "" when it is not notified."""
    parties: frozenset[str]


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


CROSSWALK_COLUMNS = [
    "agreement_id", "name", "desta_id", "status", "confidence", "desta_name", "desta_year",
    "wto_rta_id", "candidates", "reason",
]  # fmt: skip
"""The columns of :func:`crosswalk_frame`, in order."""


def _metadata_file(name: str, path: Path | None) -> Path:
    if path is not None:
        if not path.is_file():
            raise RulecompareError(f"{path}: no such file")
        return path
    found = metadata_dir(needs=name)
    if found.path is None:
        raise RulecompareError(f"{name} not found ({found.reason}); set {METADATA_ENV}")
    return found.path / name


def desta_path() -> Path | None:
    """The DESTA list found in the shared metadata folder, None when there is none."""
    found = metadata_dir(needs=DESTA_FILE)
    return None if found.path is None else found.path / DESTA_FILE


def _year(cell: str) -> int | None:
    cell = cell.strip()
    return int(float(cell)) if cell and cell != "NA" else None


@functools.lru_cache(maxsize=4)
def _read_desta(path: Path, mtime: float) -> tuple[DestaTreaty, ...]:
    by_number = {c.iso_numeric: c.iso3 for c in load_countries().values() if c.iso_numeric is not None}
    out = []
    with path.open(newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f, delimiter=";"), start=2):
            parties = set()
            for col, value in row.items():
                if re.fullmatch(r"c\d+", col or "") and value and value != "NA":
                    code = by_number.get(int(float(value)))
                    if code is None:
                        raise RulecompareError(
                            f"{path}:{n}: party code {value} is not in the country table (countries.csv)"
                        )
                    parties.add(code)
            out.append(
                DestaTreaty(
                    number=row["number"].strip(),
                    base_treaty=row["base_treaty"].strip(),
                    name=row["name"].strip(),
                    entry_type=row["entry_type"].strip(),
                    year=_year(row["year"]),
                    entry_force_year=_year(row["entryforceyear"]),
                    wto_name="" if row["wto_name"] in ("", "NA") else row["wto_name"].strip(),
                    parties=frozenset(parties),
                )
            )
    return tuple(out)


def load_desta_treaties(path: Path | None = None) -> tuple[DestaTreaty, ...]:
    """Every row of the DESTA list (default: the shared metadata's ``desta-list.csv``), read once."""
    file = _metadata_file(DESTA_FILE, path)
    return _read_desta(file, file.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _read_wto(path: Path, mtime: float) -> dict[str, int]:
    names: dict[str, list[int]] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.setdefault(key(row["RTA Name"]), []).append(int(row["RTA ID"]))
    # A name that two RTAs share (goods and services notified apart) says nothing about which one.
    return {k: ids[0] for k, ids in names.items() if len(ids) == 1}


def load_wto_names(path: Path | None = None) -> dict[str, int]:
    """Order-free name key (:func:`~.names.key`) -> WTO RTA id, for names only one RTA has."""
    file = _metadata_file(WTO_FILE, path)
    return _read_wto(file, file.stat().st_mtime)


# -- scoring ----------------------------------------------------------------------------------------


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


class _Index:
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


def _link(agreement: Agreement, index: _Index, catalog: Catalog) -> DestaLink:
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


def _wto_id(
    agreement: Agreement, link: DestaLink, treaties: dict[str, DestaTreaty], wto: dict[str, int]
) -> int | None:
    if agreement.wto_rta_id is not None:
        return agreement.wto_rta_id
    treaty = treaties.get(link.desta_id or "")
    if treaty is None or not treaty.wto_name:
        return None
    return wto.get(key(treaty.wto_name))


def crosswalk(
    agreements: Iterable[Agreement],
    *,
    treaties: Sequence[DestaTreaty] | None = None,
    wto_names: dict[str, int] | None = None,
    catalog: Catalog | None = None,
) -> list[DestaLink]:
    """The DESTA link of each agreement, in order (see the module docstring for how it is scored).

    ``treaties`` defaults to the shared metadata's DESTA list and
    ``wto_names`` to its WTO RTA list (:func:`load_wto_names`; without one,
    only the store's own WTO ids are given). Raises
    :class:`~rulecompare.errors.RulecompareError` when no DESTA list is given
    or found.
    """
    treaties = load_desta_treaties() if treaties is None else treaties
    if wto_names is None:
        try:
            wto_names = load_wto_names()
        except RulecompareError:
            wto_names = {}
    catalog = catalog or load_catalog()
    index = _Index(treaties, catalog)
    by_number = {t.number: t for t in treaties}
    out = []
    for a in agreements:
        link = _link(a, index, catalog)
        wto_id = _wto_id(a, link, by_number, wto_names)
        out.append(link if wto_id is None else _with_wto(link, wto_id))
    return out


def _with_wto(link: DestaLink, wto_id: int) -> DestaLink:
    return DestaLink(
        link.agreement_id, link.status, link.desta_id, link.confidence, link.reason,
        link.desta_name, link.desta_year, link.candidates, wto_id,
    )  # fmt: skip


def crosswalk_frame(
    agreements: pd.DataFrame | Iterable[Agreement],
    *,
    treaties: Sequence[DestaTreaty] | None = None,
    wto_names: dict[str, int] | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """:func:`crosswalk` as a frame with :data:`CROSSWALK_COLUMNS`, one row per agreement.

    ``agreements`` is a store's agreements table (``Store.agreements()``) or
    records. Missing values are NA: ``desta_id`` for an ambiguous or unmatched
    agreement (``reason`` says why), ``confidence`` when no treaty was a
    candidate.
    """
    records = _records(agreements)
    links = crosswalk(records, treaties=treaties, wto_names=wto_names, catalog=catalog)
    rows = [
        {
            "agreement_id": link.agreement_id,
            "name": a.name,
            "desta_id": link.desta_id,
            "status": link.status,
            "confidence": link.confidence,
            "desta_name": link.desta_name,
            "desta_year": link.desta_year,
            "wto_rta_id": link.wto_rta_id,
            "candidates": ";".join(link.candidates),
            "reason": link.reason,
        }
        for a, link in zip(records, links, strict=True)
    ]
    df = pd.DataFrame(rows, columns=CROSSWALK_COLUMNS)
    for col in ("desta_year", "wto_rta_id"):
        df[col] = df[col].astype("Int64")
    return df


def _records(agreements: pd.DataFrame | Iterable[Agreement]) -> list[Agreement]:
    if isinstance(agreements, pd.DataFrame):
        return [row_to_agreement(r) for r in agreements.to_dict("records")]
    return list(agreements)


_CACHE_KEY = "crosswalk|desta|"
_FINGERPRINT = ["id", "name", "parties", "parties_original", "date_signed", "date_in_force", "wto_rta_id"]


def store_crosswalk(store: Store, agreements: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`crosswalk_frame` of every agreement in ``store``, kept in its cache.

    The entry is valid for the DESTA and WTO lists, the catalog and the
    agreements' names, parties and dates it was computed from; a change to
    any of them computes it again. ``agreements`` is the store's agreements
    table when the caller has it already.
    """
    table = store.agreements() if agreements is None else agreements
    files = [p for p in (desta_path(), _wto_path()) if p is not None]
    if not files or files[0].name != DESTA_FILE:
        raise RulecompareError(f"{DESTA_FILE} not found ({metadata_dir(needs=DESTA_FILE).reason})")
    digest = hashlib.sha1(load_catalog().digest.encode())
    for file in files:
        digest.update(file.read_bytes())
    digest.update(table[_FINGERPRINT].astype(str).to_csv(index=False).encode())
    hexdigest = digest.hexdigest()
    cached = store.cache_get(_CACHE_KEY, hexdigest)
    if cached is not None:
        return pd.read_parquet(io.BytesIO(cached))
    df = crosswalk_frame(table)
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    store.cache_put(_CACHE_KEY, hexdigest, buffer.getvalue())
    return df


def _wto_path() -> Path | None:
    found = metadata_dir(needs=WTO_FILE)
    return None if found.path is None else found.path / WTO_FILE
