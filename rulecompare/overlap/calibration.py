"""One scale for scores across languages: a monotone map from translated-text scores to monolingual ones.

Why this exists: a translation never matches its original exactly.  On TPP,
the Spanish text's articles, translated, share a character 5-gram Jaccard of
about 0.4 with their English counterparts, where the same text in English
would score 1; and a translated text shares less with *every* English text,
related or not.  A raw cross-lingual score is therefore not on the scale of
monolingual scores, nor of the corpus baselines printed beside them.

The map is fitted on a parallel text, per level and measure, by quantile
mapping on paired scores: for each unit ``q`` of the Spanish text (its
translation ``q'``) with its English counterpart ``e(q)``, and each English
reference unit ``r``, ``x = score(q', r)`` is what the cross-lingual path
measures and ``y = score(e(q), r)`` is what it should have measured.  The
map sends the ``p``-quantile of ``x`` to the ``p``-quantile of ``y``, so
calibrated cross-lingual scores over the fitting pairs have exactly the
distribution of the monolingual ones: a translated text against an unrelated
English one lands on the baseline, against its own original near 1.  It is
monotone, so no ranking among cross-lingual scores changes.  The fit and its
checks on data it was not fitted on are in docs/METHODS.md (section 5).

The maps are shipped (``data/crosslingual-calibration.json``, written by
``scripts/fit_crosslingual.py``); this module only fits, stores and applies
them and knows nothing of the store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ..errors import RulecompareError

__all__ = [
    "CALIBRATION_FILE",
    "CalLevel",
    "CalMeasure",
    "Calibration",
    "QuantileMap",
    "fit_quantile_map",
    "load_calibration",
]

CALIBRATION_FILE = "crosslingual-calibration.json"
"""The shipped maps, in ``rulecompare/data``."""

CalLevel = Literal["agreement", "chapter", "area", "article", "clause"]
CalMeasure = Literal["jaccard", "containment", "contained", "copied", "copied_from"]
"""``containment``: the share of the translated unit found in the English one; ``contained``: the
share of the English unit found in the translated one; ``copied``: the translated unit's words in
runs of 6+ found in the English one; ``copied_from``: the English unit's words in runs found in it."""


@dataclass(frozen=True)
class QuantileMap:
    """A monotone piecewise-linear map from raw cross-lingual scores to the monolingual scale."""

    x: np.ndarray
    """Knots on the raw scale, strictly increasing from 0 to 1."""
    y: np.ndarray
    """Their images, non-decreasing from 0 to 1."""
    n: int = 0
    """How many paired scores the map was fitted on."""

    def __call__(self, raw: npt.ArrayLike) -> np.ndarray:
        values = np.clip(np.asarray(raw, dtype=np.float64), 0.0, 1.0)
        out: np.ndarray = np.interp(values, self.x, self.y)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "x": [round(float(v), 6) for v in self.x],
            "y": [round(float(v), 6) for v in self.y],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuantileMap:
        x = np.asarray(data["x"], dtype=np.float64)
        y = np.asarray(data["y"], dtype=np.float64)
        if x.shape != y.shape or x.size < 2 or np.any(np.diff(x) <= 0) or np.any(np.diff(y) < 0):
            raise RulecompareError("a cross-lingual calibration map must be increasing")
        return cls(x, y, int(data.get("n", 0)))


def _grid(n: int) -> np.ndarray:
    """Quantile levels: every half percent, and the upper tail down to one pair in ``n``."""
    tail = 1.0 - np.logspace(-2.0, np.log10(max(1.0 / max(n, 1), 1e-9)), 120)
    return np.unique(np.concatenate([np.linspace(0.0, 1.0, 201), tail]))


def fit_quantile_map(x: npt.ArrayLike, y: npt.ArrayLike) -> QuantileMap:
    """The map sending each quantile of ``x`` (raw cross-lingual scores) to that quantile of ``y``.

    ``x`` and ``y`` are scores of the same pairs (paired, same length).  Raw
    scores tied at a knot take the mean of their images, so the map is a
    function; (0, 0) and (1, 1) close it.
    """
    xs = np.asarray(x, dtype=np.float64).ravel()
    ys = np.asarray(y, dtype=np.float64).ravel()
    if xs.size != ys.size or xs.size == 0:
        raise ValueError("fit_quantile_map needs paired scores")
    q = _grid(xs.size)
    xq = np.quantile(xs, q, method="inverted_cdf")
    yq = np.quantile(ys, q, method="inverted_cdf")
    knots, inverse = np.unique(xq, return_inverse=True)
    images = np.bincount(inverse, weights=yq) / np.bincount(inverse)
    images = np.maximum.accumulate(images)
    inner = (knots > 0.0) & (knots < 1.0)
    kx = np.concatenate(([0.0], knots[inner], [1.0]))
    ky = np.concatenate(([0.0], images[inner], [1.0]))
    ky = np.maximum.accumulate(np.clip(ky, 0.0, 1.0))
    return QuantileMap(kx, ky, xs.size)


@dataclass(frozen=True)
class Calibration:
    """The maps of every level and measure, and what they were fitted with."""

    maps: Mapping[str, QuantileMap]
    """``"<level>/<measure>"`` -> its map."""
    meta: Mapping[str, Any] = field(default_factory=dict)
    """Translator version, corpus, pairs and date of the fit (as written by the fitting script)."""

    def has(self, level: str, measure: str) -> bool:
        return f"{level}/{measure}" in self.maps

    def apply(self, level: str, measure: str, raw: npt.ArrayLike) -> np.ndarray:
        """Raw cross-lingual scores at ``level`` and ``measure`` on the monolingual scale."""
        found = self.maps.get(f"{level}/{measure}")
        if found is None:
            raise RulecompareError(f"no cross-lingual calibration for {measure} at {level} level")
        return found(raw)

    def to_json(self) -> str:
        body = {"meta": dict(self.meta), "maps": {k: m.to_dict() for k, m in sorted(self.maps.items())}}
        return json.dumps(body, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        data = json.loads(text)
        return cls({k: QuantileMap.from_dict(v) for k, v in data["maps"].items()}, data.get("meta", {}))


@cache
def load_calibration() -> Calibration:
    """The shipped calibration (an empty one, which applies to nothing, before the first fit)."""
    path = resources.files("rulecompare").joinpath("data", CALIBRATION_FILE)
    if not path.is_file():
        return Calibration({})
    return Calibration.from_json(path.read_text(encoding="utf-8"))
