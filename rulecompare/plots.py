"""Plots of the answers, written to PNG, SVG or PDF files.

One place that draws, so that the CLI and the TUI's export give the same
pictures. matplotlib is imported lazily with the Agg backend: importing
rulecompare never loads it, and no display is needed.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import RulecompareError
from .outfile import write_bytes

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PLOT_FORMATS", "ranking_bar", "score_heatmap"]

PLOT_FORMATS = ("png", "svg", "pdf")


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    # A Figure without pyplot: no global state, nothing left open between calls.
    return Figure(figsize=(width, height), layout="constrained")


def _save(fig: Figure, path: Path) -> Path:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in PLOT_FORMATS:
        raise RulecompareError(
            f"plot file must end in {', '.join('.' + f for f in PLOT_FORMATS)}, not '{path.name}'"
        )
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=150)
    # Written as every output is: a device or a symlink at the path is not replaced by a regular file.
    write_bytes(path, buf.getvalue())
    return path


def ranking_bar(
    df: pd.DataFrame,
    path: Path | str,
    *,
    value: str,
    label: str,
    title: str,
    top: int = 30,
    parts: tuple[str, str] | None = None,
) -> Path:
    """Horizontal bar chart of the ``top`` rows of ``df`` by ``value`` (largest on top).

    ``label`` names the column shown beside each bar; ``parts`` names two
    columns (e.g. coverage and divergence) printed at the end of each bar, so
    that a reader sees what the score is made of.
    """
    path = Path(path)
    rows = df.dropna(subset=[value]).nlargest(top, value).iloc[::-1]
    if rows.empty:
        raise RulecompareError("nothing to plot: no row has a value")
    fig = _figure(8.0, max(3.0, 0.28 * len(rows) + 1.2))
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    ax.barh(y, rows[value].to_numpy(dtype=float), color="#4C72B0")
    ax.set_yticks(y, rows[label].astype(str).tolist(), fontsize=8)
    ax.set_xlabel(value)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    if parts is not None:
        a, b = parts
        for k, (va, vb, v) in enumerate(zip(rows[a], rows[b], rows[value], strict=True)):
            ax.text(float(v), k, f"  {a} {va:.2f} · {b} {vb:.2f}", va="center", fontsize=6.5, color="#333333")
        ax.set_xlim(0, float(rows[value].max()) * 1.6)
    return _save(fig, path)


def score_heatmap(
    matrix: pd.DataFrame,
    path: Path | str,
    *,
    title: str,
    colorbar: str,
    vmin: float = 0.0,
    vmax: float = 1.0,
    annotate: bool | None = None,
) -> Path:
    """Heatmap of a rows x columns frame of scores (NaN cells left blank).

    Cells are annotated with their value when the grid is small enough to
    read (``annotate`` None decides by size).
    """
    path = Path(path)
    if matrix.empty:
        raise RulecompareError("nothing to plot: the table is empty")
    n_rows, n_cols = matrix.shape
    fig = _figure(max(6.0, 0.42 * n_cols + 3.0), max(3.0, 0.3 * n_rows + 2.2))
    ax = fig.add_subplot()
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap="viridis", vmin=vmin, vmax=vmax)
    ax.set_xticks(np.arange(n_cols), [str(c) for c in matrix.columns], rotation=60, ha="right", fontsize=7)
    ax.set_yticks(np.arange(n_rows), [str(r) for r in matrix.index], fontsize=7)
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, label=colorbar, shrink=0.8)
    if annotate if annotate is not None else n_rows * n_cols <= 400:
        for i, j in zip(*np.nonzero(~np.isnan(values)), strict=True):
            v = values[i, j]
            ax.text(
                j,
                i,
                f"{v:.2f}",
                ha="center",
                va="center",
                fontsize=5.5,
                color="white" if v < (vmin + vmax) / 2 else "black",
            )
    return _save(fig, path)
