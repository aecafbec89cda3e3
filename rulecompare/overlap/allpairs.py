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
matrix and its transpose, built once).  Each block of ``block`` queries gets
its exact intersection counts (sparse product plus dense product) with the
units from the block's first one on, so every pair is counted once: the
block's rows give its queries' best ``k`` among those units, its columns
give each later unit's best ``k`` among the block, and both are merged into
the running lists.  Memory is that of one block's rows (``block`` x
units) beside the two matrices, whatever the corpus size; time grows with
the square of the number of units.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..features import UnitSets
from .kernels import incidence, key_columns
from .neighbours import Neighbours

_DENSE_SHARE = 0.25
"""Keys held by more than this share of the units go through the dense product (as in the kernel)."""


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
    cols, n_cols = key_columns(sets)
    df = np.bincount(cols, minlength=n_cols)
    dense_col = df > max(1.0, dense_share * n)
    x = incidence(sets, cols, n_cols, ~dense_col[cols]).astype(np.int32)
    xt = x.T.tocsr()
    dense = _dense_matrix(sets, cols, dense_col)
    sizes = sets.sizes.astype(np.float64)
    empty_f = np.zeros(0)
    best: tuple[np.ndarray, ...] = (empty, empty, empty, empty_f)
    # Each pair is counted once: queries lo:hi against units lo:n; the pairs with units beyond the
    # block count for those units too (the block's transpose), so the work is half the square.
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        inter = (x[lo:hi] @ xt[:, lo:]).toarray().astype(np.int64)
        if dense is not None:
            inter += np.rint(dense[lo:hi] @ dense[lo:].T).astype(np.int64)
        rows, cols = np.arange(lo, hi), np.arange(lo, n)
        score = _scores(inter, sizes[rows], sizes[cols], group[rows], group[cols])
        found = [_best(score, inter, rows, cols, k)]
        if hi < n:
            found.append(_best(score[:, hi - lo :].T, inter[:, hi - lo :].T, cols[hi - lo :], rows, k))
        best = _first_k(*(np.concatenate(p) for p in zip(best, *found, strict=True)), k=k)
        del inter, score
        if progress:
            progress(hi, n)
    return Neighbours(*best)


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


def _scores(
    inter: np.ndarray, size_q: np.ndarray, size_t: np.ndarray, group_q: np.ndarray, group_t: np.ndarray
) -> np.ndarray:
    """Jaccard of each cell, -1 where the pair may not match (same group) or shares nothing."""
    with np.errstate(divide="ignore", invalid="ignore"):  # two empty sets: 0 / 0, dropped below
        score: np.ndarray = inter / (size_q[:, None] + size_t[None, :] - inter)
    score[(group_q[:, None] == group_t[None, :]) | (inter == 0) | ~np.isfinite(score)] = -1.0
    return score


def _best(
    score: np.ndarray, inter: np.ndarray, rows: np.ndarray, cols: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The best ``k`` columns of each row of a score block (ties: lower column id first)."""
    kk = min(k, score.shape[1])
    # Every cell scoring at least its row's k-th best is a candidate; ties beyond k go to lower ids.
    kth = -np.partition(-score, kk - 1, axis=1)[:, kk - 1]
    r, c = np.nonzero((score >= kth[:, None]) & (score > 0))
    return _first_k(rows[r].astype(np.int64), cols[c].astype(np.int64), inter[r, c], score[r, c], k=k)


def _first_k(
    q: np.ndarray, t: np.ndarray, inter: np.ndarray, score: np.ndarray, *, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The first ``k`` pairs of each query by score descending, then target; sorted that way."""
    order = np.lexsort((t, -score, q))
    q, t, inter, score = q[order], t[order], inter[order], score[order]
    if q.size == 0:
        return q, t, inter, score
    first = np.concatenate(([True], q[1:] != q[:-1]))
    start = np.maximum.accumulate(np.where(first, np.arange(q.size), 0))
    keep = (np.arange(q.size) - start) < k
    return q[keep], t[keep], inter[keep].astype(np.int64), score[keep]


__all__ = ["exact_top_neighbours"]
