"""The options and steps the answers' commands (strength, spaghetti, compat) share.

An area, a year, a plot file; the kinds of agreement counted, the languages
compared, the bootstrap and the sensitivity run; checking an option before any
work is done, and showing a library call's progress.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from .common import YEARS, err, errors_to_exit, fail
from .feedback import Feedback

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
        **YEARS,
    ),
]


def check_area(area: str | None) -> None:
    """Refuse an area key the taxonomy does not know."""
    from ..taxonomy import AREAS, area_keys

    if area is not None and area not in AREAS:
        fail(f"unknown area '{area}' (known: {', '.join(area_keys())})")


def with_progress(label: str, run: Callable[[Callable[[str, int, int], None]], T]) -> T:
    """Run a library call that reports ``progress(label, done, total)``, showing it (:class:`Feedback`)."""
    with Feedback(label) as feedback, errors_to_exit():
        return run(lambda step, done, total: feedback.update(step, done, total))


def check_plot(path: Path) -> None:
    """Refuse a plot file of no known format before any work is done."""
    from ..plots import check_plot_path

    with errors_to_exit():
        check_plot_path(path)


def plot_done(path: Path) -> None:
    """Say where the plot was written."""
    err.print(f"wrote plot {path}")


IncludeOpt = Annotated[
    str | None,
    typer.Option(
        "--include",
        help="Count kinds left out by default: partial-scope, multilateral, services (comma-separated).",
        show_default=False,
    ),
]
EnglishOpt = Annotated[
    bool,
    typer.Option(
        "--english-only",
        help="Compare English texts only (default: every language both sides are written in).",
    ),
]
MonoOpt = Annotated[
    bool,
    typer.Option(
        "--monolingual",
        help="Compare texts in a language both are written in only (no translation across languages).",
    ),
]
BootstrapOpt = Annotated[
    int, typer.Option("--bootstrap", help="Resamples for the intervals (0: none).", min=0)
]
SensitivityOpt = Annotated[
    bool,
    typer.Option("--sensitivity", help="How the ranking moves under each documented choice, instead."),
]
