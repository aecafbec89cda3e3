"""The one country table (``agreements/countries.csv``): codes, names, and how sources spell them.

Three sources name parties three ways: ToTA and the catalog use ISO3 codes
and short names for aliases (``us``, ``korea``), the WTO RTA list writes
"Korea, Republic of", DESTA gives ISO numeric codes, and a treaty's preamble
says "the Republic of Korea" or "República de Corea". One row per party code
holds all of them, so that adding a country, or a spelling, is one edit in
one place.

Columns: ``iso3`` (ISO 3166-1 alpha-3, or a code ToTA uses for an entity ISO
no longer lists, such as ``YUG``, ``ANT``, ``RKS``; ``EU`` for the Union as a
party), ``iso_numeric`` (the numeric code DESTA uses, blank when there is
none), ``short`` (the short name in generated aliases), ``name`` (English),
``wto_names`` and ``text_names`` (";"-separated spellings of the WTO RTA list
and of treaty texts).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import RulecompareError
from .files import data_dir, read_csv
from .names import normalize

__all__ = ["COUNTRIES_FILE", "Country", "load_countries", "read_country_table"]

COUNTRIES_FILE = "countries.csv"
"""The country table, in the catalog's data folder (``agreements/``)."""

_COLUMNS = ("iso3", "iso_numeric", "short", "name", "wto_names", "text_names")
_CODE = re.compile(r"[A-Z]{2,8}")


@dataclass(frozen=True, slots=True)
class Country:
    """A party code with its names: the short name used in aliases (``us``, ``korea``) and the
    spellings of the sources."""

    iso3: str
    short: str
    """Short name for generated aliases, normalized like every name (``bosnia-herzegovina``)."""
    name: str
    """English name."""
    iso_numeric: int | None = None
    """ISO 3166-1 numeric code (DESTA's party codes); None when there is none."""
    wto_names: tuple[str, ...] = ()
    """How the WTO RTA list writes the party ("Korea, Republic of")."""
    text_names: tuple[str, ...] = ()
    """How treaty texts write it ("Republic of Korea", "República de Corea"), for finding parties."""


def _names(cell: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in cell.split(";") if n.strip())


def _unique(path: str, what: str, pairs: list[tuple[object, str]]) -> None:
    """Raise when one value (a WTO spelling, a numeric code ...) belongs to two codes."""
    owner: dict[object, str] = {}
    for value, code in pairs:
        first = owner.setdefault(value, code)
        if first != code:
            raise RulecompareError(f"{path}: {what} {value!r} belongs to both {first} and {code}")


def _row(path: str, n: int, row: dict[str, str]) -> Country:
    code = row["iso3"].upper()
    if not _CODE.fullmatch(code):
        raise RulecompareError(f"{path}:{n}: '{row['iso3']}' is not a party code (ISO3, or a bloc code)")
    number = row["iso_numeric"]
    if number and not number.isdigit():
        raise RulecompareError(f"{path}:{n}: {code}: iso_numeric '{number}' is not a number")
    if not row["short"] or not row["name"]:
        raise RulecompareError(f"{path}:{n}: {code} needs a short name and a name")
    return Country(
        iso3=code,
        # Short names go through the same normalization as agreement names, so that the alias
        # made from parties ("bosnia-herzegovina") equals the one made from the name.
        short="-".join(normalize(row["short"]).split()),
        name=row["name"],
        iso_numeric=int(number) if number else None,
        wto_names=_names(row["wto_names"]),
        text_names=_names(row["text_names"]),
    )


def read_country_table(file: Path) -> dict[str, Country]:
    """Every row of a country table by code, in the order of the file, checked.

    Raises :class:`RulecompareError` naming the file and line for a missing
    column, a malformed code or number, a code listed twice, or a WTO
    spelling, numeric code or text spelling that two codes share.
    """
    path = str(file)
    rows = read_csv(file)
    missing = [c for c in _COLUMNS if rows and c not in rows[0]]
    if missing:
        raise RulecompareError(f"{path}: missing columns {missing} (expected {', '.join(_COLUMNS)})")
    out: dict[str, Country] = {}
    for n, row in enumerate(rows, start=2):
        country = _row(path, n, row)
        if country.iso3 in out:
            raise RulecompareError(f"{path}:{n}: {country.iso3} is listed twice")
        out[country.iso3] = country
    _unique(path, "WTO name", [(w, c.iso3) for c in out.values() for w in c.wto_names])
    _unique(path, "text name", [(t.casefold(), c.iso3) for c in out.values() for t in c.text_names])
    _unique(path, "numeric code", [(c.iso_numeric, c.iso3) for c in out.values() if c.iso_numeric])
    return out


@functools.lru_cache(maxsize=1)
def load_countries() -> dict[str, Country]:
    """The catalog's country table, ``agreements/countries.csv``, read once and checked."""
    return read_country_table(data_dir() / COUNTRIES_FILE)
