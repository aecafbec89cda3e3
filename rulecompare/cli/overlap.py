"""Overlap commands: matrix, neighbours, align, reuse.

Each parses options, resolves names, calls :mod:`rulecompare.overlap` and
hands the frame to :func:`emit`; every output states the corpus baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from .. import overlap
from ..overlap.diff import ClauseDiff, Side
from .common import MAX_ROWS, Output, errors_to_exit, resolve, resolve_all, score_option, with_output

AreaOpt = Annotated[
    str | None, typer.Option("--area", help="Only clauses of this policy area.", show_default=False)
]
MonoOpt = Annotated[
    bool,
    typer.Option(
        "--monolingual",
        help="Compare texts in one language only (no translation): pairs across languages are left out.",
    ),
]


@with_output
def matrix_cmd(
    agreements: Annotated[
        list[str] | None, typer.Argument(help="Agreements (names or ids). Default: all.", show_default=False)
    ] = None,
    *,
    family: Annotated[
        str | None, typer.Option("--family", help="Only agreements of this family.", show_default=False)
    ] = None,
    party: Annotated[
        str | None,
        typer.Option("--party", help="Only agreements with this party (ISO3).", show_default=False),
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Only agreements in this language.", show_default=False)
    ] = None,
    area: AreaOpt = None,
    level: Annotated[str, typer.Option("--level", help="agreement, chapter or area.")] = "agreement",
    measure: Annotated[str, typer.Option("--measure", help="jaccard, containment or copied.")] = "jaccard",
    long: Annotated[
        bool, typer.Option("--long", help="One row per pair instead of a square matrix.")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Also draw a clustered heatmap (.png or .svg).", show_default=False),
    ] = None,
    monolingual: MonoOpt = False,
    out: Output,
) -> None:
    """Overlap matrix of agreements (or their chapters or areas), with the corpus baseline.

    Without agreements or filters it compares every English agreement.
    jaccard is symmetric; containment and copied read "the row in the
    column": the share of the row's shingles, or of its words in runs of
    6+ words, also found in the column. Agreements in different languages
    are compared through the English translation (Apertium), calibrated
    onto the monolingual scale and marked with * (a cross_lingual column
    with --long).

    Examples:

        rulecompare matrix nafta tpp us-peru korus
        rulecompare matrix --family eu --level area --area rules_of_origin -o roo.csv
        rulecompare matrix --language en --long -o all-pairs.parquet --plot pta.png
        rulecompare matrix nafta tpp --measure containment   # row found in column
        rulecompare matrix tota:449 tota:450 tota:71 nafta   # Spanish texts beside English ones
    """
    store = out.open_store()
    with errors_to_exit():
        ids = resolve_all(store, agreements)
        if ids is None and not (family or party or language):
            language = "en"
        result = overlap.matrix(
            store, ids, family=family, party=party, language=language, area=area,
            level=level, measure=measure, monolingual=monolingual,  # type: ignore[arg-type]
        )  # fmt: skip
        if plot is not None:
            from ..plots import score_heatmap

            order = overlap.cluster_order(result.frame)
            labels = result.units.set_index("unit")["label"]
            shown = result.frame.loc[order, order]
            shown.index = [str(labels[i])[:40] for i in order]
            shown.columns = shown.index
            score_heatmap(shown, plot, title=result.note, colorbar=result.measure)
    frame = result.long() if long else result.frame.reset_index()
    if not long and out.terminal_table:
        # For people at a terminal: names beside the ids, three decimals.
        labels = result.units.set_index("unit")["label"].astype(str).str.slice(0, 32)
        frame = result.frame.round(3)
        if result.n_cross:
            frame = frame.astype(object).mask(result.cross, frame.map(lambda v: f"{v:.3f}*"))
        frame.insert(0, "name", labels.reindex(frame.index).to_numpy())
        frame = frame.reset_index()
    out.emit(frame, title=f"{result.measure} matrix", note=result.note)


@with_output
def neighbours_cmd(
    agreement: Annotated[str, typer.Argument(help="Agreement (name or id).")],
    *,
    top: Annotated[int, typer.Option("--top", "-k", help="How many neighbours.", min=1, max=MAX_ROWS)] = 10,
    area: AreaOpt = None,
    article: Annotated[
        str | None,
        typer.Option("--article", help="Neighbours of this article (e.g. 1110).", show_default=False),
    ] = None,
    monolingual: MonoOpt = False,
    out: Output,
) -> None:
    """The most similar agreements (or articles of other agreements), with the baseline.

    Scores are char-5 Jaccard, with the containment both ways beside them;
    `--area` compares only the clauses of that policy area. Agreements in
    another language are compared through the English translation,
    calibrated, and marked in the cross_lingual column.

    Examples:

        rulecompare neighbours tpp --top 5
        rulecompare neighbours nafta --article 1110   # expropriation elsewhere
        rulecompare neighbours korus --area e_commerce
        rulecompare neighbours tota:450 --top 10   # TPP's Spanish text among the English ones
    """
    store = out.open_store()
    with errors_to_exit():
        frame = overlap.neighbours(
            store, resolve(store, agreement), top=top, area=area, article=article, monolingual=monolingual
        )
    note = (
        f"corpus baseline (median pair) = {frame.attrs['baseline']:.3f} ({frame.attrs['baseline_scope']}); "
        + _cross_note(frame.attrs["n_cross"], frame.attrs["cross_reason"], left_out=True)
    )
    out.emit(frame, title="neighbours (char-5 Jaccard)", note=note)


@with_output
def align_cmd(
    a: Annotated[str, typer.Argument(help="First agreement (name or id).")],
    b: Annotated[str, typer.Argument(help="Second agreement (name or id).")],
    *,
    area: AreaOpt = None,
    min_score: Annotated[
        float,
        typer.Option("--min-score", help="Least clause Jaccard to pair two clauses.", callback=score_option),
    ] = 0.3,
    monolingual: MonoOpt = False,
    out: Output,
) -> None:
    """Clause-by-clause alignment with word diffs; clauses only one side has are listed too.

    Rows follow A's order, with each clause only B has after its aligned B
    predecessor. In the table, a_diff is A's text with [-words B lacks-] and
    b_diff is B's text with {+words A lacks+}; files hold the texts and the
    deleted and inserted words. Agreements in two languages are aligned in
    English: the non-English side through its translation (the diff is
    taken on it; a_text/b_text keep the original), scores calibrated onto
    the monolingual scale. Needs Apertium for that.

    Examples:

        rulecompare align nafta tpp --area investment
        rulecompare align us-peru tpp -o diff.csv   # diff columns for a spreadsheet
        rulecompare align tota:450 tota:449 --area investment   # TPP in Spanish and in English
    """
    store = out.open_store()
    with errors_to_exit():
        ida, idb = resolve(store, a), resolve(store, b)
        al = overlap.align(store, ida, idb, area=area, min_score=min_score, monolingual=monolingual)
        baseline, scope = overlap.corpus_baseline(store, level="clause", area=area)
    frame = al.in_place()
    table = (out.fmt or "") == "table" or (out.fmt is None and out.file is None)
    if table:
        frame["a_diff"], frame["b_diff"] = side_columns(frame, al.diffs)
        cols = ["status", "a_article", "a_paragraph", "b_article", "b_paragraph", "score", "a_diff", "b_diff"]
        for side in ("a", "b"):
            if frame[f"{side}_translation"].notna().any():
                cols.append(f"{side}_text")  # the original beside the translation the diff is taken on
    else:
        cols = [c for c in frame.columns if c not in ("diff", "pair")]
    share, n = al.same_title_share()
    n_cross = int(al.pairs["cross_lingual"].sum()) if "cross_lingual" in al.pairs else 0
    titles = (
        f"same-title articles paired: {share:.0%} of {n}" if n else "no article title occurs on both sides"
    )
    note = (
        f"{len(al.pairs)} aligned, {len(al.only_a)} only in {ida}, {len(al.only_b)} only in {idb}; "
        f"{_cross_note(n_cross, '')}; {titles}; clause baseline (median pair) = {baseline:.3f} ({scope})"
    )
    out.emit(frame[cols], title=f"{ida} vs {idb}", note=note)


def _cross_note(n: int, reason: str, *, left_out: bool = False) -> str:
    if reason and left_out:
        return f"agreements in other languages left out: {reason}"
    return overlap.cross_note(n, reason)


MARKS: dict[Side, tuple[str, str]] = {"a": ("[-", "-]"), "b": ("{+", "+}")}
"""How the align table marks the words only one side has: git's word-diff markers."""


def marked(diff: ClauseDiff, side: Side) -> str:
    """One side's own text, every character of it, with the words the other side lacks marked."""
    start, end = MARKS[side]
    return "".join(f"{start}{run}{end}" if changed else run for changed, run in diff.pieces(side))


def side_columns(frame: pd.DataFrame, diffs: Sequence[ClauseDiff]) -> tuple[list[str], list[str]]:
    """The a_diff and b_diff cells of each row of ``Alignment.in_place()``; one-sided rows show their text."""
    a_cells: list[str] = []
    b_cells: list[str] = []
    for pair, a_text, b_text in zip(frame["pair"], frame["a_text"], frame["b_text"], strict=True):
        if pair >= 0:
            a_cells.append(marked(diffs[pair], "a"))
            b_cells.append(marked(diffs[pair], "b"))
        else:
            a_cells.append(a_text if isinstance(a_text, str) else "")
            b_cells.append(b_text if isinstance(b_text, str) else "")
    return a_cells, b_cells


@with_output
def reuse_cmd(
    agreement: Annotated[str, typer.Argument(help="Agreement (name or id).")],
    *,
    top: Annotated[
        int, typer.Option("--top", "-k", help="How many source agreements.", min=1, max=MAX_ROWS)
    ] = 5,
    clauses: Annotated[
        bool, typer.Option("--clauses", help="List every clause with its best earlier match.")
    ] = False,
    monolingual: MonoOpt = False,
    out: Output,
) -> None:
    """Which earlier agreements this one copies from: copied share and top sources.

    Earlier means signed before it. Earlier agreements in another language
    are compared through English translations, their scores calibrated and
    marked (cross_lingual); the overall copied share counts the same
    language only. `--clauses` lists each clause with its best earlier
    counterpart instead of the sources.

    Examples:

        rulecompare reuse tpp        # which earlier agreements is TPP built on?
        rulecompare reuse korus --clauses -o korus-sources.csv
        rulecompare reuse tota:71 --top 5   # Chile - Mexico (Spanish): NAFTA among its sources?
    """
    store = out.open_store()
    with errors_to_exit():
        r = overlap.reuse(store, resolve(store, agreement), top=top, monolingual=monolingual)
    cross = (
        f"earlier agreements in other languages left out: {r.cross_reason}"
        if r.cross_reason
        else f"{r.n_cross} earlier agreements in other languages compared through English translations "
        "(cross_lingual, calibrated)"
    )
    share = (
        f"{r.copied_share:.1%} of {r.agreement}'s words are in runs of 6+ words found in the {r.n_earlier} "
        "earlier agreements in its language"
        if r.n_earlier
        else "no earlier agreement in its language: its copied share is unknown (NaN)"
    )
    note = f"{share}; corpus baseline of copied share (median pair) = {r.baseline:.3f}; {cross}"
    out.emit(r.clauses if clauses else r.sources, title=f"reuse in {r.agreement}", note=note)


def register(app: typer.Typer) -> None:
    """Add the overlap commands to the app."""
    app.command("matrix")(matrix_cmd)
    app.command("neighbours")(neighbours_cmd)
    app.command("align")(align_cmd)
    app.command("reuse")(reuse_cmd)


__all__ = ["register"]
