"""Spaghetti bowl, rules part: divergence, templates, the index and density on constructed cases
with known answers, then on the ToTA corpus (EU Mediterranean agreements, Chile, Singapore)."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from conftest import make_agreement, make_parsed, put

from rulecompare.features import shingles
from rulecompare.metrics import spaghetti as sb
from rulecompare.model import ParsedAgreement
from rulecompare.store import Store

# Texts of one area; RO_A and RO_B share many shingles, RO_C shares almost none with them.
RO_A = "Each Party shall accept a certificate of origin issued by the competent authority of the exporter."
RO_B = (
    "Each Party shall accept a certificate of origin issued by the designated authority of the other Party."
)
RO_C = "Wholly obtained goods include minerals extracted from its soil and fish caught in its waters."
SV_A = "Services suppliers of the other Party shall be accorded national treatment in all listed sectors."
SV_C = "Market access commitments for cross-border supply are set out in the schedule of each Party."


def ref_jaccard(a: str, b: str) -> float:
    """Plain set Jaccard of the character 5-gram sets (the documented definition)."""
    sa, sb_ = shingles(a), shingles(b)
    return len(sa & sb_) / len(sa | sb_)


def _agreement(
    n: int, parties: tuple[str, ...], texts: dict[str, str], status: str = "In Force"
) -> ParsedAgreement:
    return make_parsed(make_agreement(n, parties, status=status), texts)


def _rtas(rows: list[tuple[int, str, tuple[str, ...]]]) -> pd.DataFrame:
    """A hand-made RTA list in the shape of load_wto_rtas()."""
    return pd.DataFrame(
        [
            {
                "agreement_id": f"wto:{i}",
                "rta_id": i,
                "base_id": i,
                "name": name,
                "type": "FTA",
                "coverage": "Goods",
                "status": "In Force",
                "accession": False,
                "date_signed": None,
                "date_in_force": dt.date(2006, 1, 1),
                "date_inactive": None,
                "parties": parties,
                "parties_original": parties,
                "blocs": (),
                "party_dates": {},
            }
            for i, name, parties in rows
        ]
    )


@pytest.fixture()
def small(fresh_store: Store) -> Store:
    return put(
        fresh_store,
        _agreement(1, ("CHL", "PER"), {"rules_of_origin": RO_A, "services": SV_A}),
        _agreement(2, ("CHL", "MEX"), {"rules_of_origin": RO_B}),
        _agreement(3, ("CHL", "USA"), {"rules_of_origin": RO_C, "services": SV_C}),
        # inactive: out of scope everywhere
        _agreement(4, ("CHL", "PER"), {"rules_of_origin": RO_C}, status="Inactive"),
    )


@pytest.fixture(scope="module")
def small_rtas() -> pd.DataFrame:
    return _rtas(
        [
            (1, "Chile - Peru", ("CHL", "PER")),
            (2, "Pacific pact", ("CHL", "PER")),
            (3, "Chile - Mexico", ("CHL", "MEX")),
            (4, "Chile - US", ("CHL", "USA")),
        ]
    )


def test_divergence_constructed(small: Store) -> None:
    sims = sb.area_similarity(small, area=["rules_of_origin", "services"])
    d = sb.divergence(small, "chl", sims=sims).set_index("area")
    pairs = [ref_jaccard(a, b) for a, b in combinations([RO_A, RO_B, RO_C], 2)]
    assert d.loc["rules_of_origin", "n_agreements"] == 3  # the inactive agreement is left out
    assert d.loc["rules_of_origin", "n_pairs"] == 3
    assert d.loc["rules_of_origin", "divergence"] == pytest.approx(1 - np.mean(pairs))
    assert d.loc["services", "divergence"] == pytest.approx(1 - ref_jaccard(SV_A, SV_C))
    # A and B are one template (Jaccard > 0.5), C another
    assert ref_jaccard(RO_A, RO_B) > 0.5 > max(pairs[1:])
    assert d.loc["rules_of_origin", "n_templates"] == 2
    assert d.loc["services", "n_templates"] == 2
    # one agreement: no pair, no divergence
    per = sb.divergence(small, "PER", sims=sims).set_index("area")
    assert per.loc["rules_of_origin", "n_pairs"] == 0 and np.isnan(per.loc["rules_of_origin", "divergence"])
    with pytest.raises(Exception, match="no agreement in force"):
        sb.divergence(small, "FRA", sims=sims)


def test_index_pair_and_density_constructed(small: Store, small_rtas: pd.DataFrame) -> None:
    sims = sb.area_similarity(small, area=["rules_of_origin", "services"])
    ro = [ref_jaccard(a, b) for a, b in combinations([RO_A, RO_B, RO_C], 2)]
    sv = ref_jaccard(SV_A, SV_C)
    pooled = 1 - (sum(ro) + sv) / 4  # 3 pairs in rules of origin, 1 in services
    idx = sb.spaghetti_index(small, sims=sims, rtas=small_rtas).set_index("country")
    # Chile: partners PER (2 agreements), MEX, USA -> share_multi 1/3
    assert idx.loc["CHL", "share_multi"] == pytest.approx(1 / 3)
    assert idx.loc["CHL", "divergence"] == pytest.approx(pooled)
    assert idx.loc["CHL", "index"] == pytest.approx(pooled / 3)
    assert idx.loc["CHL", "rank"] == 1
    assert pd.isna(idx.loc["PER", "rank"])  # one text: index undefined, no rank

    pairs = sb.pair_index(small, sims=sims, rtas=small_rtas, pairs=[("PER", "CHL"), ("MEX", "PER")])
    pairs = pairs.set_index(["iso_a", "iso_b"])
    chl_per = pairs.loc[("CHL", "PER")]
    assert chl_per["n_agreements"] == 2 and chl_per["n_texts"] == 1
    assert chl_per["divergence_source"] == "countries"  # Peru has no divergence, so Chile's alone
    assert chl_per["index"] == pytest.approx(0.5 * pooled)
    assert pairs.loc[("MEX", "PER"), "n_agreements"] == 0 and np.isnan(pairs.loc[("MEX", "PER"), "index"])

    dens = sb.network_density(small, sims=sims).set_index("area")
    # rules of origin: three agreements, every pair shares Chile, min party count 2
    assert dens.loc["rules_of_origin", "n_linked"] == 3
    assert dens.loc["rules_of_origin", "weighted_density"] == pytest.approx(sum(1 - j for j in ro) / 6)
    # all areas: (1,3) has two areas in common, the other pairs one
    d13 = 1 - (ro[1] + sv) / 2
    assert dens.loc["all", "weighted_density"] == pytest.approx(((1 - ro[0]) + d13 + (1 - ro[2])) / 6)


def test_templates_threshold_and_ties() -> None:
    sim = np.array([[1.0, 0.5, 0.1], [0.5, 1.0, 0.1], [0.1, 0.1, 1.0]])
    assert sb.templates(sim).tolist()[0] == sb.templates(sim).tolist()[1]  # exactly 0.5 joins
    assert len(set(sb.templates(sim))) == 2
    assert len(set(sb.templates(sim, threshold=0.6))) == 3
    assert sb.templates(np.ones((1, 1))).tolist() == [1]
    # average linkage: 0 and 1 alike (0.9), 2 close to 1 only (0.6) but not to 0 (0.2): mean 0.4 < 0.5
    chain = np.array([[1.0, 0.9, 0.2], [0.9, 1.0, 0.6], [0.2, 0.6, 1.0]])
    assert len(set(sb.templates(chain))) == 2


def test_in_force_mask() -> None:
    meta = pd.DataFrame(
        {
            "status": ["In Force", "Inactive", None, "In Force"],
            "date_signed": ["1990-01-01", "1990-01-01", "2001-01-01", "2015-05-01"],
            "date_in_force": ["1991-01-01", "1991-01-01", "2002-03-01", None],
            "date_inactive": [None, "2004-04-30", None, None],
        }
    )
    assert sb.in_force_mask(meta, None).tolist() == [True, False, True, True]
    assert sb.in_force_mask(meta, 2003).tolist() == [True, True, True, False]
    assert sb.in_force_mask(meta, 2004).tolist() == [True, False, True, False]


# -- the ToTA corpus --------------------------------------------------------------------------------

EU_MED = ["tota:16", "tota:40", "tota:57", "tota:61", "tota:83", "tota:84", "tota:98", "tota:102"]
"""EU association agreements with Algeria, Egypt, Lebanon, Jordan, Morocco, Israel, Tunisia, the PA."""


@pytest.fixture(scope="module")
def corpus(tota_store: Store) -> sb.AreaSimilarity:
    return sb.area_similarity(tota_store)


def test_eu_mediterranean_agreements_diverge_little(tota_store: Store, corpus: sb.AreaSimilarity) -> None:
    names = tota_store.agreements(EU_MED)["name"].tolist()
    assert all(n.startswith("EU - ") for n in names), names
    area = "rules_of_origin"
    med = sb.divergence(tota_store, "EU", area=area, agreements=EU_MED, sims=corpus).iloc[0]
    eu = sb.divergence(tota_store, "EU", area=area, sims=corpus).iloc[0]
    usa = sb.divergence(tota_store, "USA", area=area, sims=corpus).iloc[0]
    chl = sb.divergence(tota_store, "CHL", area=area, sims=corpus).iloc[0]
    assert med["n_agreements"] >= 6
    assert med["divergence"] < 0.5
    assert med["divergence"] < min(usa["divergence"], chl["divergence"], eu["divergence"]) - 0.15
    assert med["n_templates"] <= 2 < eu["n_templates"]
    # pooled over the substantive areas the Mediterranean set is also closer than the EU as a whole
    med_all = sb.divergence(tota_store, "EU", agreements=EU_MED, sims=corpus)
    eu_all = sb.divergence(tota_store, "EU", sims=corpus)

    def pooled(d: pd.DataFrame) -> float:
        return float(1 - (d["mean_similarity"] * d["n_pairs"]).sum() / d["n_pairs"].sum())

    assert pooled(med_all) < pooled(eu_all)


def test_ranking_on_corpus(tota_store: Store, corpus: sb.AreaSimilarity) -> None:
    idx = sb.spaghetti_index(tota_store, sims=corpus)
    ranked = idx[idx["rank"].notna()]
    assert len(ranked) > 60
    assert ranked["index"].is_monotonic_decreasing
    assert ((ranked["index"] >= 0) & (ranked["index"] <= 1)).all()
    row = idx.set_index("country")
    # Chile and Singapore: many FTAs, many partners covered more than once
    for c in ("CHL", "SGP"):
        assert row.loc[c, "n_agreements"] >= 25
        assert row.loc[c, "n_partners_multi"] >= 15
        assert row.loc[c, "n_partners_multi"] >= ranked["n_partners_multi"].quantile(0.75)
    assert row.loc["CHL", "share_multi"] > ranked["share_multi"].median()
    assert row.loc["CHL", "rank"] <= 20
    np.testing.assert_allclose(ranked["index"], ranked["share_multi"] * ranked["divergence"])
    one = sb.spaghetti_index(tota_store, countries=["chl"], sims=corpus)
    assert one["rank"].iloc[0] == row.loc["CHL", "rank"]  # ranked among all, then selected


def test_pairs_and_density_on_corpus(tota_store: Store, corpus: sb.AreaSimilarity) -> None:
    pairs = sb.pair_index(tota_store, sims=corpus, pairs=[("CHL", "PER"), ("CHN", "SGP")])
    got = pairs.set_index(["iso_a", "iso_b"])
    assert got.loc[("CHN", "SGP"), "n_texts"] >= 2  # ASEAN - China and China - Singapore
    assert got.loc[("CHN", "SGP"), "divergence_source"] == "pair"
    assert (got["n_agreements"] >= 2).all() and (got["index"] > 0).all()
    dens = sb.network_density(tota_store, sims=corpus).set_index("area")
    assert 0 < dens.loc["all", "weighted_density"] < dens.loc["all", "share_linked"] < 1
    assert set(sb.SUBSTANTIVE_AREAS) >= set(dens.index) - {"all"}
