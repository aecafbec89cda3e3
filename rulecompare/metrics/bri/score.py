"""Compatibility of one partner with one hub in one area, as sums per agreement.

With ``P`` the partner's clauses of the area (in its agreements without the
hub) and ``Q`` the hub set's clauses (without the agreements the partner has
with the hub), ``t`` the clause threshold:

- ``coverage`` = share of ``P`` with a counterpart (score >= t) in ``Q``;
- ``reverse`` = share of ``Q`` with a counterpart in ``P``;
- ``strength_gap`` = share of binding clauses in ``P`` minus in ``Q``;
- ``compat = (coverage + reverse) / 2 x (1 - |strength_gap|)``.

Every figure is a ratio of sums over agreements (clauses, clauses with a
counterpart, binding clauses), so :class:`AreaSums` keeps those sums per
agreement, and any weighting of the agreements (the estimate weighs each
agreement 1, a Bayesian-bootstrap replicate a Dirichlet draw) is one
matrix product (:func:`weighted_figures`).

A partner meets seven hubs in every area and a hub's set meets every partner,
mostly unchanged (only the agreements between the two are taken out), so
:class:`SidesCache` keeps each side once per agreement set and area: its
clauses, their sums, and its best score against every clause of the other
side (a max over its agreements, taken once). A pair of sides then costs two
gathers and a comparison with the threshold.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

import numpy as np

from .clauses import AreaMatches

__all__ = ["AreaSums", "SidesCache", "area_sums", "weighted_figures"]


@dataclass(frozen=True)
class AreaSums:
    """Per-agreement sums of one partner, hub and area."""

    partner: tuple[str, ...]
    """The partner's agreements with clauses in the area."""
    n_p: np.ndarray
    """Clauses of each."""
    covered_p: np.ndarray
    """Clauses of each with a counterpart in the hub's set."""
    binding_p: np.ndarray
    hub: tuple[str, ...]
    """The hub's agreements (for this partner) with clauses in the area; empty: the hub writes none."""
    n_q: np.ndarray
    covered_q: np.ndarray
    """Clauses of each with a counterpart in the partner's agreements."""
    binding_q: np.ndarray


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The concatenated ranges ``starts[i] .. starts[i] + lengths[i]``, and the ``i`` of each element."""
    which = np.repeat(np.arange(starts.size), lengths)
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])) if starts.size else np.zeros(0, np.int64)
    return np.arange(lengths.sum(), dtype=np.int64) - offsets[which] + starts[which], which


def _positions(index: dict[str, int], keys: AbstractSet[str]) -> np.ndarray:
    """The positions of ``keys`` found in ``index``, ascending."""
    return np.array(sorted(index[k] for k in keys if k in index), dtype=np.int64)


@dataclass(frozen=True)
class _Side:
    """One agreement set's clauses in one area: a partner's rows or a hub set's columns."""

    at: np.ndarray
    """Positions of its agreements with clauses in the area (in ``regimes`` or ``hubs``), ascending."""
    names: tuple[str, ...]
    units: np.ndarray
    """Its clauses (rows of ``best_by_hub`` or columns of ``best_by_agreement``), agreement by agreement."""
    groups: np.ndarray
    """The agreement of each, as a position in ``at``."""
    n: np.ndarray
    binding: np.ndarray
    best: np.ndarray | None = None
    """Best score of every clause of the other side (all of the area's) against this side's
    agreements: filled on first use (:meth:`SidesCache.partner`, :meth:`SidesCache.hub`)."""


def _side(
    index: dict[str, int], names: tuple[str, ...], runs: np.ndarray, units: np.ndarray, binding: np.ndarray,
    keys: AbstractSet[str],
) -> _Side:  # fmt: skip
    at = _positions(index, keys)
    ranks, groups = _ranges(runs[at], runs[at + 1] - runs[at])
    n = np.bincount(groups, minlength=at.size).astype(np.float64)
    bind = np.bincount(groups, weights=binding[units[ranks]], minlength=at.size)
    return _Side(at, tuple(names[g] for g in at), ranks, groups, n, bind)


class SidesCache:
    """Each side of :func:`area_sums` computed once per area and agreement set (module docstring).

    Valid for one clause table (``binding``); the threshold is applied after, so one cache serves
    every threshold. Keyed by the :class:`~.clauses.AreaMatches` object, which it holds.
    """

    def __init__(self) -> None:
        self._sides: dict[tuple[int, str, frozenset[str]], _Side] = {}
        self._held: dict[int, AreaMatches] = {}

    def _get(self, am: AreaMatches, kind: str, keys: AbstractSet[str], binding: np.ndarray) -> _Side:
        key = (id(am), kind, frozenset(keys))
        side = self._sides.get(key)
        if side is None:
            self._held[id(am)] = am
            if kind == "partner":
                side = _side(am.regime_index, am.regimes, am.row_runs, am.rows, binding, keys)
                if side.at.size:
                    side = replace(side, best=am.best_by_agreement[side.at].max(axis=0))
            else:
                side = _side(am.hub_index, am.hubs, am.col_runs, am.cols, binding, keys)
                if side.at.size:
                    side = replace(side, best=am.best_by_hub[:, side.at].max(axis=1))
            self._sides[key] = side
        return side

    def partner(self, am: AreaMatches, keys: AbstractSet[str], binding: np.ndarray) -> _Side:
        """The partner's agreements ``keys`` in the area of ``am``; ``best``: per hub clause."""
        return self._get(am, "partner", keys, binding)

    def hub(self, am: AreaMatches, keys: AbstractSet[str], binding: np.ndarray) -> _Side:
        """The hub set ``keys`` in the area of ``am``; ``best``: per clause of the area."""
        return self._get(am, "hub", keys, binding)


def area_sums(
    am: AreaMatches,
    binding: np.ndarray,
    partner_keys: AbstractSet[str],
    hub_keys: AbstractSet[str],
    threshold: float,
    sides: SidesCache | None = None,
) -> AreaSums | None:
    """Sums for the partner's agreements ``partner_keys`` against ``hub_keys`` in one area.

    None when the partner has no clause in the area. With ``sides`` each side is read from (and kept
    in) the cache; the sums are the same.
    """
    if sides is not None:
        p = sides.partner(am, partner_keys, binding)
        if p.at.size == 0:
            return None
        h = sides.hub(am, hub_keys, binding)
        if h.at.size == 0:
            empty = np.zeros(0)
            return AreaSums(p.names, p.n, np.zeros(p.at.size), p.binding, (), empty, empty, empty)
        assert p.best is not None and h.best is not None
        covered_p = np.bincount(p.groups, weights=h.best[p.units] >= threshold, minlength=p.at.size)
        covered_q = np.bincount(h.groups, weights=p.best[h.units] >= threshold, minlength=h.at.size)
        return AreaSums(p.names, p.n, covered_p, p.binding, h.names, h.n, covered_q, h.binding)
    mine = _positions(am.regime_index, partner_keys)
    if mine.size == 0:
        return None
    row_runs = am.row_runs
    rows, groups = _ranges(row_runs[mine], row_runs[mine + 1] - row_runs[mine])
    n_p = np.bincount(groups, minlength=mine.size).astype(np.float64)
    bind_p = np.bincount(groups, weights=binding[am.rows[rows]], minlength=mine.size)
    theirs = _positions(am.hub_index, hub_keys)
    partner = tuple(am.regimes[g] for g in mine)
    if theirs.size == 0:
        empty = np.zeros(0)
        return AreaSums(partner, n_p, np.zeros(mine.size), bind_p, (), empty, empty, empty)
    hits = am.best_by_hub[np.ix_(rows, theirs)].max(axis=1) >= threshold
    covered_p = np.bincount(groups, weights=hits, minlength=mine.size)
    col_runs = am.col_runs
    cols, col_groups = _ranges(col_runs[theirs], col_runs[theirs + 1] - col_runs[theirs])
    back = am.best_by_agreement[np.ix_(mine, cols)].max(axis=0) >= threshold
    n_q = np.bincount(col_groups, minlength=theirs.size).astype(np.float64)
    covered_q = np.bincount(col_groups, weights=back, minlength=theirs.size)
    bind_q = np.bincount(col_groups, weights=binding[am.cols[cols]], minlength=theirs.size)
    hub = tuple(am.hubs[h] for h in theirs)
    return AreaSums(partner, n_p, covered_p, bind_p, hub, n_q, covered_q, bind_q)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 0)
    return out


def weighted_figures(sums: AreaSums, w_partner: np.ndarray, w_hub: np.ndarray) -> dict[str, np.ndarray]:
    """``n_partner_clauses`` (weighted), ``coverage``, ``reverse``, ``strength_gap`` and ``compat``
    for each row of weights (``w_partner``: replicates x partner agreements, ``w_hub``: replicates x
    hub agreements); NaN where the hub writes nothing in the area."""
    n_p = w_partner @ sums.n_p
    binding_p = _ratio(w_partner @ sums.binding_p, n_p)
    if not sums.hub:
        nan = np.full(n_p.shape, np.nan)
        return {"n_partner_clauses": n_p, "coverage": nan, "reverse": nan, "strength_gap": nan, "compat": nan}
    coverage = _ratio(w_partner @ sums.covered_p, n_p)
    n_q = w_hub @ sums.n_q
    reverse = _ratio(w_hub @ sums.covered_q, n_q)
    gap = binding_p - _ratio(w_hub @ sums.binding_q, n_q)
    compat = (coverage + reverse) / 2 * (1 - np.abs(gap))
    return {
        "n_partner_clauses": n_p,
        "coverage": coverage,
        "reverse": reverse,
        "strength_gap": gap,
        "compat": compat,
    }
