"""Nearest neighbours: the agreements, articles or clauses most similar to others, exactly scored.

Why this module exists: "which agreements does TPP copy from?" and "where
else is NAFTA's expropriation article?" ask for the few most similar units
among thousands, which a full matrix answers too slowly at the clause level.

How :func:`top_neighbours` stays exact: the intersection is split into a part
over rare shingles (a sparse product, exact for every pair) and a part over
the most frequent shingles (bitsets, popcount).  Every pair sharing a rare
shingle among the candidates is scored exactly (rare part plus popcount of
the frequent part), so every reported score is the exact Jaccard.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import NotFoundError
from ..features import UnitSets
from ..store import Store
from ..translate import needs_translation
from .baseline import corpus_baseline
from .crosslingual import TARGET, cross_lingual, view_unit_sets
from .kernels import bitsets, incidence, intersections, key_columns, popcount_and
from .mixed import calibrated, view_rows
from .units import Unit, meta_one, unit_columns, unit_sets, units_for


@dataclass(frozen=True)
class Neighbours:
    """Top-k pairs sorted by query, then score descending: rows of a :class:`UnitSets`."""

    query: np.ndarray
    target: np.ndarray
    intersection: np.ndarray
    score: np.ndarray
    """Exact Jaccard of the pair."""


def _first_per_query(q: np.ndarray, t: np.ndarray, key: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k pairs of each query with the largest ``key`` (ties: lower target first)."""
    if q.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((t, -key, q))
    qs = q[order]
    first = np.concatenate(([True], qs[1:] != qs[:-1]))
    start = np.maximum.accumulate(np.where(first, np.arange(qs.size), 0))
    return order[(np.arange(qs.size) - start) < k]


def top_neighbours(
    sets: UnitSets,
    *,
    k: int,
    group: np.ndarray,
    queries: np.ndarray | None = None,
    before: np.ndarray | None = None,
    rare_df: int = 200,
    candidates: int = 64,
    block: int = 1024,
) -> Neighbours:
    """Top-k Jaccard neighbours of each query row among the rows of other groups; exact scores.

    ``group`` gives each row's agreement (a row never matches its own group);
    with ``before`` (an ordering key per row, NaN = unknown) only rows with a
    strictly smaller key qualify.

    Candidates: the ``candidates`` targets sharing the most shingles found in
    at most ``rare_df`` rows (a sparse product over those shingles).  Each
    candidate is then scored exactly: rare overlap from the product plus the
    overlap of the frequent shingles by popcount of bitsets.  Every reported
    score is the exact Jaccard; the neighbour set is what the candidate step
    found, which misses a true neighbour only when more than ``candidates``
    other targets share more rare shingles with the query (the benchmark
    measures that recall against brute force).  Pairs scoring 0 are dropped.
    """
    n = len(sets)
    qrows = np.arange(n) if queries is None else np.asarray(queries, dtype=np.int64)
    sizes = sets.sizes.astype(np.int64)
    cols, n_cols = key_columns(sets)
    df = np.bincount(cols, minlength=n_cols)
    freq = np.flatnonzero(df > rare_df)
    words = max(1, -(-freq.size // 64))
    bit_of_col = np.full(n_cols, -1, dtype=np.int32)
    bit_of_col[freq] = np.arange(freq.size, dtype=np.int32)
    bits = bitsets(sets, cols, bit_of_col, words)
    rare = incidence(sets, cols, n_cols, bit_of_col[cols] < 0)
    rare_t = rare.T.tocsr()
    keys = None if before is None else np.asarray(before, dtype=np.float64)
    found: list[tuple[np.ndarray, ...]] = []
    for lo in range(0, qrows.size, block):
        qb = qrows[lo : lo + block]
        prod = (rare[qb] @ rare_t).tocoo()
        q, t, irare = qb[prod.row], prod.col.astype(np.int64), prod.data.astype(np.int64)
        ok = group[q] != group[t]
        if keys is not None:
            ok &= keys[t] < keys[q]  # NaN compares False: unknown dates never qualify
        q, t, irare = q[ok], t[ok], irare[ok]
        keep = _first_per_query(q, t, irare, candidates)
        q, t, irare = q[keep], t[keep], irare[keep]
        inter = irare + popcount_and(bits, q, t)
        score = inter / (sizes[q] + sizes[t] - inter)
        keep = _first_per_query(q, t, score, k)
        found.append((q[keep], t[keep], inter[keep], score[keep]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return Neighbours(empty, empty, empty, np.zeros(0))
    q, t, inter, score = (np.concatenate(p) for p in zip(*found, strict=True))
    order = np.lexsort((t, -score, q))
    order = order[score[order] > 0]
    return Neighbours(q[order], t[order], inter[order], score[order])


def neighbours(
    store: Store,
    agreement: str,
    *,
    top: int = 10,
    area: str | None = None,
    article: str | None = None,
    monolingual: bool = False,
) -> pd.DataFrame:
    """The agreements (or, with ``article``, the articles of other agreements) most similar to one.

    Scores are exact char-5 Jaccard over the whole store, with the
    containment in both directions.  Agreements in another language than the
    query's are compared through the English translation and calibrated onto
    the monolingual scale (``cross_lingual`` is True on their rows); with
    ``monolingual``, or without the translator, they are left out (the
    reason is in ``attrs["cross_reason"]``).  ``raw_score`` is the Jaccard
    before calibration (the same as ``score`` within one language).  With ``area`` only clauses of
    that policy area count.  The frame's ``attrs`` hold the corpus baseline
    at that level and ``n_cross``, the cross-lingual comparisons made.
    """
    me = meta_one(store, agreement)
    meta = store.agreements(area=area)
    langs = dict(zip(meta["id"].astype(str), meta["language"].astype(str), strict=True))
    level: Unit = "agreement" if article is None else "article"
    if article is None:
        clauses, units, sets = units_for(store, meta["id"].tolist(), "agreement", area)
        qrows = np.flatnonzero(units["agreement_id"].to_numpy() == agreement)
        if qrows.size == 0:
            raise NotFoundError(f"{agreement} has no text{f' in area {area}' if area else ''}")
        frame = units[["agreement_id"]].copy()
        names = meta.set_index("id")
        frame["name"] = frame["agreement_id"].map(names["name"])
        frame["date_signed"] = frame["agreement_id"].map(names["date_signed"])
        cols = ["agreement_id", "name", "date_signed", "score", "contained_in", "contains", "cross_lingual",
                "raw_score"]  # fmt: skip
    else:
        clauses = store.clauses(
            meta["id"].tolist(),
            area=area,
            columns=["agreement_id", "area", "text", *unit_columns("article")],
        )
        units, sets = unit_sets(store, clauses, "article", area=area)
        wanted = store.clauses([agreement], article=article, columns=["article_index"])[
            "article_index"
        ].unique()
        if wanted.size == 0:
            raise NotFoundError(f"{agreement} has no article '{article}'")
        qrows = np.flatnonzero(
            (units["agreement_id"] == agreement).to_numpy() & units["article_index"].isin(wanted).to_numpy()
        )
        info = clauses.drop_duplicates(["agreement_id", "article_index"]).reset_index(drop=True)
        frame = info[["agreement_id", "article_index", "article_number", "article_title"]].copy()
        frame["name"] = frame["agreement_id"].map(meta.set_index("id")["name"])
        cols = ["agreement_id", "name", "article_number", "article_title", "score", "contained_in",
                "contains", "cross_lingual", "raw_score"]  # fmt: skip
    # an article number used twice (e.g. in an annex) counts as one
    scores = _scores(sets.take(qrows).union(), sets)
    scores["raw_score"] = scores["score"].copy()
    cross = (units["agreement_id"].map(langs) != str(me["language"])).to_numpy()
    reason = ""
    if cross.any():
        reason = _cross_scores(
            store, clauses, units, level, area, langs, qrows, np.flatnonzero(cross), scores, monolingual
        )
    for name, values in scores.items():
        frame[name] = values
    frame["cross_lingual"] = cross
    frame = frame[frame["agreement_id"] != agreement]
    if reason:
        frame = frame[~frame["cross_lingual"]]
    n_cross = int(frame["cross_lingual"].sum())
    # calibration ties the closest cross-lingual scores at 1: the raw score breaks the tie
    frame = frame.sort_values(["score", "raw_score", "agreement_id"], ascending=[False, False, True]).head(
        top
    )
    frame = frame[cols].reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    baseline, scope = corpus_baseline(store, level=level, area=area, language=str(me["language"]))
    frame.attrs.update(
        baseline=baseline, baseline_scope=scope, query=agreement, article=article, area=area,
        n_cross=n_cross, cross_reason=reason,
    )  # fmt: skip
    return frame


def _scores(q: UnitSets, sets: UnitSets) -> dict[str, np.ndarray]:
    """Jaccard of one query row with every row, and the containment both ways."""
    inter = intersections(q, sets)[0]
    qsize = float(max(int(q.sizes[0]), 1))
    sizes = sets.sizes.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.nan_to_num(inter / (q.sizes[0] + sizes - inter))
        contains = np.nan_to_num(inter / sizes)
    return {"score": jac, "contained_in": inter / qsize, "contains": contains}


def _cross_scores(
    store: Store,
    clauses: pd.DataFrame,
    units: pd.DataFrame,
    level: Unit,
    area: str | None,
    langs: dict[str, str],
    qrows: np.ndarray,
    trows: np.ndarray,
    scores: dict[str, np.ndarray],
    monolingual: bool,
) -> str:
    """Replace the scores of rows ``trows`` (other languages) by calibrated cross-lingual ones.

    Returns the reason they could not be made (empty when they were).
    """
    query_id = str(units["agreement_id"].iloc[int(qrows[0])])
    ids = list(dict.fromkeys([query_id, *units["agreement_id"].iloc[trows].astype(str)]))
    xl, why = cross_lingual(store, ids, monolingual=monolingual)
    if xl is None:
        return why or "same-language comparisons only (--monolingual)"
    if not all(xl.calibration.has(level, m) for m in ("jaccard", "containment", "contained")):
        return f"no cross-lingual calibration at {level} level (docs/METHODS.md 5)"
    sub = clauses[clauses["agreement_id"].isin(ids)].reset_index(drop=True)
    vu, vs = view_unit_sets(store, sub, level, area=area, xl=xl, languages=langs)
    q = vs.take(view_rows(units.iloc[qrows], vu, level)).union()
    raw = _scores(q, vs.take(view_rows(units.iloc[trows], vu, level)))
    q_translated = needs_translation(langs.get(query_id, TARGET))
    t_translated = units["agreement_id"].iloc[trows].map(lambda a: needs_translation(langs.get(a, TARGET)))
    t_tr = t_translated.to_numpy(dtype=bool)
    scores["raw_score"][trows] = raw["score"]
    scores["score"][trows] = calibrated(xl, level, "jaccard", raw["score"], t_tr)
    # contained_in: the query's share found in the target; contains: the target's share in the query
    scores["contained_in"][trows] = calibrated(
        xl, level, "containment", raw["contained_in"], np.full(trows.size, q_translated)
    )
    scores["contains"][trows] = calibrated(xl, level, "containment", raw["contains"], t_tr)
    return ""


__all__ = ["Neighbours", "neighbours", "top_neighbours"]
