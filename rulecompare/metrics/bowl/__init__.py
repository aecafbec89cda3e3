"""The spaghetti bowl from pairs of countries: texts, similarity, pairs, country index, network, sensitivity.

:mod:`.texts` says which stored texts stand for each agreement in each
language, :mod:`.similarity` computes the area matrices and the
unrelated-pair baseline, :mod:`.pairs` compares the overlapping agreements
of every pair, :mod:`.index` builds the country figures with intervals,
:mod:`.run` puts them together under a set of choices, :mod:`.network`
reads the bowl as a multigraph, and :mod:`.sensitivity` shows how the
ranking moves. docs/METHODS.md 2 has the formulas.

The names load with their module on first use, so that compatibility, which
reads only :mod:`.texts`, does not import the rest (nor does the command line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

if TYPE_CHECKING:
    from ..ranking import SENSITIVITY_COLUMNS, rank_agreement
    from .index import BOOTSTRAP, COUNTRY_COLUMNS, MIN_MEASURED_SHARE, MIN_TEXTS, SHRINKAGE, country_table
    from .network import EDGE_COLUMNS, edge_list, network_summary
    from .pairs import COMPARISON_COLUMNS, PAIR_COLUMNS, PairData, country_areas, pair_data
    from .run import BowlChoices, BowlInputs, BowlResult, run_bowl, spaghetti_bowl
    from .sensitivity import VARIANTS, sensitivity
    from .similarity import BowlSimilarity, bowl_similarity
    from .texts import RegimeTexts, TextSource, regime_area_sets, regime_texts

_LAZY: dict[str, tuple[str, ...]] = {
    "..ranking": ("SENSITIVITY_COLUMNS", "rank_agreement"),
    ".index": (
        "BOOTSTRAP",
        "COUNTRY_COLUMNS",
        "MIN_MEASURED_SHARE",
        "MIN_TEXTS",
        "SHRINKAGE",
        "country_table",
    ),
    ".network": ("EDGE_COLUMNS", "edge_list", "network_summary"),
    ".pairs": ("COMPARISON_COLUMNS", "PAIR_COLUMNS", "PairData", "country_areas", "pair_data"),
    ".run": ("BowlChoices", "BowlInputs", "BowlResult", "run_bowl", "spaghetti_bowl"),
    ".sensitivity": ("VARIANTS", "sensitivity"),
    ".similarity": ("BowlSimilarity", "bowl_similarity"),
    ".texts": ("RegimeTexts", "TextSource", "regime_area_sets", "regime_texts"),
}

if not TYPE_CHECKING:
    # Bind all of the module's names here: importing ``.sensitivity`` sets this package's attribute
    # ``sensitivity`` to the module, which the function of that name must replace.
    __getattr__ = lazy_exports(__name__, globals(), _LAZY)


__all__ = [
    "BOOTSTRAP",
    "COMPARISON_COLUMNS",
    "COUNTRY_COLUMNS",
    "EDGE_COLUMNS",
    "MIN_MEASURED_SHARE",
    "MIN_TEXTS",
    "PAIR_COLUMNS",
    "SENSITIVITY_COLUMNS",
    "SHRINKAGE",
    "VARIANTS",
    "BowlChoices",
    "BowlInputs",
    "BowlResult",
    "BowlSimilarity",
    "PairData",
    "RegimeTexts",
    "TextSource",
    "bowl_similarity",
    "country_areas",
    "country_table",
    "edge_list",
    "network_summary",
    "pair_data",
    "rank_agreement",
    "regime_area_sets",
    "regime_texts",
    "run_bowl",
    "sensitivity",
    "spaghetti_bowl",
]
