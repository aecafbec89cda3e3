"""Reuse across languages: earlier agreements in another language as sources, through English translations.

Why this module exists: the Spanish agreements Mexico signed in the 1990s
were drafted on NAFTA's English text; :func:`~.reuse.reuse` only looked at
earlier agreements in the same language.  Here the agreement and the
earlier agreements in other languages are read in English (the translation
of whichever side is not English, :mod:`.crosslingual`): each clause's best
earlier counterpart among them (clause Jaccard, calibrated) and each such
source's copied share (word 6-gram runs of the English texts, calibrated with
the agreement-level map).  Scores are on the monolingual scale, so they can
stand beside the same-language ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..features import WordRuns
from ..store import Store
from .crosslingual import CrossLingual, translated_texts, view_unit_sets
from .kernels import copied_matrix
from .mixed import calibrated
from .neighbours import top_neighbours

__all__ = ["CrossReuse", "cross_reuse"]

_COLS = ["id", "agreement_id", "ord", "text"]


@dataclass(frozen=True)
class CrossReuse:
    """Best earlier counterparts and copied shares from sources in other languages."""

    best: pd.DataFrame
    """Per clause of the agreement (``clause``): ``source``, ``source_clause``, ``score`` (calibrated)."""
    shares: pd.DataFrame
    """Per source: ``agreement_id``, ``copied_share`` (calibrated)."""


def _english_texts(
    store: Store, clauses: pd.DataFrame, languages: Mapping[str, str], xl: CrossLingual
) -> list[str]:
    out: list[str] = [str(t) for t in clauses["text"]]
    foreign = [a for a in clauses["agreement_id"].unique() if languages.get(str(a), "en") != "en"]
    if foreign:
        mask = clauses["agreement_id"].isin(foreign).to_numpy()
        texts = translated_texts(store, clauses.loc[mask, "id"].tolist(), foreign, xl)
        for i, t in zip(np.flatnonzero(mask), texts, strict=True):
            out[i] = t
    return out


def cross_reuse(
    store: Store,
    agreement: str,
    sources: Sequence[str],
    *,
    languages: Mapping[str, str],
    dates: Mapping[str, str],
    xl: CrossLingual,
) -> CrossReuse:
    """The agreement against earlier ``sources`` in other languages, everything read in English."""
    ids = [agreement, *sources]
    clauses = store.clauses(ids, columns=_COLS)
    _, sets = view_unit_sets(store, clauses, "clause", xl=xl, languages=languages)
    group = pd.factorize(clauses["agreement_id"])[0]
    mine = np.flatnonzero((clauses["agreement_id"] == agreement).to_numpy())
    key = (
        pd.to_datetime(clauses["agreement_id"].map(dates))
        .to_numpy()
        .astype("datetime64[D]")
        .astype(np.float64)
    )
    nb = top_neighbours(sets, k=1, group=group, queries=mine, before=key)
    q_translated = languages.get(agreement, "en") != "en"
    t_translated = np.array(
        [languages.get(str(a), "en") != "en" for a in clauses["agreement_id"].to_numpy()[nb.target]]
    )
    score = calibrated(xl, "clause", "jaccard", nb.score, t_translated | q_translated)
    best = pd.DataFrame(
        {
            "clause": clauses["id"].to_numpy()[nb.query],
            "source": clauses["agreement_id"].to_numpy()[nb.target],
            "source_clause": clauses["id"].to_numpy()[nb.target],
            "score": score,
        }
    )
    texts = pd.Series(_english_texts(store, clauses, languages, xl), index=clauses.index)
    runs = {a: WordRuns.of(texts[g.index].tolist()) for a, g in clauses.groupby("agreement_id", sort=False)}
    present = [a for a in sources if a in runs]
    raw = copied_matrix([runs[agreement], *(runs[a] for a in present)])[0, 1:] if present else np.zeros(0)
    share = calibrated(xl, "agreement", "copied", raw, np.full(raw.size, q_translated))
    return CrossReuse(best, pd.DataFrame({"agreement_id": present, "copied_share": share}))
