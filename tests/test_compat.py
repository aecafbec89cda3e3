"""BRI-RTA compatibility: the exact cross-set Jaccard against plain sets, the formulas on a
constructed store, and real partners with an FTA with China (Pakistan, Chile, Singapore ...)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import make_agreement, make_parsed, put
from hypothesis import given, settings
from hypothesis import strategies as st

from rulecompare.features import shingle_unit_sets, shingles
from rulecompare.metrics import compat as cp
from rulecompare.model import ParsedAgreement
from rulecompare.overlap import jaccard_matrix
from rulecompare.store import Store

# -- cross_jaccard against a plain reference --------------------------------------------------------

_words = st.sampled_from(["party", "shall", "goods", "origin", "the", "of", "duty", "tariff", "each", "may"])
_texts = st.lists(st.lists(_words, min_size=0, max_size=12).map(" ".join), min_size=0, max_size=8)


def _sets(texts: list[str]):  # type: ignore[no-untyped-def]
    return shingle_unit_sets(texts, np.arange(len(texts)), len(texts))


def ref_jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 0.0


@settings(max_examples=60, deadline=None)
@given(_texts, _texts)
def test_cross_jaccard_equals_plain_sets(a: list[str], b: list[str]) -> None:
    got = jaccard_matrix(_sets(a), _sets(b))
    want = np.array([[ref_jaccard(x, y) for y in b] for x in a]).reshape(len(a), len(b))
    np.testing.assert_allclose(got, want, atol=1e-6)


def test_cross_jaccard_dense_path() -> None:
    # 200 near-identical rows push every shared shingle over the dense threshold
    base = "each party shall apply the rules of origin set out in this chapter to goods"
    a = [f"{base} number {'x' * (k % 7)}" for k in range(200)]
    b = [base, "nothing in common here at all zzzzq"]
    got = jaccard_matrix(_sets(a), _sets(b))
    want = np.array([[ref_jaccard(x, y) for y in b] for x in a])
    np.testing.assert_allclose(got, want, atol=1e-6)


# -- constructed store --------------------------------------------------------------------------

X1 = "Each Party shall accord national treatment to the goods of the other Party under Article III of GATT."
X2 = "Each Party shall eliminate its customs duties on originating goods in accordance with its Schedule."
Y = "The Parties may consult each other on any matter concerning the functioning of tariff quotas."


def _agreement(n: int, parties: tuple[str, ...], texts: list[str]) -> ParsedAgreement:
    agreement = make_agreement(n, parties, signed=dt.date(2008, 1, 1), in_force=dt.date(2009, 1, 1))
    return make_parsed(
        agreement, texts, area="goods_market_access", chapter_number="2", chapter_title="Trade in goods"
    )


@pytest.fixture()
def small(fresh_store: Store) -> Store:
    return put(
        fresh_store,
        _agreement(1, ("CHN", "PAK"), [X1, X2]),  # China - Pakistan
        _agreement(2, ("PAK", "LKA"), [X1, Y]),  # Pakistan's other RTA (Sri Lanka is a BRI partner)
        _agreement(3, ("IND", "USA"), [X2]),  # no BRI partner: not compared
    )


def test_compatibility_constructed(small: Store) -> None:
    table = cp.compatibility(small, area="goods_market_access")
    assert set(table["partner"]) == {"PAK", "LKA"}
    pak = table[table["partner"] == "PAK"].set_index("comparison")
    assert set(pak.index) == {"china_ftas", "own_china_fta"}
    row = pak.loc["china_ftas"]
    assert ref_jaccard(X1, X2) < cp.CLAUSE_THRESHOLD and ref_jaccard(Y, X2) < cp.CLAUSE_THRESHOLD
    # partner clauses X1 (matched exactly) and Y (not); China's X1 matched, X2 not
    assert row["coverage"] == pytest.approx(0.5)
    assert row["reverse"] == pytest.approx(0.5)
    best_y = max(ref_jaccard(Y, X1), ref_jaccard(Y, X2))
    assert row["mean_similarity"] == pytest.approx((1.0 + best_y) / 2, abs=1e-6)
    # X1, X2 binding ("shall"); Y permissive ("may")
    assert row["binding_partner"] == pytest.approx(0.5) and row["binding_china"] == pytest.approx(1.0)
    assert row["strength_gap"] == pytest.approx(-0.5)
    assert row["compat"] == pytest.approx(0.5 * 0.5)
    # the only China FTA is Pakistan's own: the same figures
    pd.testing.assert_series_equal(
        pak.loc["own_china_fta"].drop("comparison", errors="ignore"),
        row.rename("own_china_fta"),
        check_names=False,
    )
    # Sri Lanka has no FTA with China: one comparison only
    assert list(table.loc[table["partner"] == "LKA", "comparison"]) == ["china_ftas"]
    scores = cp.partner_scores(table).set_index(["partner", "comparison"])
    assert scores.loc[("PAK", "china_ftas"), "score"] == pytest.approx(0.25)
    text = cp.summary_text(table)
    assert "goods_market_access 0.25" in text


def test_china_set_and_partner_validation(small: Store) -> None:
    with pytest.raises(Exception, match="not Belt and Road partners"):
        cp.compatibility(small, partners=["USA"])
    with pytest.raises(Exception, match="china set"):
        cp.compatibility(small, china_set=["test:99"])
    # a China set that misses X1: Pakistan's coverage drops to 0
    table = cp.compatibility(small, partners=["PAK"], china_set=["test:3"], area="goods_market_access")
    row = table[table["comparison"] == "china_ftas"].iloc[0]
    assert row["coverage"] == 0.0 and row["n_china_agreements"] == 1


# -- real partners ------------------------------------------------------------------------------

REAL = ["PAK", "CHL", "PER", "SGP", "NZL"]


@pytest.fixture(scope="module")
def real(tota_store: Store) -> pd.DataFrame:
    return cp.compatibility(tota_store, partners=REAL)


def test_real_partners_with_a_china_fta(real: pd.DataFrame) -> None:
    assert set(real["partner"]) == set(REAL)
    for column in ("coverage", "reverse", "mean_similarity", "compat"):
        values = real[column].dropna()
        assert ((values >= 0) & (values <= 1)).all(), column
    # every one of them has its own FTA with China in ToTA
    assert set(real.loc[real["comparison"] == "own_china_fta", "partner"]) == set(REAL)
    scores = cp.partner_scores(real)
    main = scores[scores["comparison"] == "china_ftas"].set_index("partner")
    assert (main["score"] > 0.1).all()
    # New Zealand's, Singapore's and Chile's RTAs (CPTPP family, P4) are closer to China's FTAs
    # than Pakistan's few older ones
    assert main.loc["PAK", "score"] < min(main.loc[p, "score"] for p in ("NZL", "SGP", "CHL"))
    # rules of origin: Chile's RTAs and China's FTAs share much of their wording
    ro = real[
        (real["partner"] == "CHL")
        & (real["area"] == "rules_of_origin")
        & (real["comparison"] == "china_ftas")
    ].iloc[0]
    assert ro["coverage"] > 0.3 and ro["n_china_agreements"] >= 5
