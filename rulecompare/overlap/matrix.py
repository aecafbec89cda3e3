"""Square overlap matrices of agreements, chapters or (agreement, area) units.

Why this module exists: "plot the similarity of all 424 English PTAs, export
the matrix for my regression" is the question users ask most.  A matrix is
one call of the kernel over cached shingle sets, labelled with unit names
and reported with the corpus baseline beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import NotFoundError, RulecompareError
from ..store import Store
from .baseline import baseline_rows, corpus_baseline, median_off_diagonal
from .crosslingual import cross_lingual
from .kernels import Measure
from .mixed import mixed_matrix
from .units import select, units_for

Level = Literal["agreement", "chapter", "area"]

MAX_MATRIX_UNITS = 6000
"""A larger square matrix would not fit in memory comfortably; narrow the selection instead."""


@dataclass
class MatrixResult:
    """A square overlap matrix with the context needed to read it."""

    frame: pd.DataFrame
    """Scores, index and columns are unit ids (agreement ids at the agreement level)."""
    units: pd.DataFrame
    """One row per unit: unit, agreement_id, name, label (and chapter/area keys)."""
    measure: str
    level: str
    area: str | None
    baseline: float
    """Median off-diagonal score of the corpus at this level, language, area and measure."""
    baseline_scope: str
    """How the baseline was computed, in words."""
    cross: np.ndarray | None = None
    """True where row and column units are in different languages (scored through a translation)."""
    cross_reason: str = ""
    """Why cross-lingual cells are NaN (translator missing), or empty."""

    @property
    def n_cross(self) -> int:
        """How many ordered pairs of different units were compared across languages."""
        return 0 if self.cross is None else int(self.cross.sum())

    def long(self) -> pd.DataFrame:
        """One row per ordered pair of different units: ids, names, score, measure, level, area."""
        n = len(self.units)
        i, j = np.nonzero(~np.eye(n, dtype=bool))
        u = self.units
        return pd.DataFrame(
            {
                "a": u["unit"].to_numpy()[i],
                "a_name": u["label"].to_numpy()[i],
                "b": u["unit"].to_numpy()[j],
                "b_name": u["label"].to_numpy()[j],
                "score": self.frame.to_numpy()[i, j],
                "measure": self.measure,
                "level": self.level,
                "area": self.area or "",
                "baseline": self.baseline,
                "cross_lingual": self.cross[i, j] if self.cross is not None else False,
            }  # fmt: skip
        )

    @property
    def note(self) -> str:
        """One line that tells a reader how to read the scores."""
        head = (
            f"{self.measure} at {self.level} level{f', area {self.area}' if self.area else ''}; "
            f"corpus baseline (median pair) = {self.baseline:.3f} ({self.baseline_scope})"
        )
        return f"{head}; {cross_note(self.n_cross, self.cross_reason)}"


def cross_note(n: int, reason: str = "") -> str:
    """How many comparisons were cross-lingual, and how they were made (or why they are missing)."""
    if n == 0:
        return "0 cross-lingual comparisons"
    if reason:
        return f"{n} cross-lingual comparisons not made (NaN): {reason}"
    return f"{n} cross-lingual comparisons (*: through an English translation, calibrated; docs/METHODS.md 5)"


def matrix(
    store: Store,
    agreements: Sequence[str] | None = None,
    *,
    family: str | None = None,
    party: str | None = None,
    language: str | None = None,
    area: str | None = None,
    level: Level = "agreement",
    measure: Measure = "jaccard",
    monolingual: bool = False,
) -> MatrixResult:
    """Overlap matrix of the selected agreements (all when none are given and no filter is set).

    Units are agreements, chapters or (agreement, area) pairs; with ``area``
    only the clauses of that policy area count.  ``containment`` and
    ``copied`` are directional: row unit found in column unit.  The baseline is
    the median off-diagonal score over the corpus agreements in the language
    of the selection (English when it mixes languages, the scale cross-lingual
    scores are calibrated onto) at the same level, area and measure;
    when that level has more than :data:`BASELINE_SAMPLE` units, over a fixed
    random sample of that many (see ``baseline_scope``).

    Units in different languages are compared through the English
    translation and calibrated onto the monolingual scale
    (:mod:`.mixed`; ``cross`` marks those cells); with ``monolingual``, or
    when the translator is missing, those cells are NaN (``cross_reason``).
    """
    if level not in ("agreement", "chapter", "area"):
        raise RulecompareError(f"level must be agreement, chapter or area, not '{level}'")
    if measure not in ("jaccard", "containment", "copied"):
        raise RulecompareError(f"measure must be jaccard, containment or copied, not '{measure}'")
    meta = select(store, agreements, family=family, party=party, language=language, area=area)
    if meta.empty:
        raise NotFoundError("no agreement matches the selection")
    clauses, units, sets = units_for(store, meta["id"].tolist(), level, area, text=measure == "copied")
    if len(units) > MAX_MATRIX_UNITS:
        raise RulecompareError(
            f"{len(units)} units at {level} level is too many for one matrix (limit {MAX_MATRIX_UNITS}); "
            "narrow the selection (--family, --party, --area or a list of agreements)"
        )
    # Units in the order the agreements were asked for (the store returns them by id).
    rank = units["agreement_id"].map({a: i for i, a in enumerate(meta["id"])}).to_numpy()
    perm = np.argsort(rank, kind="stable")
    units, sets = units.iloc[perm].reset_index(drop=True), sets.take(perm)
    info = _unit_frame(units, clauses, meta, level)
    langs_of = dict(zip(meta["id"], meta["language"], strict=True))
    xl, why = cross_lingual(store, meta["id"].tolist(), monolingual=monolingual)
    if monolingual:
        why = "same-language pairs only (--monolingual)"
    mixed = mixed_matrix(
        store, clauses, units, sets, level, measure, area=area, languages=langs_of, xl=xl, reason=why
    )
    scores = mixed.scores
    ids = info["unit"].tolist()
    frame = pd.DataFrame(scores, index=pd.Index(ids, name="id"), columns=ids)
    langs = meta["language"].value_counts()
    # several languages compared through English translations are on the English scale
    lang = language or (str(langs.index[0]) if len(langs) == 1 else "en")
    corpus_ids = store.agreements(language=lang, area=area)["id"]
    if set(corpus_ids) == set(meta["id"]):
        # The selection is the corpus: the baseline's units (sampled or not) are rows of this matrix.
        # Undo the reordering above so that the sample is the one corpus_baseline would draw.
        rows, scope = baseline_rows(len(units), measure, level, lang)
        pick = np.empty_like(perm)
        pick[perm] = np.arange(perm.size)
        pick = pick[rows]
        baseline = median_off_diagonal(scores[np.ix_(pick, pick)])
    else:
        baseline, scope = corpus_baseline(store, level=level, measure=measure, area=area, language=lang)
    return MatrixResult(frame, info, measure, level, area, baseline, scope, mixed.cross, mixed.reason)


def _unit_frame(units: pd.DataFrame, clauses: pd.DataFrame, meta: pd.DataFrame, level: str) -> pd.DataFrame:
    """Ids and labels of matrix units."""
    names = meta.set_index("id")["name"]
    u = units.copy()
    u["name"] = u["agreement_id"].map(names)
    if level == "agreement":
        u["unit"] = u["agreement_id"]
        u["label"] = u["name"]
    elif level == "chapter":
        info = clauses.drop_duplicates(["agreement_id", "chapter_index"]).set_index(
            ["agreement_id", "chapter_index"]
        )
        key = list(zip(u["agreement_id"], u["chapter_index"], strict=True))
        title = info.loc[key, "chapter_title"].fillna("").to_numpy()
        number = info.loc[key, "chapter_number"].fillna("").to_numpy()
        u["unit"] = u["agreement_id"] + "#" + u["chapter_index"].astype(str)
        u["label"] = [f"{n} | {num} {t}".strip() for n, num, t in zip(u["name"], number, title, strict=True)]
    else:
        u["unit"] = u["agreement_id"] + "@" + u["area"]
        u["label"] = u["name"] + " | " + u["area"]
    return u


def cluster_order(frame: pd.DataFrame) -> list[str]:
    """Row ids of a square score matrix ordered by average-linkage hierarchical clustering."""
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    if len(frame) < 3:
        ids: list[str] = frame.index.tolist()
        return ids
    m = np.nan_to_num(frame.to_numpy(dtype=float), nan=0.0)  # a pair not compared counts as unrelated
    dist = 1.0 - (m + m.T) / 2.0
    np.fill_diagonal(dist, 0.0)
    order = leaves_list(linkage(squareform(np.clip(dist, 0.0, None), checks=False), method="average"))
    return [frame.index[i] for i in order]


__all__ = ["MAX_MATRIX_UNITS", "Level", "MatrixResult", "cluster_order", "cross_note", "matrix"]
