"""In force, counted, and why: the roles of :mod:`.roles` applied to a list of agreements.

Every analysis that counts agreements asks the same questions of each one:
is it in force on the day we look at, is it a kind of agreement we count,
did a successor replace it, is it a piece of another agreement, is it the
same agreement as another row? This module answers them once, for the WTO
and DESTA lists and for the texts in the store alike (:func:`~.storeframe.store_frame`
turns the store's agreements into rows of the same shape), so that a pair
of countries is covered by the same agreements whichever way it is counted.

- **In force.** Without ``as_of``: the status of the WTO card (the newest
  source; ToTA's status is that of its own snapshot), or for an agreement no
  list covers the dates of ``agreements/roles.csv`` or of the store, read
  against today. With ``as_of = Y``: in force on or before 31 December Y and
  not inactive by then. An agreement whose entry into force is unknown is
  not in force, and says so; a year alone (the manifest's ``signed_year``)
  is never read as a day.
- **Counted.** Partial-scope schemes and the multilateral agreements are
  left out unless :class:`Selection` includes them. A services agreement
  beside a goods agreement binding the same pair completes it and is not a
  second regime for that pair (:meth:`Regimes.pair_keys`), unless
  ``services`` is included.
- **One regime per agreement.** Accession rows, amending protocols
  (``amends``) and several texts of one WTO notification share one key.
- **Succession.** From the day a successor (``supersedes``, ``replaces``) is
  in force, its predecessor no longer binds the pairs the successor binds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from ..errors import RulecompareError
from .binding import binding, reference_date
from .records import Catalog
from .roles import NO_ROLES, SCOPES, Role, Roles, Scope, scope_from_card
from .rtalists import IN_FORCE_STATUSES

__all__ = [
    "DEFAULT_EXCLUDED",
    "INCLUDABLE",
    "Regime",
    "Regimes",
    "Selection",
    "annotate",
    "parse_include",
    "regimes",
]

DEFAULT_EXCLUDED: frozenset[Scope] = frozenset({"partial-scope", "multilateral"})
"""Scopes left out of every count unless included: preferences on a few products, and the
multilateral agreements every member shares, are not the overlapping FTAs the spaghetti bowl is about."""

INCLUDABLE = ("partial-scope", "multilateral", "services")
"""What ``--include`` brings back: the two excluded scopes, and services agreements as regimes of
their own beside the goods agreement they complement."""


@dataclass(frozen=True, slots=True)
class Selection:
    """Which agreements an analysis counts: the day it looks at and the kinds it brings back."""

    as_of: int | None = None
    """A year (agreements in force on 31 December of it) or None (in force now)."""
    include: frozenset[str] = frozenset()
    """Kinds counted beyond the default, from :data:`INCLUDABLE`."""

    @property
    def excluded(self) -> frozenset[Scope]:
        """The scopes left out."""
        return frozenset(s for s in DEFAULT_EXCLUDED if s not in self.include)

    @property
    def complements(self) -> bool:
        """Whether a services agreement beside a goods one is a complement (True) or a regime of its own."""
        return "services" not in self.include


def parse_include(value: str | Iterable[str] | None) -> frozenset[str]:
    """``"partial-scope,multilateral"`` (or a list of such strings) -> the set of kinds to include."""
    if value is None:
        return frozenset()
    parts = [value] if isinstance(value, str) else list(value)
    kinds = {k.strip() for p in parts for k in p.split(",") if k.strip()}
    unknown = kinds - set(INCLUDABLE)
    if unknown:
        raise RulecompareError(
            f"cannot include {', '.join(sorted(unknown))} (known: {', '.join(INCLUDABLE)})"
        )
    return frozenset(kinds)


# -- one row at a time ------------------------------------------------------------------------------


def _date(value: object) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    return dt.date.fromisoformat(text) if text else None


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def _live(row: Mapping[str, Any], as_of: int | None) -> tuple[bool, str]:
    """In force on the reference day, and if not, why."""
    status = _text(row.get("status"))
    start, end = _date(row.get("date_in_force")), _date(row.get("date_inactive"))
    ref = reference_date(as_of)
    if as_of is None and status:
        if status not in IN_FORCE_STATUSES:
            return False, f"status: {status}"
        if end is not None and end <= ref:
            return False, f"inactive since {end.isoformat()}"
        return True, ""
    if start is None:
        return False, "entry into force unknown"
    if start > ref:
        return False, f"in force from {start.isoformat()}"
    if end is not None and end <= ref:
        return False, f"inactive since {end.isoformat()}"
    return True, ""


def _scope(row: Mapping[str, Any], role: Role | None) -> tuple[Scope | None, str]:
    if role is not None and role.scope is not None:
        return role.scope, "catalog"
    parties = row.get("parties") or ()
    if "WTO" in parties:
        return "multilateral", "parties"
    found = scope_from_card(_text(row.get("type")) or None, _text(row.get("coverage")) or None)
    return (found, "card") if found is not None else (None, "")


def annotate(frame: pd.DataFrame, *, as_of: int | None = None, roles: Roles = NO_ROLES) -> pd.DataFrame:
    """``frame`` (rows of :func:`~.rtalists.load_wto_rtas`, :func:`~.rtalists.load_desta` or
    :func:`~.storeframe.store_frame`) with ``key``, ``scope``, ``scope_source``, ``live`` and ``why``.

    ``key`` is the regime the row belongs to: a list row's base agreement
    (``wto:<base id>``), or an amended agreement's key (``amends``); a store
    frame brings its own. ``live`` is in force on the reference day, ``why``
    says why not.
    """
    out = frame.copy()
    rows = out.to_dict("records")
    if "key" not in out.columns:
        prefix = [str(r["agreement_id"]).split(":")[0] for r in rows]
        out["key"] = [f"{p}:{r['base_id']}" for p, r in zip(prefix, rows, strict=True)]
        alias = _list_alias(out)
        amended = [roles.get(str(r["agreement_id"])) for r in rows]
        out["key"] = [
            alias.get(role.amends, role.amends) if role is not None and role.amends else key
            for role, key in zip(amended, out["key"], strict=True)
        ]
    scopes = [_scope(r, roles.get(str(r["agreement_id"]))) for r in rows]
    out["scope"] = [s for s, _ in scopes]
    out["scope_source"] = [src for _, src in scopes]
    lives = [_live(r, as_of) for r in rows]
    out["live"] = [ok for ok, _ in lives]
    out["why"] = [why for _, why in lives]
    return out


def _list_alias(frame: pd.DataFrame) -> dict[str, str]:
    """Every list id -> the key of its base agreement (``wto:910`` -> ``wto:909``)."""
    return {
        str(aid): f"{str(aid).split(':')[0]}:{base}"
        for aid, base in zip(frame["agreement_id"], frame["base_id"], strict=True)
    }


# -- regimes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Regime:
    """One agreement as the counts see it: its rows (accessions, protocols, texts) bound together."""

    key: str
    name: str
    scope: Scope | None
    rows: tuple[str, ...]
    """Ids of the rows in it (list ids, or store ids for a store frame)."""
    actors: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    superseded_by: tuple[str, ...] = ()
    """Successors that took some of its pairs over."""
    parties: tuple[str, ...] = ()
    """Its signatories as the list or the catalog writes them (bloc codes for blocs acting as one)."""


@dataclass(frozen=True)
class Regimes:
    """The regimes counted under a :class:`Selection`, and the rows left out with their reason."""

    selection: Selection
    regimes: dict[str, Regime]
    dropped: pd.DataFrame
    """``agreement_id``, ``key``, ``reason``: every row that counts nowhere."""
    _pairs: dict[tuple[str, str], list[str]] = field(default_factory=dict, repr=False)

    def pair_keys(self) -> dict[tuple[str, str], list[str]]:
        """Pair -> keys of the regimes binding it (sorted), services complements left out.

        A services agreement binding a pair that a goods or comprehensive
        agreement also binds completes that agreement and is not listed for the
        pair, unless the selection includes ``services``.
        """
        if not self._pairs:
            found: dict[tuple[str, str], list[str]] = defaultdict(list)
            for key, regime in self.regimes.items():
                for pair in regime.pairs:
                    found[pair].append(key)
            for pair, keys in found.items():
                if self.selection.complements and len(keys) > 1:
                    other = [k for k in keys if self.regimes[k].scope != "services"]
                    keys = other or keys
                self._pairs[pair] = sorted(keys)
        return self._pairs

    def keys_of(self, actor: str) -> list[str]:
        """Keys of the regimes that bind ``actor`` to someone."""
        return sorted(k for k, r in self.regimes.items() if actor in r.actors)


def _regime_scope(rows: Sequence[Mapping[str, Any]], key: str) -> Scope | None:
    """The scope of the base agreement: its card's (``base_scope``), its row's, else the first known."""
    base = [r.get("base_scope") for r in rows]
    own = [r["scope"] for r in rows if key in (str(r["agreement_id"]), str(r.get("own_key", "")))]
    for value in (*base, *own, *(r["scope"] for r in rows)):
        if value in SCOPES:
            return cast(Scope, value)
    return None


def regimes(
    annotated: pd.DataFrame,
    *,
    selection: Selection,
    catalog: Catalog,
    roles: Roles = NO_ROLES,
    alias: Mapping[str, str] | None = None,
) -> Regimes:
    """The regimes of an :func:`annotate`-d frame counted under ``selection``.

    ``alias`` maps further ids (store ids, WTO ids of stored texts) to keys,
    so that ``supersedes`` written with any id reaches the right regime.
    """
    ref = reference_date(selection.as_of)
    historical = selection.as_of is not None
    dropped: list[tuple[str, str, str]] = []
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in annotated.to_dict("records"):
        by_key[str(r["key"])].append(r)
    built: dict[str, Regime] = {}
    for key, rows in by_key.items():
        scope = _regime_scope(rows, key)
        live = [r for r in rows if r["live"]]
        for r in rows:
            if not r["live"]:
                dropped.append((str(r["agreement_id"]), key, str(r["why"])))
        if not live:
            continue
        if scope in selection.excluded:
            dropped += [(str(r["agreement_id"]), key, f"{scope} (use --include {scope})") for r in live]
            continue
        actors: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        signatories = tuple(dict.fromkeys(p for r in live for p in r["parties"]))
        for r in live:
            parties = list(r["parties"])
            if historical:
                parties += list(r.get("parties_original") or ())
            bound = binding(
                str(r["name"]),
                parties,
                ref,
                catalog,
                party_dates=r.get("party_dates") or {},
                start=_date(r.get("date_in_force")),
            )
            actors |= bound.actors
            pairs |= bound.pairs
        named = [str(r["key_name"]) for r in rows if isinstance(r.get("key_name"), str)]
        own = [str(r["name"]) for r in rows if str(r["agreement_id"]) == key]
        name = (named or own or [str(live[0]["name"])])[0]
        ids = tuple(str(r["agreement_id"]) for r in live)
        built[key] = Regime(key, name, scope, ids, frozenset(actors), frozenset(pairs), (), signatories)
    known = _list_alias(annotated) if "base_id" in annotated.columns else {}
    _apply_succession(built, roles, {**known, **(alias or {})}, dropped)
    frame = pd.DataFrame(dropped, columns=["agreement_id", "key", "reason"])
    return Regimes(selection, built, frame)


def _apply_succession(
    built: dict[str, Regime], roles: Roles, alias: Mapping[str, str], dropped: list[tuple[str, str, str]]
) -> None:
    """Take the pairs a live successor binds away from its predecessors (in place)."""
    for old_id, new_ids in roles.successors().items():
        old = built.get(alias.get(old_id, old_id))
        if old is None:
            continue
        successors = [built[k] for k in (alias.get(n, n) for n in new_ids) if k in built and k != old.key]
        if not successors:
            continue
        taken = frozenset().union(*(s.pairs for s in successors))
        left = old.pairs - taken
        names = tuple(s.key for s in successors)
        if left:
            actors = frozenset(a for pair in left for a in pair)
            built[old.key] = Regime(old.key, old.name, old.scope, old.rows, actors, left, names, old.parties)
        else:
            del built[old.key]
            dropped += [(row, old.key, f"superseded by {', '.join(names)}") for row in old.rows]
