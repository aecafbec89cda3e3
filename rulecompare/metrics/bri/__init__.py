"""BRI-RTA compatibility that isolates China: hub sets, clause matches, scores, placebo hubs, sensitivity.

:mod:`.sets` says which agreements stand for a hub's rules, :mod:`.clauses`
matches every clause against every hub agreement's clauses once,
:mod:`.score` turns the matches into per-agreement sums, :mod:`.run` gives
raw, placebo and excess per partner and area with intervals, and
:mod:`.sensitivity` how the ranking moves. docs/METHODS.md 3 has the formulas.
"""

from __future__ import annotations

from .defaults import BOOTSTRAP, CLAUSE_THRESHOLD
from .run import AREA_COLUMNS, PARTNER_COLUMNS, CompatChoices, CompatInputs, CompatResult, run_compat
from .sensitivity import COMPAT_VARIANTS, compat_sensitivity, variant_choices
from .sets import CHINA, DEFAULT_KINDS, PLACEBO_HUBS, hub_kind, hub_set, hub_set_for, parse_kinds

__all__ = [
    "AREA_COLUMNS",
    "BOOTSTRAP",
    "CHINA",
    "CLAUSE_THRESHOLD",
    "COMPAT_VARIANTS",
    "DEFAULT_KINDS",
    "PARTNER_COLUMNS",
    "PLACEBO_HUBS",
    "CompatChoices",
    "CompatInputs",
    "CompatResult",
    "compat_sensitivity",
    "hub_kind",
    "hub_set",
    "hub_set_for",
    "parse_kinds",
    "run_compat",
    "variant_choices",
]
