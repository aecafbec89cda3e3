"""The spaghetti bowl from pairs: formulas against plain references, a constructed store with known
answers, and the headline claims on the real corpus."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import make_clause
from hypothesis import given, settings
from hypothesis import strategies as st
from test_crosslingual import needs_apertium

from rulecompare.catalog import load_catalog
from rulecompare.catalog.roles import NO_ROLES, Role, Roles
from rulecompare.catalog.standing import Regime, Regimes, Selection
from rulecompare.features import jaccard
from rulecompare.metrics.bowl import (
    BowlChoices,
    BowlInputs,
    country_areas,
    country_table,
    edge_list,
    network_summary,
    pair_data,
    run_bowl,
)
from rulecompare.metrics.bowl.pairs import PairData
from rulecompare.metrics.bowl.similarity import AreaMatrix, BowlSimilarity
from rulecompare.metrics.bowl.texts import RegimeTexts
from rulecompare.model import Agreement, ParsedAgreement
from rulecompare.store import Store

# -- pair divergence against a plain reference -------------------------------------------------------


def _regimes(actors: dict[str, frozenset[str]]) -> Regimes:
    built = {
        k: Regime(
            k,
            k,
            "goods",
            (k,),
            a,
            frozenset((x, y) for x, y in itertools.combinations(sorted(a), 2)),
            (),
            tuple(sorted(a)),
        )
        for k, a in actors.items()
    }
    return Regimes(Selection(), built, pd.DataFrame(columns=["agreement_id", "key", "reason"]))


@st.composite
def worlds(
    draw: st.DrawFn,
) -> tuple[dict[str, frozenset[str]], dict[str, dict[str, float]], dict[str, set[str]]]:
    n = draw(st.integers(3, 6))
    keys = [f"r{i}" for i in range(n)]
    actors = {k: frozenset(draw(st.sets(st.sampled_from("ABCDE"), min_size=2, max_size=3))) for k in keys}
    sims: dict[str, dict[str, float]] = {}
    text: dict[str, set[str]] = {}
    for area in ("rules_of_origin", "services"):
        text[area] = set(draw(st.sets(st.sampled_from(keys), min_size=2)))
        for a, b in itertools.combinations(sorted(text[area]), 2):
            sims.setdefault(area, {})[f"{a}|{b}"] = draw(st.floats(0.0, 1.0))
    return actors, sims, text


def _similarity(sims: dict[str, dict[str, float]], text: dict[str, set[str]]) -> BowlSimilarity:
    matrices = {}
    for area, keys in text.items():
        order = tuple(sorted(keys))
        m = np.eye(len(order))
        for i, a in enumerate(order):
            for j, b in enumerate(order):
                if i < j:
                    m[i, j] = m[j, i] = sims[area][f"{a}|{b}"]
        matrices[(area, "en")] = AreaMatrix(order, m, None)
    texts = RegimeTexts({k: {"en": (k,)} for keys in text.values() for k in keys}, {})
    return BowlSimilarity(texts, tuple(sorted(text)), matrices)


@settings(max_examples=80, deadline=None)
@given(world=worlds())
def test_pair_divergence_equals_the_formula(
    world: tuple[dict[str, frozenset[str]], dict[str, dict[str, float]], dict[str, set[str]]],
) -> None:
    actors, sims, text = world
    regimes = _regimes(actors)
    similarity = _similarity(sims, text)
    data = pair_data(regimes, regimes, similarity.texts, similarity, source="desta")

    def j(area: str, a: str, b: str) -> float:
        return sims[area][f"{min(a, b)}|{max(a, b)}"]

    baseline = {}
    for area, keys in text.items():
        unrelated = [
            j(area, a, b) for a, b in itertools.combinations(sorted(keys), 2) if not actors[a] & actors[b]
        ]
        baseline[area] = float(np.mean(unrelated)) if unrelated else float("nan")
    expected = {}
    for pair in {p for r in regimes.regimes.values() for p in r.pairs}:
        binding = sorted(k for k, r in regimes.regimes.items() if pair in r.pairs)
        if len(binding) < 2:
            continue
        values = []
        for a, b in itertools.combinations(binding, 2):
            for area, keys in text.items():
                if a in keys and b in keys and not np.isnan(baseline[area]):
                    excess = (
                        (j(area, a, b) - baseline[area]) / (1 - baseline[area]) if baseline[area] < 1 else 0.0
                    )
                    values.append(1 - min(max(excess, 0.0), 1.0))
        expected[pair] = float(np.mean(values)) if values else float("nan")
    got = {
        (a, b): d
        for a, b, d in zip(data.pairs["iso_a"], data.pairs["iso_b"], data.pairs["divergence"], strict=True)
    }
    assert set(got) == set(expected)
    for pair, value in expected.items():
        assert (np.isnan(value) and np.isnan(got[pair])) or got[pair] == pytest.approx(value)


def test_boilerplate_scores_zero_divergence_beyond_unrelated() -> None:
    # two overlapping agreements exactly as similar as unrelated ones diverge fully (1), copies not at all (0)
    actors = {"a1": frozenset("AB"), "a2": frozenset("AB"), "u1": frozenset("CD"), "u2": frozenset("EF")}
    for similarity, divergence in ((0.25, 1.0), (1.0, 0.0), (0.625, 0.5)):
        sims: dict[str, dict[str, float]] = {"rules_of_origin": {}}
        for a, b in itertools.combinations(sorted(actors), 2):
            sims["rules_of_origin"][f"{a}|{b}"] = similarity if (a, b) == ("a1", "a2") else 0.25
        bowl = _similarity(sims, {"rules_of_origin": set(actors)})
        data = pair_data(_regimes(actors), _regimes(actors), bowl.texts, bowl, source="desta")
        row = data.pairs.set_index(["iso_a", "iso_b"]).loc[("A", "B")]
        assert row["divergence"] == pytest.approx(divergence)
        assert data.baselines[("rules_of_origin", "en")] == pytest.approx(0.25)


# -- country figures ------------------------------------------------------------------------------


def _pair_data(divergence: dict[tuple[str, str], float], counts: dict[tuple[str, str], int]) -> PairData:
    rows, comps = [], []
    for (a, b), n in counts.items():
        if n < 2:
            continue
        d = divergence.get((a, b), float("nan"))
        rows.append({"iso_a": a, "iso_b": b, "n_agreements": n, "divergence": d})
        if not np.isnan(d):
            comps.append({"iso_a": a, "iso_b": b, "key_a": f"{a}{b}1", "key_b": f"{a}{b}2", "divergence": d})
    return PairData(
        {p: [f"{p[0]}{p[1]}{k}" for k in range(1, n + 1)] for p, n in counts.items()},
        pd.DataFrame(rows, columns=["iso_a", "iso_b", "n_agreements", "divergence"]),
        pd.DataFrame(comps, columns=["iso_a", "iso_b", "key_a", "key_b", "divergence"]),
        {},
        {},
        {},
    )


def test_country_index_shrinkage_and_ranking() -> None:
    counts = {("A", "B"): 2, ("A", "C"): 3, ("A", "D"): 1, ("B", "C"): 2, ("C", "E"): 2, ("F", "G"): 1}
    divergence = {("A", "B"): 0.8, ("A", "C"): 0.6, ("B", "C"): 1.0}  # C-E overlaps without comparable texts
    data = _pair_data(divergence, counts)
    actors = {f"t{k}": frozenset(p) for k, p in enumerate(["AB", "AC", "AD", "BC", "CE"] * 3)}
    texts = RegimeTexts({k: {"en": (k,)} for k in actors}, {})
    table = country_table(data, _regimes(actors), texts, shrinkage=2.0, min_texts=5, bootstrap=0).set_index(
        "country"
    )
    mu = (0.8 + 0.6 + 1.0) / 3
    a = table.loc["A"]
    assert a["n_partners_multi"] == 2 and a["share_multi"] == pytest.approx(2 / 3)
    assert a["divergence"] == pytest.approx(0.7)
    assert a["divergence_shrunk"] == pytest.approx((0.8 + 0.6 + 2 * mu) / 4)
    assert a["index"] == pytest.approx(2 * (0.8 + 0.6 + 2 * mu) / 4)
    assert not a["uncertain"] and a["rank"] >= 1
    # C: three doubly-covered partners, divergence measured on two of them
    c = table.loc["C"]
    assert c["n_partners_multi"] == 3 and c["n_pairs_compared"] == 2
    assert c["index"] == pytest.approx(3 * (0.6 + 1.0 + 2 * mu) / 4)
    # E: overlap without comparable texts -> unknown, with its reason; G: no overlap -> a measured 0
    assert np.isnan(table.loc["E", "index"]) and "index unknown" in table.loc["E", "note"]
    assert table.loc["G", "index"] == 0.0 and pd.isna(table.loc["G", "rank"])
    ranked = table[table["rank"].notna()].sort_values("rank")
    assert ranked["index"].is_monotonic_decreasing


def test_few_texts_are_uncertain_and_unranked() -> None:
    data = _pair_data({("A", "B"): 0.9, ("A", "C"): 0.9}, {("A", "B"): 2, ("A", "C"): 2})
    few = {"t1": frozenset("AB"), "t2": frozenset("AC")}
    table = country_table(data, _regimes(few), RegimeTexts({k: {"en": (k,)} for k in few}, {}), bootstrap=0)
    a = table.set_index("country").loc["A"]
    assert a["uncertain"] and pd.isna(a["rank"]) and "fewer than 5" in a["note"]
    assert not np.isnan(a["index"])  # figures are shown, only the rank is withheld


def test_bootstrap_interval_brackets_the_estimate() -> None:
    counts = {("A", b): 2 for b in "BCDEFG"}
    divergence = {("A", b): d for b, d in zip("BCDEFG", [0.2, 0.4, 0.6, 0.8, 0.9, 1.0], strict=True)}
    data = _pair_data(divergence, counts)
    actors = {f"t{b}{k}": frozenset({"A", b}) for b in "BCDEFG" for k in (1, 2)}
    texts = RegimeTexts({k: {"en": (k,)} for k in actors}, {})
    row = country_table(data, _regimes(actors), texts, bootstrap=300).set_index("country").loc["A"]
    assert row["index_low"] <= row["index"] <= row["index_high"]
    assert row["index_low"] < row["index_high"]


# -- a constructed store end to end ----------------------------------------------------------------

ORIGIN = (
    "Each Party shall accept a certificate of origin issued by the competent authority "
    "of the exporting Party."
)
ORIGIN_2 = (
    "Each Party shall accept a certificate of origin issued by the designated authority of the other Party."
)
SERVICES = "Each Party shall accord to services and service suppliers of the other Party national treatment."
UNRELATED = {
    "rules_of_origin": "A good is wholly obtained when it is harvested, mined or fished in a territory.",
    "services": "The Parties shall cooperate on tourism, transport and the recognition of qualifications.",
}


def _agreement(
    n: int, parties: tuple[str, ...], texts: dict[str, str], language: str = "en"
) -> ParsedAgreement:
    agreement = Agreement(
        id=f"test:{n}",
        name=f"Agreement {n}",
        parties=parties,
        parties_original=parties,
        language=language,
        status="In Force",
        date_signed=dt.date(2005, 1, 1),
        date_in_force=dt.date(2006, 1, 1),
        wto_rta_id=n,
    )
    clauses = tuple(
        make_clause(f"test:{n}", text, order=k, area=area, chapter=k, chapter_title=area, article_title=area)
        for k, (area, text) in enumerate(texts.items())
    )
    return ParsedAgreement(agreement, clauses)


def _card(
    n: int, parties: tuple[str, ...], kind: str = "FTA & EIA", coverage: str = "Goods & Services"
) -> dict[str, object]:
    return {
        "agreement_id": f"wto:{n}",
        "rta_id": n,
        "base_id": n,
        "name": f"Agreement {n}",
        "type": kind,
        "coverage": coverage,
        "status": "In Force",
        "accession": False,
        "date_signed": dt.date(2005, 1, 1),
        "date_in_force": dt.date(2006, 1, 1),
        "date_inactive": None,
        "parties": parties,
        "parties_original": parties,
        "blocs": (),
        "party_dates": {},
        "date_precision": "day",
    }


@pytest.fixture(scope="module")
def constructed(tmp_path_factory: pytest.TempPathFactory) -> BowlInputs:
    """AAA-BBB are bound by two FTAs (1, 2) and a services complement (6); CCC-DDD by a partial-scope
    scheme only (5); two unrelated agreements (7, 8) set the baseline; FFF-GGG have two FTAs, one in
    English and one in Spanish (9, 10)."""
    parsed = [
        _agreement(1, ("AAA", "BBB"), {"rules_of_origin": ORIGIN, "services": SERVICES}),
        _agreement(
            2, ("AAA", "BBB", "CCC"), {"rules_of_origin": ORIGIN_2, "services": UNRELATED["services"]}
        ),
        _agreement(3, ("AAA", "DDD"), {"rules_of_origin": UNRELATED["rules_of_origin"]}),
        _agreement(5, ("CCC", "DDD"), {"rules_of_origin": ORIGIN}),
        _agreement(6, ("AAA", "BBB"), {"services": SERVICES}),
        _agreement(
            7, ("HHH", "III"), {"rules_of_origin": UNRELATED["rules_of_origin"], "services": SERVICES}
        ),
        _agreement(8, ("JJJ", "KKK"), UNRELATED),
        _agreement(9, ("FFF", "GGG"), {"rules_of_origin": ORIGIN}),
        _agreement(
            10, ("FFF", "GGG"), {"rules_of_origin": "Cada Parte aceptará un certificado de origen."}, "es"
        ),
    ]
    store = Store(tmp_path_factory.mktemp("bowl") / "store.db")
    for p in parsed:
        store.put(p, path=p.agreement.id, sha256=p.agreement.id, parser="test")
    cards = [
        _card(1, ("AAA", "BBB")),
        _card(2, ("AAA", "BBB", "CCC")),
        _card(3, ("AAA", "DDD")),
        _card(5, ("CCC", "DDD"), kind="PSA", coverage="Goods"),
        _card(6, ("AAA", "BBB"), kind="EIA", coverage="Services"),
        _card(7, ("HHH", "III")),
        _card(8, ("JJJ", "KKK")),
        _card(9, ("FFF", "GGG")),
        _card(10, ("FFF", "GGG")),
    ]
    return BowlInputs.build(
        store, area=["rules_of_origin", "services"], wto=pd.DataFrame(cards), roles=NO_ROLES, weighted=True
    )


def test_constructed_pair_divergence_is_known(constructed: BowlInputs) -> None:
    result = run_bowl(constructed, BowlChoices(bootstrap=0, monolingual=True))
    pairs = result.pairs.set_index(["iso_a", "iso_b"])
    assert set(pairs.index) == {
        ("AAA", "BBB"),
        ("FFF", "GGG"),
    }  # CCC-DDD: partial scope; the complement: no overlap
    ab = pairs.loc[("AAA", "BBB")]
    assert ab["n_agreements"] == 2 and ab["agreement_ids"] == "wto:1;wto:2"
    # the baseline: mean similarity of the counted English agreements that share no party
    origin = {1: ORIGIN, 2: ORIGIN_2, 3: UNRELATED["rules_of_origin"], 7: UNRELATED["rules_of_origin"]}
    origin |= {8: UNRELATED["rules_of_origin"], 9: ORIGIN}
    parties = {1: "AB", 2: "ABC", 3: "AD", 7: "HI", 8: "JK", 9: "FG"}
    unrelated_origin = [
        jaccard(origin[x], origin[y])
        for x, y in itertools.combinations(sorted(origin), 2)
        if not set(parties[x]) & set(parties[y])
    ]
    comps = result.data.comparisons.set_index("area")
    base = float(np.mean(unrelated_origin))
    assert comps.loc["rules_of_origin", "baseline"] == pytest.approx(base)
    j = jaccard(ORIGIN, ORIGIN_2)
    assert comps.loc["rules_of_origin", "similarity"] == pytest.approx(j)
    expected = 1 - min(max((j - base) / (1 - base), 0.0), 1.0)
    assert comps.loc["rules_of_origin", "divergence"] == pytest.approx(expected)
    # FFF-GGG: two agreements, no common language
    fg = pairs.loc[("FFF", "GGG")]
    assert fg["n_left_out_language"] == 1 and np.isnan(fg["divergence"])
    assert fg["note"] == "its agreements with text share no language"


@needs_apertium
def test_constructed_pair_in_two_languages_is_compared_through_the_translation(
    constructed: BowlInputs,
) -> None:
    result = run_bowl(constructed, BowlChoices(bootstrap=0))
    assert result.translation_note == "" and "wto:10" in result.texts.translated
    fg = result.pairs.set_index(["iso_a", "iso_b"]).loc[("FFF", "GGG")]
    assert fg["n_left_out_language"] == 0 and fg["n_cross_lingual"] == 1 and not np.isnan(fg["divergence"])
    comps = result.data.comparisons
    cross = comps[comps["cross_lingual"]]
    assert list(cross["language"]) == ["en"] and set(cross[["key_a", "key_b"]].iloc[0]) == {"wto:9", "wto:10"}
    # the English pairs keep their scores; only the baseline may take the translated text in
    mono = run_bowl(constructed, BowlChoices(bootstrap=0, monolingual=True)).data.comparisons
    ab = comps[comps["iso_a"] == "AAA"]["similarity"].to_numpy()
    assert ab == pytest.approx(mono[mono["iso_a"] == "AAA"]["similarity"].to_numpy())
    row = result.countries.set_index("country").loc["FFF"]
    assert row["n_texts_translated"] == 1 and row["compared_by_language"] == "en 1, es 1"


def test_constructed_country_table_network_and_options(constructed: BowlInputs) -> None:
    result = run_bowl(constructed, BowlChoices(bootstrap=0, monolingual=True))
    table = result.countries.set_index("country")
    assert table.loc["AAA", "n_partners_multi"] == 1 and table.loc["AAA", "n_texts"] == 4  # 1, 2, 3 and 6
    assert table.loc["FFF", "n_texts_left_out_language"] == 2  # neither could be compared
    assert np.isnan(table.loc["FFF", "index"])
    assert set(country_areas(result.data, "AAA")["area"]) == {"rules_of_origin", "services"}
    edges = edge_list(result)
    assert len(edges[(edges["iso_a"] == "AAA") & (edges["iso_b"] == "BBB")]) == 2
    summary = network_summary(result).set_index("area")
    assert summary.loc["all", "n_pairs_multi"] == 2
    # services agreements counted apart: the complement becomes a third regime for AAA-BBB
    apart = run_bowl(constructed, BowlChoices(bootstrap=0, include=frozenset({"services"})))
    assert apart.pairs.set_index(["iso_a", "iso_b"]).loc[("AAA", "BBB"), "n_agreements"] == 3
    partial = run_bowl(constructed, BowlChoices(bootstrap=0, include=frozenset({"partial-scope"})))
    assert ("CCC", "DDD") in partial.data.counts and ("CCC", "DDD") not in result.data.counts
    english = run_bowl(constructed, BowlChoices(bootstrap=0, english_only=True))
    assert english.countries.set_index("country").loc["FFF", "n_texts"] == 1
    weighted = run_bowl(constructed, BowlChoices(bootstrap=0, weighted=True))
    assert weighted.data.comparisons["similarity"].between(0, 1).all()
    assert run_bowl(constructed, BowlChoices(bootstrap=0, english_only=True)).translation_note == ""


def test_a_successor_and_its_predecessor_never_overlap(constructed: BowlInputs) -> None:
    roles = Roles({"wto:2": Role("wto:2", supersedes=("wto:1",))})
    inputs = BowlInputs.build(
        constructed.store, area=["rules_of_origin"], wto=constructed.wto, roles=roles, weighted=False
    )
    result = run_bowl(inputs, BowlChoices(bootstrap=0))
    assert ("AAA", "BBB") not in set(zip(result.pairs["iso_a"], result.pairs["iso_b"], strict=True))
    assert result.stored.table.set_index("id").loc["test:1", "why"] == "superseded by wto:2"


# -- the real corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_bowl(tota_cached: Store) -> BowlInputs:
    return BowlInputs.build(tota_cached, weighted=True)


@pytest.mark.corpus
def test_corpus_ranking_is_not_a_coverage_share_and_rests_on_texts(corpus_bowl: BowlInputs) -> None:
    from rulecompare.metrics.bowl import sensitivity

    result = run_bowl(corpus_bowl, BowlChoices(bootstrap=50))
    c = result.countries
    top = c[c["rank"].notna()].sort_values("rank").head(10)
    assert len(top) == 10
    assert (top["n_texts"] >= 5).all() and not top["uncertain"].any()
    assert (top["index_low"] <= top["index_high"]).all() and top[
        ["index_low", "index_high"]
    ].notna().all().all()
    assert (
        (top["index"] - top["index_low"]) > -0.1 * top["index"]
    ).all()  # percentile intervals, near the estimate
    # the old artefacts: SAPTA + SAFTA, India's partial-scope treaties
    for code in ("NPL", "BTN"):
        row = c.set_index("country").loc[code]
        assert row["n_partners_multi"] == 0 and pd.isna(row["rank"])
    table = sensitivity(corpus_bowl, BowlChoices(bootstrap=0)).set_index("variant")
    assert table.loc["reference: coverage share (share_multi)", "spearman"] < 0.9
    assert len(table) >= 10


@pytest.mark.corpus
def test_corpus_successors_and_complements(corpus_bowl: BowlInputs) -> None:
    catalog = load_catalog()
    assert catalog is not None
    result = run_bowl(corpus_bowl, BowlChoices(bootstrap=0, include=frozenset({"partial-scope"})))
    regimes = result.stored.regimes.regimes
    roles = corpus_bowl.roles
    for old, new in roles.successors().items():
        old_key, new_keys = result.stored.alias(old), [result.stored.alias(n) for n in new]
        if old_key in regimes:
            for k in new_keys:
                if k in regimes:
                    assert not regimes[old_key].pairs & regimes[k].pairs
    for (a, b), keys in result.data.counts.items():
        scopes = [regimes[k].scope for k in keys if k in regimes]
        assert not ("services" in scopes and len(keys) > 1 and any(s != "services" for s in scopes)), (a, b)


def test_the_plain_face_returns_frames(constructed: BowlInputs, monkeypatch: pytest.MonkeyPatch) -> None:
    from rulecompare.metrics import spaghetti
    from rulecompare.metrics.bowl import run

    # the facade builds its inputs from the store; here they are the constructed ones
    monkeypatch.setattr(run.BowlInputs, "build", classmethod(lambda cls, store, **kw: constructed))
    store = constructed.store
    choices = BowlChoices(bootstrap=0)
    ranking = spaghetti.spaghetti_index(store, choices, countries=["aaa"])
    assert list(ranking["country"]) == ["AAA"]
    pairs = spaghetti.pair_index(store, choices, pairs=[("BBB", "AAA")])
    assert list(zip(pairs["iso_a"], pairs["iso_b"], strict=True)) == [("AAA", "BBB")]
    assert set(spaghetti.country_divergence(store, "AAA", choices)["area"]) == {"rules_of_origin", "services"}
    assert "mean_multiplicity" in spaghetti.network(store, choices).columns
    assert set(spaghetti.network(store, choices, edges=True)["agreement_id"]) >= {"wto:1", "wto:2"}
