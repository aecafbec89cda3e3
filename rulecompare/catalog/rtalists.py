"""The lists of agreements beyond our texts: the WTO RTA database export and the DESTA list.

Who is bound by which agreement, and since when, is catalog knowledge: the
texts in the store say little about it, and the lists say it for every
agreement notified to the WTO (the RTA-IS "All RTAs" export) or coded by
DESTA (Dür, Baccini and Elsig 2014). This module reads both into one shape
(one row per agreement, ISO3 parties, parsed dates) that the in-force rules
(:mod:`.standing`) and the coverage counts
(:mod:`rulecompare.metrics.coverage`) work on. Names are mapped to ISO3 with
the country table (``agreements/countries.csv``).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import RulecompareError
from ..paths import METADATA_ENV, SHARED_ENV, metadata_dir
from .countries import load_countries

__all__ = [
    "IN_FORCE_STATUSES",
    "WTO_BLOC_NAMES",
    "load_desta",
    "load_wto_rtas",
    "wto_date",
]

IN_FORCE_STATUSES = frozenset({"In Force", "In force for at least one Party"})
"""WTO statuses counted as in force when no ``as_of`` year is given."""

WTO_BLOC_NAMES: dict[str, str] = {
    "European Union": "EU",
    "European Free Trade Association (EFTA)": "EFTA",
    "ASEAN Free Trade Area (AFTA)": "ASEAN",
    "Southern Common Market (MERCOSUR)": "MERCOSUR",
    "Eurasian Economic Union (EAEU)": "EAEU",
    "Gulf Cooperation Council (GCC)": "GCC",
    "Southern African Customs Union (SACU)": "SACU",
    "Central American Common Market (CACM)": "CACM",
}
"""Bloc signatories of the WTO list and their catalog codes (agreements/blocs.csv)."""

_PIVOT_YEAR = 30
"""Two-digit years up to this are 20xx, later ones 19xx (the list starts with the EEC, 1958)."""

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}


def _metadata_file(name: str) -> Path:
    """``name`` in the shared metadata folder (see :func:`rulecompare.paths.metadata_dir`)."""
    found = metadata_dir(needs=name)
    if found.path is None:
        raise RulecompareError(f"{name} not found ({found.reason}); set {METADATA_ENV} or {SHARED_ENV}")
    return found.path / name


def wto_date(value: object) -> dt.date | None:
    """A date of the WTO list: "06-Mar-09" -> 2009-03-06; "31-Dec-2020" -> 2020-12-31; blanks -> None."""
    if not isinstance(value, str) or not value.strip():
        return None
    m = re.fullmatch(r"\s*(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})\s*", value)
    if m is None:
        raise RulecompareError(f"unreadable WTO date {value!r} (expected DD-Mon-YY)")
    day, month, year = int(m.group(1)), _MONTHS[m.group(2).lower()], int(m.group(3))
    if len(m.group(3)) == 2:
        year += 2000 if year <= _PIVOT_YEAR else 1900
    return dt.date(year, month, day)


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[int, str]]:
    """(WTO name -> ISO3, ISO numeric -> ISO3) from the country table, agreements/countries.csv."""
    countries = load_countries().values()
    by_name = {name: c.iso3 for c in countries for name in c.wto_names}
    by_number = {c.iso_numeric: c.iso3 for c in countries if c.iso_numeric is not None}
    return by_name, by_number


def _party_code(name: str, unmapped: set[str]) -> str | None:
    name = name.strip()
    if not name:
        return None
    if name in WTO_BLOC_NAMES:
        return WTO_BLOC_NAMES[name]
    code = _country_tables()[0].get(name)
    if code is None:
        unmapped.add(name)
    return code


def _parties(cell: object, unmapped: set[str]) -> tuple[str, ...]:
    if not isinstance(cell, str):
        return ()
    codes = (_party_code(n, unmapped) for n in cell.split(";"))
    return tuple(dict.fromkeys(c for c in codes if c))


def _specific_dates(cell: object, unmapped: set[str]) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """ "Armenia(02-Jan-2015 - ); United Kingdom( - 31-Dec-2020)" -> {code: (entry, exit)}."""
    out: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    if not isinstance(cell, str):
        return out
    date = r"(\d{1,2}-[A-Za-z]{3}-\d{2,4})"
    for m in re.finditer(r"([^;()]+?)\s*\(\s*" + date + r"?\s*-\s*" + date + r"?\s*\)", cell):
        code = _party_code(m.group(1), unmapped)
        if code:
            out[code] = (wto_date(m.group(2)), wto_date(m.group(3)))
    return out


def load_wto_rtas(path: Path | str | None = None) -> pd.DataFrame:
    """The WTO RTA-IS "All RTAs" export as one row per RTA with ISO3 parties and parsed dates.

    Columns: ``agreement_id`` (``wto:<RTA ID>``), ``rta_id``, ``base_id`` (the
    RTA an accession row extends; its own id otherwise), ``name``, ``type``,
    ``coverage``, ``status``, ``accession``, ``date_signed``,
    ``date_in_force`` (earliest of goods and services), ``date_inactive``,
    ``parties`` (current signatories: ISO3 codes and bloc codes such as
    ``EU``, ``EFTA``), ``parties_original``, ``blocs`` (the bloc codes among
    the parties), ``party_dates`` (``{code: (entry, exit)}`` from the
    "Specific Entry/Exit dates" column). Names the country table does not know
    are listed in ``df.attrs["unmapped"]`` and left out of the parties.
    ``date_precision`` is ``"day"``: the list dates to the day.
    """
    path = Path(path) if path is not None else _metadata_file("wto-rta-all.csv")
    if not path.is_file():
        raise RulecompareError(f"WTO RTA list not found: {path}")
    raw = pd.read_csv(path, dtype=str)
    unmapped: set[str] = set()
    names = raw["RTA Name"].str.strip()
    id_by_name = dict(zip(names, raw["RTA ID"].astype(int), strict=True))
    rows = []
    for r, name in zip(raw.to_dict("records"), names, strict=True):
        rta_id = int(r["RTA ID"])
        accession = str(r.get("Accession?", "")).strip().lower() == "yes"
        base = re.split(r"\s+-\s+Accession of\b", name)[0].strip() if accession else name
        in_force = [
            d
            for d in (
                wto_date(r["Date of Entry into Force (G)"]),
                wto_date(r["Date of Entry into Force (S)"]),
            )
            if d
        ]
        signed = [
            d for d in (wto_date(r["Date of Signature (G)"]), wto_date(r["Date of Signature (S)"])) if d
        ]
        parties = _parties(r["Current signatories"], unmapped)
        rows.append(
            {
                "agreement_id": f"wto:{rta_id}",
                "rta_id": rta_id,
                "base_id": id_by_name.get(base, rta_id),
                "name": name,
                "type": r["Type"],
                "coverage": r["Coverage"],
                "status": str(r["Status"]).strip(),
                "accession": accession,
                "date_signed": min(signed) if signed else None,
                "date_in_force": min(in_force) if in_force else None,
                "date_inactive": wto_date(r["Inactive Date"]),
                "parties": parties,
                "parties_original": _parties(r["Original signatories"], unmapped),
                "blocs": tuple(p for p in parties if p in WTO_BLOC_NAMES.values()),
                "party_dates": _specific_dates(r["Specific Entry/Exit dates"], unmapped),
                "date_precision": "day",
            }
        )
    df = pd.DataFrame(rows)
    df.attrs["unmapped"] = sorted(unmapped)
    df.attrs["source"] = str(path)
    return df


_DESTA_SKIP = frozenset({"negotiation", "withdrawal", "consolidated"})


def load_desta(path: Path | str | None = None) -> pd.DataFrame:
    """The DESTA list in the shape of :func:`load_wto_rtas`, as a second source.

    Parties are ISO3 codes from the numeric codes c1..c91 (DESTA lists EU
    members one by one). Accessions, protocols and amendments extend their
    ``base_treaty``; negotiations, withdrawals and consolidated texts are left
    out. DESTA has years, not days, and no end dates: an agreement counts as in
    force from 1 January of its ``entryforceyear`` on, so agreements replaced
    later (the EC's Europe Agreements, replaced by accession) stay "in force"
    unless their parties have since merged into one actor. ``date_precision``
    is ``"year"``: the 1 January stands for "some day of that year", which
    decides nothing finer than a year (an ``as_of`` year ends on 31 December).
    """
    path = Path(path) if path is not None else _metadata_file("desta-list.csv")
    if not path.is_file():
        raise RulecompareError(f"DESTA list not found: {path}")
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    by_number = _country_tables()[1]
    party_cols = [c for c in raw.columns if re.fullmatch(r"c\d+", c)]
    rows = []
    unmapped: set[str] = set()
    for r in raw.to_dict("records"):
        if r["entry_type"] in _DESTA_SKIP:
            continue
        parties = []
        for col in party_cols:
            value = r[col].strip()
            if value and value != "NA":
                code = by_number.get(int(float(value)))
                if code is None:
                    unmapped.add(value)
                else:
                    parties.append(code)
        year = r["entryforceyear"].strip()
        in_force = dt.date(int(float(year)), 1, 1) if year and year != "NA" else None
        base = r["base_treaty"].strip()
        rows.append(
            {
                "agreement_id": f"desta:{r['number']}",
                "rta_id": r["number"],
                "base_id": base if base and base != "NA" else r["number"],
                "name": r["name"],
                "type": r["entry_type"],
                "coverage": None,
                "status": "In Force" if in_force else "Not in force",
                "accession": r["entry_type"] != "base_treaty",
                "date_signed": None,
                "date_in_force": in_force,
                "date_inactive": None,
                "parties": tuple(dict.fromkeys(parties)),
                "parties_original": tuple(dict.fromkeys(parties)),
                "blocs": (),
                "party_dates": {},
                "date_precision": "year",
            }
        )
    df = pd.DataFrame(rows)
    df.attrs["unmapped"] = sorted(unmapped)
    df.attrs["source"] = str(path)
    return df
