"""Time from starting the TUI to the first painted Compare screen (target: under 1 s).

Runs the app headless, as ``rulecompare tui nafta tpp`` would start it, and
stops the clock when the Compare table shows its first rows after a screen
refresh. The first run may compute and cache features; later runs read them
from the store. Optionally saves SVG screenshots of Compare and Matrix.

    python benchmarks/tui_compare.py --db ~/.local/share/rulecompare/rulecompare.db
    python benchmarks/tui_compare.py --db tota.db --screenshots docs
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from rulecompare.catalog import resolve
from rulecompare.paths import resolve_db_path
from rulecompare.store import Store
from rulecompare.tui import RulecompareApp
from rulecompare.tui.messages import OpenMatrix
from rulecompare.tui.screens.compare import CompareScreen

SIZE = (160, 45)
MATRIX_FAMILY = "us"


async def first_paint(db: Path, a: str, b: str, readonly: bool) -> float:
    """Seconds from creating the app to the first Compare rows on screen."""
    start = time.perf_counter()
    app = RulecompareApp(db, compare=(a, b), readonly=readonly, cursor_blink=False)
    async with app.run_test(size=SIZE):
        while not (isinstance(app.screen, CompareScreen) and app.screen.added > 0):
            await asyncio.sleep(0.002)
        painted = asyncio.Event()
        app.screen.call_after_refresh(painted.set)  # runs once the screen with the rows has been drawn
        await painted.wait()
        return time.perf_counter() - start


async def screenshots(db: Path, a: str, b: str, ids: tuple[str, ...], out: Path) -> None:
    """Save docs/compare.svg (at the first aligned pair that differs) and docs/matrix.svg."""
    app = RulecompareApp(db, compare=(a, b), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, CompareScreen) and app.screen.added > 0):
            await asyncio.sleep(0.01)
        await app.workers.wait_for_complete()
        screen = app.screen
        # Land on the first aligned pair whose texts differ: what the screen is for.
        while (row := screen.current_row()) is not None and not (row.kind == "pair" and row.differs):
            await pilot.press("n")
        await pilot.pause()
        app.save_screenshot(str(out / "compare.svg"))
        app.post_message(OpenMatrix(ids, f"family {MATRIX_FAMILY}"))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await pilot.press("down", "right", "right")
        await pilot.pause()
        app.save_screenshot(str(out / "matrix.svg"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=None, help="store file (default: as the CLI finds it)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--readonly", action="store_true", help="open read-only (no feature cache writes)")
    parser.add_argument(
        "--screenshots", type=Path, default=None, help="folder for compare.svg and matrix.svg"
    )
    args = parser.parse_args()
    db, _ = resolve_db_path(args.db)
    with Store(db, readonly=True) as store:
        table = store.agreements()
        a, b = resolve("nafta", table), resolve("tpp", table)
        ids = tuple(store.agreements(family=MATRIX_FAMILY, language="en")["id"])
    times = [asyncio.run(first_paint(db, a, b, args.readonly)) for _ in range(args.runs)]
    print(f"NAFTA ({a}) vs TPP ({b}), terminal {SIZE[0]}x{SIZE[1]}, store {db}")
    print(f"first run {times[0]:.3f} s; runs {', '.join(f'{t:.3f}' for t in times)}")
    print(f"median {statistics.median(times):.3f} s, best {min(times):.3f} s (target < 1 s)")
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
        asyncio.run(screenshots(db, a, b, ids, args.screenshots))
        print(f"wrote {args.screenshots / 'compare.svg'} and {args.screenshots / 'matrix.svg'}")


if __name__ == "__main__":
    main()
