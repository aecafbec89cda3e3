"""Export: ask where to write what is on screen, as CSV (or by the file's suffix)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..widgets.text_input import text_input


class ExportScreen(ModalScreen[Path | None]):
    """Returns the chosen path, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: Path, rows: int) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(f"Export {self.rows} rows to (CSV; .tsv .json .parquet .xlsx by suffix):")
            yield text_input(self.app, value=str(self.suggestion), id="export-path")
            yield Label("enter writes · escape cancels", classes="dim")

    @on(Input.Submitted, "#export-path")
    def _submit(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
