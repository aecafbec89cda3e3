"""An inverted index of unit shingle sets, and exact top-k queries that read only what they need.

Why this module exists: "where else is NAFTA's expropriation article?" asks for
the few articles among 45,000 most similar to one.  Scoring every article
means reading every article's set (28.7 million keys); an inverted index
answers from the postings of the query's own keys, and prefix filtering
(:mod:`.inverted`) reads only the rarer part of those.  The index is built once per
corpus state and kept in the store's cache, so a query reads a few MB, not
the corpus (the one-article query of ``neighbours --article``: about 0.1 s of
CPU on the full corpus).

The arrays and the query are :mod:`.inverted`'s; this module keeps them in
the store.

Storage: one cache entry per array part
(``index|<feature>|<unit>|<area>|<array>|<part>``: postings, positions and
forward lists in parts of 1 MB, since a read at an offset inside a blob walks
its chain of pages from the start; the others whole), valid for the digest of
the corpus state (:func:`~.units.corpus_state`) and rewritten together.
Loading reads the arrays of size O(vocabulary + units) whole and opens the
postings and forward lists for range reads (SQLite incremental blob I/O,
:class:`BlobRanges`), so a query reads the postings of the keys it processes
and the sets of the candidates it verifies, nothing else.  A read-only store
keeps the index in memory for the call.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ..features import UnitSets
from ..store import Store
from .inverted import IndexArrays, MemoryRanges, ShingleIndex, TopK, build_arrays, index_arrays, key_ids_of
from .join import span_indices
from .units import Unit, agreement_runs, corpus_state, unit_sets

_PART_BYTES = 1 << 20
"""Postings and forward lists are stored in parts of this size: reading at an offset inside a blob walks
its chain of overflow pages from the start, so parts are kept short."""
_SMALL_PART_BYTES = 512 << 20
_GAP_ITEMS = 512
"""Ranges of a stored array at most this many items apart are read as one span (2 KB of int32: less
than what a separate read costs)."""
_LARGE = ("postings", "positions", "fwd")
_DTYPES = {
    "vocab": np.uint64, "ptr": np.int64, "rank": np.int32, "fwd_ptr": np.int64, "agreement": np.int32,
    "unit_key": np.int64, "postings": np.int32, "positions": np.uint16, "fwd": np.int32,
}  # fmt: skip


class BlobRanges:
    """Ranges of an array stored in parts (blobs of the cache table), read with incremental blob I/O.

    Blob handles stay open between reads (a handle caches its blob's chain of
    overflow pages) until :meth:`close`.
    """

    def __init__(self, db: sqlite3.Connection, rowids: Sequence[int], part_len: int, dtype: type) -> None:
        self.db = db
        self.rowids = list(rowids)
        self.part_len = part_len
        self.dtype = np.dtype(dtype)
        self._blobs: dict[int, sqlite3.Blob] = {}

    def close(self) -> None:
        for blob in self._blobs.values():
            blob.close()
        self._blobs.clear()

    def gather(self, starts: np.ndarray, stops: np.ndarray, *, gap: int = _GAP_ITEMS) -> np.ndarray:
        """Items ``starts[i]:stops[i]`` for each i, concatenated in the order given.

        Ranges are read in offset order, each part's chain of pages walked once, and ranges less than
        ``gap`` items apart are read as one span (a clause's keys meet thousands of nearby postings:
        one read per span, not per range); the ranges are then cut out of the spans at once.
        """
        starts = np.asarray(starts, dtype=np.int64)
        stops = np.asarray(stops, dtype=np.int64)
        lens = np.maximum(stops - starts, 0)
        keep = np.flatnonzero(lens > 0)
        if keep.size == 0:
            return np.zeros(0, dtype=self.dtype)
        order = keep[np.argsort(starts[keep], kind="stable")]
        s, e = starts[order], stops[order]
        reach = np.maximum.accumulate(e)
        new_span = np.concatenate(([True], s[1:] > reach[:-1] + gap))
        span_of = np.cumsum(new_span) - 1
        span_start = s[new_span]
        span_stop = np.maximum.reduceat(e, np.flatnonzero(new_span))
        span_at = np.concatenate(([0], np.cumsum(span_stop - span_start)))
        buf = np.frombuffer(
            b"".join(
                self._read(int(a), int(b))
                for a, b in zip(span_start.tolist(), span_stop.tolist(), strict=True)
            ),
            dtype=self.dtype,
        )
        where = np.empty(starts.size, dtype=np.int64)
        where[order] = span_at[span_of] + (s - span_start[span_of])
        first = where[keep]
        out: np.ndarray = buf[span_indices(first, first + lens[keep])]
        return out

    def _read(self, s: int, e: int) -> bytes:
        """Items ``s:e`` as bytes, across parts."""
        item = self.dtype.itemsize
        pieces: list[bytes] = []
        while s < e:
            part, off = divmod(s, self.part_len)
            take = min(e - s, self.part_len - off)
            blob = self._blobs.get(part)
            if blob is None:
                blob = self._blobs[part] = self.db.blobopen("cache", "data", self.rowids[part], readonly=True)
            blob.seek(off * item)
            pieces.append(blob.read(take * item))
            s += take
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)


_LAYOUT = "2"
"""Changes whenever the stored layout changes, so that an index stored by an older one is rebuilt."""


Feature = Literal["char5", "word6"]
"""What an index holds: character 5-gram shingles of units, or word 6-gram runs of agreements."""


def _prefix(feature: Feature, unit: Unit, area: str | None) -> str:
    return f"index|{feature}|{unit}|{area or '*'}|"


def _unit_key_column(unit: Unit) -> str | None:
    return {"article": "article_index", "clause": "ord", "chapter": "chapter_index"}.get(unit)


def shingle_index(
    store: Store,
    unit: Unit,
    *,
    area: str | None = None,
    feature: Feature = "char5",
    progress: Callable[[str], None] | None = None,
) -> ShingleIndex:
    """The index of every agreement of the store at level ``unit`` (clauses of ``area`` only, if given).

    With ``feature="word6"`` the units are whole agreements and their keys the
    word 6-gram runs of :func:`~.units.agreement_runs` (for the copied share).
    Read from the store's cache when it holds the index of the current corpus
    state; built (from the cached unit sets) and stored otherwise.
    """
    if feature == "word6" and (unit != "agreement" or area is not None):
        raise ValueError("word 6-gram runs are indexed per whole agreement only")
    ids = store.agreements(area=area)["id"].tolist()
    state = f"{corpus_state(store, ids, unit, area)}|{_LAYOUT}"
    prefix = _prefix(feature, unit, area)
    loaded = _load(store, prefix, state)
    if loaded is not None:
        return loaded
    if progress:
        progress(f"indexing the {feature} keys of {len(ids)} agreements by {unit} (once per corpus state)")
    if feature == "word6":
        runs = agreement_runs(store, ids)
        uniques = [np.unique(r.keys) for r in runs]
        del runs
        indptr = np.concatenate(([0], np.cumsum([u.size for u in uniques]))).astype(np.int64)
        keys = np.concatenate(uniques) if uniques else np.zeros(0, np.uint64)
        sets = UnitSets(indptr, keys.astype(np.uint64))
        agreement = np.arange(len(ids), dtype=np.int32)
        unit_key = np.zeros(len(ids), dtype=np.int64)
    else:
        col = _unit_key_column(unit)
        cols = ["agreement_id", *([col] if col else []), *(["area"] if unit == "area" else [])]
        clauses = store.clauses(ids, area=area, columns=cols) if ids else pd.DataFrame(columns=cols)
        units, sets = unit_sets(store, clauses, unit, area=area)
        del clauses
        positions = {a: i for i, a in enumerate(ids)}
        agreement = units["agreement_id"].map(positions).to_numpy(dtype=np.int32)
        unit_key = units[col].to_numpy(dtype=np.int64) if col else np.zeros(len(units), dtype=np.int64)
    vocab, fwd = key_ids_of(sets)
    indptr = sets.indptr
    del sets  # the keys themselves are no longer needed: the rest is built from their ids
    built = index_arrays(ids, agreement, unit_key, vocab, indptr, fwd)
    del fwd
    _save(store, prefix, state, built)
    return _load(store, prefix, state) or built.index()


def _save(store: Store, prefix: str, state: str, built: IndexArrays) -> None:
    if store.readonly:
        return
    items: list[tuple[str, str, bytes | memoryview]] = []
    parts: dict[str, int] = {}
    for name, arr in built.arrays.items():
        data = np.ascontiguousarray(arr, dtype=_DTYPES[name])
        per = max(1, (_PART_BYTES if name in _LARGE else _SMALL_PART_BYTES) // data.itemsize)
        n_parts = max(1, -(-data.size // per))
        parts[name] = n_parts
        for i in range(n_parts):
            # A view, not a copy: the index is not held twice while it is written.
            part = data[i * per : (i + 1) * per].data.cast("B")
            items.append((f"{prefix}{name}|{i}", state, part))
    head = {"agreements": built.agreements, "parts": parts, "part_bytes": _PART_BYTES,
            "small_part_bytes": _SMALL_PART_BYTES}  # fmt: skip
    items.append((f"{prefix}head", state, json.dumps(head).encode()))
    store.cache_put_many(items, replace_prefix=prefix)


def _load(store: Store, prefix: str, state: str) -> ShingleIndex | None:
    raw = store.cache_get(f"{prefix}head", state)
    if raw is None:
        return None
    head = json.loads(raw)
    names = [f"{prefix}{name}|{i}" for name, n in head["parts"].items() for i in range(n)]
    rows = {
        key: (rowid, digest)
        for key, rowid, digest in store.db.execute(
            f"SELECT key, rowid, digest FROM cache WHERE key IN ({', '.join('?' * len(names))})", names
        )
    }
    if any(key not in rows or rows[key][1] != state for key in names):
        return None
    small: dict[str, np.ndarray] = {}
    large: dict[str, BlobRanges] = {}
    for name, n in head["parts"].items():
        dtype = _DTYPES[name]
        per = head["part_bytes" if name in _LARGE else "small_part_bytes"] // np.dtype(dtype).itemsize
        rowids = [rows[f"{prefix}{name}|{i}"][0] for i in range(n)]
        if name in _LARGE:
            large[name] = BlobRanges(store.db, rowids, per, dtype)
        else:
            blobs = [store.cache_get(f"{prefix}{name}|{i}", state) or b"" for i in range(n)]
            small[name] = np.concatenate([np.frombuffer(b, dtype=dtype) for b in blobs])
    return ShingleIndex(
        head["agreements"], small["agreement"], small["unit_key"], small["vocab"], small["ptr"],
        small["rank"], small["fwd_ptr"], large["postings"], large["positions"], large["fwd"],
    )  # fmt: skip


__all__ = [
    "BlobRanges", "Feature", "IndexArrays", "MemoryRanges", "ShingleIndex", "TopK", "build_arrays",
    "index_arrays", "key_ids_of", "shingle_index",
]  # fmt: skip
