"""Training data from the store and the hand-coded labels, cross-validation, and the model file.

``scripts/train_provisions.py`` calls :func:`train` and writes what it
returns to :data:`~.model.MODEL_FILE`; ``benchmarks/provisions.py`` reads
the cross-validated predictions kept in that file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from ...catalog import crosswalk_frame
from ...store import Store
from .linear import f1, folds
from .model import MODEL_FORMAT
from .sentences import MentionIndex
from .tokens import (
    ENVIRONMENT,
    LABOUR,
    article_features,
    candidate_articles,
    group_articles,
    instances,
    stems,
    subject_texts,
)
from .train import (
    Bags,
    Calibration,
    Likeness,
    Vocabulary,
    bag_max,
    calibrate,
    fit_labour,
    fit_mil,
    labour_expected,
    oof_scores,
    pooled,
    threshold,
)
from .trend import codebook_entries, load_labpta, load_trend

__all__ = ["MIN_POSITIVES", "SEED", "bags", "train", "training_agreements"]

SEED = 19
"""The seed of every split (issue 19)."""
MIN_POSITIVES = 10
"""A TREND provision gets a scorer when this many training agreements in the store have it."""
LABOUR_MIN_DF = 8
"""A labour feature must occur in this many training agreements."""
OUTER, INNER = 5, 3

Mask = npt.NDArray[np.bool_]


def training_agreements(store: Store) -> pd.DataFrame:
    """English agreements of the store with a DESTA number, one per number (the first id), with
    columns ``agreement_id``, ``desta_id``."""
    agreements = store.agreements(language="en")
    links = crosswalk_frame(agreements)
    linked = links.dropna(subset=["desta_id"]).drop_duplicates("desta_id")
    return linked[["agreement_id", "desta_id"]].reset_index(drop=True)


def bags(store: Store, agreement_ids: Sequence[str], vocabulary: re.Pattern[str]) -> Bags:
    """The instances (:func:`~.tokens.instances`) of each agreement for ``vocabulary``, with features."""
    clause_ids: list[str] = []
    bag_of: list[int] = []
    features: list[tuple[str, ...]] = []
    said: list[tuple[str, str]] = []
    for n, aid in enumerate(agreement_ids):
        for art in candidate_articles(group_articles(store.iter_clauses(aid)), vocabulary):
            feats = article_features(art)
            context = subject_texts(art)
            for i in instances(art, vocabulary):
                clause_ids.append(art.clause_ids[i])
                bag_of.append(n)
                features.append(tuple(feats[i]))
                said.append(context[i])
    bag = np.asarray(bag_of, dtype=np.intp)
    return Bags(tuple(agreement_ids), tuple(clause_ids), bag, tuple(features), tuple(said))


def mentioned(data: Bags, code: str, index: MentionIndex | None = None) -> Mask:
    """For each agreement of ``data``, whether any of its clauses mentions ``code``'s subject (``index``:
    the :class:`MentionIndex` of ``data.said``, shared when many codes are asked)."""
    out = np.zeros(len(data.agreement_ids), dtype=bool)
    index = index or MentionIndex(data.said)
    hits = [i for i in range(len(data.said)) if index(code, i)]
    out[data.bag_of[hits]] = True
    return out


@dataclass(frozen=True)
class _Data:
    """What every provision's fit reads: the clause matrix, the bags, and the codebook likeness."""

    x: sp.csr_matrix
    members: list[npt.NDArray[np.intp]]
    seed: int


def _calibrated(
    d: _Data, positive: Mask, said: Mask, train: npt.NDArray[np.intp], k: int, prior: Any
) -> tuple[Calibration, float]:
    """A calibration and a probability threshold for the agreements ``train``, both from scores of
    scorers that did not see the agreement scored (``k`` folds inside ``train``)."""
    held_out = oof_scores(d.x, d.members, positive, train, k, d.seed, prior)
    cal = calibrate(held_out, said[train], positive[train])
    if not np.isfinite(held_out).any():
        return cal, float("inf")
    return cal, threshold(cal(held_out, said[train]), positive[train])


def _environment(
    store: Store, agreements: pd.DataFrame, seed: int, say: Callable[[str], None], only: frozenset[str] | None
) -> dict[str, Any]:
    trend = load_trend()
    rows = agreements[agreements["desta_id"].isin(trend.index)].reset_index(drop=True)
    labels = trend.loc[rows["desta_id"]].to_numpy(dtype=bool)
    counts = labels.sum(axis=0)
    modelled = [
        j
        for j in range(labels.shape[1])
        if counts[j] >= MIN_POSITIVES and (only is None or str(trend.columns[j]) in only)
    ]
    say(f"TREND: {len(rows)} training agreements in the store, {len(modelled)} provisions to model")
    data = bags(store, list(rows["agreement_id"]), ENVIRONMENT)
    vocab = Vocabulary(data.features)
    x = vocab.matrix(data.features)
    members = data.members()
    everyone = np.arange(len(rows), dtype=np.intp)
    outer = folds(len(rows), OUTER, seed)
    oof = np.zeros((len(rows), len(modelled)), dtype=bool)
    provisions = []
    names = trend.attrs["names"]
    likeness = Likeness(data.features)
    codebook = codebook_entries()
    d = _Data(x, members, seed)
    expected = np.zeros(len(rows))
    index = MentionIndex(data.said)
    for k, j in enumerate(modelled):
        positive = labels[:, j]
        code = str(trend.columns[j])
        prior = likeness(stems(f"{names[code]} {codebook.get(code, '')}"))
        said = mentioned(data, code, index)
        for test in outer:
            rest = np.setdiff1d(everyone, test)
            cal, cut = _calibrated(d, positive, said, rest, INNER, prior)
            p = cal(bag_max(fit_mil(x, members, positive, rest, prior), x, members, test), said[test])
            oof[test, k] = p >= cut
            expected[test] += p
        cal, cut = _calibrated(d, positive, said, everyone, OUTER, prior)
        scorer = fit_mil(x, members, positive, everyone, prior)
        entry = _entry(code, names[code], int(counts[j]), cal, cut, positive, oof[:, k])
        entry["prevalence"] = round(float(trend[code].mean()), 4)
        if scorer is not None:
            entry |= {
                "bias": round(scorer.bias, 4),
                "features": [vocab.terms[c] for c in scorer.columns],
                "weights": [round(float(w), 4) for w in scorer.weights],
            }
        provisions.append(entry)
        say(
            f"{k + 1:3}/{len(modelled)} {code:12} positives {counts[j]:3}  "
            f"cross-validated F1 {entry['cv']['f1']:.3f}"
        )
    return {
        "provisions": provisions,
        "cv": {
            "agreements": list(rows["agreement_id"]),
            "desta_ids": [str(d) for d in rows["desta_id"]],
            "codes": [p["code"] for p in provisions],
            "predicted": ["".join("1" if v else "0" for v in row) for row in oof],
            "trend_count": [int(v) for v in trend.loc[rows["desta_id"]].sum(axis=1)],
            "expected": [round(float(v), 3) for v in expected],
        },
    }


def _entry(
    code: str, name: str, positives: int, cal: Calibration, cut: float, truth: Mask, pred: Mask
) -> dict[str, Any]:
    """A provision's entry in the model file, but for its scorer and prevalence."""
    cv = {
        "tp": int(np.sum(truth & pred)), "fp": int(np.sum(~truth & pred)),
        "fn": int(np.sum(truth & ~pred)), "tn": int(np.sum(~truth & ~pred)),
        "f1": round(f1(truth, pred), 4),
    }  # fmt: skip
    calibration = [round(v, 6) for v in (cal.a, cal.b, cal.c, cal.floor)]
    return {
        "code": code,
        "name": name,
        "positives": positives,
        "threshold": cut,
        "calibration": calibration,
        "cv": cv,
    }


def _labour(store: Store, agreements: pd.DataFrame, seed: int, say: Callable[[str], None]) -> dict[str, Any]:
    labpta = load_labpta()
    rows = agreements[agreements["desta_id"].isin(labpta.index)].reset_index(drop=True)
    depth = labpta.loc[rows["desta_id"]].to_numpy(dtype=int)
    docs = pooled(bags(store, list(rows["agreement_id"]), LABOUR))
    everyone = np.arange(len(rows), dtype=np.intp)
    expected = np.zeros(len(rows))
    for test in folds(len(rows), OUTER, seed):
        rest = np.setdiff1d(everyone, test)
        vocab = Vocabulary([docs[i] for i in rest], min_df=LABOUR_MIN_DF)
        models = fit_labour(vocab.matrix([docs[i] for i in rest], normalize=False), depth[rest])
        expected[test] = labour_expected(models, vocab.matrix([docs[i] for i in test], normalize=False))
    vocab = Vocabulary(docs, min_df=LABOUR_MIN_DF)
    models = fit_labour(vocab.matrix(docs, normalize=False), depth)
    say(f"LABPTA: {len(rows)} training agreements in the store, {len(vocab.terms)} labour features")
    return {
        "features": list(vocab.terms),
        "models": [
            {"bias": round(m.bias, 4), "weights": [round(float(w), 4) for w in m.weights]} for m in models
        ],
        "cv": {
            "agreements": list(rows["agreement_id"]),
            "desta_ids": [str(d) for d in rows["desta_id"]],
            "expected": [round(float(v), 4) for v in expected],
            "labpta": [int(v) for v in depth],
        },
    }


def train(
    store: Store, seed: int = SEED, say: Callable[[str], None] = print, *, only: frozenset[str] | None = None
) -> dict[str, Any]:
    """Fit every scorer on the training agreements in ``store`` and cross-validate them (nested, by
    agreement); the model file's content, cross-validated predictions included."""
    agreements = training_agreements(store)
    say(f"{len(agreements)} English agreements of the store have a DESTA number")
    env = _environment(store, agreements, seed, say, only)
    labour = _labour(store, agreements, seed, say)
    return {"format": MODEL_FORMAT, "seed": seed, "environment": env, "labour": labour}
