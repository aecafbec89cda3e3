"""Numbers out of range are refused at the command line with a clear message, never a traceback, and a
full disk under the feature cache costs the cache, not the command (issue 17, point 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import small_store
from typer.testing import CliRunner

from rulecompare.cli import app
from rulecompare.store import Store

runner = CliRunner()

HUGE = "99999999999999999999"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_store(tmp_path_factory.mktemp("limits"))


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["search", "party", "--limit", HUGE], "--limit"),
        (["search", "party", "--limit", "-1"], "--limit"),
        (["search", "party", "-n", "0"], "--limit"),
        (["list", "--year-from", HUGE], "--year-from"),
        (["list", "--year-to", "-5"], "--year-to"),
        (["neighbours", "tota:1", "--top", "-1"], "--top"),
        (["reuse", "tota:1", "--top", "0"], "--top"),
        (["align", "tota:1", "tota:2", "--min-score", "nan"], "--min-score"),
        (["align", "tota:1", "tota:2", "--min-score", "1.5"], "--min-score"),
        (["align", "tota:1", "tota:2", "--min-score", "-inf"], "--min-score"),
        (["compat", "--threshold", "nan"], "--threshold"),
        (["compat", "--top", "-3"], "--top"),
        (["spaghetti", "--as-of", "0"], "--as-of"),
        (["spaghetti", "--as-of", HUGE], "--as-of"),
    ],
)
def test_out_of_range_numbers_are_refused(db: Path, args: list[str], option: str) -> None:
    result = runner.invoke(app, [*args, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.output


def test_in_range_numbers_still_work(db: Path) -> None:
    result = runner.invoke(app, ["search", "party", "-n", "1", "--db", str(db), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2
    assert runner.invoke(app, ["list", "--year-from", "2010", "--db", str(db)]).exit_code == 0


def test_a_full_disk_under_the_feature_cache_is_not_an_error(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "full.db"
    copy.write_bytes(db.read_bytes())
    with Store(copy) as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        # SQLite's own "disk full": no page may be added to the file.
        store.db.execute(f"PRAGMA max_page_count = {pages}")
        store.cache_put_many([(f"k{i}|tota:1|", "d", bytes(4096)) for i in range(64)])
        assert store.cache_get("k0|tota:1|", "d") is None
        assert store.count("agreements") == 3
