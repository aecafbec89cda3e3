"""Translationese: the shingles machine translation writes far more often than English treaty drafters do.

Why this exists: a translated text shares its real content with English
texts, but it also carries the translator's own English ("the another
Party", "will have to", untranslated Spanish words).  Those shingles match
nothing in the right English counterpart, yet some of them turn up in long,
wordy agreements, which then look closer to a translated text than they are:
on TPP, the EU's and the UK's large agreements crept ahead of the US-template
agreements that TPP's English text is really closest to.

A shingle is translationese when the share of translated agreements that
contain it is more than ``1 / alpha`` times the share of English agreements
that do (:data:`ALPHA` = 0.1: ten times as common in translations).  The
list is fitted once on the corpus (``scripts/fit_crosslingual.py``) and shipped
(``data/translationese-en.txt``, one shingle a line, spaces as ``_``), so
that a score never depends on what else a user's store holds.  Translated
shingle sets leave these shingles out (:func:`without_translationese`);
original texts are never filtered.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources

import numpy as np

from ..features import SHINGLE_SIZE, UnitSets, normalize, shingle_key

__all__ = ["ALPHA", "FILE", "digest", "drop_keys", "fit_translationese", "without_translationese"]

ALPHA = 0.1
"""A shingle is dropped when translations hold it more than 1/ALPHA times as often as English texts."""
FILE = "translationese-en.txt"
"""The shipped list, in ``rulecompare/data``."""


def _read() -> str:
    path = resources.files("rulecompare").joinpath("data", FILE)
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def shingle_lines(text: str) -> list[str]:
    """The shingles of a list file (comments and blank lines left out; ``_`` is a space)."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        shingle = line.replace("_", " ")
        if len(shingle) != SHINGLE_SIZE:
            raise ValueError(f"{FILE}: '{line}' is not a {SHINGLE_SIZE}-character shingle")
        out.append(shingle)
    return out


@cache
def drop_keys() -> np.ndarray:
    """The keys of the shipped translationese shingles, sorted."""
    keys = np.array([shingle_key(s) for s in shingle_lines(_read())], dtype=np.uint64)
    return np.unique(keys)


@cache
def digest() -> str:
    """A digest of the shipped list (8 hex digits), part of the version of translated features."""
    return hashlib.sha1(_read().encode("utf-8")).hexdigest()[:8]


def without_translationese(sets: UnitSets, drop: np.ndarray | None = None) -> UnitSets:
    """``sets`` with the translationese keys (``drop``, the shipped list by default) left out of every row."""
    drop = drop_keys() if drop is None else drop
    if drop.size == 0 or sets.keys.size == 0:
        return sets
    keep = ~np.isin(sets.keys, drop, assume_unique=False)
    kept = np.concatenate(([0], np.cumsum(keep))).astype(np.int64)
    return UnitSets(kept[sets.indptr], sets.keys[keep])


def _shingles(texts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        t = normalize(text)
        found.update(t[i : i + SHINGLE_SIZE] for i in range(len(t) - SHINGLE_SIZE + 1))
    return found


def fit_translationese(
    translated: Sequence[Sequence[str]], english: UnitSets, *, alpha: float = ALPHA
) -> list[str]:
    """The translationese shingles of translated agreements against English ones, sorted.

    ``translated`` holds each translated agreement's texts; ``english`` one
    row per English agreement (its whole shingle set).  A shingle of the
    translations is kept in the list when the share of English agreements
    holding it is below ``alpha`` times the share of translated agreements
    holding it (never seen in English: always listed).
    """
    if not translated:
        return []
    df_tr: Counter[str] = Counter()
    for texts in translated:
        df_tr.update(_shingles(texts))
    keys, counts = np.unique(english.keys, return_counts=True)
    n_en = max(len(english), 1)
    out = []
    for shingle, n in df_tr.items():
        k = np.uint64(shingle_key(shingle))
        i = int(np.searchsorted(keys, k))
        in_english = int(counts[i]) if i < keys.size and keys[i] == k else 0
        if in_english / n_en < alpha * n / len(translated):
            out.append(shingle)
    return sorted(out)
