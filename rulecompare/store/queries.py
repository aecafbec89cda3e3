"""Reading agreements and clauses: filtered frames, single records, outlines and counts.

Every query returns a pandas DataFrame (or a record) so that results go
straight into analysis or export; agreements come in the natural order of
their ids, clauses in document order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd

from ..errors import NotFoundError
from ..model import Agreement, Clause, Footnote
from .core import StoreCore
from .rows import CLAUSE_RECORD_COLUMNS, article_key, clause_from_row, row_to_agreement
from .schema import AGREEMENT_COLUMNS, CLAUSE_COLUMNS


class AgreementQueries(StoreCore):
    """Agreements and clauses as frames and records."""

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
        include_duplicates: bool = True,
    ) -> pd.DataFrame:
        """Agreements with all metadata columns, filtered; parties/families are ";"-joined.

        ``include_duplicates=False`` leaves out each agreement whose ``duplicate_of`` names an
        agreement in the store, so that an agreement held twice (a ToTA record and a text of the
        same treaty) is counted once, as the one it duplicates.
        """
        where: list[str] = []
        params: list[Any] = []
        if not include_duplicates:
            where.append("(duplicate_of IS NULL OR duplicate_of NOT IN (SELECT id FROM agreements))")
        if ids is not None:
            where.append(f"id IN ({', '.join('?' * len(ids))})")
            params += list(ids)
        for condition, value in _memberships(party, family):
            where.append(condition)
            params.append(value)
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

    def agreements_of_size(self, language: str, low: int, high: int) -> pd.DataFrame:
        """Agreements in ``language`` with ``low`` to ``high`` characters of text: id, name, parties,
        parties_original, date_signed, n_chars, wto_rta_id, and ``linked`` (a duplicate of an agreement in
        the store).

        The quick first filter when looking for an agreement held twice.
        """
        return self._df(
            "SELECT id, name, parties, parties_original, date_signed, n_chars, wto_rta_id,"
            " (duplicate_of IS NOT NULL AND duplicate_of IN (SELECT id FROM agreements)) AS linked"
            " FROM agreements WHERE language = ? AND n_chars BETWEEN ? AND ?",
            (language, low, high),
        )

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
        sql, params = self._clause_query(agreement_ids, area, language, article, columns)
        return self._df(sql, params)

    def clause_chunks(
        self,
        agreement_ids: Sequence[str] | None = None,
        *,
        area: str | Sequence[str] | None = None,
        language: str | None = None,
        columns: Sequence[str] | None = None,
        rows: int = 20_000,
    ) -> Iterator[pd.DataFrame]:
        """The frame of :meth:`clauses` in pieces of at most ``rows`` rows, read as they are used.

        For exports of the whole store: memory stays that of one piece.  The
        pieces are read inside one transaction, so they come from one state of
        the store even if another process writes meanwhile.
        """
        sql, params = self._clause_query(agreement_ids, area, language, None, columns)
        cur = self.db.cursor()
        own = not self.db.in_transaction
        if own:
            cur.execute("BEGIN")
        try:
            cur.execute(sql, params)
            names = [d[0] for d in cur.description]
            while True:
                batch = cur.fetchmany(rows)
                if not batch:
                    break
                yield pd.DataFrame.from_records(batch, columns=names)
        finally:
            cur.close()
            if own and self.db.in_transaction:
                self.db.rollback()

    def _clause_query(
        self,
        agreement_ids: Sequence[str] | None,
        area: str | Sequence[str] | None,
        language: str | None,
        article: str | None,
        columns: Sequence[str] | None,
    ) -> tuple[str, list[Any]]:
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
        return sql, params

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
            f"SELECT {', '.join(CLAUSE_RECORD_COLUMNS)} FROM clauses WHERE agreement_id = ? ORDER BY ord",
            (agreement_id,),
        )
        return [clause_from_row(r) for r in rows]

    def outline(self, agreement_id: str) -> pd.DataFrame:
        """One row per article: chapter, section, article (with OCR repairs), area, clauses, characters."""
        return self._df(
            "SELECT chapter_index, chapter_number, chapter_title, section_number, section_title,"
            " article_index, article_number, article_title, area, count(*) AS clauses,"
            " sum(length(text)) AS chars, chapter_number_repaired, chapter_title_repaired,"
            " section_title_repaired, article_number_repaired, article_title_repaired"
            " FROM clauses WHERE agreement_id = ?"
            " GROUP BY article_index ORDER BY article_index",
            (agreement_id,),
        )

    def footnotes(self, agreement_id: str, clause_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """An agreement's footnotes in order (of all its clauses, or of ``clause_ids``)."""
        sql = "SELECT clause_id, label, ord, text FROM footnotes WHERE agreement_id = ?"
        params: list[Any] = [agreement_id]
        if clause_ids is not None:
            sql += f" AND clause_id IN ({', '.join('?' * len(clause_ids))})"
            params += list(clause_ids)
        return self._df(sql + " ORDER BY ord", params)

    def iter_footnotes(self, agreement_id: str) -> list[Footnote]:
        """An agreement's footnotes as records, in order."""
        rows = self.db.execute(
            "SELECT clause_id, label, text, ord FROM footnotes WHERE agreement_id = ? ORDER BY ord",
            (agreement_id,),
        )
        return [Footnote(clause_id=c, label=lb, text=t, order=o) for c, lb, t, o in rows]

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


def _sort_by_id(df: pd.DataFrame) -> pd.DataFrame:
    """Natural order of ids: tota:2 before tota:10, then imported files."""
    if df.empty:
        return df
    prefix = df["id"].str.split(":", n=1).str[0]
    num = pd.to_numeric(df["id"].str.split(":", n=1).str[1], errors="coerce")
    order = pd.DataFrame({"p": prefix, "n": num, "s": df["id"]}).sort_values(["p", "n", "s"]).index
    return df.loc[order].reset_index(drop=True)


def _memberships(
    party: str | Sequence[str] | None, family: str | Sequence[str] | None
) -> list[tuple[str, str]]:
    """(condition, value) for each party and family asked for: an agreement must match every one."""
    out = []
    for table, column, value in (
        ("agreement_parties", "iso3", party),
        ("agreement_families", "family", family),
    ):
        if value:
            for v in [value] if isinstance(value, str) else list(value):
                out.append(
                    (
                        f"id IN (SELECT agreement_id FROM {table} WHERE {column} = ?)",
                        v.upper() if column == "iso3" else v,
                    )
                )
    return out
