"""Compatibility's clause matches, kept in the store's cache between runs (:mod:`..cached`).

Reading, classifying and matching every clause of the agreements in scope
against every hub clause is most of what ``compat`` costs (about 40 s of CPU
on the full corpus); partners, hubs, exclusions and the bootstrap are read
off the summaries cheaply. The clause list (each clause's regime, language,
area and bindingness) and one :class:`~.clauses.AreaMatches` per area,
language and weighting are kept for the scope (regimes, hub agreements,
areas, languages), valid for the corpus state of its texts, the translator's
version and the code below.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

import numpy as np
import pandas as pd

from ...store import Store
from ..bowl.texts import RegimeTexts
from ..cached import SIMILARITY_CODE, Arrays, Kept, code_digest, strings
from .clauses import MIN_CLAUSE_SHINGLES, AreaMatches, reading_languages

__all__ = ["MatchKey", "kept_matches", "load", "save"]

CODE = (*SIMILARITY_CODE, "metrics/bri/clauses.py", "metrics/bri/cache.py", "metrics/strength")
"""What the matches are computed with (a change to any of these files makes the entries stale)."""

MatchKey = tuple[str, str, bool]
"""(area, language, weighted)."""

Found = tuple[pd.DataFrame, dict[str, str], dict[MatchKey, AreaMatches | None]]


@cache
def _code() -> str:
    return f"{MIN_CLAUSE_SHINGLES}|{code_digest(CODE)}"


def kept_matches(
    store: Store, texts: RegimeTexts, keys: Sequence[str], hubs: Iterable[str], areas: Sequence[str]
) -> Kept:
    """The cache scope of matching regimes ``keys`` against hub agreements ``hubs`` in ``areas``."""
    language_of = reading_languages(texts, keys)
    translated = sorted(texts.translated & set(keys))
    read = {k: list(texts.ids(k, lang)) for k, lang in sorted(language_of.items())}
    scope = {
        "texts": read,
        "hubs": sorted(hubs),
        "areas": list(areas),
        "language_of": language_of,
        "translated": translated,
    }
    ids = [i for found in read.values() for i in found]
    xl = texts.xl
    versions = (
        sorted({xl.version(lang) for k in translated for lang in texts.by_key.get(k, {})}) if xl else []
    )
    return Kept.scope(store, "compat", scope, ids, code=_code(), extra="|".join(versions))


def _name(key: MatchKey) -> str:
    area, language, weighted = key
    return f"{area}|{language}|{'w' if weighted else 'p'}"


def load(kept: Kept, wanted: Sequence[MatchKey]) -> Found | None:
    """The clause list, languages and the wanted match summaries that are kept (the others are left
    out of the dict), or None without the clause list."""
    parts = kept.get_some(["clauses", *(_name(k) for k in wanted)])
    try:
        clauses, language_of = _load_clauses(parts["clauses"])
        matches = {}
        for k in wanted:
            if _name(k) in parts:
                matches[k] = _load_matches(parts[_name(k)])
    except (KeyError, ValueError):
        return None
    return clauses, language_of, matches


def save(
    kept: Kept,
    clauses: pd.DataFrame,
    language_of: dict[str, str],
    matches: dict[MatchKey, AreaMatches | None],
) -> None:
    """Keep the clause list and the match summaries."""
    kept.put(
        {"clauses": _dump_clauses(clauses, language_of)}
        | {_name(k): _dump_matches(m) for k, m in matches.items()}
    )


def _dump_clauses(clauses: pd.DataFrame, language_of: dict[str, str]) -> Arrays:
    return {
        "regime": strings(clauses["regime"]),
        "language": strings(clauses["language"]),
        "area": strings(clauses["area"]),
        "binding": clauses["binding"].to_numpy().astype(bool),
        "of_key": strings(language_of),
        "of_language": strings(language_of.values()),
    }


def _load_clauses(z: Arrays) -> tuple[pd.DataFrame, dict[str, str]]:
    clauses = pd.DataFrame(
        {
            "regime": z["regime"].astype(object),
            "language": z["language"].astype(object),
            "area": z["area"].astype(object),
            "binding": z["binding"].astype(bool),
        }
    )
    return clauses, dict(zip(z["of_key"].tolist(), z["of_language"].tolist(), strict=True))


def _dump_matches(m: AreaMatches | None) -> Arrays:
    if m is None:
        return {"none": np.zeros(0)}
    return {
        "rows": m.rows,
        "cols": m.cols,
        "hubs": strings(m.hubs),
        "regimes": strings(m.regimes),
        "best_by_hub": m.best_by_hub,
        "best_by_agreement": m.best_by_agreement,
        "row_codes": m.row_codes,
        "col_codes": m.col_codes,
    }


def _load_matches(z: Arrays) -> AreaMatches | None:
    if "none" in z:
        return None
    return AreaMatches(
        z["rows"],
        z["cols"],
        tuple(z["hubs"].tolist()),
        tuple(z["regimes"].tolist()),
        z["best_by_hub"],
        z["best_by_agreement"],
        z["row_codes"],
        z["col_codes"],
    )
