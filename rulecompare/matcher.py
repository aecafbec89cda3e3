"""Overlap of agreements at every level: matrices, neighbours, clause alignment and reuse.

Why this module exists: it turns the shingle sets of :mod:`rulecompare.features`
into the answers users ask for, exactly and fast enough to recompute the
whole corpus while they watch.  The CLI and the TUI only format what these
functions return.

How the exact scores are computed:

- Matrices: the units' key sets become a binary sparse incidence matrix
  (units x distinct shingles, one ``pd.factorize`` over all keys).  The
  intersection counts are ``X @ X.T``, split by shingle frequency: shingles
  found in few units go through a scipy sparse product, shingles found in
  many units through a dense float32 matrix product (BLAS), which is exact
  for counts below 2**24.  Jaccard = I / (|A| + |B| - I); containment of A in
  B = I / |A|.
- Top-k neighbours of many units (:func:`top_neighbours`): the intersection
  is split into a part over rare shingles (sparse product, exact for every
  pair) and a part over the most frequent shingles (bitsets, popcount).  Every
  pair sharing a rare shingle is scored exactly.  A pair sharing no rare
  shingle has at most as many shingles in common as the query has frequent
  ones, so its Jaccard is at most ``F_q / |q|``; a query whose k-th exact
  score is at least that bound is certified, and every other query is
  finished by scoring each remaining target whose own bound
  ``m / (|q| + |t| - m)`` (m = min of their frequent counts) could beat the
  k-th score.  The reported top-k scores are therefore exact and complete
  (ties at the k-th score are broken by position).
- Copied share: word 6-gram windows of A looked up in B's set of 6-grams;
  covered words are the union of the matching windows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import NotFoundError, RulecompareError
from .features import UnitSets, WordRuns, copied_share_runs, normalize, unit_sets
from .store import Store

Level = Literal["agreement", "chapter", "area"]
Measure = Literal["jaccard", "containment", "copied"]

MAX_MATRIX_UNITS = 6000
"""A larger square matrix would not fit in memory comfortably; narrow the selection instead."""
BASELINE_SAMPLE = 424
"""Units sampled (with a fixed seed) for the corpus baseline when a level has more."""
_DENSE_SHARE = 0.08  # a shingle in more than this share of units is cheaper in the dense product
_BLOCK_BYTES = 64 << 20


# -- intersection counts -------------------------------------------------------------


def _columns(sets: UnitSets) -> tuple[np.ndarray, int]:
    """Dense column ids (int32) of all keys, and the number of distinct keys."""
    cols, uniq = pd.factorize(sets.keys)
    return cols.astype(np.int32), len(uniq)


def _csr(sets: UnitSets, cols: np.ndarray, n_cols: int, keep: np.ndarray | None = None) -> sp.csr_matrix:
    """Binary units x columns matrix built straight from the CSR layout of ``sets``."""
    if keep is None:
        indptr, indices = sets.indptr, cols
    else:
        running = np.concatenate(([0], np.cumsum(keep, dtype=np.int32)))
        indptr = running[sets.indptr].astype(np.int64)
        indices = cols[keep]
    data = np.ones(indices.size, dtype=np.int32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(sets), n_cols))


def intersections(sets: UnitSets, other: UnitSets | None = None) -> np.ndarray:
    """Pairwise intersection sizes |A ∩ B| (int64): rows of ``sets`` x rows of ``other`` (or of ``sets``)."""
    both = sets if other is None else UnitSets.concat([sets, other])
    n_a = len(sets)
    n = len(both)
    cols, n_cols = _columns(both)
    n_b = n if other is None else n - n_a
    if cols.size == 0:
        return np.zeros((n_a, n_b), dtype=np.int64)
    df = np.bincount(cols, minlength=n_cols)
    dense_col = df > max(2.0, _DENSE_SHARE * n)
    in_dense = dense_col[cols]
    x = _csr(both, cols, n_cols, ~in_dense)
    xa, xb = (x, x) if other is None else (x[:n_a], x[n_a:])
    out = (xa @ xb.T).toarray().astype(np.int64)
    dense_ids = np.flatnonzero(dense_col)
    if dense_ids.size:
        remap = np.full(n_cols, -1, dtype=np.int32)
        remap[dense_ids] = np.arange(dense_ids.size, dtype=np.int32)
        r = np.repeat(np.arange(n, dtype=np.int32), both.sizes)[in_dense]
        c = remap[cols[in_dense]]
        width = max(1, _BLOCK_BYTES // (4 * max(n, 1)))
        for lo in range(0, dense_ids.size, width):
            sel = (c >= lo) & (c < lo + width) if dense_ids.size > width else slice(None)
            block = np.zeros((n, min(width, dense_ids.size - lo)), dtype=np.float32)
            block[r[sel], c[sel] - lo] = 1.0
            prod = block @ block.T if other is None else block[:n_a] @ block[n_a:].T
            out += np.rint(prod).astype(np.int64)
    counts: np.ndarray = out
    return counts


def scores_from_intersections(
    inter: np.ndarray, sizes: np.ndarray, measure: Measure, other_sizes: np.ndarray | None = None
) -> np.ndarray:
    """Jaccard or containment (row in column) from intersection counts and set sizes."""
    s = sizes.astype(np.float64)
    o = s if other_sizes is None else other_sizes.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "jaccard":
            res = inter / (s[:, None] + o[None, :] - inter)
        elif measure == "containment":
            res = inter / s[:, None]
        else:
            raise ValueError(f"not a set measure: {measure}")
    scores: np.ndarray = np.nan_to_num(res, nan=0.0, posinf=0.0)
    return scores


def copied_matrix(runs: Sequence[WordRuns]) -> np.ndarray:
    """Copied share of every unit (row) in every other unit (column)."""
    n = len(runs)
    keys = [np.unique(r.keys) for r in runs]
    allkeys = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    codes, uniq = pd.factorize(allkeys)
    owner = np.repeat(np.arange(n), [k.size for k in keys])
    posting = sp.csr_matrix((np.ones(codes.size, dtype=np.int8), (codes, owner)), shape=(uniq.size, n))
    lookup = pd.Index(uniq)
    out = np.zeros((n, n))
    for i, r in enumerate(runs):
        if r.n_words == 0 or r.keys.size == 0:
            continue
        sub = posting[lookup.get_indexer(r.keys)].T.tocsr()  # units x windows of unit i
        sub.sort_indices()
        w = r.starts[sub.indices]
        gaps = np.full(w.size, r.n, dtype=np.int64)
        if w.size > 1:
            gaps[:-1] = np.minimum(np.diff(w), r.n)
        ends = sub.indptr[1:] - 1
        nonempty = np.diff(sub.indptr) > 0
        gaps[ends[nonempty]] = r.n
        covered = np.zeros(n, dtype=np.int64)
        covered[nonempty] = np.add.reduceat(gaps, sub.indptr[:-1][nonempty])
        out[i] = covered / r.n_words
    return out


# -- selection helpers ---------------------------------------------------------------


def _unit_columns(level: str) -> list[str]:
    return {"agreement": [], "chapter": ["chapter_index", "chapter_number", "chapter_title"],
            "area": [], "article": ["article_index", "article_number", "article_title"],
            "clause": ["ord", "id", "article_index", "article_number", "article_title",
                       "paragraph"]}[level]  # fmt: skip


def _clauses(store: Store, ids: Sequence[str], level: str, area: str | None, *, text: bool) -> pd.DataFrame:
    # Texts are ~50 MB for the English corpus; with cached features only the copied share needs them.
    cols = ["agreement_id", *(["area"] if level == "area" else []), *(["text"] if text else [])]
    cols = list(dict.fromkeys([*cols, *_unit_columns(level)]))
    if cols == ["agreement_id"]:
        # One row per clause is all the agreement level needs; built from counts, not 100k SQL rows.
        counts = store.clause_counts(list(ids), area=area)
        ids_per_clause = np.repeat(counts["agreement_id"].to_numpy(), counts["n"].to_numpy())
        return pd.DataFrame({"agreement_id": ids_per_clause})
    return store.clauses(list(ids), area=area, columns=cols)


def _select(
    store: Store,
    agreements: Sequence[str] | None,
    *,
    family: str | None,
    party: str | None,
    language: str | None,
    area: str | None,
) -> pd.DataFrame:
    meta = store.agreements(
        list(agreements) if agreements is not None else None,
        family=family, party=party, language=language, area=area,
    )  # fmt: skip
    if agreements is not None:
        missing = sorted(set(agreements) - set(meta["id"]))
        if missing and not (family or party or language or area):
            raise NotFoundError(f"no agreement with id {', '.join(missing)} in {store.path}")
        order = {a: i for i, a in enumerate(dict.fromkeys(agreements))}
        meta = meta.assign(_o=meta["id"].map(order)).sort_values("_o").drop(columns="_o")
    return meta.reset_index(drop=True)


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


def _units_for(
    store: Store, ids: Sequence[str], level: str, area: str | None, *, text: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, UnitSets]:
    clauses = _clauses(store, ids, level, area, text=text)
    unit = "area" if level == "area" else level
    units, sets = unit_sets(store, clauses, unit, area=area)  # type: ignore[arg-type]
    keep = sets.sizes > 0
    if not keep.all():
        units = units[keep].reset_index(drop=True)
        sets = _take(sets, np.flatnonzero(keep))
    return clauses, units, sets


def _take(sets: UnitSets, rows: np.ndarray) -> UnitSets:
    """The rows ``rows`` of ``sets``, in that order."""
    sizes = sets.sizes[rows]
    indptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    idx = np.arange(indptr[-1], dtype=np.int64) + np.repeat(sets.indptr[rows] - indptr[:-1], sizes)
    return UnitSets(indptr, sets.keys[idx])


def _word_runs(clauses: pd.DataFrame, units: pd.DataFrame, level: str) -> list[WordRuns]:
    key_cols = ["agreement_id"] + ({"chapter": ["chapter_index"], "area": ["area"]}.get(level, []))
    groups = clauses.groupby(key_cols, sort=False)["text"].apply(list)
    return [
        WordRuns.of(groups.loc[tuple(k) if len(k) > 1 else k[0]])
        for k in units[key_cols].itertuples(index=False)
    ]


def _score_matrix(
    clauses: pd.DataFrame, units: pd.DataFrame, sets: UnitSets, level: str, measure: Measure
) -> np.ndarray:
    if measure == "copied":
        return copied_matrix(_word_runs(clauses, units, level))
    return scores_from_intersections(intersections(sets), sets.sizes, measure)


def _median_off_diagonal(m: np.ndarray) -> float:
    n = m.shape[0]
    if n < 2:
        return float("nan")
    return float(np.median(m[~np.eye(n, dtype=bool)]))


# -- matrices --------------------------------------------------------------------------


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
            }  # fmt: skip
        )

    @property
    def note(self) -> str:
        """One line that tells a reader how to read the scores."""
        return (
            f"{self.measure} at {self.level} level{f', area {self.area}' if self.area else ''}; "
            f"corpus baseline (median pair) = {self.baseline:.3f} ({self.baseline_scope})"
        )


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
) -> MatrixResult:
    """Overlap matrix of the selected agreements (all when none are given and no filter is set).

    Units are agreements, chapters or (agreement, area) pairs; with ``area``
    only the clauses of that policy area count.  ``containment`` and
    ``copied`` are directional: row unit found in column unit.  The baseline is
    the median off-diagonal score over the corpus agreements in the language
    of the selection (English by default) at the same level, area and measure;
    when that level has more than :data:`BASELINE_SAMPLE` units, over a fixed
    random sample of that many (see ``baseline_scope``).
    """
    if level not in ("agreement", "chapter", "area"):
        raise RulecompareError(f"level must be agreement, chapter or area, not '{level}'")
    if measure not in ("jaccard", "containment", "copied"):
        raise RulecompareError(f"measure must be jaccard, containment or copied, not '{measure}'")
    meta = _select(store, agreements, family=family, party=party, language=language, area=area)
    if meta.empty:
        raise NotFoundError("no agreement matches the selection")
    clauses, units, sets = _units_for(store, meta["id"].tolist(), level, area, text=measure == "copied")
    if len(units) > MAX_MATRIX_UNITS:
        raise RulecompareError(
            f"{len(units)} units at {level} level is too many for one matrix (limit {MAX_MATRIX_UNITS}); "
            "narrow the selection (--family, --party, --area or a list of agreements)"
        )
    # Units in the order the agreements were asked for (the store returns them by id).
    rank = units["agreement_id"].map({a: i for i, a in enumerate(meta["id"])}).to_numpy()
    perm = np.argsort(rank, kind="stable")
    units, sets = units.iloc[perm].reset_index(drop=True), _take(sets, perm)
    info = _unit_frame(units, clauses, meta, level)
    scores = _score_matrix(clauses, units, sets, level, measure)
    ids = info["unit"].tolist()
    frame = pd.DataFrame(scores, index=pd.Index(ids, name="id"), columns=ids)
    langs = meta["language"].value_counts()
    lang = language or (str(langs.index[0]) if len(langs) else "en")
    corpus_ids = store.agreements(language=lang, area=area)["id"]
    if set(corpus_ids) == set(meta["id"]):
        # The selection is the corpus: the baseline's units (sampled or not) are rows of this matrix.
        # Undo the reordering above so that the sample is the one corpus_baseline would draw.
        rows, scope = _baseline_rows(len(units), measure, level, lang)
        pick = np.empty_like(perm)
        pick[perm] = np.arange(perm.size)
        pick = pick[rows]
        baseline = _median_off_diagonal(scores[np.ix_(pick, pick)])
    else:
        baseline, scope = corpus_baseline(store, level=level, measure=measure, area=area, language=lang)
    return MatrixResult(frame, info, measure, level, area, baseline, scope)


def _baseline_sample(measure: str) -> int:
    # Copied share costs a pass over every word of each unit per unit, so it samples fewer.
    return BASELINE_SAMPLE if measure != "copied" else BASELINE_SAMPLE // 4


def corpus_baseline(
    store: Store,
    *,
    level: str = "agreement",
    measure: Measure = "jaccard",
    area: str | None = None,
    language: str = "en",
) -> tuple[float, str]:
    """Median off-diagonal score over the corpus at a level, and a description of how it was taken."""
    ids = store.agreements(language=language, area=area)["id"].tolist()
    clauses, units, sets = _units_for(store, ids, level, area, text=measure == "copied")
    rows, scope = _baseline_rows(len(units), measure, level, language)
    if rows.size < len(units):
        units = units.iloc[rows].reset_index(drop=True)
        sets = _take(sets, rows)
    m = _score_matrix(clauses, units, sets, level, measure)
    return _median_off_diagonal(m), scope


def _baseline_rows(n: int, measure: str, level: str, language: str) -> tuple[np.ndarray, str]:
    """The corpus units (rows in store order) the baseline is taken over, and its description."""
    sample = _baseline_sample(measure)
    if n <= sample:
        return np.arange(n), f"all {n} {language} {level} units in the store"
    rows = np.sort(np.random.default_rng(0).choice(n, size=sample, replace=False))
    return rows, f"{sample} of {n} {language} {level} units sampled with a fixed seed"


# -- top-k neighbours ----------------------------------------------------------------


@dataclass(frozen=True)
class Neighbours:
    """Top-k pairs sorted by query, then score descending: rows of a :class:`UnitSets`."""

    query: np.ndarray
    target: np.ndarray
    intersection: np.ndarray
    score: np.ndarray
    """Exact Jaccard of the pair."""


def _bitsets(sets: UnitSets, cols: np.ndarray, bit_of_col: np.ndarray, words: int) -> np.ndarray:
    bit = bit_of_col[cols]
    has = bit >= 0
    rows = np.repeat(np.arange(len(sets), dtype=np.int64), sets.sizes)[has]
    b = bit[has].astype(np.int64)
    out = np.zeros(len(sets) * words, dtype=np.uint64)
    np.bitwise_or.at(out, rows * words + (b >> 6), np.left_shift(np.uint64(1), (b & 63).astype(np.uint64)))
    return out.reshape(len(sets), words)


def _popcount_and(bits: np.ndarray, q: np.ndarray, t: np.ndarray) -> np.ndarray:
    out = np.empty(q.size, dtype=np.int64)
    chunk = max(1, (16 << 20) // (8 * bits.shape[1]))
    for lo in range(0, q.size, chunk):
        hi = lo + chunk
        out[lo:hi] = np.bitwise_count(bits[q[lo:hi]] & bits[t[lo:hi]]).sum(axis=1, dtype=np.int64)
    return out


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
    cols, n_cols = _columns(sets)
    df = np.bincount(cols, minlength=n_cols)
    freq = np.flatnonzero(df > rare_df)
    words = max(1, -(-freq.size // 64))
    bit_of_col = np.full(n_cols, -1, dtype=np.int32)
    bit_of_col[freq] = np.arange(freq.size, dtype=np.int32)
    bits = _bitsets(sets, cols, bit_of_col, words)
    rare = _csr(sets, cols, n_cols, bit_of_col[cols] < 0)
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
        inter = irare + _popcount_and(bits, q, t)
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


# -- neighbours of one agreement or article -------------------------------------------


def _meta_one(store: Store, agreement: str) -> pd.Series:
    meta = store.agreements([agreement])
    if meta.empty:
        raise NotFoundError(f"no agreement with id '{agreement}' in {store.path}")
    return meta.iloc[0]


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
    me = _meta_one(store, agreement)
    meta = store.agreements(area=area)
    if article is None:
        _, units, sets = _units_for(store, meta["id"].tolist(), "agreement", area)
        ids = units["agreement_id"].to_numpy()
        hit = np.flatnonzero(ids == agreement)
        if hit.size == 0:
            raise NotFoundError(f"{agreement} has no text{f' in area {area}' if area else ''}")
        q = _take(sets, hit)
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
        level = "agreement"
    else:
        clauses = store.clauses(
            meta["id"].tolist(),
            area=area,
            columns=["agreement_id", "area", "text", *_unit_columns("article")],
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
        q = _merge(_take(sets, qrows))  # an article number used twice (e.g. in an annex) counts as one
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


def _merge(sets: UnitSets) -> UnitSets:
    """All rows of ``sets`` as one row (the union)."""
    keys = np.unique(sets.keys)
    return UnitSets(np.array([0, keys.size], dtype=np.int64), keys)


# -- alignment ---------------------------------------------------------------------------

_ALIGN_COLUMNS = [
    "id",
    "agreement_id",
    "ord",
    "article_index",
    "article_number",
    "article_title",
    "paragraph",
    "area",
    "text",
]
TITLE_WEIGHT = 0.15
"""How much identical article titles add to the content score when articles are paired."""


@dataclass
class Alignment:
    """Clause-by-clause alignment of agreement ``a`` with agreement ``b``."""

    a: str
    b: str
    area: str | None
    min_score: float
    pairs: pd.DataFrame
    """Aligned clauses in A's document order.

    Columns: a_/b_ clause, article, title, paragraph, text; score, deleted, inserted, diff."""
    only_a: pd.DataFrame
    """Clauses of A with no counterpart in B (rules only A has)."""
    only_b: pd.DataFrame
    """Clauses of B with no counterpart in A."""
    articles: pd.DataFrame
    """Article pairs: a/b article index, number and title, and the article-level Jaccard."""

    def frame(self) -> pd.DataFrame:
        """All rows in one frame with a ``status`` column: aligned, only_a or only_b."""
        parts = [
            self.pairs.assign(status="aligned"),
            self.only_a.assign(status="only_a"),
            self.only_b.assign(status="only_b"),
        ]
        return pd.concat(
            [p for p in parts if not p.empty] or [self.pairs.assign(status=[])], ignore_index=True
        )

    def same_title_share(self) -> tuple[float, int]:
        """Of A's articles whose title also occurs in B, the share paired with a same-title article.

        Returns the share and the number of such articles."""
        title = {"a": self._titles("a"), "b": self._titles("b")}
        eligible = title["a"][title["a"].isin(set(title["b"]))]
        if eligible.empty:
            return float("nan"), 0
        pa = self.articles.assign(
            ta=self.articles["a_title"].map(_title_key), tb=self.articles["b_title"].map(_title_key)
        )
        same = pa[(pa["ta"] == pa["tb"]) & pa["a_article_index"].isin(eligible.index)]
        return len(same) / len(eligible), len(eligible)

    def _titles(self, side: str) -> pd.Series:
        frame = self.pairs[[f"{side}_article_index", f"{side}_title"]].dropna()
        other = self.only_a if side == "a" else self.only_b
        frame = pd.concat([frame, other[[f"{side}_article_index", f"{side}_title"]].dropna()])
        frame = frame.drop_duplicates(f"{side}_article_index").set_index(f"{side}_article_index")[
            f"{side}_title"
        ]
        keys = frame.map(_title_key)
        return keys[keys != ""]


def _title_key(title: object) -> str:
    return normalize(str(title)) if isinstance(title, str) else ""


def _assign(score: np.ndarray, accept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one pairs maximizing the total score (Hungarian), keeping only accepted cells."""
    from scipy.optimize import linear_sum_assignment

    if score.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rows, cols = linear_sum_assignment(np.where(accept, score, 0.0), maximize=True)
    ok = accept[rows, cols]
    return rows[ok], cols[ok]


def _greedy(score: np.ndarray, accept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one pairs taken best first (for leftovers, where the matrix can be large)."""
    r, c = np.nonzero(accept)
    order = np.lexsort((c, r, -score[r, c]))
    used_r: set[int] = set()
    used_c: set[int] = set()
    out_r, out_c = [], []
    for i in order:
        if r[i] not in used_r and c[i] not in used_c:
            used_r.add(int(r[i]))
            used_c.add(int(c[i]))
            out_r.append(int(r[i]))
            out_c.append(int(c[i]))
    return np.array(out_r, dtype=np.int64), np.array(out_c, dtype=np.int64)


def _word_diff(a: str, b: str) -> tuple[str, str, str]:
    """Deleted words, inserted words (runs joined by " … ") and an inline diff of two texts."""
    from rapidfuzz.distance import Indel

    wa, wb = a.split(), b.split()
    ka = [_word_key(w) for w in wa]
    kb = [_word_key(w) for w in wb]
    deleted, inserted, inline = [], [], []
    for op in Indel.opcodes(ka, kb):
        if op.tag == "equal":
            inline.append(" ".join(wa[op.src_start : op.src_end]))
        if op.tag in ("delete", "replace"):
            run = " ".join(wa[op.src_start : op.src_end])
            deleted.append(run)
            inline.append(f"[-{run}-]")
        if op.tag in ("insert", "replace"):
            run = " ".join(wb[op.dest_start : op.dest_end])
            inserted.append(run)
            inline.append(f"{{+{run}+}}")
    return " … ".join(deleted), " … ".join(inserted), " ".join(inline)


_WORD_KEYS: dict[str, str] = {}


def _word_key(word: str) -> str:
    # A word's diff key: its normalized form, so that case and quote styles are not differences.
    key = _WORD_KEYS.get(word)
    if key is None:
        key = _WORD_KEYS[word] = normalize(word)
    return key


def align(store: Store, a: str, b: str, *, area: str | None = None, min_score: float = 0.3) -> Alignment:
    """Each clause of ``a`` with its best counterpart in ``b``, one to one.

    1. Articles are paired first: one-to-one (Hungarian assignment) on the
       char-5 Jaccard of whole articles plus :data:`TITLE_WEIGHT` times the
       similarity of their normalized titles, so that among equally close
       articles the one with the same title wins.  A pair is kept when its
       Jaccard reaches ``min_score``, or half of it when the titles are equal.
    2. Inside each article pair, clauses are paired one-to-one (Hungarian) on
       clause Jaccard >= ``min_score``.
    3. Clauses left over on both sides are paired best first across the whole
       agreements (a paragraph that moved to another article), same threshold.
    The rest are listed as only in A / only in B.  ``deleted``/``inserted`` are
    the words of A missing from B's clause and the words B adds (a word-level
    Indel diff on normalized words).
    """
    for x in (a, b):
        _meta_one(store, x)
    ca = store.clauses([a], area=area, columns=_ALIGN_COLUMNS)
    cb = store.clauses([b], area=area, columns=_ALIGN_COLUMNS)
    _, art_a = unit_sets(store, ca, "article", area=area)
    _, art_b = unit_sets(store, cb, "article", area=area)
    _, cl_a = unit_sets(store, ca, "clause", area=area)
    _, cl_b = unit_sets(store, cb, "clause", area=area)
    ua = ca.drop_duplicates("article_index").reset_index(drop=True)
    ub = cb.drop_duplicates("article_index").reset_index(drop=True)
    art_j = scores_from_intersections(intersections(art_a, art_b), art_a.sizes, "jaccard", art_b.sizes)
    ta = ua["article_title"].map(_title_key).to_numpy()
    tb = ub["article_title"].map(_title_key).to_numpy()
    same = (ta[:, None] == tb[None, :]) & (ta[:, None] != "")
    from rapidfuzz import fuzz, process

    title_sim = (
        process.cdist(list(ta), list(tb), scorer=fuzz.token_sort_ratio, workers=1) / 100.0
        if len(ta) and len(tb)
        else np.zeros((len(ta), len(tb)))
    )
    accept = (art_j >= min_score) | (same & (art_j >= min_score / 2))
    ar, ac = _assign(art_j + TITLE_WEIGHT * title_sim, accept)
    articles = pd.DataFrame(
        {
            "a_article_index": ua["article_index"].to_numpy()[ar],
            "a_article": ua["article_number"].to_numpy()[ar],
            "a_title": ua["article_title"].to_numpy()[ar],
            "b_article_index": ub["article_index"].to_numpy()[ac],
            "b_article": ub["article_number"].to_numpy()[ac],
            "b_title": ub["article_title"].to_numpy()[ac],
            "score": art_j[ar, ac],
        }  # fmt: skip
    )
    clause_j = scores_from_intersections(intersections(cl_a, cl_b), cl_a.sizes, "jaccard", cl_b.sizes)
    art_of_a = ca["article_index"].to_numpy()
    art_of_b = cb["article_index"].to_numpy()
    pr: list[np.ndarray] = []
    pc: list[np.ndarray] = []
    for ia, ib in zip(articles["a_article_index"], articles["b_article_index"], strict=True):
        ra = np.flatnonzero(art_of_a == ia)
        rb = np.flatnonzero(art_of_b == ib)
        sub = clause_j[np.ix_(ra, rb)]
        r, c = _assign(sub, sub >= min_score)
        pr.append(ra[r])
        pc.append(rb[c])
    done_a = np.concatenate(pr) if pr else np.zeros(0, np.int64)
    done_b = np.concatenate(pc) if pc else np.zeros(0, np.int64)
    left_a = np.setdiff1d(np.arange(len(ca)), done_a)
    left_b = np.setdiff1d(np.arange(len(cb)), done_b)
    sub = clause_j[np.ix_(left_a, left_b)]
    r, c = _greedy(sub, sub >= min_score)
    rows_a = np.concatenate([done_a, left_a[r]]).astype(np.int64)
    rows_b = np.concatenate([done_b, left_b[c]]).astype(np.int64)
    order = np.argsort(rows_a, kind="stable")
    rows_a, rows_b = rows_a[order], rows_b[order]
    pairs = pd.concat([_side(ca, rows_a, "a"), _side(cb, rows_b, "b")], axis=1)
    pairs["score"] = clause_j[rows_a, rows_b]
    diffs = [
        _word_diff(x, y)
        for x, y in zip(ca["text"].to_numpy()[rows_a], cb["text"].to_numpy()[rows_b], strict=True)
    ]
    pairs["deleted"] = [d[0] for d in diffs]
    pairs["inserted"] = [d[1] for d in diffs]
    pairs["diff"] = [d[2] for d in diffs]
    only_a = _side(ca, np.setdiff1d(np.arange(len(ca)), rows_a), "a")
    only_b = _side(cb, np.setdiff1d(np.arange(len(cb)), rows_b), "b")
    return Alignment(a, b, area, min_score, pairs, only_a, only_b, articles)


def _side(clauses: pd.DataFrame, rows: np.ndarray, side: str) -> pd.DataFrame:
    sel = clauses.iloc[rows]
    return pd.DataFrame(
        {
            f"{side}_clause": sel["id"].to_numpy(),
            f"{side}_article_index": sel["article_index"].to_numpy(),
            f"{side}_article": sel["article_number"].to_numpy(),
            f"{side}_title": sel["article_title"].to_numpy(),
            f"{side}_paragraph": sel["paragraph"].to_numpy(),
            f"{side}_text": sel["text"].to_numpy(),
        }  # fmt: skip
    )


# -- reuse -------------------------------------------------------------------------------


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


def reuse(store: Store, agreement: str, *, top: int = 5) -> ReuseResult:
    """Per clause the best match among agreements signed earlier, and the top source agreements.

    Earlier means a strictly earlier ``date_signed``, same language;
    agreements without a date are never sources.  Clause scores are exact
    char-5 Jaccard (candidates as in :func:`top_neighbours`); the copied
    shares are exact word 6-gram coverage.
    """
    me = _meta_one(store, agreement)
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
    total = copied_share_runs(target, everything)
    src = pd.DataFrame({"agreement_id": sources, "copied_share": shares})
    src["name"] = src["agreement_id"].map(names)
    src["date_signed"] = src["agreement_id"].map(meta.set_index("id")["date_signed"])
    src["best_clauses"] = src["agreement_id"].map(table["source"].value_counts()).fillna(0).astype(int)
    src = (
        src.sort_values(["copied_share", "agreement_id"], ascending=[False, True])
        .head(top)
        .reset_index(drop=True)
    )
    baseline, _ = corpus_baseline(store, measure="copied", language=str(me["language"]))
    return ReuseResult(agreement, table.reset_index(drop=True), src, total, baseline, len(sources))


def cluster_order(frame: pd.DataFrame) -> list[str]:
    """Row ids of a square score matrix ordered by average-linkage hierarchical clustering."""
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    if len(frame) < 3:
        ids: list[str] = frame.index.tolist()
        return ids
    m = frame.to_numpy(dtype=float)
    dist = 1.0 - (m + m.T) / 2.0
    np.fill_diagonal(dist, 0.0)
    order = leaves_list(linkage(squareform(np.clip(dist, 0.0, None), checks=False), method="average"))
    return [frame.index[i] for i in order]


__all__ = [
    "Alignment", "MatrixResult", "Neighbours", "ReuseResult", "align", "cluster_order", "copied_matrix",
    "corpus_baseline", "intersections", "matrix", "neighbours", "reuse", "scores_from_intersections",
    "top_neighbours",
]  # fmt: skip
