"""Small linear models in numpy and scipy: weighted logistic regression, folds, F1.

Training runs from ``scripts/train_provisions.py`` and the cross-validation
in ``benchmarks/provisions.py``; both need only what rulecompare already
depends on, and give the same numbers on every machine for the same seed
(Newton's method from zero, folds from a seeded generator).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import minimize

__all__ = ["Fitted", "best_threshold", "f1", "fit_logistic", "folds"]

Vector = npt.NDArray[np.float64]

NEWTON_FEATURES = 1000
"""Above this many features :func:`fit_logistic` uses L-BFGS instead of Newton's method."""


@dataclass(frozen=True, slots=True)
class Fitted:
    """A linear scorer: ``X @ weights + bias`` (a log-odds)."""

    weights: Vector
    bias: float


def fit_logistic(x: sp.csr_matrix, y: Vector, sample_weight: Vector, l2: float, max_iter: int = 50) -> Fitted:
    """Weighted logistic regression with an L2 penalty ``l2 / 2 * |w|^2`` (the bias is not penalized).

    Newton's method with step halving when there are at most
    :data:`NEWTON_FEATURES` features (the clause scorers: the Hessian is
    small and a fit takes a handful of steps), L-BFGS otherwise (the labour
    models, thousands of features for a few hundred agreements).
    """
    n, d = x.shape
    if d > NEWTON_FEATURES:
        return _lbfgs(x, y, sample_weight, l2)
    xb = sp.hstack([x, sp.csr_matrix(np.ones((n, 1)))], format="csr")
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    wb = np.zeros(d + 1)

    def loss(v: Vector) -> float:
        z = xb @ v
        return float(np.sum(sample_weight * (np.logaddexp(0.0, z) - y * z)) + 0.5 * np.sum(penalty * v * v))

    current = loss(wb)
    for _ in range(max_iter):
        p = 1.0 / (1.0 + np.exp(-(xb @ wb)))
        grad = xb.T @ (sample_weight * (p - y)) + penalty * wb
        curvature = sample_weight * p * (1.0 - p)
        hessian = (xb.T @ sp.diags(curvature) @ xb).toarray() + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, grad)
        t = 1.0
        while t > 1e-4:
            trial = wb - t * step
            value = loss(trial)
            if value <= current:
                break
            t /= 2
        else:
            break
        converged = current - value < 1e-7 * max(1.0, abs(current))
        wb, current = trial, value
        if converged:
            break
    return Fitted(weights=np.asarray(wb[:-1], dtype=np.float64), bias=float(wb[-1]))


def _lbfgs(x: sp.csr_matrix, y: Vector, sample_weight: Vector, l2: float) -> Fitted:
    def loss(wb: Vector) -> tuple[float, Vector]:
        w, b = wb[:-1], wb[-1]
        z = x @ w + b
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.sum(sample_weight * (np.logaddexp(0.0, z) - y * z)) + 0.5 * l2 * w @ w)
        g = sample_weight * (p - y)
        return value, np.concatenate([x.T @ g + l2 * w, [g.sum()]])

    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return Fitted(weights=np.asarray(result.x[:-1], dtype=np.float64), bias=float(result.x[-1]))


def folds(n: int, k: int, seed: int) -> list[npt.NDArray[np.intp]]:
    """``k`` disjoint test folds of ``range(n)`` in a seeded random order (sizes differ by one at most)."""
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(part) for part in np.array_split(order, k)]


def f1(truth: npt.NDArray[np.bool_], predicted: npt.NDArray[np.bool_]) -> float:
    """F1 of the positive class; NaN when there is no positive on either side (nothing to find)."""
    tp = int(np.sum(truth & predicted))
    fp = int(np.sum(~truth & predicted))
    fn = int(np.sum(truth & ~predicted))
    if tp + fp + fn == 0:
        return float("nan")
    return 2 * tp / (2 * tp + fp + fn)


def best_threshold(truth: npt.NDArray[np.bool_], scores: Vector) -> float:
    """The score threshold (predict positive at or above it) with the best F1 on these scores.

    Ties go to the higher threshold (fewer positives); the threshold is set
    halfway between the chosen score and the next lower one, so that it does
    not sit on a training score.
    """
    values = np.unique(scores)[::-1]
    best, best_f1 = float(values[0]) if len(values) else 0.0, -1.0
    for v in values:
        score = f1(truth, scores >= v)
        if score > best_f1:
            best, best_f1 = float(v), score
    lower = values[values < best]
    return (best + float(lower[0])) / 2 if len(lower) else best
