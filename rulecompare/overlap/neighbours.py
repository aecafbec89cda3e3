"""Nearest neighbours: the agreements, articles or clauses most similar to others, exactly scored.

Why this module exists: "which agreements does TPP copy from?" and "where
else is NAFTA's expropriation article?" ask for the few most similar units
among thousands, which a full matrix answers too slowly at the clause level.

What :func:`top_neighbours` guarantees: exact scores, not a complete list.
The intersection is split into a part over rare shingles (a sparse product,
exact for every pair) and a part over the most frequent shingles (bitsets,
popcount), so every reported score is the pair's exact Jaccard; but only
pairs that share rare shingles are examined, so a better pair can be
missed (top-5 recall about 0.8 on the English articles).  For a complete
answer: :func:`neighbours` for one unit (the inverted index) and
:func:`.allpairs.exact_top_neighbours` for every unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import NotFoundError
from ..features import UnitSets
from ..store import Store
from .baseline import corpus_baseline
from .index import ShingleIndex, shingle_index
from .join import segment_sums, span_indices
from .kernels import bitsets, incidence, key_columns, popcount_and
from .neighbours_xl import cross_frame, language_map
from .pairsort import first_per_query, pair_order
from .units import Unit, meta_one, unit_columns


@dataclass(frozen=True)
class Neighbours:
    """Top-k pairs sorted by query, then score descending: rows of a :class:`UnitSets`."""

    query: np.ndarray
    target: np.ndarray
    intersection: np.ndarray
    score: np.ndarray
    """Exact Jaccard of the pair."""


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
    rounds: int = 4,
) -> Neighbours:
    """Top-k Jaccard neighbours of each query row among the rows of other groups; exact scores.

    ``group`` gives each row's agreement (a row never matches its own group);
    with ``before`` (an ordering key per row, NaN = unknown) only rows with a
    strictly smaller key qualify.  Pairs scoring 0 are dropped.

    What is guaranteed: every reported score is the pair's exact Jaccard
    (shared shingles = shared rare shingles, counted by a sparse product, plus
    shared frequent shingles, counted by popcount of bitsets), and each
    query's list is the best k of the pairs examined, best first (ties: lower
    target first).  What is not: that no better pair exists.  The pairs
    examined are (1) for each query, the ``candidates`` rows sharing the most
    shingles found in at most ``rare_df`` rows, and (2) when every row is a
    query, up to ``rounds`` rounds of the neighbours of its neighbours and of
    the rows it is a neighbour of (neighbourhoods are mostly transitive:
    copies of copies).  benchmarks/overlap.py measures the recall against
    brute force (top-5 of the 39,000 English articles: about 0.8).  For an
    exact and complete top-k of every unit use
    :func:`.allpairs.exact_top_neighbours` (slower: every pair is scored);
    of one unit, :meth:`.index.ShingleIndex.top_k`.
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
    is_rare = bit_of_col[cols] < 0
    rare = incidence(sets, cols, n_cols, is_rare)
    rare_t = rare.T.tocsr()
    keys = None if before is None else np.asarray(before, dtype=np.float64)

    def allowed(q: np.ndarray, t: np.ndarray) -> np.ndarray:
        ok: np.ndarray = group[q] != group[t]
        if keys is not None:
            ok &= keys[t] < keys[q]  # NaN compares False: unknown dates never qualify
        return ok

    found: list[tuple[np.ndarray, ...]] = []
    for lo in range(0, qrows.size, block):
        qb = qrows[lo : lo + block]
        prod = (rare[qb] @ rare_t).tocoo()
        q, t, irare = qb[prod.row], prod.col.astype(np.int64), prod.data.astype(np.int64)
        ok = allowed(q, t)
        q, t, irare = q[ok], t[ok], irare[ok]
        keep = first_per_query(q, t, irare, candidates)
        q, t, irare = q[keep], t[keep], irare[keep]
        inter = irare + popcount_and(bits, q, t)
        score = inter / (sizes[q] + sizes[t] - inter)
        # Refinement keeps twice as many per row: their neighbours are where the next candidates come from.
        keep = first_per_query(q, t, score, k if queries is not None else 2 * k)
        found.append((q[keep], t[keep], inter[keep], score[keep]))
    empty = np.zeros(0, dtype=np.int64)
    q, t, inter, score = (np.concatenate(p) for p in zip(*found, strict=True)) if found else (empty,) * 4
    if queries is None:
        rare_rows = _RareRows(rare)
        seen = np.unique(q * n + t)
        for _ in range(rounds):
            # The neighbours of each row's neighbours, and the rows that list it (both ways round).
            fwd_q, fwd_t = _expand(q, t, n)
            cand = np.unique(np.concatenate((fwd_q * n + fwd_t, t * n + q)))
            cand = cand[~np.isin(cand, seen, assume_unique=True)]
            cq, ct = np.divmod(cand, n)
            ok = allowed(cq, ct) & (cq != ct)
            cq, ct = cq[ok], ct[ok]
            if cq.size == 0:
                break
            seen = np.union1d(seen, cq * n + ct)
            ci = rare_rows.shared(cq, ct) + popcount_and(bits, cq, ct)
            cs = ci / (sizes[cq] + sizes[ct] - ci)
            q, t = np.concatenate((q, cq)), np.concatenate((t, ct))
            inter, score = np.concatenate((inter, ci)), np.concatenate((score, cs))
            keep = first_per_query(q, t, score, 2 * k)
            q, t, inter, score = q[keep], t[keep], inter[keep], score[keep]
            if not np.isin(cq * n + ct, q * n + t).any():
                break
        keep = first_per_query(q, t, score, k)
        q, t, inter, score = q[keep], t[keep], inter[keep], score[keep]
    order = pair_order(q, t, score)
    order = order[score[order] > 0]
    return Neighbours(q[order], t[order], inter[order], score[order])


def _expand(q: np.ndarray, t: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a, c) for every pair (a, b) and (b, c) of the lists."""
    order = np.argsort(q, kind="stable")
    qs, ts = q[order], t[order]
    start = np.searchsorted(qs, np.arange(n), side="left")
    stop = np.searchsorted(qs, np.arange(n), side="right")
    lengths = (stop - start)[t]
    idx = span_indices(start[t], stop[t])
    return np.repeat(q, lengths), ts[idx]


class _RareRows:
    """Shared rare shingles of any pairs of rows, from the rows' rare columns (bitmaps per block of rows)."""

    def __init__(self, rare: sp.csr_matrix) -> None:
        self.rare = rare
        cols = np.unique(rare.indices)
        self.col_of = np.full(rare.shape[1], -1, dtype=np.int64)
        self.col_of[cols] = np.arange(cols.size)
        self.words = max(1, -(-cols.size // 64))

    def shared(
        self, q: np.ndarray, t: np.ndarray, *, cells: int = 1 << 27, entries: int = 1 << 22
    ) -> np.ndarray:
        """Rare shingles shared by each pair (q[i], t[i]); pairs in runs of queries whose bitmaps hold at
        most ``cells`` bits and whose targets hold at most about ``entries`` rare shingles."""
        out = np.zeros(q.size, dtype=np.int64)
        indptr, indices = self.rare.indptr, self.col_of[self.rare.indices]
        lengths_all = np.diff(indptr)
        order = np.argsort(q, kind="stable")
        qs, ts = q[order], t[order]
        uq, first = np.unique(qs, return_index=True)
        per = max(1, cells // (64 * self.words))
        # Cut the queries where either the bitmap or the targets' shingles would grow too large.
        work = np.cumsum(lengths_all[ts])
        lo = 0
        while lo < uq.size:
            a = first[lo]
            hi = min(uq.size, lo + per)
            limit = (work[a - 1] if a else 0) + entries
            hi = max(lo + 1, min(hi, int(np.searchsorted(work[first], limit, side="right"))))
            rows = uq[lo:hi]
            b = first[hi] if hi < uq.size else qs.size
            bitmap = np.zeros(rows.size * self.words, dtype=np.uint64)
            own = indices[span_indices(indptr[rows], indptr[rows + 1])]
            owner = np.repeat(np.arange(rows.size, dtype=np.int64), lengths_all[rows])
            np.bitwise_or.at(
                bitmap, owner * self.words + (own >> 6), np.uint64(1) << (own & 63).astype(np.uint64)
            )
            theirs = indices[span_indices(indptr[ts[a:b]], indptr[ts[a:b] + 1])]
            lengths = lengths_all[ts[a:b]]
            local = np.repeat(np.searchsorted(rows, qs[a:b]), lengths)
            hit = (bitmap[local * self.words + (theirs >> 6)] >> (theirs & 63).astype(np.uint64)) & np.uint64(
                1
            )
            out[order[a:b]] = segment_sums(hit.astype(np.int64), lengths)
            lo = hi
        return out


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

    Scores are exact char-5 Jaccard, with the containment in both
    directions.  Agreements in the query's language come from the index
    below; those in other languages are compared through the English
    translation and calibrated onto the monolingual scale
    (:mod:`.neighbours_xl`; ``cross_lingual`` is True on their rows,
    ``raw_score`` is the score before calibration).  With ``monolingual``,
    or without the translator, they are left out (the reason is in
    ``attrs["cross_reason"]``).  With ``area`` only clauses of that policy
    area count.  The frame's ``attrs`` hold the corpus baseline at that
    level and ``n_cross``, the cross-lingual comparisons made.

    The answer comes from the store's inverted index (:mod:`.index`, built
    once per corpus state): exact and complete, it equals scoring every unit
    of the store and keeping the ``top`` best (ties broken by agreement id,
    then document order), while reading only the postings of the query's
    rarer shingles and the sets of a few candidates.
    """
    me = meta_one(store, agreement)
    level: Unit = "agreement" if article is None else "article"
    langs = language_map(store)
    with shingle_index(store, level, area=area) as index:
        same = np.array([langs.get(a) == me["language"] for a in index.agreements], dtype=bool)
        units, inter, q_size = _query(
            store, index, agreement, top=top, area=area, article=article, same=same[index.agreement]
        )
        sizes = index.sizes[units].astype(np.float64)
        ids = np.asarray(index.agreements, dtype=object)[index.agreement[units]]
        unit_keys = index.unit_key[units]
    frame = pd.DataFrame({"agreement_id": ids, "score": inter / (q_size + sizes - inter)})
    frame["contained_in"] = inter / q_size
    names = store.agreements(sorted(set(ids))).set_index("id") if len(ids) else pd.DataFrame()
    frame["name"] = frame["agreement_id"].map(names["name"]) if len(ids) else []
    if article is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["contains"] = inter / sizes
        frame["date_signed"] = frame["agreement_id"].map(names["date_signed"]) if len(ids) else []
        cols = ["agreement_id", "name", "date_signed", "score", "contained_in", "contains"]
    else:
        frame["article_index"] = unit_keys
        info = store.clauses(
            sorted(set(ids)), area=area, columns=["agreement_id", *unit_columns("article")]
        ).drop_duplicates(["agreement_id", "article_index"])
        frame = frame.merge(info, on=["agreement_id", "article_index"], how="left")
        cols = ["agreement_id", "name", "article_number", "article_title", "score", "contained_in"]
    frame = frame.assign(cross_lingual=False, raw_score=frame["score"])
    cols += ["cross_lingual", "raw_score"]
    cross, n_cross, reason = cross_frame(
        store, agreement, langs, level=level, area=area, article=article, monolingual=monolingual
    )
    if not cross.empty:
        frame = pd.concat([frame, cross.reindex(columns=frame.columns)], ignore_index=True)
    # calibration ties the closest cross-lingual scores at 1: the raw score breaks the tie
    frame = frame.sort_values(
        ["score", "raw_score", "agreement_id"], ascending=[False, False, True], kind="stable"
    ).head(top)
    frame = frame[cols].reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    baseline, scope = corpus_baseline(store, level=level, area=area, language=str(me["language"]))
    frame.attrs.update(
        baseline=baseline, baseline_scope=scope, query=agreement, article=article, area=area,
        n_cross=n_cross, cross_reason=reason,
    )  # fmt: skip
    return frame


def _query(
    store: Store,
    index: ShingleIndex,
    agreement: str,
    *,
    top: int,
    area: str | None,
    article: str | None,
    same: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int]:
    """The units of the top answer (with zero-score fill) and their intersections, and the query's size."""
    try:
        code = index.agreements.index(agreement)
    except ValueError:
        raise NotFoundError(f"{agreement} has no text{f' in area {area}' if area else ''}") from None
    mine = index.agreement == code
    if article is None:
        rows = np.flatnonzero(mine)
    else:
        wanted = store.clauses([agreement], article=article, columns=["article_index"])["article_index"]
        if wanted.empty:
            raise NotFoundError(f"{agreement} has no article '{article}'")
        # An article number used twice (e.g. in an annex) counts as one unit: the union of both.
        rows = np.flatnonzero(mine & np.isin(index.unit_key, wanted.unique()))
    q = index.unit_ids(rows)
    if q.size == 0:
        what = f"article '{article}'" if article is not None else "text"
        raise NotFoundError(f"{agreement} has no {what}{f' in area {area}' if area else ''}")
    eligible = ~mine & same  # other languages: through translations (cross_frame)
    found = index.top_k(q, top, eligible)
    units, inter = _with_zero_scores(found.units, found.inter, eligible, top)
    return units, inter, int(q.size)


def _with_zero_scores(
    units: np.ndarray, inter: np.ndarray, eligible: np.ndarray, top: int
) -> tuple[np.ndarray, np.ndarray]:
    """``units`` (ascending) with, when fewer than ``top``, the first eligible units sharing nothing.

    Scoring every unit and sorting by score then unit order would list those next, with score 0.
    """
    if units.size >= top:
        return units, inter
    spare = np.flatnonzero(eligible)
    spare = spare[~np.isin(spare, units)][: top - units.size]
    both = np.concatenate((units, spare))
    order = np.argsort(both, kind="stable")
    return both[order], np.concatenate((inter, np.zeros(spare.size, dtype=np.int64)))[order]


__all__ = ["Neighbours", "neighbours", "top_neighbours"]
