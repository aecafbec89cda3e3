"""Plain text -> records: recover a treaty's structure from text as people get it.

Agreements that ToTA does not hold reach users as text copied from a PDF or a
web page.  That text has lost its markup but kept its headings ("CHAPTER 3",
"Article 1.1: Title", "Artículo 5.-"), and it has gained the debris of
extraction: page numbers, running headers, footnote markers glued to words,
words hyphenated across lines, a table of contents that looks like headings.

The parser works in three passes over lines:

1. clean: decode (UTF-8 with or without BOM, else cp1252 / Latin-1), unify
   line endings, drop page numbers and running headers, join hyphenated words;
2. find candidate headings (chapters, sections, articles, annexes) with
   patterns that reject cross-references ("Article 3 of the SCM Agreement",
   "Chapter 3 (Rules of Origin)");
3. keep the candidates whose numbers run in sequence, the way the headings of
   a treaty do and its cross-references, table of contents and tariff
   schedules do not: a chapter must be followed by an article of its own
   before the next chapter, article numbers only move forward, and a heading
   with no text whose number comes again later is a table-of-contents entry.

Articles become paragraph clauses through :func:`rulecompare.segment.split_paragraphs`.
Clause ids are ``file:<slug>/<article key>/<seq>`` where the article key comes
from the article number ("art-1.1", "ch3-art12" when a number repeats,
"annex-3a-art-1"), so re-parsing the same text gives the same ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ParseError
from ..model import Agreement, Clause, ParsedAgreement
from ..segment import split_paragraphs
from ..xmlsafe import read_bounded

Classifier = Callable[[str | None, str | None, str, str], str]

__all__ = ["decode_text", "find_parties", "guess_language", "parse_text", "parse_text_string", "slugify"]


# ---------------------------------------------------------------- decoding


def decode_text(data: bytes, path: object = "<text>") -> str:
    """Bytes -> str: UTF-8 (a BOM is dropped), else cp1252, else Latin-1; binary data is refused."""
    head = data[:65536]
    if b"\x00" in head:
        raise ParseError(path, "not a text file (binary data: NUL bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
            text = data.decode("latin-1")
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if sample and controls / len(sample) > 0.02:
        raise ParseError(path, "not a text file (binary data: control characters)")
    return text


# ---------------------------------------------------------------- numbers

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


def _roman(s: str) -> int | None:
    if not _ROMAN_RE.match(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total


def _word_number(s: str) -> int | None:
    """"Three", "TWENTY-ONE", "Twenty One" -> int; None for anything else."""
    parts = re.split(r"[-\s]+", s.strip().lower())
    if len(parts) == 1:
        return _ONES.get(parts[0]) or _TENS.get(parts[0])
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ONES and _ONES[parts[1]] < 10:
        return _TENS[parts[0]] + _ONES[parts[1]]
    return None


def _int_of(token: str) -> int | None:
    """A chapter or article number token as an integer (digits, Roman numerals, number words)."""
    if token.isdigit():
        return int(token)
    return _roman(token) if token.isupper() else None


# ---------------------------------------------------------------- cleaning

_PAGE_LINE = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:\d{1,4}|[ivxlc]{1,6}|[IVXLC]{1,6}|\d{1,3}[A-Z]?\s?-\s?\d{1,4})(?:\s*[-–—])?\s*$"
)
_PAGE_OF = re.compile(r"\s*\b(?:Page|Página|Pagina)\s+\d{1,4}\s+(?:of|de)\s+\d{1,4}\b\s*", re.IGNORECASE)
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d*\s*$|…{2,}\s*\d*\s*$")
_HYPHEN_END = re.compile(r"[A-Za-zÀ-ÿ]-$")
_GLUED_NOTE = re.compile(r"(?<=[a-zà-ÿ\)”’\"])\d{1,3}(?=[\s,.;:)]|$)")
_GLUED_NOTE_TITLE = re.compile(r"(?<=[A-Za-zÀ-ÿ\)])\d{1,3}(?:,\s*\d{1,3})*$")


def _normalize_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ")
    return text


def _clean_lines(text: str) -> list[str]:
    """Lines without page numbers, running headers and line-end hyphenation; line count preserved as ''."""
    lines = _unglue_headings([ln.rstrip() for ln in _normalize_newlines(text).split("\n")])
    lines = [_PAGE_OF.sub(" ", ln).rstrip() if "age" in ln or "ágina" in ln else ln for ln in lines]
    head = {ln.strip() for ln in lines[:25] if ln.strip()}
    counts = Counter(ln.strip() for ln in lines)
    # A running header repeats a line of the title page (the agreement's name, "Pak-China FTA").
    running = {
        s for s, n in counts.items()
        if n >= 4 and s in head and len(s) > 3 and not _CHAPTER.match(s) and not _ARTICLE.match(s)
    }  # fmt: skip
    seen_running: set[str] = set()
    out: list[str] = []
    for ln in lines:
        s = ln.strip()
        if _PAGE_LINE.match(ln) or _DOT_LEADER.search(s) and len(s) < 200:
            out.append("")
            continue
        if s in running:
            if s in seen_running:
                out.append("")
                continue
            seen_running.add(s)
        out.append(ln)
    # Join words hyphenated at a line end when the next line goes on in lower case.
    for i in range(len(out) - 1):
        cur = out[i]
        if not _HYPHEN_END.search(cur) or cur.endswith("--"):
            continue
        j = i + 1
        while j < len(out) and j <= i + 3 and not out[j].strip():
            j += 1
        if j < len(out) and out[j].lstrip()[:1].islower():
            nxt = out[j].lstrip()
            word, _, rest = nxt.partition(" ")
            out[i] = cur[:-1] + word
            out[j] = rest
    return out


_GLUED_CHAPTER = re.compile(r"^(?P<before>.*\S)\s*(?P<head>(?:CHAPTER|CAP[ÍI]TULO)\s+(?:\d{1,3}|[IVXLC]{1,7}))$")


def _unglue_headings(lines: list[str]) -> list[str]:
    """A chapter heading run onto the end of the previous line ("... law. CHAPTER 2") gets its own line."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        m = _GLUED_CHAPTER.match(ln) if "CAP" in ln or "CHAPTER" in ln else None
        if m and i + 1 < len(lines) and _is_upper_line(lines[i + 1]):
            out.extend([m.group("before"), m.group("head")])
        else:
            out.append(ln)
    return out


def _strip_note_markers(text: str) -> str:
    """Footnote numbers glued to words ("subsidies13 within") are dropped."""
    return _GLUED_NOTE.sub("", text)


# ---------------------------------------------------------------- headings

_SEP = r"(?P<sep>\s*[:.\-–—]+\s*[-–—]?\s*|\s+)"
_CHAPTER = re.compile(
    r"^\s*(?P<kw>CHAPTER|Chapter|CAP[ÍI]TULO|Cap[íi]tulo)\s+"
    r"(?P<num>\d{1,3}|[IVXLC]{1,7}|[A-Za-z]+(?:[-\s][A-Za-z]+)?)"
    r"(?:" + _SEP + r"(?P<rest>.*))?$"
)
_ARTICLE = re.compile(
    r"^\s*(?P<kw>ARTICLE|Article|ART[ÍI]CULO|Art[íi]culo|Art\.)\s+"
    r"(?P<num>\d{1,4}(?:\.\d{1,3}){0,2}(?:-?[A-Z]\b|\s?bis\b|\s?ter\b)?|[IVXLC]{1,7}\b(?:\s?bis\b)?)"
    r"(?:" + _SEP + r"(?P<rest>.*))?$"
)
_ANNEX = re.compile(
    r"^\s*(?P<kw>ANNEX|Annex|ANEXO|Anexo|APPENDIX|Appendix|AP[ÉE]NDICE|Ap[ée]ndice)"
    r"(?:\s+(?P<num>[0-9IVXLC]{1,5}(?:[-.][A-Z0-9]{1,3})?[A-Z]?))?\b"
    r"(?:" + _SEP + r"(?P<rest>.*))?$"
)
_SECTION = re.compile(
    r"^\s*(?:SECTION|Section|SUB-SECTION|Sub-Section|Sub-section|SECCI[ÓO]N|Secci[óo]n)\s+"
    r"(?:[A-Z]|\d{1,2}|[IVX]{1,4})\b(?:\s*[:.\-–—]\s*)?(?P<rest>.*)$"
)
_PREAMBLE = re.compile(r"^\s*(?:PREAMBLE|Preamble|PRE[ÁA]MBULO|Pre[áa]mbulo)\s*$")
_CONCLUSION = re.compile(r"^\s*(?:IN WITNESS WHEREOF|In witness whereof|EN FE DE LO CUAL|EN TESTIMONIO DE LO CUAL)")
_PARA_LABEL = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\([a-z]{1,3}\)|[a-z]\))\s")
_CONNECTORS = {"of", "and", "the", "to", "for", "on", "in", "or", "with", "between", "its", "a", "an", "de", "y", "la", "del", "el", "en"}  # fmt: skip
_TITLE_MAX = 160


def _cap_ratio(s: str) -> float:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", s) if len(w) > 3]
    if not words:
        return 1.0 if s.strip() else 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)


def _is_upper_line(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _title_like(s: str, strict: bool = True) -> bool:
    """Could this line be a heading's title (short, capitalised words, no sentence end)?"""
    s = s.strip()
    if not s or len(s) > _TITLE_MAX or _PARA_LABEL.match(s) or s[0].islower() or s[0] == "(":
        return False
    if s[-1] in ".;," and not s.endswith("etc."):
        return False
    return _is_upper_line(s) or _cap_ratio(s) >= (0.75 if strict else 0.6)


def _clean_title(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip().strip("–—-:").strip()
    return _GLUED_NOTE_TITLE.sub("", s).strip()


@dataclass
class _Cand:
    """A line that looks like a heading, before the sequence check."""

    kind: str
    """chapter | article | annex | section"""
    line: int
    end: int
    """First line after the heading and the title lines it consumed."""
    label: str
    """Keyword and number as found ("CHAPTER 3", "Article 1.1")."""
    number: str
    title: str | None
    body: str = ""
    """Text after the heading on the same line when it is body text (Spanish "Artículo 3.- Las Partes ...")."""
    chap: int | None = None
    """Chapter part of a dotted article number, or the chapter number."""
    seq: int | None = None
    """Article number (the last part of a dotted number)."""
    suffix: str = ""
    dotted: bool = False
    in_annex: bool = False
    """Set by the sequence check: an article numbered within an annex."""
    size: int = 0
    """Non-space characters until the next candidate."""


def _next_nonblank(lines: list[str], i: int, limit: int = 3) -> int | None:
    j = i
    while j < len(lines) and j < i + limit + 1:
        if lines[j].strip():
            return j
        j += 1
    return None


def _heading_line(s: str) -> bool:
    return bool(_CHAPTER.match(s) or _ARTICLE.match(s) or _SECTION.match(s) or _ANNEX.match(s))


def _following_title(lines: list[str], i: int, upper_run: bool) -> tuple[str | None, int]:
    """Title on the lines after a bare heading: an upper-case block, or one title-like line."""
    j = _next_nonblank(lines, i)
    if j is None or _heading_line(lines[j]) or _PREAMBLE.match(lines[j]):
        return None, i
    first = lines[j].strip()
    if upper_run and _is_upper_line(first) and len(first) <= _TITLE_MAX:
        parts, k = [first], j + 1
        while k < len(lines) and len(parts) < 4:
            s = lines[k].strip()
            if not s or not _is_upper_line(s) or _heading_line(s) or len(s) > _TITLE_MAX:
                break
            parts.append(s)
            k += 1
        return " ".join(parts), k
    if _title_like(first):
        return _continue_title(lines, first, j + 1)
    return None, i


def _continue_title(lines: list[str], title: str, k: int) -> tuple[str, int]:
    """A title wrapped onto the next line (PDF text): joined when it ends in a connector or a blank line follows."""
    if k >= len(lines):
        return title, k
    nxt = lines[k].strip()
    if not nxt or _heading_line(nxt) or _PARA_LABEL.match(nxt) or len(nxt) > 90:
        return title, k
    last = title.split()[-1].lower() if title.split() else ""
    blank_after = k + 1 >= len(lines) or not lines[k + 1].strip()
    wrapped = last in _CONNECTORS or len(title) > 40 and (blank_after or len(nxt) <= 60 and _cap_ratio(nxt) >= 0.75)
    if wrapped and (nxt[0].isupper() or last in _CONNECTORS) and nxt[-1] not in ".;:," and _cap_ratio(nxt) >= 0.5:
        return f"{title} {nxt}", k + 1
    if nxt[0].islower() and len(nxt) <= 40 and len(nxt.split()) <= 5 and nxt[-1] not in ".;:,":
        # "Cooperation on harmonization, equivalency and certificate / recognition"
        return f"{title} {nxt}", k + 1
    return title, k


def _split_rest(rest: str, sep: str) -> tuple[str | None, str] | None:
    """Heading text after the number -> (title, inline body); None when the line is a cross-reference.

    A cross-reference goes on in lower case or with a parenthesis ("Article 3 of the
    SCM Agreement", "Article 2.3 (National Treatment) applies"); a title is a short
    phrase; a long sentence is the article's text starting on the heading line
    ("Artículo 3.- Las Partes Contratantes conformarán ...").
    """
    rest = rest.strip()
    if not rest:
        return None, ""
    if rest[0].islower() or rest[0] in "(,;[":
        return None
    words = rest.split()
    short_sentence = rest[-1] == "." and len(words) <= 6
    if len(rest) <= _TITLE_MAX and len(words) <= 18 and (rest[-1] not in ".;,:" or short_sentence):
        return rest.rstrip("."), ""
    if len(words) >= 4 and (sep.strip() or rest[-1] in ".:;"):
        return None, rest
    return None


_CONTINUED = re.compile(
    r"\b(?:of|and|the|to|in|under|with|by|or|see|from|pursuant|including|its|this|that|on|for|an?|as|at|is|are|be|"
    r"de|del|el|la|los|las|y|en|al|con|por)$"
)


def _mid_sentence(lines: list[str], i: int) -> bool:
    """Does line i continue a sentence ("... in its Schedule to" / "Annex 15-A:")?"""
    # Only the line just above counts: across a blank or a removed page number, the sentence
    # before is often a footnote cut by the page break.
    return i > 0 and bool(_CONTINUED.search(lines[i - 1].rstrip()))


def _find_candidates(lines: list[str]) -> list[_Cand]:
    cands: list[_Cand] = []
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        s = ln.strip()
        if not s or len(s) > 1200 or _mid_sentence(lines, i):
            i += 1
            continue
        m = _ARTICLE.match(ln)
        if m:
            c = _article_cand(lines, i, m)
            if c is not None:
                cands.append(c)
                i = c.end
                continue
        m = _CHAPTER.match(ln)
        if m:
            c = _chapter_cand(lines, i, m)
            if c is not None:
                cands.append(c)
                i = c.end
                continue
        m = _SECTION.match(ln)
        if m and len(s) <= _TITLE_MAX:
            rest = m.group("rest").strip()
            if not rest or rest[0].isupper() and rest[-1] not in ".;,":
                end = i + 1
                if not rest:
                    _, end = _following_title(lines, i + 1, upper_run=True)
                    end = max(end, i + 1)
                cands.append(_Cand("section", i, end, s, "", rest or None))
                i = end
                continue
        m = _ANNEX.match(ln)
        if m and len(s) <= 300:
            c = _annex_cand(lines, i, m)
            if c is not None:
                cands.append(c)
                i = c.end
                continue
        i += 1
    return cands


def _article_cand(lines: list[str], i: int, m: re.Match[str]) -> _Cand | None:
    num = m.group("num").replace(" ", "")
    split = _split_rest(m.group("rest") or "", m.group("sep") or "")
    if split is None:
        return None
    title, body = split
    end = i + 1
    if title is None and not body:
        title, end = _following_title(lines, i + 1, upper_run=False)
        end = max(end, i + 1)
    elif title is not None:
        title, end = _continue_title(lines, title, i + 1)
    base = re.match(r"^(\d+(?:\.\d+)*)(.*)$", num)
    c = _Cand("article", i, end, f"{m.group('kw')} {num}", num, _clean_title(title) if title else None, body)
    if base:
        parts = base.group(1).split(".")
        c.suffix = base.group(2).lstrip("-")
        c.seq = int(parts[-1])
        if len(parts) >= 2:
            c.chap, c.dotted = int(parts[0]), True
    else:
        roman = re.match(r"^([IVXLC]+)(.*)$", num)
        c.seq = _roman(roman.group(1)) if roman else None
        c.suffix = roman.group(2) if roman else ""
        if c.seq is None:
            return None
    return c


def _chapter_cand(lines: list[str], i: int, m: re.Match[str]) -> _Cand | None:
    token = m.group("num")
    value = _int_of(token)
    rest = m.group("rest") or ""
    sep = m.group("sep") or ""
    if value is None:
        value = _word_number(token)
        if value is None and (" " in token or "-" in token):
            # "Chapter Three Trade" was read as a two-word number; retry with the first word only.
            first = re.split(r"[-\s]", token)[0]
            value = _word_number(first)
            if value is not None:
                rest = token[len(first) :] + sep + rest
                sep = " "
                token = first
    if value is None:
        return None
    split = _split_rest(rest, sep)
    if split is None or split[1]:
        return None
    title = split[0]
    end = i + 1
    if title is None:
        title, end = _following_title(lines, i + 1, upper_run=True)
        end = max(end, i + 1)
    c = _Cand("chapter", i, end, f"{m.group('kw')} {token}", token, _clean_title(title) if title else None)
    c.chap = value
    return c


def _annex_cand(lines: list[str], i: int, m: re.Match[str]) -> _Cand | None:
    rest = (m.group("rest") or "").strip()
    num = m.group("num") or ""
    if rest and (rest[0].islower() or rest[0] in ",;[" or rest[-1] in ";,"):
        return None
    if rest.startswith("(") and not rest.endswith(")"):
        return None
    if rest and not (_is_upper_line(rest) or _title_like(rest.strip("()"), strict=False)):
        return None
    title: str | None = rest.strip("()") or None
    end = i + 1
    if title is None:
        title, end = _following_title(lines, i + 1, upper_run=True)
        end = max(end, i + 1)
        if not num and title is None:
            # A bare "ANNEX" line is a heading only when a title follows.
            return None
    label = f"{m.group('kw')} {num}".strip()
    return _Cand("annex", i, end, label, num, _clean_title(title) if title else None)


# ---------------------------------------------------------------- sequence check


def _measure(cands: list[_Cand], lines: list[str]) -> None:
    for k, c in enumerate(cands):
        stop = cands[k + 1].line if k + 1 < len(cands) else len(lines)
        c.size = len(c.body) + sum(len(lines[j].strip()) for j in range(c.end, stop))


def _drop_toc(cands: list[_Cand]) -> list[_Cand]:
    """Headings with no text whose number comes again later are table-of-contents entries."""
    later: Counter[tuple[str, str]] = Counter((c.kind, c.number.upper()) for c in cands if c.kind != "section")
    kept: list[_Cand] = []
    for c in cands:
        key = (c.kind, c.number.upper())
        if c.kind != "section":
            later[key] -= 1
            if later[key] > 0 and c.size < 40:
                continue
        kept.append(c)
    return kept


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Keep the headings whose numbers run in sequence (see module docstring)."""
    articles = [c for c in cands if c.kind == "article"]
    dotted_style = sum(c.dotted for c in articles) > len(articles) / 2
    out: list[_Cand] = []
    cur_chap: int | None = None
    last_chap: int | None = None
    last_art: tuple[int, int] | None = None
    """(chapter part, seq) of the last main-text article."""
    in_annex = False
    annex_last: int = 0
    seen_article = False
    for k, c in enumerate(cands):
        if c.kind == "chapter":
            assert c.chap is not None
            if last_chap is not None and not (last_chap < c.chap <= last_chap + 3):
                continue
            nxt = next((d for d in cands[k + 1 :] if d.kind in ("article", "chapter")), None)
            if nxt is None or nxt.kind != "article":
                continue
            if dotted_style and nxt.dotted and nxt.chap != c.chap:
                continue
            out.append(c)
            cur_chap = last_chap = c.chap
            in_annex = False
            if not dotted_style:
                continue
            last_art = (c.chap, 0)
        elif c.kind == "article":
            assert c.seq is not None
            if _continues_main(c, last_art, dotted_style, cur_chap):
                if c.dotted and c.chap != cur_chap:
                    cur_chap = c.chap
                out.append(c)
                last_art = (c.chap or 0, c.seq)
                in_annex = False
                seen_article = True
            elif in_annex and not c.dotted and (c.seq == annex_last + 1 or c.seq == annex_last and c.suffix):
                c.in_annex = True
                out.append(c)
                annex_last = c.seq
        elif c.kind == "annex":
            if seen_article:
                out.append(c)
                in_annex = True
                annex_last = 0
        elif c.kind == "section":
            if seen_article or out:
                out.append(c)
    return out


def _continues_main(c: _Cand, last: tuple[int, int] | None, dotted_style: bool, cur_chap: int | None) -> bool:
    assert c.seq is not None
    if dotted_style != c.dotted:
        return False
    if not c.dotted:
        if last is None:
            return c.seq <= 3
        if c.suffix:
            return c.seq in (last[1], last[1] + 1)
        return last[1] < c.seq <= last[1] + 3
    assert c.chap is not None
    if last is None:
        return c.seq <= 3 and (cur_chap is None or c.chap == cur_chap)
    if c.chap == last[0]:
        if c.suffix:
            return c.seq in (last[1], last[1] + 1)
        return last[1] < c.seq <= last[1] + 5
    # A new chapter whose heading was not recognised.
    return last[0] < c.chap <= last[0] + 2 and c.seq == 1


# ---------------------------------------------------------------- building records


def slugify(s: str) -> str:
    """A lower-case ASCII slug: "China–Georgia FTA (2017)" -> "china-georgia-fta-2017"."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9.]+", "-", s.lower()).strip("-.")
    return s[:80] or "text"


@dataclass
class _Unit:
    """An article (or preamble, chapter lead-in, annex text) with its place."""

    chapter_index: int
    chapter_number: str | None
    chapter_title: str | None
    number: str | None
    title: str | None
    key: str
    lines: list[str]
    annex: bool = False


def _units(lines: list[str], heads: list[_Cand]) -> tuple[list[_Unit], list[str]]:
    """Cut the cleaned lines at the accepted headings; returns the units and the lines of the front matter."""
    units: list[_Unit] = []
    first = heads[0].line if heads else len(lines)
    front = lines[:first]
    pre_start = None
    for j in range(first - 1, -1, -1):
        if _PREAMBLE.match(lines[j]):
            pre_start = j
            break
    if pre_start is not None:
        front, preamble = lines[:pre_start], lines[pre_start + 1 : first]
    else:
        # No "Preamble" heading: what follows the title block is the preamble.
        _, title_end = _guess_title(lines[:first])
        preamble = lines[title_end:first]
    next_index = 0
    if any(s.strip() for s in preamble):
        units.append(_Unit(0, None, "Preamble", None, None, "preamble", preamble))
        next_index = 1
    chapter_index = -1
    ch_number: str | None = None
    ch_title: str | None = None
    ch_value: int | None = None
    annex = False
    annex_key = ""
    annex_count = 0
    main_chapter = (chapter_index, ch_number, ch_title, ch_value)
    for k, h in enumerate(heads):
        stop = heads[k + 1].line if k + 1 < len(heads) else len(lines)
        body = [h.body] if h.body else []
        body += lines[h.end : stop]
        if h.kind == "section":
            if units and any(s.strip() for s in body):
                units[-1].lines.extend(body)
            continue
        if h.kind in ("chapter", "annex"):
            if h.kind == "annex" and not annex:
                main_chapter = (chapter_index, ch_number, ch_title, ch_value)
            chapter_index, next_index = next_index, next_index + 1
            ch_number, ch_title, ch_value = h.label, h.title, h.chap
            annex = h.kind == "annex"
            if annex:
                annex_count += 1
                annex_key = f"annex-{slugify(h.number) if h.number else annex_count}"
                units.append(_Unit(chapter_index, ch_number, ch_title, None, None, annex_key, body, annex=True))
            elif any(s.strip() for s in body):
                units.append(_Unit(chapter_index, ch_number, ch_title, None, None, f"ch{h.chap}-intro", body))
            continue
        if annex and not h.in_annex:
            # The main text goes on after an annex placed inside its chapter.
            annex = False
            chapter_index, ch_number, ch_title, ch_value = main_chapter
        if chapter_index < 0 or (not annex and h.dotted and h.chap != ch_value):
            # No chapter heading yet, or a dotted number naming a chapter whose heading was lost.
            chapter_index, next_index = next_index, next_index + 1
            ch_value = h.chap if h.dotted else None
            ch_number, ch_title = (str(h.chap) if h.dotted else None), None
        key = f"{annex_key}-art-{h.number.lower()}" if annex else f"art-{h.number.lower()}"
        units.append(_Unit(chapter_index, ch_number, ch_title, h.label, h.title, key, body, annex=annex))
    return units, front


def _split_conclusion(units: list[_Unit]) -> list[_Unit]:
    """Text from "IN WITNESS WHEREOF" after the last main-text article becomes a "Conclusion" chapter."""
    main = [i for i, u in enumerate(units) if not u.annex and u.number]
    if not main:
        return units
    last = units[main[-1]]
    for j, s in enumerate(last.lines):
        if _CONCLUSION.match(s):
            tail = last.lines[j:]
            last.lines = last.lines[:j]
            concl = _Unit(last.chapter_index + 1, None, "Conclusion", None, None, "conclusion", tail)
            rest = units[main[-1] + 1 :]
            for u in rest:
                u.chapter_index += 1
            return units[: main[-1] + 1] + [concl] + rest
    return units


def _unique_keys(units: list[_Unit]) -> None:
    used: set[str] = set()
    for u in units:
        key = u.key
        if key in used:
            key = f"ch{u.chapter_index}-{u.key}"
        base, n = key, 2
        while key in used:
            key = f"{base}-{n}"
            n += 1
        used.add(key)
        u.key = key


def _fallback_units(lines: list[str]) -> list[_Unit]:
    """No article headings: one chapter, one clause per paragraph (blank-line blocks, else sentence-ended lines)."""
    blocks: list[list[str]] = [[]]
    for s in lines:
        if s.strip():
            blocks[-1].append(s)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if len(blocks) < 2:
        blocks = [[]]
        for s in lines:
            if s.strip():
                blocks[-1].append(s)
                if s.rstrip()[-1:] in ".;:":
                    blocks.append([])
        blocks = [b for b in blocks if b]
    return [_Unit(0, None, None, None, None, f"par-{i + 1}", b) for i, b in enumerate(blocks)]


# ---------------------------------------------------------------- metadata

_TITLE_WORDS = re.compile(
    r"\b(agreement|acuerdo|arrangement|partnership|treaty|tratado|convention|convenio|protocol|protocolo|"
    r"memorandum|memorando)\b",
    re.IGNORECASE,
)
_JUNK_LINE = re.compile(r"^(royal crest|ogl_logo|maintext:|\[.*\]|©.*|� .*|.*no\.\s?\d+ \(\d{4}\))$", re.IGNORECASE)


def _guess_title(lines: list[str]) -> tuple[str | None, int]:
    """The agreement's name from its first lines (the block that says "Agreement" or the like) and the line after it."""
    window = [s.strip() for s in lines[:40]]
    for i, s in enumerate(window):
        if _PREAMBLE.match(s):
            break
        if not s or _JUNK_LINE.match(s) or not _TITLE_WORDS.search(s) or s[-1] in ":;,":
            continue
        if len(s) > 300:
            return s[:200].rsplit(" ", 1)[0], i + 1
        start = i
        upper = _is_upper_line(s)
        while start > 0 and window[start - 1] and _is_upper_line(window[start - 1]) == upper and upper:
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
            if _JUNK_LINE.match(t) or _PREAMBLE.match(t) or _heading_line(t) or re.search(r"contents", t, re.I):
                break
            if upper and not _is_upper_line(t):
                break
            if not upper and not (t[:1].islower() or t.split()[0] in ("between", "Between", "on", "for", "and")):
                break
            parts.append(t)
            k += 1
        title = re.sub(r"\s+", " ", " ".join(parts)).strip()
        return title[:300] or None, k
    return None, 0


@lru_cache(maxsize=1)
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    text = resources.files("rulecompare").joinpath("data/countries.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    for row in rows:
        for name in [row["name"], *(row["aliases"] or "").split(";")]:
            name = name.strip()
            if name:
                names[_fold(name)] = row["iso3"]
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
    """"en" or "es" by stop words in the first 20,000 characters; None when neither is clear."""
    words = re.findall(r"[a-záéíóúñ]+", text[:20000].lower())
    en = sum(w in _EN for w in words)
    es = sum(w in _ES for w in words)
    if max(en, es) < 10:
        return None
    return "en" if en >= es else "es"


# ---------------------------------------------------------------- entry points


def _read(path_or_text: Path | str) -> tuple[str, Path | None]:
    if isinstance(path_or_text, Path) or ("\n" not in path_or_text and len(path_or_text) < 4096 and Path(path_or_text).is_file()):
        path = Path(path_or_text)
        return decode_text(read_bounded(path), path), path
    return path_or_text, None


def parse_text(
    path_or_text: Path | str,
    *,
    agreement_id: str | None = None,
    name: str | None = None,
    parties: Iterable[str] = (),
    signed: dt.date | None = None,
    language: str | None = None,
    classify: Classifier | None = None,
    source: str | None = None,
) -> ParsedAgreement:
    """Read a treaty from a text file (a ``Path``, or a ``str`` naming an existing file) or from a text string.

    Metadata given here wins over what the text says; what neither gives is
    listed in ``warnings``.  ``classify`` maps (chapter title, article title,
    text, language) to a policy area (default
    :func:`rulecompare.taxonomy.classify_area`).  Raises ParseError for an
    empty, binary or oversized file, or a text with no words.
    """
    text, path = _read(path_or_text)
    where: object = path if path is not None else (source or "<text>")
    if not text.strip():
        raise ParseError(where, "file is empty" if path else "text is empty")
    if not re.search(r"[^\W\d_]{2,}", text):
        raise ParseError(where, "no text found (no words)")
    if agreement_id is None:
        stem = path.stem if path is not None else (name or (Path(source).stem if source else "text"))
        agreement_id = f"file:{slugify(stem)}"
    return parse_text_string(
        text,
        agreement_id=agreement_id,
        name=name,
        parties=parties,
        signed=signed,
        language=language,
        classify=classify,
        source=source or (str(path) if path else ""),
    )


def parse_text_string(
    text: str,
    *,
    agreement_id: str,
    name: str | None = None,
    parties: Iterable[str] = (),
    signed: dt.date | None = None,
    language: str | None = None,
    classify: Classifier | None = None,
    source: str = "",
) -> ParsedAgreement:
    """The structure recovery on text already decoded (used by the HTML and PDF parsers)."""
    if classify is None:
        from ..taxonomy import classify_area as classify
    warnings: list[str] = []
    lines = _clean_lines(text)
    cands = _find_candidates(lines)
    _measure(cands, lines)
    heads = _select(_drop_toc(cands))
    if any(h.kind == "article" for h in heads):
        units, front = _units(lines, heads)
        units = _split_conclusion(units)
    else:
        units, front = _fallback_units(lines), lines[:40]
        warnings.append(
            f"no article headings recognised; the text is kept as one chapter of {len(units)} paragraph clauses"
        )
    _unique_keys(units)

    lang = language or guess_language(text)
    if lang is None:
        warnings.append("language not recognised; assumed English")
        lang = "en"
    title = name or _guess_title(lines)[0]
    if not title:
        warnings.append("no title found in the first lines; name the agreement with --name")
        title = agreement_id.split(":", 1)[-1]
    party_codes = tuple(p.strip().upper() for p in parties if p.strip())
    if not party_codes:
        pre = next((u for u in units if u.key == "preamble"), None)
        scope = "\n".join(pre.lines if pre else front)[:6000]
        if not scope.strip():
            scope = "\n".join(lines[:60])
        party_codes = find_parties(scope)
        if len(party_codes) < 2:
            warnings.append("parties not recognised in the preamble; give them with --parties")
        else:
            warnings.append(f"parties read from the preamble ({';'.join(party_codes)}); check them")
    if signed is None:
        warnings.append("date of signature unknown; give it with --signed")

    agreement = Agreement(
        id=agreement_id,
        name=title,
        parties=party_codes,
        parties_original=party_codes,
        language=lang,
        date_signed=signed,
        source=source,
    )
    clauses: list[Clause] = []
    article_index = 0
    for u in units:
        body = _strip_note_markers("\n".join(u.lines)).strip()
        if not body:
            continue
        area = classify(u.chapter_title, u.title, body, lang)
        for seq, para in enumerate(split_paragraphs(body), start=1):
            clauses.append(
                Clause(
                    id=f"{agreement_id}/{u.key}/{seq}",
                    agreement_id=agreement_id,
                    chapter_index=u.chapter_index,
                    chapter_number=u.chapter_number,
                    chapter_title=u.chapter_title,
                    article_index=article_index,
                    article_number=u.number,
                    article_title=u.title,
                    paragraph=para.label,
                    order=len(clauses),
                    text=para.text,
                    area=area,
                    annex=u.annex,
                )
            )
        article_index += 1
    if not clauses:
        raise ParseError(source or agreement_id, "no text found")
    return ParsedAgreement(agreement=agreement, clauses=tuple(clauses), warnings=tuple(warnings))
