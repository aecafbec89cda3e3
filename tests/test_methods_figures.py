"""docs/METHODS.md's figures of sections 2 and 3 are generated from the store: a stale page fails."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from rulecompare.store import Store

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "methods_figures.py"


@pytest.fixture(scope="module")
def figures_script() -> ModuleType:
    """scripts/methods_figures.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("methods_figures", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_blocks_are_replaced_between_their_markers(figures_script: ModuleType) -> None:
    page = "# M\n\ntext\n<!-- figures:coverage -->\nold\n<!-- /figures:coverage -->\nrest\n"
    assert figures_script.with_blocks(page, {"coverage": "new\n"}) == page.replace("old\n", "new\n")
    with pytest.raises(ValueError, match="markers of block 'compat'"):
        figures_script.with_blocks(page, {"compat": "x\n"})
    doc = (ROOT / "docs" / "METHODS.md").read_text(encoding="utf-8")
    for name in figures_script.BLOCKS:
        assert f"<!-- figures:{name} -->" in doc and f"<!-- /figures:{name} -->" in doc


@pytest.mark.corpus
@pytest.mark.xdist_group("full_compat")  # the compat matches of tests/test_compat.py, once
def test_methods_figures_are_not_stale(figures_script: ModuleType, full_db: Path) -> None:
    doc = ROOT / "docs" / "METHODS.md"
    page = doc.read_text(encoding="utf-8")
    with Store(full_db) as store:  # writable: the feature cache it fills serves the variants
        fresh = figures_script.with_blocks(page, figures_script.figures(store))
    assert fresh == page, "docs/METHODS.md is stale: run python scripts/methods_figures.py --db STORE"
