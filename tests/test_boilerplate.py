"""IDF weights and the IDF-weighted Jaccard, against the formula on plain Python sets."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulecompare.features import UnitSets
from rulecompare.metrics.boilerplate import idf_weights, weighted_jaccard

key_sets = st.lists(st.frozensets(st.integers(0, 40), max_size=25), min_size=1, max_size=12)


def _sets(rows: list[frozenset[int]]) -> UnitSets:
    arrays = [np.array(sorted(r), dtype=np.uint64) for r in rows]
    indptr = np.concatenate(([0], np.cumsum([a.size for a in arrays]))).astype(np.int64)
    return UnitSets(indptr, np.concatenate(arrays) if arrays else np.zeros(0, np.uint64))


@settings(max_examples=60, deadline=None)
@given(docs=key_sets)
def test_idf_weights_and_weighted_jaccard_equal_the_formula(docs: list[frozenset[int]]) -> None:
    weights = idf_weights([np.array(sorted(d), dtype=np.uint64) for d in docs])
    n = len(docs)

    def w(k: int) -> float:
        df = sum(k in d for d in docs)
        return math.log(n / df) if df else math.log(n)

    keys = np.arange(0, 45, dtype=np.uint64)
    assert np.allclose(weights.of(keys), [w(int(k)) for k in keys])
    got = weighted_jaccard(_sets(docs), weights)
    for i, x in enumerate(docs):
        for j, y in enumerate(docs):
            union = sum(w(k) for k in x | y)
            expected = sum(w(k) for k in x & y) / union if union > 1e-12 else 0.0
            assert got[i, j] == pytest.approx(expected, abs=1e-6)  # float32 dense products


def test_boilerplate_weighs_nothing() -> None:
    # a shingle every document holds has weight 0: two texts sharing only it are not similar at all
    docs = [frozenset({1, 2}), frozenset({1, 3}), frozenset({1, 4})]
    weights = idf_weights([np.array(sorted(d), dtype=np.uint64) for d in docs])
    assert weights.of(np.array([1], dtype=np.uint64))[0] == 0.0
    assert weighted_jaccard(_sets(docs), weights)[0, 1] == 0.0
    assert weighted_jaccard(_sets(docs), weights)[0, 0] == pytest.approx(1.0)
