"""Reading order of an alignment: A's clauses in A's order, each clause only B has after its B predecessor.

Kept apart from :mod:`.align` so that fronts and tests can order rows of their own.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["in_place_order"]


def in_place_order(a_pos: npt.ArrayLike, b_pos: npt.ArrayLike, status: npt.ArrayLike) -> list[int]:
    """Row order with A's clauses in A's order and each B-only clause after its B predecessor.

    ``a_pos``/``b_pos`` are the rows' clause positions in A and B (NaN where a
    row has none), ``status`` each row's aligned, only_a or only_b.  A
    B-only clause goes right after the aligned row whose B clause is the
    nearest one before it in B, or at the top when there is none (as every
    one does when nothing is aligned); B-only clauses in one place keep B's
    order.
    """
    st = np.asarray(status, dtype=object)
    pa = np.asarray(a_pos, dtype=np.float64)
    pb_all = np.asarray(b_pos, dtype=np.float64)
    n = st.size
    key1 = np.zeros(n)
    key2 = np.zeros(n)
    left = st != "only_b"
    order_left = np.argsort(pa[left], kind="stable")
    rank = np.empty(order_left.size)
    rank[order_left] = np.arange(order_left.size)
    key1[left] = rank
    paired = st == "aligned"
    pb = pb_all[paired]
    prank = key1[paired]
    by_b = np.argsort(pb, kind="stable")
    pb, prank = pb[by_b], prank[by_b]
    only_b = st == "only_b"
    kb = pb_all[only_b]
    before = np.searchsorted(pb, kb, side="left") - 1  # the aligned B clause just before
    after = np.full(before.size, -1.0)
    has = before >= 0
    after[has] = prank[before[has]]
    key1[only_b] = after + 0.5
    key2[only_b] = kb
    return [int(i) for i in np.lexsort((key2, key1))]
