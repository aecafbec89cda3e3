"""Lines as people get them -> lines without the debris of extraction.

Page numbers, running headers and footers, and dot leaders of a table of
contents become blank lines (so that line numbers stay those of the text),
words hyphenated across a line end are joined, a chapter heading run onto the
previous line gets a line of its own, and footnote numbers glued to words are
dropped.  Where pages end is kept: it is where footnotes are.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable

from .headings import ARTICLE, CHAPTER, heading_line, is_upper_line

_PAGE_LINE = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:\d{1,4}|[ivxlc]{1,6}|[IVXLC]{1,6}|\d{1,3}[A-Z]?\s?-\s?\d{1,4})(?:\s*[-–—])?\s*$"
)
_PAGE_WORD = re.compile(r"^\s*(?:Page|PAGE|Página|Pagina)\s+\d{1,4}\s*$")
_PAGE_OF = re.compile(r"\s*\b(?:Page|Página|Pagina)\s+\d{1,4}\s+(?:of|de)\s+\d{1,4}\b\s*", re.IGNORECASE)
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d*\s*$|…{2,}\s*\d*\s*$")
_HYPHEN_END = re.compile(r"[A-Za-zÀ-ÿ]-$")
_GLUED_NOTE = re.compile(r"(?<=[a-zà-ÿ\)”’\"])\d{1,3}(?=[\s,.;:)]|$)")


def normalize_newlines(text: str) -> str:
    """One line ending (\\n), no-break spaces as spaces, tabs as spaces, zero-width spaces dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ")
    return text


def clean_pages(text: str) -> tuple[list[str], list[int], list[str]]:
    """Lines without page numbers, running headers and footers and line-end hyphenation (line count
    preserved as ''); where pages end (the index of each page's first line after the first page); and
    the lines before cleaning (a bare number there may be a footnote's number rather than a page's).

    Pages end at a form feed (pdftotext, Tesseract and our PDF reader mark them so), at a page
    number standing alone, and at a "Page N of M" line.  A line that opens or closes most pages
    the same way, up to its digits ("China-Korea FTA 12", "Chapter 3 - 4"), is a running header
    or footer and goes, as page numbers do.
    """
    raw = _unglue_headings([ln.rstrip() for ln in normalize_newlines(text).split("\n")])
    feeds = _form_feed_lines(text) if "\f" in text else set()
    lines = [_PAGE_OF.sub(" ", ln).rstrip() if "age" in ln or "ágina" in ln else ln for ln in raw]
    head = {ln.strip() for ln in lines[:25] if ln.strip()}
    counts = Counter(ln.strip() for ln in lines)
    # A running header repeats a line of the title page (the agreement's name, "Pak-China FTA").
    running = {
        s for s, n in counts.items()
        if n >= 4 and s in head and len(s) > 3 and not CHAPTER.match(s) and not ARTICLE.match(s)
    }  # fmt: skip
    seen_running: set[str] = set()
    out: list[str] = []
    breaks: set[int] = set(feeds)
    for i, ln in enumerate(lines):
        s = ln.strip()
        page_line = bool(_PAGE_LINE.match(ln) or _PAGE_WORD.match(ln))
        if page_line or _PAGE_OF.search(raw[i]):
            breaks.add(i + 1)
        if page_line or _DOT_LEADER.search(s) and len(s) < 200:
            out.append("")
            continue
        if s in running:
            if s in seen_running:
                out.append("")
                continue
            seen_running.add(s)
        out.append(ln)
    page_ends = sorted(b for b in breaks if 0 < b < len(out))
    _drop_page_furniture(out, page_ends)
    _join_hyphenated(out)
    return out, page_ends, raw


def _form_feed_lines(text: str) -> set[int]:
    """The line (as :func:`normalize_newlines` numbers them) that starts each page after a form feed."""
    out: set[int] = set()
    line = 0
    for m in re.finditer(r"\r\n|[\r\n\f]", text):
        line += 1
        if m.group() == "\f":
            out.add(line)
    return out


_FURNITURE_MAX = 100
"""A running header or footer is a short line."""


def _drop_page_furniture(lines: list[str], page_ends: list[int]) -> None:
    """Blank the lines that open or close at least three pages and a fifth of them alike (digits aside)."""
    if len(page_ends) < 2:
        return
    starts = [0, *page_ends]
    stops = [*page_ends, len(lines)]
    at_edge: dict[str, list[int]] = {}
    for start, stop in zip(starts, stops, strict=True):
        filled = [j for j in range(start, stop) if lines[j].strip()]
        seen: set[str] = set()
        for j in filled[:2] + filled[-2:]:
            s = lines[j].strip()
            # A heading's number is what tells it from the next one: only the same heading repeats.
            key = s if heading_line(s) else re.sub(r"\d+", "#", s)
            if len(s) <= _FURNITURE_MAX and key not in seen:
                seen.add(key)
                at_edge.setdefault(key, []).append(j)
    pages = len(starts)
    for key, where in at_edge.items():
        if len(where) < max(3, pages // 5) or not re.search(r"[^\W\d_]{2}", key):
            continue
        for j in where:
            # A heading that opens a page is kept the first time (a chapter starting on a new page).
            if j == where[0] and heading_line(lines[j]):
                continue
            lines[j] = ""


def _join_hyphenated(out: list[str]) -> None:
    """Join words hyphenated at a line end when the next line goes on in lower case."""
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


_GLUED_CHAPTER = re.compile(
    r"^(?P<before>.*\S)\s*(?P<head>(?:CHAPTER|CAP[ÍI]TULO)\s+(?:\d{1,3}|[IVXLC]{1,7}))$"
)


def _unglue_headings(lines: list[str]) -> list[str]:
    """A chapter heading run onto the end of the previous line ("... law. CHAPTER 2") gets its own line."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        m = _GLUED_CHAPTER.match(ln) if "CAP" in ln or "CHAPTER" in ln else None
        if m and i + 1 < len(lines) and is_upper_line(lines[i + 1]):
            out.extend([m.group("before"), m.group("head")])
        else:
            out.append(ln)
    return out


def strip_note_markers(text: str) -> tuple[str, Callable[[int], int]]:
    """``text`` without the footnote numbers glued to its words ("subsidies13 within"), and a map from
    an offset in ``text`` to the same place in the result (where a footnote's marker was)."""
    spans = [m.span() for m in _GLUED_NOTE.finditer(text)]
    if not spans:
        return text, lambda offset: offset
    ends = [end for _, end in spans]
    removed = list(itertools.accumulate(end - start for start, end in spans))

    def to_stripped(offset: int) -> int:
        k = bisect.bisect_right(ends, offset)
        return offset - (removed[k - 1] if k else 0)

    return _GLUED_NOTE.sub("", text), to_stripped
