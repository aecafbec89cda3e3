"""The defaults of compatibility that the command line shows without loading the computation."""

from __future__ import annotations

__all__ = ["BOOTSTRAP", "CLAUSE_THRESHOLD"]

CLAUSE_THRESHOLD = 0.3
"""Clause similarity at or above which two clauses count as counterparts (docs/METHODS.md 3).

Two unrelated clauses of one area score about 0.05-0.1 in plain Jaccard and
less once boilerplate is weighted down; a clause re-used with other names,
numbers or a changed qualifier keeps 0.4-0.9."""
BOOTSTRAP = 200
"""Bayesian-bootstrap replicates for the intervals."""
