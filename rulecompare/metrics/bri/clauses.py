"""Clause-level best matches between every agreement and every hub agreement, area by area.

Compatibility compares clauses. For each area and language this module
scores every clause of the agreements in scope against every clause of the
hub agreements (the union of all hubs' sets), once, and keeps two summaries
from which every partner, hub, exclusion and resample is read off cheaply:

- ``best_by_hub[x, h]``: the best score of clause ``x`` against the clauses of
  hub agreement ``h``;
- ``best_by_agreement[g, y]``: the best score of hub clause ``y`` against the
  clauses of agreement ``g``.

Scores are plain Jaccard or IDF-weighted Jaccard
(:mod:`rulecompare.metrics.boilerplate`) of character 5-gram sets. Clauses
with fewer than :data:`MIN_CLAUSE_SHINGLES` distinct shingles are left out.
A regime with no English text that :class:`~..bowl.texts.RegimeTexts` reads
through a translation is read in English here (its clauses' translations,
``translated``), its scores against English clauses are put on the
monolingual scale by the clause-level calibration, and its clauses are
classified binding or not on their translation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ...features import UnitSets
from ...overlap import WeightedTarget, jaccard_matrix, unit_sets
from ...overlap.crosslingual import CrossLingual, view_unit_sets
from ...store import Store
from ...translate import translations_for
from ..boilerplate import IdfWeights, idf_weights, jaccard_from_weighted, weighted_sizes
from ..bowl.texts import PREFERRED_LANGUAGE, RegimeTexts
from ..strength import classify_clauses

__all__ = [
    "MIN_CLAUSE_SHINGLES", "AreaMatches", "ClauseTable", "area_matches", "clause_table", "reading_languages",
]  # fmt: skip

MIN_CLAUSE_SHINGLES = 25
"""Clauses with fewer distinct shingles (about 30 characters: "(b) services;") are left out:
their similarity with anything is noise."""

_ROW_CHUNK = 2048


@dataclass(frozen=True)
class ClauseTable:
    """The clauses of every agreement (regime) in scope, in the language it is read in."""

    clauses: pd.DataFrame
    """``regime``, ``language``, ``area``, ``binding`` (bool): one row per clause and regime it stands for."""
    sets: UnitSets
    """Shingle sets in the order of ``clauses``."""
    language_of: dict[str, str]
    """Regime -> the language its clauses are read in (the preferred one it has)."""
    weights: dict[str, IdfWeights]
    """Language -> IDF weights over the regimes written in it."""
    weighted_size: np.ndarray | None = None
    """Each clause's summed shingle weight (in its language), when weighted."""
    translated: np.ndarray | None = None
    """Whether each clause is read through an English translation (None: none is)."""
    xl: CrossLingual | None = None
    """The calibration of those clauses' scores."""

    def calibrate(self, s: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Scores of clauses ``rows`` x ``cols``, the cells with a translated clause calibrated."""
        if self.translated is None or self.xl is None:
            return s
        by_row, by_col = self.translated[rows], self.translated[cols]
        if not (by_row.any() or by_col.any()):
            return s
        # only the cells with a translated clause go through the map (they are few): whole rows of
        # translated clauses, then translated columns of the other rows
        out = s.astype(np.float32, copy=True)
        if by_row.any():
            out[by_row] = self.xl.calibrate("clause", "jaccard", s[by_row])
        if by_col.any():
            cells = np.ix_(~by_row, by_col)
            out[cells] = self.xl.calibrate("clause", "jaccard", s[cells])
        return out


def reading_languages(texts: RegimeTexts, keys: Sequence[str]) -> dict[str, str]:
    """The language each of ``keys`` (that has text) is read in: English through a translation where
    there is one, else the preferred language it has."""
    return {
        k: PREFERRED_LANGUAGE if k in texts.translated else texts.languages_of(k)[0]
        for k in keys
        if texts.languages_of(k)
    }


def clause_table(
    store: Store, texts: RegimeTexts, keys: Sequence[str], areas: Sequence[str], *, weighted: bool
) -> ClauseTable:
    """Read, shingle and classify the clauses of ``keys`` in ``areas``, each regime in one language."""
    language_of = reading_languages(texts, keys)
    members: dict[str, list[str]] = defaultdict(list)
    for key, lang in language_of.items():
        for text_id in texts.ids(key, lang):
            members[text_id].append(key)
    ids = sorted(members)
    raw = store.clauses(ids, columns=["id", "agreement_id", "ord", "area", "text"]) if ids else pd.DataFrame()
    if raw.empty:
        empty = pd.DataFrame(columns=["regime", "language", "area", "binding"])
        return ClauseTable(empty, UnitSets(np.zeros(1, np.int64), np.zeros(0, np.uint64)), language_of, {})
    # whole agreements, so that the cached clause features are shared with the other commands
    via = {i for i, ks in members.items() if any(texts.reads_translation(k, language_of[k]) for k in ks)}
    if via and texts.xl is not None:
        meta = store.agreements(ids)
        langs = dict(zip(meta["id"].astype(str), meta["language"].astype(str), strict=True))
        _, sets = view_unit_sets(store, raw, "clause", xl=texts.xl, languages=langs)
    else:
        _, sets = unit_sets(store, raw, "clause")
    keep = np.flatnonzero(raw["area"].isin(list(areas)).to_numpy() & (sets.sizes >= MIN_CLAUSE_SHINGLES))
    raw = raw.iloc[keep].reset_index(drop=True)
    sets = _take(sets, keep)
    binding = _binding(store, raw, via, texts.xl)
    rows, regime = [], []
    for i, text_id in enumerate(raw["agreement_id"]):
        for key in members[str(text_id)]:
            rows.append(i)
            regime.append(key)
    take = np.array(rows, dtype=np.int64)
    clauses = pd.DataFrame(
        {
            "regime": regime,
            "language": [language_of[k] for k in regime],
            "area": raw["area"].to_numpy()[take],
            "binding": binding[take],
        }
    )
    sets = _take(sets, take)
    translated = np.array([texts.reads_translation(k, language_of[k]) for k in regime], dtype=bool)
    extra = {"translated": translated, "xl": texts.xl} if translated.any() else {}
    if not weighted:
        return ClauseTable(clauses, sets, language_of, {}, **extra)  # type: ignore[arg-type]
    weights = _weights(clauses, sets)
    size = np.zeros(len(clauses))
    for lang, idx in clauses.groupby("language").indices.items():
        size[idx] = weighted_sizes(_take(sets, idx), weights[str(lang)])
    return ClauseTable(clauses, sets, language_of, weights, size, **extra)  # type: ignore[arg-type]


def _binding(store: Store, raw: pd.DataFrame, via: set[str], xl: CrossLingual | None) -> np.ndarray:
    """Whether each clause is binding, read in the language it is compared in: a clause read through
    a translation is classified on its English translation (the classifier reads English best)."""
    frame = raw[["id", "agreement_id", "text", "area"]].copy()
    if via and xl is not None:
        found = translations_for(store, sorted(via), translator=xl.translator, progress=xl.progress)
        english = dict(zip(found["clause_id"], found["text"], strict=True))
        mask = frame["agreement_id"].isin(via).to_numpy()
        frame.loc[mask, "text"] = [
            english.get(c, t) for c, t in zip(frame.loc[mask, "id"], frame.loc[mask, "text"], strict=True)
        ]
    out: np.ndarray = classify_clauses(frame[["text", "area"]])["strength"].to_numpy() == "binding"
    return out


def _weights(clauses: pd.DataFrame, sets: UnitSets) -> dict[str, IdfWeights]:
    """IDF weights per language: each regime's clauses together are one document."""
    out = {}
    for lang, group in clauses.groupby("language"):
        docs = [
            np.concatenate([sets.row(int(i)) for i in idx])
            for idx in group.groupby("regime").indices.values()
        ]
        out[str(lang)] = idf_weights(docs)
    return out


def _take(sets: UnitSets, rows: np.ndarray) -> UnitSets:
    sizes = sets.sizes[rows]
    indptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    idx = np.arange(indptr[-1], dtype=np.int64) + np.repeat(sets.indptr[rows] - indptr[:-1], sizes)
    return UnitSets(indptr, sets.keys[idx])


@dataclass(frozen=True)
class AreaMatches:
    """Best matches in one area and language (module docstring)."""

    rows: np.ndarray
    """Positions in the clause table of the clauses of the area (all regimes)."""
    cols: np.ndarray
    """Positions of the hub agreements' clauses of the area."""
    hubs: tuple[str, ...]
    """Hub agreements with clauses in the area, the columns of ``best_by_hub``."""
    regimes: tuple[str, ...]
    """Agreements with clauses in the area, the rows of ``best_by_agreement``."""
    best_by_hub: np.ndarray
    """len(rows) x len(hubs), float32."""
    best_by_agreement: np.ndarray
    """len(regimes) x len(cols), float32."""
    row_codes: np.ndarray
    """The agreement of each row, as a position in ``regimes``."""
    col_codes: np.ndarray
    """The hub agreement of each column, as a position in ``hubs``."""

    @cached_property
    def regime_index(self) -> dict[str, int]:
        """Regime -> its position in ``regimes``."""
        return {r: i for i, r in enumerate(self.regimes)}

    @cached_property
    def hub_index(self) -> dict[str, int]:
        """Hub agreement -> its position in ``hubs``."""
        return {h: i for i, h in enumerate(self.hubs)}

    @cached_property
    def row_runs(self) -> np.ndarray:
        """Where each regime's rows start (and, last, where they end): ``row_codes`` are sorted."""
        return np.searchsorted(self.row_codes, np.arange(len(self.regimes) + 1))

    @cached_property
    def col_runs(self) -> np.ndarray:
        """Where each hub agreement's columns start, and the end."""
        return np.searchsorted(self.col_codes, np.arange(len(self.hubs) + 1))


def _plain(a: UnitSets, b: UnitSets) -> np.ndarray:
    out: np.ndarray = jaccard_matrix(a, b).astype(np.float32)
    return out


def _starts(codes: np.ndarray) -> np.ndarray:
    """Start of each run of equal values in sorted ``codes``."""
    return np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))


def area_matches(
    table: ClauseTable,
    area: str,
    language: str,
    hub_keys: Sequence[str],
    *,
    weighted: bool,
) -> AreaMatches | None:
    """Best matches of every clause of ``area`` in ``language`` against the hub agreements' clauses.

    None when the area has no clause in the language or no hub agreement writes it.
    """
    c = table.clauses
    regime = c["regime"].to_numpy().astype(str)
    in_area = (c["area"] == area).to_numpy() & (c["language"] == language).to_numpy()
    rows = np.flatnonzero(in_area)
    cols = rows[np.isin(regime[rows], list(hub_keys))]
    if rows.size == 0 or cols.size == 0:
        return None
    # sorted by agreement, so that each agreement's clauses are one run (np.maximum.reduceat)
    rows = rows[np.argsort(regime[rows], kind="stable")]
    cols = cols[np.argsort(regime[cols], kind="stable")]
    hubs, hub_codes = np.unique(regime[cols], return_inverse=True)
    regimes, regime_codes = np.unique(regime[rows], return_inverse=True)
    hub_starts = _starts(hub_codes)
    weights = table.weights.get(language) if weighted else None
    b = _take(table.sets, cols)
    target = WeightedTarget(b, weights.of) if weights is not None else None
    best_by_hub = np.empty((rows.size, hubs.size), dtype=np.float32)
    best_by_agreement = np.full((regimes.size, cols.size), -1.0, dtype=np.float32)
    for lo in range(0, rows.size, _ROW_CHUNK):
        hi = min(lo + _ROW_CHUNK, rows.size)
        a = _take(table.sets, rows[lo:hi])
        if target is not None and table.weighted_size is not None:
            inter = target.against(a)
            s = jaccard_from_weighted(inter, table.weighted_size[rows[lo:hi]], table.weighted_size[cols])
            s = s.astype(np.float32)
        else:
            s = _plain(a, b)
        s = table.calibrate(s, rows[lo:hi], cols)
        best_by_hub[lo:hi] = np.maximum.reduceat(s, hub_starts, axis=1)
        local = regime_codes[lo:hi]
        starts = _starts(local)
        part = np.maximum.reduceat(s, starts, axis=0)
        ids = local[starts]
        best_by_agreement[ids] = np.maximum(best_by_agreement[ids], part)
    return AreaMatches(
        rows, cols, tuple(hubs), tuple(regimes), best_by_hub, best_by_agreement, regime_codes, hub_codes
    )
