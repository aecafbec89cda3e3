"""Fuzz the file-reading entry points: only the project's own errors may come out (issue 17).

In the normal suite each entry point gets a short, deterministic run
(``RULECOMPARE_FUZZ_EXAMPLES`` inputs, default 30); ``RULECOMPARE_FUZZ_RANDOM=1``
draws fresh inputs instead.  Long runs with a time budget, counts and a list of
findings: ``python benchmarks/fuzz.py --minutes 10 xml``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fuzzing import TARGETS, check, prepare
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("RULECOMPARE_FUZZ_EXAMPLES", "30"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("RULECOMPARE_FUZZ_RANDOM") != "1",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("fuzz")
    prepare(d)
    return d


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_only_project_errors_escape(target: str, folder: Path) -> None:
    @FUZZ
    @given(data=TARGETS[target][2])
    def run(data: bytes) -> None:
        check(target, data, folder)

    run()


def test_the_strategies_reach_the_parsers(folder: Path) -> None:
    """A fuzzer that only ever hits the first refusal proves little: valid inputs must parse."""
    from fuzzing import _PDF_SAMPLE, _TOTA_SAMPLE

    from rulecompare.parsers.pdf import parse_pdf
    from rulecompare.parsers.tota import parse_tota

    (folder / "ok.xml").write_bytes(_TOTA_SAMPLE)
    assert parse_tota(folder / "ok.xml").clauses
    (folder / "ok.pdf").write_bytes(_PDF_SAMPLE)
    assert "certificate of origin" in " ".join(c.text for c in parse_pdf(folder / "ok.pdf").clauses)


@FUZZ
@given(st.data())
def test_every_strategy_draws(data: st.DataObject) -> None:
    for _, _, strategy in TARGETS.values():
        assert isinstance(data.draw(strategy), bytes)


def test_found_a_pdf_filter_pypdf_does_not_know(folder: Path) -> None:
    """Found by fuzzing: pypdf raised NotImplementedError for an unknown stream filter."""
    from fuzzing import pdf_with_text

    from rulecompare.errors import ParseError
    from rulecompare.parsers.pdf import parse_pdf

    data = pdf_with_text(["Article 1 Each Party shall comply."] * 30, compress=True)
    (folder / "bad.pdf").write_bytes(data.replace(b"/Filter /FlateDecode", b"/Filter /Bogus0"))
    with pytest.raises(ParseError, match=r"bad\.pdf: damaged or truncated PDF \(NotImplementedError"):
        parse_pdf(folder / "bad.pdf")
