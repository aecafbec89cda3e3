"""Metadata for imported files, and one entry point that reads any supported source.

A text file says little about itself reliably (its parties, its date), so a
user who imports several agreements describes them in a manifest CSV with the
columns of ``corpora/ggo/MANIFEST.csv``:

``file,title,signed_year,parties,tota_id,language,notes,original_name``

plus the optional ``name`` (a short name users type), ``signed`` (ISO date,
more precise than ``signed_year``) and ``family`` (catalog families, ";"-
separated).  Parties are ISO3 codes separated by ";" (``EU`` is the European
Union as a bloc party, other blocs of the catalog likewise, and ``WTO`` the
membership of a multilateral WTO text); a code the catalog does not know is
an error.  ``file`` is relative to the manifest's folder and must stay inside
it: an absolute path or a ``..`` (or a symlink) leading out of the folder is
refused, so that a manifest from elsewhere cannot make ingest read
``/etc/passwd``, unless the caller names a wider ``root``.  A file listed twice
is an error too.

:func:`parse_any` picks the parser by content and extension: ToTA XML,
HTML, PDF, else plain text.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParseError
from ..model import ParsedAgreement
from ..xmlsafe import read_bounded
from .common import NO_META, Classifier, SourceMeta

__all__ = ["ManifestEntry", "detect_format", "parse_any", "parse_entry", "read_manifest"]

_PARTY = re.compile(r"^[A-Z]{2,4}$")

MULTILATERAL = frozenset({"WTO"})
"""Party codes that stand for the membership of a multilateral text, beside countries and blocs."""


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One row of a manifest: a source file and what we know about the agreement in it."""

    path: Path
    """The source file (resolved against the manifest's folder)."""
    line: int
    """Line of the row in the manifest, for messages."""
    title: str | None = None
    """Full name of the agreement."""
    name: str | None = None
    """Short name users type (kept as an alias)."""
    parties: tuple[str, ...] = ()
    """ISO3 codes (``EU`` for the European Union)."""
    signed: dt.date | None = None
    signed_year: int | None = None
    tota_id: int | None = None
    """ToTA treaty id of the same agreement, when ToTA has it."""
    language: str | None = None
    families: tuple[str, ...] = ()
    notes: str = ""
    original_name: str = ""

    def meta(self) -> SourceMeta:
        """What the row tells the parser: its title (else its short name) as the name, and the rest.

        A year without a day is not a date of signature: it is left unknown
        rather than stored as 1 January, which would decide "signed earlier"
        and "in force" on a day nobody chose (:func:`parse_entry` says so in
        the warnings). Give the day in the ``signed`` column.
        """
        return SourceMeta(
            name=self.title or self.name,
            parties=self.parties,
            signed=self.signed,
            language=self.language,
            families=self.families,
            aliases=(self.name,) if self.name else (),
        )


@dataclass(frozen=True, slots=True)
class _Row:
    """A manifest row being read, for its values and its error messages."""

    values: dict[str, str]
    manifest: Path
    line: int

    def get(self, col: str) -> str:
        return (self.values.get(col) or "").strip()

    def bad(self, reason: str) -> ParseError:
        return ParseError(self.manifest, f"line {self.line}: {reason}")

    def codes(self, col: str, upper: bool) -> tuple[str, ...]:
        """The ";"-separated codes of a column, stripped, in upper or lower case."""
        parts = (p.strip() for p in self.get(col).split(";"))
        return tuple(p.upper() if upper else p.lower() for p in parts if p)


def _row_entry(row: _Row, base: Path, root: Path | None) -> ManifestEntry:
    file = row.get("file")
    if not file:
        raise row.bad("no file name in the 'file' column")
    path = _inside(row, file, base, root)
    year = _signed_year(row)
    signed = _signed(row, year)
    parties = _parties(row)
    tota_id = _tota_id(row)
    language = _language(row)
    return ManifestEntry(
        path=path,
        line=row.line,
        title=row.get("title") or None,
        name=row.get("name") or None,
        parties=parties,
        signed=signed,
        signed_year=year,
        tota_id=tota_id,
        language=language,
        families=row.codes("family", upper=False),
        notes=row.get("notes"),
        original_name=row.get("original_name"),
    )


def _inside(row: _Row, file: str, base: Path, root: Path | None) -> Path:
    """The row's file, refused when it lies outside the manifest's folder (or the ``root`` allowed)."""
    if any(ord(ch) < 32 for ch in file):
        raise row.bad(f"file {file!r} holds control characters; no file has such a name here")
    given = Path(file)
    if given.is_absolute() and root is None:
        raise row.bad(
            f"file '{file}' is an absolute path; name files relative to the manifest's folder "
            "(or allow a folder with --manifest-root)"
        )
    path = base / given
    allowed = (root if root is not None else base).resolve()
    if not path.resolve().is_relative_to(allowed):
        where = "the folder allowed" if root is not None else "the manifest's folder"
        raise row.bad(
            f"file '{file}' is outside {where} ({allowed}); refused (allow a folder with --manifest-root)"
        )
    return path


def _signed_year(row: _Row) -> int | None:
    value = row.get("signed_year")
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}", value) or int(value) < 1:
        raise row.bad(f"signed_year '{value}' is not a year")
    return int(value)


def _signed(row: _Row, year: int | None) -> dt.date | None:
    value = row.get("signed")
    if not value:
        return None
    try:
        signed = dt.date.fromisoformat(value)
    except ValueError:
        raise row.bad(f"signed '{value}' is not an ISO date (YYYY-MM-DD)") from None
    if year is not None and signed.year != year:
        raise row.bad(f"signed {signed} and signed_year {year} disagree")
    return signed


def _parties(row: _Row) -> tuple[str, ...]:
    parties = row.codes("parties", upper=True)
    wrong = [p for p in parties if not _PARTY.match(p)]
    if wrong:
        raise row.bad(f"parties must be ISO3 codes separated by ';' (got {', '.join(wrong)})")
    unknown = [p for p in parties if p not in _known_parties()]
    if unknown:
        raise row.bad(
            f"unknown party code {', '.join(unknown)} (ISO3 codes, a bloc such as EU or ASEAN, or WTO; "
            "see agreements/countries.csv)"
        )
    return parties


@functools.lru_cache(maxsize=1)
def _known_parties() -> frozenset[str]:
    from ..catalog import load_catalog, load_countries

    return frozenset(load_countries()) | frozenset(load_catalog().blocs) | MULTILATERAL


def _tota_id(row: _Row) -> int | None:
    value = row.get("tota_id")
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise row.bad(f"tota_id '{value}' is not a number")
    return int(value)


def _language(row: _Row) -> str | None:
    language = row.get("language").lower() or None
    if language is not None and not re.fullmatch(r"[a-z]{2}", language):
        raise row.bad(f"language '{language}' is not a two-letter ISO 639-1 code")
    return language


def read_manifest(path: Path | str, *, root: Path | str | None = None) -> list[ManifestEntry]:
    """The rows of a manifest CSV; ParseError naming the manifest and the line of a bad row.

    Files must lie inside the manifest's folder, or inside ``root`` when it is
    given (absolute paths are then allowed too).  Files are not opened here:
    a missing file fails when it is parsed, so that ingest can report it and
    go on with the others.
    """
    path = Path(path)
    try:
        text = read_bounded(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError(path, "manifest is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise ParseError(path, f"line 1: malformed CSV ({exc})") from None
    if not header or "file" not in [f.strip() for f in header]:
        raise ParseError(
            path, "line 1: manifest has no 'file' column (expected file,title,signed_year,parties,...)"
        )
    reader.fieldnames = [f.strip() for f in header]
    entries: list[ManifestEntry] = []
    lines: dict[Path, int] = {}
    allowed = Path(root) if root is not None else None
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                raise ParseError(
                    path, f"line {line}: more fields than columns (quote fields containing commas)"
                )
            if not any((v or "").strip() for v in row.values()):
                continue
            entry = _row_entry(_Row(row, path, line), path.parent, allowed)
            first = lines.setdefault(entry.path.resolve(), line)
            if first != line:
                raise ParseError(
                    path, f"line {line}: {entry.path.name} is listed twice (first on line {first})"
                )
            entries.append(entry)
    except csv.Error as exc:
        raise ParseError(path, f"line {reader.line_num}: malformed CSV ({exc})") from None
    if not entries:
        raise ParseError(path, "manifest lists no files")
    return entries


def detect_format(path: Path | str) -> str:
    """ "tota", "html", "pdf" or "text", from the first bytes of the file and its extension."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise ParseError(path, f"cannot read file ({exc.strerror or exc})") from None
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    suffix = path.suffix.lower()
    if low.startswith(b"%pdf-") or suffix == ".pdf":
        return "pdf"
    if low.startswith(b"<!doctype html") or low.startswith(b"<html") or suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if b"<treaty" in low and (low.startswith(b"<?xml") or low.startswith(b"<treaty")):
        return "tota"
    if suffix == ".xml":
        return "tota"
    return "text"


def parse_any(
    path: Path | str,
    meta: SourceMeta = NO_META,
    *,
    classify: Classifier | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedAgreement:
    """Parse a source file of any supported format with what ``meta`` says about it.

    ToTA XML carries its own metadata: of ``meta`` only the families and
    aliases are added to it.  ``progress(done, total)`` reports the pages of a PDF.
    """
    path = Path(path)
    fmt = detect_format(path)
    if fmt == "tota":
        from .tota import parse_tota

        parsed = parse_tota(path, classify=classify)
        return dataclasses.replace(parsed, agreement=meta.add_families_and_aliases(parsed.agreement))
    if fmt == "pdf":
        from .pdf import parse_pdf

        return parse_pdf(path, meta, classify=classify, progress=progress)
    if fmt == "html":
        from .html import parse_html

        return parse_html(path, meta, classify=classify)
    from .text import parse_text

    return parse_text(path, meta, classify=classify)


def parse_entry(
    entry: ManifestEntry,
    *,
    classify: Classifier | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedAgreement:
    """Parse the file of a manifest row with the row's metadata (title, parties, date, families, name)."""
    meta = entry.meta()
    parsed = parse_any(entry.path, meta, classify=classify, progress=progress)
    if entry.signed_year is None or entry.signed is not None:
        return parsed
    warnings = tuple(w for w in parsed.warnings if "date of signature" not in w)
    warnings += (
        f"signature date known only to the year ({entry.signed_year}): stored as unknown, "
        "so it decides neither 'earlier' nor 'in force'; give the day in the manifest's 'signed' column",
    )
    return dataclasses.replace(parsed, warnings=warnings)
