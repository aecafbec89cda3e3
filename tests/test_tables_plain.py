"""Terminal tables: the written-out layouts (one-line cells, records) against rich's rendering."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rulecompare.cli import tables as T
from rulecompare.export import tidy

WORDS = st.text(alphabet="abcXYZ09-;:'(),.—é中", min_size=1, max_size=12)
TEXT = st.lists(WORDS, max_size=6).map(" ".join) | st.sampled_from(["", "  two  spaces ", "tab\there"])


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 6))
    columns: dict[str, list[object]] = {}
    for c in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(["a", "score", "n_partner_clauses", "note", "a long column name here"]))
        kind = draw(st.sampled_from(["float", "int", "text", "bool"]))
        values: list[object]
        if kind == "float":
            values = draw(st.lists(st.floats(-5000, 5000) | st.just(np.nan), min_size=n, max_size=n))
        elif kind == "int":
            values = draw(st.lists(st.integers(-(10**9), 10**9), min_size=n, max_size=n))
        elif kind == "bool":
            values = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        else:
            values = draw(st.lists(TEXT | st.none(), min_size=n, max_size=n))
        columns[f"{name}{c}"] = values
    return pd.DataFrame(columns)


def _through_rich(df: pd.DataFrame, width: int) -> str:
    """render_table's layout choice, always drawn by rich."""
    df = tidy(df)
    names = [str(c) for c in df.columns]
    numeric = [T._numeric(df[c]) for c in df.columns]
    cells = [
        T._cells(df[c]) if num else [T._breakable(v) for v in T._cells(df[c])]
        for c, num in zip(df.columns, numeric, strict=True)
    ]
    widths = T._fit(names, cells, numeric, width)
    if widths is None:
        return T._rich_records(names, cells, width, False)
    return T._rich_table(names, cells, numeric, widths, width, False)


@settings(max_examples=300, deadline=None)
@given(df=frames(), width=st.integers(40, 220))
def test_plain_layouts_equal_richs(df: pd.DataFrame, width: int) -> None:
    assert T.render_table(df, width=width) == _through_rich(df, width)


def test_both_written_out_layouts_are_used() -> None:
    """A frame that fits is a one-line table, a wide one is records; both as rich draws them."""
    df = pd.DataFrame({"partner": ["KHM", "PAK"], "raw": [0.28125, np.nan], "note": ["", "rests on 2"]})
    wide = pd.DataFrame({f"column_{i}": [1.5, 2.25] for i in range(30)})
    names, cells = [str(c) for c in wide.columns], [T._cells(wide[c]) for c in wide.columns]
    assert T._fit(names, cells, [True] * 30, 80) is None
    for frame, width in ((df, 80), (wide, 80)):
        assert T.render_table(frame, width=width) == _through_rich(frame, width)
    assert T.render_table(df, width=80).splitlines()[2:] == ["KHM      0.281", "PAK          —  rests on 2"]
