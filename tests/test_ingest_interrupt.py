"""An interrupted or killed parallel ingest ends at once, says the truth and leaves no process behind
(issue 17, point 3).  Each test runs a real `rulecompare ingest` of ten generated texts (about 4 s
of work with two workers) and stops it once the first file is in the store."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultkit import alive, descendants, kill_all, treaty_text, wait_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("texts")
    for i in range(10):
        (folder / f"agreement-{i}.txt").write_text(treaty_text(i, articles=2000), encoding="utf-8")
    return folder


def _written(db: Path) -> int:
    """Source files the store holds (0 while it does not exist yet)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=0.2) as con:
            return int(con.execute("SELECT count(*) FROM sources").fetchone()[0])
    except sqlite3.Error:
        return 0


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as con:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def ingest(texts: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path, set[int]]]:
    """A running ingest (its own process group) once its first file is written, with its workers."""
    db = tmp_path / "s.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "rulecompare", "ingest", str(texts), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # As from a terminal: Ctrl-C not ignored (pytest-xdist workers ignore it; children inherit that).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    workers: set[int] = set()
    try:
        assert wait_until(lambda: _written(db) >= 1 or proc.poll() is not None, 60)
        workers = descendants(proc.pid)
        assert proc.poll() is None and workers, "the ingest ended before the test could stop it"
        yield proc, db, workers
    finally:
        kill_all({proc.pid} | workers | descendants(proc.pid))
        proc.wait(timeout=10)


def test_ctrl_c_ends_at_once_with_the_true_count(
    ingest: tuple[subprocess.Popen[str], Path, set[int]],
) -> None:
    proc, db, workers = ingest
    os.killpg(proc.pid, signal.SIGINT)
    start = time.monotonic()
    _, err = proc.communicate(timeout=20)
    elapsed = time.monotonic() - start
    assert proc.returncode == 130, err
    assert elapsed < 2.0, f"took {elapsed:.1f} s to stop"
    assert "Traceback" not in err, err
    said = re.search(r"interrupted: (\d+) files? written", err)
    assert said, err
    assert int(said[1]) == _written(db)
    assert wait_until(lambda: not any(alive(p) for p in workers), 2.0), "workers outlived the ingest"
    assert _integrity(db) == "ok"


@pytest.mark.parametrize("gap", [0.05, 0.3], ids=["during-the-stop", "after-the-report"])
def test_a_second_ctrl_c_leaves_nothing_behind(
    ingest: tuple[subprocess.Popen[str], Path, set[int]], gap: float
) -> None:
    proc, db, workers = ingest
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(gap)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err, err
    assert wait_until(lambda: not any(alive(p) for p in workers), 2.0), "workers outlived the ingest"
    assert _integrity(db) == "ok"


def test_workers_die_with_a_killed_ingest(ingest: tuple[subprocess.Popen[str], Path, set[int]]) -> None:
    proc, db, workers = ingest
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert wait_until(lambda: not any(alive(p) for p in workers), 3.0), "workers outlived their parent"
    assert _integrity(db) == "ok"
    with sqlite3.connect(db) as con:
        sources, agreements = con.execute(
            "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM agreements)"
        ).fetchone()
    assert sources == agreements >= 1


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="patches the parser in forked workers"
)
def test_a_worker_killed_by_the_system_fails_its_file_only(
    texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The out-of-memory killer takes a worker: its file fails with a message, the others are written."""
    from rulecompare import ingest
    from rulecompare.store import Store

    doomed = tmp_path / "doomed.txt"
    doomed.write_text(treaty_text(99, articles=30), encoding="utf-8")
    parse = ingest.parse_source

    def parse_or_die(src: ingest.SourceFile) -> object:
        if src.path == doomed:
            os.kill(os.getpid(), signal.SIGKILL)
        return parse(src)

    monkeypatch.setattr(ingest, "parse_source", parse_or_die)
    files = [*sorted(texts.iterdir())[:4], doomed]
    with Store(tmp_path / "s.db") as store:
        results = ingest.ingest_sources(store, [ingest.SourceFile(f) for f in files], workers=2)
        assert store.count("agreements") == 4
    assert sorted(r.status for r in results) == ["added"] * 4 + ["failed"]
    (dead,) = [r for r in results if r.status == "failed"]
    assert (
        dead.message == f"{doomed}: cannot parse (the worker process was killed by signal 9 (out of memory?))"
    )
