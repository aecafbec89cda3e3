"""Benchmark of the overlap engine against the tools a researcher would otherwise use.

One process, one run: prints method, wall time, peak memory and the largest
absolute difference from the exact reference (our cold matrix, itself checked
against plain Python sets in tests/test_features.py).  Peak memory is
tracemalloc's peak of Python-visible allocations (numpy, scipy and
scikit-learn allocate through it); BLAS workspaces are not counted.

    python benchmarks/overlap.py [--db STORE] [--quick]

Without --db a temporary store is ingested from ../shared/corpora/tota/xml.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rulecompare import features as F
from rulecompare import overlap as M
from rulecompare.overlap import kernels as K
from rulecompare.store import Store

ROOT = Path(__file__).resolve().parent.parent


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    tracemalloc.start()
    t = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, elapsed, peak


def build_store(path: Path) -> None:
    from rulecompare.ingest import ingest_paths

    with Store(path) as s:
        ingest_paths(s, [ROOT.parent / "shared" / "corpora" / "tota" / "xml"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--quick", action="store_true", help="100 agreements, smaller slices")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.db"
    if args.db:
        shutil.copy(args.db, db)
    else:
        build_store(db)
    store = Store(db)
    store.db.execute("DELETE FROM cache")
    store.db.commit()
    ids = store.agreements(language="en")["id"].tolist()
    if args.quick:
        ids = ids[:100]
    rows: list[dict[str, Any]] = []

    def add(method: str, seconds: float, peak: float, err: str, note: str = "") -> None:
        rows.append(
            {
                "method": method,
                "time_s": round(seconds, 2),
                "peak_MiB": round(peak, 1),
                "max_abs_diff": err,
                "note": note,
            }
        )
        print(rows[-1], flush=True)

    cold, t, p = measure(lambda: M.matrix(store, ids))
    ref = cold.frame.to_numpy()
    add(
        "ours, cold store (features + cache write + matrix + baseline)",
        t,
        p,
        "reference",
        f"{len(ids)} agreements",
    )
    warm, t, p = measure(lambda: M.matrix(store, ids))
    add("ours, warm (cached features)", t, p, f"{np.abs(warm.frame.to_numpy() - ref).max():.1e}")

    texts = (
        store.clauses(ids, columns=["agreement_id", "text"])
        .groupby("agreement_id", sort=False)["text"]
        .apply(list)
    )
    texts = texts.loc[cold.frame.index]

    def sklearn_path() -> np.ndarray:
        from sklearn.feature_extraction.text import CountVectorizer

        docs = [" \x00 ".join(F.normalize(x) for x in t) for t in texts]
        x = CountVectorizer(
            analyzer="char", ngram_range=(5, 5), binary=True, lowercase=False, dtype=np.int32
        ).fit_transform(docs)
        inter = (x @ x.T).toarray()
        size = np.asarray(x.sum(axis=1)).ravel()
        scores: np.ndarray = inter / (size[:, None] + size[None, :] - inter)
        return scores

    sk, t, p = measure(sklearn_path)
    add(
        "scikit-learn CountVectorizer char 5 + sparse product",
        t,
        p,
        f"{np.abs(sk - ref).max():.3f}",
        "joins clauses, so a few shingles span clause boundaries",
    )

    def minhash_path() -> np.ndarray:
        from datasketch import MinHash

        sigs = []
        for t in texts:
            m = MinHash(num_perm=128)
            m.update_batch([s.encode() for s in set().union(*(F.shingles(x) for x in t))])
            sigs.append(m.hashvalues)
        h = np.array(sigs)
        agree: np.ndarray = (h[:, None, :] == h[None, :, :]).mean(axis=2)
        return agree

    mh, t, p = measure(minhash_path)
    diff = np.abs(mh - ref)
    add("datasketch MinHash 128 perms", t, p, f"{diff.max():.3f}", f"mean abs error {diff.mean():.3f}")

    clauses = store.clauses(ids, columns=["agreement_id", "article_index", "text"])
    arts = clauses.groupby(["agreement_id", "article_index"], sort=False)["text"].apply(" ".join)
    norm = [F.normalize(x) for x in arts]

    def rapidfuzz_slice() -> float:
        from rapidfuzz import fuzz, process

        k = 200 if args.quick else 400
        t0 = time.perf_counter()
        process.cdist(norm[:k], norm[: 10 * k], scorer=fuzz.ratio, workers=1)
        per_pair = (time.perf_counter() - t0) / (k * 10 * k)
        return per_pair

    per_pair, t, p = measure(rapidfuzz_slice)
    n = len(norm)
    add(
        "rapidfuzz process.cdist ratio, slice",
        t,
        p,
        "n/a (different measure)",
        f"{per_pair * 1e6:.1f} us/pair -> all {n} articles: {per_pair * n * n / 3600:.1f} h",
    )

    units, sets = M.unit_sets(store, clauses, "article")
    group = pd.factorize(units["agreement_id"])[0]

    def article_top5() -> M.Neighbours:
        _, s2 = M.unit_sets(store, clauses, "article")
        return M.top_neighbours(s2, k=5, group=group)

    store.db.execute("DELETE FROM cache WHERE key LIKE 'char5|%|article|%'")
    store.db.commit()
    nb, t, p = measure(article_top5)
    rng = np.random.default_rng(0)
    sample = rng.choice(len(sets), 300, replace=False)
    cols, v = K.key_columns(sets)
    x = K.incidence(sets, cols, v)
    hit1 = hitk = 0
    worst = 0.0
    for q in sample:
        inter = (x[q] @ x.T).toarray().ravel()
        jac = inter / (sets.sizes[q] + sets.sizes - inter)
        jac[group == group[q]] = -1
        best = np.sort(jac)[::-1][:5]
        got = nb.score[nb.query == q]
        worst = max(worst, float(np.abs(got - jac[nb.target[nb.query == q]]).max()) if got.size else 0.0)
        hit1 += bool(got.size) and np.isclose(got[0], best[0])
        hitk += np.isin(np.round(best[best > 0], 12), np.round(got, 12)).mean() if (best > 0).any() else 1
    add(
        "ours, article top-5 (cold article features)",
        t,
        p,
        f"{worst:.1e} (scores)",
        f"{len(sets)} articles; vs brute force on 300: "
        f"top-1 found {hit1 / 300:.0%}, top-5 recall {hitk / 300:.0%}",
    )

    nafta, tpp = "tota:112", "tota:449"
    M.align(store, nafta, tpp)
    al, t, p = measure(lambda: M.align(store, nafta, tpp))
    share, n_titles = al.same_title_share()
    add(
        "ours, align NAFTA vs TPP (warm)",
        t,
        p,
        "exact",
        f"{len(al.pairs)} pairs; same-title articles paired {share:.0%} of {n_titles}",
    )

    print()
    print(pd.DataFrame(rows).to_string(index=False))
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
