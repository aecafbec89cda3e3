"""Word-level diff of two clause texts, as operations on character offsets of the original texts.

Why this module exists: a diff that is handed on as a string (``[-a-]{+b+}``)
has to be parsed again by whoever shows it, and a diff computed on
whitespace-split words and joined again quotes one text with the other's
punctuation and spacing.  Here the diff is data: each operation says which
characters of A and which characters of B it covers, so that a front shows
each side's own text, every character of it, and marks what differs.

The words compared are the whitespace-separated tokens of each text, keyed
by their normalized form (:func:`rulecompare.features.normalize`), so case,
quote styles and punctuation attached to a word are not differences: "Party's"
and "PARTY’S" are the same word.  The operations come from an Indel alignment
of the two key sequences (rapidfuzz).

Offsets: operation ``k`` covers ``a[a_start:a_end]`` and ``b[b_start:b_end]``.
A span runs from its first word to the next operation's first word, so it
holds the whitespace after its words; the first span starts at 0 and the last
ends at the text's length.  The A spans therefore tile A exactly (every
character, in order, once) and the B spans tile B.  An ``insert`` covers no
word of A and a ``delete`` no word of B; their span on that side is empty
(or, for a text without any word, its whitespace).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from ..features import normalize

DiffTag = Literal["equal", "delete", "insert", "replace"]
Side = Literal["a", "b"]

TAGS: tuple[DiffTag, ...] = ("equal", "delete", "insert", "replace")
"""The operation tags; an operation's position in this tuple is its code in :meth:`ClauseDiff.op_array`."""

RUN_SEPARATOR = " … "
"""Joins the separate runs of deleted (or inserted) words in :attr:`ClauseDiff.deleted`."""

_WORD = re.compile(r"\S+")
_TAG: dict[str, DiffTag] = {t: t for t in TAGS}


@dataclass(frozen=True)
class DiffOp:
    """One operation of a word diff: what it does, and the characters of A and of B it covers."""

    tag: DiffTag
    """``equal`` (same words), ``delete`` (words only A has), ``insert`` (only B) or ``replace``."""
    a_start: int
    a_end: int
    """``a[a_start:a_end]``: A's characters of this operation (empty for an insert)."""
    b_start: int
    b_end: int
    """``b[b_start:b_end]``: B's characters (empty for a delete)."""


Piece = tuple[bool, str]
"""A run of one side's text and whether it differs from the other side (True) or is shared (False)."""


@dataclass(frozen=True)
class ClauseDiff:
    """The word diff of clause text ``a`` against clause text ``b``."""

    a: str
    b: str
    ops: tuple[DiffOp, ...]
    """Operations in text order; their A spans tile ``a`` and their B spans tile ``b``."""

    def pieces(self, side: Side) -> tuple[Piece, ...]:
        """One side's text in runs, each marked changed (words the other side lacks) or not.

        Concatenating the runs gives the side's text exactly.  Whitespace
        around changed words is its own unchanged run, so that a front marks
        words, not the spaces after them; neighbouring runs of the same kind
        are merged.
        """
        text = self.a if side == "a" else self.b
        changed_tags = ("delete", "replace") if side == "a" else ("insert", "replace")
        out: list[Piece] = []

        def add(changed: bool, run: str) -> None:
            if not run:
                return
            if out and out[-1][0] == changed:
                out[-1] = (changed, out[-1][1] + run)
            else:
                out.append((changed, run))

        for op in self.ops:
            start, end = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
            run = text[start:end]
            if op.tag in changed_tags:
                head, tail = len(run) - len(run.lstrip()), len(run.rstrip())
                add(False, run[:head])
                add(True, run[head:tail])
                add(False, run[max(head, tail) :])
            else:
                add(False, run)
        return tuple(out)

    @property
    def deleted(self) -> str:
        """A's words that B lacks, whitespace made single spaces, runs joined by " … "."""
        runs = (self.a[o.a_start : o.a_end] for o in self.ops if o.tag in ("delete", "replace"))
        return RUN_SEPARATOR.join(" ".join(r.split()) for r in runs)

    @property
    def inserted(self) -> str:
        """B's words that A lacks, as :attr:`deleted`."""
        runs = (self.b[o.b_start : o.b_end] for o in self.ops if o.tag in ("insert", "replace"))
        return RUN_SEPARATOR.join(" ".join(r.split()) for r in runs)

    @property
    def inline(self) -> str:
        """The diff on one line, git word-diff style: shared words (A's), ``[-A only-]``, ``{+B only+}``.

        Whitespace is made single spaces; a shared word is quoted as A has it.
        For each side's own text use :meth:`pieces`.
        """
        parts: list[str] = []
        for o in self.ops:
            a_words = " ".join(self.a[o.a_start : o.a_end].split())
            b_words = " ".join(self.b[o.b_start : o.b_end].split())
            if o.tag == "equal":
                parts.append(a_words)
            if o.tag in ("delete", "replace"):
                parts.append(f"[-{a_words}-]")
            if o.tag in ("insert", "replace"):
                parts.append(f"{{+{b_words}+}}")
        return " ".join(p for p in parts if p)

    @property
    def differs(self) -> bool:
        """Whether any word differs."""
        return any(o.tag != "equal" for o in self.ops)

    def op_array(self) -> np.ndarray:
        """The operations as an int64 array of rows (tag code, a_start, a_end, b_start, b_end)."""
        rows = [(TAGS.index(o.tag), o.a_start, o.a_end, o.b_start, o.b_end) for o in self.ops]
        return np.array(rows, dtype=np.int64).reshape(len(rows), 5)

    @classmethod
    def from_array(cls, a: str, b: str, array: np.ndarray | Sequence[Sequence[int]]) -> ClauseDiff:
        """The diff of ``a`` and ``b`` whose operations :meth:`op_array` returned."""
        rows = array.tolist() if isinstance(array, np.ndarray) else array
        return cls(a, b, tuple(DiffOp(TAGS[r[0]], r[1], r[2], r[3], r[4]) for r in rows))


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    # A word's diff key: its normalized form, so that case and quote styles are not differences.
    return normalize(word)


def _boundaries(text: str) -> tuple[list[str], list[int]]:
    """The words of ``text`` and the offset where the span of word i begins (i = 0..n; n = end)."""
    matches = list(_WORD.finditer(text))
    cuts = [0, *(m.start() for m in matches[1:]), len(text)]
    return [m.group() for m in matches], cuts


def word_diff(a: str, b: str) -> ClauseDiff:
    """The word diff of ``a`` against ``b`` (see the module docstring)."""
    from rapidfuzz.distance import Indel

    words_a, cut_a = _boundaries(a)
    words_b, cut_b = _boundaries(b)
    opcodes = Indel.opcodes([_word_key(w) for w in words_a], [_word_key(w) for w in words_b])
    ops = [
        DiffOp(_TAG[o.tag], cut_a[o.src_start], cut_a[o.src_end], cut_b[o.dest_start], cut_b[o.dest_end])
        for o in opcodes
    ]
    if not ops:
        if a or b:  # no words on either side, only whitespace: shared, as no word differs
            ops = [DiffOp("equal", 0, len(a), 0, len(b))]
    else:
        # A side without words has one cut (0) for its start and its end; its whitespace goes last.
        last = ops[-1]
        ops[-1] = DiffOp(last.tag, last.a_start, len(a), last.b_start, len(b))
    return ClauseDiff(a, b, tuple(ops))


def word_diffs(a: Sequence[str], b: Sequence[str]) -> list[ClauseDiff]:
    """:func:`word_diff` of each pair ``(a[i], b[i])``."""
    return [word_diff(x, y) for x, y in zip(a, b, strict=True)]


__all__ = [
    "ClauseDiff",
    "DiffOp",
    "DiffTag",
    "Piece",
    "RUN_SEPARATOR",
    "Side",
    "TAGS",
    "word_diff",
    "word_diffs",
]
