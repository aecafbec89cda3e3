"""The matrix command: pairwise overlap of agreements, chapters or areas, with the corpus baseline.

It parses options, resolves names, calls :func:`rulecompare.overlap.matrix`
and hands the frame (wide, or one row per pair) to
:meth:`~rulecompare.cli.output.Output.emit`; :mod:`.matrix_view` shapes it.
The options the overlap commands share are here too.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..plots import MAX_HEATMAP_UNITS
from .common import err, errors_to_exit, fail, party_ids, resolve_all
from .feedback import with_feedback
from .output import Output, with_output

if TYPE_CHECKING:
    import pandas as pd

    from .. import overlap
    from ..store import Store

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
    from .. import overlap
    from ..plots import check_plot_path
    from .matrix_view import Selection, cross_block, left_out_reasons, selection_notes, unit_info, wide

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
    from .matrix_view import long_pairs

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
    from ..plots import short_name

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


def register(app: typer.Typer) -> None:
    """Add the matrix command to the app."""
    app.command("matrix")(matrix_cmd)


__all__ = ["AreaOpt", "MonoOpt", "register"]
