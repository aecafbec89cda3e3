"""PDF -> records: extract the text layer with pypdf, then recover structure as for plain text.

pypdf is pure Python (no compiled dependency to install), actively
maintained, already a dependency, and fast enough: RCEP's 510 pages take about
20 s.  pdfplumber would add pdfminer.six and a layout analysis (words, tables,
positions) that structure recovery from headings does not need.

A PDF without a text layer (a scan) is read by Tesseract when it is
installed (:mod:`.ocr`); otherwise it is refused with what to install.
Pages are separated by form feeds, which tells the text parser where pages
end (their running headers, page numbers and footnotes).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..errors import ParseError
from ..model import ParsedAgreement
from ..xmlsafe import read_bounded
from .common import NO_META, Classifier, SourceMeta
from .ocr import ocr_pdf
from .text import parse_text_string

__all__ = ["extract_pdf_text", "parse_pdf", "pdf_text"]

_DAMAGE = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    NotImplementedError,
)
"""What pypdf raises on damaged files (NotImplementedError: a filter it does not know, found by fuzzing)."""


def extract_pdf_text(
    path: Path | str,
    progress: Callable[[int, int], None] | None = None,
    *,
    language: str | None = None,
    ocr_dpi: int = 300,
) -> str:
    """The text of every page, pages separated by form feeds, OCR'd if need be (see :func:`pdf_text`)."""
    return pdf_text(path, progress, language=language, ocr_dpi=ocr_dpi)[0]


def pdf_text(
    path: Path | str,
    progress: Callable[[int, int], None] | None = None,
    *,
    language: str | None = None,
    ocr_dpi: int = 300,
) -> tuple[str, bool]:
    """The text of every page, pages separated by form feeds, and whether it was OCR'd (the PDF is a scan).

    ParseError for a truncated or encrypted PDF, and for a scan when Tesseract is not installed
    (the message says what to install).  ``progress(done, total)`` is called after each page
    (pypdf spends about 40 ms a page, Tesseract seconds).  ``language`` (ISO 639-1) and
    ``ocr_dpi`` are for OCR.
    """
    path = Path(path)
    data = read_bounded(path)
    if data.lstrip()[:5] != b"%PDF-":
        raise ParseError(path, "not a PDF file (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise ParseError(path, "truncated PDF (no end-of-file marker)")
    # pypdf logs recoverable damage as warnings; we report damage as errors instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    pages: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ParseError(path, "encrypted PDF; decrypt it first (e.g. qpdf --decrypt)")
        total = len(reader.pages)
        for i, page in enumerate(reader.pages):
            pages.append(page.extract_text() or "")
            if progress is not None:
                progress(i + 1, total)
    except ParseError:
        raise
    except _DAMAGE as exc:
        raise ParseError(path, f"damaged or truncated PDF ({type(exc).__name__}: {exc})") from None
    text = "\f".join(pages)
    if sum(ch.isalpha() for ch in text) >= 200:
        return text, False
    text = ocr_pdf(path, len(pages), language=language, dpi=ocr_dpi, progress=progress)
    if sum(ch.isalpha() for ch in text) < 200:
        raise ParseError(path, "no text found, not even by OCR (blank pages?)")
    return text, True


def parse_pdf(
    path: Path | str,
    meta: SourceMeta = NO_META,
    *,
    classify: Classifier | None = None,
    progress: Callable[[int, int], None] | None = None,
    ocr_dpi: int = 300,
) -> ParsedAgreement:
    """Read a treaty published as PDF (OCR'd at ``ocr_dpi`` if it is a scan).

    ``progress(done, total)`` is called as pages are read.
    """
    path = Path(path)
    text, ocred = pdf_text(path, progress, language=meta.language, ocr_dpi=ocr_dpi)
    return parse_text_string(text, meta.for_file(path), classify=classify, ocr=ocred)
