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
from .baseline import corpus_baseline
from .kernels import bitsets, incidence, intersections, key_columns, popcount_and
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
) -> pd.DataFrame:
    """The agreements (or, with ``article``, the articles of other agreements) most similar to one.

    Scores are exact char-5 Jaccard over the whole store (all languages;
    agreements in another language simply score near 0), with the containment
    in both directions.  With ``area`` only clauses of that policy area count.
    The frame's ``attrs["baseline"]`` holds the corpus baseline at that level.
    """
    me = meta_one(store, agreement)
    meta = store.agreements(area=area)
    if article is None:
        _, units, sets = units_for(store, meta["id"].tolist(), "agreement", area)
        ids = units["agreement_id"].to_numpy()
        hit = np.flatnonzero(ids == agreement)
        if hit.size == 0:
            raise NotFoundError(f"{agreement} has no text{f' in area {area}' if area else ''}")
        q = sets.take(hit)
        inter = intersections(q, sets)[0]
        sizes = sets.sizes.astype(np.float64)
        jac = inter / (q.sizes[0] + sizes - inter)
        frame = pd.DataFrame(
            {"agreement_id": ids, "score": jac, "contained_in": inter / q.sizes[0], "contains": inter / sizes}
        )
        frame = frame[frame["agreement_id"] != agreement]
        names = meta.set_index("id")
        frame["name"] = frame["agreement_id"].map(names["name"])
        frame["date_signed"] = frame["agreement_id"].map(names["date_signed"])
        cols = ["agreement_id", "name", "date_signed", "score", "contained_in", "contains"]
        level: Unit = "agreement"
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
        info = clauses.drop_duplicates(["agreement_id", "article_index"]).reset_index(drop=True)
        qrows = np.flatnonzero(
            (units["agreement_id"] == agreement).to_numpy() & units["article_index"].isin(wanted).to_numpy()
        )
        q = sets.take(qrows).union()  # an article number used twice (e.g. in an annex) counts as one
        inter = intersections(q, sets)[0]
        qsize = int(q.sizes[0])
        sizes = sets.sizes.astype(np.float64)
        jac = inter / (qsize + sizes - inter)
        frame = info[["agreement_id", "article_index", "article_number", "article_title"]].copy()
        frame["score"] = jac
        frame["contained_in"] = inter / max(qsize, 1)
        frame = frame[frame["agreement_id"] != agreement]
        frame["name"] = frame["agreement_id"].map(meta.set_index("id")["name"])
        cols = ["agreement_id", "name", "article_number", "article_title", "score", "contained_in"]
        level = "article"
    frame = frame.sort_values(["score", "agreement_id"], ascending=[False, True]).head(top)
    frame = frame[cols].reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    baseline, scope = corpus_baseline(store, level=level, area=area, language=str(me["language"]))
    frame.attrs.update(baseline=baseline, baseline_scope=scope, query=agreement, article=article, area=area)
    return frame


__all__ = ["Neighbours", "neighbours", "top_neighbours"]
