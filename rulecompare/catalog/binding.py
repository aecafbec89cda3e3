"""Which pairs of trade-policy actors an agreement binds, on a given day.

The rules of docs/METHODS.md 2.1, used for the WTO and DESTA lists and for
the texts in the store alike, so that a pair of countries is "covered" by the
same agreements whichever way it is counted:

1. a bloc signatory binds each of its members on the day that was already a
   member when the agreement entered into force (a later member, such as
   Timor-Leste in ASEAN, joins a bloc's agreements by its own accession,
   which the lists record as a row of its own);
2. the EU is one actor (``EU``) while a country is a member;
3. each signatory is one side, and an agreement binds actors on different
   sides (EFTA-Chile binds each EFTA state to Chile, not the EFTA states to
   each other);
4. the EU's, the UK's and EFTA's agreements with several partners at once
   bind the hub to each partner, not the partners to each other.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .records import BLOCS_ACTING_AS_ONE, Catalog

__all__ = ["Binding", "binding", "reference_date"]

PartyDates = Mapping[str, tuple[dt.date | None, dt.date | None]]


def reference_date(as_of: int | None) -> dt.date:
    """The day an analysis looks at: 31 December of ``as_of``, or today."""
    return dt.date.today() if as_of is None else dt.date(as_of, 12, 31)


@dataclass(frozen=True, slots=True)
class Binding:
    """The actors an agreement binds on a day, and the pairs of them it binds to each other."""

    actors: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    """Pairs ``(a, b)`` with ``a < b``."""


def _sides(
    parties: Iterable[str], dates: PartyDates, ref: dt.date, catalog: Catalog, start: dt.date | None = None
) -> list[tuple[str, set[str]]]:
    """The actors of each signatory on ``ref``: a bloc holds its members, EU members fold into ``EU``."""

    def active(code: str) -> bool:
        entry, exit_ = dates.get(code, (None, None))
        return (entry is None or entry <= ref) and (exit_ is None or exit_ >= ref)

    def fold(iso3: str) -> str:
        acting = [b for b in sorted(BLOCS_ACTING_AS_ONE) if iso3 in catalog.blocs[b].members_at(ref)]
        return acting[0] if acting else iso3

    sides = []
    for code in parties:
        if not active(code):
            continue
        bloc = catalog.blocs.get(code)
        if bloc is None:
            members = {code}
        else:
            members = {m for m in bloc.members_at(ref) if active(m)}
            if start is not None and start <= ref and code not in BLOCS_ACTING_AS_ONE:
                members &= bloc.members_between(start, start) | set(dates)
        sides.append((code, {fold(m) for m in members}))
    return [(code, side) for code, side in sides if side]


_HUB_NAME = re.compile(r"^(EU|EC|European Union|United Kingdom|EFTA)\s+-\s+")
_HUB_CODE = {"EU": "EU", "EC": "EU", "European Union": "EU", "United Kingdom": "GBR", "EFTA": "EFTA"}


def _hub(name: str, sides: list[tuple[str, set[str]]]) -> str | None:
    """The hub of a hub-and-spoke agreement ("EU - Central America"), or None (rule 4)."""
    m = _HUB_NAME.match(name)
    if m is None or len(sides) <= 2:
        return None
    code = _HUB_CODE[m.group(1)]
    return code if code in {c for c, _ in sides} else None


def binding(
    name: str,
    parties: Iterable[str],
    ref: dt.date,
    catalog: Catalog,
    *,
    party_dates: PartyDates | None = None,
    start: dt.date | None = None,
) -> Binding:
    """Who ``parties`` (ISO3 and bloc codes, one per signatory) bind on ``ref`` under rules 1-4.

    ``start`` is the agreement's entry into force (rule 1); a member with its own
    entry date on the WTO card (``party_dates``) is bound from that date.
    """
    sides = _sides(dict.fromkeys(parties), party_dates or {}, ref, catalog, start)
    hub = _hub(name, sides)
    actors: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for i, (code, side) in enumerate(sides):
        actors |= side
        for other_code, other in sides[i + 1 :]:
            if hub is not None and hub not in (code, other_code):
                continue
            pairs.update((min(a, b), max(a, b)) for a in side for b in other if a != b)
    return Binding(frozenset(actors), frozenset(pairs))
