"""Every library call the TUI makes, in one place.

Screens ask this module for ready-to-show pandas frames and small view
records; it calls the store, the catalog and the overlap functions and adds
nothing but presentation (labels from :mod:`.labels`, column choices, the
ranking of articles for "go to").  When the library's API moves,
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
from .labels import (
    agreement_labels,
    area_label,
    article_label,
    article_short,
    chapter_short,
    language_name,
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
    a_article: str = ""
    """A's article number as written ("ARTICLE 1110"), for going to it and for file names."""
    b_article: str = ""
    a_title: str = ""
    """A's article title, for going to it."""
    b_title: str = ""

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
    a_short: str = ""
    """Short names (:func:`brief`) for headers and file names."""
    b_short: str = ""

    @property
    def first_pair(self) -> int:
        """Index of the first aligned pair (0 when there is none)."""
        return next((i for i, r in enumerate(self.rows) if r.kind == "pair"), 0)


@dataclass(frozen=True)
class LanguageGap:
    """Two agreements in different languages: why Compare has no aligned pairs for them."""

    a_language: str
    b_language: str
    message: str
    """What the screen says, naming both languages."""
    same_in_a_language: str | None
    """An agreement of B's name in A's language (TPP in English for TPP in Spanish), if the store has one."""
    title: str = ""
    """The pair by short names ("NAFTA × TPP (es)")."""


def language_gap(store: Store, a: str, b: str) -> LanguageGap | None:
    """None when ``a`` and ``b`` are in one language; else why comparing them clause by clause finds nothing.

    Clause alignment compares wording (character 5-grams), so a Spanish text
    and an English one share next to nothing and every clause would be listed
    as unmatched.  A cross-lingual comparison is planned; until then the
    screen says so instead of showing thousands of one-sided rows.
    """
    meta = store.agreements()
    rows = meta.set_index("id")
    if a not in rows.index or b not in rows.index:
        return None
    la, lb = (str(rows.at[x, "language"] or "") for x in (a, b))
    if not la or not lb or la == lb:
        return None
    labels = agreement_labels(meta)
    same = meta[(meta["name"] == rows.at[b, "name"]) & (meta["language"] == la) & (meta["id"] != b)]
    twin = str(same["id"].iloc[0]) if len(same) else None
    message = (
        f"No aligned pairs: {labels[a]} is in {language_name(la)} and {labels[b]} in {language_name(lb)}. "
        "Clause alignment compares wording, so texts in different languages share almost nothing; "
        "a cross-lingual comparison is planned for a later version."
    )
    if twin is not None:
        message += f" The store also holds {rows.at[b, 'name']} in {language_name(la)} ({twin})."
    shorts = agreement_labels(meta, short=True)
    return LanguageGap(la, lb, message, twin, f"{shorts[a]} × {shorts[b]}")


MARKS = {"a": ("[-", "-]"), "b": ("{+", "+}")}
"""How an export marks the words one side has and the other lacks (git's word-diff markers)."""


def marked(pieces: Sequence[Segment], side: Side) -> str:
    """One side's text with its changed runs between :data:`MARKS`; without the marks it is the text."""
    start, end = MARKS[side]
    return "".join(f"{start}{run}{end}" if op == "+" else run for op, run in pieces)


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
                a_article=r.a_article if isinstance(r.a_article, str) else "",
                b_article=r.b_article if isinstance(r.b_article, str) else "",
                a_title=r.a_title if isinstance(r.a_title, str) else "",
                b_title=r.b_title if isinstance(r.b_title, str) else "",
            )
        )
    status = frame["status"].value_counts()
    n_pairs, only_a, only_b = (int(status.get(k, 0)) for k in ("aligned", "only_a", "only_b"))
    n_a, n_b = n_pairs + only_a, n_pairs + only_b
    mean = float(frame.loc[frame["status"] == "aligned", "score"].mean()) if n_pairs else float("nan")
    share_a, share_b = n_pairs / max(n_a, 1), n_pairs / max(n_b, 1)
    summary = (
        f"{n_pairs} aligned pairs (A {share_a:.0%} of {n_a}, B {share_b:.0%} of {n_b})"
        f" · mean score {mean:.2f} · only in A {only_a}, only in B {only_b}"
        + (f" · area {area_label(area)}" if area else "")
    )
    counts = store.clauses([a, b], columns=["area"])["area"].value_counts()
    areas = [(k, int(counts[k])) for k in area_keys() if k in counts.index]
    export = compare_export(frame, rows)
    meta = store.agreements()
    labels = agreement_labels(meta)
    shorts = agreement_labels(meta, short=True)
    return CompareView(
        a, labels.get(a, str(names.get(a, a))), b, labels.get(b, str(names.get(b, b))), area, rows,
        export, areas, summary, shorts.get(a, a), shorts.get(b, b),
    )  # fmt: skip


def compare_articles(rows: Sequence[CompareRow]) -> pd.DataFrame:
    """The articles of a comparison for going to one (:func:`rank_articles`): A's in A's order, then
    B's; ``article_index`` is the row where each first appears."""
    seen: dict[tuple[str, str, str], int] = {}
    for i, r in enumerate(rows):
        if r.kind != "b":
            seen.setdefault(("A", r.a_article, r.a_title), i)
        if r.kind != "a":
            seen.setdefault(("B", r.b_article, r.b_title), i)
    keys = sorted(seen, key=lambda k: (k[0], seen[k]))
    return pd.DataFrame(
        {
            "article_index": [seen[k] for k in keys],
            "article_number": [k[1] for k in keys],
            "article_title": [k[2] for k in keys],
            "chapter_title": [None] * len(keys),
            "label": [f"{k[0]} · {article_label(k[1], k[2])}" for k in keys],
            "number": [article_short(k[1]) for k in keys],
        }
    )


def compare_export(frame: pd.DataFrame, rows: Sequence[CompareRow]) -> pd.DataFrame:
    """The Compare rows as a table: each side's clause text exactly, and marked with :data:`MARKS`.

    ``a_marked``/``b_marked`` are rendered from the same runs the screen shows
    (:attr:`CompareRow.a_pieces`), so taking the marks out gives ``a_text``/``b_text``.
    """
    export = frame.drop(columns=["diff", "pair"]).rename(columns={"status": "row"})
    export["a_marked"] = [_marked_cell(r, "a") for r in rows]
    export["b_marked"] = [_marked_cell(r, "b") for r in rows]
    return export


def _marked_cell(row: CompareRow, side: Side) -> str | None:
    pieces = row.a_pieces if side == "a" else row.b_pieces
    if not pieces:
        return None
    # A clause without counterpart is shown whole; marking every word of it would say nothing more.
    return marked(pieces, side) if row.kind == "pair" else "".join(run for _, run in pieces)


def compare_baseline(store: Store, a: str, b: str, *, area: str | None = None) -> tuple[str, str]:
    """The pair's agreement-level Jaccard beside the corpus baseline, as one short phrase, and how the
    baseline was computed (for a tooltip and the help)."""
    result = overlap.matrix(store, [a, b], area=area)
    score = float(result.frame.to_numpy()[0, 1])
    return f"Jaccard {score:.3f}, corpus baseline {result.baseline:.3f}", result.baseline_scope


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
    result: overlap.MatrixResult, row: int, column: int, labels: Sequence[str] | None = None
) -> str:
    """Two lines naming a cell's pair (by ``labels``, else the units' own), its score and the baseline."""
    names = list(labels) if labels is not None else list(result.units["label"])
    score = float(result.frame.to_numpy()[row, column])
    ratio = f", {score / result.baseline:.1f}x baseline" if result.baseline > 0 else ""
    direction = " (row found in column)" if result.measure != "jaccard" else ""
    return (
        f"{row + 1} {names[row]}  x  {column + 1} {names[column]}\n"
        f"{result.measure}{direction} = {score:.3f}{ratio}; "
        f"baseline {result.baseline:.3f} ({result.baseline_scope})"
    )


def matrix_labels(store: Store, result: overlap.MatrixResult) -> list[str]:
    """Row labels a reader can tell apart: agreement names (with the language where names repeat);
    at chapter level "NAFTA · Ch 11 Investment", at area level "NAFTA · Investment"."""
    units = result.units
    meta = store.agreements()
    if result.level == "agreement":
        labels = agreement_labels(meta)
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
    "compare_export", "diff_pieces", "filter_agreements", "language_gap", "marked", "matrix_frame",
    "matrix_labels", "matrix_pair", "matrix_pair_text", "nearest_articles", "overlap_matrix", "rank_articles",
    "records", "resolve", "resolve_in", "search", "search_export", "short_name",
]  # fmt: skip
