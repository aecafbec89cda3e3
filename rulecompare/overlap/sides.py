"""What alignment compares on each side: the original text, or its English translation across languages.

Why this module exists: :func:`~.align.align` pairs articles and clauses by
their shingle sets and titles.  When the two agreements are in one language
those are the originals'; when they are in two, the non-English side is read
in English (its stored translation, translationese left out of its sets) and
every score is calibrated onto the monolingual scale
(:mod:`.calibration`), so that ``--min-score`` means the same thing
whatever the languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..features import UnitSets
from ..store import Store
from ..translate import needs_translation, translations_for
from .crosslingual import TARGET, CrossLingual, view_unit_sets
from .kernels import jaccard_matrix
from .units import unit_sets

__all__ = ["SideView", "side_view", "view_scores"]


@dataclass(frozen=True)
class SideView:
    """One side of an alignment as it is compared."""

    articles: UnitSets
    clauses: UnitSets
    titles: pd.Series
    """Each clause's article title as compared (translated on a translated side)."""
    translation: np.ndarray | None
    """Each clause's English translation, when the side is read through one."""


def side_view(
    store: Store,
    frame: pd.DataFrame,
    agreement: str,
    *,
    area: str | None,
    xl: CrossLingual | None,
    languages: Mapping[str, str],
) -> SideView:
    """The sets, titles and translation of one agreement's clauses ``frame`` (from ``store.clauses``)."""
    if xl is None or not needs_translation(languages.get(agreement, TARGET)):
        _, arts = unit_sets(store, frame, "article", area=area)
        _, cls = unit_sets(store, frame, "clause", area=area)
        return SideView(arts, cls, frame["article_title"], None)
    _, arts = view_unit_sets(store, frame, "article", area=area, xl=xl, languages=languages)
    _, cls = view_unit_sets(store, frame, "clause", area=area, xl=xl, languages=languages)
    found = translations_for(store, [agreement], progress=xl.progress, translator=xl.translator)
    text_of = dict(zip(found["clause_id"], found["text"], strict=True))
    title_of = dict(zip(found["clause_id"], found["article_title"], strict=True))
    texts = np.array([str(text_of.get(c, "")) for c in frame["id"]], dtype=object)
    titles = pd.Series([title_of.get(c) for c in frame["id"]], index=frame.index, dtype=object)
    return SideView(arts, cls, titles, texts)


def view_scores(
    a: UnitSets, b: UnitSets, level: str, xl: CrossLingual | None, cross: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard of every row of ``a`` with every row of ``b``: raw, and calibrated when the languages differ.

    The raw scores rank candidates (the calibration is monotone but maps the
    best cross-lingual scores to 1 alike); the calibrated ones are compared
    with ``--min-score`` and shown.
    """
    raw: np.ndarray = jaccard_matrix(a, b)
    if not cross or xl is None:
        return raw, raw
    return raw, xl.calibrate(level, "jaccard", raw)
