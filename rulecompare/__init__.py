"""rulecompare: compare the rules of trade agreements.

The library is the product; the CLI and the TUI call these functions.
Heavy modules load on first use, so ``import rulecompare`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Agreement": "model",
    "Clause": "model",
    "ParsedAgreement": "model",
    "Store": "store",
    "ingest_paths": "ingest",
    "parse_tota": "parsers.tota",
    "resolve_corpus": "corpus",
    "download_tota": "corpus",
    "load_catalog": "catalog",
    "classify_area": "taxonomy",
    "write_frame": "export",
    "matrix": "matcher",
    "neighbours": "matcher",
    "align": "matcher",
    "reuse": "matcher",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rulecompare' has no attribute '{name}'")
    return getattr(importlib.import_module(f".{module}", __name__), name)
