"""Cleaned lines -> candidate headings: every line that looks like a chapter, article, annex or section.

Patterns alone take too much: cross-references that open a line ("Article 3
of the SCM Agreement"), table-of-contents entries, tariff lines.  The
readers here reject what a heading's own line shows is a reference (lower
case or a parenthesis after the number, a line that continues the sentence
above); the rest is left to the sequence check (:mod:`.sequence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .headings import (
    ANNEX,
    ARTICLE,
    CHAPTER,
    SECTION,
    TITLE_MAX,
    clean_title,
    continue_title,
    following_title,
    heading_line,
    is_upper_line,
    next_nonblank,
    split_rest,
    title_like,
)
from .misread import OcrHeading, read_heading
from .numbers import int_of, roman_value, word_number


@dataclass
class Candidate:
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
    readings: tuple[str, ...] = ()
    """What an article number damaged by OCR can be ("2 1": "2.1" or "21"), ``number`` first."""
    ocr: OcrHeading | None = None
    """The heading as read through OCR damage, when it was."""
    alternative: Candidate | None = None
    """The same line read as printed, where that differs from the OCR reading ("Article 11.44: 18 Month"
    is article 11.44 titled "18 Month ...", not article 11.44.18): the sequence check chooses."""

    renumbered: bool = False
    """Set by the sequence check: the number was misread by a digit and is read as the one that runs on."""

    @property
    def repaired_label(self) -> str | None:
        """Keyword and number as printed ("ARTICLE 2.1" for "ARTIcLE 2 1"); None when found undamaged."""
        if self.ocr is not None and (self.ocr.damaged or self.renumbered):
            repaired = self.ocr.repaired(self.number)
        elif self.renumbered:
            repaired = f"{self.label.split()[0]} {self.number}"
        else:
            return None
        return repaired if repaired != self.label else None

    def read_as(self, number: str) -> bool:
        """Take ``number`` as this article's number: its chapter part, sequence number and suffix.

        False (and nothing changed) when ``number`` is neither digits nor a Roman numeral.
        """
        base = re.match(r"^(\d+(?:\.\d+)*)(.*)$", number)
        if base:
            parts = base.group(1).split(".")
            self.suffix = base.group(2).strip().lstrip("-")
            self.seq = int(parts[-1])
            self.chap, self.dotted = (int(parts[0]), True) if len(parts) >= 2 else (None, False)
        else:
            roman = re.match(r"^([IVXLC]+)(.*)$", number)
            value = roman_value(roman.group(1)) if roman else None
            if roman is None or value is None:
                return False
            self.seq, self.suffix, self.chap, self.dotted = value, roman.group(2).strip(), None, False
        self.number = number
        return True


_CONTINUED = re.compile(
    r"\b(?:of|and|the|to|in|under|with|by|or|see|from|pursuant|including|its|this|that|on|for|an?|as|at|is|are|be|"
    r"de|del|el|la|los|las|y|en|al|con|por)$"
)


def _mid_sentence(lines: list[str], i: int) -> bool:
    """Does line i continue a sentence ("... in its Schedule to" / "Annex 15-A:")?"""
    # Only the line just above counts: across a blank or a removed page number, the sentence
    # before is often a footnote cut by the page break.
    return i > 0 and bool(_CONTINUED.search(lines[i - 1].rstrip()))


def find_candidates(lines: list[str]) -> list[Candidate]:
    """Every line that looks like a heading; the title lines a heading takes are not read again."""
    cands: list[Candidate] = []
    i = 0
    while i < len(lines):
        c = _candidate_at(lines, i)
        if c is None:
            i += 1
        else:
            cands.append(c)
            i = c.end
    return cands


def _candidate_at(lines: list[str], i: int) -> Candidate | None:
    """The heading line i opens, trying article, chapter, section and annex headings in that order."""
    s = lines[i].strip()
    if not s or _mid_sentence(lines, i):
        return None
    if len(s) > 1200:
        return _run_on_annex(lines[i], i)
    for reader in (_article_at, _chapter_at, _section_at, _annex_at):
        c = reader(lines, i)
        if c is not None:
            return c
    return None


def _article_at(lines: list[str], i: int) -> Candidate | None:
    """An article heading as printed, else as OCR may have read it ("ARTIcLE 2 1", "Article 2.l3").

    Where the pattern reads the line otherwise ("Article 7.1S" as 7.1 with a suffix S, "Article
    6.I3" as 6 titled "I3"), the OCR reading comes first and the pattern's is its alternative,
    for the sequence check to choose.
    """
    m = ARTICLE.match(lines[i])
    ocr = read_heading(lines[i])
    strict = _article_cand(lines, i, _Heading.of_match(m)) if m else None
    if ocr is None or ocr.kind != "article":
        return strict
    same = strict is not None and ocr.readings[0] == strict.number
    if strict is not None and same and strict.title is not None:
        return strict
    c = _article_cand(lines, i, _Heading.of_ocr(ocr))
    if c is None or same and c.title is None:
        return strict  # the OCR reading adds nothing: "Article 5: For the purposes of this Chapter:"
    c.alternative = None if same else strict
    return c


def _short_title(rest: str) -> bool:
    rest = rest.strip().rstrip(",")
    return 0 < len(rest.split()) <= 12 and rest[-1] not in ".;," and not rest[0].isdigit()


@dataclass(frozen=True, slots=True)
class _Heading:
    """A heading line's keyword, number, separator and rest, from the pattern or through OCR damage."""

    kw: str
    num: str
    sep: str
    rest: str
    readings: tuple[str, ...]
    ocr: OcrHeading | None = None

    @classmethod
    def of_match(cls, m: re.Match[str], *, keep_spaces: bool = False) -> _Heading:
        num = m.group("num") if keep_spaces else m.group("num").replace(" ", "")
        return cls(m.group("kw"), num, m.group("sep") or "", m.group("rest") or "", (num,))

    @classmethod
    def of_ocr(cls, ocr: OcrHeading) -> _Heading:
        return cls(ocr.keyword, ocr.number, ocr.sep, ocr.rest, ocr.readings, ocr)


def _chapter_at(lines: list[str], i: int) -> Candidate | None:
    """A chapter heading as printed, else (when the pattern does not even match) as OCR may have read it."""
    m = CHAPTER.match(lines[i])
    c = _chapter_cand(lines, i, _Heading.of_match(m, keep_spaces=True)) if m else None
    if m is None:
        ocr = read_heading(lines[i])
        if ocr is not None and ocr.kind == "chapter" and "." not in ocr.readings[0]:
            c = _chapter_cand(lines, i, _Heading.of_ocr(ocr))
    return c


def _section_at(lines: list[str], i: int) -> Candidate | None:
    """A section heading with a capitalised title on its line or the lines after it."""
    s = lines[i].strip()
    if len(s) > TITLE_MAX:
        return None
    m = SECTION.match(lines[i])
    ocr = read_heading(lines[i]) if m is None else None
    if m is not None:
        kw, num, rest = m.group("kw"), m.group("num"), m.group("rest").strip()
    elif ocr is not None and ocr.kind == "section" and "." not in ocr.readings[0]:
        kw, num, rest = ocr.keyword, ocr.readings[0], ocr.rest.strip()
    else:
        return None
    if rest and not (rest[0].isupper() and rest[-1] not in ".;,"):
        return None
    title: str | None = rest or None
    end = i + 1
    if title is None:
        title, end = following_title(lines, i + 1, upper_run=True)
        end = max(end, i + 1)
    c = Candidate("section", i, end, f"{kw} {num}", num, clean_title(title) if title else None)
    c.ocr = ocr
    return c


def _annex_at(lines: list[str], i: int) -> Candidate | None:
    m = ANNEX.match(lines[i])
    if m and len(lines[i].strip()) <= 300:
        return _annex_cand(lines, i, m)
    return _run_on_annex(lines[i], i)


def _article_cand(lines: list[str], i: int, h: _Heading) -> Candidate | None:
    if h.sep == "." and h.rest[:1].isdigit() and h.ocr is None:
        return None  # "Art. 22.1, ...": a paragraph reference
    split = split_rest(h.rest, h.sep)
    if split is None and h.ocr is not None and h.sep.strip()[:1] in (":", ";") and _short_title(h.rest):
        # "Article 19: operations That Do Not ...": OCR lost the capital; "Program,": a speck.
        split = (h.rest.rstrip(","), "")
    if split is None:
        return None
    title, body = split
    if title is not None and not re.search(r"[^\W\d_]{2}", title):
        title = None  # "Article 21 *": a speck, the title is on the next line
    end = i + 1
    if title is None and not body:
        title, end = following_title(lines, i + 1, upper_run=False)
        end = max(end, i + 1)
    elif title is not None:
        title, end = continue_title(lines, title, i + 1)
    c = Candidate(
        "article", i, end, f"{h.kw} {h.num}", h.readings[0], clean_title(title) if title else None, body
    )
    c.readings, c.ocr = h.readings, h.ocr
    return c if c.read_as(h.readings[0]) else None


def _chapter_cand(lines: list[str], i: int, h: _Heading) -> Candidate | None:
    token = h.readings[0]
    value = int_of(token)
    rest, sep = h.rest, h.sep
    if value is None and h.ocr is None:
        value = word_number(token)
        if value is None and (" " in token or "-" in token):
            # "Chapter Three Trade" was read as a two-word number; retry with the first word only.
            first = re.split(r"[-\s]", token)[0]
            value = word_number(first)
            if value is not None:
                rest = token[len(first) :] + sep + rest
                sep = " "
                token = first
    if value is None:
        return None
    split = split_rest(rest, sep)
    if split is None or split[1]:
        return None
    title = split[0]
    end = i + 1
    if title is None:
        title, end = following_title(lines, i + 1, upper_run=True)
        end = max(end, i + 1)
    found = token if h.ocr is None else h.num
    c = Candidate("chapter", i, end, f"{h.kw} {found}", token, clean_title(title) if title else None)
    c.chap, c.ocr = value, h.ocr
    return c


_ANNEX_OF = re.compile(r"^to\s+(?:PROTOCOL|Protocol|CHAPTER|Chapter|ANNEX|Annex)\s+\w+(?!.*[.;,]$)")


def _annex_cand(lines: list[str], i: int, m: re.Match[str]) -> Candidate | None:
    rest = (m.group("rest") or "").strip()
    num = m.group("num") or ""
    if num and _ANNEX_OF.match(rest):
        # "ANNEX I to Protocol 1 INTRODUCTORY NOTES": an annex to a protocol or chapter.
        return Candidate("annex", i, i + 1, f"{m.group('kw')} {num}", num, clean_title(rest))
    if rest and (rest[0].islower() or rest[0] in ",;[" or rest[-1] in ";,"):
        return None
    if rest.startswith("(") and not rest.endswith(")"):
        return None
    if rest and not (is_upper_line(rest) or title_like(rest.strip("()"), strict=False)):
        return None
    title: str | None = rest.strip("()") or None
    end = i + 1
    if title is None:
        title, end = following_title(lines, i + 1, upper_run=True)
        end = max(end, i + 1)
        if not num and title is None and not _bare_annex(lines, i, m.group("kw")):
            return None
    label = f"{m.group('kw')} {num}".strip()
    return Candidate("annex", i, end, label, num, clean_title(title) if title else None)


_RUN_ON_ANNEX = re.compile(
    r"^\s*(?P<kw>ANNEX|Annex|ANEXO|Anexo|APPENDIX|Appendix)\s+(?P<num>[A-Z0-9]{1,3})\s{2,}(?P<rest>\S.*)$"
)


def _run_on_annex(line: str, i: int) -> Candidate | None:
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
    if not title or len(title) > 100 or not title_like(title, strict=False):
        title, body = None, rest
    num = m.group("num")
    return Candidate(
        "annex", i, i + 1, f"{m.group('kw')} {num}", num, clean_title(title) if title else None, body.strip()
    )


def _bare_annex(lines: list[str], i: int, kw: str) -> bool:
    """A bare "ANNEX" line is a heading when a title follows, or, in capitals, when the annex's text does."""
    j = next_nonblank(lines, i + 1)
    return kw.isupper() and j is not None and len(lines[j].strip()) >= 60 and not heading_line(lines[j])
