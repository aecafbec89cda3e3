"""Treaty boilerplate, weighted down: inverse document frequency of shingles over the agreements.

Two unrelated English trade agreements share a quarter of their character
5-grams ("the parties shall", "in accordance with", "this agreement"): the
furniture of every treaty. A plain Jaccard similarity counts that furniture
like any rule. Weighting each shingle by its inverse document frequency over
the agreements in scope,

    w(s) = ln(N / df(s)),

where ``N`` is the number of agreements (regimes) and ``df(s)`` the number
whose text holds ``s``, gives a shingle every agreement writes the weight 0
and a shingle one agreement writes ``ln N``. The weighted Jaccard of two
shingle sets is

    J_w(A, B) = sum_{s in A & B} w(s) / sum_{s in A | B} w(s)

(the IDF-weighted Jaccard of Ioffe 2010 and of TF-IDF text reuse measures,
restricted to sets), computed with the overlap kernel's weighted
intersections. A shingle not seen in the weighting corpus gets the weight of
a shingle seen once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..features import UnitSets
from ..overlap import weighted_intersections

__all__ = ["IdfWeights", "idf_weights", "jaccard_from_weighted", "weighted_jaccard", "weighted_sizes"]


@dataclass(frozen=True)
class IdfWeights:
    """IDF weights of the shingles of a corpus of documents (agreements)."""

    keys: np.ndarray
    """Sorted shingle keys (uint64)."""
    weights: np.ndarray
    """``ln(N / df)`` of each key (float64)."""
    n_documents: int

    def of(self, keys: np.ndarray) -> np.ndarray:
        """Weights of ``keys``; a key not in the corpus weighs ``ln N`` (as if seen once)."""
        unseen = np.log(max(self.n_documents, 1))
        if self.keys.size == 0:
            return np.full(keys.size, unseen)
        pos = np.searchsorted(self.keys, keys)
        pos[pos == self.keys.size] = 0
        found = self.keys[pos] == keys
        return np.where(found, self.weights[pos], unseen)


def idf_weights(documents: Sequence[np.ndarray]) -> IdfWeights:
    """IDF weights from the shingle sets of ``documents`` (each an array of unique keys)."""
    docs = [np.unique(d) for d in documents]
    n = len(docs)
    if n == 0:
        return IdfWeights(np.zeros(0, np.uint64), np.zeros(0), 0)
    keys, df = np.unique(np.concatenate(docs), return_counts=True)
    return IdfWeights(keys.astype(np.uint64), np.log(n / df.astype(np.float64)), n)


def weighted_jaccard(
    sets: UnitSets,
    weights: IdfWeights,
    other: UnitSets | None = None,
    *,
    sizes: np.ndarray | None = None,
    other_sizes: np.ndarray | None = None,
) -> np.ndarray:
    """IDF-weighted Jaccard of every row of ``sets`` with every row of ``other`` (or of ``sets``).

    ``sizes`` / ``other_sizes`` pass the rows' weighted sizes (:func:`weighted_sizes`) when known.
    0 where both sets weigh nothing (empty, or only shingles every document has).
    """
    inter = weighted_intersections(sets, other, weights.of)
    size_a = sizes if sizes is not None else weighted_sizes(sets, weights)
    if other is None:
        size_b = size_a
    else:
        size_b = other_sizes if other_sizes is not None else weighted_sizes(other, weights)
    return jaccard_from_weighted(inter, size_a, size_b)


def jaccard_from_weighted(inter: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Weighted Jaccard from weighted intersections and sizes, in place of ``inter``; 0 for empty unions."""
    union = size_a[:, None] + size_b[None, :]
    union -= inter
    empty = union <= 1e-12
    np.divide(inter, union, out=inter, where=~empty)
    inter[empty] = 0.0
    np.clip(inter, 0.0, 1.0, out=inter)
    return inter


def weighted_sizes(sets: UnitSets, weights: IdfWeights) -> np.ndarray:
    """The summed weight of each row of ``sets``."""
    if sets.keys.size == 0:
        return np.zeros(len(sets))
    w = weights.of(sets.keys)
    sums = np.add.reduceat(np.concatenate((w, [0.0])), sets.indptr[:-1])
    sums[sets.sizes == 0] = 0.0
    out: np.ndarray = sums.astype(np.float64)
    return out
