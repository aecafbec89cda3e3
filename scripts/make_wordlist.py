"""Write the word list that OCR title repair checks its repairs against (rulecompare/data/words.txt).

The words are those of ToTA's English agreements (their text and their
chapter and article titles): the vocabulary of treaties, which a general
dictionary covers badly ("phytosanitary", "subheading", "Marrakesh") and
pads with words treaties never use.  A word is kept when it occurs at least
``--min-count`` times in at least ``--min-docs`` agreements, which leaves out
most of ToTA's own OCR damage; two kinds of damage are frequent enough to
pass and are left out by rule:

- words run together: "ofthe" is kept only if it is not far rarer than the
  pair "of the" (``into`` and ``cannot`` are more common than "in to" and
  "can not"; "ofthe" is 300 times rarer than "of the");
- misread letters: a word one OCR confusion away from a word 200 times more
  frequent ("shail" beside "shall") is left out.

Run it against the pinned ToTA corpus and commit the result:

    python scripts/make_wordlist.py [XML_DIR] [-o rulecompare/data/words.txt]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from lxml import etree

from rulecompare.parsers.text.repair import CONFUSIONS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "corpora" / "tota" / "xml"
DEFAULT_OUTPUT = ROOT / "rulecompare" / "data" / "words.txt"
WORD = re.compile(r"[A-Za-z]+")
JOINED_RATIO = 0.02
"""A joined form rarer than this share of its two-word form is damage."""
CONFUSED_RATIO = 200


def count_words(xml_dir: Path) -> tuple[Counter[str], Counter[str], Counter[tuple[str, str]]]:
    """(occurrences, agreements, two-word sequences) of each lower-cased word of the English agreements."""
    freq: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for path in sorted(xml_dir.glob("pta_*.xml")):
        root = etree.parse(str(path)).getroot()
        if (root.findtext("meta/language") or "").strip().lower() != "en":
            continue
        body = root.find("body")
        if body is None:
            continue
        parts = [" ".join(body.itertext())]
        parts += [el.get("name") or "" for el in body.iter("chapter", "article")]
        words = [w.lower() for part in parts for w in WORD.findall(part)]
        counts = Counter(words)
        freq.update(counts)
        docs.update(counts.keys())
        pairs.update(zip(words, words[1:], strict=False))
    return freq, docs, pairs


def _joined(word: str, freq: Counter[str], pairs: Counter[tuple[str, str]]) -> bool:
    """Is ``word`` two frequent words run together, far rarer than the two written apart?"""
    n = freq[word]
    return any(pairs[(word[:i], word[i:])] * JOINED_RATIO > n for i in range(1, len(word)))


def _misread(word: str, freq: Counter[str]) -> bool:
    """Is ``word`` one OCR confusion away from a word far more frequent?"""
    n = freq[word]
    for wrong, right in CONFUSIONS:
        start = word.find(wrong)
        while start >= 0:
            other = word[:start] + right + word[start + len(wrong) :]
            if freq[other] >= CONFUSED_RATIO * n:
                return True
            start = word.find(wrong, start + 1)
    return False


def word_list(xml_dir: Path, min_count: int, min_docs: int) -> list[tuple[str, int]]:
    """The kept words with their counts, most frequent first."""
    freq, docs, pairs = count_words(xml_dir)
    kept = [
        (w, n)
        for w, n in freq.items()
        if n >= min_count and docs[w] >= min_docs and not _joined(w, freq, pairs) and not _misread(w, freq)
    ]
    return sorted(kept, key=lambda wn: (-wn[1], wn[0]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("xml_dir", nargs="?", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--min-count", type=int, default=10)
    ap.add_argument("--min-docs", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.xml_dir.is_dir():
        print(f"make_wordlist: no ToTA XML folder at {args.xml_dir}", file=sys.stderr)
        return 2
    words = word_list(args.xml_dir, args.min_count, args.min_docs)
    header = (
        "# Words of ToTA's English agreements with their counts (scripts/make_wordlist.py);\n"
        f"# kept: at least {args.min_count} occurrences in at least {args.min_docs} agreements, "
        "without run-together and misread forms.\n"
    )
    args.output.write_text(header + "".join(f"{w} {n}\n" for w, n in words), encoding="utf-8")
    print(f"{args.output}: {len(words)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
