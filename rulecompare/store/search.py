"""Full-text search over clause text (SQLite FTS5, ranked by BM25).

The index ``clauses_fts`` is an external-content FTS5 table over
``clauses.text``; :mod:`.writes` keeps it in step with every insert and delete.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..errors import RulecompareError
from .core import StoreCore


class FullTextSearch(StoreCore):
    """Search the clauses' text."""

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        agreement_ids: Sequence[str] | None = None,
        area: str | None = None,
        language: str | None = None,
        mark: tuple[str, str] = ("«", "»"),
    ) -> pd.DataFrame:
        """Full-text search (FTS5 syntax; plain words and "quoted phrases" work as expected)."""
        where = ["clauses_fts MATCH ?"]
        params: list[Any] = [_fts_query(query)]
        if agreement_ids:
            where.append(f"c.agreement_id IN ({', '.join('?' * len(agreement_ids))})")
            params += list(agreement_ids)
        if area:
            where.append("c.area = ?")
            params.append(area)
        if language:
            where.append("a.language = ?")
            params.append(language)
        sql = (
            "SELECT c.agreement_id, a.name, c.chapter_title, c.article_number, c.article_title,"
            " c.paragraph, c.area, c.id AS clause_id,"
            f" snippet(clauses_fts, 0, ?, ?, '…', 16) AS snippet, bm25(clauses_fts) AS rank"
            " FROM clauses_fts JOIN clauses c ON c.rowid = clauses_fts.rowid"
            " JOIN agreements a ON a.id = c.agreement_id"
            f" WHERE {' AND '.join(where)} ORDER BY rank LIMIT ?"
        )
        try:
            return self._df(sql, [mark[0], mark[1], *params, limit])
        except sqlite3.OperationalError as exc:
            raise RulecompareError(f"search query '{query}' is not valid ({exc})") from None


def _fts_query(query: str) -> str:
    """Plain words are ANDed; anything with FTS5 operators or quotes passes through unchanged."""
    q = query.strip()
    if any(ch in q for ch in '"*():^') or any(op in q.split() for op in ("AND", "OR", "NOT", "NEAR")):
        return q
    return " ".join(f'"{w}"' for w in q.split())
