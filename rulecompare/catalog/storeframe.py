"""The store's agreements as rows of a list of agreements, linked to their WTO notification.

:mod:`.standing` applies the roles to rows of the shape of
:func:`~.rtalists.load_wto_rtas`; this module puts the stored texts into that
shape, so that a text and the list row of its agreement bind the same pairs
and belong to the same regime.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..store import row_to_agreement
from .records import Catalog
from .roles import NO_ROLES, Role, Roles, Scope, scope_from_card

__all__ = ["store_frame"]


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


_CARD_COLUMNS = ("type", "coverage", "status", "date_in_force", "date_inactive", "party_dates")
_STORE_COLUMNS = [
    "agreement_id", "name", "language", "duplicate_of", "wto_link", *_CARD_COLUMNS,
    "parties", "parties_original", "own_key",
]  # fmt: skip


def store_frame(
    meta: pd.DataFrame,
    *,
    catalog: Catalog,
    roles: Roles = NO_ROLES,
    wto: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The store's agreements (a ``Store.agreements()`` frame) as rows of a list, and an id -> key map.

    A text linked to a WTO notification (its ``wto_rta_id``, or the one
    ``agreements/roles.csv`` gives) takes type, coverage, status, dates and
    parties from that WTO card, and the card's base agreement as its key, so
    that it binds the same pairs as the list row and two texts of one
    notification are one regime. Other texts keep their own metadata, with
    the dates of ``roles.csv`` where it gives them; their parties are the
    catalog's collapsed parties (the EU, and blocs acting as one, as bloc
    codes). Extra columns: ``language``, ``duplicate_of``, ``wto_link``.
    """
    cards = {} if wto is None else {int(r["rta_id"]): r for r in wto.to_dict("records")}
    base = {rid: int(c["base_id"]) for rid, c in cards.items() if str(c["base_id"]).isdigit()}
    rows: list[dict[str, Any]] = []
    for row in meta.to_dict("records"):
        agreement_id = str(row["id"])
        role = roles.get(agreement_id)
        linked = role.wto_rta_id if role is not None and role.wto_rta_id else row.get("wto_rta_id")
        wto_id = int(linked) if linked is not None and not pd.isna(linked) else None
        card = cards.get(wto_id) if wto_id is not None else None
        out: dict[str, Any] = {
            "agreement_id": agreement_id,
            "name": row["name"],
            "language": row["language"],
            "duplicate_of": _text(row.get("duplicate_of")) or None,
            "wto_link": wto_id,
        }
        if card is not None and wto_id is not None:
            out.update({c: card[c] for c in _CARD_COLUMNS})
            out.update(parties=card["parties"], parties_original=card["parties_original"])
            out["own_key"] = f"wto:{base.get(wto_id, wto_id)}"
        else:
            agreement = row_to_agreement(row)
            parties = catalog.collapse_parties(agreement)
            has_dates = role is not None and role.in_force is not None
            out.update(
                type=agreement.type,
                coverage=None,
                status=None if has_dates else agreement.status,
                date_in_force=role.in_force if has_dates and role is not None else agreement.date_in_force,
                date_inactive=(
                    role.inactive if role is not None and role.inactive else agreement.date_inactive
                ),
                party_dates={},
                parties=parties,
                parties_original=parties,
                own_key=agreement_id,
            )
        rows.append(out)
    frame = pd.DataFrame(rows, columns=[*_STORE_COLUMNS, *rows[0]] if rows else _STORE_COLUMNS)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    alias = _store_alias(frame, base)
    keys = [
        _amended_key(roles.get(a), o, alias, base)
        for a, o in zip(frame["agreement_id"], frame["own_key"], strict=True)
    ]
    frame["key"] = keys
    frame["base_scope"] = [_card_scope(k, cards, base) for k in keys]
    frame["key_name"] = [_card_name(k, cards) for k in keys]
    return frame, alias


def _card_scope(key: str, cards: Mapping[int, Mapping[str, Any]], base: Mapping[int, int]) -> Scope | None:
    """The scope on the WTO card of a ``wto:`` key's base agreement (None for other keys)."""
    if not key.startswith("wto:") or not key[4:].isdigit():
        return None
    card = cards.get(int(key[4:]))
    return None if card is None else scope_from_card(_text(card["type"]), _text(card["coverage"]))


def _card_name(key: str, cards: Mapping[int, Mapping[str, Any]]) -> str | None:
    """The name on the WTO card of a ``wto:`` key (None for other keys)."""
    if not key.startswith("wto:") or not key[4:].isdigit():
        return None
    card = cards.get(int(key[4:]))
    return None if card is None else _text(card["name"]) or None


def _store_alias(frame: pd.DataFrame, base: Mapping[int, int]) -> dict[str, str]:
    """Store id -> own key, and the WTO ids of linked texts -> their key."""
    alias: dict[str, str] = {}
    for aid, own, link in zip(frame["agreement_id"], frame["own_key"], frame["wto_link"], strict=True):
        alias[str(aid)] = str(own)
        if link is not None and not pd.isna(link):
            alias[f"wto:{int(link)}"] = str(own)
    for rid, b in base.items():
        alias.setdefault(f"wto:{rid}", f"wto:{b}")
    return alias


def _amended_key(role: Role | None, own: str, alias: Mapping[str, str], base: Mapping[int, int]) -> str:
    if role is None or not role.amends:
        return own
    target = role.amends
    if target in alias:
        return alias[target]
    if target.startswith("wto:") and target[4:].isdigit():
        return f"wto:{base.get(int(target[4:]), int(target[4:]))}"
    return target
