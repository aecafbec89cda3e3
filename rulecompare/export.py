"""Writing results: one function used by the CLI and the TUI alike.

CSV is UTF-8 with a header and no index, so it opens in a spreadsheet and
reads back with ``pandas.read_csv`` unchanged; JSON is records (one object
per row); Parquet keeps dtypes; "table" is for people at a terminal.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal, get_args

import pandas as pd

from .errors import RulecompareError
from .outfile import write_bytes, write_output
from .store import Store

Format = Literal["table", "csv", "json", "parquet"]
FORMATS: tuple[str, ...] = get_args(Format)


def format_for(path: Path | None, fmt: str | None) -> str:
    """The format to write: the one asked for, else the file's suffix, else a table."""
    if fmt:
        if fmt not in FORMATS:
            raise RulecompareError(f"unknown format '{fmt}' (use one of: {', '.join(FORMATS)})")
        return fmt
    if path is not None:
        suffix = path.suffix.lower().lstrip(".")
        if suffix in ("csv", "json", "parquet"):
            return suffix
        if suffix in ("tsv", "txt"):
            return "csv"
    return "table"


def to_text(df: pd.DataFrame, fmt: str, *, max_width: int = 60) -> str:
    """Render a frame as text for a terminal (table) or a pipe (csv, json)."""
    if fmt == "csv":
        text: str = df.to_csv(index=False)
        return text
    if fmt == "json":
        return json.dumps(_records(df), ensure_ascii=False, indent=1) + "\n"
    if fmt == "table":
        shown = df.copy()
        for col in shown.columns:
            if pd.api.types.is_object_dtype(shown[col]) or pd.api.types.is_string_dtype(shown[col]):
                shown[col] = shown[col].map(lambda v: _clip(v, max_width))
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250):
            text = shown.to_string(index=False) + "\n"
            return text
    raise RulecompareError(f"format '{fmt}' cannot be printed; write it to a file with -o")


def _clip(value: object, width: int) -> object:
    if isinstance(value, str):
        flat = " ".join(value.split())
        return flat if len(flat) <= width else flat[: width - 1] + "…"
    return value


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    records: list[dict[str, object]] = json.loads(
        df.to_json(orient="records", date_format="iso", force_ascii=False)
    )
    return records


def write_frame(df: pd.DataFrame, path: Path | str | None, fmt: str | None = None) -> str | None:
    """Write ``df`` to ``path`` in ``fmt`` (or its suffix); with no path, return the text instead.

    ``path`` is written as :func:`rulecompare.outfile.write_output` writes: a
    regular file is replaced only once the new one is complete, a symlink's
    target is written, a device or FIFO is written in place, ``-`` is
    standard output.
    """
    target = Path(path) if path is not None else None
    chosen = format_for(target, fmt)
    if target is None:
        return to_text(df, chosen)
    try:
        data = frame_to_bytes(df, chosen)
    except ImportError as exc:
        raise RulecompareError(f"{target}: Parquet needs pyarrow ({exc})") from None
    write_bytes(target, data)
    return None


def frame_to_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """The bytes of ``df`` in ``fmt`` (for callers that stream or attach results)."""
    if fmt == "parquet":
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        return buf.getvalue()
    # A table in a file is for reading whole: its cells are not clipped.
    return to_text(df, fmt, max_width=10_000 if fmt == "table" else 60).encode("utf-8")


def write_frames(frames: Iterable[pd.DataFrame], path: Path | str, fmt: str | None = None) -> int:
    """Write the frames one after the other as one table, without holding more than one; rows written.

    The file is the one :func:`write_frame` writes for their concatenation
    (same bytes for CSV and JSON; the same table for Parquet, written in row
    groups), and is written as :func:`rulecompare.outfile.write_output` writes.
    The frames must have the same columns; a "table" is not streamed.
    """
    target = Path(path)
    chosen = format_for(target, fmt)
    if chosen == "table":
        parts = list(frames)
        whole = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        write_frame(whole, target, chosen)
        return len(whole)
    written = 0

    def write(f: BinaryIO) -> None:
        nonlocal written
        for n in _STREAMERS[chosen](frames, f):
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
