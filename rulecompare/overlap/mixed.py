"""Score matrices over units in several languages: cross-lingual cells through translations, calibrated.

Why this module exists: ``matrix`` and ``neighbours`` compare units that may
be written in different languages.  A pair in one language is scored on its
own texts, exactly as before; a pair in two languages is scored in English
(:mod:`.crosslingual`: the translation of the non-English side, translationese
left out) and the raw score is put on the monolingual scale
(:mod:`.calibration`).  Every answer carries a boolean mask of the
cross-lingual cells, so that fronts can mark them and count them.

When the translator is missing, cross-lingual cells are NaN (never 0) and the
reason names what to install.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..features import UnitSets
from ..store import Store
from .baseline import score_matrix
from .crosslingual import CrossLingual, cross_pairs, view_unit_sets, view_word_runs
from .kernels import copied_matrix, intersections, scores_from_intersections
from .units import Unit, unit_columns

__all__ = ["MixedScores", "calibrated", "mixed_matrix", "view_rows"]

_KEY: dict[str, list[str]] = {
    "agreement": [],
    "chapter": ["chapter_index"],
    "area": ["area"],
    "article": ["article_index"],
    "clause": ["ord"],
}


@dataclass(frozen=True)
class MixedScores:
    """A score matrix and which of its cells compare texts in two languages."""

    scores: np.ndarray
    cross: np.ndarray
    """True where row and column units are in different languages."""
    reason: str = ""
    """Why cross-lingual cells are NaN (the translator is missing), or empty."""

    @property
    def n_cross(self) -> int:
        return int(self.cross.sum())


def calibrated(
    xl: CrossLingual, level: str, measure: str, raw: np.ndarray, row_translated: np.ndarray
) -> np.ndarray:
    """Raw cross-lingual scores on the monolingual scale.

    ``row_translated`` says, per cell, whether the row unit is the translated
    side; it matters for directional measures (containment: the translated
    unit's share found in the English one, or the reverse).
    """
    if measure == "jaccard":
        out: np.ndarray = xl.calibrate(level, "jaccard", raw)
        return out
    forward, backward = (
        ("containment", "contained") if measure == "containment" else ("copied", "copied_from")
    )
    return np.where(row_translated, xl.calibrate(level, forward, raw), xl.calibrate(level, backward, raw))


def view_rows(units: pd.DataFrame, view_units: pd.DataFrame, level: Unit) -> np.ndarray:
    """For each row of ``units``, its row in ``view_units`` (same agreement and unit key)."""
    cols = ["agreement_id", *_KEY[level]]
    where = {tuple(k): i for i, k in enumerate(view_units[cols].itertuples(index=False))}
    return np.array([where[tuple(k)] for k in units[cols].itertuples(index=False)], dtype=np.int64)


def _view_clauses(
    store: Store, clauses: pd.DataFrame, ids: list[str], level: Unit, area: str | None
) -> pd.DataFrame:
    cols = ["id", "agreement_id", "text", *(["area"] if level == "area" else []), *unit_columns(level)]
    return store.clauses(ids, area=area, columns=list(dict.fromkeys(cols)))


def mixed_matrix(
    store: Store,
    clauses: pd.DataFrame,
    units: pd.DataFrame,
    sets: UnitSets,
    level: Unit,
    measure: str,
    *,
    area: str | None,
    languages: Mapping[str, str],
    xl: CrossLingual | None,
    reason: str = "",
) -> MixedScores:
    """The square score matrix of ``units``, cross-lingual cells through translations and calibrated."""
    scores = score_matrix(clauses, units, sets, level, measure)  # type: ignore[arg-type]
    lang = units["agreement_id"].map(languages).fillna("").to_numpy()
    cross = cross_pairs(lang, lang)
    if not cross.any():
        return MixedScores(scores, cross)
    needed = (
        ("jaccard",)
        if measure == "jaccard"
        else (("containment", "contained") if measure == "containment" else ("copied", "copied_from"))
    )
    if xl is not None and not all(xl.calibration.has(level, m) for m in needed):
        xl, reason = None, f"no cross-lingual calibration of {measure} at {level} level (docs/METHODS.md 5)"
    if xl is None:
        scores[cross] = np.nan
        return MixedScores(scores, cross, reason)
    ids = list(dict.fromkeys(units["agreement_id"].astype(str)))
    view_clauses = _view_clauses(store, clauses, ids, level, area)
    vu, vs = view_unit_sets(store, view_clauses, level, area=area, xl=xl, languages=languages)
    rows = view_rows(units, vu, level)
    if measure == "copied":
        runs = view_word_runs(store, view_clauses, vu.iloc[rows], level, xl=xl, languages=languages)
        raw = copied_matrix(runs)
    else:
        v = vs.take(rows)
        raw = scores_from_intersections(intersections(v), v.sizes, measure)  # type: ignore[arg-type]
    translated = np.array([lang_ != "en" for lang_ in lang])
    row_tr = np.broadcast_to(translated[:, None], cross.shape)
    scores[cross] = calibrated(xl, level, measure, raw, row_tr)[cross]
    return MixedScores(scores, cross)
