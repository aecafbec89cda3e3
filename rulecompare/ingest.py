"""From source files to the store: discovery, parsing (in parallel) and all-or-nothing writes.

Each source file is parsed outside any transaction and written in one
transaction of its own, so a bad file, a full disk or a Ctrl-C leaves the
store exactly as it was before that file.  A file whose bytes and parser
version are unchanged is skipped without parsing: re-ingesting the same corpus
changes nothing and costs a hash per file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import ParseError, RulecompareError
from .model import ParsedAgreement
from .store import IngestResult, Store, file_sha256, replace_families
from .xmlsafe import read_bounded

SOURCE_SUFFIXES = (".xml", ".txt", ".html", ".htm", ".pdf")

Progress = Callable[[IngestResult], None]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to ingest, with metadata a manifest or the user supplied."""

    path: Path
    meta: tuple[tuple[str, object], ...] = ()
    """Keyword arguments for the parser (name, parties, signed ...), as pairs so the record stays hashable."""


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
        [*(here / "parsers").glob("*.py"), *(here / "data").glob("*")]
        + [here / n for n in ("segment.py", "taxonomy.py", "catalog.py", "model.py")]
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
                problems.append(IngestResult(str(p), "failed", message=f"{p}: no source files (.xml, .txt, .html, .pdf) in this folder"))
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


def parse_file(path: Path, **meta: object) -> ParsedAgreement:
    """Parse one source file by its format (ToTA XML, text, HTML or PDF)."""
    suffix = path.suffix.lower()
    if suffix == ".xml" and not meta:
        from .parsers.tota import parse_tota

        return parse_tota(path)
    try:
        from .parsers.manifest import parse_any
    except ImportError:  # pragma: no cover - only while the text parsers are absent
        raise ParseError(path, f"no parser for '{suffix}' files") from None
    return parse_any(path, **meta)  # type: ignore[arg-type]


def _with_catalog(parsed: ParsedAgreement) -> ParsedAgreement:
    from .catalog import load_catalog

    catalog = load_catalog()
    a = parsed.agreement
    families = tuple(dict.fromkeys((*a.families, *catalog.families_for(a))))
    aliases = tuple(dict.fromkeys((*a.aliases, *catalog.aliases_for(a))))
    return replace_families(parsed, families, aliases)


def _parse_job(job: tuple[str, tuple[tuple[str, object], ...]]) -> ParsedAgreement | ParseError:
    """Worker entry point: errors come back as values so one bad file does not stop the pool."""
    path, meta = job
    try:
        return _with_catalog(parse_file(Path(path), **dict(meta)))
    except ParseError as exc:
        return exc
    except (RulecompareError, ValueError, OSError, UnicodeError) as exc:
        return ParseError(path, f"cannot parse ({exc})")


def ingest_sources(
    store: Store,
    sources: Sequence[SourceFile],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[IngestResult]:
    """Ingest source files; returns one result per file, in order.

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
        digest = file_sha256(data + repr(src.meta).encode())
        key = str(src.path.resolve())
        if store.is_current(key, digest, version):
            report(IngestResult(str(src.path), "unchanged", store.source_agreement(key)))
        else:
            todo.append((src, digest))
    if not todo:
        return results
    jobs = [(str(src.path), src.meta) for src, _ in todo]
    n_workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    if n_workers > 1 and len(jobs) >= 8:
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            parsed_iter = pool.map(_parse_job, jobs, chunksize=4)
            _write_all(store, todo, parsed_iter, version, report)
    else:
        _write_all(store, todo, map(_parse_job, jobs), version, report)
    return results


def _write_all(
    store: Store,
    todo: list[tuple[SourceFile, str]],
    parsed_iter: Iterable[ParsedAgreement | ParseError],
    version: str,
    report: Callable[[IngestResult], None],
) -> None:
    for (src, digest), parsed in zip(todo, parsed_iter, strict=True):
        if isinstance(parsed, ParseError):
            report(IngestResult(str(src.path), "failed", message=str(parsed)))
            continue
        status = store.put(parsed, path=str(src.path.resolve()), sha256=digest, parser=version)
        report(
            IngestResult(
                str(src.path), status, parsed.agreement.id, len(parsed.clauses),
                "; ".join(parsed.warnings),
            )  # fmt: skip
        )


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
