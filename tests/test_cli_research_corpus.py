"""Issue 12 on the whole default corpus: the answers the issue found wrong are facts about real
agreements (CPTPP's text, China's agreements, China-Korea against KORUS, the EU's rules of origin).
The same points on the sample store: test_cli_research.py."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from typer.testing import CliRunner, Result

from rulecompare.catalog import resolve
from rulecompare.cli import app
from rulecompare.store import Store

runner = CliRunner()
AGREEMENTS_DIR = ROOT / "agreements"


@pytest.fixture(scope="module")
def db(full_db: Path) -> Path:
    """The run's whole-corpus store: these commands only read it and fill its feature cache, which the
    docs examples and the docs figures share."""
    return full_db


def run(db: Path, *args: str) -> Result:
    result = runner.invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def test_every_curated_alias_names_its_text(db: Path) -> None:
    with (AGREEMENTS_DIR / "aliases.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with Store(db, readonly=True) as store:
        table = store.agreements()
    for row in rows:
        assert resolve(row["alias"], table) == row["id"], row
    assert resolve("cptpp", table) == "file:cptpp-2018" != resolve("tpp", table)


def test_list_party_by_name_is_the_list_by_code(db: Path) -> None:
    by_code = pd.read_csv(io.StringIO(run(db, "list", "--party", "CHN", "-f", "csv").stdout))
    by_name = pd.read_csv(io.StringIO(run(db, "list", "--party", "China", "-f", "csv").stdout))
    assert len(by_code) >= 15 and list(by_name["id"]) == list(by_code["id"])
    assert "China - Rep. of Korea" in set(by_name["name"])


def test_china_korea_against_korus_by_chapter(db: Path) -> None:
    block = pd.read_csv(
        io.StringIO(run(db, "matrix", "china korea", "korus", "--level", "chapter", "-f", "csv").stdout)
    )
    assert block["id"].str.startswith("tota:398#").all()
    assert all(c.startswith("tota:159#") for c in block.columns[3:])
    roo = block[block["title"].str.lower() == "rules of origin and origin implementation procedures"]
    assert len(roo) == 1
    best = roo.iloc[0, 3:].astype(float).idxmax()
    terminal = run(db, "matrix", "china korea", "korus", "--level", "chapter").stdout
    assert terminal.startswith("jaccard: China - Rep. of Korea (tota:398, rows) x Korea, Republic of - US")
    assert "Rules Of Origin And Origin Procedures" in terminal, "KORUS's chapter titles are in the legend"
    assert best == "tota:159#6", "China-Korea's rules of origin are closest to KORUS's (chapter 6)"
    assert re.search(r"^3\s+Rules Of Origin.*?\s{2,}6\s+0\.\d{3}\s", terminal, flags=re.M), terminal


def test_an_area_filter_says_which_eu_agreements_it_leaves_out(db: Path) -> None:
    result = run(db, "matrix", "--family", "eu", "--level", "area", "--area", "rules_of_origin", "-f", "csv")
    notes = " ".join(result.stderr.split())
    with Store(db, readonly=True) as store:
        asked = len(store.agreements(family="eu"))
    compared = len(pd.read_csv(io.StringIO(result.stdout)))
    assert f"{asked} agreements asked for, {compared} compared, {asked - compared} left out" in notes
    assert asked - compared > 0 and "file:eu-canada-ceta-2016" in notes
