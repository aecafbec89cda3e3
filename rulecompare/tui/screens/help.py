"""Help: what the screen underneath does and which keys it answers to."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

GENERAL = """\
## Everywhere

`?` this help · `escape` back · `ctrl+p` command palette: open an agreement
by name, "compare nafta with tpp", "go to 1110" on an agreement, the matrix
of the marked agreements · `x` export what is on screen (CSV; TSV, JSON,
Parquet or xlsx by the file's suffix) · `ctrl+f` search all clauses · `q` quit.

In tables and outlines, typing letters or digits that are not keys of the
screen moves to the next row with a word starting with them ("1110" in an
outline lands on Article 1110).
"""


def _keys(screen: Screen[object]) -> str:
    rows = [
        f"| `{b.key_display or b.key}` | {b.description or b.action} |"
        for b in screen.BINDINGS
        if isinstance(b, Binding) and b.description
    ]
    return "| key | does |\n|---|---|\n" + "\n".join(rows) if rows else ""


class HelpScreen(ModalScreen[None]):
    """A dismissable panel with the help of the screen it was opened from."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(
        self, screen: Screen[object], *, export_dir: Path | None = None, log_dir: Path | None = None
    ) -> None:
        super().__init__()
        places = []
        if export_dir is not None:
            places.append(f"Exports are offered in `{export_dir}` (the last folder written to).")
        if log_dir is not None:
            places.append(f"Unexpected errors are logged in `{log_dir}`.")
        parts = (getattr(screen, "HELP", ""), _keys(screen), GENERAL, " ".join(places))
        self.text = "\n".join(part for part in parts if part)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(self.text)
