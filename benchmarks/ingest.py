"""Full ToTA ingest against its floor (a bare lxml parse of the same files), in one run.

    python benchmarks/ingest.py [--corpus ../shared/corpora] [--workers N] [--repeat N]

Prints, for the bare parse, a full ingest into a new store and a second
ingest of the same files (nothing to do): wall time and CPU time (this
process plus its parse workers), as ranges over ``--repeat`` runs, and the
ratio to the floor (fastest wall times).  Also the write path alone: the
parsed records of every file written into a new store, with the full-text
index kept per file and with it rebuilt once at the end (what a bulk ingest
does), so the share of the index is visible apart from the parsing.  Peak
memory is the resident set size from getrusage (this process, and the
largest worker process).  On a loaded machine the CPU times are the steadier
figures; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from rulecompare.corpus import resolve_corpus
from rulecompare.ingest import SourceFile, ingest_paths, parse_source, parser_version
from rulecompare.model import ParsedAgreement
from rulecompare.store import Store, file_sha256


def peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def cpu() -> float:
    """CPU seconds of this process and its waited-for children (the parse workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(repeat):
        c0, t0 = cpu(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu() - c0)
    return walls, cpus


def span(values: list[float]) -> str:
    lo, hi = min(values), max(values)
    return f"{lo:.2f}" if hi - lo < 0.005 else f"{lo:.2f}-{hi:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    loc = resolve_corpus(args.corpus)
    if loc.tota_xml is None:
        raise SystemExit(f"no ToTA XML found ({loc.reason})")
    tota = loc.tota_xml
    files = sorted(tota.glob("pta_*.xml"))
    size = sum(f.stat().st_size for f in files) / 1e6
    load0 = os.getloadavg()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    floor = timed(lambda: [etree.parse(str(f), parser) for f in files], args.repeat)
    rows: list[tuple[str, tuple[list[float], list[float]]]] = [("bare lxml parse (floor)", floor)]
    with tempfile.TemporaryDirectory() as tmp:
        stats: dict[str, object] = {}
        failed = 0

        def full() -> None:
            nonlocal failed
            db = Path(tmp) / "bench.db"
            for p in Path(tmp).glob("bench.db*"):
                p.unlink()
            with Store(db) as store:
                results = ingest_paths(store, [tota], workers=args.workers)
                stats.update(store.stats())
            failed = sum(r.status == "failed" for r in results)

        rows.append(("full ingest into a new store", timed(full, args.repeat)))
        db_mb = (Path(tmp) / "bench.db").stat().st_size / 1e6

        def again() -> None:
            with Store(Path(tmp) / "bench.db") as store:
                ingest_paths(store, [tota], workers=args.workers)

        rows.append(("re-ingest (all unchanged)", timed(again, args.repeat)))
        version = parser_version()
        parsed: list[tuple[str, str, ParsedAgreement]] = [
            (str(f.resolve()), file_sha256(f.read_bytes()), parse_source(SourceFile(f))) for f in files
        ]
        for name, deferred in (
            ("writes only, index per file", False),
            ("writes only, index rebuilt once", True),
        ):

            def write(deferred: bool = deferred) -> None:
                db = Path(tmp) / "writes.db"
                for old in Path(tmp).glob("writes.db*"):
                    old.unlink()
                with Store(db) as store:
                    with store.text_index_deferred(len(parsed) if deferred else 0):
                        for path, sha, record in parsed:
                            store.put(record, path=path, sha256=sha, parser=version)

            rows.append((name, timed(write, args.repeat)))
    me, kids = peak_mb()
    base = min(floor[0])
    print(
        f"ToTA: {len(files)} files, {size:.1f} MB of XML; {stats.get('agreements')} agreements, "
        f"{stats.get('clauses')} clauses, {stats.get('articles_en')} English articles, {failed} failed"
    )
    print(f"{'step':<34}{'wall s':>14}{'CPU s':>14}{'x floor':>9}")
    for name, (walls, cpus) in rows:
        print(f"{name:<34}{span(walls):>14}{span(cpus):>14}{min(walls) / base:>9.1f}")
    print(f"peak RSS: main process {me:.0f} MB, largest worker {kids:.0f} MB; store file {db_mb:.0f} MB")
    print(f"load average {load0[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end, on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
