"""Footnotes that a page break left inside the text: found, taken out, and kept apart.

Text from a PDF, or from a scan, carries each page's footnotes at the foot of
the page, which is in the middle of whatever article runs on over the page
break ("... to prevent / 12 For greater certainty ... / 2-20 / or relieve a
critical shortage").  A footnote is a line that opens with its number and no
period ("12 For greater", not "12. Each Party") where

- a marker with that number, not yet taken by another footnote, is glued to
  a word shortly before ("foodstuffs13 to prevent", "Agreement;2") or stands
  on a line of its own ("9, 10": PDF text often sets superscripts apart),
  whatever the number (treaties number footnotes chapter by chapter, and a
  text may have lost some); or
- it sits at the foot of a page (only footnote lines follow it before the
  page ends) and its number is the next one, which finds a footnote whose
  marker OCR lost.

PDF text also puts a footnote's number on a line of its own, or at the end
of the footnote before, with the text on the next line after a space
("7" / " For greater certainty ..."); that is read as the footnote's number.

A footnote runs on over the lines after it until the page ends, a blank
line, the next footnote, a heading or a numbered paragraph; away from a page
break, also until a sentence ends.  Its lines are blanked in the text (line
numbers stay those of the text) and it is kept with its number, to be
attached to the clause that carries its marker (:mod:`.parse`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from .headings import PARA_LABEL, heading_line

MARKER = re.compile(r"(?:(?<=[a-zà-ÿ])|(?<=[a-zà-ÿ)][)”’\";,.:]))(\d{1,3})(?=[\s,.;:)]|$)")
"""A footnote number glued to the word before it ("subsidies13", "Agreement;2", "(a)”4")."""
_BODY = re.compile(r"^\s*(\d{1,3})\s+(?=[A-Z“\"‘'(\[])")
_WINDOW = 120
"""A marker is looked for this many lines back from its footnote (two pages of a treaty)."""
_MAX_LINES = 25
_FOOT = 12
"""Lines from a page's end within which a footnote may sit at its foot."""


@dataclass(frozen=True, slots=True)
class FoundNote:
    """A footnote taken out of the text."""

    label: str
    text: str
    line: int
    """The line its text started on."""
    marker_line: int | None
    """The line of its marker, when one was found."""


def glued_markers(lines: list[str]) -> dict[int, list[int]]:
    """For each footnote number, the lines on which a marker with that number is glued to a word."""
    out: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if not any(ch.isdigit() for ch in ln):
            continue
        for m in MARKER.finditer(ln):
            out.setdefault(int(m.group(1)), []).append(i)
    return out


_BARE = re.compile(r"^\s*(\d{1,3}(?:\s*,\s*\d{1,3})*)\s*$")
"""A line of numbers alone: a page number, or superscripts a PDF put on a line of their own ("9, 10")."""
_SPLIT_START = re.compile(r"^ [A-Z“\"‘(]")
"""A footnote's text whose number the PDF put on the line before it, ending with a space."""
_TRAILING_LABEL = re.compile(r"(?<=[.;:)”’\"])\s+(\d{1,3})\s*$")


def take_footnotes(lines: list[str], page_ends: list[int], raw: list[str] | None = None) -> list[FoundNote]:
    """Find the footnotes in ``lines``, blank their lines, and return them in order.

    ``raw`` (the lines before cleaning, same numbering) shows footnote numbers a PDF put on
    a line of their own, which cleaning took for page numbers: "12" over " For greater ...".
    """
    raw = raw if raw is not None else lines
    markers = _markers(lines, raw)
    notes: list[FoundNote] = []
    used: set[tuple[int, int]] = set()
    last = 0
    i = 0
    while i < len(lines):
        start = _note_start(lines, raw, i)
        if start is None:
            i += 1
            continue
        n, label_line, body_from = start
        marker = _marker_before(markers, n, label_line, used)
        page_end = _page_end(page_ends, i)
        at_foot = page_end is not None and page_end - i <= _FOOT
        # A marker glued before it makes a footnote of any number (treaties number them per chapter, and
        # a text may have lost some); without one, only the next number at the foot of a page.
        if not (marker is not None or at_foot and n == last + 1 and last > 0):
            i += 1
            continue
        taken = used | {(n, marker)} if marker is not None else used
        end = _note_end(lines, raw, i, n, page_end, markers, taken)
        if marker is None and not _ends_page(lines, end, page_end):
            i += 1
            continue
        if label_line != i and not raw[label_line].strip().isdigit():
            _drop_trailing_label(notes, label_line)
        notes.append(FoundNote(str(n), _body_text(lines[body_from:end]), i, marker))
        if marker is not None:
            used.add((n, marker))
        for j in range(label_line, end):
            lines[j] = ""
        last = n
        i = end
    return notes


def _markers(lines: list[str], raw: list[str]) -> dict[int, list[int]]:
    """For each footnote number, the lines (in order) of its markers: glued to a word, or on a line alone."""
    markers = glued_markers(lines)
    for k, ln in enumerate(raw):
        bare = _BARE.match(ln) if ln[:4].strip()[:1].isdigit() else None
        if bare:
            for number in re.findall(r"\d+", bare.group(1)):
                markers.setdefault(int(number), []).append(k)
    for where in markers.values():
        where.sort()
    return markers


def _drop_trailing_label(notes: list[FoundNote], label_line: int) -> None:
    """ "... in Malaysia. 5": the number that ended the footnote before belongs to the next one."""
    if notes and notes[-1].line < label_line:
        notes[-1] = replace(notes[-1], text=_TRAILING_LABEL.sub("", notes[-1].text))


def _note_start(lines: list[str], raw: list[str], i: int) -> tuple[int, int, int] | None:
    """(number, line of the number, first line of the text) of a footnote starting at line ``i``, or None."""
    m = _BODY.match(lines[i]) if lines[i][:6].lstrip()[:1].isdigit() else None
    if m is not None:
        return int(m.group(1)), i, i
    if i == 0 or not _SPLIT_START.match(raw[i]):
        return None
    bare = _BARE.match(raw[i - 1])
    if bare and "," not in bare.group(1):
        return int(bare.group(1)), i - 1, i
    trailing = _TRAILING_LABEL.search(raw[i - 1])
    if trailing:
        return int(trailing.group(1)), i, i
    return None


def _ends_page(lines: list[str], end: int, page_end: int | None) -> bool:
    """Is there nothing but blank lines from ``end`` to the end of the page?"""
    return page_end is not None and all(not lines[j].strip() for j in range(end, page_end))


def _body_text(block: list[str]) -> str:
    """A footnote's text: its lines joined, without its number."""
    text = " ".join(s.strip() for s in block if s.strip())
    return re.sub(r"^\d{1,3}\s+", "", text)


def _marker_before(markers: dict[int, list[int]], n: int, i: int, used: set[tuple[int, int]]) -> int | None:
    """The last line before line ``i`` (within the window) with a marker ``n`` no footnote took yet."""
    where = markers.get(n)
    if not where:
        return None
    k = bisect.bisect_left(where, i) - 1
    while k >= 0 and (n, where[k]) in used:
        k -= 1
    return where[k] if k >= 0 and i - where[k] <= _WINDOW else None


def _heading(s: str) -> bool:
    """Does ``s`` open with a heading, and not a cross-reference ("Article 69 of Korea's Customs Act")?"""
    return heading_line(s) and not re.match(r"^\S+\s+\S+\s+[a-z(]", s)


def _page_end(page_ends: list[int], i: int) -> int | None:
    k = bisect.bisect_right(page_ends, i)
    return page_ends[k] if k < len(page_ends) else None


def _note_end(
    lines: list[str],
    raw: list[str],
    i: int,
    n: int,
    page_end: int | None,
    markers: dict[int, list[int]],
    used: set[tuple[int, int]],
) -> int:
    """The line after footnote ``n`` that starts on line ``i``."""
    stop = min(len(lines), i + _MAX_LINES, page_end if page_end is not None else len(lines))
    near_break = page_end is not None and page_end - i <= _FOOT + 4
    j = i + 1
    while j < stop:
        s = lines[j].strip()
        if not s or _heading(s) or PARA_LABEL.match(lines[j]):
            break
        nxt = _note_start(lines, raw, j)
        if nxt and (nxt[0] == n + 1 or _marker_before(markers, nxt[0], nxt[1], used)):
            break  # the next footnote
        if not near_break and lines[j - 1].rstrip()[-1:] in ".;:" and s[:1].isupper():
            break
        j += 1
    return j
