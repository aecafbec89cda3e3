"""Reading the DESTA list of treaties and the WTO RTA-IS names from the shared metadata folder."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import RulecompareError
from ...paths import METADATA_ENV, metadata_dir
from ..countries import load_countries
from ..names import key

DESTA_FILE = "desta-list.csv"
"""The DESTA list of treaties, in the shared metadata folder."""
WTO_FILE = "wto-rta-all.csv"
"""The WTO RTA-IS export, in the shared metadata folder (for WTO ids of agreements ToTA does not hold)."""


@dataclass(frozen=True, slots=True)
class DestaTreaty:
    """One row of the DESTA list, parties as ISO3 codes."""

    number: str
    """DESTA's number, a string: ``636``, ``267+1`` (an accession), ``1008a`` (a consolidated text)."""
    base_treaty: str
    """The number of the treaty this row amends, joins or consolidates (its own for a base treaty)."""
    name: str
    entry_type: str
    """base_treaty, accession, protocol or amendment, consolidated, negotiation, withdrawal."""
    year: int | None
    """Year of signature."""
    entry_force_year: int | None
    wto_name: str
    """How DESTA writes the WTO's name of the agreement, "" when it is not notified."""
    parties: frozenset[str]


def _metadata_file(name: str, path: Path | None) -> Path:
    if path is not None:
        if not path.is_file():
            raise RulecompareError(f"{path}: no such file")
        return path
    found = metadata_dir(needs=name)
    if found.path is None:
        raise RulecompareError(f"{name} not found ({found.reason}); set {METADATA_ENV}")
    return found.path / name


def desta_path() -> Path | None:
    """The DESTA list found in the shared metadata folder, None when there is none."""
    found = metadata_dir(needs=DESTA_FILE)
    return None if found.path is None else found.path / DESTA_FILE


def _year(cell: str) -> int | None:
    cell = cell.strip()
    return int(float(cell)) if cell and cell != "NA" else None


@functools.lru_cache(maxsize=4)
def _read_desta(path: Path, mtime: float) -> tuple[DestaTreaty, ...]:
    by_number = {c.iso_numeric: c.iso3 for c in load_countries().values() if c.iso_numeric is not None}
    out = []
    with path.open(newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f, delimiter=";"), start=2):
            parties = set()
            for col, value in row.items():
                if re.fullmatch(r"c\d+", col or "") and value and value != "NA":
                    code = by_number.get(int(float(value)))
                    if code is None:
                        raise RulecompareError(
                            f"{path}:{n}: party code {value} is not in the country table (countries.csv)"
                        )
                    parties.add(code)
            out.append(
                DestaTreaty(
                    number=row["number"].strip(),
                    base_treaty=row["base_treaty"].strip(),
                    name=row["name"].strip(),
                    entry_type=row["entry_type"].strip(),
                    year=_year(row["year"]),
                    entry_force_year=_year(row["entryforceyear"]),
                    wto_name="" if row["wto_name"] in ("", "NA") else row["wto_name"].strip(),
                    parties=frozenset(parties),
                )
            )
    return tuple(out)


def load_desta_treaties(path: Path | None = None) -> tuple[DestaTreaty, ...]:
    """Every row of the DESTA list (default: the shared metadata's ``desta-list.csv``), read once."""
    file = _metadata_file(DESTA_FILE, path)
    return _read_desta(file, file.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _read_wto(path: Path, mtime: float) -> dict[str, int]:
    names: dict[str, list[int]] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.setdefault(key(row["RTA Name"]), []).append(int(row["RTA ID"]))
    # A name that two RTAs share (goods and services notified apart) says nothing about which one.
    return {k: ids[0] for k, ids in names.items() if len(ids) == 1}


def load_wto_names(path: Path | None = None) -> dict[str, int]:
    """Order-free name key (:func:`~.names.key`) -> WTO RTA id, for names only one RTA has."""
    file = _metadata_file(WTO_FILE, path)
    return _read_wto(file, file.stat().st_mtime)


def wto_path() -> Path | None:
    """The WTO RTA list found in the shared metadata folder, None when there is none."""
    found = metadata_dir(needs=WTO_FILE)
    return None if found.path is None else found.path / WTO_FILE
