"""The crosswalk of many agreements: links with their WTO ids, as records, a frame, or kept in a store."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence

import pandas as pd

from ...errors import RulecompareError
from ...model import Agreement
from ...paths import metadata_dir
from ...store import Store, row_to_agreement
from ..load import load_catalog
from ..names import key
from ..records import Catalog
from .lists import DESTA_FILE, DestaTreaty, desta_path, load_desta_treaties, load_wto_names, wto_path
from .scoring import Candidates, DestaLink, link_agreement

CROSSWALK_COLUMNS = [
    "agreement_id", "name", "desta_id", "status", "confidence", "desta_name", "desta_year",
    "wto_rta_id", "candidates", "reason",
]  # fmt: skip
"""The columns of :func:`crosswalk_frame`, in order."""


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
    """The DESTA link of each agreement, in order (:mod:`rulecompare.catalog.desta` says how it is scored).

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
    index = Candidates(treaties, catalog)
    by_number = {t.number: t for t in treaties}
    out = []
    for a in agreements:
        link = link_agreement(a, index, catalog)
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
    files = [p for p in (desta_path(), wto_path()) if p is not None]
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
