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


def test_spaghetti_country_pair_and_ranking_plot(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, err = run("spaghetti", "--country", "EU", "--area", "rules_of_origin", "-f", "csv")
    df = _csv(out)
    assert df.loc[0, "country"] == "EU" and df.loc[0, "n_agreements"] >= 10
    assert "share_multi" in err
    out, _ = run(
        "spaghetti", "--pair", "CHL,PER", "--pair", "SGP,CHN", "--area", "rules_of_origin", "-f", "csv"
    )
    pairs = _csv(out)
    assert {tuple(p) for p in pairs[["iso_a", "iso_b"]].to_numpy()} == {("CHL", "PER"), ("CHN", "SGP")}
    csv, png = tmp_path / "rank.csv", tmp_path / "rank.png"
    run("spaghetti", "--area", "rules_of_origin", "-o", str(csv), "--plot", str(png))
    ranking = pd.read_csv(csv)
    assert {"rank", "country", "share_multi", "divergence", "index"} <= set(ranking.columns)
    ranked = ranking.dropna(subset=["rank"])
    assert ranked["index"].is_monotonic_decreasing and len(ranked) > 20
    assert png.read_bytes().startswith(PNG) and png.stat().st_size > 10_000


def test_compat_partner_by_area_and_heatmap(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "compat.png"
    out, err = run(
        "compat", "--partner", "PAK", "--partner", "CHL", "--by-area", "-f", "csv", "--plot", str(png)
    )
    df = _csv(out)
    assert set(df["partner"]) == {"PAK", "CHL"}
    assert set(df["comparison"]) == {"china_ftas", "own_china_fta"}
    assert df["compat"].between(0, 1).all()
    assert "most compatible areas" in err
    assert png.read_bytes().startswith(PNG)
    out, _ = run("compat", "--partner", "PAK", "--china-set", "china-korea", "-f", "csv")
    scores = _csv(out)
    assert set(scores["comparison"]) == {"china_ftas", "own_china_fta"} and (scores["rank"] == 1).all()


def test_errors_are_one_line(tota_db: Path) -> None:
    runner = CliRunner()
    bad_area = runner.invoke(app, ["spaghetti", "--area", "nonsense", "--db", str(tota_db)])
    assert bad_area.exit_code == 1 and "unknown area" in bad_area.stderr
    bad_partner = runner.invoke(app, ["compat", "--partner", "USA", "--db", str(tota_db)])
    assert bad_partner.exit_code == 1 and "not Belt and Road partners" in bad_partner.stderr
    bad_pair = runner.invoke(app, ["spaghetti", "--pair", "CHL", "--db", str(tota_db)])
    assert bad_pair.exit_code == 1 and "--pair" in bad_pair.stderr
