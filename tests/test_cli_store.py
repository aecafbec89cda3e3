"""The store commands through Typer's CliRunner, on the sample store; the answers that are facts about
real agreements (NAFTA's outline, TPP's e-commerce chapter, all of ToTA exported) on the ToTA store."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
import typer
from conftest import SAMPLE_DIR
from typer.testing import CliRunner, Result

from rulecompare import __version__
from rulecompare.cli import app
from rulecompare.cli.output import Output, with_output
from rulecompare.store import Store

runner = CliRunner()


def run(*args: str) -> Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_version_and_help() -> None:
    assert __version__ in run("--version").output
    out = run("-h").output
    for command in ("ingest", "list", "show", "search", "export", "corpus"):
        assert command in out
    assert "Examples" in run("search", "--help").output


def test_show_nafta_outline(tota_db: Path) -> None:
    result = run("show", "nafta", "--db", str(tota_db))
    assert result.exit_code == 0, result.output
    assert "22 chapters and 2 unnumbered parts (preamble, conclusion ...), 298 articles" in result.output
    chapters = [line for line in result.output.splitlines() if line.startswith("CHAPTER ")]
    assert len(chapters) == 22
    assert any(line.startswith("CHAPTER ELEVEN Investment") for line in chapters)


def test_show_article(tota_db: Path) -> None:
    result = run("show", "nafta", "--article", "1110", "--db", str(tota_db))
    assert result.exit_code == 0
    assert "Expropriation And Compensation" in result.output
    assert "No Party may directly or indirectly nationalize or expropriate" in result.output


def test_search_command(tota_db: Path) -> None:
    result = run("search", "electronic transmissions", "--db", str(tota_db), "-f", "csv", "-n", "50")
    assert result.exit_code == 0
    df = pd.read_csv(StringIO(result.stdout))
    assert df["name"].str.contains("Trans-Pacific").any()


def test_show_outline_and_article_on_sample(sample_db: Path) -> None:
    result = run("show", "us-panama", "--db", str(sample_db))
    assert result.exit_code == 0, result.output
    assert "US - Panama (tota:902)" in result.output
    assert "8 chapters and 1 unnumbered parts (preamble, conclusion ...), 31 articles" in result.output
    chapters = [line for line in result.output.splitlines() if line.startswith("CHAPTER ")]
    assert len(chapters) == 8 and "CHAPTER FOUR Investment  [investment]" in chapters
    result = run("show", "us-peru", "--article", "4.6", "--db", str(sample_db))
    assert result.exit_code == 0, result.output
    assert "ARTICLE 4.6 Transfers  [investment]" in result.output
    assert "A Party shall let every transfer connected with a covered investment" in result.output
    missing = run("show", "us-panama", "--article", "4.9", "--db", str(sample_db))
    assert missing.exit_code == 1 and "has no article '4.9'" in missing.output


def test_search_phrase_and_near_on_sample(sample_db: Path) -> None:
    result = run("search", "digital products", "--db", str(sample_db), "-f", "csv")
    assert result.exit_code == 0, result.output
    df = pd.read_csv(StringIO(result.stdout))
    assert set(df["agreement_id"]) == {"tota:901", "tota:902"}
    assert df["snippet"].str.contains("«digital» «products»").any()
    result = run(
        "search", "NEAR(investor arbitration, 5)", "--area", "investment", "--db", str(sample_db), "-f", "csv"
    )
    assert result.exit_code == 0, result.output
    df = pd.read_csv(StringIO(result.stdout))
    assert set(df["article_title"]) == {"Submission of a Claim to Arbitration"}


def test_list_filters_json(sample_db: Path) -> None:
    result = run("list", "--party", "CHN", "--db", str(sample_db), "-f", "json")
    rows = json.loads(result.stdout)
    assert rows and all("CHN" in r["parties"].split(";") for r in rows)


def test_export_clauses_roundtrip(sample_db: Path, tmp_path: Path, sample_store: Store) -> None:
    out = tmp_path / "c.csv"
    result = run("export", "clauses", "-o", str(out), "--db", str(sample_db))
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out, keep_default_na=False, low_memory=False)
    assert len(df) == sample_store.count("clauses")
    assert {"id", "agreement_id", "text", "area", "agreement_name", "agreement_parties"} <= set(df.columns)
    agreements = tmp_path / "a.csv"
    run("export", "agreements", "-o", str(agreements), "--db", str(sample_db))
    assert len(pd.read_csv(agreements)) == sample_store.count("agreements")


def test_export_agreements_is_all_of_tota(tota_db: Path, tmp_path: Path) -> None:
    agreements = tmp_path / "a.csv"
    run("export", "agreements", "-o", str(agreements), "--db", str(tota_db))
    assert len(pd.read_csv(agreements)) == 450


def test_unknown_agreement_is_one_line_error(sample_db: Path) -> None:
    result = runner.invoke(app, ["show", "zzzz qqqq", "--db", str(sample_db)])
    assert result.exit_code != 0
    assert "error" in result.output.lower()


def test_missing_store_is_clear(tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no store yet" in result.output


def test_ingest_bad_and_good(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "pta_904.xml").write_bytes((SAMPLE_DIR / "xml" / "pta_904.xml").read_bytes())
    (folder / "bad.xml").write_text("<treaty>")
    db = tmp_path / "s.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 1
    assert "bad.xml: not well-formed XML" in result.output
    assert "1 agreements" in result.output
    again = runner.invoke(app, ["ingest", str(folder / "pta_904.xml"), "--db", str(db)])
    assert again.exit_code == 0 and "1 unchanged" in again.output


def test_corpus_path(tmp_path: Path) -> None:
    result = run("corpus", "path", "--corpus", str(SAMPLE_DIR), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 0
    assert "store:" in result.output
    # the sample is found where it was pointed to, and its XML is not taken for the pinned ToTA
    assert f"corpus: {SAMPLE_DIR} (--corpus option)" in result.output
    assert "(7 files; " in result.output and "differences from the pinned ToTA copy" in result.output


def test_ingest_text_file_with_metadata_and_manifest(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    georgia = SAMPLE_DIR / "text" / "china-georgia-2017.txt"
    result = runner.invoke(
        app,
        ["ingest", str(georgia), "--name", "China - Georgia FTA", "--parties", "CHN,GEO",
         "--signed", "2017-05-13", "--family", "mine", "--db", str(db)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    listed = json.loads(run("list", "--db", str(db), "-f", "json", "--all").stdout)
    assert len(listed) == 1
    row = listed[0]
    assert row["name"] == "China - Georgia FTA" and row["parties"] == "CHN;GEO"
    assert (
        row["date_signed"] == "2017-05-13"
        and "mine" in row["families"].split(";")
        and "china" in row["families"]
    )
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "file,title,signed_year,parties,tota_id,language,notes,original_name\n"
        f"{SAMPLE_DIR / 'text' / 'efta-georgia-2016.html'},EFTA - Georgia,2016,CHE;ISL;LIE;NOR;GEO,,en,,\n",
        encoding="utf-8",
    )
    # A file outside the manifest's folder is read only where --manifest-root allows it.
    refused = runner.invoke(app, ["ingest", "--manifest", str(manifest), "--db", str(db)])
    assert refused.exit_code == 1 and "is an absolute path" in refused.output
    allowed = ["--manifest-root", str(SAMPLE_DIR / "text")]
    result = runner.invoke(app, ["ingest", "--manifest", str(manifest), *allowed, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 agreements" in result.output
    bad = runner.invoke(app, ["ingest", str(georgia), "--signed", "13 May 2017", "--db", str(db)])
    assert bad.exit_code == 1 and "--signed '13 May 2017' is not a date" in bad.output


TABLE_COMMANDS = [
    "list",
    "show",
    "search",
    "matrix",
    "neighbours",
    "align",
    "reuse",
    "strength",
    "spaghetti",
    "compat",
]


def test_table_commands_share_the_output_options() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for name in TABLE_COMMANDS:
        params = {p.name: p for p in group.commands[name].params}
        assert params["db"].opts == ["--db"], name
        assert params["fmt"].opts == ["--format", "-f"], name
        assert params["output"].opts == ["--output", "-o"], name
        assert "out" not in params, name
    # In --help the options stay where the command puts them: --plot after -o.
    spaghetti = [p.name for p in group.commands["spaghetti"].params]
    assert spaghetti[-4:] == ["db", "fmt", "output", "plot"]


def test_with_output_hands_the_options_to_the_command_as_one_value(tmp_path: Path) -> None:
    seen: list[tuple[str, Output]] = []

    @with_output
    def cmd(name: str, *, out: Output, top: int = 3) -> None:
        seen.append((f"{name}:{top}", out))

    one = typer.Typer()
    one.command()(cmd)
    result = runner.invoke(one, ["x", "-o", str(tmp_path / "a.csv"), "--top", "5", "--db", "s.db"])
    assert result.exit_code == 0, result.output
    assert seen == [("x:5", Output(Path("s.db"), None, tmp_path / "a.csv"))]
    assert not seen[0][1].terminal_table and Output(None, "table", None).terminal_table
    assert not Output(None, "csv", None).terminal_table
    with pytest.raises(TypeError, match="no parameter of type Output"):
        with_output(lambda x: None)


def test_interrupted_ingest_says_how_many_files_are_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rulecompare import ingest
    from rulecompare.store import IngestResult

    def two_then_interrupt(
        store: object, sources: object, *, progress: Callable[[IngestResult], None]
    ) -> None:
        progress(IngestResult("a.xml", "added", "tota:1"))
        progress(IngestResult("b.xml", "failed", message="b.xml: broken"))
        progress(IngestResult("c.xml", "unchanged", "tota:3"))
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "ingest_sources", two_then_interrupt)  # the command imports it when it runs
    folder = tmp_path / "in"
    folder.mkdir()
    before = signal.getsignal(signal.SIGINT)  # ignored in a pytest-xdist worker, the default elsewhere
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 130
    assert "interrupted: 1 file written before Ctrl-C (1 unchanged, 1 failed)" in result.output
    # The command ran in this process: Ctrl-C must be handled here as it was before.
    assert signal.getsignal(signal.SIGINT) is before
