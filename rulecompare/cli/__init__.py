"""The ``rulecompare`` command: a thin Typer front over the library.

Each command group lives in its own module with a ``register(app)`` function;
this module builds the app and wires them in.
"""

from __future__ import annotations

import signal
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .. import __version__
from .output import ARGV

CONTEXT = {"help_option_names": ["-h", "--help"]}


class RootGroup(TyperGroup):
    """The root command, keeping the arguments it was given: an exported file records its command line."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        ARGV.set(tuple(args))
        return super().make_context(info_name, args, parent, **extra)


app = typer.Typer(
    cls=RootGroup,
    name="rulecompare",
    help=(
        "Compare the rules of trade agreements: ingest texts (ToTA XML, text, HTML, PDF), "
        "search them, measure overlap, align clauses, and export everything.\n\n"
        "Start with `rulecompare ingest` (reads the corpus it finds; see `rulecompare corpus path`), "
        'then `rulecompare list`, `rulecompare show nafta`, `rulecompare search "electronic transmissions"`.'
    ),
    context_settings=CONTEXT,
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rulecompare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Compare the rules of trade agreements."""


def _register() -> None:
    from . import (
        compat_cmd,
        corpus_cmds,
        crosswalk_cmd,
        ingest_cmd,
        matrix_cmd,
        metrics_cmds,
        overlap,
        provisions_cmd,
        spaghetti_cmd,
        store_cmds,
        translate_cmd,
        tui_cmd,
    )

    groups = (
        ingest_cmd,
        store_cmds,
        crosswalk_cmd,
        corpus_cmds,
        translate_cmd,
        matrix_cmd,
        overlap,
        metrics_cmds,
        spaghetti_cmd,
        compat_cmd,
        provisions_cmd,
        tui_cmd,
    )
    for group in groups:
        group.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except OSError as exc:
        # Commands turn the library's errors into messages; what is left is printing itself failing
        # (a full disk or a closed pipe behind stdout): one line, not a traceback.
        from .output import fail_output

        fail_output(exc)
    except SystemExit:
        # The command is done and has said so; a Ctrl-C while the interpreter shuts down (the second
        # of an interrupted ingest) would only replace its exit status with death by SIGINT.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise
