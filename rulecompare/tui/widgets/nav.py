"""A table and a tree to move around in: type-ahead, and Enter that acts before the next key.

Type-ahead: typing letters or digits that no key binding claims moves the
cursor to the next row (or tree node) with a word starting with what was
typed: "1110" in an agreement's outline lands on Article 1110, "ko" in the
agreements table on the next Korean agreement.  Keys typed within
:data:`TYPE_AHEAD_SECONDS` of each other extend the search, bound letters
included; after a pause, a bound letter is a command again.

Enter: a DataTable answers Enter by posting ``RowSelected``, which the
screen handles a few messages later, after a quickly typed Escape has
already been handled. Opening a screen from it then races the Escape (twenty
quick Enter/Escape pairs left twenty screens stacked).  With ``choose`` the
table calls the screen back at once, while the Enter key is handled, so
Enter then Escape always opens and closes the screen.  Mouse selections
still post ``RowSelected``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import DataTable, Tree
from textual.widgets.tree import TreeNode

TYPE_AHEAD_SECONDS = 1.0
"""How long after a key the next one still extends the type-ahead search."""

_TOKEN_EDGES = "()[]{},;:\"'«»“”"


def starts_a_word(label: str, prefix: str) -> bool:
    """Whether ``prefix`` (lower case) begins ``label`` or one of its words, case ignored.

    Words are split at spaces ("G-10" and "11.18" stay whole) and again at hyphens, so that
    "oce" finds "Trans-Oceanic"."""
    text = label.lower()
    if text.startswith(prefix):
        return True
    for token in text.split():
        token = token.strip(_TOKEN_EDGES)
        if token.startswith(prefix) or any(part.startswith(prefix) for part in token.split("-")[1:]):
            return True
    return False


class TypeAhead:
    """The typed prefix, and whether a key extends it or starts a new one."""

    def __init__(self) -> None:
        self.prefix = ""
        self.last = 0.0

    def active(self) -> bool:
        """Whether a search is under way (the last key came less than a moment ago)."""
        return bool(self.prefix) and time.monotonic() - self.last < TYPE_AHEAD_SECONDS

    def lapse(self) -> None:
        """End the search: the next key starts a new one."""
        self.prefix = ""

    def feed(self, character: str) -> tuple[str, bool]:
        """Add a typed character; returns the prefix and whether it extends the previous one."""
        extends = self.active()
        self.prefix = (self.prefix if extends else "") + character.lower()
        self.last = time.monotonic()
        return self.prefix, extends


def wants_key(widget: DataTable[Any] | Tree[Any], state: TypeAhead, event: events.Key) -> bool:
    """Whether a key is for type-ahead: a printable character, not a space, and (unless a search is
    under way) not claimed by a binding of the screen or the app."""
    char = event.character
    if not char or not event.is_printable or char.isspace():
        return False
    if state.active():
        return True
    return event.key not in widget.screen.active_bindings


def _plain(value: object) -> str:
    return value.plain if isinstance(value, Text) else str(value)


class NavTable(DataTable[Any]):
    """A DataTable with type-ahead and an Enter that calls its screen back at once (see the module)."""

    def __init__(
        self,
        *,
        label_of: Callable[[int], str] | None = None,
        choose: Callable[[int], None] | None = None,
        **kwargs: Any,
    ) -> None:
        """``label_of(row)``: the text type-ahead matches (default: the row's cells);
        ``choose(row)``: what Enter does (default: post ``RowSelected``/``CellSelected``)."""
        super().__init__(**kwargs)
        self.label_of = label_of
        self.choose = choose
        self.type_ahead = TypeAhead()

    def action_select_cursor(self) -> None:
        if self.choose is not None and self.row_count and self.show_cursor:
            self.choose(self.cursor_row)
            return
        super().action_select_cursor()

    def row_label(self, row: int) -> str:
        """What type-ahead matches for ``row``."""
        if self.label_of is not None:
            return self.label_of(row)
        return " ".join(_plain(cell) for cell in self.get_row_at(row))

    def on_key(self, event: events.Key) -> None:
        if not self.row_count or not wants_key(self, self.type_ahead, event):
            return
        event.stop()
        event.prevent_default()
        assert event.character is not None
        prefix, extends = self.type_ahead.feed(event.character)
        n = self.row_count
        start = self.cursor_row if extends else self.cursor_row + 1
        for k in range(n):
            row = (start + k) % n
            if starts_a_word(self.row_label(row), prefix):
                self.move_cursor(row=row, animate=False)
                return
        self.app.bell()


class NavTree(Tree[Any]):
    """A Tree with type-ahead over every node, collapsed ones included (their parents open)."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.type_ahead = TypeAhead()

    def nodes(self) -> Iterator[TreeNode[Any]]:
        """All nodes below the root, in reading order."""
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def reveal(self, node: TreeNode[Any]) -> None:
        """Open the node's parents and put the cursor on it."""
        parent = node.parent
        opened = False
        while parent is not None and parent is not self.root:
            if not parent.is_expanded:
                parent.expand()
                opened = True
            parent = parent.parent
        if opened or node.line < 0:
            # Lines of newly opened nodes exist after the next refresh.
            self.call_after_refresh(self.move_cursor, node)
        else:
            self.move_cursor(node)

    def on_key(self, event: events.Key) -> None:
        if not self.root.children or not wants_key(self, self.type_ahead, event):
            return
        event.stop()
        event.prevent_default()
        assert event.character is not None
        prefix, extends = self.type_ahead.feed(event.character)
        order = list(self.nodes())
        current = self.cursor_node
        at = next((i for i, n in enumerate(order) if n is current), -1)
        start = at if extends and at >= 0 else at + 1
        for k in range(len(order)):
            node = order[(start + k) % len(order)]
            if starts_a_word(_plain(node.label), prefix):
                self.reveal(node)
                return
        self.app.bell()
