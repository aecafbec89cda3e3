"""Every library call the TUI makes, in one place.

Screens ask this module for ready-to-show pandas frames and small view
records; it calls the store, the catalog and the overlap functions and adds
nothing but presentation (labels from :mod:`.labels`, column choices, the
ranking of articles for "go to").  When the library's API moves,
this is the file that follows it, with :mod:`.comparison` (the Compare
screen's rows, re-exported here).

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
from ..store import Store
from ..taxonomy import AREAS, area_keys
from .comparison import (
    MARKS,
    CompareRow,
    CompareView,
    LanguageGap,
    Segment,
    compare,
    compare_articles,
    compare_baseline,
    compare_export,
    diff_pieces,
    language_gap,
    marked,
)
from .labels import (
    agreement_labels,
    area_label,
    article_label,
    article_short,
    chapter_short,
    short_name,
)

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


def resolve_in(table: pd.DataFrame, name: str) -> str:
    """Agreement id for a forgiving name among the rows of :func:`all_agreements`."""
    return catalog_resolve(name, table)


# -- one agreement ----------------------------------------------------------------------


def agreement_clauses(store: Store, agreement_id: str) -> pd.DataFrame:
    """All clauses of one agreement in document order."""
    return store.clauses([agreement_id])


def article_choices(clauses: pd.DataFrame) -> pd.DataFrame:
    """One row per article of :func:`agreement_clauses`: index, number, title and the label shown."""
    arts = clauses.drop_duplicates("article_index")[
        ["article_index", "article_number", "article_title", "chapter_number", "chapter_title"]
    ].reset_index(drop=True)
    arts["label"] = [
        article_label(n, t) for n, t in zip(arts["article_number"], arts["article_title"], strict=True)
    ]
    arts["number"] = arts["article_number"].map(article_short)
    return arts


_NUMBERISH = re.compile(r"[a-z]?[\d.\-]+[a-z]?(?:bis|ter)?")
_ARTICLE_WORD = re.compile(r"^\s*(?:art[ií]culos?|articles?|art)\b\.?\s*", re.I)


def rank_articles(articles: pd.DataFrame, query: str, *, limit: int = 30) -> list[int]:
    """Rows of :func:`article_choices` that ``query`` means, best first: its number, else its title.

    "1110", "art. 1110" and "Article 1110" find Article 1110 before 1110bis
    or 11101; other text is matched against the titles, forgivingly
    (rapidfuzz's WRatio: word order, case and typos are forgiven, so
    "expropiation" finds "Expropriation And Compensation").
    """
    from rapidfuzz import fuzz, process, utils

    q = _ARTICLE_WORD.sub("", query).strip().rstrip(".").lower()
    if not q or articles.empty:
        return list(range(min(limit, len(articles))))
    numbers = articles["number"].str.lower().tolist()
    exact = [i for i, n in enumerate(numbers) if n == q]
    prefix = [i for i, n in enumerate(numbers) if n.startswith(q) and n != q]
    prefix.sort(key=lambda i: (len(numbers[i]), i))
    found = exact + prefix
    if found and _NUMBERISH.fullmatch(q):
        return found[:limit]
    titles = [t if isinstance(t, str) else "" for t in articles["article_title"]]
    seen = set(found)
    # Titles with words starting as typed ("nat" -> National Treatment) before looser matches.
    words = q.split()
    for i, title in enumerate(titles):
        lowered = title.lower().split()
        if i not in seen and words and all(any(w.startswith(x) for w in lowered) for x in words):
            seen.add(i)
            found.append(i)
    for _, _score, i in process.extract(
        q, titles, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit * 2, score_cutoff=60
    ):
        if i not in seen:
            seen.add(i)
            found.append(i)
    return found[:limit]


# -- search -----------------------------------------------------------------------------

MARK = ("\x02", "\x03")
"""Snippet highlight markers: control characters never found in treaty text."""


def search(store: Store, query: str, limit: int = 200) -> pd.DataFrame:
    """Full-text search hits; snippets mark the matched words with :data:`MARK`; ``label`` and
    ``short`` name each hit's agreement as :func:`agreement_labels` does."""
    hits = store.search(query, limit=limit, mark=MARK)
    if hits.empty:
        return hits.assign(label=[], short=[])
    meta = store.agreements()
    hits["label"] = hits["agreement_id"].map(agreement_labels(meta))
    hits["short"] = hits["agreement_id"].map(agreement_labels(meta, short=True))
    return hits


def search_export(store: Store, hits: pd.DataFrame) -> pd.DataFrame:
    """The hits with each clause's whole text (``text``) after the snippet (marks made «guillemets»)."""
    df = hits.copy()
    if df.empty:
        return df
    df["snippet"] = df["snippet"].str.replace(MARK[0], "«").str.replace(MARK[1], "»")
    texts = store.clauses(sorted(set(df["agreement_id"])), columns=["id", "text"]).set_index("id")["text"]
    df["text"] = df["clause_id"].map(texts)
    return df.reset_index(drop=True)


# -- nearest articles -------------------------------------------------------------------


def nearest_articles(store: Store, agreement_id: str, article_index: int, *, top: int) -> pd.DataFrame:
    """The articles of other agreements most similar to one article, with where to open them."""
    mine = store.clauses([agreement_id], columns=["article_index", "article_number"])
    numbers = mine.loc[mine["article_index"] == article_index, "article_number"].dropna()
    if numbers.empty:
        raise RulecompareError("this article has no number, so its nearest articles cannot be looked up")
    found = overlap.neighbours(store, agreement_id, article=str(numbers.iloc[0]), top=top)
    if found.empty:
        return found.assign(article_index=[], area=[], label=[], short=[])
    where = store.clauses(
        sorted(set(found["agreement_id"])),
        columns=["agreement_id", "article_index", "article_number", "area"],
    ).drop_duplicates(["agreement_id", "article_number"])
    out = found.merge(where, on=["agreement_id", "article_number"], how="left")
    meta = store.agreements()
    out["label"] = out["agreement_id"].map(agreement_labels(meta))
    out["short"] = out["agreement_id"].map(agreement_labels(meta, short=True))
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


def matrix_pair_text(
    result: overlap.MatrixResult,
    row: int,
    column: int,
    labels: Sequence[str] | None = None,
    *,
    brief: bool = False,
) -> str:
    """Two lines naming a cell's pair (by ``labels``, else the units' own), its score and the baseline;
    ``brief`` (a narrow terminal) leaves out how the baseline was computed (the help says it)."""
    names = list(labels) if labels is not None else list(result.units["label"])
    score = float(result.frame.to_numpy()[row, column])
    ratio = f", {score / result.baseline:.1f}x baseline" if result.baseline > 0 else ""
    direction = " (row found in column)" if result.measure != "jaccard" else ""
    scope = "" if brief else f" ({result.baseline_scope})"
    return (
        f"{row + 1} {names[row]}  x  {column + 1} {names[column]}\n"
        f"{result.measure}{direction} = {score:.3f}{ratio}; baseline {result.baseline:.3f}{scope}"
    )


def matrix_labels(store: Store, result: overlap.MatrixResult, *, short: bool = False) -> list[str]:
    """Row labels a reader can tell apart: agreement names (with the language where names repeat);
    at chapter level "NAFTA · Ch 11 Investment", at area level "NAFTA · Investment".  ``short``: at
    agreement level the short names ("NAFTA", "TPP (en)"), for rows too narrow for the whole name."""
    units = result.units
    meta = store.agreements()
    if result.level == "agreement":
        labels = agreement_labels(meta, short=short)
        return [labels.get(str(a), str(a)) for a in units["agreement_id"]]
    shorts = agreement_labels(meta, short=True)
    heads = [shorts.get(str(a), str(a)) for a in units["agreement_id"]]
    if result.level == "area":
        return [f"{h} · {area_label(str(k))}" for h, k in zip(heads, units["area"], strict=True)]
    ids = sorted(set(units["agreement_id"]))
    chapters = store.clauses(
        ids, columns=["agreement_id", "chapter_index", "chapter_number", "chapter_title"]
    )
    first = chapters.drop_duplicates(["agreement_id", "chapter_index"]).set_index(
        ["agreement_id", "chapter_index"]
    )
    out = []
    for h, a, c in zip(heads, units["agreement_id"], units["chapter_index"], strict=True):
        key = (a, c)
        what = (
            chapter_short(first.at[key, "chapter_number"], first.at[key, "chapter_title"])
            if key in first.index
            else f"chapter {c}"
        )
        out.append(f"{h} · {what}")
    return out


def fit_labels(labels: Sequence[str], shorts: Sequence[str], width: int) -> list[str]:
    """Each label as it fits ``width``: whole, else its short form (clipped if even that is too long),
    so that a clipped name never loses what tells two rows apart ("TPP (en)", not "Trans-Pacific Pa…")."""
    return [
        label if len(label) <= width else short_name(brief, width)
        for label, brief in zip(labels, shorts, strict=True)
    ]


def matrix_frame(result: overlap.MatrixResult, labels: Sequence[str] | None = None) -> pd.DataFrame:
    """The square matrix as a table: unit id and label, then one column per unit id."""
    frame = result.frame.copy()
    shown = list(labels) if labels is not None else result.units["label"].to_numpy()
    frame.insert(0, "label", shown)
    return frame.reset_index()


__all__ = [
    "AGREEMENT_EXPORT_COLUMNS", "LEVELS", "MARK", "MARKS", "MEASURES", "AgreementFilter", "CompareRow",
    "CompareView", "LanguageGap", "Segment", "StoreRef", "agreement_clauses", "all_agreements", "area_for",
    "area_label", "article_choices", "article_label", "compare", "compare_articles", "compare_baseline",
    "compare_export", "diff_pieces", "filter_agreements", "fit_labels", "language_gap", "marked",
    "matrix_frame", "matrix_labels", "matrix_pair", "matrix_pair_text", "nearest_articles", "overlap_matrix",
    "rank_articles", "records", "resolve", "resolve_in", "search", "search_export", "short_name",
]  # fmt: skip
