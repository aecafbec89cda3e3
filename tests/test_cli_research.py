"""Issue 12: the CLI a researcher can live in, on the sample store (fast).

Each test names the point of the issue it checks: bounded figures written after the data (1),
chapter and area comparisons of two agreements (2), no silent wrong outputs (3), tables that show
the substance (5), texts of one's own (6), feedback on long work (7), filters that say what they
dropped (8) and life without the corpus (9). The same on the real corpus: test_cli_research_corpus.py.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_DIR, copy_store
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

import rulecompare.paths
import rulecompare.plots
from rulecompare.cli import app
from rulecompare.export import write_frame
from rulecompare.plots import (
    MAX_HEATMAP_UNITS,
    MAX_PLOT_INCHES,
    profile_chart,
    ranking_bar,
    score_heatmap,
    timeline_chart,
)

runner = CliRunner()
WIDE = {"COLUMNS": "160"}


@pytest.fixture(scope="module")
def db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_store(sample_db, tmp_path_factory.mktemp("cli_research") / "sample.db")


def run(*args: str, code: int = 0, env: dict[str, str] | None = None) -> Result:
    result = runner.invoke(app, list(args), env={**WIDE, **(env or {})})
    assert result.exit_code == code, (result.output, result.exception)
    return result


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


MAX_PIXELS = int(MAX_PLOT_INCHES * 150)


# -- 1. figures have a bounded size, and the data is written before them ---------------------------


def test_the_biggest_heatmap_stays_within_the_bound(tmp_path: Path) -> None:
    n = MAX_HEATMAP_UNITS
    names = [f"Agreement {i} between the Government of A and the Government of B" for i in range(n)]
    scores = pd.DataFrame(np.random.default_rng(1).random((n, n)), index=names, columns=names)
    png = score_heatmap(scores, tmp_path / "big.png", title="all pairs", colorbar="jaccard")
    width, height = png_size(png)
    assert width <= MAX_PIXELS and height <= MAX_PIXELS


def test_a_heatmap_beyond_the_bound_is_refused_naming_the_filters(tmp_path: Path) -> None:
    n = MAX_HEATMAP_UNITS + 1
    scores = pd.DataFrame(np.zeros((n, 2)))
    with pytest.raises(Exception, match="--family, --party, --area"):
        score_heatmap(scores, tmp_path / "x.png", title="t", colorbar="c")
    assert not (tmp_path / "x.png").exists()


def test_every_chart_stays_within_the_bound_for_a_long_table(tmp_path: Path) -> None:
    n = 500
    rng = np.random.default_rng(2)
    mix = rng.dirichlet(np.ones(4), size=n)
    table = pd.DataFrame(
        {
            "name": [f"Agreement number {i}" for i in range(n)],
            "family": [f"f{i}" for i in range(n)],
            "date_signed": pd.date_range("1990-01-01", periods=n, freq="W").astype(str),
            "n_clauses": rng.integers(10, 900, n),
            "binding": mix[:, 0],
            "soft": mix[:, 1],
            "permissive": mix[:, 2],
            "exception": mix[:, 3],
            "ds_reach": rng.random(n),
            "n_bodies": rng.integers(0, 9, n),
            "n_review_clauses": rng.integers(0, 9, n),
            "index": rng.random(n),
            "a": rng.random(n),
            "b": rng.random(n),
        }
    )
    for cls in ("binding", "soft", "permissive", "exception"):
        table[f"{cls}_lo"], table[f"{cls}_hi"] = table[cls] * 0.9, table[cls] * 1.1
    charts = [
        ranking_bar(
            table, tmp_path / "r.png", value="index", label="name", title="t", top=n, parts=("a", "b")
        ),
        profile_chart(table, tmp_path / "p.png", label="name", title="t", top=n),
        timeline_chart(table, tmp_path / "t.png", label="name", title="t"),
    ]
    for png in charts:
        width, height = png_size(png)
        assert width <= MAX_PIXELS and height <= MAX_PIXELS, png


def test_matrix_writes_the_data_before_a_plot_that_cannot_be_drawn(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rulecompare.plots, "MAX_HEATMAP_UNITS", 2)
    out, png = tmp_path / "m.csv", tmp_path / "m.png"
    result = run("matrix", "--db", str(db), "-o", str(out), "--plot", str(png), code=1)
    assert len(pd.read_csv(out)) == 8, "the matrix is written although the plot is refused"
    assert not png.exists()
    assert "narrow the selection" in result.output


def test_a_plot_file_of_no_known_format_is_refused_before_any_work(db: Path, tmp_path: Path) -> None:
    result = run(
        "matrix", "--db", str(db), "-o", str(tmp_path / "m.csv"), "--plot", str(tmp_path / "m.gif"), code=1
    )
    assert "plot file must end in" in result.output and not (tmp_path / "m.csv").exists()


# -- 2. chapter and area comparisons of two agreements ----------------------------------------------


def test_two_agreements_by_chapter_are_the_block_of_a_against_b(db: Path) -> None:
    r = run("matrix", "us peru", "china pakistan", "--level", "chapter", "--db", str(db), "-f", "csv")
    block = pd.read_csv(io.StringIO(r.stdout))
    assert list(block.columns[:3]) == ["id", "chapter", "title"]
    assert block["id"].str.startswith("tota:901#").all(), "rows are the chapters of the first agreement named"
    b_columns = list(block.columns[3:])
    assert b_columns and all(c.startswith("tota:904#") for c in b_columns), "columns are the second's"
    assert "Rules of Origin and Origin Procedures" in set(block["title"])
    assert "THREE" not in set(block["chapter"]) and "3" in set(block["chapter"].astype(str))


def test_two_agreements_by_chapter_at_the_terminal_name_chapters_and_best_counterparts(db: Path) -> None:
    out = run("matrix", "tota:901", "tota:904", "--level", "chapter", "--db", str(db)).stdout
    head, _, rest = out.partition("\n\n")
    assert "US - Peru (tota:901, rows) x China - Pakistan (tota:904, columns)" in head
    table = rest.splitlines()
    assert table[0].split()[:4] == ["chapter", "title", "best", "score"]
    roo = next(line for line in table if "Rules of Origin and Origin Procedures" in line)
    assert roo.split()[0] == "3" and "III" in roo.split(), "rules of origin's best counterpart is chapter III"
    assert "III  Rules of Origin" in out, "a legend names B's chapters"


def test_long_form_by_chapter_names_both_sides_and_keeps_pairs_across(db: Path) -> None:
    r = run("matrix", "tota:901", "tota:904", "--level", "chapter", "--long", "--db", str(db), "-f", "csv")
    pairs = pd.read_csv(io.StringIO(r.stdout))
    for col in ("a_name", "a_chapter", "a_title", "b_name", "b_chapter", "b_title", "score", "baseline"):
        assert col in pairs.columns
    assert (pairs["a_agreement"] != pairs["b_agreement"]).all()
    assert set(pairs["a_name"]) | set(pairs["b_name"]) == {"US - Peru", "China - Pakistan"}
    within = pd.read_csv(
        io.StringIO(
            run(
                "matrix", "tota:901", "tota:904", "--level", "chapter", "--long", "--within",
                "--db", str(db), "-f", "csv",
            ).stdout
        )
    )  # fmt: skip
    assert (within["a_agreement"] == within["b_agreement"]).any()


def test_area_level_puts_same_area_pairs_first(db: Path) -> None:
    r = run("matrix", "tota:901", "tota:904", "--level", "area", "--long", "--db", str(db), "-f", "csv")
    pairs = pd.read_csv(io.StringIO(r.stdout))
    same = (pairs["a_area"] == pairs["b_area"]).to_numpy()
    assert same.any() and not same[same.sum() :].any(), "every same-area pair comes before the others"
    block = pd.read_csv(
        io.StringIO(
            run("matrix", "tota:901", "tota:904", "--level", "area", "--db", str(db), "-f", "csv").stdout
        )
    )
    shared = [a for a in block["area"] if f"tota:904@{a}" in block.columns]
    assert list(block["area"][: len(shared)]) == shared, "areas both agreements have come first"
    assert [c.split("@")[1] for c in block.columns[2 : 2 + len(shared)]] == shared, "and on the diagonal"


# -- 3. no silent wrong outputs ----------------------------------------------------------------------


def test_xlsx_is_an_excel_workbook_with_its_notes(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "agreements.xlsx"
    run("list", "--party", "CHN", "--db", str(db), "-o", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["data", "about"]
    data = pd.read_excel(out, sheet_name="data")
    assert set(data["id"]) == {"file:china-georgia-2017", "tota:904", "tota:905"}
    about = dict(pd.read_excel(out, sheet_name="about").itertuples(index=False, name=None))
    assert about["command"] == f"rulecompare list --party CHN --db {db} -o {out}"
    assert about["rows"] == 3 and "counted" in about["note"] and about["title"] == "3 agreements"


def test_a_suffix_that_names_no_format_is_refused(db: Path, tmp_path: Path) -> None:
    result = run("list", "--db", str(db), "-o", str(tmp_path / "agreements.xls"), code=1)
    assert ".xlsx instead" in result.output and not (tmp_path / "agreements.xls").exists()


@pytest.mark.parametrize("party", ["China", "People's Republic of China", "chn"])
def test_list_party_by_country_name(db: Path, party: str) -> None:
    by_name = pd.read_csv(io.StringIO(run("list", "--party", party, "--db", str(db), "-f", "csv").stdout))
    assert set(by_name["id"]) == {"file:china-georgia-2017", "tota:904", "tota:905"}


def test_list_party_by_bloc_finds_the_agreements_it_signed_as_one(db: Path) -> None:
    eu = pd.read_csv(io.StringIO(run("list", "--party", "EU", "--db", str(db), "-f", "csv").stdout))
    assert list(eu["id"]) == ["tota:903"], "EU - Georgia, whose ToTA record lists the member states"
    asean = pd.read_csv(io.StringIO(run("list", "-p", "ASEAN", "--db", str(db), "-f", "csv").stdout))
    assert list(asean["id"]) == ["tota:905"]
    germany = pd.read_csv(io.StringIO(run("list", "-p", "Germany", "--db", str(db), "-f", "csv").stdout))
    assert list(germany["id"]) == ["tota:903"]


def test_an_unknown_party_says_what_is_expected(db: Path) -> None:
    result = run("list", "--party", "Chnia", "--db", str(db), code=1)
    assert "ISO3 code (CHN)" in result.output and "China (CHN)" in result.output


def test_a_matrix_of_one_agreement_is_an_error_saying_what_to_do(db: Path) -> None:
    result = run("matrix", "us peru", "--db", str(db), code=1)
    assert "names one (tota:901)" in result.output and "rulecompare neighbours" in result.output
    assert "1.0" not in result.stdout


def test_an_ambiguous_name_says_how_many_it_fits(db: Path) -> None:
    result = run("show", "georgia", "--db", str(db), code=2)
    assert "fits 3 agreements" in result.output or "is ambiguous" in result.output
    message = " ".join(result.output.split())
    for aid in ("file:china-georgia-2017", "file:efta-georgia-2016", "tota:903"):
        assert aid in message


def test_an_ambiguous_name_beyond_the_list_says_there_are_more() -> None:
    from rulecompare.catalog import resolve
    from rulecompare.errors import AmbiguousNameError

    table = pd.DataFrame(
        {
            "id": [f"test:{i}" for i in range(9)],
            "name": [f"Korea - Country {i}" for i in range(9)],
            "aliases": "",
        }
    )
    table["aliases"] = "korea"
    with pytest.raises(AmbiguousNameError) as caught:
        resolve("korea", table)
    assert "fits 9 agreements; the first 5" in str(caught.value) and "and 4 more" in str(caught.value)


# -- 5. tables that show the substance ----------------------------------------------------------------


def test_terminal_tables_keep_whole_names_and_show_missing_as_a_dash(db: Path) -> None:
    out = run("list", "--db", str(db), env={"COLUMNS": "200"}).stdout
    for bad in ("NaN", "<NA>", "None", "nan"):
        assert bad not in out.split(), bad
    assert "—" in out
    long_name = "Pakistan - Sri Lanka"
    assert long_name in out


def test_a_narrow_terminal_wraps_instead_of_cutting(db: Path) -> None:
    out = run("neighbours", "tota:901", "--top", "3", "--db", str(db), env={"COLUMNS": "60"}).stdout
    assert all(len(line) <= 60 for line in out.splitlines() if not line.startswith("corpus baseline")), out
    assert "…" not in out


def test_title_and_notes_come_before_the_table_on_stdout(db: Path) -> None:
    out = run("matrix", "tota:901", "tota:902", "tota:904", "--db", str(db)).stdout
    lines = out.splitlines()
    assert lines[0].startswith("jaccard matrix at agreement level")
    assert any(line.startswith("corpus baseline (median pair) =") for line in lines[:4])
    assert lines.index("") < next(i for i, line in enumerate(lines) if line.startswith("tota:901"))


def test_align_shows_the_text_of_rules_only_one_side_has(db: Path) -> None:
    out = run(
        "align", "tota:901", "tota:902", "--area", "investment", "--db", str(db), env={"COLUMNS": "200"}
    )
    text = " ".join(out.stdout.split())
    assert "NaN" not in text and "nan" not in text.split()
    assert "only_a" in text and "Transfers" not in text or "transfers" in text.lower()
    with_long_clause = [line for line in out.stdout.splitlines() if line.startswith("only_b")]
    assert with_long_clause and all("—" in line for line in with_long_clause)


def test_search_shows_the_whole_snippet(db: Path) -> None:
    csv = run("search", "compensation", "--db", str(db), "-f", "csv").stdout
    snippets = pd.read_csv(io.StringIO(csv))["snippet"]
    out = " ".join(run("search", "compensation", "--db", str(db), env={"COLUMNS": "80"}).stdout.split())
    assert len(snippets) >= 3
    for snippet in snippets:
        assert " ".join(snippet.split()) in out, "each snippet is wrapped whole, not cut"


def test_files_carry_counts_as_integers_and_missing_as_empty(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"id": ["a", "b"], "n_agreements": [21.0, np.nan], "desta_id": [990.0, np.nan], "score": [1.0, 0.5]}
    )
    out = tmp_path / "t.csv"
    write_frame(frame, out)
    assert out.read_text().splitlines() == ["id,n_agreements,desta_id,score", "a,21,990,1.0", "b,,,0.5"]
    records = json.loads(write_frame(frame, None, "json") or "")
    assert records[0]["n_agreements"] == 21 and records[1]["n_agreements"] is None


def test_list_in_a_file_keeps_desta_numbers_as_integers(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "l.csv"
    run("list", "--db", str(db), "-o", str(out))
    assert "990.0" not in out.read_text() and ",990," in out.read_text()


# -- 6. a text of one's own ----------------------------------------------------------------------------


def test_own_text_gets_its_id_from_its_name_and_resolves(db: Path, tmp_path: Path) -> None:
    store = copy_store(db, tmp_path / "own.db")
    own = tmp_path / "my.html"
    shutil.copy(SAMPLE_DIR / "text" / "efta-georgia-2016.html", own)
    result = run(
        "ingest",
        str(own),
        "--name",
        "EFTA-Georgia FTA",
        "--parties",
        "CHE,ISL,LIE,NOR,GEO",
        "--db",
        str(store),
    )
    output = " ".join(result.output.split())
    assert "added: file:efta-georgia-fta (EFTA-Georgia FTA)" in output
    assert "duplicate:" in output and "file:efta-georgia-2016" in output, "the copy is reported"
    shown = run("show", "efta-georgia-fta", "--db", str(store)).stdout
    assert shown.startswith("EFTA-Georgia FTA (file:efta-georgia-fta)")
    aligned = run("align", "efta-georgia-fta", "efta georgia", "--db", str(store), "-f", "csv")
    assert "align: file:efta-georgia-fta with file:efta-georgia-2016" in aligned.stderr


def test_a_name_held_by_another_file_is_refused(db: Path, tmp_path: Path) -> None:
    store = copy_store(db, tmp_path / "own.db")
    own = tmp_path / "other.txt"
    shutil.copy(SAMPLE_DIR / "text" / "china-georgia-2017.txt", own)
    run("ingest", str(own), "--name", "Mine", "--db", str(store))
    again = tmp_path / "again.txt"
    shutil.copy(own, again)
    result = run("ingest", str(again), "--name", "Mine", "--db", str(store), code=1)
    assert "file:mine (Mine) is already in the store" in " ".join(result.output.split())


# -- 7. feedback on long work --------------------------------------------------------------------------


def test_long_commands_say_what_they_do_when_not_at_a_terminal(db: Path) -> None:
    for args in (["reuse", "tota:902"], ["neighbours", "tota:901", "--article", "4.5"], ["compat"]):
        result = run(*args, "--db", str(db), "-f", "csv")
        assert "s] " in result.stderr and ": done" in result.stderr, (args, result.stderr)
        assert "s] " not in result.stdout


def test_verbose_ingest_of_an_existing_store_shows_the_warnings(db: Path, tmp_path: Path) -> None:
    store = copy_store(db, tmp_path / "v.db")
    first = run("ingest", str(SAMPLE_DIR / "xml"), "--db", str(store), "-v")
    assert "0 added, 0 updated, 7 unchanged" in first.output
    text = tmp_path / "year.txt"
    text.write_text((SAMPLE_DIR / "text" / "china-georgia-2017.txt").read_text(), encoding="utf-8")
    quiet = run("ingest", str(text), "--db", str(store))
    assert "1 file was read with warnings" in quiet.output
    verbose = run("ingest", str(text), "--db", str(store), "-v")
    assert "1 unchanged" in verbose.output
    assert f"warning: {text}:" in " ".join(verbose.output.split())


# -- 8. filters say what they dropped --------------------------------------------------------------------


def test_an_area_filter_says_how_many_were_asked_compared_and_left_out(db: Path) -> None:
    result = run("matrix", "--level", "area", "--area", "rules_of_origin", "--db", str(db), "-f", "csv")
    notes = " ".join(result.stderr.split())
    assert "8 agreements asked for, 6 compared, 2 left out" in notes
    dropped = "EFTA - Georgia (file:efta-georgia-2016); EU - Georgia (tota:903)"
    assert f"no clause classified rules_of_origin: {dropped}" in notes
    out = run("matrix", "--level", "area", "--area", "rules_of_origin", "--db", str(db)).stdout
    assert "2 left out" in out.split("\n\n")[0], "at the terminal, in the header above the table"


def test_reuse_does_not_set_its_union_beside_a_pair_baseline(db: Path) -> None:
    notes = " ".join(run("reuse", "tota:902", "--db", str(db), "-f", "csv").stderr.split())
    headline = next(n for n in notes.split("[") if "runs of 6+ words" in n)
    assert "union" in headline and "baseline (median pair)" not in headline
    assert "copied_share below is per source agreement" in notes


# -- 9. without the corpus -------------------------------------------------------------------------------


@pytest.fixture()
def no_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine with no corpus and no shared metadata: empty home, no checkout beside ../shared."""
    home = tmp_path / "home"
    work = tmp_path / "work" / "here"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    monkeypatch.setattr(rulecompare.paths, "_CHECKOUT", tmp_path / "nowhere" / "checkout")
    for var in ("RULECOMPARE_DB", "RULECOMPARE_CORPUS", "RULECOMPARE_SHARED", "RULECOMPARE_METADATA"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    return home


def test_without_a_store_or_corpus_list_names_what_to_do_without_a_circle(no_corpus: Path) -> None:
    listed = " ".join(run("list", code=1).output.split())
    assert "no store yet" in listed and "no corpus is found" in listed
    assert "rulecompare ingest FILE.txt --name NAME" in listed
    ingest = " ".join(run("ingest", code=1).output.split())
    assert "rulecompare ingest FILE.txt --name NAME" in ingest


def test_a_failed_download_leaves_no_folder_and_says_what_to_do(no_corpus: Path) -> None:
    result = run("corpus", "download", "--url", "http://127.0.0.1:9/tota.zip", code=1)
    assert "Without the network" in result.output and "--corpus PATH" in result.output
    assert not (no_corpus / ".cache").exists()


def test_own_texts_without_the_corpus(no_corpus: Path, tmp_path: Path) -> None:
    one = SAMPLE_DIR / "text" / "china-georgia-2017.txt"
    run("ingest", str(one), "--name", "China-Georgia FTA", "--parties", "CHN,GEO")
    alone = " ".join(run("matrix", code=1).output.split())
    assert "the store holds 1" in alone and "nan" not in alone
    run("ingest", str(SAMPLE_DIR / "text" / "efta-georgia-2016.html"), "--name", "EFTA-Georgia")
    two = run("matrix")
    assert "nan" not in two.output and "baseline" in two.output
    bowl = " ".join(run("spaghetti", code=1).output.split())
    assert "WTO's list of regional trade agreements" in bowl and "RULECOMPARE_METADATA" in bowl
    assert "matrix, neighbours, align" in bowl
    listed = " ".join(run("list").output.split())
    assert "desta_id is empty" in listed and "RULECOMPARE_METADATA" in listed


def test_align_in_a_file_keeps_article_positions_as_integers(db: Path) -> None:
    out = run("align", "tota:901", "tota:902", "--db", str(db), "-f", "csv").stdout
    pairs = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    positions = [v for col in ("a_article_index", "b_article_index") for v in pairs[col] if v]
    assert positions and all(v.isdigit() for v in positions), "0, not 0.0; a one-sided rule's side is empty"
    assert (pairs["a_article_index"] == "").any() or (pairs["b_article_index"] == "").any()


def test_a_matrix_too_large_for_a_terminal_says_to_write_a_file(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rulecompare.cli.matrix_cmd as cli_matrix

    monkeypatch.setattr(cli_matrix, "MAX_TERMINAL_UNITS", 5)
    monkeypatch.setattr(cli_matrix, "MAX_TERMINAL_PAIRS", 30)
    refused = run("matrix", "--db", str(db), code=1)
    assert "8 units make a 8 x 8 table" in refused.output and "-o matrix.csv" in refused.output
    assert "64 rows of pairs" in run("matrix", "--long", "--db", str(db), code=1).output
    run("matrix", "--db", str(db), "-o", str(tmp_path / "m.csv"))
    assert len(pd.read_csv(tmp_path / "m.csv")) == 8, "a file takes any size"
    assert "tota:901" in run("matrix", "tota:901", "tota:902", "tota:904", "--db", str(db)).stdout


def test_a_yes_no_column_with_a_missing_value_shows_a_dash() -> None:
    from rulecompare.cli.tables import render_table

    table = pd.DataFrame(
        {"name": ["a", "b", "c"], "in_force": pd.array([True, None, False], dtype="boolean")}
    )
    rows = [line.split() for line in render_table(table, width=80).splitlines()[-3:]]
    assert rows == [["a", "yes"], ["b", "—"], ["c", "no"]]
