"""How faithfully a parse recovers a treaty's structure, measured against ToTA's hand-made markup.

Used by ``benchmarks/parse_fidelity.py`` and ``benchmarks/ocr_fidelity.py``
and by the tests that hold the parser to its targets:

- article recall: the share of ToTA's numbered main-text articles found with the same number
  (the number as read through OCR damage, when it was damaged);
- title agreement: the share of matched articles whose titles are the same, case,
  punctuation and spacing ignored (the repaired title, when one was repaired);
- text agreement: the share of matched articles whose texts have a character 5-gram Jaccard
  similarity of at least 0.8, footnotes set aside on both sides (ToTA keeps a footnote in the
  text where the page break left it, the parser beside the clause that carries its marker);
- footnote precision and recall: footnotes found against those ToTA kept, a pair matching
  when the numbers are the same and the texts nearly so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..model import ParsedAgreement
from .synthetic import TrueFootnote, text_numbers_paragraphs_with_periods, without_footnotes

JACCARD_MIN = 0.8
NOTE_JACCARD_MIN = 0.5


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", s.lower())).strip()


def char5_jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the sets of character 5-grams of the normalized texts (plain sets)."""
    na, nb = _norm(a), _norm(b)
    sa = {na[i : i + 5] for i in range(max(len(na) - 4, 1))}
    sb = {nb[i : i + 5] for i in range(max(len(nb) - 4, 1))}
    union = sa | sb
    return len(sa & sb) / len(union) if union else 1.0


def _title(t: str | None) -> str:
    # ToTA keeps some footnote markers glued to titles ("National Treatment14").
    return _norm(re.sub(r"(?<=[A-Za-z)])\d{1,3}$", "", (t or "").strip()))


def number_key(number: str | None) -> str | None:
    """The part of an article number that identifies it: "ARTICLE 2.1" -> "2.1"."""
    if not number:
        return None
    return number.split()[-1].upper().rstrip(".:")


def articles(parsed: ParsedAgreement) -> dict[str, tuple[str | None, str]]:
    """Main-text articles by number: (title, text); the first article with a number wins."""
    out: dict[str, tuple[str | None, list[str]]] = {}
    current: str | None = None
    seen: set[int] = set()
    for c in parsed.clauses:
        if c.annex:
            continue
        key = number_key(c.article_number_repaired or c.article_number)
        if c.article_index not in seen:
            seen.add(c.article_index)
            current = key if key and key not in out else None
            if current:
                out[current] = (c.article_title_repaired or c.article_title, [])
        if current and c.article_index == max(seen):
            out[current][1].append(c.text)
    return {k: (t, "\n".join(parts)) for k, (t, parts) in out.items()}


@dataclass(frozen=True, slots=True)
class Fidelity:
    """Structure recovered by one parse, against the truth."""

    truth_articles: int
    found: int
    recall: float
    title_agreement: float
    text_agreement: float


def compare(parsed: ParsedAgreement, truth: ParsedAgreement) -> Fidelity:
    """Recall, title agreement and text agreement of ``parsed`` against ``truth`` (a ToTA parse)."""
    mine = articles(parsed)
    gold = articles(truth)
    if text_numbers_paragraphs_with_periods("\n".join(text for _, text in gold.values())):
        gold = {k: (title, without_footnotes(text)) for k, (title, text) in gold.items()}
    matched = [k for k in gold if k in mine]
    titles = sum(_title(mine[k][0]) == _title(gold[k][0]) for k in matched)
    texts = sum(char5_jaccard(mine[k][1], gold[k][1]) >= JACCARD_MIN for k in matched)
    n = len(matched)
    return Fidelity(
        truth_articles=len(gold),
        found=n,
        recall=n / len(gold) if gold else 0.0,
        title_agreement=titles / n if n else 0.0,
        text_agreement=texts / n if n else 0.0,
    )


@dataclass(frozen=True, slots=True)
class NoteScores:
    """Footnotes found against the footnotes ToTA kept."""

    truth: int
    found: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0


def footnote_scores(parsed: ParsedAgreement, truth: list[TrueFootnote]) -> NoteScores:
    """Each true footnote matched at most once to the found one with its number and the most similar text."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for k, f in enumerate(parsed.footnotes):
        by_label[f.label].append(k)
    used: set[int] = set()
    matched = 0
    for t in truth:
        scored = [
            (char5_jaccard(parsed.footnotes[k].text[:300], t.text[:300]), k)
            for k in by_label.get(t.label, [])
            if k not in used
        ]
        best = max(scored, default=(0.0, -1))
        if best[0] >= NOTE_JACCARD_MIN:
            used.add(best[1])
            matched += 1
    return NoteScores(truth=len(truth), found=len(parsed.footnotes), matched=matched)
