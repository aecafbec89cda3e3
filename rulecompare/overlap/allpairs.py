"""The exact top-k neighbours of every unit among all others: every pair scored, in blocks of queries.

Why this module exists: "for each of the 39,000 English articles, which five
articles of other agreements are closest?" must not miss a pair.  The
candidate search of :func:`.neighbours.top_neighbours` is faster but finds
only pairs that share rare shingles (top-5 recall about 0.8 on the corpus);
prefix filtering (:mod:`.join`) is exact but, for character 5-grams, a
query's prefix for a k-th best below about 0.5 covers most of its common
shingles, so it reads more postings than scoring every pair costs (measured
on the English articles: 44-66 ms of CPU and about a million postings per
query, against about 5 ms per query for scoring all of its pairs).

How: the keys are split once, as in :func:`.kernels.intersections`, into
those found in more than ``dense_share`` of the units (a float32 matrix,
multiplied with BLAS, exact below 2**24) and the rest (a binary sparse
matrix, built once).  Each block of ``block`` units gets its exact
intersection counts (sparse product plus dense product) with the units from
the block's first one on, so every pair is counted once.  Only the pairs
that can still enter one of their two units' lists go on: a unit that has
``k`` pairs already needs at least its ``k``-th score (ties included, since
a lower target may win), one with fewer at least the ``k``-th best of the
block; those pairs are rescored exactly (float64, from the integer counts)
and merged into the running lists.  The running ``k``-th scores rise as
blocks go by, so after the first blocks few pairs pass.  Memory is that of
one block (units x ``block``) beside the two matrices, whatever the corpus
size; time grows with the square of the number of units.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..features import UnitSets
from .kernels import incidence, key_columns
from .neighbours import Neighbours
from .pairsort import pair_order

_DENSE_SHARE = 0.07
"""Keys held by more than this share of the units go through the dense product.

A key held by ``d`` of ``n`` units costs about ``d**2 / 2`` multiply-adds in
the sparse product and ``n**2 / 2`` in the dense one, which runs about 160
times faster per multiply-add here (float32 BLAS about 58 G/s of CPU, SciPy's
sparse product about 0.35 G/s): the break-even is ``d`` near ``n / sqrt(160)``,
about 8% of the units.  Measured on the 39,146 English articles, 0.25 took
97 s of CPU, 0.07 (1,600 keys, 250 MB) about half of that."""

_SLACK = 1.0 - 2.0**-20
"""Running thresholds (float64 Jaccards) are compared with float32 scores lowered by this factor, so that
rounding never drops a pair: a pair let through needlessly is only rescored exactly."""


def exact_top_neighbours(
    sets: UnitSets,
    *,
    k: int,
    group: np.ndarray,
    block: int = 512,
    dense_share: float = _DENSE_SHARE,
    progress: Callable[[int, int], None] | None = None,
) -> Neighbours:
    """The ``k`` best rows of other groups for every row: exact and complete.

    Guarantee: for every row ``q``, the result lists exactly the first ``k``
    of all rows ``t`` with ``group[t] != group[q]`` and a Jaccard above 0,
    sorted by Jaccard descending, then ``t`` ascending; the same as scoring
    every pair with plain sets (ties included).  Scores are the exact Jaccard
    of the pair, ``intersection`` its exact count.  Rows are sorted by query,
    then score descending, then target.
    """
    n = len(sets)
    group = np.asarray(group)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0 or k <= 0 or sets.keys.size == 0:
        return Neighbours(empty, empty, empty, np.zeros(0))
    counts = _Counts(sets, dense_share)
    run = _Running(n, k)
    # Each pair is counted once: the units from the block's first one on against the block's units.
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        inter = counts.block(lo, hi)
        _drop_pairs(inter, lo, hi, group)
        run.add(lo, hi, inter, counts.sizes)
        del inter
        if progress:
            progress(hi, n)
    return Neighbours(*run.best)


class _Counts:
    """Exact intersection counts of blocks of pairs: keys in more than ``dense_share`` of the units through
    a float32 BLAS product (exact below 2**24), the rest through a sparse product."""

    def __init__(self, sets: UnitSets, dense_share: float) -> None:
        cols, n_cols = key_columns(sets)
        df = np.bincount(cols, minlength=n_cols)
        dense_col = df > max(1.0, dense_share * len(sets))
        self.x = incidence(sets, cols, n_cols, ~dense_col[cols]).astype(np.float32)
        self.dense = _dense_matrix(sets, cols, dense_col)
        self.sizes = sets.sizes.astype(np.float32)

    def block(self, lo: int, hi: int) -> np.ndarray:
        """``|A ∩ B|`` (float32) of units ``lo:`` (rows) and ``lo:hi`` (columns)."""
        inter: np.ndarray = (self.x[lo:] @ self.x[lo:hi].T).toarray()
        if self.dense is not None:
            inter += self.dense[lo:] @ self.dense[lo:hi].T
        return inter


def _drop_pairs(inter: np.ndarray, lo: int, hi: int, group: np.ndarray) -> None:
    """Zero the counts of pairs that may not match (same group, a unit with itself) or that the block
    holds twice (both units in it: kept once, row after column)."""
    width = hi - lo
    inter[:width][np.triu_indices(width)] = 0.0
    mine = group[lo:hi]
    near = np.flatnonzero(np.isin(group[lo:], mine))
    same = group[lo:][near][:, None] == mine[None, :]
    rows, cols = np.nonzero(same)
    inter[near[rows], cols] = 0.0


class _Running:
    """The best ``k`` pairs found so far for every unit, and the ``k``-th score of each (0 below ``k``)."""

    def __init__(self, n: int, k: int) -> None:
        self.k = k
        empty = np.zeros(0, dtype=np.int64)
        self.best: tuple[np.ndarray, ...] = (empty, empty, empty, np.zeros(0))
        self.kth = np.zeros(n)

    def add(self, lo: int, hi: int, inter: np.ndarray, sizes: np.ndarray) -> None:
        """Merge the pairs of a block (units ``lo:`` x ``lo:hi``) that can enter either unit's list."""
        with np.errstate(divide="ignore", invalid="ignore"):  # two empty sets: 0 / 0, never kept
            score = inter / (sizes[lo:, None] + sizes[None, lo:hi] - inter)
        row_bar = self._bar(score, self.kth[lo:], axis=1)
        col_bar = self._bar(score, self.kth[lo:hi], axis=0)
        r, c = np.nonzero((score >= row_bar[:, None]) | (score >= col_bar[None, :]))
        u, b = (r + lo).astype(np.int64), (c + lo).astype(np.int64)
        cut = inter[r, c].astype(np.int64)
        exact = cut / (sizes[u].astype(np.float64) + sizes[b] - cut)
        pool = zip(self.best, (u, b, cut, exact), (b, u, cut, exact), strict=True)
        self.best = _first_k(*(np.concatenate(p) for p in pool), k=self.k)
        self._update_kth()

    def _bar(self, score: np.ndarray, kth: np.ndarray, axis: int) -> np.ndarray:
        """Per unit along ``axis``: the lowest float32 score that may still enter its list.

        A unit with ``k`` pairs already needs its ``k``-th score (ties included: a lower target may
        win); one with fewer needs the ``k``-th best of the block, or any positive score."""
        bar = (kth * _SLACK).astype(np.float32)
        open_ = np.flatnonzero(kth <= 0)
        if open_.size:
            part = np.take(score, open_, axis=1 - axis)
            kk = min(self.k, part.shape[axis])
            block_kth = -np.partition(-part, kk - 1, axis=axis).take(kk - 1, axis=axis)
            bar[open_] = np.nan_to_num(block_kth, nan=0.0)
        return np.maximum(bar, np.float32(np.finfo(np.float32).tiny))

    def _update_kth(self) -> None:
        q, score = self.best[0], self.best[3]
        if q.size == 0:
            return
        first = np.concatenate(([True], q[1:] != q[:-1]))
        start = np.maximum.accumulate(np.where(first, np.arange(q.size), 0))
        at = np.flatnonzero(np.arange(q.size) - start == self.k - 1)
        self.kth[q[at]] = score[at]


def _dense_matrix(sets: UnitSets, cols: np.ndarray, dense_col: np.ndarray) -> np.ndarray | None:
    """Rows x dense keys as float32 zeros and ones (None when no key is dense)."""
    ids = np.flatnonzero(dense_col)
    if ids.size == 0:
        return None
    remap = np.full(dense_col.size, -1, dtype=np.int64)
    remap[ids] = np.arange(ids.size)
    at = remap[cols]
    rows = np.repeat(np.arange(len(sets), dtype=np.int64), sets.sizes)
    out = np.zeros((len(sets), ids.size), dtype=np.float32)
    out[rows[at >= 0], at[at >= 0]] = 1.0
    return out


def _first_k(
    q: np.ndarray, t: np.ndarray, inter: np.ndarray, score: np.ndarray, *, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The first ``k`` pairs of each query by score descending, then target; sorted that way."""
    order = pair_order(q, t, score)
    q, t, inter, score = q[order], t[order], inter[order], score[order]
    if q.size == 0:
        return q, t, inter, score
    first = np.concatenate(([True], q[1:] != q[:-1]))
    start = np.maximum.accumulate(np.where(first, np.arange(q.size), 0))
    keep = (np.arange(q.size) - start) < k
    return q[keep], t[keep], inter[keep].astype(np.int64), score[keep]


__all__ = ["exact_top_neighbours"]
