"""The Compare screen's data: two agreements' clause alignment laid out as rows, each side quoted exactly.

Part of the TUI's calls into the library (see :mod:`.data`, which re-exports
everything here): the alignment and its word diffs come from
:func:`rulecompare.overlap.align`; this module only lays them out (each side's
own text in runs, shared or changed), names the articles, and writes the
summary line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import overlap
from ..overlap.diff import ClauseDiff, Side
from ..store import Store
from ..taxonomy import area_keys
from .labels import agreement_labels, area_label, article_label, article_short, language_name

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
    for r in _records(frame):
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
    summary = _summary(frame, area)
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


def _summary(frame: pd.DataFrame, area: str | None) -> str:
    """The summary line: how much of each side was aligned, and how well."""
    status = frame["status"].value_counts()
    n_pairs, only_a, only_b = (int(status.get(k, 0)) for k in ("aligned", "only_a", "only_b"))
    n_a, n_b = n_pairs + only_a, n_pairs + only_b
    where = f" · area {area_label(area)}" if area else ""
    if n_a == 0 and n_b == 0:
        return f"Neither agreement has clauses{' in this area' if area else ''}: nothing to align{where}"
    # A mean over no pairs is not a score of 0: it is said to be missing, and why.
    mean = (
        f"mean score {frame.loc[frame['status'] == 'aligned', 'score'].mean():.2f}"
        if n_pairs
        else "mean score n/a (no aligned pairs)"
    )
    share_a, share_b = n_pairs / max(n_a, 1), n_pairs / max(n_b, 1)
    return (
        f"{n_pairs} aligned pairs (A {share_a:.0%} of {n_a}, B {share_b:.0%} of {n_b})"
        f" · {mean} · only in A {only_a}, only in B {only_b}{where}"
    )


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
    baseline = f"corpus baseline {result.baseline:.3f}"
    if len(result.frame) < 2:
        # One side has no clause (in the area): there is no pair to score, which is not a score of 0.
        return f"Jaccard n/a (a side without clauses), {baseline}", result.baseline_scope
    score = float(result.frame.to_numpy()[0, 1])
    return f"Jaccard {score:.3f}, {baseline}", result.baseline_scope


def _records(df: pd.DataFrame) -> Iterator[Any]:
    rows: Iterator[Any] = df.itertuples(index=False)
    return rows
