"""Headings as OCR reads them: keywords in mixed case or misspelt, numbers with letters for digits.

A scanned treaty run through OCR keeps its headings, damaged in a few
predictable ways: the case of the keyword flips letter by letter
("ARTIcLE 2.1"), letters are read as their look-alikes (l, 1, I and |; O
and 0; S and 5; "cl" as "d"), a space or a stray mark lands inside the
number ("2. 1", "2 .1", "2,1") or its period is lost ("2 1"), and quotes or
specks come before the keyword ("‘ARTICLE 16").

:func:`read_heading` reads such a line into the keyword as found, the number
as found, and the readings of that number that the damage allows ("2 1" is
"2.1" in a treaty numbering its articles within chapters, "21" in one that
does not).  It does not decide which reading, or whether the line is a
heading at all: that is the sequence check's job (:mod:`.sequence`), which
keeps the reading that runs on from the headings before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

# Each letter of a keyword with the characters OCR reads in its place (any case).
_LOOKALIKE = {
    "a": "aAoO", "c": "cCeE(", "e": "eEcC", "h": "hH", "i": "iIl1|!íj", "l": "lLI1|i!",
    "n": "nN", "o": "oO0Q", "p": "pP", "r": "rR", "s": "sS5$", "t": "tTfl", "x": "xX",
    "d": "dD", "m": "mM", "b": "bB", "u": "uU",
}  # fmt: skip
_TWO_LETTERS = {"cl": "d", "rn": "m"}
"""Pairs of letters OCR reads as one: "Artide" for "Article"."""


def _keyword_pattern(word: str) -> str:
    """A pattern for ``word`` letter by letter with its look-alikes, a space allowed between letters."""
    parts: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        one = "[" + re.escape(_LOOKALIKE.get(word[i], word[i] + word[i].upper())) + "]"
        if pair in _TWO_LETTERS:
            second = "[" + re.escape(_LOOKALIKE.get(word[i + 1], word[i + 1])) + "]"
            parts.append(f"(?:{one} ?{second}|{_TWO_LETTERS[pair]})")
            i += 2
        else:
            parts.append(one)
            i += 1
    return " ?".join(parts)


_KEYWORDS = {"article": "article", "chapter": "chapter", "section": "section"}
# Specks before a keyword come out as single quotes and dots; a double quote opens a quotation
# ("“ARTICLE 119 ... shall be replaced by") and is left to the pattern that refuses it.
_LEAD = r"^\s*[‘'’•·*_~.,:;]{0,3}\s*"
_KW = re.compile(
    _LEAD + "(?P<kw>" + "|".join(f"(?P<{k}>{_keyword_pattern(k)})" for k in _KEYWORDS) + r")(?![a-z])"
)
# A keyword misread beyond its look-alikes ("Artitle", "Atticle", "Arti¢le", "Articlé"): one letter off.
_FUZZY_KW = re.compile(_LEAD + r"(?P<kw>[^\W\d_](?:[^\W_]|[¢$|!]){5,7})(?=[\s'’\"`,.:;-]*[0-9lIOS$])")
_FUZZY_FOLD = str.maketrans(
    {"1": "i", "|": "i", "!": "i", "l": "l", "0": "o", "$": "s", "¢": "c", "é": "e", "è": "e"}
)
_DIGITISH = "0-9lI|!oOQSs$"
# A group opens with a digit or with what OCR makes of 1 and 0: "so" or "Scope" after a number are words.
_GROUP = f"(?:[0-9lI|!O$][{_DIGITISH}]{{0,2}})"
# "S" opens a number only when more of it follows ("S.1", "S 3"), after a period ("7.S") or alone after
# a space ("12 S:"); otherwise it is a word ("Article S", "Article 3 So").
_FIRST = rf"(?:{_GROUP}|S[0-9lIO][{_DIGITISH}]?|S(?=\s?[.,·:]\s?[0-9lIO]|\s[0-9]))"
_AFTER_MARK = f"(?:[0-9lI|!OS][{_DIGITISH}]{{0,2}})"
_AFTER_SPACE = rf"(?:{_GROUP}|S(?![A-Za-z]))"
# Inside a number: a period or comma with a space on either side, or a colon with none ("2:1"); a
# colon and a space end the number ("Article 11.44: 18 Month Publication").
_INSIDE = r"(?:\s?[.,·]\s?|:)"
_NUMBER = re.compile(
    rf"^(?P<gap>\s*['’\"`]?[-–—:.,;]?\s*)(?P<num>{_FIRST}(?:{_INSIDE}{_AFTER_MARK}|\s{_AFTER_SPACE}(?![.)]))"
    r"{0,2})"
    r"(?P<suffix>-?[A-Z]{1,2}\b|\s?bis\b|\s?ter\b)?(?![0-9A-Za-z])"
)
_ROMAN = re.compile(
    r"^(?P<gap>\s*['’\"`]?[-–—:.,;]?\s*)(?P<num>[IVXLC]{1,7})(?P<suffix>\s?bis\b)?(?![A-Za-z0-9])"
)
_LOOKALIKE_ONLY = re.compile(r"^(?P<gap>\s*)(?P<num>[lS|]|[lI|][lIO]|SO)(?P<suffix>)(?=\s*[:.]\s|\s*$)")
_TO_DIGIT = str.maketrans(
    {"l": "1", "I": "1", "|": "1", "!": "1", "o": "0", "O": "0", "Q": "0", "S": "5", "s": "5", "$": "5"}
)
_SEPARATOR = re.compile(r"\s?[.,·]\s?|:|\s")


@dataclass(frozen=True, slots=True)
class OcrHeading:
    """A line read as a heading through OCR damage."""

    kind: str
    """article | chapter | section"""
    keyword: str
    """The keyword as found ("ARTIcLE")."""
    number: str
    """The number as found ("2 1", "l2")."""
    readings: tuple[str, ...]
    """What the number can be, most likely first ("2.1", "21"); digits and periods only, plus a suffix."""
    sep: str
    """What separates the number from the rest of the line."""
    rest: str
    """The line after the number and separator: a title, the article's text, or nothing."""
    damaged: bool
    """Whether anything had to be read through damage (the keyword's spelling or the number)."""

    @property
    def found(self) -> str:
        """Keyword and number as found ("ARTIcLE 2 1")."""
        return f"{self.keyword} {self.number}".strip()

    def repaired(self, reading: str) -> str:
        """Keyword and number as they were printed ("ARTICLE 2.1"), the keyword in its found case style."""
        word = self.kind
        letters = [ch for ch in self.keyword if ch.isalpha()]
        upper = sum(ch.isupper() for ch in letters)
        if upper > len(letters) / 2:
            word = word.upper()
        elif letters and letters[0].isupper():
            word = word.capitalize()
        return f"{word} {reading}"


def _readings(num: str, suffix: str) -> tuple[str, ...]:
    """What a damaged number can be: groups joined by a period first, then run together (a stray space)."""
    suffix = suffix.strip()
    groups = [g.translate(_TO_DIGIT) for g in _SEPARATOR.split(num) if g]
    if not all(g.isdigit() for g in groups):
        return ()
    seps = _SEPARATOR.findall(num)
    out = [".".join(str(int(g)) if len(g) > 1 and g.startswith("0") else g for g in groups)]
    if len(groups) == 2 and all(not s.strip() for s in seps) and len(groups[0] + groups[1]) <= 3:
        out.append(groups[0] + groups[1])
    return tuple(dict.fromkeys(r + suffix for r in out))


_SEP = re.compile(r"\s*[:;,.»«\-–—]+\s*[-–—]?\s*|\s+")
_SPECK_AFTER = re.compile(r"[°*©®\"”’'‘`~^_=+|]+\s*")
"""A speck right after the number ("Article 18°"); not a parenthesis ("Article 3.2(c)" is a reference)."""


def _keyword(line: str) -> tuple[str, re.Match[str]] | None:
    """The keyword ``line`` opens with (article, chapter or section), and its match, through OCR damage."""
    m = _KW.match(line)
    if m is not None:
        return next(k for k in _KEYWORDS if m.group(k)), m
    m = _FUZZY_KW.match(line)
    if m is None:
        return None
    token = m.group("kw").lower().translate(_FUZZY_FOLD)
    for kind in _KEYWORDS:
        # The first letter is read right more often than not; "Particle 5" and "Articles 5" are words.
        if token[0] == kind[0] and token != kind + "s" and Levenshtein.distance(token, kind) <= 1:
            return kind, m
    return None


def read_heading(line: str) -> OcrHeading | None:
    """The heading ``line`` reads as through OCR damage, or None when it does not open with one.

    A number must hold at least one real digit (or be a Roman numeral in
    capitals): "Article S" is more likely a word than article 5.
    """
    found = _keyword(line)
    if found is None:
        return None
    kind, m = found
    after = line[m.end() :]
    n, readings = _number_readings(after, kind)
    if n is None or not readings:
        return _section_letter(line, m, kind) if kind == "section" else None
    tail = after[n.end() :]
    sep_m = _SEP.match(tail) or _SPECK_AFTER.match(tail)
    if tail and sep_m is None:
        return None
    sep = sep_m.group(0) if sep_m else ""
    rest = _trim(tail[len(sep) :])
    if not re.search(r"[^\W\d_]{3}", rest):
        rest = ""  # only specks after the number ("Article 17 , ; a]"): the title is on the next line
    elif re.search(r"[,;]", sep) and not _title_after_mark(rest):
        return None  # "Article 16.4, Article 16.6 and ... shall not apply": a list of references
    keyword = m.group("kw")
    number = n.group("num") + (n.group("suffix") or "")
    damaged = (
        keyword not in (kind.upper(), kind.capitalize())
        or number != readings[0]
        or bool(n.group("gap").strip())
        or bool(line[: m.start("kw")].strip())
    )
    return OcrHeading(kind, keyword, number, readings, sep, rest, damaged)


def _number_readings(after: str, kind: str) -> tuple[re.Match[str] | None, tuple[str, ...]]:
    """The number after a heading's keyword and what it may read as: digits, Roman, or all look-alikes."""
    n = _NUMBER.match(after)
    if n is not None and re.search(r"\d", n.group("num")):
        readings = _readings(n.group("num"), n.group("suffix") or "")
        if readings:
            return n, readings
    n = _ROMAN.match(after)
    if n is not None and not (kind == "section" and len(n.group("num")) > 4):
        readings = (n.group("num") + (n.group("suffix") or ""),)
        if n.group("num") == "I" and kind != "section":
            readings += ("1",)  # article I of a treaty numbered in Roman numerals, else article 1
        return n, readings
    # A number that is all look-alikes ("Article l", "Article S:"), standing alone before its title.
    n = _LOOKALIKE_ONLY.match(after)
    return n, _readings(n.group("num"), "") if n is not None else ()


def _title_after_mark(rest: str) -> bool:
    """After a comma or semicolon (a colon misread), only a short title: not more references or a sentence."""
    words = rest.split()
    return (
        0 < len(words) <= 10 and not re.search(r"\b(?:[Aa]rticles?|shall|and|or)\b", rest) and rest[-1] != "."
    )


def _trim(rest: str) -> str:
    """A short title without the specks OCR leaves after it ("Objectives:", "Subsidies =", "Goods ‘ :").

    A colon right after a sentence-case phrase opens the article's text ("For the purposes of
    this Chapter:") and stays.
    """
    if len(rest.split()) > 10:
        return rest
    m = re.search(r"[\s:;.'‘’\"=*~_-]+$", rest)
    if m is None or rest.rstrip().endswith(","):
        return rest  # a comma: the title goes on on the next line
    junk = m.group()
    long_words = [w for w in rest.split() if len(w) > 3]
    title_case = sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)
    if junk == ":" and not title_case:
        return rest
    return rest[: m.start()]


_SECTION_ID = re.compile(r"^\s*[-–—:.]?\s*(?P<num>[A-Z])(?![A-Za-z0-9])")


def _section_letter(line: str, m: re.Match[str], kind: str) -> OcrHeading | None:
    """A section numbered by a capital letter ("SECTlON A: Definitions")."""
    after = line[m.end() :]
    n = _SECTION_ID.match(after)
    if n is None:
        return None
    tail = after[n.end() :]
    sep_m = _SEP.match(tail)
    if tail and sep_m is None:
        return None
    sep = sep_m.group(0) if sep_m else ""
    keyword = m.group("kw")
    damaged = keyword not in ("SECTION", "Section") or bool(line[: m.start("kw")].strip())
    return OcrHeading(kind, keyword, n.group("num"), (n.group("num"),), sep, _trim(tail[len(sep) :]), damaged)
