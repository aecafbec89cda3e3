"""What every command shares: the store, name resolution, output and errors.

Commands parse options, call the library, and hand a DataFrame to
:func:`emit` (or :meth:`Output.emit`); nothing here analyses anything.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..errors import AmbiguousNameError, RulecompareError
from ..export import format_for, write_frame
from ..outfile import STDOUT
from ..paths import resolve_db_path
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
        help="table, csv, json or parquet. Default: from the -o suffix, else table.",
        show_default=False,
    ),
]  # fmt: skip
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of the terminal (- for standard output).",
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
    path, _why = resolve_db_path(db)
    if not path.exists():
        fail(f"{path}: no store yet; run `rulecompare ingest` first (or pass --db)")
    writable = not readonly and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    try:
        store = Store(path, readonly=not writable)
    except RulecompareError as exc:
        fail(str(exc))
    if store.count("agreements") == 0:
        fail(f"{path}: the store is empty; run `rulecompare ingest` first")
    return store


def resolve(store: Store, name: str) -> str:
    """The agreement id for a forgiving name (`nafta`, `tpp`, `us-peru`, `tota:112`)."""
    from ..catalog import resolve as catalog_resolve

    with errors_to_exit():
        return catalog_resolve(name, store.agreements())


def resolve_all(store: Store, names: Sequence[str] | None) -> list[str] | None:
    """The agreement ids for names given on the command line; None (no selection) when none are given."""
    return [resolve(store, name) for name in names] if names else None


def emit(
    df: pd.DataFrame,
    fmt: str | None,
    output: Path | None,
    *,
    title: str | None = None,
    note: str | None = None,
) -> None:
    """Print or write a result; ``note`` (e.g. the baseline) goes to stderr for tables and files.

    ``output`` ``-`` is standard output in any format, Parquet included.
    """
    piped = output is not None and str(output) == STDOUT
    try:
        chosen = format_for(output, fmt)
        if output is None and chosen == "parquet":
            fail(
                "parquet is binary; write it to a file with -o FILE.parquet, or to standard output with -o -"
            )
        text = write_frame(df, output, chosen)
    except RulecompareError as exc:
        if piped:
            _drop_stdout()
        fail(str(exc))
    if text is not None:
        if title and chosen == "table":
            err.print(f"[bold]{title}[/]")
        print_out(text)
    elif not piped:
        err.print(f"wrote {len(df)} rows to {output} ({chosen})")
    if note:
        err.print(note)


def print_out(text: str) -> None:
    """Write ``text`` to standard output; a failure (a full disk, a closed pipe) is a one-line error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        fail_output(exc)


def fail_output(exc: OSError) -> NoReturn:
    """Exit with a one-line error for output that could not be written."""
    _drop_stdout()
    where = exc.filename if exc.filename is not None else "standard output"
    err.print(f"[bold red]error:[/] {where}: cannot write ({exc.strerror or exc})", soft_wrap=True)
    sys.exit(1)


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush of what could not be
    written fails no second time (with a traceback) after the one-line error."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):
        return  # not a real file (a test runner's buffer): nothing is flushed at exit
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def progress_bar() -> Progress:
    """The progress bar every long command shows on stderr; it disappears when the work is done."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@dataclass(frozen=True, slots=True)
class Output:
    """The options every command that prints a table shares: ``--db``, ``--format``/``-f`` and ``-o``."""

    db: Path | None
    fmt: str | None
    file: Path | None

    def open_store(self, readonly: bool = False) -> Store:
        """The store of ``--db``, as :func:`open_store` opens it."""
        return open_store(self.db, readonly)

    @property
    def terminal_table(self) -> bool:
        """True for a table on the terminal: the one output commands may shape for people, not programs."""
        return (self.fmt or "table") == "table" and self.file is None

    def emit(self, df: pd.DataFrame, *, title: str | None = None, note: str | None = None) -> None:
        """Print or write ``df`` as :func:`emit` does, where the options say."""
        emit(df, self.fmt, self.file, title=title, note=note)


_OUTPUT_OPTIONS = {"db": DbOpt, "fmt": FormatOpt, "output": OutputOpt}


def with_output(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the shared ``--db``, ``--format`` and ``--output`` options.

    The command declares one parameter ``out: Output`` where the three options
    belong in its ``--help``; Typer sees the three options there instead, and
    the command receives them as one :class:`Output` (as sqlite-utils'
    ``@output_options`` does for click).
    """
    signature = inspect.signature(command, eval_str=True)
    params = list(signature.parameters.values())
    at = next((i for i, p in enumerate(params) if p.annotation is Output), None)
    if at is None:
        raise TypeError(f"{command.__name__} has no parameter of type Output for the output options")
    holder = params[at].name
    params[at : at + 1] = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=option)
        for name, option in _OUTPUT_OPTIONS.items()
    ]

    @functools.wraps(command)
    def run(
        *args: Any, db: Path | None = None, fmt: str | None = None, output: Path | None = None, **kw: Any
    ) -> None:
        command(*args, **kw, **{holder: Output(db, fmt, output)})

    run.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
    return run
