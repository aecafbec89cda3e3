"""How time and memory grow with the corpus: 1x, 2x, 4x and 8x today's, on synthetic corpora.

    python benchmarks/scale.py [--base STORE] [--sizes 1 2 4 8] [--swap 0.1] [--workdir DIR]
    python benchmarks/scale.py --base STORE --sizes 1 2 4 8 --skip topk   # hours less at 8x

The field's full universe (about 1,000 PTAs and 3,000 investment treaties) is
about 8x today's corpus.  A corpus of size m is the base store's agreements
plus m - 1 perturbed copies of each: every copy has a new id and a signature
date shifted by whole years, and a share ``--swap`` of its words replaced by
words drawn at random from the corpus (fixed seed), so no copy's shingle
sets equal the original's.  Each operation runs in a child process, measured
with ``os.wait4`` (wall, CPU of the process and its children, peak RSS):

- ingest: writing every record into a new store (transactions per
  agreement, FTS5 index included; the parsing itself is not repeated);
- matrix: the English agreement matrix, cold (features computed) and warm;
- index + baselines: building the article, clause and word-run indexes and
  the article and copied-share baselines (once per corpus state);
- one-article query: ``neighbours nafta --article 1110`` (warm), English
  articles only (``monolingual``, as for reuse below: otherwise the first
  query on each new store translates the Spanish and French copies, and that
  is what the row measured);
- reuse: ``reuse tpp`` (warm), same-language sources only (``monolingual``):
  the synthetic copies of the Spanish and French texts are new texts, and
  translating them (a one-time cost per text, kept in the store; about 90 s
  of CPU for the corpus's 11 such texts, ``benchmarks/translation.py``)
  would be timed here as if it were part of the query;
- all-article top-5: the English articles' five nearest each (quadratic in
  the corpus: about 100 s of CPU at 1x, so hours at 8x; ``--skip topk``
  leaves it out, and the table shows it as not run).

The last table gives each operation's growth exponent, the slope of
log(time) and log(peak RSS) against log(size) fitted over the sizes run: 1 is
linear, below 1 sub-linear.  Each size's store is deleted once measured; the
largest store's size on disk is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from rulecompare.model import ParsedAgreement
from rulecompare.store import Store

ROOT = Path(__file__).resolve().parent.parent
NAFTA, TPP = "tota:112", "tota:449"

OPS = [
    "ingest",
    "matrix cold",
    "matrix warm",
    "index + baselines",
    "one-article query",
    "reuse tpp",
    "all-article top-5",
]
SHORT = ("matrix", "index", "query", "reuse", "topk")
"""``--skip`` names: the child's ``--op`` of each operation (not ingest: the others read its store)."""


# -- the operations, each run in a child process ---------------------------------------------------


def op_ingest(db: Path, base: Path, copies: int, swap: float) -> None:
    with Store(base, readonly=True) as src, Store(db) as dst:
        ids = src.agreements()["id"].tolist()
        vocab = _vocabulary(src)
        rng = np.random.default_rng(0)
        # As `rulecompare ingest` writes many files: the full-text index rebuilt once at the end.
        with dst.text_index_deferred(copies * len(ids)):
            for copy in range(copies):
                for aid in ids:
                    parsed = _parsed(src, aid)
                    if copy:
                        parsed = _perturbed(parsed, copy, vocab, rng, swap)
                    dst.put(parsed, path=f"{parsed.agreement.id}", sha256=parsed.agreement.id, parser="scale")


def _vocabulary(store: Store) -> np.ndarray:
    words: set[str] = set()
    for chunk in store.clause_chunks(columns=["text"], rows=20_000):
        for text in chunk["text"]:
            words.update(text.split())
        if len(words) > 200_000:
            break
    return np.array(sorted(words), dtype=object)


def _parsed(store: Store, aid: str) -> ParsedAgreement:
    return ParsedAgreement(store.agreement(aid), tuple(store.iter_clauses(aid)))


def _perturbed(
    parsed: ParsedAgreement, copy: int, vocab: np.ndarray, rng: np.random.Generator, swap: float
) -> ParsedAgreement:
    a = parsed.agreement
    new_id = f"{a.id}~{copy}"

    def shift(d: dt.date | None) -> dt.date | None:
        return None if d is None else d.replace(year=min(9999, d.year + copy), day=min(d.day, 28))

    clauses = []
    for c in parsed.clauses:
        words = c.text.split()
        if words:
            hit = rng.random(len(words)) < swap
            for i in np.flatnonzero(hit).tolist():
                words[i] = str(vocab[rng.integers(vocab.size)])
        clauses.append(
            replace(c, id=c.id.replace(a.id, new_id, 1), agreement_id=new_id, text=" ".join(words))
        )
    agreement = replace(
        a, id=new_id, name=f"{a.name} (copy {copy})", date_signed=shift(a.date_signed),
        date_in_force=shift(a.date_in_force), aliases=(), duplicate_of=None,
    )  # fmt: skip
    return ParsedAgreement(agreement, tuple(clauses))


def op_matrix(db: Path) -> None:
    from rulecompare import overlap

    with Store(db) as store:
        overlap.matrix(store, language="en")


def op_index(db: Path) -> None:
    from rulecompare.overlap import corpus_baseline
    from rulecompare.overlap.index import shingle_index

    with Store(db) as store:
        for unit in ("article", "clause"):
            shingle_index(store, unit).close()
        shingle_index(store, "agreement", feature="word6").close()
        # What the answers put beside their scores, also once per corpus state.
        corpus_baseline(store, level="article")
        corpus_baseline(store, measure="copied")


def op_query(db: Path) -> None:
    from rulecompare import overlap

    with Store(db) as store:
        overlap.neighbours(store, NAFTA, article="1110", top=10, monolingual=True)


def op_reuse(db: Path) -> None:
    from rulecompare import overlap

    with Store(db) as store:
        overlap.reuse(store, TPP, monolingual=True)


def op_topk(db: Path) -> None:
    import pandas as pd

    from rulecompare import overlap
    from rulecompare.overlap.units import units_for

    with Store(db) as store:
        ids = store.agreements(language="en")["id"].tolist()
        _, units, sets = units_for(store, ids, "article", None)
        group = pd.factorize(units["agreement_id"])[0]
        overlap.top_neighbours(sets, k=5, group=group)


# -- the parent: sizes, children, the tables -------------------------------------------------------


def child(args: list[str]) -> tuple[float, float, float, int]:
    """Run this script's ``--op`` in a child: wall s, CPU s, peak RSS MB, exit code."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def slope(sizes: list[int], values: list[float]) -> float:
    """The growth exponent: slope of log(value) against log(size)."""
    if len(sizes) < 2 or min(values) <= 0:
        return float("nan")
    return float(np.polyfit(np.log(sizes), np.log(values), 1)[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--base", type=Path, default=None, help="store to grow (default: ingest the shared corpora)"
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4, 8])
    ap.add_argument("--swap", type=float, default=0.1, help="share of each copy's words replaced")
    ap.add_argument(
        "--workdir", type=Path, default=None, help="where the stores are built (default: a temp dir)"
    )
    ap.add_argument(
        "--skip",
        nargs="+",
        default=[],
        choices=SHORT,
        help="operations to leave out (shown as not run)",
    )
    ap.add_argument("--op", help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--copies", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.op:
        run_op(args)
        return
    work = Path(tempfile.mkdtemp(prefix="rc-scale-", dir=args.workdir))
    base = args.base
    if base is None:
        base = work / "base.db"
        from rulecompare.corpus import resolve_corpus
        from rulecompare.ingest import corpus_sources, ingest_sources

        with Store(base) as s:
            ingest_sources(s, corpus_sources(resolve_corpus(None)))
    table: dict[str, list[tuple[float, float, float]]] = {op: [] for op in OPS}
    biggest = 0
    load0 = os.getloadavg()
    try:
        for size in args.sizes:
            db = work / f"x{size}.db"
            steps = [
                ("ingest", ["--op", "ingest", "--db", str(db), "--base", str(base), "--copies", str(size),
                            "--swap", str(args.swap)]),
                ("matrix cold", ["--op", "matrix", "--db", str(db)]),
                ("matrix warm", ["--op", "matrix", "--db", str(db)]),
                ("index + baselines", ["--op", "index", "--db", str(db)]),
                ("one-article query", ["--op", "query", "--db", str(db)]),
                ("reuse tpp", ["--op", "reuse", "--db", str(db)]),
                ("all-article top-5", ["--op", "topk", "--db", str(db)]),
            ]  # fmt: skip
            for name, argv in steps:
                if argv[1] in args.skip:
                    continue
                wall, cpu, rss, code = child(argv)
                if code:
                    print(f"{size}x {name}: exit {code}", flush=True)
                table[name].append((wall, cpu, rss))
                print(f"{size}x {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, {rss:.0f} MB", flush=True)
            size_mb = sum(p.stat().st_size for p in work.glob(f"x{size}.db*")) / 2**20
            biggest = max(biggest, int(size_mb))
            free = shutil.disk_usage(work).free / 2**30
            print(f"{size}x store on disk: {size_mb:.0f} MB; free: {free:.0f} GB")
            for p in work.glob(f"x{size}.db*"):
                p.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(args.sizes, table, biggest, load0, os.getloadavg())


def run_op(args: argparse.Namespace) -> None:
    if args.op == "ingest":
        op_ingest(args.db, args.base, args.copies, args.swap)
    elif args.op == "matrix":
        op_matrix(args.db)
    elif args.op == "index":
        op_index(args.db)
    elif args.op == "query":
        op_query(args.db)
    elif args.op == "reuse":
        op_reuse(args.db)
    elif args.op == "topk":
        op_topk(args.db)


def report(
    sizes: list[int],
    table: dict[str, list[tuple[float, float, float]]],
    biggest: int,
    load0: tuple[float, ...],
    load1: tuple[float, ...],
) -> None:
    done = sizes[: min(len(v) for v in table.values() if v)] if any(table.values()) else []
    head = f"{'operation':<20}" + "".join(f"{f'{s}x CPU s / MB':>18}" for s in done)
    head += f"{'exp. wall':>10}{'exp. CPU':>10}{'exp. RSS':>10}"
    print()
    print(head)
    print("-" * len(head))
    for op in OPS:
        rows = table[op][: len(done)]
        if not rows:
            print(f"{op:<20}{'not run (--skip)':>18}")
            continue
        cells = "".join(f"{f'{cpu:.1f} / {rss:.0f}':>18}" for _, cpu, rss in rows)
        walls = [r[0] for r in rows]
        cpus = [r[1] for r in rows]
        rsss = [r[2] for r in rows]
        print(
            f"{op:<20}{cells}{slope(done, walls):>10.2f}{slope(done, cpus):>10.2f}{slope(done, rsss):>10.2f}"
        )
    print(f"largest store on disk: {biggest} MB; load average {load0[0]:.1f} at start, {load1[0]:.1f} at end")


if __name__ == "__main__":
    main()
