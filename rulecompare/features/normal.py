"""Normalization: one documented text normal form, plain for one string and vectorized for many.

See the package docstring (:mod:`rulecompare.features`) for what it does and why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

_BOUNDARY = 0  # code that separates texts in a bulk code array; never inside a shingle
_SPACE = 32
_ZERO = 48
_DIGITS = re.compile(r"0+")


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
