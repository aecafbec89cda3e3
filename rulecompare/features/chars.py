"""Character 5-gram shingles and their 64-bit keys (see :mod:`rulecompare.features` for the keys)."""

from __future__ import annotations

import numpy as np

from .normal import _BOUNDARY, normalize, normalized_codes

SHINGLE_SIZE = 5

_U64 = np.uint64
_MASK40 = _U64((1 << 40) - 1)
_FLAG_WIDE = 1 << 62
_FLAG_HASHED = 1 << 63
_MIX_A = _U64(0x9E3779B97F4A7C15)
_MIX_B = _U64(0xBF58476D1CE4E5B9)
_MIX_C = _U64(0x94D049BB133111EB)


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
