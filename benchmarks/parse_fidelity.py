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
  5-gram Jaccard similarity of at least 0.8.

Target: recall and text agreement of at least 0.9 on every such file.  The
chapter and article counts of every ggo file and of the RCEP PDF are printed
as well ("ann.art": articles numbered inside annexes and protocols, such as the
replacement articles an amending instrument carries).

Run: ``python benchmarks/parse_fidelity.py [--shared ../shared] [--no-pdf]``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

from rulecompare.model import ParsedAgreement
from rulecompare.parsers.pdf import parse_pdf
from rulecompare.parsers.text import parse_text
from rulecompare.parsers.tota import parse_tota

JACCARD_MIN = 0.8
TARGET = 0.9


def _no_areas(*_args: object) -> str:
    return "x"


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", s.lower())).strip()


def char5_jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the sets of character 5-grams of the normalized texts."""
    na, nb = _norm(a), _norm(b)
    sa = {na[i : i + 5] for i in range(max(len(na) - 4, 1))}
    sb = {nb[i : i + 5] for i in range(max(len(nb) - 4, 1))}
    union = sa | sb
    return len(sa & sb) / len(union) if union else 1.0


def _title(t: str | None) -> str:
    # ToTA keeps some footnote markers glued to titles ("National Treatment14").
    return _norm(re.sub(r"(?<=[A-Za-z)])\d{1,3}$", "", (t or "").strip()))


def _number_key(number: str | None) -> str | None:
    if not number:
        return None
    token = number.split()[-1].upper()
    return token.rstrip(".:")


def articles(parsed: ParsedAgreement) -> dict[str, tuple[str | None, str]]:
    """Main-text articles by number: (title, text); the first article with a number wins."""
    out: dict[str, tuple[str | None, list[str]]] = {}
    current: str | None = None
    seen: set[int] = set()
    for c in parsed.clauses:
        if c.annex:
            continue
        key = _number_key(c.article_number)
        if c.article_index not in seen:
            seen.add(c.article_index)
            current = key if key and key not in out else None
            if current:
                out[current] = (c.article_title, [])
        if current and c.article_index == max(seen):
            out[current][1].append(c.text)
    return {k: (t, "\n".join(parts)) for k, (t, parts) in out.items()}


def compare(text_parsed: ParsedAgreement, truth: ParsedAgreement) -> dict[str, float | int]:
    """Recall, title agreement and text agreement of a text parse against ToTA."""
    mine = articles(text_parsed)
    gold = articles(truth)
    matched = [k for k in gold if k in mine]
    titles = sum(_title(mine[k][0]) == _title(gold[k][0]) for k in matched)
    texts = sum(char5_jaccard(mine[k][1], gold[k][1]) >= JACCARD_MIN for k in matched)
    n = len(matched)
    return {
        "tota_articles": len(gold),
        "found": n,
        "recall": n / len(gold) if gold else 0.0,
        "title_agreement": titles / n if n else 0.0,
        "text_agreement": texts / n if n else 0.0,
    }


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
        ok &= r["recall"] >= TARGET and r["text_agreement"] >= TARGET
        print(
            f"{row['file']:34} {'pta_' + row['tota_id']:>8} {r['tota_articles']:>8} {r['found']:>6} "
            f"{r['recall']:>7.3f} {r['title_agreement']:>7.3f} {r['text_agreement']:>8.3f}"
        )

    print()
    print("Structure found in every ggo file and in RCEP")
    print(
        f"{'file':40} {'chapters':>8} {'articles':>8} {'annexes':>7} {'ann.art':>7} "
        f"{'clauses':>7} {'seconds':>7}"
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
        print(f"{path.name:40} {ch:>8} {art:>8} {ann:>7} {ann_art:>7} {len(parsed.clauses):>7} {secs:>7.2f}")
    print()
    print("target met" if ok else "TARGET MISSED (recall or text agreement below 0.9)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
