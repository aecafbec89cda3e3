"""The catalog on real ToTA metadata: name resolution, families, blocs, BRI partners."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulecompare.catalog import (
    family_counts,
    load_catalog,
    load_countries,
    name_aliases,
    normalize,
    resolve,
    resolve_many,
)
from rulecompare.catalog.countries import read_country_table
from rulecompare.catalog.names import key as _key
from rulecompare.catalog.resolve import _index_for
from rulecompare.errors import AmbiguousNameError, NotFoundError, RulecompareError
from rulecompare.model import Agreement
from rulecompare.parsers.tota import parse_tota

AGREEMENTS_DIR = Path(__file__).resolve().parent.parent / "agreements"


@pytest.fixture(scope="module")
def tota(tota_dir: Path) -> dict[str, Agreement]:
    """Every ToTA agreement (metadata only matters here), by id."""
    out = {}
    for path in tota_dir.glob("pta_*.xml"):
        a = parse_tota(path, classify=lambda *_: "x").agreement
        out[a.id] = a
    assert len(out) == 450
    return out


@pytest.fixture(scope="module")
def table(tota: dict[str, Agreement]) -> pd.DataFrame:
    """The agreements table as the store returns it (the columns resolve needs)."""
    cat = load_catalog()
    rows = [
        {
            "id": a.id,
            "name": a.name,
            "aliases": ";".join(cat.aliases_for(a)),
            "parties": ";".join(a.parties),
            "date_signed": a.date_signed.isoformat() if a.date_signed else None,
            "language": a.language,
        }
        for a in sorted(tota.values(), key=lambda a: int(a.id.split(":")[1]))
    ]
    return pd.DataFrame(rows)


# -- resolution ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nafta", "tota:112"),
        ("NAFTA", "tota:112"),
        ("tpp", "tota:449"),
        ("Trans-Pacific Partnership", "tota:449"),
        ("china korea", "tota:398"),
        ("china-korea", "tota:398"),
        ("Korea China", "tota:398"),
        ("us-peru", "tota:156"),
        ("US Peru", "tota:156"),
        ("peru-us", "tota:156"),
        ("United States - Peru", "tota:156"),
        ("korus", "tota:159"),
        ("us-korea", "tota:159"),
        ("Canada Chile", "tota:101"),
        ("cafta-dr", "tota:23"),
        ("eu-korea", "tota:145"),
        ("EU - Korea, Republic of", "tota:145"),
        ("european union chile", "tota:29"),
        ("eu-egypt", "tota:40"),
        ("china-nz", "tota:384"),
        ("taiwan singapore", "tota:439"),
        ("tota:112", "tota:112"),
        ("TOTA:450", "tota:450"),
        ("north american free trade", "tota:112"),
        ("nafat", "tota:112"),
    ],
)
def test_resolve_finds_the_agreement(table: pd.DataFrame, query: str, expected: str) -> None:
    assert resolve(query, table) == expected


def test_tpp_prefers_the_english_text_whatever_the_row_order(table: pd.DataFrame) -> None:
    reversed_table = table.iloc[::-1].reset_index(drop=True)
    assert resolve("tpp", reversed_table) == "tota:449"
    assert resolve("trans pacific partnership", reversed_table) == "tota:449"
    assert resolve("tpp-es", table) == "tota:450"


@pytest.mark.parametrize(("query", "name_re"), [("china", r"\bChina\b"), ("eu", r"^(EU|EC|EEC)\b")])
def test_broad_names_are_ambiguous(table: pd.DataFrame, query: str, name_re: str) -> None:
    with pytest.raises(AmbiguousNameError) as info:
        resolve(query, table, limit=4)
    cands = info.value.candidates
    assert len(cands) == 4
    names = table.set_index("id")["name"]
    for cid, name, score in cands:
        assert names[cid] == name
        assert re.search(name_re, name), name
        assert 0 <= score <= 100
    scores = [s for _, _, s in cands]
    assert scores == sorted(scores, reverse=True)


def test_two_agreements_with_one_acronym_are_ambiguous(table: pd.DataFrame) -> None:
    with pytest.raises(AmbiguousNameError) as info:
        resolve("gcc", table)
    assert {c[0] for c in info.value.candidates} == {"tota:15", "tota:267"}


def test_unknown_name_lists_the_closest(table: pd.DataFrame) -> None:
    with pytest.raises(NotFoundError, match="closest: .*tota:"):
        resolve("xyzzy qwerty", table)
    with pytest.raises(NotFoundError):
        resolve("   ", table)
    with pytest.raises(NotFoundError):
        resolve("nafta", table.iloc[0:0])


def test_resolve_many_keeps_order(table: pd.DataFrame) -> None:
    assert resolve_many(["korus", "nafta", "tpp"], table) == ["tota:159", "tota:112", "tota:449"]


def test_index_is_built_once_per_table_content(table: pd.DataFrame) -> None:
    cat = load_catalog()
    first = _index_for(table, cat)
    assert _index_for(table.copy(), cat) is first
    changed = table.copy()
    changed.loc[0, "aliases"] = "my-own-alias"
    assert _index_for(changed, cat) is not first
    assert resolve("my own alias", changed) == changed.loc[0, "id"]


def test_curated_aliases_point_where_their_file_says(tota: dict[str, Agreement], table: pd.DataFrame) -> None:
    with (AGREEMENTS_DIR / "aliases.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 60
    # Aliases of texts beyond ToTA (cptpp) are checked on the whole corpus: test_cli_research_corpus.py.
    for row in (r for r in rows if r["id"].startswith("tota:")):
        assert tota[row["id"]].name == row["name"], row
        assert resolve(row["alias"], table) == row["id"], row


def test_normalize_makes_spellings_of_parties_meet() -> None:
    assert normalize("Korea, Republic of - US") == "korea us"
    assert normalize("China - Rep. of Korea") == "china korea"
    assert normalize("United States of America–Peru Free Trade Agreement") == "us peru"
    assert normalize("Côte d'Ivoire") == "cote divoire"
    assert normalize("free trade") == "free trade"  # nothing but stopwords: kept
    assert _key("us-korea") == _key("Korea, Republic of - United States")
    assert name_aliases("North American Free Trade Agreement (NAFTA)") == ("nafta",)
    assert name_aliases("China - Rep. of Korea") == ("china-korea",)
    assert name_aliases("Andean Community (CAN)") == ()  # CAN is Canada's code


# -- aliases and families -----------------------------------------------------------------------------


def test_generated_aliases(tota: dict[str, Agreement]) -> None:
    cat = load_catalog()
    assert "nafta" in cat.aliases_for(tota["tota:112"])
    assert {"us-peru", "peru-us"} <= set(cat.aliases_for(tota["tota:156"]))
    assert {"china-korea", "korea-china"} <= set(cat.aliases_for(tota["tota:398"]))
    # EU - Chile lists the 15 member states: the EU counts as one party.
    assert {"eu-chile", "chile-eu"} <= set(cat.aliases_for(tota["tota:29"]))
    assert {"efta-canada", "canada-efta"} <= set(cat.aliases_for(tota["tota:143"]))


def _family(tota: dict[str, Agreement], key: str) -> set[str]:
    cat = load_catalog()
    return {i for i, a in tota.items() if key in cat.families_for(a)}


def test_named_agreements_are_in_their_families(tota: dict[str, Agreement]) -> None:
    cat = load_catalog()
    assert {"us", "nafta", "apec"} <= set(cat.families_for(tota["tota:112"]))
    assert "eu" in cat.families_for(tota["tota:145"])
    assert {"china", "apec", "china-bri"} <= set(cat.families_for(tota["tota:384"]))
    assert "efta" in cat.families_for(tota["tota:39"])
    assert "apec" not in cat.families_for(tota["tota:38"])  # ASEAN-China: Cambodia, Laos, Myanmar
    assert "asean" in cat.families_for(tota["tota:38"])


def test_us_and_china_families_are_exactly_the_hand_checked_lists(tota: dict[str, Agreement]) -> None:
    # Checked by hand against the ToTA names: 14 US FTAs, CUSFTA, NAFTA, and TPP in two languages.
    us = {17, 23, 26, 37, 52, 53, 63, 112, 121, 156, 157, 158, 159, 186, 342, 449, 450}
    china = {7, 38, 50, 51, 127, 139, 141, 330, 336, 376, 384, 385, 389, 398, 403}
    assert _family(tota, "us") == {f"tota:{n}" for n in us}
    assert _family(tota, "china") == {f"tota:{n}" for n in china}
    assert _family(tota, "nafta") == {"tota:112", "tota:186"}


def test_eu_family_is_the_eu_named_agreements_plus_the_ec_conventions(tota: dict[str, Agreement]) -> None:
    by_name = {i for i, a in tota.items() if re.match(r"(EU|EC|EEC)\b", a.name)}
    conventions = {"tota:105", "tota:173", "tota:316", "tota:317", "tota:318", "tota:319", "tota:320"}
    assert _family(tota, "eu") == by_name | conventions
    assert 80 <= len(by_name | conventions) <= 90


def test_bloc_detection_without_names(tota: dict[str, Agreement]) -> None:
    cat = load_catalog()
    assert cat.blocs_in(tota["tota:16"]) == ("EU",)  # EU - Algeria lists the 25 of 2005
    assert cat.blocs_in(tota["tota:318"]) == ("EU",)  # Lomé I: the nine EC states among 55 parties
    assert "EU" not in cat.blocs_in(tota["tota:274"])  # Ireland - UK, 1965
    assert cat.blocs_in(tota["tota:371"]) == ("EFTA", "SACU")
    # Members of a bloc inside a wider plurilateral do not make it the bloc's agreement.
    assert "GCC" not in cat.blocs_in(tota["tota:14"])  # Pan-Arab FTA
    assert "SACU" not in cat.blocs_in(tota["tota:41"])  # SADC
    assert _family(tota, "gcc") == {"tota:15", "tota:267", "tota:331", "tota:443"}
    assert _family(tota, "sacu") == {"tota:6", "tota:371", "tota:409"}


def test_collapse_parties(tota: dict[str, Agreement]) -> None:
    cat = load_catalog()
    assert cat.collapse_parties(tota["tota:16"]) == ("DZA", "EU")
    assert cat.collapse_parties(tota["tota:11"]) == ("ALB", "EU")  # current parties add BGR, HRV, ROU
    assert cat.collapse_parties(tota["tota:60"]) == ("EU", "HRV")  # Croatia joined later, yet is the partner
    assert cat.collapse_parties(tota["tota:38"]) == ("ASEAN", "CHN")
    assert cat.collapse_parties(tota["tota:112"]) == ("CAN", "MEX", "USA")


def test_family_rules_work_with_bloc_codes() -> None:
    cat = load_catalog()
    eu_japan = Agreement(
        id="file:x", name="EU-Japan EPA", parties=("EU", "JPN"), date_signed=dt.date(2018, 7, 17)
    )
    fams = cat.families_for(eu_japan)
    assert "eu" in fams and "apec" not in fams and "china" not in fams
    assert "bri-partner" in fams  # through member states such as Hungary
    assert cat.collapse_parties(eu_japan) == ("EU", "JPN")
    assert {"eu-japan", "japan-eu"} <= set(cat.aliases_for(eu_japan))
    georgia = Agreement(
        id="file:y", name="Georgia - China", parties=("CHN", "GEO"), date_signed=dt.date(2017, 5, 13)
    )
    assert set(cat.families_for(georgia)) == {"china", "bri-partner", "china-bri"}


def test_family_sizes_over_tota(tota: dict[str, Agreement]) -> None:
    sizes = family_counts(tota.values())
    assert list(sizes) == list(load_catalog().families)  # every family, in file order
    assert sizes["us"] == 17 and sizes["china"] == 15 and sizes["nafta"] == 2
    # Hand-checked: 37 "EFTA - ..." names, the EFTA Convention, its Iceland accession, the EEA.
    assert sizes["efta"] == 40
    assert 50 <= sizes["apec"] <= 70
    assert sizes["asean"] == 6
    assert sizes["china-bri"] == 9
    assert 380 <= sizes["bri-partner"] <= 430


# -- blocs --------------------------------------------------------------------------------------------


def _reference_members(bloc: str, date: dt.date) -> set[str]:
    """Membership read straight from blocs.csv, the obvious way."""
    out = set()
    with (AGREEMENTS_DIR / "blocs.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["bloc"] != bloc:
                continue
            joined = dt.date.fromisoformat(row["joined"])
            left = dt.date.fromisoformat(row["left"]) if row["left"] else None
            if joined <= date and (left is None or date <= left):
                out.add(row["iso3"])
    return out


@settings(max_examples=200, deadline=None)
@given(
    bloc=st.sampled_from(["EU", "EFTA", "ASEAN", "MERCOSUR", "EAEU", "ANDEAN", "CARICOM"]),
    date=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 1, 1)),
)
def test_expand_matches_the_csv(bloc: str, date: dt.date) -> None:
    cat = load_catalog()
    assert cat.expand_parties([bloc, "CHN"], date) == _reference_members(bloc, date) | {"CHN"}


def test_eu_membership_over_time() -> None:
    cat = load_catalog()

    def eu(d: dt.date | None) -> set[str]:
        return cat.expand_parties(["EU"], d)

    assert len(eu(dt.date(1995, 1, 1))) == 15
    assert len(eu(dt.date(2004, 4, 30))) == 15
    assert len(eu(dt.date(2004, 5, 1))) == 25
    assert len(eu(dt.date(2007, 1, 1))) == 27
    assert len(eu(dt.date(2013, 7, 1))) == 28
    assert "GBR" in eu(dt.date(2020, 1, 31))
    assert "GBR" not in eu(dt.date(2020, 2, 1))
    assert eu(None) == eu(dt.date(2024, 1, 1)) and len(eu(None)) == 27
    assert cat.blocs["EU"].members == tuple(sorted(eu(None)))
    assert cat.bloc_of("GBR", dt.date(1965, 1, 1)) == ("EFTA",)
    assert cat.bloc_of("GBR", dt.date(2019, 1, 1)) == ("EU",)
    assert cat.bloc_of("GBR") == ()
    assert cat.bloc_of("FIN", dt.date(1990, 1, 1)) == ("EFTA",)


def test_catalog_files_are_consistent() -> None:
    cat = load_catalog()
    assert len(cat.apec) == 21 and {"TWN", "HKG", "CHN", "USA", "RUS"} <= cat.apec
    assert cat.apec <= set(cat.countries)
    # A bloc code that is also a country code would be read as the country.
    assert not set(cat.blocs) & set(cat.countries)
    for bloc in cat.blocs.values():
        assert set(bloc.members) <= set(cat.countries), bloc.code
    assert cat.short_name("USA") == "us" and cat.short_name("EU") == "eu"


# -- Belt and Road partners ---------------------------------------------------------------------------


def test_bri_partners_from_the_shared_metadata(metadata_dir: Path) -> None:
    cat = load_catalog(metadata_dir)
    assert cat.bri_source == metadata_dir / "bri-partners.csv"
    assert len(cat.bri_partners) == 139
    assert {"PAK", "KAZ", "NZL", "HUN"} <= cat.bri_partners
    # China itself, "unclear" (Russia, Austria) and "withdrawn-YEAR" (Italy, Panama) are not partners.
    assert not {"CHN", "RUS", "AUT", "ITA", "PAN"} & cat.bri_partners


def test_bri_fallback_and_custom_lists(metadata_dir: Path, tmp_path: Path) -> None:
    fallback = load_catalog(tmp_path)  # no bri-partners.csv there
    assert fallback.bri_source == AGREEMENTS_DIR / "bri-partners.csv"
    assert fallback.bri_partners == load_catalog(metadata_dir).bri_partners
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "bri-partners.csv").write_text(
        "iso3,region,status\nCHN,x,member\nPAK,x,member\nITA,x,withdrawn-2023\nRUS,x,unclear\n",
        encoding="utf-8",
    )
    cat = load_catalog(custom)
    assert cat.bri_partners == {"PAK"}
    assert cat.digest != fallback.digest


def test_metadata_env_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bri-partners.csv").write_text("iso3,status\nGEO,member\n", encoding="utf-8")
    monkeypatch.setenv("RULECOMPARE_METADATA", str(tmp_path))
    assert load_catalog().bri_partners == {"GEO"}


# -- the one country table ------------------------------------------------------------------------------

_HEADER = "iso3,iso_numeric,short,name,wto_names,text_names\n"


def test_one_country_table_serves_every_source() -> None:
    countries = load_countries()
    kor = countries["KOR"]
    assert (kor.short, kor.name, kor.iso_numeric) == ("korea", "South Korea", 410)
    assert kor.wto_names == ("Korea, Republic of",)
    assert "República de Corea" in kor.text_names
    # Short names are normalized like agreement names, so party aliases meet name aliases.
    assert countries["BIH"].short == "bosnia-herzegovina" and countries["USA"].short == "us"
    # The EU has a row for the names texts give it, but it is a bloc, not one of the catalog's countries.
    assert "European Union" in countries["EU"].text_names
    cat = load_catalog()
    assert "EU" not in cat.countries and set(cat.countries) == set(countries) - {"EU"}
    # Codes of entities ISO no longer lists: ToTA's, and the WTO list's and DESTA's.
    assert {"YUG", "ANT", "RKS", "CSK", "DDR", "SUN", "SCG", "XKX", "YMD"} <= set(countries)
    assert countries["XKX"].wto_names == ("Kosovo", "Kosovo (under UNSC res. 1244)")
    # No second copy of the table is left in the package.
    assert not list((AGREEMENTS_DIR.parent / "rulecompare" / "data").glob("countries*"))


def test_every_catalog_code_is_in_the_country_table() -> None:
    cat = load_catalog()
    codes = set(load_countries())
    assert cat.apec <= codes and cat.bri_partners <= codes
    for bloc in cat.blocs.values():
        assert {m.iso3 for m in bloc.memberships} <= codes, bloc.code


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("KOR,410,korea,Korea,,\nKOR,410,korea,Korea,,\n", r"countries.csv:3: KOR is listed twice"),
        (
            "KOR,410,korea,Korea,K,\nPRK,408,north-korea,North Korea,K,\n",
            r"WTO name 'K' belongs to both KOR and PRK",
        ),
        (
            "KOR,410,korea,Korea,,\nPRK,410,north-korea,North Korea,,\n",
            r"numeric code 410 belongs to both KOR and PRK",
        ),
        (
            "KOR,,korea,Korea,,Korea\nPRK,,north-korea,North Korea,,KOREA\n",
            r"text name 'korea' belongs to both",
        ),
        ("K0R,410,korea,Korea,,\n", r"countries.csv:2: 'K0R' is not a party code"),
        ("KOR,x10,korea,Korea,,\n", r"iso_numeric 'x10' is not a number"),
        ("KOR,410,,Korea,,\n", r"KOR needs a short name and a name"),
    ],
)
def test_country_table_mistakes_are_named(tmp_path: Path, rows: str, message: str) -> None:
    table = tmp_path / "countries.csv"
    table.write_text(_HEADER + rows, encoding="utf-8")
    with pytest.raises(RulecompareError, match=message):
        read_country_table(table)
    table.write_text("iso3,short,name\nKOR,korea,Korea\n", encoding="utf-8")
    with pytest.raises(
        RulecompareError, match=r"missing columns \['iso_numeric', 'wto_names', 'text_names'\]"
    ):
        read_country_table(table)
