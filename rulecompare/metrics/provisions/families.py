"""The families depth is compared for by default, apart so that the command line shows them without
loading the model."""

from __future__ import annotations

__all__ = ["FAMILIES"]

FAMILIES = ("us", "eu", "efta", "china", "asean")
"""Families compared by default (catalog keys)."""
