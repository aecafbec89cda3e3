"""Regenerate the table of policy areas in docs/TAXONOMY.md from rulecompare/taxonomy/areas.toml.

The table sits between the ``<!-- areas:start -->`` and ``<!-- areas:end -->``
markers; everything else in the page is written by hand and left alone.

    python scripts/make_taxonomy_doc.py           # rewrite the table
    python scripts/make_taxonomy_doc.py --check   # exit 1 when the page is stale

tests/test_taxonomy.py runs the same comparison, so a stale page fails the tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rulecompare.taxonomy import markdown_table

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "TAXONOMY.md"
START = "<!-- areas:start -->\n"
END = "<!-- areas:end -->\n"


def with_table(page: str, table: str) -> str:
    """``page`` with the text between the markers replaced by ``table``."""
    head, start, rest = page.partition(START)
    old, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"{DOC.name}: the markers {START.strip()} and {END.strip()} are missing")
    return head + START + table + END + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the page is stale")
    args = parser.parse_args(argv)
    page = DOC.read_text(encoding="utf-8")
    fresh = with_table(page, markdown_table())
    if fresh == page:
        print(f"{DOC.relative_to(ROOT)} is up to date")
        return 0
    if args.check:
        print(f"{DOC.relative_to(ROOT)} is stale: run python scripts/make_taxonomy_doc.py", file=sys.stderr)
        return 1
    DOC.write_text(fresh, encoding="utf-8")
    print(f"rewrote the table of areas in {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
