"""What a heading looks like: the patterns of chapter, article, annex and section lines, and their titles.

A heading is a keyword and a number ("CHAPTER 3", "Article 1.1",
"Artículo 5.-"), followed on its line or on the next ones by a title: an
upper-case block, a line of capitalised words, or a short line in sentence
case that stands alone.  These are the shapes; which candidate headings are
real is decided by :mod:`.candidates` and :mod:`.sequence`.
"""

from __future__ import annotations

import re

from .misread import read_heading

_GLUED_NOTE_TITLE = re.compile(r"(?<=[A-Za-zÀ-ÿ\)])\d{1,3}(?:,\s*\d{1,3})*$")

_SEP = r"(?P<sep>\s*[:.\-–—]+\s*[-–—]?\s*|\s+)"
CHAPTER = re.compile(
    r"^\s*(?P<kw>CHAPTER|Chapter|CAP[ÍI]TULO|Cap[íi]tulo)\s+"
    r"(?P<num>\d{1,3}|[IVXLC]{1,7}|[A-Za-z]+(?:[-\s][A-Za-z]+)?)"
    r"(?:" + _SEP + r"(?P<rest>.*))?$"
)
ARTICLE = re.compile(
    # "ARTICLE2": OCR'd text loses the space between an upper-case keyword and its number.
    r"^\s*(?P<kw>ARTICLE|Article|ART[ÍI]CULO|Art[íi]culo|Art\.)(?:\s+|(?<=ARTICLE)(?=\d))"
    r"(?P<num>\d{1,4}(?:\.\d{1,3}){0,2}(?:-?[A-Z]{1,2}\b|\s?bis\b|\s?ter\b)?|[IVXLC]{1,7}\b(?:\s?bis\b)?)"
    r"(?:" + _SEP + r"(?P<rest>.*))?$"
)
ANNEX = re.compile(
    r"^\s*(?P<kw>ANNEX|Annex|ANEXO|Anexo|APPENDIX|Appendix|AP[ÉE]NDICE|Ap[ée]ndice|PROTOCOL|Protocol|PROTOCOLO|Protocolo)"
    r"(?:\s+(?P<num>[0-9IVXLC]{1,5}(?:[-.][A-Z0-9]{1,3})?[A-Z]?|[A-Z]))?\b"
    r"(?:" + _SEP + r"(?P<rest>.*))?$"
)
SECTION = re.compile(
    r"^\s*(?P<kw>SECTION|Section|SUB-SECTION|Sub-Section|Sub-section|SECCI[ÓO]N|Secci[óo]n)\s+"
    r"(?P<num>[A-Z]|\d{1,2}|[IVX]{1,4})\b(?:\s*[:.\-–—]\s*)?(?P<rest>.*)$"
)
PREAMBLE = re.compile(r"^\s*(?:PREAMBLE|Preamble|PRE[ÁA]MBULO|Pre[áa]mbulo)\s*$")
CONCLUSION = re.compile(
    r"^\s*(?:IN WITNESS WHEREOF|In witness whereof|EN FE DE LO CUAL|EN TESTIMONIO DE LO CUAL)"
)
PARA_LABEL = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\([a-z]{1,3}\)|[a-z]\))\s")
CONNECTORS = {
    "of", "and", "the", "to", "for", "on", "in", "or", "with", "between", "its", "a", "an",
    "de", "y", "la", "del", "el", "en",
}  # fmt: skip
TITLE_MAX = 160


def cap_ratio(s: str) -> float:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", s) if len(w) > 3]
    if not words:
        return 1.0 if s.strip() else 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)


def is_upper_line(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def title_like(s: str, strict: bool = True) -> bool:
    """Could this line be a heading's title (short, capitalised words, no sentence end)?"""
    s = s.strip()
    if not s or len(s) > TITLE_MAX or PARA_LABEL.match(s) or s[0].islower() or s[0] == "(":
        return False
    if s[-1] in ".;," and not s.endswith("etc."):
        return False
    return is_upper_line(s) or cap_ratio(s) >= (0.75 if strict else 0.6)


def _speck(token: str, before: str, bold: bool = False) -> bool:
    """Is ``token``, at the end of a title, what a scan left there rather than a word?

    Marks ("‘", ". ."), a letter or two in lower case ("a,", "oe"), and a digit or a
    capital letter alone after a mark or an odd token ("_ 2", "£8 J") are; "Annex 2" is not.
    """
    if not any(ch.isalnum() for ch in token):
        return True
    core = token.strip(".,;:‘’'\"()[]{}")
    if re.fullmatch(r"[a-z]{1,2}", core) or len(core) == 2 and not core.isalpha() and not core.isdigit():
        return True  # "a", "oe", "0s"
    # In text known to come from OCR, a lone digit or capital ending a title is a speck too.
    odd_before = bold or not before.isalpha() or before[-1:] in ":;,"
    if re.fullmatch(r"\d|[A-Z]", core) and odd_before and not re.fullmatch(r"[IVX]", core):
        return True
    return bool(re.search(r"[^\w\s.,;:()’'-]", token)) and len(core) <= 3


def strip_specks(title: str, *, bold: bool = False) -> str:
    """``title`` without the specks a scan leaves after it (see :func:`_speck`).

    Only a title in capitalised words loses them: "Transparency a" is "Transparency", while a
    line of text taken for a title ("... se aplicará a la") keeps its words.
    """
    words = title.split(" ")
    n = len(words)
    while n > 1 and _speck(words[n - 1], words[n - 2], bold):
        n -= 1
    last = words[n - 1].strip(".,;:‘’'\"()")
    if n == len(words) or not (last[:1].isupper() or last[:1].isdigit()):
        return title
    return " ".join(words[:n])


def clean_title(s: str) -> str:
    """A title on one line, without a glued footnote number."""
    s = re.sub(r"\s+", " ", s).strip().strip("–—-:").strip()
    return _GLUED_NOTE_TITLE.sub("", s).strip()


def next_nonblank(lines: list[str], i: int, limit: int = 3) -> int | None:
    j = i
    while j < len(lines) and j < i + limit + 1:
        if lines[j].strip():
            return j
        j += 1
    return None


def heading_line(s: str) -> bool:
    """Does ``s`` open with a heading's keyword and number (read through OCR damage if need be)?"""
    return bool(CHAPTER.match(s) or ARTICLE.match(s) or SECTION.match(s) or ANNEX.match(s) or read_heading(s))


def following_title(lines: list[str], i: int, upper_run: bool) -> tuple[str | None, int]:
    """Title on the lines after a bare heading: an upper-case block, or one title-like line."""
    j = next_nonblank(lines, i)
    if j is None or heading_line(lines[j]) or PREAMBLE.match(lines[j]):
        return None, i
    first = lines[j].strip()
    if lines[j + 1 : j + 2] in ([], [""]) or PARA_LABEL.match(lines[j + 1]):
        # A title alone on its line keeps no specks a scan left after it ("Consultation,", "Measures _ = .").
        first = strip_specks(first).rstrip(" ,;:") or first
    if upper_run and is_upper_line(first) and len(first) <= TITLE_MAX:
        parts, k = [first], j + 1
        while k < len(lines) and len(parts) < 4:
            s = lines[k].strip()
            if not s or not is_upper_line(s) or heading_line(s) or len(s) > TITLE_MAX:
                break
            parts.append(s)
            k += 1
        return " ".join(parts), k
    if title_like(first) or _sentence_title(lines, j):
        return continue_title(lines, first, j + 1)
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
    if PARA_LABEL.match(first) or heading_line(first):
        return False

    def stands_alone(k: int) -> bool:
        return k >= len(lines) or not lines[k].strip() or bool(PARA_LABEL.match(lines[k]))

    if stands_alone(j + 1):
        return True
    nxt = lines[j + 1].strip()
    if nxt[0].islower():
        return len(nxt) <= 60 and nxt[-1] not in ".;:," and stands_alone(j + 2)
    # A new sentence follows ("References to the euro" / "Notwithstanding Article 2, ...");
    # a text's first line would read on in lower case or say what someone "shall" do.
    words = first.lower().split()
    return len(words) <= 8 and words[-1] not in CONNECTORS and not {"shall", "may", "must"} & set(words)


def continue_title(lines: list[str], title: str, k: int) -> tuple[str, int]:
    """A title wrapped onto the next line (PDF text).

    Joined when it ends in a connector or a blank line follows."""
    if k >= len(lines):
        return title, k
    nxt = lines[k].strip()
    if not nxt or heading_line(nxt) or PARA_LABEL.match(nxt) or len(nxt) > 90:
        return title, k
    last = title.split()[-1].lower() if title.split() else ""
    blank_after = k + 1 >= len(lines) or not lines[k + 1].strip()
    wrapped = (
        last in CONNECTORS or len(title) > 40 and (blank_after or len(nxt) <= 60 and cap_ratio(nxt) >= 0.75)
    )
    if (
        wrapped
        and (nxt[0].isupper() or last in CONNECTORS)
        and nxt[-1] not in ".;:,"
        and cap_ratio(nxt) >= 0.5
    ):
        return f"{title} {nxt}", k + 1
    if nxt[0].islower() and len(nxt) <= 40 and len(nxt.split()) <= 5 and nxt[-1] not in ".;:,":
        # "Cooperation on harmonization, equivalency and certificate / recognition"
        return f"{title} {nxt}", k + 1
    return title, k


def split_rest(rest: str, sep: str) -> tuple[str | None, str] | None:
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
    if len(rest) <= TITLE_MAX and len(words) <= 18 and (rest[-1] not in ".;,:" or short_sentence):
        return rest.rstrip("."), ""
    if len(words) >= 4 and (sep.strip() or rest[-1] in ".:;"):
        return None, rest
    return None
