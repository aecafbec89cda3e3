"""The spaghetti bowl, coverage part: how many agreements in force bind each pair of countries.

Bhagwati (1995) named the "spaghetti bowl" of criss-crossing preferential
agreements; the first thing to measure is how often two countries are bound
to each other by more than one of them. This module reads the WTO RTA
database export (names, dates, blocs) and the DESTA list (Dür, Baccini and
Elsig 2014) and counts, for every pair of trade-policy actors, the agreements
in force that bind them, and for every actor its partners covered more than
once.

Who is a party (docs/METHODS.md, "Coverage overlap"):

- A bloc signatory ("European Free Trade Association (EFTA)", "ASEAN Free
  Trade Area (AFTA)") binds each of its members at the reference date: a
  bloc's agreement binds each member.
- The EU acts as one party (common commercial policy, see
  :data:`rulecompare.catalog.BLOCS_ACTING_AS_ONE`): its members are folded
  into one actor ``EU``, so EU-Chile is one relationship, not 27, and the EU
  members are not 351 relationships with each other. Other blocs' members
  stay separate actors, because they also sign agreements on their own
  (Singapore has ASEAN-China and China-Singapore): that is the overlap we
  measure.
- Accession rows of the WTO list ("... - Accession of Ecuador") extend their
  base agreement and are not agreements of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..catalog import BLOCS_ACTING_AS_ONE, Catalog, load_catalog, load_countries
from ..errors import RulecompareError
from ..paths import METADATA_ENV, SHARED_ENV, metadata_dir

__all__ = [
    "IN_FORCE_STATUSES",
    "WTO_BLOC_NAMES",
    "country_coverage",
    "coverage_summary",
    "load_desta",
    "load_wto_rtas",
    "pair_coverage",
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


def _wto_date(value: object) -> dt.date | None:
    """ "06-Mar-09" -> 2009-03-06; "31-Dec-2020" -> 2020-12-31; blanks -> None."""
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
            out[code] = (_wto_date(m.group(2)), _wto_date(m.group(3)))
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
                _wto_date(r["Date of Entry into Force (G)"]),
                _wto_date(r["Date of Entry into Force (S)"]),
            )
            if d
        ]
        signed = [
            d for d in (_wto_date(r["Date of Signature (G)"]), _wto_date(r["Date of Signature (S)"])) if d
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
                "date_inactive": _wto_date(r["Inactive Date"]),
                "parties": parties,
                "parties_original": _parties(r["Original signatories"], unmapped),
                "blocs": tuple(p for p in parties if p in WTO_BLOC_NAMES.values()),
                "party_dates": _specific_dates(r["Specific Entry/Exit dates"], unmapped),
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
    unless their parties have since merged into one actor.
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
            }
        )
    df = pd.DataFrame(rows)
    df.attrs["unmapped"] = sorted(unmapped)
    df.attrs["source"] = str(path)
    return df


# -- relationships ------------------------------------------------------------------------------------


def _reference_date(as_of: int | None) -> dt.date:
    return dt.date.today() if as_of is None else dt.date(as_of, 12, 31)


def _in_force(rtas: pd.DataFrame, as_of: int | None) -> pd.DataFrame:
    if as_of is None:
        return rtas[rtas["status"].isin(IN_FORCE_STATUSES)]
    ref = _reference_date(as_of)
    started = rtas["date_in_force"].map(lambda d: d is not None and not pd.isna(d) and d <= ref)
    ended = rtas["date_inactive"].map(lambda d: d is not None and not pd.isna(d) and d <= ref)
    return rtas[started & ~ended]


def _sides(
    row: dict[str, object], ref: dt.date, historical: bool, catalog: Catalog
) -> list[tuple[str, set[str]]]:
    """The actors an RTA row binds on ``ref``, one set per signatory.

    A bloc signatory is one side holding its members: EFTA-Chile binds each
    EFTA state to Chile, not the EFTA states to each other (their own
    convention does that). EU members are folded into ``EU``.
    """
    parties: Iterable[str] = row["parties"]  # type: ignore[assignment]
    if historical:
        parties = dict.fromkeys([*row["parties"], *row["parties_original"]])  # type: ignore[misc]
    dates: dict[str, tuple[dt.date | None, dt.date | None]] = row["party_dates"]  # type: ignore[assignment]

    def active(code: str) -> bool:
        entry, exit_ = dates.get(code, (None, None))
        return (entry is None or entry <= ref) and (exit_ is None or exit_ >= ref)

    def fold(iso3: str) -> str:
        acting = [b for b in sorted(BLOCS_ACTING_AS_ONE) if iso3 in catalog.blocs[b].members_at(ref)]
        return acting[0] if acting else iso3

    sides = []
    for code in parties:
        if not active(code):
            continue
        bloc = catalog.blocs.get(code)
        members = {code} if bloc is None else {m for m in bloc.members_at(ref) if active(m)}
        sides.append((code, {fold(m) for m in members}))
    return [(code, side) for code, side in sides if side]


_HUB_NAME = re.compile(r"^(EU|EC|European Union|United Kingdom|EFTA)\s+-\s+")
_HUB_CODE = {"EU": "EU", "EC": "EU", "European Union": "EU", "United Kingdom": "GBR", "EFTA": "EFTA"}


def _hub(name: str, sides: list[tuple[str, set[str]]]) -> str | None:
    """The hub of a hub-and-spoke agreement ("EU - Central America"), or None.

    The EU's, the UK's and EFTA's agreements with several partners at once
    (economic partnership agreements, "EU - Colombia and Peru", the UK's
    continuity agreements) bind the hub to each partner, not the partners to
    each other; other plurilaterals (CPTPP, RCEP, ASEAN - Australia - New
    Zealand) bind every pair.
    """
    m = _HUB_NAME.match(name)
    if m is None or len(sides) <= 2:
        return None
    code = _HUB_CODE[m.group(1)]
    return code if code in {c for c, _ in sides} else None


def _groups(
    rtas: pd.DataFrame, as_of: int | None, catalog: Catalog | None
) -> dict[str, tuple[str, set[tuple[str, str]], set[str]]]:
    """Agreement (base id) -> (name, pairs of actors it binds, actors) for the agreements in force."""
    catalog = catalog or load_catalog()
    ref = _reference_date(as_of)
    live = _in_force(rtas, as_of)
    names = dict(zip(rtas["rta_id"], rtas["name"], strict=True))
    groups: dict[str, tuple[str, set[tuple[str, str]], set[str]]] = {}
    for row in live.to_dict("records"):
        source = str(row["agreement_id"]).split(":")[0]
        key = f"{source}:{row['base_id']}"
        _, pairs, actors = groups.setdefault(key, (names.get(row["base_id"], row["name"]), set(), set()))
        sides = _sides(row, ref, as_of is not None, catalog)
        hub = _hub(str(row["name"]), sides)
        for i, (code, side) in enumerate(sides):
            actors |= side
            for other_code, other in sides[i + 1 :]:
                if hub is not None and hub not in (code, other_code):
                    continue
                pairs.update((min(a, b), max(a, b)) for a in side for b in other if a != b)
    return groups


def pair_coverage(
    rtas: pd.DataFrame, as_of: int | None = None, *, catalog: Catalog | None = None
) -> pd.DataFrame:
    """Every pair of actors bound by at least one agreement in force, with how many bind them.

    ``rtas`` comes from :func:`load_wto_rtas` or :func:`load_desta`;
    ``as_of`` is a year (agreements in force on 31 December of it) or None
    for the current WTO status. Columns: ``iso_a`` < ``iso_b`` (ISO3, or
    ``EU``), ``n_agreements``, ``agreement_ids`` and ``agreement_names``
    (";"-joined, sorted by id). Sorted by ``n_agreements`` descending.
    """
    found: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key, (name, pairs, _) in _groups(rtas, as_of, catalog).items():
        for pair in pairs:
            found[pair].append((key, name))
    rows = [
        {
            "iso_a": a,
            "iso_b": b,
            "n_agreements": len(items),
            "agreement_ids": ";".join(k for k, _ in sorted(items)),
            "agreement_names": ";".join(n for _, n in sorted(items)),
        }
        for (a, b), items in found.items()
    ]
    out = pd.DataFrame(rows, columns=["iso_a", "iso_b", "n_agreements", "agreement_ids", "agreement_names"])
    return out.sort_values(
        ["n_agreements", "iso_a", "iso_b"], ascending=[False, True, True], ignore_index=True
    )


def country_coverage(
    rtas: pd.DataFrame, as_of: int | None = None, *, catalog: Catalog | None = None
) -> pd.DataFrame:
    """Per actor: agreements in force, partners, and partners covered by more than one agreement.

    Columns: ``iso3`` (``EU`` for the Union), ``n_agreements`` (agreements
    in force binding it to at least one other actor), ``n_partners``,
    ``n_partners_multi`` (partners bound to it by two or more agreements),
    ``share_multi`` (= n_partners_multi / n_partners),
    ``mean_agreements_per_partner``, ``max_agreements_per_partner``. Sorted by
    ``n_agreements`` descending.
    """
    groups = _groups(rtas, as_of, catalog)
    pairs = pair_coverage(rtas, as_of, catalog=catalog)
    n_agreements: dict[str, int] = defaultdict(int)
    for _, bound, _ in groups.values():
        for a in {x for pair in bound for x in pair}:
            n_agreements[a] += 1
    both = pd.concat(
        [
            pairs[["iso_a", "n_agreements"]].rename(columns={"iso_a": "iso3"}),
            pairs[["iso_b", "n_agreements"]].rename(columns={"iso_b": "iso3"}),
        ]
    )
    per = (
        both.groupby("iso3")["n_agreements"]
        .agg(
            n_partners="size",
            n_partners_multi=lambda s: int((s > 1).sum()),
            mean_agreements_per_partner="mean",
            max_agreements_per_partner="max",
        )
        .reset_index()
    )
    per.insert(1, "n_agreements", per["iso3"].map(n_agreements).astype(int))
    per["share_multi"] = per["n_partners_multi"] / per["n_partners"]
    cols = [
        "iso3",
        "n_agreements",
        "n_partners",
        "n_partners_multi",
        "share_multi",
        "mean_agreements_per_partner",
        "max_agreements_per_partner",
    ]
    return per[cols].sort_values(["n_agreements", "iso3"], ascending=[False, True], ignore_index=True)


def coverage_summary(pairs: pd.DataFrame) -> dict[str, float]:
    """Corpus-wide figures from :func:`pair_coverage`: relationships, and the share covered more than once."""
    n = len(pairs)
    multi = int((pairs["n_agreements"] > 1).sum())
    return {
        "n_relationships": n,
        "n_multi": multi,
        "share_multi": multi / n if n else float("nan"),
        "mean_agreements": float(pairs["n_agreements"].mean()) if n else float("nan"),
    }
