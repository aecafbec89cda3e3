"""Plots of the answers, written to PNG, SVG or PDF files.

One place that draws, so that the CLI and the TUI's export give the same
pictures. matplotlib is imported lazily with the Agg backend: importing
rulecompare never loads it, and no display is needed.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import RulecompareError
from .outfile import write_bytes

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "MAX_BARS",
    "MAX_HEATMAP_UNITS",
    "MAX_PLOT_INCHES",
    "PLOT_FORMATS",
    "check_plot_path",
    "depth_over_time",
    "profile_chart",
    "ranking_bar",
    "score_heatmap",
    "timeline_chart",
]

PLOT_FORMATS = ("png", "svg", "pdf")
MAX_PLOT_INCHES = 12.0
"""No side of a chart is longer than this (at 150 dpi, 1,800 pixels): long tables are cut, not stretched."""
MAX_BARS = 40
"""The most bars a ranking draws, so that it stays within :data:`MAX_PLOT_INCHES` with readable labels."""
MIX_COLOURS = {"binding": "#2F5597", "soft": "#8FAADC", "permissive": "#F4B183", "exception": "#C00000"}


_TREATY_WORDS = re.compile(
    r"\b(?:the\s+)?(?:free\s+trade|economic\s+partnership|trade|partnership)\s+agreement\s+"
    r"(?:between|among)\s+|\bthe\s+government\s+of\s+(?:the\s+)?|\bthe\s+",
    re.IGNORECASE,
)


def short_name(name: object, limit: int = 32) -> str:
    """An agreement's name for an axis: without 'Free Trade Agreement between the Government of'."""
    text = " ".join(_TREATY_WORDS.sub("", str(name)).split()) or str(name)
    text = text[0].upper() + text[1:] if text else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    # A Figure without pyplot: no global state, nothing left open between calls.
    return Figure(figsize=(width, height), layout="constrained")


def _check_suffix(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in PLOT_FORMATS:
        raise RulecompareError(
            f"plot file must end in {', '.join('.' + f for f in PLOT_FORMATS)}, not '{path.name}'"
        )
    return fmt


def check_plot_path(path: Path | str) -> None:
    """Raise before any work is done when ``path`` names no format a plot is written in."""
    _check_suffix(Path(path))


def _save(fig: Figure, path: Path) -> Path:
    fmt = _check_suffix(path)
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
    import numpy as np

    path = Path(path)
    _check_suffix(path)
    rows = df.dropna(subset=[value]).nlargest(min(top, MAX_BARS), value).iloc[::-1]
    if rows.empty:
        raise RulecompareError("nothing to plot: no row has a value")
    fig = _figure(8.0, min(MAX_PLOT_INCHES, max(3.0, 0.28 * len(rows) + 1.2)))
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
    """Heatmap of a rows x columns frame of scores (NaN cells left blank), at most
    :data:`MAX_PLOT_INCHES` a side.

    Every row and column is labelled while the labels can be read; beyond
    that, every k-th one is (the order is the caller's: cluster it first, so
    that neighbours are alike). Cells are annotated with their value when the
    grid is small enough to read (``annotate`` None decides by size). More
    than :data:`MAX_HEATMAP_UNITS` rows or columns are refused: a cell would
    be smaller than a pixel.
    """
    import numpy as np

    path = Path(path)
    _check_suffix(path)
    if matrix.empty:
        raise RulecompareError("nothing to plot: the table is empty")
    n_rows, n_cols = matrix.shape
    if max(n_rows, n_cols) > MAX_HEATMAP_UNITS:
        raise RulecompareError(
            f"a heatmap of {n_rows} x {n_cols} cannot be drawn legibly (at most {MAX_HEATMAP_UNITS} a side); "
            "narrow the selection (--family, --party, --area, or name the agreements) or plot at a coarser "
            "--level"
        )
    width = min(MAX_PLOT_INCHES, max(6.0, 0.42 * n_cols + 3.0))
    height = min(MAX_PLOT_INCHES, max(3.0, 0.3 * n_rows + 2.2))
    fig = _figure(width, height)
    ax = fig.add_subplot()
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(
        np.ma.masked_invalid(values),
        aspect="auto",
        cmap="viridis",
        vmin=vmin,
        vmax=vmax,
        interpolation="nearest",
    )
    for axis, n, labels, room in (
        ("x", n_cols, [str(c) for c in matrix.columns], width - 3.0),
        ("y", n_rows, [str(r) for r in matrix.index], height - 2.2),
    ):
        step, size = _tick_step(n, room)
        ticks = np.arange(0, n, step)
        shown = [labels[i] for i in ticks]
        if axis == "x":
            ax.set_xticks(ticks, shown, rotation=60, ha="right", fontsize=size)
        else:
            ax.set_yticks(ticks, shown, fontsize=size)
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, label=colorbar, shrink=0.8)
    if annotate if annotate is not None else n_rows * n_cols <= 400 and max(n_rows, n_cols) <= 25:
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


MAX_HEATMAP_UNITS = 1000
"""The most rows or columns a heatmap draws: at :data:`MAX_PLOT_INCHES` and 150 dpi, 1,800 pixels give a
cell under two pixels beyond this."""
MIN_LABEL_POINTS = 5.0
"""The smallest tick label font; with more rows than fit at this size, every k-th row is labelled."""


def _tick_step(n: int, inches: float) -> tuple[int, float]:
    """Every how many rows a label goes, and its font size, for ``n`` rows on ``inches`` of axis."""
    points = max(inches, 1.0) * 72.0 / max(n, 1)  # the height of a row, in points
    if points >= MIN_LABEL_POINTS * 1.2:
        return 1, min(7.0, points / 1.2)
    return math.ceil(MIN_LABEL_POINTS * 1.2 / points), MIN_LABEL_POINTS


def profile_chart(table: pd.DataFrame, path: Path | str, *, label: str, title: str, top: int = 30) -> Path:
    """The strict-vs-flexible profile of agreements or families, one row each.

    Left: the corrected commitment mix as stacked bars (binding, soft,
    permissive, exception), with the binding share's interval as a whisker.
    Right: the share of substantive areas dispute settlement reaches, with the
    named bodies and review clauses written beside. At most ``top`` rows (the
    largest by clause count), so the picture stays within
    :data:`MAX_PLOT_INCHES`.
    """
    import numpy as np

    path = Path(path)
    rows = table.dropna(subset=["binding"])
    if rows.empty:
        raise RulecompareError("nothing to plot: no row has clauses in the substantive areas")
    rows = rows.nlargest(min(top, MAX_BARS), "n_clauses").iloc[::-1]
    height = min(MAX_PLOT_INCHES, max(3.0, 0.38 * len(rows) + 1.8))
    fig = _figure(10.0, height)
    mix_ax, reach_ax = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 1.4]})
    y = np.arange(len(rows))
    left = np.zeros(len(rows))
    for cls, colour in MIX_COLOURS.items():
        values = rows[cls].to_numpy(dtype=float)
        mix_ax.barh(y, values, left=left, color=colour, label=cls, height=0.7)
        left += np.nan_to_num(values)
    binding = rows["binding"].to_numpy(dtype=float)
    err = np.vstack(
        [
            binding - rows["binding_lo"].to_numpy(dtype=float),
            rows["binding_hi"].to_numpy(dtype=float) - binding,
        ]
    )
    mix_ax.errorbar(
        binding, y, xerr=np.clip(np.nan_to_num(err), 0, None), fmt="none", ecolor="black", capsize=2, lw=0.8
    )
    names = [
        str(n).upper() if label == "family" and len(str(n)) <= 5 else short_name(n, 45) for n in rows[label]
    ]
    mix_ax.set_yticks(y, names, fontsize=7)
    mix_ax.set_xlim(0, 1)
    mix_ax.set_xlabel(
        "share of the commitment mix (corrected; whisker: 95 % interval of binding)", fontsize=8
    )
    mix_ax.legend(fontsize=7, ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    reach = rows["ds_reach"].to_numpy(dtype=float)
    reach_ax.barh(y, np.nan_to_num(reach), color="#70AD47", height=0.7)
    for k, (bodies, review) in enumerate(zip(rows["n_bodies"], rows["n_review_clauses"], strict=True)):
        # a family's figures are means over its agreements
        fmt = ".1f" if label == "family" else ".0f"
        reach_ax.text(1.02, k, f"{bodies:{fmt}} bodies, {review:{fmt}} reviews", va="center", fontsize=6)
    reach_ax.set_xlim(0, 1.9)
    reach_ax.set_xticks([0, 0.5, 1])
    reach_ax.set_xlabel("areas dispute settlement reaches", fontsize=8)
    fig.suptitle(title, fontsize=10)
    return _save(fig, path)


def timeline_chart(table: pd.DataFrame, path: Path | str, *, label: str, title: str) -> Path:
    """One agreement after another, in order of signature: the corrected commitment mix with its intervals."""
    import numpy as np

    path = Path(path)
    rows = table.dropna(subset=["binding"]).sort_values("date_signed", kind="stable").head(40)
    if rows.empty:
        raise RulecompareError("nothing to plot: no row has clauses in the substantive areas")
    fig = _figure(min(MAX_PLOT_INCHES, max(6.0, 0.7 * len(rows) + 3)), 5.5)
    ax = fig.add_subplot()
    x = np.arange(len(rows))
    for cls, colour in MIX_COLOURS.items():
        values = rows[cls].to_numpy(dtype=float)
        ax.plot(x, values, marker="o", color=colour, label=cls)
        ax.fill_between(
            x,
            rows[f"{cls}_lo"].to_numpy(dtype=float),
            rows[f"{cls}_hi"].to_numpy(dtype=float),
            color=colour,
            alpha=0.2,
        )
    names = [f"{short_name(n)} ({str(d)[:4]})" for n, d in zip(rows[label], rows["date_signed"], strict=True)]
    ax.set_xticks(x, names, rotation=35, ha="right", fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of the commitment mix (corrected, 95 % interval)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, ncols=4)
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


_DEPTH_LABELS = {
    "env_count": "environmental provisions (count)",
    "env_index": "environmental index (0-100)",
    "labour_depth": "labour depth (0-5)",
}
_PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C")


def depth_over_time(df: pd.DataFrame, path: Path | str, *, title: str) -> Path:
    """One panel per depth measure: each family's mean per period as a line, the sampling interval
    as error bars and the interval with the classifier's error as a band.

    ``df`` is :func:`rulecompare.metrics.provisions.depth_by_family`'s table.
    The figure is :data:`MAX_PLOT_INCHES` x 4 inches at 150 dpi (1800 x 600 pixels) whatever the data.
    """
    path = Path(path)
    _check_suffix(path)
    if df.empty:
        raise RulecompareError("nothing to plot: no family has a coded agreement")
    measures = [m for m in _DEPTH_LABELS if m in set(df["measure"])]
    fig = _figure(MAX_PLOT_INCHES, 4.0)
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
