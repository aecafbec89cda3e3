"""Normalization and shingling: the text features every overlap measure is computed on.

Why this package exists: the measures of :mod:`rulecompare.overlap` are only
comparable with the literature (Alschner, Seiermann and Skougarevskiy's ToTA
work and mappinginvestmenttreaties.com use Jaccard similarity of character
5-gram sets) if the text is normalized the same way everywhere, and they are
only fast if the shingles of 37 million characters are built without a Python
object per shingle.  So there is one documented normalization, a plain
implementation of it for single strings (:func:`normalize`) and a vectorized
numpy implementation for bulk text that is tested to agree with it exactly.

Normalization (:func:`normalize`), in this order:

1. Unicode NFKC, case folding (``str.casefold``), NFKC again: compatibility
   forms (ligatures, full-width letters, superscript digits) become their plain
   letters and case differences disappear; the second NFKC makes the result a
   fixed point, so normalizing twice changes nothing.
2. Every letter (``str.isalpha``) is kept; every decimal digit becomes ``0``
   and a run of digits becomes a single ``0``, so "Article 12" and
   "Article 1205" both read "article 0": numbering differs between agreements
   for reasons that have nothing to do with their rules.
3. Everything else (punctuation, every quote and dash style, symbols,
   whitespace, control characters) becomes a space, and runs of spaces become
   one space with none at either end.  Quote and dash styles are thereby
   unified by removal: ``Party's`` and ``Party’s`` both read ``party s``.

Word boundaries are kept as single spaces (rather than removing whitespace
altogether) so that word n-grams can be read from the same normalized text.

Shingles: the character 5-grams of the normalized text (spaces included) and
word 6-grams for the copied-share measure.  A text is shingled on its own:
when many clauses are processed together, no shingle spans two clauses.
Texts shorter than five normalized characters have no character shingles.

Hashes: each character 5-gram is turned into one 64-bit integer
(:func:`shingle_key` is the plain definition).  When all five characters are
below U+0100 (Latin-1: all English, Spanish and French text) or below U+1000
(Greek, Cyrillic, Hebrew, Arabic ...) the five code points are packed into the
integer, which is exact: two different shingles never share a key.  Only
shingles with a character above U+0FFF (e.g. CJK) are hashed, with a
collision probability of about n²/2⁶³ for n distinct such shingles.  Word
6-grams are hashed (BLAKE2b of each word, combined); collisions are equally
negligible, and the tests check the hashed measures against plain Python sets
on random text, where a collision would show.  "Exact" in rulecompare means
exact over these keys.

This package is pure: it never touches the store.  The per-unit key sets of
stored agreements are cached by :func:`rulecompare.overlap.units.unit_sets`.
Its modules: :mod:`.normal` the normalization, :mod:`.chars` the character
shingles and their keys, :mod:`.words` the word runs and the copied share,
:mod:`.sets` the exact measures over key sets and the per-unit sets.
"""

from __future__ import annotations

from .chars import SHINGLE_SIZE, shingle_hashes, shingle_key, shingles, text_shingles
from .normal import decode_codes, normalize, normalized_codes
from .sets import (
    UnitSets,
    containment,
    containment_sets,
    intersection_size,
    jaccard,
    jaccard_sets,
    shingle_unit_sets,
)
from .words import RUN_WORDS, WordRuns, copied_share, copied_share_runs

VERSION = "f1"
"""Changes whenever normalization or hashing changes, so old cache entries are ignored."""

__all__ = [
    "RUN_WORDS", "SHINGLE_SIZE", "UnitSets", "VERSION", "WordRuns", "containment",
    "containment_sets", "copied_share", "copied_share_runs", "decode_codes",
    "intersection_size", "jaccard", "jaccard_sets", "normalize", "normalized_codes",
    "shingle_hashes", "shingle_key", "shingle_unit_sets", "shingles", "text_shingles",
]  # fmt: skip
