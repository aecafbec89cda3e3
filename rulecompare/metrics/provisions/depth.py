"""Environmental and labour depth by family of agreements over time, with intervals.

Each cell (family x period) gets the mean of a depth measure over the
agreements signed in the period, and two intervals:

- ``low``/``high``: sampling only, a percentile bootstrap over the cell's
  agreements (a family with three agreements in a period has a wide one);
- ``corrected``, ``corrected_low``/``corrected_high``: what the mean would be
  if the codes were TREND's and LABPTA's, given the classifier's measured
  confusion (cross-validated, stored with the model): in each bootstrap
  draw, every code coded 1 is kept with probability precision, every code
  coded 0 turns into a 1 with probability FN / (FN + TN); a labour depth d is
  replaced by a depth drawn from the LABPTA depths of training agreements the
  model put at d.

So the first interval says how sure the mean is of the texts coded; the
second also how far the coding may be from the hand coding.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from ...catalog import DestaTreaty, crosswalk_frame
from ...errors import RulecompareError
from .coding import Coding, codes_frame, weights_of
from .families import FAMILIES, in_families
from .model import ProvisionModel

__all__ = ["FAMILIES", "MEASURES", "depth_by_family", "labour_confusion", "signature_years"]

MEASURES = ("env_count", "env_index", "labour_depth")
BOOTSTRAP = 1000


def labour_confusion(model: ProvisionModel) -> npt.NDArray[np.float64]:
    """P(LABPTA depth = t | coded depth = d) as a 6 x 6 array (rows d), from the cross-validated
    predictions in the model file, with one pseudo-count per cell."""
    cv = model.raw["labour"]["cv"]
    coded = np.clip(np.round(np.asarray(cv["expected"])), 0, 5).astype(int)
    truth = np.asarray(cv["labpta"], dtype=int)
    counts = np.ones((6, 6))
    np.add.at(counts, (coded, truth), 1)
    out: npt.NDArray[np.float64] = counts / counts.sum(axis=1, keepdims=True)
    return out


def _rates(model: ProvisionModel) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per provision: P(true | coded 1) and P(true | coded 0), from the cross-validated confusion."""
    keep, miss = [], []
    for p in model.raw["environment"]["provisions"]:
        cv = p["cv"]
        keep.append((cv["tp"] + 1) / (cv["tp"] + cv["fp"] + 2))
        miss.append((cv["fn"] + 1) / (cv["fn"] + cv["tn"] + 2))
    return np.asarray(keep), np.asarray(miss)


def signature_years(
    table: pd.DataFrame, agreements: pd.DataFrame, treaties: Sequence[DestaTreaty] | None = None
) -> pd.Series:
    """The year of signature of each row of ``table`` (:func:`~.coding.codes_frame`); for a text stored
    without a date (a manifest that gives only the year leaves the date unknown), the year DESTA gives
    the treaty the crosswalk matches it to. Without DESTA's list, such texts keep no year."""
    years = table["year"].astype("Float64")
    missing = table.loc[years.isna().to_numpy(), "agreement_id"]
    if missing.empty:
        return years
    try:
        links = crosswalk_frame(agreements[agreements["id"].isin(missing)], treaties=treaties)
    except RulecompareError:
        return years
    matched = links[links["status"] == "matched"].set_index("agreement_id")["desta_year"]
    return years.fillna(table["agreement_id"].map(matched).astype("Float64"))


def depth_by_family(
    coding: Coding,
    families: Sequence[str] = FAMILIES,
    *,
    period: int = 5,
    seed: int = 19,
    draws: int = BOOTSTRAP,
    treaties: Sequence[DestaTreaty] | None = None,
) -> pd.DataFrame:
    """Mean depth per family and period of ``period`` years (by year of signature, or DESTA's year:
    :func:`signature_years`), long format: ``family``, ``period`` (first year), ``measure``, ``n``
    (agreements coded), ``mean``, ``low``, ``high``, ``corrected``, ``corrected_low``,
    ``corrected_high`` (see the module docstring); 95% intervals. Agreements not coded, or without a
    year, are left out. ``treaties``: DESTA's list (default: the metadata's)."""
    table = codes_frame(coding)
    table["year"] = signature_years(table, coding.agreements, treaties)
    table = table[(table["status"] == "coded") & table["year"].notna()].reset_index(drop=True)
    codes = coding.matrix().loc[table["agreement_id"]].to_numpy()
    keep, miss = _rates(coding.model)
    weights = weights_of(coding.model)
    confusion = labour_confusion(coding.model)
    rng = np.random.default_rng(seed)
    rows = []
    for family in families:
        member = in_families(table["families"], [family])
        for start in sorted({int(y) // period * period for y in table.loc[member, "year"]}):
            cell = np.flatnonzero(member & (table["year"] // period * period == start))
            if not len(cell):
                continue
            for measure in MEASURES:
                observed = table.loc[cell, measure].to_numpy(dtype=float)
                boot = rng.integers(0, len(cell), size=(draws, len(cell)))
                sampled = observed[boot].mean(axis=1)
                corrected = _corrected(
                    measure, cell, boot, codes, observed, keep, miss, weights, confusion, rng
                )
                rows.append(
                    {
                        "family": family, "period": start, "measure": measure, "n": len(cell),
                        "mean": observed.mean(),
                        "low": np.percentile(sampled, 2.5), "high": np.percentile(sampled, 97.5),
                        "corrected": corrected.mean(),
                        "corrected_low": np.percentile(corrected, 2.5),
                        "corrected_high": np.percentile(corrected, 97.5),
                    }
                )  # fmt: skip
    return pd.DataFrame(rows).round(3)


def _corrected(
    measure: str,
    cell: npt.NDArray[np.intp],
    boot: npt.NDArray[np.int64],
    codes: npt.NDArray[np.float64],
    observed: npt.NDArray[np.float64],
    keep: npt.NDArray[np.float64],
    miss: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64],
    confusion: npt.NDArray[np.float64],
    rng: np.random.Generator,
) -> npt.NDArray[np.float64]:
    """One mean per bootstrap draw, with every draw's codes redrawn from the measured confusion."""
    out = np.empty(len(boot))
    if measure == "labour_depth":
        cumulative = confusion.cumsum(axis=1)
        for b, draw in enumerate(boot):
            coded = observed[draw].astype(int)
            u = rng.random(len(draw))
            out[b] = (u[:, None] > cumulative[coded]).sum(axis=1).mean()
        return out
    for b, draw in enumerate(boot):
        c = codes[cell[draw]]
        p = np.where(c == 1, keep, miss)
        true = rng.random(c.shape) < p
        out[b] = (
            true.sum(axis=1).mean()
            if measure == "env_count"
            else (100 * (true * weights).sum(axis=1) / weights.sum()).mean()
        )
    return out
