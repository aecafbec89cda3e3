"""The streamed clause export writes what the whole table would, in every format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rulecompare.export import write_frame
from rulecompare.export_stream import clause_table, write_frames
from rulecompare.store import Store


@pytest.mark.parametrize("suffix", ["csv", "json", "tsv"])
def test_streamed_text_formats_equal_the_whole_table(
    sample_store: Store, tmp_path: Path, suffix: str
) -> None:
    whole = pd.concat(list(clause_table(sample_store)), ignore_index=True)
    write_frame(whole, tmp_path / f"whole.{suffix}")
    n = write_frames(clause_table(sample_store, rows=7), tmp_path / f"pieces.{suffix}")
    assert n == len(whole) > 7
    assert (tmp_path / f"pieces.{suffix}").read_bytes() == (tmp_path / f"whole.{suffix}").read_bytes()


@pytest.mark.parametrize("suffix", ["parquet", "xlsx"])
def test_streamed_binary_formats_read_back_as_the_whole_table(
    sample_store: Store, tmp_path: Path, suffix: str
) -> None:
    whole = pd.concat(list(clause_table(sample_store)), ignore_index=True)
    write_frame(whole, tmp_path / f"whole.{suffix}")
    write_frames(clause_table(sample_store, rows=7), tmp_path / f"pieces.{suffix}")
    if suffix == "parquet":
        a, b = pd.read_parquet(tmp_path / "pieces.parquet"), pd.read_parquet(tmp_path / "whole.parquet")
    else:
        a = pd.read_excel(tmp_path / "pieces.xlsx", sheet_name="data")
        b = pd.read_excel(tmp_path / "whole.xlsx", sheet_name="data")
    # A column with no value in the first piece is typed as text (the whole table types it null), so
    # missing values read back as NaN rather than None: compared with both kinds of missing made one.
    a, b = (f.astype(object).where(f.notna(), None) for f in (a, b))
    pd.testing.assert_frame_equal(a, b)
