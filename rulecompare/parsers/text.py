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
   before the next chapter, article numbers only move forward (or start again
   at 1 under a new chapter), and a heading with no text whose number comes
   again later is a table-of-contents entry.  Annexes and protocols may number
   articles of their own, from 1 or from where an amended agreement stood
   ("ARTICLE 8.57"); an amending instrument's references to another
   agreement's annexes ("Annex 9-A" without a chapter 9) are not annexes.

Text that lost its line breaks (one line of a megabyte, lower-cased) is cut at
inline "Article N" headings that run in sequence first; each new numbering
run is an agreement of its own (the Marrakesh texts) and becomes a chapter.

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
        if _looks_mac_roman(data):
            text = data.decode("mac_roman")
        else:
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


_MAC_PUNCT = frozenset(range(0xD0, 0xD6))
"""Dashes and curly quotes in Mac Roman; "ÐÑÒÓÔÕ" in Latin-1."""
_WIN_PUNCT = frozenset(range(0x91, 0x98))
"""Curly quotes and dashes in cp1252."""


def _looks_mac_roman(data: bytes) -> bool:
    """Text saved by a Mac (the UK treaty series files with CR line ends) writes quotes as Ò Ó Õ in Latin-1.

    Its dash and quote bytes are capital letters in Latin-1, which a
    Latin-1 text would only use beside lower-case accented letters (0xE0 and up).
    """
    counts = Counter(b for b in data if b >= 0x80)
    mac = sum(counts[b] for b in _MAC_PUNCT)
    win = sum(counts[b] for b in _WIN_PUNCT)
    latin_lower = sum(n for b, n in counts.items() if b >= 0xE0)
    return mac >= 3 and win == 0 and latin_lower == 0


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
    """ "Three", "TWENTY-ONE", "Twenty One" -> int; None for anything else."""
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


_GLUED_CHAPTER = re.compile(
    r"^(?P<before>.*\S)\s*(?P<head>(?:CHAPTER|CAP[ÍI]TULO)\s+(?:\d{1,3}|[IVXLC]{1,7}))$"
)


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
    # "ARTICLE2": OCR'd text loses the space between an upper-case keyword and its number.
    r"^\s*(?P<kw>ARTICLE|Article|ART[ÍI]CULO|Art[íi]culo|Art\.)(?:\s+|(?<=ARTICLE)(?=\d))"
    r"(?P<num>\d{1,4}(?:\.\d{1,3}){0,2}(?:-?[A-Z]{1,2}\b|\s?bis\b|\s?ter\b)?|[IVXLC]{1,7}\b(?:\s?bis\b)?)"
    r"(?:" + _SEP + r"(?P<rest>.*))?$"
)
_ANNEX = re.compile(
    r"^\s*(?P<kw>ANNEX|Annex|ANEXO|Anexo|APPENDIX|Appendix|AP[ÉE]NDICE|Ap[ée]ndice|PROTOCOL|Protocol|PROTOCOLO|Protocolo)"
    r"(?:\s+(?P<num>[0-9IVXLC]{1,5}(?:[-.][A-Z0-9]{1,3})?[A-Z]?|[A-Z]))?\b"
    r"(?:" + _SEP + r"(?P<rest>.*))?$"
)
_SECTION = re.compile(
    r"^\s*(?:SECTION|Section|SUB-SECTION|Sub-Section|Sub-section|SECCI[ÓO]N|Secci[óo]n)\s+"
    r"(?:[A-Z]|\d{1,2}|[IVX]{1,4})\b(?:\s*[:.\-–—]\s*)?(?P<rest>.*)$"
)
_PREAMBLE = re.compile(r"^\s*(?:PREAMBLE|Preamble|PRE[ÁA]MBULO|Pre[áa]mbulo)\s*$")
_CONCLUSION = re.compile(
    r"^\s*(?:IN WITNESS WHEREOF|In witness whereof|EN FE DE LO CUAL|EN TESTIMONIO DE LO CUAL)"
)
_PARA_LABEL = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\([a-z]{1,3}\)|[a-z]\))\s")
_CONNECTORS = {
    "of", "and", "the", "to", "for", "on", "in", "or", "with", "between", "its", "a", "an",
    "de", "y", "la", "del", "el", "en",
}  # fmt: skip
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
    """Text after the heading on the same line when it is body text.

    Spanish headings often run on: "Artículo 3.- Las Partes ..."."""
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
    if _title_like(first) or _sentence_title(lines, j):
        return _continue_title(lines, first, j + 1)
    return None, i


def _sentence_title(lines: list[str], j: int) -> bool:
    """Is line j a title in sentence case ("Definitions and interpretation")?

    Such a line is short, has no closing punctuation and stands alone: a blank
    line or a numbered paragraph follows it (after at most one wrapped
    lower-case line), where the first line of an article's text runs on.
    """
    first = lines[j].strip()
    if len(first) > 90 or len(first.split()) > 12 or not first[0].isupper() or first[-1] in ".;:,":
        return False
    if _PARA_LABEL.match(first) or _heading_line(first):
        return False

    def stands_alone(k: int) -> bool:
        return k >= len(lines) or not lines[k].strip() or bool(_PARA_LABEL.match(lines[k]))

    if stands_alone(j + 1):
        return True
    nxt = lines[j + 1].strip()
    if nxt[0].islower():
        return len(nxt) <= 60 and nxt[-1] not in ".;:," and stands_alone(j + 2)
    # A new sentence follows ("References to the euro" / "Notwithstanding Article 2, ...");
    # a text's first line would read on in lower case or say what someone "shall" do.
    words = first.lower().split()
    return len(words) <= 8 and words[-1] not in _CONNECTORS and not {"shall", "may", "must"} & set(words)


def _continue_title(lines: list[str], title: str, k: int) -> tuple[str, int]:
    """A title wrapped onto the next line (PDF text).

    Joined when it ends in a connector or a blank line follows."""
    if k >= len(lines):
        return title, k
    nxt = lines[k].strip()
    if not nxt or _heading_line(nxt) or _PARA_LABEL.match(nxt) or len(nxt) > 90:
        return title, k
    last = title.split()[-1].lower() if title.split() else ""
    blank_after = k + 1 >= len(lines) or not lines[k + 1].strip()
    wrapped = (
        last in _CONNECTORS or len(title) > 40 and (blank_after or len(nxt) <= 60 and _cap_ratio(nxt) >= 0.75)
    )
    if (
        wrapped
        and (nxt[0].isupper() or last in _CONNECTORS)
        and nxt[-1] not in ".;:,"
        and _cap_ratio(nxt) >= 0.5
    ):
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
        if not s or _mid_sentence(lines, i):
            i += 1
            continue
        if len(s) > 1200:
            c = _run_on_annex(ln, i)
            if c is not None:
                cands.append(c)
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
        c = _annex_cand(lines, i, m) if m and len(s) <= 300 else _run_on_annex(ln, i)
        if c is not None:
            cands.append(c)
            i = c.end
            continue
        i += 1
    return cands


def _article_cand(lines: list[str], i: int, m: re.Match[str]) -> _Cand | None:
    num = m.group("num").replace(" ", "")
    if m.group("sep") == "." and (m.group("rest") or "")[:1].isdigit():
        return None  # "Art. 22.1, ...": a paragraph reference
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


_ANNEX_OF = re.compile(r"^to\s+(?:PROTOCOL|Protocol|CHAPTER|Chapter|ANNEX|Annex)\s+\w+(?!.*[.;,]$)")


def _annex_cand(lines: list[str], i: int, m: re.Match[str]) -> _Cand | None:
    rest = (m.group("rest") or "").strip()
    num = m.group("num") or ""
    if num and _ANNEX_OF.match(rest):
        # "ANNEX I to Protocol 1 INTRODUCTORY NOTES": an annex to a protocol or chapter.
        return _Cand("annex", i, i + 1, f"{m.group('kw')} {num}", num, _clean_title(rest))
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
        if not num and title is None and not _bare_annex(lines, i, m.group("kw")):
            return None
    label = f"{m.group('kw')} {num}".strip()
    return _Cand("annex", i, end, label, num, _clean_title(title) if title else None)


_RUN_ON_ANNEX = re.compile(
    r"^\s*(?P<kw>ANNEX|Annex|ANEXO|Anexo|APPENDIX|Appendix)\s+(?P<num>[A-Z0-9]{1,3})\s{2,}(?P<rest>\S.*)$"
)


def _run_on_annex(line: str, i: int) -> _Cand | None:
    """An annex heading with its text run onto its line ("Annex A  Part A – General modifications  1. ...").

    Two spaces after the number are what is left of the line break; a
    cross-reference ("Annex A to this Agreement") has one.
    """
    if len(line) <= 300:
        return None
    m = _RUN_ON_ANNEX.match(line)
    if m is None:
        return None
    rest = m.group("rest")
    head, _, body = rest.partition("  ")
    title: str | None = head.strip()
    if not title or len(title) > 100 or not _title_like(title, strict=False):
        title, body = None, rest
    num = m.group("num")
    return _Cand(
        "annex", i, i + 1, f"{m.group('kw')} {num}", num, _clean_title(title) if title else None, body.strip()
    )


def _bare_annex(lines: list[str], i: int, kw: str) -> bool:
    """A bare "ANNEX" line is a heading when a title follows, or, in capitals, when the annex's text does."""
    j = _next_nonblank(lines, i + 1)
    return kw.isupper() and j is not None and len(lines[j].strip()) >= 60 and not _heading_line(lines[j])


# ---------------------------------------------------------------- sequence check


def _measure(cands: list[_Cand], lines: list[str]) -> None:
    for k, c in enumerate(cands):
        stop = cands[k + 1].line if k + 1 < len(cands) else len(lines)
        c.size = len(c.body) + sum(len(lines[j].strip()) for j in range(c.end, stop))


def _drop_toc(cands: list[_Cand]) -> list[_Cand]:
    """Headings with no text whose number comes again later are table-of-contents entries."""
    later: Counter[tuple[str, str]] = Counter(
        (c.kind, c.number.upper()) for c in cands if c.kind != "section"
    )
    kept: list[_Cand] = []
    for c in cands:
        key = (c.kind, c.number.upper())
        if c.kind != "section":
            later[key] -= 1
            if later[key] > 0 and c.size < 40:
                continue
        kept.append(c)
    return kept


def _main_style(cands: list[_Cand]) -> bool:
    """Are the main text's articles numbered within their chapters ("1.1")?

    Decided on the articles before the first annex: an amending instrument
    ("ARTICLE 1 ... ARTICLE 6") can carry annexes whose articles are numbered
    in the agreement it amends ("ARTICLE 8.57"), and those may be the majority.
    """
    articles = [c for c in cands if c.kind == "article"]
    first_annex = next(
        (c.line for c in cands if c.kind == "annex" and any(a.line < c.line for a in articles)), None
    )
    lead = [a for a in articles if first_annex is None or a.line < first_annex]
    sample = lead if len(lead) >= 3 else articles
    return sum(c.dotted for c in sample) > len(sample) / 2


def _next_article(cands: list[_Cand], k: int) -> _Cand | None:
    return next((d for d in cands[k + 1 :] if d.kind == "article"), None)


def _restarts(c: _Cand, nxt: _Cand | None) -> bool:
    """Does a chapter's first article start the numbering again ("CHAPTER 2 / Article 1")?

    Only when the next article goes on from it: a cross-reference that
    happens to open a line has no successor.
    """
    assert c.seq is not None
    if c.dotted or c.suffix or c.seq > 3 or nxt is None or nxt.dotted or nxt.seq is None:
        return False
    return nxt.seq in (c.seq + 1, c.seq + 2) or nxt.seq == c.seq and bool(nxt.suffix)


def _continues_annex(c: _Cand, last: tuple[int, int] | None, nxt: _Cand | None) -> bool:
    """An article inside an annex or protocol: numbered from 1, or from where an amended text stood."""
    assert c.seq is not None
    chap = c.chap or 0
    if last is None:
        if c.seq == 1 and not c.suffix:
            return True
        # "ARTICLE 131" or "ARTICLE 8.57" opening an annex that replaces part of another agreement.
        return (
            nxt is not None
            and nxt.seq is not None
            and (nxt.chap or 0) == chap
            and (nxt.seq == c.seq + 1 or nxt.seq == c.seq and bool(nxt.suffix))
        )
    if chap != last[0]:
        return False
    return c.seq == last[1] + 1 or c.seq == last[1] and bool(c.suffix)


_CHAPTER_ANNEX = re.compile(r"^(\d{1,3})-")
_ANNEX_FAMILY = {"ANEXO": "ANNEX", "APÉNDICE": "APPENDIX", "APENDICE": "APPENDIX", "PROTOCOLO": "PROTOCOL"}


def _annex_in_sequence(c: _Cand, seen: dict[str, tuple[str, int]]) -> bool:
    """Do the annexes of an agreement without chapters run in order (A, B ...; I, II ...; 1, 2 ...)?

    An amending instrument lists changes to another agreement's annexes under
    their names ("Annex 2", "ANNEX II", "Annex 2B" inside its own Annex A);
    those break the sequence of its own annexes.  ``seen`` holds the style and
    last value per keyword (annex, appendix, protocol) and is updated.
    """
    if not c.number:
        return True
    kw = c.label.split()[0].upper()
    family = _ANNEX_FAMILY.get(kw, kw)
    options: list[tuple[str, int]] = []
    if c.number.isdigit():
        options.append(("number", int(c.number)))
    roman = _roman(c.number)
    if roman is not None and (len(c.number) > 1 or c.number in "IVX"):
        options.append(("roman", roman))
    if len(c.number) == 1 and c.number.isalpha():
        options.append(("letter", ord(c.number) - ord("A") + 1))
    if family not in seen:
        if options:
            seen[family] = options[0]
        return True
    style, last = seen[family]
    for opt_style, value in options:
        if opt_style == style and last < value <= last + 5:
            seen[family] = (style, value)
            return True
    return False


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Keep the headings whose numbers run in sequence (see module docstring)."""
    dotted_style = _main_style(cands)
    out: list[_Cand] = []
    cur_chap: int | None = None
    last_chap: int | None = None
    last_art: tuple[int, int] | None = None
    """(chapter part, seq) of the last main-text article."""
    chapters: set[int] = set()
    """Chapters of this agreement, by heading or by dotted article number."""
    restart_ok = False
    """A chapter heading was just accepted: its articles may be numbered from 1 again."""
    in_annex = False
    annex_last: tuple[int, int] | None = None
    annex_seq: dict[str, tuple[str, int]] = {}
    main_numbers: set[tuple[int | None, int | None, str]] = set()
    """Dotted numbers of the main text's articles, which an annex can only cite."""
    seen_article = False
    for k, c in enumerate(cands):
        if c.kind == "chapter":
            assert c.chap is not None
            if in_annex and last_chap is None:
                # The main text has no chapters: these divide an annex ("ANEXO VI / CAPÍTULO I").
                c.kind = "section"
                out.append(c)
                continue
            if last_chap is not None and not (last_chap < c.chap <= last_chap + 3):
                continue
            nxt = next((d for d in cands[k + 1 :] if d.kind in ("article", "chapter")), None)
            if nxt is None or nxt.kind != "article":
                continue
            if dotted_style and nxt.dotted and nxt.chap != c.chap:
                continue
            out.append(c)
            cur_chap = last_chap = c.chap
            chapters.add(c.chap)
            in_annex = False
            restart_ok = not dotted_style
            if dotted_style:
                last_art = (c.chap, 0)
        elif c.kind == "article":
            assert c.seq is not None
            nxt = _next_article(cands, k)
            # An annex numbering its own articles keeps them, even where the main text's numbers would go on.
            annex_goes_on = in_annex and annex_last is not None and _continues_annex(c, annex_last, nxt)
            main = _continues_main(c, last_art, dotted_style, cur_chap) or restart_ok and _restarts(c, nxt)
            if main and not annex_goes_on:
                if c.dotted and c.chap != cur_chap:
                    cur_chap = c.chap
                if c.dotted and c.chap is not None:
                    chapters.add(c.chap)
                out.append(c)
                last_art = (c.chap or 0, c.seq)
                if c.dotted:
                    main_numbers.add((c.chap, c.seq, c.suffix))
                in_annex = restart_ok = False
                seen_article = True
            elif (c.chap, c.seq, c.suffix) in main_numbers:
                # A table in an annex listing the main text's articles ("Article 4.11 Release of Goods").
                continue
            elif in_annex and (annex_goes_on or _continues_annex(c, annex_last, nxt)):
                c.in_annex = True
                out.append(c)
                annex_last = (c.chap or 0, c.seq)
        elif c.kind == "annex":
            m = _CHAPTER_ANNEX.match(c.number)
            if m and int(m.group(1)) not in chapters:
                # "Annex 9-A" of an agreement without a chapter 9: a reference to another
                # agreement's annex (an amending instrument listing its changes).
                continue
            if seen_article and not chapters and not _annex_in_sequence(c, annex_seq):
                continue
            if seen_article:
                out.append(c)
                in_annex = True
                annex_last = None
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


# ---------------------------------------------------------------- flattened text
#
# Some texts lost every line break (a database field, a web page scraped to
# one line): "... HAVE AGREED as follows : ARTICLE 1. Incorporation of the ...".
# Their headings are still there, inline.  We cut the text at the inline
# headings whose numbers run in sequence and hand the pieces to the same
# record building as line-based text.

# A capitalised keyword may follow a lower-case letter: page breaks glue words ("contracting parArticle VII").
_FLAT_HEAD = re.compile(
    r"(?<![A-Z0-9_-])(?P<kw>ARTICLE|Article|article)[ \t]*(?P<num>\d{1,3}|[IVXLC]{1,7}|[ivxlc]{1,7})"
)
_FLAT_XREF_BEFORE = re.compile(
    r"\b(?:of|under|in|to|and|or|with|by|see|pursuant|that|its|per|from|than|also)[ \t(]*$", re.IGNORECASE
)
_FLAT_XREF_AFTER = re.compile(
    r"^(?:\s*[:,;()\[\]]|\.\d|-\d|\s+(?:of|and|or|to|in|shall|is|are|above|below|through|as|which|applies|"
    r"provides|for|bis\s+of|\d)\b)",
    re.IGNORECASE,
)
_FLAT_SUFFIX = re.compile(r"^\s?(?P<suffix>bis|ter)\b", re.IGNORECASE)
_SENTENCE_START = {
    "The", "This", "These", "Each", "Any", "A", "An", "Upon", "Further", "For", "In", "If", "Nothing",
    "Where", "Whenever", "Unless", "Notwithstanding", "After", "Subject", "With", "When", "Without", "All",
    "No", "Except", "Such", "It", "There", "Pending", "Following", "Save",
}  # fmt: skip
_GLUED_START = ("the", "this", "each", "members", "nothing", "where")
_SUB_AGREEMENT = re.compile(
    r"(?:(?:(?<=[.;:\])\]])|^)\s*(?:annex\s*\w{1,2}\s*|appendix\s*)?|(?:annex\s*\w{1,2}|appendix)\s*)"
    r"(?P<title>(?:the\s+)?(?:marrakesh\s+|general\s+|multilateral\s+|plurilateral\s+)?"
    r"(?:agreement|understanding|protocol|decision|declaration|arrangement)\s+"
    r"(?:on|establishing|relating|regarding|for|of|between|to)\b)",
    re.IGNORECASE,
)
_GLUED_AGREEMENT = re.compile(
    r"(?P<title>(?:agreement|understanding)\s+on\s+[^.;:]{3,120}?)(?=members\b|members,)", re.IGNORECASE
)
"""A title glued to the text around it ("... cartridgesagreement on technical barriers to trademembers,")."""
_SUB_AGREEMENT_END = re.compile(
    r"members\b|members,|the parties|hereby|having|recognizing|recognising|desiring|noting|considering|"
    r"general introductory|table of contents|part i\b|(?-i:ARTICLE)|\(hereinafter",
    re.IGNORECASE,
)


@dataclass
class _FlatHead:
    """An inline heading candidate in flat text, with the readings of its number."""

    start: int
    kw: str
    options: list[tuple[int, int]]
    """(value, characters of the number used): "iiscope" reads as ii; "391" as 39 (+ paragraph 1)."""
    num_start: int
    suffix: str = ""


def _is_flat(text: str) -> bool:
    """Has the text lost its line breaks (most of it on lines of more than 1,000 characters)?"""
    if len(text) < 3000:
        return False
    lines = text.split("\n")
    long_chars = sum(len(ln) for ln in lines if len(ln) > 1000)
    return long_chars > 0.5 * len(text) and len(lines) < len(text) / 400


def _flat_heads(text: str, kw: str) -> list[_FlatHead]:
    """Inline "Article N" candidates with keyword ``kw`` that are not cross-references."""
    out: list[_FlatHead] = []
    for m in _FLAT_HEAD.finditer(text):
        if m.group("kw") != kw or kw == "article" and text[m.start() - 1 : m.start()].isalpha():
            continue
        num, ns = m.group("num"), m.start("num")
        before = text[max(0, m.start() - 30) : m.start()]
        after = text[m.end() : m.end() + 20]
        if _FLAT_XREF_BEFORE.search(before) or _FLAT_XREF_AFTER.match(after):
            continue
        options: list[tuple[int, int]] = []
        for k in range(len(num), 0, -1):
            value = int(num[:k]) if num.isdigit() else _roman(num[:k].upper())
            if value is None:
                continue
            nxt = text[ns + k : ns + k + 1]
            # A number glued to what follows ("ARTICLE iiscope", "ARTICLE 3determination") is a
            # heading only in the upper-case keyword style of such texts.
            if nxt.isalnum() and not (kw == "ARTICLE" and (nxt.islower() or nxt.isdigit())):
                continue
            options.append((value, k))
        if not options:
            continue
        after_num = text[m.end() : m.end() + 5]
        sm = _FLAT_SUFFIX.match(after_num)
        suffix = sm.group("suffix") if sm else ""
        if not suffix and kw == "ARTICLE" and after_num.startswith(" bis"):
            suffix = "bis"  # "ARTICLE xxviii bistariff negotiations"
        out.append(_FlatHead(m.start(), kw, options, ns, suffix))
    return out


def _flat_restart(heads: list[_FlatHead], i: int, last: int | None) -> bool:
    """Does an "Article 1" start a new numbering?  Yes when articles 2 and 3 precede the old one going on."""
    want = 2
    for h in heads[i + 1 : i + 60]:
        values = {v for v, _ in h.options}
        if want in values:
            if want == 3:
                return True
            want = 3
        elif last is not None and last + 1 in values:
            return False
    return False


def _flat_walk(heads: list[_FlatHead]) -> list[tuple[_FlatHead, int, int]]:
    """The candidates whose numbers run 1, 2, 3 ... (a new run may start at 1): (head, value, digits used)."""
    accepted: list[tuple[_FlatHead, int, int]] = []
    last: int | None = None
    for i, h in enumerate(heads):
        choice = None
        if last is not None:
            full = h.options[0]
            if full[0] in (last + 1, last + 2):
                # The whole number goes on (a lost heading may leave a gap of one): "xii" is
                # article 12 after article 10, not article 11 glued to an "i".
                choice = full
            else:
                choice = next(((v, k) for v, k in h.options if v == last + 1), None)
            if choice is None and h.suffix:
                choice = next(((v, k) for v, k in h.options if v == last), None)
        if choice is None:
            choice = next(((v, k) for v, k in h.options if v == 1), None)
            if choice is not None and not _flat_restart(heads, i, last):
                choice = None
        if choice is not None:
            accepted.append((h, *choice))
            last = choice[0]
    return accepted


def _flat_runs(
    accepted: list[tuple[_FlatHead, int, int]], size: int
) -> list[list[tuple[_FlatHead, int, int]]]:
    """Split into numbering runs; a run whose articles are a line each is a table of contents: dropped."""
    runs: list[list[tuple[_FlatHead, int, int]]] = []
    for a in accepted:
        if not runs or a[1] == 1 and not a[0].suffix:
            runs.append([])
        runs[-1].append(a)
    kept = []
    for k, run in enumerate(runs):
        end = runs[k + 1][0][0].start if k + 1 < len(runs) else size
        starts = [a[0].start for a in run] + [end]
        gaps = sorted(b - a for a, b in zip(starts, starts[1:], strict=False))
        if gaps and gaps[len(gaps) // 2] >= 150:
            kept.append(run)
    if len(kept) > 1:
        # A lone "Article 1" between numbered agreements is a reference that opened a sentence.
        kept = [run for run in kept if len(run) >= 2]
    return kept


def _flat_title(rest: str) -> tuple[str | None, int]:
    """An inline heading's title and where its text starts, in ``rest`` (the text after the number)."""
    lead = len(rest) - len(rest.lstrip(" .:-–—*\t"))
    body = rest[lead:]
    if body[:1].islower():
        return _glued_title(body, lead)
    end = 0
    tokens = list(re.finditer(r"\S+", body[:400]))
    for t, w in enumerate(tokens[:20]):
        tok = w.group()
        if (
            re.match(r"^\(?\d", tok)
            or end
            and (tok in _SENTENCE_START or tok in ("Section", "SECTION", "Part", "PART"))
        ):
            break
        if tok[0].islower() and tok not in _CONNECTORS:
            # "Special Provisions relating to Cinematograph Films": lower-case words inside a title
            # are followed by a capitalised word, not by the text's sentence.
            ahead = [x.group() for x in tokens[t + 1 : t + 3]]
            if not any(a[:1].isupper() and a not in _SENTENCE_START for a in ahead):
                break
        end = w.end()
        if tok.endswith("."):
            break
    title = body[:end].strip().rstrip(".").strip()
    while title and title.split()[-1].lower() in _CONNECTORS:
        title = title.rsplit(" ", 1)[0] if " " in title else ""
    if not title:
        return None, lead
    return _clean_title(title), lead + end


def _glued_title(body: str, lead: int) -> tuple[str | None, int]:
    """A lower-cased title glued to its text ("scope of the wto1. the wto", "coveragethis agreement")."""
    m = re.search(r"(?<=[a-z)\]])\d{1,2}(?:\.\d{1,2})?\.?\s", body[:160])
    if m and len(body[: m.start()].split()) <= 15:
        return _clean_title(body[: m.start()]), lead + m.start()
    pos = 0
    for w in re.finditer(r"\S+", body[:160]):
        tok = w.group()
        for start in _GLUED_START:
            if tok.endswith(start) and len(tok) - len(start) >= 4 and tok[-len(start) - 1].isalpha():
                cut = w.start() + len(tok) - len(start)
                return _clean_title(body[:cut]), lead + cut
        pos += 1
        if pos >= 12:
            break
    return None, lead


def _flat_units(text: str) -> tuple[list[str], list[_Cand]] | None:
    """Cut flat text at its inline headings: (lines, accepted headings), or None when none run in sequence."""
    best: list[list[tuple[_FlatHead, int, int]]] = []
    for kw in ("ARTICLE", "Article", "article"):
        runs = _flat_runs(_flat_walk(_flat_heads(text, kw)), len(text))
        if sum(map(len, runs)) > sum(map(len, best)):
            best = runs
    if sum(map(len, best)) < 2:
        return None
    lines: list[str] = []
    cands: list[_Cand] = []
    pos = 0

    def emit(piece: str) -> None:
        piece = re.sub(r"\s*\b(?=IN WITNESS WHEREOF|In witness whereof)", "\n", piece)
        if not cands:
            # The front matter: a "Preamble" heading, else sentences, become lines, so that
            # the title block and the preamble can be told apart.
            piece, n = re.subn(r"\s+(PREAMBLE|Preamble)\s+", r"\n\1\n", piece, count=1)
            if not n:
                piece = re.sub(r"(?<=[.;:])[ \t]*(?=\S)", "\n", piece)
        lines.extend(piece.split("\n"))

    prev_end = 0
    for r, run in enumerate(best):
        first = run[0][0]
        if len(best) > 1:
            # Each numbering run is an agreement of its own (the WTO Agreement, GATT 1994, SPS ...):
            # a chapter named by the title that opens it, when one is found.
            window_start = max(prev_end, first.start - 8000)
            # The last title before the run: earlier ones belong to the text before it.
            found = list(_SUB_AGREEMENT.finditer(text, window_start, first.start))
            found = found or list(_GLUED_AGREEMENT.finditer(text, window_start, first.start))
            m = found[-1] if found else None
            if m is not None:
                tail = text[m.start("title") : m.start("title") + 250]
                e = _SUB_AGREEMENT_END.search(tail, 10)
                title_end = m.start("title") + (e.start() if e else min(len(tail), 200))
                emit(text[pos : m.start("title")])
                cands.append(
                    _Cand(
                        "chapter",
                        len(lines),
                        len(lines) + 1,
                        "",
                        "",
                        _clean_title(text[m.start("title") : title_end]),
                    )
                )
                cands[-1].chap = r + 1
                lines.append(text[m.start("title") : title_end])
                pos = title_end
            else:
                emit(text[pos : first.start])
                pos = first.start
                cands.append(_Cand("chapter", len(lines), len(lines), "", "", None))
                cands[-1].chap = r + 1
        for h, value, digits in run:
            emit(text[pos : h.start])
            num = text[h.num_start : h.num_start + digits]
            after = h.num_start + digits
            if h.suffix:
                after = text.index(h.suffix, after) + len(h.suffix)
            title, body_at = _flat_title(text[after : after + 500])
            number = f"{num}{' ' + h.suffix if h.suffix else ''}"
            c = _Cand("article", len(lines), len(lines) + 1, f"{h.kw} {number}", number, title)
            c.seq, c.suffix = value, h.suffix
            cands.append(c)
            lines.append(text[h.start : after + body_at].strip())
            pos = after + body_at
        prev_end = run[-1][0].start
    emit(text[pos:])
    return lines, cands


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
            ch_number, ch_title, ch_value = h.label or None, h.title, h.chap
            annex = h.kind == "annex"
            if annex:
                annex_count += 1
                annex_key = f"annex-{slugify(h.number) if h.number else annex_count}"
                units.append(
                    _Unit(chapter_index, ch_number, ch_title, None, None, annex_key, body, annex=True)
                )
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
    """No article headings: one chapter, one clause per paragraph.

    Paragraphs are blank-line blocks, else sentence-ended lines."""
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
_JUNK_LINE = re.compile(
    r"^(royal crest|ogl_logo|maintext:|\[.*\]|©.*|� .*|.*no\.\s?\d+ \(\d{4}\))$", re.IGNORECASE
)


def _guess_title(lines: list[str]) -> tuple[str | None, int]:
    """The agreement's name from its first lines.

    Taken from the block that says "Agreement" or the like, and the line after it."""
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
            if (
                _JUNK_LINE.match(t)
                or _PREAMBLE.match(t)
                or _heading_line(t)
                or re.search(r"contents", t, re.I)
            ):
                break
            if upper and not _is_upper_line(t):
                break
            if not upper and not (
                t[:1].islower() or t.split()[0] in ("between", "Between", "on", "for", "and")
            ):
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
    """ "en" or "es" by stop words in the first 20,000 characters; None when neither is clear."""
    words = re.findall(r"[a-záéíóúñ]+", text[:20000].lower())
    en = sum(w in _EN for w in words)
    es = sum(w in _ES for w in words)
    if max(en, es) < 10:
        return None
    return "en" if en >= es else "es"


# ---------------------------------------------------------------- entry points


def _read(path_or_text: Path | str) -> tuple[str, Path | None]:
    if isinstance(path_or_text, Path) or (
        "\n" not in path_or_text and len(path_or_text) < 4096 and Path(path_or_text).is_file()
    ):
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
    """Read a treaty from a text file or from a text string.

    ``source`` is a ``Path``, a ``str`` naming an existing file, or the text itself.

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
        from ..taxonomy import classify_area

        classify = classify_area
    warnings: list[str] = []
    flat = _flat_units(_normalize_newlines(text)) if _is_flat(_normalize_newlines(text)) else None
    if flat is not None:
        lines, heads = flat
        warnings.append("the text has almost no line breaks; its structure was read from inline headings")
    else:
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
            "no article headings recognised; "
            f"the text is kept as one chapter of {len(units)} paragraph clauses"
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
