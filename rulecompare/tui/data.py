"""Every library call the TUI makes, in one place.

Screens ask this module for ready-to-show pandas frames and small view
records; it calls the store, the catalog and the matcher and adds nothing but
presentation (short labels, column choices).  When the library's API moves,
this is the one file that follows it.

SQLite connections belong to the thread that opened them, and the UI does its
long work in worker threads, so screens hold a :class:`StoreRef` (a path) and
open a short-lived :class:`~rulecompare.store.Store` inside each worker.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import overlap
from ..catalog import resolve as catalog_resolve
from ..errors import RulecompareError
from ..export import frame_to_bytes
from ..store import Store
from ..taxonomy import AREAS, area_keys

AGREEMENT_EXPORT_COLUMNS = [
    "id", "name", "parties", "date_signed", "families", "language",
    "n_chapters", "n_articles", "n_clauses", "n_chars",
]  # fmt: skip


@dataclass(frozen=True)
class StoreRef:
    """Where the store is; each worker opens its own connection from it."""

    path: Path
    readonly: bool = False
    """Read-only stores work too, but then derived features are not cached between runs."""

    @contextmanager
    def open(self) -> Iterator[Store]:
        """A store connection for the calling thread, closed afterwards."""
        store = Store(self.path, readonly=self.readonly)
        try:
            yield store
        finally:
            store.close()


# -- agreements -------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementFilter:
    """What the filter box asks for: free words plus ``key:value`` tokens.

    Tokens: ``family:eu``, ``party:CHN``, ``area:investment`` (a key or an
    unambiguous part of one), ``year:2005`` or ``year:2000-2010``,
    ``lang:en``.  Every free word must occur in the id, name, parties,
    families or aliases.
    """

    words: tuple[str, ...] = ()
    family: str | None = None
    party: str | None = None
    area: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    language: str | None = None

    @classmethod
    def parse(cls, text: str) -> AgreementFilter:
        """Read the filter box; an unknown ``key:`` is kept as a plain word."""
        words: list[str] = []
        fields: dict[str, object] = {}
        for token in text.split():
            key, sep, value = token.partition(":")
            key = key.lower()
            if not sep or not value:
                words.append(token.lower())
            elif key in ("family", "fam", "f"):
                fields["family"] = value.lower()
            elif key in ("party", "p"):
                fields["party"] = value.upper()
            elif key in ("area", "a"):
                fields["area"] = area_for(value)
            elif key in ("lang", "language", "l"):
                fields["language"] = value.lower()
            elif (
                key in ("year", "y") and (m := re.fullmatch(r"(\d{4})?(-)?(\d{4})?", value)) and value != "-"
            ):
                start, dash, end = m.groups()
                fields["year_from"] = int(start) if start else None
                fields["year_to"] = int(end) if end else (None if dash else fields["year_from"])
            else:
                words.append(token.lower())
        return cls(words=tuple(words), **fields)  # type: ignore[arg-type]

    @property
    def structured(self) -> bool:
        """Whether any token needs the store (rather than the loaded table) to answer."""
        return any(
            v is not None
            for v in (self.family, self.party, self.area, self.year_from, self.year_to, self.language)
        )


def area_for(value: str) -> str:
    """The area key a user means by ``value`` (exact key, else the one key or label containing it)."""
    v = value.lower().replace("-", "_")
    if v in AREAS:
        return v
    hits = [k for k in area_keys() if v in k or v.replace("_", " ") in AREAS[k].label.lower()]
    return hits[0] if len(hits) == 1 else v


def all_agreements(store: Store) -> pd.DataFrame:
    """All agreements with the metadata columns the browser shows."""
    return store.agreements()


def filter_agreements(store: Store, table: pd.DataFrame, flt: AgreementFilter) -> pd.DataFrame:
    """Rows of ``table`` (from :func:`all_agreements`) that pass ``flt``, in table order."""
    keep = pd.Series(True, index=table.index)
    if flt.structured:
        ids = store.agreements(
            party=flt.party, family=flt.family, language=flt.language,
            year_from=flt.year_from, year_to=flt.year_to, area=flt.area,
        )["id"]  # fmt: skip
        keep &= table["id"].isin(set(ids))
    if flt.words:
        haystack = (
            table["id"] + " " + table["name"] + " " + table["parties"].fillna("") + " "
            + table["families"].fillna("") + " " + table["aliases"].fillna("")
        ).str.lower()  # fmt: skip
        for word in flt.words:
            keep &= haystack.str.contains(word, regex=False)
    return table[keep]


def records(df: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``df`` as namedtuples (attribute access by column name)."""
    rows: Iterator[Any] = df.itertuples(index=False)
    return rows


def resolve(store: Store, name: str) -> str:
    """Agreement id for a forgiving name (as the CLI resolves it)."""
    return catalog_resolve(name, store.agreements())


def short_name(name: str, width: int = 28) -> str:
    """A name clipped to ``width`` characters for labels."""
    return name if len(name) <= width else name[: width - 1] + "…"


# -- one agreement ----------------------------------------------------------------------


def agreement_clauses(store: Store, agreement_id: str) -> pd.DataFrame:
    """All clauses of one agreement in document order."""
    return store.clauses([agreement_id])


def article_label(number: object, title: object) -> str:
    """ "ARTICLE 405 Definitions" from an article's number and title (either may be missing)."""
    parts = [str(p).strip() for p in (number, title) if isinstance(p, str) and p.strip()]
    return " ".join(parts) or "(untitled)"


def area_label(key: str) -> str:
    """Readable name of a policy area key."""
    info = AREAS.get(key)
    return info.label if info else key


# -- search -----------------------------------------------------------------------------

MARK = ("\x02", "\x03")
"""Snippet highlight markers: control characters never found in treaty text."""


def search(store: Store, query: str, limit: int = 200) -> pd.DataFrame:
    """Full-text search hits; snippets mark the matched words with :data:`MARK`."""
    return store.search(query, limit=limit, mark=MARK)


# -- clause alignment -------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    """One row of the Compare table: an aligned pair, or a clause only one side has."""

    kind: str
    """"pair", "a" (only in A) or "b" (only in B)."""
    score: float | None
    a_clause: str | None
    a_where: str
    """Article and paragraph of A's clause, for the row's header line."""
    a_segments: tuple[tuple[str, str], ...]
    """A's text as ("=", shared words) and ("+", words only A has) runs."""
    b_clause: str | None
    b_where: str
    b_segments: tuple[tuple[str, str], ...]

    @property
    def differs(self) -> bool:
        """Whether the row is unmatched or its two texts differ in any word."""
        return self.kind != "pair" or any(op == "+" for op, _ in self.a_segments + self.b_segments)


@dataclass(frozen=True)
class CompareView:
    """Everything the Compare screen shows."""

    a_id: str
    a_name: str
    b_id: str
    b_name: str
    area: str | None
    rows: list[CompareRow]
    frame: pd.DataFrame
    """The rows as a table, for export."""
    areas: list[tuple[str, int]]
    """Policy areas present in either agreement, with their clause counts."""
    summary: str
    """One line: share aligned of each side, mean score, baseline."""


_DIFF_RUN = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def diff_segments(diff: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """A's and B's segments from the matcher's inline diff (``[-only A-]``, ``{+only B+}``)."""
    a: list[tuple[str, str]] = []
    b: list[tuple[str, str]] = []
    pos = 0
    for m in _DIFF_RUN.finditer(diff):
        shared = diff[pos : m.start()].strip()
        if shared:
            a.append(("=", shared))
            b.append(("=", shared))
        if m.group(1) is not None:
            a.append(("+", m.group(1)))
        else:
            b.append(("+", m.group(2)))
        pos = m.end()
    rest = diff[pos:].strip()
    if rest:
        a.append(("=", rest))
        b.append(("=", rest))
    return tuple(a), tuple(b)


def _where(article: object, title: object, paragraph: object) -> str:
    label = article_label(article, title)
    return f"{label} ¶{paragraph}" if isinstance(paragraph, str) and paragraph else label


def in_place_order(a_pos: pd.Series, b_pos: pd.Series, status: pd.Series) -> list[int]:
    """Row order with A's clauses in A's order and each B-only clause after its B predecessor.

    ``a_pos``/``b_pos`` are the clauses' positions in A and B (NaN where a row
    has none).  A B-only clause goes right after the aligned row whose B
    clause is the nearest one before it in B (at the top when there is none).
    """
    n = len(status)
    key1 = np.zeros(n)
    key2 = np.zeros(n)
    left = (status != "only_b").to_numpy()
    order_left = np.argsort(a_pos.to_numpy()[left], kind="stable")
    rank = np.empty(order_left.size)
    rank[order_left] = np.arange(order_left.size)
    key1[left] = rank
    paired = (status == "aligned").to_numpy()
    pb = b_pos.to_numpy()[paired]
    prank = key1[paired]
    by_b = np.argsort(pb, kind="stable")
    pb, prank = pb[by_b], prank[by_b]
    only_b = (status == "only_b").to_numpy()
    kb = b_pos.to_numpy()[only_b]
    before = np.searchsorted(pb, kb, side="left") - 1  # the aligned B clause just before
    key1[only_b] = np.where(before >= 0, prank[np.maximum(before, 0)], -1.0) + 0.5
    key2[only_b] = kb
    return list(np.lexsort((key2, key1)))


@cache
def _matcher_digest() -> str:
    """A digest of the matcher's code: a cached alignment is only reused by the code that made it."""
    return hashlib.sha1(Path(overlap.__file__).with_name("align.py").read_bytes()).hexdigest()


def alignment_frame(store: Store, a: str, b: str, *, area: str | None = None) -> pd.DataFrame:
    """The matcher's alignment as one frame (``status``: aligned, only_a, only_b) in on-screen order.

    Aligning two large agreements takes a second or two, longer than a
    screen may take to open, so a writable store keeps the result in its
    cache.  The key names both agreements between pipes, so re-ingesting
    either drops the entry; the digest covers the matcher's code.
    """
    key = f"tui-align|{a}|{b}|{area or '*'}|v1"
    digest = _matcher_digest()
    cached = store.cache_get(key, digest)
    if cached is not None:
        return pd.read_parquet(io.BytesIO(cached))
    frame = overlap.align(store, a, b, area=area).frame()
    for col in ("score", "deleted", "inserted", "diff"):
        if col not in frame:
            frame[col] = None
    pos = store.clauses([a, b], area=area, columns=["id", "ord"]).set_index("id")["ord"]
    order = in_place_order(frame["a_clause"].map(pos), frame["b_clause"].map(pos), frame["status"])
    frame = frame.iloc[order].reset_index(drop=True)
    store.cache_put(key, digest, frame_to_bytes(frame, "parquet"))
    return frame


def compare(store: Store, a: str, b: str, *, area: str | None = None) -> CompareView:
    """The matcher's clause alignment of ``a`` with ``b``, laid out for the Compare table."""
    frame = alignment_frame(store, a, b, area=area)
    names = store.agreements([a, b]).set_index("id")["name"]
    rows: list[CompareRow] = []
    for r in records(frame):
        kind = {"aligned": "pair", "only_a": "a", "only_b": "b"}[r.status]
        if kind == "pair":
            seg_a, seg_b = diff_segments(str(r.diff))
        else:
            seg_a = (("+", str(r.a_text)),) if kind == "a" else ()
            seg_b = (("+", str(r.b_text)),) if kind == "b" else ()
        rows.append(
            CompareRow(
                kind=kind,
                score=None if kind != "pair" else float(r.score),
                a_clause=r.a_clause if isinstance(r.a_clause, str) else None,
                a_where=_where(r.a_article, r.a_title, r.a_paragraph) if kind != "b" else "",
                a_segments=seg_a,
                b_clause=r.b_clause if isinstance(r.b_clause, str) else None,
                b_where=_where(r.b_article, r.b_title, r.b_paragraph) if kind != "a" else "",
                b_segments=seg_b,
            )
        )
    status = frame["status"].value_counts()
    n_pairs, only_a, only_b = (int(status.get(k, 0)) for k in ("aligned", "only_a", "only_b"))
    n_a, n_b = n_pairs + only_a, n_pairs + only_b
    mean = float(frame.loc[frame["status"] == "aligned", "score"].mean()) if n_pairs else float("nan")
    summary = (
        f"{n_pairs} pairs · A aligned {n_pairs}/{n_a} ({n_pairs / max(n_a, 1):.0%}) · "
        f"B aligned {n_pairs}/{n_b} ({n_pairs / max(n_b, 1):.0%}) · mean pair score {mean:.2f} · "
        f"only A {only_a}, only B {only_b}" + (f" · area {area_label(area)}" if area else "")
    )
    counts = store.clauses([a, b], columns=["area"])["area"].value_counts()
    areas = [(k, int(counts[k])) for k in area_keys() if k in counts.index]
    export = frame.drop(columns=["diff"]).rename(columns={"status": "row"})
    return CompareView(a, str(names.get(a, a)), b, str(names.get(b, b)), area, rows, export, areas, summary)


def compare_baseline(store: Store, a: str, b: str, *, area: str | None = None) -> str:
    """The pair's agreement-level Jaccard beside the corpus baseline, as one phrase."""
    result = overlap.matrix(store, [a, b], area=area)
    score = float(result.frame.to_numpy()[0, 1])
    return f"agreement Jaccard {score:.3f} · corpus baseline {result.baseline:.3f} ({result.baseline_scope})"


# -- nearest articles -------------------------------------------------------------------


def nearest_articles(store: Store, agreement_id: str, article_index: int, *, top: int) -> pd.DataFrame:
    """The articles of other agreements most similar to one article, with where to open them."""
    mine = store.clauses([agreement_id], columns=["article_index", "article_number"])
    numbers = mine.loc[mine["article_index"] == article_index, "article_number"].dropna()
    if numbers.empty:
        raise RulecompareError("this article has no number, so its nearest articles cannot be looked up")
    found = overlap.neighbours(store, agreement_id, article=str(numbers.iloc[0]), top=top)
    if found.empty:
        return found.assign(article_index=[], area=[])
    where = store.clauses(
        sorted(set(found["agreement_id"])),
        columns=["agreement_id", "article_index", "article_number", "area"],
    ).drop_duplicates(["agreement_id", "article_number"])
    out = found.merge(where, on=["agreement_id", "article_number"], how="left")
    out.attrs.update(found.attrs)
    return out


# -- matrices ---------------------------------------------------------------------------

LEVELS = ("agreement", "chapter", "area")
MEASURES = ("jaccard", "containment", "copied")


def overlap_matrix(store: Store, ids: Sequence[str], *, level: str, measure: str) -> overlap.MatrixResult:
    """The matcher's overlap matrix of ``ids`` at ``level`` by ``measure``."""
    return overlap.matrix(store, list(ids), level=level, measure=measure)  # type: ignore[arg-type]


def matrix_pair(result: overlap.MatrixResult, row: int, column: int) -> tuple[str, str, str | None] | None:
    """What a cell compares: (agreement a, agreement b, area or None); None for one agreement."""
    units = result.units
    a, b = str(units["agreement_id"].iloc[row]), str(units["agreement_id"].iloc[column])
    if a == b:
        return None
    area = result.area
    if result.level == "area" and units["area"].iloc[row] == units["area"].iloc[column]:
        area = str(units["area"].iloc[row])
    return a, b, area


def matrix_pair_text(result: overlap.MatrixResult, row: int, column: int) -> str:
    """Two lines naming a cell's pair, its score and the baseline."""
    labels = result.units["label"]
    score = float(result.frame.to_numpy()[row, column])
    ratio = f", {score / result.baseline:.1f}x baseline" if result.baseline > 0 else ""
    direction = " (row found in column)" if result.measure != "jaccard" else ""
    return (
        f"{row + 1} {labels.iloc[row]}  x  {column + 1} {labels.iloc[column]}\n"
        f"{result.measure}{direction} = {score:.3f}{ratio}; "
        f"baseline {result.baseline:.3f} ({result.baseline_scope})"
    )


def matrix_frame(result: overlap.MatrixResult) -> pd.DataFrame:
    """The square matrix as a table: unit id and label, then one column per unit id."""
    frame = result.frame.copy()
    frame.insert(0, "label", result.units["label"].to_numpy())
    return frame.reset_index()


__all__ = [
    "AgreementFilter",
    "alignment_frame",
    "CompareRow",
    "CompareView",
    "compare",
    "compare_baseline",
    "diff_segments",
    "in_place_order",
    "nearest_articles",
    "records",
    "StoreRef", "agreement_clauses", "all_agreements", "area_for", "area_label",
    "article_label", "filter_agreements", "matrix_frame", "matrix_pair", "matrix_pair_text",
    "overlap_matrix", "resolve", "search", "short_name",
]  # fmt: skip
