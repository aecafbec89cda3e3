"""Area-level similarity of every regime with text, per language, and the random-pair baseline.

One Jaccard matrix per policy area and language over every regime that has
text in it (computed once, whatever the analysis later selects), plain and,
when asked, IDF-weighted (:mod:`rulecompare.metrics.boilerplate`). The
baseline of an area is what two *unrelated* agreements of the selection
share there: the mean similarity over pairs of regimes that bind no actor in
common. It is the similarity of drafting and treaty furniture alone, and
what every excess is measured against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ...features import UnitSets
from ...overlap import jaccard_matrix
from ...overlap.crosslingual import CrossLingual
from ...store import Store
from ..boilerplate import IdfWeights, idf_weights, weighted_jaccard
from .cache import AreaKey, Matrix, kept_similarity, load, save
from .texts import RegimeTexts, regime_area_sets

__all__ = ["AreaMatrix", "BaselineStat", "BowlSimilarity", "bowl_similarity"]

Progress = Callable[[str, int, int], None]
BaselineStat = Literal["mean", "median"]


@dataclass(frozen=True)
class AreaMatrix:
    """Similarity of the regimes with text in one area and language."""

    keys: tuple[str, ...]
    plain: np.ndarray
    """Jaccard of character 5-gram sets."""
    weighted: np.ndarray | None
    """IDF-weighted Jaccard, when computed."""
    index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.index.update({k: i for i, k in enumerate(self.keys)})

    def matrix(self, weighted: bool) -> np.ndarray:
        if weighted:
            if self.weighted is None:
                raise ValueError("weighted similarity was not computed (bowl_similarity(weighted=True))")
            return self.weighted
        return self.plain


@dataclass(frozen=True)
class BowlSimilarity:
    """Area matrices per (area, language) over the regimes with text."""

    texts: RegimeTexts
    areas: tuple[str, ...]
    matrices: dict[tuple[str, str], AreaMatrix]

    def has(self, area: str, language: str, key: str) -> bool:
        m = self.matrices.get((area, language))
        return m is not None and key in m.index

    def score(self, area: str, language: str, a: str, b: str, *, weighted: bool = False) -> float:
        """Similarity of ``a`` and ``b`` in an area and language; NaN when either has no text there."""
        m = self.matrices.get((area, language))
        if m is None or a not in m.index or b not in m.index:
            return float("nan")
        return float(m.matrix(weighted)[m.index[a], m.index[b]])

    def baseline(
        self,
        area: str,
        language: str,
        actors: Mapping[str, frozenset[str]],
        *,
        weighted: bool = False,
        stat: BaselineStat = "mean",
    ) -> float:
        """Similarity of two unrelated regimes of ``actors`` (the selection) in the area and language.

        The mean (or median) over pairs of regimes with text there that bind
        no actor in common; NaN with fewer than one such pair.
        """
        m = self.matrices.get((area, language))
        if m is None:
            return float("nan")
        keys = [k for k in m.keys if k in actors]
        if len(keys) < 2:
            return float("nan")
        pos = np.array([m.index[k] for k in keys])
        sub = m.matrix(weighted)[np.ix_(pos, pos)]
        codes = {a: c for c, a in enumerate(sorted({a for k in keys for a in actors[k]}))}
        member = np.zeros((len(keys), max(len(codes), 1)), dtype=np.float32)
        for r, k in enumerate(keys):
            member[r, [codes[a] for a in actors[k]]] = 1.0
        iu = np.triu_indices(len(keys), 1)
        unrelated = (member @ member.T)[iu] < 0.5
        values = sub[iu][unrelated]
        if values.size == 0:
            return float("nan")
        return float(np.median(values) if stat == "median" else np.mean(values))


def _jaccard(sets: UnitSets) -> np.ndarray:
    m: np.ndarray = jaccard_matrix(sets)
    return m


def bowl_similarity(
    store: Store,
    texts: RegimeTexts,
    keys: Sequence[str],
    *,
    areas: Sequence[str],
    weighted: bool = False,
    progress: Progress | None = None,
) -> BowlSimilarity:
    """Area matrices of ``keys`` (regimes) for every area and every language they have text in.

    With ``weighted`` the IDF weights are computed per language over the
    regimes' texts in the areas compared (each regime one document).
    """
    languages = [lang for lang in texts.languages() if any(texts.ids(k, lang) for k in keys)]
    wanted = [(a, lang) for lang in languages for a in areas]
    kept = kept_similarity(store, texts, keys, areas, languages, weighted=weighted)
    found = load(kept, wanted)
    if found is None and not weighted:  # the weighted scope's entries hold the plain matrices too
        found = load(kept_similarity(store, texts, keys, areas, languages, weighted=True), wanted)
    if found is None:
        found = _compute(store, texts, keys, areas, languages, weighted=weighted, progress=progress)
        save(kept, found)
    matrices = {k: AreaMatrix(*m) for k, m in found.items() if m is not None}
    return BowlSimilarity(texts, tuple(areas), matrices)


def _compute(
    store: Store,
    texts: RegimeTexts,
    keys: Sequence[str],
    areas: Sequence[str],
    languages: Sequence[str],
    *,
    weighted: bool,
    progress: Progress | None,
) -> dict[AreaKey, Matrix | None]:
    """The area matrices of ``keys`` (None where no regime has text in the area and language)."""
    found: dict[AreaKey, Matrix | None] = {}
    steps = len(languages) * len(areas)
    done = 0
    for lang in languages:
        per_area: dict[str, tuple[list[str], UnitSets]] = {}
        for area in areas:
            if progress:
                progress(f"area similarity ({lang})", done, steps)
            per_area[area] = regime_area_sets(store, texts, area, lang, keys)
            done += 1
        weights = _language_weights(per_area) if weighted else None
        for area, (kept, sets) in per_area.items():
            if not kept:
                found[(area, lang)] = None
                continue
            plain = _jaccard(sets)
            heavy = weighted_jaccard(sets, weights) if weights is not None else None
            tr = np.array([texts.reads_translation(k, lang) for k in kept], dtype=bool)
            if texts.xl is not None and tr.any():
                plain, heavy = _calibrated(texts.xl, tr, plain, heavy)
            found[(area, lang)] = (tuple(kept), plain, heavy)
    if progress:
        progress("area similarity", steps, steps)
    return found


def _calibrated(
    xl: CrossLingual, translated: np.ndarray, plain: np.ndarray, heavy: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Cells with a regime read through a translation, put on the monolingual scale.

    The weighted matrix goes through the map fitted on plain Jaccard (none is
    fitted on weighted scores; docs/METHODS.md 5 says what that costs).
    """
    cross = translated[:, None] | translated[None, :]
    np.fill_diagonal(cross, False)
    plain = np.where(cross, xl.calibrate("area", "jaccard", plain), plain)
    if heavy is not None:
        heavy = np.where(cross, xl.calibrate("area", "jaccard", heavy), heavy)
    return plain, heavy


def _language_weights(per_area: Mapping[str, tuple[list[str], UnitSets]]) -> IdfWeights:
    """IDF weights over the regimes of one language: each regime's text in all areas is one document."""
    parts: dict[str, list[np.ndarray]] = defaultdict(list)
    for kept, sets in per_area.values():
        for i, key in enumerate(kept):
            parts[key].append(sets.row(i))
    return idf_weights([np.concatenate(p) for p in parts.values()])
