"""Commands for the answers: obligation strength, and the options the answers' commands share.

Each command parses its options, calls :mod:`rulecompare.metrics`, and hands
the resulting DataFrame to :func:`~rulecompare.cli.common.emit`; plots are
drawn by :mod:`rulecompare.plots`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from ..taxonomy import AREAS, area_keys
from .common import Output, err, errors_to_exit, fail, progress_bar, resolve_all, with_output

T = TypeVar("T")

AreaOpt = Annotated[
    str | None,
    typer.Option(
        "--area", "-a", help="Policy area key (e.g. rules_of_origin, sps, investment).", show_default=False
    ),
]
PlotOpt = Annotated[
    Path | None,
    typer.Option("--plot", help="Also draw a chart to this file (.png, .svg or .pdf).", show_default=False),
]
AsOfOpt = Annotated[
    int | None,
    typer.Option(
        "--as-of",
        help="Agreements in force on 31 December of this year (default: in force now).",
        show_default=False,
    ),
]


def _check_area(area: str | None) -> None:
    if area is not None and area not in AREAS:
        fail(f"unknown area '{area}' (known: {', '.join(area_keys())})")


def _with_progress(label: str, run: Callable[[Callable[[str, int, int], None]], T]) -> T:
    """Run a library call that reports ``progress(label, done, total)`` under a progress bar."""
    bar = progress_bar()
    with bar:
        task = bar.add_task(label, total=None)

        def tick(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        with errors_to_exit():
            return run(tick)


def _plot_done(path: Path) -> None:
    err.print(f"wrote plot {path}")


# -- strength -------------------------------------------------------------------------------------


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
    out: Output,
) -> None:
    """How binding the rules are: obligation-strength shares per agreement and policy area.

    Each clause is classed binding, soft, permissive, exception, definition,
    procedural, preamble or other (docs/METHODS.md 1); an agreement-area is
    *enforceable* when the agreement has dispute settlement, the area is not
    excluded from it, and at least 30% of its clauses are binding.

    Examples:

        rulecompare strength nafta
        rulecompare strength --family china --area investment -o china-investment.csv
        rulecompare strength "china korea" --clauses --area e_commerce
    """
    from ..metrics.strength import classify_clauses, strength_table

    _check_area(area)
    store = out.open_store()
    ids = resolve_all(store, agreements)
    with errors_to_exit():
        meta = store.agreements(ids, family=family)
        if meta.empty:
            fail("no agreement matches the selection")
        frame = store.clauses(meta["id"].tolist(), area=area)
        if frame.empty:
            fail(f"the selected agreements have no clauses{f' in {area}' if area else ''}")
        if clauses:
            classes = classify_clauses(frame)
            classes["ds_exclusion"] = classes["ds_exclusion"].map(";".join)
            cols = [
                "id",
                "agreement_id",
                "area",
                "chapter_number",
                "article_number",
                "paragraph",
                "strength",
                "ds_exclusion",
                "text",
            ]
            out.emit(classes[cols], title=f"{len(classes)} clauses")
            return
        table = strength_table(frame, meta)
    out.emit(
        table,
        title=f"obligation strength: {table['agreement_id'].nunique()} agreements, {len(table)} areas",
        note=f"enforceable: {int(table['enforceable'].sum())} of {len(table)} agreement-areas",
    )


def register(app: typer.Typer) -> None:
    app.command("strength")(strength)


__all__ = ["AreaOpt", "AsOfOpt", "PlotOpt", "register", "strength"]
