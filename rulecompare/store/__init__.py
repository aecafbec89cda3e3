"""The SQLite store: agreements, clauses, full-text search and cached features.

Why SQLite: one file the user can copy, real transactions (ingest is
all-or-nothing per source file), and FTS5 for search, all in the standard
library.  Every query returns a pandas DataFrame so that results go straight
into analysis or export.

The schema carries a version (``PRAGMA user_version``) and is migrated step by
step, never silently recreated; a store written by a newer rulecompare is
refused rather than damaged.

:class:`Store` is put together from one part per responsibility:

- :mod:`.schema`: the tables, their version and the migration steps;
- :mod:`.core`: the connection, its lifecycle and transactions;
- :mod:`.writes`: what ingest writes, one source file per transaction;
- :mod:`.queries`: agreements and clauses as frames and records;
- :mod:`.search`: full-text search;
- :mod:`.cache`: the cache of derived data;
- :mod:`.translations`: machine translations of clauses, beside the originals;
- :mod:`.rows`: how a record becomes a row and back.
"""

from __future__ import annotations

from .cache import FeatureCache
from .queries import AgreementQueries
from .rows import article_key, row_to_agreement
from .schema import AGREEMENT_COLUMNS, CLAUSE_COLUMNS, SCHEMA_VERSION
from .search import FullTextSearch
from .translations import TranslationRow, Translations, source_digest
from .writes import IngestResult, SourceWrites, Status, file_sha256


class Store(SourceWrites, AgreementQueries, FullTextSearch, FeatureCache, Translations):
    """A rulecompare store in one SQLite file (``":memory:"`` for a throwaway one)."""


__all__ = [
    "AGREEMENT_COLUMNS", "CLAUSE_COLUMNS", "IngestResult", "SCHEMA_VERSION", "Status", "Store",
    "TranslationRow", "article_key", "file_sha256", "row_to_agreement", "source_digest",
]  # fmt: skip
