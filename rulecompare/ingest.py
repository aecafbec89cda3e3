"""From source files to the store: discovery, parsing (in parallel) and all-or-nothing writes.

Each source file is parsed outside any transaction and written in one
transaction of its own, so a bad file, a full disk or a Ctrl-C leaves the
store exactly as it was before that file.  A file whose bytes and parser
version are unchanged is skipped without parsing: re-ingesting the same corpus
changes nothing and costs a hash per file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .corpus import CorpusLocation
from .duplicates import find_duplicate
from .errors import ParseError, RulecompareError
from .model import ParsedAgreement
from .parsers.common import NO_META, SourceMeta
from .parsers.manifest import ManifestEntry, read_manifest
from .store import IngestResult, Store, file_sha256
from .xmlsafe import read_bounded

SOURCE_SUFFIXES = (".xml", ".txt", ".html", ".htm", ".pdf")

Progress = Callable[[IngestResult], None]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to ingest, with the metadata a manifest row or the user supplied."""

    path: Path
    meta: SourceMeta = NO_META
    """What the user (or, for a file we know, ingest) says about the file."""
    entry: ManifestEntry | None = None
    """The manifest row this file comes from, if any (its metadata is used instead of ``meta``)."""

    def describe(self) -> bytes:
        """What besides the file's bytes the records are made from."""
        return repr((self.meta, self.entry)).encode()


@cache
def parser_version() -> str:
    """A digest of the code that turns a file into records.

    Stored beside each source's hash: when the parsers, the segmenter, the
    taxonomy or the catalog change, the next ingest re-parses every file
    instead of keeping records made by older rules.
    """
    here = Path(__file__).resolve().parent
    h = hashlib.sha1()
    files = sorted(
        [*(here / "parsers").rglob("*.py"), *(here / "data").glob("*")]
        + [p for package in ("taxonomy", "catalog") for p in (here / package).glob("*.*")]
        + [here / n for n in ("segment.py", "model.py")]
    )
    agreements = here.parent / "agreements"
    if agreements.is_dir():
        files += sorted(p for p in agreements.glob("*") if p.is_file())
    for f in files:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def discover(paths: Iterable[Path | str]) -> tuple[list[Path], list[IngestResult]]:
    """Expand folders into the source files inside them; missing paths become failures."""
    found: list[Path] = []
    problems: list[IngestResult] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(
                (f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SOURCE_SUFFIXES),
                key=_natural_key,
            )
            if not files:
                problems.append(
                    IngestResult(
                        str(p),
                        "failed",
                        message=f"{p}: no source files (.xml, .txt, .html, .pdf) in this folder",
                    )
                )
            found.extend(files)
        elif p.exists():
            found.append(p)
        else:
            problems.append(IngestResult(str(p), "failed", message=f"{p}: no such file or folder"))
    return found, problems


def _natural_key(p: Path) -> tuple[str, int, str]:
    stem = p.stem
    digits = "".join(ch for ch in stem.rsplit("_", 1)[-1] if ch.isdigit())
    return (str(p.parent), int(digits) if digits else -1, p.name)


def parse_source(src: SourceFile) -> ParsedAgreement:
    """Parse one source by its format (ToTA XML, text, HTML or PDF) with its metadata and families."""
    from .parsers.manifest import parse_any, parse_entry

    parsed = parse_entry(src.entry) if src.entry is not None else parse_any(src.path, src.meta)
    return _with_catalog(parsed)


def _with_catalog(parsed: ParsedAgreement) -> ParsedAgreement:
    """The parsed agreement with the catalog's families and aliases added after its own."""
    from .catalog import load_catalog

    catalog = load_catalog()
    a = parsed.agreement
    families = tuple(dict.fromkeys((*a.families, *catalog.families_for(a))))
    aliases = tuple(dict.fromkeys((*a.aliases, *catalog.aliases_for(a))))
    return dataclasses.replace(parsed, agreement=dataclasses.replace(a, families=families, aliases=aliases))


def _parse_job(src: SourceFile) -> ParsedAgreement | ParseError:
    """Worker entry point: errors come back as values so one bad file does not stop the pool."""
    try:
        return parse_source(src)
    except ParseError as exc:
        return exc
    except (RulecompareError, ValueError, OSError, UnicodeError) as exc:
        return ParseError(src.path, f"cannot parse ({exc})")


def ingest_sources(
    store: Store,
    sources: Sequence[SourceFile],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[IngestResult]:
    """Ingest source files; returns one result per file (unchanged and unreadable files
    first, then the others in the order their parsing finished).

    Parsing runs in ``workers`` processes (default: the CPU count, at most 4)
    when there are many files; writing stays in this process, one
    transaction per file.
    """
    results: list[IngestResult] = []

    def report(r: IngestResult) -> None:
        results.append(r)
        if progress:
            progress(r)

    version = parser_version()
    todo: list[tuple[SourceFile, str]] = []
    for src in sources:
        try:
            data = read_bounded(src.path)
        except ParseError as exc:
            report(IngestResult(str(src.path), "failed", message=str(exc)))
            continue
        # Manifest metadata is part of what the record is made from.
        digest = file_sha256(data + src.describe())
        key = str(src.path.resolve())
        if store.is_current(key, digest, version):
            report(IngestResult(str(src.path), "unchanged", store.source_agreement(key)))
        else:
            todo.append((src, digest))
    if not todo:
        return results
    n_workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    if n_workers > 1 and len(todo) >= 4:
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            # Biggest first (a PDF can take as long as all of ToTA), written as they finish.
            order = sorted(todo, key=lambda t: -t[0].path.stat().st_size)
            futures = {pool.submit(_parse_job, src): (src, digest) for src, digest in order}
            try:
                done = ((*futures[f], f.result()) for f in as_completed(futures))
                _write_all(store, done, version, report)
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    else:
        _write_all(store, ((src, d, _parse_job(src)) for src, d in todo), version, report)
    return results


def _write_all(
    store: Store,
    parsed_sources: Iterable[tuple[SourceFile, str, ParsedAgreement | ParseError]],
    version: str,
    report: Callable[[IngestResult], None],
) -> None:
    for src, digest, parsed in parsed_sources:
        if isinstance(parsed, ParseError):
            report(IngestResult(str(src.path), "failed", message=str(parsed)))
            continue
        parsed, duplicated_by, duplicate = _link_duplicates(store, parsed)
        status = store.put(
            parsed, path=str(src.path.resolve()), sha256=digest, parser=version, duplicated_by=duplicated_by
        )
        report(
            IngestResult(
                str(src.path),
                status,
                parsed.agreement.id,
                len(parsed.clauses),
                "; ".join(parsed.warnings),
                duplicate,
            )  # fmt: skip
        )


def _link_duplicates(store: Store, parsed: ParsedAgreement) -> tuple[ParsedAgreement, list[str], str]:
    """The duplicate step: an agreement the store holds from another source is linked, not added twice.

    Returns the record to write (with ``duplicate_of`` set when it is the copy), the stored
    agreements that become copies of it, and the warning naming both ("" when there is no copy).
    """
    link = find_duplicate(store, parsed)
    if link is None:
        return parsed, [], ""
    a = parsed.agreement
    if link.duplicate == a.id:
        return (
            dataclasses.replace(parsed, agreement=dataclasses.replace(a, duplicate_of=link.kept)),
            [],
            link.message,
        )
    return parsed, [link.duplicate], link.message


def ingest_paths(
    store: Store,
    paths: Iterable[Path | str],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[IngestResult]:
    """Ingest files and folders (folders are searched for source files)."""
    files, problems = discover(paths)
    for p in problems:
        if progress:
            progress(p)
    return problems + ingest_sources(
        store, [SourceFile(f) for f in files], progress=progress, workers=workers
    )


RCEP_PARTIES = (
    "AUS", "BRN", "CHN", "IDN", "JPN", "KHM", "KOR", "LAO", "MMR", "MYS", "NZL", "PHL", "SGP", "THA", "VNM",
)  # fmt: skip
"""The fifteen signatories of RCEP (15 November 2020); its preamble alone names them poorly."""

_KNOWN_PDFS: dict[str, SourceMeta] = {
    "rcep-2020.pdf": SourceMeta(
        name="Regional Comprehensive Economic Partnership (RCEP)",
        parties=RCEP_PARTIES,
        signed=dt.date(2020, 11, 15),
        language="en",
    ),
}


def corpus_sources(location: CorpusLocation) -> list[SourceFile]:
    """Every source of a corpus folder: ToTA XML, the text manifest, and the PDFs.

    Manifest rows that name a ``tota_id`` are skipped when ToTA is present:
    they are the same agreements, and keeping both would fill every matrix
    with near-identical pairs.
    """
    sources: list[SourceFile] = []
    if location.tota_xml is not None:
        files, _ = discover([location.tota_xml])
        sources += [SourceFile(f) for f in files]
    if location.ggo_manifest is not None:
        for entry in read_manifest(location.ggo_manifest):
            if entry.tota_id is not None and location.tota_xml is not None:
                continue
            sources.append(SourceFile(entry.path, entry=entry))
    for pdf in location.pdfs:
        sources.append(SourceFile(pdf, meta=_KNOWN_PDFS.get(pdf.name, NO_META)))
    return sources


def manifest_sources(manifest: Path) -> list[SourceFile]:
    """The files of a manifest CSV, each with its row's metadata."""
    return [SourceFile(e.path, entry=e) for e in read_manifest(manifest)]
