"""The corpus baseline: the score of the median pair of unrelated units at the same level.

Why this module exists: a Jaccard of 0.3 means nothing alone; two unrelated
English PTAs already share about 0.26 from treaty boilerplate.  Every overlap
answer is therefore reported beside the median off-diagonal score of the
corpus at the same level, area, language and measure, computed here.

A baseline is computed once per corpus state (:func:`~.units.corpus_state`
of the language's agreements) and kept in the store's cache (in this process
too, for a read-only store), so answers never recompute it per query.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ..features import UnitSets
from ..store import Store
from .kernels import Measure, copied_matrix, intersections, scores_from_intersections
from .units import Unit, corpus_state, units_for, word_runs

BASELINE_SAMPLE = 424
"""Units sampled (with a fixed seed) for the corpus baseline when a level has more."""


def score_matrix(
    clauses: pd.DataFrame, units: pd.DataFrame, sets: UnitSets, level: Unit, measure: Measure
) -> np.ndarray:
    """The square score matrix of ``units`` (rows of ``sets``); ``copied`` reads the clause texts."""
    if measure == "copied":
        return copied_matrix(word_runs(clauses, units, level))
    return scores_from_intersections(intersections(sets), sets.sizes, measure)


def median_off_diagonal(m: np.ndarray) -> float:
    """Median score of two different units (NaN for fewer than two)."""
    n = m.shape[0]
    if n < 2:
        return float("nan")
    return float(np.median(m[~np.eye(n, dtype=bool)]))


def baseline_sample(measure: str) -> int:
    """How many units the baseline samples at most."""
    # Copied share costs a pass over every word of each unit per unit, so it samples fewer.
    return BASELINE_SAMPLE if measure != "copied" else BASELINE_SAMPLE // 4


def baseline_rows(n: int, measure: str, level: str, language: str) -> tuple[np.ndarray, str]:
    """The corpus units (rows in store order) the baseline is taken over, and its description."""
    sample = baseline_sample(measure)
    if n <= sample:
        return np.arange(n), f"all {n} {language} {level} units in the store"
    rows = np.sort(np.random.default_rng(0).choice(n, size=sample, replace=False))
    return rows, f"{sample} of {n} {language} {level} units sampled with a fixed seed"


def corpus_baseline(
    store: Store,
    *,
    level: Unit = "agreement",
    measure: Measure = "jaccard",
    area: str | None = None,
    language: str = "en",
) -> tuple[float, str]:
    """Median off-diagonal score over the corpus at a level, and a description of how it was taken."""
    ids = store.agreements(language=language, area=area)["id"].tolist()
    key = f"baseline|{level}|{measure}|{area or '*'}|{language}|{BASELINE_SAMPLE}"
    state = corpus_state(store, ids, level, area)
    memo = _MEMO.get((store.path, key))
    if memo is not None and memo[0] == state:
        return memo[1], memo[2]
    raw = store.cache_get(key, state)
    if raw is not None:
        value, scope = json.loads(raw)
        return float(value), str(scope)
    value, scope = _compute(store, ids, level, measure, area, language)
    store.cache_put(key, state, json.dumps([value, scope]).encode())
    _MEMO[(store.path, key)] = (state, value, scope)
    return value, scope


_MEMO: dict[tuple[str, str], tuple[str, float, str]] = {}
"""Baselines computed in this process, for stores that cannot keep them (read-only)."""


def _compute(
    store: Store, ids: list[str], level: Unit, measure: Measure, area: str | None, language: str
) -> tuple[float, str]:
    clauses, units, sets = units_for(store, ids, level, area, text=measure == "copied")
    rows, scope = baseline_rows(len(units), measure, level, language)
    if rows.size < len(units):
        units = units.iloc[rows].reset_index(drop=True)
        sets = sets.take(rows)
    m = score_matrix(clauses, units, sets, level, measure)
    return median_off_diagonal(m), scope


__all__ = ["BASELINE_SAMPLE", "baseline_rows", "corpus_baseline", "median_off_diagonal", "score_matrix"]
