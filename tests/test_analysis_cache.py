"""Compatibility's clause matches and the spaghetti bowl's area matrices kept in the store's cache: a
second run reads them instead of computing them, gives the same figures, and any change of corpus,
code, scope or entry computes them again."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import test_spaghetti as bowl_data
from test_compat import GOODS, GOODS_JP, SPS, UNRELATED, _agreement

from rulecompare.catalog.roles import NO_ROLES, Role, Roles
from rulecompare.metrics.bowl import BowlChoices, BowlInputs, run_bowl
from rulecompare.metrics.bowl import similarity as bowl_similarity
from rulecompare.metrics.bri import CompatChoices, CompatInputs, run_compat
from rulecompare.metrics.bri import cache as bri_cache
from rulecompare.metrics.bri import run as bri_run
from rulecompare.store import Store

AREAS = ["goods_market_access", "sps"]


def _fill(store: Store) -> None:
    """Pakistan (with China and Sri Lanka), China's and Japan's FTAs, and Sri Lanka - Maldives,
    an agreement of neither Pakistan nor any hub."""
    for p in (
        _agreement(1, ("CHN", "PAK"), {"goods_market_access": GOODS}),
        _agreement(2, ("LKA", "PAK"), {"goods_market_access": GOODS, "sps": SPS}),
        _agreement(3, ("CHN", "NZL"), {"goods_market_access": UNRELATED}),
        _agreement(4, ("JPN", "MYS"), {"goods_market_access": GOODS_JP, "sps": SPS}),
        _agreement(5, ("JPN", "THA"), {"goods_market_access": UNRELATED}),
        _agreement(6, ("LKA", "MDV"), {"goods_market_access": GOODS, "sps": SPS}),
    ):
        store.put(p, path=p.agreement.id, sha256=p.agreement.id, parser="test")


CHOICES = CompatChoices(hubs=("JPN",), bootstrap=20)


def _figures(store: Store, choices: CompatChoices = CHOICES) -> pd.DataFrame:
    inputs = CompatInputs.build(store, [choices], area=AREAS)
    return run_compat(inputs, choices).partners.set_index("partner")


class _Counting:
    """Wraps clause_table and counts its calls (a computed, not cached, run calls it once)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = bri_run.clause_table  # type: ignore[attr-defined]

        def counted(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(bri_run, "clause_table", counted)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "store.db")
    _fill(s)
    return s


def _entries(store: Store) -> int:
    row = store.db.execute("SELECT count(*) FROM cache WHERE key LIKE 'compat|%'").fetchone()
    return int(row[0])


def test_a_second_run_reads_the_matches_and_gives_the_same_figures(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = _Counting(monkeypatch)
    first = _figures(store)
    assert counting.calls == 1 and _entries(store) == 1 + 2 * 1  # the clause list, two areas in English
    second = _figures(store)
    assert counting.calls == 1, "the second run computed the matches again"
    pd.testing.assert_frame_equal(first, second)
    assert first.loc["PAK", "raw"] == 0.0 and first.loc["PAK", "score_JPN"] > 0


def test_new_agreement_code_or_damaged_entry_computes_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = _Counting(monkeypatch)
    _figures(store)
    # a new agreement changes the corpus state of the scope: stale
    store.put(_agreement(7, ("LKA", "BGD"), {"sps": SPS}), path="test:7", sha256="test:7", parser="test")
    _figures(store)
    assert counting.calls == 2
    # another version of the code that computes the matches: stale
    monkeypatch.setattr(bri_cache, "_code", lambda: "another version")
    _figures(store)
    assert counting.calls == 3
    # a damaged entry is missing, not an error
    with store._write() as db:
        db.execute("UPDATE cache SET data = x'00ff' WHERE key LIKE 'compat|%|clauses'")
    again = _figures(store)
    assert counting.calls == 4 and "PAK" in again.index


def test_only_the_missing_weighting_is_computed(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run with the weighted matches kept, asked for plain ones too (the sensitivity table), reads
    the weighted ones and computes only the plain ones."""
    _figures(store)
    steps: list[bool] = []
    real = bri_run.area_matches  # type: ignore[attr-defined]

    def counted(*args: object, weighted: bool, **kwargs: object) -> object:
        steps.append(weighted)
        return real(*args, weighted=weighted, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bri_run, "area_matches", counted)
    both = [CHOICES, CompatChoices(hubs=("JPN",), bootstrap=20, weighted=False)]
    inputs = CompatInputs.build(store, both, area=AREAS)
    assert steps == [False, False]  # two areas, plain only
    weighted = run_compat(inputs, CHOICES).partners.set_index("partner")
    pd.testing.assert_frame_equal(weighted, _figures(store))
    plain = run_compat(inputs, both[1]).partners.set_index("partner")
    fresh = Store(":memory:")
    _fill(fresh)
    pd.testing.assert_frame_equal(plain, _figures(fresh, both[1]))


def test_a_partners_figures_do_not_depend_on_which_partners_are_asked_for(store: Store) -> None:
    """The IDF weights are taken over every regime in scope, and the scope is all regimes whatever
    ``--partner`` says: Pakistan alone scores what Pakistan scores among all partners."""
    alone = _figures(store, CompatChoices(hubs=("JPN",), bootstrap=20, partners=("PAK",))).loc["PAK"]
    among_all = _figures(store).loc["PAK"]
    for col in ("raw", "placebo", "excess", "score_JPN", "excess_low", "excess_high"):
        assert alone[col] == pytest.approx(among_all[col], nan_ok=True), col


def test_a_read_only_store_computes_and_keeps_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    path = store.path
    store.close()
    counting = _Counting(monkeypatch)
    with Store(path, readonly=True) as ro:
        first = _figures(ro)
        second = _figures(ro)
        assert _entries(ro) == 0
    assert counting.calls == 2
    pd.testing.assert_frame_equal(first, second)


# -- the spaghetti bowl's area matrices -------------------------------------------------------------


def _bowl_store(path: Path) -> tuple[Store, pd.DataFrame]:
    """AAA-BBB bound by two FTAs (1, 2), an unrelated pair (7, 8) for the baseline."""
    parsed = [
        bowl_data._agreement(1, ("AAA", "BBB"), {"rules_of_origin": bowl_data.ORIGIN}),
        bowl_data._agreement(2, ("AAA", "BBB"), {"rules_of_origin": bowl_data.ORIGIN_2}),
        bowl_data._agreement(7, ("HHH", "III"), {"rules_of_origin": bowl_data.UNRELATED["rules_of_origin"]}),
        bowl_data._agreement(8, ("JJJ", "KKK"), {"rules_of_origin": bowl_data.ORIGIN}),
    ]
    store = Store(path)
    for p in parsed:
        store.put(p, path=p.agreement.id, sha256=p.agreement.id, parser="test")
    cards = pd.DataFrame(
        [bowl_data._card(n, p.agreement.parties) for n, p in zip((1, 2, 7, 8), parsed, strict=True)]
    )
    return store, cards


def test_bowl_matrices_are_read_back_and_follow_the_regimes_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, cards = _bowl_store(tmp_path / "bowl.db")
    computed = 0
    real = bowl_similarity._compute

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal computed
        computed += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bowl_similarity, "_compute", counted)

    def pairs(roles: Roles) -> pd.DataFrame:
        inputs = BowlInputs.build(store, area=["rules_of_origin"], wto=cards, roles=roles, weighted=True)
        return run_bowl(inputs, BowlChoices(bootstrap=0, monolingual=True)).data.comparisons

    first = pairs(NO_ROLES)
    assert computed == 1
    pd.testing.assert_frame_equal(first, pairs(NO_ROLES))
    assert computed == 1, "the second run computed the area matrices again"
    # plain matrices only: read from the weighted scope's entries, which hold them too
    inputs = BowlInputs.build(store, area=["rules_of_origin"], wto=cards, roles=NO_ROLES, weighted=False)
    plain = run_bowl(inputs, BowlChoices(bootstrap=0, monolingual=True)).data.comparisons
    assert computed == 1
    pd.testing.assert_frame_equal(plain, first)
    # a succession changes what is counted, not the matrices: read
    pairs(Roles({"wto:2": Role("wto:2", supersedes=("wto:1",))}))
    assert computed == 1
    # an amendment makes agreement 2's text part of regime 1: another scope, computed
    amended = pairs(Roles({"test:2": Role("test:2", amends="test:1")}))
    assert computed == 2 and not amended.equals(first)
