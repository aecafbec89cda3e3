"""The bowl as a network: a multigraph of countries whose parallel edges are the agreements binding them.

Pauwelyn and Alschner (2015) and Alschner, Pauwelyn and Puig (2017) read
overlapping PTAs as a network; here each pair of countries bound in force is
joined by one edge per agreement (a multigraph), per area by the agreements
with text in that area. :func:`edge_list` exports the edges, and
:func:`network_summary` gives, for all areas together and per area, the
number of countries, agreements, edges and pairs, the share of pairs with
parallel edges, the mean multiplicity, the density of the simple graph, and
the mean divergence of parallel edges (the pair comparisons of :mod:`.pairs`
in that area).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .run import BowlResult

__all__ = ["EDGE_COLUMNS", "edge_list", "network_summary"]

EDGE_COLUMNS = ["iso_a", "iso_b", "agreement_id", "agreement_name", "scope", "multiplicity", "text_areas"]


def edge_list(result: BowlResult) -> pd.DataFrame:
    """One row per pair of countries and agreement binding it (the multigraph), :data:`EDGE_COLUMNS`.

    ``multiplicity`` is the number of agreements on the pair; ``text_areas``
    the areas the agreement has text in (";"-joined, empty without text), so
    that the per-area graph is the rows whose ``text_areas`` hold the area.
    """
    regimes = {**result.coverage.regimes, **result.stored.regimes.regimes}
    areas_of: dict[str, list[str]] = {}
    for (area, lang), m in result.sims.matrices.items():
        for key in m.keys:
            if lang in result.texts.languages_of(key):
                areas_of.setdefault(key, []).append(area)
    rows = []
    for (a, b), keys in sorted(result.data.counts.items()):
        for key in keys:
            regime = regimes.get(key)
            rows.append(
                (
                    a,
                    b,
                    key,
                    regime.name if regime else key,
                    regime.scope if regime else None,
                    len(keys),
                    ";".join(sorted(set(areas_of.get(key, [])))),
                )
            )
    return pd.DataFrame(rows, columns=EDGE_COLUMNS)


def _summary_row(name: str, edges: pd.DataFrame, divergence: float) -> dict[str, object]:
    pairs = edges.groupby(["iso_a", "iso_b"]).size()
    nodes = set(edges["iso_a"]) | set(edges["iso_b"])
    n = len(nodes)
    return {
        "area": name,
        "n_countries": n,
        "n_agreements": edges["agreement_id"].nunique(),
        "n_edges": len(edges),
        "n_pairs": len(pairs),
        "n_pairs_multi": int((pairs > 1).sum()),
        "share_multi": float((pairs > 1).mean()) if len(pairs) else float("nan"),
        "mean_multiplicity": float(pairs.mean()) if len(pairs) else float("nan"),
        "density": len(pairs) / (n * (n - 1) / 2) if n > 1 else float("nan"),
        "mean_divergence_parallel": divergence,
    }


def network_summary(result: BowlResult) -> pd.DataFrame:
    """Summary statistics of the multigraph, for all areas (``area = "all"``) and per area."""
    edges = edge_list(result)
    comps = result.data.comparisons
    overall = float(result.pairs["divergence"].mean()) if result.pairs["divergence"].notna().any() else np.nan
    rows = [_summary_row("all", edges, overall)]
    for area in sorted({a for cell in edges["text_areas"] for a in cell.split(";") if a}):
        sub = edges[edges["text_areas"].str.split(";").map(lambda xs, area=area: area in xs)]
        in_area = comps[comps["area"] == area]["divergence"]
        rows.append(_summary_row(area, sub, float(in_area.mean()) if len(in_area) else float("nan")))
    return pd.DataFrame(rows)
