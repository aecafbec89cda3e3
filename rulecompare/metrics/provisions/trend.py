"""The hand-coded references: TREND's environmental provisions and LABPTA's labour depth.

TREND (Morin, Dür and Lechner 2018) codes about 295 environmental provisions
per agreement, 0 or 1; LABPTA (Raess, Dür and Sari 2018) gives the depth of
an agreement's labour provisions on a 0-5 scale. Both identify agreements by
DESTA number, which :mod:`rulecompare.catalog.desta` links to the store.

The shared metadata folder holds the *training part* of both (a fixed 60% of
agreements by DESTA number, ``metadata/trend/``); the rest is kept elsewhere
to judge the result, so everything here is fitted and tuned on that part only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...errors import RulecompareError
from ...paths import METADATA_ENV, metadata_dir

__all__ = [
    "LABPTA_FILE",
    "TREND_DIR",
    "TREND_FILE",
    "CODEBOOK_FILE",
    "Provision",
    "codebook_entries",
    "load_labpta",
    "load_trend",
    "provision_of_column",
]

TREND_DIR = "trend"
"""The metadata subfolder holding both files."""
TREND_FILE = "trend-train.csv"
LABPTA_FILE = "labpta-train.csv"
CODEBOOK_FILE = "TREND-codebook.pdf"
_HEADING = re.compile(r"^\s*(\d{1,2}\.\d{2}(?:\.\d{2}){0,2})\s+([A-Z].*)$")

_COLUMN = re.compile(r"X((?:\d{1,2}\.)*\d{1,2})\.?(.*)")


@dataclass(frozen=True, slots=True)
class Provision:
    """One TREND provision: its code and its name as the dataset's column gives them."""

    code: str
    """TREND's code, as in the codebook: ``8.01.02``."""
    name: str
    """Its name, from the column: "Conservation of natural resources"."""


def provision_of_column(column: str) -> Provision:
    """``X8.01.02.Conservation.of.natural.resources`` -> ``8.01.02``, "Conservation of natural resources".

    R wrote the names with dots for every space and punctuation mark, so the
    name is rebuilt as words (doubled dots stood for a comma or brackets).
    """
    m = _COLUMN.fullmatch(column)
    if m is None:
        raise RulecompareError(f"'{column}' is not a TREND provision column (X<code>.<name>)")
    name = re.sub(r"\.+", " ", m.group(2)).strip()
    return Provision(code=m.group(1), name=name[:1].upper() + name[1:])


def _file(name: str, path: Path | None) -> Path:
    if path is not None:
        if not path.is_file():
            raise RulecompareError(f"{path}: no such file")
        return path
    found = metadata_dir(needs=f"{TREND_DIR}/{name}")
    if found.path is None:
        raise RulecompareError(f"{TREND_DIR}/{name} not found ({found.reason}); set {METADATA_ENV}")
    return found.path / TREND_DIR / name


def load_trend(path: Path | None = None) -> pd.DataFrame:
    """TREND's training part: one row per DESTA number (index, a string), one 0/1 column per provision
    code (``8.01.02``), columns in the file's order. ``df.attrs["names"]`` maps code -> name.

    A DESTA number listed twice (an agreement coded with its side agreements
    as separate rows) has a provision when any of its rows has it.
    """
    file = _file(TREND_FILE, path)
    raw = pd.read_csv(file, sep=";", dtype={"Trade.Agreement": str})
    columns = [c for c in raw.columns if c.startswith("X")]
    provisions = [provision_of_column(c) for c in columns]
    numbers = raw["Trade.Agreement"].str.split("_", n=1).str[0].str.strip()
    values = raw[columns].fillna(0).astype(int).set_axis([p.code for p in provisions], axis=1)
    df = values.groupby(numbers.to_numpy()).max()
    df.index = df.index.astype(str)
    df.index.name = "desta_id"
    df.attrs["names"] = {p.code: p.name for p in provisions}
    df.attrs["source"] = str(file)
    return df


def load_labpta(path: Path | None = None) -> pd.Series:
    """LABPTA's training part: the depth of labour provisions (0-5) by DESTA number (a string)."""
    file = _file(LABPTA_FILE, path)
    raw = pd.read_csv(file, dtype={"Number": str})
    if "LP_depth_6values" not in raw.columns:
        raise RulecompareError(f"{file}: no LP_depth_6values column")
    depth = raw.dropna(subset=["LP_depth_6values"]).groupby("Number")["LP_depth_6values"].max().astype(int)
    depth.index = depth.index.astype(str).str.strip()
    depth.index.name = "desta_id"
    depth.name = "labour_depth"
    depth.attrs["source"] = str(file)
    return depth


def codebook_entries(path: Path | None = None) -> dict[str, str]:
    """Each code's entry in TREND's codebook (Morin 2019, version 2.0): its heading, instructions and
    examples quoted from treaties, with the entries of the codes above it (``8.01`` and ``8.01.01``
    for ``8.01.01.01``, whose own heading is only "Necessary").

    Training uses them to find, in an agreement TREND says has a provision, the clauses that look
    most like the codebook's description before the scorers take over (:mod:`.train`).
    """
    from pypdf import PdfReader

    file = _file(CODEBOOK_FILE, path)
    lines = "\n".join(page.extract_text() or "" for page in PdfReader(file).pages).splitlines()
    own: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        m = _HEADING.match(line)
        if m is not None:
            current = own.setdefault(m.group(1), [])
        if current is not None:
            current.append(line.strip())
    out = {}
    for code in own:
        parts = code.split(".")
        ancestors = [".".join(parts[:k]) for k in range(2, len(parts))]
        out[code] = " ".join(" ".join(own.get(c, ())) for c in (*ancestors, code))
    return out
