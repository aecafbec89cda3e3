"""Writing results: one function used by the CLI and the TUI alike.

CSV is UTF-8 with a header and no index, so it opens in a spreadsheet and
reads back with ``pandas.read_csv`` unchanged; JSON is records (one object
per row); Parquet keeps dtypes; "table" is for people at a terminal.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

from .errors import RulecompareError
from .outfile import write_bytes

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
