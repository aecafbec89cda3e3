"""The TUI's waits, measured: the first aligned row of NAFTA x TPP (cold and warm) and nearest articles.

Each figure comes from a fresh process, so that imports, caches and memory
of one measurement do not flatter the next:

- time to the first aligned row: from creating the app, as ``rulecompare tui
  nafta tpp`` does, to the screen drawn with the cursor on the first aligned
  pair. *Cold*: the store holds no alignment of the pair (it is computed and
  cached; the shingle features the store already holds are used). *Warm*: the
  alignment is read from the store's cache.
- nearest articles of NAFTA Art. 1110: the library call the Agreement screen
  makes, first on a store that never answered it (any index the lookup keeps
  in the store is built then, once per corpus state), then again, each in a
  fresh process (median of the runs); its peak and held memory (resident set
  size above the process's before the call) in another; then in the TUI, from
  pressing ``n`` to the list shown.  The store is opened writable, as the TUI
  opens it.

Runs on a copy of the store (the original is never written).  Optionally
regenerates the README's screenshots (docs/compare.svg, docs/matrix.svg).

    python benchmarks/tui_compare.py --db /work/data/full.db
    python benchmarks/tui_compare.py --db full.db --screenshots docs
    python benchmarks/tui_compare.py --db full.db --screenshots docs --screenshots-only
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual.widgets import DataTable, Static

from rulecompare.catalog import resolve
from rulecompare.paths import resolve_db_path
from rulecompare.store import Store
from rulecompare.tui import RulecompareApp, data
from rulecompare.tui.messages import OpenAgreement, OpenMatrix
from rulecompare.tui.screens.agreement import AgreementScreen
from rulecompare.tui.screens.compare import CompareScreen
from rulecompare.tui.screens.nearest_pane import NEIGHBOURS

SIZE = (160, 45)
ARTICLE = "ARTICLE 1110"
MATRIX_FAMILY = "us"


def rss_mb() -> float:
    """The process's resident set size now, in MB (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_mb() -> float:
    """The process's peak resident set size so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def copy_store(source: Path, target: Path) -> Path:
    """A copy of a store file (SQLite's backup API, so that a write-ahead log comes along)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def forget_alignment(db: Path, a: str, b: str) -> None:
    """Drop the cached alignments of a pair, so that the next Compare computes it."""
    with Store(db) as store:
        store.db.execute("DELETE FROM cache WHERE key LIKE ?", (f"align|{a}|{b}|%",))
        store.db.commit()


def nafta_tpp(db: Path) -> tuple[str, str, int]:
    """NAFTA's and TPP's ids, and the index of NAFTA's Art. 1110."""
    with Store(db, readonly=True) as store:
        table = store.agreements()
        a, b = resolve("nafta", table), resolve("tpp", table)
        arts = store.clauses([a], columns=["article_index", "article_number"])
    index = int(arts.loc[arts["article_number"] == ARTICLE, "article_index"].iloc[0])
    return a, b, index


# -- one measurement per process ------------------------------------------------------------------


async def first_aligned_row(db: Path, a: str, b: str) -> float:
    """Seconds from creating the app to the Compare screen drawn with the cursor on its first pair."""
    start = time.perf_counter()
    app = RulecompareApp(db, compare=(a, b), cursor_blink=False, state_dir=db.parent / "state")
    async with app.run_test(size=SIZE):
        while True:
            screen = app.screen
            if isinstance(screen, CompareScreen) and screen.view is not None and screen.added:
                if screen.query_one("#compare-table", DataTable).cursor_row == screen.view.first_pair:
                    break
            await asyncio.sleep(0.002)
        painted = asyncio.Event()
        screen.call_after_refresh(painted.set)  # runs once the screen with the rows has been drawn
        await painted.wait()
        return time.perf_counter() - start


def nearest_time(db: Path, a: str, index: int) -> dict[str, float]:
    with Store(db) as store:
        start = time.perf_counter()
        found = data.nearest_articles(store, a, index, top=NEIGHBOURS)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": float(len(found))}


def nearest_memory(db: Path, a: str, index: int) -> dict[str, float]:
    gc.collect()
    before = rss_mb()
    with Store(db) as store:
        found = data.nearest_articles(store, a, index, top=NEIGHBOURS)
    peak = peak_mb()
    del found
    gc.collect()
    return {"before": before, "peak": peak - before, "held": rss_mb() - before}


async def nearest_in_tui(db: Path, a: str, index: int) -> dict[str, float]:
    """Seconds from pressing n on the article to its list shown, and the memory held afterwards."""
    app = RulecompareApp(db, cursor_blink=False, state_dir=db.parent / "state")
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(OpenAgreement(a, article_index=index))
        while not (isinstance(app.screen, AgreementScreen) and app.screen.article_index == index):
            await asyncio.sleep(0.01)
        screen = app.screen
        await pilot.pause(0.3)
        gc.collect()
        before = rss_mb()
        start = time.perf_counter()
        await pilot.press("n")
        while screen.neighbours.empty or screen.neighbours_for != index:
            await asyncio.sleep(0.005)
        seconds = time.perf_counter() - start
        await app.workers.wait_for_complete()
        gc.collect()
        return {"seconds": seconds, "held": rss_mb() - before, "peak": peak_mb() - before}


def measure(kind: str, db: Path) -> dict[str, float]:
    """Run one measurement in this process."""
    a, b, index = nafta_tpp(db)
    if kind == "first-row":
        return {"seconds": asyncio.run(first_aligned_row(db, a, b))}
    if kind == "nearest-time":
        return nearest_time(db, a, index)
    if kind == "nearest-memory":
        return nearest_memory(db, a, index)
    if kind == "nearest-tui":
        return asyncio.run(nearest_in_tui(db, a, index))
    raise SystemExit(f"unknown measurement {kind}")


def in_fresh_process(kind: str, db: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


# -- screenshots -----------------------------------------------------------------------------------


async def screenshots(db: Path, a: str, b: str, ids: tuple[str, ...], out: Path) -> None:
    """Save docs/compare.svg (at the first aligned pair that differs) and docs/matrix.svg."""
    app = RulecompareApp(db, compare=(a, b), cursor_blink=False, state_dir=db.parent / "state")
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, CompareScreen) and app.screen.view is not None):
            await asyncio.sleep(0.01)
        screen = app.screen
        summary = screen.query_one("#compare-summary", Static)
        while "corpus baseline" not in str(summary.render()):  # the baseline comes after the rows
            await asyncio.sleep(0.05)
        await pilot.pause(0.3)
        row = screen.current_row()
        if row is None or not row.differs:
            await pilot.press("n")  # the first aligned pair whose words differ: what the screen is for
        await pilot.pause(0.3)
        app.save_screenshot(str(out / "compare.svg"))
        app.post_message(OpenMatrix(ids, f"family {MATRIX_FAMILY}"))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await pilot.press("down", "right", "right")
        await pilot.pause(0.3)
        app.save_screenshot(str(out / "matrix.svg"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=None, help="store file (default: as the CLI finds it)")
    parser.add_argument("--runs", type=int, default=3, help="warm runs (each in its own process)")
    parser.add_argument(
        "--screenshots", type=Path, default=None, help="folder for compare.svg and matrix.svg"
    )
    parser.add_argument(
        "--screenshots-only", action="store_true", help="only regenerate the screenshots (with --screenshots)"
    )
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    db, _ = resolve_db_path(args.db)
    if args.measure:
        print(json.dumps(measure(args.measure, db)))
        return
    with tempfile.TemporaryDirectory(prefix="tui-bench-") as tmp:
        copy = copy_store(db, Path(tmp) / "store.db")
        a, b, _ = nafta_tpp(copy)
        if args.screenshots and args.screenshots_only:
            save_screenshots(copy, a, b, args.screenshots)
            return
        forget_alignment(copy, a, b)
        cold = in_fresh_process("first-row", copy)["seconds"]
        warm = [in_fresh_process("first-row", copy)["seconds"] for _ in range(args.runs)]
        first = in_fresh_process("nearest-time", copy)
        again = [in_fresh_process("nearest-time", copy) for _ in range(args.runs)]
        near = statistics.median(r["seconds"] for r in again)
        near_runs = ", ".join(f"{r['seconds']:.2f}" for r in again)
        memory = in_fresh_process("nearest-memory", copy)
        tui = in_fresh_process("nearest-tui", copy)
        print(f"NAFTA ({a}) x TPP ({b}), terminal {SIZE[0]}x{SIZE[1]}, store {db} (a copy)")
        print(
            f"time to the first aligned row: cold {cold:.2f} s (alignment computed); "
            f"warm {statistics.median(warm):.2f} s median of {len(warm)} "
            f"({', '.join(f'{t:.2f}' for t in warm)}; alignment cached)"
        )
        print(
            f"nearest articles of NAFTA {ARTICLE} (library call): first in this store "
            f"{first['seconds']:.2f} s (builds what the store keeps for the next ones); then "
            f"{near:.2f} s median of {len(again)} ({near_runs}) "
            f"for {int(first['rows'])} rows; memory: peak +{memory['peak']:.0f} MB, "
            f"held afterwards +{memory['held']:.0f} MB (resident set size, fresh process)"
        )
        print(
            f"nearest articles in the TUI (n to the list shown): {tui['seconds']:.2f} s; "
            f"memory held afterwards +{tui['held']:.0f} MB (target: well under 2 s)"
        )
        if args.screenshots:
            save_screenshots(copy, a, b, args.screenshots)


def save_screenshots(db: Path, a: str, b: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with Store(db, readonly=True) as store:
        ids = tuple(store.agreements(family=MATRIX_FAMILY, language="en")["id"])
    asyncio.run(screenshots(db, a, b, ids, folder))
    print(f"wrote {folder / 'compare.svg'} and {folder / 'matrix.svg'}")


if __name__ == "__main__":
    main()
