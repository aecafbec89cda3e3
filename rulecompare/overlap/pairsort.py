"""Pairs in query order, best score first, then target: one sort of a packed int64 key.

Why this module exists: the neighbour searches rank their (query, target,
score) pairs that way at every step, often over millions of pairs.
``np.lexsort((t, -score, q))`` makes one stable pass per key and gathers
between them; packing the three into one int64 (query in the high bits, the
score's descending step in the middle, target in the low bits) needs a
single ``np.argsort``, about three times faster here.

The score is exact when it is an integer (an intersection count) whose range
fits its bits.  A float score is quantised to the bits left, monotonically, so
two pairs of one query can only be misordered if two different scores fall
into one step; the sorted order is checked for that, and for keys that are
equal (where lexsort keeps the input order), and only then is the order
taken from ``np.lexsort``.  The answer is always lexsort's.
"""

from __future__ import annotations

import numpy as np

__all__ = ["first_per_query", "pair_order"]

_MIN_SCORE_BITS = 16
"""Fewer bits left for the score (huge query or target numbers) and quantising would merge too many
scores to be worth trying: np.lexsort is used."""


def pair_order(q: np.ndarray, t: np.ndarray, score: np.ndarray, *, bits: int = 63) -> np.ndarray:
    """The permutation ``np.lexsort((t, -score, q))``: by query, score descending, then target.

    ``q`` and ``t`` are non-negative integers (row numbers); ``score`` integers or floats.  ``bits``
    (at most 63) is the width of the packed key; tests make it small to force merged score steps.
    """
    q, t, score = np.asarray(q), np.asarray(t), np.asarray(score)
    if q.size < 2:
        return np.arange(q.size, dtype=np.int64)
    packed = _packed(q, t, score, bits)
    if packed is None:
        return np.lexsort((t, -score, q))
    key, t_bits, exact = packed
    order = np.argsort(key)
    ks = key[order]
    if (ks[1:] == ks[:-1]).any():
        return np.lexsort((t, -score, q))  # equal keys: lexsort keeps the input order
    if not exact:
        # One step may hold different scores of a query, which the key orders by target instead.
        s = score[order]
        head = ks >> t_bits  # query and step
        if ((head[1:] == head[:-1]) & (s[1:] != s[:-1])).any():
            return np.lexsort((t, -score, q))
    out: np.ndarray = order.astype(np.int64, copy=False)
    return out


def _packed(
    q: np.ndarray, t: np.ndarray, score: np.ndarray, bits: int
) -> tuple[np.ndarray, int, bool] | None:
    """The int64 key ``q | step(score) | t`` (high to low bits), the bits of ``t`` and whether the step
    is exact, or None
    when it cannot be packed (negative numbers, non-finite scores, too few bits left)."""
    if q.min() < 0 or t.min() < 0:
        return None
    q_bits, t_bits = int(q.max()).bit_length(), int(t.max()).bit_length()
    s_bits = bits - q_bits - t_bits
    if s_bits < _MIN_SCORE_BITS:
        return None
    top = (1 << s_bits) - 1
    if np.issubdtype(score.dtype, np.integer):
        lo, hi = int(score.min()), int(score.max())
        if hi - lo <= top:
            step = hi - score.astype(np.int64)
            return (
                (q.astype(np.int64) << (s_bits + t_bits)) | (step << t_bits) | t.astype(np.int64),
                t_bits,
                True,
            )
    top = (1 << min(s_bits, 52)) - 1  # steps exact in float64, so the clip below holds
    s = score.astype(np.float64)
    lo_f, hi_f = float(s.min()), float(s.max())
    if not (np.isfinite(lo_f) and np.isfinite(hi_f)):
        return None
    # hi - s, times a positive scale, floored: never increasing as s grows, so never misorders two
    # scores, only merges close ones (checked by pair_order); clipped against rounding past the top.
    scale = top / (hi_f - lo_f) if hi_f > lo_f else 0.0
    if not np.isfinite(scale):  # a range of a few subnormals
        return None
    step = np.minimum(np.floor((hi_f - s) * scale), top).astype(np.int64)
    key = (q.astype(np.int64) << (s_bits + t_bits)) | (step << t_bits) | t.astype(np.int64)
    return key, t_bits, False


def first_per_query(q: np.ndarray, t: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Indices of each query's first ``k`` pairs in :func:`pair_order` (largest scores, ties: lower
    target first), in that order."""
    if q.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = pair_order(q, t, score)
    qs = q[order]
    first = np.concatenate(([True], qs[1:] != qs[:-1]))
    start = np.maximum.accumulate(np.where(first, np.arange(qs.size), 0))
    out: np.ndarray = order[(np.arange(qs.size) - start) < k]
    return out
