"""The spaghetti bowl: how tangled each country's overlapping agreements are, as DataFrames.

The computation lives in :mod:`rulecompare.metrics.bowl` (texts,
similarity, pairs, country index, network, sensitivity); these functions
are its plain face for a notebook: one call, one DataFrame. Coverage alone
(how many agreements bind each pair, from the WTO list or DESTA) is
:mod:`rulecompare.metrics.coverage`. Formulas and choices: docs/METHODS.md 2.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..errors import RulecompareError
from ..store import Store
from .bowl import (
    BowlChoices,
    BowlInputs,
    country_areas,
    edge_list,
    network_summary,
    sensitivity,
    spaghetti_bowl,
)
from .common import SUBSTANTIVE_AREAS

__all__ = [
    "SUBSTANTIVE_AREAS",
    "BowlChoices",
    "country_divergence",
    "network",
    "pair_index",
    "spaghetti_index",
    "spaghetti_sensitivity",
]


def spaghetti_index(
    store: Store,
    choices: BowlChoices | None = None,
    *,
    countries: Sequence[str] | None = None,
    area: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Countries ranked by the spaghetti-bowl index, with intervals (``countries`` keeps these rows).

    ``choices`` as :class:`~rulecompare.metrics.bowl.BowlChoices` (default: the documented defaults).
    Columns: :data:`rulecompare.metrics.bowl.COUNTRY_COLUMNS`.
    """
    table = spaghetti_bowl(store, choices, area=area).countries
    if countries is not None:
        table = table[table["country"].isin({c.strip().upper() for c in countries})]
    return table.reset_index(drop=True)


def pair_index(
    store: Store,
    choices: BowlChoices | None = None,
    *,
    pairs: Sequence[tuple[str, str]] | None = None,
    area: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Pairs bound by two or more agreements, with the divergence of those agreements.

    ``pairs`` keeps these pairs (order-free). Columns: :data:`rulecompare.metrics.bowl.PAIR_COLUMNS`.
    """
    table = spaghetti_bowl(store, choices, area=area).pairs
    if pairs is not None:
        wanted = {tuple(sorted((a.strip().upper(), b.strip().upper()))) for a, b in pairs}
        table = table[[(a, b) in wanted for a, b in zip(table["iso_a"], table["iso_b"], strict=True)]]
    return table.reset_index(drop=True)


def country_divergence(
    store: Store, country: str, choices: BowlChoices | None = None, *, area: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """One country's overlapping agreements area by area: comparisons, similarity, baseline, divergence."""
    result = spaghetti_bowl(store, choices, area=area)
    code = country.strip().upper()
    if code not in set(result.countries["country"]):
        raise RulecompareError(f"no agreement in force binds {code} (EU members are counted as EU)")
    return country_areas(result.data, code)


def network(
    store: Store,
    choices: BowlChoices | None = None,
    *,
    edges: bool = False,
    area: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """The multigraph of countries and agreements: summary per area, or the edge list with ``edges``."""
    result = spaghetti_bowl(store, choices, area=area)
    return edge_list(result) if edges else network_summary(result)


def spaghetti_sensitivity(
    store: Store, choices: BowlChoices | None = None, *, area: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """How the ranking moves under each documented choice (docs/METHODS.md 2.5)."""
    return sensitivity(BowlInputs.build(store, area=area, weighted=True), choices)
