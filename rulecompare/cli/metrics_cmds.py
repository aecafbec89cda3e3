"""The obligation-strength command.

It parses its options, calls :mod:`rulecompare.metrics.strength`, and hands
the resulting DataFrame to :meth:`~rulecompare.cli.output.Output.emit`; plots
are drawn by :mod:`rulecompare.plots`. The options the answers' commands share
are :mod:`.answer_opts`'.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .answer_opts import AreaOpt, PlotOpt, check_area, check_plot, plot_done, with_progress
from .common import errors_to_exit, fail, resolve_all
from .output import Output, with_output

if TYPE_CHECKING:
    from ..store import Store

ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="A strict-vs-flexible profile per 'agreement' or 'family' (corrected shares with intervals).",
        show_default=False,
    ),
]
DEFAULT_FAMILIES = ("china", "us", "eu", "efta", "asean")


@with_output
def strength(
    agreements: Annotated[
        list[str] | None,
        typer.Argument(
            help="Ids or names (nafta, tota:112, 'china korea'). Default: all.", show_default=False
        ),
    ] = None,
    *,
    family: Annotated[
        str | None, typer.Option("--family", help="Only agreements of this family (us, eu, china ...).")
    ] = None,
    area: AreaOpt = None,
    clauses: Annotated[
        bool,
        typer.Option("--clauses", help="List every clause with its strength class instead of the shares."),
    ] = False,
    by: ByOpt = None,
    families: Annotated[
        str,
        typer.Option("--families", help="With --by family: the families to compare, comma-separated."),
    ] = ",".join(DEFAULT_FAMILIES),
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference", help="With --by family: compare every family with this one (default china)."
        ),
    ] = None,
    evolution: Annotated[
        bool,
        typer.Option(
            "--evolution",
            help="With --by agreement: in order of signature, with the change from the one before.",
        ),
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            help="Show one clause, its class and the rule and words that decided it.",
            show_default=False,
        ),
    ] = None,
    reps: Annotated[
        int, typer.Option("--reps", help="Bootstrap replicates for the intervals.", min=20)
    ] = 300,
    plot: PlotOpt = None,
    out: Output,
) -> None:
    """How binding the rules are: obligation-strength shares per agreement and policy area.

    Each clause is classed binding, soft, permissive, exception, definition,
    procedural, preamble or other (docs/METHODS.md 1); an agreement-area is
    *enforceable* when the agreement has dispute settlement, the area is not
    excluded from it, and at least 30% of its clauses are binding.

    With --by, one strict-vs-flexible profile per agreement or family: the
    commitment mix of the substantive areas corrected for the classifier's
    measured errors, with 95% intervals, dispute-settlement reach and carve-outs,
    and institutional depth (docs/METHODS.md 1.9).

    Examples:

        rulecompare strength nafta
        rulecompare strength --family china --area investment -o china-investment.csv
        rulecompare strength "china korea" --clauses --area e_commerce
        rulecompare strength --explain tota:141/11862/2
        rulecompare strength --by family --plot families.png
        rulecompare strength --by agreement --evolution "asean china" "china korea" rcep --plot evolution.png
    """
    from ..metrics.strength import classify_clauses, strength_table

    check_area(area)
    if plot is not None:
        check_plot(plot)
    store = out.open_store()
    if explain is not None:
        _explain(store, explain, out)
        return
    if by is not None:
        _profile(store, agreements, family, by, families, reference, evolution, reps, plot, out)
        return
    ids = resolve_all(store, agreements)
    with errors_to_exit():
        meta = store.agreements(ids, family=family)
        if meta.empty:
            fail("no agreement matches the selection")
        # Whole agreements: whether an area is enforceable depends on the dispute-settlement
        # chapter and its exclusions, which lie outside the area.
        frame = store.clauses(meta["id"].tolist())
        if frame.empty or (area is not None and not (frame["area"] == area).any()):
            fail(f"the selected agreements have no clauses{f' in {area}' if area else ''}")
        if clauses:
            classes = classify_clauses(frame)
            if area is not None:
                classes = classes[classes["area"] == area]
            classes["ds_exclusion"] = classes["ds_exclusion"].map(";".join)
            cols = [
                "id",
                "agreement_id",
                "area",
                "chapter_number",
                "article_number",
                "paragraph",
                "strength",
                "strength_cue",
                "ds_exclusion",
                "text",
            ]
            out.emit(classes[cols], title=f"{len(classes)} clauses")
            return
        table = strength_table(frame, meta)
        if area is not None:
            table = table[table["area"] == area].reset_index(drop=True)
    out.emit(
        table,
        title=f"obligation strength: {table['agreement_id'].nunique()} agreements, {len(table)} areas",
        note=f"enforceable: {int(table['enforceable'].sum())} of {len(table)} agreement-areas",
    )


def _explain(store: Store, clause_id: str, out: Output) -> None:
    """Print one clause with its class, the rule, the phrase and the words that decided."""
    import pandas as pd

    from ..export import format_for
    from ..metrics.strength import clause_contexts, explain_strength

    agreement = clause_id.split("/", 1)[0]
    with errors_to_exit():
        frame = store.clauses([agreement])
        hit = frame.index[frame["id"] == clause_id]
        if not len(hit):
            fail(f"no clause '{clause_id}' in the store (ids look like tota:112/10573/2)")
        i = int(hit[0])
        context = clause_contexts(frame)[frame.index.get_loc(i)]
        decision = explain_strength(str(frame.at[i, "text"]), context)
    rows = [
        ("clause", clause_id),
        ("area", str(frame.at[i, "area"])),
        ("article title", context.article_title or ""),
        ("list lead-in", " ".join((context.lead_in or "").split())[:200]),
        ("strength", decision.label),
        ("rule", decision.rule),
        ("cue", decision.cue),
        ("words", decision.phrase),
        ("sentence read", decision.sentence[:300]),
        ("text", " ".join(str(frame.at[i, "text"]).split())),
    ]
    if out.file is None and format_for(None, out.fmt) == "table":
        # A table would cut the clause short: print the fields as wrapped lines instead.
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            lines = textwrap.wrap(value, 100) or [""]
            sys.stdout.write(f"{name:>{width}}  {lines[0]}\n")
            for line in lines[1:]:
                sys.stdout.write(f"{'':>{width}}  {line}\n")
        return
    out.emit(pd.DataFrame(rows, columns=["field", "value"]), title=f"{clause_id}: {decision.label}")


def _profile(
    store: Store,
    agreements: list[str] | None,
    family: str | None,
    by: str,
    families: str,
    reference: str | None,
    evolution: bool,
    reps: int,
    plot: Path | None,
    out: Output,
) -> None:
    from ..metrics.strength import evolution as order_by_signature
    from ..metrics.strength import load_confusion, strength_profile
    from ..plots import profile_chart, timeline_chart

    if by not in ("agreement", "family"):
        fail(f"--by takes 'agreement' or 'family', not '{by}'")
    if evolution and by != "agreement":
        fail("--evolution follows agreements: use it with --by agreement")
    wanted = [f.strip() for f in families.split(",") if f.strip()] if by == "family" else None
    ids = resolve_all(store, agreements)
    with errors_to_exit():
        meta = store.agreements(ids, family=family)
        if wanted is not None and ids is None and family is None:
            keep = meta["families"].fillna("").map(lambda fs: bool(set(str(fs).split(";")) & set(wanted)))
            meta = meta[keep]
        if meta.empty:
            fail("no agreement matches the selection")
        frame = store.clauses(meta["id"].tolist())
        ref = reference or ("china" if wanted and "china" in wanted else None)
        confusion = load_confusion()
        table = with_progress(
            "classifying and bootstrapping",
            lambda _tick: strength_profile(
                frame, meta, by=by, families=wanted, reference=ref, confusion=confusion, reps=reps
            ),
        )
        if evolution:
            table = order_by_signature(table)
    note = f"corrected with the confusion of {confusion.source}; {reps} bootstrap replicates"
    if by == "family" and ref is not None and "distinguishable" in table.columns:
        same = table.loc[~table["distinguishable"].astype(bool) & (table["family"] != ref), "family"]
        if len(same):
            note += f"; binding share not distinguishable from {ref}: {', '.join(same)}"
    out.emit(table, title=f"strict-vs-flexible profile by {by}: {len(table)} rows", note=note)
    if plot is not None:  # after the data: a chart that cannot be drawn costs no file
        label = "name" if by == "agreement" else "family"
        what = f"{len(table)} agreements" if by == "agreement" else f"{len(table)} families"
        with errors_to_exit():
            if evolution:
                plot_done(timeline_chart(table, plot, label=label, title=f"Commitment mix over time: {what}"))
            else:
                plot_done(profile_chart(table, plot, label=label, title=f"Strict or flexible: {what}"))


def register(app: typer.Typer) -> None:
    app.command("strength")(strength)


__all__ = ["register", "strength"]
