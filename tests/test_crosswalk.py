"""The DESTA crosswalk: scoring on hand-made lists, and known links on the real corpus and DESTA list."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import copy_store
from typer.testing import CliRunner

from rulecompare.catalog import (
    DestaLink,
    DestaTreaty,
    crosswalk,
    crosswalk_frame,
    load_catalog,
    load_desta_treaties,
)
from rulecompare.cli import app
from rulecompare.errors import RulecompareError
from rulecompare.model import Agreement
from rulecompare.parsers.tota import parse_tota
from rulecompare.store import Store

EU15 = frozenset("AUT BEL DEU DNK ESP FIN FRA GBR GRC IRL ITA LUX NLD PRT SWE".split())
"""The EU's members from 1995 to April 2004."""


def treaty(
    number: str,
    name: str,
    year: int | None,
    parties: frozenset[str] | set[str],
    *,
    kind: str = "base_treaty",
    wto_name: str = "",
) -> DestaTreaty:
    return DestaTreaty(
        number=number,
        base_treaty=number.rstrip("a").split("+")[0],
        name=name,
        entry_type=kind,
        year=year,
        entry_force_year=None,
        wto_name=wto_name,
        parties=frozenset(parties),
    )


def agreement(
    aid: str, name: str, parties: set[str] | frozenset[str], year: int, wto_rta_id: int | None = None
) -> Agreement:
    return Agreement(
        id=aid,
        name=name,
        parties=tuple(sorted(parties)),
        date_signed=dt.date(year, 6, 1),
        wto_rta_id=wto_rta_id,
    )


def link(a: Agreement, treaties: list[DestaTreaty], wto: dict[str, int] | None = None) -> DestaLink:
    return crosswalk([a], treaties=treaties, wto_names=wto or {}, catalog=load_catalog())[0]


# -- scoring on hand-made lists ------------------------------------------------------------------


def test_parties_year_and_name_agree() -> None:
    got = link(
        agreement("t:1", "US - Peru", {"USA", "PER"}, 2006),
        [
            treaty("645", "Peru US", 2006, {"PER", "USA"}),
            treaty("100", "Colombia US", 2006, {"COL", "USA"}),
            treaty("101", "Peru US", 1990, {"PER", "USA"}),
        ],
    )
    assert (got.status, got.desta_id, got.confidence) == ("matched", "645", 1.0)
    assert got.reason.startswith("645 'Peru US' (2006): parties 2/2, years 0 apart")
    assert got.candidates == ("645",)


def test_eu_member_lists_are_folded_into_the_eu() -> None:
    # Unfolded, EU-Mexico (15 members + Mexico) shares 15 of 16 parties with the Treaty of Amsterdam
    # and would take it; folded it is {EU, MEX} against {EU}.
    eu_mexico = agreement("t:65", "EU - Mexico", EU15 | {"MEX"}, 1997)
    got = link(
        eu_mexico,
        [treaty("300", "EC Amsterdam", 1997, EU15), treaty("330", "EC Mexico", 2000, EU15 | {"MEX"})],
    )
    assert got.status == "matched" and got.desta_id == "330"
    assert "parties 2/2" in got.reason


def test_a_file_naming_the_eu_as_a_bloc_meets_desta_listing_its_members() -> None:
    eu28 = load_catalog().blocs["EU"].members_at(dt.date(2016, 6, 1))
    ceta = agreement("file:ceta", "Comprehensive Economic and Trade Agreement (CETA)", {"CAN", "EU"}, 2016)
    got = link(ceta, [treaty("848", "Canada EC (CETA)", 2016, eu28 | {"CAN"})])
    assert got.desta_id == "848"


def test_a_score_of_exactly_min_confidence_is_a_match_despite_float_rounding() -> None:
    # CETA as the corpus manifest stores it, with no date: all parties, an unknown year (0.5) and a
    # quarter of the name words give 0.45 + 0.125 + 0.075 = 0.65 on paper, 0.6499999... in floats.
    eu28 = load_catalog().blocs["EU"].members_at(dt.date(2016, 6, 1))
    ceta = Agreement(
        id="file:ceta", name="Comprehensive Economic and Trade Agreement (CETA)", parties=("CAN", "EU")
    )
    got = link(ceta, [treaty("848", "Canada EC (CETA)", 2016, eu28 | {"CAN"})])
    assert 0.45 * 1.0 + 0.25 * 0.5 + 0.30 * 0.25 < 0.65  # the rounding this test is about
    assert (got.status, got.desta_id, got.confidence) == ("matched", "848", 0.65)
    assert "year unknown" in got.reason


def test_a_tie_is_reported_as_ambiguous_never_picked() -> None:
    g3 = {"COL", "MEX", "VEN"}
    got = link(
        agreement("t:381", "Colombia - Mexico", {"COL", "MEX"}, 1994),
        [treaty("464", "Group of Three", 1994, g3, wto_name="Colombia Mexico"),
         treaty("908", "Colombia Mexico Venezuela", 1994, g3, wto_name="Colombia Mexico")],
    )  # fmt: skip
    assert got.status == "ambiguous" and got.desta_id is None
    assert set(got.candidates) == {"464", "908"}
    assert "within" in got.reason


def test_unmatched_names_the_best_candidate_and_its_score() -> None:
    got = link(
        agreement("t:30", "Turkey - Palestinian Authority", {"TUR", "PSE"}, 2004),
        [treaty("626", "Morocco Turkey", 2004, {"MAR", "TUR"})],
    )
    assert got.status == "unmatched" and got.desta_id is None
    assert got.reason.startswith("best candidate 626 'Morocco Turkey'")
    assert 0 < got.confidence < 0.65


def test_no_candidate_at_all_has_nan_confidence_not_zero() -> None:
    got = link(
        agreement("f:gatt", "GATT 1947", {"WTO"}, 1947),
        [treaty("1", "Afghanistan India", 2003, {"AFG", "IND"})],
    )
    assert got.status == "unmatched"
    assert math.isnan(got.confidence)
    assert "no DESTA treaty" in got.reason


def test_a_consolidated_text_gives_way_to_the_text_it_consolidates() -> None:
    cefta = {"ALB", "BIH", "HRV", "MDA", "MKD", "MNE", "SRB"}
    name = "Central European Free Trade Agreement (CEFTA)"
    rows = [
        treaty("192", name, 1992, {"CZE", "HUN", "POL", "SVK"}),
        treaty("193", name, 2006, cefta, kind="protocol or amendment"),
        treaty("193a", name, 2006, cefta, kind="consolidated"),
    ]
    got = link(agreement("t:4", f"{name} 2006", cefta, 2006), rows)
    assert (got.status, got.desta_id) == ("matched", "193")


def test_an_accession_is_chosen_only_when_the_name_says_so() -> None:
    founders = {"BLR", "KAZ", "RUS"}
    rows = [
        treaty("1040", "Eurasian Economic Union (EAEU)", 2014, founders),
        treaty(
            "1040+1",
            "Eurasian Economic Union (EAEU) Armenia accession",
            2014,
            founders | {"ARM"},
            kind="accession",
        ),
    ]
    base = agreement("t:440", "Eurasian Economic Union (EAEU)", founders, 2014)
    joining = agreement(
        "t:441", "Eurasian Economic Union (EAEU) - Accession of Armenia", founders | {"ARM"}, 2014
    )
    assert link(base, rows).desta_id == "1040"
    assert link(joining, rows).desta_id == "1040+1"


def test_a_negotiation_is_never_a_match_but_is_named() -> None:
    rows = [
        treaty("940", "India Thailand", None, {"IND", "THA"}, kind="negotiation"),
        treaty("1", "Afghanistan India", 2003, {"AFG", "IND"}),
    ]
    got = link(agreement("t:435", "India - Thailand", {"IND", "THA"}, 2003), rows)
    assert got.status == "unmatched"
    assert "940 'India Thailand' only as a negotiation" in got.reason


def test_wto_id_comes_from_the_store_else_from_desta_wto_name() -> None:
    rows = [treaty("990", "China Georgia", 2017, {"CHN", "GEO"}, wto_name="China Georgia")]
    wto = {"china georgia": 991}
    from_desta = link(
        agreement("f:cg", "Free Trade Agreement between Georgia and China", {"CHN", "GEO"}, 2017), rows, wto
    )
    assert from_desta.wto_rta_id == 991
    kept = link(agreement("t:x", "China - Georgia", {"CHN", "GEO"}, 2017, wto_rta_id=5), rows, wto)
    assert kept.wto_rta_id == 5


def test_frame_has_one_row_per_agreement_and_na_for_missing() -> None:
    rows = [treaty("645", "Peru US", 2006, {"PER", "USA"})]
    agreements = [
        agreement("t:1", "US - Peru", {"USA", "PER"}, 2006),
        agreement("t:2", "Japan - Thailand", {"JPN", "THA"}, 2007),
    ]
    df = crosswalk_frame(agreements, treaties=rows, wto_names={}, catalog=load_catalog())
    assert list(df["agreement_id"]) == ["t:1", "t:2"]
    assert df.loc[0, "desta_id"] == "645" and pd.isna(df.loc[1, "desta_id"])
    assert pd.isna(df.loc[1, "confidence"]) and df.loc[1, "status"] == "unmatched"


def test_reading_a_desta_file(tmp_path: Path) -> None:
    file = tmp_path / "desta-list.csv"
    header = '"number";"base_treaty";"name";"entry_type";"year";"entryforceyear";"wto_name";"c1";"c2";"c3"'
    file.write_text(
        header + '\n"645";645;"Peru US";"base_treaty";2006;2009;"US Peru";604;840;NA\n'
        '"267+1";267;"Cuba MERCOSUR Venezuela accession";"accession";2006;NA;NA;192;862;NA\n'
    )
    peru_us, accession = load_desta_treaties(file)
    assert peru_us == DestaTreaty(
        number="645", base_treaty="645", name="Peru US", entry_type="base_treaty", year=2006,
        entry_force_year=2009, wto_name="US Peru", parties=frozenset({"PER", "USA"}),
    )  # fmt: skip
    assert accession.number == "267+1" and accession.entry_force_year is None and accession.wto_name == ""
    file.write_text(header + '\n"1";1;"X";"base_treaty";2000;2000;NA;4;99999;NA\n')
    with pytest.raises(RulecompareError, match=r"desta-list.csv:2: party code 99999"):
        load_desta_treaties(file)


# -- the real DESTA list, corpus and CLI -----------------------------------------------------------

KNOWN_LINKS = {
    "tota:112": "636",  # NAFTA
    "tota:449": "899",  # TPP (English)
    "tota:450": "899",  # TPP (Spanish)
    "tota:145": "815",  # EU - Korea
    "tota:38": "67",  # ASEAN - China
    "tota:156": "645",  # US - Peru
    "tota:159": "551",  # KORUS
    "tota:398": "909",  # China - Korea
    "tota:65": "330",  # EU - Mexico
    "tota:7": "199",  # Chile - China
    "tota:58": "396",  # EFTA - Singapore
    "tota:37": "84",  # US - Australia
    "tota:8": "679",  # Trans-Pacific Strategic EPA (P4)
}
CPTPP = ("AUS", "BRN", "CAN", "CHL", "JPN", "MYS", "MEX", "NZL", "PER", "SGP", "VNM")
FILE_LINKS = [  # (id, name, parties, year) as the corpus manifest gives them, and the DESTA number
    (
        "file:eu-canada-ceta-2016",
        "Comprehensive Economic and Trade Agreement (CETA)",
        ("CAN", "EU"),
        2016,
        "848",
    ),
    (
        "file:china-georgia-2017",
        "Free Trade Agreement between Georgia and China",
        ("CHN", "GEO"),
        2017,
        "990",
    ),
    (
        "file:cptpp-2018",
        "Comprehensive and Progressive Agreement for Trans-Pacific Partnership",
        CPTPP,
        2018,
        "989",
    ),
]
ABSENT_FROM_DESTA = {
    "tota:30", "tota:92", "tota:102",  # the Palestinian Authority's agreements: DESTA has none
    "tota:175",  # Borneo Free Trade Area (1961)
    "tota:332", "tota:391", "tota:448",  # EU interim EPAs with ESA, Cameroon, Ghana
    "tota:403",  # ECFA (China - Chinese Taipei)
    "tota:435",  # India - Thailand: a negotiation in DESTA
}  # fmt: skip
"""ToTA agreements checked by hand against desta-list.csv and not in it."""


@pytest.fixture(scope="module")
def real_treaties(metadata_dir: Path) -> tuple[DestaTreaty, ...]:
    return load_desta_treaties(metadata_dir / "desta-list.csv")


@pytest.mark.corpus
def test_known_links(tota_dir: Path, real_treaties: tuple[DestaTreaty, ...]) -> None:
    records = [
        parse_tota(tota_dir / f"pta_{aid.split(':')[1]}.xml", classify=lambda *_: "x").agreement
        for aid in KNOWN_LINKS
    ]
    records += [
        Agreement(id=aid, name=name, parties=parties, date_signed=dt.date(year, 1, 1))
        for aid, name, parties, year, _ in FILE_LINKS
    ]
    want = KNOWN_LINKS | {row[0]: row[-1] for row in FILE_LINKS}
    links = crosswalk(records, treaties=real_treaties, wto_names={})
    got = {x.agreement_id: x.desta_id for x in links}
    assert got == want
    assert all(x.confidence >= 0.75 for x in links)


@pytest.mark.corpus
def test_undated_manifest_texts_scoring_exactly_min_confidence_are_linked(
    real_treaties: tuple[DestaTreaty, ...],
) -> None:
    # The manifest's year is stored as an unknown date, so these two score 0.65 exactly (0.6499999...
    # in floats); they were left unmatched before the comparison allowed for the rounding.
    records = [
        Agreement(id="file:eu-canada-ceta-2016", name="Comprehensive Economic and Trade Agreement (CETA)",
                  parties=("CAN", "EU")),
        Agreement(id="file:colombia-mercosur-2017",
                  name="Acuerdo de Complementacion Economica Colombia-MERCOSUR (ACE 72)",
                  parties=("ARG", "BRA", "COL", "PRY", "URY")),
    ]  # fmt: skip
    links = crosswalk(records, treaties=real_treaties, wto_names={})
    assert [(x.status, x.desta_id, x.confidence) for x in links] == [
        ("matched", "848", 0.65),
        ("matched", "996", 0.65),
    ]


@pytest.mark.corpus
def test_tota_coverage(tota_store: Store, real_treaties: tuple[DestaTreaty, ...]) -> None:
    df = crosswalk_frame(tota_store.agreements(), treaties=real_treaties, wto_names={})
    in_desta = df[~df["agreement_id"].isin(ABSENT_FROM_DESTA)]
    assert (in_desta["status"] == "matched").mean() >= 0.95
    absent = df[df["agreement_id"].isin(ABSENT_FROM_DESTA)]
    assert (absent["status"] == "unmatched").all(), absent[["agreement_id", "desta_id", "reason"]]


@pytest.mark.corpus
def test_cli_list_and_report(
    tota_records_db: Path, metadata_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = copy_store(tota_records_db, tmp_path / "copy.db")
    monkeypatch.setenv("RULECOMPARE_METADATA", str(metadata_dir))
    runner = CliRunner()
    listed = runner.invoke(app, ["list", "--db", str(db), "-f", "csv", "--family", "nafta"])
    assert listed.exit_code == 0, listed.output
    rows = pd.read_csv(io.StringIO(listed.stdout), dtype=str)
    assert rows.loc[rows["id"] == "tota:112", "desta_id"].tolist() == ["636"]
    report = runner.invoke(app, ["crosswalk", "--db", str(db), "--report", "-f", "csv"])
    assert report.exit_code == 0, report.output
    left = pd.read_csv(io.StringIO(report.stdout), dtype=str)
    assert set(left["status"]) <= {"ambiguous", "unmatched"}
    assert ABSENT_FROM_DESTA <= set(left["agreement_id"])
    assert "tota:112" not in set(left["agreement_id"])
    with Store(db, readonly=True) as store:  # the second call is served from the cache
        assert store.cache_get_many([]) == {}
        assert (
            store.db.execute("SELECT count(*) FROM cache WHERE key = 'crosswalk|desta|'").fetchone()[0] == 1
        )
