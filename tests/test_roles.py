"""Agreement roles: scopes, succession, complements, amendments, dates, duplicates and text flags.

Constructed lists and stores with known answers first, then the real WTO list
and corpus for the artefacts the roles exist to remove (SAPTA beside SAFTA,
a CIS services agreement beside the CIS FTA, Canada - Ukraine stored twice).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import copy_store
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rulecompare.catalog import load_catalog
from rulecompare.catalog.completeness import PEER_YEARS, SHORT_SHARE, _peer_flags, _peer_masks, text_flags
from rulecompare.catalog.roles import NO_ROLES, Role, Roles, load_roles, read_roles, scope_from_card
from rulecompare.catalog.standing import Selection, annotate, parse_include, regimes
from rulecompare.catalog.stored import stored_texts
from rulecompare.errors import RulecompareError
from rulecompare.metrics.coverage import country_coverage, list_regimes, pair_coverage
from rulecompare.model import Agreement, Clause, ParsedAgreement
from rulecompare.store import Store

CATALOG = load_catalog()


# -- scopes off the WTO card ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "coverage", "scope"),
    [
        ("FTA & EIA", "Goods & Services", "comprehensive"),
        ("FTA", "Goods", "goods"),
        ("EIA", "Services", "services"),
        ("PSA", "Goods", "partial-scope"),
        ("PSA & EIA", "Goods & Services", "partial-scope"),
        ("CU & EIA", "Goods & Services", "customs-union"),
        ("Partial Scope Agreement", None, "partial-scope"),
        ("Customs Union", None, "customs-union"),
        ("Free Trade Agreement & Economic Integration Agreement", None, "comprehensive"),
        ("Free Trade Agreement", None, "goods"),
        ("Economic Integration Agreement", None, "services"),
        (None, None, None),
        ("", "", None),
    ],
)
def test_scope_from_card(kind: str | None, coverage: str | None, scope: str | None) -> None:
    assert scope_from_card(kind, coverage) == scope


# -- the roles file ---------------------------------------------------------------------------------

HEADER = "id,wto_rta_id,scope,in_force,inactive,supersedes,amends,replaces,incorporates,text,note\n"


def test_roles_file_reads_and_errors_name_the_line(tmp_path: Path) -> None:
    good = tmp_path / "roles.csv"
    good.write_text(
        HEADER
        + "wto:188,,,,,wto:124,,,,,SAFTA\n"
        + "file:x,77,services,2020-02-01,,,wto:5,,tota:1;tota:2,partial,\n",
        encoding="utf-8",
    )
    roles = read_roles(good)
    assert roles.get("wto:188") == Role("wto:188", supersedes=("wto:124",), note="SAFTA")
    x = roles.get("file:x")
    assert x is not None and x.wto_rta_id == 77 and x.scope == "services" and x.amends == "wto:5"
    assert (
        x.in_force == dt.date(2020, 2, 1) and x.incorporates == ("tota:1", "tota:2") and x.text == "partial"
    )
    assert roles.successors() == {"wto:124": ("wto:188",)}
    cases = {
        "tota:1,,deep,,,,,,,,\n": r"roles.csv:2: scope 'deep' is not one of comprehensive",
        "tota:1,,,2020-13-01,,,,,,,\n": r"roles.csv:2: '2020-13-01' is not an ISO date",
        "tota:1,,,,,,,,,,\ntota:1,,,,,,,,,,\n": r"roles.csv:3: tota:1 has a row already",
        "tota:1,,,,,tota:1,,,,,\n": r"roles.csv:2: tota:1 cannot supersede",
        "SAFTA,,,,,,,,,,\n": r"roles.csv:2: id 'SAFTA' is not an agreement id",
        "tota:1,,,,,,wto:2;wto:3,,,,\n": r"roles.csv:2: an agreement amends one agreement",
        "tota:1,x1,,,,,,,,,\n": r"roles.csv:2: wto_rta_id 'x1' is not a number",
    }
    for body, message in cases.items():
        bad = tmp_path / "roles.csv"
        bad.write_text(HEADER + body, encoding="utf-8")
        with pytest.raises(RulecompareError, match=message):
            read_roles(bad)


def test_shipped_roles_load_and_name_known_agreements() -> None:
    roles = load_roles()
    assert roles.successors()["wto:124"] == ("wto:188",)  # SAFTA supersedes SAPTA
    gatt = roles.get("file:gatt-1947")
    assert gatt is not None and gatt.scope == "multilateral" and gatt.inactive == dt.date(1995, 12, 31)
    us_chile = roles.get("tota:53")
    assert us_chile is not None and us_chile.text == "truncated"


def test_include_is_checked() -> None:
    assert parse_include("partial-scope, multilateral") == {"partial-scope", "multilateral"}
    assert parse_include(["services", "partial-scope"]) == {"services", "partial-scope"}
    with pytest.raises(RulecompareError, match="cannot include goods"):
        parse_include("goods")


# -- roles applied to a list ------------------------------------------------------------------------


def _row(
    rta_id: int,
    name: str,
    parties: tuple[str, ...],
    *,
    kind: str = "FTA",
    coverage: str = "Goods",
    status: str | None = "In Force",
    eif: dt.date | None = dt.date(2005, 1, 1),
    inactive: dt.date | None = None,
    base: int | None = None,
) -> dict[str, object]:
    return {
        "agreement_id": f"wto:{rta_id}",
        "rta_id": rta_id,
        "base_id": base if base is not None else rta_id,
        "name": name,
        "type": kind,
        "coverage": coverage,
        "status": status,
        "accession": base is not None,
        "date_signed": None,
        "date_in_force": eif,
        "date_inactive": inactive,
        "parties": parties,
        "parties_original": parties,
        "blocs": (),
        "party_dates": {},
        "date_precision": "day",
    }


def _pairs(
    frame: pd.DataFrame, roles: Roles = NO_ROLES, *, as_of: int | None = None, include: str | None = None
) -> dict[tuple[str, str], int]:
    table = pair_coverage(frame, as_of, include=include, roles=roles, catalog=CATALOG)
    rows = zip(table["iso_a"], table["iso_b"], table["n_agreements"], strict=True)
    return {(a, b): int(n) for a, b, n in rows}


SOUTH_ASIA = pd.DataFrame(
    [
        _row(124, "SAPTA", ("BGD", "IND", "NPL"), kind="PSA", eif=dt.date(1995, 12, 7)),
        _row(188, "SAFTA", ("BGD", "IND", "NPL", "AFG"), eif=dt.date(2006, 1, 1)),
        _row(562, "India - Nepal", ("IND", "NPL"), kind="PSA", eif=dt.date(2009, 10, 27)),
    ]
)
SAFTA_ROLES = Roles({"wto:188": Role("wto:188", supersedes=("wto:124",))})


def test_partial_scope_is_left_out_unless_included() -> None:
    default = _pairs(SOUTH_ASIA, SAFTA_ROLES)
    assert set(default.values()) == {1} and ("IND", "NPL") in default  # SAFTA alone
    included = _pairs(SOUTH_ASIA, SAFTA_ROLES, include="partial-scope")
    # SAPTA is superseded by SAFTA; India - Nepal is a second regime for that pair
    assert included[("IND", "NPL")] == 2 and included[("BGD", "IND")] == 1
    regimes_ = list_regimes(SOUTH_ASIA, include="partial-scope", catalog=CATALOG, roles=SAFTA_ROLES)
    assert "wto:124" not in regimes_.regimes
    dropped = regimes_.dropped.set_index("agreement_id")["reason"]
    assert dropped["wto:124"] == "superseded by wto:188"


def test_a_predecessor_counts_until_its_successor_is_in_force() -> None:
    before = _pairs(SOUTH_ASIA, SAFTA_ROLES, as_of=2004, include="partial-scope")
    assert before == {("BGD", "IND"): 1, ("BGD", "NPL"): 1, ("IND", "NPL"): 1}  # SAPTA only
    without_roles = _pairs(SOUTH_ASIA, NO_ROLES, include="partial-scope")
    assert without_roles[("BGD", "IND")] == 2  # the artefact the succession link removes


def test_a_successor_takes_only_the_pairs_it_binds() -> None:
    frame = pd.DataFrame(
        [
            _row(1, "Old", ("AAA", "BBB", "CCC")),
            _row(2, "New", ("AAA", "BBB"), eif=dt.date(2010, 1, 1)),
        ]
    )
    roles = Roles({"wto:2": Role("wto:2", supersedes=("wto:1",))})
    counted = list_regimes(frame, catalog=CATALOG, roles=roles)
    assert counted.regimes["wto:1"].pairs == {("AAA", "CCC"), ("BBB", "CCC")}
    assert counted.regimes["wto:1"].superseded_by == ("wto:2",)
    assert _pairs(frame, roles) == {("AAA", "BBB"): 1, ("AAA", "CCC"): 1, ("BBB", "CCC"): 1}


def test_a_services_complement_is_not_a_second_regime() -> None:
    cis = pd.DataFrame(
        [
            _row(762, "CIS FTA", ("ARM", "RUS", "TJK")),
            _row(1268, "CIS services", ("ARM", "RUS", "TJK", "UZB"), kind="EIA", coverage="Services"),
        ]
    )
    default = _pairs(cis)
    assert default[("RUS", "TJK")] == 1  # complement: one regime
    assert default[("RUS", "UZB")] == 1  # a services agreement alone still binds its pair
    assert _pairs(cis, include="services")[("RUS", "TJK")] == 2
    table = country_coverage(cis, roles=NO_ROLES, catalog=CATALOG).set_index("iso3")
    assert table.loc["TJK", "n_partners_multi"] == 0 and table.loc["UZB", "n_partners"] == 3


def test_amendments_and_accessions_join_their_base() -> None:
    frame = pd.DataFrame(
        [
            _row(10, "Base FTA", ("AAA", "BBB")),
            _row(11, "Base FTA - Accession of CCC", ("AAA", "BBB", "CCC"), base=10, eif=dt.date(2012, 1, 1)),
            _row(12, "Base FTA upgrade protocol", ("AAA", "BBB"), eif=dt.date(2019, 1, 1)),
        ]
    )
    roles = Roles({"wto:12": Role("wto:12", amends="wto:10")})
    counted = list_regimes(frame, catalog=CATALOG, roles=roles)
    assert list(counted.regimes) == ["wto:10"]
    assert set(counted.regimes["wto:10"].rows) == {"wto:10", "wto:11", "wto:12"}
    assert _pairs(frame, roles)[("AAA", "BBB")] == 1
    assert _pairs(frame, NO_ROLES)[("AAA", "BBB")] == 2  # the protocol counted as an agreement


def test_in_force_reasons() -> None:
    frame = pd.DataFrame(
        [
            _row(1, "No date", ("AAA", "BBB"), status=None, eif=None),
            _row(2, "Later", ("AAA", "BBB"), status=None, eif=dt.date(2030, 1, 1)),
            _row(3, "Ended", ("AAA", "BBB"), status="Inactive", inactive=dt.date(2010, 1, 1)),
            _row(4, "Multilateral", ("WTO",), kind="", coverage=""),
        ]
    )
    out = annotate(frame).set_index("agreement_id")
    assert out.loc["wto:1", "why"] == "entry into force unknown"
    assert out.loc["wto:2", "why"] == "in force from 2030-01-01"
    assert out.loc["wto:3", "why"] == "status: Inactive"
    assert bool(out.loc["wto:3", "live"]) is False
    as_2008 = annotate(frame, as_of=2008).set_index("agreement_id")
    assert bool(as_2008.loc["wto:3", "live"]) is True  # inactive only from 2010
    assert out.loc["wto:4", "scope"] == "multilateral"
    counted = regimes(out.reset_index(), selection=Selection(), catalog=CATALOG)
    assert not counted.regimes


# -- the store's texts ------------------------------------------------------------------------------


def _parsed(
    agreement_id: str,
    parties: tuple[str, ...],
    *,
    chapters: int = 1,
    finals: bool = True,
    status: str | None = "In Force",
    in_force: dt.date | None = dt.date(2006, 1, 1),
    signed: dt.date | None = dt.date(2005, 1, 1),
    wto: int | None = None,
    kind: str | None = "Free Trade Agreement",
) -> ParsedAgreement:
    agreement = Agreement(
        id=agreement_id,
        name=f"Agreement {agreement_id}",
        parties=parties,
        parties_original=parties,
        status=status,
        type=kind,
        date_signed=signed,
        date_in_force=in_force,
        wto_rta_id=wto,
    )
    clauses = []
    for k in range(chapters):
        area = "final_provisions" if finals and k == chapters - 1 else "goods_market_access"
        clauses.append(
            Clause(
                id=f"{agreement_id}/{k + 1}/1",
                agreement_id=agreement_id,
                chapter_index=k,
                chapter_number=str(k + 1),
                chapter_title=area,
                article_index=k,
                article_number=str(k + 1),
                article_title=None,
                paragraph="",
                order=k,
                text=f"Each Party shall apply rule number {k} of chapter {k + 1} to goods.",
                area=area,
            )
        )
    return ParsedAgreement(agreement, tuple(clauses))


def _store(path: Path, *parsed: ParsedAgreement) -> Store:
    store = Store(path)
    for p in parsed:
        store.put(p, path=p.agreement.id, sha256=p.agreement.id, parser="test")
    return store


def _wto(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def test_texts_of_one_notification_are_one_regime(tmp_path: Path) -> None:
    store = _store(
        tmp_path / "s.db",
        _parsed("test:goods", ("CHN", "PAK"), wto=153),
        _parsed("test:services", ("CHN", "PAK"), wto=None, status=None, in_force=None, kind=None),
    )
    wto = _wto(_row(153, "Pakistan - China", ("CHN", "PAK"), kind="FTA & EIA", coverage="Goods & Services"))
    roles = Roles({"test:services": Role("test:services", wto_rta_id=153, scope="services")})
    texts = stored_texts(store, wto=wto, roles=roles, catalog=CATALOG)
    assert list(texts.regimes.regimes) == ["wto:153"]
    assert set(texts.regimes.regimes["wto:153"].rows) == {"test:goods", "test:services"}
    assert texts.regimes.regimes["wto:153"].scope == "comprehensive"  # the card of the notification
    assert texts.table["counted"].all()


def test_a_duplicate_text_counts_once_as_the_one_it_repeats(tmp_path: Path) -> None:
    store = _store(
        tmp_path / "s.db",
        _parsed("tota:396", ("CAN", "UKR")),
        _parsed("file:canada-ukraine", ("CAN", "UKR")),
    )
    meta = store.agreements()
    # the store's duplicate link (the ingest's duplicate detection sets it), given here by hand
    meta["duplicate_of"] = meta["id"].map({"file:canada-ukraine": "tota:396"})
    texts = stored_texts(store, meta=meta, wto=_wto(_row(1, "x", ("AAA", "BBB"))), roles=NO_ROLES)
    table = texts.table.set_index("id")
    assert bool(table.loc["tota:396", "counted"]) and not bool(table.loc["file:canada-ukraine", "counted"])
    assert table.loc["file:canada-ukraine", "why"] == "duplicate of tota:396"
    assert [k for k, r in texts.regimes.regimes.items() if ("CAN", "UKR") in r.pairs] == ["tota:396"]


def test_a_year_alone_is_not_in_force_until_dates_are_given(tmp_path: Path) -> None:
    store = _store(
        tmp_path / "s.db",
        _parsed("file:added", ("AAA", "BBB"), status=None, in_force=None, signed=None, kind=None),
    )
    wto = _wto(_row(1, "x", ("CCC", "DDD")))
    table = stored_texts(store, wto=wto, roles=NO_ROLES).table.set_index("id")
    assert not bool(table.loc["file:added", "in_force"])
    assert table.loc["file:added", "why"] == "entry into force unknown"
    dated = Roles({"file:added": Role("file:added", in_force=dt.date(2018, 3, 1), scope="goods")})
    table = stored_texts(store, wto=wto, roles=dated).table.set_index("id")
    assert bool(table.loc["file:added", "counted"]) and table.loc["file:added", "scope"] == "goods"
    assert not bool(stored_texts(store, wto=wto, roles=dated, as_of=2017).table["counted"].iloc[0])


def test_text_flags(tmp_path: Path) -> None:
    store = _store(
        tmp_path / "s.db",
        _parsed("test:whole", ("AAA", "BBB"), chapters=6),
        _parsed("test:cut", ("AAA", "CCC"), chapters=6, finals=False),
        _parsed("test:short", ("AAA", "DDD"), chapters=2, finals=False),
        _parsed("test:known", ("AAA", "EEE"), chapters=6, finals=False),
    )
    roles = Roles({"test:known": Role("test:known", text="complete", note="by design")})
    flags = text_flags(store, roles=roles).set_index("id")
    assert flags.loc["test:whole", "text"] == ""
    assert flags.loc["test:cut", "text"] == "ends early"
    assert flags.loc["test:short", "text"] == ""  # too few chapters to tell
    assert flags.loc["test:known", "text"] == ""


def _peers_reference(meta: pd.DataFrame) -> dict[int, list[int]]:
    """The peer rule written plainly, one agreement pair at a time (the fast path must agree)."""
    year = pd.to_datetime(meta["date_signed"].fillna(meta["date_in_force"]), errors="coerce").dt.year
    parties = [frozenset(p for p in s.split(";") if p) for s in meta["parties"].fillna("")]
    out: dict[int, list[int]] = {}
    for k in range(len(meta)):
        kind = meta["type"].iloc[k]
        if pd.isna(year.iloc[k]) or not isinstance(kind, str) or not kind:
            continue
        cap = 3 * max(len(parties[k]), 2)
        out[k] = [
            j
            for j in range(len(meta))
            if j != k
            and meta["type"].iloc[j] == kind
            and abs(year.iloc[j] - year.iloc[k]) <= PEER_YEARS
            and parties[j] & parties[k]
            and len(parties[j]) <= cap
        ]
    return out


def _peer_flags_reference(meta: pd.DataFrame) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, peers in _peers_reference(meta).items():
        if len(peers) < 3:
            continue
        chapters = pd.Series([float(meta["n_chapters"].iloc[j]) for j in peers]).median()
        articles = pd.Series([float(meta["n_articles"].iloc[j]) for j in peers]).median()
        mine_c, mine_a = float(meta["n_chapters"].iloc[k]), float(meta["n_articles"].iloc[k])
        if chapters >= 10 and mine_c < SHORT_SHARE * chapters and mine_a < SHORT_SHARE * articles:
            out[str(meta["id"].iloc[k])] = (
                f"{int(mine_c)} chapters and {int(mine_a)} articles against a median of "
                f"{chapters:g} and {articles:g} in {len(peers)} peers"
            )
    return out


_META_ROW = st.tuples(
    st.sampled_from(["FTA", "FTA", "CU", "", None]),
    st.one_of(st.none(), st.integers(1995, 2010)),
    st.one_of(st.none(), st.integers(1995, 2010)),
    st.frozensets(st.sampled_from([f"C{i:02d}" for i in range(12)]), max_size=9),
    st.integers(0, 30),
    st.integers(0, 300),
)


@given(st.lists(_META_ROW, min_size=0, max_size=25))
@example(  # exactly three peers: the fewest that may judge a text
    [
        ("FTA", 2000, None, frozenset({"C00", f"C0{i}"}), 20 if i < 4 else 2, 200 if i < 4 else 10)
        for i in (1, 2, 3, 4)
    ]
)
@settings(max_examples=300, deadline=None)
def test_peer_flags_agree_with_the_plain_rule(rows: list[tuple[object, ...]]) -> None:
    meta = pd.DataFrame(
        {
            "id": [f"x:{i}" for i in range(len(rows))],
            "type": [r[0] for r in rows],
            "date_signed": [f"{r[1]}-06-01" if r[1] else None for r in rows],
            "date_in_force": [f"{r[2]}-01-01" if r[2] else None for r in rows],
            "parties": [";".join(sorted(r[3])) for r in rows],  # type: ignore[call-overload]
            "n_chapters": [r[4] for r in rows],
            "n_articles": [r[5] for r in rows],
        }
    )
    masks = {k: [int(j) for j in np.flatnonzero(m)] for k, m in _peer_masks(meta).items()}
    assert masks == _peers_reference(meta)
    assert _peer_flags(meta) == _peer_flags_reference(meta)


# -- the real list and corpus -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def wto_list(metadata_dir: Path) -> pd.DataFrame:
    from rulecompare.catalog.rtalists import load_wto_rtas

    return load_wto_rtas(metadata_dir / "wto-rta-all.csv")


@pytest.mark.corpus
def test_real_list_nepal_bhutan_and_central_asia(wto_list: pd.DataFrame) -> None:
    table = country_coverage(wto_list).set_index("iso3")
    # SAPTA (partial scope, superseded by SAFTA) and India's partial-scope treaties no longer count
    assert table.loc["NPL", "n_partners_multi"] == 0 and table.loc["BTN", "n_partners_multi"] == 0
    pairs = pair_coverage(wto_list).set_index(["iso_a", "iso_b"])
    # the CIS services agreement completes the CIS FTA: one regime for Russia - Tajikistan
    assert pairs.loc[("RUS", "TJK"), "n_agreements"] == 1
    with_all = pair_coverage(wto_list, include="partial-scope,services").set_index(["iso_a", "iso_b"])
    assert with_all.loc[("RUS", "TJK"), "n_agreements"] == 2
    assert "South Asian Preferential" not in with_all.loc[("BGD", "IND"), "agreement_names"]


@pytest.fixture(scope="module")
def with_canada_ukraine(
    tota_records_db: Path, corpora_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """ToTA plus the plain-text Canada - Ukraine of the ggo corpus (ToTA has it as tota:396)."""
    from rulecompare.ingest import ingest_sources, manifest_sources

    path = tmp_path_factory.mktemp("cu") / "store.db"
    copy_store(tota_records_db, path)
    manifest = path.parent / "MANIFEST.csv"
    source = corpora_dir / "ggo" / "canada-ukraine-2016.txt"
    shutil.copy(source, path.parent / source.name)
    manifest.write_text(
        "file,title,signed_year,parties,tota_id,language\n"
        f"{source.name},Canada-Ukraine Free Trade Agreement,2016,CAN;UKR,,en\n",
        encoding="utf-8",
    )
    with Store(path) as store:
        results = ingest_sources(store, manifest_sources(manifest))
        assert all(r.status != "failed" for r in results)
        yield store
    shutil.rmtree(path.parent)  # gone with the module, not at the end of the run


@pytest.mark.corpus
def test_canada_ukraine_counts_once(with_canada_ukraine: Store) -> None:
    texts = stored_texts(with_canada_ukraine, as_of=2020)
    table = texts.table.set_index("id")
    assert table.loc["file:canada-ukraine-2016", "key"] == table.loc["tota:396", "key"]
    bound = [k for k, r in texts.regimes.regimes.items() if ("CAN", "UKR") in r.pairs]
    assert bound == ["wto:694"]
    # replaced by the modernised agreement in 2024: not in force now
    assert not stored_texts(with_canada_ukraine).table.set_index("id").loc["tota:396", "counted"]
