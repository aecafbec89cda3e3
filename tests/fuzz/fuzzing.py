"""What the fuzz tests feed the parsers, and how one input is checked.

Each entry point that reads a user's file (ToTA XML, plain text, HTML, PDF,
manifest CSV) gets inputs of three kinds: documents built from the format's
grammar with hostile values in every slot (odd numbers, control characters,
entities, deep nesting, declared encodings that lie), valid documents with
their bytes flipped, cut, repeated or spliced, and plain random bytes.  The
one allowed outcome besides success is the project's own error
(:class:`~rulecompare.errors.RulecompareError`, which
:class:`~rulecompare.errors.ParseError` is): anything else escaping is a
finding.

Used by ``tests/fuzz/test_fuzz.py`` (a short, deterministic run in the normal
suite) and ``benchmarks/fuzz.py`` (long runs with fresh seeds).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import strategies as st

from rulecompare.errors import RulecompareError

# -- building blocks ---------------------------------------------------------------------------

TREATY_TOKENS = [
    "Article", "ARTICLE", "Artículo", "Chapter", "CHAPTER", "Section", "ANNEX", "Annex", "PART", "Part",
    "1", "2", "3", "10", "1.1", "2.3", "12bis", "I", "II", "IV", "XIV", "(a)", "(b)", "(ii)", "1.", "2.",
    "shall", "may", "Party", "Parties", "Agreement", "Each Party shall", "Preamble", "PREAMBLE",
    "The Parties have agreed as follows:", "Rules of Origin", "Dispute Settlement", "Definitions",
    "Republic of Chile", "China", "European Union", "United States", "Acuerdo", "Partes",
    "\n", "\n\n", "\f", "\r", "\r\n", "\t", "  ", "-", "—", ":", ".", ";", "page 3", "Page 3 of 200",
    "...........", "- 12 -", "Contents", "TABLE OF CONTENTS", "hyph-\nenated", "1¹", "Ⅳ", "٣", "²",
]  # fmt: skip

ODD_VALUES = [
    "", " ", "0", "-1", "00", "0000", "9999", "10000", "99999999999999999999", "1e9", "nan", "inf",
    "first", "²", "٣", "1.5", "2001-13-45", "2001-02-30", "0001-01-01", "9999-12-31", "2001-01-01T00",
    "yes", "No", "EU", "XYZ", "chl;per", ";;", "../x", "/etc/passwd", "a" * 300, "\x00", "\u202e",
]  # fmt: skip

any_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)
treaty_words = st.lists(st.one_of(st.sampled_from(TREATY_TOKENS), any_text), max_size=40).map(" ".join)
odd_value = st.one_of(st.sampled_from(ODD_VALUES), any_text)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "mac_roman", "shift_jis"]


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few bytes flipped, inserted, deleted, duplicated or cut off."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]))
        if op == "flip" and data:
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "truncate":
            del data[pos:]
        elif op == "repeat":
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 200))] * draw(st.integers(2, 30))
    return bytes(data)


# -- ToTA XML ----------------------------------------------------------------------------------

_META_TAGS = [
    "name", "type", "status", "wto_rta_id", "treaty_identifier", "date_signed", "date_into_force",
    "date_notification", "end_implementation", "date_inactive", "composition", "region", "crossregional",
    "parties_wto", "notification", "language", "source",
]  # fmt: skip

_PROLOGS = [
    "",
    "<!DOCTYPE treaty>\n",
    '<!DOCTYPE treaty SYSTEM "file:///etc/passwd">\n',
    '<!DOCTYPE treaty PUBLIC "-//X//DTD T//EN" "http://example.com/t.dtd">\n',
    '<!DOCTYPE treaty [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n',
    '<!DOCTYPE treaty [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n',
    "<!-- " + "pad " * 20_000 + "-->\n" + '<!DOCTYPE treaty [<!ENTITY a "a">]>\n',
    "<?xml-stylesheet href='x'?>\n",
]


def _attr(draw: st.DrawFn, name: str) -> str:
    return f" {name}={quoteattr(draw(odd_value))}" if draw(st.booleans()) else ""


@st.composite
def tota_xml(draw: st.DrawFn) -> bytes:
    """A ToTA-shaped treaty with hostile values in its metadata, attributes and text."""
    meta = []
    for tag in draw(st.lists(st.sampled_from(_META_TAGS), max_size=12)):
        meta.append(f"<{tag}>{escape(draw(odd_value))}</{tag}>")
    for group in ("parties", "parties_original"):
        codes = "".join(
            f"<partyisocode{_attr(draw, 'n')}>{escape(draw(odd_value))}</partyisocode>"
            for _ in range(draw(st.integers(0, 4)))
        )
        meta.append(f"<{group}>{codes}</{group}>")
    chapters = []
    for _ in range(draw(st.integers(0, 4))):
        articles = []
        for _ in range(draw(st.integers(0, 5))):
            text = escape(draw(treaty_words))
            if draw(st.integers(0, 9)) == 0:
                text = f"<![CDATA[{draw(treaty_words).replace(']]>', '')}]]>"
            if draw(st.integers(0, 9)) == 0:
                depth = draw(st.integers(1, 400))
                text = "<x>" * depth + text + "</x>" * depth
            attrs = "".join(_attr(draw, a) for a in ("article_identifier", "number", "name"))
            articles.append(f"<article{attrs}>{text}</article>")
        attrs = "".join(_attr(draw, a) for a in ("chapter_identifier", "number", "name"))
        chapters.append(f"<chapter{attrs}>{''.join(articles)}</chapter>")
    root = draw(st.sampled_from(["treaty"] * 8 + ["Treaty", "html", "x"]))
    body = f"<body>{''.join(chapters)}</body>" if draw(st.integers(0, 9)) else ""
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ENCODINGS))
    declared = draw(st.sampled_from([encoding, "utf-8", "ISO-8859-1", "bogus"]))
    doc = (
        f'<?xml version="1.0" encoding="{declared}"?>\n{draw(st.sampled_from(_PROLOGS))}'
        f"<{root}><meta>{''.join(meta)}</meta>{body}</{root}>\n"
    )
    return _encode(doc, encoding)


_TOTA_SAMPLE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<treaty><meta><name>Sample - Agreement</name>'
    b"<treaty_identifier>7</treaty_identifier><date_signed>2004-05-06</date_signed>"
    b'<parties><partyisocode n="1">CHL</partyisocode><partyisocode n="2">PER</partyisocode></parties>'
    b"<language>en</language><wto_rta_id>12</wto_rta_id></meta><body>"
    b'<chapter name="Rules of Origin" number="Chapter 3"><article article_identifier="1" number="Article 3.1"'
    b' name="Definitions">1. For the purposes of this Chapter: (a) goods means any product.\n'
    b"2. Each Party shall accept a certificate of origin.</article></chapter></body></treaty>\n"
)

xml_inputs = st.one_of(tota_xml(), mutated(_TOTA_SAMPLE), st.binary(max_size=400))


# -- plain text --------------------------------------------------------------------------------


@st.composite
def treaty_texts(draw: st.DrawFn) -> bytes:
    """Treaty-like text in a random encoding, sometimes flattened to one line or padded with junk."""
    lines = draw(st.lists(treaty_words, min_size=1, max_size=60))
    text = "\n".join(lines)
    shape = draw(st.sampled_from(["lines", "lines", "flat", "lower", "nul", "long"]))
    if shape == "flat":
        text = " ".join(text.split())
    elif shape == "lower":
        text = " ".join(text.lower().split())
    elif shape == "nul":
        text = text.replace(" ", "\x00", draw(st.integers(1, 50)))
    elif shape == "long":
        text = text * draw(st.integers(2, 40))
    return _encode(text, draw(st.sampled_from(ENCODINGS)))


text_inputs = st.one_of(treaty_texts(), st.binary(max_size=400))


# -- HTML --------------------------------------------------------------------------------------

_TAGS = [
    "div", "p", "span", "main", "article", "section", "h1", "h2", "h3", "li", "ul", "table", "tr", "td",
    "br", "hr", "pre", "b", "i", "a", "script", "style", "nav", "header", "footer", "aside", "form",
    "template", "svg", "math", "noscript", "iframe", "select", "head", "body", "html", "center", "x-y",
]  # fmt: skip
_ATTRS = [
    ' class="nav"', ' class="menu footer"', ' class="content"', ' id="main"', ' role="main"',
    ' role="navigation"', " hidden", ' aria-hidden="true"', ' style="display:none"', ' lang="es"',
    ' data-x="&amp;&#0;&#x110000;&bogus;"', ' onclick="alert(1)"', " class", ' id=""',
]  # fmt: skip
_ENTITIES = ["&amp;", "&lt;", "&nbsp;", "&#0;", "&#65;", "&#x110000;", "&#99999999999;", "&bogus;", "&", "&#"]


def _html_leaf() -> st.SearchStrategy[str]:
    return st.one_of(
        treaty_words.map(lambda s: s.replace("<", "&lt;")),
        st.sampled_from(_ENTITIES),
        st.sampled_from(["<!-- c -->", "<![CDATA[x]]>", "<?pi x?>", "</p>", "</div>", "<p", "<", ">"]),
    )


def _wrap(parts: tuple[str, str, list[str], bool]) -> str:
    tag, attrs, children, close = parts
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if close else "")


html_fragments = st.recursive(
    _html_leaf(),
    lambda children: st.tuples(
        st.sampled_from(_TAGS),
        st.lists(st.sampled_from(_ATTRS), max_size=2).map("".join),
        st.lists(children, max_size=6),
        st.booleans(),
    ).map(_wrap),
    max_leaves=60,
)


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    """A page of tag soup around treaty text, with a lying charset now and then and deep nesting."""
    body = "".join(draw(st.lists(html_fragments, max_size=8)))
    if draw(st.integers(0, 7)) == 0:
        depth = draw(st.sampled_from([100, 255, 256, 300, 2047, 2100, 5000]))
        body = "<div>" * depth + body + "</div>" * depth
    if draw(st.integers(0, 15)) == 0:
        body = f'<div title="{"a" * draw(st.integers(1, 200_000))}">x</div>' + body
    charset = draw(st.sampled_from(["", '<meta charset="utf-8">', '<meta charset="shift_jis">',
                                    '<meta charset="utf-16">', '<meta charset="bogus">']))  # fmt: skip
    doctype = draw(st.sampled_from(["<!DOCTYPE html>", "", "<!DOCTYPE html SYSTEM 'file:///etc/passwd'>"]))
    page = f"{doctype}<html><head>{charset}<title>t</title></head><body>{body}</body></html>"
    return _encode(page, draw(st.sampled_from(["utf-8"] * 6 + ENCODINGS)))


html_inputs = st.one_of(html_pages(), mutated(b"<!DOCTYPE html><html><body><main>x</main></body></html>"))


# -- PDF ---------------------------------------------------------------------------------------


def pdf_with_text(lines: list[str], *, compress: bool = False) -> bytes:
    """A one-page PDF that shows ``lines`` in Helvetica (a valid file, built by hand)."""

    def literal(s: str) -> str:
        return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    content = "BT /F1 10 Tf 50 800 Td 12 TL " + " ".join(f"{literal(s)} '" for s in lines) + " ET"
    stream = content.encode("latin-1", errors="replace")
    extra = ""
    if compress:
        stream = zlib.compress(stream)
        extra = " /Filter /FlateDecode"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)}{extra} >>\nstream\n".encode() + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


_PDF_SAMPLE = pdf_with_text(
    [
        "Article 1",
        "Definitions",
        "1. Each Party shall accept a certificate of origin issued by the other Party.",
    ]
    * 6
)


@st.composite
def pdfs(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(treaty_words, min_size=1, max_size=30))
    return pdf_with_text(lines, compress=draw(st.booleans()))


pdf_inputs = st.one_of(
    pdfs(),
    mutated(_PDF_SAMPLE),
    mutated(pdf_with_text(["Article 1 Each Party shall comply with this Agreement."] * 20, compress=True)),
    st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b + b"\n%%EOF\n"),
)


# -- manifest CSV ------------------------------------------------------------------------------

_COLUMNS = [
    "file", "title", "signed_year", "parties", "tota_id", "language", "notes", "original_name", "name",
    "signed", "family", "", "file ", "extra",
]  # fmt: skip
_FILES = ["a.txt", "./a.txt", "sub/../a.txt", "b.txt", "missing.txt", "../a.txt", "/etc/passwd", "", "sub"]


def _csv_cell(value: str) -> str:
    if any(ch in value for ch in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def manifests(draw: st.DrawFn) -> bytes:
    columns = draw(st.lists(st.sampled_from(_COLUMNS), min_size=1, max_size=8))
    rows = [",".join(_csv_cell(c) for c in columns)]
    for _ in range(draw(st.integers(0, 6))):
        cells = []
        for col in columns:
            value = (
                draw(st.sampled_from(_FILES))
                if col.strip() == "file" and draw(st.booleans())
                else draw(odd_value)
            )
            cells.append(value if draw(st.integers(0, 19)) == 0 else _csv_cell(value))
        if draw(st.integers(0, 9)) == 0:
            cells.append(draw(odd_value))  # a row longer than the header
        rows.append(",".join(cells))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return _encode(
        newline.join(rows) + newline, draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    )


manifest_inputs = st.one_of(manifests(), st.binary(max_size=300))


# -- the entry points --------------------------------------------------------------------------


def _xml(path: Path) -> object:
    from rulecompare.parsers.tota import parse_tota

    return parse_tota(path)


def _text(path: Path) -> object:
    from rulecompare.parsers.text import parse_text

    return parse_text(path)


def _html(path: Path) -> object:
    from rulecompare.parsers.html import parse_html

    return parse_html(path)


def _pdf(path: Path) -> object:
    from rulecompare.parsers.pdf import parse_pdf

    return parse_pdf(path)


def _manifest(path: Path) -> object:
    from rulecompare.parsers.manifest import parse_entry, read_manifest

    parsed = []
    for entry in read_manifest(path):
        entry.meta()
        if os.path.isfile(entry.path):
            try:
                parsed.append(parse_entry(entry))
            except RulecompareError:
                pass
    return parsed


TARGETS: dict[str, tuple[str, Callable[[Path], object], st.SearchStrategy[bytes]]] = {
    "xml": ("pta_1.xml", _xml, xml_inputs),
    "text": ("agreement.txt", _text, text_inputs),
    "html": ("page.html", _html, html_inputs),
    "pdf": ("treaty.pdf", _pdf, pdf_inputs),
    "manifest": ("MANIFEST.csv", _manifest, manifest_inputs),
}
"""Entry point name -> (file name it reads, the call, the inputs)."""


def prepare(folder: Path) -> None:
    """The files a manifest may name, beside it."""
    (folder / "sub").mkdir(exist_ok=True)
    (folder / "a.txt").write_text(
        "AGREEMENT BETWEEN CHILE AND PERU\n\nArticle 1\nDefinitions\n\n1. Each Party shall comply.\n" * 3,
        encoding="utf-8",
    )
    (folder / "b.txt").write_bytes(b"\x00\x01binary")


def check(target: str, data: bytes, folder: Path) -> None:
    """Feed ``data`` to the target's entry point as a file; only the project's own errors may escape."""
    name, call, _ = TARGETS[target]
    path = folder / name
    path.write_bytes(data)
    try:
        call(path)
    except RulecompareError:
        pass
