"""Chapter and article numbers as treaties write them: digits, Roman numerals, number words."""

from __future__ import annotations

import re

_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_RE = re.compile(r"^(?=[IVXLC])C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def roman_value(s: str) -> int | None:
    if not _ROMAN_RE.match(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total


def word_number(s: str) -> int | None:
    """ "Three", "TWENTY-ONE", "Twenty One" -> int; None for anything else."""
    parts = re.split(r"[-\s]+", s.strip().lower())
    if len(parts) == 1:
        return _ONES.get(parts[0]) or _TENS.get(parts[0])
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ONES and _ONES[parts[1]] < 10:
        return _TENS[parts[0]] + _ONES[parts[1]]
    return None


def int_of(token: str) -> int | None:
    """A chapter or article number token as an integer (digits, Roman numerals, number words)."""
    if token.isdigit():
        return int(token)
    return roman_value(token) if token.isupper() else None
