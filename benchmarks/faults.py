"""Fault scenarios for ingest and output, run for real, with a table of what held.

    python benchmarks/faults.py [--files 10] [--articles 2000] [--keep DIR]

Each scenario runs `rulecompare` in its own process on generated treaties and
does something unkind to it: kill -9 or Ctrl-C (once, twice) in the middle of
an ingest, two ingests of a new store at once, a disk that fills up under the
store or under `-o` (a small tmpfs; needs root, skipped otherwise), a store
in a read-only folder (a read-only tmpfs as root, chmod 555 otherwise).  Then
it checks the store (``PRAGMA integrity_check`` and the full-text index's own
check), compares a digest of its content, after the interrupted ingest is run
again to the end, with the digest of a clean ingest of the same files, and
looks for processes left behind.  Exits 1 when a row fails.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from faultkit import alive, descendants, kill_all, treaty_text, wait_until  # noqa: E402  (shared with the tests)

ROOT = os.geteuid() == 0


@dataclass
class Row:
    scenario: str
    outcome: str
    integrity: str
    digest: str
    leftovers: str
    passed: bool


# -- the store ---------------------------------------------------------------------------------

_CONTENT = {
    "agreements": "SELECT * FROM agreements ORDER BY id",
    "agreement_parties": "SELECT * FROM agreement_parties ORDER BY 1, 2",
    "agreement_families": "SELECT * FROM agreement_families ORDER BY 1, 2",
    "clauses": "SELECT id, agreement_id, chapter_index, chapter_number, chapter_title, article_index,"
    " article_number, article_title, article_key, paragraph, ord, area, annex, text FROM clauses ORDER BY id",
    "sources": "SELECT path, sha256, parser, agreement_id FROM sources ORDER BY path",
}


def digest(db: Path) -> str:
    """A digest of what the store holds (not when it was written, nor its rowids)."""
    h = hashlib.sha256()
    with _open(db) as con:
        for table, sql in _CONTENT.items():
            h.update(table.encode())
            for row in con.execute(sql):
                h.update(repr(row).encode())
    return h.hexdigest()[:12]


def integrity(db: Path) -> str:
    with _open(db) as con:
        result = str(con.execute("PRAGMA integrity_check").fetchone()[0])
        if result != "ok":
            return result
        try:
            if not (db.parent / ".ro").exists():
                con.execute("INSERT INTO clauses_fts(clauses_fts) VALUES ('integrity-check')")
        except sqlite3.Error as exc:
            return f"fts: {exc}"
    return "ok"


@contextmanager
def _open(db: Path) -> Iterator[sqlite3.Connection]:
    if (db.parent / ".ro").exists():
        con = sqlite3.connect(f"{db.as_uri()}?mode=ro&immutable=1", uri=True)
    else:
        con = sqlite3.connect(db)
    try:
        yield con
    finally:
        con.close()


def written(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=0.2) as con:
            return int(con.execute("SELECT count(*) FROM sources").fetchone()[0])
    except sqlite3.Error:
        return 0


# -- processes ---------------------------------------------------------------------------------


def rulecompare(*args: str) -> subprocess.Popen[str]:
    """``rulecompare ARGS`` in a process group of its own (for Ctrl-C to the group)."""
    return subprocess.Popen(
        [sys.executable, "-m", "rulecompare", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def ingest(src: Path, db: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "rulecompare", "ingest", str(src), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return done


def leftovers(pids: set[int]) -> str:
    wait_until(lambda: not any(alive(p) for p in pids), 3.0)
    left = sorted(p for p in pids if alive(p))
    kill_all(set(left))
    return "none" if not left else "left: " + ",".join(map(str, left))


def one_line_error(err: str) -> bool:
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    return "Traceback" not in err and len(lines) >= 1 and lines[-1].startswith("error: ")


# -- scenarios ---------------------------------------------------------------------------------


@dataclass
class World:
    src: Path
    work: Path
    clean: str
    clean_size: int


def _started(world: World, name: str) -> tuple[subprocess.Popen[str], Path, set[int]]:
    """An ingest into a new store, once its first file is written; with its workers."""
    db = world.work / name / "s.db"
    db.parent.mkdir()
    proc = rulecompare("ingest", str(world.src), "--db", str(db))
    wait_until(lambda: written(db) >= 1 or proc.poll() is not None, 120)
    return proc, db, descendants(proc.pid)


def _resumed(world: World, db: Path) -> str:
    again = ingest(world.src, db)
    if again.returncode != 0:
        return f"resume failed ({again.returncode})"
    return "equal" if digest(db) == world.clean else "DIFFERENT"


def kill_9(world: World) -> Row:
    proc, db, workers = _started(world, "kill9")
    proc.kill()
    proc.wait()
    left = leftovers(workers)
    check = integrity(db)
    n = written(db)
    same = _resumed(world, db)
    ok = left == "none" and check == "ok" and same == "equal" and bool(workers)
    outcome = f"{n} file(s) in the store; its {len(workers)} workers died with it"
    return Row("kill -9 mid-ingest", outcome, check, same, left, ok)


def ctrl_c(world: World, times: int) -> Row:
    proc, db, workers = _started(world, f"ctrl-c-{times}")
    start = time.monotonic()
    for i in range(times):
        if i:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    took = time.monotonic() - start
    left = leftovers(workers)
    said = re.search(r"interrupted: (\d+) files? written", err)
    n = written(db)
    check = integrity(db)
    same = _resumed(world, db)
    truthful = said is not None and int(said[1]) == n
    outcome = (
        f"exit {proc.returncode} in {took:.1f} s; said {said[1] if said else '?'} written, store has {n}"
    )
    ok = (
        proc.returncode == 130
        and took < 2.0
        and truthful
        and "Traceback" not in err
        and left == "none"
        and check == "ok"
        and same == "equal"
    )
    label = "Ctrl-C mid-ingest" if times == 1 else "Ctrl-C twice mid-ingest"
    return Row(label, outcome, check, same, left, ok)


def concurrent(world: World) -> Row:
    db = world.work / "concurrent" / "s.db"
    db.parent.mkdir()
    procs = [rulecompare("ingest", str(world.src), "--db", str(db)) for _ in range(2)]
    kids: set[int] = set()
    for p in procs:
        while p.poll() is None:
            kids |= descendants(p.pid)
            time.sleep(0.1)
    errs = [p.communicate()[1] for p in procs]
    codes = [p.returncode for p in procs]
    check = integrity(db)
    same = "equal" if digest(db) == world.clean else "DIFFERENT"
    left = leftovers(kids)
    ok = codes == [0, 0] and check == "ok" and same == "equal" and left == "none"
    outcome = f"exits {codes[0]} and {codes[1]}" + ("" if ok else f"; {errs[0][-200:]} {errs[1][-200:]}")
    return Row("two ingests of a new store at once", outcome, check, same, left, ok)


@contextmanager
def tmpfs(where: Path, size: int) -> Iterator[Path]:
    where.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def full_disk_ingest(world: World) -> Row:
    size = max(1 << 20, world.clean_size // 2)
    with tmpfs(world.work / "full", size) as disk:
        db = disk / "s.db"
        done = ingest(world.src, db)
        n = written(db)
        check = integrity(db)
        subprocess.run(
            ["mount", "-o", f"remount,size={world.clean_size * 4}", "tmpfs", str(disk)], check=True
        )
        same = _resumed(world, db)
    last = (done.stderr.strip().splitlines() or ["?"])[-1].replace(str(world.work), "…")
    outcome = f"exit {done.returncode}, {n} files in; {last}"
    ok = done.returncode == 1 and one_line_error(done.stderr) and check == "ok" and same == "equal"
    return Row(f"ingest onto a full disk ({size >> 20} MiB tmpfs)", outcome, check, same, "none", ok)


def full_disk_output(world: World, db: Path) -> Row:
    """`export -o` over an existing file on a disk too small for the new one: the old file stays whole."""
    before = digest(db)
    with tmpfs(world.work / "full-out", 1 << 20) as disk:
        out = disk / "clauses.csv"
        out.write_text("the old export\n", encoding="utf-8")
        proc = rulecompare("export", "clauses", "--db", str(db), "-o", str(out))
        _, err = proc.communicate(timeout=120)
        rest = sorted(p.name for p in disk.iterdir())
        kept = out.read_text(encoding="utf-8") == "the old export\n"
    same = "equal" if digest(db) == before == world.clean else "DIFFERENT"
    check = integrity(db)
    last = (err.strip().splitlines() or ["?"])[-1].replace(str(world.work), "…")
    ok = proc.returncode == 1 and one_line_error(err) and "No space left" in last
    ok = ok and rest == ["clauses.csv"] and kept and same == "equal"
    state = "old file kept whole, no temporary left" if kept and rest == ["clauses.csv"] else f"left {rest}"
    outcome = f"exit {proc.returncode}, {state}; {last}"
    return Row("export -o over a file on a full disk (1 MiB tmpfs)", outcome, check, same, "none", ok)


@contextmanager
def read_only_folder(world: World, db: Path) -> Iterator[Path]:
    folder = world.work / "ro"
    if ROOT:
        with tmpfs(folder, world.clean_size * 2) as disk:
            shutil.copy(db, disk / "s.db")
            (disk / ".ro").touch()
            subprocess.run(["mount", "-o", "remount,ro", "tmpfs", str(disk)], check=True)
            yield disk / "s.db"
    else:
        folder.mkdir()
        shutil.copy(db, folder / "s.db")
        (folder / ".ro").touch()
        folder.chmod(0o555)
        try:
            yield folder / "s.db"
        finally:
            folder.chmod(0o755)


def read_only(world: World, db: Path) -> list[Row]:
    rows = []
    with read_only_folder(world, db) as ro:
        listed = subprocess.run(
            [sys.executable, "-m", "rulecompare", "list", "--db", str(ro), "-f", "csv"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        n = listed.stdout.count("\n") - 1
        check = integrity(ro)
        same = "equal" if digest(ro) == world.clean else "DIFFERENT"
        ok = (
            listed.returncode == 0
            and n == len(list(world.src.iterdir()))
            and check == "ok"
            and same == "equal"
        )
        rows.append(
            Row(
                "read a store in a read-only folder",
                f"exit {listed.returncode}, {n} rows",
                check,
                same,
                "none",
                ok,
            )
        )
        wrote = ingest(world.src, ro)
        last = (wrote.stderr.strip().splitlines() or ["?"])[-1]
        check = integrity(ro)
        same = "equal" if digest(ro) == world.clean else "DIFFERENT"
        names_folder = f"the folder {ro.parent} is read-only" in last
        ok = wrote.returncode == 1 and one_line_error(wrote.stderr) and names_folder and same == "equal"
        rows.append(
            Row(
                "ingest into a read-only folder",
                f"exit {wrote.returncode}; {last.replace(str(world.work), '…')}",
                check,
                same,
                "none",
                ok,
            )
        )
    return rows


def skipped(scenario: str, why: str) -> Row:
    return Row(scenario, f"skipped ({why})", "-", "-", "-", True)


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=10, help="Generated treaties to ingest (default 10).")
    ap.add_argument("--articles", type=int, default=2000, help="Articles in each (default 2000).")
    ap.add_argument("--keep", type=Path, default=None, help="Work in this folder and keep it.")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="rulecompare-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        rows = run_all(work, args.files, args.articles)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    if not all(r.passed for r in rows):
        raise SystemExit(1)


def run_all(work: Path, files: int, articles: int) -> list[Row]:
    src = work / "src"
    src.mkdir()
    for i in range(files):
        (src / f"agreement-{i:02d}.txt").write_text(treaty_text(i, articles=articles), encoding="utf-8")
    clean_db = work / "clean" / "s.db"
    clean_db.parent.mkdir()
    t = time.monotonic()
    first = ingest(src, clean_db)
    if first.returncode != 0:
        raise SystemExit(f"the clean ingest failed: {first.stderr}")
    print(
        f"clean ingest of {files} files: {time.monotonic() - t:.1f} s, digest {digest(clean_db)}", flush=True
    )
    world = World(src, work, digest(clean_db), clean_db.stat().st_size)
    scenarios: list[Callable[[], Row | list[Row]]] = [
        lambda: kill_9(world),
        lambda: ctrl_c(world, 1),
        lambda: ctrl_c(world, 2),
        lambda: concurrent(world),
        (lambda: full_disk_ingest(world))
        if ROOT
        else (lambda: skipped("ingest onto a full disk", "needs root")),
        (lambda: full_disk_output(world, clean_db))
        if ROOT
        else (lambda: skipped("-o onto a full disk", "needs root")),
        lambda: read_only(world, clean_db),
    ]
    rows: list[Row] = []
    for scenario in scenarios:
        got = scenario()
        for row in got if isinstance(got, list) else [got]:
            print(f"  {'pass' if row.passed else 'FAIL'}  {row.scenario}: {row.outcome}", flush=True)
            rows.append(row)
    return rows


def print_table(rows: list[Row]) -> None:
    header = ("scenario", "outcome", "integrity", "digest = clean", "leftover processes", "")
    table = [header] + [
        (r.scenario, r.outcome, r.integrity, r.digest, r.leftovers, "pass" if r.passed else "FAIL")
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    print()
    for n, row in enumerate(table):
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


if __name__ == "__main__":
    main()
