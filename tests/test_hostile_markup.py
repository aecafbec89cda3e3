"""Hostile HTML and XML: read whole or refused with a reason, never stored in part
(issue 17, points 4, 8 and 9)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from faultkit import treaty_text, treaty_xml

from rulecompare.errors import ParseError
from rulecompare.parsers.html import parse_html
from rulecompare.parsers.tota import parse_tota
from rulecompare.xmlsafe import MAX_BYTES, read_bounded

ARTICLES = 188


def _page(tmp_path: Path, middle: str = "", *, head: str = "", after: str = "") -> Path:
    """A treaty page: 188 articles in <main>, with ``middle`` half way through them."""
    lines = treaty_text(7, articles=ARTICLES).split("\n")
    half = len(lines) // 2
    paras = [f"<p>{line}</p>\n" for line in lines]
    body = "".join(paras[:half]) + middle + "".join(paras[half:])
    page = tmp_path / "treaty.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>Treaty</title>{head}</head>"
        f"<body><nav>Home | Treaties</nav><main>{body}</main>{after}</body></html>",
        encoding="utf-8",
    )
    return page


def _articles(path: Path) -> int:
    return len({c.article_index for c in parse_html(path).clauses if c.article_number})


def test_deep_nesting_in_the_middle_of_a_page_does_not_cut_it_short(tmp_path: Path) -> None:
    assert _articles(_page(tmp_path)) == ARTICLES
    deep = _page(tmp_path, "<div>" * 300 + "a note" + "</div>" * 300)
    assert _articles(deep) == ARTICLES


def test_nesting_beyond_any_limit_is_refused(tmp_path: Path) -> None:
    deeper = _page(tmp_path, "<div>" * 3000 + "a note" + "</div>" * 3000)
    with pytest.raises(ParseError, match=r"treaty\.html: HTML cannot be read whole \(Excessive depth"):
        parse_html(deeper)


def test_a_huge_attribute_and_many_scripts_do_not_hide_the_treaty(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        head='<meta name="x" content="' + "a" * 11_000_000 + '">',
        after="<script>var tracker = 1;</script>" * 1000,
    )
    assert _articles(page) == ARTICLES


def test_a_huge_text_node_does_not_cut_the_page_short(tmp_path: Path) -> None:
    page = _page(tmp_path, "<pre>" + "0123456789 " * 1_000_000 + "</pre>")
    assert _articles(page) == ARTICLES


def _treaty_with_prolog(tmp_path: Path, prolog: str, encoding: str = "utf-8") -> Path:
    xml = treaty_xml(5).replace('<?xml version="1.0" encoding="UTF-8"?>\n', "")
    path = tmp_path / "pta_5.xml"
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n'
    path.write_bytes((declaration + prolog + xml).encode(encoding))
    return path


PADDING = "<!-- " + "padding " * 10_000 + "-->\n"  # 80 KB: past the old 64 KiB pre-check


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE treaty PUBLIC "-//X//DTD Treaty//EN" "http://example.com/treaty.dtd">\n',
        PADDING + '<!DOCTYPE treaty PUBLIC "-//X//DTD Treaty//EN" "http://example.com/treaty.dtd">\n',
        PADDING + '<!DOCTYPE treaty SYSTEM "file:///etc/passwd">\n',
        PADDING + '<!DOCTYPE treaty [<!ENTITY lol "lol">]>\n',
    ],
    ids=["public", "public-late", "system-late", "entity-late"],
)
def test_dtds_and_entities_are_refused_wherever_they_are(tmp_path: Path, prolog: str) -> None:
    with pytest.raises(ParseError, match="XML declares entities or an external DTD; refused"):
        parse_tota(_treaty_with_prolog(tmp_path, prolog))


def test_an_entity_in_utf16_is_refused(tmp_path: Path) -> None:
    path = _treaty_with_prolog(tmp_path, '<!DOCTYPE treaty [<!ENTITY lol "lol">]>\n', "utf-16")
    with pytest.raises(ParseError, match="XML declares entities or an external DTD; refused"):
        parse_tota(path)


def test_a_plain_doctype_is_fine(tmp_path: Path) -> None:
    assert parse_tota(_treaty_with_prolog(tmp_path, PADDING + "<!DOCTYPE treaty>\n")).clauses


def test_xml_beyond_the_parser_limits_says_so(tmp_path: Path) -> None:
    xml = treaty_xml(5).replace("</body>", "<x>" * 300 + "</x>" * 300 + "</body>")
    path = tmp_path / "pta_5.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(
        ParseError, match=r"XML exceeds the parser's limits \(Excessive depth in document: 256\)"
    ):
        parse_tota(path)


def test_party_order_that_is_no_number_is_document_order(tmp_path: Path) -> None:
    xml = treaty_xml(5).replace('<partyisocode n="1">CHL', '<partyisocode n="first">CHL')
    xml = xml.replace('<partyisocode n="2">PER', '<partyisocode n="²">PER')
    xml = xml.replace(
        "</treaty_identifier>", "</treaty_identifier><wto_rta_id>99999999999999999999</wto_rta_id>"
    )
    path = tmp_path / "pta_5.xml"
    path.write_text(xml, encoding="utf-8")
    agreement = parse_tota(path).agreement
    assert agreement.parties == ("CHL", "PER")
    assert agreement.wto_rta_id is None


def test_the_size_limit_is_said_in_mebibytes(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with open(big, "wb") as f:
        f.truncate(MAX_BYTES + 1024 * 1024)  # sparse: nothing is written
    assert os.path.getsize(big) == 51 * 1024 * 1024
    with pytest.raises(ParseError, match=r"big\.xml: file is 51\.0 MiB, over the 50 MiB limit"):
        read_bounded(big)


def test_control_characters_beside_page_furniture(tmp_path: Path) -> None:
    """Found by fuzzing: removing a menu whose tail holds a control character raised ValueError."""
    from rulecompare.parsers.html import html_to_text

    page = b'<html><body><main><div class="nav">menu</div>\x1fArticle 1 <p>Each Party shall</p></main></html>'
    assert html_to_text(page) == "Article 1\nEach Party shall"
