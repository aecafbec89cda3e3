"""What a text says about itself: its title, its parties (the countries its preamble names), its language."""

from __future__ import annotations

import re
from functools import lru_cache

from .headings import PREAMBLE, heading_line, is_upper_line

_TITLE_WORDS = re.compile(
    r"\b(agreement|acuerdo|arrangement|partnership|treaty|tratado|convention|convenio|protocol|protocolo|"
    r"memorandum|memorando)\b",
    re.IGNORECASE,
)
_JUNK_LINE = re.compile(
    r"^(royal crest|ogl_logo|maintext:|\[.*\]|©.*|� .*|.*no\.\s?\d+ \(\d{4}\))$", re.IGNORECASE
)


def guess_title(lines: list[str]) -> tuple[str | None, int]:
    """The agreement's name from its first lines, and the line after it.

    Taken from the block that says "Agreement" or the like."""
    window = [s.strip() for s in lines[:40]]
    for i, s in enumerate(window):
        if PREAMBLE.match(s):
            break
        if not s or _JUNK_LINE.match(s) or not _TITLE_WORDS.search(s) or s[-1] in ":;,":
            continue
        if len(s) > 300:
            return s[:200].rsplit(" ", 1)[0], i + 1
        return _title_block(window, i)
    return None, 0


def _title_block(window: list[str], i: int) -> tuple[str | None, int]:
    """The title whose line i says "Agreement", with the upper-case lines above it and the lines going on."""
    upper = is_upper_line(window[i])
    start = i
    while upper and start > 0 and window[start - 1] and is_upper_line(window[start - 1]):
        start -= 1
    parts = window[start : i + 1]
    k = i + 1
    while k < len(window) and len(parts) < 8:
        t = window[k]
        if not t:
            nxt = next((x for x in window[k + 1 : k + 3] if x), "")
            if nxt[:1].islower() and not upper:
                k += 1
                continue
            break
        if not _title_goes_on(t, upper):
            break
        parts.append(t)
        k += 1
    title = re.sub(r"\s+", " ", " ".join(parts)).strip()
    return title[:300] or None, k


def _title_goes_on(t: str, upper: bool) -> bool:
    """Does line t continue a title: in capitals after capitals, else in lower case or with a joining word?"""
    if _JUNK_LINE.match(t) or PREAMBLE.match(t) or heading_line(t) or re.search(r"contents", t, re.I):
        return False
    if upper:
        return is_upper_line(t)
    return t[:1].islower() or t.split()[0] in ("between", "Between", "on", "for", "and")


@lru_cache(maxsize=1)
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    from ...catalog import load_countries  # on first use: the catalog package brings pandas

    names = {_fold(name): c.iso3 for c in load_countries().values() for name in c.text_names}
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), names


def _fold(s: str) -> str:
    return s.replace("’", "'").lower()


def find_parties(text: str) -> tuple[str, ...]:
    """ISO3 codes of the countries named in ``text`` (a preamble), in order of first mention."""
    pattern, names = _country_pattern()
    folded = re.sub(r"\s+", " ", _fold(text))
    found = [names[m.group(0)] for m in pattern.finditer(folded)]
    return tuple(dict.fromkeys(found))


_EN = {"the", "of", "and", "to", "shall", "in", "any", "party", "parties", "agreement", "this", "with"}
_ES = {"el", "la", "los", "las", "y", "que", "del", "por", "se", "partes", "acuerdo", "con", "para"}


def guess_language(text: str) -> str | None:
    """ "en" or "es" by stop words in the first 20,000 characters; None when neither is clear."""
    words = re.findall(r"[a-záéíóúñ]+", text[:20000].lower())
    en = sum(w in _EN for w in words)
    es = sum(w in _ES for w in words)
    if max(en, es) < 10:
        return None
    return "en" if en >= es else "es"
