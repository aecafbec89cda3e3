"""The spaghetti bowl pair by pair: the agreements overlapping on a pair of countries, and how they differ.

For a pair of countries bound by two or more agreements in force, the rules
a trader between them meets are those of *these* agreements. So the
divergence of a pair is measured on its overlapping agreements only, area by
area, against the random-pair baseline of the area:

- ``J`` = similarity (character 5-gram Jaccard, or IDF-weighted) of the two
  agreements' texts in the area, in a language both are written in;
- ``J0`` = the area's baseline: mean similarity of two unrelated agreements
  of the selection (:meth:`~.similarity.BowlSimilarity.baseline`);
- ``excess = (J - J0) / (1 - J0)``: shared rules beyond what any two
  agreements share; treaty boilerplate scores 0;
- ``divergence = 1 - clip(excess, 0, 1)``: 0 when the two agreements write
  the same rules, 1 when they share no more than unrelated agreements do.

A pair's divergence is the mean over its comparisons (every pair of its
overlapping agreements with text, every area both write, one language).
A comparison of an English text with one read through its translation is
``cross_lingual`` (its ``J`` calibrated onto the monolingual scale).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ...catalog.standing import Regimes
from .similarity import BaselineStat, BowlSimilarity
from .texts import RegimeTexts

__all__ = ["COMPARISON_COLUMNS", "PAIR_COLUMNS", "PairData", "pair_data"]

COMPARISON_COLUMNS = [
    "iso_a",
    "iso_b",
    "key_a",
    "key_b",
    "area",
    "language",
    "similarity",
    "baseline",
    "excess",
    "divergence",
    "cross_lingual",
]
PAIR_COLUMNS = [
    "iso_a",
    "iso_b",
    "n_agreements",
    "n_texts",
    "n_compared",
    "n_left_out_language",
    "n_comparisons",
    "n_cross_lingual",
    "similarity",
    "divergence",
    "agreement_ids",
    "agreement_names",
    "flagged_texts",
    "note",
]


@dataclass(frozen=True)
class PairData:
    """Every pair of actors bound in force, the overlapping ones compared."""

    counts: dict[tuple[str, str], list[str]]
    """Pair -> keys of the agreements binding it (the list's, plus stored texts it lacks)."""
    pairs: pd.DataFrame
    """One row per pair bound by two or more agreements, :data:`PAIR_COLUMNS`."""
    comparisons: pd.DataFrame
    """One row per pair, pair of overlapping agreements and area, :data:`COMPARISON_COLUMNS`."""
    baselines: dict[tuple[str, str], float]
    """(area, language) -> the random-pair baseline used."""
    text_keys: dict[tuple[str, str], list[str]]
    """Overlapping pair -> its agreements with text."""
    language_gaps: dict[tuple[str, str], list[tuple[str, str]]]
    """Overlapping pair -> its pairs of agreements with text that share no language."""


def pair_counts(coverage: Regimes, texts: Regimes, source: str) -> dict[tuple[str, str], list[str]]:
    """Pair -> agreements binding it: the list's, and for the WTO list the stored texts it does not hold.

    A stored text with no WTO notification (RCEP, a user's own agreement)
    is an agreement the WTO list lacks, so it adds to the count; with DESTA,
    whose agreements the texts are not linked to, only DESTA's count.
    """
    out = {pair: list(keys) for pair, keys in coverage.pair_keys().items()}
    if source != "wto":
        return out
    for pair, keys in texts.pair_keys().items():
        extra = [k for k in keys if not k.startswith("wto:")]
        if extra:
            out[pair] = sorted({*out.get(pair, []), *extra})
    return out


def _baselines(
    sims: BowlSimilarity,
    actors: Mapping[str, frozenset[str]],
    texts: RegimeTexts,
    *,
    weighted: bool,
    stat: BaselineStat,
) -> dict[tuple[str, str], float]:
    """Per area and language, over the regimes read in that language under ``texts`` (so that a
    regime read through a translation counts only when translations are used)."""
    out = {}
    for area, lang in sims.matrices:
        read = {k: a for k, a in actors.items() if lang in texts.languages_of(k)}
        out[(area, lang)] = sims.baseline(area, lang, read, weighted=weighted, stat=stat)
    return out


def _compare(
    a: str,
    b: str,
    sims: BowlSimilarity,
    texts: RegimeTexts,
    baselines: Mapping[tuple[str, str], float],
    weighted: bool,
) -> list[tuple[str, str, float, float]] | None:
    """(area, language, J, J0) for every area both regimes write, in their common language.

    None when they share no language.
    """
    lang = texts.common_language(a, b)
    if lang is None:
        return None
    out = []
    for area in sims.areas:
        j = sims.score(area, lang, a, b, weighted=weighted)
        base = baselines.get((area, lang), float("nan"))
        if not np.isnan(j) and not np.isnan(base):
            out.append((area, lang, j, base))
    return out


def pair_data(
    coverage: Regimes,
    texts_counted: Regimes,
    texts: RegimeTexts,
    sims: BowlSimilarity,
    *,
    source: str = "wto",
    weighted: bool = False,
    baseline: BaselineStat = "mean",
) -> PairData:
    """Compare the overlapping agreements of every pair bound by two or more (module docstring)."""
    counts = pair_counts(coverage, texts_counted, source)
    text_pairs = texts_counted.pair_keys()
    actors = {k: r.actors for k, r in texts_counted.regimes.items()}
    baselines = _baselines(sims, actors, texts, weighted=weighted, stat=baseline)
    names = {k: r.name for k, r in coverage.regimes.items()} | {
        k: r.name for k, r in texts_counted.regimes.items()
    }
    cache: dict[tuple[str, str], list[tuple[str, str, float, float]] | None] = {}
    text_keys: dict[tuple[str, str], list[str]] = {}
    gaps: dict[tuple[str, str], list[tuple[str, str]]] = {}
    comp_rows: list[tuple[object, ...]] = []
    pair_rows: list[dict[str, object]] = []
    for (a, b), keys in sorted(counts.items()):
        if len(keys) < 2:
            continue
        with_text = [k for k in text_pairs.get((a, b), []) if texts.languages_of(k)]
        text_keys[(a, b)] = with_text
        compared = left_out = n_cross = 0
        similarity: list[float] = []
        divergence: list[float] = []
        for k, other in combinations(sorted(with_text), 2):
            if (k, other) not in cache:
                cache[(k, other)] = _compare(k, other, sims, texts, baselines, weighted)
            found = cache[(k, other)]
            if found is None:
                left_out += 1
                gaps.setdefault((a, b), []).append((k, other))
                continue
            if found:
                compared += 1
            cross = bool(found) and (
                texts.reads_translation(k, found[0][1]) or texts.reads_translation(other, found[0][1])
            )
            for area, lang, j, j0 in found:
                excess = (j - j0) / (1.0 - j0) if j0 < 1.0 else 0.0
                div = 1.0 - min(max(excess, 0.0), 1.0)
                comp_rows.append((a, b, k, other, area, lang, j, j0, excess, div, cross))
                n_cross += cross
                similarity.append(j)
                divergence.append(div)
        pair_rows.append(
            {
                "iso_a": a,
                "iso_b": b,
                "n_agreements": len(keys),
                "n_texts": len(with_text),
                "n_compared": compared,
                "n_left_out_language": left_out,
                "n_comparisons": len(divergence),
                "n_cross_lingual": n_cross,
                "similarity": float(np.mean(similarity)) if similarity else float("nan"),
                "divergence": float(np.mean(divergence)) if divergence else float("nan"),
                "agreement_ids": ";".join(keys),
                "agreement_names": ";".join(names.get(k, k) for k in keys),
                "flagged_texts": ";".join(texts.flagged(with_text)),
                "note": _pair_note(len(with_text), compared, left_out),
            }
        )
    return PairData(
        counts,
        pd.DataFrame(pair_rows, columns=PAIR_COLUMNS),
        pd.DataFrame(comp_rows, columns=COMPARISON_COLUMNS),
        baselines,
        text_keys,
        gaps,
    )


def _pair_note(n_texts: int, compared: int, left_out: int) -> str:
    """Why a pair has no divergence (empty when it has one)."""
    if compared:
        return ""
    if n_texts < 2:
        return "fewer than two of its agreements have text in the store"
    if left_out:
        return "its agreements with text share no language"
    return "its agreements with text share no policy area"


def country_areas(data: PairData, country: str) -> pd.DataFrame:
    """A country's overlapping pairs area by area: comparisons, similarity, baseline, divergence."""
    comps = data.comparisons[(data.comparisons["iso_a"] == country) | (data.comparisons["iso_b"] == country)]
    columns = [
        "area", "language", "n_pairs", "n_comparisons", "n_cross_lingual", "similarity", "baseline",
        "divergence",
    ]  # fmt: skip
    if comps.empty:
        return pd.DataFrame(columns=columns)
    grouped = comps.groupby(["area", "language"])
    out = pd.DataFrame(
        {
            "n_pairs": grouped.apply(lambda g: g[["iso_a", "iso_b"]].drop_duplicates().shape[0]),
            "n_comparisons": grouped.size(),
            "n_cross_lingual": grouped["cross_lingual"].sum().astype(int),
            "similarity": grouped["similarity"].mean(),
            "baseline": grouped["baseline"].first(),
            "divergence": grouped["divergence"].mean(),
        }
    ).reset_index()
    return out.sort_values(["divergence", "area"], ascending=[False, True], ignore_index=True)[columns]
