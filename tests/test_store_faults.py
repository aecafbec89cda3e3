"""The store under faults: concurrent first opens, read-only places, and what "unchanged" means
(issue 17, points 5, 6 and 7)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultkit import cli, small_store, write_treaties

from rulecompare.errors import StoreError
from rulecompare.ingest import ingest_paths
from rulecompare.store import SCHEMA_VERSION, Store
from rulecompare.store import core as store_core

_OPEN_AT = """
import sys, time
from rulecompare.store import Store
start = float(sys.argv[2])
while time.time() < start:
    pass
Store(sys.argv[1]).close()
"""


def test_concurrent_first_opens_create_the_schema_once(tmp_path: Path) -> None:
    failures = []
    for trial in range(3):
        db = tmp_path / f"fresh{trial}.db"
        start = time.time() + 1.2  # every process imports first, then all open at once
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _OPEN_AT, str(db), str(start)],
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        for p in procs:
            _, err = p.communicate(timeout=60)
            if p.returncode:
                failures.append(err.strip().splitlines()[-1])
        with Store(db, readonly=True) as store:
            assert store.schema_version == SCHEMA_VERSION
    assert not failures


@pytest.fixture
def readonly_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write to: a read-only tmpfs as root, chmod 555 otherwise."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:
        if shutil.which("mount") is None:
            pytest.skip("root without mount(8): no way to make a folder read-only for root")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], check=False)
        if done.returncode:
            pytest.skip("cannot mount a tmpfs here")
        yield folder
        subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        yield folder
        folder.chmod(0o755)


def _make_readonly(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        folder.chmod(0o555)


def test_a_store_in_a_read_only_folder_can_be_read(tmp_path: Path, readonly_dir: Path) -> None:
    db = small_store(tmp_path)
    shutil.copy(db, readonly_dir / "store.db")  # a WAL store, without its -wal and -shm files
    _make_readonly(readonly_dir)
    ro = readonly_dir / "store.db"
    with Store(ro, readonly=True) as store:
        assert store.count("agreements") == 3
        assert not store.search("party").empty
    done = cli("list", "--db", str(ro), "-f", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("tota:") == 3


def test_writing_a_store_in_a_read_only_folder_names_the_folder(tmp_path: Path, readonly_dir: Path) -> None:
    db = small_store(tmp_path)
    shutil.copy(db, readonly_dir / "store.db")
    _make_readonly(readonly_dir)
    files = write_treaties(tmp_path / "more", 1, start=9)
    done = cli("ingest", str(files[0]), "--db", str(readonly_dir / "store.db"))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"error: {readonly_dir / 'store.db'}: cannot write the store: "
        f"the folder {readonly_dir} is read-only (SQLite writes its journal beside the store)"
    )
    new = cli("ingest", str(files[0]), "--db", str(readonly_dir / "new.db"))
    assert new.returncode == 1
    assert f"the folder {readonly_dir} is read-only" in new.stderr


def test_unchanged_means_the_same_content_not_the_same_id(tmp_path: Path) -> None:
    original = write_treaties(tmp_path / "a", 1, start=2)[0]
    modified = tmp_path / "b" / original.name
    modified.parent.mkdir()
    modified.write_text(original.read_text().replace("Each Party shall", "Each Party may"))
    with Store(tmp_path / "s.db") as store:
        assert [r.status for r in ingest_paths(store, [original], workers=1)] == ["added"]
        assert [r.status for r in ingest_paths(store, [modified], workers=1)] == ["updated"]
        assert [r.status for r in ingest_paths(store, [original], workers=1)] == ["updated"]
        texts = store.clauses(["tota:2"])["text"]
        assert texts.str.contains("Each Party shall").any()
        assert not texts.str.contains("Each Party may").any()
        assert [r.status for r in ingest_paths(store, [original], workers=1)] == ["unchanged"]


def test_a_stale_source_row_of_an_older_store_is_not_trusted(tmp_path: Path) -> None:
    """Stores written before the fix hold one source row per path that wrote an agreement."""
    original = write_treaties(tmp_path / "a", 1, start=2)[0]
    modified = tmp_path / "b" / original.name
    modified.parent.mkdir()
    modified.write_text(original.read_text().replace("Each Party shall", "Each Party may"))
    with Store(tmp_path / "s.db") as store:
        ingest_paths(store, [original], workers=1)
        (key, sha, parser, aid, at) = store.db.execute("SELECT * FROM sources").fetchone()
        ingest_paths(store, [modified], workers=1)
        with store.db:
            store.db.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)", (key, sha, parser, aid, at)
            )
        assert [r.status for r in ingest_paths(store, [original], workers=1)] == ["updated"]


def test_read_only_open_of_a_corrupt_file_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="bad.db"):
        Store(bad, readonly=True)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(bad).execute("SELECT * FROM sqlite_master").fetchall()


@pytest.mark.parametrize("limit", [1 << 20, -1])
def test_the_wal_shrinks_back_after_a_large_cache_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """A large feature-cache write passes through the -wal file; with the store's size limit the file is
    cut back once it has been checkpointed, without one (-1) it stays at its largest size."""
    monkeypatch.setattr(store_core, "WAL_SIZE_LIMIT", limit)
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.cache_put("big", "d1", os.urandom(12 << 20))  # past the auto-checkpoint's 1,000 pages
        store.cache_put("small", "d2", b"x")  # the next write starts the checkpointed WAL again
        wal = Path(f"{path}-wal").stat().st_size
        assert store.cache_get("big", "d1") is not None
    assert (wal <= limit) if limit > 0 else (wal >= 12 << 20)
