"""``-o`` keeps the path what it was: devices and FIFOs are written in place, symlinks followed,
directories refused, ``-`` is stdout; a failed write is one line and a non-zero exit (issue 17, point 1)."""

from __future__ import annotations

import io
import os
import stat
import threading
from pathlib import Path

import pandas as pd
import pytest
from faultkit import cli, small_store
from typer.testing import CliRunner

from rulecompare.cli import app
from rulecompare.errors import RulecompareError
from rulecompare.export import write_frame
from rulecompare.plots import score_heatmap

runner = CliRunner()

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a character device needs root")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_store(tmp_path_factory.mktemp("outfile"))


def _device(path: Path, minor: int) -> Path:
    """A character device of the memory driver: minor 3 is /dev/null, 7 is /dev/full."""
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    return path


@needs_root
def test_output_onto_a_full_device_fails_in_one_line_and_keeps_the_device(db: Path, tmp_path: Path) -> None:
    full = _device(tmp_path / "full", 7)
    done = cli("list", "--db", str(db), "-o", str(full))
    assert done.returncode == 1
    assert stat.S_ISCHR(full.stat().st_mode), "the device was replaced by a regular file"
    assert done.stderr.strip() == f"error: {full}: cannot write (No space left on device)"


@needs_root
def test_output_onto_a_null_device_writes_into_it(db: Path, tmp_path: Path) -> None:
    null = _device(tmp_path / "null.csv", 3)
    result = runner.invoke(app, ["export", "clauses", "--db", str(db), "-o", str(null)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(null.stat().st_mode)
    assert list(tmp_path.iterdir()) == [null], "no temporary file is left beside it"


def test_output_into_a_fifo_writes_into_it(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as f:  # blocks until the writer opens the FIFO
            got.append(f.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    write_frame(pd.DataFrame({"a": [1, 2]}), fifo)
    reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the FIFO was replaced by a regular file"
    assert got == [b"a\n1\n2\n"]


def test_output_through_a_symlink_writes_its_target(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    target.write_text("old\n")
    link = tmp_path / "l.csv"
    link.symlink_to(target.name)
    result = runner.invoke(app, ["list", "--db", str(db), "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == "t.csv"
    assert target.read_text().startswith("id,name,")
    dangling = tmp_path / "d.csv"
    dangling.symlink_to("new.csv")
    write_frame(pd.DataFrame({"a": [1]}), dangling)
    assert dangling.is_symlink() and (tmp_path / "new.csv").read_text() == "a\n1\n"


def test_output_to_a_folder_is_refused(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", "--db", str(db), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path}: is a folder" in result.output


def test_output_dash_is_stdout(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", "--db", str(db), "-o", "-", "-f", "csv"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("id,name,")
    assert not Path("-").exists()
    parquet = runner.invoke(app, ["list", "--db", str(db), "-o", "-", "-f", "parquet"])
    assert pd.read_parquet(io.BytesIO(parquet.stdout_bytes))["id"].tolist() == ["tota:1", "tota:2", "tota:3"]


def test_replacing_a_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "shared.csv"
    out.write_text("old\n")
    out.chmod(0o640)
    write_frame(pd.DataFrame({"a": [1]}), out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert out.read_text() == "a\n1\n"


def test_output_under_a_file_is_one_line(db: Path, tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_text("x")
    done = cli("list", "--db", str(db), "-o", str(file / "x.csv"))
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: {file / 'x.csv'}: cannot write (Not a directory)"


def test_stdout_on_a_full_disk_is_one_line(db: Path) -> None:
    with open("/dev/full", "w") as full:
        done = cli("list", "--db", str(db), stdout=full.fileno())
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == "error: standard output: cannot write (No space left on device)"
    assert "Traceback" not in done.stderr
    with open("/dev/full", "w") as full:
        dash = cli("list", "--db", str(db), "-o", "-", "-f", "csv", stdout=full.fileno())
    assert dash.returncode == 1
    assert dash.stderr.strip() == "error: standard output: cannot write (No space left on device)"


@needs_root
def test_plots_are_written_as_every_output(tmp_path: Path) -> None:
    frame = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    full = _device(tmp_path / "full.png", 7)
    with pytest.raises(RulecompareError, match="No space left on device"):
        score_heatmap(frame, full, title="t", colorbar="c")
    assert stat.S_ISCHR(full.stat().st_mode)
