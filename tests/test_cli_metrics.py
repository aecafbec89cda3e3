"""The strength, spaghetti and compat commands: CSV that pandas reads, PNG plots.

strength and compat run on the sample store; spaghetti on the ToTA store, whose answers (the EU's
agreements, a ranking of countries) are facts about real agreements and need the WTO RTA list."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rulecompare.cli import app
from rulecompare.metrics.strength import STRENGTH_CLASSES

PNG = b"\x89PNG\r\n\x1a\n"


Run = Callable[..., tuple[str, str]]
"""Runs a command on one store and returns its stdout and stderr, after checking that it succeeded."""


def _invoker(db: Path) -> Run:
    runner = CliRunner()

    def invoke(*args: str) -> tuple[str, str]:
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        return result.stdout, result.stderr

    return invoke


@pytest.fixture(scope="module")
def run(sample_db: Path) -> Run:
    return _invoker(sample_db)


@pytest.fixture(scope="module")
def run_tota(tota_db: Path) -> Run:
    return _invoker(tota_db)


def _csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text))


def test_strength_shares_and_clauses(run: Run) -> None:
    out, _ = run("strength", "us-peru", "--area", "investment", "-f", "csv")
    df = _csv(out)
    assert list(df["agreement_id"]) == ["tota:901"] and list(df["area"]) == ["investment"]
    shares = df.filter(like="share_").sum(axis=1)
    assert shares.iloc[0] == pytest.approx(1.0)
    assert df["enforceable"].dtype == bool
    out, _ = run("strength", "us-peru", "--area", "investment", "--clauses", "-f", "csv")
    clauses = _csv(out)
    assert len(clauses) == df["n_clauses"].iloc[0]
    assert set(clauses["strength"]) <= set(STRENGTH_CLASSES)


def test_strength_explain_names_the_rule_and_the_words(run_tota: Run) -> None:
    # Australia-China 8.x: "Articles 8.10 through 8.12 shall not apply to any measure ..."
    out, _ = run_tota("strength", "--explain", "tota:141/11862/2")
    assert "exception" in out and "4 carve-out" in out
    assert "articles 8.10 through 8.12 shall not apply" in out
    assert "Section B of its Schedule of Non-Conforming" in out  # the whole clause, wrapped, not cut
    out, _ = run_tota("strength", "--explain", "tota:141/11862/2", "-f", "csv")
    fields = dict(_csv(out).to_numpy())
    assert fields["strength"] == "exception" and fields["cue"] == "exception:part-does-not-apply"


def test_strength_explain_unknown_clause_fails(tota_db: Path) -> None:
    result = CliRunner().invoke(app, ["strength", "--explain", "tota:141/0/9", "--db", str(tota_db)])
    assert result.exit_code != 0 and "no clause" in result.stderr


def test_strength_profile_by_family_with_intervals_and_plot(run_tota: Run, tmp_path: Path) -> None:
    from PIL import Image

    from rulecompare.plots import MAX_PLOT_INCHES

    png = tmp_path / "families.png"
    out, err = run_tota("strength", "--by", "family", "--reps", "40", "-f", "csv", "--plot", str(png))
    df = _csv(out).set_index("family")
    assert set(df.index) == {"china", "us", "eu", "efta", "asean"}
    for cls in ("binding", "soft", "permissive", "exception"):
        assert ((df[f"{cls}_lo"] <= df[cls] + 1e-9) & (df[cls] <= df[f"{cls}_hi"] + 1e-9)).all()
    mix = df[["binding", "soft", "permissive", "exception"]].sum(axis=1)
    assert mix.to_numpy() == pytest.approx(1.0)
    assert df.loc["china", "binding_vs_reference"] == 0 and not df.loc["china", "distinguishable"]
    apart = (df["binding_vs_reference_lo"] > 0) | (df["binding_vs_reference_hi"] < 0)
    assert (df["distinguishable"] == apart).all()
    assert (df["ds_reach"].between(0, 1)).all()
    assert "corrected with the confusion" in err
    assert png.read_bytes().startswith(PNG)
    with Image.open(png) as image:
        assert max(image.size) <= MAX_PLOT_INCHES * 150


def test_strength_evolution_orders_by_signature(run_tota: Run, tmp_path: Path) -> None:
    png = tmp_path / "evolution.png"
    # ASEAN-China (2004), Chile-China (2005), China-Korea (2015), given out of order
    out, _ = run_tota(
        "strength", "--by", "agreement", "--evolution", "tota:398", "tota:38", "tota:7",
        "--reps", "30", "-f", "csv", "--plot", str(png),
    )  # fmt: skip
    df = _csv(out)
    assert list(df["agreement"]) == ["tota:38", "tota:7", "tota:398"]
    assert pd.isna(df.loc[0, "binding_change"])
    expected = df["binding"].diff()
    assert df["binding_change"].iloc[1:].to_numpy() == pytest.approx(expected.iloc[1:].to_numpy())
    assert png.read_bytes().startswith(PNG)


def test_strength_profile_option_errors(tota_db: Path) -> None:
    runner = CliRunner()
    bad_by = runner.invoke(app, ["strength", "--by", "country", "--db", str(tota_db)])
    assert bad_by.exit_code != 0 and "--by takes" in bad_by.stderr
    bad_evolution = runner.invoke(app, ["strength", "--by", "family", "--evolution", "--db", str(tota_db)])
    assert bad_evolution.exit_code != 0 and "--evolution" in bad_evolution.stderr


def test_spaghetti_ranking_country_pairs_and_plot(run_tota: Run, tmp_path: Path) -> None:
    csv, png = tmp_path / "rank.csv", tmp_path / "rank.png"
    _, err = run_tota(
        "spaghetti", "--area", "rules_of_origin", "--bootstrap", "20", "-o", str(csv), "--plot", str(png)
    )
    ranking = pd.read_csv(csv)
    assert {"rank", "country", "index", "index_low", "index_high", "n_partners_multi", "share_multi"} <= set(
        ranking.columns
    )
    ranked = ranking.dropna(subset=["rank"])
    assert ranked["index"].is_monotonic_decreasing and len(ranked) >= 10
    assert not ranked["uncertain"].any() and (ranked["n_texts"] >= 5).all()
    assert "countries ranked" in " ".join(err.split())
    assert png.read_bytes().startswith(PNG) and png.stat().st_size > 10_000
    out, err = run_tota(
        "spaghetti", "--country", "CHL", "--area", "rules_of_origin", "--bootstrap", "0", "-f", "csv"
    )
    areas = _csv(out)
    assert list(areas["area"]) == ["rules_of_origin"] and "CHL: index" in " ".join(err.split())
    out, _ = run_tota(
        "spaghetti", "--pair", "CHL,PER", "--pair", "USA,CHL", "--area", "rules_of_origin",
        "--bootstrap", "0", "-f", "csv",
    )  # fmt: skip
    pairs = _csv(out)
    assert {tuple(p) for p in pairs[["iso_a", "iso_b"]].to_numpy()} == {("CHL", "PER"), ("CHL", "USA")}


def test_spaghetti_sensitivity_and_network(run_tota: Run) -> None:
    out, err = run_tota("spaghetti", "--sensitivity", "--area", "rules_of_origin", "-f", "csv")
    table = _csv(out).set_index("variant")
    assert "reference: coverage share (share_multi)" in table.index and "DESTA list" in table.index
    assert "rank correlation with the plain coverage share" in " ".join(err.split())  # the note wraps
    out, _ = run_tota("spaghetti", "--network", "--area", "rules_of_origin", "-f", "csv")
    assert list(_csv(out)["area"])[:2] == ["all", "rules_of_origin"]


def test_compat_partner_by_area_and_heatmap(run_tota: Run, tmp_path: Path) -> None:
    png = tmp_path / "compat.png"
    out, err = run_tota(
        "compat", "--partner", "PAK", "--partner", "CHL", "--by-area", "-f", "csv", "--plot", str(png),
        "--bootstrap", "20",
    )  # fmt: skip
    df = _csv(out)
    assert set(df["partner"]) == {"PAK", "CHL"}
    assert {"raw", "placebo", "excess", "excess_low", "excess_high", "note"} <= set(df.columns)
    assert df["raw"].dropna().between(0, 1).all()
    missing = df[df["raw"].isna()]
    assert (missing["note"] == "China's set writes no clause in this area").all()
    note = " ".join(err.split())
    assert "China's set:" in note and "left out for language" in note
    assert png.read_bytes().startswith(PNG)
    out, _ = run_tota(
        "compat", "--partner", "PAK", "--china-set", "china-korea", "--bootstrap", "0", "-f", "csv"
    )
    scores = _csv(out)
    assert list(scores["partner"]) == ["PAK"] and scores["own_china_agreements"].isna().all()


def test_strength_of_one_area_is_its_row_of_all_areas(run: Run) -> None:
    # Enforceability is judged on the whole agreement (its dispute-settlement chapter lies outside
    # the area asked for), then the area's row is taken.
    every = _csv(run("strength", "us-peru", "-f", "csv")[0]).set_index("area")
    one = _csv(run("strength", "us-peru", "--area", "investment", "-f", "csv")[0]).set_index("area")
    assert list(one.index) == ["investment"]
    assert bool(every.loc["investment", "has_dispute_settlement"])
    assert bool(one.loc["investment", "has_dispute_settlement"])
    assert one.loc["investment"].equals(every.loc["investment"])
    listed = _csv(run("strength", "us-peru", "--area", "investment", "--clauses", "-f", "csv")[0])
    assert set(listed["area"]) == {"investment"} and len(listed) == one.loc["investment", "n_clauses"]


def test_errors_are_one_line(tota_db: Path) -> None:
    runner = CliRunner()
    bad_area = runner.invoke(app, ["spaghetti", "--area", "nonsense", "--db", str(tota_db)])
    assert bad_area.exit_code == 1 and "unknown area" in bad_area.stderr
    bad_partner = runner.invoke(app, ["compat", "--partner", "USA", "--db", str(tota_db)])
    assert bad_partner.exit_code == 1 and "not Belt and Road partners" in bad_partner.stderr
    bad_pair = runner.invoke(app, ["spaghetti", "--pair", "CHL", "--db", str(tota_db)])
    assert bad_pair.exit_code == 1 and "--pair" in bad_pair.stderr
    bad_include = runner.invoke(app, ["spaghetti", "--include", "goods", "--db", str(tota_db)])
    assert bad_include.exit_code == 1 and "cannot include goods" in bad_include.stderr
    bad_kind = runner.invoke(app, ["compat", "--china-set", "own,nafta", "--db", str(tota_db)])
    assert bad_kind.exit_code == 1 and "--china-set" in bad_kind.stderr
