"""The sensitivity tables' rank agreement: Spearman's rho against scipy's, the top-10 share by hand."""

from __future__ import annotations

import math
import warnings

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from rulecompare.metrics.ranking import rank_agreement

scores = st.lists(st.integers(0, 6) | st.floats(-1, 1, allow_nan=False), min_size=0, max_size=25)


@settings(max_examples=200, deadline=None)
@given(scores, scores)
def test_spearman_equals_scipys_over_the_items_ranked_in_both(a: list[float], b: list[float]) -> None:
    left = pd.Series(a, index=[f"k{i}" for i in range(len(a))], dtype=float)
    right = pd.Series(b, index=[f"k{i}" for i in reversed(range(len(b)))], dtype=float)
    n, rho, _ = rank_agreement(left, right)
    common = left.index.intersection(right.index)
    assert n == len(common)
    if n <= 2:
        assert math.isnan(rho)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on a constant side; both give NaN
        expected = float(spearmanr(left[common], right[common]).statistic)
    assert (math.isnan(rho) and math.isnan(expected)) or abs(rho - expected) < 1e-9


def test_a_nan_score_gives_nan_and_the_top_ten_share_is_counted() -> None:
    idx = [f"p{i}" for i in range(12)]
    default = pd.Series(range(12), index=idx, dtype=float)
    swapped = default.copy()
    swapped["p11"], swapped["p0"] = 0.0, 11.0  # the top item falls to the bottom
    n, rho, kept = rank_agreement(default, swapped)
    assert n == 12 and rho < 1 and kept == 9 / 10
    with_nan = default.copy()
    with_nan["p3"] = float("nan")
    assert math.isnan(rank_agreement(default, with_nan)[1])
