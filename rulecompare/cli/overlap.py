"""Overlap commands: neighbours, align, reuse (matrix is :mod:`.matrix_cmd`'s).

Each parses options, resolves names, calls :mod:`rulecompare.overlap` and
hands the frame to :meth:`~rulecompare.cli.output.Output.emit`; every
output states the corpus baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from .common import MAX_ROWS, errors_to_exit, resolve, score_option
from .feedback import Feedback, with_feedback
from .matrix_cmd import AreaOpt, MonoOpt
from .output import Output, with_output

if TYPE_CHECKING:
    import pandas as pd

    from ..overlap.diff import ClauseDiff, Side


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
    calibrated, and marked in the cross_lingual column (raw_score: before
    calibration).

    Examples:

        rulecompare neighbours tpp --top 5
        rulecompare neighbours nafta --article 1110   # expropriation elsewhere
        rulecompare neighbours korus --area e_commerce
        rulecompare neighbours tota:450 --top 10   # TPP's Spanish text among the English ones
    """
    from .. import overlap

    store = out.open_store()
    aid = resolve(store, agreement)
    what = f"article {article} of {aid}" if article else aid
    with errors_to_exit():
        frame = with_feedback(
            f"neighbours: comparing {what} with the corpus",
            lambda: overlap.neighbours(
                store, aid, top=top, area=area, article=article, monolingual=monolingual
            ),
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
    from .. import overlap

    store = out.open_store()
    with errors_to_exit():
        ida, idb = resolve(store, a), resolve(store, b)
        with Feedback(f"align: {ida} with {idb}") as feedback:
            al = overlap.align(store, ida, idb, area=area, min_score=min_score, monolingual=monolingual)
            feedback.update("the corpus baseline of clause pairs")
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
    from .. import overlap

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
    from .. import overlap

    store = out.open_store()
    aid = resolve(store, agreement)
    with errors_to_exit():
        r = with_feedback(
            f"reuse: {aid}'s clauses against every earlier agreement",
            lambda: overlap.reuse(store, aid, top=top, monolingual=monolingual),
        )
    name = store.agreement(r.agreement).name
    share = (
        f"{r.copied_share:.1%} of {name}'s words are in runs of 6+ words found in at least one of the "
        f"{r.n_earlier} earlier agreements in its language: a union over all of them, which grows with their "
        "number, so no pair baseline applies to it; set it beside another agreement's of about the same date "
        "and size (`rulecompare reuse OTHER`)"
        if r.n_earlier
        else "no earlier agreement in its language: its copied share is unknown (NaN)"
    )
    cross = (
        f"earlier agreements in other languages left out: {r.cross_reason}"
        if r.cross_reason
        else f"{r.n_cross} earlier agreements in other languages compared through English translations "
        "(cross_lingual, calibrated)"
    )
    notes = [
        share,
        f"copied_share below is per source agreement, one pair at a time: the corpus median pair "
        f"copies {r.baseline:.3f}",
    ]
    if clauses:
        notes[1] = "score: each clause's similarity with its best earlier counterpart (source_clause)"
    notes.append(cross)
    out.emit(r.clauses if clauses else r.sources, title=f"reuse in {name} ({r.agreement})", note=notes)


def register(app: typer.Typer) -> None:
    """Add the overlap commands to the app."""
    app.command("neighbours")(neighbours_cmd)
    app.command("align")(align_cmd)
    app.command("reuse")(reuse_cmd)


__all__ = ["register"]
