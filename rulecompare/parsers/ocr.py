"""Image-only PDFs (scans) -> text, through Tesseract, when it is installed.

A scanned treaty has no text layer, only pictures of its pages.  We render
each page with Poppler's ``pdftoppm`` and read it with ``tesseract``, both
called as programs (no Python binding to install or keep in step with the
C libraries), each with a time limit, one page at a time so that progress
can be reported and a page that hangs is named.  The text then goes through
the same structure recovery as any text, which reads headings through the
damage OCR does (:mod:`rulecompare.parsers.text.misread`).

Without the programs the parser says which file needed them and what to
install (:data:`INSTALL`); nothing else in rulecompare needs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ..errors import ParseError

__all__ = ["INSTALL", "ocr_missing", "ocr_pdf"]

INSTALL = "apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils"
"""The Debian/Ubuntu packages OCR needs (Homebrew: ``brew install tesseract poppler``)."""

PAGE_TIMEOUT = 180.0
"""Seconds Tesseract may take over one page (a dense A4 page at 300 dpi takes 5 to 20)."""
RENDER_TIMEOUT = 120.0
"""Seconds pdftoppm may take to render one page."""
_LANGUAGES = {"en": "eng", "es": "spa", "fr": "fra"}


@cache
def _installed_languages() -> frozenset[str]:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return frozenset()
    try:
        out = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def ocr_missing() -> str | None:
    """What OCR lacks on this machine ("tesseract", "pdftoppm", "English data"), or None when it can run."""
    missing = [tool for tool in ("tesseract", "pdftoppm") if shutil.which(tool) is None]
    if not missing and "eng" not in _installed_languages():
        missing.append("Tesseract's English data")
    return ", ".join(missing) or None


def ocr_pdf(
    path: Path | str,
    pages: int,
    *,
    language: str | None = None,
    dpi: int = 300,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """The text of an image-only PDF of ``pages`` pages, read by Tesseract; pages separated by form feeds.

    ``language`` is the text's ISO 639-1 code (English unless its Tesseract data is installed).
    Raises ParseError, naming the file, when OCR is not installed, a page cannot be rendered or
    read, or a page takes longer than its time limit.
    """
    path = Path(path)
    missing = ocr_missing()
    if missing is not None:
        raise ParseError(
            path, f"image-only PDF (a scan) and no OCR: {missing} not found; install with: {INSTALL}"
        )
    lang = _LANGUAGES.get(language or "en", "eng")
    if lang not in _installed_languages():
        lang = "eng"
    # One thread per Tesseract: ingest already reads several files at once.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="rulecompare-ocr-") as tmp:
        for page in range(1, pages + 1):
            image = _render(path, page, dpi, Path(tmp))
            texts.append(_read(path, page, image, lang, dpi, env))
            image.unlink()
            if progress is not None:
                progress(page, pages)
    return "\f".join(texts)


def _render(path: Path, page: int, dpi: int, tmp: Path) -> Path:
    """Page ``page`` of the PDF as a grey PNG at ``dpi``."""
    stem = tmp / f"page-{page}"
    cmd = ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page)]
    _run(path, page, [*cmd, str(path), str(stem)], RENDER_TIMEOUT, "render", None)
    image = stem.with_suffix(".png")
    if not image.is_file():
        raise ParseError(path, f"OCR: pdftoppm wrote no image for page {page}")
    return image


def _read(path: Path, page: int, image: Path, lang: str, dpi: int, env: dict[str, str]) -> str:
    cmd = ["tesseract", str(image), "-", "-l", lang, "--dpi", str(dpi)]
    out = _run(path, page, cmd, PAGE_TIMEOUT, "read", env)
    return out.rstrip("\f\n")


def _run(path: Path, page: int, cmd: list[str], timeout: float, what: str, env: dict[str, str] | None) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise ParseError(path, f"OCR: could not {what} page {page} within {timeout:.0f} s") from None
    except OSError as exc:
        raise ParseError(path, f"OCR: cannot run {cmd[0]} ({exc})") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ParseError(path, f"OCR: {cmd[0]} failed on page {page} ({last})")
    return done.stdout
