"""What every command shares: the options, the store, name resolution and errors.

Commands parse options, call the library, and hand a DataFrame to
:func:`~rulecompare.cli.output.emit` (or :meth:`~rulecompare.cli.output.Output.emit`);
nothing here analyses anything. Progress is :mod:`.feedback`'s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from ..errors import AmbiguousNameError, RulecompareError
from ..paths import resolve_db_path

if TYPE_CHECKING:
    from ..store import Store

err = Console(stderr=True, highlight=False)

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Store file (SQLite). Default: $RULECOMPARE_DB, else the per-user data directory.",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format", "-f",
        help="table, csv, tsv, json, parquet or xlsx. Default: from the -o suffix, else table.",
        show_default=False,
    ),
]  # fmt: skip
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help=(
            "Write to this file (.csv, .tsv, .json, .parquet, .xlsx) instead of the terminal; "
            "- is standard output."
        ),
        show_default=False,
    ),
]


MAX_ROWS = 1_000_000
"""The most rows a ``--limit`` or ``--top`` asks for (a bound, so that no number overflows SQLite)."""

YEARS = {"min": 1, "max": 9999}
"""The years a date can have: what ``--year-from``, ``--as-of`` and the like accept."""


def score_option(value: float) -> float:
    """Option callback for a similarity score: a number from 0 to 1 (not NaN, not infinite)."""
    if not 0.0 <= value <= 1.0:  # NaN fails every comparison
        raise typer.BadParameter(f"{value} is not a score from 0 to 1")
    return value


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error and exit non-zero."""
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Turn library errors into one-line messages with exit code 1."""
    try:
        yield
    except AmbiguousNameError as exc:
        fail(str(exc), 2)
    except RulecompareError as exc:
        fail(str(exc))


def open_store(db: Path | None, readonly: bool = False) -> Store:
    """The existing store the user means (never created here).

    It is opened for writing when the file allows it, so that computed
    features are cached for the next command, and read-only otherwise (or
    when ``readonly`` is asked for).
    """
    from ..store import Store

    path, _why = resolve_db_path(db)
    if not path.exists():
        fail(f"{path}: no store yet (nothing has been ingested, or --db names another file); {corpus_hint()}")
    writable = not readonly and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    try:
        store = Store(path, readonly=not writable)
    except RulecompareError as exc:
        fail(str(exc))
    if store.count("agreements") == 0:
        fail(f"{path}: the store is empty; {corpus_hint()}")
    return store


WITHOUT_CORPUS = "texts of your own: `rulecompare ingest FILE.txt --name NAME` (text, HTML or PDF)"
"""What a user without the corpus can do."""


def corpus_hint() -> str:
    """The one command that fills the store: ``ingest`` when a corpus is found, else what to do without."""
    from ..corpus import resolve_corpus

    try:
        location = resolve_corpus(None)
    except RulecompareError as exc:  # $RULECOMPARE_CORPUS names a folder that is not a corpus
        return f"{exc}; fix or unset it, or ingest {WITHOUT_CORPUS}"
    if location.found:
        return f"`rulecompare ingest` reads the corpus found in {location.root}"
    return (
        "no corpus is found on this machine (`rulecompare corpus path` says where it looks): "
        f"ingest {WITHOUT_CORPUS}, or fetch ToTA with `rulecompare corpus download` (needs the network), "
        "or name a copy with --corpus PATH"
    )


def require_metadata(name: str, what: str) -> None:
    """Fail, saying what ``name`` (a file of the shared metadata) is for and how to supply it, when absent."""
    from ..paths import METADATA_ENV, metadata_dir

    found = metadata_dir(needs=name)
    if found.path is not None:
        return
    fail(
        f"{what} from {name}, which is not on this machine ({found.reason}). Set {METADATA_ENV} to a "
        "folder that holds it (the metadata/ folder beside the shared corpora has it). Without it, matrix, "
        "neighbours, align, reuse, strength and search still work on the texts in the store"
    )


def resolve(store: Store, name: str) -> str:
    """The agreement id for a forgiving name (`nafta`, `tpp`, `us-peru`, `tota:112`)."""
    from ..catalog import resolve as catalog_resolve

    with errors_to_exit():
        return catalog_resolve(name, store.agreements())


def resolve_all(store: Store, names: Sequence[str] | None) -> list[str] | None:
    """The agreement ids for names given on the command line; None (no selection) when none are given."""
    return [resolve(store, name) for name in names] if names else None


def party_ids(store: Store, parties: Sequence[str] | None) -> list[str] | None:
    """The ids of the agreements every one of ``parties`` (codes, country names, blocs) is a party to;
    None when no party is given. A value that names no party is a one-line error saying what is expected."""
    from ..catalog.resolve import agreements_with_party, resolve_party

    if not parties:
        return None
    table = store.agreements()
    ids: set[str] | None = None
    with errors_to_exit():
        for value in parties:
            found = set(agreements_with_party(table, resolve_party(value)))
            ids = found if ids is None else ids & found
    order = {a: n for n, a in enumerate(table["id"])}
    return sorted(ids or (), key=order.__getitem__)


def party_code(value: str | None) -> str | None:
    """The code of a country or bloc given by code or name (``Chile`` -> ``CHL``), for an option of one."""
    from ..catalog.resolve import resolve_party

    if value is None:
        return None
    with errors_to_exit():
        return resolve_party(value).code
