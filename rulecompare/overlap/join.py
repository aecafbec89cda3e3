"""Exact top-k Jaccard search of many query sets against an inverted index, by prefix filtering.

Why this module exists: "which clause of an earlier agreement is closest to
each of TPP's 1,978 clauses?" and "which articles are closest to each of
39,000?" ask for the few best of a hundred thousand candidates per query.
Scoring every pair reads every posting of every key; this search reads, for
each query, only the postings of its rarer keys, and proves that nothing it
did not read could be among the best.

The argument (prefix filtering: Chaudhuri, Ganti and Kaushik, 2006; Bayardo,
Ma and Srikant's AllPairs, 2007; the positional bound of Xiao, Wang, Lin and
Yu's PPJoin, 2008).  Keys are ranked once, rarest first (fewest postings; ties
by key), and every set is read in that order.  Suppose a query ``q`` has read
its first ``p`` keys and that ``tau`` is a Jaccard already reached by ``k``
verified units.  Then:

- a unit that holds none of those ``p`` keys shares at most the
  ``r = |q| - p`` keys left, so its Jaccard is at most ``r / |q|``: once
  ``r < tau |q|`` no unit unmet can reach ``tau``;
- a unit met ``c`` times, whose last shared key sits at position ``m`` of its
  own ranked set, can share only keys ranked after that one, at most
  ``min(r, |u| - m - 1)`` more: its Jaccard is at most that of
  ``c + min(r, |u| - m - 1)`` shared keys.

So each query (1) reads a few of its rarest keys and verifies (scores
exactly, from the unit's whole set) the units met most often, which gives a
first ``tau``; (2) reads its prefix for that ``tau`` in one pass, counting for
every unit met its shared keys and its last position; (3) verifies, in
decreasing order of the bound, the units whose bound reaches the current
``tau`` (which only rises), until none does.  The result is the first ``k``
units of all eligible units sorted by Jaccard descending, then unit
ascending: exact and complete, ties included, the same as scoring every pair.

With ``floor`` > 0 the prefix read is the one for ``max(tau, floor)``: every
unit with Jaccard at least ``floor`` is still found and ranked exactly, but
a query whose k-th best is below ``floor`` may miss units below it (its
other slots are filled from the units its prefix met, verified in order of
their bound).  :class:`JoinResult` says which queries are exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np


class Ranges(Protocol):
    """An int32 array read by ranges: in memory, or from blobs in the store."""

    def gather(self, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
        """The elements ``[starts[i], stops[i])`` for each i, concatenated."""
        ...  # pragma: no cover

    def close(self) -> None:
        """Release what reading holds (open blobs)."""
        ...  # pragma: no cover


def span_indices(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The indices ``starts[i] .. stops[i] - 1`` for each i, concatenated (int64)."""
    lens = (stops - starts).astype(np.int64)
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lens) - lens
    out: np.ndarray = np.arange(total, dtype=np.int64) + np.repeat(starts.astype(np.int64) - offsets, lens)
    return out


def segment_sums(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Sums of consecutive segments of ``values`` with the given lengths (int64)."""
    total = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    ends = np.cumsum(lengths.astype(np.int64))
    out: np.ndarray = total[ends] - total[ends - lengths]
    return out


Allow = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""``allow(q, u)``: for query positions ``q`` and units ``u`` (equal-length arrays), which pairs may match."""

_FIRST_KEYS_POSTINGS = 256
"""Postings a query reads first (at least one key), to find the units it verifies before its prefix pass."""
_FIRST_VERIFY = 8
"""Units met most often in that first read verified per query (at least ``k``)."""
_WAVE = 16
"""Candidates verified per query per round of step (3)."""
_CELLS = 1 << 21
"""Queries are searched in blocks of at most this many (query, unit) cells of dense counts."""
_READ = 1 << 22
"""Postings read at once (what bounds the memory of a read, beside the dense counts)."""


class Searchable(Protocol):
    """What the search reads from an index (:class:`~.index.ShingleIndex` provides it)."""

    ptr: np.ndarray
    fwd_ptr: np.ndarray
    postings: Ranges
    positions: Ranges
    fwd: Ranges

    @property
    def vocab_size(self) -> int: ...  # pragma: no cover

    @property
    def sizes(self) -> np.ndarray: ...  # pragma: no cover


@dataclass(frozen=True)
class JoinResult:
    """Best units per query: rows sorted by query, then Jaccard descending, then unit."""

    query: np.ndarray
    unit: np.ndarray
    inter: np.ndarray
    score: np.ndarray
    exact: np.ndarray
    """Per query: True when its row set is proven the exact top k (always, without ``floor``)."""
    postings_read: int
    verified: int


def rank_of_keys(ptr: np.ndarray) -> np.ndarray:
    """The rank of every key id (rarest first, ties by id) from the postings offsets."""
    df = np.diff(ptr)
    order = np.lexsort((np.arange(df.size), df))
    rank = np.empty(df.size, dtype=np.int64)
    rank[order] = np.arange(df.size)
    return rank


def top_k_join(
    index: Searchable,
    qptr: np.ndarray,
    qids: np.ndarray,
    qsize: np.ndarray,
    k: int,
    *,
    eligible: np.ndarray | None = None,
    allow: Allow | None = None,
    floor: float = 0.0,
    rank: np.ndarray | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> JoinResult:
    """The ``k`` best units of each query (see the module docstring).

    Queries are CSR rows of key ids (``qids[qptr[i]:qptr[i+1]]``, sorted
    unique); ``qsize[i]`` is the query's size, which may exceed its number of
    ids when some of its keys are in no unit.  ``eligible`` (a mask over units)
    and ``allow`` restrict the pairs; ``rank`` is :func:`rank_of_keys` of the
    index (computed when not given).
    """
    n_q = qptr.size - 1
    n = int(index.fwd_ptr.size - 1)
    rank = rank_of_keys(index.ptr) if rank is None else rank
    sizes = index.sizes.astype(np.int64)
    block = max(1, min(n_q, _CELLS // max(n, 1)))
    parts: list[tuple[np.ndarray, ...]] = []
    exact = np.ones(n_q, dtype=bool)
    read = verified = 0
    for lo in range(0, n_q, block):
        hi = min(n_q, lo + block)
        b = _Block(
            index, rank, sizes, qptr[lo : hi + 1] - qptr[lo], qids[qptr[lo] : qptr[hi]], qsize[lo:hi], k
        )
        b.eligible, b.allow, b.offset, b.floor = eligible, allow, lo, floor
        b.run()
        parts.append((b.bq + lo, b.bu, b.bi, b.bs))
        exact[lo:hi] = b.exact
        read += b.read
        verified += b.verified
        if progress:
            progress(hi, n_q)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return JoinResult(empty, empty, empty, np.zeros(0), exact, 0, 0)
    q, u, inter, score = (np.concatenate(p) for p in zip(*parts, strict=True))
    return JoinResult(q, u, inter, score, exact, read, verified)


class _Block:
    """The search for one block of queries, with dense per-(query, unit) counts."""

    eligible: np.ndarray | None
    allow: Allow | None
    offset: int
    floor: float

    def __init__(
        self,
        index: Searchable,
        rank: np.ndarray,
        sizes: np.ndarray,
        qptr: np.ndarray,
        qids: np.ndarray,
        qsize: np.ndarray,
        k: int,
    ) -> None:
        self.ix, self.sizes, self.k = index, sizes, k
        self.n = sizes.size
        self.nq = qptr.size - 1
        self.qptr = qptr.astype(np.int64)
        self.len = np.diff(self.qptr)
        self.qsize = qsize.astype(np.int64)
        owner = np.repeat(np.arange(self.nq, dtype=np.int64), self.len)
        # Each query's keys, rarest first: the order prefixes are read in.
        order = np.lexsort((rank[qids], owner))
        self.keys = qids[order].astype(np.int64)
        self.owner = owner
        df = index.ptr[self.keys + 1] - index.ptr[self.keys]
        self.cum = np.concatenate(([0], np.cumsum(df)))
        self.counts = np.zeros(self.nq * self.n, dtype=np.int32)
        self.last = np.full(self.nq * self.n, -1, dtype=np.int32)
        self.done = np.zeros(self.nq * self.n, dtype=bool)
        self.p = np.zeros(self.nq, dtype=np.int64)
        self.tau = np.zeros(self.nq)
        self.last_unit = np.full(self.nq, self.n, dtype=np.int64)
        self.bq = self.bu = self.bi = np.zeros(0, dtype=np.int64)
        self.bs = np.zeros(0)
        self.exact = np.ones(self.nq, dtype=bool)
        self._filled = np.zeros(self.nq, dtype=bool)
        self.read = self.verified = 0
        # A bitmap of each query's keys, for verification.
        words = max(1, -(-index.vocab_size // 64))
        self.words = words
        self.bits = np.zeros(self.nq * words, dtype=np.uint64)
        if qids.size:
            cell = owner * words + (qids >> 6)
            np.bitwise_or.at(self.bits, cell, np.left_shift(np.uint64(1), (qids & 63).astype(np.uint64)))

    # -- reading prefixes -----------------------------------------------------------------------

    def _read(self, stop: np.ndarray) -> np.ndarray:
        """Read each query's keys from its current position up to ``stop`` (exclusive); the cells met."""
        take = np.flatnonzero(stop > self.p)
        if take.size == 0:
            return np.zeros(0, dtype=np.int64)
        # Chunks of queries holding at most _READ postings (one query may exceed it alone).
        postings = self.cum[self.qptr[take] + stop[take]] - self.cum[self.qptr[take] + self.p[take]]
        bounds = np.searchsorted(np.cumsum(postings), np.arange(1, 1 + postings.sum() // _READ) * _READ)
        met = [
            self._read_chunk(chunk, stop)
            for chunk in np.split(take, np.unique(bounds[(bounds > 0) & (bounds < take.size)]))
        ]
        return np.concatenate(met)

    def _read_chunk(self, take: np.ndarray, stop: np.ndarray) -> np.ndarray:
        entries = span_indices(self.qptr[take] + self.p[take], self.qptr[take] + stop[take])
        self.p[take] = stop[take]
        keys = self.keys[entries]
        owner = self.owner[entries]
        ukeys, inv = np.unique(keys, return_inverse=True)
        starts, stops = self.ix.ptr[ukeys], self.ix.ptr[ukeys + 1]
        units = self.ix.postings.gather(starts, stops)
        pos = self.ix.positions.gather(starts, stops)
        offs = np.concatenate(([0], np.cumsum(stops - starts)))
        at = span_indices(offs[inv], offs[inv + 1])
        q = np.repeat(owner, (stops - starts)[inv])
        u = units[at].astype(np.int64)
        m = pos[at].astype(np.int32)
        del units, pos
        self.read += at.size
        ok = self._allowed(q, u)
        if not ok.all():
            q, u, m = q[ok], u[ok], m[ok]
        cell: np.ndarray = q * self.n + u
        self.counts += np.bincount(cell, minlength=self.counts.size).astype(np.int32)
        # Ranks increase along a prefix, so the largest position is the last shared key.
        np.maximum.at(self.last, cell, m)
        return cell

    def _allowed(self, q: np.ndarray, u: np.ndarray) -> np.ndarray:
        ok = np.ones(q.size, dtype=bool) if self.eligible is None else self.eligible[u]
        if self.allow is not None:
            ok &= self.allow(q + self.offset, u)
        return ok

    def _stop_for(self, tau: np.ndarray) -> np.ndarray:
        """Keys each query must read so that a unit it never met scores below ``tau``."""
        need = self.len - np.ceil(tau * self.qsize).astype(np.int64) + 1
        return np.where(tau > 0, np.clip(need, 0, self.len), self.len)

    # -- verifying ---------------------------------------------------------------------------------

    def _verify(self, q: np.ndarray, u: np.ndarray) -> None:
        """Score pairs exactly (the unit's whole set against the query's bitmap) and keep the best k."""
        if q.size == 0:
            return
        starts, stops = self.ix.fwd_ptr[u], self.ix.fwd_ptr[u + 1]
        ids = self.ix.fwd.gather(starts, stops).astype(np.int64)
        lengths = stops - starts
        owner = np.repeat(q, lengths)
        word = self.bits[owner * self.words + (ids >> 6)]
        hit = (word >> (ids & 63).astype(np.uint64)) & np.uint64(1)
        inter = segment_sums(hit.astype(np.int64), lengths)
        self.verified += q.size
        self.done[q * self.n + u] = True
        score = inter / (self.qsize[q] + self.sizes[u] - inter)
        pos = inter > 0
        bq = np.concatenate((self.bq, q[pos]))
        bu = np.concatenate((self.bu, u[pos]))
        bi = np.concatenate((self.bi, inter[pos]))
        bs = np.concatenate((self.bs, score[pos]))
        order = np.lexsort((bu, -bs, bq))
        bq, bu, bi, bs = bq[order], bu[order], bi[order], bs[order]
        keep = rank_in_group(bq) < self.k
        self.bq, self.bu, self.bi, self.bs = bq[keep], bu[keep], bi[keep], bs[keep]
        full = np.bincount(self.bq, minlength=self.nq) >= self.k
        kth = np.flatnonzero(rank_in_group(self.bq) == self.k - 1)
        self.tau[self.bq[kth]] = self.bs[kth]
        self.last_unit[self.bq[kth]] = self.bu[kth]
        self.tau[~full] = 0.0
        self.last_unit[~full] = self.n

    def _bounds(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Query, unit and upper bound of the Jaccard of each cell (see the module docstring)."""
        q, u = np.divmod(cells, self.n)
        c = self.counts[cells].astype(np.int64)
        more = np.minimum((self.len - self.p)[q], self.sizes[u] - self.last[cells].astype(np.int64) - 1)
        ub = c + np.maximum(more, 0)
        return q, u, ub / (self.qsize[q] + self.sizes[u] - ub)

    def run(self) -> None:
        k = self.k
        # (1) A few of the rarest keys of each query, and the units they meet most often, verified;
        # again with four times as many postings for queries that met no eligible unit yet.
        budget = _FIRST_KEYS_POSTINGS
        open_ = np.ones(self.nq, dtype=bool)
        while open_.any():
            start = self.cum[self.qptr[:-1]]
            stop = np.searchsorted(self.cum, start + budget, side="right") - 1 - self.qptr[:-1]
            stop = np.where(open_, np.minimum(np.maximum(stop, self.p + 1), self.len), self.p)
            met = self._read(stop)
            cells, hits = np.unique(met, return_counts=True)
            cells, hits = cells[~self.done[cells]], hits[~self.done[cells]]
            q, u = np.divmod(cells, self.n)
            order = np.lexsort((u, -hits, q))
            pick = order[rank_in_group(q[order]) < max(k, _FIRST_VERIFY)]
            self._verify(q[pick], u[pick])
            open_ &= (self.tau <= 0) & (self.p < self.len)
            budget *= 4
        # (2) The prefix each query needs for that k-th best (or the floor), in one pass.
        self._read(self._stop_for(np.maximum(self.tau, self.floor)))
        # (3) Candidates in waves, best bound first, while their bound reaches the k-th best (or the
        # floor when higher); a tie with the k-th best counts when the unit comes first.
        cells = np.flatnonzero(self.counts)
        cells = cells[~self.done[cells]]
        q, u, ubj = self._bounds(cells)
        order = np.lexsort((u, -ubj, q))
        q, u, ubj = q[order], u[order], ubj[order]
        while q.size:
            tau = self.tau[q]
            bar = np.maximum(tau, self.floor)
            keep = (ubj > bar) | ((ubj == tau) & (tau >= self.floor) & (u < self.last_unit[q]))
            if self.floor > 0:
                # Queries under the floor also verify their best-bounded pairs once (a candidate search).
                short = self.tau[q] < self.floor
                keep |= short & (rank_in_group(q) < 2 * k) & ~self._filled[q]
                self._filled[np.unique(q[short])] = True
            q, u, ubj = q[keep], u[keep], ubj[keep]
            wave = rank_in_group(q) < _WAVE
            self._verify(q[wave], u[wave])
            q, u, ubj = q[~wave], u[~wave], ubj[~wave]
        # Exact unless the floor cut the prefix short of what the k-th best needed.
        self.exact = (self.floor <= 0) | (self.tau >= self.floor) | (self.p >= self.len)


def rank_in_group(g: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal values of ``g`` (``g`` sorted)."""
    if g.size == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.concatenate(([True], g[1:] != g[:-1]))
    start = np.maximum.accumulate(np.where(first, np.arange(g.size), 0))
    out: np.ndarray = np.arange(g.size) - start
    return out


__all__ = [
    "Allow", "JoinResult", "Ranges", "Searchable", "rank_in_group", "rank_of_keys", "segment_sums",
    "span_indices", "top_k_join",
]  # fmt: skip
