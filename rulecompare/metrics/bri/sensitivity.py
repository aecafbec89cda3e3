"""How the compatibility ranking moves under each documented choice, and how China-specific it is.

Each variant changes one choice of :class:`~.run.CompatChoices`; the
partners are ranked by excess over the placebo hubs, and each variant is
compared with the default by the Spearman rank correlation over the partners
in both and the share of the default top 10 that stays. Reference rows show
what the placebo is for: the rank correlation of the raw score against
China with the raw score against each placebo hub (a high one means the raw
score is not about China).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from ..common import Progress
from ..ranking import SENSITIVITY_COLUMNS, comparison_row, variant_rows
from .run import CompatChoices, CompatInputs, CompatResult, run_compat
from .sets import KINDS

__all__ = ["COMPAT_VARIANTS", "compat_sensitivity", "variant_choices"]

COMPAT_VARIANTS: list[tuple[str, str, Callable[[CompatChoices], CompatChoices]]] = [
    ("as of 2015", "as-of year (default: now)", lambda c: replace(c, as_of=2015)),
    ("as of 2020", "as-of year (default: now)", lambda c: replace(c, as_of=2020)),
    (
        "partial scope in",
        "partial-scope schemes counted (default: out)",
        lambda c: replace(c, include=c.include | {"partial-scope"}),
    ),
    ("threshold 0.2", "clause threshold (default: 0.3)", lambda c: replace(c, threshold=0.2)),
    ("threshold 0.4", "clause threshold (default: 0.3)", lambda c: replace(c, threshold=0.4)),
    ("plain Jaccard", "boilerplate weighting (default: IDF-weighted)", lambda c: replace(c, weighted=False)),
    ("sets + RCEP", "hub sets (default: own FTAs)", lambda c: replace(c, kinds=c.kinds | {"plurilateral"})),
    ("sets + ASEAN-China", "hub sets (default: own FTAs)", lambda c: replace(c, kinds=c.kinds | {"bloc"})),
    ("sets + CEPAs", "hub sets (default: own FTAs)", lambda c: replace(c, kinds=c.kinds | {"cepa"})),
    ("sets: all kinds", "hub sets (default: own FTAs)", lambda c: replace(c, kinds=frozenset(KINDS))),
    (
        "Asian hubs",
        "placebo hubs (default: JPN, KOR, IND, AUS, EU, USA)",
        lambda c: replace(c, hubs=("JPN", "KOR", "IND", "AUS")),
    ),
    (
        "EU and US",
        "placebo hubs (default: JPN, KOR, IND, AUS, EU, USA)",
        lambda c: replace(c, hubs=("EU", "USA")),
    ),
    (
        "English only",
        "languages compared (default: every language both sides share)",
        lambda c: replace(c, english_only=True),
    ),
]
"""(name, the choice it changes, the variant of the given choices)."""


def variant_choices(base: CompatChoices) -> list[CompatChoices]:
    """The default and every variant: what :meth:`CompatInputs.build` must prepare for the table."""
    return [base, *(change(base) for _, _, change in COMPAT_VARIANTS)]


def _excess(result: CompatResult) -> pd.Series:
    p = result.partners.dropna(subset=["excess"])
    return pd.Series(p["excess"].to_numpy(), index=p["partner"].to_numpy())


def compat_sensitivity(
    inputs: CompatInputs, base: CompatChoices | None = None, *, progress: Progress | None = None
) -> pd.DataFrame:
    """One row per variant (:data:`COMPAT_VARIANTS`) and reference rows, :data:`SENSITIVITY_COLUMNS`."""
    base = replace(base or CompatChoices(), bootstrap=0)
    default = run_compat(inputs, base)
    ref = _excess(default)
    p = default.partners.set_index("partner")
    raw = p["raw"].dropna()
    rows = [
        comparison_row(
            f"reference: raw vs {hub}",
            f"ranking by the raw score against China vs against {hub}",
            raw,
            p[f"score_{hub}"].dropna(),
            n_ranked=len(raw),
        )
        for hub in base.hubs
        if f"score_{hub}" in p
    ]
    rows.append(
        comparison_row(
            "reference: excess vs raw", "ranking by excess vs by the raw score", ref, raw, n_ranked=len(ref)
        )
    )
    rows += variant_rows(
        ref, base, COMPAT_VARIANTS, lambda choices: _excess(run_compat(inputs, choices)), progress
    )
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
