"""A manifest names files inside its own folder, with party codes that exist, each once (issue 17,
points 2 and 9): anything else is one line naming the manifest and the row, and the store is untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import small_store, treaty_text
from typer.testing import CliRunner

from rulecompare.cli import app
from rulecompare.errors import ParseError
from rulecompare.parsers.manifest import read_manifest
from rulecompare.store import Store

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "bundle"
    d.mkdir()
    (d / "a.txt").write_text(treaty_text(1, articles=20), encoding="utf-8")
    return d


def _manifest(folder: Path, *rows: str) -> Path:
    m = folder / "m.csv"
    m.write_text("file,title,signed_year,parties\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return m


def test_a_path_climbing_out_of_the_folder_is_refused_and_nothing_is_stored(
    folder: Path, tmp_path: Path
) -> None:
    db = small_store(tmp_path)
    before = db.read_bytes()
    climb = "../" * 12 + "etc/passwd"
    m = _manifest(folder, f"{climb},X,2001,CHL;PER")
    result = runner.invoke(app, ["ingest", "-m", str(m), "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {m}: line 2: file '{climb}' is outside the manifest's folder")
    assert len(result.output.strip().splitlines()) == 1
    assert db.read_bytes() == before
    with Store(db, readonly=True) as store:
        assert store.search("root").empty


def test_an_absolute_path_is_refused_unless_a_root_allows_it(folder: Path) -> None:
    target = folder / "a.txt"
    m = _manifest(folder, f"{target},X,2001,CHL;PER")
    with pytest.raises(ParseError, match=r"line 2: file '.*a\.txt' is an absolute path"):
        read_manifest(m)
    (entry,) = read_manifest(m, root=folder)
    assert entry.path == target
    outside = _manifest(folder, "/etc/passwd,X,2001,CHL;PER")
    with pytest.raises(ParseError, match="outside the folder allowed"):
        read_manifest(outside, root=folder)


def test_a_symlink_leading_out_is_refused(folder: Path) -> None:
    (folder / "link.txt").symlink_to("/etc/passwd")
    m = _manifest(folder, "link.txt,X,2001,CHL;PER")
    with pytest.raises(ParseError, match="line 2: file 'link.txt' is outside the manifest's folder"):
        read_manifest(m)


def test_paths_inside_the_folder_still_read(folder: Path) -> None:
    (folder / "sub").mkdir()
    (folder / "sub" / "b.txt").write_text("x", encoding="utf-8")
    m = _manifest(
        folder, "a.txt,A,2001,CHL;PER", "sub/../sub/b.txt,B,2002,EU;JPN", "sub/b.txt/../../c.txt,C,,WTO"
    )
    assert [e.path.resolve().name for e in read_manifest(m)] == ["a.txt", "b.txt", "c.txt"]


def test_an_unknown_party_code_is_an_error(folder: Path) -> None:
    m = _manifest(folder, "a.txt,A,2001,CHL;XYZ")
    with pytest.raises(ParseError, match=r"m\.csv: line 2: unknown party code XYZ"):
        read_manifest(m)


def test_a_file_listed_twice_is_an_error(folder: Path) -> None:
    m = _manifest(folder, "a.txt,A,2001,CHL;PER", "b.txt,B,2001,CHL;PER", "./a.txt,A again,2002,CHL;PER")
    with pytest.raises(ParseError, match=r"m\.csv: line 4: a\.txt is listed twice \(first on line 2\)"):
        read_manifest(m)


def test_year_zero_names_the_manifest(folder: Path, tmp_path: Path) -> None:
    m = _manifest(folder, "a.txt,A,0000,CHL;PER")
    result = runner.invoke(app, ["ingest", "-m", str(m), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {m}: line 2: signed_year '0000' is not a year"


def test_a_malformed_header_is_one_line(folder: Path) -> None:
    """Found by fuzzing: a bare carriage return in the header escaped as csv.Error."""
    m = folder / "m.csv"
    m.write_bytes(b"title\r \r")
    with pytest.raises(ParseError, match=r"m\.csv: line 1: malformed CSV"):
        read_manifest(m)


def test_a_file_name_with_a_nul_byte_is_one_line(folder: Path) -> None:
    """Found by fuzzing: a NUL in the file column escaped as ValueError."""
    m = _manifest(folder, "a\x00.txt,A,2001,CHL;PER")
    with pytest.raises(ParseError, match=r"m\.csv: line 2: file 'a\\x00\.txt' holds control characters"):
        read_manifest(m)


def test_a_tota_id_in_other_digits_is_one_line(folder: Path) -> None:
    """Found by fuzzing: a superscript two passed str.isdigit() and int() raised ValueError."""
    m = folder / "m.csv"
    m.write_text("file,tota_id\na.txt,²\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"m\.csv: line 2: tota_id '²' is not a number"):
        read_manifest(m)
