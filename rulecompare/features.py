"""Normalization and shingling: the text features every overlap measure is computed on.

Why this module exists: the measures of :mod:`rulecompare.overlap` are only
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

This module is pure: it never touches the store.  The per-unit key sets of
stored agreements are cached by :func:`rulecompare.overlap.units.unit_sets`.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

VERSION = "f1"
"""Changes whenever normalization or hashing changes, so old cache entries are ignored."""

SHINGLE_SIZE = 5
RUN_WORDS = 6
"""Minimum run of identical consecutive words counted by the copied share."""


_BOUNDARY = 0  # code that separates texts in a bulk code array; never inside a shingle
_SPACE = 32
_ZERO = 48
_U64 = np.uint64
_MASK40 = _U64((1 << 40) - 1)
_FLAG_WIDE = 1 << 62
_FLAG_HASHED = 1 << 63
_MIX_A = _U64(0x9E3779B97F4A7C15)
_MIX_B = _U64(0xBF58476D1CE4E5B9)
_MIX_C = _U64(0x94D049BB133111EB)
_DIGITS = re.compile(r"0+")
_NPY_MAGIC = b"\x93NUMPY"
_UNIT_MAGIC = b"RCUS\x01\x00\x00\x00"
_RUNS_MAGIC = b"RCWR\x01\x00\x00\x00"


# -- normalization ---------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _char_class(ch: str) -> str:
    """What one folded character becomes: itself (letter), "0" (digit) or " "."""
    if ch.isalpha():
        return ch
    if ch.isdecimal():
        return "0"
    return " "


class _Table(dict[int, str]):
    """A ``str.translate`` table that classifies each new character once."""

    def __missing__(self, code: int) -> str:
        value = _char_class(chr(code))
        self[code] = value
        return value


_TABLE = _Table()


def normalize(text: str) -> str:
    """The normalized form of ``text`` (see the module docstring); idempotent."""
    t = _fold(text).translate(_TABLE)
    t = _DIGITS.sub("0", t)
    # Letters are never whitespace, so splitting on whitespace splits on the spaces made above.
    return " ".join(t.split())


@lru_cache(maxsize=1)
def _bmp_lut() -> np.ndarray:
    """Code point -> normalized code for the Basic Multilingual Plane (built once, ~30 ms)."""
    lut = np.fromiter((ord(_char_class(chr(c))) for c in range(0x10000)), dtype=np.uint32, count=0x10000)
    lut[0] = _BOUNDARY
    return lut


def _classify_codes(codes: np.ndarray) -> np.ndarray:
    lut = _bmp_lut()
    wide = codes > 0xFFFF
    if not wide.any():
        out: np.ndarray = lut[codes]
        return out
    out = lut[np.where(wide, 0, codes)]
    for c in np.unique(codes[wide]):
        out[codes == c] = ord(_char_class(chr(int(c))))
    return out


def normalized_codes(texts: Sequence[str]) -> np.ndarray:
    """Normalized code points of several texts, each normalized on its own, separated by 0.

    The bulk equivalent of ``[normalize(t) for t in texts]``: the result decoded
    and split at the zeros equals that list exactly (tested).
    """
    if not texts:
        return np.zeros(0, dtype=np.uint32)
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        # A NUL inside a text is a control character (a space), not a boundary.
        joined = "\x00".join(t.replace("\x00", " ") for t in texts)
    folded = _fold(joined)
    raw = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    c = _classify_codes(raw)
    prev = np.empty_like(c)
    prev[:1] = _BOUNDARY
    prev[1:] = c[:-1]
    drop = ((c == _SPACE) & ((prev == _SPACE) | (prev == _BOUNDARY))) | ((c == _ZERO) & (prev == _ZERO))
    c = c[~drop]
    nxt = np.empty_like(c)
    nxt[-1:] = _BOUNDARY
    nxt[:-1] = c[1:]
    result: np.ndarray = c[~((c == _SPACE) & (nxt == _BOUNDARY))]
    return result


def decode_codes(codes: np.ndarray) -> list[str]:
    """The texts of a :func:`normalized_codes` array (for tests and debugging)."""
    return codes.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass").split("\x00")


# -- character shingles ----------------------------------------------------------


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer: a bijection of uint64 that spreads bits."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> _U64(30))) * _MIX_B
        x = (x ^ (x >> _U64(27))) * _MIX_C
        words: np.ndarray = x ^ (x >> _U64(31))
        return words


def shingle_key(shingle: str) -> int:
    """The 64-bit key of one 5-character shingle (plain definition; see module docstring)."""
    codes = [ord(ch) for ch in shingle]
    if len(codes) != SHINGLE_SIZE:
        raise ValueError(f"a shingle has {SHINGLE_SIZE} characters, not {len(codes)}")
    if max(codes) < 0x100:
        return sum(c << (8 * i) for i, c in enumerate(codes))
    if max(codes) < 0x1000:
        return _FLAG_WIDE | sum(c << (12 * i) for i, c in enumerate(codes))
    arr = np.array(codes, dtype=np.uint64)
    return _FLAG_HASHED | (int(_hash_wide(arr[None, :])[0]) & ((1 << 63) - 1))


def _hash_wide(windows: np.ndarray) -> np.ndarray:
    """Hash rows of 5 code points (any size) to uint64."""
    with np.errstate(over="ignore"):
        h = np.zeros(windows.shape[0], dtype=np.uint64)
        for i in range(SHINGLE_SIZE):
            h = _mix(h * _MIX_A + windows[:, i].astype(np.uint64) + _U64(i + 1))
    return h


def _window_starts_valid(c: np.ndarray) -> np.ndarray:
    """Start positions of 5-windows that contain no text boundary."""
    n = c.size - SHINGLE_SIZE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    bad = np.zeros(c.size + SHINGLE_SIZE, dtype=bool)
    b = np.flatnonzero(c == _BOUNDARY)
    for off in range(SHINGLE_SIZE):
        bad[b - off + SHINGLE_SIZE - 1] = True  # shifted by 4 so that negative starts stay in range
    return np.flatnonzero(~bad[SHINGLE_SIZE - 1 : SHINGLE_SIZE - 1 + n])


def shingle_hashes(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keys of all character 5-grams of a code array, in text order, and their start positions."""
    starts = _window_starts_valid(codes)
    if starts.size == 0:
        return np.zeros(0, dtype=np.uint64), starts
    n = codes.size
    # Fast path for Latin-1: an unaligned uint64 view at every byte offset holds 8 codes; keep 5.
    buf = np.zeros(n + 8, dtype=np.uint8)
    buf[:n] = codes  # wraps codes above 0xFF; the windows holding them are redone below
    view = np.ndarray((n,), dtype="<u8", buffer=buf, strides=(1,))
    h = view[starts] & _MASK40
    big = np.flatnonzero(codes > 0xFF)
    if big.size:
        hit = np.zeros(n + SHINGLE_SIZE, dtype=bool)
        for off in range(SHINGLE_SIZE):
            hit[big - off + SHINGLE_SIZE - 1] = True
        redo = np.flatnonzero(hit[SHINGLE_SIZE - 1 :][starts])
        h[redo] = _wide_keys(np.stack([codes[starts[redo] + i] for i in range(SHINGLE_SIZE)], axis=1))
    return h, starts


def _wide_keys(win: np.ndarray) -> np.ndarray:
    """Keys of 5-windows with at least one code above 0xFF (rows of ``win``)."""
    win = win.astype(np.uint64)
    packed = np.zeros(win.shape[0], dtype=np.uint64)
    for i in range(SHINGLE_SIZE):
        packed |= np.minimum(win[:, i], _U64(0xFFF)) << _U64(12 * i)
    h = _U64(_FLAG_WIDE) | packed
    wide = (win > 0xFFF).any(axis=1)
    if wide.any():
        h[wide] = _U64(_FLAG_HASHED) | (_hash_wide(win[wide]) & _U64((1 << 63) - 1))
    return h


def _dedup_sorted(h: np.ndarray) -> np.ndarray:
    h = np.sort(h)
    if h.size:
        h = h[np.concatenate(([True], h[1:] != h[:-1]))]
    return h


def text_shingles(text: str) -> np.ndarray:
    """Sorted unique shingle keys of one text."""
    h, _ = shingle_hashes(normalized_codes([text]))
    return _dedup_sorted(h)


def shingles(text: str) -> set[str]:
    """The character 5-gram set of the normalized text, as strings (plain, for reading)."""
    t = normalize(text)
    return {t[i : i + SHINGLE_SIZE] for i in range(len(t) - SHINGLE_SIZE + 1)}


# -- word n-grams ----------------------------------------------------------------


def _word_hash(word: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )


def _ngram_keys(wh: np.ndarray, word_text: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys of the n-word windows that stay inside one text, and each window's first word."""
    m = wh.size - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(word_text[:m] == word_text[n - 1 : n - 1 + m])
    with np.errstate(over="ignore"):
        h = np.zeros(starts.size, dtype=np.uint64)
        for i in range(n):
            h = _mix(h * _MIX_A + wh[starts + i])
    return h, starts


@dataclass(frozen=True)
class WordRuns:
    """The word n-grams of a sequence of texts, ready for copied-share counting."""

    keys: np.ndarray
    """Key of every n-word window, in text order."""
    starts: np.ndarray
    """Global index of each window's first word."""
    n_words: int
    n: int = RUN_WORDS

    @classmethod
    def of(cls, texts: Sequence[str], n: int = RUN_WORDS) -> WordRuns:
        """Word n-grams of ``texts`` (clauses, say); no window spans two texts."""
        normalized = decode_codes(normalized_codes(texts)) if texts else []
        words_per_text = [t.split(" ") if t else [] for t in normalized]
        words = [w for ws in words_per_text for w in ws]
        lengths = np.array([len(ws) for ws in words_per_text], dtype=np.int64)
        word_text = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        if not words:
            return cls(np.zeros(0, np.uint64), np.zeros(0, np.int64), 0, n)
        codes, vocab = pd.factorize(pd.Series(words, dtype=object))
        vocab_hash = np.array([_word_hash(w) for w in vocab], dtype=np.uint64)
        keys, starts = _ngram_keys(vocab_hash[codes], word_text, n)
        return cls(keys, starts, len(words), n)

    def to_bytes(self) -> bytes:
        """A small header (magic, word count, n, window count) and the keys' and starts' raw bytes."""
        head = _RUNS_MAGIC + np.array([self.n_words, self.n, self.keys.size], dtype="<i8").tobytes()
        return head + self.keys.astype("<u8").tobytes() + self.starts.astype("<i8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> WordRuns:
        if data[: len(_RUNS_MAGIC)] != _RUNS_MAGIC:
            raise ValueError("not a WordRuns")
        at = len(_RUNS_MAGIC)
        n_words, n, size = (int(x) for x in np.frombuffer(data, dtype="<i8", count=3, offset=at))
        at += 24
        keys = np.frombuffer(data, dtype="<u8", count=size, offset=at).astype(np.uint64, copy=False)
        starts = np.frombuffer(data, dtype="<i8", count=size, offset=at + 8 * size).astype(
            np.int64, copy=False
        )
        return cls(keys, starts, n_words, n)

    def covered(self, present: np.ndarray) -> int:
        """Words covered by the windows where ``present`` is True (a mask over windows)."""
        s = self.starts[present]
        if s.size == 0:
            return 0
        # Each window covers n words; consecutive windows overlap, so each counts up to the next.
        gaps = np.minimum(np.diff(s), self.n)
        return int(gaps.sum()) + self.n


# -- exact measures over key sets ------------------------------------------------


def intersection_size(a: np.ndarray, b: np.ndarray) -> int:
    """Size of the intersection of two sorted unique key arrays."""
    if a.size == 0 or b.size == 0:
        return 0
    if a.size > b.size:
        a, b = b, a
    idx = np.searchsorted(b, a)
    idx[idx == b.size] = 0
    return int(np.count_nonzero(b[idx] == a))


def jaccard_sets(a: np.ndarray, b: np.ndarray) -> float:
    """|A∩B| / |A∪B| of sorted unique key arrays; 0.0 when both are empty."""
    i = intersection_size(a, b)
    union = a.size + b.size - i
    return i / union if union else 0.0


def containment_sets(a: np.ndarray, b: np.ndarray) -> float:
    """|A∩B| / |A|: the share of A found in B; 0.0 when A is empty."""
    return intersection_size(a, b) / a.size if a.size else 0.0


def jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the character 5-gram sets of two texts."""
    return jaccard_sets(text_shingles(a), text_shingles(b))


def containment(a: str, b: str) -> float:
    """Share of the character 5-grams of ``a`` also found in ``b`` (directional)."""
    return containment_sets(text_shingles(a), text_shingles(b))


def copied_share_runs(a: WordRuns, b_keys: np.ndarray) -> float:
    """Share of A's words covered by n-word windows whose key is in ``b_keys`` (sorted unique)."""
    if a.n_words == 0:
        return 0.0
    present = np.isin(a.keys, b_keys, assume_unique=False)
    return a.covered(present) / a.n_words


def copied_share(a: str | Sequence[str], b: str | Sequence[str], n: int = RUN_WORDS) -> float:
    """Share of the words of ``a`` covered by runs of ``n``+ identical consecutive words also in ``b``.

    ``a`` and ``b`` may be one text or a sequence of texts (clauses); runs never
    span two texts.  0.0 when ``a`` has no words.
    """
    ta = [a] if isinstance(a, str) else list(a)
    tb = [b] if isinstance(b, str) else list(b)
    runs_a = WordRuns.of(ta, n)
    runs_b = WordRuns.of(tb, n)
    return copied_share_runs(runs_a, np.unique(runs_b.keys))


# -- per-unit key sets ------------------------------------------------------------


@dataclass(frozen=True)
class UnitSets:
    """Sorted unique shingle keys of many units (rows), stored CSR-style.

    The layout the overlap kernels read (:mod:`rulecompare.overlap.kernels`)
    and the store caches (``to_bytes``/``from_bytes``)."""

    indptr: np.ndarray
    """Row ``i`` holds ``keys[indptr[i]:indptr[i+1]]``."""
    keys: np.ndarray

    def __len__(self) -> int:
        return self.indptr.size - 1

    def row(self, i: int) -> np.ndarray:
        """The sorted unique keys of row ``i``."""
        return self.keys[self.indptr[i] : self.indptr[i + 1]]

    @property
    def sizes(self) -> np.ndarray:
        """Number of keys of each row."""
        return np.diff(self.indptr)

    def to_bytes(self) -> bytes:
        """A small header (magic, row and key counts) and the two arrays' raw bytes, little-endian."""
        head = _UNIT_MAGIC + np.array([len(self), self.keys.size], dtype="<i8").tobytes()
        return head + self.indptr.astype("<i8").tobytes() + self.keys.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> UnitSets:
        if data[: len(_NPY_MAGIC)] == _NPY_MAGIC:
            # Written by rulecompare before the raw layout (two np.save blocks): still read.
            buf = io.BytesIO(data)
            indptr = np.load(buf, allow_pickle=False)
            keys = np.load(buf, allow_pickle=False)
            return cls(indptr, keys)
        if data[: len(_UNIT_MAGIC)] != _UNIT_MAGIC:
            raise ValueError("not a UnitSets")
        at = len(_UNIT_MAGIC)
        n_rows, n_keys = (int(x) for x in np.frombuffer(data, dtype="<i8", count=2, offset=at))
        at += 16
        # Read-only views of ``data``, not copies: the cache's bytes are the arrays.
        indptr = np.frombuffer(data, dtype="<i8", count=n_rows + 1, offset=at).astype(np.int64, copy=False)
        keys = np.frombuffer(data, dtype="<u8", count=n_keys, offset=at + 8 * (n_rows + 1))
        keys = keys.astype(np.uint64, copy=False)
        return cls(indptr, keys)

    @classmethod
    def concat(cls, parts: Sequence[UnitSets]) -> UnitSets:
        """The rows of ``parts`` one after the other."""
        if not parts:
            return cls(np.zeros(1, np.int64), np.zeros(0, np.uint64))
        sizes = np.concatenate([p.sizes for p in parts])
        indptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        return cls(indptr, np.concatenate([p.keys for p in parts]))

    def take(self, rows: np.ndarray | Sequence[int]) -> UnitSets:
        """The rows ``rows`` (indices, repeats allowed), in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        sizes = self.sizes[rows]
        indptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        idx = np.arange(indptr[-1], dtype=np.int64) + np.repeat(self.indptr[rows] - indptr[:-1], sizes)
        return UnitSets(indptr, self.keys[idx])

    def union(self) -> UnitSets:
        """All rows merged into one row: the union of their key sets."""
        keys = np.unique(self.keys)
        return UnitSets(np.array([0, keys.size], dtype=np.int64), keys)


def shingle_unit_sets(texts: Sequence[str], unit_of_text: np.ndarray, n_units: int) -> UnitSets:
    """Sorted unique shingle keys per unit, where text ``i`` belongs to unit ``unit_of_text[i]``.

    Units need not be contiguous; a unit with no shingles is an empty row.
    """
    codes = normalized_codes(texts)
    h, starts = shingle_hashes(codes)
    if n_units == 1 or h.size == 0:
        keys = _dedup_sorted(h)
        indptr = np.zeros(n_units + 1, dtype=np.int64)
        indptr[1:] = keys.size if n_units == 1 else 0
        return UnitSets(indptr, keys)
    boundaries = np.flatnonzero(codes == _BOUNDARY)
    text_idx = np.searchsorted(boundaries, starts, side="right")
    unit = np.asarray(unit_of_text, dtype=np.int64)[text_idx]
    codes_, uniq = pd.factorize(h)
    order = np.argsort(uniq)
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    nu = np.int64(uniq.size)
    key = _dedup_sorted((unit * nu + rank[codes_]).astype(np.uint64)).astype(np.int64)
    counts = np.bincount(key // nu, minlength=n_units)
    indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return UnitSets(indptr, np.asarray(uniq)[order][key % nu].astype(np.uint64))


__all__ = [
    "RUN_WORDS", "SHINGLE_SIZE", "UnitSets", "VERSION", "WordRuns", "containment",
    "containment_sets", "copied_share", "copied_share_runs", "decode_codes",
    "intersection_size", "jaccard", "jaccard_sets", "normalize", "normalized_codes",
    "shingle_hashes", "shingle_key", "shingle_unit_sets", "shingles", "text_shingles",
]  # fmt: skip
