"""The weighted intersection kernel (the IDF-weighted Jaccard's), against plain Python sets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rulecompare.overlap.kernels as kernel
from rulecompare.features import UnitSets
from rulecompare.overlap import WeightedTarget, weighted_intersections

key_sets = st.lists(st.frozensets(st.integers(0, 40), max_size=25), min_size=1, max_size=12)


def _sets(rows: list[frozenset[int]]) -> UnitSets:
    arrays = [np.array(sorted(r), dtype=np.uint64) for r in rows]
    indptr = np.concatenate(([0], np.cumsum([a.size for a in arrays]))).astype(np.int64)
    return UnitSets(indptr, np.concatenate(arrays) if arrays else np.zeros(0, np.uint64))


def _weight(keys: np.ndarray) -> np.ndarray:
    w: np.ndarray = (keys.astype(np.float64) % 5) * 0.7  # some keys weigh nothing
    return w


@pytest.mark.parametrize("share", [0.08, 0.0, 10.0])  # default split, all dense, all sparse
@settings(max_examples=60, deadline=None)
@given(a=key_sets, b=key_sets)
def test_weighted_intersections_equal_plain_sets(
    share: float, a: list[frozenset[int]], b: list[frozenset[int]]
) -> None:
    old = kernel._DENSE_SHARE
    kernel._DENSE_SHARE = share
    try:
        got = weighted_intersections(_sets(a), _sets(b), _weight)
        own = weighted_intersections(_sets(a), None, _weight)
    finally:
        kernel._DENSE_SHARE = old

    def ref(x: frozenset[int], y: frozenset[int]) -> float:
        return float(sum(_weight(np.array([k], dtype=np.uint64))[0] for k in x & y))

    assert np.allclose(got, [[ref(x, y) for y in b] for x in a], rtol=1e-6, atol=1e-6)
    assert np.allclose(own, [[ref(x, y) for y in a] for x in a], rtol=1e-6, atol=1e-6)


def test_a_prepared_target_answers_batches_alike() -> None:
    a = _sets([frozenset({1, 2, 3}), frozenset({2, 9}), frozenset()])
    b = _sets([frozenset({2, 3, 4}), frozenset({9})])
    target = WeightedTarget(b, _weight)
    assert np.allclose(target.against(a), weighted_intersections(a, b, _weight))
    assert target.against(_sets([frozenset()])).tolist() == [[0.0, 0.0]]
