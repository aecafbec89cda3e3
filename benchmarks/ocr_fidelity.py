"""How well does the text parser read treaties as people have them: PDF text, OCR-damaged text, real OCR?

Eight ToTA agreements (three of China's FTAs and one more Chinese, two US
FTAs, EU-Chile, Korea-Viet Nam) are laid out as pages from their XML
(:func:`rulecompare.parsers.synthetic.layout_tota`: running header, page
numbers, footnotes at the foot of their marker's page) and parsed back three
ways:

- clean: the pages' text as a PDF's text layer gives it;
- damaged: the same text damaged as OCR damages it, seeded (keyword case
  flips, look-alike digits, lost periods, run-together words, misread letters);
- OCR: the pages drawn as a 100-dpi scan (tilted, blurred, specked), saved as
  an image-only PDF and read by :func:`rulecompare.parsers.pdf.parse_pdf`
  through Tesseract (Chile-China by default, others with ``--ocr 7,384`` or
  ``--ocr all``; skipped when Tesseract is not installed).

Each parse is compared with ToTA's own structure: article recall and title
agreement (:mod:`rulecompare.parsers.fidelity`), and footnote precision and
recall against the footnotes ToTA kept in its text.  A last row does the same
for the footnotes of a real PDF text, ``ggo/tpp-2016.txt``, against ToTA's TPP
(main-text footnotes only: ToTA leaves out the annexes).

Targets: recall >= 0.97 and title agreement >= 0.9 on every damaged text;
footnote precision and recall >= 0.9 over the laid-out agreements.

Run: ``python benchmarks/ocr_fidelity.py [--shared ../shared] [--ocr none|all|ID,ID...]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rulecompare.model import ParsedAgreement
from rulecompare.parsers.fidelity import NoteScores, compare, footnote_scores
from rulecompare.parsers.ocr import ocr_missing
from rulecompare.parsers.pdf import parse_pdf
from rulecompare.parsers.synthetic import (
    TrueFootnote,
    damage,
    draw_pages,
    layout_tota,
    page_text,
    tota_footnotes,
)
from rulecompare.parsers.text import SourceMeta, parse_text, parse_text_string
from rulecompare.parsers.tota import parse_tota

AGREEMENTS = {
    384: "China-New Zealand",
    398: "China-Korea",
    7: "Chile-China",
    141: "Australia-China",
    156: "US-Peru",
    159: "Korea-US",
    29: "EU-Chile",
    401: "Korea-Viet Nam",
}
OCR_DEFAULT = 7
RECALL_TARGET = 0.97
TITLE_TARGET = 0.9
NOTE_TARGET = 0.9


def _no_areas(*_args: object) -> str:
    return "x"


@dataclass
class Run:
    recall: float
    titles: float
    notes: NoteScores
    seconds: float


def _measure(parsed: ParsedAgreement, truth: ParsedAgreement, notes: list[TrueFootnote], t0: float) -> Run:
    f = compare(parsed, truth)
    return Run(f.recall, f.title_agreement, footnote_scores(parsed, notes), time.perf_counter() - t0)


def _cells(run: Run | None) -> str:
    if run is None:
        return f"{'-':>6} {'-':>6} {'-':>5} {'-':>5}"
    n = run.notes
    p = f"{n.precision:5.2f}" if n.truth else f"{'-':>5}"
    r = f"{n.recall:5.2f}" if n.truth else f"{'-':>5}"
    return f"{run.recall:6.3f} {run.titles:6.3f} {p} {r}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    ap.add_argument(
        "--ocr",
        default=str(OCR_DEFAULT),
        help="ToTA ids to OCR, comma-separated, or none or all (default: Chile-China, 7; about 3 s a page)",
    )
    args = ap.parse_args(argv)
    xml = args.shared / "corpora" / "tota" / "xml"
    missing = ocr_missing()
    if missing is not None and args.ocr != "none":
        print(f"OCR skipped: {missing} not found")
    if args.ocr in ("none", "all"):
        ocr_ids = set() if args.ocr == "none" else set(AGREEMENTS)
    else:
        ocr_ids = {int(x) for x in args.ocr.split(",") if x.strip()}
    if missing is not None:
        ocr_ids = set()

    print("Parse fidelity against ToTA: recall, title agreement, footnote precision and recall")
    head = f"{'recall':>6} {'titles':>6} {'fn P':>5} {'fn R':>5}"
    width = len(head)
    print(f"{'':22} {'':4} {'':4} | {'clean':{width}} | {'damaged':{width}} | {'real OCR':{width}}")
    print(f"{'agreement':22} {'art.':>4} {'fn':>4} | {head} | {head} | {head} {'s':>5}")
    ok = True
    pooled = {"clean": [0, 0, 0], "damaged": [0, 0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        for tota_id, name in AGREEMENTS.items():
            path = xml / f"pta_{tota_id}.xml"
            truth = parse_tota(path, classify=_no_areas)
            pages, notes = layout_tota(path, seed=tota_id)
            meta = SourceMeta(agreement_id=f"file:{tota_id}", name=name)
            runs: dict[str, Run | None] = {}
            for label, version in (("clean", pages), ("damaged", damage(pages, seed=tota_id))):
                t0 = time.perf_counter()
                runs[label] = _measure(
                    parse_text_string(page_text(version), meta, classify=_no_areas), truth, notes, t0
                )
            runs["ocr"] = None
            if tota_id in ocr_ids:
                t0 = time.perf_counter()
                pdf = draw_pages(pages, Path(tmp) / f"scan-{tota_id}.pdf", seed=tota_id)
                parsed = parse_pdf(pdf, meta, classify=_no_areas, ocr_dpi=100)
                runs["ocr"] = _measure(parsed, truth, notes, t0)
            damaged = runs["damaged"]
            assert damaged is not None
            ok &= damaged.recall >= RECALL_TARGET and damaged.titles >= TITLE_TARGET
            for label in ("clean", "damaged"):
                run = runs[label]
                assert run is not None
                pooled[label][0] += run.notes.truth
                pooled[label][1] += run.notes.found
                pooled[label][2] += run.notes.matched
            ocr = runs["ocr"]
            secs = f" {ocr.seconds:5.0f}" if ocr is not None else ""
            print(
                f"{name:22} {truth_articles(truth):>4} {len(notes):>4} | {_cells(runs['clean'])} | "
                f"{_cells(runs['damaged'])} | {_cells(ocr)}{secs}"
            )
    print()
    for label, (truth_n, found_n, matched_n) in pooled.items():
        scores = NoteScores(truth_n, found_n, matched_n)
        ok &= scores.precision >= NOTE_TARGET and scores.recall >= NOTE_TARGET
        print(
            f"footnotes, {label:8} all agreements: precision {scores.precision:.3f} "
            f"recall {scores.recall:.3f} ({matched_n} of {truth_n} found, {found_n - matched_n} extra)"
        )
    tpp_text = args.shared / "corpora" / "ggo" / "tpp-2016.txt"
    if tpp_text.is_file():
        parsed = parse_text(tpp_text, classify=_no_areas)
        annex = {c.id for c in parsed.clauses if c.annex}
        main_text = [f for f in parsed.footnotes if f.clause_id not in annex]
        scores = footnote_scores(
            ParsedAgreement(parsed.agreement, parsed.clauses, footnotes=tuple(main_text)),
            tota_footnotes(xml / "pta_449.xml"),
        )
        print(
            f"footnotes, real PDF text ggo/tpp-2016.txt against ToTA pta_449 (main text): "
            f"precision {scores.precision:.3f} recall {scores.recall:.3f} "
            f"({scores.matched} of {scores.truth}; {len(parsed.footnotes)} found in all, annexes included)"
        )
    print()
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


def truth_articles(truth: ParsedAgreement) -> int:
    return compare(truth, truth).truth_articles


if __name__ == "__main__":
    sys.exit(main())
