"""Plots of the answers, written to PNG, SVG or PDF files.

One place that draws, so that the CLI and the TUI's export give the same
pictures. matplotlib is imported lazily with the Agg backend: importing
rulecompare never loads it, and no display is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import RulecompareError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PLOT_FORMATS", "depth_over_time", "ranking_bar", "score_heatmap"]

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
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=fmt, dpi=150)
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


_DEPTH_LABELS = {
    "env_count": "environmental provisions (count)",
    "env_index": "environmental index (0-100)",
    "labour_depth": "labour depth (0-5)",
}


def depth_over_time(df: pd.DataFrame, path: Path | str, *, title: str) -> Path:
    """One panel per depth measure: each family's mean per period as a line, the sampling interval
    as error bars and the interval with the classifier's error as a band.

    ``df`` is :func:`rulecompare.metrics.provisions.depth_by_family`'s table.
    The figure is 12 x 4 inches at 150 dpi (1800 x 600 pixels) whatever the data.
    """
    path = Path(path)
    if df.empty:
        raise RulecompareError("nothing to plot: no family has a coded agreement")
    measures = [m for m in _DEPTH_LABELS if m in set(df["measure"])]
    fig = _figure(12.0, 4.0)
    axes = fig.subplots(1, len(measures), squeeze=False)[0]
    colours = dict(zip(sorted(df["family"].unique()), _PALETTE, strict=False))
    for ax, measure in zip(axes, measures, strict=True):
        part = df[df["measure"] == measure]
        for family, rows in part.groupby("family", sort=True):
            rows = rows.sort_values("period")
            x = rows["period"].to_numpy(dtype=float)
            colour = colours.get(str(family), "#333333")
            ax.fill_between(x, rows["corrected_low"], rows["corrected_high"], color=colour, alpha=0.12, lw=0)
            ax.errorbar(
                x, rows["mean"], yerr=[rows["mean"] - rows["low"], rows["high"] - rows["mean"]],
                color=colour, marker="o", ms=3, lw=1.2, capsize=2, label=f"{family}",
            )  # fmt: skip
        ax.set_title(_DEPTH_LABELS[measure], fontsize=9)
        ax.set_xlabel("period of signature (first year)", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, frameon=False)
    fig.suptitle(title, fontsize=10)
    return _save(fig, path)


_PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C")
