"""What ingest writes: one source file's agreement and clauses, all or nothing.

Each source file is written in one transaction that first removes whatever
that file (or an earlier file with the same agreement id) wrote before, so
re-ingesting is idempotent.  The ``sources`` table remembers each file's
SHA-256 and parser version, which is how an unchanged file is skipped.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import StoreError
from ..model import ParsedAgreement
from .core import now
from .rows import CLAUSE_RECORD_COLUMNS, agreement_row, clause_rows, footnote_rows
from .schema import AGREEMENT_COLUMNS
from .search import TEXT_INDEX_KEY, FullTextSearch

Status = Literal["added", "updated", "unchanged", "failed"]

_INSERT_AGREEMENT = (
    f"INSERT INTO agreements ({', '.join(AGREEMENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(AGREEMENT_COLUMNS))})"
)
_INSERT_CLAUSE = (
    f"INSERT INTO clauses ({', '.join(CLAUSE_RECORD_COLUMNS)}, article_key) "
    f"VALUES ({', '.join('?' * (len(CLAUSE_RECORD_COLUMNS) + 1))})"
)


_INDEX_TEXT = "INSERT INTO clauses_fts(rowid, text) SELECT rowid, text FROM clauses WHERE agreement_id = ?"


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one source file."""

    path: str
    status: Status
    agreement_id: str | None = None
    clauses: int = 0
    message: str = ""
    """The one-line reason for a failure, or warnings from the parser."""
    duplicate: str = ""
    """When the agreement is held twice (this source and one in the store), the warning naming both."""


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SourceWrites(FullTextSearch):
    """Writing parsed sources, removing agreements, and what the store knows of each source file."""

    def source_digest(self, path: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT sha256, parser FROM sources WHERE path = ?", (path,)).fetchone()
        return (row[0], row[1]) if row else None

    def source_agreement(self, path: str) -> str | None:
        row = self.db.execute("SELECT agreement_id FROM sources WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def source_fingerprints(self, agreement_ids: Sequence[str]) -> dict[str, str]:
        """Per agreement, its source files' paths, SHA-256 and parser versions in one string.

        Agreements with no source row are left out.  The string changes whenever
        the agreement's content can have changed (a new file or parser), without
        reading any clause text.
        """
        found: dict[str, list[str]] = {}
        ids = list(dict.fromkeys(agreement_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.db.execute(
                f"SELECT agreement_id, path, sha256, parser FROM sources "
                f"WHERE agreement_id IN ({', '.join('?' * len(chunk))}) ORDER BY agreement_id, path",
                chunk,
            )
            for aid, path, sha, parser in rows:
                found.setdefault(aid, []).append(f"{path}\x02{sha}\x02{parser}")
        return {aid: "\x01".join(parts) for aid, parts in found.items()}

    def is_current(self, path: str, sha256: str, parser: str) -> bool:
        """True when this exact file, read by this exact parser version, is what the store holds.

        The same agreement written since from another file (a modified copy of
        ``pta_2.xml`` elsewhere) makes this file's records stale: it is not
        current even if its bytes are unchanged.
        """
        row = self.db.execute(
            "SELECT s.sha256, s.parser FROM sources s JOIN agreements a ON a.id = s.agreement_id"
            " WHERE s.path = ? AND NOT EXISTS (SELECT 1 FROM sources o"
            "   WHERE o.agreement_id = s.agreement_id AND o.path != s.path)",
            (path,),
        ).fetchone()
        return row is not None and (row[0], row[1]) == (sha256, parser)

    def put(
        self,
        parsed: ParsedAgreement,
        *,
        path: str,
        sha256: str,
        parser: str,
        duplicated_by: Sequence[str] = (),
    ) -> Status:
        """Write one parsed source in one transaction, replacing what it wrote before.

        ``duplicated_by`` names agreements already in the store that repeat this one: in the
        same transaction their ``duplicate_of`` is set to it (its own is ``parsed.agreement.duplicate_of``).
        """
        a = parsed.agreement
        source_key = str(path)
        try:
            with self._write() as db:
                previous = db.execute(
                    "SELECT agreement_id FROM sources WHERE path = ?", (source_key,)
                ).fetchone()
                existed = db.execute("SELECT 1 FROM agreements WHERE id = ?", (a.id,)).fetchone()
                text_index = not self._defer_text_index
                # The full-text index stays marked current only if it was and is kept in step.
                in_step = text_index and self._text_index_marked(db)
                for old in {previous[0] if previous else None, a.id if existed else None} - {None}:
                    self._delete_agreement(db, old, text_index=text_index)  # type: ignore[arg-type]
                self._insert(db, parsed)
                if text_index:
                    db.execute(_INDEX_TEXT, (a.id,))
                # One source row per agreement: the file that wrote what the store holds.
                db.execute("DELETE FROM sources WHERE agreement_id = ? AND path != ?", (a.id, source_key))
                db.executemany(
                    "UPDATE agreements SET duplicate_of = ? WHERE id = ?", [(a.id, d) for d in duplicated_by]
                )
                db.execute(
                    "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)",
                    (source_key, sha256, parser, a.id, now()),
                )
                if in_step:
                    self._mark_text_index(db)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot write {path} ({exc})") from None
        return "updated" if (previous or existed) else "added"

    def _text_index_marked(self, db: sqlite3.Connection) -> bool:
        row = db.execute("SELECT digest FROM cache WHERE key = ?", (TEXT_INDEX_KEY,)).fetchone()
        return row is not None and row[0] == self.text_state(db)

    @staticmethod
    def _delete_agreement(db: sqlite3.Connection, agreement_id: str, *, text_index: bool = True) -> None:
        if text_index:
            db.execute(
                "INSERT INTO clauses_fts(clauses_fts, rowid, text) "
                "SELECT 'delete', rowid, text FROM clauses WHERE agreement_id = ?",
                (agreement_id,),
            )
        db.execute("DELETE FROM clauses WHERE agreement_id = ?", (agreement_id,))
        db.execute("DELETE FROM footnotes WHERE agreement_id = ?", (agreement_id,))
        db.execute("DELETE FROM agreements WHERE id = ?", (agreement_id,))
        db.execute("DELETE FROM cache WHERE key LIKE ?", (f"%|{agreement_id}|%",))

    @staticmethod
    def _insert(db: sqlite3.Connection, parsed: ParsedAgreement) -> None:
        a = parsed.agreement
        db.execute(_INSERT_AGREEMENT, agreement_row(parsed))
        db.executemany("INSERT INTO agreement_parties VALUES (?, ?)", [(a.id, p) for p in set(a.parties)])
        db.executemany("INSERT INTO agreement_families VALUES (?, ?)", [(a.id, f) for f in set(a.families)])
        db.executemany(_INSERT_CLAUSE, clause_rows(parsed.clauses))
        db.executemany("INSERT INTO footnotes VALUES (?, ?, ?, ?, ?)", footnote_rows(a.id, parsed.footnotes))

    def link_duplicate(self, agreement_id: str, duplicate_of: str | None) -> None:
        """Say that ``agreement_id`` repeats ``duplicate_of`` (None: that it repeats nothing)."""
        with self._write() as db:
            db.execute("UPDATE agreements SET duplicate_of = ? WHERE id = ?", (duplicate_of, agreement_id))

    def delete(self, agreement_id: str) -> None:
        """Remove an agreement, its clauses and the sources that produced it."""
        with self._write() as db:
            in_step = self._text_index_marked(db)
            self._delete_agreement(db, agreement_id)
            db.execute("DELETE FROM sources WHERE agreement_id = ?", (agreement_id,))
            if in_step:
                self._mark_text_index(db)
