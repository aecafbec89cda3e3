"""The spaghetti bowl under one set of choices: inputs computed once, variants measured cheaply.

:class:`BowlInputs` holds what is expensive (the stored texts' regimes and
the area matrices over every regime with text); :func:`run_bowl` measures
the bowl under a :class:`BowlChoices` (day, list, kinds included, weighting,
baseline, shrinkage, languages), so that the sensitivity table re-runs the
cheap part only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import cast

import pandas as pd

from ...catalog import Catalog, load_catalog
from ...catalog.desta import store_crosswalk
from ...catalog.roles import Role, Roles, Scope, load_roles
from ...catalog.rtalists import load_desta, load_wto_rtas
from ...catalog.standing import Regimes, Selection, annotate, parse_include, regimes
from ...catalog.stored import StoredTexts, stored_texts
from ...errors import RulecompareError
from ...store import Store
from ..common import Progress, chosen_areas
from .index import BOOTSTRAP, MIN_TEXTS, SHRINKAGE, country_table
from .pairs import PairData, pair_data
from .similarity import BaselineStat, BowlSimilarity, bowl_similarity
from .texts import PREFERRED_LANGUAGE, RegimeTexts, regime_texts, with_translations

__all__ = ["BowlChoices", "BowlInputs", "BowlResult", "run_bowl", "spaghetti_bowl"]

SOURCES = ("wto", "desta")


@dataclass(frozen=True)
class BowlChoices:
    """The documented choices of the spaghetti bowl, with their defaults (docs/METHODS.md 2)."""

    as_of: int | None = None
    """Agreements in force on 31 December of this year; None: now."""
    source: str = "wto"
    """The list that counts agreements per pair: ``wto`` (WTO RTA-IS) or ``desta``."""
    include: frozenset[str] = frozenset()
    """Kinds counted beyond the default (``partial-scope``, ``multilateral``, ``services``)."""
    weighted: bool = False
    """IDF-weighted Jaccard instead of plain Jaccard."""
    baseline: BaselineStat = "mean"
    """Mean or median similarity of unrelated agreements."""
    shrinkage: float = SHRINKAGE
    min_texts: int = MIN_TEXTS
    english_only: bool = False
    monolingual: bool = False
    """Compare texts in a language both are written in only: no pair read through a translation."""
    bootstrap: int = BOOTSTRAP
    seed: int = 10

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise RulecompareError(f"source must be wto or desta, not '{self.source}'")


@dataclass
class BowlInputs:
    """What the bowl measures on, computed once per store and set of areas."""

    store: Store
    areas: tuple[str, ...]
    catalog: Catalog
    roles: Roles
    wto: pd.DataFrame
    texts: RegimeTexts
    sims: BowlSimilarity
    translation_note: str = ""
    """Why agreements without English text are not read through a translation, or empty."""
    _stored: dict[tuple[int | None, frozenset[str]], StoredTexts] = field(default_factory=dict, repr=False)
    _lists: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        store: Store,
        *,
        area: str | Sequence[str] | None = None,
        weighted: bool = False,
        progress: Progress | None = None,
        wto: pd.DataFrame | None = None,
        roles: Roles | None = None,
        translate: bool = True,
    ) -> BowlInputs:
        """Read the lists, put the stored texts through the roles and compute the area matrices.

        ``weighted`` also computes the IDF-weighted matrices (needed for
        ``BowlChoices(weighted=True)`` and the sensitivity table). ``wto`` and
        ``roles`` pass a WTO list and roles instead of the shared and shipped ones.
        With ``translate`` agreements without English text are also read in
        English through their translation (:func:`~.texts.with_translations`).
        """
        catalog = load_catalog()
        roles = roles if roles is not None else load_roles()
        wto = wto if wto is not None else load_wto_rtas()
        stored = stored_texts(store, catalog=catalog, roles=roles, wto=wto)
        texts, note = (
            with_translations(regime_texts(stored, roles)) if translate else (regime_texts(stored, roles), "")
        )
        areas = tuple(chosen_areas(area))
        sims = bowl_similarity(
            store, texts, sorted(texts.by_key), areas=areas, weighted=weighted, progress=progress
        )
        inputs = cls(store, areas, catalog, roles, wto, texts, sims, note)
        inputs._stored[(None, frozenset())] = stored
        return inputs

    def stored(self, as_of: int | None, include: frozenset[str]) -> StoredTexts:
        """The stored texts' standing on the day with the kinds included (cached)."""
        key = (as_of, include)
        if key not in self._stored:
            self._stored[key] = stored_texts(
                self.store, as_of=as_of, include=include, catalog=self.catalog, roles=self.roles, wto=self.wto
            )
        return self._stored[key]

    def coverage(self, choices: BowlChoices) -> Regimes:
        """The list's agreements counted under the choices."""
        if choices.source not in self._lists:
            self._lists[choices.source] = self.wto if choices.source == "wto" else load_desta()
        frame = self._lists[choices.source]
        roles = self.roles if choices.source == "wto" else self._desta_roles()
        return regimes(
            annotate(frame, as_of=choices.as_of, roles=roles),
            selection=Selection(choices.as_of, choices.include),
            catalog=self.catalog,
            roles=roles,
        )

    def _desta_roles(self) -> Roles:
        """The roles carried over to DESTA's rows through the DESTA crosswalk of the stored texts.

        DESTA has no types: a DESTA treaty linked to a stored text takes the
        scope of that text's agreement (WTO card or ``roles.csv``), and a
        succession link between two linked agreements holds between their
        DESTA rows too. Unlinked DESTA treaties count whatever they are.
        """
        try:
            links = store_crosswalk(self.store)
        except RulecompareError:
            return self.roles
        stored = self.stored(None, frozenset())
        table = stored.table.set_index("id")
        desta_of_key: dict[str, str] = {}
        entries = dict(self.roles.entries)
        for agreement_id, number in zip(links["agreement_id"], links["desta_id"], strict=True):
            if pd.isna(number) or agreement_id not in table.index:
                continue
            desta = f"desta:{number}"
            desta_of_key.setdefault(str(table.loc[agreement_id, "key"]), desta)
            scope = table.loc[agreement_id, "scope"]
            if desta not in entries and isinstance(scope, str):
                entries[desta] = Role(desta, scope=cast(Scope, scope))
        for old, new in self.roles.successors().items():
            old_d = desta_of_key.get(stored.alias(old))
            for successor in new:
                new_d = desta_of_key.get(stored.alias(successor))
                if old_d and new_d and old_d != new_d:
                    role = entries.get(new_d, Role(new_d))
                    entries[new_d] = replace(role, supersedes=(*role.supersedes, old_d))
        return Roles(entries, self.roles.source)


@dataclass(frozen=True)
class BowlResult:
    """The bowl under one set of choices."""

    choices: BowlChoices
    countries: pd.DataFrame
    """Per country, ranked (:data:`~.index.COUNTRY_COLUMNS`)."""
    pairs: pd.DataFrame
    """Per pair bound by two or more agreements (:data:`~.pairs.PAIR_COLUMNS`)."""
    data: PairData
    coverage: Regimes
    stored: StoredTexts
    texts: RegimeTexts
    sims: BowlSimilarity
    translation_note: str = ""


def run_bowl(inputs: BowlInputs, choices: BowlChoices) -> BowlResult:
    """The bowl under ``choices`` (docs/METHODS.md 2)."""
    stored = inputs.stored(choices.as_of, choices.include)
    texts = inputs.texts
    if choices.english_only:
        texts = RegimeTexts(
            {
                k: {PREFERRED_LANGUAGE: v[PREFERRED_LANGUAGE]}
                for k, v in texts.by_key.items()
                if PREFERRED_LANGUAGE in v
            },
            texts.flags,
            texts.extra,
        )
    elif choices.monolingual:
        texts = replace(texts, translated=frozenset())
    coverage = inputs.coverage(choices)
    data = pair_data(
        coverage,
        stored.regimes,
        texts,
        inputs.sims,
        source=choices.source,
        weighted=choices.weighted,
        baseline=choices.baseline,
    )
    countries = country_table(
        data,
        stored.regimes,
        texts,
        shrinkage=choices.shrinkage,
        min_texts=choices.min_texts,
        bootstrap=choices.bootstrap,
        seed=choices.seed,
    )
    note = inputs.translation_note if not (choices.monolingual or choices.english_only) else ""
    return BowlResult(choices, countries, data.pairs, data, coverage, stored, texts, inputs.sims, note)


def spaghetti_bowl(
    store: Store,
    choices: BowlChoices | None = None,
    *,
    area: str | Sequence[str] | None = None,
    progress: Progress | None = None,
    inputs: BowlInputs | None = None,
) -> BowlResult:
    """The spaghetti bowl of the store's texts under ``choices`` (defaults: docs/METHODS.md 2)."""
    choices = choices or BowlChoices()
    inputs = inputs or BowlInputs.build(
        store,
        area=area,
        weighted=choices.weighted,
        progress=progress,
        translate=not (choices.monolingual or choices.english_only),
    )
    return run_bowl(inputs, replace(choices, include=parse_include(sorted(choices.include))))
