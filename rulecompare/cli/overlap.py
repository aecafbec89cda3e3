"""Overlap commands: matrix, neighbours, align, reuse.

Each parses options, resolves names, calls :mod:`rulecompare.overlap` and
hands the frame to :func:`emit`; every output states the corpus baseline.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from .. import overlap
from ..overlap.diff import ClauseDiff, Side
from ..plots import MAX_HEATMAP_UNITS, short_name
from ..store import Store
from .common import MAX_ROWS, err, errors_to_exit, fail, party_ids, resolve, resolve_all, score_option
from .feedback import Feedback, with_feedback
from .matrix_view import (
    Selection,
    cross_block,
    left_out_reasons,
    long_pairs,
    selection_notes,
    unit_info,
    wide,
)
from .output import Output, with_output

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
        typer.Option(
            "--party",
            help="Only agreements with this party: ISO3 code (CHN), country name or bloc (EU, ASEAN).",
            show_default=False,
        ),
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
    within: Annotated[
        bool,
        typer.Option(
            "--within",
            help="At chapter or area level, also the pairs within one agreement (default: pairs across "
            "agreements; for two agreements, A's rows against B's columns).",
        ),
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help=f"Also draw a clustered heatmap (.png, .svg or .pdf; at most {MAX_HEATMAP_UNITS} units).",
            show_default=False,
        ),
    ] = None,
    monolingual: MonoOpt = False,
    out: Output,
) -> None:
    """Overlap matrix of agreements (or their chapters or areas), with the corpus baseline.

    Without agreements or filters it compares every English agreement.
    jaccard is symmetric; containment and copied read "the row in the
    column": the share of the row's shingles, or of its words in runs of
    6+ words, also found in the column. Two agreements at chapter or area
    level give A's chapters (rows) against B's (columns), with numbers and
    titles; at area level, areas both have first. The header says how many
    agreements were asked for, compared and left out, and why. Agreements
    in different languages are compared through the English translation
    (Apertium), calibrated onto the monolingual scale and marked with * (a
    cross_lingual column with --long); --monolingual leaves those pairs NaN.

    Examples:

        rulecompare matrix nafta tpp us-peru korus
        rulecompare matrix "china korea" korus --level chapter
        rulecompare matrix --family eu --level area --area rules_of_origin -o roo.csv
        rulecompare matrix --language en --long -o all-pairs.parquet --plot pta.png
        rulecompare matrix nafta tpp --measure containment   # row found in column
        rulecompare matrix tota:449 tota:450 tota:71 nafta   # Spanish texts beside English ones
    """
    from ..plots import check_plot_path

    if plot is not None:
        with errors_to_exit():
            check_plot_path(plot)
    store = out.open_store()
    ids = resolve_all(store, agreements)
    if ids is not None and len(set(ids)) == 1 and level == "agreement":
        _only_one(agreements[0] if agreements else ids[0], ids[0])
    if party is not None:
        by_party = party_ids(store, [party]) or []
        ids = by_party if ids is None else [i for i in ids if i in set(by_party)]
    if ids is None and not (family or party or language):
        language = "en"
    with errors_to_exit():
        asked = _asked(store, ids, family, language, party)
        result = with_feedback(
            f"matrix: {len(asked)} agreements at {level} level",
            lambda: overlap.matrix(
                store, asked["id"].tolist() if ids is not None or party else None,
                family=family, language=language, area=area,
                level=level, measure=measure, monolingual=monolingual,  # type: ignore[arg-type]
            ),
        )  # fmt: skip
    compared = list(dict.fromkeys(result.units["agreement_id"]))
    selection = Selection(asked, compared, left_out_reasons(store, asked, set(compared), area))
    if level == "agreement" and len(compared) < 2:
        fail(_one_agreement(store, asked, compared, area))
    info = unit_info(store, result)
    notes = [
        *selection_notes(store, selection, area, level),
        _baseline_note(store, result),
        overlap.cross_note(result.n_cross, result.cross_reason),
    ]
    terminal = out.terminal_table
    title = f"{result.measure} matrix at {result.level} level" + (f", area {area}" if area else "")
    if terminal:
        _fits_a_terminal(len(info), long)
    if long:
        out.emit(_pairs(result, info, within, terminal, two=len(compared) == 2), title=title, note=notes)
    elif level != "agreement" and len(compared) == 2 and not within:
        block = cross_block(result, info, terminal=terminal)
        out.emit(block.frame, title=block.title, note=notes, grid=block.labels, footer=block.legend)
    else:
        frame, labels = wide(result, info, terminal=terminal)
        out.emit(frame, title=title, note=notes, grid=labels)
    if plot is not None:
        # After the data: a figure that cannot be drawn costs no file.
        from ..plots import score_heatmap

        with errors_to_exit():
            order = overlap.cluster_order(result.frame)
            labels_by_unit = dict(zip(info["unit"], _plot_labels(info, result.level), strict=True))
            shown = result.frame.loc[order, order]
            shown.index = [labels_by_unit[i] for i in order]
            shown.columns = shown.index
            score_heatmap(shown, plot, title=f"{title} ({len(order)} units)", colorbar=result.measure)
        err.print(f"wrote plot {plot}")


def _only_one(name: str, aid: str) -> None:
    fail(
        f"a matrix compares two or more agreements, and '{name}' names one ({aid}); name others "
        f"beside it, see the agreements closest to it with `rulecompare neighbours {shlex.quote(name)}`, "
        "or compare its chapters with each other with --level chapter"
    )


def _asked(
    store: Store, ids: list[str] | None, family: str | None, language: str | None, party: str | None
) -> pd.DataFrame:
    """The agreements asked for, in the order named (the first gives the rows)."""
    asked = store.agreements(ids, family=family, language=language)
    if ids is not None:
        asked = asked.set_index("id").loc[[i for i in dict.fromkeys(ids) if i in set(asked["id"])]]
        asked = asked.reset_index()
    if asked.empty:
        fail("no agreement matches the selection" + (f" (party {party})" if party else ""))
    return asked


def _pairs(
    result: overlap.MatrixResult, info: pd.DataFrame, within: bool, terminal: bool, two: bool
) -> pd.DataFrame:
    """The long form; at the terminal without the columns the header already says (ids are for files)."""
    pairs = long_pairs(result, info, within=within)
    if not terminal:
        return pairs
    drop = {"a", "b", "a_agreement", "b_agreement", "measure", "level", "area", "baseline"}
    if result.level != "agreement" and two:
        drop |= {"a_name", "b_name"}
    return pairs[[c for c in pairs.columns if c not in drop]]


MAX_TERMINAL_UNITS = 500
"""The most units a matrix prints at the terminal: 443 English agreements fit; 1,238 EU chapters made
350 MB of text and needed 2.4 GB to print. Beyond it the matrix goes to a file."""
MAX_TERMINAL_PAIRS = 20_000
"""The most rows of pairs (--long) printed at the terminal."""


def _fits_a_terminal(units: int, long: bool) -> None:
    """Refuse a matrix too large to read at the terminal, saying how to get it."""
    shown = units * units if long else units
    if shown <= (MAX_TERMINAL_PAIRS if long else MAX_TERMINAL_UNITS):
        return
    what = f"{shown:,} rows of pairs" if long else f"a {units:,} x {units:,} table"
    fail(
        f"{units:,} units make {what}, more than a terminal can show; write it to a file "
        "(-o matrix.csv, .parquet or .xlsx; --long -o pairs.parquet for one row per pair), "
        "or narrow the selection (--family, --party, --area, or a list of agreements)"
    )


def _plot_labels(info: pd.DataFrame, level: str) -> list[str]:
    """Short labels for a heatmap's axes: the agreement's short name, and the chapter or area."""
    names = [short_name(n, 36) for n in info["agreement"]]
    if level == "chapter":
        return [f"{n} | {c} {t}"[:60] for n, c, t in zip(names, info["chapter"], info["title"], strict=True)]
    if level == "area":
        return [f"{n} | {a}" for n, a in zip(names, info["area"], strict=True)]
    return names


def _one_agreement(store: Store, asked: pd.DataFrame, compared: list[str], area: str | None) -> str:
    """Why a matrix of agreements has fewer than two rows, and what to do."""
    in_store = store.count("agreements")
    if in_store < 2:
        return (
            f"a matrix compares two or more agreements, and the store holds {in_store}; ingest the corpus "
            "(`rulecompare ingest`, or `rulecompare corpus download` first without one) or more files"
        )
    kept = f"{len(compared)} of the {len(asked)} agreements asked for"
    why = f" has clauses classified {area}" if area else " has text"
    return (
        f"a matrix compares two or more agreements, and only {kept}{why}; "
        "widen the selection (fewer filters, or name more agreements)"
    )


def _baseline_note(store: Store, result: overlap.MatrixResult) -> str:
    """The corpus baseline, or why there is none and how to get one."""
    if result.baseline == result.baseline:  # not NaN
        return f"corpus baseline (median pair) = {result.baseline:.3f} ({result.baseline_scope})"
    return (
        f"no corpus baseline: the store holds too few agreements with text at this level to take a median "
        f"pair ({result.baseline_scope}); `rulecompare ingest` reads the corpus, which gives one"
    )


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
    app.command("matrix")(matrix_cmd)
    app.command("neighbours")(neighbours_cmd)
    app.command("align")(align_cmd)
    app.command("reuse")(reuse_cmd)


__all__ = ["register"]
