"""rulecompare: compare the rules of trade agreements.

The library is the product; the CLI and the TUI call these functions.
Heavy modules (pandas, SciPy, lxml) load on first use, so ``import
rulecompare`` stays quick: each public name is imported from its module the
first time it is looked up.  Type checkers see the real names through the
``TYPE_CHECKING`` imports below, which mirror :data:`_PUBLIC` line for line
(``tests/test_architecture.py`` checks that they agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_exports

__version__ = "0.1.0"

# The one table of the public API: module (relative to this package) -> the names it provides.
_PUBLIC: dict[str, tuple[str, ...]] = {
    "catalog": ("load_catalog",),
    "corpus": ("download_tota", "resolve_corpus"),
    "export": ("write_frame",),
    "ingest": ("ingest_paths",),
    "model": ("Agreement", "Clause", "Footnote", "ParsedAgreement"),
    "overlap": ("align", "matrix", "neighbours", "reuse"),
    "parsers.tota": ("parse_tota",),
    "store": ("Store",),
    "taxonomy": ("classify_area",),
}

if TYPE_CHECKING:
    from .catalog import load_catalog
    from .corpus import download_tota, resolve_corpus
    from .export import write_frame
    from .ingest import ingest_paths
    from .model import Agreement, Clause, Footnote, ParsedAgreement
    from .overlap import align, matrix, neighbours, reuse
    from .parsers.tota import parse_tota
    from .store import Store
    from .taxonomy import classify_area


__all__ = [
    "Agreement", "Clause", "Footnote", "ParsedAgreement", "Store", "__version__", "align", "classify_area",
    "download_tota", "ingest_paths", "load_catalog", "matrix", "neighbours", "parse_tota",
    "resolve_corpus", "reuse", "write_frame",
]  # fmt: skip


if not TYPE_CHECKING:
    # Hidden from type checkers, which would otherwise take any misspelt name for Any.
    __getattr__ = lazy_exports(__name__, globals(), _PUBLIC)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
