"""Shared fixtures: fresh stores, record builders, the sample corpus, and the real corpora.

Two kinds of store serve the tests:

- the sample corpus (``tests/data/sample``: nine short agreements written for the
  tests, see its README) in ``sample_db``/``sample_store``, ingested in well
  under a second; and
- the real corpora beside the checkout (``../shared``) in ``tota_db``/``tota_store``
  (all of ToTA) and ``full_db`` (the whole default corpus, as `rulecompare ingest`
  reads it), for the tests whose answer is a fact about real agreements.

Every test that uses a fixture needing ``../shared`` is marked ``corpus``
(see :func:`pytest_collection_modifyitems`), so ``pytest -m "not corpus"`` is the
fast suite, and it skips with its reason when ``../shared`` is absent.

Tests build their own records with :func:`make_agreement`, :func:`make_clause` and
:func:`make_parsed`, and their own stores with the ``fresh_store`` fixture and
:func:`put`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from rulecompare.corpus import resolve_corpus
from rulecompare.ingest import SourceFile, corpus_sources, discover, ingest_sources, manifest_sources
from rulecompare.model import UNCLASSIFIED, Agreement, Clause, ParsedAgreement
from rulecompare.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = Path(__file__).resolve().parent / "data" / "sample"
"""The sample corpus: ``xml/`` (ToTA format) and ``MANIFEST.csv`` (a text and an HTML agreement)."""


def _shared_dir() -> Path | None:
    env = os.environ.get("RULECOMPARE_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT.parent / "shared")
    for c in candidates:
        if (c / "corpora").is_dir():
            return c
    return None


SHARED = _shared_dir()

CORPUS_FIXTURES = frozenset(
    {"shared_dir", "corpora_dir", "tota_dir", "metadata_dir", "tota_db", "tota_store", "full_db"}
)
"""Fixtures that read ``../shared``; a test using any of them, directly or through another
fixture, is marked ``corpus``."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs ../shared as ``corpus`` (before ``-m`` deselects anything).

    ``item.fixturenames`` is the closure of the fixtures a test uses, so a module
    fixture built on ``tota_db`` marks the tests that use it too.
    """
    for item in items:
        if CORPUS_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)


class _DiskWatch:
    """The free space of the temporary folder's disk, sampled every second through the run: the summary
    line it prints tells, on a CI machine, how close the stores came to filling it."""

    def __init__(self) -> None:
        self.where = Path(tempfile.gettempdir())
        self.start = self.lowest = shutil.disk_usage(self.where).free
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self._stop.wait(1.0):
            self.lowest = min(self.lowest, shutil.disk_usage(self.where).free)

    def summary(self) -> str:
        self._stop.set()
        gb = 1024**3
        return (
            f"temporary space ({self.where}): {self.start / gb:.1f} GB free at the start, "
            f"lowest {self.lowest / gb:.1f} GB"
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        session.config.stash[_DISK] = _DiskWatch()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    watch = config.stash.get(_DISK, None)
    if watch is not None:
        terminalreporter.write_line(watch.summary())


_DISK = pytest.StashKey[_DiskWatch]()


# -- records --------------------------------------------------------------------------------------


def make_agreement(
    n: int | str,
    parties: Sequence[str] = ("AAA", "BBB"),
    *,
    name: str | None = None,
    language: str = "en",
    status: str | None = "In Force",
    signed: dt.date | None = dt.date(2005, 1, 1),
    in_force: dt.date | None = dt.date(2006, 1, 1),
) -> Agreement:
    """An agreement record: id ``test:<n>`` (or ``n`` itself when it is an id with a colon),
    named ``Agreement <n>``, its parties also its original parties."""
    aid = n if isinstance(n, str) and ":" in n else f"test:{n}"
    return Agreement(
        id=aid,
        name=name if name is not None else f"Agreement {n}",
        parties=tuple(parties),
        parties_original=tuple(parties),
        language=language,
        status=status,
        date_signed=signed,
        date_in_force=in_force,
    )


def make_clause(
    agreement_id: str,
    text: str,
    *,
    order: int = 0,
    area: str = UNCLASSIFIED,
    chapter: int = 0,
    chapter_number: str | None = None,
    chapter_title: str | None = None,
    article_title: str | None = None,
    paragraph: str = "",
) -> Clause:
    """A clause that is a whole article: article ``order + 1`` of chapter ``chapter``.

    The id follows the parsers' ``<agreement>/<article>/<paragraph sequence>`` form.
    """
    return Clause(
        id=f"{agreement_id}/{order + 1}/1",
        agreement_id=agreement_id,
        chapter_index=chapter,
        chapter_number=chapter_number if chapter_number is not None else str(chapter + 1),
        chapter_title=chapter_title,
        article_index=order,
        article_number=str(order + 1),
        article_title=article_title,
        paragraph=paragraph,
        order=order,
        text=text,
        area=area,
    )


def make_parsed(
    agreement: Agreement,
    texts: Sequence[str] | Mapping[str, str],
    *,
    area: str = UNCLASSIFIED,
    chapter_number: str | None = None,
    chapter_title: str | None = None,
) -> ParsedAgreement:
    """An agreement with one clause per text, in order.

    A sequence of texts makes one chapter (of ``area``, titled ``chapter_title``); a
    mapping ``{area: text}`` makes one chapter per area, with chapter and article
    titled by the area.
    """
    aid = agreement.id
    if isinstance(texts, Mapping):
        clauses = tuple(
            make_clause(aid, text, order=k, area=key, chapter=k, chapter_title=key, article_title=key)
            for k, (key, text) in enumerate(texts.items())
        )
    else:
        clauses = tuple(
            make_clause(
                aid, text, order=k, area=area, chapter_number=chapter_number, chapter_title=chapter_title
            )
            for k, text in enumerate(texts)
        )
    return ParsedAgreement(agreement, clauses)


def put(store: Store, *parsed: ParsedAgreement) -> Store:
    """Write records to a store as one source each (keyed by the agreement id); returns the store."""
    for p in parsed:
        store.put(p, path=p.agreement.id, sha256=p.agreement.id, parser="test")
    return store


@pytest.fixture()
def no_apertium(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A machine without Apertium (test_translate, test_crosslingual)."""
    from rulecompare.translate import find_apertium

    find_apertium.cache_clear()
    monkeypatch.setattr("rulecompare.translate.apertium.shutil.which", lambda name: None)
    yield
    find_apertium.cache_clear()


@pytest.fixture()
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    """A new, empty store file in this test's temporary folder."""
    with Store(tmp_path / "store.db") as store:
        yield store


def copy_store(source: Path, target: Path) -> Path:
    """Copy a store file with SQLite's backup API, so that a write-ahead log is carried along.

    The session's stores are written (feature caches) by other xdist workers while they are copied;
    a backup once failed with "disk I/O error" under that load, so a failed copy is started again
    (up to three times) from an empty target."""
    for attempt in range(3):
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        try:
            src.backup(dst)
            return target
        except sqlite3.OperationalError:
            if attempt == 2:
                raise
            time.sleep(0.5)
        finally:
            src.close()
            dst.close()
    raise AssertionError("unreachable")


def records_copy_of(store: Path) -> Path:
    """Where :func:`with_records_copy` put the records-only copy of ``store``."""
    return store.with_name(f"{store.stem}_records.db")


def with_records_copy(store: Path) -> Path:
    """Keep a copy of a freshly ingested store (no feature cache yet) beside it, and return ``store``.

    Copies for tests that write are taken from it: a copy of the session store once its cache is
    full is 1.6 GB, and five of them at once filled the disk of the CI machine."""
    copy_store(store, records_copy_of(store))
    return store


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Path]) -> Path:
    """The store file ``name`` built once per test run, shared by every pytest-xdist worker.

    Under xdist each worker has its own session, so a session fixture would ingest the corpus once per
    worker; here the first worker to ask builds the file under a lock in the run's shared temporary
    folder and the others wait for it and use it. Its feature cache (filled by whichever worker comes
    first) then serves them all. Without xdist this is a plain session-scoped build.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return build(tmp_path_factory.mktemp(name) / f"{name}.db")
    shared = tmp_path_factory.getbasetemp().parent
    target, done = shared / f"{name}.db", shared / f"{name}.built"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            target.unlink(missing_ok=True)
            build(target)
            done.touch()
    return target


def ingest_into(path: Path, sources: Sequence[SourceFile], *, workers: int | None = None) -> Path:
    """Ingest ``sources`` into the store file at ``path``; any file that fails fails the caller."""
    with Store(path) as store:
        results = ingest_sources(store, sources, workers=workers)
    failed = [r.message for r in results if r.status == "failed"]
    assert not failed, failed
    return path


def translated(path: Path) -> Path:
    """Translate the agreements of the store at ``path`` that are not in English, when Apertium is here.

    The session stores are translated once, before their records copy is taken: the copies (and the
    whole-corpus store built from ToTA's) then hold the translations too, and no test waits for
    Apertium to translate the same Spanish and French texts again (about 90 s of CPU per store)."""
    from rulecompare.translate import TranslatorMissing, translate_agreements

    with Store(path) as store:
        try:
            translate_agreements(store)
        except TranslatorMissing:
            pass  # the tests that need a translation skip, or translate on first use
    return path


def folder_sources(folder: Path) -> list[SourceFile]:
    """The source files in a folder, as `rulecompare ingest FOLDER` finds them."""
    files, problems = discover([folder])
    assert not problems, [p.message for p in problems]
    return [SourceFile(f) for f in files]


# -- the sample corpus ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with the sample corpus ingested once per session: seven ToTA-format agreements,
    one plain-text and one HTML agreement (the last two through the manifest)."""
    sources = folder_sources(SAMPLE_DIR / "xml") + manifest_sources(SAMPLE_DIR / "MANIFEST.csv")
    return ingest_into(tmp_path_factory.mktemp("sample") / "sample.db", sources, workers=1)


@pytest.fixture(scope="session")
def sample_store(sample_db: Path) -> Iterator[Store]:
    """The session's sample store, read-only so that no test changes it for the others."""
    with Store(sample_db, readonly=True) as store:
        yield store


# -- the real corpora (../shared) -----------------------------------------------------------------


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder with corpora and metadata; skips (with the reason) when absent."""
    if SHARED is None:
        pytest.skip("../shared/corpora is not beside the checkout (set RULECOMPARE_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def corpora_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpora"


@pytest.fixture(scope="session")
def tota_dir(corpora_dir: Path) -> Path:
    d = corpora_dir / "tota" / "xml"
    if not d.is_dir():
        pytest.skip(f"ToTA XML not found at {d}")
    return d


@pytest.fixture(scope="session")
def metadata_dir(shared_dir: Path) -> Path:
    return shared_dir / "metadata"


@pytest.fixture(scope="session")
def tota_db(tota_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with all of ToTA ingested once per test run (about 10 s), and its Spanish and French
    texts translated when Apertium is installed (about 90 s of CPU), shared by the workers.

    Its feature cache grows to about 1.5 GB as the tests fill it; a test that needs its own writable
    store starts from ``tota_records_db`` instead (the same records, no cache, about 110 MB)."""
    return built_once(
        tmp_path_factory,
        "tota",
        lambda path: with_records_copy(translated(ingest_into(path, folder_sources(tota_dir)))),
    )


@pytest.fixture(scope="session")
def tota_records_db(tota_db: Path) -> Path:
    """``tota_db`` as it was right after ingest and translation (records, full-text index and
    translations; an empty feature cache):
    the file to copy when a test needs its own writable ToTA store."""
    return records_copy_of(tota_db)


@pytest.fixture(scope="session")
def tota_store(tota_db: Path) -> Iterator[Store]:
    """The session's ToTA store, read-only so that no test changes it for the others."""
    with Store(tota_db, readonly=True) as store:
        yield store


@pytest.fixture(scope="session")
def tota_cached(tota_db: Path) -> Iterator[Store]:
    """The session's ToTA store opened writable for its feature cache only (the analyses keep their
    matches and matrices there, shared with the CLI tests on ``tota_db``); no test changes its records."""
    with Store(tota_db) as store:
        yield store


@pytest.fixture(scope="session")
def full_cached(full_db: Path) -> Iterator[Store]:
    """The whole-corpus store opened writable for its feature cache only (as ``tota_cached``): the
    analyses it keeps are shared with the docs figures and the CLI examples that run on ``full_db``."""
    with Store(full_db) as store:
        yield store


@pytest.fixture(scope="session")
def full_db(corpora_dir: Path, tota_records_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole default corpus (ToTA, the text agreements of its manifest, the RCEP PDF) in one
    store, as `rulecompare ingest` builds it; started from a copy of ToTA's records, so that only
    the files beyond ToTA are parsed again."""

    def build(path: Path) -> Path:
        return with_records_copy(
            translated(
                ingest_into(copy_store(tota_records_db, path), corpus_sources(resolve_corpus(corpora_dir)))
            )
        )

    return built_once(tmp_path_factory, "full", build)


@pytest.fixture(scope="session")
def full_records_db(full_db: Path) -> Path:
    """``full_db`` right after ingest and translation, without a feature cache (see ``tota_records_db``)."""
    return records_copy_of(full_db)


@pytest.fixture(autouse=True)
def _quick_tui_timers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every TUI test runs with short debounces (tui_helpers.quick_timers)."""
    if request.module.__name__.startswith("test_tui"):
        from tui_helpers import quick_timers

        quick_timers(monkeypatch)
