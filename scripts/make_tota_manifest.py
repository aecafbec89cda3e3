"""Write the pinned per-file SHA-256 manifest of the ToTA XML corpus.

``rulecompare corpus download`` checks every file it unpacks against this
manifest, because GitHub's generated archives are not promised to be
byte-stable and so the archive's own digest cannot be the only pin. Run this
against a copy known to be the pinned commit (../shared/corpora/tota/xml) and
commit the result:

    python scripts/make_tota_manifest.py [XML_DIR] [-o rulecompare/data/tota-files.sha256]

The output is ``sha256sum`` format, so ``sha256sum -c`` run inside the XML
folder checks a copy by hand.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "corpora" / "tota" / "xml"
DEFAULT_OUTPUT = ROOT / "rulecompare" / "data" / "tota-files.sha256"
TOTA_COMMIT = "2558ee5e9aafb1fe02d586768def7feb8906123d"
NAME = re.compile(r"pta_(\d+)\.xml")


def manifest_lines(xml_dir: Path) -> list[str]:
    """One ``<sha256>  pta_N.xml`` line per ToTA file, in numeric order of N."""
    numbered = sorted(
        (int(m.group(1)), p) for p in xml_dir.iterdir() if p.is_file() and (m := NAME.fullmatch(p.name))
    )
    return [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for _, p in numbered]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xml_dir", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if not args.xml_dir.is_dir():
        print(f"not a folder: {args.xml_dir}", file=sys.stderr)
        return 1
    lines = manifest_lines(args.xml_dir)
    if not lines:
        print(f"no pta_N.xml files in {args.xml_dir}", file=sys.stderr)
        return 1
    header = (
        f"# SHA-256 of the {len(lines)} xml/pta_N.xml files of ToTA "
        f"(github.com/mappingtreaties/tota) at commit {TOTA_COMMIT}.\n"
        "# Written by scripts/make_tota_manifest.py; checked by rulecompare.corpus.\n"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} digests to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
