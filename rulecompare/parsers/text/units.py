"""Lines and accepted headings -> units: articles, preamble, chapter lead-ins and annexes, with their place.

A unit becomes the clauses of one article.  Its key, from the article
number ("art-1.1", "annex-3a-art-1", "ch3-art-12" when a number repeats),
makes the clause ids, so re-parsing the same text gives the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..common import slugify
from .candidates import Candidate
from .headings import CONCLUSION, PREAMBLE
from .metadata import guess_title


@dataclass
class Unit:
    """An article (or preamble, chapter lead-in, annex text) with its place."""

    chapter_index: int
    chapter_number: str | None
    chapter_title: str | None
    number: str | None
    title: str | None
    key: str
    lines: list[str]
    annex: bool = False
    section_number: str | None = None
    section_title: str | None = None
    chapter_number_repaired: str | None = None
    number_repaired: str | None = None
    """The article's keyword and number as printed, when OCR damaged them."""
    line_numbers: list[int] = field(default_factory=list)
    """Where each of ``lines`` is in the cleaned lines (to find a footnote's marker in its unit)."""


def cut_units(lines: list[str], heads: list[Candidate]) -> tuple[list[Unit], list[str]]:
    """Cut the cleaned lines at the accepted headings; returns the units and the lines of the front matter."""
    first = heads[0].line if heads else len(lines)
    front, preamble = _front_and_preamble(lines, first)
    units: list[Unit] = []
    if any(s.strip() for s in preamble):
        units.append(
            Unit(
                0,
                None,
                "Preamble",
                None,
                None,
                "preamble",
                preamble,
                line_numbers=list(range(first - len(preamble), first)),
            )  # fmt: skip
        )
    cut = _UnitCut(units, next_index=len(units))
    for k, h in enumerate(heads):
        stop = heads[k + 1].line if k + 1 < len(heads) else len(lines)
        body = [h.body] if h.body else []
        body += lines[h.end : stop]
        numbers = [h.line] if h.body else []
        numbers += range(h.end, stop)
        if h.kind == "section":
            cut.section(h, body, numbers)
        elif h.kind in ("chapter", "annex"):
            cut.chapter(h, body, numbers)
        else:
            cut.article(h, body, numbers)
    return units, front


def _front_and_preamble(lines: list[str], first: int) -> tuple[list[str], list[str]]:
    """The lines before the first heading: (front matter, preamble)."""
    for j in range(first - 1, -1, -1):
        if PREAMBLE.match(lines[j]):
            return lines[:j], lines[j + 1 : first]
    # No "Preamble" heading: what follows the title block is the preamble.
    _, title_end = guess_title(lines[:first])
    return lines[:first], lines[title_end:first]


@dataclass(frozen=True)
class _Chapter:
    """The chapter (or annex) the units being cut belong to."""

    index: int = -1
    number: str | None = None
    title: str | None = None
    value: int | None = None
    """The chapter's number as an integer, which dotted article numbers repeat ("3" in "3.12")."""
    number_repaired: str | None = None


@dataclass
class _UnitCut:
    """Units cut so far, and the chapter or annex the next one belongs to."""

    units: list[Unit]
    next_index: int
    """Index of the next chapter."""
    current: _Chapter = field(default_factory=_Chapter)
    """The chapter or annex being cut."""
    main_chapter: _Chapter = field(default_factory=_Chapter)
    """The main-text chapter an annex interrupted."""
    annex: bool = False
    annex_key: str = ""
    annex_count: int = 0
    section_number: str | None = None
    """The section of the chapter being cut ("Section A"), until the next section or chapter."""
    section_title: str | None = None

    def _new_chapter(
        self, number: str | None, title: str | None, value: int | None, repaired: str | None = None
    ) -> None:
        self.current = _Chapter(self.next_index, number, title, value, repaired)
        self.next_index += 1
        self.section_number = self.section_title = None

    def section(self, h: Candidate, body: list[str], numbers: list[int]) -> None:
        """A section divides its chapter without a unit of its own: its text goes on the unit before.

        Its number and title go on every article until the next section or chapter.
        """
        if self.units and any(s.strip() for s in body):
            self.units[-1].lines.extend(body)
            self.units[-1].line_numbers.extend(numbers)
        self.section_number, self.section_title = h.label or None, h.title

    def chapter(self, h: Candidate, body: list[str], numbers: list[int]) -> None:
        """A chapter or annex heading; an annex's text is a unit, a chapter's lead-in text is one."""
        if h.kind == "annex" and not self.annex:
            self.main_chapter = self.current
        self._new_chapter(h.label or None, h.title, h.chap, h.repaired_label)
        self.annex = h.kind == "annex"
        if self.annex:
            self.annex_count += 1
            self.annex_key = f"annex-{slugify(h.number) if h.number else self.annex_count}"
            self._add_unit(None, None, self.annex_key, body, numbers, annex=True)
        elif any(s.strip() for s in body):
            self._add_unit(None, None, f"ch{h.chap}-intro", body, numbers)

    def _add_unit(
        self,
        number: str | None,
        title: str | None,
        key: str,
        body: list[str],
        numbers: list[int],
        *,
        annex: bool = False,
        section: tuple[str | None, str | None] = (None, None),
        number_repaired: str | None = None,
    ) -> None:
        """A unit of the current chapter: an article (``number``, ``title``), or the chapter's own text."""
        ch = self.current
        self.units.append(
            Unit(
                ch.index, ch.number, ch.title, number, title, key, body, annex=annex,
                section_number=section[0], section_title=section[1],
                chapter_number_repaired=ch.number_repaired, number_repaired=number_repaired,
                line_numbers=numbers,
            )
        )  # fmt: skip

    def article(self, h: Candidate, body: list[str], numbers: list[int]) -> None:
        if self.annex and not h.in_annex:
            # The main text goes on after an annex placed inside its chapter.
            self.annex = False
            self.current = self.main_chapter
            self.section_number = self.section_title = None
        if self.current.index < 0 or (not self.annex and h.dotted and h.chap != self.current.value):
            # No chapter heading yet, or a dotted number naming a chapter whose heading was lost.
            if h.dotted:
                self._new_chapter(str(h.chap), None, h.chap)
            else:
                self._new_chapter(None, None, None)
        key = f"{self.annex_key}-art-{h.number.lower()}" if self.annex else f"art-{h.number.lower()}"
        self._add_unit(
            h.label, h.title, key, body, numbers, annex=self.annex,
            section=(self.section_number, self.section_title), number_repaired=h.repaired_label,
        )  # fmt: skip


def split_conclusion(units: list[Unit]) -> list[Unit]:
    """Text from "IN WITNESS WHEREOF" after the last main-text article becomes a "Conclusion" chapter."""
    main = [i for i, u in enumerate(units) if not u.annex and u.number]
    if not main:
        return units
    last = units[main[-1]]
    for j, s in enumerate(last.lines):
        if CONCLUSION.match(s):
            tail, tail_numbers = last.lines[j:], last.line_numbers[j:]
            last.lines, last.line_numbers = last.lines[:j], last.line_numbers[:j]
            concl = Unit(
                last.chapter_index + 1, None, "Conclusion", None, None, "conclusion", tail,
                line_numbers=tail_numbers,
            )  # fmt: skip
            rest = units[main[-1] + 1 :]
            for u in rest:
                u.chapter_index += 1
            return units[: main[-1] + 1] + [concl] + rest
    return units


def unique_keys(units: list[Unit]) -> None:
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


def fallback_units(lines: list[str]) -> list[Unit]:
    """No article headings: one chapter, one clause per paragraph.

    Paragraphs are blank-line blocks, else sentence-ended lines."""
    blocks: list[list[int]] = [[]]
    for i, s in enumerate(lines):
        if s.strip():
            blocks[-1].append(i)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if len(blocks) < 2:
        blocks = [[]]
        for i, s in enumerate(lines):
            if s.strip():
                blocks[-1].append(i)
                if s.rstrip()[-1:] in ".;:":
                    blocks.append([])
        blocks = [b for b in blocks if b]
    return [
        Unit(0, None, None, None, None, f"par-{k + 1}", [lines[i] for i in b], line_numbers=b)
        for k, b in enumerate(blocks)
    ]
