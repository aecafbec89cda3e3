"""How the spaghetti ranking moves under each documented choice.

Each variant changes one choice of :class:`~.run.BowlChoices` and is
compared with the default ranking: the Spearman rank correlation of the
index over the countries ranked in both, and the share of the default top 10
that stays in the variant's top 10. Two reference rows compare the default
index with the plain coverage figures it was built to go beyond: the share
of partners covered more than once, and their number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from ..common import Progress
from ..ranking import SENSITIVITY_COLUMNS, comparison_row, variant_rows
from .run import BowlChoices, BowlInputs, BowlResult, run_bowl

__all__ = ["VARIANTS", "sensitivity"]

VARIANTS: list[tuple[str, str, Callable[[BowlChoices], BowlChoices]]] = [
    ("as of 2010", "as-of year (default: now)", lambda b: replace(b, as_of=2010)),
    ("as of 2020", "as-of year (default: now)", lambda b: replace(b, as_of=2020)),
    ("DESTA list", "list counting agreements per pair (default: WTO)", lambda b: replace(b, source="desta")),
    (
        "partial scope in",
        "partial-scope schemes counted (default: out)",
        lambda b: replace(b, include=b.include | {"partial-scope"}),
    ),
    (
        "services apart",
        "services agreements as regimes of their own (default: complements of goods agreements)",
        lambda b: replace(b, include=b.include | {"services"}),
    ),
    (
        "IDF-weighted",
        "boilerplate weighting (default: plain Jaccard, excess over the baseline)",
        lambda b: replace(b, weighted=True),
    ),
    (
        "median baseline",
        "baseline statistic (default: mean of unrelated pairs)",
        lambda b: replace(b, baseline="median"),
    ),
    (
        "no shrinkage",
        "shrinkage of a country's divergence (default: 2 pseudo-pairs)",
        lambda b: replace(b, shrinkage=0.0),
    ),
    ("min 3 texts", "texts needed to be ranked (default: 5)", lambda b: replace(b, min_texts=3)),
    (
        "English only",
        "languages compared (default: every language both texts share)",
        lambda b: replace(b, english_only=True),
    ),
]
"""(name, the choice it changes, the variant of the given choices)."""


def _ranked(result: BowlResult) -> pd.Series:
    c = result.countries
    ranked = c[c["rank"].notna()]
    return pd.Series(ranked["index"].to_numpy(), index=ranked["country"].to_numpy())


def sensitivity(
    inputs: BowlInputs, base: BowlChoices | None = None, *, progress: Progress | None = None
) -> pd.DataFrame:
    """One row per variant (:data:`VARIANTS`) and two reference rows, :data:`SENSITIVITY_COLUMNS`.

    ``inputs`` must hold the weighted matrices (``BowlInputs.build(weighted=True)``).
    """
    base = base or BowlChoices()
    default = run_bowl(inputs, base)
    ref = _ranked(default)
    c = default.countries.set_index("country").loc[ref.index]
    rows = [
        comparison_row(
            f"reference: {what}",
            "not a variant: the plain coverage figure",
            ref,
            c[column].astype(float),
            n_ranked=len(ref),
        )
        for what, column in (
            ("coverage share (share_multi)", "share_multi"),
            ("partners covered twice", "n_partners_multi"),
        )
    ]
    rows += variant_rows(ref, base, VARIANTS, lambda choices: _ranked(run_bowl(inputs, choices)), progress)
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
