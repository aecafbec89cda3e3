"""Candidate headings -> the headings of the treaty: those whose numbers run in sequence.

A treaty's headings are numbered in order; its cross-references, table of
contents and tariff schedules are not.  So a chapter must be followed by an
article of its own before the next chapter, article numbers only move
forward (or start again at 1 under a new chapter), and a heading with no
text whose number comes again later is a table-of-contents entry.  Annexes
and protocols may number articles of their own, from 1 or from where an
amended agreement stood ("ARTICLE 8.57"); an amending instrument's
references to another agreement's annexes ("Annex 9-A" without a chapter 9)
are not annexes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .candidates import Candidate
from .numbers import roman_value

_LOOKALIKE_DIGITS = str.maketrans(
    {"l": "1", "I": "1", "|": "1", "O": "0", "o": "0", "S": "5", "$": "5", " ": "."}
)


def measure(cands: list[Candidate], lines: list[str]) -> None:
    """Set each candidate's ``size``: the characters of text it heads, up to the next candidate.

    A chapter heads its sections too: "Chapter 17 / Section A / Article 17.1" is not an empty
    table-of-contents entry.
    """
    for k, c in enumerate(cands):
        nxt = k + 1
        while c.kind == "chapter" and nxt < len(cands) and cands[nxt].kind == "section":
            nxt += 1
        stop = cands[nxt].line if nxt < len(cands) else len(lines)
        c.size = len(c.body) + sum(len(lines[j].strip()) for j in range(c.end, stop))


def drop_toc(cands: list[Candidate]) -> list[Candidate]:
    """Headings with no text whose number comes again later are table-of-contents entries."""
    later: Counter[tuple[str, str]] = Counter(
        (c.kind, c.number.upper()) for c in cands if c.kind != "section"
    )
    kept: list[Candidate] = []
    for c in cands:
        key = (c.kind, c.number.upper())
        if c.kind != "section":
            later[key] -= 1
            if later[key] > 0 and c.size < 40:
                continue
        kept.append(c)
    return kept


def _main_style(cands: list[Candidate]) -> bool:
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


def _next_article(cands: list[Candidate], k: int) -> Candidate | None:
    return next((d for d in cands[k + 1 :] if d.kind == "article"), None)


def _restarts(c: Candidate, nxt: Candidate | None) -> bool:
    """Does a chapter's first article start the numbering again ("CHAPTER 2 / Article 1")?

    Only when the next article goes on from it: a cross-reference that
    happens to open a line has no successor.
    """
    assert c.seq is not None
    if c.dotted or c.suffix or c.seq > 3 or nxt is None or nxt.dotted or nxt.seq is None:
        return False
    return nxt.seq in (c.seq + 1, c.seq + 2) or nxt.seq == c.seq and bool(nxt.suffix)


def _continues_annex(c: Candidate, last: tuple[int, int] | None, nxt: Candidate | None) -> bool:
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


def _annex_in_sequence(c: Candidate, seen: dict[str, tuple[str, int]]) -> bool:
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
    roman = roman_value(c.number)
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


def select(cands: list[Candidate]) -> list[Candidate]:
    """Keep the headings whose numbers run in sequence (see the module docstring)."""
    walk = _Walk(cands, dotted_style=_main_style(cands))
    for k, c in enumerate(cands):
        if c.kind == "chapter":
            walk.chapter(k, c)
        elif c.kind == "article":
            walk.article(k, c)
        elif c.kind == "annex":
            walk.annex(c)
        elif c.kind == "section":
            walk.section(c)
    return walk.out


@dataclass
class _Walk:
    """The sequence check's state as it walks the candidates in order; ``out`` holds what it keeps."""

    cands: list[Candidate]
    dotted_style: bool
    """The main text numbers its articles within their chapters ("1.1")."""
    out: list[Candidate] = field(default_factory=list)
    cur_chap: int | None = None
    last_chap: int | None = None
    last_art: tuple[int, int] | None = None
    """(chapter part, seq) of the last main-text article."""
    chapters: set[int] = field(default_factory=set)
    """Chapters of this agreement, by heading or by dotted article number."""
    restart_ok: bool = False
    """A chapter heading was just accepted: its articles may be numbered from 1 again."""
    in_annex: bool = False
    annex_last: tuple[int, int] | None = None
    annex_seq: dict[str, tuple[str, int]] = field(default_factory=dict)
    main_numbers: set[tuple[int | None, int | None, str]] = field(default_factory=set)
    """Dotted numbers of the main text's articles, which an annex can only cite."""
    seen_article: bool = False

    def chapter(self, k: int, c: Candidate) -> None:
        assert c.chap is not None
        if self.in_annex and self.last_chap is None:
            # The main text has no chapters: these divide an annex ("ANEXO VI / CAPÍTULO I").
            c.kind = "section"
            self.out.append(c)
            return
        if not self._chapter_in_sequence(k, c):
            return
        self.out.append(c)
        self.cur_chap = self.last_chap = c.chap
        self.chapters.add(c.chap)
        self.in_annex = False
        self.restart_ok = not self.dotted_style
        if self.dotted_style:
            self.last_art = (c.chap, 0)

    def _chapter_in_sequence(self, k: int, c: Candidate) -> bool:
        """A chapter follows the last one closely and an article of its own comes before the next chapter."""
        assert c.chap is not None
        if self.last_chap is not None and not (self.last_chap < c.chap <= self.last_chap + 3):
            return False
        nxt = next((d for d in self.cands[k + 1 :] if d.kind in ("article", "chapter")), None)
        if nxt is None or nxt.kind != "article":
            return False
        return not (self.dotted_style and nxt.dotted and nxt.chap != c.chap)

    def article(self, k: int, c: Candidate) -> None:
        nxt = _next_article(self.cands, k)
        main = self._main_reading(c, nxt)
        if main is None and c.alternative is not None:
            main = self._main_reading(c.alternative, nxt)
        if main is None and self._misread_digit(c, nxt):
            main = c
        assert c.seq is not None
        if main is not None:
            self._main_article(main)
        elif (c.chap, c.seq, c.suffix) in self.main_numbers:
            # A table in an annex listing the main text's articles ("Article 4.11 Release of Goods").
            return
        elif self.in_annex and _continues_annex(c, self.annex_last, nxt):
            c.in_annex = True
            self.out.append(c)
            self.annex_last = (c.chap or 0, c.seq)

    def _main_reading(self, c: Candidate, nxt: Candidate | None) -> Candidate | None:
        """``c`` read as its first reading that goes on with the main text; None if no reading does.

        A number damaged by OCR ("2 1") has several readings ("2.1", "21").
        """
        for reading in c.readings or (c.number,):
            c.read_as(reading)
            if self._is_main(c, nxt):
                return c
        if c.readings:
            c.read_as(c.readings[0])
        return None

    def _misread_digit(self, c: Candidate, nxt: Candidate | None) -> bool:
        """Is ``c`` the next article with one digit misread ("Article 62" between 81 and 83)?

        Only a heading with a title, outside annexes, whose next article goes on from the number
        expected here; then ``c`` takes that number.
        """
        if self.in_annex or self.last_art is None or c.title is None or nxt is None or nxt.seq is None:
            return False
        chap, seq = self.last_art
        expected = f"{chap}.{seq + 1}" if self.dotted_style else str(seq + 1)
        if nxt.seq != seq + 2 or (self.dotted_style and nxt.chap != chap):
            return False
        found = c.ocr.number if c.ocr is not None else c.number
        digits = re.sub(r"[^0-9.]", "", found.translate(_LOOKALIKE_DIGITS))
        if len(digits) != len(expected) or sum(a != b for a, b in zip(digits, expected, strict=True)) != 1:
            return False
        c.read_as(expected)
        c.renumbered = True
        return True

    def _is_main(self, c: Candidate, nxt: Candidate | None) -> bool:
        """Does article ``c`` go on with the main text (rather than an annex's own numbering)?"""
        assert c.seq is not None
        # An annex numbering its own articles keeps them, even where the main text's numbers would go on.
        annex_goes_on = (
            self.in_annex and self.annex_last is not None and _continues_annex(c, self.annex_last, nxt)
        )
        main = _continues_main(c, self.last_art, self.dotted_style, self.cur_chap) or (
            self.restart_ok and _restarts(c, nxt)
        )
        return main and not annex_goes_on

    def _main_article(self, c: Candidate) -> None:
        assert c.seq is not None
        if c.dotted and c.chap != self.cur_chap:
            self.cur_chap = c.chap
        if c.dotted and c.chap is not None:
            self.chapters.add(c.chap)
            if self.last_chap is not None and c.chap > self.last_chap:
                # Chapters whose headings were lost still count: "Chapter 15" may follow article 14.3.
                self.last_chap = c.chap
        self.out.append(c)
        self.last_art = (c.chap or 0, c.seq)
        if c.dotted:
            self.main_numbers.add((c.chap, c.seq, c.suffix))
        self.in_annex = self.restart_ok = False
        self.seen_article = True

    def annex(self, c: Candidate) -> None:
        m = _CHAPTER_ANNEX.match(c.number)
        if m and int(m.group(1)) not in self.chapters:
            # "Annex 9-A" of an agreement without a chapter 9: a reference to another
            # agreement's annex (an amending instrument listing its changes).
            return
        if self.seen_article and not self.chapters and not _annex_in_sequence(c, self.annex_seq):
            return
        if self.seen_article:
            self.out.append(c)
            self.in_annex = True
            self.annex_last = None

    def section(self, c: Candidate) -> None:
        if self.seen_article or self.out:
            self.out.append(c)


def _continues_main(
    c: Candidate, last: tuple[int, int] | None, dotted_style: bool, cur_chap: int | None
) -> bool:
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
