"""Neighbours in other languages: the query against every unit in another language, through translations.

Why this module exists: :func:`~.neighbours.neighbours` answers from the
store's inverted index, which compares texts as they are written; a Spanish
text and an English one share no shingles there.  Here the query and the
units of agreements in other languages are read in English (the translation
of whichever side is not English, :mod:`.crosslingual`), scored exactly, and
put on the monolingual scale (:mod:`.calibration`), so that they can be
ranked beside the same-language answers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..features import UnitSets
from ..store import Store
from ..translate import needs_translation
from .crosslingual import TARGET, cross_lingual, view_unit_sets
from .kernels import intersections
from .mixed import calibrated
from .units import Unit, clauses_for, unit_columns

__all__ = ["cross_frame", "language_map"]


def language_map(store: Store) -> dict[str, str]:
    """Agreement id -> language, for every agreement of the store."""
    meta = store.agreements()
    return dict(zip(meta["id"].astype(str), meta["language"].astype(str), strict=True))


def _scores(q: UnitSets, sets: UnitSets) -> dict[str, np.ndarray]:
    inter = intersections(q, sets)[0].astype(np.float64)
    qsize = float(max(int(q.sizes[0]), 1))
    sizes = sets.sizes.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.nan_to_num(inter / (q.sizes[0] + sizes - inter))
        contains = np.nan_to_num(inter / sizes)
    return {"score": jac, "contained_in": inter / qsize, "contains": contains}


def cross_frame(
    store: Store,
    agreement: str,
    langs: Mapping[str, str],
    *,
    level: Unit,
    area: str | None,
    article: str | None,
    monolingual: bool,
) -> tuple[pd.DataFrame, int, str]:
    """Rows of the units in other languages than ``agreement``'s, calibrated; how many; why none.

    Columns as :func:`~.neighbours.neighbours` (``cross_lingual`` True, ``raw_score``).
    """
    mine = langs.get(agreement, TARGET)
    ids = [a for a in store.agreements(area=area)["id"].astype(str) if langs.get(a) != mine]
    if not ids:
        return pd.DataFrame(), 0, ""
    xl, why = cross_lingual(store, [agreement, *ids], monolingual=monolingual)
    if xl is None:
        return pd.DataFrame(), 0, why or "same-language comparisons only (--monolingual)"
    if not all(xl.calibration.has(level, m) for m in ("jaccard", "containment", "contained")):
        return pd.DataFrame(), 0, f"no cross-lingual calibration at {level} level (docs/METHODS.md 5)"
    every = [agreement, *ids]
    if level == "agreement":
        clauses = clauses_for(store, every, "agreement", area, text=False)
    else:
        cols = ["agreement_id", "area", "text", *unit_columns("article")]
        clauses = store.clauses(every, area=area, columns=cols)
    units, sets = view_unit_sets(store, clauses, level, area=area, xl=xl, languages=langs)
    own = (units["agreement_id"] == agreement).to_numpy().copy()
    if article is not None:
        wanted = store.clauses([agreement], article=article, columns=["article_index"])["article_index"]
        own = own & units["article_index"].isin(wanted.unique()).to_numpy()
    trows = np.flatnonzero((units["agreement_id"] != agreement).to_numpy())
    if not own.any() or trows.size == 0:
        return pd.DataFrame(), 0, ""
    raw = _scores(sets.take(np.flatnonzero(own)).union(), sets.take(trows))
    target_ids = units["agreement_id"].iloc[trows].astype(str)
    t_tr = np.array([needs_translation(langs.get(a, TARGET)) for a in target_ids], dtype=bool)
    frame = pd.DataFrame({"agreement_id": target_ids.to_numpy()})
    frame["score"] = calibrated(xl, level, "jaccard", raw["score"], t_tr)
    # contained_in: the query's share found in the target; contains: the target's share in the query
    q_tr = np.full(trows.size, needs_translation(mine))
    frame["contained_in"] = calibrated(xl, level, "containment", raw["contained_in"], q_tr)
    frame["contains"] = calibrated(xl, level, "containment", raw["contains"], t_tr)
    frame["cross_lingual"] = True
    frame["raw_score"] = raw["score"]
    meta = store.agreements(sorted(set(target_ids))).set_index("id")
    frame["name"] = frame["agreement_id"].map(meta["name"])
    if level == "agreement":
        frame["date_signed"] = frame["agreement_id"].map(meta["date_signed"])
    else:
        frame["article_index"] = units["article_index"].iloc[trows].to_numpy()
        info = clauses.drop_duplicates(["agreement_id", "article_index"])
        frame = frame.merge(
            info[["agreement_id", "article_index", "article_number", "article_title"]],
            on=["agreement_id", "article_index"],
            how="left",
        )
    return frame, int(trows.size), ""
