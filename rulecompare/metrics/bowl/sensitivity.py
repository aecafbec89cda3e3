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
from scipy.stats import spearmanr

from ..common import Progress
from .run import BowlChoices, BowlInputs, BowlResult, run_bowl

__all__ = ["SENSITIVITY_COLUMNS", "VARIANTS", "rank_agreement", "sensitivity"]

SENSITIVITY_COLUMNS = ["variant", "choice", "n_ranked", "n_common", "spearman", "top10_kept"]

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


def rank_agreement(default: pd.Series, other: pd.Series) -> tuple[int, float, float]:
    """(countries ranked in both, Spearman correlation over them, share of the default top 10 kept)."""
    common = default.index.intersection(other.index)
    rho = float(spearmanr(default[common], other[common]).statistic) if len(common) > 2 else float("nan")
    top = set(default.sort_values(ascending=False).index[:10])
    kept = len(top & set(other.sort_values(ascending=False).index[:10])) / max(len(top), 1)
    return len(common), rho, kept


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
    rows = []
    for what, column in (
        ("coverage share (share_multi)", "share_multi"),
        ("partners covered twice", "n_partners_multi"),
    ):
        n, rho, kept = rank_agreement(ref, c[column].astype(float))
        rows.append(
            {
                "variant": f"reference: {what}",
                "choice": "not a variant: the plain coverage figure",
                "n_ranked": len(ref),
                "n_common": n,
                "spearman": rho,
                "top10_kept": kept,
            }
        )
    for k, (name, choice, change) in enumerate(VARIANTS):
        if progress:
            progress("sensitivity", k, len(VARIANTS))
        result = run_bowl(inputs, change(base))
        other = _ranked(result)
        n, rho, kept = rank_agreement(ref, other)
        rows.append(
            {
                "variant": name,
                "choice": choice,
                "n_ranked": len(other),
                "n_common": n,
                "spearman": rho,
                "top10_kept": kept,
            }
        )
    if progress:
        progress("sensitivity", len(VARIANTS), len(VARIANTS))
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
