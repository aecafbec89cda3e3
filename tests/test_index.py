"""The inverted index and the searches on it, against plain-set references (brute force)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import make_agreement, make_parsed, put
from hypothesis import given, settings
from hypothesis import strategies as st

from rulecompare import features as F
from rulecompare import overlap as M
from rulecompare.overlap import baseline as B
from rulecompare.overlap import join as J
from rulecompare.overlap import threshold as T
from rulecompare.overlap.index import build_arrays, shingle_index
from rulecompare.overlap.reuse import copied_by_source
from rulecompare.overlap.units import agreement_runs
from rulecompare.store import Store

# Small alphabets and key ranges make shared keys, ties and empty sets common.
SETS = st.lists(
    st.lists(st.integers(0, 40), max_size=25).map(lambda x: sorted(set(x))), min_size=1, max_size=14
)


def unit_sets(rows: list[list[int]]) -> F.UnitSets:
    indptr = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int64)
    keys = np.array([k for r in rows for k in r], dtype=np.uint64)
    return F.UnitSets(indptr, keys)


def brute_top(
    rows: list[list[int]], q: set[int], k: int, eligible: np.ndarray
) -> list[tuple[float, int, int]]:
    """(Jaccard, unit, intersection) of the k best eligible units sharing a key (Jaccard desc, unit asc)."""
    scored = []
    for u, r in enumerate(rows):
        inter = len(q & set(r))
        if eligible[u] and inter:
            scored.append((inter / len(q | set(r)), u, inter))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return scored[:k]


@settings(max_examples=80, deadline=None)
@given(SETS, st.data())
def test_index_layout_is_its_sets(rows: list[list[int]], data: st.DataObject) -> None:
    ix = build_arrays(["a"], np.zeros(len(rows)), np.arange(len(rows)), unit_sets(rows)).index()
    vocab = ix.vocab.tolist()
    assert vocab == sorted({k for r in rows for k in r})
    for u, r in enumerate(rows):
        ids = ix.unit_ids(np.array([u]))
        assert [vocab[i] for i in ids] == r
    for i, key in enumerate(vocab):
        holders = [u for u, r in enumerate(rows) if key in r]
        got = ix.postings.gather(ix.ptr[i : i + 1], ix.ptr[i + 1 : i + 2]).tolist()
        assert got == holders
        # Each posting's position: the key's place in its unit's set ranked rarest first.
        pos = ix.positions.gather(ix.ptr[i : i + 1], ix.ptr[i + 1 : i + 2]).tolist()
        for u, p in zip(holders, pos, strict=True):
            ranked = sorted(rows[u], key=lambda key_: ix.rank[vocab.index(key_)])
            assert ranked.index(key) == p


@settings(max_examples=150, deadline=None)
@given(SETS, st.lists(st.integers(0, 45), max_size=25), st.integers(1, 6), st.data())
def test_top_k_equals_brute_force(
    rows: list[list[int]], query: list[int], k: int, data: st.DataObject
) -> None:
    ix = build_arrays(["a"], np.zeros(len(rows)), np.arange(len(rows)), unit_sets(rows)).index()
    eligible = np.array(data.draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows))))
    q = sorted(set(query))
    ids, extra = ix.key_ids(np.array(q, dtype=np.uint64))
    got = ix.top_k(ids, k, eligible, n_extra=extra)
    want = brute_top(rows, set(q), k, eligible)
    assert sorted(zip(got.units.tolist(), got.inter.tolist(), strict=True)) == sorted(
        (u, i) for _, u, i in want
    )
    assert np.allclose(sorted(got.score), sorted(s for s, _, _ in want))


@settings(max_examples=100, deadline=None)
@given(SETS, st.integers(1, 4), st.sampled_from([0.0, 0.3, 0.6]), st.data())
def test_join_of_many_queries_equals_brute_force(
    rows: list[list[int]], k: int, floor: float, data: st.DataObject
) -> None:
    ix = build_arrays(["a"], np.zeros(len(rows)), np.arange(len(rows)), unit_sets(rows)).index()
    group = np.array(data.draw(st.lists(st.integers(0, 3), min_size=len(rows), max_size=len(rows))))
    qptr = ix.fwd_ptr
    qids = ix.fwd.gather(np.array([0]), np.array([int(qptr[-1])])).astype(np.int64)
    r = J.top_k_join(ix, qptr, qids, ix.sizes, k, allow=lambda a, b: group[a] != group[b], floor=floor)
    for qu, row in enumerate(rows):
        want = brute_top(rows, set(row), k, group != group[qu])
        mine = r.query == qu
        got = list(zip(r.score[mine].tolist(), r.unit[mine].tolist(), r.inter[mine].tolist(), strict=True))
        if r.exact[qu]:
            assert [(u, i) for _, u, i in got] == [(u, i) for _, u, i in want]
        else:
            # Below the floor only what the candidates gave; above it, everything, in order.
            assert [x for x in got if x[0] >= floor] == [x for x in want if x[0] >= floor]
            assert all(s < floor for s, _, _ in want[len([x for x in want if x[0] >= floor]) :])
        assert r.exact[qu] or floor > 0


@settings(max_examples=100, deadline=None)
@given(SETS, st.sampled_from([0.2, 0.5, 0.8, 1.0]))
def test_threshold_join_finds_every_pair_above_t(rows: list[list[int]], t: float) -> None:
    sets = unit_sets(rows)
    cols, n_keys = M.kernels.key_columns(sets)
    df = np.bincount(cols, minlength=n_keys)
    rank = np.empty(n_keys, dtype=np.int64)
    rank[np.lexsort((np.arange(n_keys), df))] = np.arange(n_keys)
    ranked = T.RankedSets.of(sets.indptr, cols, rank)
    q, u, inter = T.threshold_join(ranked, t)
    got = sorted(zip(q.tolist(), u.tolist(), inter.tolist(), strict=True))
    want = []
    for a, ra in enumerate(rows):
        for b, rb in enumerate(rows):
            i = len(set(ra) & set(rb))
            if a != b and i and i / len(set(ra) | set(rb)) >= t - 1e-12:
                want.append((a, b, i))
    assert got == want


# -- on a store ---------------------------------------------------------------------------------

TEXTS = [
    "Each Party shall accord national treatment to the goods of the other Party.",
    "No Party may expropriate or nationalize a covered investment except for a public purpose.",
    "The Parties shall cooperate on customs procedures and trade facilitation.",
    "Each Party shall accord national treatment to the services of the other Party.",
    "Rules of origin apply to goods wholly obtained in the territory of a Party.",
]


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "s.db")
    put(
        store,
        *(
            make_parsed(
                make_agreement(i, signed=dt.date(2000 + i, 1, 1)),
                [TEXTS[(i + j) % len(TEXTS)] + f" Article {i}{j}." for j in range(4)],
            )
            for i in range(6)
        ),
    )
    return store


def test_store_index_is_kept_and_rebuilt_when_the_corpus_changes(tmp_path: Path) -> None:
    store = _store(tmp_path)
    first = shingle_index(store, "article")
    n_rows = store.db.execute("SELECT count(*) FROM cache WHERE key LIKE 'index|%'").fetchone()[0]
    assert n_rows > 0
    again = shingle_index(store, "article")
    assert np.array_equal(again.vocab, first.vocab) and type(again.postings).__name__ == "BlobRanges"
    # Read by ranges from the store, the index answers as the one built in memory.
    sets = M.unit_sets(store, store.clauses(columns=["agreement_id", "article_index"]), "article")[1]
    memory = build_arrays(first.agreements, first.agreement, first.unit_key, sets).index()
    for u in range(again.n_units):
        q = again.unit_ids(np.array([u]))
        mask = again.agreement != again.agreement[u]
        a, b = again.top_k(q, 3, mask), memory.top_k(q, 3, mask)
        assert a.units.tolist() == b.units.tolist() and a.inter.tolist() == b.inter.tolist()
    again.close()
    put(store, make_parsed(make_agreement(9), ["A new agreement about rules of origin and goods."]))
    rebuilt = shingle_index(store, "article")
    assert "test:9" in rebuilt.agreements and rebuilt.n_units == first.n_units + 1
    assert store.db.execute("SELECT count(*) FROM cache WHERE key LIKE 'index|%'").fetchone()[0] == n_rows


def test_neighbours_equal_scoring_every_unit(tmp_path: Path) -> None:
    store = _store(tmp_path)
    clauses = store.clauses(columns=["agreement_id", "article_index", "text"])
    units, sets = M.unit_sets(store, clauses, "article")
    full = M.jaccard_matrix(sets)
    for agreement, article in (("test:1", "2"), ("test:3", "1")):
        got = M.neighbours(store, agreement, article=article, top=7)
        row = np.flatnonzero(
            (units["agreement_id"] == agreement) & (units["article_index"] == int(article) - 1)
        )
        ref = units.assign(score=full[row[0]])
        ref = ref[ref["agreement_id"] != agreement].sort_values(
            ["score", "agreement_id"], ascending=[False, True], kind="stable"
        )
        assert got["score"].tolist() == pytest.approx(ref["score"].head(7).tolist())
        assert got["agreement_id"].tolist() == ref["agreement_id"].head(7).tolist()
    agreements = M.neighbours(store, "test:2", top=10)
    assert len(agreements) == 5 and agreements["score"].is_monotonic_decreasing


def test_baseline_is_computed_once_per_corpus_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(tmp_path)
    first = M.corpus_baseline(store, level="article")
    B._MEMO.clear()

    def fail(*args: object) -> tuple[float, str]:
        raise AssertionError("recomputed")

    monkeypatch.setattr(B, "_compute", fail)
    assert M.corpus_baseline(store, level="article") == first
    put(store, make_parsed(make_agreement(9), ["Something else entirely, about fisheries."]))
    with pytest.raises(AssertionError, match="recomputed"):
        M.corpus_baseline(store, level="article")


def test_copied_share_by_index_equals_the_plain_measure(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ids = store.agreements()["id"].tolist()
    runs = dict(zip(ids, agreement_runs(store, ids), strict=True))
    with shingle_index(store, "agreement", feature="word6") as index:
        for target in ids[:3]:
            sources = [a for a in ids if a != target]
            shares, total = copied_by_source(runs[target], index, sources, chunk=7)
            for a, share in zip(sources, shares, strict=True):
                assert share == pytest.approx(F.copied_share_runs(runs[target], np.unique(runs[a].keys)))
            every = np.unique(np.concatenate([runs[a].keys for a in sources]))
            assert total == pytest.approx(F.copied_share_runs(runs[target], every))


def test_word_runs_are_cached_per_agreement(tmp_path: Path) -> None:
    store = _store(tmp_path)
    ids = store.agreements()["id"].tolist()
    first = agreement_runs(store, ids)
    assert store.db.execute("SELECT count(*) FROM cache WHERE key LIKE 'word6|%'").fetchone()[0] == len(ids)
    texts = store.clauses(ids, columns=["agreement_id", "text"]).groupby("agreement_id")["text"].apply(list)
    for a, runs in zip(ids, agreement_runs(store, ids), strict=True):
        plain = F.WordRuns.of(texts[a])
        assert np.array_equal(runs.keys, plain.keys) and runs.n_words == plain.n_words
    assert [r.n_words for r in first] == [r.n_words for r in agreement_runs(store, ids)]


def test_nafta_expropriation_article_neighbours_are_exact(tota_cached: Store) -> None:
    tota = tota_cached
    # The index's own answer: within English (across languages, neighbours adds calibrated translations).
    got = M.neighbours(tota, "tota:112", article="1110", top=10, monolingual=True)
    assert got["article_title"].str.contains("Expropriation").all()
    english = set(tota.agreements(language="en")["id"])
    clauses = tota.clauses(columns=["agreement_id", "article_index"])
    units, sets = M.unit_sets(tota, clauses, "article")
    wanted = tota.clauses(["tota:112"], article="1110", columns=["article_index"])["article_index"].unique()
    rows = np.flatnonzero((units["agreement_id"] == "tota:112") & units["article_index"].isin(wanted))
    q = sets.take(rows).union()
    inter = M.intersections(q, sets)[0]
    others = (units["agreement_id"] != "tota:112") & units["agreement_id"].isin(english)
    score = pd.Series(inter / (q.sizes[0] + sets.sizes - inter))[others.to_numpy()]
    assert got["score"].tolist() == pytest.approx(score.sort_values(ascending=False).head(10).tolist())


def check_exact_top(rows: list[list[int]], group: np.ndarray, k: int, block: int, share: float) -> None:
    """exact_top_neighbours gives, for every unit, the brute-force list: same targets, counts and scores."""
    from rulecompare.overlap.allpairs import exact_top_neighbours

    nb = exact_top_neighbours(unit_sets(rows), k=k, group=group, block=block, dense_share=share)
    for q, r in enumerate(rows):
        want = brute_top(rows, set(r), k, group != group[q]) if r else []
        mine = nb.query == q
        got = list(
            zip(
                nb.score[mine].tolist(), nb.target[mine].tolist(), nb.intersection[mine].tolist(), strict=True
            )
        )
        assert [(u, i) for _, u, i in got] == [(u, i) for _, u, i in want]
        assert np.allclose([s for s, _, _ in got], [s for s, _, _ in want])


@settings(max_examples=120, deadline=None)
@given(SETS, st.data())
def test_exact_top_neighbours_equals_plain_sets(rows: list[list[int]], data: st.DataObject) -> None:
    group = np.array(data.draw(st.lists(st.integers(0, 3), min_size=len(rows), max_size=len(rows))))
    k = data.draw(st.integers(1, 4))
    # 0.0 sends every key shared by two units through the dense product, 1.0 none; small blocks split rows.
    share = data.draw(st.sampled_from([0.0, 0.3, 1.0]))
    check_exact_top(rows, group, k, data.draw(st.integers(1, 5)), share)


# Sets of one size over a small alphabet: many pairs share a Jaccard, so the k-th place is often tied (the
# lower target must win) and a unit's running k-th score often equals a later pair's score exactly.
TIED = st.integers(1, 4).flatmap(
    lambda size: st.lists(
        st.lists(st.integers(0, 6), min_size=size, max_size=size, unique=True).map(sorted),
        min_size=2,
        max_size=18,
    )
)


@settings(max_examples=150, deadline=None)
@given(TIED, st.data())
def test_exact_top_neighbours_keeps_ties_at_the_kth_place(rows: list[list[int]], data: st.DataObject) -> None:
    group = np.array(data.draw(st.lists(st.integers(0, 5), min_size=len(rows), max_size=len(rows))))
    k = data.draw(st.integers(1, 5))
    check_exact_top(rows, group, k, data.draw(st.integers(1, 4)), data.draw(st.sampled_from([0.0, 1.0])))


def test_exact_top_neighbours_over_many_blocks_equals_brute_force() -> None:
    """Enough units and blocks for the running thresholds to prune most pairs (a few hundred units, ties
    from repeated and nested sets, groups in runs as articles of one agreement are)."""
    rng = np.random.default_rng(7)
    base = [sorted(set(rng.integers(0, 400, rng.integers(1, 60)).tolist())) for _ in range(120)]
    rows = base + [r[: max(1, len(r) // 2)] for r in base[:60]] + base[:40]
    group = np.repeat(np.arange(len(rows) // 4 + 1), 4)[: len(rows)]
    for share in (0.05, 1.0):
        check_exact_top(rows, group, 5, 16, share)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(0, 300),
    part_len=st.integers(1, 64),
    gap=st.sampled_from([0, 1, 7, 512]),
    ranges=st.lists(st.tuples(st.integers(0, 300), st.integers(-3, 40)), max_size=30),
)
def test_blob_ranges_gather_equals_slicing(
    n: int, part_len: int, gap: int, ranges: list[tuple[int, int]]
) -> None:
    """Ranges read from parts (spans coalesced across gaps and part boundaries, repeats, empty and
    reversed ranges) equal the same slices of the whole array, in the order asked."""
    import sqlite3

    from rulecompare.overlap.index import BlobRanges

    whole = np.arange(n, dtype=np.int32) * 7 - 5
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE cache (data BLOB)")
    rowids = [
        db.execute("INSERT INTO cache (data) VALUES (?)", (whole[lo : lo + part_len].tobytes(),)).lastrowid
        for lo in range(0, max(n, 1), part_len)
    ]
    starts = np.array([min(s, n) for s, _ in ranges], dtype=np.int64)
    stops = np.array([min(max(s + d, 0), n) for s, d in ranges], dtype=np.int64)
    blobs = BlobRanges(db, [int(r) for r in rowids if r is not None], part_len, np.int32)
    got = blobs.gather(starts, stops, gap=gap)
    blobs.close()
    expected = [whole[s:e] for s, e in zip(starts, stops, strict=True)]
    assert got.dtype == np.int32
    assert np.array_equal(got, np.concatenate(expected) if expected else np.zeros(0, np.int32))
