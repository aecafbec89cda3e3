"""Loading the catalog: blocs, APEC, Belt and Road partners, families, aliases and countries.

The files are small and edited by hand (``agreements/``, see its README);
the Belt and Road partner list comes from the shared metadata when it can be
found (:func:`rulecompare.paths.metadata_dir`) and from a fallback copy in
``agreements/`` otherwise. Everything a file gets wrong is reported with the
file's name, so that a user's edit fails loudly rather than changing results.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import RulecompareError
from ..model import Agreement
from ..paths import metadata_dir as find_metadata_dir
from .countries import COUNTRIES_FILE, load_countries
from .files import data_dir, read_csv
from .records import Bloc, Catalog, Family, Membership

__all__ = ["BRI_FILE", "family_counts", "load_catalog"]

BRI_FILE = "bri-partners.csv"
"""The Belt and Road partner list, in the shared metadata folder (and as a fallback in ``agreements/``)."""

_RULE_KEYS = frozenset(
    {
        "description",
        "any_party",
        "bloc",
        "name",
        "all_parties_in",
        "any_party_in",
        "except",
        "ids",
        "requires",
    }
)


def _date(value: str | None) -> dt.date | None:
    value = (value or "").strip()
    return dt.date.fromisoformat(value) if value else None


def _bri_path(metadata_dir: Path | None) -> Path:
    """The BRI partner list to read: in ``metadata_dir`` when given, else in the shared metadata
    folder found (:func:`rulecompare.paths.metadata_dir`), else the fallback list."""
    folder = metadata_dir if metadata_dir is not None else find_metadata_dir(needs=BRI_FILE).path
    if folder is not None and (folder / BRI_FILE).is_file():
        return folder / BRI_FILE
    return data_dir() / BRI_FILE


def _load_bri(path: Path) -> frozenset[str]:
    """Belt and Road partners with status "member" (the fallback list has no status: all are).

    "unclear" and "withdrawn-YEAR" rows are not partners; China is not its own partner.
    """
    rows = read_csv(path)
    if rows and "iso3" not in rows[0]:
        raise RulecompareError(f"{path}: expected an iso3 column")
    codes = {r["iso3"].upper() for r in rows if r["iso3"] and r.get("status", "member").lower() == "member"}
    return frozenset(codes - {"CHN"})


def _load_blocs(path: Path) -> dict[str, Bloc]:
    names: dict[str, str] = {}
    memberships: dict[str, list[Membership]] = {}
    today = dt.date.today()
    for n, row in enumerate(read_csv(path), start=2):
        code = row["bloc"].upper()
        if names.setdefault(code, row["name"]) != row["name"]:
            raise RulecompareError(
                f"{path}:{n}: bloc {code} is named '{row['name']}', earlier '{names[code]}'"
            )
        joined = _date(row["joined"])
        if joined is None:
            raise RulecompareError(f"{path}:{n}: {code} {row['iso3']} has no joining date")
        memberships.setdefault(code, []).append(Membership(row["iso3"].upper(), joined, _date(row["left"])))
    return {
        code: Bloc(
            code=code,
            name=names[code],
            members=tuple(sorted(m.iso3 for m in ms if m.active(today))),
            memberships=tuple(ms),
        )
        for code, ms in memberships.items()
    }


def _load_families(path: Path) -> dict[str, Family]:
    with path.open("rb") as f:
        raw: dict[str, Any] = tomllib.load(f)
    out = {}
    for key, spec in raw.items():
        unknown = set(spec) - _RULE_KEYS
        if unknown:
            raise RulecompareError(f"{path}: family '{key}' has unknown keys {sorted(unknown)}")
        try:
            pattern = re.compile(spec["name"]) if "name" in spec else None
        except re.error as exc:
            raise RulecompareError(f"{path}: family '{key}': bad name pattern ({exc})") from None
        out[key] = Family(
            key=key,
            description=spec.get("description", ""),
            any_party=frozenset(c.upper() for c in spec.get("any_party", ())),
            bloc=spec.get("bloc"),
            name=pattern,
            all_parties_in=spec.get("all_parties_in"),
            any_party_in=spec.get("any_party_in"),
            except_=frozenset(c.upper() for c in spec.get("except", ())),
            ids=frozenset(spec.get("ids", ())),
            requires=frozenset(c.upper() for c in spec.get("requires", ())),
        )
    return out


def _load_aliases(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Curated aliases: alias -> agreement id, and agreement id -> its aliases in file order."""
    table: dict[str, str] = {}
    by_id: dict[str, list[str]] = {}
    for row in read_csv(path):
        alias = row["alias"].casefold()
        if alias in table and table[alias] != row["id"]:
            raise RulecompareError(f"aliases.csv: '{alias}' points to both {table[alias]} and {row['id']}")
        table[alias] = row["id"]
        by_id.setdefault(row["id"], []).append(alias)
    return table, {k: tuple(v) for k, v in by_id.items()}


_FILES = ("blocs.csv", "apec.csv", "aliases.csv", "families.toml", COUNTRIES_FILE, BRI_FILE)


@functools.lru_cache(maxsize=8)
def _load(bri_source: Path) -> Catalog:
    data = data_dir()
    digest = hashlib.sha1()
    for name in _FILES:
        digest.update((data / name).read_bytes())
    digest.update(bri_source.read_bytes())
    blocs = _load_blocs(data / "blocs.csv")
    families = _load_families(data / "families.toml")
    for fam in families.values():
        if fam.bloc is not None and fam.bloc not in blocs:
            raise RulecompareError(f"families.toml: family '{fam.key}' names unknown bloc '{fam.bloc}'")
    alias_table, aliases_by_id = _load_aliases(data / "aliases.csv")
    return Catalog(
        blocs=blocs,
        apec=frozenset(r["iso3"].upper() for r in read_csv(data / "apec.csv")),
        bri_partners=_load_bri(bri_source),
        bri_source=bri_source,
        families=families,
        # A bloc's row in the country table (the EU's) only says how texts name it: not a country.
        countries={code: c for code, c in load_countries().items() if code not in blocs},
        alias_table=alias_table,
        digest=digest.hexdigest(),
        _aliases_by_id=aliases_by_id,
    )


def load_catalog(metadata_dir: Path | None = None) -> Catalog:
    """The catalog from ``agreements/``, with BRI partners from the shared metadata (cached).

    ``metadata_dir`` is the folder holding ``bri-partners.csv``; when None it
    is the first metadata folder holding one (:func:`rulecompare.paths.metadata_dir`:
    ``$RULECOMPARE_METADATA``, ``$RULECOMPARE_SHARED/metadata``, or
    ``shared/metadata`` beside the working directory or the checkout), and
    failing all of those the ISO3 list shipped in ``agreements/bri-partners.csv``.
    """
    return _load(_bri_path(Path(metadata_dir) if metadata_dir is not None else None))


def family_counts(agreements: Iterable[Agreement], catalog: Catalog | None = None) -> Mapping[str, int]:
    """How many of ``agreements`` fall in each family (every family listed, zero included)."""
    catalog = catalog or load_catalog()
    counts = dict.fromkeys(catalog.families, 0)
    for a in agreements:
        for key in catalog.families_for(a):
            counts[key] += 1
    return counts
