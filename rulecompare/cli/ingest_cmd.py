"""`rulecompare ingest`: files, folders, a manifest or the default corpus into the store, with progress."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import RulecompareError
from ..parsers.common import NO_META, SourceMeta, file_agreement_id
from ..paths import resolve_db_path
from ..workers import Workers
from .common import WITHOUT_CORPUS, DbOpt, err, errors_to_exit, fail
from .feedback import Feedback, progress_bar

if TYPE_CHECKING:
    from ..ingest import SourceFile
    from ..store import IngestResult, Store

CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Corpus folder. Default: $RULECOMPARE_CORPUS, ../shared/corpora, or the download cache.",
        show_default=False,
    ),
]


def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders. Default: the corpus (see `rulecompare corpus path`).", show_default=False
        ),
    ] = None,
    *,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            "-m",
            help=(
                "CSV of files with their metadata "
                "(columns: file, title, signed_year or signed, parties, language, family, name)."
            ),
            show_default=False,
        ),
    ] = None,
    manifest_root: Annotated[
        Path | None,
        typer.Option(
            "--manifest-root",
            help="Folder the manifest's files may be in (default: the manifest's own folder).",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            help="Agreement name (for one text, HTML or PDF file); its id is made from it: file:<name>.",
            show_default=False,
        ),
    ] = None,
    parties: Annotated[
        str | None, typer.Option(help="ISO3 parties, comma-separated: CHN,GEO.", show_default=False)
    ] = None,
    signed: Annotated[
        str | None, typer.Option(help="Date of signature, YYYY-MM-DD.", show_default=False)
    ] = None,
    family: Annotated[
        list[str] | None,
        typer.Option(
            "--family", help="Extra family for the file(s); repeat for several.", show_default=False
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            "-l",
            help="Language of the text (en, es, fr); guessed when absent.",
            show_default=False,
        ),
    ] = None,
    db: DbOpt = None,
    corpus: CorpusOpt = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Print each file's parser warnings (what was missing or guessed)."
        ),
    ] = False,
) -> None:
    """Read agreement files into the store (idempotent: unchanged files are skipped).

    Without paths, ingests the whole corpus found (ToTA XML, the text
    agreements of its MANIFEST.csv, and its PDFs). Each file is written in one
    transaction: a bad file is reported and skipped, the store keeps everything else.

    Examples:

        rulecompare ingest                      # the corpus found automatically
        rulecompare ingest ../shared/corpora/tota/xml
        rulecompare ingest china-serbia.pdf --name "China - Serbia FTA" --parties CHN,SRB --signed 2023-10-17
        rulecompare ingest --manifest my-agreements.csv
    """
    from ..store import Store

    meta = _file_meta(name, parties, signed, family, language)
    with errors_to_exit():
        sources, problems = _sources(paths, manifest, meta, corpus, manifest_root)
        path, why = resolve_db_path(db)
        store = Store(path)
    _check_own_id(store, sources, meta)
    for p in problems:
        err.print(f"[red]error:[/] {p.message}", soft_wrap=True)
    results, warned = _ingest_with_progress(store, sources, problems, verbose=verbose)
    if verbose:
        warned += _warnings_of_unchanged(sources, results)
    stats = store.stats()
    added = [r for r in results if r.status in ("added", "updated") and r.agreement_id]
    held = store.agreements([str(r.agreement_id) for r in added[:5]])
    names: dict[str, str] = dict(zip(held["id"], held["name"], strict=True))
    store.close()
    counts = {s: sum(r.status == s for r in results) for s in ("added", "updated", "unchanged", "failed")}
    err.print(
        f"{path} ({why}): {counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
    )
    if 0 < len(added) <= 5:
        for r in added:
            short = str(r.agreement_id).removeprefix("file:")
            err.print(
                f"{r.status}: {r.agreement_id} ({names.get(str(r.agreement_id), '?')}); "
                f"`rulecompare show {short}` shows it",
                soft_wrap=True,
                markup=False,
            )
    if warned and verbose:
        err.print(f"{_files(len(warned))} read with warnings (above)")
    elif warned:
        err.print(f"{_files(len(warned))} read with warnings (missing metadata or structure); -v shows them")
    typer.echo(
        f"{stats['agreements']} agreements ({_languages(stats['languages'])}), "
        f"{stats['articles']} articles ({stats['articles_en']} English), {stats['clauses']} clauses; "
        f"policy area coverage (English): {stats['area_coverage_en']:.1%}"
    )
    if counts["failed"]:
        raise typer.Exit(1)


def _files(n: int) -> str:
    return f"{n} file was" if n == 1 else f"{n} files were"


def _check_own_id(store: Store, sources: list[SourceFile], meta: SourceMeta) -> None:
    """Refuse a --name whose id is another file's agreement in the store: writing would replace it."""
    if meta.agreement_id is None or len(sources) != 1:
        return
    held = store.agreements([meta.agreement_id])
    if held.empty:
        return
    source = str(held["source"].iloc[0] or "")
    mine = sources[0].path
    if source and Path(source).resolve() != mine.resolve():
        fail(
            f"{meta.agreement_id} ({held['name'].iloc[0]}) is already in the store, read from {source}; "
            f"give {mine} another --name (its id is made from the name)"
        )


def _source_warnings(src: SourceFile) -> str:
    """The parser's warnings for one file, read again without writing (a worker's job)."""
    from ..ingest import parse_source

    try:
        return "; ".join(parse_source(src).warnings)
    except (RulecompareError, ValueError, OSError, UnicodeError) as exc:
        return f"cannot be read again ({exc})"


def _warnings_of_unchanged(sources: list[SourceFile], results: list[IngestResult]) -> list[str]:
    """For -v: the warnings of the files skipped as unchanged, read again (nothing is written), so that
    the "files read with warnings" of an earlier ingest can be seen."""
    unchanged = {r.path for r in results if r.status == "unchanged"}
    todo = [s for s in sources if str(s.path) in unchanged]
    if not todo:
        return []
    warned: list[str] = []
    with Feedback(
        f"-v: reading the {len(todo)} unchanged files again for their warnings", total=len(todo)
    ) as fb:
        with Workers(_source_warnings, min(4, os.cpu_count() or 1)) as pool:
            for i, message in pool.map_unordered(todo):
                fb.update(advance=1)
                if isinstance(message, str) and message:
                    warned.append(str(todo[i].path))
                    fb.console().print(f"[yellow]warning:[/] {todo[i].path}: {message}", soft_wrap=True)
    return warned


def _sources(
    paths: list[Path] | None,
    manifest: Path | None,
    meta: SourceMeta,
    corpus: Path | None,
    manifest_root: Path | None = None,
) -> tuple[list[SourceFile], list[IngestResult]]:
    """The files to ingest (the corpus when no path or manifest is given), and the paths not found."""
    from ..ingest import SourceFile, discover, manifest_sources

    if not (paths or manifest):
        return _default_sources(corpus), []
    files, problems = discover(paths) if paths else ([], [])
    if meta != NO_META and len(files) > 1:
        fail("--name/--parties/--signed describe one file; use --manifest for several")
    sources = [SourceFile(f, meta=meta) for f in files]
    if manifest is not None:
        sources += manifest_sources(manifest, root=manifest_root)
    return sources, problems


def _ingest_with_progress(
    store: Store, sources: list[SourceFile], problems: list[IngestResult], *, verbose: bool
) -> tuple[list[IngestResult], list[str]]:
    """Ingest under a progress bar; every result (the problems first), and the paths read with warnings."""
    from ..ingest import IngestInterrupted, ingest_sources

    results: list[IngestResult] = list(problems)
    written: list[IngestResult] = []  # as they come, so that an interrupt can say what is in the store
    bar = progress_bar()
    warned: list[str] = []
    with bar:
        task = bar.add_task("ingesting", total=len(sources))

        def tick(r: IngestResult) -> None:
            written.append(r)
            bar.advance(task)
            if r.status == "failed":
                bar.console.print(f"[red]error:[/] {r.message}", soft_wrap=True)
            elif r.message:
                warned.append(r.path)
                if verbose:
                    bar.console.print(f"[yellow]warning:[/] {r.path}: {r.message}", soft_wrap=True)
            if r.duplicate:
                bar.console.print(f"[yellow]duplicate:[/] {r.duplicate}", soft_wrap=True)

        try:
            with errors_to_exit():
                results += ingest_sources(store, sources, progress=tick)
        except KeyboardInterrupt as exc:
            with _no_second_interrupt():
                bar.stop()
                done = exc.results if isinstance(exc, IngestInterrupted) else written
                counts = {
                    s: sum(r.status == s for r in done) for s in ("added", "updated", "unchanged", "failed")
                }
                n = counts["added"] + counts["updated"]
                err.print(
                    f"interrupted: {n} {'file' if n == 1 else 'files'} written before Ctrl-C "
                    f"({counts['unchanged']} unchanged, {counts['failed']} failed); "
                    "no file is in the store in part"
                )
            raise typer.Exit(130) from None
    return results, warned


@contextmanager
def _no_second_interrupt() -> Iterator[None]:
    """Ctrl-C is ignored while the body runs (a second one must not cut the report short with a
    traceback), and handled as before afterwards (the command may run inside a longer-lived process)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _file_meta(
    name: str | None, parties: str | None, signed: str | None, family: list[str] | None, language: str | None
) -> SourceMeta:
    codes = tuple(p.strip().upper() for p in (parties or "").replace(";", ",").split(",") if p.strip())
    bad = [c for c in codes if not (len(c) in (2, 3) and c.isalpha())]
    if bad:
        fail(f"--parties takes ISO3 codes separated by commas (not: {', '.join(bad)})")
    date: dt.date | None = None
    if signed:
        try:
            date = dt.date.fromisoformat(signed)
        except ValueError:
            fail(f"--signed '{signed}' is not a date (YYYY-MM-DD)")
    return SourceMeta(
        agreement_id=file_agreement_id(name) if name else None,
        name=name or None,
        parties=codes,
        signed=date,
        language=language.lower() if language else None,
        families=tuple(f.lower() for f in family or ()),
    )


def _languages(langs: dict[str, int]) -> str:
    return ", ".join(f"{n} {lang}" for lang, n in sorted(langs.items(), key=lambda kv: -kv[1]))


def _default_sources(option: Path | None) -> list[SourceFile]:
    from ..corpus import resolve_corpus
    from ..ingest import corpus_sources

    location = resolve_corpus(option)
    if not location.found:
        fail(
            "no corpus found (`rulecompare corpus path` says where it looks): ingest "
            f"{WITHOUT_CORPUS}; or fetch ToTA with `rulecompare corpus download` (needs the network); "
            "or name a copy with --corpus PATH"
        )
    err.print(f"corpus: {location.root} ({location.reason})")
    return corpus_sources(location)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
