"""What the answers share: the policy areas they compare by default, and progress reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import RulecompareError
from ..model import UNCLASSIFIED
from ..taxonomy import AREAS, area_keys

__all__ = ["SUBSTANTIVE_AREAS", "Progress", "chosen_areas"]

SUBSTANTIVE_AREAS: tuple[str, ...] = tuple(
    key for key, info in AREAS.items() if key != UNCLASSIFIED and not info.reference.startswith("Structural")
)
"""Areas that hold rules a trader meets; the structural ones (preamble, institutions, final
provisions, horizontal definitions, exceptions) and unclassified text are left out by default."""

Progress = Callable[[str, int, int], None]
"""Called as ``progress(label, done, total)`` during long steps."""


def chosen_areas(area: str | Sequence[str] | None) -> list[str]:
    """``area`` as a list of known area keys (:data:`SUBSTANTIVE_AREAS` when None)."""
    if area is None:
        return list(SUBSTANTIVE_AREAS)
    chosen = [area] if isinstance(area, str) else list(area)
    unknown = [a for a in chosen if a not in AREAS]
    if unknown:
        raise RulecompareError(f"unknown area {', '.join(unknown)} (known: {', '.join(area_keys())})")
    return chosen
