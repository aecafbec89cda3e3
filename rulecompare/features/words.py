"""Word n-gram runs and the copied share they measure."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .chars import _MIX_A, _mix
from .normal import decode_codes, normalized_codes

RUN_WORDS = 6
"""Minimum run of identical consecutive words counted by the copied share."""

_RUNS_MAGIC = b"RCWR\x01\x00\x00\x00"


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
