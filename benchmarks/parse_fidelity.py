"""How faithfully does the text parser recover a treaty's structure?

Several plain-text agreements in ``corpora/ggo`` are also in ToTA as XML
(``tota_id`` in MANIFEST.csv).  ToTA's chapters and articles were marked up by
hand, so they are the ground truth: each such text file is parsed with
:func:`rulecompare.parsers.text.parse_text` and compared with
:func:`rulecompare.parsers.tota.parse_tota` on

- article recall: the share of ToTA's numbered articles found with the same number;
- title agreement: the share of matched articles whose titles are the same
  (case, punctuation and spacing ignored);
- text agreement: the share of matched articles whose texts have a character
  5-gram Jaccard similarity of at least 0.8 (footnotes included on both sides:
  ToTA keeps them in the text, the parser beside it).

The measures are those of :mod:`rulecompare.parsers.fidelity`; OCR-damaged
and scanned texts are measured by ``benchmarks/ocr_fidelity.py``.

Target: recall and text agreement of at least 0.9 on every such file.  The
chapter and article counts of every ggo file and of the RCEP PDF are printed
as well ("ann.art": articles numbered inside annexes and protocols, such as the
replacement articles an amending instrument carries).

Run: ``python benchmarks/parse_fidelity.py [--shared ../shared] [--no-pdf]``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from rulecompare.model import ParsedAgreement
from rulecompare.parsers.fidelity import compare
from rulecompare.parsers.pdf import parse_pdf
from rulecompare.parsers.text import parse_text
from rulecompare.parsers.tota import parse_tota

TARGET = 0.9


def _no_areas(*_args: object) -> str:
    return "x"


def counts(parsed: ParsedAgreement) -> tuple[int, int, int, int]:
    """(chapters, main-text articles, annexes, articles inside annexes and protocols) of a parse."""
    chapters: set[int] = set()
    annexes: set[int] = set()
    arts: set[int] = set()
    annex_arts: set[int] = set()
    for c in parsed.clauses:
        if c.annex:
            annexes.add(c.chapter_index)
            if c.article_number:
                annex_arts.add(c.article_index)
        elif c.chapter_title not in ("Preamble", "Conclusion"):
            chapters.add(c.chapter_index)
            if c.article_number:
                arts.add(c.article_index)
    return len(chapters), len(arts), len(annexes), len(annex_arts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    ap.add_argument("--no-pdf", action="store_true", help="skip the RCEP PDF (about 20 s)")
    args = ap.parse_args(argv)
    corpora = args.shared / "corpora"
    ggo = corpora / "ggo"
    with (ggo / "MANIFEST.csv").open(encoding="utf-8") as f:
        manifest = list(csv.DictReader(f))

    print("Fidelity against ToTA (text parse vs ToTA XML)")
    print(f"{'file':34} {'tota':>8} {'ToTA art':>8} {'found':>6} {'recall':>7} {'titles':>7} {'text>=.8':>8}")
    ok = True
    for row in manifest:
        if not row["tota_id"]:
            continue
        parsed = parse_text(ggo / row["file"], classify=_no_areas)
        truth = parse_tota(corpora / "tota" / "xml" / f"pta_{row['tota_id']}.xml", classify=_no_areas)
        r = compare(parsed, truth)
        ok &= r.recall >= TARGET and r.text_agreement >= TARGET
        print(
            f"{row['file']:34} {'pta_' + row['tota_id']:>8} {r.truth_articles:>8} {r.found:>6} "
            f"{r.recall:>7.3f} {r.title_agreement:>7.3f} {r.text_agreement:>8.3f}"
        )

    print()
    print("Structure found in every ggo file and in RCEP")
    print(
        f"{'file':40} {'chapters':>8} {'articles':>8} {'annexes':>7} {'ann.art':>7} "
        f"{'clauses':>7} {'notes':>5} {'seconds':>7}"
    )
    sources = [(ggo / row["file"]) for row in manifest]
    pdf = corpora / "pdf" / "rcep-2020.pdf"
    if not args.no_pdf and pdf.is_file():
        sources.append(pdf)
    for path in sources:
        t0 = time.perf_counter()
        if path.suffix == ".pdf":
            parsed = parse_pdf(path, classify=_no_areas)
        else:
            parsed = parse_text(path, classify=_no_areas)
        secs = time.perf_counter() - t0
        ch, art, ann, ann_art = counts(parsed)
        print(
            f"{path.name:40} {ch:>8} {art:>8} {ann:>7} {ann_art:>7} {len(parsed.clauses):>7} "
            f"{len(parsed.footnotes):>5} {secs:>7.2f}"
        )
    print()
    print("target met" if ok else "TARGET MISSED (recall or text agreement below 0.9)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
