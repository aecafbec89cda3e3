"""BRI-RTA compatibility that isolates China: raw score, placebo hubs, excess, intervals.

For each Belt and Road partner ``p`` and each hub ``H`` (China, and the
placebo hubs :data:`~.sets.PLACEBO_HUBS`), the partner's agreements in force
without ``H`` are compared clause by clause with ``H``'s set without the
agreements ``p`` has with ``H`` (:mod:`.score`). Per partner:

- ``raw``: the score against China's set (areas weighted by the partner's clauses);
- ``placebo``: the mean score against the placebo hubs (other than the partner itself);
- ``excess = raw - placebo``: how much closer the partner's rules are to
  China's than to a typical other hub's. It is what is China-specific.

Partners are ranked by excess when it rests on at least
:data:`MIN_AGREEMENTS` of their agreements.

Intervals are the 2.5 and 97.5 percentiles over bootstrap resamples of the
partner's agreements and of each hub's agreements (:class:`~.score.Draws`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...catalog import Catalog, load_catalog
from ...catalog.roles import Roles, load_roles
from ...catalog.rtalists import load_wto_rtas
from ...catalog.standing import Regime, Selection, parse_include
from ...catalog.stored import StoredTexts, stored_texts
from ...errors import RulecompareError
from ...store import Store
from ..bowl.texts import PREFERRED_LANGUAGE, RegimeTexts, regime_texts
from ..common import Progress, chosen_areas
from .clauses import AreaMatches, ClauseTable, area_matches, clause_table
from .defaults import BOOTSTRAP, CLAUSE_THRESHOLD
from .score import AreaSums, area_sums, weighted_figures
from .sets import CHINA, DEFAULT_KINDS, KINDS, PLACEBO_HUBS, HubKind, hub_set, hub_set_for

__all__ = [
    "BOOTSTRAP",
    "CLAUSE_THRESHOLD",
    "MIN_AGREEMENTS",
    "CompatChoices",
    "CompatInputs",
    "CompatResult",
    "run_compat",
]

MIN_AGREEMENTS = 3
"""A partner is ranked when its excess rests on at least this many of its agreements; the others
keep their figures and intervals, with a note, and no rank."""


@dataclass(frozen=True)
class CompatChoices:
    """The documented choices of compatibility, with their defaults (docs/METHODS.md 3)."""

    as_of: int | None = None
    include: frozenset[str] = frozenset()
    kinds: frozenset[HubKind] = DEFAULT_KINDS
    """Kinds of hub agreements in every hub's set (``own``; ``plurilateral``, ``bloc``, ``cepa`` added)."""
    china_set: tuple[str, ...] | None = None
    """Agreement ids standing for China's rules instead of the kinds (partners' own still taken out)."""
    hubs: tuple[str, ...] = PLACEBO_HUBS
    threshold: float = CLAUSE_THRESHOLD
    weighted: bool = True
    """IDF-weighted clause similarity (boilerplate weighs little); False: plain Jaccard."""
    english_only: bool = False
    bootstrap: int = BOOTSTRAP
    seed: int = 11
    partners: tuple[str, ...] | None = None

    @property
    def selection(self) -> Selection:
        return Selection(self.as_of, parse_include(sorted(self.include)))


@dataclass
class CompatInputs:
    """Clause matches of every agreement against every hub agreement the choices may need."""

    store: Store
    areas: tuple[str, ...]
    catalog: Catalog
    roles: Roles
    texts: RegimeTexts
    table: ClauseTable
    matches: dict[tuple[str, str, bool], AreaMatches]
    hub_universe: frozenset[str]
    weighted: tuple[bool, ...]
    _stored: dict[Selection, StoredTexts] = field(default_factory=dict, repr=False)
    wto: pd.DataFrame | None = None

    @classmethod
    def build(
        cls,
        store: Store,
        choices: Sequence[CompatChoices],
        *,
        area: str | Sequence[str] | None = None,
        progress: Progress | None = None,
    ) -> CompatInputs:
        """Read, classify and match the clauses that any of ``choices`` needs."""
        catalog, roles = load_catalog(), load_roles()
        try:
            wto: pd.DataFrame | None = load_wto_rtas()
        except RulecompareError:
            wto = None
        stored = {
            c.selection: stored_texts(
                store, as_of=c.as_of, include=c.include, catalog=catalog, roles=roles, wto=wto
            )
            for c in choices
        }
        first = next(iter(stored.values()))
        texts = regime_texts(first, roles)
        universe: set[str] = set()
        hubs: set[str] = set()
        for c in choices:
            regimes_ = stored[c.selection].regimes.regimes
            wanted = {p.strip().upper() for p in c.partners} if c.partners is not None else None
            universe |= {
                k
                for k, r in regimes_.items()
                if texts.languages_of(k) and (wanted is None or r.actors & wanted)
            }
            for hub in (CHINA, *c.hubs):
                hubs |= set(hub_set(regimes_, hub, KINDS))
            hubs |= set(_explicit(c.china_set, first))
        areas = tuple(chosen_areas(area))
        weighted = tuple(sorted({c.weighted for c in choices}))
        hubs = {k for k in hubs if texts.languages_of(k)}
        table = clause_table(store, texts, sorted(universe | hubs), areas, weighted=True in weighted)
        matches: dict[tuple[str, str, bool], AreaMatches] = {}
        langs = sorted(set(table.language_of.values()))
        steps = [(a, lang, w) for a in areas for lang in langs for w in weighted]
        for k, (a, lang, w) in enumerate(steps):
            if progress:
                progress("clause matches", k, len(steps))
            found = area_matches(table, a, lang, sorted(hubs), weighted=w)
            if found is not None:
                matches[(a, lang, w)] = found
        if progress:
            progress("clause matches", len(steps), len(steps))
        inputs = cls(store, areas, catalog, roles, texts, table, matches, frozenset(hubs), weighted, wto=wto)
        inputs._stored.update(stored)
        return inputs

    def stored(self, selection: Selection) -> StoredTexts:
        if selection not in self._stored:
            raise RulecompareError(f"compatibility inputs were not built for {selection}")
        return self._stored[selection]


def _explicit(china_set: Sequence[str] | None, stored: StoredTexts) -> list[str]:
    """The keys of explicitly named agreements (store ids or keys)."""
    if china_set is None:
        return []
    key_of = dict(zip(stored.table["id"], stored.table["key"], strict=True))
    return sorted({key_of.get(i, i) for i in china_set})


@dataclass(frozen=True)
class CompatResult:
    """Compatibility under one set of choices."""

    choices: CompatChoices
    partners: pd.DataFrame
    """One row per partner (:data:`PARTNER_COLUMNS`), ranked by excess."""
    areas: pd.DataFrame
    """One row per partner and area (:data:`AREA_COLUMNS`)."""
    china_set: tuple[str, ...]
    """Keys of China's set before each partner's own agreements are taken out."""
    china_names: tuple[str, ...]
    """Their names."""
    stored: StoredTexts


PARTNER_COLUMNS = [
    "rank",
    "partner",
    "raw",
    "raw_low",
    "raw_high",
    "placebo",
    "placebo_low",
    "placebo_high",
    "excess",
    "excess_low",
    "excess_high",
    "n_placebo_hubs",
    "n_agreements",
    "n_compared",
    "n_left_out_language",
    "n_china_agreements",
    "own_china_agreements",
    "n_areas",
    "n_areas_without_china_text",
    "flagged_texts",
    "note",
]
AREA_COLUMNS = [
    "partner",
    "area",
    "n_partner_clauses",
    "n_china_clauses",
    "coverage",
    "reverse",
    "strength_gap",
    "raw",
    "raw_low",
    "raw_high",
    "placebo",
    "excess",
    "excess_low",
    "excess_high",
    "note",
]


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


def _interval(values: np.ndarray) -> tuple[float, float]:
    rest = values[1:]
    rest = rest[~np.isnan(rest)]
    if rest.size < 2:
        return float("nan"), float("nan")
    low, high = np.percentile(rest, [2.5, 97.5])
    return float(low), float(high)


@dataclass
class _Sums:
    """Running sums of one partner and hub over areas, per replicate."""

    num: np.ndarray
    den: np.ndarray

    def add(self, figures: dict[str, np.ndarray]) -> None:
        ok = ~np.isnan(figures["compat"])
        self.num += np.where(ok, figures["n_partner_clauses"] * np.nan_to_num(figures["compat"]), 0.0)
        self.den += np.where(ok, figures["n_partner_clauses"], 0.0)

    def value(self) -> np.ndarray:
        out: np.ndarray = np.divide(
            self.num, self.den, out=np.full(self.num.shape, np.nan), where=self.den > 0
        )
        return out


def _sums(n: int) -> _Sums:
    return _Sums(np.zeros(n), np.zeros(n))


def _hub_sets(
    regimes: dict[str, Regime], choices: CompatChoices, stored: StoredTexts
) -> dict[str, list[str]]:
    china = (
        _explicit(choices.china_set, stored) if choices.china_set else hub_set(regimes, CHINA, choices.kinds)
    )
    missing = [k for k in china if k not in regimes]
    if missing:
        raise RulecompareError(f"china set: {', '.join(missing)} not among the agreements in force with text")
    return {CHINA: china} | {h: hub_set(regimes, h, choices.kinds) for h in choices.hubs if h != CHINA}


def _partners(inputs: CompatInputs, choices: CompatChoices, regimes: dict[str, Regime]) -> list[str]:
    known = inputs.catalog.bri_partners
    wanted = {p.strip().upper() for p in choices.partners} if choices.partners is not None else set(known)
    unknown = wanted - set(known)
    if choices.partners is not None and unknown:
        raise RulecompareError(
            f"not Belt and Road partners in {inputs.catalog.bri_source}: {', '.join(sorted(unknown))}"
        )
    bound = {a for r in regimes.values() for a in r.actors}
    found = sorted(wanted & bound)
    if not found:
        raise RulecompareError("no Belt and Road partner has an agreement in force with text in the store")
    return found


def run_compat(
    inputs: CompatInputs, choices: CompatChoices, *, progress: Progress | None = None
) -> CompatResult:
    """Compatibility under ``choices`` (module docstring)."""
    stored = inputs.stored(choices.selection)
    regimes = {k: r for k, r in stored.regimes.regimes.items() if inputs.texts.languages_of(k)}
    languages = {PREFERRED_LANGUAGE} if choices.english_only else set(inputs.table.language_of.values())
    hub_keys = _hub_sets(regimes, choices, stored)
    outside = sorted({k for keys in hub_keys.values() for k in keys} - inputs.hub_universe)
    if outside:
        raise RulecompareError(
            f"compatibility inputs were built without the hub agreements {', '.join(outside)}"
        )
    partners = _partners(inputs, choices, regimes)
    binding = inputs.table.clauses["binding"].to_numpy()
    matches = {
        (a, lang): m
        for (a, lang, w), m in inputs.matches.items()
        if w == choices.weighted and lang in languages
    }
    rng = np.random.default_rng(choices.seed)
    rows, area_rows = [], []
    for k, partner in enumerate(partners):
        if progress:
            progress("compatibility", k, len(partners))
        row, per_area = _partner(
            partner, inputs, choices, regimes, hub_keys, matches, binding, languages, rng
        )
        rows.append(row)
        area_rows += per_area
    if progress:
        progress("compatibility", len(partners), len(partners))
    table = pd.DataFrame(rows)
    # ranked: an excess resting on enough of the partner's agreements
    ranked = table["excess"].notna() & (table["n_compared"] >= MIN_AGREEMENTS)
    order = table[ranked].sort_values(["excess", "partner"], ascending=[False, True])
    table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table.loc[order.index, "rank"] = np.arange(1, len(order) + 1)
    table = table.sort_values(["rank", "raw", "partner"], ascending=[True, False, True], na_position="last")
    hub_cols = [f"score_{h}" for h in hub_keys if h != CHINA]
    columns = [*PARTNER_COLUMNS[:12], *hub_cols, *PARTNER_COLUMNS[12:]]
    return CompatResult(
        choices,
        table[columns].reset_index(drop=True),
        pd.DataFrame(area_rows, columns=AREA_COLUMNS),
        tuple(hub_keys[CHINA]),
        tuple(regimes[k].name for k in hub_keys[CHINA]),
        stored,
    )


def _partner(
    partner: str,
    inputs: CompatInputs,
    choices: CompatChoices,
    regimes: dict[str, Regime],
    hub_keys: dict[str, list[str]],
    matches: dict[tuple[str, str], AreaMatches],
    binding: np.ndarray,
    languages: set[str],
    rng: np.random.Generator,
) -> tuple[dict[str, object], list[dict[str, object]]]:
    lang_of = inputs.table.language_of
    n = choices.bootstrap + 1
    mine_all = sorted(k for k, r in regimes.items() if partner in r.actors)
    mine = [k for k in mine_all if lang_of.get(k) in languages]
    w_partner = _weights(mine, choices.bootstrap, rng)
    totals: dict[str, np.ndarray] = {}
    by_area: dict[str, dict[str, _Sums]] = {}
    china_detail: dict[str, dict[str, float]] = {}
    for hub, keys in hub_keys.items():
        if hub == partner:
            continue
        own = {k for k in mine if hub not in regimes[k].actors}
        theirs = hub_set_for(keys, regimes, partner)
        w_hub = _weights(theirs, choices.bootstrap, rng)
        sums = _sums(n)
        for (area, _lang), am in matches.items():
            found = area_sums(am, binding, own, set(theirs), choices.threshold)
            if found is None:
                continue
            figures = weighted_figures(found, w_partner.of(found.partner), w_hub.of(found.hub))
            sums.add(figures)
            by_area.setdefault(area, {}).setdefault(hub, _sums(n)).add(figures)
            if hub == CHINA:
                china_detail[area] = _merge(china_detail.get(area), found)
        totals[hub] = sums.value()
    return _partner_row(
        partner,
        choices,
        regimes,
        hub_keys,
        mine_all,
        mine,
        totals,
        by_area,
        china_detail,
        inputs.texts,
        lang_of,
    )


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
    choices: CompatChoices,
    regimes: dict[str, Regime],
    hub_keys: dict[str, list[str]],
    mine_all: list[str],
    mine: list[str],
    totals: dict[str, np.ndarray],
    by_area: dict[str, dict[str, _Sums]],
    china_detail: dict[str, dict[str, float]],
    texts: RegimeTexts,
    language_of: dict[str, str],
) -> tuple[dict[str, object], list[dict[str, object]]]:
    n = choices.bootstrap + 1
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
