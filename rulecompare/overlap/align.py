"""Clause-by-clause alignment of two agreements, with each pair's word diff as data.

Why this module exists: "put China-Georgia's e-commerce chapter next to
EU-Georgia's, clause by clause, and show me what differs" needs each clause's
best counterpart (one to one), the clauses only one side has, the rows in
the order a reader follows (:meth:`Alignment.in_place`), and per pair the
diff operations of :mod:`rulecompare.overlap.diff`, which fronts render
without parsing anything.  Aligning two large agreements takes a second or
two, so with ``cache=True`` a writable store keeps the result.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..features import normalize
from ..store import Store
from .crosslingual import CrossLingual, cross_lingual
from .diff import ClauseDiff, word_diffs
from .order import in_place_order
from .sides import side_view, view_scores
from .units import meta_one

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
_SIDE_COLUMNS = ["clause", "article_index", "article", "title", "paragraph", "text", "translation"]
PAIR_COLUMNS = [
    *(f"a_{c}" for c in _SIDE_COLUMNS),
    *(f"b_{c}" for c in _SIDE_COLUMNS),
    "score",
    "cross_lingual",
    "deleted",
    "inserted",
    "diff",
]
"""Columns of :attr:`Alignment.pairs`; :meth:`Alignment.frame` adds ``status``."""
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
    """Aligned clauses in A's document order (columns :data:`PAIR_COLUMNS`).

    ``deleted``/``inserted`` are A's words missing from B's clause and the
    words B adds; ``diff`` is the inline word diff (:attr:`ClauseDiff.inline`).
    Across languages, ``<side>_translation`` holds the English translation of
    the non-English side (``<side>_text`` stays the original), ``score`` is
    calibrated onto the monolingual scale, ``cross_lingual`` is True and the
    diff is taken between the English texts compared."""
    only_a: pd.DataFrame
    """Clauses of A with no counterpart in B (rules only A has)."""
    only_b: pd.DataFrame
    """Clauses of B with no counterpart in A."""
    articles: pd.DataFrame
    """Article pairs: a/b article index, number and title, and the article-level Jaccard."""
    diffs: tuple[ClauseDiff, ...]
    """The word diff of each row of :attr:`pairs`, as operations on the two clause texts."""
    order: np.ndarray
    """Rows of :meth:`frame` in reading order (see :func:`in_place_order`)."""

    def frame(self) -> pd.DataFrame:
        """All rows in one frame with a ``status`` column: aligned, only_a or only_b (in that order)."""
        parts = [
            self.pairs.assign(status="aligned"),
            self.only_a.assign(status="only_a"),
            self.only_b.assign(status="only_b"),
        ]
        frame = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
        return frame.reindex(columns=[*PAIR_COLUMNS, "status"])

    def in_place(self) -> pd.DataFrame:
        """:meth:`frame` in reading order, with ``pair``: the row of :attr:`pairs`/:attr:`diffs` (or -1).

        A's clauses keep A's order; each clause only B has follows the
        aligned pair whose B clause precedes it in B.
        """
        frame = self.frame()
        frame["pair"] = np.where(np.arange(len(frame)) < len(self.pairs), np.arange(len(frame)), -1)
        return frame.iloc[self.order].reset_index(drop=True)

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

    def to_bytes(self) -> bytes:
        """The alignment as bytes (a zip of Parquet tables and arrays; no pickle), for the store's cache."""
        arrays = [d.op_array() for d in self.diffs]
        ops = np.concatenate(arrays) if arrays else np.zeros((0, 5), dtype=np.int64)
        counts = np.array([x.shape[0] for x in arrays], dtype=np.int64)
        meta = {"a": self.a, "b": self.b, "area": self.area, "min_score": self.min_score}
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("meta.json", json.dumps(meta))
            for name in ("pairs", "only_a", "only_b", "articles"):
                table = io.BytesIO()
                getattr(self, name).to_parquet(table, index=False)
                z.writestr(f"{name}.parquet", table.getvalue())
            for name, array in (("ops", ops), ("op_counts", counts), ("order", self.order)):
                raw = io.BytesIO()
                np.save(raw, np.asarray(array, dtype=np.int64), allow_pickle=False)
                z.writestr(f"{name}.npy", raw.getvalue())
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Alignment:
        """The alignment that :meth:`to_bytes` wrote."""
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            meta = json.loads(z.read("meta.json"))
            tables = {
                n: pd.read_parquet(io.BytesIO(z.read(f"{n}.parquet")))
                for n in ("pairs", "only_a", "only_b", "articles")
            }
            ops, counts, order = (
                np.load(io.BytesIO(z.read(f"{n}.npy")), allow_pickle=False)
                for n in ("ops", "op_counts", "order")
            )
        pairs = tables["pairs"]
        bounds = np.concatenate(([0], np.cumsum(counts))).tolist()
        rows = ops.tolist()  # Python ints: building thousands of operations from numpy scalars is slow
        diffs = tuple(
            ClauseDiff.from_array(str(x), str(y), rows[bounds[i] : bounds[i + 1]])
            for i, (x, y) in enumerate(zip(_compared(pairs, "a"), _compared(pairs, "b"), strict=True))
        )
        return cls(
            meta["a"], meta["b"], meta["area"], meta["min_score"], pairs,
            tables["only_a"], tables["only_b"], tables["articles"], diffs, order,
        )  # fmt: skip


def _compared(pairs: pd.DataFrame, side: str) -> list[str]:
    """The texts a side's diffs are taken on: the translation where there is one, else the original."""
    tr = pairs.get(f"{side}_translation", pd.Series([None] * len(pairs)))
    return [t if isinstance(t, str) else str(o) for t, o in zip(tr, pairs[f"{side}_text"], strict=True)]


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


def align(
    store: Store,
    a: str,
    b: str,
    *,
    area: str | None = None,
    min_score: float = 0.3,
    cache: bool = False,
    monolingual: bool = False,
) -> Alignment:
    """Each clause of ``a`` with its best counterpart in ``b``, one to one.

    Agreements in two languages are compared in English (:mod:`.sides`):
    the non-English side through its translation, scores calibrated onto
    the monolingual scale; TranslatorMissing says what to install when
    Apertium is not.  ``monolingual`` compares the original texts even then.

    1. Articles are paired first: one-to-one (Hungarian assignment) on the
       char-5 Jaccard of whole articles plus :data:`TITLE_WEIGHT` times the
       similarity of their normalized titles, so that among equally close
       articles the one with the same title wins.  A pair is kept when its
       Jaccard reaches ``min_score``, or half of it when the titles are equal.
    2. Inside each article pair, clauses are paired one-to-one (Hungarian) on
       clause Jaccard >= ``min_score``.
    3. Clauses left over on both sides are paired best first across the whole
       agreements (a paragraph that moved to another article), same threshold.
    The rest are listed as only in A / only in B.  Each pair carries its word
    diff (:attr:`Alignment.diffs`, see :mod:`rulecompare.overlap.diff`).

    With ``cache`` a writable store keeps the result under a key naming both
    agreements (re-ingesting either drops it), valid while their sources and
    the overlap code are unchanged; a read-only store just computes it.
    """
    langs = {x: str(meta_one(store, x)["language"]) for x in (a, b)}
    xl = None
    if langs[a] != langs[b] and not monolingual:
        xl, _ = cross_lingual(store, [a, b], required=True)
    if not cache:
        return _align(store, a, b, area, min_score, xl, langs)
    versions = (
        "|".join(xl.version(lang) for lang in sorted(set(langs.values())) if lang != "en") if xl else ""
    )
    key = f"align|{a}|{b}|{area or '*'}|{min_score!r}|{versions or 'mono'}"
    digest = _cache_digest(store, a, b)
    hit = store.cache_get(key, digest)
    if hit is not None:
        return Alignment.from_bytes(hit)
    result = _align(store, a, b, area, min_score, xl, langs)
    store.cache_put(key, digest, result.to_bytes())
    return result


def _align(
    store: Store,
    a: str,
    b: str,
    area: str | None,
    min_score: float,
    xl: CrossLingual | None,
    langs: dict[str, str],
) -> Alignment:
    ca = store.clauses([a], area=area, columns=_ALIGN_COLUMNS)
    cb = store.clauses([b], area=area, columns=_ALIGN_COLUMNS)
    va = side_view(store, ca, a, area=area, xl=xl, languages=langs)
    vb = side_view(store, cb, b, area=area, xl=xl, languages=langs)
    cross = langs[a] != langs[b]
    first_a = ~ca["article_index"].duplicated().to_numpy()
    first_b = ~cb["article_index"].duplicated().to_numpy()
    ua = ca[first_a].reset_index(drop=True)
    ub = cb[first_b].reset_index(drop=True)
    # pairs are chosen on raw scores (calibration ties the best ones at 1), kept on calibrated ones
    art_raw, art_j = view_scores(va.articles, vb.articles, "article", xl, cross)
    ta = va.titles[first_a].map(_title_key).to_numpy()
    tb = vb.titles[first_b].map(_title_key).to_numpy()
    same = (ta[:, None] == tb[None, :]) & (ta[:, None] != "")
    from rapidfuzz import fuzz, process

    title_sim = (
        process.cdist(list(ta), list(tb), scorer=fuzz.token_sort_ratio, workers=1) / 100.0
        if len(ta) and len(tb)
        else np.zeros((len(ta), len(tb)))
    )
    accept = (art_j >= min_score) | (same & (art_j >= min_score / 2))
    ar, ac = _assign(art_raw + TITLE_WEIGHT * title_sim, accept)
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
    clause_raw, clause_j = view_scores(va.clauses, vb.clauses, "clause", xl, cross)
    art_of_a = ca["article_index"].to_numpy()
    art_of_b = cb["article_index"].to_numpy()
    pr: list[np.ndarray] = []
    pc: list[np.ndarray] = []
    for ia, ib in zip(articles["a_article_index"], articles["b_article_index"], strict=True):
        ra = np.flatnonzero(art_of_a == ia)
        rb = np.flatnonzero(art_of_b == ib)
        sub = np.ix_(ra, rb)
        r, c = _assign(clause_raw[sub], clause_j[sub] >= min_score)
        pr.append(ra[r])
        pc.append(rb[c])
    done_a = np.concatenate(pr) if pr else np.zeros(0, np.int64)
    done_b = np.concatenate(pc) if pc else np.zeros(0, np.int64)
    left_a = np.setdiff1d(np.arange(len(ca)), done_a)
    left_b = np.setdiff1d(np.arange(len(cb)), done_b)
    sub = np.ix_(left_a, left_b)
    r, c = _greedy(clause_raw[sub], clause_j[sub] >= min_score)
    rows_a = np.concatenate([done_a, left_a[r]]).astype(np.int64)
    rows_b = np.concatenate([done_b, left_b[c]]).astype(np.int64)
    order = np.argsort(rows_a, kind="stable")
    rows_a, rows_b = rows_a[order], rows_b[order]
    pairs = pd.concat(
        [_side(ca, rows_a, "a", va.translation), _side(cb, rows_b, "b", vb.translation)], axis=1
    )
    pairs["score"] = clause_j[rows_a, rows_b]
    pairs["cross_lingual"] = cross and xl is not None
    diffs = word_diffs(_compared(pairs, "a"), _compared(pairs, "b"))
    pairs["deleted"] = [d.deleted for d in diffs]
    pairs["inserted"] = [d.inserted for d in diffs]
    pairs["diff"] = [d.inline for d in diffs]
    rest_a = np.setdiff1d(np.arange(len(ca)), rows_a)
    rest_b = np.setdiff1d(np.arange(len(cb)), rows_b)
    reading = in_place_order(
        np.concatenate([rows_a, rest_a, np.full(rest_b.size, np.nan)]),
        np.concatenate([rows_b, np.full(rest_a.size, np.nan), rest_b]),
        ["aligned"] * rows_a.size + ["only_a"] * rest_a.size + ["only_b"] * rest_b.size,
    )
    return Alignment(
        a, b, area, min_score, pairs, _side(ca, rest_a, "a", va.translation),
        _side(cb, rest_b, "b", vb.translation), articles,
        tuple(diffs), np.array(reading, dtype=np.int64),
    )  # fmt: skip


def _side(clauses: pd.DataFrame, rows: np.ndarray, side: str, translation: np.ndarray | None) -> pd.DataFrame:
    sel = clauses.iloc[rows]
    tr = translation[rows] if translation is not None else np.full(rows.size, None, dtype=object)
    return pd.DataFrame(
        {
            f"{side}_clause": sel["id"].to_numpy(),
            f"{side}_article_index": sel["article_index"].to_numpy(),
            f"{side}_article": sel["article_number"].to_numpy(),
            f"{side}_title": sel["article_title"].to_numpy(),
            f"{side}_paragraph": sel["paragraph"].to_numpy(),
            f"{side}_text": sel["text"].to_numpy(),
            f"{side}_translation": tr,
        }  # fmt: skip
    )


@cache
def _code_digest() -> str:
    """A digest of the code an alignment depends on: a cached one is only reused by the code that made it."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha1()
    for path in [*sorted(here.glob("*.py")), *sorted((here.parent / "features").glob("*.py"))]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _cache_digest(store: Store, a: str, b: str) -> str:
    """The code digest with each agreement's source fingerprint (or, without a source, its clauses)."""
    found = store.source_fingerprints([a, b])
    h = hashlib.sha1(_code_digest().encode())
    for x in (a, b):
        if x in found:
            h.update(f"\x00{x}\x00source\x00{found[x]}".encode("utf-8", "surrogatepass"))
            continue
        clauses = store.clauses([x], columns=["id", "area", "text"])
        h.update(f"\x00{x}\x00clauses\x00".encode("utf-8", "surrogatepass"))
        for row in clauses.itertuples(index=False):
            h.update("\x01".join(map(str, row)).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


__all__ = ["Alignment", "PAIR_COLUMNS", "TITLE_WEIGHT", "align", "in_place_order"]
