"""Cost of translating the non-English corpus once, and the accuracy of comparing across languages.

Prints, for a store holding the default corpus:

1. cost: wall time of ``translate_agreements`` over every non-English
   agreement (from a copy of the store with its translations removed), peak
   resident memory of this process and of the largest child process, and
   the store's growth (file size after VACUUM, before and after);
2. the targets of issue 15 on TPP (``tota:450`` Spanish, ``tota:449``
   English), through :mod:`rulecompare.overlap.xlcheck`: article matching by
   content alone, clause alignment, shared nearest English neighbours, the
   pair's score and the placebo;
3. the calibration on data it was not fitted on: article-level paired scores
   split by chapter parity, a map fitted on even chapters applied to odd ones.

    python benchmarks/translation.py --db STORE [--skip-cost]

The store is never changed: the cost is measured on a temporary copy.
Figures measured on a loaded machine vary by a factor of two or more.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rulecompare.overlap import calibration, crosslingual, fitting, xlcheck
from rulecompare.store import Store
from rulecompare.translate import require_translator_for, translate_agreements

TRANSLATED, ORIGINAL = "tota:450", "tota:449"


def _vacuumed_size(path: Path) -> int:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
    return path.stat().st_size


def cost(db: Path) -> None:
    tmp = Path(tempfile.mkdtemp())
    try:
        copy = tmp / "copy.db"
        with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        with Store(copy) as store:
            store.delete_translations()
        before = _vacuumed_size(copy)
        with Store(copy) as store:
            start = time.perf_counter()
            results = translate_agreements(store)
            seconds = time.perf_counter() - start
        after = _vacuumed_size(copy)
        done = [r for r in results if r.status == "translated"]
        chars = sum(r.chars for r in done)
        clauses = sum(r.clauses for r in done)
        self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print("== cost of translating the non-English corpus once")
        print(f"agreements translated: {len(done)} ({clauses:,} clauses, {chars:,} characters)")
        print(f"wall time: {seconds:.1f} s ({chars / max(seconds, 1e-9):,.0f} characters/s)")
        print(
            f"peak resident memory: this process {self_mb:.0f} MB, largest child process {child_mb:.0f} MB "
            "(an upper bound for Apertium: a child counts the parent it was forked from)"
        )
        print(
            f"store: {before / 2**20:.1f} MB -> {after / 2**20:.1f} MB (+{(after - before) / 2**20:.1f} MB)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def accuracy(store: Store, xl: crosslingual.CrossLingual) -> None:
    print(f"== {TRANSLATED} (Spanish) against {ORIGINAL} (English)")
    m = xlcheck.article_matching(store, TRANSLATED, ORIGINAL, xl)
    print(
        f"articles matched by content alone: best {m.best:.3f}, one-to-one {m.assigned:.3f} of {m.n} "
        f"(target >= 0.95); placebo (English articles shuffled) {m.placebo_best:.3f}"
    )
    print(f"raw Jaccard: true counterpart {m.true_raw:.3f}, runner-up {m.runner_up_raw:.3f}")
    share, n, precision = xlcheck.clause_alignment(store, TRANSLATED, ORIGINAL)
    print(
        f"clauses aligned to their true counterpart: {share:.3f} of {n} (target >= 0.90); "
        f"precision {precision:.3f}"
    )
    shared, a, b = xlcheck.neighbour_overlap(store, TRANSLATED, ORIGINAL)
    print(f"nearest 10 English agreements shared: {shared} of 10 (target >= 8)")
    print(f"  {TRANSLATED}: {' '.join(a)}")
    print(f"  {ORIGINAL}: {' '.join(b)}")
    p = xlcheck.pair_scores(store, TRANSLATED, ORIGINAL, xl)
    med = p.placebo[["translated", "original"]].median()
    print(
        f"pair score (agreement Jaccard): raw {p.raw:.3f}, calibrated {p.calibrated:.3f} "
        "(English vs itself: 1)"
    )
    print(
        f"placebo, {len(p.placebo)} other English agreements: median calibrated {med['translated']:.3f} "
        f"(Spanish text) vs {med['original']:.3f} (English text); median |gap| {p.placebo_gap:.4f}, "
        f"Spearman {p.placebo_rank_correlation:.4f} (in sample: the agreement map is fitted on these pairs)"
    )


def held_out(store: Store, xl: crosslingual.CrossLingual) -> None:
    raw_xl = crosslingual.CrossLingual(xl.translator, calibration.Calibration({}))
    for level in ("article", "clause"):
        paired = fitting.paired_scores(store, TRANSLATED, ORIGINAL, level, xl=raw_xl)["jaccard"]
        fit = paired.chapter % 2 == 0
        test = ~fit
        f = calibration.fit_quantile_map(paired.x[fit], paired.y[fit])
        for name, mask in (
            ("counterparts", test & paired.counterpart),
            ("other pairs", test & ~paired.counterpart),
        ):
            x, y = paired.x[mask], paired.y[mask]
            print(
                f"held-out {level}s (odd chapters, map fitted on even), {name} ({mask.sum():,}): "
                f"median |raw - English| {np.median(np.abs(x - y)):.3f}, "
                f"median |calibrated - English| {np.median(np.abs(f(x) - y)):.3f}; "
                f"mean raw {x.mean():.3f}, calibrated {f(x).mean():.3f}, English {y.mean():.3f}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="a store with the default corpus")
    ap.add_argument("--skip-cost", action="store_true", help="only the accuracy figures")
    args = ap.parse_args(argv)
    if not args.skip_cost:
        cost(args.db)
    with Store(args.db) as store:
        xl = crosslingual.CrossLingual(require_translator_for(["es", "fr"]))
        translate_agreements(store, [TRANSLATED])
        accuracy(store, xl)
        held_out(store, xl)
    return 0


if __name__ == "__main__":
    sys.exit(main())
