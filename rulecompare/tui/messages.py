"""Requests that screens send to the app: open this agreement, compare these two, ...

Screens never push other screens themselves; they post one of these to the
app, which owns the navigation (see ``app.py``).  Keeping them here, as
dataclasses, gives every screen the same vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

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
