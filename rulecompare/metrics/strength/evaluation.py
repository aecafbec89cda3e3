"""Scoring the classifiers against the hand-labelled sets of docs/LABELLING.md.

The labelled files (``tests/data/labels/strength-*.csv``, ``areas-*.csv``)
hold ids and labels; the texts come from a store. This module attaches the
predictions (the strength classifier reads each clause in its article's
context, the area classifier each article's titles and text) and scores them:
accuracy with a cluster-bootstrap interval over agreements (the sets are drawn
and split by agreement), the confusion matrix, per-class precision and recall,
and accuracy per family and language. ``benchmarks/strength.py`` prints these
figures and writes them into docs/METHODS.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from ...model import UNCLASSIFIED
from ...taxonomy import classify_area
from .classify import STRENGTH_CLASSES, classify_clauses

__all__ = [
    "ClauseSource",
    "accuracy_interval",
    "area_predictions",
    "area_scores",
    "confusion_matrix",
    "group_accuracy",
    "per_class",
    "strength_predictions",
]


class ClauseSource(Protocol):
    """What the scoring needs from a store: its clauses, agreement by agreement."""

    def clauses(self, agreement_ids: Sequence[str] | None = None) -> pd.DataFrame: ...


def strength_predictions(store: ClauseSource, labels: pd.DataFrame) -> pd.DataFrame:
    """``labels`` (clause_id, agreement_id, label ...) with ``predicted``, ``cue`` and ``text`` added.

    Every clause is classified within its agreement's clauses, so that a list
    item sees its lead-in and its article title, as ``rulecompare strength`` does.
    """
    frame = store.clauses(sorted(set(labels["agreement_id"])))
    classified = classify_clauses(frame).set_index("id")
    missing = sorted(set(labels["clause_id"]) - set(classified.index))
    if missing:
        raise KeyError(f"{len(missing)} labelled clauses are not in the store, e.g. {missing[:3]}")
    rows = classified.loc[labels["clause_id"]]
    return labels.assign(
        predicted=rows["strength"].to_numpy(),
        cue=rows["strength_cue"].to_numpy(),
        text=rows["text"].to_numpy(),
    )


def _title(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def area_predictions(store: ClauseSource, labels: pd.DataFrame) -> pd.DataFrame:
    """``labels`` (article_id, agreement_id, label, alt_label ...) with the ``predicted`` area added.

    An article is its clauses joined in order; its titles are those of its
    first clause (docs/LABELLING.md 3: ``article_id`` is the clause id without
    its paragraph number).
    """
    frame = store.clauses(sorted(set(labels["agreement_id"])))
    frame = frame.assign(article=frame["id"].str.rsplit("/", n=1).str[0])
    groups = dict(iter(frame.groupby("article", sort=False)))
    predicted = []
    for article_id in labels["article_id"]:
        if article_id not in groups:
            raise KeyError(f"labelled article {article_id} is not in the store")
        g = groups[article_id]
        chapter, title = _title(g["chapter_title"].iloc[0]), _title(g["article_title"].iloc[0])
        predicted.append(classify_area(chapter, title, "\n".join(g["text"])))
    return labels.assign(predicted=predicted)


def accuracy_interval(
    correct: pd.Series, groups: pd.Series, *, reps: int = 2000, seed: int = 11, level: float = 0.95
) -> tuple[float, float]:
    """Percentile interval of the share of ``correct``, resampling whole ``groups`` (agreements).

    Labels from one agreement are not independent (one drafting style), so the
    bootstrap draws agreements with replacement and keeps all their items.
    """
    rng = np.random.default_rng(seed)
    keys, codes = np.unique(groups.astype(str).to_numpy(), return_inverse=True)
    ok = np.bincount(codes, weights=correct.to_numpy(dtype=float), minlength=len(keys))
    n = np.bincount(codes, minlength=len(keys)).astype(float)
    draws = rng.integers(0, len(keys), size=(reps, len(keys)))
    shares = ok[draws].sum(axis=1) / n[draws].sum(axis=1)
    tail = (1 - level) / 2
    return float(np.quantile(shares, tail)), float(np.quantile(shares, 1 - tail))


def confusion_matrix(
    labels: pd.Series, predicted: pd.Series, classes: Sequence[str] = STRENGTH_CLASSES
) -> pd.DataFrame:
    """Counts, rows the label (truth), columns the prediction, in the order of ``classes``."""
    table = pd.crosstab(pd.Categorical(labels, classes), pd.Categorical(predicted, classes), dropna=False)
    table.index.name, table.columns.name = "label", "predicted"
    return table.reindex(index=list(classes), columns=list(classes), fill_value=0)


def per_class(
    labels: pd.Series, predicted: pd.Series, classes: Sequence[str] = STRENGTH_CLASSES
) -> pd.DataFrame:
    """Per class: ``n`` labelled, ``n_predicted``, ``precision``, ``recall`` and a ``note``.

    A class never predicted has no precision, and one never labelled no
    recall: both are NaN, and ``note`` says why (never 0).
    """
    rows = []
    for cls in classes:
        is_label = labels == cls
        is_pred = predicted == cls
        hit = int((is_label & is_pred).sum())
        n, n_pred = int(is_label.sum()), int(is_pred.sum())
        notes = []
        if n_pred == 0:
            notes.append("never predicted")
        if n == 0:
            notes.append("never labelled")
        rows.append(
            {
                "class": cls,
                "n": n,
                "n_predicted": n_pred,
                "precision": hit / n_pred if n_pred else float("nan"),
                "recall": hit / n if n else float("nan"),
                "note": "; ".join(notes),
            }
        )
    return pd.DataFrame(rows).set_index("class")


def group_accuracy(frame: pd.DataFrame, column: str, *, correct: str = "correct") -> pd.DataFrame:
    """Accuracy and the number of items per value of ``column`` (family, language ...)."""
    out = (
        frame.groupby(column)[correct].agg(["mean", "size"]).rename(columns={"mean": "accuracy", "size": "n"})
    )
    return out.sort_values("n", ascending=False)


def area_scores(frame: pd.DataFrame) -> dict[str, float]:
    """Strict and lenient precision, and coverage, of area predictions on labelled articles.

    Precision counts the articles given an area (``unclassified`` is an
    abstention); strict: the area is the label; lenient: it is the label or
    the second acceptable area (``alt_label``).
    """
    given = frame[frame["predicted"] != UNCLASSIFIED]
    strict = given["predicted"] == given["label"]
    lenient = strict | (given["predicted"] == given["alt_label"])
    return {
        "n": float(len(frame)),
        "coverage": len(given) / len(frame) if len(frame) else float("nan"),
        "strict": float(strict.mean()) if len(given) else float("nan"),
        "lenient": float(lenient.mean()) if len(given) else float("nan"),
    }
