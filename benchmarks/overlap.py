"""Benchmark of the overlap engine against the tools a researcher would otherwise use, in one process.

    python benchmarks/overlap.py [--db STORE] [--quick] [--repeat N] [--top5-only]

Times and memory are taken in separate passes (STYLE.md): every method is
first timed ``--repeat`` times with nothing traced (wall and CPU time, as
ranges), then run once more with the peak resident set size reset before it
(``/proc/self/clear_refs``) and read after it (``VmHWM``), which counts all
memory (NumPy, BLAS, Python objects) at no cost to the method.  tracemalloc
is not used: it slows the pure-Python peers (datasketch) far more than NumPy
code and would flatter us.

Rows: our agreement matrix cold (features computed and cached) and warm
(cached features), scikit-learn's char 5-gram CountVectorizer with a sparse
product, datasketch MinHash (128 permutations), a rapidfuzz slice; the
all-article top-5 with its recall against brute force on a sample of
queries; the one-article exact query of the store's index (what
``neighbours --article`` and the TUI call); and an alignment.  The last
lines give the ratios (from the fastest run of each; CPU time first, as the
steadier figure on a loaded machine) and the machine's load.

Without --db a temporary store is ingested from ../shared/corpora/tota/xml.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rulecompare import features as F
from rulecompare import overlap as M
from rulecompare.overlap import kernels as K
from rulecompare.overlap.index import shingle_index
from rulecompare.store import Store

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(field: str) -> float | None:
    """A field of /proc/self/status (VmRSS, VmHWM) in MB, None where there is no /proc."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def peak_mb(fn: Callable[[], Any]) -> float | None:
    """Peak RSS above the RSS before ``fn``, in MB (the kernel's high-water mark, reset first)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return None
    before = rss_mb("VmRSS") or 0.0
    fn()
    peak = rss_mb("VmHWM")
    return None if peak is None else peak - before


class Bench:
    """Times each method (repeats, no tracing), then measures its memory in a pass of its own."""

    def __init__(self, repeat: int) -> None:
        self.repeat = repeat
        self.rows: list[dict[str, Any]] = []
        self.best: dict[str, float] = {}
        self.best_cpu: dict[str, float] = {}

    def run(
        self,
        name: str,
        fn: Callable[[], Any],
        *,
        check: Callable[[Any], str] = lambda _: "",
        note: Callable[[Any], str] = lambda _: "",
        repeat: int | None = None,
        memory: bool = True,
    ) -> Any:
        walls, cpus = [], []
        out: Any = None
        for _ in range(repeat or self.repeat):
            c0, w0 = time.process_time(), time.perf_counter()
            out = fn()
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
        mem = peak_mb(fn) if memory else None
        self.best[name] = min(walls)
        self.best_cpu[name] = min(cpus)
        row = {
            "method": name,
            "wall_s": _range(walls),
            "cpu_s": _range(cpus),
            "peak_MB": "n/a" if mem is None else f"{mem:.0f}",
            "vs_exact": check(out),
            "note": note(out),
        }
        self.rows.append(row)
        print(row, flush=True)
        return out


def _range(values: list[float]) -> str:
    lo, hi = min(values), max(values)
    return f"{lo:.2f}" if hi - lo < 0.005 else f"{lo:.2f}-{hi:.2f}"


def build_store(path: Path) -> None:
    from rulecompare.ingest import ingest_paths

    with Store(path) as s:
        ingest_paths(s, [ROOT.parent / "shared" / "corpora" / "tota" / "xml"])


def bench_top5(b: Bench, store: Store, clauses: pd.DataFrame, sample_size: int) -> None:
    """The all-article top-5, candidate search and exact, each with its recall against brute force."""
    units, sets = M.unit_sets(store, clauses[["agreement_id", "article_index"]], "article")
    keep = np.flatnonzero(sets.sizes > 0)
    units, sets = units.iloc[keep].reset_index(drop=True), sets.take(keep)
    group = pd.factorize(units["agreement_id"])[0]
    sample = np.random.default_rng(0).choice(len(sets), min(sample_size, len(sets)), replace=False)
    inter = K.intersections(sets.take(sample), sets)
    jac = inter / (sets.sizes[sample][:, None] + sets.sizes[None, :] - inter)
    jac[group[sample][:, None] == group[None, :]] = -1
    truth = -np.sort(-jac, axis=1)[:, :5]

    def recall(nb: M.Neighbours) -> str:
        got = np.zeros((sample.size, 5))
        for i, q in enumerate(sample):
            s = nb.score[nb.query == q][:5]
            got[i, : s.size] = s
        exact_scores = all(
            np.allclose(nb.score[nb.query == q], jac[i][nb.target[nb.query == q]])
            for i, q in enumerate(sample)
        )
        hit = np.isclose(got, truth) | (truth <= 0)
        return (
            f"top-5 recall {hit.mean():.3f}, top-1 {hit[:, 0].mean():.3f} on {sample.size} queries; "
            f"scores {'exact' if exact_scores else 'NOT exact'}"
        )

    b.run(
        "ours, all-article top-5, candidate search (top_neighbours)",
        lambda: M.top_neighbours(sets, k=5, group=group),
        check=recall,
        note=lambda nb: f"{len(sets)} articles; fast, not complete",
        repeat=1,
    )
    b.run(
        "ours, all-article top-5, exact (exact_top_neighbours)",
        lambda: M.exact_top_neighbours(sets, k=5, group=group),
        check=recall,
        note=lambda nb: f"{len(sets)} articles; every pair scored in blocks (target: exact, < 60 s, < 3 GB)",
        repeat=1,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--quick", action="store_true", help="100 agreements, smaller slices")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs per method")
    ap.add_argument("--sample", type=int, default=300, help="queries checked against brute force")
    ap.add_argument("--top5-only", action="store_true", help="only the all-article top-5 rows")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.db"
    if args.db:
        shutil.copy(args.db, db)
    else:
        build_store(db)
    store = Store(db)
    load0 = os.getloadavg()

    def clear(pattern: str = "%") -> None:
        store.db.execute("DELETE FROM cache WHERE key LIKE ?", (pattern,))
        store.db.commit()

    clear()
    ids = store.agreements(language="en")["id"].tolist()
    if args.quick:
        ids = ids[:100]
    b = Bench(args.repeat)
    if args.top5_only:
        bench_top5(
            b, store, store.clauses(ids, columns=["agreement_id", "article_index", "text"]), args.sample
        )
        finish(b, store, tmp, load0)
        return

    def cold() -> M.MatrixResult:
        clear()
        return M.matrix(store, ids)

    ref = b.run("ours, cold store (features + cache write + matrix + baseline)", cold).frame.to_numpy()
    b.run(
        "ours, warm (cached features)",
        lambda: M.matrix(store, ids),
        check=lambda r: f"{np.abs(r.frame.to_numpy() - ref).max():.1e}",
        note=lambda _: f"{len(ids)} agreements",
        repeat=max(3, args.repeat),
    )
    texts = store.clauses(ids, columns=["agreement_id", "text"]).groupby("agreement_id", sort=False)["text"]
    docs_texts = texts.apply(list).loc[M.matrix(store, ids).frame.index]

    def sklearn_path() -> np.ndarray:
        from sklearn.feature_extraction.text import CountVectorizer

        docs = [" \x00 ".join(F.normalize(x) for x in t) for t in docs_texts]
        x = CountVectorizer(
            analyzer="char", ngram_range=(5, 5), binary=True, lowercase=False, dtype=np.int32
        ).fit_transform(docs)
        inter = (x @ x.T).toarray()
        size = np.asarray(x.sum(axis=1)).ravel()
        scores: np.ndarray = inter / (size[:, None] + size[None, :] - inter)
        return scores

    b.run(
        "scikit-learn CountVectorizer char 5 + sparse product",
        sklearn_path,
        check=lambda s: f"{np.abs(s - ref).max():.3f}",
        note=lambda _: "joins clauses, so a few shingles span clause boundaries",
        repeat=1,
    )

    def minhash_path() -> np.ndarray:
        from datasketch import MinHash

        sigs = []
        for t in docs_texts:
            m = MinHash(num_perm=128)
            m.update_batch([s.encode() for s in set().union(*(F.shingles(x) for x in t))])
            sigs.append(m.hashvalues)
        h = np.array(sigs)
        agree: np.ndarray = (h[:, None, :] == h[None, :, :]).mean(axis=2)
        return agree

    b.run(
        "datasketch MinHash 128 perms",
        minhash_path,
        check=lambda s: f"{np.abs(s - ref).max():.3f}",
        note=lambda s: f"mean abs error {np.abs(s - ref).mean():.3f}",
        repeat=1,
    )

    clauses = store.clauses(ids, columns=["agreement_id", "article_index", "text"])
    arts = clauses.groupby(["agreement_id", "article_index"], sort=False)["text"].apply(" ".join)
    norm = [F.normalize(x) for x in arts]
    k_slice = 200 if args.quick else 400

    def rapidfuzz_slice() -> float:
        from rapidfuzz import fuzz, process

        t0 = time.perf_counter()
        process.cdist(norm[:k_slice], norm[: 10 * k_slice], scorer=fuzz.ratio, workers=1)
        return (time.perf_counter() - t0) / (k_slice * 10 * k_slice)

    b.run(
        "rapidfuzz process.cdist ratio, slice",
        rapidfuzz_slice,
        check=lambda _: "n/a (different measure)",
        note=lambda per: (
            f"{per * 1e6:.1f} us/pair -> all {len(norm)} articles: {per * len(norm) ** 2 / 3600:.1f} h"
        ),
        repeat=1,
        memory=False,
    )

    bench_top5(b, store, clauses, args.sample)

    # The one-article query of `neighbours --article` and the TUI: the store's index, built once.
    nafta, tpp = "tota:112", "tota:449"
    c0, w0 = time.process_time(), time.perf_counter()
    shingle_index(store, "article").close()
    build = (time.perf_counter() - w0, time.process_time() - c0)
    art = b.run(
        "ours, one article's nearest articles (index, warm)",
        lambda: M.neighbours(store, nafta, article="1110", top=10),
        check=lambda f: "exact (= scoring every article)",
        note=lambda f: (
            f"index built once in {build[0]:.1f} s wall, {build[1]:.1f} s CPU; best {f['score'].iloc[0]:.3f}"
        ),
        repeat=max(3, args.repeat),
    )
    del art
    M.align(store, nafta, tpp)
    b.run(
        "ours, align NAFTA vs TPP (warm)",
        lambda: M.align(store, nafta, tpp),
        check=lambda _: "exact",
        note=lambda al: f"{len(al.pairs)} pairs; same-title articles paired {al.same_title_share()[0]:.0%}",
    )

    print()
    print(pd.DataFrame(b.rows).to_string(index=False))
    print_ratios(b)
    finish(b, store, tmp, load0, table=False)


def print_ratios(b: Bench) -> None:
    """Each peer's time over ours, cold and warm."""
    warm_name, cold_name = (
        "ours, warm (cached features)",
        "ours, cold store (features + cache write + matrix + baseline)",
    )
    for peer in ("scikit-learn CountVectorizer char 5 + sparse product", "datasketch MinHash 128 perms"):
        # CPU time is the steadier figure on a loaded machine: wall time also counts the others' work.
        print(
            f"{peer}: {b.best_cpu[peer] / b.best_cpu[cold_name]:.1f}x our cold CPU time, "
            f"{b.best_cpu[peer] / b.best_cpu[warm_name]:.1f}x our warm CPU time "
            f"(wall: {b.best[peer] / b.best[cold_name]:.1f}x, {b.best[peer] / b.best[warm_name]:.1f}x)"
        )


def finish(b: Bench, store: Store, tmp: Path, load0: tuple[float, float, float], table: bool = True) -> None:
    """The table (unless printed already), the machine's load, and the temporary store removed."""
    if table:
        print(pd.DataFrame(b.rows).to_string(index=False))
    load1 = os.getloadavg()
    print(f"load average {load0[0]:.1f} at start, {load1[0]:.1f} at end, on {os.cpu_count()} CPUs")
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
