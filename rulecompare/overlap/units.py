"""Units of comparison read from the store, and their shingle sets, cached in the store.

Why this module exists: the overlap functions compare units (agreements,
chapters, (agreement, area) pairs, articles, clauses) whose shingle sets are
expensive to build from 37 million characters and cheap to read back.  This
module selects the clauses a question is about and returns each unit's key
set, computing it only when the store's cache has no valid entry.

Cache entries are keyed per agreement, unit and area, and validated by a
digest of the agreement's source file and parser (or of the clause texts when
there is no source), so that re-ingesting or editing a clause invalidates
them; a warm cache is read without any text.  Shingling itself is
:func:`rulecompare.features.shingle_unit_sets`, which knows nothing of the
store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import NotFoundError
from ..features import VERSION, UnitSets, WordRuns, shingle_unit_sets
from ..store import Store

Unit = Literal["agreement", "chapter", "area", "article", "clause"]
"""What one row of a :class:`~rulecompare.features.UnitSets` stands for."""

_UNIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "agreement": (),
    "chapter": ("chapter_index",),
    "area": ("area",),
    "article": ("article_index",),
    "clause": ("ord",),
}


def units_of(clauses: pd.DataFrame, unit: Unit) -> pd.DataFrame:
    """One row per unit of ``clauses`` (agreement_id plus the unit's key column), in document order."""
    cols = ["agreement_id", *_UNIT_COLUMNS[unit]]
    return clauses[cols].drop_duplicates().reset_index(drop=True)


def _digest(unit: str, area: str | None, keys: Sequence[object], texts: Sequence[str]) -> str:
    body = "\x01".join(f"{k}\x02{t}" for k, t in zip(keys, texts, strict=True))
    return hashlib.sha1(f"{VERSION}|{unit}|{area}\x00{body}".encode("utf-8", "surrogatepass")).hexdigest()


def _source_digest(unit: str, area: str | None, fingerprint: str, keys: np.ndarray) -> str:
    head = f"{VERSION}|{unit}|{area}|source\x00{fingerprint}\x00{keys.size}\x00"
    h = hashlib.sha1(head.encode("utf-8", "surrogatepass"))
    if keys.dtype.kind in "iu":
        h.update(keys.astype(np.int64).tobytes())  # numeric unit keys (indexes, orders): no string per clause
    else:
        h.update("\x01".join(map(str, keys.tolist())).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@dataclass(eq=False)
class _Chunk:
    """The clauses of one agreement in a :func:`unit_sets` call."""

    agreement_id: str
    keys: np.ndarray
    n_units: int
    texts: list[str] | None
    cache_key: str
    digest: str = ""


def _store_texts(store: Store, chunks: Sequence[_Chunk], area: str | None) -> None:
    """Fill in the clause texts of ``chunks`` from the store (one query)."""
    ids = [c.agreement_id for c in chunks]
    if not ids:
        return
    df = store.clauses(ids, area=area, columns=["agreement_id", "text"])
    by_id = df.groupby("agreement_id", sort=False)["text"].apply(list)
    for c in chunks:
        texts = by_id.get(c.agreement_id, [])
        if len(texts) != c.keys.size:
            raise ValueError(f"the clauses given for {c.agreement_id} are not the store's (area {area})")
        c.texts = texts


def unit_sets(
    store: Store,
    clauses: pd.DataFrame,
    unit: Unit,
    *,
    area: str | None = None,
) -> tuple[pd.DataFrame, UnitSets]:
    """Shingle key sets of every unit of ``clauses``, using and filling the store's cache.

    ``clauses`` is a frame from ``store.clauses`` (agreement_id and the unit's
    key column, ordered by agreement and order), holding every clause of its
    agreements in ``area`` when one is given, all of them otherwise; the
    ``text`` column is optional (texts are read from the store for the
    agreements that must be shingled).  Returns the units (as
    :func:`units_of`) and their sets in the same order.

    The cache key is ``char5|<agreement id>|<unit>|<area or *>|<VERSION>``.
    For an agreement ingested from a source file the digest covers the
    source's path, SHA-256 and parser version, the unit keys and the clause
    count, so a valid entry is found without reading any text; re-ingesting
    deletes the agreement's entries as well.  For clauses of no stored
    source (a constructed frame) the digest covers every clause text and unit
    key, so a changed clause invalidates the entry.
    """
    unit_cols = list(_UNIT_COLUMNS[unit])
    units = units_of(clauses, unit)
    if clauses.empty:
        return units, UnitSets(np.zeros(len(units) + 1, np.int64), np.zeros(0, np.uint64))
    aid = clauses["agreement_id"].to_numpy()
    texts = clauses["text"].to_numpy() if "text" in clauses.columns else None
    cut = np.flatnonzero(aid[1:] != aid[:-1]) + 1
    starts = np.concatenate(([0], cut))
    ends = np.concatenate((cut, [aid.size]))
    key_values = clauses[unit_cols[0]].to_numpy() if unit_cols else np.zeros(aid.size, dtype=np.int64)
    units_per = units.groupby("agreement_id", sort=False).size()
    chunks = [
        _Chunk(
            str(aid[s]),
            key_values[s:e],
            int(units_per[aid[s]]),
            texts[s:e].tolist() if texts is not None else None,
            f"char5|{aid[s]}|{unit}|{area or '*'}|{VERSION}",
        )  # fmt: skip
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
    fingerprints = store.source_fingerprints([c.agreement_id for c in chunks])
    sourced = [c for c in chunks if c.agreement_id in fingerprints]
    for c in sourced:
        c.digest = _source_digest(unit, area, fingerprints[c.agreement_id], c.keys)
    # One query and one transaction for all agreements: per-agreement round trips cost seconds.
    cached = store.cache_get_many([(c.cache_key, c.digest) for c in sourced])
    unsourced = [c for c in chunks if c.agreement_id not in fingerprints]
    need_texts = [c for c in chunks if c.texts is None and (c in unsourced or c.cache_key not in cached)]
    _store_texts(store, need_texts, area)
    for c in unsourced:
        assert c.texts is not None  # filled by _store_texts just above
        c.digest = _digest(unit, area, c.keys.tolist(), c.texts)
    cached.update(store.cache_get_many([(c.cache_key, c.digest) for c in unsourced]))
    parts: list[UnitSets] = []
    fresh: list[tuple[str, str, bytes]] = []
    for c in chunks:
        hit = UnitSets.from_bytes(cached[c.cache_key]) if c.cache_key in cached else None
        if hit is not None and len(hit) == c.n_units:
            parts.append(hit)
            continue
        if c.texts is None:
            _store_texts(store, [c], area)
        assert c.texts is not None
        labels, uniques = pd.factorize(pd.Series(c.keys), sort=False)
        sets = shingle_unit_sets(c.texts, labels, len(uniques))
        fresh.append((c.cache_key, c.digest, sets.to_bytes()))
        parts.append(sets)
    store.cache_put_many(fresh)
    sets = UnitSets.concat(parts)
    if len(sets) != len(units):
        raise AssertionError("unit order of the cache does not match the clauses")  # pragma: no cover
    return units, sets


def corpus_state(store: Store, ids: Sequence[str], unit: str, area: str | None) -> str:
    """A digest of everything the unit sets of agreements ``ids`` are made from.

    It changes whenever an agreement is added, removed, re-ingested from a
    changed file or by another parser version, or (for clauses of no stored
    source) whenever a clause text changes; derived data covering many
    agreements (an index, a baseline) is cached under it.  Costs one query
    for agreements with a source; the others' texts are read.
    """
    fingerprints = store.source_fingerprints(ids)
    unsourced = [a for a in ids if a not in fingerprints]
    if unsourced:
        col = _UNIT_COLUMNS.get(unit, ())
        df = store.clauses(unsourced, area=area, columns=["agreement_id", *col, "text"])
        for aid, g in df.groupby("agreement_id", sort=False):
            keys = g[col[0]].tolist() if col else [0] * len(g)
            fingerprints[str(aid)] = _digest(unit, area, keys, g["text"].tolist())
    h = hashlib.sha1(f"{VERSION}|{unit}|{area}".encode())
    for a in ids:
        h.update(f"\x00{a}\x02{fingerprints.get(a, '')}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# -- selecting the clauses and units of a question ------------------------------------------


def unit_columns(level: Unit) -> list[str]:
    """The clause columns that name and label a unit at ``level`` (beyond agreement_id and area)."""
    return {"agreement": [], "chapter": ["chapter_index", "chapter_number", "chapter_title"],
            "area": [], "article": ["article_index", "article_number", "article_title"],
            "clause": ["ord", "id", "article_index", "article_number", "article_title",
                       "paragraph"]}[level]  # fmt: skip


def meta_one(store: Store, agreement: str) -> pd.Series:
    """The metadata row of one agreement; NotFoundError when the store has none."""
    meta = store.agreements([agreement])
    if meta.empty:
        raise NotFoundError(f"no agreement with id '{agreement}' in {store.path}")
    return meta.iloc[0]


def select(
    store: Store,
    agreements: Sequence[str] | None,
    *,
    family: str | None,
    party: str | None,
    language: str | None,
    area: str | None,
) -> pd.DataFrame:
    """Metadata of the selected agreements, in the order asked for (store order when none are named)."""
    meta = store.agreements(
        list(agreements) if agreements is not None else None,
        family=family, party=party, language=language, area=area,
    )  # fmt: skip
    if agreements is not None:
        missing = sorted(set(agreements) - set(meta["id"]))
        if missing and not (family or party or language or area):
            raise NotFoundError(f"no agreement with id {', '.join(missing)} in {store.path}")
        order = {a: i for i, a in enumerate(dict.fromkeys(agreements))}
        meta = meta.assign(_o=meta["id"].map(order)).sort_values("_o").drop(columns="_o")
    return meta.reset_index(drop=True)


def clauses_for(
    store: Store, ids: Sequence[str], level: Unit, area: str | None, *, text: bool
) -> pd.DataFrame:
    """The clause columns a level needs (``text`` only when asked: with cached features only the
    copied share reads it, and the English corpus holds about 50 MB of it)."""
    cols = ["agreement_id", *(["area"] if level == "area" else []), *(["text"] if text else [])]
    cols = list(dict.fromkeys([*cols, *unit_columns(level)]))
    if cols == ["agreement_id"]:
        # One row per clause is all the agreement level needs; built from counts, not 100k SQL rows.
        counts = store.clause_counts(list(ids), area=area)
        ids_per_clause = np.repeat(counts["agreement_id"].to_numpy(), counts["n"].to_numpy())
        return pd.DataFrame({"agreement_id": ids_per_clause})
    return store.clauses(list(ids), area=area, columns=cols)


def units_for(
    store: Store, ids: Sequence[str], level: Unit, area: str | None, *, text: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, UnitSets]:
    """Clauses, units and key sets of agreements ``ids`` at ``level``; units without shingles are left out."""
    clauses = clauses_for(store, ids, level, area, text=text)
    units, sets = unit_sets(store, clauses, level, area=area)
    keep = sets.sizes > 0
    if not keep.all():
        units = units[keep].reset_index(drop=True)
        sets = sets.take(np.flatnonzero(keep))
    return clauses, units, sets


def agreement_runs(store: Store, ids: Sequence[str]) -> list[WordRuns]:
    """The word 6-gram runs of whole agreements (all their clauses, in order), cached in the store.

    Keyed ``word6|<agreement id>|agreement|*|<VERSION>`` and validated like the
    shingle sets of :func:`unit_sets` (the source's digest, else every clause
    text), so a warm call reads no text and tokenizes nothing.
    """
    ids = list(ids)
    fingerprints = store.source_fingerprints(ids)
    digests = {a: _source_digest("word6", None, fingerprints[a], np.zeros(0)) for a in fingerprints}
    texts: dict[str, list[str]] = {}
    unsourced = [a for a in ids if a not in fingerprints]
    if unsourced:
        df = store.clauses(unsourced, columns=["agreement_id", "ord", "text"])
        for aid, g in df.groupby("agreement_id", sort=False):
            texts[str(aid)] = g["text"].tolist()
            digests[str(aid)] = _digest("word6", None, g["ord"].tolist(), texts[str(aid)])
    key = {a: f"word6|{a}|agreement|*|{VERSION}" for a in ids}
    cached = store.cache_get_many([(key[a], digests.get(a, "")) for a in ids])
    missing = [a for a in ids if key[a] not in cached and a not in texts]
    if missing:
        df = store.clauses(missing, columns=["agreement_id", "text"])
        texts.update({str(a): g.tolist() for a, g in df.groupby("agreement_id", sort=False)["text"]})
    out: list[WordRuns] = []
    fresh: list[tuple[str, str, bytes]] = []
    for a in ids:
        if key[a] in cached:
            try:
                out.append(WordRuns.from_bytes(cached[key[a]]))
                continue
            except ValueError:
                pass  # an entry in a layout this version does not read: computed again below
        if a not in texts:
            texts.update(
                {
                    str(x): g.tolist()
                    for x, g in store.clauses([a], columns=["agreement_id", "text"]).groupby("agreement_id")[
                        "text"
                    ]
                }
            )
        runs = WordRuns.of(texts.get(a, []))
        fresh.append((key[a], digests.get(a, ""), runs.to_bytes()))
        out.append(runs)
    store.cache_put_many(fresh)
    return out


def word_runs(clauses: pd.DataFrame, units: pd.DataFrame, level: Unit) -> list[WordRuns]:
    """The word runs of each unit (rows of ``units``), from the clause texts."""
    key_cols = ["agreement_id"] + ({"chapter": ["chapter_index"], "area": ["area"]}.get(level, []))
    groups = clauses.groupby(key_cols, sort=False)["text"].apply(list)
    return [
        WordRuns.of(groups.loc[tuple(k) if len(k) > 1 else k[0]])
        for k in units[key_cols].itertuples(index=False)
    ]


__all__ = [
    "Unit", "agreement_runs", "clauses_for", "corpus_state", "meta_one", "select", "unit_columns",
    "unit_sets", "units_for", "units_of", "word_runs",
]  # fmt: skip
