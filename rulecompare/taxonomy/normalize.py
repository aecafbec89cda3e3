"""Titles in the one form the taxonomy's tables and keywords are keyed by.

Chapter and article titles arrive numbered, accented, in capitals or with
"co-operation" hyphenated; the title table, the keyword scan, the fuzzy match
and the validation of ``areas.toml`` all compare them after this one
normalization.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize_title"]

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty"
)
_NUMBERING = re.compile(
    r"^\s*(?:(?:chapter|chap|article|art|part|section|sub-?section|title|annex|appendix|protocol|"
    r"capitulo|articulo|parte|seccion|titulo|anexo|chapitre|titre|partie|annexe)\b[\s.:\-]*"
    rf"(?:(?:{_NUMBER_WORDS})(?:[\s-]*(?:{_NUMBER_WORDS}))?\b"
    r"|[0-9]+(?:bis|ter|[a-z])?(?:[.\-][0-9a-z]+)*|[ivxlcdm]+\b|[a-z]\b)"
    r"|[0-9]+[a-z]?(?:\.[0-9]+)*[.):]?(?=[^0-9a-z]|$)|[ivxlcdm]+[.)](?=\s)|\([0-9a-z]+\))"
    r"\s*[:.\-–—]*\s*",
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_COOP = re.compile(r"\bco[\s-]+(?=op|ord)")


@lru_cache(maxsize=65536)
def normalize_title(s: str | None) -> str:
    """Reduce a chapter or article title to the form the tables are keyed by.

    The title is stripped of accents (NFKD, combining marks dropped) and
    casefolded; leading numbering such as "CHAPTER 3", "Chapter Eleven",
    "Capítulo III", "Article 12.3", "Part II:" or "3." is removed (repeatedly,
    so "Part II Chapter 1" goes too); every run of non-alphanumeric characters
    becomes one space and "co-operation" becomes "cooperation". A title that
    was nothing but numbering normalizes to "". The result is a fixed point:
    normalizing it again changes nothing.
    """
    if not s:
        return ""
    t = unicodedata.normalize("NFKD", s)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = _strip_numbering(t.replace("&", " and "))
    t = _COOP.sub("co", _NON_WORD.sub(" ", t))
    # Numbering hidden behind punctuation (":3 Goods") shows only once that is gone.
    return _strip_numbering(t).strip()


def _strip_numbering(t: str) -> str:
    while m := _NUMBERING.match(t):
        if m.end() == 0:
            break
        t = t[m.end() :]
    return t
