"""How far two rankings agree: the rows of every ``--sensitivity`` table.

A sensitivity table compares the default ranking of an answer (countries by
spaghetti index, partners by excess compatibility) with the ranking under one
changed choice, or with a reference figure: the Spearman rank correlation
over the items ranked in both, and the share of the default top 10 kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import pandas as pd

from .common import Progress

__all__ = ["SENSITIVITY_COLUMNS", "comparison_row", "rank_agreement", "variant_rows"]

SENSITIVITY_COLUMNS = ["variant", "choice", "n_ranked", "n_common", "spearman", "top10_kept"]

C = TypeVar("C")


def rank_agreement(default: pd.Series, other: pd.Series) -> tuple[int, float, float]:
    """(items ranked in both, Spearman correlation over them, share of the default top 10 kept)."""
    common = default.index.intersection(other.index)
    a, b = default[common].astype(float), other[common].astype(float)
    # Spearman's rho: Pearson's over average ranks (as scipy.stats.spearmanr, without importing scipy.stats,
    # a third of a second at every start-up); NaN when either side has a NaN or is constant
    usable = len(common) > 2 and not (a.isna().any() or b.isna().any())
    rho = float(a.rank().corr(b.rank())) if usable else float("nan")
    top = set(default.sort_values(ascending=False).index[:10])
    kept = len(top & set(other.sort_values(ascending=False).index[:10])) / max(len(top), 1)
    return len(common), rho, kept


def comparison_row(
    variant: str, choice: str, default: pd.Series, other: pd.Series, *, n_ranked: int | None = None
) -> dict[str, object]:
    """One row of :data:`SENSITIVITY_COLUMNS`; ``n_ranked`` is ``len(other)`` unless given."""
    n, rho, kept = rank_agreement(default, other)
    return {
        "variant": variant,
        "choice": choice,
        "n_ranked": len(other) if n_ranked is None else n_ranked,
        "n_common": n,
        "spearman": rho,
        "top10_kept": kept,
    }


def variant_rows(
    default: pd.Series,
    base: C,
    variants: Sequence[tuple[str, str, Callable[[C], C]]],
    ranking: Callable[[C], pd.Series],
    progress: Progress | None = None,
) -> list[dict[str, object]]:
    """A row per variant: ``ranking`` run on the changed choices, compared with ``default``."""
    rows = []
    for k, (name, choice, change) in enumerate(variants):
        if progress:
            progress("sensitivity", k, len(variants))
        rows.append(comparison_row(name, choice, default, ranking(change(base))))
    if progress:
        progress("sensitivity", len(variants), len(variants))
    return rows
