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
from ..features import WordRuns
from ..store import Store
from .baseline import corpus_baseline
from .candidates import candidate_top_k
from .crosslingual import cross_lingual
from .index import ShingleIndex, shingle_index
from .reusexl import cross_reuse
from .units import agreement_runs, meta_one

CLAUSE_BUDGET = 4096
"""Postings of its rarest shingles each clause reads for candidates (:func:`.candidates.candidate_top_k`)."""
CLAUSE_VERIFY = 16
"""Candidates each clause scores exactly (benchmarks/overlap.py measures what they find)."""


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

    Earlier means a strictly earlier ``date_signed``, same language;
    agreements without a date are never sources.  Clause scores are exact
    char-5 Jaccard; each clause's source is the best of the earlier clauses
    met by its rarest shingles (:data:`CLAUSE_BUDGET` postings in the store's
    clause index, the :data:`CLAUSE_VERIFY` closest scored exactly; among
    equal scores the first in store order).  That finds the best source of
    nearly every copied clause (on TPP: all of those scoring 0.8 or more,
    97% of those scoring 0.5 or more, measured against scoring every earlier
    clause) but is not complete; :meth:`.index.ShingleIndex.top_k` is, for
    one clause.  The copied shares are exact word 6-gram coverage, looked up
    in the store's index of every agreement's word runs.

    Earlier agreements in other languages are compared through English
    translations, their scores calibrated (:mod:`.reusexl`; ``cross_lingual``
    marks them); ``copied_share`` (the whole agreement's) is over the
    same-language sources only, NaN when there is none.  With
    ``monolingual``, or without the translator, only the same language counts.
    """
    me = meta_one(store, agreement)
    if not me["date_signed"]:
        raise RulecompareError(f"{agreement} has no date of signature, so nothing is known to be earlier")
    meta = store.agreements(language=str(me["language"]))
    dated = meta[meta["date_signed"].notna() & (meta["date_signed"] != "")]
    earlier = dated[dated["date_signed"] < me["date_signed"]]["id"].tolist()
    names = meta.set_index("id")["name"]
    cols = ["id", "ord", "article_number", "article_title", "paragraph"]
    table = store.clauses([agreement], columns=cols).rename(columns={"id": "clause"})
    with shingle_index(store, "clause") as index:
        source, score = _best_earlier_clauses(index, agreement, earlier, table["ord"].to_numpy())
        src_agreement = np.asarray(index.agreements, dtype=object)[index.agreement[source.clip(0)]]
        src_ord = index.unit_key[source.clip(0)]
    found = score > 0
    table["source"] = np.where(found, src_agreement, None)
    ids_of = _clause_ids(store, sorted(set(src_agreement[found])))
    table["source_clause"] = [
        ids_of.get((a, int(o))) if ok else None
        for a, o, ok in zip(src_agreement, src_ord, found, strict=True)
    ]
    table["score"] = score
    table["source_name"] = table["source"].map(names)
    table = table.drop(columns=["ord"])
    target = agreement_runs(store, [agreement])[0]
    with shingle_index(store, "agreement", feature="word6") as runs_index:
        with_text = set(store.clause_counts(earlier)["agreement_id"]) if earlier else set()
        sources = [a for a in earlier if a in with_text and a in set(runs_index.agreements)]
        shares, total = copied_by_source(target, runs_index, sources)
    src = pd.DataFrame({"agreement_id": sources, "copied_share": shares})
    src["name"] = src["agreement_id"].map(names)
    src["date_signed"] = src["agreement_id"].map(meta.set_index("id")["date_signed"])
    src["best_clauses"] = src["agreement_id"].map(table["source"].value_counts()).fillna(0).astype(int)
    src = (
        src.sort_values(["copied_share", "agreement_id"], ascending=[False, True], kind="stable")
        .head(top)
        .reset_index(drop=True)
    )
    if not sources:
        total = float("nan")  # no earlier agreement in its language: the share is unknown, not 0
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
        cross_lingual=True,
    )
    merged = pd.concat([src, shares.reindex(columns=src.columns)], ignore_index=True)
    merged["best_clauses"] = merged["agreement_id"].map(table["source"].value_counts()).fillna(0).astype(int)
    merged = merged.sort_values(["copied_share", "agreement_id"], ascending=[False, True]).head(top)
    return table, merged.reset_index(drop=True), len(others), ""


def _best_earlier_clauses(
    index: ShingleIndex, agreement: str, earlier: list[str], ords: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each clause of ``agreement`` (by order), its best clause of an earlier agreement and the score.

    Unit -1 and score 0 where no earlier clause shares a shingle.
    """
    code = {a: i for i, a in enumerate(index.agreements)}
    ok = np.zeros(len(index.agreements), dtype=bool)
    ok[[code[a] for a in earlier if a in code]] = True
    eligible = ok[index.agreement]
    source = np.full(ords.size, -1, dtype=np.int64)
    score = np.zeros(ords.size)
    if agreement not in code:
        return source, score
    rows = np.flatnonzero(index.agreement == code[agreement])
    at = pd.Index(index.unit_key[rows]).get_indexer(ords)
    queries = rows[at[at >= 0]]
    qptr = index.fwd_ptr[queries]
    lengths = index.fwd_ptr[queries + 1] - qptr
    qids = index.fwd.gather(qptr, qptr + lengths).astype(np.int64)
    qptr = np.concatenate(([0], np.cumsum(lengths)))
    found = candidate_top_k(
        index,
        qptr,
        qids,
        lengths,
        1,
        eligible=eligible,
        rank=index.rank,
        budget=CLAUSE_BUDGET,
        verify=CLAUSE_VERIFY,
    )
    where = np.flatnonzero(at >= 0)[found.query]
    source[where], score[where] = found.unit, found.score
    return source, score


def _clause_ids(store: Store, agreements: list[str]) -> dict[tuple[str, int], str]:
    """Clause id by (agreement, order), for the clauses of ``agreements``."""
    if not agreements:
        return {}
    df = store.clauses(agreements, columns=["agreement_id", "ord", "id"])
    return dict(zip(zip(df["agreement_id"], df["ord"].astype(int), strict=True), df["id"], strict=True))


def copied_by_source(
    target: WordRuns, index: ShingleIndex, sources: list[str], *, chunk: int = 1 << 16
) -> tuple[np.ndarray, float]:
    """Copied share of ``target`` from each of ``sources`` and from all of them together.

    ``index`` is the word 6-gram index (:func:`.index.shingle_index` with
    ``feature="word6"``).  Each window of the target is looked up once; the
    words covered per source are the union of its matching windows, counted
    window by window in text order (chunks of ``chunk`` windows, linked at
    their edges), which equals :func:`~rulecompare.features.copied_share_runs`
    of the target against each source's keys.
    """
    n_codes = len(index.agreements)
    code = {a: i for i, a in enumerate(index.agreements)}
    slot = np.full(n_codes, -1, dtype=np.int64)
    slot[[code[a] for a in sources]] = np.arange(len(sources))
    covered = np.zeros(len(sources), dtype=np.int64)
    last = np.full(len(sources), -1, dtype=np.int64)
    present = np.zeros(target.keys.size, dtype=bool)
    if target.n_words == 0 or not sources:
        return np.zeros(len(sources)), 0.0
    uniq, inverse = np.unique(target.keys, return_inverse=True)
    pos = np.searchsorted(index.vocab, uniq)
    pos[pos == index.vocab.size] = 0
    known = index.vocab[pos] == uniq if index.vocab.size else np.zeros(uniq.size, dtype=bool)
    n = target.n
    for lo in range(0, target.keys.size, chunk):
        w = np.arange(lo, min(lo + chunk, target.keys.size))
        w = w[known[inverse[w]]]
        kid = pos[inverse[w]]
        starts, stops = index.ptr[kid], index.ptr[kid + 1]
        agreements = index.postings.gather(starts, stops)
        win = np.repeat(w, stops - starts)
        s = slot[agreements]
        win, s = win[s >= 0], s[s >= 0]
        present[win] = True
        if win.size == 0:
            continue
        order = np.lexsort((win, s))  # by source, then text order
        win, s = win[order], s[order]
        begin = target.starts[win]
        head = np.concatenate(([True], s[1:] != s[:-1]))
        gaps = np.full(win.size, n, dtype=np.int64)
        gaps[:-1] = np.where(head[1:], n, np.minimum(np.diff(begin), n))
        # A source's first window here may follow its last window of the chunk before.
        first = np.flatnonzero(head)
        prev = last[s[first]]
        linked = prev >= 0
        covered[s[first][linked]] += np.minimum(begin[first][linked] - prev[linked], n) - n
        np.add.at(covered, s, gaps)
        tail = np.concatenate((first[1:] - 1, [win.size - 1]))
        last[s[tail]] = begin[tail]
    return covered / target.n_words, target.covered(present) / target.n_words


__all__ = ["ReuseResult", "copied_by_source", "reuse"]
