"""Full-text search over clause text (SQLite FTS5, ranked by BM25).

The index ``clauses_fts`` is an external-content FTS5 table over
``clauses.text``.  :mod:`.writes` keeps it in step with every insert and
delete, except inside :meth:`FullTextSearch.text_index_deferred`, where a bulk
ingest writes clauses only and the index is rebuilt once at the end (one pass
over all text costs less than a thousand small updates).  Whether the index
matches the clauses is recorded beside it: a cache entry whose digest is
:meth:`FullTextSearch.text_state` (the sources' files and parser versions and
the clause count), written in the same transaction as the index.  A search
finds the entry stale after an interrupted bulk ingest (or a cleared cache)
and rebuilds the index first.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

from ..errors import RulecompareError
from .core import StoreCore, now

TEXT_INDEX_KEY = "fts|clauses_fts"
"""The cache entry that says which state of the clauses the full-text index holds."""
DEFER_AT = 20
"""A bulk write of at least this many files (and a quarter of the store) rebuilds the index once instead."""


class FullTextSearch(StoreCore):
    """Search the clauses' text."""

    _defer_text_index = False

    def text_state(self, db: sqlite3.Connection | None = None) -> str:
        """A digest of what the clause texts are made from: every source's file and parser, and the count."""
        db = db or self.db
        h = hashlib.sha1(str(db.execute("SELECT count(*) FROM clauses").fetchone()[0]).encode())
        for path, sha, parser in db.execute("SELECT path, sha256, parser FROM sources ORDER BY path"):
            h.update(f"\x00{path}\x01{sha}\x01{parser}".encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def text_index_current(self) -> bool:
        """True when the full-text index is known to hold the clauses as they are."""
        row = self.db.execute("SELECT digest FROM cache WHERE key = ?", (TEXT_INDEX_KEY,)).fetchone()
        return row is not None and row[0] == self.text_state()

    def rebuild_text_index(self) -> None:
        """Rebuild the full-text index from the clauses, and record that it is current, in one transaction."""
        with self._write() as db:
            db.execute("INSERT INTO clauses_fts(clauses_fts) VALUES('rebuild')")
            self._mark_text_index(db)

    def _mark_text_index(self, db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?)",
            (TEXT_INDEX_KEY, self.text_state(db), b"", now()),
        )

    @contextmanager
    def text_index_deferred(self, files: int) -> Iterator[None]:
        """Within: writes of ``files`` source files leave the full-text index alone when there are many
        (see :data:`DEFER_AT`); it is rebuilt once on a normal exit.  An interrupted bulk write leaves it
        stale, and the next search rebuilds it."""
        defer = not self.readonly and files >= max(DEFER_AT, self.count("agreements") // 4)
        self._defer_text_index = defer
        try:
            yield
        finally:
            self._defer_text_index = False
        if defer:
            self.rebuild_text_index()

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
        if not self.readonly and not self.text_index_current():
            self.rebuild_text_index()
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
