"""Reuse: where the text of one agreement comes from, among the agreements signed before it.

Why this module exists: reuse is directional ("how much of TPP's investment
chapter comes from US-Peru"), so it needs dates and the copied-share measure
(words of A covered by runs of 6+ identical words also found in an earlier
agreement, the Allee and Elsig style of text-reuse measure) as well as the
best earlier counterpart of each clause.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import RulecompareError
from ..features import WordRuns, copied_share_runs
from ..store import Store
from .baseline import corpus_baseline
from .crosslingual import cross_lingual
from .kernels import copied_matrix
from .neighbours import top_neighbours
from .reusexl import cross_reuse
from .units import meta_one, unit_sets


@dataclass
class ReuseResult:
    """Where the text of one agreement comes from, among agreements signed before it."""

    agreement: str
    clauses: pd.DataFrame
    """Per clause: its best match among earlier agreements (source agreement, clause, score)."""
    sources: pd.DataFrame
    """Earlier agreements ranked by the share of this agreement's words copied from each."""
    copied_share: float
    """Share of the agreement's words in runs of 6+ words found in any earlier agreement."""
    baseline: float
    """Corpus baseline of the copied share between two agreements (median pair)."""
    n_earlier: int = field(default=0)
    """Earlier agreements in the same language (those ``copied_share`` is taken over)."""
    n_cross: int = field(default=0)
    """Earlier agreements in other languages compared through English translations."""
    cross_reason: str = ""
    """Why earlier agreements in other languages were left out (translator missing), or empty."""


def reuse(store: Store, agreement: str, *, top: int = 5, monolingual: bool = False) -> ReuseResult:
    """Per clause the best match among agreements signed earlier, and the top source agreements.

    Earlier means a strictly earlier ``date_signed``; agreements without a
    date are never sources.  Clause scores are exact char-5 Jaccard
    (candidates as in :func:`top_neighbours`); the copied shares are exact
    word 6-gram coverage.  Earlier agreements in other languages are
    compared through English translations, their scores calibrated
    (:mod:`.reusexl`; ``cross_lingual`` marks them); ``copied_share`` (the
    whole agreement's) is over the same-language sources only.  With
    ``monolingual``, or without the translator, only the same language counts.
    """
    me = meta_one(store, agreement)
    if not me["date_signed"]:
        raise RulecompareError(f"{agreement} has no date of signature, so nothing is known to be earlier")
    meta = store.agreements(language=str(me["language"]))
    dated = meta[meta["date_signed"].notna() & (meta["date_signed"] != "")]
    earlier = dated[dated["date_signed"] < me["date_signed"]]
    ids = [agreement, *earlier["id"].tolist()]
    cols = ["id", "agreement_id", "ord", "article_number", "article_title", "paragraph", "text"]
    clauses = store.clauses(ids, columns=cols)
    units, sets = unit_sets(store, clauses, "clause")
    group = pd.factorize(clauses["agreement_id"])[0]
    mine = np.flatnonzero((clauses["agreement_id"] == agreement).to_numpy())
    date = pd.to_datetime(clauses["agreement_id"].map(meta.set_index("id")["date_signed"])).to_numpy()
    key = date.astype("datetime64[D]").astype(np.float64)
    nb = top_neighbours(sets, k=1, group=group, queries=mine, before=key)
    names = meta.set_index("id")["name"]
    table = clauses.iloc[mine][["id", "article_number", "article_title", "paragraph"]].rename(
        columns={"id": "clause"}
    )
    best = pd.DataFrame({"q": nb.query, "t": nb.target, "score": nb.score}).set_index("q")
    table["source"] = clauses["agreement_id"].to_numpy()[
        best.reindex(mine)["t"].fillna(-1).astype(int).clip(0)
    ]
    table["source_clause"] = clauses["id"].to_numpy()[best.reindex(mine)["t"].fillna(-1).astype(int).clip(0)]
    table["score"] = best.reindex(mine)["score"].fillna(0.0).to_numpy()
    table.loc[table["score"] == 0, ["source", "source_clause"]] = None
    table["source_name"] = table["source"].map(names)
    runs_by_id = {a: WordRuns.of(g.tolist()) for a, g in clauses.groupby("agreement_id", sort=False)["text"]}
    target = runs_by_id[agreement]
    sources = [a for a in ids[1:] if a in runs_by_id]
    shares = copied_matrix([target, *(runs_by_id[a] for a in sources)])[0, 1:]
    everything = (
        np.unique(np.concatenate([runs_by_id[a].keys for a in sources]))
        if sources
        else np.zeros(0, np.uint64)
    )
    # no earlier agreement in its language: the share is unknown, not 0
    total = copied_share_runs(target, everything) if sources else float("nan")
    src = pd.DataFrame({"agreement_id": sources, "copied_share": shares})
    src["name"] = src["agreement_id"].map(names)
    src["date_signed"] = src["agreement_id"].map(meta.set_index("id")["date_signed"])
    src["best_clauses"] = src["agreement_id"].map(table["source"].value_counts()).fillna(0).astype(int)
    src = (
        src.sort_values(["copied_share", "agreement_id"], ascending=[False, True])
        .head(top)
        .reset_index(drop=True)
    )
    table["cross_lingual"] = False
    src["cross_lingual"] = False
    n_cross, why = 0, ""
    if not monolingual:
        table, src, n_cross, why = _across(store, agreement, me, table, src, top)
    baseline, _ = corpus_baseline(store, measure="copied", language=str(me["language"]))
    return ReuseResult(
        agreement, table.reset_index(drop=True), src, total, baseline, len(sources), n_cross, why
    )


def _across(
    store: Store, agreement: str, me: pd.Series, table: pd.DataFrame, src: pd.DataFrame, top: int
) -> tuple[pd.DataFrame, pd.DataFrame, int, str]:
    """The clause table and sources with the earlier agreements in other languages merged in."""
    every = store.agreements()
    dated = every[every["date_signed"].notna() & (every["date_signed"] != "")]
    others = dated[(dated["date_signed"] < me["date_signed"]) & (dated["language"] != me["language"])]
    if others.empty:
        return table, src, 0, ""
    ids = [agreement, *others["id"].tolist()]
    xl, why = cross_lingual(store, ids)
    if xl is None:
        return table, src, 0, why
    languages = dict(zip(every["id"].astype(str), every["language"].astype(str), strict=True))
    dates = dict(zip(dated["id"].astype(str), dated["date_signed"].astype(str), strict=True))
    found = cross_reuse(store, agreement, others["id"].tolist(), languages=languages, dates=dates, xl=xl)
    names = every.set_index("id")["name"]
    best = found.best.set_index("clause")
    table = table.copy()
    cross = best.reindex(table["clause"])
    better = cross["score"].fillna(0.0).to_numpy() > table["score"].to_numpy()
    for col in ("source", "source_clause", "score"):
        table.loc[better, col] = cross[col].to_numpy()[better]
    table.loc[better, "cross_lingual"] = True
    table["source_name"] = table["source"].map(names)
    shares = found.shares.assign(
        name=found.shares["agreement_id"].map(names),
        date_signed=found.shares["agreement_id"].map(dates),
        best_clauses=found.shares["agreement_id"].map(table["source"].value_counts()).fillna(0).astype(int),
        cross_lingual=True,
    )
    merged = pd.concat([src, shares[src.columns]], ignore_index=True)
    merged["best_clauses"] = merged["agreement_id"].map(table["source"].value_counts()).fillna(0).astype(int)
    merged = merged.sort_values(["copied_share", "agreement_id"], ascending=[False, True]).head(top)
    return table, merged.reset_index(drop=True), len(others), ""


__all__ = ["ReuseResult", "reuse"]
