"""Obligation-strength classes: the closed set, and classifying one clause or a frame of them.

The classes follow the legalization literature (Abbott, Keohane, Moravcsik,
Slaughter and Snidal, "The Concept of Legalization", *International
Organization* 54(3), 2000: obligation and precision as the dimensions of hard
versus soft law); the rules that assign them are in :mod:`.rules` and
docs/METHODS.md 1.2. A clause in a frame is read with its context: the
article it sits in and, for a list item, the clause that introduces the
list.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import pandas as pd

from .exclusion import dispute_settlement_exclusion
from .rules import Context, Decision, decide, is_list_item

__all__ = [
    "STRENGTH_CLASSES",
    "StrengthClass",
    "classify_clauses",
    "classify_strength",
    "clause_contexts",
    "explain_strength",
]

StrengthClass = Literal[
    "binding",
    "soft",
    "permissive",
    "exception",
    "definition",
    "procedural",
    "preamble",
    "other",
]
STRENGTH_CLASSES: tuple[str, ...] = get_args(StrengthClass)


def explain_strength(text: str, context: Context | None = None) -> Decision:
    """The class of one clause with the rule, phrase and words that decided it."""
    return decide(text, context)


def classify_strength(
    text: str, language: str = "en", *, area: str | None = None, context: Context | None = None
) -> str:
    """Obligation-strength class of one clause (one of :data:`STRENGTH_CLASSES`).

    ``language`` is accepted for symmetry with the other text functions: the
    English, Spanish and French phrases are applied together, since a phrase
    of one language never matches another's text. ``area`` (the clause's
    policy area) lets preamble clauses that read like obligations be classed
    as ``preamble``; ``context`` gives the article title and a list item's
    lead-in (see :class:`~.rules.Context`).
    """
    del language
    if area is not None:
        context = Context(
            article_title=context.article_title if context else None,
            lead_in=context.lead_in if context else None,
            previous=context.previous if context else None,
            area=area,
        )
    return decide(text, context).label


def clause_contexts(clauses: pd.DataFrame) -> list[Context]:
    """The context of every clause of a frame, in its row order.

    With ``agreement_id`` and ``article_index`` (as ``Store.clauses()`` returns
    them, in document order), a clause's lead-in is the nearest earlier
    clause of its article that is not itself a list item, and ``previous`` the
    clause just before it; ``article_title`` and ``area`` are read when
    present. Without those columns every clause stands alone.
    """
    n = len(clauses)
    texts = clauses["text"].fillna("").astype(str).tolist()
    titles = clauses["article_title"].tolist() if "article_title" in clauses.columns else [None] * n
    areas = clauses["area"].tolist() if "area" in clauses.columns else [None] * n
    if "agreement_id" in clauses.columns and "article_index" in clauses.columns:
        keys: list[object] = list(zip(clauses["agreement_id"], clauses["article_index"], strict=True))
    else:
        keys = [object() for _ in range(n)]
    out: list[Context] = []
    lead: str | None = None
    prev: str | None = None
    for i in range(n):
        if i == 0 or keys[i] != keys[i - 1]:
            lead = prev = None
        title = titles[i] if isinstance(titles[i], str) else None
        area = areas[i] if isinstance(areas[i], str) else None
        item = is_list_item(texts[i])
        out.append(Context(article_title=title, lead_in=lead if item else None, previous=prev, area=area))
        if not item:
            lead = texts[i]
        prev = texts[i]
    return out


def classify_clauses(clauses: pd.DataFrame) -> pd.DataFrame:
    """Add ``strength``, ``strength_cue`` and ``ds_exclusion`` columns to a clause frame (a copy).

    ``clauses`` needs a ``text`` column; ``area``, ``agreement_id``,
    ``article_index`` and ``article_title`` are used when present (see
    :func:`clause_contexts`). ``strength_cue`` names the phrase or context
    that decided; ``ds_exclusion`` holds the tuple returned by
    :func:`~.exclusion.dispute_settlement_exclusion`.
    """
    out = clauses.copy()
    texts = out["text"].fillna("").astype(str).tolist()
    decisions = [decide(t, c) for t, c in zip(texts, clause_contexts(out), strict=True)]
    out["strength"] = np.array([d.label for d in decisions], dtype=object)
    out["strength_cue"] = np.array([d.cue for d in decisions], dtype=object)
    out["ds_exclusion"] = [
        dispute_settlement_exclusion(t) if ("isput" in t or "ontrovers" in t) else () for t in texts
    ]
    return out
