"""``rulecompare provisions``: TREND's environmental provisions and LABPTA's labour depth, coded from
the texts, with the clauses behind each code and depth by family over time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..metrics.provisions.families import FAMILIES, in_families
from .common import err, errors_to_exit, resolve_all
from .feedback import Feedback
from .output import Output, with_output

if TYPE_CHECKING:
    import pandas as pd

    from ..metrics.provisions import Coding
    from ..store import Store

_MODEL_NOTE = (
    "coded by the trained model {model} (rulecompare/metrics/provisions/model.json.gz); "
    "how far it agrees with TREND and LABPTA: docs/METHODS.md, section 4"
)
_SUMMARY = [
    "agreement_id",
    "name",
    "year",
    "status",
    "env_count",
    "env_expected",
    "env_index",
    "labour_depth",
]


def _code(store: Store, ids: list[str] | None) -> Coding:
    from ..metrics.provisions import code_provisions

    total = len(ids) if ids is not None else store.count("agreements")
    with Feedback("coding provisions", total) as feedback, errors_to_exit():
        return code_provisions(store, ids, progress=lambda _: feedback.update(advance=1))


def _family_members(store: Store, families: Sequence[str]) -> list[str]:
    """The stored agreements of any of ``families``, in the store's order: all that a family table or
    plot reads, so that the rest of the store is not coded for it."""
    meta = store.agreements()
    member = in_families(meta["families"], families)
    return [str(a) for a in meta.loc[member, "id"]]


def _agreement_ids(
    store: Store, agreements: list[str] | None, families: Sequence[str] | None
) -> list[str] | None:
    """The agreements named, else those of ``families`` (a family table or plot), else None (all)."""
    ids = resolve_all(store, agreements)
    if ids is None and families is not None:
        return _family_members(store, families)
    return ids


def _check_plot(path: Path | None) -> None:
    """Refuse a plot file of no known format before any agreement is coded."""
    from ..plots import check_plot_path

    if path is not None:
        with errors_to_exit():
            check_plot_path(path)


@with_output
def provisions(
    agreements: Annotated[
        list[str] | None,
        typer.Argument(help="Names or ids; default: every agreement in the store.", show_default=False),
    ] = None,
    *,
    evidence: Annotated[
        bool,
        typer.Option("--evidence", "-e", help="One row per positive code and the clause(s) behind it."),
    ] = False,
    code: Annotated[
        list[str] | None,
        typer.Option("--code", "-c", help="Only these TREND codes (8.01.02; `labour` for labour depth)."),
    ] = None,
    by_family: Annotated[
        bool,
        typer.Option("--by-family", help="Mean depth per family and period, with intervals."),
    ] = False,
    family: Annotated[
        list[str] | None,
        typer.Option("--family", help=f"Families for --by-family/--plot (default: {', '.join(FAMILIES)})."),
    ] = None,
    period: Annotated[int, typer.Option(help="Years per period for --by-family/--plot.", min=1)] = 5,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Depth by family over time, as a PNG/SVG/PDF (1800 x 600 px)."),
    ] = None,
    out: Output,
) -> None:
    """Code environmental provisions (TREND's codes) and labour depth (LABPTA's 0-5) from the texts.

    Each agreement gets a 0/1 column per modelled TREND provision, their
    count (env_count), the expected count (env_expected: the sum of the
    provisions' calibrated probabilities, the environmental depth that
    follows TREND's count best), a weighted index of the coded ones
    (env_index), and a labour depth; `--evidence` lists the clauses behind
    each positive code instead. Only English texts are coded
    (others are NA, with the reason). How the model was trained and how well
    it agrees with the hand-coded datasets: docs/METHODS.md, section 4.

    Examples:

        rulecompare provisions nafta tpp china-korea
        rulecompare provisions korus --evidence --code 2.01.02
        rulecompare provisions -o provisions.csv
        rulecompare provisions --by-family --plot esg.png
    """
    from ..metrics.provisions import codes_frame, depth_by_family, evidence_frame
    from ..plots import depth_over_time

    _check_plot(plot)
    store = out.open_store()
    tabled = by_family or plot is not None
    coding = _code(store, _agreement_ids(store, agreements, (family or FAMILIES) if tabled else None))
    if tabled:
        with errors_to_exit():
            table = depth_by_family(coding, family or FAMILIES, period=period)
        if by_family or out.file is not None:
            out.emit(
                table,
                title=f"depth by family, {period}-year periods (95% intervals)",
                note=_MODEL_NOTE.format(model=coding.model.digest[:12]),
            )
        if plot is not None:  # after the data: a chart that cannot be drawn costs no file
            with errors_to_exit():
                depth_over_time(table, plot, title="Depth of environmental and labour provisions by family")
            err.print(f"wrote plot {plot}")
        return
    if evidence:
        df = evidence_frame(coding, store)
        if code:
            df = df[df["code"].isin(code)]
        if out.terminal_table:
            df = df.drop(columns=["score"])
        out.emit(
            df.reset_index(drop=True),
            title=f"{len(df)} evidence clauses",
            note=_MODEL_NOTE.format(model=coding.model.digest[:12]),
        )
        return
    df = codes_frame(coding)
    unknown = [c for c in code or () if c not in df.columns and c != "labour"]
    if unknown:
        err.print(f"not a modelled TREND code: {', '.join(unknown)}")
        raise typer.Exit(1)
    if out.terminal_table:
        df = _compact(df, code)
    elif code:
        df = df[[*_SUMMARY, "reason", *[c for c in code if c in df.columns]]]
    out.emit(
        df,
        title=f"{len(df)} agreements; {len(coding.model.codes)} TREND provisions modelled",
        note=_MODEL_NOTE.format(model=coding.model.digest[:12]),
    )


def _compact(df: pd.DataFrame, code: list[str] | None) -> pd.DataFrame:
    """For a terminal: the summary and the positive codes of each agreement in one column."""
    codes = [c for c in df.columns if c[:1].isdigit()]
    wanted = [c for c in code or codes if c in codes]
    values = df[wanted].fillna(0).to_numpy(dtype=int)
    positive = [" ".join(c for c, v in zip(wanted, row, strict=True) if v == 1) for row in values]
    table = df[_SUMMARY].assign(codes=positive)
    table.loc[df["status"] != "coded", "codes"] = df.loc[df["status"] != "coded", "reason"]
    return table


def register(app: typer.Typer) -> None:
    app.command("provisions")(provisions)
