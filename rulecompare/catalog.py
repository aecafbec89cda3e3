"""The catalog: which agreements belong together, which blocs act as one party, and short names.

Researchers ask about "the US's agreements", "the EU's agreements" or "China's
FTAs with Belt and Road partners", and type `nafta` or `us-peru` rather than
`tota:112`. None of that is in the treaty texts, and sources disagree on how to
write it down (ToTA lists the EU's member states one by one, other sources
write "EU"). This module holds that knowledge in small files a user can edit
(``agreements/``: blocs with dates of joining and leaving, APEC economies,
family rules, aliases, country short names) and applies it to
:class:`~rulecompare.model.Agreement` records, so that the rest of the code
never hard-codes a country list.

Name resolution (:func:`resolve`) lives here too because it is built from the
same aliases: it runs on every CLI call, so the lookup tables for one
agreements table are built once and reused.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz import fuzz, process

from .errors import AmbiguousNameError, NotFoundError, RulecompareError
from .model import Agreement
from .paths import METADATA_ENV
from .paths import metadata_dir as find_metadata_dir

BLOCS_ACTING_AS_ONE = frozenset({"EU"})
"""Blocs that are a party whenever all their members are, whatever else the agreement says.

Since the common commercial policy, EU member states do not conclude trade
agreements on their own: a treaty that lists all of them (ToTA's way of writing
the EU, also for the Lomé conventions) is an EU agreement. For other blocs the
members can be parties in their own right (the GCC states in the Pan-Arab
FTA), so more evidence is required; see :meth:`Catalog.blocs_in`.
"""

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


def _data_dir() -> Path:
    """The folder with the catalog files: inside the package when installed, else the checkout's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "agreements", here.parent / "agreements"):
        if (candidate / "blocs.csv").is_file():
            return candidate
    raise RulecompareError(f"catalog data (agreements/blocs.csv) not found beside {here}")


def _date(value: str | None) -> dt.date | None:
    value = (value or "").strip()
    return dt.date.fromisoformat(value) if value else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


@dataclass(frozen=True, slots=True)
class Membership:
    """One country's membership of a bloc."""

    iso3: str
    joined: dt.date
    """First day of membership (for founders: the day the founding treaty was signed)."""
    left: dt.date | None = None
    """Last day of membership, None while still a member."""

    def active(self, date: dt.date) -> bool:
        """Whether the country was a member on ``date``."""
        return self.joined <= date and (self.left is None or date <= self.left)


@dataclass(frozen=True, slots=True)
class Bloc:
    """A group of countries that can be a party to an agreement as one (EU, EFTA, ASEAN ...)."""

    code: str
    """Short code used as a party (``EU``); never an ISO3 code (the Andean Community is ``ANDEAN``)."""
    name: str
    members: tuple[str, ...]
    """Current members, ISO3, sorted."""
    memberships: tuple[Membership, ...] = ()
    """Every membership past and present, with dates."""

    def members_at(self, date: dt.date | None = None) -> frozenset[str]:
        """Members on ``date`` (current members when None)."""
        if date is None:
            return frozenset(self.members)
        return frozenset(m.iso3 for m in self.memberships if m.active(date))

    def members_between(self, start: dt.date, end: dt.date) -> frozenset[str]:
        """Countries that were members on some day from ``start`` to ``end``."""
        return frozenset(
            m.iso3 for m in self.memberships if m.joined <= end and (m.left is None or m.left >= start)
        )


@dataclass(frozen=True, slots=True)
class Family:
    """A family of agreements and the rule that decides membership (see agreements/families.toml)."""

    key: str
    description: str
    any_party: frozenset[str] = frozenset()
    bloc: str | None = None
    name: re.Pattern[str] | None = None
    all_parties_in: str | None = None
    any_party_in: str | None = None
    except_: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    requires: frozenset[str] = frozenset()
    """When set, one of these codes must also be a party, whatever else matched."""


@dataclass(frozen=True, slots=True)
class Country:
    """A country code with the short name used in aliases (``us``, ``korea``)."""

    iso3: str
    short: str
    name: str


def _parties_of(agreement: Agreement) -> tuple[str, ...]:
    """Current and original parties together: ToTA leaves current parties empty for inactive agreements."""
    return tuple(dict.fromkeys((*agreement.parties, *agreement.parties_original)))


@dataclass(frozen=True)
class Catalog:
    """Blocs, APEC, Belt and Road partners, families and aliases, as loaded from the data files."""

    blocs: dict[str, Bloc]
    apec: frozenset[str]
    bri_partners: frozenset[str]
    """Countries other than China whose BRI status is "member"."""
    bri_source: Path
    """The file the BRI partners were read from (the shared metadata or the fallback copy)."""
    families: dict[str, Family]
    countries: dict[str, Country]
    alias_table: dict[str, str]
    """Curated alias -> agreement id (agreements/aliases.csv)."""
    digest: str
    """Hash of the data files, so that stored families can be recomputed when the catalog changes."""
    _aliases_by_id: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    # -- blocs ---------------------------------------------------------------------------------

    def expand_parties(self, parties: Iterable[str], date: dt.date | None = None) -> set[str]:
        """Parties with bloc codes replaced by the bloc's members on ``date`` (current when None)."""
        out: set[str] = set()
        for code in parties:
            code = code.strip().upper()
            bloc = self.blocs.get(code)
            if bloc is not None:
                out |= bloc.members_at(date)
            elif code:
                out.add(code)
        return out

    def bloc_of(self, iso3: str, date: dt.date | None = None) -> tuple[str, ...]:
        """Codes of the blocs ``iso3`` belonged to on ``date`` (now when None), sorted; often empty.

        A tuple because a country can belong to several blocs at once.
        """
        iso3 = iso3.strip().upper()
        return tuple(sorted(code for code, bloc in self.blocs.items() if iso3 in bloc.members_at(date)))

    def blocs_in(self, agreement: Agreement) -> tuple[str, ...]:
        """Codes of the blocs that are a party to ``agreement`` as one, sorted.

        A bloc is a party when its code is listed, or when every member it had
        on the date of signature is listed and one of these holds: the bloc
        acts as one (:data:`BLOCS_ACTING_AS_ONE`), the WTO composition says a
        party is an RTA, or its members are at least half of the parties.
        The last two keep the GCC states in the Pan-Arab FTA, or the SACU
        states in SADC, from making those GCC or SACU agreements.
        """
        parties = set(_parties_of(agreement))
        date = agreement.date_signed or agreement.date_in_force
        named_rta = "RTA" in (agreement.composition or "")
        found = []
        for code, bloc in self.blocs.items():
            if code in parties:
                found.append(code)
                continue
            members = bloc.members_at(date)
            if not members or not members <= parties:
                continue
            if code in BLOCS_ACTING_AS_ONE or named_rta or 2 * len(members) >= len(parties):
                found.append(code)
        return tuple(sorted(found))

    def collapse_parties(self, agreement: Agreement) -> tuple[str, ...]:
        """Parties with each bloc acting as one written as its code, sorted: EU-Chile -> ``("CHL", "EU")``.

        Countries that were members of the bloc at any time between signature
        and entry into force are folded into it, because ToTA's party lists
        sometimes name the member states of the day the agreement took effect.
        Use it to count relationships without counting a bloc's members
        separately.
        """
        parties = set(_parties_of(agreement))
        # Current parties that were not original ones joined later, usually by joining the bloc.
        later = (
            set(agreement.parties) - set(agreement.parties_original) if agreement.parties_original else set()
        )
        start = agreement.date_signed or agreement.date_in_force
        for code in self.blocs_in(agreement):
            bloc = self.blocs[code]
            if code in parties:
                parties -= bloc.members_at(start)
                continue
            if start is None:
                folded = bloc.members_at(None)
            else:
                end = max(d for d in (start, agreement.date_in_force) if d)
                folded = bloc.members_between(start, end) | (later & bloc.members_between(start, dt.date.max))
            parties = (parties - folded) | {code}
        return tuple(sorted(parties))

    # -- families ------------------------------------------------------------------------------

    def _named_set(self, name: str) -> frozenset[str]:
        sets = {"apec": self.apec, "bri": self.bri_partners}
        if name not in sets:
            raise RulecompareError(f"families.toml: unknown set '{name}' (known: {', '.join(sets)})")
        return sets[name]

    def families_for(self, agreement: Agreement) -> tuple[str, ...]:
        """Keys of the families ``agreement`` belongs to, in the order of families.toml."""
        date = agreement.date_signed or agreement.date_in_force
        raw = _parties_of(agreement)
        parties = self.expand_parties(raw, date)
        blocs = set(self.blocs_in(agreement))
        out = []
        for key, fam in self.families.items():
            hit = (
                agreement.id in fam.ids
                or bool(fam.any_party & (parties | set(raw)))
                or (fam.bloc is not None and fam.bloc in blocs)
                or (fam.name is not None and fam.name.search(agreement.name) is not None)
                or (
                    fam.all_parties_in is not None
                    and bool(parties)
                    and parties <= self._named_set(fam.all_parties_in)
                )
                or (
                    fam.any_party_in is not None
                    and bool((parties - fam.except_) & self._named_set(fam.any_party_in))
                )
            )
            if hit and (not fam.requires or fam.requires & (parties | set(raw))):
                out.append(key)
        return tuple(out)

    # -- aliases -------------------------------------------------------------------------------

    def short_name(self, code: str) -> str:
        """Short name for aliases: ``us`` for USA, ``eu`` for the EU bloc, else the code in lower case."""
        code = code.upper()
        if code in self.blocs:
            return code.lower()
        country = self.countries.get(code)
        return country.short if country else code.lower()

    def aliases_for(self, agreement: Agreement) -> tuple[str, ...]:
        """Short names for ``agreement``: curated ones, then ones generated from its name and parties.

        Generated: the acronym of a name ending in one ("(NAFTA)" -> ``nafta``),
        the name of an "A - B" agreement in short form ("China - Rep. of Korea"
        -> ``china-korea``), and for an agreement between two parties (a bloc
        counting as one) both orders of their short names (``eu-chile``,
        ``chile-eu``).
        """
        out = list(self._aliases_by_id.get(agreement.id, ()))
        out.extend(name_aliases(agreement.name))
        collapsed = self.collapse_parties(agreement)
        if len(collapsed) == 2:
            a, b = (self.short_name(c) for c in collapsed)
            out += [f"{a}-{b}", f"{b}-{a}"]
        return tuple(dict.fromkeys(x for x in out if x))


# -- loading ---------------------------------------------------------------------------------------


def _bri_path(metadata_dir: Path | None) -> Path:
    """The BRI partner list to read: in ``metadata_dir`` when given, else in the shared metadata
    folder found (:func:`rulecompare.paths.metadata_dir`), else the fallback list."""
    folder = metadata_dir if metadata_dir is not None else find_metadata_dir(needs="bri-partners.csv").path
    if folder is not None and (folder / "bri-partners.csv").is_file():
        return folder / "bri-partners.csv"
    return _data_dir() / "bri-partners.csv"


def _load_bri(path: Path) -> frozenset[str]:
    """Belt and Road partners with status "member" (the fallback list has no status: all are).

    "unclear" and "withdrawn-YEAR" rows are not partners; China is not its own partner.
    """
    rows = _read_csv(path)
    if rows and "iso3" not in rows[0]:
        raise RulecompareError(f"{path}: expected an iso3 column")
    codes = {r["iso3"].upper() for r in rows if r["iso3"] and r.get("status", "member").lower() == "member"}
    return frozenset(codes - {"CHN"})


def _load_blocs(path: Path) -> dict[str, Bloc]:
    names: dict[str, str] = {}
    memberships: dict[str, list[Membership]] = {}
    today = dt.date.today()
    for n, row in enumerate(_read_csv(path), start=2):
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


@functools.lru_cache(maxsize=8)
def _load(bri_source: Path) -> Catalog:
    data = _data_dir()
    files = ["blocs.csv", "apec.csv", "aliases.csv", "families.toml", "countries.csv", "bri-partners.csv"]
    digest = hashlib.sha1()
    for name in files:
        digest.update((data / name).read_bytes())
    blocs = _load_blocs(data / "blocs.csv")
    bri = _load_bri(bri_source)
    digest.update(bri_source.read_bytes())
    families = _load_families(data / "families.toml")
    for fam in families.values():
        if fam.bloc is not None and fam.bloc not in blocs:
            raise RulecompareError(f"families.toml: family '{fam.key}' names unknown bloc '{fam.bloc}'")
    alias_table: dict[str, str] = {}
    by_id: dict[str, list[str]] = {}
    for row in _read_csv(data / "aliases.csv"):
        alias = row["alias"].casefold()
        if alias in alias_table and alias_table[alias] != row["id"]:
            raise RulecompareError(
                f"aliases.csv: '{alias}' points to both {alias_table[alias]} and {row['id']}"
            )
        alias_table[alias] = row["id"]
        by_id.setdefault(row["id"], []).append(alias)
    # Short names go through the same normalization as agreement names, so that the alias
    # made from parties ("bosnia-herzegovina") equals the one made from the name.
    countries = {
        r["iso3"].upper(): Country(r["iso3"].upper(), "-".join(normalize(r["short"]).split()), r["name"])
        for r in _read_csv(data / "countries.csv")
    }
    return Catalog(
        blocs=blocs,
        apec=frozenset(r["iso3"].upper() for r in _read_csv(data / "apec.csv")),
        bri_partners=bri,
        bri_source=bri_source,
        families=families,
        countries=countries,
        alias_table=alias_table,
        digest=digest.hexdigest(),
        _aliases_by_id={k: tuple(v) for k, v in by_id.items()},
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


# -- name normalization and resolution ---------------------------------------------------------------

# Ways of writing the same party that users and sources mix freely. Applied to
# space-separated lower-case words, longest first.
_EQUIVALENT = {
    "united states of america": "us", "united states": "us", "usa": "us", "u s a": "us", "u s": "us",
    "republic of korea": "korea", "korea republic of": "korea", "rep of korea": "korea",
    "korea rep of": "korea", "south korea": "korea",
    "european union": "eu", "european communities": "eu", "european community": "eu",
    "european economic community": "eu", "eec": "eu", "ec": "eu",
    "united kingdom": "uk", "great britain": "uk",
    "peoples republic of china": "china", "prc": "china",
    "russian federation": "russia", "viet nam": "vietnam",
    "hong kong china": "hong kong", "hong kong sar": "hong kong", "macao china": "macao", "macau": "macao",
    "taiwan": "chinese taipei",
    "republic of moldova": "moldova", "moldova republic of": "moldova", "rep of moldova": "moldova",
    "former yugoslav republic of macedonia": "macedonia", "north macedonia": "macedonia",
    "kyrgyz republic": "kyrgyzstan", "lao peoples democratic republic": "laos", "lao pdr": "laos",
    "slovak republic": "slovakia", "czechia": "czech republic", "faeroe": "faroe",
    "palestinian authority": "palestine", "nz": "new zealand", "u k": "uk", "turkiye": "turkey",
}  # fmt: skip
_EQUIVALENT_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(_EQUIVALENT, key=len, reverse=True)) + r")\b"
)
_STOPWORDS = frozenset(
    {"the", "of", "and", "between", "free", "trade", "agreement", "agreements", "fta", "a", "an"}
)


def normalize(text: str) -> str:
    """A name as words to compare: case, accents, punctuation and spellings of parties made uniform.

    "Korea, Republic of - US" and "us-korea" both become words {korea, us};
    "free", "trade", "agreement" and such are dropped unless nothing else is left.
    """
    text = re.sub(r"['’]", "", unicodedata.normalize("NFKD", text))
    # Punctuation of any script (en dashes in "US–Peru") separates words; accents just go.
    text = "".join(c if c.isalnum() or unicodedata.combining(c) else " " for c in text)
    text = text.encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = _EQUIVALENT_RE.sub(lambda m: _EQUIVALENT[m.group(1)], text)
    words = text.split()
    kept = [w for w in words if w not in _STOPWORDS]
    return " ".join(kept or words)


def _key(text: str) -> str:
    """Order-free lookup key: ``us-peru`` and "Peru - US" meet."""
    return " ".join(sorted(normalize(text).split()))


_ACRONYM_RE = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{1,15})\)\s*$")
_DASH_RE = re.compile(r"\s+[-–]\s*|\s*[-–]\s+")


def name_aliases(name: str) -> tuple[str, ...]:
    """Aliases read off a name: a trailing acronym, and the short form of an "A - B" name.

    ``"North American Free Trade Agreement (NAFTA)"`` -> ``("nafta",)``;
    ``"China - Rep. of Korea"`` -> ``("china-korea",)``. An acronym that is
    a country code ("Andean Community (CAN)") is left out: ``can`` is Canada.
    """
    out = []
    m = _ACRONYM_RE.search(name)
    if m and not _DASH_RE.search(name[: m.start()]) and m.group(1).upper() not in _country_codes():
        out.append(m.group(1).casefold())
    bare = re.sub(r"\([^)]*\)", " ", name)
    sides = [s for s in _DASH_RE.split(bare) if s.strip()]
    if 2 <= len(sides) <= 3:
        words = [normalize(s).split() for s in sides]
        if all(0 < len(w) <= 4 for w in words):
            out.append("-".join("-".join(w) for w in words))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(r["iso3"].upper() for r in _read_csv(_data_dir() / "countries.csv"))


@dataclass(frozen=True)
class _Index:
    """Lookup tables for one agreements table, built once per table."""

    ids: tuple[str, ...]
    names: dict[str, str]
    prefer: dict[str, str]
    """id -> the id to report instead (the English text of the same agreement)."""
    tiers: tuple[dict[str, tuple[str, ...]], ...]
    """Exact keys, strongest first: curated aliases, names and their acronyms, stored aliases."""
    choices: tuple[str, ...]
    choice_ids: tuple[str, ...]
    ids_casefold: dict[str, str]


def _column(df: pd.DataFrame, name: str) -> list[str]:
    if name not in df.columns:
        return [""] * len(df)
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v) for v in df[name]]


def _build_index(df: pd.DataFrame, catalog: Catalog) -> _Index:
    ids = _column(df, "id")
    names = _column(df, "name")
    aliases = _column(df, "aliases")
    langs = _column(df, "language")
    dates = _column(df, "date_signed")
    present = set(ids)

    # The same agreement in several languages (ToTA's TPP in English and Spanish): report the English one.
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for i, n, lang, d in zip(ids, names, langs, dates, strict=True):
        groups.setdefault((_key(n), d[:10]), []).append((i, lang))
    prefer = {}
    for members in groups.values():
        best = next((i for i, lang in members if lang == "en"), members[0][0])
        for i, _ in members:
            prefer[i] = best

    def add(table: dict[str, list[str]], text: str, agreement_id: str) -> None:
        k = _key(text)
        if k and agreement_id not in table.setdefault(k, []):
            table[k].append(agreement_id)

    curated: dict[str, list[str]] = {}
    for alias, target in catalog.alias_table.items():
        if target in present:
            add(curated, alias, target)
    by_name: dict[str, list[str]] = {}
    stored: dict[str, list[str]] = {}
    choices: list[str] = []
    choice_ids: list[str] = []
    for i, n, a in zip(ids, names, aliases, strict=True):
        add(by_name, n, i)
        texts = [n]
        for alias in name_aliases(n):
            add(by_name, alias, i)
            texts.append(alias)
        for alias in (x.strip() for x in a.split(";")):
            if alias:
                add(stored, alias, i)
                texts.append(alias)
        texts += [alias for alias, target in catalog.alias_table.items() if target == i]
        for t in dict.fromkeys(normalize(t) for t in texts):
            choices.append(t)
            choice_ids.append(i)
    return _Index(
        ids=tuple(ids),
        names=dict(zip(ids, names, strict=True)),
        prefer=prefer,
        tiers=tuple({k: tuple(v) for k, v in t.items()} for t in (curated, by_name, stored)),
        choices=tuple(choices),
        choice_ids=tuple(choice_ids),
        ids_casefold={i.casefold(): i for i in ids},
    )


_INDEX_CACHE: dict[int, tuple[tuple[object, ...], _Index]] = {}


def _index_for(df: pd.DataFrame, catalog: Catalog) -> _Index:
    # Keyed by the table's content, not its identity: a re-read table reuses the index,
    # a changed one (new agreements, new aliases) gets a new one.
    fingerprint = (catalog.digest, *_column(df, "id"), *_column(df, "name"), *_column(df, "aliases"))
    key = hash(fingerprint)
    hit = _INDEX_CACHE.get(key)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    index = _build_index(df, catalog)
    if len(_INDEX_CACHE) >= 8:
        _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
    _INDEX_CACHE[key] = (fingerprint, index)
    return index


MIN_SCORE = 75.0
"""Fuzzy scores (0-100) below this are no match."""
AMBIGUITY_MARGIN = 4.0
"""A runner-up within this many points of the best candidate makes a name ambiguous."""


def _dedupe(index: _Index, ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(index.prefer.get(i, i) for i in ids))


def resolve(query: str, agreements: pd.DataFrame, *, limit: int = 5) -> str:
    """The id of the agreement a forgiving name means.

    Tried in order: the id itself (``tota:112``); a curated alias (``nafta``,
    ``korus``); an agreement's name or trailing acronym; a stored alias (the
    ``aliases`` column, e.g. ``peru-us``); then fuzzy matching over all of
    those. Names are compared after :func:`normalize`, without regard to word
    order ("US Peru" finds "US - Peru"). The same agreement in several
    languages counts once, as its English text.

    Raises :class:`AmbiguousNameError` (up to ``limit`` candidates, best
    first) when several agreements fit about equally well, and
    :class:`NotFoundError` naming the closest agreements when none fits.
    """
    q = query.strip()
    if not q:
        raise NotFoundError("empty agreement name")
    if agreements.empty:
        raise NotFoundError(f"no agreement matches '{q}': the store holds no agreements")
    index = _index_for(agreements, load_catalog())
    exact_id = index.ids_casefold.get(q.casefold())
    if exact_id is not None:
        return exact_id
    key = _key(q)
    for n, tier in enumerate(index.tiers):
        # A curated alias names its agreement exactly (``tpp-es``); other keys may hit a translation.
        found = list(tier.get(key, ())) if n == 0 else _dedupe(index, tier.get(key, ()))
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousNameError(q, [(i, index.names[i], 100.0) for i in found[:limit]])
    ranked = _fuzzy(normalize(q), index)
    if not ranked or ranked[0][1] < MIN_SCORE:
        closest = "; ".join(f"{index.names[i]} ({i})" for i, _ in ranked[:3])
        raise NotFoundError(f"no agreement matches '{q}'" + (f"; closest: {closest}" if closest else ""))
    best = ranked[0][1]
    close = [(i, s) for i, s in ranked if s >= best - AMBIGUITY_MARGIN]
    if len(close) > 1:
        raise AmbiguousNameError(q, [(i, index.names[i], round(s, 1)) for i, s in close[:limit]])
    return ranked[0][0]


def _fuzzy(q: str, index: _Index) -> list[tuple[str, float]]:
    """Agreement ids with their best fuzzy score, best first (ties by order in the table)."""
    scores: dict[str, float] = {}
    for _, score, pos in process.extract(q, index.choices, scorer=fuzz.WRatio, limit=None):
        aid = index.prefer.get(index.choice_ids[pos], index.choice_ids[pos])
        if score > scores.get(aid, -1.0):
            scores[aid] = float(score)
    order = {i: n for n, i in enumerate(index.ids)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order.get(kv[0], 0)))


def resolve_many(queries: Sequence[str], agreements: pd.DataFrame) -> list[str]:
    """:func:`resolve` for each name, in order; the first name that fails raises."""
    return [resolve(q, agreements) for q in queries]


def family_counts(agreements: Iterable[Agreement], catalog: Catalog | None = None) -> Mapping[str, int]:
    """How many of ``agreements`` fall in each family (every family listed, zero included)."""
    catalog = catalog or load_catalog()
    counts = dict.fromkeys(catalog.families, 0)
    for a in agreements:
        for key in catalog.families_for(a):
            counts[key] += 1
    return counts


__all__ = [
    "AMBIGUITY_MARGIN", "BLOCS_ACTING_AS_ONE", "Bloc", "Catalog", "Country", "Family", "METADATA_ENV",
    "MIN_SCORE", "Membership", "family_counts", "load_catalog", "name_aliases", "normalize", "resolve",
    "resolve_many",
]  # fmt: skip
