"""The stored texts with their roles: which are in force, which count, which regime each belongs to.

Every analysis of the texts (the spaghetti bowl, compatibility) and
``rulecompare list`` read the same table, so that an agreement left out of
one is left out of all, for the same stated reason. It joins the store's
agreements with the WTO list (when the shared metadata is there), the roles
of ``agreements/roles.csv``, the duplicate links of the store (a text that
repeats another one counts as that one) and the completeness flags of
:mod:`.completeness`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from ..errors import RulecompareError
from ..store import Store
from .completeness import text_flags
from .load import load_catalog
from .records import Catalog
from .roles import Roles, load_roles
from .rtalists import load_wto_rtas
from .standing import Regimes, Selection, annotate, parse_include, regimes
from .storeframe import store_frame

__all__ = ["STORED_COLUMNS", "StoredTexts", "stored_texts"]

STORED_COLUMNS = [
    "id",
    "name",
    "language",
    "key",
    "scope",
    "in_force",
    "counted",
    "why",
    "superseded_by",
    "duplicate_of",
    "text",
    "text_note",
    "wto_link",
]


@dataclass(frozen=True)
class StoredTexts:
    """The stored agreements under one :class:`~.standing.Selection`."""

    selection: Selection
    table: pd.DataFrame
    """One row per stored agreement, columns :data:`STORED_COLUMNS`: ``key`` is its regime (a WTO
    notification, or its own id), ``counted`` whether it counts, ``why`` why not."""
    regimes: Regimes
    """The counted regimes of the texts, with the actors and pairs each binds."""
    wto_source: str
    """Where the WTO list came from, or why it was not used."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Store ids and WTO ids of stored texts -> their regime key."""

    def alias(self, agreement_id: str) -> str:
        """The regime key of a store id or WTO id (the id itself when it is not a stored text's)."""
        return self.aliases.get(agreement_id, agreement_id)

    def counted_ids(self, language: str | None = None) -> list[str]:
        """Ids of the counted texts (in one language when given)."""
        t = self.table[self.table["counted"]]
        if language is not None:
            t = t[t["language"] == language]
        return [str(i) for i in t["id"]]


def _wto_or_none() -> tuple[pd.DataFrame | None, str]:
    try:
        wto = load_wto_rtas()
    except RulecompareError as exc:
        return None, f"WTO list not used ({exc}): texts keep their own status and dates"
    return wto, str(wto.attrs.get("source", "WTO list"))


def stored_texts(
    store: Store,
    *,
    as_of: int | None = None,
    include: str | Iterable[str] | None = None,
    catalog: Catalog | None = None,
    roles: Roles | None = None,
    wto: pd.DataFrame | None = None,
    meta: pd.DataFrame | None = None,
) -> StoredTexts:
    """The stored agreements with their standing on the day (``as_of``) under the kinds included.

    ``wto`` passes a loaded WTO list (by default it is read from the shared
    metadata, and texts keep their own metadata when it cannot be found);
    ``meta`` a ``Store.agreements()`` frame to use instead of the whole store.
    """
    catalog = catalog or load_catalog()
    roles = roles if roles is not None else load_roles()
    source = "given"
    if wto is None:
        wto, source = _wto_or_none()
    meta = meta if meta is not None else store.agreements()
    selection = Selection(as_of, parse_include(include))
    frame, alias = store_frame(meta, catalog=catalog, roles=roles, wto=wto)
    known = set(frame["agreement_id"])
    dup = frame["duplicate_of"].map(lambda d: isinstance(d, str) and d in known)
    annotated = annotate(frame, as_of=as_of, roles=roles)
    counted = regimes(
        annotated[~dup.to_numpy()], selection=selection, catalog=catalog, roles=roles, alias=alias
    )
    why = dict(zip(counted.dropped["agreement_id"], counted.dropped["reason"], strict=True))
    why.update(
        {
            a: f"duplicate of {d}"
            for a, d in zip(frame["agreement_id"], frame["duplicate_of"], strict=True)
            if a in known and isinstance(d, str) and d in known
        }
    )
    in_regime = {row: key for key, r in counted.regimes.items() for row in r.rows}
    successors = {
        row: ", ".join(r.superseded_by) for r in counted.regimes.values() for row in r.rows if r.superseded_by
    }
    for reason_row, reason in why.items():
        if reason.startswith("superseded by "):
            successors[reason_row] = reason.removeprefix("superseded by ")
    flags = text_flags(store, roles=roles, meta=meta).set_index("id")
    table = pd.DataFrame(
        {
            "id": frame["agreement_id"],
            "name": frame["name"],
            "language": frame["language"],
            "key": annotated["key"],
            "scope": annotated["scope"],
            "in_force": annotated["live"],
            "counted": frame["agreement_id"].map(lambda a: a in in_regime),
            "why": frame["agreement_id"].map(lambda a: why.get(a, "")),
            "superseded_by": frame["agreement_id"].map(lambda a: successors.get(a, "")),
            "duplicate_of": frame["duplicate_of"],
            "text": frame["agreement_id"].map(flags["text"]).fillna(""),
            "text_note": frame["agreement_id"].map(flags["text_note"]).fillna(""),
            "wto_link": frame["wto_link"].astype("Int64"),
        }
    )
    return StoredTexts(selection, table[STORED_COLUMNS].reset_index(drop=True), counted, source, alias)
