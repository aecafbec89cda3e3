"""Scanned treaties: OCR through Tesseract when installed, and the parser's targets on OCR-damaged text.

The OCR tests need the ``tesseract`` and ``pdftoppm`` programs (``.ci/run``
installs them); without them they skip and say what to install.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rulecompare.errors import ParseError
from rulecompare.parsers.fidelity import compare
from rulecompare.parsers.ocr import INSTALL, ocr_missing, ocr_pdf
from rulecompare.parsers.pdf import parse_pdf
from rulecompare.parsers.synthetic import Line, Page, damage, draw_pages, layout_tota, page_text
from rulecompare.parsers.text import SourceMeta, parse_text_string
from rulecompare.parsers.tota import parse_tota

MISSING = ocr_missing()
needs_ocr = pytest.mark.skipif(MISSING is not None, reason=f"OCR not installed ({MISSING}): {INSTALL}")
META = SourceMeta(agreement_id="file:scan", name="Scanned Agreement", parties=("CHL", "CHN"))


def no_area(*_args: object) -> str:
    return "x"


def test_missing_ocr_names_the_file_and_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "rulecompare.parsers.ocr.shutil.which", lambda name: None if name == "tesseract" else "/x"
    )
    with pytest.raises(ParseError) as err:
        ocr_pdf(tmp_path / "scan.pdf", 2)
    assert str(err.value) == (
        f"{tmp_path / 'scan.pdf'}: image-only PDF (a scan) and no OCR: tesseract not found; "
        "install with: apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils"
    )


def _page(lines: list[str]) -> Page:
    return Page([Line(s, "body") for s in lines])


@needs_ocr
def test_a_scanned_page_is_read_and_parsed(tmp_path: Path) -> None:
    pages = [
        _page(
            [
                "FREE TRADE AGREEMENT BETWEEN CHILE AND CHINA",
                "",
                "ARTICLE 1: Establishment of a Free Trade Area",
                "The Parties hereby establish a free trade area in accordance with the",
                "General Agreement on Tariffs and Trade and the WTO Agreement.1",
                "",
                "ARTICLE 2: Objectives",
                "1. The objectives of this Agreement are to encourage the expansion of trade.",
                "2. The Parties shall interpret this Agreement in the light of its objectives.",
                "",
                "ARTICLE 3: Definitions",
                "For the purposes of this Agreement, days means calendar days.",
                "",
                "1 For greater certainty, the WTO Agreement includes its annexes.",
                "",
                "1",
            ]
        )
    ]
    pdf = draw_pages(pages, tmp_path / "scan.pdf", seed=1)
    seen: list[tuple[int, int]] = []
    p = parse_pdf(pdf, META, classify=no_area, ocr_dpi=100, progress=lambda d, t: seen.append((d, t)))
    numbers = [c.article_number_repaired or c.article_number for c in p.clauses if c.article_number]
    assert list(dict.fromkeys(n.split()[-1] for n in numbers if n)) == ["1", "2", "3"]
    assert [(f.label, f.clause_id) for f in p.footnotes] == [("1", "file:scan/art-1/1")]
    assert "greater certainty" not in "\n".join(c.text for c in p.clauses)
    assert seen[-1][0] == 1 and seen[-1][1] == 1


@needs_ocr
@pytest.mark.corpus
def test_scanned_tota_pages_through_tesseract(tota_dir: Path, tmp_path: Path) -> None:
    # Chile-China's first four pages drawn as a 100-dpi scan, read back by Tesseract.
    pages, _ = layout_tota(tota_dir / "pta_7.xml", seed=7)
    pdf = draw_pages(pages[:4], tmp_path / "scan.pdf", seed=7)
    p = parse_pdf(pdf, META, classify=no_area, ocr_dpi=100)
    found = {
        (c.article_number_repaired or c.article_number or "").split()[-1]
        for c in p.clauses
        if c.article_number
    }
    # ToTA's articles 1 to 8 begin on these pages.
    assert len(found & {str(n) for n in range(1, 9)}) >= 7, found


@pytest.mark.corpus
@pytest.mark.parametrize("tota_id", [384, 156, 29])
def test_ocr_damaged_text_keeps_its_structure(tota_dir: Path, tota_id: int) -> None:
    # China-New Zealand, US-Peru, EU-Chile laid out as pages and damaged as OCR damages them.
    path = tota_dir / f"pta_{tota_id}.xml"
    truth = parse_tota(path, classify=no_area)
    pages, _ = layout_tota(path, seed=tota_id)
    clean = compare(parse_text_string(page_text(pages), META, classify=no_area), truth)
    damaged = compare(
        parse_text_string(page_text(damage(pages, seed=tota_id)), META, classify=no_area), truth
    )
    assert damaged.recall >= 0.97 and damaged.title_agreement >= 0.9, damaged
    assert clean.recall >= 0.99 and clean.title_agreement >= 0.97, clean


def test_damage_is_seeded(tota_dir: Path) -> None:
    pages, _ = layout_tota(tota_dir / "pta_7.xml", seed=3)
    a = page_text(damage(pages, seed=3))
    assert a == page_text(damage(pages, seed=3)) and a != page_text(damage(pages, seed=4))
    assert a != page_text(pages)
