"""``rulecompare crosswalk``: each stored agreement's DESTA number and WTO RTA id, and the cases left open."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import err, errors_to_exit, resolve_all
from .output import Output, with_output


@with_output
def crosswalk(
    agreements: Annotated[
        list[str] | None,
        typer.Argument(help="Names or ids; default: every agreement in the store.", show_default=False),
    ] = None,
    *,
    report: Annotated[
        bool,
        typer.Option("--report", "-r", help="Only the agreements left ambiguous or unmatched, with why."),
    ] = False,
    out: Output,
) -> None:
    """Link stored agreements to the DESTA list (and WTO RTA ids), on parties, dates and names.

    Each row says matched, ambiguous (several DESTA treaties fit about equally
    well; `candidates` lists them) or unmatched (`reason` gives the best
    candidate and why it fell short). Nothing is guessed: an ambiguous or
    unmatched agreement has no `desta_id`.

    Examples:

        rulecompare crosswalk nafta tpp
        rulecompare crosswalk --report
        rulecompare crosswalk -o crosswalk.csv
    """
    from ..catalog import store_crosswalk

    store = out.open_store()
    ids = resolve_all(store, agreements)
    with errors_to_exit():
        df = store_crosswalk(store)
    if ids is not None:
        df = df[df["agreement_id"].isin(ids)]
    counts = df["status"].value_counts()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("matched", "ambiguous", "unmatched"))
    if report:
        df = df[df["status"] != "matched"]
    if out.terminal_table:
        df = df.drop(columns=["desta_name", "desta_year"])
    out.emit(df.reset_index(drop=True), title=f"DESTA crosswalk: {summary}")
    if report and df.empty:
        err.print("every agreement asked for is matched")


def register(app: typer.Typer) -> None:
    app.command("crosswalk")(crosswalk)
