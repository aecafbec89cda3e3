"""Compatibility that isolates China: hub sets, clause matching and scores against plain references, a
constructed store where a partner's own China FTA would give it away, and the real corpus."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import make_clause
from hypothesis import given, settings
from hypothesis import strategies as st
from test_crosslingual import needs_apertium

from rulecompare.catalog.standing import Regime
from rulecompare.errors import RulecompareError
from rulecompare.features import UnitSets, jaccard
from rulecompare.metrics.bri import (
    CompatChoices,
    CompatInputs,
    hub_kind,
    hub_set,
    hub_set_for,
    parse_kinds,
    run_compat,
)
from rulecompare.metrics.bri.clauses import ClauseTable, area_matches
from rulecompare.metrics.bri.score import AreaSums, SidesCache, area_sums, weighted_figures
from rulecompare.model import Agreement, ParsedAgreement
from rulecompare.store import Store

# -- hub sets ---------------------------------------------------------------------------------------


def _regime(key: str, parties: tuple[str, ...], actors: str | None = None) -> Regime:
    acts = frozenset(actors.split() if actors else parties)
    pairs = frozenset((a, b) for a, b in itertools.combinations(sorted(acts), 2))
    return Regime(key, key, "comprehensive", (key,), acts, pairs, (), parties)


REGIMES = {
    "chile": _regime("chile", ("CHL", "CHN")),
    "hk": _regime("hk", ("CHN", "HKG")),
    "asean": _regime("asean", ("ASEAN", "CHN"), "CHN BRN IDN KHM LAO MMR MYS PHL SGP THA VNM"),
    "rcep": _regime("rcep", ("ASEAN", "AUS", "CHN", "JPN", "KOR", "NZL"), "CHN JPN KOR AUS NZL SGP MYS"),
    "japan": _regime("japan", ("JPN", "MEX")),
}


def test_hub_kinds_and_sets() -> None:
    kinds = {k: hub_kind(r, "CHN") for k, r in REGIMES.items()}
    assert kinds == {"chile": "own", "hk": "cepa", "asean": "bloc", "rcep": "plurilateral", "japan": None}
    assert hub_set(REGIMES, "CHN", parse_kinds(None)) == ["chile"]
    assert hub_set(REGIMES, "CHN", parse_kinds("own,rcep,asean-china,cepa")) == [
        "asean",
        "chile",
        "hk",
        "rcep",
    ]
    assert hub_set(REGIMES, "JPN", parse_kinds("own")) == ["japan"]
    with pytest.raises(RulecompareError, match="unknown kind of hub agreement 'fta'"):
        parse_kinds("own,fta")


@settings(max_examples=100, deadline=None)
@given(partner=st.sampled_from(["CHL", "SGP", "MYS", "HKG", "MEX", "JPN", "KOR"]))
def test_a_partner_is_never_compared_with_its_own_agreements_with_the_hub(partner: str) -> None:
    for hub in ("CHN", "JPN"):
        keys = hub_set(REGIMES, hub, parse_kinds("own,rcep,asean-china,cepa"))
        for key in hub_set_for(keys, REGIMES, partner):
            assert partner not in REGIMES[key].actors


# -- clause matches and scores against a plain reference --------------------------------------------


@st.composite
def clause_worlds(
    draw: st.DrawFn,
) -> tuple[list[tuple[str, frozenset[int], bool]], set[str], set[str], float]:
    regimes = ["p1", "p2", "h1", "h2", "h3"]
    clauses = [
        (
            draw(st.sampled_from(regimes)),
            draw(st.frozensets(st.integers(0, 12), min_size=1, max_size=8)),
            draw(st.booleans()),
        )
        for _ in range(draw(st.integers(2, 14)))
    ]
    partner = set(draw(st.sets(st.sampled_from(["p1", "p2"]), min_size=1)))
    hubs = set(draw(st.sets(st.sampled_from(["h1", "h2", "h3"]), min_size=1)))
    return clauses, partner, hubs, draw(st.sampled_from([0.2, 0.3, 0.5]))


def clause_sets(clauses: list[tuple[str, frozenset[int], bool]]) -> UnitSets:
    """The clauses' shingle sets as the kernel holds them (sorted keys, one offset per clause)."""
    arrays = [np.array(sorted(s), dtype=np.uint64) for _, s, _ in clauses]
    return UnitSets(
        np.concatenate(([0], np.cumsum([a.size for a in arrays]))).astype(np.int64), np.concatenate(arrays)
    )


@settings(max_examples=120, deadline=None)
@given(world=clause_worlds())
def test_area_scores_equal_plain_sets(
    world: tuple[list[tuple[str, frozenset[int], bool]], set[str], set[str], float],
) -> None:
    clauses, partner, hubs, t = world
    sets = clause_sets(clauses)
    frame = pd.DataFrame(
        {
            "regime": [r for r, _, _ in clauses],
            "language": "en",
            "area": "goods_market_access",
            "binding": [b for _, _, b in clauses],
        }
    )
    table = ClauseTable(frame, sets, {r: "en" for r, _, _ in clauses}, {})
    am = area_matches(table, "goods_market_access", "en", ["h1", "h2", "h3"], weighted=False)
    p_rows = [c for c in clauses if c[0] in partner]
    q_rows = [c for c in clauses if c[0] in hubs]
    if am is None or not p_rows:
        assert am is None or area_sums(am, frame["binding"].to_numpy(), partner, hubs, t) is None
        return
    sums = area_sums(am, frame["binding"].to_numpy(), partner, hubs, t)
    assert sums is not None
    got = weighted_figures(sums, np.ones((1, len(sums.partner))), np.ones((1, len(sums.hub))))

    def j(a: frozenset[int], b: frozenset[int]) -> float:
        return len(a & b) / len(a | b)

    binding_p = np.mean([b for _, _, b in p_rows])
    if not q_rows:
        assert np.isnan(got["compat"][0]) and got["n_partner_clauses"][0] == len(p_rows)
        return
    coverage = np.mean([max(j(s, q) for _, q, _ in q_rows) >= t for _, s, _ in p_rows])
    reverse = np.mean([max(j(q, s) for _, s, _ in p_rows) >= t for _, q, _ in q_rows])
    gap = binding_p - np.mean([b for _, _, b in q_rows])
    assert got["coverage"][0] == pytest.approx(coverage)
    assert got["reverse"][0] == pytest.approx(reverse)
    assert got["strength_gap"][0] == pytest.approx(gap)
    assert got["compat"][0] == pytest.approx((coverage + reverse) / 2 * (1 - abs(gap)))


@st.composite
def side_worlds(
    draw: st.DrawFn,
) -> tuple[list[tuple[str, frozenset[int], bool]], list[tuple[frozenset[str], frozenset[str], float]]]:
    """Clauses of two areas, and a run of (partner set, hub set, threshold) questions that repeat sides."""
    regimes = ["p1", "p2", "p3", "h1", "h2", "h3"]
    clauses = [
        (
            draw(st.sampled_from(regimes)),
            draw(st.frozensets(st.integers(0, 12), min_size=1, max_size=8)),
            draw(st.booleans()),
        )
        for _ in range(draw(st.integers(2, 18)))
    ]
    partner_sets = st.frozensets(st.sampled_from(["p1", "p2", "p3", "nowhere"]), max_size=3)
    hub_sets = st.frozensets(st.sampled_from(["h1", "h2", "h3", "nowhere"]), max_size=3)
    asks = draw(
        st.lists(
            st.tuples(partner_sets, hub_sets, st.sampled_from([0.0, 0.2, 0.3, 0.5])), min_size=1, max_size=8
        )
    )
    return clauses, asks


def _same_sums(a: AreaSums | None, b: AreaSums | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(
        np.array_equal(x, y, equal_nan=True) if isinstance(x, np.ndarray) else x == y
        for x, y in zip(vars(a).values(), vars(b).values(), strict=True)
    )


@settings(max_examples=150, deadline=None)
@given(world=side_worlds())
def test_sides_cache_gives_the_sums_computed_without_it(
    world: tuple[list[tuple[str, frozenset[int], bool]], list[tuple[frozenset[str], frozenset[str], float]]],
) -> None:
    """One SidesCache across partners, hubs, thresholds and two areas: every answer equals the one
    computed without a cache (the plain reference is checked against sets above)."""
    clauses, asks = world
    sets = clause_sets(clauses)
    frame = pd.DataFrame(
        {
            "regime": [r for r, _, _ in clauses],
            "language": "en",
            "area": ["sps" if len(s) % 3 == 0 else "goods_market_access" for _, s, _ in clauses],
            "binding": [b for _, _, b in clauses],
        }
    )
    table = ClauseTable(frame, sets, {r: "en" for r, _, _ in clauses}, {})
    binding = frame["binding"].to_numpy()
    found = [
        area_matches(table, a, "en", ["h1", "h2", "h3"], weighted=False)
        for a in ("goods_market_access", "sps")
    ]
    matches = [am for am in found if am is not None]
    cache = SidesCache()
    for _ in range(2):  # the second time round every side comes from the cache
        for (partner, hubs, t), am in itertools.product(asks, matches):
            cached = area_sums(am, binding, partner, hubs, t, cache)
            assert _same_sums(cached, area_sums(am, binding, set(partner), set(hubs), t))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(-1.0, 1.0, allow_subnormal=False), st.just(float("nan")), st.sampled_from([0.0, 0.25])
        ),
        max_size=60,
    )
)
def test_interval_is_numpys_percentile(values: list[float]) -> None:
    """The written-out interval equals np.percentile bit for bit (ties, NaN and short runs included)."""
    from rulecompare.metrics.bri.partner import _interval

    arr = np.array(values, dtype=np.float64)
    rest = arr[1:][~np.isnan(arr[1:])]
    expected = (
        tuple(float(x) for x in np.percentile(rest, [2.5, 97.5])) if rest.size >= 2 else (np.nan, np.nan)
    )
    got = _interval(arr)
    assert np.array_equal(np.array(got), np.array(expected), equal_nan=True)
    assert all(np.signbit(g) == np.signbit(e) for g, e in zip(got, expected, strict=True))


# -- a constructed store ----------------------------------------------------------------------------

GOODS = (
    "Each Party shall eliminate its customs duties on originating goods of the other Party "
    "on entry into force."
)
GOODS_JP = (
    "Each Party shall eliminate its customs duties on originating goods of the other Party "
    "in accordance with Annex 1."
)
UNRELATED = (
    "The Parties shall endeavour to promote cooperation on small and medium enterprises "
    "through joint seminars."
)
SPS = (
    "Each Party shall ensure that its sanitary and phytosanitary measures are based on scientific principles."
)


def _agreement(
    n: int, parties: tuple[str, ...], texts: dict[str, str], language: str = "en"
) -> ParsedAgreement:
    agreement = Agreement(
        id=f"test:{n}",
        name=f"Agreement {n}",
        language=language,
        parties=parties,
        parties_original=parties,
        status="In Force",
        type="Free Trade Agreement & Economic Integration Agreement",
        date_signed=dt.date(2005, 1, 1),
        date_in_force=dt.date(2006, 1, 1),
    )
    clauses = tuple(
        make_clause(f"test:{n}", text, order=k, area=area, chapter=k, chapter_title=area, article_title=area)
        for k, (area, text) in enumerate(texts.items())
    )
    return ParsedAgreement(agreement, clauses)


@pytest.fixture(scope="module")
def constructed(tmp_path_factory: pytest.TempPathFactory) -> CompatInputs:
    """Pakistan's own FTA with China (1) writes exactly the goods rule of its RTA with Sri Lanka (2);
    China's other FTA (3) does not. Japan's FTAs (4, 5) write a near copy of it and something else."""
    parsed = [
        _agreement(1, ("CHN", "PAK"), {"goods_market_access": GOODS}),
        _agreement(2, ("LKA", "PAK"), {"goods_market_access": GOODS, "sps": SPS}),
        _agreement(3, ("CHN", "NZL"), {"goods_market_access": UNRELATED}),
        _agreement(4, ("JPN", "MYS"), {"goods_market_access": GOODS_JP, "sps": SPS}),
        _agreement(5, ("JPN", "THA"), {"goods_market_access": UNRELATED}),
    ]
    store = Store(tmp_path_factory.mktemp("bri") / "store.db")
    for p in parsed:
        store.put(p, path=p.agreement.id, sha256=p.agreement.id, parser="test")
    choices = [
        CompatChoices(hubs=("JPN",), bootstrap=20, partners=("PAK",)),
        CompatChoices(hubs=("JPN",), bootstrap=20, partners=("PAK",), weighted=False),
    ]
    return CompatInputs.build(store, choices, area=["goods_market_access", "sps"])


def test_own_china_fta_is_left_out_and_areas_without_china_text_are_nan(constructed: CompatInputs) -> None:
    for weighted in (False, True):
        result = run_compat(
            constructed, CompatChoices(hubs=("JPN",), bootstrap=20, partners=("PAK",), weighted=weighted)
        )
        row = result.partners.set_index("partner").loc["PAK"]
        assert row["own_china_agreements"] == "Agreement 1"
        assert row["n_china_agreements"] == 1  # China - New Zealand only
        # with its own FTA in China's set, coverage of the goods rule would be 1; without it, 0
        areas = result.areas.set_index("area")
        assert areas.loc["goods_market_access", "coverage"] == 0.0
        assert areas.loc["goods_market_access", "raw"] == 0.0
        assert (
            np.isnan(areas.loc["sps", "raw"])
            and areas.loc["sps", "note"] == "China's set writes no clause in this area"
        )
        # Japan's set writes a near copy: the placebo is above 0, so the excess is negative
        assert row["score_JPN"] > 0 and row["excess"] == pytest.approx(row["raw"] - row["placebo"])
        assert row["excess"] < 0 and row["n_areas_without_china_text"] == 1
        assert row["raw_low"] <= row["raw_high"]
    plain = run_compat(
        constructed, CompatChoices(hubs=("JPN",), bootstrap=0, partners=("PAK",), weighted=False)
    )
    assert jaccard(GOODS, GOODS_JP) >= 0.3  # the near copy is a counterpart in plain Jaccard
    assert plain.areas.set_index("area").loc["goods_market_access", "placebo"] > 0


def test_explicit_china_set_and_partner_checks(constructed: CompatInputs) -> None:
    result = run_compat(
        constructed, CompatChoices(hubs=("JPN",), bootstrap=0, partners=("PAK",), china_set=("test:3",))
    )
    assert result.china_set == ("test:3",) and result.partners["own_china_agreements"].iloc[0] == ""
    with pytest.raises(RulecompareError, match="not Belt and Road partners"):
        run_compat(constructed, CompatChoices(hubs=("JPN",), partners=("USA",)))


GOODS_FR = (
    "Chaque Partie éliminera ses droits de douane sur les marchandises originaires de l'autre Partie "
    "à l'entrée en vigueur."
)


@needs_apertium
def test_a_french_only_partner_is_scored_through_the_translation(tmp_path: Path) -> None:
    """The Central African Republic's only agreement (with Cameroon) is in French; China's FTA writes its
    goods rule in English, Japan's does not."""
    store = Store(tmp_path / "store.db")
    for p in (
        _agreement(1, ("CMR", "CAF"), {"goods_market_access": GOODS_FR}, "fr"),
        _agreement(3, ("CHN", "NZL"), {"goods_market_access": GOODS}),
        _agreement(5, ("JPN", "THA"), {"goods_market_access": UNRELATED}),
    ):
        store.put(p, path=p.agreement.id, sha256=p.agreement.id, parser="test")
    choices = [
        CompatChoices(hubs=("JPN",), bootstrap=0, partners=("CAF",), weighted=False),
        CompatChoices(hubs=("JPN",), bootstrap=0, partners=("CAF",), weighted=False, monolingual=True),
    ]
    inputs = CompatInputs.build(store, choices, area=["goods_market_access"])
    assert inputs.translation_note == "" and inputs.texts.translated == frozenset({"test:1"})
    row = run_compat(inputs, choices[0]).partners.set_index("partner").loc["CAF"]
    assert row["n_compared"] == 1 and row["n_translated"] == 1 and row["n_left_out_language"] == 0
    assert row["raw"] > 0.5 and row["score_JPN"] == 0.0 and row["excess"] == pytest.approx(row["raw"])
    mono = run_compat(inputs, choices[1]).partners.set_index("partner").loc["CAF"]
    assert mono["n_compared"] == 0 and mono["n_left_out_language"] == 1 and np.isnan(mono["raw"])


# -- the real corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_compat(full_cached: Store) -> CompatInputs:
    """The default corpus with every sensitivity variant: the same scope as docs/METHODS.md's figures
    (tests/test_methods_figures.py), so whichever comes first computes the matches for both: under
    `--dist loadgroup` they share one worker (xdist_group "full_compat"), so the two never compute
    them at the same time."""
    from rulecompare.metrics.bri import variant_choices

    return CompatInputs.build(full_cached, variant_choices(CompatChoices(bootstrap=0)))


@pytest.mark.corpus
@pytest.mark.xdist_group("full_compat")
def test_corpus_partners_never_meet_their_own_china_ftas(corpus_compat: CompatInputs) -> None:
    result = run_compat(corpus_compat, CompatChoices(bootstrap=30))
    p = result.partners.set_index("partner")
    stored = result.stored.regimes.regimes
    for partner in p.index:
        for key in hub_set_for(list(result.china_set), stored, partner):
            assert partner not in stored[key].actors
    for partner, fta in (
        ("CHL", "Chile - China"),
        ("SGP", "China - Singapore"),
        ("KOR", "China - Korea, Republic of"),  # the WTO card's name of the agreement
    ):
        assert fta in p.loc[partner, "own_china_agreements"]
    assert {"raw", "placebo", "excess", "excess_low", "excess_high", "score_JPN", "score_EU"} <= set(
        p.columns
    )
    assert (p["excess"] - (p["raw"] - p["placebo"])).abs().max() < 1e-9
    nan_areas = result.areas[result.areas["raw"].isna()]
    assert (nan_areas["note"] == "China's set writes no clause in this area").all()


@pytest.mark.corpus
@pytest.mark.xdist_group("full_compat")
def test_corpus_sensitivity_shows_what_the_placebo_is_for(corpus_compat: CompatInputs) -> None:
    from rulecompare.metrics.bri import compat_sensitivity

    table = compat_sensitivity(corpus_compat, CompatChoices()).set_index("variant")
    # the raw score against China ranks partners much as the raw score against other hubs does
    assert table.loc["reference: raw vs JPN", "spearman"] > 0.5
    assert {"threshold 0.2", "plain Jaccard", "sets + RCEP", "Asian hubs", "as of 2015"} <= set(table.index)


def test_the_plain_face_returns_frames(constructed: CompatInputs, monkeypatch: pytest.MonkeyPatch) -> None:
    from rulecompare.metrics import compat
    from rulecompare.metrics.bri import run

    monkeypatch.setattr(run.CompatInputs, "build", classmethod(lambda cls, store, choices, **kw: constructed))
    choices = CompatChoices(hubs=("JPN",), bootstrap=0, partners=("PAK",))
    partners = compat.compatibility(constructed.store, choices)
    assert list(partners["partner"]) == ["PAK"] and {"raw", "placebo", "excess"} <= set(partners.columns)
    areas = compat.compatibility_by_area(constructed.store, choices)
    assert set(areas["area"]) == {"goods_market_access", "sps"}


class _Squash:
    """A stand-in calibration: a monotone map, as the shipped ones are."""

    def calibrate(self, level: str, measure: str, raw: np.ndarray) -> np.ndarray:
        assert (level, measure) == ("clause", "jaccard")
        return np.sqrt(np.clip(np.asarray(raw, dtype=np.float64), 0.0, 1.0))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.integers(1, 12), st.integers(2, 30))
def test_only_cells_with_a_translated_clause_are_calibrated(seed: int, m: int, n: int, size: int) -> None:
    """ClauseTable.calibrate against the plain formula: the map where the row or column clause is read
    through a translation, the raw score elsewhere."""
    rng = np.random.default_rng(seed)
    translated = rng.random(size) < 0.3
    table = ClauseTable(
        pd.DataFrame(), UnitSets(np.zeros(1, np.int64), np.zeros(0, np.uint64)), {}, {},
        translated=translated, xl=_Squash(),  # type: ignore[arg-type]
    )  # fmt: skip
    rows, cols = rng.integers(0, size, m), rng.integers(0, size, n)
    s = rng.random((m, n)).astype(np.float32)
    cross = translated[rows][:, None] | translated[cols][None, :]
    expected = np.where(cross, _Squash().calibrate("clause", "jaccard", s), s).astype(np.float32)
    got = table.calibrate(s.copy(), rows, cols)
    assert got.dtype == np.float32 and np.array_equal(got, expected)
