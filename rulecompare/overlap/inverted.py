"""The inverted index of unit shingle sets, in memory, and its exact top-k query.

Layout (:class:`IndexArrays`): ``vocab`` holds every distinct key of the
corpus's units, sorted, and a key's id is its position there; for key id
``i`` the units holding it are ``postings[ptr[i]:ptr[i+1]]`` (ascending);
for unit ``u`` its key ids are ``fwd[fwd_ptr[u]:fwd_ptr[u+1]]`` (ascending:
the unit's set).  Units keep the order of :func:`~.units.unit_sets` (by
agreement, then document order), each with its agreement and unit key
(article index, clause order ...).  The postings, positions and forward
lists are read by range (:class:`~.join.Ranges`): from memory here, from the
store's cache by :mod:`.index`, which also says why the index exists.

Exact top-k (:meth:`ShingleIndex.top_k`): prefix filtering with a positional
bound, reading the query's keys rarest first (ranked by ``rank``; each
posting carries the key's position in its unit's ranked set) until no unit it
has not met could reach the k-th best, then verifying the units met in
decreasing order of their bound: see :mod:`.join`, which also holds the
searches for many queries at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..features import UnitSets
from .join import Ranges, span_indices, top_k_join


class MemoryRanges:
    """Ranges of an array held in memory."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def gather(self, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
        out: np.ndarray = self.array[span_indices(starts, stops)]
        return out

    def close(self) -> None:
        pass


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


__all__ = [
    "IndexArrays",
    "MemoryRanges",
    "ShingleIndex",
    "TopK",
    "build_arrays",
    "index_arrays",
    "key_ids_of",
]
