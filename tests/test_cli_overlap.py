"""The overlap commands through Typer's CliRunner on a copy of the sample store."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import copy_store
from typer.testing import CliRunner, Result

from rulecompare.cli import app
from rulecompare.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_store(sample_db, tmp_path_factory.mktemp("cli_overlap") / "sample.db")


def run(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_matrix_csv_wide_and_long(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    r = run("matrix", "tota:901", "tota:902", "tota:904", "--db", str(db), "-o", str(out))
    wide = pd.read_csv(out)
    assert list(wide.columns) == ["id", "name", "tota:901", "tota:902", "tota:904"] and len(wide) == 3
    assert wide.iloc[0, 2] == pytest.approx(1.0)
    assert "baseline" in r.output
    r = run("matrix", "tota:901", "tota:902", "--db", str(db), "--long", "--format", "json")
    rows = json.loads(r.stdout)
    assert len(rows) == 2 and {"a", "b", "score", "measure", "level"} <= set(rows[0])


def test_matrix_plot(db: Path, tmp_path: Path) -> None:
    png = tmp_path / "m.png"
    run(
        "matrix",
        "tota:903",
        "tota:904",
        "tota:905",
        "tota:901",
        "--db",
        str(db),
        "--plot",
        str(png),
        "-f",
        "csv",
    )
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_neighbours_align_reuse(db: Path, tmp_path: Path) -> None:
    r = run("neighbours", "tota:901", "--top", "3", "--db", str(db), "-f", "csv")
    assert len(pd.read_csv(pd.io.common.StringIO(r.stdout))) == 3 and "baseline" in r.output
    out = tmp_path / "a.csv"
    r = run("align", "tota:901", "tota:902", "--area", "investment", "--db", str(db), "-o", str(out))
    frame = pd.read_csv(out)
    assert {"status", "deleted", "inserted", "score"} <= set(frame.columns)
    assert set(frame["status"]) == {"aligned", "only_a", "only_b"}
    assert "same-title" in r.output
    # US - Panama dropped Transfers and added Performance Requirements to US - Peru's chapter
    assert set(frame.loc[frame["status"] == "only_a", "a_title"]) == {"Transfers"}
    assert "Performance Requirements" in set(frame.loc[frame["status"] == "only_b", "b_title"])
    r = run("reuse", "tota:902", "--db", str(db), "-f", "csv")
    sources = pd.read_csv(pd.io.common.StringIO(r.stdout))
    assert sources["agreement_id"].iloc[0] == "tota:901" and sources["copied_share"].iloc[0] > 0.5
    assert "at least one of the 4 earlier agreements in its language" in " ".join(r.output.split())


def test_neighbours_of_an_article_and_reuse_by_clause(db: Path, tmp_path: Path) -> None:
    r = run(
        "neighbours",
        "tota:901",
        "--article",
        "4.5",
        "--top",
        "2",
        "--monolingual",
        "--db",
        str(db),
        "-f",
        "csv",
    )
    articles = pd.read_csv(pd.io.common.StringIO(r.stdout))
    assert list(articles["agreement_id"]) == ["tota:902", "tota:904"]
    assert articles["article_title"].str.contains("Expropriation").all()
    out = tmp_path / "sources.csv"
    run("reuse", "tota:902", "--clauses", "--db", str(db), "-o", str(out))
    clauses = pd.read_csv(out)
    with Store(db, readonly=True) as store:
        assert list(clauses["clause"]) == list(store.clauses(["tota:902"])["id"])
    assert clauses["source"].value_counts().idxmax() == "tota:901"


def test_bad_measure_is_one_line_error(db: Path) -> None:
    result = runner.invoke(app, ["matrix", "tota:901", "tota:902", "--measure", "cosine", "--db", str(db)])
    assert result.exit_code == 1 and "measure must be" in result.output
