"""One partner's compatibility with China and the placebo hubs, area by area and overall.

For each hub the partner's agreements without the hub meet the hub's set
without the partner's agreements with it (:mod:`.sets`), area by area
(:mod:`.score`); the areas are pooled, weighted by the partner's clauses,
for the estimate and for every Bayesian-bootstrap replicate, and the
placebo mean and the excess are taken replicate by replicate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ...catalog.standing import Regime
from ..bowl.texts import RegimeTexts
from .clauses import AreaMatches
from .score import AreaSums, SidesCache, area_sums, weighted_figures
from .sets import CHINA, hub_set_for

__all__ = ["MIN_AGREEMENTS", "PartnerContext", "partner_figures"]

MIN_AGREEMENTS = 3
"""A partner is ranked when its excess rests on at least this many of its agreements; the others
keep their figures and intervals, with a note, and no rank."""


@dataclass(frozen=True)
class PartnerContext:
    """What every partner's figures are computed from, under one set of choices."""

    regimes: dict[str, Regime]
    """The counted agreements with text."""
    hub_keys: dict[str, list[str]]
    """Hub (China first) -> its set."""
    matches: dict[tuple[str, str], AreaMatches]
    """(area, language) -> clause matches under the chosen weighting."""
    binding: np.ndarray
    """Whether each clause of the clause table is binding."""
    languages: set[str]
    language_of: dict[str, str]
    texts: RegimeTexts
    bootstrap: int
    threshold: float
    sides: SidesCache = field(default_factory=SidesCache)
    """Each partner's and each hub set's side, area by area, computed once for all partners."""


@dataclass(frozen=True)
class _Weights:
    """Weights of some agreements per replicate: row 0 the estimate (all 1), then Bayesian-bootstrap draws."""

    keys: dict[str, int]
    table: np.ndarray

    def of(self, keys: Sequence[str]) -> np.ndarray:
        """Replicates x ``keys``."""
        return self.table[:, [self.keys[k] for k in keys]]


def _weights(keys: Iterable[str], draws: int, rng: np.random.Generator) -> _Weights:
    """Dirichlet(1, ..., 1) weights over ``keys`` for each of ``draws`` replicates (Rubin 1981)."""
    keys = sorted(keys)
    ones = np.ones((1, len(keys)))
    sample = rng.dirichlet(np.ones(len(keys)), size=draws) if keys and draws else np.zeros((0, len(keys)))
    return _Weights({k: i for i, k in enumerate(keys)}, np.vstack([ones, sample]))


_QUANTILES = np.array([0.025, 0.975])


def _interval(values: np.ndarray) -> tuple[float, float]:
    """The 2.5 and 97.5 percentiles of the replicates (``values[1:]``, NaN left out).

    Exactly ``np.percentile(rest, [2.5, 97.5])`` (linear interpolation, with NumPy's formula on
    either side of the midpoint), written out: a partner has one interval per figure, hub and area,
    thousands in all, and the generic function costs ten times more than the arithmetic.
    """
    rest = values[1:]
    rest = np.sort(rest[~np.isnan(rest)])
    if rest.size < 2:
        return float("nan"), float("nan")
    at = (rest.size - 1) * _QUANTILES
    below = np.floor(at)
    gamma = at - below
    i = below.astype(np.intp)
    a, b = rest[i], rest[i + 1]
    diff = b - a
    low, high = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
    return float(low), float(high)


@dataclass
class _Sums:
    """Running sums of one partner and hub over areas, per replicate."""

    num: np.ndarray
    den: np.ndarray

    def add(self, figures: dict[str, np.ndarray]) -> None:
        compat, n = figures["compat"], figures["n_partner_clauses"]
        ok = ~np.isnan(compat)
        self.num[ok] += n[ok] * compat[ok]
        self.den[ok] += n[ok]

    def value(self) -> np.ndarray:
        out: np.ndarray = np.divide(
            self.num, self.den, out=np.full(self.num.shape, np.nan), where=self.den > 0
        )
        return out


def _sums(n: int) -> _Sums:
    return _Sums(np.zeros(n), np.zeros(n))


def partner_figures(
    partner: str, ctx: PartnerContext, rng: np.random.Generator
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The partner's row (raw, placebo, excess, per-hub scores, texts) and its rows per area."""
    regimes, hub_keys, lang_of = ctx.regimes, ctx.hub_keys, ctx.language_of
    n = ctx.bootstrap + 1
    mine_all = sorted(k for k, r in regimes.items() if partner in r.actors)
    mine = [k for k in mine_all if lang_of.get(k) in ctx.languages]
    w_partner = _weights(mine, ctx.bootstrap, rng)
    totals: dict[str, np.ndarray] = {}
    by_area: dict[str, dict[str, _Sums]] = {}
    china_detail: dict[str, dict[str, float]] = {}
    for hub, keys in hub_keys.items():
        if hub == partner:
            continue
        own = frozenset(k for k in mine if hub not in regimes[k].actors)
        theirs = hub_set_for(keys, regimes, partner)
        w_hub = _weights(theirs, ctx.bootstrap, rng)
        sums = _sums(n)
        their_keys = frozenset(theirs)
        for (area, _lang), am in ctx.matches.items():
            found = area_sums(am, ctx.binding, own, their_keys, ctx.threshold, ctx.sides)
            if found is None:
                continue
            figures = weighted_figures(found, w_partner.of(found.partner), w_hub.of(found.hub))
            sums.add(figures)
            by_area.setdefault(area, {}).setdefault(hub, _sums(n)).add(figures)
            if hub == CHINA:
                china_detail[area] = _merge(china_detail.get(area), found)
        totals[hub] = sums.value()
    return _partner_row(partner, ctx, mine_all, mine, totals, by_area, china_detail)


def _merge(old: dict[str, float] | None, new: AreaSums) -> dict[str, float]:
    """Unweighted sums of one area over its languages, for the figures shown per area."""
    add = {
        "n_p": float(new.n_p.sum()),
        "covered_p": float(new.covered_p.sum()),
        "n_q": float(new.n_q.sum()),
        "covered_q": float(new.covered_q.sum()),
        "binding_p": float(new.binding_p.sum()),
        "binding_q": float(new.binding_q.sum()),
    }
    return add if old is None else {k: old[k] + v for k, v in add.items()}


def _mean_rows(values: list[np.ndarray], n: int) -> np.ndarray:
    """Mean over hubs per replicate, ignoring hubs without a value; NaN where none has one."""
    if not values:
        return np.full(n, np.nan)
    stack = np.vstack(values)
    count = (~np.isnan(stack)).sum(axis=0)
    out: np.ndarray = np.divide(np.nansum(stack, axis=0), count, out=np.full(n, np.nan), where=count > 0)
    return out


def _partner_row(
    partner: str,
    ctx: PartnerContext,
    mine_all: list[str],
    mine: list[str],
    totals: dict[str, np.ndarray],
    by_area: dict[str, dict[str, _Sums]],
    china_detail: dict[str, dict[str, float]],
) -> tuple[dict[str, object], list[dict[str, object]]]:
    regimes, hub_keys, language_of, texts = ctx.regimes, ctx.hub_keys, ctx.language_of, ctx.texts
    n = ctx.bootstrap + 1
    placebo_hubs = [h for h in hub_keys if h not in (CHINA, partner)]
    raw = totals.get(CHINA, np.full(n, np.nan))
    placebo = _mean_rows([totals[h] for h in placebo_hubs if h in totals], n)
    excess = raw - placebo
    theirs = hub_set_for(hub_keys[CHINA], regimes, partner)
    own_china = [regimes[k].name for k in hub_keys[CHINA] if partner in regimes[k].actors]
    without_china = [k for k in mine_all if CHINA not in regimes[k].actors]
    china_langs = {language_of[k] for k in theirs if k in language_of}
    compared = [k for k in without_china if k in mine and language_of.get(k) in china_langs]
    area_rows: list[dict[str, object]] = []
    n_without = 0
    for area in sorted(by_area):
        sums = by_area[area]
        if CHINA not in sums:
            continue
        value = sums[CHINA].value()
        plac = _mean_rows([sums[h].value() for h in placebo_hubs if h in sums], n)
        d = china_detail[area]
        note = "" if not np.isnan(value[0]) else "China's set writes no clause in this area"
        n_without += bool(note)
        gap = d["binding_p"] / d["n_p"] - d["binding_q"] / d["n_q"] if d["n_q"] else float("nan")
        area_rows.append(
            {
                "partner": partner,
                "area": area,
                "n_partner_clauses": int(d["n_p"]),
                "n_china_clauses": int(d["n_q"]),
                "coverage": d["covered_p"] / d["n_p"] if d["n_q"] else float("nan"),
                "reverse": d["covered_q"] / d["n_q"] if d["n_q"] else float("nan"),
                "strength_gap": gap,
                "raw": float(value[0]),
                **dict(zip(("raw_low", "raw_high"), _interval(value), strict=True)),
                "placebo": float(plac[0]),
                "excess": float(value[0] - plac[0]),
                **dict(zip(("excess_low", "excess_high"), _interval(value - plac), strict=True)),
                "note": note,
            }
        )
    row: dict[str, object] = {
        "partner": partner,
        "raw": float(raw[0]),
        **dict(zip(("raw_low", "raw_high"), _interval(raw), strict=True)),
        "placebo": float(placebo[0]),
        **dict(zip(("placebo_low", "placebo_high"), _interval(placebo), strict=True)),
        "excess": float(excess[0]),
        **dict(zip(("excess_low", "excess_high"), _interval(excess), strict=True)),
        "n_placebo_hubs": sum(1 for h in placebo_hubs if h in totals and not np.isnan(totals[h][0])),
        **{
            f"score_{h}": float(totals[h][0]) if h in totals else float("nan") for h in hub_keys if h != CHINA
        },
        "n_agreements": len(mine_all),
        "n_compared": len(compared),
        "n_translated": sum(1 for k in compared if texts.reads_translation(k, language_of.get(k, ""))),
        "n_left_out_language": len(without_china) - len(compared),
        "n_china_agreements": len(theirs),
        "own_china_agreements": ";".join(own_china),
        "n_areas": len(area_rows),
        "n_areas_without_china_text": n_without,
        "flagged_texts": ";".join(texts.flagged([*compared, *theirs])),
        "note": _partner_note(raw[0], placebo[0], len(compared)),
    }
    return row, area_rows


def _partner_note(raw: float, placebo: float, compared: int) -> str:
    if compared == 0:
        return "none of its agreements without China is in a language China's set is written in"
    if np.isnan(raw):
        return "its agreements without China write nothing in the areas China's set writes"
    if np.isnan(placebo):
        return "no placebo hub's set writes in its areas: excess unknown"
    if compared < MIN_AGREEMENTS:
        return f"rests on {compared} of its agreements (fewer than {MIN_AGREEMENTS}): no rank"
    return ""
