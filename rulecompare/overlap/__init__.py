"""Overlap of agreements at every level: matrices, neighbours, clause alignment and reuse.

Why this package exists: it turns the shingle sets of
:mod:`rulecompare.features` into the answers users ask for, exactly and fast
enough to recompute the whole corpus while they watch.  The CLI and the TUI
only format what these functions return.

- :mod:`.kernels`: the one set-overlap kernel (exact intersection counts,
  Jaccard and containment from them, weighted intersections, copied share,
  bitsets).
- :mod:`.units`: the units of a question read from the store, and their
  shingle sets cached in it.
- :mod:`.matrix`, :mod:`.baseline`, :mod:`.neighbours`, :mod:`.reuse`: the
  overlap answers, each with the corpus baseline beside it.
- :mod:`.index` and :mod:`.join`: the inverted index of unit sets and the
  exact top-k and threshold searches on it; :mod:`.allpairs`: the exact
  top-k of every unit among all others.
- :mod:`.align` and :mod:`.diff`: clause alignment, with each pair's word
  diff as operations on the original texts.
"""

from __future__ import annotations

from .align import PAIR_COLUMNS, TITLE_WEIGHT, Alignment, align, in_place_order
from .allpairs import exact_top_neighbours
from .baseline import BASELINE_SAMPLE, corpus_baseline
from .diff import ClauseDiff, DiffOp, DiffTag, Piece, word_diff
from .kernels import (
    Measure,
    WeightedTarget,
    copied_matrix,
    intersections,
    jaccard_matrix,
    scores_from_intersections,
    weighted_intersections,
)
from .matrix import MAX_MATRIX_UNITS, Level, MatrixResult, cluster_order, cross_note, matrix
from .neighbours import Neighbours, neighbours, top_neighbours
from .reuse import ReuseResult, reuse
from .units import Unit, unit_sets, units_of

__all__ = [
    "BASELINE_SAMPLE", "MAX_MATRIX_UNITS", "PAIR_COLUMNS", "TITLE_WEIGHT", "Alignment", "ClauseDiff",
    "DiffOp", "DiffTag", "Level", "MatrixResult", "Measure", "Neighbours", "Piece", "ReuseResult", "Unit",
    "WeightedTarget", "align", "cluster_order", "copied_matrix", "corpus_baseline", "cross_note",
    "exact_top_neighbours", "in_place_order", "intersections", "jaccard_matrix", "matrix", "neighbours",
    "reuse", "scores_from_intersections",
    "top_neighbours", "unit_sets", "units_of", "weighted_intersections", "word_diff",
]  # fmt: skip
