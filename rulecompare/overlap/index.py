"""An inverted index of unit shingle sets, and exact top-k queries that read only what they need.

Why this module exists: "where else is NAFTA's expropriation article?" asks for
the few articles among 45,000 most similar to one.  Scoring every article
means reading every article's set (28.7 million keys); an inverted index
answers from the postings of the query's own keys, and prefix filtering
(below) reads only the rarer part of those.  The index is built once per
corpus state and kept in the store's cache, so a query reads a few MB, not
the corpus (the one-article query of ``neighbours --article``: about 0.1 s of
CPU on the full corpus).

Layout (:class:`IndexArrays`): ``vocab`` holds every distinct key of the
corpus's units, sorted, and a key's id is its position there; for key id
``i`` the units holding it are ``postings[ptr[i]:ptr[i+1]]`` (ascending);
for unit ``u`` its key ids are ``fwd[fwd_ptr[u]:fwd_ptr[u+1]]`` (ascending:
the unit's set).  Units keep the order of :func:`~.units.unit_sets` (by
agreement, then document order), each with its agreement and unit key
(article index, clause order ...).

Storage: one cache entry per array part
(``index|<feature>|<unit>|<area>|<array>|<part>``: postings, positions and
forward lists in parts of 1 MB, since a read at an offset inside a blob walks
its chain of pages from the start; the others whole), valid for the digest of
the corpus state (:func:`~.units.corpus_state`) and rewritten together.  Loading reads the arrays of size
O(vocabulary + units) whole and opens the postings and forward lists for
range reads (SQLite incremental blob I/O), so a query reads the postings of
the keys it processes and the sets of the candidates it verifies, nothing
else.  A read-only store keeps the index in memory for the call.

Exact top-k (:meth:`ShingleIndex.top_k`): prefix filtering with a positional
bound, reading the query's keys rarest first (ranked by ``rank``; each
posting carries the key's position in its unit's ranked set) until no unit it
has not met could reach the k-th best, then verifying the units met in
decreasing order of their bound: see :mod:`.join`, which also holds the
searches for many queries at once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..features import UnitSets
from ..store import Store
from .join import Ranges, span_indices, top_k_join
from .units import Unit, agreement_runs, corpus_state, unit_sets

_PART_BYTES = 1 << 20
"""Postings and forward lists are stored in parts of this size: reading at an offset inside a blob walks
its chain of overflow pages from the start, so parts are kept short."""
_SMALL_PART_BYTES = 512 << 20
_LARGE = ("postings", "positions", "fwd")
_DTYPES = {
    "vocab": np.uint64, "ptr": np.int64, "rank": np.int32, "fwd_ptr": np.int64, "agreement": np.int32,
    "unit_key": np.int64, "postings": np.int32, "positions": np.uint16, "fwd": np.int32,
}  # fmt: skip


class MemoryRanges:
    """Ranges of an array held in memory."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def gather(self, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
        out: np.ndarray = self.array[span_indices(starts, stops)]
        return out

    def close(self) -> None:
        pass


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

    def gather(self, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
        item = self.dtype.itemsize
        chunks: list[bytes] = [b""] * starts.size
        blobs = self._blobs
        # In offset order, so that each part's chain of pages is walked once.
        for i in np.argsort(starts, kind="stable").tolist():
            s, e = int(starts[i]), int(stops[i])
            pieces: list[bytes] = []
            while s < e:
                part, off = divmod(s, self.part_len)
                take = min(e - s, self.part_len - off)
                blob = blobs.get(part)
                if blob is None:
                    blob = blobs[part] = self.db.blobopen("cache", "data", self.rowids[part], readonly=True)
                blob.seek(off * item)
                pieces.append(blob.read(take * item))
                s += take
            chunks[i] = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        return np.frombuffer(b"".join(chunks), dtype=self.dtype)


@dataclass(frozen=True)
class TopK:
    """The result of an exact top-k query: units (ascending) and their exact intersection with the query."""

    units: np.ndarray
    inter: np.ndarray
    score: np.ndarray
    """Exact Jaccard."""
    threshold: float
    """The k-th best Jaccard (0 when fewer than k units share anything)."""
    postings_read: int
    verified: int


@dataclass
class ShingleIndex:
    """The index of one corpus state at one level and area (see the module docstring)."""

    agreements: list[str]
    """Agreement ids; ``agreement`` holds positions in this list."""
    agreement: np.ndarray
    unit_key: np.ndarray
    vocab: np.ndarray
    ptr: np.ndarray
    rank: np.ndarray
    """Rank of each key id, rarest first (fewest postings; ties by id): the order prefixes are read in."""
    fwd_ptr: np.ndarray
    postings: Ranges
    positions: Ranges
    """Beside each posting, the position of the key in the unit's set ranked by ``rank`` (capped at 65535)."""
    fwd: Ranges

    def __enter__(self) -> ShingleIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the blobs reading holds open (an index read from the store); it can be read again after."""
        self.postings.close()
        self.positions.close()
        self.fwd.close()

    @property
    def n_units(self) -> int:
        return int(self.fwd_ptr.size - 1)

    @property
    def sizes(self) -> np.ndarray:
        sizes: np.ndarray = np.diff(self.fwd_ptr)
        return sizes

    def key_ids(self, keys: np.ndarray) -> tuple[np.ndarray, int]:
        """Ids of the sorted unique ``keys`` found in the vocabulary, and how many are not found."""
        if keys.size == 0 or self.vocab.size == 0:
            return np.zeros(0, dtype=np.int64), int(keys.size)
        pos = np.searchsorted(self.vocab, keys)
        pos[pos == self.vocab.size] = 0
        hit = self.vocab[pos] == keys
        return pos[hit].astype(np.int64), int(keys.size - hit.sum())

    def unit_ids(self, units: np.ndarray) -> np.ndarray:
        """The union of the key ids of ``units`` (sorted unique)."""
        units = np.asarray(units, dtype=np.int64)
        ids = self.fwd.gather(self.fwd_ptr[units], self.fwd_ptr[units + 1])
        out: np.ndarray = np.unique(ids).astype(np.int64)
        return out

    @property
    def vocab_size(self) -> int:
        return int(self.vocab.size)

    def top_k(self, q: np.ndarray, k: int, eligible: np.ndarray, *, n_extra: int = 0) -> TopK:
        """The ``k`` eligible units most similar to one query, exactly scored.

        ``q`` holds the query's key ids (sorted unique, from :meth:`key_ids` or
        :meth:`unit_ids`), ``n_extra`` the number of its keys the vocabulary
        lacks (they count in the query's size and are shared with no unit).
        The result is the first ``k`` of all eligible units sorted by Jaccard
        descending, then unit ascending, leaving out units that share nothing
        (so it can be shorter); units come back in ascending order.  See
        :mod:`.join` for how, and why it is exact.
        """
        r = top_k_join(
            self, np.array([0, q.size]), q, np.array([q.size + n_extra]), k, eligible=eligible, rank=self.rank
        )
        order = np.argsort(r.unit)
        tau = float(r.score.min()) if r.score.size == k else 0.0
        return TopK(r.unit[order], r.inter[order], r.score[order], tau, r.postings_read, r.verified)


@dataclass(frozen=True)
class IndexArrays:
    """Everything an index holds, in memory (what is built and what is stored)."""

    agreements: list[str]
    arrays: dict[str, np.ndarray]

    def index(self) -> ShingleIndex:
        a = self.arrays
        return ShingleIndex(
            self.agreements, a["agreement"], a["unit_key"], a["vocab"], a["ptr"], a["rank"], a["fwd_ptr"],
            MemoryRanges(a["postings"]), MemoryRanges(a["positions"]), MemoryRanges(a["fwd"]),
        )  # fmt: skip


def build_arrays(
    agreement_ids: Sequence[str], agreement: np.ndarray, unit_key: np.ndarray, sets: UnitSets
) -> IndexArrays:
    """The index of ``sets`` (one row per unit, with each unit's agreement position and unit key)."""
    vocab, fwd = key_ids_of(sets)
    return index_arrays(agreement_ids, agreement, unit_key, vocab, sets.indptr, fwd)


def key_ids_of(sets: UnitSets, *, chunk: int = 1 << 22) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct keys of ``sets`` and every key's id among them (int32, in chunks)."""
    vocab = np.unique(sets.keys)
    fwd = np.empty(sets.keys.size, dtype=np.int32)
    for lo in range(0, sets.keys.size, chunk):
        fwd[lo : lo + chunk] = np.searchsorted(vocab, sets.keys[lo : lo + chunk])
    return vocab, fwd


def index_arrays(
    agreement_ids: Sequence[str],
    agreement: np.ndarray,
    unit_key: np.ndarray,
    vocab: np.ndarray,
    indptr: np.ndarray,
    fwd: np.ndarray,
) -> IndexArrays:
    """The index of units whose key ids are CSR rows ``fwd[indptr[u]:indptr[u+1]]`` into ``vocab``.

    A unit's ids are ascending (ids follow key order, and the rows of a UnitSets are sorted keys).
    """
    indptr = indptr.astype(np.int64)
    n_units, n_keys = indptr.size - 1, vocab.size
    df = np.bincount(fwd, minlength=n_keys)
    by_rank = np.lexsort((np.arange(n_keys), df))
    rank = np.empty(n_keys, dtype=np.int32)
    rank[by_rank] = np.arange(n_keys, dtype=np.int32)
    del df, by_rank
    # Each key's position in its unit's set ranked rarest first: sort each row by rank (scipy, in C).
    # int32 offsets where they fit, so that scipy keeps the int32 ids rather than copying them to int64.
    small = fwd.size < 2**31 - 1
    ptr = indptr.astype(np.int32) if small else indptr
    ranked = sp.csr_matrix((np.arange(fwd.size, dtype=np.int32), rank[fwd], ptr), shape=(n_units, n_keys))
    ranked.sort_indices()
    positions = np.empty(fwd.size, dtype=np.uint16)
    step = max(1, n_units // max(1, fwd.size // (1 << 22)))
    for r0 in range(0, n_units, step):
        r1 = min(n_units, r0 + step)
        e0, e1 = int(indptr[r0]), int(indptr[r1])
        within = np.arange(e0, e1, dtype=np.int64) - np.repeat(indptr[r0:r1], np.diff(indptr[r0 : r1 + 1]))
        positions[ranked.data[e0:e1]] = np.minimum(within, 65535)
    del ranked
    x = sp.csr_matrix((positions, fwd, ptr), shape=(n_units, n_keys))
    del positions
    xc = x.tocsc()  # a counting sort, in C: postings come out in ascending unit order
    del x
    arrays = {
        "vocab": vocab,
        "ptr": xc.indptr.astype(np.int64),
        "rank": rank,
        "postings": xc.indices.astype(np.int32, copy=False),
        "positions": xc.data.astype(np.uint16, copy=False),
        "fwd_ptr": indptr,
        "fwd": fwd.astype(np.int32, copy=False),
        "agreement": np.asarray(agreement, dtype=np.int32),
        "unit_key": np.asarray(unit_key, dtype=np.int64),
    }
    return IndexArrays(list(agreement_ids), arrays)


# -- building, storing and loading for a store ---------------------------------------------------


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
