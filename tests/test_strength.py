"""Obligation strength: constructed cases, the hand-labelled sample, the fast path against the reference."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import make_agreement, make_clause, put

from rulecompare.metrics.strength import (
    ENFORCEABLE_THRESHOLD,
    STRENGTH_CLASSES,
    classify_clauses,
    classify_strength,
    dispute_settlement_exclusion,
    excluded_from_dispute_settlement,
    strength_table,
)
from rulecompare.model import ParsedAgreement
from rulecompare.store import Store

SAMPLE = Path(__file__).parent / "data" / "strength_sample.csv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. Each Party shall ensure that its customs procedures are transparent.", "binding"),
        ("Neither Party may adopt or maintain an export duty.", "binding"),
        ("The Parties undertake not to introduce new customs duties.", "binding"),
        ("2. The Parties shall endeavour to harmonise their standards.", "soft"),
        ("The Parties shall, where possible, exchange information.", "soft"),
        ("The Parties recognise the importance of small and medium-sized enterprises.", "soft"),
        ("The Parties shall cooperate in the field of tourism.", "soft"),
        ("Each Party should seek to simplify its procedures.", "soft"),
        ("A Party may apply a provisional safeguard measure.", "permissive"),
        ("Each Party retains the right to regulate within its territory.", "permissive"),
        (
            "Nothing in this Agreement shall be construed to prevent a Party from taking measures "
            "necessary to protect public morals.",
            "exception",
        ),
        ("This Chapter shall not apply to government procurement.", "exception"),
        ("For the purposes of this Chapter: (a) measure means any law or regulation;", "definition"),
        ("“customs duty” means any duty or charge imposed on the importation of a good;", "definition"),
        (
            "This Chapter applies to measures adopted or maintained by a Party relating to investors.",
            "definition",
        ),
        ("The Joint Committee shall meet once a year.", "procedural"),
        ("This Agreement shall enter into force on the first day of the second month.", "procedural"),
        ("The panel shall present its initial report within 90 days.", "procedural"),
        ("RECOGNISING the importance of trade for development;", "preamble"),
        ("(c) agricultural products;", "other"),
        ("Cada Parte otorgará trato nacional a las mercancías de la otra Parte.", "binding"),
        ("Las Partes procurarán facilitar el comercio electrónico.", "soft"),
        ("Cada Parte podrá adoptar medidas de salvaguardia.", "permissive"),
        ("Nada de lo dispuesto en este Capítulo impedirá a una Parte adoptar medidas.", "exception"),
        (
            "Ninguna Parte podrá recurrir al mecanismo de solución de controversias para este Capítulo.",
            "exception",
        ),
    ],
)
def test_constructed_clauses(text: str, expected: str) -> None:
    assert classify_strength(text) == expected


def test_precedence_soft_modal_beats_shall_and_first_modal_decides() -> None:
    assert classify_strength("The Parties shall endeavour to ensure that fees shall be reasonable.") == "soft"
    first_shall = "Each Party shall publish its laws and may consult interested persons."
    first_may = "A Party may request information, which the other Party shall provide."
    assert classify_strength(first_shall) == "binding"
    assert classify_strength(first_may) == "permissive"


def test_exception_beats_binding_and_area_preamble_wins() -> None:
    carve_out = "Nothing in this Agreement shall require a Party to furnish information."
    assert classify_strength(carve_out) == "exception"
    assert classify_strength("The rules should be updated.", area="preamble") == "preamble"
    assert classify_strength("The rules should be updated.") == "soft"


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        (
            "No Party may have recourse to dispute settlement under this Agreement for any matter "
            "arising under this Chapter.",
            ("self",),
        ),
        (
            "The dispute settlement procedures provided for in Chapter 13 shall not apply to this Chapter.",
            ("self",),
        ),
        (
            "This Chapter shall not apply to the settlement of disputes arising under "
            "Chapter 5 (Sanitary and Phytosanitary Measures) and Chapter 14 (Competition).",
            ("chapter:5", "chapter:14"),
        ),
        (
            "Malaysia shall not be subject to dispute settlement under Chapter 28 (Dispute Settlement) "
            "regarding its obligations under Article 14.4 (Non-Discriminatory Treatment).",
            ("article:14.4",),
        ),
        ("Each Party shall comply with the ruling of the dispute settlement panel.", ()),
        (
            "A Party may not initiate dispute settlement proceedings regarding a refusal of entry unless the "
            "matter involves a pattern of practice.",
            (),
        ),
    ],
)
def test_dispute_settlement_exclusion(text: str, targets: tuple[str, ...]) -> None:
    assert dispute_settlement_exclusion(text) == targets
    assert excluded_from_dispute_settlement(text) is bool(targets)


def test_hand_labelled_sample_accuracy_and_recall() -> None:
    """Labels were written from the rules in docs/METHODS.md before the classifier existed."""
    sample = pd.read_csv(SAMPLE)
    assert len(sample) >= 200
    assert set(sample["label"]) <= set(STRENGTH_CLASSES)
    assert sample["family"].nunique() >= 8
    predicted = classify_clauses(sample.rename(columns={"excerpt": "text"}))["strength"]
    assert (predicted == sample["label"]).mean() >= 0.93
    minimum_recall = {
        "binding": 0.95,
        "soft": 0.9,
        "permissive": 0.9,
        "exception": 0.9,
        "definition": 0.7,
        "procedural": 0.85,
        "preamble": 0.75,
        "other": 0.9,
    }
    for cls, floor in minimum_recall.items():
        mask = sample["label"] == cls
        assert (predicted[mask] == cls).mean() >= floor, cls


def test_vector_path_equals_reference_on_sample_and_corpus(tota_dir: Path) -> None:
    from rulecompare.parsers.tota import parse_tota

    clauses = []
    for path in sorted(tota_dir.glob("*.xml"))[::45]:
        parsed = parse_tota(path, classify=lambda *a: "unclassified")
        clauses += [{"text": c.text, "area": c.area} for c in parsed.clauses]
    sample = pd.read_csv(SAMPLE).rename(columns={"excerpt": "text"})[["text", "area"]]
    frame = pd.concat([pd.DataFrame(clauses), sample], ignore_index=True)
    fast = classify_clauses(frame)["strength"].tolist()
    slow = [classify_strength(t, area=a) for t, a in zip(frame["text"], frame["area"], strict=True)]
    assert len(frame) > 1000
    assert fast == slow


def test_strength_table_on_constructed_agreement(fresh_store: Store) -> None:
    rows = {
        "One": [
            ("goods_market_access", 3, "Each Party shall eliminate its customs duties."),
            ("goods_market_access", 3, "Each Party shall apply national treatment."),
            ("goods_market_access", 3, "The Parties shall endeavour to simplify procedures."),
            ("goods_market_access", 3, "A Party may apply a safeguard."),
            ("competition", 9, "Each Party shall maintain competition laws."),
            (
                "dispute_settlement",
                12,
                "Chapter 12 (Dispute Settlement) shall not apply to Chapter 9 (Competition).",
            ),
        ],
        "Two": [("goods_market_access", 1, "Each Party shall eliminate its customs duties.")],
    }
    for n, (name, clauses) in enumerate(rows.items(), start=1):
        a = make_agreement(f"x:{n}", name=name)
        put(
            fresh_store,
            ParsedAgreement(
                a,
                tuple(
                    make_clause(a.id, text, order=k, area=area, chapter=chapter - 1)
                    for k, (area, chapter, text) in enumerate(clauses)
                ),
            ),
        )
    table = strength_table(fresh_store.clauses(), fresh_store.agreements()).set_index(
        ["agreement_id", "area"]
    )
    goods = table.loc[("x:1", "goods_market_access")]
    assert goods["name"] == "One"
    assert goods["n_clauses"] == 4
    assert goods["share_binding"] == pytest.approx(0.5)
    assert goods["share_soft"] == pytest.approx(0.25)
    assert goods["share_permissive"] == pytest.approx(0.25)
    assert goods["hard_share"] == pytest.approx(2 / 3)
    assert bool(goods["enforceable"]) and not bool(goods["ds_excluded"])
    competition = table.loc[("x:1", "competition")]
    assert bool(competition["ds_excluded"]) and not bool(competition["enforceable"])
    # no dispute-settlement chapter at all: binding but not enforceable by the agreement itself
    two = table.loc[("x:2", "goods_market_access")]
    assert two["share_binding"] == 1.0 and not bool(two["has_dispute_settlement"])
    assert not bool(two["enforceable"])
    assert 0 < ENFORCEABLE_THRESHOLD < 1
