"""Every pair of sets with Jaccard at least ``t``, exactly, by prefix filtering (AllPairs).

Two sets with Jaccard at least ``t`` must share a key among the first
``prefix_lengths`` keys of each, keys ranked rarest first (Bayardo, Ma and
Srikant 2007); so only the prefixes are joined, and each candidate pair is
then verified from the whole sets.  Split from :mod:`.join`, whose top-k
search uses the same ranking and span helpers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .join import Allow, segment_sums, span_indices

__all__ = ["RankedSets", "prefix_lengths", "threshold_join", "verify_pairs"]


@dataclass(frozen=True)
class RankedSets:
    """Sets of key ranks (rarest first), one CSR row per unit, each row ascending: prefixes are heads."""

    indptr: np.ndarray
    ranks: np.ndarray
    n_keys: int

    @property
    def sizes(self) -> np.ndarray:
        sizes: np.ndarray = np.diff(self.indptr)
        return sizes

    @classmethod
    def of(cls, indptr: np.ndarray, ids: np.ndarray, rank: np.ndarray) -> RankedSets:
        """Rows of key ids (any order) turned into sorted ranks."""
        indptr = indptr.astype(np.int64)
        owner = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), np.diff(indptr))
        r = rank[ids].astype(np.int64)
        order = np.lexsort((r, owner))
        return cls(indptr, r[order], int(rank.size))


def prefix_lengths(sizes: np.ndarray, t: float) -> np.ndarray:
    """How many of its rarest keys a set of each size must share with any set it has Jaccard >= t with."""
    out: np.ndarray = np.clip(sizes - np.ceil(t * sizes - 1e-9).astype(np.int64) + 1, 0, sizes)
    return out


def verify_pairs(sets: RankedSets, q: np.ndarray, u: np.ndarray, *, cells: int = 1 << 25) -> np.ndarray:
    """|A ∩ B| for pairs of rows ``(q[i], u[i])``, exactly: B's keys looked up in a bitmap of A's.

    Pairs are taken by runs of queries whose bitmaps hold at most ``cells`` bits together.
    """
    out = np.zeros(q.size, dtype=np.int64)
    if q.size == 0:
        return out
    words = max(1, -(-sets.n_keys // 64))
    order = np.argsort(q, kind="stable")
    qs, us = q[order], u[order]
    uq, first = np.unique(qs, return_index=True)
    per = max(1, cells // (64 * words))
    sizes = sets.sizes
    for lo in range(0, uq.size, per):
        block = uq[lo : lo + per]
        a, b = first[lo], first[lo + per] if lo + per < uq.size else qs.size
        local = np.searchsorted(block, qs[a:b])
        bits = np.zeros(block.size * words, dtype=np.uint64)
        keys = sets.ranks[span_indices(sets.indptr[block], sets.indptr[block + 1])]
        owner = np.repeat(np.arange(block.size, dtype=np.int64), sizes[block])
        np.bitwise_or.at(
            bits, owner * words + (keys >> 6), np.left_shift(np.uint64(1), (keys & 63).astype(np.uint64))
        )
        tk = sets.ranks[span_indices(sets.indptr[us[a:b]], sets.indptr[us[a:b] + 1])]
        tw = np.repeat(local, sizes[us[a:b]]) * words + (tk >> 6)
        hit = (bits[tw] >> (tk & 63).astype(np.uint64)) & np.uint64(1)
        out[order[a:b]] = segment_sums(hit.astype(np.int64), sizes[us[a:b]])
    return out


def threshold_join(
    sets: RankedSets,
    t: float,
    *,
    queries: np.ndarray | None = None,
    targets: np.ndarray | None = None,
    allow: Allow | None = None,
    chunk: int = 1 << 22,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (query, target) of rows with Jaccard >= ``t`` (> 0), exactly scored: (q, u, inter).

    AllPairs with the size and positional filters: a pair with Jaccard >= t
    shares a key within the first ``prefix_lengths`` keys of both rows; the
    targets' prefixes are indexed by (key, size), each query's prefix looks up
    the targets of a size that can reach ``t``, and the pairs met are kept
    when ``c + min(|q| - j - 1, |u| - i - 1)`` (``c`` shared prefix keys, the
    last at positions ``j`` and ``i``) reaches the overlap ``t`` demands,
    then verified.  ``allow(q, u)`` filters pairs; a row never pairs with
    itself.
    """
    n = sets.indptr.size - 1
    sizes = sets.sizes
    queries = np.arange(n) if queries is None else np.asarray(queries, dtype=np.int64)
    targets = np.arange(n) if targets is None else np.asarray(targets, dtype=np.int64)
    # The targets' prefixes, ordered by (key, size, unit).
    tp = prefix_lengths(sizes[targets], t)
    e = span_indices(sets.indptr[targets], sets.indptr[targets] + tp)
    tu = np.repeat(targets, tp)
    ti = e - np.repeat(sets.indptr[targets], tp)
    bits = max(1, int(sizes.max(initial=1)).bit_length())
    comp = (sets.ranks[e] << bits) | sizes[tu]
    order = np.argsort(comp, kind="stable")
    comp, tu, ti = comp[order], tu[order], ti[order]
    del e, order
    qp = prefix_lengths(sizes[queries], t)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    # Queries in chunks whose matches stay within ``chunk`` entries (estimated from the first pass).
    qe = span_indices(sets.indptr[queries], sets.indptr[queries] + qp)
    qq = np.repeat(np.arange(queries.size, dtype=np.int64), qp)
    qs = sizes[queries][qq]
    lo_size = np.ceil(t * qs - 1e-9).astype(np.int64)
    hi_size = np.floor(qs / t + 1e-9).astype(np.int64) if t > 0 else np.full(qs.size, sizes.max(initial=0))
    key = sets.ranks[qe] << bits
    a = np.searchsorted(comp, key | lo_size, side="left")
    b = np.searchsorted(comp, key | np.minimum(hi_size, (1 << bits) - 1), side="right")
    qj = qe - np.repeat(sets.indptr[queries], qp)
    del qe, key, lo_size, hi_size, qs
    # Queries in chunks of about ``chunk`` matches; all of a query's matches in one chunk, as its bound needs.
    per_query = np.bincount(qq, weights=b - a, minlength=queries.size)
    cut = np.searchsorted(np.cumsum(per_query), np.arange(chunk, per_query.sum() + chunk, chunk))
    entry_of_query = np.concatenate(([0], np.cumsum(qp)))
    bounds = np.unique(np.concatenate(([0], entry_of_query[np.minimum(cut + 1, queries.size)], [qq.size])))
    for s0, s1 in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        m = span_indices(a[s0:s1], b[s0:s1])
        reps = (b - a)[s0:s1]
        q = queries[np.repeat(qq[s0:s1], reps)]
        j = np.repeat(qj[s0:s1], reps)
        u, i = tu[m], ti[m]
        keep = u != q
        if allow is not None:
            keep &= allow(q, u)
        q, u, i, j = q[keep], u[keep], i[keep], j[keep]
        pair = q * n + u
        uniq, inv, c = np.unique(pair, return_inverse=True, return_counts=True)
        jl = np.zeros(uniq.size, dtype=np.int64)
        il = np.zeros(uniq.size, dtype=np.int64)
        np.maximum.at(jl, inv, j)
        np.maximum.at(il, inv, i)
        pq, pu = np.divmod(uniq, n)
        ub = c + np.minimum(sizes[pq] - jl - 1, sizes[pu] - il - 1)
        need = t / (1 + t) * (sizes[pq] + sizes[pu])
        ok = ub >= need - 1e-9
        pq, pu = pq[ok], pu[ok]
        inter = verify_pairs(sets, pq, pu)
        good = (inter > 0) & (inter >= need[ok] - 1e-9)
        found.append((pq[good], pu[good], inter[good]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    q, u, inter = (np.concatenate(x) for x in zip(*found, strict=True))
    return q, u, inter
