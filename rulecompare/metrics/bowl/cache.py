"""The spaghetti bowl's area matrices, kept in the store's cache between runs (:mod:`..cached`).

Reading every regime's clauses area by area and computing the Jaccard (and
IDF-weighted) matrices is most of what ``spaghetti`` costs; the choices (a
date, a list, the kinds included, the threshold) are read off the matrices.
The matrices are kept for the scope (regimes, areas, languages, weighting),
valid for the corpus state of the texts read, the translator's version and
the code below.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from ...store import Store
from ..cached import SIMILARITY_CODE, Arrays, Kept, code_digest, strings
from .texts import RegimeTexts

__all__ = ["AreaKey", "kept_similarity", "load", "save"]

CODE = (*SIMILARITY_CODE, "metrics/bowl/texts.py", "metrics/bowl/similarity.py", "metrics/bowl/cache.py")
"""What the matrices are computed with (a change to any of these files makes the entries stale)."""

AreaKey = tuple[str, str]
"""(area, language)."""

Matrix = tuple[tuple[str, ...], np.ndarray, np.ndarray | None]
"""Regime keys, plain and (when computed) weighted similarity."""


@cache
def _code() -> str:
    return code_digest(CODE)


def kept_similarity(
    store: Store, texts: RegimeTexts, keys: Sequence[str], areas: Sequence[str], languages: Sequence[str],
    *, weighted: bool,
) -> Kept:  # fmt: skip
    """The cache scope of the area matrices of ``keys`` in ``areas`` and ``languages``."""
    translated = sorted(texts.translated & set(keys))
    read = {k: {lang: list(texts.ids(k, lang)) for lang in languages} for k in sorted(keys)}
    scope = {
        "texts": read,
        "areas": list(areas),
        "languages": list(languages),
        "weighted": weighted,
        "translated": translated,
    }
    ids = [i for by_lang in read.values() for found in by_lang.values() for i in found]
    xl = texts.xl
    versions = (
        sorted({xl.version(lang) for k in translated for lang in texts.by_key.get(k, {})}) if xl else []
    )
    return Kept.scope(store, "bowl", scope, ids, code=_code(), extra="|".join(versions))


def _name(key: AreaKey) -> str:
    return f"{key[0]}|{key[1]}"


def load(kept: Kept, wanted: Sequence[AreaKey]) -> dict[AreaKey, Matrix | None] | None:
    """Every wanted area matrix (None where no regime has text there), or None unless all are kept."""
    parts = kept.get([_name(k) for k in wanted])
    if parts is None:
        return None
    try:
        return {k: _load(parts[_name(k)]) for k in wanted}
    except (KeyError, ValueError):
        return None


def save(kept: Kept, matrices: dict[AreaKey, Matrix | None]) -> None:
    """Keep the area matrices."""
    kept.put({_name(k): _dump(m) for k, m in matrices.items()})


def _dump(m: Matrix | None) -> Arrays:
    if m is None:
        return {"none": np.zeros(0)}
    keys, plain, heavy = m
    out = {"keys": strings(keys), "plain": plain}
    return out | ({"weighted": heavy} if heavy is not None else {})


def _load(z: Arrays) -> Matrix | None:
    if "none" in z:
        return None
    return tuple(z["keys"].tolist()), z["plain"], z.get("weighted")
