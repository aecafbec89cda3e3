"""The ``tui`` command: start the terminal UI (Textual is imported only here, lazily)."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import DbOpt, fail, open_store, resolve


def tui(
    agreements: Annotated[
        list[str] | None,
        typer.Argument(
            help="Two agreements to open side by side (names or ids: nafta tpp).", show_default=False
        ),
    ] = None,
    *,
    db: DbOpt = None,
) -> None:
    """Browse agreements, compare them clause by clause and read overlap matrices in the terminal.

    `rulecompare tui` opens the agreement browser; `rulecompare tui nafta tpp`
    goes straight into the comparison of the two. Press `?` on any screen for its keys.

    Examples:

        rulecompare tui
        rulecompare tui nafta tpp
    """
    names = agreements or []
    if len(names) not in (0, 2):
        fail("give no agreement, or two to compare (e.g. `rulecompare tui nafta tpp`)")
    # Opened writable when the file allows it: an older store is migrated here, before the UI opens
    # it from its worker threads, and the features the UI computes are kept for the next matrix.
    store = open_store(db)
    try:
        path, readonly = store.path, store.readonly
        pair = (resolve(store, names[0]), resolve(store, names[1])) if names else None
    finally:
        store.close()
    from ..tui import RulecompareApp

    app = RulecompareApp(path, compare=pair, readonly=readonly)
    app.run()
    if app.return_code:
        # Textual has printed the traceback; a script or a shell sees the failure too.
        raise typer.Exit(app.return_code)


def register(app: typer.Typer) -> None:
    app.command("tui")(tui)
