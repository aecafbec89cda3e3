"""PDF -> records: extract the text layer with pypdf, then recover structure as for plain text.

pypdf is pure Python (no compiled dependency to install), actively
maintained, already a dependency, and fast enough: RCEP's 510 pages take about
20 s.  pdfplumber would add pdfminer.six and a layout analysis (words, tables,
positions) that structure recovery from headings does not need.
A PDF without a text layer (a scan) is refused rather than OCR'd.
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
from .text import parse_text_string

__all__ = ["extract_pdf_text", "parse_pdf"]

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


def extract_pdf_text(path: Path | str, progress: Callable[[int, int], None] | None = None) -> str:
    """The text of every page joined by newlines; ParseError for a truncated, encrypted or scanned PDF.

    ``progress(done, total)`` is called after each page (pypdf spends about 40 ms a page).
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
    text = "\n".join(pages)
    if sum(ch.isalpha() for ch in text) < 200:
        raise ParseError(path, "no extractable text (scanned PDF?); run OCR first")
    return text


def parse_pdf(
    path: Path | str,
    meta: SourceMeta = NO_META,
    *,
    classify: Classifier | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedAgreement:
    """Read a treaty published as PDF; ``progress(done, total)`` is called as pages are read."""
    path = Path(path)
    text = extract_pdf_text(path, progress)
    return parse_text_string(text, meta.for_file(path), classify=classify)
