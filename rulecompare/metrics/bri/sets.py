"""Which agreements stand for a hub's rules: China's FTAs, and the same for the placebo hubs.

A hub's set is defined the same way for every hub, so that China and its
placebos are measured alike. Each agreement in force with text that has the
hub as a party is one of four kinds:

- ``own``: the hub and one other country (China - Chile, Japan - Mexico);
- ``bloc``: the hub and a bloc as the other side (ASEAN - China, EU - Central America);
- ``plurilateral``: three sides or more (RCEP, CPTPP, APTA);
- ``cepa``: the hub and one of its own customs territories (China's CEPAs
  with Hong Kong and Macao).

The default set is ``own`` (:data:`DEFAULT_KINDS`); ``--china-set`` adds
kinds (``rcep`` is an alias of ``plurilateral``, ``asean-china`` of
``bloc``) or names the agreements outright. For each partner the agreements
that partner has with the hub are always taken out of the hub's set
(:func:`hub_set_for`): a partner is never compared with its own agreement
with the hub.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, get_args

from ...errors import RulecompareError

if TYPE_CHECKING:
    from ...catalog.standing import Regime

__all__ = [
    "CHINA",
    "CUSTOMS_TERRITORIES",
    "DEFAULT_KINDS",
    "PLACEBO_HUBS",
    "HubKind",
    "hub_kind",
    "hub_set",
    "hub_set_for",
    "parse_kinds",
]

CHINA = "CHN"
PLACEBO_HUBS: tuple[str, ...] = ("JPN", "KOR", "IND", "AUS", "EU", "USA")
"""The hubs whose FTAs are compared the same way as China's, by default."""

HubKind = Literal["own", "bloc", "plurilateral", "cepa"]
KINDS: tuple[HubKind, ...] = get_args(HubKind)
DEFAULT_KINDS: frozenset[HubKind] = frozenset({"own"})
ALIASES: dict[str, HubKind] = {"rcep": "plurilateral", "asean-china": "bloc", "cepas": "cepa"}

CUSTOMS_TERRITORIES: dict[str, frozenset[str]] = {"CHN": frozenset({"HKG", "MAC", "TWN"})}
"""A hub's separate customs territories: its agreements with them are CEPAs, not FTAs with a country."""


def parse_kinds(value: str | Iterable[str] | None) -> frozenset[HubKind]:
    """``"own,rcep"`` -> the kinds; None -> :data:`DEFAULT_KINDS`."""
    if value is None:
        return DEFAULT_KINDS
    parts = [value] if isinstance(value, str) else list(value)
    out: set[HubKind] = set()
    for word in (w.strip().lower() for p in parts for w in p.split(",") if w.strip()):
        kind = ALIASES.get(word) or next((k for k in KINDS if k == word), None)
        if kind is None:
            known = ", ".join([*KINDS, *ALIASES])
            raise RulecompareError(f"unknown kind of hub agreement '{word}' (known: {known})")
        out.add(kind)
    return frozenset(out)


def hub_kind(regime: Regime, hub: str) -> HubKind | None:
    """The kind of ``regime`` for ``hub`` (module docstring), or None when the hub is not a party."""
    if hub not in regime.actors:
        return None
    others = regime.actors - {hub}
    if len(regime.parties) >= 3:
        return "plurilateral"
    if len(others) == 1:
        return "cepa" if others <= CUSTOMS_TERRITORIES.get(hub, frozenset()) else "own"
    return "bloc"


def hub_set(regimes: Mapping[str, Regime], hub: str, kinds: Iterable[HubKind]) -> list[str]:
    """Keys of the regimes of ``hub`` of the given kinds, sorted."""
    wanted = set(kinds)
    return sorted(k for k, r in regimes.items() if hub_kind(r, hub) in wanted)


def hub_set_for(hub_keys: Sequence[str], regimes: Mapping[str, Regime], partner: str) -> list[str]:
    """The hub's set for ``partner``: its agreements without those the partner is a party to."""
    return [k for k in hub_keys if partner not in regimes[k].actors]
