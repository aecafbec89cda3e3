"""Per agreement and policy area: the share of each strength class, and enforceability.

``strength_table`` is what ``rulecompare strength`` prints by default
(docs/METHODS.md 1.5): the class shares of each agreement-area, the
binding share of its commitments, whether the agreement has dispute
settlement, whether a clause takes the area out of it, and the
enforceability flag built from both.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .classify import STRENGTH_CLASSES, classify_clauses

__all__ = ["ENFORCEABLE_THRESHOLD", "excluded_areas", "strength_table"]

ENFORCEABLE_THRESHOLD = 0.30
"""Minimum share of ``binding`` clauses for an agreement-area to count as enforceable.

Chosen from the corpus distribution (docs/METHODS.md): about the lower
quartile of the binding share of substantive areas in agreements with a
dispute-settlement chapter.
"""


def _ref_key(value: object) -> str | None:
    """ "CHAPTER 5", "Chapter Five", "5" -> "5" / "five": the last token, lowercased."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    tokens = re.findall(r"[0-9]+(?:[.\-][0-9A-Za-z]+)*|[A-Za-z]+", str(value))
    return tokens[-1].lower() if tokens else None


def excluded_areas(classified: pd.DataFrame) -> set[tuple[str, str]]:
    """(agreement id, area) pairs that some clause takes out of dispute settlement."""
    excluded: set[tuple[str, str]] = set()
    hits = classified[classified["ds_exclusion"].map(bool)]
    if hits.empty:
        return excluded
    wanted = set(hits["agreement_id"])
    subset = classified[classified["agreement_id"].isin(wanted)]
    by_agreement = dict(iter(subset.groupby("agreement_id", sort=False)))
    for row in hits.itertuples(index=False):
        agreement_id = str(row.agreement_id)
        for target in row.ds_exclusion:
            if target == "self":
                # the dispute-settlement chapter does not exclude itself: its carve-outs
                # are matters (the Treaty of Waitangi), not an area
                if row.area != "dispute_settlement":
                    excluded.add((agreement_id, str(row.area)))
                continue
            kind, _, ref = target.partition(":")
            column = {"chapter": "chapter_number", "article": "article_number"}.get(kind)
            group = by_agreement[agreement_id]
            if column is None or column not in group.columns:
                continue
            keys = group[column].map(_ref_key)
            for area in group.loc[keys == ref.lower(), "area"].unique():
                excluded.add((agreement_id, str(area)))
    return excluded


def strength_table(clauses: pd.DataFrame, agreements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per agreement and policy area: share of each strength class and an enforceability flag.

    ``clauses`` is a frame as returned by ``Store.clauses()`` (at least
    ``agreement_id``, ``area``, ``text``; ``chapter_number`` and
    ``article_number`` let an exclusion that names "Chapter 5" find its area).
    ``agreements`` (``Store.agreements()``), when given, adds the agreement
    name. Columns: ``agreement_id``, [``name``], ``area``, ``n_clauses``,
    ``share_<class>`` for every class, ``hard_share`` (binding / (binding +
    soft), NaN without either), ``has_dispute_settlement`` (the agreement has
    clauses in the ``dispute_settlement`` area), ``ds_excluded``, and
    ``enforceable`` = has_dispute_settlement and not ds_excluded and
    share_binding >= :data:`ENFORCEABLE_THRESHOLD`.
    """
    if "area" not in clauses.columns:
        clauses = clauses.assign(area="unclassified")
    classified = classify_clauses(clauses)
    counts = pd.crosstab([classified["agreement_id"], classified["area"]], classified["strength"])
    counts = counts.reindex(columns=list(STRENGTH_CLASSES), fill_value=0)
    n = counts.sum(axis=1)
    table = counts.div(n, axis=0).add_prefix("share_")
    table.insert(0, "n_clauses", n)
    binding, soft = counts["binding"], counts["soft"]
    table["hard_share"] = (binding / (binding + soft)).where(binding + soft > 0)
    table = table.reset_index()
    table.columns.name = None
    with_ds = set(classified.loc[classified["area"] == "dispute_settlement", "agreement_id"])
    table["has_dispute_settlement"] = table["agreement_id"].isin(with_ds)
    excluded = excluded_areas(classified)
    table["ds_excluded"] = [
        (a, ar) in excluded for a, ar in zip(table["agreement_id"], table["area"], strict=True)
    ]
    table["enforceable"] = (
        table["has_dispute_settlement"]
        & ~table["ds_excluded"]
        & (table["share_binding"] >= ENFORCEABLE_THRESHOLD)
    )
    if agreements is not None and "name" in agreements.columns:
        names = agreements.set_index("id")["name"]
        table.insert(1, "name", table["agreement_id"].map(names))
    return table
