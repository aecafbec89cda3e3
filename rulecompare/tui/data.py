"""Every library call the TUI makes, in one place.

Screens ask this module for ready-to-show pandas frames and small view
records; it calls the store, the catalog and the overlap functions and adds
nothing but presentation (short labels, column choices).  When the library's API moves,
this is the one file that follows it.

SQLite connections belong to the thread that opened them, and the UI does its
long work in worker threads, so screens hold a :class:`StoreRef` (a path) and
open a short-lived :class:`~rulecompare.store.Store` inside each worker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import overlap
from ..catalog import resolve as catalog_resolve
from ..errors import RulecompareError
from ..overlap.diff import ClauseDiff, Side
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


Segment = tuple[str, str]
"""A run of one side's text: ("=", text both sides share) or ("+", text only this side has)."""


@dataclass(frozen=True)
class CompareRow:
    """One row of the Compare table: an aligned pair, or a clause only one side has."""

    kind: str
    """"pair", "a" (only in A) or "b" (only in B)."""
    score: float | None
    a_clause: str | None
    a_where: str
    """Article and paragraph of A's clause, for the row's header line."""
    a_pieces: tuple[Segment, ...]
    """A's clause text in runs; joined, they are the text exactly (spaces and line breaks included)."""
    b_clause: str | None
    b_where: str
    b_pieces: tuple[Segment, ...]

    @property
    def a_segments(self) -> tuple[Segment, ...]:
        """A's runs as words: whitespace made single spaces, runs without words left out."""
        return _words(self.a_pieces)

    @property
    def b_segments(self) -> tuple[Segment, ...]:
        """B's runs as words (see :attr:`a_segments`)."""
        return _words(self.b_pieces)

    @property
    def differs(self) -> bool:
        """Whether the row is unmatched or its two texts differ in any word."""
        return self.kind != "pair" or any(op == "+" for op, _ in self.a_pieces + self.b_pieces)


def _words(pieces: tuple[Segment, ...]) -> tuple[Segment, ...]:
    return tuple((op, " ".join(run.split())) for op, run in pieces if run.strip())


def diff_pieces(diff: ClauseDiff, side: Side) -> tuple[Segment, ...]:
    """One side of an aligned pair as the Compare table shows it: the side's own text, in runs."""
    return tuple(("+" if changed else "=", run) for changed, run in diff.pieces(side))


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


def _where(article: object, title: object, paragraph: object) -> str:
    label = article_label(article, title)
    return f"{label} ¶{paragraph}" if isinstance(paragraph, str) and paragraph else label


def compare(store: Store, a: str, b: str, *, area: str | None = None) -> CompareView:
    """The clause alignment of ``a`` with ``b`` in reading order, laid out for the Compare table.

    The alignment is cached in a writable store (opening the same pair again is instant).
    """
    al = overlap.align(store, a, b, area=area, cache=True)
    frame = al.in_place()
    names = store.agreements([a, b]).set_index("id")["name"]
    rows: list[CompareRow] = []
    for r in records(frame):
        kind = {"aligned": "pair", "only_a": "a", "only_b": "b"}[r.status]
        if kind == "pair":
            diff = al.diffs[r.pair]
            seg_a, seg_b = diff_pieces(diff, "a"), diff_pieces(diff, "b")
        else:
            seg_a = (("+", str(r.a_text)),) if kind == "a" else ()
            seg_b = (("+", str(r.b_text)),) if kind == "b" else ()
        rows.append(
            CompareRow(
                kind=kind,
                score=None if kind != "pair" else float(r.score),
                a_clause=r.a_clause if isinstance(r.a_clause, str) else None,
                a_where=_where(r.a_article, r.a_title, r.a_paragraph) if kind != "b" else "",
                a_pieces=seg_a,
                b_clause=r.b_clause if isinstance(r.b_clause, str) else None,
                b_where=_where(r.b_article, r.b_title, r.b_paragraph) if kind != "a" else "",
                b_pieces=seg_b,
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
    export = frame.drop(columns=["diff", "pair"]).rename(columns={"status": "row"})
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
    """The overlap matrix of ``ids`` at ``level`` by ``measure``."""
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
    "CompareRow",
    "CompareView",
    "Segment",
    "compare",
    "compare_baseline",
    "diff_pieces",
    "nearest_articles",
    "records",
    "StoreRef", "agreement_clauses", "all_agreements", "area_for", "area_label",
    "article_label", "filter_agreements", "matrix_frame", "matrix_pair", "matrix_pair_text",
    "overlap_matrix", "resolve", "search", "short_name",
]  # fmt: skip
