"""Tables too large to hold written piece by piece: the clause export, streamed from the store.

Why this module exists: ``export clauses`` writes 125,000 clauses with their
agreements' metadata; built whole the table took 893 MB.  Here it is read
from the store in pieces (:func:`clause_table`) and written one piece at a
time (:func:`write_frames`), in the formats of :mod:`rulecompare.export`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from .errors import RulecompareError
from .export import _records, format_for, tidy, write_frame, write_xlsx
from .outfile import write_output
from .store import Store


def write_frames(frames: Iterable[pd.DataFrame], path: Path | str, fmt: str | None = None) -> int:
    """Write the frames one after the other as one table, without holding more than one; rows written.

    The file is the one :func:`write_frame` writes for their concatenation
    (same bytes for CSV and JSON; the same table for Parquet, written in row
    groups), and is written as :func:`rulecompare.outfile.write_output` writes.
    The frames must have the same columns; a "table" or TSV is not streamed, an
    xlsx workbook is (openpyxl's write-only mode).
    """
    target = Path(path)
    chosen = format_for(target, fmt)
    if chosen == "xlsx":
        counted: list[int] = []
        write_output(target, lambda f: counted.append(write_xlsx(frames, f)))
        return counted[0] if counted else 0
    if chosen not in _STREAMERS:
        parts = list(frames)
        whole = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        write_frame(whole, target, chosen)
        return len(whole)
    written = 0

    def write(f: BinaryIO) -> None:
        nonlocal written
        for n in _STREAMERS[chosen]((tidy(df) for df in frames), f):
            written += n

    try:
        write_output(target, write)
    except ImportError as exc:
        raise RulecompareError(f"{target}: Parquet needs pyarrow ({exc})") from None
    return written


def _stream_csv(frames: Iterable[pd.DataFrame], f: BinaryIO) -> Iterator[int]:
    first = True
    for df in frames:
        if df.empty and not first:
            continue
        f.write(df.to_csv(index=False, header=first).encode("utf-8"))
        first = False
        yield len(df)


def _stream_json(frames: Iterable[pd.DataFrame], f: BinaryIO) -> Iterator[int]:
    # json.dumps(records, indent=1) puts each record one level in: the same text, record by record.
    count = 0
    for df in frames:
        for record in _records(df):
            body = json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n ")
            f.write((("[\n " if count == 0 else ",\n ") + body).encode("utf-8"))
            count += 1
        yield len(df)
    f.write(("[]\n" if count == 0 else "\n]\n").encode("utf-8"))


def _stream_parquet(frames: Iterable[pd.DataFrame], f: BinaryIO) -> Iterator[int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None
    try:
        for df in frames:
            if schema is None:
                schema = pa.Schema.from_pandas(df, preserve_index=False)
                # A column that is empty in the first piece has no type yet: text, as pandas would write.
                for i, field in enumerate(schema):
                    if pa.types.is_null(field.type):
                        schema = schema.set(i, field.with_type(pa.string()))
                writer = pq.ParquetWriter(f, schema)
            assert writer is not None
            writer.write_table(pa.Table.from_pandas(df, schema=schema, preserve_index=False))
            yield len(df)
        if writer is None:
            pd.DataFrame().to_parquet(f, index=False)
    finally:
        if writer is not None:
            writer.close()


_STREAMERS = {"csv": _stream_csv, "json": _stream_json, "parquet": _stream_parquet}


def clause_table(
    store: Store,
    agreement_ids: list[str] | None = None,
    *,
    language: str | None = None,
    area: str | None = None,
    rows: int = 5_000,
) -> Iterator[pd.DataFrame]:
    """The clause export, one row per clause with its agreement's metadata (``agreement_`` prefix), in pieces.

    Read from the store piece by piece (:meth:`~rulecompare.store.Store.clause_chunks`), so that
    :func:`write_frames` writes all 125,000 clauses of the corpus in the memory of a few thousand.
    """
    agreements = store.agreements(agreement_ids, language=language)
    meta = agreements.drop(columns=["source_urls"]).add_prefix("agreement_")
    ids = list(agreements["id"]) if (agreement_ids is not None or language) else None
    for chunk in store.clause_chunks(ids, area=area, rows=rows):
        yield chunk.merge(meta, left_on="agreement_id", right_on="agreement_id", how="left")


__all__ = ["clause_table", "write_frames"]
