"""How a command prints or writes its result: the table or file, with what a reader needs to read it.

Commands hand a DataFrame to :func:`emit` (or :meth:`Output.emit`); the ``--db``, ``--format`` and
``-o`` options reach a command as one :class:`Output` (:func:`with_output`).
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import RulecompareError
from ..outfile import STDOUT
from ..paths import resolve_db_path
from .common import DbOpt, FormatOpt, OutputOpt, err, fail, open_store

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store

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
    from ..export import format_for, write_frame

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
    from .tables import render_grid, render_table

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
