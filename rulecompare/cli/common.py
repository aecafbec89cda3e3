"""What every command shares: the store, name resolution, output and errors.

Commands parse options, call the library, and hand a DataFrame to
:func:`emit` (or :meth:`Output.emit`); nothing here analyses anything.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import os
import shlex
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..errors import AmbiguousNameError, RulecompareError
from ..export import format_for, write_frame
from ..outfile import STDOUT
from ..paths import resolve_db_path
from ..store import Store
from .tables import render_grid, render_table

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


Notes = str | Sequence[str] | None
"""What a reader needs to read a result (the baseline, what was compared and left out): one line or more."""


def _lines(note: Notes) -> list[str]:
    if note is None:
        return []
    return [note] if isinstance(note, str) else [n for n in note if n]


ARGV: ContextVar[tuple[str, ...] | None] = ContextVar("rulecompare_argv", default=None)
"""The arguments the root command was given (set by :class:`~rulecompare.cli.RootGroup`)."""


def command_line() -> str:
    """The command as the user typed it (for the notes of an exported file)."""
    argv = ARGV.get()
    return "rulecompare " + shlex.join(argv if argv is not None else sys.argv[1:])


def about(title: str | None, notes: list[str], rows: int, store: Path | None = None) -> dict[str, object]:
    """What an exported table is: its title, notes, rows, the command line, when and by which version."""
    from .. import __version__

    info: dict[str, object] = {"title": title or ""}
    for n, line in enumerate(notes, start=1):
        info[f"note {n}" if len(notes) > 1 else "note"] = line
    info["rows"] = rows
    info["command"] = command_line()
    if store is not None:
        info["store"] = str(store)
    info["written"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    info["rulecompare"] = __version__
    return info


def color_out() -> bool:
    """Whether standard output takes colours: a terminal, and NO_COLOR not set."""
    try:
        return sys.stdout.isatty() and "NO_COLOR" not in os.environ
    except (AttributeError, ValueError):
        return False


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


def emit(
    df: pd.DataFrame,
    fmt: str | None,
    output: Path | None,
    *,
    title: str | None = None,
    note: Notes = None,
    grid: Sequence[str] | None = None,
    footer: Notes = None,
    store: Path | None = None,
) -> None:
    """Print or write a result with what a reader needs to read it.

    A table at the terminal is printed under its title and notes (on standard output, in that order).
    CSV or JSON on standard output stays pure data: the notes go to stderr. A file gets them too: the
    xlsx file on its "about" sheet (with the command line), Parquet in its metadata, and the notes are
    printed on stderr after "wrote ...". ``grid`` names the label columns of a matrix, printed in blocks
    of columns. ``output`` ``-`` is standard output in any format, Parquet included.
    """
    piped = output is not None and str(output) == STDOUT
    notes = _lines(note)
    try:
        chosen = format_for(output, fmt)
        if output is None and chosen in ("parquet", "xlsx"):
            fail(
                f"{chosen} is binary; write it to a file with -o FILE.{chosen}, "
                "or to standard output with -o -"
            )
        if output is None and chosen == "table":
            print_out(_terminal(df, title, notes, grid) + "".join(f"{line}\n" for line in _lines(footer)))
            return
        text = write_frame(df, output, chosen, about=about(title, notes, len(df), store))
    except RulecompareError as exc:
        if piped:
            _drop_stdout()
        fail(str(exc))
    if text is not None:
        print_out(text)
    elif not piped:
        err.print(f"wrote {len(df)} rows to {output} ({chosen})", soft_wrap=True)
    for line in notes:
        err.print(line, soft_wrap=True, markup=False)


def _terminal(df: pd.DataFrame, title: str | None, notes: list[str], grid: Sequence[str] | None) -> str:
    color = color_out()
    head = []
    if title:
        head.append(f"\x1b[1m{title}\x1b[0m" if color else title)
    head += notes
    body = render_grid(df, list(grid)) if grid else render_table(df, color=color)
    return ("\n".join(head) + "\n\n" if head else "") + body


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


class Feedback:
    """What a long command says while it works, on stderr: a bar in a terminal, and otherwise (a log,
    a pipe, a batch job) one line per stage and per tenth of a counted stage, with the time so far.

    Use as a context manager; :meth:`update` as the library's ``progress`` callback or by hand.
    """

    def __init__(self, label: str, total: int | None = None) -> None:
        self.label = label
        self.terminal = err.is_terminal
        self._bar = progress_bar() if self.terminal else None
        self._task = self._bar.add_task(label, total=total) if self._bar is not None else None
        self._start = time.monotonic()
        self._step: str | None = None
        self._decile = -1
        self._total = total
        self._done = 0

    def __enter__(self) -> Feedback:
        if self._bar is not None:
            self._bar.start()
        else:
            self._line(self.label)
        return self

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif kind is None:
            self._line(f"{self.label}: done")

    def console(self) -> Console:
        """Where to print a message between updates (above the bar in a terminal)."""
        return self._bar.console if self._bar is not None else err

    def update(
        self, step: str | None = None, done: int | None = None, total: int | None = None, *, advance: int = 0
    ) -> None:
        """A stage's name, and how far it is (``done`` of ``total``, or ``advance`` more)."""
        if total is not None:
            self._total = total
        self._done = done if done is not None else self._done + advance
        if self._bar is not None and self._task is not None:
            self._bar.update(
                self._task, description=step or self.label, completed=self._done, total=self._total
            )
            return
        if step is not None and step != self._step:
            self._step, self._decile = step, -1
            self._line(step)
        if self._total:
            decile = min(10, 10 * self._done // self._total)
            if decile > self._decile and decile > 0:
                self._decile = decile
                self._line(f"{self._step or self.label}: {self._done} of {self._total}")

    def _line(self, text: str) -> None:
        err.print(
            f"[{time.monotonic() - self._start:5.1f}s] {text}", soft_wrap=True, markup=False, highlight=False
        )


T = TypeVar("T")


def with_feedback(label: str, run: Callable[[], T]) -> T:
    """Run a long library call that reports nothing itself, saying when it starts and ends."""
    with Feedback(label):
        return run()


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

    def emit(
        self,
        df: pd.DataFrame,
        *,
        title: str | None = None,
        note: Notes = None,
        grid: Sequence[str] | None = None,
        footer: Notes = None,
    ) -> None:
        """Print or write ``df`` as :func:`emit` does, where the options say."""
        emit(df, self.fmt, self.file, title=title, note=note, grid=grid, footer=footer, store=self.store_path)

    @property
    def store_path(self) -> Path:
        """The store file ``--db`` names, or the default one."""
        return resolve_db_path(self.db)[0]


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
