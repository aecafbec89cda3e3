"""Writing results: one function used by the CLI and the TUI alike.

CSV is UTF-8 with a header and no index, so it opens in a spreadsheet and
reads back with ``pandas.read_csv`` unchanged; TSV is the same with tabs;
JSON is records (one object per row); Parquet keeps dtypes; xlsx is an Excel
workbook with the table on its first sheet and what the table is (title,
baseline, counts, the command line) on a second; "table" is text for people.

Every format writes what the frame holds the same way: counts that pandas
turned into floats because a value is missing are integers again (``21``,
not ``21.0``), and a missing value is an empty cell (``null`` in JSON), never
``NaN``, ``<NA>`` or ``None``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO, Literal, get_args

import numpy as np
import pandas as pd

from .errors import RulecompareError
from .outfile import write_bytes, write_output

Format = Literal["table", "csv", "tsv", "json", "parquet", "xlsx"]
FORMATS: tuple[str, ...] = get_args(Format)

About = Mapping[str, object]
"""What a table is, as ``field -> value`` (title, baseline, counts, command line): the xlsx file's
second sheet and the Parquet file's metadata."""

MISSING = "—"
"""How a text table shows a missing value."""

_SUFFIXES = {"csv": "csv", "txt": "csv", "tsv": "tsv", "json": "json", "parquet": "parquet", "xlsx": "xlsx"}
_NOT_WRITTEN = {"xls": "xlsx", "ods": "xlsx", "feather": "parquet", "pq": "parquet", "jsonl": "json"}

_INTEGRAL_NAME = re.compile(
    r"^(n|rank|year|count)(_|$)|_(n|count|id|rank|year|rows|clauses|articles|article_index|chapter_index)$"
)
"""Column names of counts, ranks, years and numeric ids: the float columns written as integers when every
value they hold is a whole number (a score that happens to be 1.0 everywhere stays a score)."""

EXCEL_MAX_ROWS = 1_048_575
"""Rows an Excel sheet holds below its header row."""
EXCEL_MAX_CELL = 32_767
"""Characters an Excel cell holds."""


def format_for(path: Path | None, fmt: str | None) -> str:
    """The format to write: the one asked for, else the file's suffix, else a table.

    A suffix that names no format rulecompare writes (``.xls``, ``.dat``) is refused rather than
    filled with a text table that the program expecting that format cannot read.
    """
    if fmt:
        if fmt not in FORMATS:
            raise RulecompareError(f"unknown format '{fmt}' (use one of: {', '.join(FORMATS)})")
        return fmt
    if path is not None and str(path) != "-":
        suffix = path.suffix.lower().lstrip(".")
        if suffix in _SUFFIXES:
            return _SUFFIXES[suffix]
        if suffix in _NOT_WRITTEN:
            raise RulecompareError(
                f"{path}: rulecompare does not write .{suffix} files; use .{_NOT_WRITTEN[suffix]} instead"
            )
        if suffix and not suffix.isdigit():
            raise RulecompareError(
                f"{path}: cannot tell the format from '.{suffix}'; end the name in "
                ".csv, .tsv, .json, .parquet or .xlsx, or give -f table for text"
            )
    return "table"


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as every format writes it: whole-number counts as integers (see :data:`_INTEGRAL_NAME`)."""
    out = df
    for col in df.columns:
        s = df[col]
        if not (pd.api.types.is_float_dtype(s) and _INTEGRAL_NAME.search(str(col))):
            continue
        values = s.dropna().to_numpy(dtype=float)
        if len(values) and np.isfinite(values).all() and (values == np.round(values)).all():
            if out is df:
                out = df.copy()
            out[col] = s.round().astype("Int64")
    return out


def to_text(df: pd.DataFrame, fmt: str, *, max_width: int = 60) -> str:
    """Render a frame as text for a terminal (table) or a pipe (csv, tsv, json).

    The CLI draws its terminal tables itself (wrapped to the terminal's width); "table" here is the
    plain rendering of a table written to a file, every cell whole unless ``max_width`` clips it.
    """
    df = tidy(df)
    if fmt in ("csv", "tsv"):
        text: str = df.to_csv(index=False, sep="\t" if fmt == "tsv" else ",")
        return text
    if fmt == "json":
        return json.dumps(_records(df), ensure_ascii=False, indent=1) + "\n"
    if fmt == "table":
        shown = df.copy()
        for col in shown.columns:
            shown[col] = [_cell(v, max_width) for v in shown[col]]
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250):
            text = shown.to_string(index=False) + "\n"
            return text
    raise RulecompareError(f"format '{fmt}' cannot be printed; write it to a file with -o")


def is_missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA: a value the table does not have."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def _cell(value: object, width: int) -> str:
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        flat = " ".join(value.split())
        return flat if len(flat) <= width else flat[: width - 1] + "…"
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    return str(value)


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    records: list[dict[str, object]] = json.loads(
        df.to_json(orient="records", date_format="iso", force_ascii=False)
    )
    return records


def write_frame(
    df: pd.DataFrame, path: Path | str | None, fmt: str | None = None, *, about: About | None = None
) -> str | None:
    """Write ``df`` to ``path`` in ``fmt`` (or its suffix); with no path, return the text instead.

    ``path`` is written as :func:`rulecompare.outfile.write_output` writes: a
    regular file is replaced only once the new one is complete, a symlink's
    target is written, a device or FIFO is written in place, ``-`` is
    standard output. ``about`` says what the table is: the xlsx file's
    "about" sheet and the Parquet file's ``rulecompare`` metadata hold it.
    """
    target = Path(path) if path is not None else None
    chosen = format_for(target, fmt)
    if target is None:
        return to_text(df, chosen)
    if chosen == "xlsx":
        write_output(target, lambda f: write_xlsx([df], f, about=about))
        return None
    try:
        data = frame_to_bytes(df, chosen, about=about)
    except ImportError as exc:
        raise RulecompareError(f"{target}: Parquet needs pyarrow ({exc})") from None
    write_bytes(target, data)
    return None


def frame_to_bytes(df: pd.DataFrame, fmt: str, *, about: About | None = None) -> bytes:
    """The bytes of ``df`` in ``fmt`` (for callers that stream or attach results)."""
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(tidy(df), preserve_index=False)
        if about:
            meta = dict(table.schema.metadata or {})
            meta[b"rulecompare"] = json.dumps(_plain(about), ensure_ascii=False).encode("utf-8")
            table = table.replace_schema_metadata(meta)
        buf = io.BytesIO()
        pq.write_table(table, buf)
        return buf.getvalue()
    if fmt == "xlsx":
        buf = io.BytesIO()
        write_xlsx([df], buf, about=about)
        return buf.getvalue()
    # A table in a file is for reading whole: its cells are not clipped.
    return to_text(df, fmt, max_width=10_000 if fmt == "table" else 60).encode("utf-8")


def _plain(about: About) -> dict[str, str]:
    return {str(k): "" if is_missing(v) else str(v) for k, v in about.items()}


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters an xlsx file (XML inside) cannot hold; a PDF's text can carry them."""


def _xlsx_value(value: object) -> object:
    if is_missing(value):
        return None
    if isinstance(value, str):
        text = _ILLEGAL_XML.sub(" ", value)
        return text if len(text) <= EXCEL_MAX_CELL else text[: EXCEL_MAX_CELL - 1] + "…"
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def write_xlsx(frames: Iterable[pd.DataFrame], stream: BinaryIO, *, about: About | None = None) -> int:
    """Write the frames one after another as one table on the sheet "data" of an xlsx workbook, and
    ``about`` on the sheet "about"; returns the rows written.

    The workbook is written in openpyxl's write-only mode, so that a large table does not build a
    tree of cells in memory. A table longer than an Excel sheet is refused (use CSV or Parquet).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def bold_row(ws: object, names: list[str]) -> list[object]:
        cells = []
        for name in names:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            cells.append(cell)
        return cells

    sheet = book.create_sheet("data")
    rows = 0
    header: list[str] | None = None
    clipped = 0
    for part in frames:
        part = tidy(part)
        if header is None:
            header = [str(c) for c in part.columns]
            sheet.freeze_panes = "A2"
            sheet.append(bold_row(sheet, header))
        rows += len(part)
        if rows > EXCEL_MAX_ROWS:
            raise RulecompareError(
                f"{rows:,} rows do not fit on an Excel sheet ({EXCEL_MAX_ROWS:,} at most); "
                "write .csv or .parquet instead"
            )
        for record in part.itertuples(index=False, name=None):
            cells = [_xlsx_value(v) for v in record]
            clipped += sum(isinstance(v, str) and len(v) > EXCEL_MAX_CELL for v in record)
            sheet.append(cells)
    if header is None:
        sheet.append([])
    info = dict(about or {})
    info.setdefault("rows", rows)
    if clipped:
        info["clipped cells"] = f"{clipped} texts longer than Excel's {EXCEL_MAX_CELL:,} characters, cut"
    notes = book.create_sheet("about")
    notes.append(bold_row(notes, ["field", "value"]))
    for key, value in info.items():
        notes.append([str(key), _xlsx_value(value)])
    book.save(stream)
    return rows
