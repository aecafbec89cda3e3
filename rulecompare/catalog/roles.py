"""Agreement roles: what kind of agreement each is, and which agreements replace or extend others.

Counting agreements is only meaningful when we know what each one is. SAFTA
replaced SAPTA, so the two are not two regimes; a services agreement signed
beside a goods FTA between the same parties completes it rather than
overlapping it; a partial-scope scheme such as the GSTP grants a few tariff
preferences and is not an FTA; an upgrade protocol changes its base
agreement and is not an agreement of its own. This module holds that
knowledge:

- :func:`scope_from_card` reads the scope off the WTO card (type and
  coverage), for every agreement the WTO list or ToTA describes;
- ``agreements/roles.csv`` (:func:`load_roles`, documented in
  ``agreements/README.md``) adds what the card does not say: the WTO
  notification of a text added from another source, succession
  (``supersedes``, ``replaces``), amendment (``amends``), incorporation by
  reference (``incorporates``), dates for agreements no list covers, and
  whether a stored text is complete.

How the roles decide "in force" and "counted" is :mod:`.standing`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast, get_args

from ..errors import RulecompareError
from .files import data_dir, read_csv

__all__ = [
    "ROLES_FILE",
    "SCOPES",
    "TEXT_STATUSES",
    "Role",
    "Roles",
    "Scope",
    "TextStatus",
    "load_roles",
    "scope_from_card",
]

ROLES_FILE = "roles.csv"

Scope = Literal["comprehensive", "goods", "services", "partial-scope", "customs-union", "multilateral"]
"""What an agreement covers.

``comprehensive``: an FTA or economic integration agreement covering goods and
services; ``goods``: an FTA for goods only; ``services``: an agreement on
services (or digital trade) only, usually the complement of a goods FTA;
``partial-scope``: preferences on some products only (GATT Enabling Clause
schemes: GSTP, APTA, LAIA, PTN ...); ``customs-union``: a common external
tariff; ``multilateral``: the GATT and WTO agreements.
"""
SCOPES: tuple[Scope, ...] = get_args(Scope)

TextStatus = Literal["complete", "truncated", "partial"]
"""What a stored text holds: all of the agreement, a text cut short, or one instrument of several."""
TEXT_STATUSES: tuple[TextStatus, ...] = get_args(TextStatus)

_ID = re.compile(r"^[a-z]+:\S+$")


@dataclass(frozen=True, slots=True)
class Role:
    """One row of ``agreements/roles.csv``: what the catalog says about one agreement."""

    id: str
    """A store id (``tota:113``, ``file:rcep-2020``) or a list id (``wto:124``, ``desta:1201``)."""
    wto_rta_id: int | None = None
    """The WTO RTA id of the same agreement (for texts that came without one)."""
    scope: Scope | None = None
    """Overrides the scope read off the WTO card."""
    in_force: dt.date | None = None
    """Entry into force, for agreements no list dates."""
    inactive: dt.date | None = None
    """Last day in force, for agreements no list dates."""
    supersedes: tuple[str, ...] = ()
    """Agreements this one replaced: from its entry into force they no longer bind the pairs it binds."""
    amends: str | None = None
    """The agreement this protocol, upgrade or accession changes: it counts as part of that one."""
    replaces: tuple[str, ...] = ()
    """Pieces this consolidated text replaces (the same effect as ``supersedes``)."""
    incorporates: tuple[str, ...] = ()
    """Agreements whose text this one makes its own by reference (CPTPP incorporates TPP)."""
    text: TextStatus | None = None
    """What the stored text holds; overrides the automatic completeness check."""
    note: str = ""


@dataclass(frozen=True)
class Roles:
    """The loaded roles file: one :class:`Role` per id."""

    entries: dict[str, Role]
    source: Path | None = None
    _successors: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def get(self, agreement_id: str) -> Role | None:
        """The role of an id (store or list id), or None."""
        return self.entries.get(agreement_id)

    def successors(self) -> dict[str, tuple[str, ...]]:
        """Predecessor id -> ids of the agreements that supersede or replace it."""
        if not self._successors:
            found: dict[str, list[str]] = {}
            for role in self.entries.values():
                for old in (*role.supersedes, *role.replaces):
                    found.setdefault(old, []).append(role.id)
            self._successors.update({k: tuple(v) for k, v in found.items()})
        return self._successors


NO_ROLES = Roles({})


def scope_from_card(agreement_type: str | None, coverage: str | None = None) -> Scope | None:
    """The scope the WTO card gives: type (``FTA & EIA``, ``Partial Scope Agreement`` ...) and coverage.

    Partial scope wins over everything else, a customs union over the
    coverage; then coverage (``Goods``, ``Services``, ``Goods & Services``)
    decides, and without coverage the type (an EIA alone is services, an FTA
    with an EIA comprehensive, an FTA alone goods). None when the card says
    nothing.
    """
    kind = (agreement_type or "").strip()
    cover = (coverage or "").strip().lower()
    if re.search(r"\bPSA\b|Partial Scope", kind):
        return "partial-scope"
    if re.search(r"\bCU\b|Customs Union", kind):
        return "customs-union"
    if cover == "services":
        return "services"
    if cover == "goods":
        return "goods"
    if cover == "goods & services":
        return "comprehensive"
    has_fta = bool(re.search(r"\bFTA\b|Free Trade", kind))
    has_eia = bool(re.search(r"\bEIA\b|Economic Integration", kind))
    if has_eia:
        return "comprehensive" if has_fta else "services"
    if has_fta:
        return "goods"
    return None


# -- reading the file ------------------------------------------------------------------------------


def _ids(value: str, where: str) -> tuple[str, ...]:
    out = tuple(v.strip() for v in value.split(";") if v.strip())
    bad = [v for v in out if not _ID.match(v)]
    if bad:
        raise RulecompareError(f"{where}: not an agreement id: {', '.join(bad)} (e.g. tota:113, wto:124)")
    return out


def _date(value: str, where: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RulecompareError(f"{where}: '{value}' is not an ISO date (YYYY-MM-DD)") from None


def _choice(value: str, allowed: tuple[str, ...], what: str, where: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise RulecompareError(f"{where}: {what} '{value}' is not one of {', '.join(allowed)}")
    return value


def _role(row: dict[str, str], where: str) -> Role:
    agreement_id = row.get("id", "")
    if not _ID.match(agreement_id):
        raise RulecompareError(
            f"{where}: id '{agreement_id}' is not an agreement id (e.g. tota:113, wto:124)"
        )
    wto = row.get("wto_rta_id", "")
    if wto and not wto.isdigit():
        raise RulecompareError(f"{where}: wto_rta_id '{wto}' is not a number")
    amends = _ids(row.get("amends", ""), where)
    if len(amends) > 1:
        raise RulecompareError(f"{where}: an agreement amends one agreement, not {len(amends)}")
    role = Role(
        id=agreement_id,
        wto_rta_id=int(wto) if wto else None,
        scope=cast(Scope | None, _choice(row.get("scope", ""), SCOPES, "scope", where)),
        in_force=_date(row.get("in_force", ""), where),
        inactive=_date(row.get("inactive", ""), where),
        supersedes=_ids(row.get("supersedes", ""), where),
        amends=amends[0] if amends else None,
        replaces=_ids(row.get("replaces", ""), where),
        incorporates=_ids(row.get("incorporates", ""), where),
        text=cast(TextStatus | None, _choice(row.get("text", ""), TEXT_STATUSES, "text", where)),
        note=row.get("note", ""),
    )
    related = {*role.supersedes, *role.replaces, *role.incorporates, *amends}
    if agreement_id in related:
        raise RulecompareError(f"{where}: {agreement_id} cannot supersede, amend or incorporate itself")
    return role


def read_roles(path: Path) -> Roles:
    """The roles of a roles CSV (columns as in ``agreements/roles.csv``); errors name the file and line."""
    entries: dict[str, Role] = {}
    for n, row in enumerate(read_csv(path), start=2):
        role = _role(row, f"{path}:{n}")
        if role.id in entries:
            raise RulecompareError(f"{path}:{n}: {role.id} has a row already")
        entries[role.id] = role
    return Roles(entries, path)


@functools.lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> Roles:
    return read_roles(path)


def load_roles(path: Path | str | None = None) -> Roles:
    """The roles in ``agreements/roles.csv`` (or ``path``), read again when the file changes."""
    file = Path(path) if path is not None else data_dir() / ROLES_FILE
    if not file.is_file():
        if path is not None:
            raise RulecompareError(f"roles file not found: {file}")
        return NO_ROLES
    return _load(file, file.stat().st_mtime)
