"""Requests that screens send to the app: open this agreement, compare these two, ...

Screens never push other screens themselves; they hand one of these to the
app, which owns the navigation (see ``app.py``): with :func:`navigate` from a
key's action, so that the screen opens before the next key is handled, or as a
message.  Keeping them here, as dataclasses, gives every screen the same
vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.dom import DOMNode
from textual.message import Message


@dataclass
class OpenAgreement(Message):
    """Show one agreement, optionally at an article or at the article of a clause."""

    agreement_id: str
    article_index: int | None = None
    clause_id: str | None = None


@dataclass
class OpenCompare(Message):
    """Compare two agreements clause by clause, optionally within one policy area."""

    a: str
    b: str
    area: str | None = None


@dataclass
class OpenMatrix(Message):
    """Overlap matrix of the given agreements."""

    agreement_ids: tuple[str, ...]
    title: str = ""


@dataclass
class OpenProvisions(Message):
    """The environmental and labour provisions coded for one agreement, with their clauses."""

    agreement_id: str


Request = OpenAgreement | OpenCompare | OpenMatrix | OpenProvisions
"""What a screen may ask the app to open."""


@runtime_checkable
class Front(Protocol):
    """What screens ask of the app besides messages (the app implements it; tests may stub it)."""

    def open(self, request: Message) -> None:
        """Open the screen ``request`` asks for, now."""

    def report_error(self, error: BaseException, doing: str) -> None:
        """Log an unexpected error and tell the user where the log is; the app keeps running."""


def navigate(node: DOMNode, request: Message) -> None:
    """Ask the app to open a screen at once, in the key's turn (see :mod:`.widgets.nav` for why);
    posted as a message when the app is not a :class:`Front`."""
    app = node.app
    if isinstance(app, Front):
        app.open(request)
    else:
        node.post_message(request)
