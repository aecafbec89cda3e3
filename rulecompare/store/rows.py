"""Records to table rows and back: the one place that knows how a field is stored.

Lists (parties, families, aliases) are stored ";"-joined, dates as ISO
strings, source URLs as JSON, booleans as 0/1; a clause's ``order`` is the
column ``ord`` (ORDER is an SQL keyword).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import operator
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..model import Agreement, Clause, Footnote, ParsedAgreement

_CLAUSE_FIELDS = tuple(f.name for f in dataclasses.fields(Clause))
CLAUSE_RECORD_COLUMNS = tuple("ord" if name == "order" else name for name in _CLAUSE_FIELDS)
"""The clauses table's column for each field of :class:`~rulecompare.model.Clause`, in field order."""

_clause_values = operator.attrgetter(*_CLAUSE_FIELDS)


def article_key(number: str | None) -> str | None:
    """A number users can type for an article: "ARTICLE 405" -> "405", "Article 12.3" -> "12.3"."""
    if not number:
        return None
    words = number.strip().split()
    if len(words) > 1 and words[0].lower().rstrip(".") in {
        "article",
        "art",
        "artículo",
        "articulo",
        "article.",
        "artikel",
    }:
        words = words[1:]
    return " ".join(words).strip(" .:").lower() or None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _join(values: Iterable[str]) -> str:
    return ";".join(values)


def _split(value: object) -> tuple[str, ...]:
    return tuple(v for v in str(value or "").split(";") if v)


def agreement_row(parsed: ParsedAgreement) -> tuple[Any, ...]:
    """The agreements row of a parsed source, in ``AGREEMENT_COLUMNS`` order, with its counts."""
    a = parsed.agreement
    clauses = parsed.clauses
    return (
        a.id, a.name, a.language, _join(a.parties), _join(a.parties_original), _join(a.families),
        _join(a.aliases), a.type, a.status, _iso(a.date_signed), _iso(a.date_in_force),
        _iso(a.date_notification), _iso(a.end_implementation), _iso(a.date_inactive),
        a.composition, a.region, a.crossregional, a.parties_wto, a.notification, a.wto_rta_id,
        a.source, json.dumps(list(a.source_urls)),
        len({c.chapter_index for c in clauses}), len({c.article_index for c in clauses}),
        len(clauses), sum(len(c.text) for c in clauses), a.duplicate_of,
    )  # fmt: skip


def clause_rows(clauses: Iterable[Clause]) -> list[tuple[Any, ...]]:
    """Rows for the columns :data:`CLAUSE_RECORD_COLUMNS` and then ``article_key``.

    The key is made from the number as read through OCR damage, so that ``--article 2.1`` finds "ARTIcLE 2 1".
    """
    return [(*_clause_values(c), article_key(c.article_number_repaired or c.article_number)) for c in clauses]


def footnote_rows(agreement_id: str, footnotes: Iterable[Footnote]) -> list[tuple[Any, ...]]:
    """Rows of the footnotes table: agreement id, clause id, label, order, text."""
    return [(agreement_id, f.clause_id, f.label, f.order, f.text) for f in footnotes]


def clause_from_row(row: Iterable[Any]) -> Clause:
    """A row of :data:`CLAUSE_RECORD_COLUMNS` back into a record."""
    fields = dict(zip(_CLAUSE_FIELDS, row, strict=True))
    fields["annex"] = bool(fields["annex"])
    return Clause(**fields)


def row_to_agreement(row: Mapping[Any, Any]) -> Agreement:
    """An agreements() row back into a record."""

    def date(v: Any) -> dt.date | None:
        return dt.date.fromisoformat(str(v)) if v and not pd.isna(v) else None

    def opt(v: Any) -> Any:
        return None if v is None or (isinstance(v, float) and pd.isna(v)) else v

    return Agreement(
        id=row["id"], name=row["name"], parties=_split(row["parties"]),
        parties_original=_split(row["parties_original"]), language=row["language"],
        type=opt(row["type"]), status=opt(row["status"]), date_signed=date(row["date_signed"]),
        date_in_force=date(row["date_in_force"]), date_notification=date(row["date_notification"]),
        end_implementation=date(row["end_implementation"]), date_inactive=date(row["date_inactive"]),
        composition=opt(row["composition"]), region=opt(row["region"]),
        crossregional=None if opt(row["crossregional"]) is None else bool(row["crossregional"]),
        parties_wto=None if opt(row["parties_wto"]) is None else bool(row["parties_wto"]),
        notification=opt(row["notification"]),
        wto_rta_id=None if opt(row["wto_rta_id"]) is None else int(row["wto_rta_id"]),
        source=row["source"], source_urls=tuple(json.loads(row["source_urls"] or "[]")),
        families=_split(row["families"]), aliases=_split(row["aliases"]),
        duplicate_of=opt(row.get("duplicate_of")),
    )  # fmt: skip
