"""Comparing across languages: calibration maps, parallel units, translationese, and the commands.

The command tests run on a copy of the sample store, whose Chile - Peru text
(``tota:906``) is in Spanish.  Those that translate need Apertium with the
Spanish-English and French-Spanish pairs (``.ci/run`` installs them); the
``no_apertium`` tests hide it and check that everything else keeps working
and that what needs it says what to install.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import copy_store
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from typer.testing import CliRunner, Result

from rulecompare.cli import app
from rulecompare.errors import RulecompareError
from rulecompare.features import UnitSets, shingle_key
from rulecompare.metrics.bowl.texts import RegimeTexts
from rulecompare.overlap import calibration, parallel
from rulecompare.store import Store
from rulecompare.translate import INSTALL, find_apertium, translationese

runner = CliRunner()
FOUND = find_apertium()
READY = FOUND is not None and FOUND.supports("es", "en") and FOUND.supports("fr", "en")
needs_apertium = pytest.mark.skipif(
    not READY, reason=f"Apertium with spa-eng and fr-es not installed: {INSTALL}"
)


@pytest.fixture(scope="module")
def db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_store(sample_db, tmp_path_factory.mktemp("xl") / "sample.db")


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def ok(*args: str) -> Result:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result


def csv(result: Result) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(result.stdout))


# -- the calibration maps ---------------------------------------------------------------------------

unit = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(5, 200), elements=unit), st.data())
def test_a_quantile_map_is_monotone_closed_and_sends_quantiles_of_x_to_those_of_y(
    x: np.ndarray, data: st.DataObject
) -> None:
    y = data.draw(arrays(np.float64, x.size, elements=unit))
    f = calibration.fit_quantile_map(x, y)
    grid = np.linspace(0.0, 1.0, 101)
    assert np.all(np.diff(f(grid)) >= 0) and f(0.0) == 0.0 and f(1.0) == 1.0
    assert np.all((f(grid) >= 0) & (f(grid) <= 1))
    if np.unique(x).size == x.size and 0 < x.min() and x.max() < 1:
        # distinct raw scores: the median of x goes to the median of y exactly
        mx = np.quantile(x, 0.5, method="inverted_cdf")
        my = np.quantile(y, 0.5, method="inverted_cdf")
        assert f(mx) == pytest.approx(max(my, 0.0), abs=1e-9) or f(mx) >= my  # running max may lift it


def test_a_translation_that_scores_half_is_mapped_onto_its_original_scale() -> None:
    rng = np.random.default_rng(1)
    y = rng.uniform(0, 1, 5000)
    f = calibration.fit_quantile_map(y / 2, y)
    assert f(np.array([0.1, 0.25, 0.4])) == pytest.approx([0.2, 0.5, 0.8], abs=0.02)


def test_calibration_round_trips_and_refuses_a_decreasing_map() -> None:
    m = calibration.fit_quantile_map([0.1, 0.2, 0.3], [0.2, 0.4, 0.9])
    cal = calibration.Calibration({"article/jaccard": m}, {"translated": "x"})
    again = calibration.Calibration.from_json(cal.to_json())
    assert again.apply("article", "jaccard", [0.2]) == pytest.approx(cal.apply("article", "jaccard", [0.2]))
    with pytest.raises(RulecompareError, match="no cross-lingual calibration for copied"):
        again.apply("article", "copied", [0.2])
    bad = json.loads(cal.to_json())
    bad["maps"]["article/jaccard"]["x"] = [0.0, 0.5, 0.4, 1.0]
    bad["maps"]["article/jaccard"]["y"] = [0.0, 0.5, 0.6, 1.0]
    with pytest.raises(RulecompareError, match="must be increasing"):
        calibration.Calibration.from_json(json.dumps(bad))


def test_the_shipped_calibration_covers_every_level_for_set_measures() -> None:
    cal = calibration.load_calibration()
    for level in ("agreement", "chapter", "area", "article", "clause"):
        for measure in ("jaccard", "containment", "contained"):
            assert cal.has(level, measure), (level, measure)
    assert cal.meta["translated"] == "tota:450" and cal.meta["original"] == "tota:449"


# -- parallel units and translationese ----------------------------------------------------------------


def test_parallel_units_are_matched_by_number_never_by_content() -> None:
    assert parallel.number_key("ARTÍCULO 9.4") == "9.4" and parallel.number_key(None) is None
    a = pd.DataFrame(
        {
            "article_index": [0, 0, 1, 2, 3],
            "article_number": [
                "ARTÍCULO 1.1",
                "ARTÍCULO 1.1",
                "ARTÍCULO 1.2",
                "ARTÍCULO 2.1",
                "ARTÍCULO 2.1",
            ],
        }
    )
    b = pd.DataFrame(
        {
            "article_index": [5, 6, 6, 7],
            "article_number": ["ARTICLE 1.1", "ARTICLE 1.2", "ARTICLE 1.2", "ARTICLE 2.1"],
        }
    )
    # 2.1 is two articles on one side: no counterpart
    assert parallel.parallel_articles(a, b).tolist() == [0, 1, -1, -1]
    # 1.1 has two clauses against one, 1.2 one against two: no clause has a counterpart
    assert parallel.parallel_clauses(a, b).tolist() == [-1] * 5
    same_sizes = b.assign(article_index=[5, 5, 6, 7])
    assert parallel.parallel_clauses(a, same_sizes).tolist() == [0, 1, 2, -1, -1]


def test_translationese_is_what_translations_hold_far_more_often_than_english() -> None:
    row = sorted([shingle_key("the p"), shingle_key("party")])
    english = UnitSets(np.array([0, 2, 4], dtype=np.int64), np.array(row * 2, dtype=np.uint64))
    translated = [["the party of the another party"], ["the another party"]]
    found = translationese.fit_translationese(translated, english)
    assert " anot" in found and "anoth" in found
    assert "party" not in found and "the p" not in found
    drop = np.array(sorted(shingle_key(s) for s in found), dtype=np.uint64)
    keys = sorted([shingle_key("anoth"), shingle_key("party"), 7])
    kept = translationese.without_translationese(
        UnitSets(np.array([0, 3]), np.array(keys, dtype=np.uint64)), drop
    )
    assert set(kept.row(0).tolist()) == {shingle_key("party"), 7}


def test_the_shipped_translationese_list_reads_and_keeps_plain_treaty_words() -> None:
    keys = translationese.drop_keys()
    assert keys.size > 1000 and len(translationese.digest()) == 8
    for common in ("party", "shall", "agree", "the p"):
        assert shingle_key(common) not in set(keys.tolist())


def test_a_regime_without_english_text_is_read_in_english_after_its_own_languages() -> None:
    texts = RegimeTexts(
        {"es1": {"es": ("tota:1",)}, "es2": {"es": ("tota:2",)}, "en1": {"en": ("tota:3",)}},
        {},
        translated=frozenset({"es1", "es2"}),
    )
    assert texts.languages_of("es1") == ("es", "en")
    assert texts.common_language("es1", "es2") == "es"  # two Spanish texts: compared in Spanish
    assert texts.common_language("es1", "en1") == "en"  # across languages: in English
    assert texts.ids("es1", "en") == ("tota:1",) and texts.reads_translation("es1", "en")
    assert not texts.reads_translation("es1", "es") and not texts.reads_translation("en1", "en")
    plain = RegimeTexts(texts.by_key, {})
    assert plain.common_language("es1", "en1") is None


# -- the commands, with Apertium ---------------------------------------------------------------------


@needs_apertium
def test_matrix_scores_and_marks_pairs_across_languages(db: Path) -> None:
    wide = ok("matrix", "tota:901", "tota:902", "tota:906", "--db", str(db))
    text = " ".join(wide.output.split())
    assert "4 cross-lingual comparisons" in text and "*" in wide.output
    long = csv(ok("matrix", "tota:901", "tota:902", "tota:906", "--long", "--db", str(db), "-f", "csv"))
    cross = long[long["cross_lingual"]]
    assert len(cross) == 4 and set(cross["a"]) | set(cross["b"]) >= {"tota:906"}
    assert cross["score"].notna().all() and (cross["score"] > 0).all()
    assert not long.loc[~long["cross_lingual"], "score"].isna().any()
    mono = csv(ok("matrix", "tota:901", "tota:906", "--long", "--monolingual", "--db", str(db), "-f", "csv"))
    assert mono["score"].isna().all() and mono["cross_lingual"].all()


@needs_apertium
def test_neighbours_and_align_read_the_spanish_text_through_its_translation(db: Path) -> None:
    r = ok("neighbours", "tota:901", "--article", "4.5", "--top", "2", "--db", str(db), "-f", "csv")
    found = csv(r)
    assert list(found["agreement_id"]) == ["tota:902", "tota:906"]
    assert list(found["cross_lingual"]) == [False, True]
    assert found["raw_score"].iloc[1] <= found["score"].iloc[1]  # calibrated up from the raw score
    with Store(db, readonly=True) as store:
        from rulecompare.overlap import align

        al = align(store, "tota:906", "tota:901")
        spanish = set(store.clauses(["tota:906"])["text"])
    assert len(al.pairs) > 0 and al.pairs["cross_lingual"].all()
    assert set(al.pairs["a_text"]) <= spanish and al.pairs["a_translation"].str.len().gt(0).all()
    assert al.pairs["b_translation"].isna().all()
    table = ok("align", "tota:906", "tota:901", "--db", str(db))
    assert "cross-lingual comparisons" in " ".join(table.output.split())


@needs_apertium
def test_reuse_finds_earlier_sources_in_another_language(db: Path) -> None:
    sources = csv(ok("reuse", "tota:906", "--db", str(db), "-f", "csv"))
    assert sources["agreement_id"].iloc[0] == "tota:901" and sources["cross_lingual"].all()
    assert sources["copied_share"].iloc[0] > 0
    clauses = csv(ok("reuse", "tota:906", "--clauses", "--db", str(db), "-f", "csv"))
    assert clauses["source"].value_counts().idxmax() == "tota:901" and clauses["cross_lingual"].any()
    mono = ok("reuse", "tota:906", "--monolingual", "--db", str(db), "-f", "csv")
    assert csv(mono).empty or not csv(mono)["cross_lingual"].any()
    assert "its copied share is unknown (NaN)" in " ".join(mono.output.split())  # no earlier Spanish text


# -- without Apertium ----------------------------------------------------------------------------------


def test_without_apertium_everything_else_works_and_cross_language_commands_say_what_to_install(
    db: Path, no_apertium: None
) -> None:
    english = csv(ok("matrix", "tota:901", "tota:902", "--long", "--db", str(db), "-f", "csv"))
    assert english["score"].notna().all() and not english["cross_lingual"].any()
    mixed = ok("matrix", "tota:901", "tota:906", "--long", "--db", str(db), "-f", "csv")
    frame = csv(mixed)
    assert frame["score"].isna().all()
    note = " ".join(mixed.output.split())
    assert "not made (NaN)" in note and INSTALL in note
    near = ok("neighbours", "tota:901", "--db", str(db), "-f", "csv")
    assert "tota:906" not in set(csv(near)["agreement_id"]) and INSTALL in " ".join(near.output.split())
    aligned = invoke("align", "tota:906", "tota:901", "--db", str(db))
    assert aligned.exit_code == 1 and INSTALL in " ".join(aligned.output.split())
    assert len(aligned.output.strip().splitlines()) <= 3
    same = ok("align", "tota:901", "tota:902", "--db", str(db), "-f", "csv")
    assert len(csv(same)) > 0
    again = ok("reuse", "tota:906", "--db", str(db), "-f", "csv")
    assert "other languages left out" in " ".join(again.output.split()) and INSTALL in " ".join(
        again.output.split()
    )
    tr = invoke("translate", "--db", str(db))
    assert tr.exit_code == 1 and INSTALL in " ".join(tr.output.split())


@needs_apertium
def test_a_read_only_store_translates_an_agreement_once_per_store_object(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rulecompare.translate import fill

    path = copy_store(sample_db, tmp_path / "ro.db")
    calls: list[str] = []
    real = fill._translate_one

    def counting(*args: object, **kwargs: object) -> object:
        calls.append("x")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fill, "_translate_one", counting)
    with Store(path, readonly=True) as store:
        assert store.translation_summary().empty
        first = fill.translations_for(store, ["tota:906"])
        again = fill.translations_for(store, ["tota:906"])
    pd.testing.assert_frame_equal(first, again)
    assert len(first) > 0 and len(calls) == 1
    with Store(path, readonly=True) as other:  # another store object translates again: nothing was kept
        fill.translations_for(other, ["tota:906"])
        assert other.translation_summary().empty
    assert len(calls) == 2
