"""A fast candidate search for the best ``k`` units of many queries at once (not complete).

Each query reads the postings of its rarest keys up to a budget, and the
units met most often are verified exactly.  It finds what shares rare keys
with the query and may miss a unit whose overlap is all in common keys: the
result says which queries were read in full.  :func:`.join.top_k_join` is
the exact search; this one serves where speed matters more than the last
candidates (a clause's earlier sources in ``reuse``).
"""

from __future__ import annotations

import numpy as np

from .join import _READ, JoinResult, Searchable, rank_in_group, rank_of_keys, segment_sums, span_indices

__all__ = ["candidate_top_k"]


def candidate_top_k(
    index: Searchable,
    qptr: np.ndarray,
    qids: np.ndarray,
    qsize: np.ndarray,
    k: int,
    *,
    eligible: np.ndarray | None = None,
    rank: np.ndarray | None = None,
    budget: int = 2048,
    verify: int = 32,
) -> JoinResult:
    """The best ``k`` of a few candidates per query, exactly scored: fast, not complete.

    Each query reads its rarest keys until ``budget`` postings (at least one
    key); the ``verify`` eligible units met most often are scored exactly
    (their whole sets against the query's), and the best ``k`` kept (Jaccard
    descending, then unit).  Candidates are ranked by the Jaccard their shared
    rarest keys alone would give, so that long units do not crowd out close
    ones.  A unit sharing none of those rarest keys is never found: near
    copies share them almost always, boilerplate neighbours often do not.
    ``exact`` is True only for queries whose every key was read.
    """
    n_q = qptr.size - 1
    rank = rank_of_keys(index.ptr) if rank is None else rank
    parts: list[JoinResult] = []
    # Blocks of queries reading at most about _READ postings each: memory stays that of one block.
    lengths = np.diff(qptr)
    per_query = np.minimum(lengths * budget, budget * 64)
    cut = np.searchsorted(np.cumsum(per_query), np.arange(_READ, int(per_query.sum()) + _READ, _READ))
    bounds = np.unique(np.concatenate(([0], np.minimum(cut + 1, n_q), [n_q])))
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        r = _candidate_block(
            index, qptr[lo : hi + 1] - qptr[lo], qids[qptr[lo] : qptr[hi]], qsize[lo:hi], k,
            eligible=eligible, rank=rank, budget=budget, verify=verify,
        )  # fmt: skip
        parts.append(JoinResult(r.query + lo, r.unit, r.inter, r.score, r.exact, r.postings_read, r.verified))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return JoinResult(empty, empty, empty, np.zeros(0), np.ones(0, dtype=bool), 0, 0)
    return JoinResult(
        np.concatenate([p.query for p in parts]), np.concatenate([p.unit for p in parts]),
        np.concatenate([p.inter for p in parts]), np.concatenate([p.score for p in parts]),
        np.concatenate([p.exact for p in parts]), sum(p.postings_read for p in parts),
        sum(p.verified for p in parts),
    )  # fmt: skip


def _candidate_block(
    index: Searchable,
    qptr: np.ndarray,
    qids: np.ndarray,
    qsize: np.ndarray,
    k: int,
    *,
    eligible: np.ndarray | None = None,
    rank: np.ndarray | None = None,
    budget: int = 2048,
    verify: int = 32,
) -> JoinResult:
    """:func:`candidate_top_k` for one block of queries."""
    n_q = qptr.size - 1
    n = int(index.fwd_ptr.size - 1)
    rank = rank_of_keys(index.ptr) if rank is None else rank
    lengths = np.diff(qptr).astype(np.int64)
    owner = np.repeat(np.arange(n_q, dtype=np.int64), lengths)
    order = np.lexsort((rank[qids], owner))
    keys = qids[order].astype(np.int64)
    df = index.ptr[keys + 1] - index.ptr[keys]
    cum = np.cumsum(df)
    before = cum - df - np.repeat(np.concatenate(([0], cum))[qptr[:-1]], lengths)
    first = np.zeros(keys.size, dtype=bool)
    first[qptr[:-1][lengths > 0]] = True
    take = (before < budget) | first
    tk, tq = keys[take], owner[take]
    ukeys, inv = np.unique(tk, return_inverse=True)
    starts, stops = index.ptr[ukeys], index.ptr[ukeys + 1]
    units = index.postings.gather(starts, stops).astype(np.int64)
    offs = np.concatenate(([0], np.cumsum(stops - starts)))
    at = span_indices(offs[inv], offs[inv + 1])
    q = np.repeat(tq, (stops - starts)[inv])
    u = units[at]
    if eligible is not None:
        ok = eligible[u]
        q, u = q[ok], u[ok]
    cells, hits = np.unique(q * n + u, return_counts=True)
    q, u = np.divmod(cells, n)
    # Ranked by the Jaccard the rare keys alone give: counts alone would favour the longest units.
    proxy = hits / (qsize[q] + index.sizes[u] - hits)
    order = np.lexsort((u, -proxy, q))
    pick = order[rank_in_group(q[order]) < max(k, verify)]
    q, u = q[pick], u[pick]
    inter = _verify_with_bitmaps(index, qptr, qids, q, u)
    score = inter / (qsize[q] + index.sizes[u] - inter)
    order = np.lexsort((u, -score, q))
    order = order[(rank_in_group(q[order]) < k) & (inter[order] > 0)]
    read_all = np.zeros(n_q, dtype=bool)
    np.logical_and.at(read_all, owner, take)
    read_all |= lengths == 0
    return JoinResult(q[order], u[order], inter[order], score[order], read_all, int(at.size), int(pick.size))


def _verify_with_bitmaps(
    index: Searchable,
    qptr: np.ndarray,
    qids: np.ndarray,
    q: np.ndarray,
    u: np.ndarray,
    *,
    cells: int = 1 << 27,
) -> np.ndarray:
    """|query q[i] ∩ unit u[i]|: the unit's key ids looked up in a bitmap of the query's (query blocks)."""
    out = np.zeros(q.size, dtype=np.int64)
    words = max(1, -(-index.vocab_size // 64))
    per = max(1, cells // (64 * words))
    order = np.argsort(q, kind="stable")
    qs, us = q[order], u[order]
    n_q = qptr.size - 1
    for lo in range(0, n_q, per):
        hi = min(n_q, lo + per)
        a, b = np.searchsorted(qs, [lo, hi])
        if a == b:
            continue
        own = qids[qptr[lo] : qptr[hi]].astype(np.int64)
        owner = np.repeat(np.arange(hi - lo, dtype=np.int64), np.diff(qptr[lo : hi + 1]))
        bits = np.zeros((hi - lo) * words, dtype=np.uint64)
        np.bitwise_or.at(bits, owner * words + (own >> 6), np.uint64(1) << (own & 63).astype(np.uint64))
        starts, stops = index.fwd_ptr[us[a:b]], index.fwd_ptr[us[a:b] + 1]
        ids = index.fwd.gather(starts, stops).astype(np.int64)
        local = np.repeat(qs[a:b] - lo, stops - starts)
        hit = (bits[local * words + (ids >> 6)] >> (ids & 63).astype(np.uint64)) & np.uint64(1)
        out[order[a:b]] = segment_sums(hit.astype(np.int64), stops - starts)
    return out
