"""The catalog's data folder (``agreements/``) and how its CSV files are read.

The files are user-editable catalog data. In a checkout they sit in
``agreements/`` beside the package; the wheel ships them inside the package
as ``rulecompare/agreements``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import RulecompareError

__all__ = ["data_dir", "read_csv"]


def data_dir() -> Path:
    """The folder with the catalog files: inside the package when installed, else the checkout's."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "agreements", package.parent / "agreements"):
        if (candidate / "blocs.csv").is_file():
            return candidate
    raise RulecompareError(f"catalog data (agreements/blocs.csv) not found beside {package}")


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file with a header, every value stripped (missing ones as "")."""
    with path.open(newline="", encoding="utf-8") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]
