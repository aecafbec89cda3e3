"""The Textual app: navigation between the screens, app-wide keys and the command palette.

Screens post :mod:`~rulecompare.tui.messages` and the app pushes the screen
asked for; nothing here computes anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from pathlib import Path

import pandas as pd
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.screen import Screen

from ..errors import RulecompareError
from ..export import write_frame
from . import data
from .messages import OpenAgreement, OpenCompare, OpenMatrix, OpenProvisions
from .screens.agreement import AgreementScreen
from .screens.agreements import AgreementsScreen
from .screens.compare import CompareScreen
from .screens.export import ExportScreen
from .screens.help import HelpScreen
from .screens.matrix import MatrixScreen
from .screens.provisions import ProvisionsScreen
from .screens.search import SearchScreen


class AgreementCommands(Provider):
    """Command palette entries "Open <agreement>" and "Matrix of family <f>"."""

    async def startup(self) -> None:
        app = self.app
        assert isinstance(app, RulecompareApp)

        def names() -> pd.DataFrame:
            with app.ref.open() as store:
                return data.all_agreements(store)[["id", "name", "families"]]

        self.rows = await asyncio.to_thread(names)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for r in data.records(self.rows):
            command = f"Open {r.name} ({r.id})"
            score = matcher.match(command)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command), partial(self.app.post_message, OpenAgreement(r.id))
                )
        families = sorted({f for fs in self.rows["families"] for f in str(fs).split(";") if f})
        for family in families:
            ids = tuple(
                self.rows.loc[self.rows["families"].str.split(";").map(lambda v, f=family: f in v), "id"]
            )
            command = f"Matrix of family {family} ({len(ids)} agreements)"
            score = matcher.match(command)
            if score > 0 and len(ids) >= 2:
                message = OpenMatrix(ids, f"family {family}")
                yield Hit(score, matcher.highlight(command), partial(self.app.post_message, message))


class RulecompareApp(App[None]):
    """Browse agreements, compare them clause by clause, and read overlap matrices."""

    CSS_PATH = "app.tcss"
    TITLE = "rulecompare"
    COMMANDS = App.COMMANDS | {AgreementCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("escape", "back", "Back"),
        Binding("ctrl+f", "search", "Search"),
        Binding("x", "export", "Export CSV"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        db: Path | str,
        *,
        compare: tuple[str, str] | None = None,
        readonly: bool = False,
        export_dir: Path | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.cursor_blink = cursor_blink
        """Whether text cursors blink (off for snapshot tests)."""
        self.ref = data.StoreRef(Path(db), readonly=readonly)
        self.start_compare = compare
        self.export_dir = export_dir or Path.cwd()

    def get_default_screen(self) -> Screen[None]:
        # Opened straight into a comparison, the table waits so that it does not slow that screen down.
        return AgreementsScreen(self.ref, lazy=self.start_compare is not None)

    def on_mount(self) -> None:
        if self.start_compare:
            self.post_message(OpenCompare(*self.start_compare))

    # -- navigation ---------------------------------------------------------------------

    def on_open_agreement(self, message: OpenAgreement) -> None:
        self.push_screen(
            AgreementScreen(
                self.ref,
                message.agreement_id,
                article_index=message.article_index,
                clause_id=message.clause_id,
            )
        )

    def on_open_compare(self, message: OpenCompare) -> None:
        self.push_screen(CompareScreen(self.ref, message.a, message.b, area=message.area))

    def on_open_matrix(self, message: OpenMatrix) -> None:
        self.push_screen(MatrixScreen(self.ref, message.agreement_ids, title=message.title))

    def on_open_provisions(self, message: OpenProvisions) -> None:
        self.push_screen(ProvisionsScreen(self.ref, message.agreement_id))

    async def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_search(self) -> None:
        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(self.ref))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.screen))

    # -- export -------------------------------------------------------------------------

    def action_export(self) -> None:
        """Ask for a file name, then write the frame behind the current screen."""
        export = getattr(self.screen, "export_frame", None)
        if export is None:
            self.notify("Nothing to export on this screen", severity="warning")
            return
        df, stem = export()
        if df.empty:
            self.notify("Nothing to export yet", severity="warning")
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        suggestion = self.export_dir / f"{stem}-{stamp}.csv"
        self.push_screen(ExportScreen(suggestion, len(df)), partial(self.write_export, df))

    def write_export(self, df: pd.DataFrame, path: Path | None) -> None:
        """Write ``df`` to ``path`` (format from its suffix, CSV otherwise) and say so."""
        if path is None:
            return
        try:
            fmt = path.suffix.lower().lstrip(".")
            write_frame(df, path, fmt if fmt in ("csv", "json", "parquet") else "csv")
        except RulecompareError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Wrote {len(df)} rows to {path}")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Search", "Full-text search over all clauses", self.action_search)
        yield SystemCommand("Export", "Export what is on screen to CSV", self.action_export)
        yield SystemCommand("Help", "Keys and help for this screen", self.action_help)
