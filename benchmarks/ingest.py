"""Full ToTA ingest against its floor (a bare lxml parse of the same files), in one run.

    python benchmarks/ingest.py [--corpus ../shared/corpora] [--workers N]

Prints wall time and peak memory (resident set size, from getrusage: this
process, and the largest worker process) for: the bare parse, a full ingest
into a new store, and a second ingest of the same files (nothing to do).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from lxml import etree

from rulecompare.corpus import resolve_corpus
from rulecompare.ingest import ingest_paths
from rulecompare.store import Store


def peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    loc = resolve_corpus(args.corpus)
    if loc.tota_xml is None:
        raise SystemExit(f"no ToTA XML found ({loc.reason})")
    files = sorted(loc.tota_xml.glob("pta_*.xml"))
    size = sum(f.stat().st_size for f in files) / 1e6

    t0 = time.perf_counter()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for f in files:
        etree.parse(str(f), parser)
    floor = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        with Store(db) as store:
            results = ingest_paths(store, [loc.tota_xml], workers=args.workers)
            stats = store.stats()
        full = time.perf_counter() - t0
        t0 = time.perf_counter()
        with Store(db) as store:
            again = ingest_paths(store, [loc.tota_xml], workers=args.workers)
        second = time.perf_counter() - t0
        db_mb = db.stat().st_size / 1e6
    me, kids = peak_mb()
    failed = sum(r.status == "failed" for r in results)
    print(
        f"ToTA: {len(files)} files, {size:.1f} MB of XML; {stats['agreements']} agreements, "
        f"{stats['clauses']} clauses, {stats['articles_en']} English articles, {failed} failed"
    )
    print(f"{'step':<34}{'seconds':>9}{'x floor':>9}")
    print(f"{'bare lxml parse (floor)':<34}{floor:>9.2f}{1:>9.1f}")
    print(f"{'full ingest into a new store':<34}{full:>9.2f}{full / floor:>9.1f}")
    print(f"{'re-ingest (all unchanged)':<34}{second:>9.2f}{second / floor:>9.1f}")
    print(f"peak RSS: main process {me:.0f} MB, largest worker {kids:.0f} MB; store file {db_mb:.0f} MB")
    print(f"unchanged on re-ingest: {sum(r.status == 'unchanged' for r in again)}/{len(again)}")


if __name__ == "__main__":
    main()
