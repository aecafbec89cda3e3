"""The store's tables, their version, and the steps that bring an older store up to date.

The version lives in ``PRAGMA user_version``.  A store is migrated one version
at a time by the statements of :data:`MIGRATIONS`, never dropped and
recreated; a store written by a newer rulecompare, or an SQLite file that is
not a store at all, is refused rather than damaged.  To change the schema, add
version ``SCHEMA_VERSION + 1`` to :data:`MIGRATIONS` (statements that take a
store of the previous version to the new one) and raise ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import sqlite3

from ..errors import StoreError

SCHEMA_VERSION = 3

MIGRATIONS: dict[int, tuple[str, ...]] = {
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
    # Texts as people have them (issue 16): sections, OCR repairs beside what was found,
    # footnotes apart from the clause text, and duplicates linked rather than counted twice.
    2: (
        "ALTER TABLE clauses ADD COLUMN section_number TEXT",
        "ALTER TABLE clauses ADD COLUMN section_title TEXT",
        "ALTER TABLE clauses ADD COLUMN chapter_number_repaired TEXT",
        "ALTER TABLE clauses ADD COLUMN chapter_title_repaired TEXT",
        "ALTER TABLE clauses ADD COLUMN section_title_repaired TEXT",
        "ALTER TABLE clauses ADD COLUMN article_number_repaired TEXT",
        "ALTER TABLE clauses ADD COLUMN article_title_repaired TEXT",
        "ALTER TABLE agreements ADD COLUMN duplicate_of TEXT",
        """CREATE TABLE footnotes (
            agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            clause_id TEXT NOT NULL,
            label TEXT NOT NULL,
            ord INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (agreement_id, ord))""",
        "CREATE INDEX footnotes_by_clause ON footnotes(clause_id)",
        "CREATE INDEX agreements_by_duplicate ON agreements(duplicate_of)",
    ),
    # Comparing across languages (issue 15): machine translations kept beside the original clauses,
    # one row per clause and translator version; re-ingesting an agreement deletes its rows (cascade).
    3: (
        """CREATE TABLE translations (
            clause_id TEXT NOT NULL,
            agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
            translator TEXT NOT NULL,
            version TEXT NOT NULL,
            source_language TEXT NOT NULL,
            target_language TEXT NOT NULL,
            source_sha1 TEXT NOT NULL,
            text TEXT NOT NULL,
            article_title TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (clause_id, translator, version, target_language))""",
        "CREATE INDEX translations_by_agreement ON translations(agreement_id, translator, version)",
    ),
}
"""For each schema version, the statements that take a store of the version before to it."""

AGREEMENT_COLUMNS = [
    "id", "name", "language", "parties", "parties_original", "families", "aliases",
    "type", "status", "date_signed", "date_in_force", "date_notification",
    "end_implementation", "date_inactive", "composition", "region", "crossregional",
    "parties_wto", "notification", "wto_rta_id", "source", "source_urls",
    "n_chapters", "n_articles", "n_clauses", "n_chars", "duplicate_of",
]  # fmt: skip
"""The columns of :meth:`Store.agreements <rulecompare.store.Store.agreements>`, in order."""

CLAUSE_COLUMNS = [
    "id", "agreement_id", "chapter_index", "chapter_number", "chapter_title",
    "article_index", "article_number", "article_title", "paragraph", "ord",
    "area", "annex", "text", "section_number", "section_title", "chapter_number_repaired",
    "chapter_title_repaired", "section_title_repaired", "article_number_repaired", "article_title_repaired",
]  # fmt: skip
"""The columns of :meth:`Store.clauses <rulecompare.store.Store.clauses>`, in order."""


def version_of(db: sqlite3.Connection) -> int:
    """The schema version the database says it has (0 for a new, empty file)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def pending(db: sqlite3.Connection, where: str, *, readonly: bool) -> range:
    """The versions still to apply to ``db``, oldest first; empty when it is up to date.

    Raises :class:`~rulecompare.errors.StoreError` for a file that cannot be
    brought to :data:`SCHEMA_VERSION`: not an SQLite database, an SQLite file
    with tables of its own, a store from a newer rulecompare, or an old store
    opened read-only.
    """
    try:
        # One statement, one snapshot: read apart, another process could commit the schema between
        # the version (still 0) and the tables (now there), and the store would look foreign.
        current, tables = db.execute(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{where}: not a rulecompare store ({exc})") from None
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"{where}: store has schema version {current}, newer than this rulecompare "
            f"({SCHEMA_VERSION}); upgrade rulecompare"
        )
    if current == SCHEMA_VERSION:
        return range(0)
    if current == 0:
        if tables:
            raise StoreError(f"{where}: an SQLite file that is not a rulecompare store")
    if readonly:
        raise StoreError(f"{where}: store needs an upgrade to schema {SCHEMA_VERSION} but is read-only")
    return range(current + 1, SCHEMA_VERSION + 1)


def apply(db: sqlite3.Connection, version: int) -> None:
    """Run one migration step; the caller holds the transaction that makes the steps all-or-nothing."""
    for statement in MIGRATIONS[version]:
        db.execute(statement)
    db.execute(f"PRAGMA user_version = {version}")
