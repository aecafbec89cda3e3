"""The packed-key pair order against np.lexsort: the same permutation, ties and merged steps included."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rulecompare.overlap.pairsort import first_per_query, pair_order


@st.composite
def pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs with repeated queries, targets and scores; scores a few ulps apart (one quantisation
    step), Jaccard-like ratios, integer counts, or huge row numbers that leave too few bits."""
    n = draw(st.integers(0, 40))
    big = draw(st.booleans())
    rows = st.integers(0, 2**30 if big else 12)
    q = np.array(draw(st.lists(rows, min_size=n, max_size=n)), dtype=np.int64)
    t = np.array(draw(st.lists(rows, min_size=n, max_size=n)), dtype=np.int64)
    kind = draw(st.sampled_from(["ulps", "ratio", "count", "signed"]))
    if kind == "ulps":
        base = draw(st.floats(0.0, 1.0))
        steps = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
        score = np.array([base + k * np.spacing(base or 1e-300) for k in steps], dtype=np.float64)
        if n and draw(st.booleans()):
            score[0] = base + 1.0  # a wide range: the close scores share a quantisation step
    elif kind == "ratio":
        inter = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
        union = draw(st.lists(st.integers(40, 90), min_size=n, max_size=n))
        score = np.array(inter, dtype=np.float64) / np.array(union, dtype=np.float64)
    elif kind == "count":
        score = np.array(draw(st.lists(st.integers(0, 2**40), min_size=n, max_size=n)), dtype=np.int64)
    else:
        score = np.array(draw(st.lists(st.floats(-5, 5), min_size=n, max_size=n)), dtype=np.float64)
    return q, t, score


@settings(max_examples=400, deadline=None)
@given(p=pairs(), bits=st.sampled_from([63, 40, 24]))
def test_pair_order_is_lexsorts(p: tuple[np.ndarray, np.ndarray, np.ndarray], bits: int) -> None:
    q, t, score = p
    assert np.array_equal(pair_order(q, t, score, bits=bits), np.lexsort((t, -score, q)))


@settings(max_examples=200, deadline=None)
@given(p=pairs(), k=st.integers(1, 4))
def test_first_per_query_keeps_the_k_best_of_each_query(
    p: tuple[np.ndarray, np.ndarray, np.ndarray], k: int
) -> None:
    q, t, score = p
    order = np.lexsort((t, -score, q))
    expected = [i for n, i in enumerate(order) if sum(q[order[:n]] == q[i]) < k]
    assert first_per_query(q, t, score, k).tolist() == expected


def test_merged_steps_and_equal_keys_fall_back_to_lexsort() -> None:
    """Two scores one ulp apart share a step at 24 bits, and a repeated pair gives equal keys: both
    orders still are lexsort's (targets alone would order the first case wrongly)."""
    q = np.array([0, 0, 0])
    t = np.array([1, 2, 3])
    score = np.array([0.5, np.nextafter(0.5, 1.0), 0.25])
    assert pair_order(q, t, score, bits=24).tolist() == [1, 0, 2]
    q2, t2, s2 = np.array([1, 0, 1, 1]), np.array([5, 5, 5, 5]), np.array([0.5, 0.5, 0.5, 0.5])
    assert pair_order(q2, t2, s2).tolist() == [1, 0, 2, 3]
