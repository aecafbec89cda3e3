"""Paragraph splitting: numbered paragraphs, lettered items, and what must not split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rulecompare.segment import split_paragraphs


def labels(text: str) -> list[str]:
    return [p.label for p in split_paragraphs(text)]


def test_numbered_paragraphs_keep_lettered_items_inside() -> None:
    text = "1. Each Party shall:\n(a) do this;\n(b) do that.\n2. No Party may do the other.\n"
    parts = split_paragraphs(text)
    assert [p.label for p in parts] == ["1", "2"]
    assert parts[0].text == "1. Each Party shall:\n(a) do this;\n(b) do that."
    assert parts[1].text == "2. No Party may do the other."


def test_lead_in_before_first_number_is_its_own_clause() -> None:
    assert labels("Definitions\n1. For this Chapter: x.\n2. y.") == ["", "1", "2"]


def test_parenthesised_and_bracket_numbers() -> None:
    assert labels("(1) One.\n(2) Two.\n(3) Three.") == ["1", "2", "3"]
    assert labels("1) One.\n2) Two.") == ["1", "2"]


def test_lettered_items_split_only_without_numbers() -> None:
    assert labels("The Parties agree:\n(a) one;\n(b) two; and\n(c) three.") == ["", "a", "b", "c"]
    assert labels("a) one;\nb) two.") == ["a", "b"]


def test_flattened_text_splits_after_sentence_end() -> None:
    assert labels("1. The first rule applies. 2. The second rule applies. 3. A third.") == ["1", "2", "3"]


def test_cross_references_and_out_of_sequence_numbers_do_not_split() -> None:
    # "3.4." and "paragraph 2." are not paragraph labels; "5." out of sequence is ignored.
    text = "Subject to Article 3.4. the Parties shall act under paragraph 2. 5. Nothing more."
    assert labels(text) == [""]
    assert labels("1. Only one numbered paragraph here.") == [""]


def test_unnumbered_article_is_one_clause_and_empty_is_none() -> None:
    assert split_paragraphs("  The Parties hereby establish a free trade area.  ") == [
        split_paragraphs("The Parties hereby establish a free trade area.")[0]
    ]
    assert split_paragraphs("   \n ") == []


def test_double_letters_continue_after_z() -> None:
    items = "\n".join(f"({c}) item {c};" for c in "abcdefghijklmnopqrstuvwxyz") + "\n(aa) item aa."
    assert labels(items)[-1] == "aa"


@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40),
        min_size=2,
        max_size=6,
    )
)
def test_numbered_split_loses_no_text(bodies: list[str]) -> None:
    bodies = [" ".join(b.split()) or "x" for b in bodies]
    text = "\n".join(f"{i}. W{b}" for i, b in enumerate(bodies, start=1))
    parts = split_paragraphs(text)
    assert [p.label for p in parts] == [str(i) for i in range(1, len(bodies) + 1)]
    assert "".join(p.text for p in parts).replace("\n", "").replace(" ", "") == text.replace(
        "\n", ""
    ).replace(" ", "")


def test_flat_text_that_lost_the_space_after_a_period() -> None:
    # The WTO texts of ggo were flattened to one lower-cased line: "... of the members.2. there shall".
    text = (
        "1. there shall be a ministerial conference of all the members.2. there shall be a general "
        "council, which shall establish the committees of paragraph 7.3. the council shall meet."
    )
    parts = split_paragraphs(text)
    assert [p.label for p in parts] == ["1", "2"]
    assert parts[1].text.endswith("paragraph 7.3. the council shall meet.")
