"""The families depth is compared for by default, apart so that the command line shows them without
loading the model."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FAMILIES", "in_families"]

FAMILIES = ("us", "eu", "efta", "china", "asean")
"""Families compared by default (catalog keys)."""


def in_families(families: pd.Series, wanted: Iterable[str]) -> pd.Series:
    """For each row's ``families`` (catalog keys joined by ";"), whether it is in any of ``wanted``."""
    keys = set(wanted)
    return families.fillna("").astype(str).str.split(";").map(lambda fs: not keys.isdisjoint(fs))
