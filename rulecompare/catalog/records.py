"""What the catalog knows: blocs and their memberships over time, families of agreements, aliases.

:class:`Catalog` applies that knowledge to :class:`~rulecompare.model.Agreement`
records (which blocs are a party, which families an agreement belongs to,
which short names it answers to) so that the rest of the code never
hard-codes a country list. The data comes from the files in ``agreements/``
(:mod:`.load` reads them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RulecompareError
from ..model import Agreement
from .countries import Country, load_countries
from .names import normalize

__all__ = ["BLOCS_ACTING_AS_ONE", "Bloc", "Catalog", "Family", "Membership", "name_aliases"]

BLOCS_ACTING_AS_ONE = frozenset({"EU"})
"""Blocs that are a party whenever all their members are, whatever else the agreement says.

Since the common commercial policy, EU member states do not conclude trade
agreements on their own: a treaty that lists all of them (ToTA's way of writing
the EU, also for the Lomé conventions) is an EU agreement. For other blocs the
members can be parties in their own right (the GCC states in the Pan-Arab
FTA), so more evidence is required; see :meth:`Catalog.blocs_in`.
"""


@dataclass(frozen=True, slots=True)
class Membership:
    """One country's membership of a bloc."""

    iso3: str
    joined: dt.date
    """First day of membership (for founders: the day the founding treaty was signed)."""
    left: dt.date | None = None
    """Last day of membership, None while still a member."""

    def active(self, date: dt.date) -> bool:
        """Whether the country was a member on ``date``."""
        return self.joined <= date and (self.left is None or date <= self.left)


@dataclass(frozen=True, slots=True)
class Bloc:
    """A group of countries that can be a party to an agreement as one (EU, EFTA, ASEAN ...)."""

    code: str
    """Short code used as a party (``EU``); never an ISO3 code (the Andean Community is ``ANDEAN``)."""
    name: str
    members: tuple[str, ...]
    """Current members, ISO3, sorted."""
    memberships: tuple[Membership, ...] = ()
    """Every membership past and present, with dates."""

    def members_at(self, date: dt.date | None = None) -> frozenset[str]:
        """Members on ``date`` (current members when None)."""
        if date is None:
            return frozenset(self.members)
        return frozenset(m.iso3 for m in self.memberships if m.active(date))

    def members_between(self, start: dt.date, end: dt.date) -> frozenset[str]:
        """Countries that were members on some day from ``start`` to ``end``."""
        return frozenset(
            m.iso3 for m in self.memberships if m.joined <= end and (m.left is None or m.left >= start)
        )


@dataclass(frozen=True, slots=True)
class Family:
    """A family of agreements and the rule that decides membership (see agreements/families.toml)."""

    key: str
    description: str
    any_party: frozenset[str] = frozenset()
    bloc: str | None = None
    name: re.Pattern[str] | None = None
    all_parties_in: str | None = None
    any_party_in: str | None = None
    except_: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    requires: frozenset[str] = frozenset()
    """When set, one of these codes must also be a party, whatever else matched."""


def _parties_of(agreement: Agreement) -> tuple[str, ...]:
    """Current and original parties together: ToTA leaves current parties empty for inactive agreements."""
    return tuple(dict.fromkeys((*agreement.parties, *agreement.parties_original)))


@dataclass(frozen=True)
class Catalog:
    """Blocs, APEC, Belt and Road partners, families and aliases, as loaded from the data files."""

    blocs: dict[str, Bloc]
    apec: frozenset[str]
    bri_partners: frozenset[str]
    """Countries other than China whose BRI status is "member"."""
    bri_source: Path
    """The file the BRI partners were read from (the shared metadata or the fallback copy)."""
    families: dict[str, Family]
    countries: dict[str, Country]
    alias_table: dict[str, str]
    """Curated alias -> agreement id (agreements/aliases.csv)."""
    digest: str
    """Hash of the data files, so that stored families can be recomputed when the catalog changes."""
    _aliases_by_id: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    # -- blocs ---------------------------------------------------------------------------------

    def expand_parties(self, parties: Iterable[str], date: dt.date | None = None) -> set[str]:
        """Parties with bloc codes replaced by the bloc's members on ``date`` (current when None)."""
        out: set[str] = set()
        for code in parties:
            code = code.strip().upper()
            bloc = self.blocs.get(code)
            if bloc is not None:
                out |= bloc.members_at(date)
            elif code:
                out.add(code)
        return out

    def bloc_of(self, iso3: str, date: dt.date | None = None) -> tuple[str, ...]:
        """Codes of the blocs ``iso3`` belonged to on ``date`` (now when None), sorted; often empty.

        A tuple because a country can belong to several blocs at once.
        """
        iso3 = iso3.strip().upper()
        return tuple(sorted(code for code, bloc in self.blocs.items() if iso3 in bloc.members_at(date)))

    def blocs_in(self, agreement: Agreement) -> tuple[str, ...]:
        """Codes of the blocs that are a party to ``agreement`` as one, sorted.

        A bloc is a party when its code is listed, or when every member it had
        on the date of signature is listed and one of these holds: the bloc
        acts as one (:data:`BLOCS_ACTING_AS_ONE`), the WTO composition says a
        party is an RTA, or its members are at least half of the parties.
        The last two keep the GCC states in the Pan-Arab FTA, or the SACU
        states in SADC, from making those GCC or SACU agreements.
        """
        parties = set(_parties_of(agreement))
        date = agreement.date_signed or agreement.date_in_force
        named_rta = "RTA" in (agreement.composition or "")
        found = []
        for code, bloc in self.blocs.items():
            if code in parties:
                found.append(code)
                continue
            members = bloc.members_at(date)
            if not members or not members <= parties:
                continue
            if code in BLOCS_ACTING_AS_ONE or named_rta or 2 * len(members) >= len(parties):
                found.append(code)
        return tuple(sorted(found))

    def collapse_parties(self, agreement: Agreement) -> tuple[str, ...]:
        """Parties with each bloc acting as one written as its code, sorted: EU-Chile -> ``("CHL", "EU")``.

        Countries that were members of the bloc at any time between signature
        and entry into force are folded into it, because ToTA's party lists
        sometimes name the member states of the day the agreement took effect.
        Use it to count relationships without counting a bloc's members
        separately.
        """
        parties = set(_parties_of(agreement))
        # Current parties that were not original ones joined later, usually by joining the bloc.
        later = (
            set(agreement.parties) - set(agreement.parties_original) if agreement.parties_original else set()
        )
        start = agreement.date_signed or agreement.date_in_force
        for code in self.blocs_in(agreement):
            bloc = self.blocs[code]
            if code in parties:
                parties -= bloc.members_at(start)
                continue
            if start is None:
                folded = bloc.members_at(None)
            else:
                end = max(d for d in (start, agreement.date_in_force) if d)
                folded = bloc.members_between(start, end) | (later & bloc.members_between(start, dt.date.max))
            parties = (parties - folded) | {code}
        return tuple(sorted(parties))

    # -- families ------------------------------------------------------------------------------

    def _named_set(self, name: str) -> frozenset[str]:
        sets = {"apec": self.apec, "bri": self.bri_partners}
        if name not in sets:
            raise RulecompareError(f"families.toml: unknown set '{name}' (known: {', '.join(sets)})")
        return sets[name]

    def families_for(self, agreement: Agreement) -> tuple[str, ...]:
        """Keys of the families ``agreement`` belongs to, in the order of families.toml."""
        date = agreement.date_signed or agreement.date_in_force
        raw = _parties_of(agreement)
        parties = self.expand_parties(raw, date)
        blocs = set(self.blocs_in(agreement))
        out = []
        for key, fam in self.families.items():
            hit = (
                agreement.id in fam.ids
                or bool(fam.any_party & (parties | set(raw)))
                or (fam.bloc is not None and fam.bloc in blocs)
                or (fam.name is not None and fam.name.search(agreement.name) is not None)
                or (
                    fam.all_parties_in is not None
                    and bool(parties)
                    and parties <= self._named_set(fam.all_parties_in)
                )
                or (
                    fam.any_party_in is not None
                    and bool((parties - fam.except_) & self._named_set(fam.any_party_in))
                )
            )
            if hit and (not fam.requires or fam.requires & (parties | set(raw))):
                out.append(key)
        return tuple(out)

    # -- aliases -------------------------------------------------------------------------------

    def short_name(self, code: str) -> str:
        """Short name for aliases: ``us`` for USA, ``eu`` for the EU bloc, else the code in lower case."""
        code = code.upper()
        if code in self.blocs:
            return code.lower()
        country = self.countries.get(code)
        return country.short if country else code.lower()

    def aliases_for(self, agreement: Agreement) -> tuple[str, ...]:
        """Short names for ``agreement``: curated ones, then ones generated from its name and parties.

        Generated: the acronym of a name ending in one ("(NAFTA)" -> ``nafta``),
        the name of an "A - B" agreement in short form ("China - Rep. of Korea"
        -> ``china-korea``), and for an agreement between two parties (a bloc
        counting as one) both orders of their short names (``eu-chile``,
        ``chile-eu``).
        """
        out = list(self._aliases_by_id.get(agreement.id, ()))
        out.extend(name_aliases(agreement.name))
        collapsed = self.collapse_parties(agreement)
        if len(collapsed) == 2:
            a, b = (self.short_name(c) for c in collapsed)
            out += [f"{a}-{b}", f"{b}-{a}"]
        return tuple(dict.fromkeys(x for x in out if x))


# -- aliases read off a name --------------------------------------------------------------------

_ACRONYM_RE = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{1,15})\)\s*$")
_DASH_RE = re.compile(r"\s+[-–]\s*|\s*[-–]\s+")


def name_aliases(name: str) -> tuple[str, ...]:
    """Aliases read off a name: a trailing acronym, and the short form of an "A - B" name.

    ``"North American Free Trade Agreement (NAFTA)"`` -> ``("nafta",)``;
    ``"China - Rep. of Korea"`` -> ``("china-korea",)``. An acronym that is
    a party code of the country table ("Andean Community (CAN)") is left
    out: ``can`` is Canada.
    """
    out = []
    m = _ACRONYM_RE.search(name)
    if m and not _DASH_RE.search(name[: m.start()]) and m.group(1).upper() not in load_countries():
        out.append(m.group(1).casefold())
    bare = re.sub(r"\([^)]*\)", " ", name)
    sides = [s for s in _DASH_RE.split(bare) if s.strip()]
    if 2 <= len(sides) <= 3:
        words = [normalize(s).split() for s in sides]
        if all(0 < len(w) <= 4 for w in words):
            out.append("-".join("-".join(w) for w in words))
    return tuple(out)
