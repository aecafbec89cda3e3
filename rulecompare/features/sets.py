"""Exact measures over sorted key sets, and the per-unit key sets (CSR rows) the overlap kernels read."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .chars import _dedup_sorted, shingle_hashes, text_shingles
from .normal import _BOUNDARY, normalized_codes

_NPY_MAGIC = b"\x93NUMPY"
_UNIT_MAGIC = b"RCUS\x01\x00\x00\x00"


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
    nu = np.int64(uniq.size)
    key = _dedup_sorted((unit * nu + rank[codes_]).astype(np.uint64)).astype(np.int64)
    counts = np.bincount(key // nu, minlength=n_units)
    indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return UnitSets(indptr, np.asarray(uniq)[order][key % nu].astype(np.uint64))
