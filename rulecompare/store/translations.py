"""Machine translations of clauses, kept beside the original text (never in its place).

Comparing a Spanish or French agreement with an English one reads a
translation of its clauses (:mod:`rulecompare.translate`).  Translating the
non-English corpus takes a minute or two, so the result is kept in the
``translations`` table: one row per clause, translator, translator version
and target language, with a digest of the original text it was made from.
The clause text itself is never touched: quotes of a clause show the
original, and a translation is always read as a separate field.

Rows belong to their agreement (``ON DELETE CASCADE``): re-ingesting an
agreement deletes its translations, and writing a new version of a
translator replaces that translator's older rows for the agreement.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..errors import StoreError
from .core import StoreCore, now

__all__ = ["TranslationRow", "Translations", "source_digest"]


def source_digest(text: str, article_title: str | None) -> str:
    """The digest of what a clause's translation is made from: its text and its article title."""
    body = f"{text}\x00{article_title or ''}"
    return hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class TranslationRow:
    """One clause's translation, as written by :meth:`Translations.put_translations`."""

    clause_id: str
    source_sha1: str
    """:func:`source_digest` of the original text and title it was made from."""
    text: str
    article_title: str | None


class Translations(StoreCore):
    """Reading and writing the ``translations`` table."""

    def translations(
        self, agreement_ids: Sequence[str], *, translator: str, version: str, target: str = "en"
    ) -> pd.DataFrame:
        """The stored translations of these agreements' clauses by one translator version.

        Columns: ``clause_id``, ``agreement_id``, ``source_sha1``, ``text``, ``article_title``.
        Clauses without a translation are simply absent.
        """
        frames = []
        ids = list(dict.fromkeys(agreement_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            frames.append(
                self._df(
                    "SELECT clause_id, agreement_id, source_sha1, text, article_title FROM translations"
                    f" WHERE agreement_id IN ({', '.join('?' * len(chunk))})"
                    " AND translator = ? AND version = ? AND target_language = ?",
                    [*chunk, translator, version, target],
                )
            )
        if not frames:
            return pd.DataFrame(columns=["clause_id", "agreement_id", "source_sha1", "text", "article_title"])
        return pd.concat(frames, ignore_index=True)

    def translated_counts(
        self, agreement_ids: Sequence[str], *, translator: str, version: str, target: str = "en"
    ) -> dict[str, int]:
        """Per agreement, how many of its clauses this translator version has translated (absent: none)."""
        found: dict[str, int] = {}
        ids = list(dict.fromkeys(agreement_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.db.execute(
                "SELECT agreement_id, count(*) FROM translations"
                f" WHERE agreement_id IN ({', '.join('?' * len(chunk))})"
                " AND translator = ? AND version = ? AND target_language = ? GROUP BY agreement_id",
                [*chunk, translator, version, target],
            )
            found.update((str(a), int(n)) for a, n in rows)
        return found

    def put_translations(
        self,
        agreement_id: str,
        rows: Sequence[TranslationRow],
        *,
        translator: str,
        version: str,
        source: str,
        target: str = "en",
    ) -> None:
        """Write one agreement's translations in one transaction.

        Replaces every row this translator wrote for the agreement into
        ``target`` (older versions included), so a store keeps one version per
        translator.  Raises StoreError on a read-only store or when the
        agreement is not in the store.
        """
        stamp = now()
        try:
            with self._write() as db:
                db.execute(
                    "DELETE FROM translations"
                    " WHERE agreement_id = ? AND translator = ? AND target_language = ?",
                    (agreement_id, translator, target),
                )
                db.executemany(
                    "INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            r.clause_id,
                            agreement_id,
                            translator,
                            version,
                            source,
                            target,
                            r.source_sha1,
                            r.text,
                            r.article_title,
                            stamp,
                        )  # fmt: skip
                        for r in rows
                    ],
                )
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{self.path}: cannot keep the translation of {agreement_id} ({exc})") from None
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot write translations ({exc})") from None

    def translation_summary(self) -> pd.DataFrame:
        """One row per agreement and translator version: clauses and characters translated, and when."""
        return self._df(
            "SELECT agreement_id, translator, version, source_language, target_language,"
            " count(*) AS n_clauses, sum(length(text)) AS n_chars, max(created_at) AS created_at"
            " FROM translations GROUP BY agreement_id, translator, version, source_language, target_language"
            " ORDER BY agreement_id"
        )

    def delete_translations(self, agreement_ids: Sequence[str] | None = None) -> int:
        """Remove the translations of these agreements (all when None); returns the rows removed."""
        with self._write() as db:
            if agreement_ids is None:
                return int(db.execute("DELETE FROM translations").rowcount)
            removed = 0
            for aid in dict.fromkeys(agreement_ids):
                removed += int(db.execute("DELETE FROM translations WHERE agreement_id = ?", (aid,)).rowcount)
            return removed
