"""Issue 15's targets on the real TPP texts: ToTA's Spanish (tota:450) and English (tota:449) versions.

Corpus tests (they need ``../shared``) and Apertium; the figures are those
``benchmarks/translation.py`` prints for the closing note.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_store
from test_crosslingual import needs_apertium

from rulecompare.overlap import crosslingual, xlcheck
from rulecompare.store import Store
from rulecompare.translate import require_translator_for, translate_agreements

pytestmark = needs_apertium
ES, EN = "tota:450", "tota:449"


@pytest.fixture(scope="module")
def tpp(tota_records_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A writable copy of the ToTA store with TPP's Spanish text translated (kept, so translated once)."""
    path = copy_store(tota_records_db, tmp_path_factory.mktemp("xl_corpus") / "tota.db")
    with Store(path) as store:
        translate_agreements(store, [ES])
        yield store
    shutil.rmtree(path.parent)  # gone with the module, not at the end of the run


@pytest.fixture(scope="module")
def xl() -> crosslingual.CrossLingual:
    return crosslingual.CrossLingual(require_translator_for(["es"]))


def test_tpp_articles_find_their_counterparts_by_content_alone(
    tpp: Store, xl: crosslingual.CrossLingual
) -> None:
    m = xlcheck.article_matching(tpp, ES, EN, xl)
    assert m.n > 450
    assert m.assigned >= 0.95 and m.best >= 0.95
    assert m.placebo_best < 0.05
    assert m.true_raw > 1.5 * m.runner_up_raw


def test_tpp_aligns_clause_by_clause_across_languages(tpp: Store) -> None:
    share, n, precision = xlcheck.clause_alignment(tpp, ES, EN)
    assert n > 1500 and share >= 0.90 and precision >= 0.95


def test_tpp_spanish_has_most_of_the_english_texts_nearest_english_neighbours(tpp: Store) -> None:
    shared, top_es, top_en = xlcheck.neighbour_overlap(tpp, ES, EN)
    assert shared >= 8, (top_es, top_en)


def test_the_pair_scores_as_the_same_text_and_the_placebo_stays_on_the_baseline(
    tpp: Store, xl: crosslingual.CrossLingual
) -> None:
    p = xlcheck.pair_scores(tpp, ES, EN, xl)
    assert p.raw < 0.8 and p.calibrated > 0.95
    assert p.placebo_gap < 0.02 and p.placebo_rank_correlation > 0.95
