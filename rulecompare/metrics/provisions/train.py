"""Fitting the provision scorers on TREND and LABPTA's training part, and validating them by agreement.

Environmental provisions (multiple-instance learning). TREND labels an
agreement, not a clause, so each provision gets a clause scorer trained in
rounds (Andrews, Tsochantaridis and Hofmann 2003, "mi-SVM", with a logistic
loss): at first every candidate clause of a positive agreement counts as a
positive, weighted by one over the agreement's clause count; after each fit
only the :data:`WITNESSES` best-scoring clauses of each positive agreement
stay positive. Negatives are all candidate clauses of negative agreements.
Before each fit the :data:`FEATURES` features with the highest smoothed log
ratio of frequency among the positives to frequency among the negatives are
kept, so that a scorer is a few hundred weights. An agreement's score is the
best score of its clauses; with whether any of its clauses mentions the
provision's subject it gives a calibrated probability (:func:`calibrate`), and
the agreement has the provision when that reaches a threshold chosen, by
agreement-level F1, on predictions for agreements the scorer did not see
(cross-validation inside the training agreements).

Labour depth (ordinal). LABPTA's depth is 0-5 per agreement. The features of
an agreement are those present in any of its labour clauses; five logistic
models estimate P(depth > k) for k = 0..4, and the expected depth is their
sum (rounded for the 0-5 code).

Everything is split by agreement, never by clause.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .linear import Fitted, best_threshold, fit_logistic, folds

__all__ = [
    "FEATURES",
    "WITNESSES",
    "Bags",
    "Calibration",
    "Scorer",
    "Vocabulary",
    "bag_max",
    "calibrate",
    "feature_matrix",
    "fit_labour",
    "fit_mil",
    "Likeness",
    "labour_expected",
    "oof_scores",
    "pooled",
    "probability",
]

FEATURES = 400
"""Features kept per provision scorer."""
WITNESSES = 2
"""Clauses of each positive agreement kept as positives after the first round."""
ROUNDS = 3
"""Rounds of re-selecting the witnesses after the first fit."""
L2 = 1.0
"""L2 penalty of the clause scorers."""
PRIOR_WEIGHT = 2.0
"""How much likeness to the codebook's entry counts when the witnesses are chosen (see :func:`fit_mil`)."""
LABOUR_L2 = 3.0
"""L2 penalty of the labour depth models."""
MIN_DF = 3
"""A feature must occur in this many training clauses (agreements, for labour) to be used."""

Vector = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Index = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Bags:
    """Candidate clauses grouped by agreement: the instances and their bags."""

    agreement_ids: tuple[str, ...]
    clause_ids: tuple[str, ...]
    bag_of: Index
    """For each clause, the position of its agreement in :attr:`agreement_ids`."""
    features: tuple[tuple[str, ...], ...]
    """For each clause, its features (:func:`~.tokens.article_features`)."""
    said: tuple[tuple[str, str], ...] = ()
    """For each clause, what is read for its subject (:func:`~.tokens.subject_texts`); empty for labour."""

    def members(self) -> list[Index]:
        """For each agreement, the positions of its clauses."""
        order = np.argsort(self.bag_of, kind="stable")
        bounds = np.searchsorted(self.bag_of[order], np.arange(len(self.agreement_ids) + 1))
        return [order[bounds[i] : bounds[i + 1]] for i in range(len(self.agreement_ids))]


class Vocabulary:
    """Feature strings <-> matrix columns, for the features frequent enough to learn from."""

    def __init__(self, documents: Sequence[Sequence[str]], min_df: int = MIN_DF) -> None:
        counts: dict[str, int] = {}
        for doc in documents:
            for f in set(doc):
                counts[f] = counts.get(f, 0) + 1
        self.terms = tuple(sorted(f for f, n in counts.items() if n >= min_df))
        self.column = {f: i for i, f in enumerate(self.terms)}

    def matrix(self, documents: Sequence[Sequence[str]], *, normalize: bool = True) -> sp.csr_matrix:
        """Documents x terms matrix (unknown features are dropped), see :func:`feature_matrix`."""
        return feature_matrix(documents, self.column, normalize=normalize)


def feature_matrix(
    documents: Sequence[Sequence[str]], column: dict[str, int], *, normalize: bool = True
) -> sp.csr_matrix:
    """Presence of each feature of ``column`` in each document; with ``normalize``, each row scaled to
    unit length (a clause with n known features has 1/sqrt(n) in each), so that a long clause does not
    outscore the clause that says the thing by holding more words. Training and coding both use it."""
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for doc in documents:
        cols = sorted({column[f] for f in doc if f in column})
        indices.extend(cols)
        data.extend([1.0 / np.sqrt(len(cols)) if normalize else 1.0] * len(cols))
        indptr.append(len(indices))
    return sp.csr_matrix((np.asarray(data), indices, indptr), shape=(len(documents), len(column)))


@dataclass(frozen=True)
class Scorer:
    """A clause scorer: the columns it reads, their weights, and its bias."""

    columns: Index
    weights: Vector
    bias: float

    def scores(self, x: sp.csr_matrix) -> Vector:
        full = np.zeros(x.shape[1])
        full[self.columns] = self.weights
        return np.asarray(x @ full + self.bias, dtype=np.float64)


def _select(x: sp.csr_matrix, positives: Index, weights: Vector, negatives: Index, k: int) -> Index:
    """The ``k`` columns with the highest smoothed log ratio of (weighted) frequency among the positives
    to frequency among the negatives, of those present in two positive clauses at least."""
    present = (x > 0).astype(np.float64).tocsr()
    pos = np.asarray(present[positives].T @ weights).ravel()
    neg = np.asarray(present[negatives].sum(axis=0)).ravel()
    ratio = np.log((pos + 0.5) / (weights.sum() + 1.0)) - np.log((neg + 0.5) / (len(negatives) + 1.0))
    support = np.asarray(present[positives].sum(axis=0)).ravel()
    ratio[support < 2] = -np.inf
    return np.sort(np.argsort(-ratio, kind="stable")[:k])


def _first_witnesses(pos_bags: Sequence[Index], prior: Vector | None) -> tuple[Index, Vector]:
    """The first round's positives: in each positive agreement the :data:`WITNESSES` clauses most like
    the codebook's entry (``prior``), or all its clauses (weighted 1/n) when none is like it at all."""
    chosen, weights = [], []
    for b in pos_bags:
        if prior is not None and prior[b].max() > 0:
            top = b[np.argsort(-prior[b], kind="stable")[:WITNESSES]]
            chosen.append(top)
            weights.append(np.ones(len(top)))
        else:
            chosen.append(b)
            weights.append(np.full(len(b), 1.0 / len(b)))
    return np.concatenate(chosen), np.concatenate(weights)


def fit_mil(
    x: sp.csr_matrix, members: Sequence[Index], positive: Mask, train: Index, prior: Vector | None = None
) -> Scorer | None:
    """A clause scorer for one provision, from the agreements ``train`` (positions in ``members``)
    labelled ``positive``; None when no training agreement with the provision has candidate clauses.
    ``prior`` (per clause) is each clause's likeness to the codebook's entry, :func:`codebook_likeness`."""
    pos_bags = [members[i] for i in train if positive[i] and len(members[i])]
    neg_bags = [members[i] for i in train if not positive[i] and len(members[i])]
    if not pos_bags:
        return None
    negatives = np.concatenate(neg_bags) if neg_bags else np.array([], dtype=np.intp)
    chosen, weights = _first_witnesses(pos_bags, prior)
    scorer: Scorer | None = None
    for _ in range(ROUNDS + 1):
        columns = _select(x, chosen, weights, negatives, FEATURES)
        rows = np.concatenate([chosen, negatives])
        y = np.concatenate([np.ones(len(chosen)), np.zeros(len(negatives))])
        # Positives and negatives weigh the same in total, whatever their numbers.
        w = np.concatenate([weights / weights.sum(), np.full(len(negatives), 1.0 / max(len(negatives), 1))])
        fitted: Fitted = fit_logistic(x[rows][:, columns].tocsr(), y, w * len(rows) / 2, L2)
        scorer = Scorer(columns, fitted.weights, fitted.bias)
        s = scorer.scores(x)
        if prior is not None:
            # Keep the witnesses on the provision's subject: a clause like the codebook's entry gains
            # up to PRIOR_WEIGHT standard deviations of score, so that text a family of agreements
            # shares (and that goes with the provision only through the family) does not win.
            s = s + PRIOR_WEIGHT * prior * float(np.std(s))
        chosen = np.concatenate([b[np.argsort(-s[b], kind="stable")[:WITNESSES]] for b in pos_bags])
        weights = np.ones(len(chosen))
    return scorer


def bag_max(scorer: Scorer | None, x: sp.csr_matrix, members: Sequence[Index], which: Index) -> Vector:
    """Each agreement's best clause score (-inf without a scorer or without candidate clauses)."""
    out = np.full(len(which), -np.inf)
    if scorer is None:
        return out
    s = scorer.scores(x)
    for n, i in enumerate(which):
        if len(members[i]):
            out[n] = s[members[i]].max()
    return out


def oof_scores(
    x: sp.csr_matrix,
    members: Sequence[Index],
    positive: Mask,
    train: Index,
    k: int,
    seed: int,
    prior: Vector | None = None,
) -> Vector:
    """Scores of the agreements ``train``, each from a scorer fitted without it (``k`` folds)."""
    out = np.full(len(train), -np.inf)
    for test in folds(len(train), k, seed):
        rest = np.setdiff1d(np.arange(len(train)), test)
        out[test] = bag_max(fit_mil(x, members, positive, train[rest], prior), x, members, train[test])
    return out


class Likeness:
    """Likeness of clauses to a text (a codebook entry): cosine of TF-IDF vectors of their word stems
    (the clause's words and its article title's)."""

    def __init__(self, features: Sequence[Sequence[str]]) -> None:
        docs = [
            [f[2:] if f.startswith("t:") else f for f in fs if f.startswith("t:") or _plain(f)]
            for fs in features
        ]
        vocab = Vocabulary(docs, min_df=2)
        counts = vocab.matrix(docs, normalize=False)
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        self.idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
        weighted = sp.csr_matrix(counts.multiply(self.idf[None, :]))
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        self.matrix = sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-12)) @ weighted)
        self.vocab = vocab

    def __call__(self, words: Sequence[str]) -> Vector:
        q = np.zeros(len(self.vocab.terms))
        for w in words:
            if w in self.vocab.column:
                q[self.vocab.column[w]] += 1.0
        q *= self.idf
        norm = np.linalg.norm(q)
        return (
            np.asarray(self.matrix @ (q / norm), dtype=np.float64) if norm else np.zeros(self.matrix.shape[0])
        )


def _plain(feature: str) -> bool:
    return ":" not in feature and "_" not in feature


def threshold(scores: Vector, positive: Mask) -> float:
    """The F1-best threshold on held-out scores; with no finite score, +inf (never positive)."""
    finite = np.isfinite(scores)
    if not finite.any() or not positive[finite].any():
        return float("inf")
    return best_threshold(positive[finite], scores[finite])


# -- calibration ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """The probability that an agreement has a provision, from its best clause score ``s`` and whether
    any of its clauses mentions the provision's subject (:mod:`.subjects`), ``m``:
    ``1 / (1 + exp(-(a * s + b * m + c)))``, an agreement without a scored clause taking ``s = floor``."""

    a: float
    b: float
    c: float
    floor: float

    def __call__(self, scores: Vector, mentioned: Mask) -> Vector:
        return probability(scores, mentioned, self.a, self.b, self.c, self.floor)

    def clause_cut(self, cut: float) -> float:
        """The clause score at which a clause that mentions the subject reaches the probability ``cut``
        (+inf when a higher score does not make the provision more likely)."""
        if self.a <= 0 or not 0 < cut < 1:
            return float("inf")
        return (float(np.log(cut / (1 - cut))) - self.b - self.c) / self.a


Coefficient = float | npt.NDArray[np.float64]


def probability(
    scores: Vector, mentioned: Mask, a: Coefficient, b: Coefficient, c: Coefficient, floor: Coefficient
) -> Vector:
    """:class:`Calibration`'s formula; ``a``, ``b``, ``c`` and ``floor`` are numbers (one provision) or
    arrays aligned with ``scores`` (one per provision, as the model file holds them)."""
    s = np.where(np.isfinite(scores), scores, floor)
    return np.asarray(1.0 / (1.0 + np.exp(-(a * s + b * mentioned + c))), dtype=np.float64)


def calibrate(scores: Vector, mentioned: Mask, positive: Mask) -> Calibration:
    """Platt scaling with the subject as a second feature: a logistic fit of ``positive`` on held-out
    best clause scores and ``mentioned`` (an almost unpenalized fit: three numbers from 150+ agreements)."""
    floor = float(np.concatenate([scores[np.isfinite(scores)], [0.0]]).min()) - 1.0
    x = sp.csr_matrix(np.c_[np.where(np.isfinite(scores), scores, floor), mentioned.astype(np.float64)])
    fitted = fit_logistic(x, positive.astype(np.float64), np.ones(len(scores)), 1e-3)
    return Calibration(float(fitted.weights[0]), float(fitted.weights[1]), fitted.bias, floor)


# -- labour depth -------------------------------------------------------------------------------


def pooled(bags: Bags) -> list[list[str]]:
    """Each agreement's labour features: those present in any of its candidate clauses (not the
    article context, which repeats the words)."""
    out: list[set[str]] = [set() for _ in bags.agreement_ids]
    for b, feats in zip(bags.bag_of, bags.features, strict=True):
        out[b].update(f for f in feats if not f.startswith("a:"))
    return [sorted(s) for s in out]


def fit_labour(x: sp.csr_matrix, depth: npt.NDArray[np.int_]) -> list[Fitted]:
    """Five logistic models of P(depth > k), k = 0..4, on agreement features ``x``."""
    out = []
    for k in range(5):
        y = (depth > k).astype(np.float64)
        share = y.mean() if 0 < y.mean() < 1 else 0.5
        # Balanced: each class weighs half, so that rare high depths are not ignored.
        w = np.where(y == 1, 0.5 / share, 0.5 / (1 - share))
        out.append(fit_logistic(x, y, w, LABOUR_L2))
    return out


def labour_expected(models: Sequence[Fitted], x: sp.csr_matrix) -> Vector:
    """Expected depth: the sum over k of P(depth > k)."""
    total = np.zeros(x.shape[0])
    for m in models:
        total += 1.0 / (1.0 + np.exp(-(x @ m.weights + m.bias)))
    return total
