"""The strength, spaghetti and compat commands on the ToTA store: CSV that pandas reads, PNG plots."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rulecompare.cli import app
from rulecompare.metrics.strength import STRENGTH_CLASSES

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def run(tota_db: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str) -> tuple[str, str]:
        result = runner.invoke(app, [*args, "--db", str(tota_db)])
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        return result.stdout, result.stderr

    return invoke


def _csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text))


def test_strength_shares_and_clauses(run) -> None:  # type: ignore[no-untyped-def]
    out, _ = run("strength", "nafta", "--area", "investment", "-f", "csv")
    df = _csv(out)
    assert list(df["agreement_id"]) == ["tota:112"] and list(df["area"]) == ["investment"]
    shares = df.filter(like="share_").sum(axis=1)
    assert shares.iloc[0] == pytest.approx(1.0)
    assert df["enforceable"].dtype == bool
    out, _ = run("strength", "nafta", "--area", "investment", "--clauses", "-f", "csv")
    clauses = _csv(out)
    assert len(clauses) == df["n_clauses"].iloc[0]
    assert set(clauses["strength"]) <= set(STRENGTH_CLASSES)


def test_spaghetti_ranking_country_pairs_and_plot(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv, png = tmp_path / "rank.csv", tmp_path / "rank.png"
    _, err = run(
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
    out, err = run(
        "spaghetti", "--country", "CHL", "--area", "rules_of_origin", "--bootstrap", "0", "-f", "csv"
    )
    areas = _csv(out)
    assert list(areas["area"]) == ["rules_of_origin"] and "CHL: index" in " ".join(err.split())
    out, _ = run(
        "spaghetti", "--pair", "CHL,PER", "--pair", "USA,CHL", "--area", "rules_of_origin",
        "--bootstrap", "0", "-f", "csv",
    )  # fmt: skip
    pairs = _csv(out)
    assert {tuple(p) for p in pairs[["iso_a", "iso_b"]].to_numpy()} == {("CHL", "PER"), ("CHL", "USA")}


def test_spaghetti_sensitivity_and_network(run) -> None:  # type: ignore[no-untyped-def]
    out, err = run("spaghetti", "--sensitivity", "--area", "rules_of_origin", "-f", "csv")
    table = _csv(out).set_index("variant")
    assert "reference: coverage share (share_multi)" in table.index and "DESTA list" in table.index
    assert "rank correlation with the plain coverage share" in " ".join(err.split())  # the note wraps
    out, _ = run("spaghetti", "--network", "--area", "rules_of_origin", "-f", "csv")
    assert list(_csv(out)["area"])[:2] == ["all", "rules_of_origin"]


def test_compat_partner_by_area_and_heatmap(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "compat.png"
    out, err = run(
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
    out, _ = run("compat", "--partner", "PAK", "--china-set", "china-korea", "--bootstrap", "0", "-f", "csv")
    scores = _csv(out)
    assert list(scores["partner"]) == ["PAK"] and scores["own_china_agreements"].isna().all()


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
