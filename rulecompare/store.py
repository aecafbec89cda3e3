"""The SQLite store: agreements, clauses, full-text search and cached features.

Why SQLite: one file the user can copy, real transactions (ingest is
all-or-nothing per source file), and FTS5 for search, all in the standard
library.  Every query returns a pandas DataFrame so that results go straight
into analysis or export.

The schema carries a version (``PRAGMA user_version``) and is migrated step by
step, never silently recreated; a store written by a newer rulecompare is
refused rather than damaged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .errors import NotFoundError, RulecompareError, StoreError
from .model import Agreement, Clause, ParsedAgreement

SCHEMA_VERSION = 1

_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE sources (
            path TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            parser TEXT NOT NULL,
            agreement_id TEXT NOT NULL,
            ingested_at TEXT NOT NULL)""",
        """CREATE TABLE agreements (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            language TEXT NOT NULL,
            type TEXT, status TEXT,
            date_signed TEXT, date_in_force TEXT, date_notification TEXT,
            end_implementation TEXT, date_inactive TEXT,
            composition TEXT, region TEXT, crossregional INTEGER, parties_wto INTEGER,
            notification TEXT, wto_rta_id INTEGER,
            source TEXT NOT NULL, source_urls TEXT NOT NULL,
            parties TEXT NOT NULL, parties_original TEXT NOT NULL,
            families TEXT NOT NULL, aliases TEXT NOT NULL,
            n_chapters INTEGER NOT NULL, n_articles INTEGER NOT NULL,
            n_clauses INTEGER NOT NULL, n_chars INTEGER NOT NULL)""",
        """CREATE TABLE agreement_parties (
            agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            iso3 TEXT NOT NULL, PRIMARY KEY (agreement_id, iso3))""",
        """CREATE TABLE agreement_families (
            agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            family TEXT NOT NULL, PRIMARY KEY (agreement_id, family))""",
        """CREATE TABLE clauses (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            chapter_index INTEGER NOT NULL, chapter_number TEXT, chapter_title TEXT,
            article_index INTEGER NOT NULL, article_number TEXT, article_title TEXT,
            article_key TEXT,
            paragraph TEXT NOT NULL, ord INTEGER NOT NULL,
            area TEXT NOT NULL, annex INTEGER NOT NULL,
            text TEXT NOT NULL)""",
        "CREATE INDEX clauses_by_agreement ON clauses(agreement_id, ord)",
        "CREATE INDEX clauses_by_area ON clauses(area)",
        "CREATE INDEX parties_by_iso3 ON agreement_parties(iso3)",
        "CREATE INDEX families_by_family ON agreement_families(family)",
        """CREATE VIRTUAL TABLE clauses_fts USING fts5(
            text, content='clauses', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2')""",
        """CREATE TABLE cache (
            key TEXT PRIMARY KEY,
            digest TEXT NOT NULL,
            data BLOB NOT NULL,
            created_at TEXT NOT NULL)""",
    ),
}

AGREEMENT_COLUMNS = [
    "id", "name", "language", "parties", "parties_original", "families", "aliases",
    "type", "status", "date_signed", "date_in_force", "date_notification",
    "end_implementation", "date_inactive", "composition", "region", "crossregional",
    "parties_wto", "notification", "wto_rta_id", "source", "source_urls",
    "n_chapters", "n_articles", "n_clauses", "n_chars",
]  # fmt: skip

CLAUSE_COLUMNS = [
    "id", "agreement_id", "chapter_index", "chapter_number", "chapter_title",
    "article_index", "article_number", "article_title", "paragraph", "ord",
    "area", "annex", "text",
]  # fmt: skip

Status = Literal["added", "updated", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one source file."""

    path: str
    status: Status
    agreement_id: str | None = None
    clauses: int = 0
    message: str = ""
    """The one-line reason for a failure, or warnings from the parser."""


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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    """A rulecompare store in one SQLite file (``":memory:"`` for a throwaway one)."""

    def __init__(self, path: Path | str, *, readonly: bool = False, timeout: float = 5.0) -> None:
        self.path = str(path)
        self.readonly = readonly
        try:
            if readonly:
                if self.path != ":memory:" and not Path(self.path).exists():
                    raise StoreError(f"{self.path}: no store here yet; run `rulecompare ingest` first")
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, timeout=timeout)
            else:
                if self.path != ":memory:":
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, timeout=timeout)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open store ({exc})") from None
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            if not readonly and self.path != ":memory:":
                # WAL: a commit per source file costs no fsync, and readers never block the writer.
                self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.OperationalError as exc:
            self.db.close()
            raise StoreError(f"{self.path}: cannot open store ({exc})") from None
        except StoreError:
            self.db.close()
            raise

    # -- lifecycle -------------------------------------------------------------

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        try:
            current = self.schema_version
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a rulecompare store ({exc})") from None
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store has schema version {current}, newer than this rulecompare "
                f"({SCHEMA_VERSION}); upgrade rulecompare"
            )
        if current == SCHEMA_VERSION:
            return
        if current == 0:
            tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise StoreError(f"{self.path}: an SQLite file that is not a rulecompare store")
        if self.readonly:
            raise StoreError(
                f"{self.path}: store needs an upgrade to schema {SCHEMA_VERSION} but is read-only"
            )
        with self._write():
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[version]:
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; on any error (or Ctrl-C) everything in it is rolled back."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot write to store ({exc})") from None
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

    # -- ingest ----------------------------------------------------------------

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
        """True when this exact file was ingested by this exact parser version."""
        return self.source_digest(path) == (sha256, parser)

    def put(self, parsed: ParsedAgreement, *, path: str, sha256: str, parser: str) -> Status:
        """Write one parsed source in one transaction, replacing what it wrote before."""
        a = parsed.agreement
        source_key = str(path)
        try:
            with self._write() as db:
                previous = db.execute(
                    "SELECT agreement_id FROM sources WHERE path = ?", (source_key,)
                ).fetchone()
                existed = db.execute("SELECT 1 FROM agreements WHERE id = ?", (a.id,)).fetchone()
                for old in {previous[0] if previous else None, a.id if existed else None} - {None}:
                    self._delete_agreement(db, old)  # type: ignore[arg-type]
                self._insert(db, parsed)
                db.execute(
                    "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)",
                    (source_key, sha256, parser, a.id, _now()),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot write {path} ({exc})") from None
        return "updated" if (previous or existed) else "added"

    @staticmethod
    def _delete_agreement(db: sqlite3.Connection, agreement_id: str) -> None:
        db.execute(
            "INSERT INTO clauses_fts(clauses_fts, rowid, text) "
            "SELECT 'delete', rowid, text FROM clauses WHERE agreement_id = ?",
            (agreement_id,),
        )
        db.execute("DELETE FROM clauses WHERE agreement_id = ?", (agreement_id,))
        db.execute("DELETE FROM agreements WHERE id = ?", (agreement_id,))
        db.execute("DELETE FROM cache WHERE key LIKE ?", (f"%|{agreement_id}|%",))

    @staticmethod
    def _insert(db: sqlite3.Connection, parsed: ParsedAgreement) -> None:
        a = parsed.agreement
        clauses = parsed.clauses
        chapters = {c.chapter_index for c in clauses}
        articles = {c.article_index for c in clauses}
        db.execute(
            f"INSERT INTO agreements ({', '.join(AGREEMENT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(AGREEMENT_COLUMNS))})",
            (
                a.id,
                a.name,
                a.language,
                _join(a.parties),
                _join(a.parties_original),
                _join(a.families),
                _join(a.aliases),
                a.type,
                a.status,
                _iso(a.date_signed),
                _iso(a.date_in_force),
                _iso(a.date_notification),
                _iso(a.end_implementation),
                _iso(a.date_inactive),
                a.composition,
                a.region,
                a.crossregional,
                a.parties_wto,
                a.notification,
                a.wto_rta_id,
                a.source,
                json.dumps(list(a.source_urls)),
                len(chapters),
                len(articles),
                len(clauses),
                sum(len(c.text) for c in clauses),
            ),  # fmt: skip
        )
        db.executemany("INSERT INTO agreement_parties VALUES (?, ?)", [(a.id, p) for p in set(a.parties)])
        db.executemany("INSERT INTO agreement_families VALUES (?, ?)", [(a.id, f) for f in set(a.families)])
        db.executemany(
            "INSERT INTO clauses (id, agreement_id, chapter_index, chapter_number, chapter_title,"
            " article_index, article_number, article_title, article_key, paragraph, ord, area,"
            " annex, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.id,
                    c.agreement_id,
                    c.chapter_index,
                    c.chapter_number,
                    c.chapter_title,
                    c.article_index,
                    c.article_number,
                    c.article_title,
                    article_key(c.article_number),
                    c.paragraph,
                    c.order,
                    c.area,
                    int(c.annex),
                    c.text,
                )  # fmt: skip
                for c in clauses
            ],
        )
        db.execute(
            "INSERT INTO clauses_fts(rowid, text) SELECT rowid, text FROM clauses WHERE agreement_id = ?",
            (a.id,),
        )

    def delete(self, agreement_id: str) -> None:
        """Remove an agreement, its clauses and the sources that produced it."""
        with self._write() as db:
            self._delete_agreement(db, agreement_id)
            db.execute("DELETE FROM sources WHERE agreement_id = ?", (agreement_id,))

    # -- queries ---------------------------------------------------------------

    def _df(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        cur = self.db.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return pd.DataFrame.from_records(cur.fetchall(), columns=cols)

    def count(self, table: Literal["agreements", "clauses", "sources"] = "agreements") -> int:
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def agreements(
        self,
        ids: Sequence[str] | None = None,
        *,
        party: str | Sequence[str] | None = None,
        family: str | Sequence[str] | None = None,
        language: str | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        area: str | None = None,
    ) -> pd.DataFrame:
        """Agreements with all metadata columns, filtered; parties/families are ";"-joined."""
        where: list[str] = []
        params: list[Any] = []
        if ids is not None:
            where.append(f"id IN ({', '.join('?' * len(ids))})")
            params += list(ids)
        for table, column, value in (
            ("agreement_parties", "iso3", party),
            ("agreement_families", "family", family),
        ):
            if value:
                values = [value] if isinstance(value, str) else list(value)
                # Several values: an agreement must match every one (e.g. two parties).
                for v in values:
                    where.append(f"id IN (SELECT agreement_id FROM {table} WHERE {column} = ?)")
                    params.append(v.upper() if column == "iso3" else v)
        if language:
            where.append("language = ?")
            params.append(language)
        if year_from is not None:
            where.append("CAST(substr(date_signed, 1, 4) AS INTEGER) >= ?")
            params.append(year_from)
        if year_to is not None:
            where.append("CAST(substr(date_signed, 1, 4) AS INTEGER) <= ?")
            params.append(year_to)
        if area:
            where.append("id IN (SELECT DISTINCT agreement_id FROM clauses WHERE area = ?)")
            params.append(area)
        sql = f"SELECT {', '.join(AGREEMENT_COLUMNS)} FROM agreements"
        if where:
            sql += " WHERE " + " AND ".join(where)
        df = self._df(sql, params)
        return _sort_by_id(df)

    def agreement(self, agreement_id: str) -> Agreement:
        """One agreement as a record."""
        df = self.agreements([agreement_id])
        if df.empty:
            raise NotFoundError(f"no agreement with id '{agreement_id}' in {self.path}")
        return row_to_agreement(df.iloc[0].to_dict())

    def clauses(
        self,
        agreement_ids: Sequence[str] | None = None,
        *,
        area: str | Sequence[str] | None = None,
        language: str | None = None,
        article: str | None = None,
        columns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Clauses in document order (agreement, then order)."""
        cols = list(columns or CLAUSE_COLUMNS)
        where: list[str] = []
        params: list[Any] = []
        if agreement_ids is not None:
            where.append(f"c.agreement_id IN ({', '.join('?' * len(agreement_ids))})")
            params += list(agreement_ids)
        if area:
            areas = [area] if isinstance(area, str) else list(area)
            where.append(f"c.area IN ({', '.join('?' * len(areas))})")
            params += areas
        if language:
            where.append("a.language = ?")
            params.append(language)
        if article is not None:
            where.append("c.article_key = ?")
            params.append(article_key(article) if " " in article.strip() else article.strip().lower())
        sql = (
            f"SELECT {', '.join('c.' + c for c in cols)} FROM clauses c "
            "JOIN agreements a ON a.id = c.agreement_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.agreement_id, c.ord"
        return self._df(sql, params)

    def clause_counts(self, agreement_ids: Sequence[str], *, area: str | None = None) -> pd.DataFrame:
        """Number of clauses (``n``) per agreement, in area ``area`` if given, ordered as :meth:`clauses`."""
        sql = (
            "SELECT agreement_id, count(*) AS n FROM clauses "
            f"WHERE agreement_id IN ({', '.join('?' * len(agreement_ids))})"
            + (" AND area = ?" if area else "")
            + " GROUP BY agreement_id ORDER BY agreement_id"
        )
        return self._df(sql, [*agreement_ids, *([area] if area else [])])

    def iter_clauses(self, agreement_id: str) -> list[Clause]:
        """One agreement's clauses as records, in order."""
        rows = self.db.execute(
            "SELECT id, agreement_id, chapter_index, chapter_number, chapter_title, article_index,"
            " article_number, article_title, paragraph, ord, text, area, annex"
            " FROM clauses WHERE agreement_id = ? ORDER BY ord",
            (agreement_id,),
        )
        return [
            Clause(
                id=r[0],
                agreement_id=r[1],
                chapter_index=r[2],
                chapter_number=r[3],
                chapter_title=r[4],
                article_index=r[5],
                article_number=r[6],
                article_title=r[7],
                paragraph=r[8],
                order=r[9],
                text=r[10],
                area=r[11],
                annex=bool(r[12]),
            )  # fmt: skip
            for r in rows
        ]

    def outline(self, agreement_id: str) -> pd.DataFrame:
        """One row per article: chapter, article, area, number of clauses and characters."""
        return self._df(
            "SELECT chapter_index, chapter_number, chapter_title, article_index, article_number,"
            " article_title, area, count(*) AS clauses, sum(length(text)) AS chars"
            " FROM clauses WHERE agreement_id = ?"
            " GROUP BY article_index ORDER BY article_index",
            (agreement_id,),
        )

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

    def stats(self) -> dict[str, Any]:
        """Counts for an overview: agreements, clauses, articles, languages, areas."""
        lang = dict(self.db.execute("SELECT language, count(*) FROM agreements GROUP BY language").fetchall())
        classified = self.db.execute(
            "SELECT sum(area != 'unclassified'), count(*) FROM clauses c JOIN agreements a"
            " ON a.id = c.agreement_id WHERE a.language = 'en'"
        ).fetchone()
        return {
            "agreements": self.count("agreements"),
            "clauses": self.count("clauses"),
            "articles": int(
                self.db.execute("SELECT coalesce(sum(n_articles), 0) FROM agreements").fetchone()[0]
            ),
            "articles_en": int(
                self.db.execute(
                    "SELECT coalesce(sum(n_articles), 0) FROM agreements WHERE language = 'en'"
                ).fetchone()[0]
            ),
            "languages": lang,
            "area_coverage_en": (classified[0] or 0) / classified[1] if classified[1] else 0.0,
        }

    # -- cache of derived data (features) -------------------------------------

    def cache_get(self, key: str, digest: str) -> bytes | None:
        """Cached bytes for ``key`` if they were computed from inputs with this ``digest``."""
        row = self.db.execute("SELECT digest, data FROM cache WHERE key = ?", (key,)).fetchone()
        if row is None or row[0] != digest:
            return None
        return bytes(row[1])

    def cache_get_many(self, wanted: Sequence[tuple[str, str]]) -> dict[str, bytes]:
        """Cached bytes for many (key, digest) pairs at once; stale or missing keys are left out."""
        found: dict[str, bytes] = {}
        digests = dict(wanted)
        keys = list(digests)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = self.db.execute(
                f"SELECT key, digest, data FROM cache WHERE key IN ({', '.join('?' * len(chunk))})", chunk
            )
            found.update((k, bytes(data)) for k, d, data in rows if digests[k] == d)
        return found

    def cache_put_many(self, items: Sequence[tuple[str, str, bytes]]) -> None:
        """Store many derived entries in one transaction (skipped on a read-only store)."""
        if self.readonly or not items:
            return
        now = _now()
        try:
            with self._write() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?)", [(k, d, b, now) for k, d, b in items]
                )
        except StoreError:
            return

    def cache_put(self, key: str, digest: str, data: bytes) -> None:
        """Store derived bytes; silently skipped on a read-only store (it is only a cache)."""
        if self.readonly:
            return
        try:
            with self._write() as db:
                db.execute("INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?)", (key, digest, data, _now()))
        except StoreError:
            return


def _fts_query(query: str) -> str:
    """Plain words are ANDed; anything with FTS5 operators or quotes passes through unchanged."""
    q = query.strip()
    if any(ch in q for ch in '"*():^') or any(op in q.split() for op in ("AND", "OR", "NOT", "NEAR")):
        return q
    return " ".join(f'"{w}"' for w in q.split())


def _sort_by_id(df: pd.DataFrame) -> pd.DataFrame:
    """Natural order of ids: tota:2 before tota:10, then imported files."""
    if df.empty:
        return df
    prefix = df["id"].str.split(":", n=1).str[0]
    num = pd.to_numeric(df["id"].str.split(":", n=1).str[1], errors="coerce")
    order = pd.DataFrame({"p": prefix, "n": num, "s": df["id"]}).sort_values(["p", "n", "s"]).index
    return df.loc[order].reset_index(drop=True)


def _split(value: object) -> tuple[str, ...]:
    return tuple(v for v in str(value or "").split(";") if v)


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
    )  # fmt: skip


__all__ = [
    "AGREEMENT_COLUMNS", "CLAUSE_COLUMNS", "IngestResult", "SCHEMA_VERSION", "Store",
    "article_key", "file_sha256", "row_to_agreement",
]  # fmt: skip
