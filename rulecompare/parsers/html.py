"""HTML -> records: an agreement published as a web page.

Official pages wrap the treaty in navigation, scripts, cookie banners and
footers.  We parse the page with lxml's HTML parser set up as for hostile
input (no network, no external entities; HTML has no entity definitions to
expand), drop the page furniture, keep headings and paragraphs one per line,
and hand the text to the plain-text structure recovery
(:mod:`rulecompare.parsers.text`), which already knows treaty headings.

libxml2's HTML parser recovers from errors by stopping: at one of its resource
limits (elements nested 256 deep, a text node or attribute of 10 MB) it ends
the document there and says so only in its error log, and a treaty was stored
without its second half.  We parse in libxml2's huge mode (the file is already
bounded by :data:`rulecompare.xmlsafe.MAX_BYTES`) and refuse a page whose log
still has a fatal error (nesting beyond 2048 levels): a page is read whole or
not at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from ..errors import ParseError
from ..model import ParsedAgreement
from ..xmlsafe import read_bounded
from .common import NO_META, Classifier, SourceMeta
from .text import parse_text_string

__all__ = ["html_to_text", "parse_html"]

_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "select", "iframe", "object", "embed", "svg", "canvas", "menu", "dialog", "head",
)  # fmt: skip
_BLOCKS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "dl", "dt", "dd", "tr", "table", "thead", "tbody", "blockquote", "pre", "address", "figure",
    "figcaption", "hr", "center", "body", "td", "th",
}  # fmt: skip
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|footer|header|masthead|sidebar|cookies?|consent|banner|"
    r"share|social|skip|search|toolbar|pagination|related)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BOILER_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"}
_TREATY_WORDS = re.compile(r"\b(?:shall|Part(?:y|ies)|Agreement|Article|Partes|Acuerdo|Artículo|deberán?)\b")


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)


def _drop_furniture(root: lxml.html.HtmlElement) -> None:
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _DROP_TAGS:
            doomed.append(el)
            continue
        role = (el.get("role") or "").lower()
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if role in _BOILER_ROLES or el.get("aria-hidden") == "true" or el.get("hidden") is not None:
            doomed.append(el)
        elif (
            marks.strip() and _BOILERPLATE.search(marks) and el.tag not in ("body", "html", "main", "article")
        ):
            doomed.append(el)
    for el in doomed:
        _drop(el)


_UNSETTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters the parser keeps in text but lxml refuses to set as text (XML forbids them)."""


def _drop(el: lxml.html.HtmlElement) -> None:
    """``el.drop_tree()`` (its tail kept), also when the text around it holds control characters."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    previous = el.getprevious()
    parent.remove(el)
    if tail:
        if previous is not None:
            previous.tail = _UNSETTABLE.sub(" ", (previous.tail or "") + tail)
        else:
            parent.text = _UNSETTABLE.sub(" ", (parent.text or "") + tail)


def _content_root(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The page's main content element when it marks one (<main>, role=main, <article>), else <body>."""
    candidates = root.xpath("//main | //*[@role='main'] | //article")
    if candidates:
        best = max(candidates, key=lambda el: len(el.text_content()))
        if len(best.text_content().strip()) > 200:
            return best
    body = root.find("body")
    return body if body is not None else root


def html_to_text(data: bytes, path: object = "<html>") -> str:
    """The visible treaty text of an HTML page, one heading or paragraph per line."""
    parser = _parser()
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(path, f"not readable HTML ({exc})") from None
    fatal = [e for e in parser.error_log if e.level >= etree.ErrorLevels.FATAL]
    if fatal:
        first = fatal[0]
        raise ParseError(
            path,
            f"HTML cannot be read whole ({first.message.split(',')[0]} at line {first.line}); "
            "refused rather than stored in part",
        )
    _drop_furniture(root)
    content = _content_root(root)
    parts: list[str] = []
    # iterwalk rather than recursion: a hostile page may nest elements thousands deep.
    for event, el in etree.iterwalk(content, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS or tag == "br":
                parts.append("\n")
            if el.text and tag:
                parts.append(re.sub(r"\s+", " ", el.text))
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            if el.tail and el is not content:
                parts.append(re.sub(r"\s+", " ", el.tail))
    lines = (ln.strip() for ln in "".join(parts).split("\n"))
    return "\n".join(ln for ln in lines if ln)


def parse_html(
    path: Path | str, meta: SourceMeta = NO_META, *, classify: Classifier | None = None
) -> ParsedAgreement:
    """Read a treaty from an HTML page; ParseError when the page holds no treaty text."""
    path = Path(path)
    text = html_to_text(read_bounded(path), path)
    letters = sum(ch.isalpha() for ch in text)
    if letters < 200 or len(_TREATY_WORDS.findall(text)) < 3:
        raise ParseError(
            path,
            f"no treaty text in this HTML page ({letters} letters of text outside navigation and scripts, "
            "no articles or obligations)",
        )
    return parse_text_string(text, meta.for_file(path), classify=classify)
