"""From source files to the store: discovery, parsing (in parallel) and all-or-nothing writes.

Each source file is parsed outside any transaction and written in one
transaction of its own, so a bad file or a full disk leaves the store exactly
as it was before that file, and a Ctrl-C lets the file being written finish
(a fraction of a second) before it stops.  Parsing runs in worker processes
(:mod:`rulecompare.workers`) that never outlive the ingest.  A file whose bytes and parser
version are unchanged is skipped without parsing: re-ingesting the same corpus
changes nothing and costs a hash per file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
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
from .workers import WorkerDied, Workers
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
    except Exception as exc:  # a bug in a parser: one line for this file, and the others go on
        return ParseError(
            src.path, f"cannot parse (internal error, please report: {type(exc).__name__}: {exc})"
        )


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped an ingest; ``results`` says what happened to each file before it.

    Every file reported ``added`` or ``updated`` is in the store whole; no
    file is in it in part.
    """

    def __init__(self, results: list[IngestResult]) -> None:
        super().__init__()
        self.results = results


class _Interrupts:
    """SIGINT handling during an ingest: a Ctrl-C while a file is written waits for its commit and its
    report (a fraction of a second), so that what the results say is what the store holds."""

    def __init__(self) -> None:
        self.writing = False
        self.pending = False

    def handle(self, signum: int, frame: object) -> None:
        if self.writing:
            self.pending = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def installed(self) -> Iterator[None]:
        """This handler for SIGINT while the body runs, if Ctrl-C is Python's default here."""
        main = threading.current_thread() is threading.main_thread()
        if not main or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            yield
            return
        signal.signal(signal.SIGINT, self.handle)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)

    @contextmanager
    def writing_one(self) -> Iterator[None]:
        self.writing = True
        try:
            yield
        finally:
            self.writing = False
        if self.pending:
            raise KeyboardInterrupt


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
    transaction per file.  Ctrl-C raises :class:`IngestInterrupted` with the
    results so far, after the file being written (if any) is committed; no
    worker outlives the call, nor this process.
    """
    results: list[IngestResult] = []

    def report(r: IngestResult) -> None:
        results.append(r)
        if progress:
            progress(r)

    interrupts = _Interrupts()
    try:
        with interrupts.installed():
            _ingest(store, sources, report, interrupts, workers)
    except KeyboardInterrupt:
        raise IngestInterrupted(results) from None
    return results


def _ingest(
    store: Store,
    sources: Sequence[SourceFile],
    report: Callable[[IngestResult], None],
    interrupts: _Interrupts,
    workers: int | None,
) -> None:
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
        return
    n_workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    # Many files: the full-text index is rebuilt once at the end rather than updated per file.
    with store.text_index_deferred(len(todo)):
        if n_workers > 1 and len(todo) >= 4:
            # Biggest first (a PDF can take as long as all of ToTA), written as they finish.
            todo.sort(key=lambda t: -t[0].path.stat().st_size)
            with Workers(_parse_job, n_workers) as pool:
                done = pool.map_unordered([src for src, _ in todo])
                _write_all(store, ((*todo[i], parsed) for i, parsed in done), version, report, interrupts)
        else:
            parsed_serially = ((src, d, _parse_job(src)) for src, d in todo)
            _write_all(store, parsed_serially, version, report, interrupts)


def _write_all(
    store: Store,
    parsed_sources: Iterable[tuple[SourceFile, str, ParsedAgreement | ParseError | WorkerDied]],
    version: str,
    report: Callable[[IngestResult], None],
    interrupts: _Interrupts,
) -> None:
    for src, digest, parsed in parsed_sources:
        if not isinstance(parsed, ParsedAgreement):
            report(IngestResult(str(src.path), "failed", message=_failure(src, parsed)))
            continue
        parsed, duplicated_by, duplicate = _link_duplicates(store, parsed)
        with interrupts.writing_one():
            status = store.put(
                parsed,
                path=str(src.path.resolve()),
                sha256=digest,
                parser=version,
                duplicated_by=duplicated_by,
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


def _failure(src: SourceFile, problem: ParseError | WorkerDied) -> str:
    return str(problem) if isinstance(problem, ParseError) else f"{src.path}: cannot parse ({problem})"


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


def manifest_sources(manifest: Path, *, root: Path | None = None) -> list[SourceFile]:
    """The files of a manifest CSV, each with its row's metadata; files must lie in the manifest's
    folder, or in ``root`` when it is given."""
    return [SourceFile(e.path, entry=e) for e in read_manifest(manifest, root=root)]
