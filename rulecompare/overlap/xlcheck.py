"""Checks of the cross-lingual path on a parallel text: matching, alignment, neighbours, pair score, placebo.

Why this module exists: issue 15 states its targets on TPP, which ToTA holds
in English (``tota:449``) and in Spanish (``tota:450``).  The benchmark
(``benchmarks/translation.py``) and the corpus tests measure the same
figures through these functions:

- :func:`article_matching`: each Spanish article's best English article *by
  content alone* (no number, no title), against the counterpart defined by
  structure (:mod:`.parallel`);
- :func:`clause_alignment`: the share of clauses with a counterpart that
  :func:`~.align.align` pairs with it;
- :func:`neighbour_overlap`: how many of the translated text's nearest
  English agreements are the original's;
- :func:`pair_scores`: the pair's score raw and calibrated, and a placebo:
  the translated text against every other English agreement, calibrated,
  beside the original's monolingual scores against the same agreements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ..store import Store
from .align import align
from .crosslingual import CrossLingual, view_unit_sets
from .kernels import intersections, jaccard_matrix
from .neighbours import neighbours
from .parallel import parallel_articles, parallel_clauses
from .units import unit_sets

__all__ = [
    "ArticleMatching",
    "PairScores",
    "article_matching",
    "clause_alignment",
    "neighbour_overlap",
    "pair_scores",
]

_COLUMNS = ["id", "agreement_id", "chapter_index", "article_index", "article_number", "ord", "text"]


@dataclass(frozen=True)
class ArticleMatching:
    """How well articles of a translated text find their counterparts by content."""

    n: int
    """Articles with a counterpart."""
    best: float
    """Share whose highest-scoring English article is the counterpart."""
    assigned: float
    """Share paired with the counterpart by a one-to-one assignment on the scores."""
    true_raw: float
    """Mean raw Jaccard of an article with its counterpart."""
    runner_up_raw: float
    """Mean raw Jaccard of an article with the best other English article."""
    placebo_best: float
    """The same ``best`` share with the English articles shuffled within the agreement: chance."""


def article_matching(store: Store, translated: str, original: str, xl: CrossLingual) -> ArticleMatching:
    """Match each article of ``translated`` to one of ``original`` by their shingles alone."""
    tr = store.clauses([translated], columns=_COLUMNS)
    en = store.clauses([original], columns=_COLUMNS)
    langs = {translated: str(store.agreements([translated])["language"].iloc[0])}
    _, st = view_unit_sets(store, tr, "article", xl=xl, languages=langs)
    _, se = unit_sets(store, en, "article")
    truth = parallel_articles(tr, en)
    rows = np.flatnonzero(truth >= 0)
    j = jaccard_matrix(st, se)
    best = j.argmax(axis=1)
    r, c = linear_sum_assignment(j, maximize=True)
    assigned = np.full(len(j), -1)
    assigned[r] = c
    other = j.copy()
    other[rows, truth[rows]] = -1.0
    shuffled = np.random.default_rng(0).permutation(j.shape[1])
    return ArticleMatching(
        int(rows.size),
        float(np.mean(best[rows] == truth[rows])),
        float(np.mean(assigned[rows] == truth[rows])),
        float(j[rows, truth[rows]].mean()),
        float(other[rows].max(axis=1).mean()),
        float(np.mean(shuffled[best[rows]] == truth[rows])),
    )


def clause_alignment(store: Store, translated: str, original: str) -> tuple[float, int, float]:
    """Share of clauses with a counterpart that ``align`` pairs with it, how many, and the pairing precision.

    Precision: of the clauses with a counterpart that were paired at all, the share paired with it.
    """
    tr = store.clauses([translated], columns=_COLUMNS)
    en = store.clauses([original], columns=_COLUMNS)
    truth = parallel_clauses(tr, en)
    al = align(store, translated, original)
    pos_a = {c: i for i, c in enumerate(tr["id"])}
    pos_b = {c: i for i, c in enumerate(en["id"])}
    got = np.full(len(tr), -1)
    for a, b in zip(al.pairs["a_clause"], al.pairs["b_clause"], strict=True):
        got[pos_a[a]] = pos_b[b]
    rows = np.flatnonzero(truth >= 0)
    hit = got[rows] == truth[rows]
    paired = got[rows] >= 0
    return float(hit.mean()), int(rows.size), float(hit[paired].mean()) if paired.any() else float("nan")


def neighbour_overlap(
    store: Store, translated: str, original: str, k: int = 10
) -> tuple[int, list[str], list[str]]:
    """How many of the ``k`` nearest English agreements of ``translated`` are among ``original``'s."""
    english = set(store.agreements(language="en")["id"]) - {original}
    many = max(4 * k, 60)
    a = neighbours(store, translated, top=many)
    b = neighbours(store, original, top=many, monolingual=True)  # English neighbours only: no translation
    top_a = [x for x in a["agreement_id"] if x in english][:k]
    top_b = [x for x in b["agreement_id"] if x in english][:k]
    return len(set(top_a) & set(top_b)), top_a, top_b


@dataclass(frozen=True)
class PairScores:
    """The parallel pair's agreement-level score, and the placebo comparison."""

    raw: float
    """Jaccard of the translated text with its original, through the translation."""
    calibrated: float
    """The same on the monolingual scale (an identical English text would score 1)."""
    placebo: pd.DataFrame
    """Per other English agreement: ``translated`` (calibrated) and ``original`` (monolingual) scores."""

    @property
    def placebo_gap(self) -> float:
        """Median absolute difference between the two columns of :attr:`placebo`."""
        return float((self.placebo["translated"] - self.placebo["original"]).abs().median())

    @property
    def placebo_rank_correlation(self) -> float:
        """Spearman correlation of the two columns of :attr:`placebo`."""
        return float(self.placebo["translated"].corr(self.placebo["original"], method="spearman"))


def pair_scores(store: Store, translated: str, original: str, xl: CrossLingual) -> PairScores:
    """The pair's score raw and calibrated, and both texts against every other English agreement."""
    others = sorted(set(store.agreements(language="en", include_duplicates=False)["id"]) - {original})
    ids = [original, *others]
    frame = pd.DataFrame({"agreement_id": [translated, *ids]})
    langs = dict(zip(frame["agreement_id"], ["es", *["en"] * len(ids)], strict=True))
    langs[translated] = str(store.agreements([translated])["language"].iloc[0])
    clauses = store.clauses([translated, *ids], columns=["agreement_id"])
    _, sets = view_unit_sets(store, clauses, "agreement", xl=xl, languages=langs)
    order = list(dict.fromkeys(clauses["agreement_id"]))
    row = {a: i for i, a in enumerate(order)}
    q = sets.take([row[translated]])
    e = sets.take([row[original]])
    refs = sets.take([row[a] for a in ids])

    def jac(x: np.ndarray, size: int) -> np.ndarray:
        out: np.ndarray = x / (size + refs.sizes - x)
        return out

    raw_t = jac(intersections(q, refs)[0], int(q.sizes[0]))
    raw_e = jac(intersections(e, refs)[0], int(e.sizes[0]))
    cal_t = xl.calibrate("agreement", "jaccard", raw_t)
    placebo = pd.DataFrame({"agreement_id": others, "translated": cal_t[1:], "original": raw_e[1:]})
    return PairScores(float(raw_t[0]), float(cal_t[0]), placebo)
