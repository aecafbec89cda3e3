"""Text that lost its line breaks -> lines and headings, cut at the inline headings that run in sequence.

Some texts lost every line break (a database field, a web page scraped to
one line): "... HAVE AGREED as follows : ARTICLE 1. Incorporation of the ...".
Their headings are still there, inline.  We cut the text at the inline
"Article N" headings whose numbers run 1, 2, 3 ... and hand the pieces to the
same record building as line-based text.  Each new numbering run is an
agreement of its own (the Marrakesh texts) and becomes a chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .candidates import Candidate
from .headings import CONNECTORS, clean_title
from .numbers import roman_value

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


def is_flat(text: str) -> bool:
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
            value = int(num[:k]) if num.isdigit() else roman_value(num[:k].upper())
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
        if tok[0].islower() and tok not in CONNECTORS:
            # "Special Provisions relating to Cinematograph Films": lower-case words inside a title
            # are followed by a capitalised word, not by the text's sentence.
            ahead = [x.group() for x in tokens[t + 1 : t + 3]]
            if not any(a[:1].isupper() and a not in _SENTENCE_START for a in ahead):
                break
        end = w.end()
        if tok.endswith("."):
            break
    title = body[:end].strip().rstrip(".").strip()
    while title and title.split()[-1].lower() in CONNECTORS:
        title = title.rsplit(" ", 1)[0] if " " in title else ""
    if not title:
        return None, lead
    return clean_title(title), lead + end


def _glued_title(body: str, lead: int) -> tuple[str | None, int]:
    """A lower-cased title glued to its text ("scope of the wto1. the wto", "coveragethis agreement")."""
    m = re.search(r"(?<=[a-z)\]])\d{1,2}(?:\.\d{1,2})?\.?\s", body[:160])
    if m and len(body[: m.start()].split()) <= 15:
        return clean_title(body[: m.start()]), lead + m.start()
    pos = 0
    for w in re.finditer(r"\S+", body[:160]):
        tok = w.group()
        for start in _GLUED_START:
            if tok.endswith(start) and len(tok) - len(start) >= 4 and tok[-len(start) - 1].isalpha():
                cut = w.start() + len(tok) - len(start)
                return clean_title(body[:cut]), lead + cut
        pos += 1
        if pos >= 12:
            break
    return None, lead


def flat_units(text: str) -> tuple[list[str], list[Candidate]] | None:
    """Cut flat text at its inline headings: (lines, accepted headings), or None when none run in sequence."""
    runs = _best_runs(text)
    if sum(map(len, runs)) < 2:
        return None
    cut = _FlatCut(text)
    prev_end = 0
    for r, run in enumerate(runs):
        if len(runs) > 1:
            cut.agreement(r + 1, run[0][0].start, prev_end)
        for h, value, digits in run:
            cut.article(h, value, digits)
        prev_end = run[-1][0].start
    cut.emit(text[cut.pos :])
    return cut.lines, cut.cands


def _best_runs(text: str) -> list[list[tuple[_FlatHead, int, int]]]:
    """The numbering runs of the keyword ("ARTICLE", "Article" or "article") that finds most articles."""
    best: list[list[tuple[_FlatHead, int, int]]] = []
    for kw in ("ARTICLE", "Article", "article"):
        runs = _flat_runs(_flat_walk(_flat_heads(text, kw)), len(text))
        if sum(map(len, runs)) > sum(map(len, best)):
            best = runs
    return best


@dataclass
class _FlatCut:
    """Flat text cut into lines at its accepted headings, with a candidate heading for each cut."""

    text: str
    lines: list[str] = field(default_factory=list)
    cands: list[Candidate] = field(default_factory=list)
    pos: int = 0
    """Where the text not yet cut starts."""

    def emit(self, piece: str) -> None:
        """Text between headings, as lines."""
        piece = re.sub(r"\s*\b(?=IN WITNESS WHEREOF|In witness whereof)", "\n", piece)
        if not self.cands:
            # The front matter: a "Preamble" heading, else sentences, become lines, so that
            # the title block and the preamble can be told apart.
            piece, n = re.subn(r"\s+(PREAMBLE|Preamble)\s+", r"\n\1\n", piece, count=1)
            if not n:
                piece = re.sub(r"(?<=[.;:])[ \t]*(?=\S)", "\n", piece)
        self.lines.extend(piece.split("\n"))

    def agreement(self, number: int, start: int, prev_end: int) -> None:
        """A numbering run starting at ``start``: an agreement of its own (the WTO Agreement, GATT 1994 ...).

        It becomes chapter ``number``, named by the title that opens it when one is found.
        """
        text = self.text
        window_start = max(prev_end, start - 8000)
        # The last title before the run: earlier ones belong to the text before it.
        found = list(_SUB_AGREEMENT.finditer(text, window_start, start))
        found = found or list(_GLUED_AGREEMENT.finditer(text, window_start, start))
        if not found:
            self.emit(text[self.pos : start])
            self.pos = start
            self.cands.append(
                Candidate("chapter", len(self.lines), len(self.lines), "", "", None, chap=number)
            )
            return
        title_start = found[-1].start("title")
        tail = text[title_start : title_start + 250]
        e = _SUB_AGREEMENT_END.search(tail, 10)
        title_end = title_start + (e.start() if e else min(len(tail), 200))
        self.emit(text[self.pos : title_start])
        title = text[title_start:title_end]
        self.cands.append(
            Candidate(
                "chapter", len(self.lines), len(self.lines) + 1, "", "", clean_title(title), chap=number
            )
        )
        self.lines.append(title)
        self.pos = title_end

    def article(self, h: _FlatHead, value: int, digits: int) -> None:
        """The article heading ``h``, its number read from its first ``digits`` characters as ``value``."""
        text = self.text
        self.emit(text[self.pos : h.start])
        num = text[h.num_start : h.num_start + digits]
        after = h.num_start + digits
        if h.suffix:
            after = text.index(h.suffix, after) + len(h.suffix)
        title, body_at = _flat_title(text[after : after + 500])
        number = f"{num}{' ' + h.suffix if h.suffix else ''}"
        c = Candidate("article", len(self.lines), len(self.lines) + 1, f"{h.kw} {number}", number, title)
        c.seq, c.suffix = value, h.suffix
        self.cands.append(c)
        self.lines.append(text[h.start : after + body_at].strip())
        self.pos = after + body_at
