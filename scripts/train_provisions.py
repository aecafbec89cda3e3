"""Fit the provision scorers and the labour depth model, and write them into the package (issue 19).

Usage::

    python3 scripts/train_provisions.py --db /work/data/full.db
    python3 scripts/train_provisions.py --db /work/data/full.db --only 1.01,8.01.02 --out /tmp/small.json.gz

Reads the training part of TREND and LABPTA from the shared metadata
(``metadata/trend/``), links it to the store's agreements with the DESTA
crosswalk, fits every TREND provision that at least ``MIN_POSITIVES``
training agreements have, cross-validates by agreement (nested: thresholds
chosen inside each training fold), and writes
``rulecompare/metrics/provisions/model.json.gz``: the weights, thresholds and
the cross-validated predictions that ``benchmarks/provisions.py`` reports.
The result depends only on the store, the metadata and ``--seed``: gzip is
written without a time stamp, so the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

# One BLAS thread: the Newton steps solve small systems, and threads only fight over a busy machine
# (ten times slower measured); set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from rulecompare.metrics.provisions import build
from rulecompare.metrics.provisions.model import MODEL_FILE
from rulecompare.paths import resolve_db_path
from rulecompare.store import Store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=None, help="Store with the training agreements.")
    ap.add_argument("--seed", type=int, default=build.SEED)
    ap.add_argument("--only", default=None, help="Comma-separated TREND codes (a quick trial).")
    ap.add_argument("--out", type=Path, default=MODEL_FILE, help=f"Where to write (default {MODEL_FILE}).")
    args = ap.parse_args()
    path, _ = resolve_db_path(args.db)
    start = time.monotonic()

    def say(line: str) -> None:
        print(f"[{time.monotonic() - start:6.0f}s] {line}", file=sys.stderr, flush=True)

    only = frozenset(args.only.split(",")) if args.only else None
    with Store(path, readonly=True) as store:
        model = build.train(store, args.seed, say, only=only)
    text = json.dumps(model, sort_keys=True, separators=(",", ":")).encode()
    args.out.write_bytes(gzip.compress(text, mtime=0))
    say(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
