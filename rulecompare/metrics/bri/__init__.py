"""BRI-RTA compatibility that isolates China: hub sets, clause matches, scores, placebo hubs, sensitivity.

:mod:`.sets` says which agreements stand for a hub's rules, :mod:`.clauses`
matches every clause against every hub agreement's clauses once,
:mod:`.score` turns the matches into per-agreement sums, :mod:`.run` gives
raw, placebo and excess per partner and area with intervals, and
:mod:`.sensitivity` how the ranking moves. docs/METHODS.md 3 has the formulas.

The computation (pandas, SciPy, the clause matching) loads on first use of
its names, so that the command line can show the defaults and the hub sets
(:mod:`.defaults`, :mod:`.sets`) without loading it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_exports
from .defaults import BOOTSTRAP, CLAUSE_THRESHOLD
from .sets import CHINA, DEFAULT_KINDS, PLACEBO_HUBS, hub_kind, hub_set, hub_set_for, parse_kinds

if TYPE_CHECKING:
    from .run import AREA_COLUMNS, PARTNER_COLUMNS, CompatChoices, CompatInputs, CompatResult, run_compat
    from .sensitivity import COMPAT_VARIANTS, compat_sensitivity, variant_choices

_LAZY: dict[str, tuple[str, ...]] = {
    "run": ("AREA_COLUMNS", "PARTNER_COLUMNS", "CompatChoices", "CompatInputs", "CompatResult", "run_compat"),
    "sensitivity": ("COMPAT_VARIANTS", "compat_sensitivity", "variant_choices"),
}

if not TYPE_CHECKING:
    __getattr__ = lazy_exports(__name__, globals(), _LAZY)


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
