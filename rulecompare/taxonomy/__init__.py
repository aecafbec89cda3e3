"""Policy areas of trade-agreement provisions, and the mapping of titles to them.

Comparing "rules of origin" with "rules of origin" is what makes area-level
overlap matrices meaningful, so every clause gets one policy area from a fixed,
documented taxonomy. The areas follow the policy areas of the World Bank Deep
Trade Agreements database (Mattoo, Rocha and Ruta, eds., *Handbook of Deep
Trade Agreements*, 2020; "DTA" below) and the WTO+ / WTO-X areas of Horn,
Mavroidis and Sapir (2010, "Beyond the WTO? An anatomy of EU and US preferential
trade agreements", *The World Economy* 33(11); "HMS" below), plus the
structural parts every treaty has (preamble, initial and final provisions,
institutions, exceptions).

The package keeps data and rules apart: :mod:`.areas` reads the areas and
their title keywords from ``areas.toml``, :mod:`.normalize` puts titles in the
one form everything compares, and :mod:`.classify` is the classifier
(docs/TAXONOMY.md describes both; its table of areas is generated from the
data by ``scripts/make_taxonomy_doc.py``).
"""

from __future__ import annotations

from .areas import AREAS, AreaInfo, AreasError, PolicyArea, area_keys, markdown_table
from .classify import classify_area, classify_title, coverage
from .normalize import normalize_title

__all__ = [
    "AREAS",
    "AreaInfo",
    "AreasError",
    "PolicyArea",
    "area_keys",
    "classify_area",
    "classify_title",
    "coverage",
    "markdown_table",
    "normalize_title",
]
