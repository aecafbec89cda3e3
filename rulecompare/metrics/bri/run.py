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

import zlib
from collections.abc import Sequence
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
from ..bowl.texts import PREFERRED_LANGUAGE, RegimeTexts, regime_texts, with_translations
from ..common import Progress, chosen_areas
from .cache import kept_matches, load, save
from .clauses import AreaMatches, area_matches, clause_table, reading_languages
from .defaults import BOOTSTRAP, CLAUSE_THRESHOLD
from .partner import MIN_AGREEMENTS, PartnerContext, partner_figures
from .sets import CHINA, DEFAULT_KINDS, KINDS, PLACEBO_HUBS, HubKind, hub_set

__all__ = [
    "BOOTSTRAP",
    "CLAUSE_THRESHOLD",
    "MIN_AGREEMENTS",
    "CompatChoices",
    "CompatInputs",
    "CompatResult",
    "run_compat",
]


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
    monolingual: bool = False
    """Leave out the partner agreements read through a translation (no comparison across languages)."""
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
    clauses: pd.DataFrame
    """``regime``, ``language``, ``area``, ``binding``: the clauses the matches' rows and columns index."""
    language_of: dict[str, str]
    """Regime -> the language its clauses are read in."""
    matches: dict[tuple[str, str, bool], AreaMatches]
    hub_universe: frozenset[str]
    weighted: tuple[bool, ...]
    _stored: dict[Selection, StoredTexts] = field(default_factory=dict, repr=False)
    wto: pd.DataFrame | None = None
    translation_note: str = ""
    """Why agreements without English text are not read through a translation, or empty."""

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
        texts, note = regime_texts(first, roles), ""
        if not all(c.english_only or c.monolingual for c in choices):
            texts, note = with_translations(texts)
        # The scope does not depend on the partners or hubs asked for: all regimes with text and every
        # hub's agreements of every kind, so the IDF weights (over the regimes in scope) and hence a
        # partner's figures are the same whichever partners and hubs are asked for, and one cached
        # scope serves them all.
        universe: set[str] = set()
        hubs: set[str] = set()
        for c in choices:
            regimes_ = stored[c.selection].regimes.regimes
            universe |= {k for k in regimes_ if texts.languages_of(k)}
            for hub in dict.fromkeys((CHINA, *PLACEBO_HUBS, *c.hubs)):
                hubs |= set(hub_set(regimes_, hub, KINDS))
            hubs |= set(_explicit(c.china_set, first))
        areas = tuple(chosen_areas(area))
        weighted = tuple(sorted({c.weighted for c in choices}))
        hubs = {k for k in hubs if texts.languages_of(k)}
        clauses, language_of, matches = _matches(
            store, texts, sorted(universe | hubs), hubs, areas, weighted, progress
        )
        inputs = cls(
            store, areas, catalog, roles, texts, clauses, language_of, matches, frozenset(hubs), weighted,
            wto=wto, translation_note=note,
        )  # fmt: skip
        inputs._stored.update(stored)
        return inputs

    def stored(self, selection: Selection) -> StoredTexts:
        if selection not in self._stored:
            raise RulecompareError(f"compatibility inputs were not built for {selection}")
        return self._stored[selection]


def _matches(
    store: Store,
    texts: RegimeTexts,
    keys: list[str],
    hubs: set[str],
    areas: tuple[str, ...],
    weighted: tuple[bool, ...],
    progress: Progress | None,
) -> tuple[pd.DataFrame, dict[str, str], dict[tuple[str, str, bool], AreaMatches]]:
    """The clause list and the match summaries of ``keys`` against ``hubs``: from the store's cache
    when it holds them for this corpus state and code (:mod:`.cache`), else computed and kept."""
    kept = kept_matches(store, texts, keys, hubs, areas)
    langs = sorted(set(reading_languages(texts, keys).values()))
    steps = [(a, lang, w) for a in areas for lang in langs for w in weighted]
    found = load(kept, steps)
    matches: dict[tuple[str, str, bool], AreaMatches | None] = found[2] if found is not None else {}
    missing = [s for s in steps if s not in matches]
    if found is not None and not missing:
        return found[0], found[1], {k: m for k, m in matches.items() if m is not None}
    # some or all are missing: the clause table (its row order is the same as the kept one's, the
    # scope and corpus state being the same) and the missing summaries are computed and kept
    table = clause_table(store, texts, keys, areas, weighted=any(w for _, _, w in missing))
    computed: dict[tuple[str, str, bool], AreaMatches | None] = {}
    for k, (a, lang, w) in enumerate(missing):
        if progress:
            progress("clause matches", k, len(missing))
        computed[(a, lang, w)] = area_matches(table, a, lang, sorted(hubs), weighted=w)
    if progress:
        progress("clause matches", len(missing), len(missing))
    save(kept, table.clauses, table.language_of, computed)
    matches |= computed
    return table.clauses, table.language_of, {k: m for k, m in matches.items() if m is not None}


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
    "n_translated",
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


def _partner_rng(seed: int, partner: str) -> np.random.Generator:
    """Each partner's own stream of bootstrap draws, so that its intervals are the same whether it is
    asked for alone or among all partners."""
    return np.random.default_rng([seed, zlib.crc32(partner.encode())])


def run_compat(
    inputs: CompatInputs, choices: CompatChoices, *, progress: Progress | None = None
) -> CompatResult:
    """Compatibility under ``choices`` (module docstring)."""
    stored = inputs.stored(choices.selection)
    regimes = {k: r for k, r in stored.regimes.regimes.items() if inputs.texts.languages_of(k)}
    languages = {PREFERRED_LANGUAGE} if choices.english_only else set(inputs.language_of.values())
    hub_keys = _hub_sets(regimes, choices, stored)
    outside = sorted({k for keys in hub_keys.values() for k in keys} - inputs.hub_universe)
    if outside:
        raise RulecompareError(
            f"compatibility inputs were built without the hub agreements {', '.join(outside)}"
        )
    partners = _partners(inputs, choices, regimes)
    binding = inputs.clauses["binding"].to_numpy()
    matches = {
        (a, lang): m
        for (a, lang, w), m in inputs.matches.items()
        if w == choices.weighted and lang in languages
    }
    language_of = inputs.language_of
    if choices.english_only or choices.monolingual:
        language_of = {k: v for k, v in language_of.items() if k not in inputs.texts.translated}
    context = PartnerContext(
        regimes,
        hub_keys,
        matches,
        binding,
        languages,
        language_of,
        inputs.texts,
        choices.bootstrap,
        choices.threshold,
    )
    rows, area_rows = [], []
    for k, partner in enumerate(partners):
        if progress:
            progress("compatibility", k, len(partners))
        row, per_area = partner_figures(partner, context, _partner_rng(choices.seed, partner))
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
