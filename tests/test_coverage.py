"""Coverage overlap of the spaghetti bowl: constructed RTA lists with known answers, then the WTO list."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from rulecompare import paths
from rulecompare.errors import RulecompareError
from rulecompare.metrics.coverage import (
    country_coverage,
    coverage_summary,
    load_desta,
    load_wto_rtas,
    pair_coverage,
)

COLUMNS = [
    "RTA ID",
    "RTA Name",
    "Coverage",
    "Type",
    "Notification",
    "Status",
    "Date of Signature (G)",
    "Date of Signature (S)",
    "Date of Notification (G)",
    "Date of Notification (S)",
    "Date of Entry into Force (G)",
    "Date of Entry into Force (S)",
    "Inactive Date",
    "Accession?",
    "RTA Composition",
    "Region",
    "Cross-regional",
    "All Parties WTO members?",
    "Current signatories",
    "Original signatories",
    "Specific Entry/Exit dates",
    "WTO Consideration Process (G)",
    "Consideration Date (G)",
    "WTO Consideration Process (S)",
    "Consideration Date (S)",
    "End of implementation period (G)",
    "End of implementation period (S)",
    "Remarks",
]


def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "rtas.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return path


def _rta(
    rta_id: int,
    name: str,
    parties: str,
    *,
    status: str = "In Force",
    eif: str = "01-Jan-05",
    inactive: str = "",
    accession: str = "No",
    original: str | None = None,
    specific: str = "",
) -> dict[str, str]:
    return {
        "RTA ID": str(rta_id),
        "RTA Name": name,
        "Status": status,
        "Date of Entry into Force (G)": eif,
        "Inactive Date": inactive,
        "Accession?": accession,
        "Current signatories": parties,
        "Original signatories": original if original is not None else parties,
        "Specific Entry/Exit dates": specific,
    }


@pytest.fixture()
def constructed(tmp_path: Path) -> Path:
    return _write(
        tmp_path,
        [
            _rta(1, "Chile - Peru", "Chile; Peru", eif="01-Mar-09"),
            _rta(2, "Pacific Trio", "Chile; Peru; Mexico"),
            _rta(3, "EFTA - Chile", "Chile; European Free Trade Association (EFTA)"),
            _rta(4, "EU - Chile", "European Union; Chile", eif="01-Feb-03"),
            _rta(
                5, "France - Chile", "France; Chile", eif="01-Jan-70", inactive="31-Dec-02", status="Inactive"
            ),
            _rta(6, "EU - Andes", "European Union; Peru; Colombia"),
            _rta(
                7,
                "EU - Andes - Accession of Ecuador",
                "European Union; Peru; Colombia; Ecuador",
                accession="Yes",
                eif="01-Jan-17",
            ),
            _rta(8, "Chile - Mexico", "Chile; Mexico", status="Early announcement-Under negotiation", eif=""),
            _rta(9, "EC (25) Enlargement", "France; Germany; Poland", accession="Yes", eif="01-May-04"),
            _rta(10, "Peru - Mexico", "Peru; Mexico", specific="Mexico(01-Jan-9999 - )"),
        ],
    )


def _pairs(path: Path, as_of: int | None = None) -> dict[tuple[str, str], int]:
    frame = pair_coverage(load_wto_rtas(path), as_of)
    return {(a, b): n for a, b, n in zip(frame["iso_a"], frame["iso_b"], frame["n_agreements"], strict=True)}


def test_load_wto_rtas_parses_names_blocs_and_dates(constructed: Path) -> None:
    rtas = load_wto_rtas(constructed).set_index("rta_id")
    assert rtas.attrs["unmapped"] == []
    assert rtas.loc[3, "parties"] == ("CHL", "EFTA") and rtas.loc[3, "blocs"] == ("EFTA",)
    assert rtas.loc[5, "date_in_force"] == dt.date(1970, 1, 1)  # 70 -> 1970, not 2070
    assert rtas.loc[5, "date_inactive"] == dt.date(2002, 12, 31)
    assert rtas.loc[7, "base_id"] == 6 and bool(rtas.loc[7, "accession"])
    assert rtas.loc[10, "party_dates"] == {"MEX": (dt.date(9999, 1, 1), None)}


def test_pairs_current(constructed: Path) -> None:
    pairs = _pairs(constructed)
    assert pairs == {
        ("CHL", "PER"): 2,  # Chile - Peru and the trio
        ("CHL", "MEX"): 1,  # the trio; the negotiation does not count
        ("MEX", "PER"): 1,  # the trio; Peru - Mexico not yet in force for Mexico
        # EFTA members, not each other
        ("CHE", "CHL"): 1,
        ("CHL", "ISL"): 1,
        ("CHL", "LIE"): 1,
        ("CHL", "NOR"): 1,
        ("CHL", "EU"): 1,  # one relationship, not 27; France - Chile is inactive
        ("EU", "PER"): 1,
        ("COL", "EU"): 1,
        ("ECU", "EU"): 1,  # hub and spoke, accession merged into its base
    }


def test_pairs_as_of_a_year(constructed: Path) -> None:
    # 2001: only France - Chile (1970-2002) is in force, and France is folded into the EU
    assert _pairs(constructed, as_of=2001) == {("CHL", "EU"): 1}
    in_2010 = _pairs(constructed, as_of=2010)
    assert in_2010[("CHL", "PER")] == 2 and in_2010[("CHL", "EU")] == 1
    assert ("ECU", "EU") not in in_2010  # Ecuador acceded in 2017


def test_country_coverage_constructed(constructed: Path) -> None:
    table = country_coverage(load_wto_rtas(constructed)).set_index("iso3")
    chile = table.loc["CHL"]
    assert chile["n_agreements"] == 4  # Chile - Peru, trio, EFTA - Chile, EU - Chile
    assert chile["n_partners"] == 7  # PER, MEX, CHE, ISL, LIE, NOR, EU
    assert chile["n_partners_multi"] == 1
    assert chile["share_multi"] == pytest.approx(1 / 7)
    assert table.loc["EU", "n_agreements"] == 2 and table.loc["EU", "n_partners"] == 4
    assert "FRA" not in table.index and "POL" not in table.index
    summary = coverage_summary(pair_coverage(load_wto_rtas(constructed)))
    assert summary["n_relationships"] == 11 and summary["n_multi"] == 1


def test_real_wto_list(metadata_dir: Path) -> None:
    rtas = load_wto_rtas(metadata_dir / "wto-rta-all.csv")
    assert len(rtas) == 655 and rtas.attrs["unmapped"] == []
    pairs = pair_coverage(rtas)
    summary = coverage_summary(pairs)
    # The literature's "about one relationship in five" covered by more than one PTA
    assert 0.15 <= summary["share_multi"] <= 0.35
    countries = country_coverage(rtas)
    top_count = list(countries["iso3"].head(10))
    assert "CHL" in top_count and "SGP" in top_count
    busy = countries[countries["n_partners"] >= 30].sort_values("share_multi", ascending=False)
    assert {"CHL", "SGP"} <= set(busy["iso3"].head(len(busy) // 2))
    eu = countries.set_index("iso3").loc["EU"]
    assert eu["n_agreements"] >= 40
    assert not set(countries["iso3"]) & {"FRA", "DEU", "ITA"}
    # coverage grows as agreements multiply
    assert coverage_summary(pair_coverage(rtas, as_of=2000))["share_multi"] < summary["share_multi"]


def test_desta_loads_with_iso3_parties(metadata_dir: Path) -> None:
    desta = load_desta(metadata_dir / "desta-list.csv")
    assert desta.attrs["unmapped"] == []
    first = desta.set_index("agreement_id").loc["desta:1"]
    assert set(first["parties"]) == {"AFG", "IND"}
    pairs = pair_coverage(desta, as_of=2020)
    assert (pairs["iso_a"] < pairs["iso_b"]).all()


def test_wto_spellings_and_desta_numbers_come_from_the_country_table(tmp_path: Path) -> None:
    wto = _write(
        tmp_path,
        [_rta(1, "Korea - Kosovo - Atlantis", "Korea, Republic of; Kosovo (under UNSC res. 1244); Atlantis")],
    )
    rtas = load_wto_rtas(wto)
    assert rtas.loc[0, "parties"] == ("KOR", "XKX")
    assert rtas.attrs["unmapped"] == ["Atlantis"]
    desta = tmp_path / "desta.csv"
    desta.write_text(
        "number;name;entry_type;base_treaty;entryforceyear;c1;c2;c3\n"
        "1;Korea - Germany - Nowhere;base_treaty;NA;2001;410;276;999\n",
        encoding="utf-8",
    )
    table = load_desta(desta)
    assert table.loc[0, "parties"] == ("KOR", "DEU")
    assert table.attrs["unmapped"] == ["999"]


def test_lists_found_through_the_shared_metadata_lookup(
    tmp_path: Path, constructed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in (paths.METADATA_ENV, paths.SHARED_ENV):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "_CHECKOUT", tmp_path / "nowhere" / "checkout")
    with pytest.raises(
        RulecompareError, match=r"wto-rta-all.csv not found \(looked in .*RULECOMPARE_METADATA"
    ):
        load_wto_rtas()
    # A metadata folder without the list does not hide one that has it further down the order.
    (tmp_path / "empty").mkdir()
    shared = tmp_path / "shared"
    (shared / "metadata").mkdir(parents=True)
    (shared / "metadata" / "wto-rta-all.csv").write_bytes(constructed.read_bytes())
    monkeypatch.setenv(paths.METADATA_ENV, str(tmp_path / "empty"))
    monkeypatch.setenv(paths.SHARED_ENV, str(shared))
    rtas = load_wto_rtas()
    assert rtas.attrs["source"] == str(shared / "metadata" / "wto-rta-all.csv")
    assert len(rtas) == len(load_wto_rtas(constructed))
