"""Shares corrected for the classifier's measured errors, with intervals that include them.

A share of binding clauses computed from the classifier's labels inherits its
errors: if 10 % of procedural clauses are read as binding, an agreement with
many institutional articles looks more binding than it is. The correction uses
the confusion matrix measured on the frozen test split of docs/LABELLING.md
(``confusion.csv`` beside this module, written by ``benchmarks/strength.py``):

- ``M[i, j]`` = P(classified j | truly i), the row-normalized counts, with
  one pseudo-count on the diagonal so that a class with one test item keeps a
  defined row;
- observed class counts ``q`` of a group of clauses (an agreement, a family)
  are modelled as ``q ~ Multinomial(n, M^T p)``, and the true distribution
  ``p`` is its maximum-likelihood estimate, found by expectation-maximisation
  (it stays a distribution, unlike solving ``M^T p = q`` directly);
- the interval is a bootstrap that redraws both sources of error: the
  agreements of the group (with replacement, all their clauses) and the test
  items (per true class, a multinomial draw of its row), ``reps`` times with a
  fixed seed.

docs/METHODS.md 1.8 states what this can and cannot correct.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from .classify import STRENGTH_CLASSES

__all__ = [
    "Confusion",
    "corrected_distribution",
    "group_shares",
    "load_confusion",
    "share_difference",
]

CONFUSION_FILE = "confusion.csv"


@dataclass(frozen=True, slots=True)
class Confusion:
    """Counts of (label, prediction) on a labelled set, and where they come from."""

    counts: np.ndarray
    """Square array of counts, rows the label, columns the prediction, in :data:`STRENGTH_CLASSES` order."""
    source: str
    """Which set and classifier version the counts were measured on."""

    def rates(self, counts: np.ndarray | None = None) -> np.ndarray:
        """``M``: row-normalized counts with one pseudo-count on the diagonal."""
        c = (self.counts if counts is None else counts) + np.eye(len(STRENGTH_CLASSES))
        return np.asarray(c / c.sum(axis=1, keepdims=True), dtype=float)

    def resample(self, rng: np.random.Generator) -> np.ndarray:
        """The counts redrawn: each row a multinomial draw of its own size and proportions."""
        out = np.zeros_like(self.counts)
        for i, row in enumerate(self.counts):
            n = int(row.sum())
            if n:
                out[i] = rng.multinomial(n, row / n)
        return out


def load_confusion() -> Confusion:
    """The confusion counts shipped with the package (the frozen test split)."""
    return _load_confusion()


@cache
def _load_confusion() -> Confusion:
    text = resources.files(__package__).joinpath(CONFUSION_FILE).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    source = ""
    body = []
    for line in lines:
        if line.startswith("#"):
            source = (source + " " + line.lstrip("# ").strip()).strip()
        else:
            body.append(line)
    rows = list(csv.reader(body))
    header = rows[0][1:]
    if header != list(STRENGTH_CLASSES):
        raise ValueError(f"{CONFUSION_FILE}: columns {header} are not the strength classes")
    counts = np.array([[float(x) for x in r[1:]] for r in rows[1:]])
    if [r[0] for r in rows[1:]] != list(STRENGTH_CLASSES):
        raise ValueError(f"{CONFUSION_FILE}: rows are not the strength classes")
    return Confusion(counts=counts, source=source)


def corrected_distribution(observed: np.ndarray, rates: np.ndarray, *, iterations: int = 500) -> np.ndarray:
    """Maximum-likelihood true class distribution given observed class counts and ``M`` (EM).

    Each iteration gives every observed clause of class j to the true classes
    in proportion to ``p_i M[i, j]`` and re-estimates ``p`` from the shares.
    Returns NaN everywhere when nothing was observed.
    """
    q = np.asarray(observed, dtype=float)
    total = q.sum()
    if total <= 0:
        return np.full(len(q), np.nan)
    p = q / total
    p = np.where(p > 0, p, 1e-6)
    p /= p.sum()
    for _ in range(iterations):
        joint = p[:, None] * rates  # P(true i, observed j) up to the column total
        column = joint.sum(axis=0)
        posterior = np.divide(joint, column, out=np.zeros_like(joint), where=column > 0)
        new = posterior @ q / total
        if np.abs(new - p).max() < 1e-9:
            p = new
            break
        p = new
    return np.asarray(p, dtype=float)


def _counts_by_agreement(clauses: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    table = pd.crosstab(clauses["agreement_id"], clauses["strength"])
    table = table.reindex(columns=list(STRENGTH_CLASSES), fill_value=0)
    return [str(a) for a in table.index], table.to_numpy(dtype=float)


def group_shares(
    clauses: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    *,
    confusion: Confusion | None = None,
    reps: int = 500,
    seed: int = 11,
) -> dict[str, dict[str, np.ndarray]]:
    """Observed and corrected class distributions of groups of agreements, with bootstrap draws.

    ``clauses`` has ``agreement_id`` and ``strength``; ``groups`` maps a group
    name (an agreement id, a family) to its agreement ids. For each group the
    result holds ``observed`` and ``corrected`` (class distributions, in
    :data:`STRENGTH_CLASSES` order), ``draws`` (``reps`` x classes, corrected,
    from the joint bootstrap) and ``n_clauses`` / ``n_agreements``. The test
    items are redrawn once per replicate for all groups, so that two groups'
    draws can be compared pairwise (:func:`share_difference`).
    """
    conf = confusion or load_confusion()
    ids, counts = _counts_by_agreement(clauses)
    index = {a: i for i, a in enumerate(ids)}
    rng = np.random.default_rng(seed)
    rates = conf.rates()
    members = {
        g: np.array([index[a] for a in agreements if a in index], dtype=int)
        for g, agreements in groups.items()
    }
    out: dict[str, dict[str, np.ndarray]] = {}
    for g, rows in members.items():
        q = counts[rows].sum(axis=0) if len(rows) else np.zeros(len(STRENGTH_CLASSES))
        out[g] = {
            "observed": q / q.sum() if q.sum() else np.full(len(q), np.nan),
            "corrected": corrected_distribution(q, rates),
            "draws": np.full((reps, len(STRENGTH_CLASSES)), np.nan),
            "n_clauses": np.array(q.sum()),
            "n_agreements": np.array(len(rows)),
        }
    for r in range(reps):
        rates_r = conf.rates(conf.resample(rng))
        for g, rows in members.items():
            if not len(rows):
                continue
            pick = rows[rng.integers(0, len(rows), size=len(rows))]
            out[g]["draws"][r] = corrected_distribution(counts[pick].sum(axis=0), rates_r)
    return out


def share_difference(
    a: dict[str, np.ndarray],
    b: dict[str, np.ndarray],
    cls: str,
    *,
    within: Sequence[str] | None = None,
    level: float = 0.95,
) -> tuple[float, float, float]:
    """Corrected share of ``cls`` in group a minus group b, with the interval of the paired draws.

    ``within``: the share among these classes only (the commitment mix of
    :mod:`.profile`), renormalized in every draw; default all classes.
    """
    idx = [STRENGTH_CLASSES.index(c) for c in (within or STRENGTH_CLASSES)]
    k = idx.index(STRENGTH_CLASSES.index(cls))

    def share(x: np.ndarray) -> np.ndarray:
        part = x[..., idx]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(part[..., k] / part.sum(axis=-1), dtype=float)

    diff = share(a["draws"]) - share(b["draws"])
    diff = diff[~np.isnan(diff)]
    point = float(share(a["corrected"]) - share(b["corrected"]))
    if not len(diff):
        return point, float("nan"), float("nan")
    tail = (1 - level) / 2
    return point, float(np.quantile(diff, tail)), float(np.quantile(diff, 1 - tail))
