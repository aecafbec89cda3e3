"""Scoring against labels, shares corrected for the classifier's confusion, the strict-vs-flexible profile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rulecompare.metrics.strength import STRENGTH_CLASSES
from rulecompare.metrics.strength.correction import (
    Confusion,
    corrected_distribution,
    group_shares,
    load_confusion,
    share_difference,
)
from rulecompare.metrics.strength.evaluation import (
    accuracy_interval,
    area_scores,
    confusion_matrix,
    per_class,
)
from rulecompare.metrics.strength.profile import MIX_CLASSES, PROFILE_AREAS, evolution, strength_profile

K = len(STRENGTH_CLASSES)


def perfect(n: int = 1000) -> Confusion:
    """A classifier that was never wrong on ``n`` items per class."""
    return Confusion(counts=np.eye(K) * n, source="constructed")


# -- the correction ----------------------------------------------------------------------------


def test_identity_rates_return_the_observed_distribution() -> None:
    q = np.array([50, 10, 5, 5, 0, 30, 0, 0], dtype=float)
    p = corrected_distribution(q, np.eye(K))
    assert p == pytest.approx(q / q.sum(), abs=1e-9)
    assert np.isnan(corrected_distribution(np.zeros(K), np.eye(K))).all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.01, 1.0), min_size=K, max_size=K),
    st.floats(0.5, 0.95),
    st.integers(0, 2**31 - 1),
)
def test_em_recovers_the_true_distribution_from_exact_expected_counts(
    weights: list[float], accuracy: float, seed: int
) -> None:
    """If q is exactly what M would produce from p, EM gives p back (M invertible, diagonal dominant)."""
    rng = np.random.default_rng(seed)
    p_true = np.array(weights) / sum(weights)
    off = rng.dirichlet(np.ones(K - 1), size=K) * (1 - accuracy)
    rates = np.zeros((K, K))
    for i in range(K):
        rates[i, i] = accuracy
        rates[i, [j for j in range(K) if j != i]] = off[i]
    observed = 10_000 * (rates.T @ p_true)
    assert corrected_distribution(observed, rates, iterations=20_000) == pytest.approx(p_true, abs=2e-3)


def test_correction_moves_shares_the_way_the_errors_go() -> None:
    """Reading a third of procedural clauses as binding over-counts binding; the correction removes it."""
    counts = np.eye(K) * 300
    b, proc = STRENGTH_CLASSES.index("binding"), STRENGTH_CLASSES.index("procedural")
    counts[proc, proc], counts[proc, b] = 200, 100
    conf = Confusion(counts=counts, source="constructed")
    observed = np.zeros(K)
    # truly 60 binding and 90 procedural, of which a third (30) are read as binding
    observed[b], observed[proc] = 90, 60
    p = corrected_distribution(observed, conf.rates())
    assert p[b] == pytest.approx(0.4, abs=0.01) and p[proc] == pytest.approx(0.6, abs=0.01)


def test_confusion_rates_and_resampling() -> None:
    conf = Confusion(counts=np.array([[3.0, 1.0] + [0.0] * (K - 2)] + [[0.0] * K] * (K - 1)), source="x")
    rates = conf.rates()
    assert rates.sum(axis=1) == pytest.approx(np.ones(K))
    assert rates[0, 0] == pytest.approx(4 / 5)  # one pseudo-count on the diagonal
    assert rates[1, 1] == 1.0  # an empty row keeps a defined, perfect row
    again = conf.resample(np.random.default_rng(1))
    assert again.sum(axis=1) == pytest.approx(conf.counts.sum(axis=1))


def test_shipped_confusion_is_well_formed() -> None:
    conf = load_confusion()
    assert conf.counts.shape == (K, K)
    assert conf.counts.sum() >= 200 and conf.source
    sized = conf.counts.sum(axis=1) >= 10  # classes with a handful of test items are not targeted
    assert (np.diag(conf.counts) >= conf.counts.max(axis=1))[sized].all()  # each such class mostly right
    assert np.isfinite(conf.rates()).all() and np.allclose(conf.rates().sum(axis=1), 1.0)


def _clauses(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    out = [{"agreement_id": a, "strength": s} for a, s, n in rows for _ in range(n)]
    return pd.DataFrame(out)


def test_group_shares_pool_agreements_and_give_paired_draws() -> None:
    clauses = _clauses([("a", "binding", 80), ("a", "soft", 20), ("b", "binding", 20), ("b", "soft", 80)])
    out = group_shares(clauses, {"a": ["a"], "b": ["b"], "both": ["a", "b"]}, confusion=perfect(), reps=50)
    b = STRENGTH_CLASSES.index("binding")
    assert out["a"]["corrected"][b] == pytest.approx(0.8, abs=1e-3)
    assert out["both"]["observed"][b] == pytest.approx(0.5)
    assert out["both"]["draws"].shape == (50, K)
    assert int(out["both"]["n_agreements"]) == 2
    point, lo, hi = share_difference(out["a"], out["b"], "binding")
    assert point == pytest.approx(0.6, abs=1e-3) and lo > 0  # distinguishable


def test_a_noisy_classifier_widens_the_interval() -> None:
    clauses = _clauses(
        [(f"x{i}", "binding", 60) for i in range(5)] + [(f"x{i}", "soft", 40) for i in range(5)]
    )
    groups = {"all": [f"x{i}" for i in range(5)]}
    b = STRENGTH_CLASSES.index("binding")
    noisy = np.eye(K) * 20 + 2
    sure = group_shares(clauses, groups, confusion=perfect(), reps=200)["all"]["draws"][:, b]
    unsure = group_shares(clauses, groups, confusion=Confusion(noisy, "noisy"), reps=200)["all"]["draws"][
        :, b
    ]
    assert np.ptp(unsure) > np.ptp(sure)


# -- scoring against labels ---------------------------------------------------------------------


def test_per_class_says_why_a_value_is_missing() -> None:
    labels = pd.Series(["binding", "binding", "soft"])
    predicted = pd.Series(["binding", "soft", "soft"])
    table = per_class(labels, predicted)
    assert table.loc["binding", "precision"] == 1.0 and table.loc["binding", "recall"] == 0.5
    assert table.loc["soft", "precision"] == 0.5
    assert (
        np.isnan(table.loc["exception", "precision"]) and "never predicted" in table.loc["exception", "note"]
    )
    matrix = confusion_matrix(labels, predicted)
    assert list(matrix.index) == list(STRENGTH_CLASSES) and matrix.loc["binding", "soft"] == 1


def test_accuracy_interval_resamples_agreements() -> None:
    correct = pd.Series([True] * 90 + [False] * 10)
    many = pd.Series([f"g{i}" for i in range(100)])
    few = pd.Series([f"g{i % 2}" for i in range(100)])
    lo, hi = accuracy_interval(correct, many)
    assert lo < 0.9 < hi
    flo, fhi = accuracy_interval(correct, few)
    assert fhi - flo >= 0  # two agreements: the interval still exists
    assert accuracy_interval(pd.Series([True] * 10), pd.Series(["a"] * 10)) == (1.0, 1.0)


def test_area_scores_strict_and_lenient() -> None:
    frame = pd.DataFrame(
        {
            "label": ["sps", "tbt", "investment", "services"],
            "alt_label": ["", "sps", "", ""],
            "predicted": ["sps", "sps", "services", "unclassified"],
        }
    )
    s = area_scores(frame)
    assert s["coverage"] == 0.75
    assert s["strict"] == pytest.approx(1 / 3) and s["lenient"] == pytest.approx(2 / 3)


# -- the profile --------------------------------------------------------------------------------


def _agreement(aid: str, rows: list[tuple[str, str, str]]) -> list[dict[str, object]]:
    return [
        {
            "agreement_id": aid,
            "article_index": i,
            "article_title": title,
            "area": area,
            "text": text,
            "chapter_number": None,
        }
        for i, (area, title, text) in enumerate(rows)
    ]


@pytest.fixture()
def two_agreements() -> tuple[pd.DataFrame, pd.DataFrame]:
    strict = _agreement(
        "x:strict",
        [
            ("goods_market_access", "Customs Duties", "Each Party shall eliminate its customs duties."),
            ("goods_market_access", "National Treatment", "Each Party shall accord national treatment."),
            ("competition", "Competition", "Each Party shall maintain competition laws."),
            (
                "goods_market_access",
                "Definitions",
                "For the purposes of this Chapter: (a) goods means products;",
            ),
            ("dispute_settlement", "Scope", "This Chapter applies to disputes under this Agreement."),
            ("institutions", "Joint Committee", "The Parties hereby establish a Joint Committee."),
            ("institutions", "Committee On Trade In Goods", "The Committee on Trade in Goods shall meet."),
            ("final_provisions", "Review", "The Parties shall review this Agreement every five years."),
        ],
    )
    flexible = _agreement(
        "x:flexible",
        [
            (
                "goods_market_access",
                "Customs Duties",
                "The Parties shall endeavour to reduce customs duties.",
            ),
            ("competition", "Competition", "The Parties recognise the importance of competition."),
            ("competition", "Competition", "A Party may adopt competition laws."),
            ("cooperation", "Cooperation", "The Parties shall cooperate in the field of tourism."),
        ],
    )
    clauses = pd.DataFrame(strict + flexible)
    agreements = pd.DataFrame(
        {
            "id": ["x:strict", "x:flexible"],
            "name": ["Strict", "Flexible"],
            "date_signed": ["2010-01-01", "2005-01-01"],
            "families": ["alpha", "beta;alpha"],
        }
    )
    return clauses, agreements


def test_profile_per_agreement(two_agreements: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    clauses, agreements = two_agreements
    table = strength_profile(clauses, agreements, confusion=perfect(), reps=30).set_index("agreement")
    strict, flexible = table.loc["x:strict"], table.loc["x:flexible"]
    assert strict["binding"] == pytest.approx(1.0, abs=1e-3) and strict["hard_share"] == pytest.approx(
        1.0, abs=1e-3
    )
    assert strict["n_clauses"] == 4  # the substantive clauses only (the definition is not in the mix)
    assert flexible["binding"] == pytest.approx(0.0, abs=1e-3)
    assert flexible["soft"] == pytest.approx(0.75, abs=1e-3) and flexible["permissive"] == pytest.approx(
        0.25, abs=1e-3
    )
    assert strict["share_with_dispute_settlement"] == 1.0 and strict["ds_reach"] == 1.0
    assert np.isnan(flexible["ds_reach"]) or flexible["n_areas_reached"] == 0
    assert strict["n_bodies"] == 2  # the Joint Committee and the Committee on Trade in Goods
    assert strict["n_review_clauses"] == 1
    assert set(MIX_CLASSES) <= set(table.columns)
    assert "dispute_settlement" not in PROFILE_AREAS and "goods_market_access" in PROFILE_AREAS


def test_profile_per_family_with_reference(two_agreements: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    clauses, agreements = two_agreements
    table = strength_profile(
        clauses, agreements, by="family", reference="beta", confusion=perfect(), reps=30
    ).set_index("family")
    assert table.loc["alpha", "n_agreements"] == 2 and table.loc["beta", "n_agreements"] == 1
    assert table.loc["alpha", "binding"] == pytest.approx(3 / 7, abs=1e-3)  # pooled: 3 of 7 mix clauses
    assert table.loc["beta", "binding_vs_reference"] == pytest.approx(0.0)
    assert not table.loc["beta", "distinguishable"]
    assert table.loc["alpha", "binding_vs_reference"] > 0
    # the difference is between the shares the table shows (within the commitment mix)
    shown = table.loc["alpha", "binding"] - table.loc["beta", "binding"]
    assert table.loc["alpha", "binding_vs_reference"] == pytest.approx(shown, abs=1e-6)


def test_evolution_orders_by_signature(two_agreements: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    clauses, agreements = two_agreements
    table = evolution(strength_profile(clauses, agreements, confusion=perfect(), reps=30))
    assert list(table["agreement"]) == ["x:flexible", "x:strict"]
    assert np.isnan(table.loc[0, "binding_change"]) and table.loc[1, "binding_change"] > 0.9
    assert pd.isna(table.loc[0, "overlaps_previous"]) and not table.loc[1, "overlaps_previous"]


# -- the shipped figures -------------------------------------------------------------------------


def test_methods_figures_are_the_shipped_confusion() -> None:
    """docs/METHODS.md 1.7 and confusion.csv come from the same test-split run of benchmarks/strength.py."""
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parent.parent / "docs" / "METHODS.md").read_text(encoding="utf-8")
    block = page.split("<!-- strength-figures:start -->", 1)[1].split("<!-- strength-figures:end -->", 1)[0]
    conf = load_confusion()
    assert "frozen test split" in conf.source and "PLACEHOLDER" not in conf.source
    assert "test split" in block
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in STRENGTH_CLASSES and len(cells) == K + 1:
            rows[cells[0]] = [int(c) for c in cells[1:]]
    assert list(rows) == list(STRENGTH_CLASSES)
    assert np.array([rows[c] for c in STRENGTH_CLASSES]).tolist() == conf.counts.astype(int).tolist()
    found = re.search(r"Accuracy \*\*([0-9.]+)\*\*", block)
    assert found is not None
    accuracy = float(found.group(1))
    assert accuracy == pytest.approx(np.trace(conf.counts) / conf.counts.sum(), abs=5e-4)
    n = re.search(r"split: (\d+) clauses", block)
    assert n is not None and int(n.group(1)) == int(conf.counts.sum())


def test_benchmark_writes_only_a_frozen_split(capsys: pytest.CaptureFixture[str]) -> None:
    """`--write` records a frozen split's figures (test2 now, test before it), never the dev split's."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "strength.py"
    spec = importlib.util.spec_from_file_location("bench_strength", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert set(bench.FROZEN) == {"test", "test2"}
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--split", "dev", "--write"])
    assert exit_info.value.code == 2
    assert "frozen split" in capsys.readouterr().err
    folds = bench.agreement_folds(pd.Series(["a", "b", "c", "a", "d", "e", "f"]))
    assert folds.iloc[0] == folds.iloc[3] and set(folds) <= set(range(bench.FOLDS))
