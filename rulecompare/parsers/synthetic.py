"""Test material for the text parser: ToTA agreements laid out as pages, damaged as OCR damages them.

ToTA marks up each agreement's chapters and articles by hand, so an
agreement laid out from its XML and parsed back must come out with the same
structure.  :func:`layout_tota` lays one out the way a PDF's text layer
reads: headings, paragraphs wrapped to a page's width, a running header and
a page number on every page, and each footnote at the foot of the page that
carries its marker.  :func:`damage` then does to the text what OCR does to a
scan: the case of heading keywords flips letter by letter, digits become
look-alike letters, a number loses its period or gains a space, words run
together, letters are misread; with a seed, so that the same material comes
back every time.  :func:`draw_pages` draws the pages as a scanner would
deliver them (low resolution, slightly rotated, blurred, specks), for real
OCR by Tesseract.

Footnotes: ToTA keeps a footnote's text inside the article where the page
break left it, as a line opening with its number and no period ("12 For
greater certainty, ..."); its marker is often lost.  :func:`tota_footnotes`
reads them back, in agreements that number their paragraphs "1." (where such
a line cannot be a paragraph); the layout puts a marker where ToTA lost one,
glued to the line before the footnote's text.

Nothing here is copied into the repository: the material is made from the
corpus when a test or benchmark runs.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from ..xmlsafe import parse_xml

__all__ = ["Line", "Page", "TrueFootnote", "damage", "draw_pages", "layout_tota", "tota_footnotes"]

_BODY = re.compile(r"^[ \t]*(\d{1,3})[ \t]+(?=[A-Z“\"‘(\[])")
_PERIOD_PARAGRAPH = re.compile(r"^[ \t]*\(?\d{1,3}\.[ \t]", re.MULTILINE)
_MARKER = re.compile(r"(?:(?<=[a-zà-ÿ])|(?<=[a-zà-ÿ)][)”’\";,.:]))(\d{1,3})(?=[\s,.;:)]|$)")


@dataclass(frozen=True, slots=True)
class TrueFootnote:
    """A footnote as ToTA keeps it: its number, its text, and the article it is in."""

    label: str
    text: str
    article: str
    """ToTA's ``article_identifier`` of the article whose text holds it."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a laid-out page and what it is."""

    text: str
    kind: str
    """title | chapter | article | heading-title | body | note | header | page"""


@dataclass(slots=True)
class Page:
    lines: list[Line] = field(default_factory=list)


def _article_texts(root: etree._Element) -> Iterator[tuple[etree._Element, etree._Element, str]]:
    for chapter in root.iter("chapter"):
        for article in chapter.iter("article"):
            yield chapter, article, "".join(article.itertext())


def numbers_paragraphs_with_periods(root: etree._Element) -> bool:
    """Does the agreement number its paragraphs "1." (so that "1 For ..." can only be a footnote)?"""
    return text_numbers_paragraphs_with_periods("\n".join(t for _, _, t in _article_texts(root)))


def text_numbers_paragraphs_with_periods(text: str) -> bool:
    """:func:`numbers_paragraphs_with_periods` for an agreement's text."""
    periods = len(_PERIOD_PARAGRAPH.findall(text))
    bare = sum(1 for ln in text.split("\n") if _BODY.match(ln))
    return periods >= 20 and bare * 3 < periods


def without_footnotes(text: str) -> str:
    """An article's text as ToTA keeps it, without the footnotes a page break left in it."""
    return "\n".join(_split_notes(text)[0])


def _split_notes(text: str) -> tuple[list[str], list[tuple[str, str, int]]]:
    """An article's lines without its footnotes, and the footnotes: (label, text, line they stood before)."""
    kept: list[str] = []
    notes: list[tuple[str, str, int]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _BODY.match(lines[i])
        if m is None:
            kept.append(lines[i])
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip():
            j += 1
        body = " ".join(s.strip() for s in lines[i:j])
        notes.append((m.group(1), re.sub(r"^\d{1,3}\s+", "", body).strip(), len(kept)))
        i = j
    return kept, notes


def tota_footnotes(path: Path | str) -> list[TrueFootnote]:
    """The footnotes ToTA kept in an agreement's articles, in order; none when it numbers paragraphs "1 "."""
    root = parse_xml(Path(path))
    if not numbers_paragraphs_with_periods(root):
        return []
    out: list[TrueFootnote] = []
    for _, article, text in _article_texts(root):
        ident = article.get("article_identifier") or ""
        out += [TrueFootnote(label, body, ident) for label, body, _ in _split_notes(text)[1]]
    return out


def _wrap(lines: list[str], width: int) -> tuple[list[str], list[int]]:
    """Lines wrapped to ``width`` (blank runs made one), and where each given line starts among them."""
    out: list[str] = []
    starts: list[int] = []
    blank = True
    for ln in lines:
        starts.append(len(out))
        s = ln.strip()
        if not s:
            if not blank:
                out.append("")
            blank = True
            continue
        out += textwrap.wrap(re.sub(r"\s+", " ", s), width) or [""]
        blank = False
    return out, starts


def _heading_lines(number: str | None, title: str | None, kind: str, inline: bool) -> list[Line]:
    if not number:
        return [Line(title, "heading-title")] if title and kind == "chapter" else []
    if inline and title:
        return [Line(f"{number}: {title}", kind)]
    out = [Line(number, kind)]
    if title:
        out.append(Line(title.upper() if kind == "chapter" else title, "heading-title"))
    return out


def layout_tota(
    path: Path | str, *, seed: int = 0, lines_per_page: int = 46, width: int = 88
) -> tuple[list[Page], list[TrueFootnote]]:
    """An agreement laid out as pages, and its footnotes (placed at the foot of their marker's page).

    The style (headings on one line or two, "Article" or "ARTICLE") is drawn from ``seed``.
    """
    rng = random.Random(seed)
    inline = rng.random() < 0.5
    title_case = rng.random() < 0.5
    root = parse_xml(Path(path))
    name = (root.findtext("meta/name") or "Agreement").strip()
    notes_wanted = numbers_paragraphs_with_periods(root)
    stream: list[tuple[Line, list[TrueFootnote]]] = [
        (Line(name.upper(), "title"), []),
        (Line("", "body"), []),
    ]
    truth: list[TrueFootnote] = []
    last_chapter = None
    for chapter, article, text in _article_texts(root):
        if chapter is not last_chapter:
            last_chapter = chapter
            number = (chapter.get("number") or "").strip() or None
            title = (chapter.get("name") or "").strip() or None
            if title not in ("Preamble", "Conclusion"):
                stream += [(ln, []) for ln in _heading_lines(number, title, "chapter", inline)]
                stream.append((Line("", "body"), []))
        number = (article.get("number") or "").strip() or None
        if number and title_case:
            number = number.capitalize()
        stream += [
            (ln, []) for ln in _heading_lines(number, (article.get("name") or "").strip(), "article", inline)
        ]
        lines, notes = _split_notes(text) if notes_wanted else (text.split("\n"), [])
        wrapped, starts = _wrap(lines, width)
        body = [Line(s, "body") for s in wrapped]
        attached: list[list[TrueFootnote]] = [[] for _ in body]
        marked: set[int] = set()
        for label, note_text, before in notes:
            note = TrueFootnote(label, note_text, article.get("article_identifier") or "")
            truth.append(note)
            k = _marker_line(body, starts[before] if before < len(starts) else len(body), label, marked)
            if k is None:
                continue
            if not any(int(m.group(1)) == int(label) for m in _MARKER.finditer(body[k].text)):
                body[k] = replace(body[k], text=body[k].text.rstrip() + label)
                marked.add(k)
            attached[k].append(note)
        stream += list(zip(body, attached, strict=True))
        stream.append((Line("", "body"), []))
    return _paginate(stream, name, lines_per_page, width), truth


def _marker_line(body: list[Line], before: int, label: str, marked: set[int]) -> int | None:
    """The line that carries (or is to carry) footnote ``label`` whose text stood before line ``before``.

    Its marker's line if it kept one, else the last line with text before it that has no marker put
    there yet (two markers glued together would read as one number), else the article's first line.
    """
    candidates = [k for k, ln in enumerate(body[:before]) if ln.text.strip()]
    for k in reversed(candidates):
        if any(m.group(1) == label for m in _MARKER.finditer(body[k].text)):
            return k
    free = [k for k in candidates if k not in marked]
    if free:
        return free[-1]
    return next((k for k, ln in enumerate(body) if ln.text.strip() and k not in marked), None)


def _paginate(
    stream: list[tuple[Line, list[TrueFootnote]]], name: str, lines_per_page: int, width: int
) -> list[Page]:
    pages: list[Page] = []
    page = Page()
    feet: list[TrueFootnote] = []
    used = 0

    def close() -> None:
        nonlocal page, feet, used
        if feet:
            page.lines.append(Line("", "note"))
            for note in feet:
                page.lines += [Line(s, "note") for s in textwrap.wrap(f"{note.label} {note.text}", width)]
        page.lines.append(Line("", "page"))
        page.lines.append(Line(str(len(pages) + 1), "page"))
        pages.append(page)
        page, feet, used = Page(), [], 0

    for line, notes in stream:
        if line.kind in ("chapter", "article") and used >= lines_per_page - 4:
            close()  # a heading is kept with the text it heads, as typesetters do
        if used == 0:
            page.lines += [Line(name, "header"), Line("", "header")]
            if not line.text.strip():
                continue
        page.lines.append(line)
        feet += notes
        used += 1 + sum(1 + len(n.text) // width for n in notes)
        if used >= lines_per_page:
            close()
    if page.lines:
        close()
    return pages


def page_text(pages: list[Page]) -> str:
    """The pages as a PDF's text layer reads: their lines, a form feed between pages."""
    return "\f".join("\n".join(ln.text for ln in p.lines) for p in pages)


# -- OCR damage --------------------------------------------------------------------

_LOOKALIKE_DIGIT = {"1": "lI", "0": "O", "5": "S"}
_LETTER_DAMAGE = (
    ("m", "rn"), ("m", "ni"), ("mm", "nun"), ("M", "II’I"), ("l", "I"), ("i", "l"), ("e", "c"),
    ("h", "li"), ("d", "cl"), ("u", "ii"), ("n", "ri"), ("I", "l"), ("o", "0"),
)  # fmt: skip
_SHORT = ("of", "the", "and", "to", "in", "on", "for", "or", "a")


def _flip_case(word: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    chars = list(word)
    for i in rng.sample(letters[1:], k=min(len(letters) - 1, rng.choice((1, 1, 2)))):
        chars[i] = chars[i].swapcase()
    return "".join(chars)


def _damage_number(number: str, rng: random.Random) -> str:
    if "." in number and rng.random() < 0.4:
        number = number.replace(".", rng.choice((" ", ". ", " .", ",")), 1)
    if rng.random() < 0.35:
        spots = [i for i, ch in enumerate(number) if ch in _LOOKALIKE_DIGIT]
        if spots:
            i = rng.choice(spots)
            number = number[:i] + rng.choice(_LOOKALIKE_DIGIT[number[i]]) + number[i + 1 :]
    return number


def _damage_heading(text: str, rng: random.Random) -> str:
    m = re.match(r"^(\w+)( )(\S+?)(:?)( .*)?$", text)
    if m is None:
        return text
    kw, _, number, colon, rest = m.groups()
    if rng.random() < 0.6:
        kw = _flip_case(kw, rng)
    if rng.random() < 0.08 and kw.lower() == "article":
        kw = kw[:4] + "d" + kw[6:]  # "Artide"
    number = _damage_number(number, rng) if rng.random() < 0.6 else number
    lead = "‘" if rng.random() < 0.05 else ""
    title = _damage_words(rest, rng, 0.5) if rest else ""
    return f"{lead}{kw} {number}{colon}{title}"


def _damage_word(word: str, rng: random.Random) -> str:
    options = [(a, b) for a, b in _LETTER_DAMAGE if a in word]
    if not options:
        return word
    a, b = rng.choice(options)
    spots = [i for i in range(len(word)) if word.startswith(a, i)]
    i = rng.choice(spots)
    return word[:i] + b + word[i + len(a) :]


def _damage_words(text: str, rng: random.Random, rate: float) -> str:
    """One damage (a misread letter or two words run together) with probability ``rate`` per line."""
    if rng.random() >= rate:
        return text
    words = text.split(" ")
    joinable = [
        i for i in range(1, len(words)) if words[i - 1].lower() in _SHORT or words[i].lower() in _SHORT
    ]
    if joinable and rng.random() < 0.4:
        i = rng.choice(joinable)
        return " ".join(words[: i - 1] + [words[i - 1] + words[i]] + words[i + 1 :])
    long = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long:
        return text
    i = rng.choice(long)
    words[i] = _damage_word(words[i], rng)
    return " ".join(words)


def damage(pages: list[Page], *, seed: int = 0, body_rate: float = 0.1) -> list[Page]:
    """The pages as OCR might read them (see the module docstring); ``seed`` makes it repeatable."""
    rng = random.Random(seed)
    out: list[Page] = []
    for page in pages:
        lines: list[Line] = []
        for ln in page.lines:
            if not ln.text.strip():
                lines.append(ln)
            elif ln.kind in ("chapter", "article"):
                lines.append(replace(ln, text=_damage_heading(ln.text, rng)))
            elif ln.kind == "heading-title":
                lines.append(replace(ln, text=_damage_words(ln.text, rng, 0.4)))
            elif ln.kind == "page":
                lines.append(replace(ln, text=rng.choice(("{}", "- {} -", "Page {}")).format(ln.text)))
            else:
                lines.append(replace(ln, text=_damage_words(ln.text, rng, body_rate)))
        out.append(Page(lines))
    return out


# -- drawing pages for real OCR ------------------------------------------------------


def draw_pages(pages: list[Page], out_pdf: Path, *, seed: int = 0, font_size: int = 13) -> Path:
    """The pages drawn as a scanner delivers them (100 dpi, tilted, blurred, specks), as an image-only PDF."""
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(seed)
    font = ImageFont.truetype(font_manager.findfont("DejaVu Serif"), font_size)
    width, height = 850, 1100
    images = []
    for page in pages:
        img = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(img)
        y = 50
        for ln in page.lines:
            draw.text((70, y), ln.text, font=font, fill=0)
            y += font_size + 4
        img = img.rotate(rng.uniform(-0.5, 0.5), fillcolor=255, resample=Image.Resampling.BICUBIC)
        img = img.filter(ImageFilter.GaussianBlur(0.5))
        px = img.load()
        assert px is not None
        for _ in range(width * height // 150):
            px[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 255))
        images.append(img)
    images[0].save(out_pdf, save_all=True, append_images=images[1:], resolution=100.0)
    return out_pdf
