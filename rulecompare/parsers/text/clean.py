"""Lines as people get them -> lines without the debris of extraction.

Page numbers, running headers and dot leaders of a table of contents become
blank lines (so that line numbers stay those of the text), words hyphenated
across a line end are joined, a chapter heading run onto the previous line
gets a line of its own, and footnote numbers glued to words are dropped.
"""

from __future__ import annotations

import re
from collections import Counter

from .headings import ARTICLE, CHAPTER, is_upper_line

_PAGE_LINE = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:\d{1,4}|[ivxlc]{1,6}|[IVXLC]{1,6}|\d{1,3}[A-Z]?\s?-\s?\d{1,4})(?:\s*[-–—])?\s*$"
)
_PAGE_OF = re.compile(r"\s*\b(?:Page|Página|Pagina)\s+\d{1,4}\s+(?:of|de)\s+\d{1,4}\b\s*", re.IGNORECASE)
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d*\s*$|…{2,}\s*\d*\s*$")
_HYPHEN_END = re.compile(r"[A-Za-zÀ-ÿ]-$")
_GLUED_NOTE = re.compile(r"(?<=[a-zà-ÿ\)”’\"])\d{1,3}(?=[\s,.;:)]|$)")


def normalize_newlines(text: str) -> str:
    """One line ending (\\n), no-break spaces as spaces, tabs as spaces, zero-width spaces dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ")
    return text


def clean_lines(text: str) -> list[str]:
    """Lines without page numbers, running headers and line-end hyphenation; line count preserved as ''."""
    lines = _unglue_headings([ln.rstrip() for ln in normalize_newlines(text).split("\n")])
    lines = [_PAGE_OF.sub(" ", ln).rstrip() if "age" in ln or "ágina" in ln else ln for ln in lines]
    head = {ln.strip() for ln in lines[:25] if ln.strip()}
    counts = Counter(ln.strip() for ln in lines)
    # A running header repeats a line of the title page (the agreement's name, "Pak-China FTA").
    running = {
        s for s, n in counts.items()
        if n >= 4 and s in head and len(s) > 3 and not CHAPTER.match(s) and not ARTICLE.match(s)
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
        if m and i + 1 < len(lines) and is_upper_line(lines[i + 1]):
            out.extend([m.group("before"), m.group("head")])
        else:
            out.append(ln)
    return out


def strip_note_markers(text: str) -> str:
    """Footnote numbers glued to words ("subsidies13 within") are dropped."""
    return _GLUED_NOTE.sub("", text)
