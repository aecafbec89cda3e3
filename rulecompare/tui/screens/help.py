"""Help: what the screen underneath does and which keys it answers to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

GENERAL = """\
## Everywhere

`?` this help · `escape` back · `ctrl+p` command palette (open an agreement
by name, search, export ...) · `x` export what is on screen to CSV · `ctrl+f`
search all clauses · `q` quit.
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

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.text = "\n".join(part for part in (getattr(screen, "HELP", ""), _keys(screen), GENERAL) if part)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(self.text)
