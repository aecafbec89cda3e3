"""Fitting the cross-lingual calibration on a parallel text, and the paired scores it is fitted on.

For a parallel pair (TPP in Spanish and in English), at each level, every
unit of the translated text that has a counterpart (:mod:`.parallel`) is
scored against English reference units twice: its translation (``x``, what
the cross-lingual path measures) and its English counterpart (``y``, what it
should measure).  References are the original text's own units and those of
other English agreements (all of them at the agreement, chapter and area
levels; a fixed random sample at the article and clause levels, where all
would be tens of millions of pairs).  :func:`fit_calibration` turns the
pairs into the maps of :mod:`.calibration`; ``scripts/fit_crosslingual.py``
writes them, and ``benchmarks/translation.py`` checks them on chapters they
were not fitted on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..features import UnitSets, WordRuns, copied_share_runs
from ..store import Store
from .calibration import Calibration, CalLevel, QuantileMap, fit_quantile_map
from .crosslingual import CrossLingual, translated_texts, view_unit_sets
from .kernels import intersections
from .parallel import parallel_articles, parallel_chapters, parallel_clauses
from .units import unit_sets

__all__ = ["LEVELS", "Paired", "fit_calibration", "paired_scores"]

LEVELS: tuple[CalLevel, ...] = ("agreement", "chapter", "area", "article", "clause")
REFERENCE_SAMPLE: dict[str, int | None] = {
    "agreement": None,
    "chapter": None,
    "area": None,
    "article": 60,
    "clause": 20,
}
"""Other English agreements whose units are references, per level (None: all of them)."""
MAX_QUERIES = 1000
"""Units of the translated text scored at most per level (a fixed random sample beyond)."""
RUN_LEVELS: tuple[CalLevel, ...] = ("agreement",)
"""Levels at which the copied share (word 6-gram runs) is fitted too: only the agreement level, because
scoring the runs of every English chapter or area against each query unit takes tens of minutes."""

_COLUMNS = ["id", "agreement_id", "chapter_index", "chapter_number", "article_index", "article_number",
            "ord", "area", "text"]  # fmt: skip


@dataclass(frozen=True)
class Paired:
    """Paired scores of one level and measure: ``x`` through the translation, ``y`` in the original."""

    x: np.ndarray
    y: np.ndarray
    chapter: np.ndarray
    """The chapter (index in the translated text) of each pair's unit; -1 at levels above chapters."""
    counterpart: np.ndarray
    """True where the reference is the unit's own counterpart (the pair that should score 1)."""


def _unit_col(level: str) -> str | None:
    return {"agreement": None, "chapter": "chapter_index", "area": "area", "article": "article_index",
            "clause": "ord"}[level]  # fmt: skip


def _truth(level: str, tr: pd.DataFrame, en: pd.DataFrame, ut: pd.DataFrame, ue: pd.DataFrame) -> np.ndarray:
    """Row of ``ue`` (units of the original) that is each row of ``ut``'s counterpart, or -1."""
    if level == "agreement":
        return np.zeros(len(ut), dtype=np.int64)
    if level == "chapter":
        return parallel_chapters(tr, en)
    if level == "article":
        return parallel_articles(tr, en)
    if level == "area":
        where = {a: i for i, a in enumerate(ue["area"])}
        return np.array([where.get(a, -1) for a in ut["area"]], dtype=np.int64)
    return parallel_clauses(tr, en)


def _references(store: Store, original: str, level: str, seed: int, exclude: Sequence[str]) -> list[str]:
    meta = store.agreements(language="en", include_duplicates=False)
    ids = sorted(set(meta["id"]) - {original, *exclude})
    sample = REFERENCE_SAMPLE[level]
    if sample is not None and sample < len(ids):
        ids = sorted(np.random.default_rng(seed).choice(ids, size=sample, replace=False).tolist())
    return [original, *ids]


def _set_scores(q: UnitSets, r: UnitSets) -> dict[str, np.ndarray]:
    inter = intersections(q, r).astype(np.float64)
    qs = q.sizes.astype(np.float64)[:, None]
    rs = r.sizes.astype(np.float64)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {
            "jaccard": inter / (qs + rs - inter),
            "containment": inter / qs,
            "contained": inter / rs,
        }
    return {k: np.nan_to_num(v, nan=0.0, posinf=0.0) for k, v in out.items()}


def _run_scores(q: Sequence[WordRuns], r: Sequence[WordRuns]) -> dict[str, np.ndarray]:
    rk = [np.unique(x.keys) for x in r]
    qk = [np.unique(x.keys) for x in q]
    copied = np.array([[copied_share_runs(a, k) for k in rk] for a in q])
    copied_from = np.array([[copied_share_runs(b, k) for b in r] for k in qk])
    return {"copied": copied, "copied_from": copied_from}


def _runs(frame: pd.DataFrame, col: str | None, units: pd.DataFrame, text: str = "text") -> list[WordRuns]:
    keys = ["agreement_id", *([col] if col else [])]
    groups = frame.groupby(keys, sort=False)[text].apply(list)
    return [
        WordRuns.of(groups.loc[tuple(k) if len(k) > 1 else k[0]]) for k in units[keys].itertuples(index=False)
    ]


def paired_scores(
    store: Store,
    translated: str,
    original: str,
    level: CalLevel,
    *,
    xl: CrossLingual,
    seed: int = 0,
    exclude: Sequence[str] = (),
) -> dict[str, Paired]:
    """Paired scores of ``translated`` (through its translation) and ``original`` against English references.

    Returns measure -> :class:`Paired`: ``jaccard``, ``containment``,
    ``contained`` and, at :data:`RUN_LEVELS`, ``copied`` and ``copied_from``.
    ``exclude`` names agreements never used as references.
    """
    col = _unit_col(level)
    tr = store.clauses([translated], columns=_COLUMNS)
    en = store.clauses([original], columns=_COLUMNS)
    langs = {translated: str(store.agreements([translated])["language"].iloc[0])}
    ut, st = view_unit_sets(store, tr, level, xl=xl, languages=langs)
    ue, se = unit_sets(store, en, level)
    truth = _truth(level, tr, en, ut, ue)
    rows = np.flatnonzero(truth >= 0)
    if rows.size > MAX_QUERIES:
        rows = np.sort(np.random.default_rng(seed).choice(rows, size=MAX_QUERIES, replace=False))
    refs = _references(store, original, level, seed, exclude)
    rc = store.clauses(refs, columns=_COLUMNS)
    ur, sr = unit_sets(store, rc, level)
    own = np.flatnonzero((ur["agreement_id"] == original).to_numpy())
    x = _set_scores(st.take(rows), sr)
    y = _set_scores(se.take(truth[rows]), sr)
    if col == "chapter_index":
        chapters = ut[col].to_numpy()[rows]
    elif col in ("article_index", "ord"):
        chapter_of = tr.drop_duplicates(col).set_index(col)["chapter_index"]
        chapters = chapter_of.loc[ut[col].to_numpy()[rows]].to_numpy()
    else:
        chapters = np.full(rows.size, -1)
    counterpart = np.zeros((rows.size, len(ur)), dtype=bool)
    counterpart[np.arange(rows.size), own[truth[rows]]] = True
    if level in RUN_LEVELS:
        tr = tr.assign(view=translated_texts(store, tr["id"].tolist(), [translated], xl))
        runs_t = _runs(tr, col, ut.iloc[rows], "view")
        runs_e = _runs(en, col, ue.iloc[truth[rows]])
        runs_r = _runs(rc, col, ur)
        x |= _run_scores(runs_t, runs_r)
        y |= _run_scores(runs_e, runs_r)
    groups = np.repeat(chapters, len(ur))
    return {m: Paired(x[m].ravel(), y[m].ravel(), groups, counterpart.ravel()) for m in x}


def fit_calibration(pairs: Mapping[tuple[str, str], Paired], meta: Mapping[str, Any]) -> Calibration:
    """The calibration fitted on every (level, measure) of ``pairs``, with ``meta`` and the date."""
    maps: dict[str, QuantileMap] = {
        f"{level}/{measure}": fit_quantile_map(p.x, p.y) for (level, measure), p in pairs.items()
    }
    return Calibration(maps, {**meta, "fitted": date.today().isoformat()})
