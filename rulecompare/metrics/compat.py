"""BRI-RTA compatibility, China against placebo hubs, as DataFrames.

The computation lives in :mod:`rulecompare.metrics.bri` in named steps
(hub sets, clause matches, per-agreement sums, raw/placebo/excess with
intervals, sensitivity); these functions are its plain face for a notebook.
Formulas and choices: docs/METHODS.md 3.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..store import Store
from .bri import CompatChoices, CompatInputs, CompatResult, compat_sensitivity, run_compat, variant_choices
from .common import Progress

__all__ = [
    "CompatChoices",
    "compatibility",
    "compatibility_by_area",
    "compatibility_result",
    "compatibility_sensitivity",
]


def compatibility_result(
    store: Store,
    choices: CompatChoices | None = None,
    *,
    area: str | Sequence[str] | None = None,
    progress: Progress | None = None,
) -> CompatResult:
    """Partners and partner-areas under ``choices`` (default: the documented defaults)."""
    choices = choices or CompatChoices()
    inputs = CompatInputs.build(store, [choices], area=area, progress=progress)
    return run_compat(inputs, choices, progress=progress)


def compatibility(
    store: Store, choices: CompatChoices | None = None, *, area: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per Belt and Road partner: raw, placebo and excess with intervals, ranked by excess."""
    return compatibility_result(store, choices, area=area).partners


def compatibility_by_area(
    store: Store, choices: CompatChoices | None = None, *, area: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per partner and area; NaN with a reason where China's set writes nothing."""
    return compatibility_result(store, choices, area=area).areas


def compatibility_sensitivity(
    store: Store, choices: CompatChoices | None = None, *, area: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """How the ranking by excess moves under each documented choice (docs/METHODS.md 3.4)."""
    choices = choices or CompatChoices()
    inputs = CompatInputs.build(store, variant_choices(choices), area=area)
    return compat_sensitivity(inputs, choices)
