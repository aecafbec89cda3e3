"""The one set-overlap kernel: exact intersection counts of many key sets, and the scores made of them.

Why this module exists: every overlap measure of rulecompare (matrices,
neighbours, clause alignment, the spaghetti bowl, BRI compatibility) comes
down to |A ∩ B| for many pairs of shingle sets.  Computing that in one place
means one tested fast path and one place to tune it.

How the counts are computed (:func:`intersections`): the rows' key sets
become a binary sparse incidence matrix (rows x distinct keys, one
``pd.factorize`` over all keys); the counts are ``X @ Y.T``.  Keys found in
many rows make the sparse product slow (its cost per key is the product of
the key's row counts) while a dense float32 matrix product (BLAS) costs the
same for every key and runs far faster per operation, so each key goes one
way or the other by one rule: a key held by a share ``s_a`` of the A rows and
``s_b`` of the B rows goes through the dense product when
``s_a * s_b > _DENSE_SHARE**2`` (for a square matrix: when it is in more than
``_DENSE_SHARE`` of the rows).  0.25 was the fastest of 0.08 to 0.4 in CPU
time on the English agreement matrix and the area matrices of the spaghetti
bowl, measured back to back on the 2-core development machine under load
(0.08, the value before, cost 20-40% more there).  Both parts
are exact: the sparse product counts in integers, the dense one in float32,
which is exact for counts below 2**24 (column blocks are kept narrower than
that).  When B is given, only keys found on both sides can be shared, so the
others never enter either product.

Jaccard = I / (|A| + |B| - I); containment of A in B = I / |A|
(:func:`scores_from_intersections`).

Weighted intersections (:class:`WeightedTarget`, :func:`weighted_intersections`):
``sum_{k in A & B} w(k)`` for a weight per key (the IDF weights that make
treaty boilerplate count little, :mod:`rulecompare.metrics.boilerplate`).
One side is prepared once (its vocabulary and a keys x rows matrix); each
batch of rows of the other side is mapped into that vocabulary, and its keys
go through the sparse product or through dense float32 blocks (BLAS) by the
same frequency rule as the counts. The dense part sums in float32: a
relative error of about 1e-7, far below any threshold used.

Bitsets and popcounts (:func:`bitsets`, :func:`popcount_and`) count the
frequent keys of chosen pairs for the top-k search of
:mod:`rulecompare.overlap.neighbours`; :func:`copied_matrix` counts word
6-gram coverage (the copied share).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..features import UnitSets, WordRuns

Measure = Literal["jaccard", "containment", "copied"]

_DENSE_SHARE = 0.25  # see the module docstring; tests set it to force one path
_BLOCK_BYTES = 64 << 20
_MAX_BLOCK_WIDTH = 1 << 23  # float32 sums of at most this many ones are exact


def key_columns(sets: UnitSets) -> tuple[np.ndarray, int]:
    """Dense column ids (int32) of all keys of ``sets``, and the number of distinct keys."""
    cols, uniq = pd.factorize(sets.keys)
    return cols.astype(np.int32), len(uniq)


def incidence(sets: UnitSets, cols: np.ndarray, n_cols: int, keep: np.ndarray | None = None) -> sp.csr_matrix:
    """Binary rows x columns matrix built straight from the CSR layout of ``sets``.

    ``cols`` are the column ids of ``sets.keys`` (:func:`key_columns`); with
    ``keep`` (a mask over the keys) only those entries are set.
    """
    if keep is None:
        indptr, indices = sets.indptr, cols
    else:
        running = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))
        indptr = running[sets.indptr]
        indices = cols[keep]
    data = np.ones(indices.size, dtype=np.int32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(sets), n_cols))


def intersections(sets: UnitSets, other: UnitSets | None = None) -> np.ndarray:
    """Pairwise intersection sizes |A ∩ B| (int64): rows of ``sets`` x rows of ``other`` (or of ``sets``)."""
    n_a = len(sets)
    n_b = n_a if other is None else len(other)
    out = np.zeros((n_a, n_b), dtype=np.int64)
    if n_a == 0 or n_b == 0 or sets.keys.size == 0 or (other is not None and other.keys.size == 0):
        return out
    if other is None:
        cols, n_cols = key_columns(sets)
        df_a = df_b = np.bincount(cols, minlength=n_cols)
        sides = [(sets, cols)]
    else:
        cols, n_cols = key_columns(UnitSets.concat([sets, other]))
        cols_a, cols_b = cols[: sets.keys.size], cols[sets.keys.size :]
        df_a = np.bincount(cols_a, minlength=n_cols)
        df_b = np.bincount(cols_b, minlength=n_cols)
        sides = [(sets, cols_a), (other, cols_b)]
    dense_col = _dense_columns(df_a, df_b, n_a, n_b)
    # A key found on one side only can never be shared: it enters neither product.
    sparse_col = ~dense_col & (df_a > 0) & (df_b > 0)
    xs = [incidence(s, c, n_cols, sparse_col[c]) for s, c in sides]
    out += (xs[0] @ xs[-1].T).toarray()
    dense_ids = np.flatnonzero(dense_col)
    if dense_ids.size == 0:
        return out
    remap = np.full(n_cols, -1, dtype=np.int64)
    remap[dense_ids] = np.arange(dense_ids.size)
    entries = [_dense_entries(s, remap[c]) for s, c in sides]
    width = int(min(_MAX_BLOCK_WIDTH, max(1, _BLOCK_BYTES // (4 * sum(len(s) for s, _ in sides)))))
    for lo in range(0, dense_ids.size, width):
        hi = min(lo + width, dense_ids.size)
        blocks = [
            _dense_block(len(s), rows, ids, lo, hi)
            for (s, _), (rows, ids) in zip(sides, entries, strict=True)
        ]
        out += np.rint(blocks[0] @ blocks[-1].T).astype(np.int64)
    return out


def _dense_columns(df_a: np.ndarray, df_b: np.ndarray, n_a: int, n_b: int) -> np.ndarray:
    """The columns that go through the dense product (see the module docstring)."""
    pairs = df_a.astype(np.float64) * df_b
    dense: np.ndarray = pairs > max(4.0, _DENSE_SHARE**2 * n_a * n_b)
    return dense


def _dense_entries(sets: UnitSets, dense_of_key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and dense column of each key of ``sets`` in a dense column (``dense_of_key`` >= 0)."""
    at = dense_of_key >= 0
    rows = np.repeat(np.arange(len(sets), dtype=np.int32), sets.sizes)[at]
    return rows, dense_of_key[at]


def _dense_block(n_rows: int, rows: np.ndarray, ids: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Dense columns ``lo:hi`` of ``n_rows`` rows as float32 zeros and ones, from (row, column) entries."""
    if lo > 0 or hi <= ids.max(initial=-1):
        sel = (ids >= lo) & (ids < hi)
        rows, ids = rows[sel], ids[sel]
    block = np.zeros((n_rows, hi - lo), dtype=np.float32)
    block[rows, ids - lo] = 1.0
    return block


def scores_from_intersections(
    inter: np.ndarray, sizes: np.ndarray, measure: Measure, other_sizes: np.ndarray | None = None
) -> np.ndarray:
    """Jaccard or containment (row in column) from intersection counts and set sizes; 0 where undefined."""
    s = sizes.astype(np.float64)
    o = s if other_sizes is None else other_sizes.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "jaccard":
            res = inter / (s[:, None] + o[None, :] - inter)
        elif measure == "containment":
            res = inter / s[:, None]
        else:
            raise ValueError(f"not a set measure: {measure}")
    scores: np.ndarray = np.nan_to_num(res, nan=0.0, posinf=0.0)
    return scores


def jaccard_matrix(sets: UnitSets, other: UnitSets | None = None) -> np.ndarray:
    """Exact Jaccard of every row of ``sets`` with every row of ``other`` (or of ``sets``), float64."""
    inter = intersections(sets, other)
    return scores_from_intersections(inter, sets.sizes, "jaccard", None if other is None else other.sizes)


def copied_matrix(runs: Sequence[WordRuns]) -> np.ndarray:
    """Copied share of every unit (row) in every other unit (column).

    Word n-gram windows of the row unit looked up in the column unit's
    windows; covered words are the union of the matching windows.
    """
    n = len(runs)
    keys = [np.unique(r.keys) for r in runs]
    allkeys = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    codes, uniq = pd.factorize(allkeys)
    owner = np.repeat(np.arange(n), [k.size for k in keys])
    posting = sp.csr_matrix((np.ones(codes.size, dtype=np.int8), (codes, owner)), shape=(uniq.size, n))
    lookup = pd.Index(uniq)
    out = np.zeros((n, n))
    for i, r in enumerate(runs):
        if r.n_words == 0 or r.keys.size == 0:
            continue
        sub = posting[lookup.get_indexer(r.keys)].T.tocsr()  # units x windows of unit i
        sub.sort_indices()
        w = r.starts[sub.indices]
        gaps = np.full(w.size, r.n, dtype=np.int64)
        if w.size > 1:
            gaps[:-1] = np.minimum(np.diff(w), r.n)
        ends = sub.indptr[1:] - 1
        nonempty = np.diff(sub.indptr) > 0
        gaps[ends[nonempty]] = r.n
        covered = np.zeros(n, dtype=np.int64)
        covered[nonempty] = np.add.reduceat(gaps, sub.indptr[:-1][nonempty])
        out[i] = covered / r.n_words
    return out


def bitsets(sets: UnitSets, cols: np.ndarray, bit_of_col: np.ndarray, words: int) -> np.ndarray:
    """One bitset of ``words`` uint64 words per row: bit ``bit_of_col[c]`` set for each key column ``c``.

    Columns with ``bit_of_col`` -1 are left out.
    """
    bit = bit_of_col[cols]
    has = bit >= 0
    rows = np.repeat(np.arange(len(sets), dtype=np.int64), sets.sizes)[has]
    b = bit[has].astype(np.int64)
    out = np.zeros(len(sets) * words, dtype=np.uint64)
    np.bitwise_or.at(out, rows * words + (b >> 6), np.left_shift(np.uint64(1), (b & 63).astype(np.uint64)))
    return out.reshape(len(sets), words)


def popcount_and(bits: np.ndarray, q: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Bits shared by rows ``q[i]`` and ``t[i]`` of ``bits``, for each i."""
    out = np.empty(q.size, dtype=np.int64)
    chunk = max(1, (16 << 20) // (8 * bits.shape[1]))
    for lo in range(0, q.size, chunk):
        hi = lo + chunk
        out[lo:hi] = np.bitwise_count(bits[q[lo:hi]] & bits[t[lo:hi]]).sum(axis=1, dtype=np.int64)
    return out


class WeightedTarget:
    """The target side of many weighted intersections, prepared once."""

    def __init__(self, target: UnitSets, weight_of: Callable[[np.ndarray], np.ndarray]) -> None:
        self.n = len(target)
        self.vocab, cols = np.unique(target.keys, return_inverse=True)
        self.weight = np.asarray(weight_of(self.vocab.astype(np.uint64)), dtype=np.float64)
        rows = np.repeat(np.arange(self.n, dtype=np.int64), target.sizes)
        self.df = np.bincount(cols, minlength=self.vocab.size)
        # vocabulary x target rows (binary)
        self.matrix = sp.csr_matrix((np.ones(cols.size), (cols, rows)), shape=(self.vocab.size, self.n))

    def against(self, sets: UnitSets) -> np.ndarray:
        """``sum_{k in A & B} w(k)`` for every row A of ``sets`` and row B of the target (float64)."""
        m = len(sets)
        out = np.zeros((m, self.n))
        if m == 0 or self.n == 0 or sets.keys.size == 0 or self.vocab.size == 0:
            return out
        pos = np.searchsorted(self.vocab, sets.keys)
        pos[pos == self.vocab.size] = 0
        found = (self.vocab[pos] == sets.keys) & (self.weight[pos] != 0.0)
        rows = np.repeat(np.arange(m, dtype=np.int64), sets.sizes)[found]
        cols = pos[found]
        df_a = np.bincount(cols, minlength=self.vocab.size)
        dense_key = (df_a.astype(np.float64) * self.df > (_DENSE_SHARE**2) * m * self.n) & (df_a > 2)
        rare = ~dense_key[cols]
        xa = sp.csr_matrix((self.weight[cols[rare]], (rows[rare], cols[rare])), shape=(m, self.vocab.size))
        out += (xa @ self.matrix).toarray()
        dense_ids = np.flatnonzero(dense_key)
        if dense_ids.size:
            pos_of = np.full(self.vocab.size, -1, dtype=np.int64)
            pos_of[dense_ids] = np.arange(dense_ids.size)
            d_rows, d_cols = rows[~rare], pos_of[cols[~rare]]
            d_weight = self.weight[cols[~rare]]
            width = max(1, _BLOCK_BYTES // (4 * max(m, self.n)))
            for lo in range(0, dense_ids.size, width):
                hi = min(lo + width, dense_ids.size)
                sel = (d_cols >= lo) & (d_cols < hi)
                block = np.zeros((m, hi - lo), dtype=np.float32)
                block[d_rows[sel], d_cols[sel] - lo] = d_weight[sel]
                out += block @ self.matrix[dense_ids[lo:hi]].toarray().astype(np.float32)
        return out


def weighted_intersections(
    sets: UnitSets, other: UnitSets | None, weight_of: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """``sum_{k in A & B} w(k)`` for every row A of ``sets`` and row B of ``other`` (or of ``sets``).

    ``weight_of`` maps an array of keys to their weights (float64).
    """
    return WeightedTarget(sets if other is None else other, weight_of).against(sets)


__all__ = [
    "Measure", "WeightedTarget", "bitsets", "copied_matrix", "incidence", "intersections", "jaccard_matrix",
    "key_columns", "popcount_and", "scores_from_intersections", "weighted_intersections",
]  # fmt: skip
