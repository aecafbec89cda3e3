"""Parallel texts: one agreement in two languages, and which unit of one is which unit of the other.

Why this module exists: the cross-lingual path is fitted and judged on a
parallel text (TPP in English, ``tota:449``, and in Spanish, ``tota:450``),
so "the true counterpart" of a chapter, an article or a clause must be
defined from the structure both versions share, never from their content:

- chapters are the same when their numbers are (the digits of
  ``chapter_number``: ``CHAPTER 9`` and ``CAPÍTULO 9``);
- articles when their numbers are (``ARTICLE 9.4`` and ``ARTÍCULO 9.4``:
  the digits and dots), among numbers that occur once on each side;
- clauses when their articles are counterparts and both articles have the
  same number of clauses: the k-th clause of one is the k-th of the other.

Units without a counterpart (a number used twice, articles split into a
different number of clauses) have none (-1) and are left out of any figure.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["number_key", "parallel_articles", "parallel_chapters", "parallel_clauses"]

_NUMBER = re.compile(r"\d+(?:\.\d+)*")


def number_key(number: object) -> str | None:
    """The digits-and-dots of a chapter or article number (``ARTÍCULO 9.4`` -> ``9.4``), or None."""
    if not isinstance(number, str):
        return None
    found = _NUMBER.search(number)
    return found.group(0) if found else None


def _match(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Position in ``b`` of each key of ``a`` (-1 when missing, or not once on each side)."""
    count_a = a.value_counts()
    count_b = b.value_counts()
    where = {k: i for i, k in enumerate(b) if k is not None and count_b.get(k) == 1}
    return np.array(
        [where.get(k, -1) if k is not None and count_a.get(k) == 1 else -1 for k in a], dtype=np.int64
    )


def parallel_chapters(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """For each chapter of ``a`` (by first appearance), the position of its counterpart chapter in ``b``.

    ``a`` and ``b`` are clause frames with ``chapter_index`` and ``chapter_number``.
    """
    ua = a.drop_duplicates("chapter_index")["chapter_number"].map(number_key).reset_index(drop=True)
    ub = b.drop_duplicates("chapter_index")["chapter_number"].map(number_key).reset_index(drop=True)
    return _match(ua, ub)


def parallel_articles(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """For each article of ``a`` (by first appearance), the position of its counterpart article in ``b``.

    ``a`` and ``b`` are clause frames with ``article_index`` and ``article_number``.
    """
    ua = a.drop_duplicates("article_index")["article_number"].map(number_key).reset_index(drop=True)
    ub = b.drop_duplicates("article_index")["article_number"].map(number_key).reset_index(drop=True)
    return _match(ua, ub)


def parallel_clauses(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """For each clause (row) of ``a``, the row of its counterpart clause in ``b`` (-1 when none)."""
    arts = parallel_articles(a, b)
    art_a = pd.factorize(a["article_index"])[0]
    art_b_codes, art_b = pd.factorize(b["article_index"])
    rows_of_b = pd.Series(np.arange(len(b))).groupby(art_b_codes).apply(list).to_dict()
    pos_a = pd.Series(np.arange(len(a))).groupby(art_a).cumcount().to_numpy()
    size_a = np.bincount(art_a)
    out = np.full(len(a), -1, dtype=np.int64)
    for i, (art, k) in enumerate(zip(art_a, pos_a, strict=True)):
        j = arts[art]
        if j < 0 or j >= len(art_b):
            continue
        rows = rows_of_b.get(j, [])
        if len(rows) == size_a[art]:
            out[i] = rows[k]
    return out
