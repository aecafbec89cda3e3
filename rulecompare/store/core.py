"""The connection and its transactions: what every part of the store is built on.

Opening a store sets the pragmas, brings the schema up to date
(:mod:`.schema`) and turns every SQLite failure into a one-line
:class:`~rulecompare.errors.StoreError`.  Writes go through :meth:`StoreCore._write`,
one transaction that is rolled back on any error or Ctrl-C.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, Self

import pandas as pd

from ..errors import StoreError
from . import schema

WAL_SIZE_LIMIT = 64 * 1024 * 1024
"""Bytes a store's ``-wal`` file is cut back to after a checkpoint (SQLite keeps it at its largest size
otherwise)."""


def now() -> str:
    """The time stamp written beside sources and cache entries (UTC, to the second)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class StoreCore:
    """An open store file: the connection, its lifecycle, transactions and plain queries."""

    def __init__(self, path: Path | str, *, readonly: bool = False, timeout: float = 5.0) -> None:
        self.path = str(path)
        self.readonly = readonly
        try:
            if readonly:
                if self.path != ":memory:" and not Path(self.path).exists():
                    raise StoreError(f"{self.path}: no store here yet; run `rulecompare ingest` first")
                self.db = self._connect_readonly(timeout)
            else:
                if self.path != ":memory:":
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, timeout=timeout)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(self._cannot(exc)) from None
        try:
            self._prepare(timeout)
        except sqlite3.Error as exc:
            self.db.close()
            raise StoreError(self._cannot(exc)) from None
        except StoreError:
            self.db.close()
            raise

    def _prepare(self, timeout: float) -> None:
        """Set the pragmas and bring the schema up to date, waiting out other processes.

        Switching a new file to WAL and creating its schema both need the file
        to themselves; when several processes open the same new store at once,
        SQLite can answer "database is locked" at once instead of calling its
        busy handler.  Those answers are retried until ``timeout`` has passed.
        """
        deadline = time.monotonic() + timeout
        pause = 0.01
        while True:
            try:
                self.db.execute("PRAGMA foreign_keys = ON")
                self.db.execute("PRAGMA synchronous = NORMAL")
                if not self.readonly and self.path != ":memory:":
                    # WAL: a commit per source file costs no fsync, and readers never block the writer.
                    self.db.execute("PRAGMA journal_mode = WAL")
                    # A feature-cache write puts hundreds of MB through the WAL; without a limit the
                    # -wal file keeps that size after the checkpoint, doubling the store on disk.
                    self.db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
                self._migrate()
                return
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() + pause > deadline:
                    raise
                if self.db.in_transaction:
                    self.db.rollback()
                time.sleep(pause)
                pause = min(pause * 2, 0.2)

    def _connect_readonly(self, timeout: float) -> sqlite3.Connection:
        """A read-only connection, also where SQLite cannot create the WAL's ``-shm`` file.

        A store in WAL mode needs its ``-shm`` (and ``-wal``) file to be read;
        in a read-only folder they cannot be created.  When the store was
        closed cleanly there is no ``-wal`` file, nothing outside the main file,
        and the file can be read as immutable (no locks, no WAL).
        """
        uri = Path(self.path).resolve().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout)
        try:
            db.execute("PRAGMA user_version").fetchone()
            return db
        except sqlite3.OperationalError:
            db.close()
        wal = Path(f"{self.path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(
                f"{self.path}: cannot read the store: its write-ahead log {wal.name} holds changes that "
                f"SQLite cannot read in this read-only folder; copy both files to a writable folder"
            )
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout)

    def _cannot(self, exc: BaseException) -> str:
        """The one-line message for a store that cannot be opened."""
        reason = self._unwritable()
        if reason is not None:
            return f"{self.path}: cannot write the store: {reason}"
        return f"{self.path}: cannot open store ({exc})"

    def _unwritable(self) -> str | None:
        """Why this store cannot be written, when it is the folder or the file (not SQLite) that refuses."""
        if self.readonly or self.path == ":memory:":
            return None
        where = Path(self.path)
        if where.parent.is_dir() and not os.access(where.parent, os.W_OK):
            return f"the folder {where.parent} is read-only (SQLite writes its journal beside the store)"
        if where.exists() and not os.access(where, os.W_OK):
            return "the file is read-only"
        return None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return schema.version_of(self.db)

    def _migrate(self) -> None:
        if not schema.pending(self.db, self.path, readonly=self.readonly):
            return
        # Not through _write: a busy answer must reach _prepare as itself, to be retried.
        self.db.execute("BEGIN IMMEDIATE")
        try:
            # Asked again under the write lock: another process opening the same new store may have
            # created the schema while this one waited, and creating it twice fails.
            for version in schema.pending(self.db, self.path, readonly=False):
                schema.apply(self.db, version)
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; on any error (or Ctrl-C) everything in it is rolled back."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            reason = self._unwritable()
            raise StoreError(f"{self.path}: cannot write to store ({reason or exc})") from None
        try:
            yield self.db
        except BaseException:
            self.db.rollback()
            raise
        try:
            self.db.commit()
        except sqlite3.OperationalError as exc:
            self.db.rollback()
            raise StoreError(f"{self.path}: cannot write to store ({exc})") from None

    def _df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        cur = self.db.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return pd.DataFrame.from_records(cur.fetchall(), columns=cols)

    def count(self, table: Literal["agreements", "clauses", "sources"] = "agreements") -> int:
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
