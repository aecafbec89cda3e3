"""An Input whose cursor blinks or not as the app says (snapshots need a still cursor)."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input


def text_input(app: App[object], **kwargs: object) -> Input:
    """An :class:`Input` with ``kwargs``, its cursor blink following ``app.cursor_blink``."""
    box = Input(**kwargs)  # type: ignore[arg-type]
    box.cursor_blink = bool(getattr(app, "cursor_blink", True))
    return box
