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

import pandas as pd

from ...catalog import Catalog, load_catalog
from ...catalog.roles import Roles, load_roles
from ...catalog.rtalists import load_desta, load_wto_rtas
from ...catalog.standing import Regimes, Selection, annotate, parse_include, regimes
from ...catalog.stored import StoredTexts, stored_texts
from ...errors import RulecompareError
from ...store import Store
from ..common import Progress, chosen_areas
from .index import BOOTSTRAP, MIN_TEXTS, SHRINKAGE, country_table
from .pairs import PairData, pair_data
from .similarity import BaselineStat, BowlSimilarity, bowl_similarity
from .texts import PREFERRED_LANGUAGE, RegimeTexts, regime_texts

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
    ) -> BowlInputs:
        """Read the lists, put the stored texts through the roles and compute the area matrices.

        ``weighted`` also computes the IDF-weighted matrices (needed for
        ``BowlChoices(weighted=True)`` and the sensitivity table).
        """
        catalog, roles = load_catalog(), load_roles()
        wto = load_wto_rtas()
        stored = stored_texts(store, catalog=catalog, roles=roles, wto=wto)
        texts = regime_texts(stored, roles)
        areas = tuple(chosen_areas(area))
        sims = bowl_similarity(
            store, texts, sorted(texts.by_key), areas=areas, weighted=weighted, progress=progress
        )
        inputs = cls(store, areas, catalog, roles, wto, texts, sims)
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
        return regimes(
            annotate(frame, as_of=choices.as_of, roles=self.roles),
            selection=Selection(choices.as_of, choices.include),
            catalog=self.catalog,
            roles=self.roles,
        )


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
    return BowlResult(choices, countries, data.pairs, data, coverage, stored, texts, inputs.sims)


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
    inputs = inputs or BowlInputs.build(store, area=area, weighted=choices.weighted, progress=progress)
    return run_bowl(inputs, replace(choices, include=parse_include(sorted(choices.include))))
