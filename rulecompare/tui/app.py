"""The Textual app: navigation between the screens, app-wide keys, errors and exports.

Screens hand the app a request from :mod:`~rulecompare.tui.messages` and the
app pushes the screen asked for; nothing here computes anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from pathlib import Path

import pandas as pd
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from ..errors import RulecompareError
from ..export import FORMATS, write_frame
from . import data
from .commands import AgreementCommands
from .log import default_log_dir, log_error
from .messages import OpenAgreement, OpenCompare, OpenMatrix, OpenProvisions
from .screens.agreement import AgreementScreen
from .screens.agreements import AgreementsScreen
from .screens.compare import CompareScreen
from .screens.export import ExportScreen
from .screens.help import HelpScreen
from .screens.matrix import MatrixScreen
from .screens.provisions import ProvisionsScreen
from .screens.search import SearchScreen
from .settings import SETTINGS_NAME, Settings, default_export_dir, default_settings_path

EXPORT_FORMATS = tuple(f for f in FORMATS if f != "table")
"""What an export's suffix may ask for (csv, tsv, json, parquet, xlsx); any other suffix gets CSV."""


class RulecompareApp(App[None]):
    """Browse agreements, compare them clause by clause, and read overlap matrices."""

    CSS_PATH = "app.tcss"
    TITLE = "rulecompare"
    COMMANDS = App.COMMANDS | {AgreementCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("escape", "back", "Back"),
        Binding("ctrl+f", "search", "Search", show=False),
        Binding("x", "export", "Export"),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(
        self,
        db: Path | str,
        *,
        compare: tuple[str, str] | None = None,
        readonly: bool = False,
        export_dir: Path | None = None,
        state_dir: Path | None = None,
        cursor_blink: bool = True,
    ) -> None:
        """``export_dir``: the folder exports are offered in (default: the last one used, else
        ``<data dir>/exports``); ``state_dir``: where the error log and the remembered settings go
        (default: the per-user cache and data folders)."""
        super().__init__()
        self.cursor_blink = cursor_blink
        """Whether text cursors blink (off for snapshot tests)."""
        self.ref = data.StoreRef(Path(db), readonly=readonly)
        self.start_compare = compare
        self.log_dir = state_dir / "logs" if state_dir else default_log_dir()
        self.settings_path = state_dir / SETTINGS_NAME if state_dir else default_settings_path()
        self.settings = Settings.load(self.settings_path)
        self.export_dir = export_dir or self.settings.export_dir or default_export_dir()
        self.errors: list[str] = []
        """Unexpected errors reported while running, one line each (for tests and the log)."""

    def get_default_screen(self) -> Screen[None]:
        # Opened straight into a comparison, the table waits so that it does not slow that screen down.
        return AgreementsScreen(self.ref, lazy=self.start_compare is not None)

    def on_mount(self) -> None:
        if self.start_compare:
            self.open(OpenCompare(*self.start_compare))

    # -- navigation ---------------------------------------------------------------------

    def open(self, request: Message) -> None:
        """Push the screen ``request`` asks for, unless the screen on top already shows it."""
        top = self.screen
        if isinstance(request, OpenAgreement):
            if isinstance(top, AgreementScreen) and top.agreement_id == request.agreement_id:
                top.go_to(article_index=request.article_index, clause_id=request.clause_id)
                return
            self.push_screen(
                AgreementScreen(
                    self.ref,
                    request.agreement_id,
                    article_index=request.article_index,
                    clause_id=request.clause_id,
                )
            )
        elif isinstance(request, OpenCompare):
            if isinstance(top, CompareScreen) and (top.a, top.b, top.area) == (
                request.a,
                request.b,
                request.area,
            ):
                return
            self.push_screen(CompareScreen(self.ref, request.a, request.b, area=request.area))
        elif isinstance(request, OpenMatrix):
            if isinstance(top, MatrixScreen) and top.agreement_ids == request.agreement_ids:
                return
            self.push_screen(MatrixScreen(self.ref, request.agreement_ids, title=request.title))
        elif isinstance(request, OpenProvisions):
            if isinstance(top, ProvisionsScreen) and top.agreement_id == request.agreement_id:
                return
            self.push_screen(ProvisionsScreen(self.ref, request.agreement_id))

    def on_open_agreement(self, message: OpenAgreement) -> None:
        self.open(message)

    def on_open_compare(self, message: OpenCompare) -> None:
        self.open(message)

    def on_open_matrix(self, message: OpenMatrix) -> None:
        self.open(message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing to go back to from the first screen: escape is left out of its footer.
        if action == "back":
            return len(self.screen_stack) > 1
        return True

    def on_open_provisions(self, message: OpenProvisions) -> None:
        self.open(message)

    async def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_search(self) -> None:
        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(self.ref))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen, export_dir=self.export_dir, log_dir=self.log_dir))

    # -- errors -------------------------------------------------------------------------

    def report_error(self, error: BaseException, doing: str) -> None:
        """Log an unexpected error and say so; the app keeps running."""
        path = log_error(self.log_dir, error, doing)
        summary = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        self.errors.append(f"{doing}: {summary}")
        where = f"details in {path}" if path else f"the log ({self.log_dir}) could not be written"
        self.notify(
            f"Something went wrong while {doing} ({summary}); {where}",
            title="Unexpected error",
            severity="error",
            timeout=15,
        )

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
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        suggestion = self.export_dir / f"{stem}-{stamp}.csv"
        about = {
            "title": self.screen.sub_title or stem,
            "exported from": "rulecompare tui",
            "store": str(self.ref.path),
        }
        self.push_screen(ExportScreen(suggestion, len(df)), partial(self.write_export, df, about=about))

    def write_export(
        self, df: pd.DataFrame, path: Path | None, *, about: dict[str, object] | None = None
    ) -> None:
        """Write ``df`` to ``path`` (format by its suffix, else CSV; ``about`` goes to an xlsx file's second
        sheet and a Parquet file's metadata), say so, and remember the folder."""
        if path is None:
            return
        try:
            fmt = path.suffix.lower().lstrip(".")
            write_frame(df, path, fmt if fmt in EXPORT_FORMATS else "csv", about=about)
        except RulecompareError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Wrote {len(df)} rows to {path}")
        folder = path.parent.resolve()
        if folder != self.export_dir:
            self.export_dir = folder
            self.settings.export_dir = folder
            self.settings.save(self.settings_path)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Search", "Full-text search over all clauses", self.action_search)
        yield SystemCommand(
            "Export",
            "Export what is on screen (CSV; TSV, JSON, Parquet or xlsx by suffix)",
            self.action_export,
        )
        yield SystemCommand("Help", "Keys and help for this screen", self.action_help)
