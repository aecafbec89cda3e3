"""Treaty English for what a general-purpose translator gets wrong: unknown words and the legal register.

Apertium's Spanish-English dictionary is made for general text.  On the
Spanish agreements of the corpus it leaves about 3% of the words untranslated
(``contendiente``, ``arancelario``, ``OMC``: the vocabulary of trade law) and
writes the legal register as everyday English ("Each Part will have to
award national deal" for "Each Party shall accord national treatment").  A
character-shingle comparison with English treaty text loses exactly those
words, so the translation is finished here, on Apertium's output only:

1. Words Apertium marks as unknown (``*arancelarias``) are looked up in a
   glossary of treaty terms (``data/glossary-es-en.tsv``: Spanish, English,
   kind; ``data/glossary-fr-en.tsv`` for the French words the French-Spanish
   stage leaves), with Spanish plural and feminine forms found from the
   entry; a word not in it is kept as it is.  An adjective found after a
   noun goes before it ("goods originating" -> "originating goods").  Other
   marks (``#``, ``@``) are dropped.
2. :data:`REGISTER` rewrites the renderings of the register that Spanish
   treaty text always means in one way: ``Parte``/``Partes`` (capitalized)
   are the Party/Parties, the future tense and ``deberá`` are "shall",
   ``podrá`` is "may", ``trato`` is "treatment", ``mercancías`` are "goods".

The stored text of an agreement is never touched: this is a translation,
kept and shown as one.  The glossary's and the rules' digest is part of the
translator version (:func:`digest`), so editing them makes stored
translations stale.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["REGISTER", "Entry", "digest", "finish", "glossary", "lookup"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary line: the English for a Spanish word, and how its other forms are found."""

    english: str
    kind: str
    """``n`` noun, ``a`` adjective, ``x`` this exact form only."""
    plural: str
    """The English plural of a noun (``english`` + s unless the file gives one)."""


REGISTER: tuple[tuple[str, str], ...] = (
    (r"\bParts\b", "Parties"),
    (r"\bPart\b(?!\s+(?:[IVXLC]+|\d+)\b)", "Party"),  # "Part II" is a part of the text
    (r"\bwill not be able to\b", "may not"),
    (r"\bwill be able to\b", "may"),
    (r"\bwill have to\b", "shall"),
    (r"\bwill\b", "shall"),
    (r"\bWill\b", "Shall"),
    (r"\bcan\b", "may"),
    (r"\bcommodities\b", "goods"),
    (r"\bCommodities\b", "Goods"),
    (r"\bcommodity\b", "good"),
    (r"\bCommodity\b", "Good"),
    (r"\bdeal\b", "treatment"),
    (r"\bDeal\b", "Treatment"),
    (r"\bmain certainty\b", "greater certainty"),
    (r"\bhis\b", "its"),
    (r"\bHis\b", "Its"),
    (r"\bthe another\b", "the other"),
    (r"\bThe another\b", "The other"),
    (r"\baccording to\b", "in accordance with"),
    (r"\bAccording to\b", "In accordance with"),
    (r"\bentrance in force\b", "entry into force"),
    (r"\brelated with\b", "related to"),
)
"""(pattern, English) rewrites of Apertium's renderings of the Spanish legal register, in order."""

_COMPILED = tuple((re.compile(p), r) for p, r in REGISTER)
_MARKED = re.compile(r"([*#@])(\w+)")
_AFTER_NOUN = re.compile(r"\b([^\W\d_]+)(\s+)\*(\w+)")
_NOT_NOUNS = frozenset(
    "a all also an and any are as be become becomes been being by considered deemed each every for in "
    "is it its less may more most no not of on or remain remains shall so such than that the their them "
    "these they this those to very was were which with".split()
)
"""Words after which an unknown adjective stays where it is (it is not a noun's, or is predicative)."""


def _fold(word: str) -> str:
    """Lower case without accents: the key a Spanish word is looked up by."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


FILES = ("glossary-es-en.tsv", "glossary-fr-en.tsv")
"""The glossaries in ``rulecompare/data``, looked up in this order (French words reach the English
stage when Apertium's French-Spanish dictionary lacks them)."""


def _read() -> str:
    data = resources.files("rulecompare").joinpath("data")
    return "\n".join(data.joinpath(name).read_text(encoding="utf-8") for name in FILES)


@cache
def glossary() -> dict[str, Entry]:
    """The glossary: folded Spanish word -> :class:`Entry`."""
    table: dict[str, Entry] = {}
    for line in _read().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spanish, english, kind = line.split("\t")
        kind, _, plural = kind.partition("|")
        english_plural = plural or (english if kind != "n" else f"{english}s")
        table.setdefault(_fold(spanish), Entry(english, kind, english_plural))
    return table


def _forms(key: str) -> list[tuple[str, bool]]:
    """Candidate dictionary forms of a folded word, each with whether it was plural."""
    out = [(key, False)]
    if key.endswith("es"):
        out.append((key[:-2], True))
    if key.endswith("s"):
        out.append((key[:-1], True))
    for form, plural in list(out):
        if form.endswith("ora"):
            out.append((form[:-1], plural))  # revisora -> revisor
        if form.endswith("a"):
            out.append((form[:-1] + "o", plural))
    return out


def lookup(word: str) -> str | None:
    """The English for an unknown Spanish word, in its number and capitalization; None when not known."""
    table = glossary()
    for form, plural in _forms(_fold(word)):
        entry = table.get(form)
        if entry is None or (entry.kind == "x" and form != _fold(word)):
            continue
        english = entry.plural if plural and entry.kind == "n" else entry.english
        if word.isupper() and len(word) > 1 and not english.isupper():
            return english.upper()
        if word[:1].isupper() and english[:1].islower():
            return english[:1].upper() + english[1:]
        return english
    return None


def _adjective_first(match: re.Match[str]) -> str:
    """``goods *originarias`` -> ``originating goods``: Spanish puts the adjective after its noun."""
    before, space, word = match.group(1), match.group(2), match.group(3)
    english = lookup(word)
    if english is None:
        return f"{before}{space}{word}"
    entry = next((glossary()[f] for f, _ in _forms(_fold(word)) if f in glossary()), None)
    if entry is not None and entry.kind == "a" and before.casefold() not in _NOT_NOUNS:
        return f"{english}{space}{before}"
    return f"{before}{space}{english}"


def _unmark(match: re.Match[str]) -> str:
    mark, word = match.group(1), match.group(2)
    if mark == "*":
        return lookup(word) or word
    return word


def finish(text: str) -> str:
    """Apertium's marked output as treaty English: unknown words from the glossary, then the register."""
    text = _AFTER_NOUN.sub(_adjective_first, text)
    text = _MARKED.sub(_unmark, text)
    for pattern, english in _COMPILED:
        text = pattern.sub(english, text)
    return text


@cache
def digest() -> str:
    """A digest of the glossary and the rules (8 hex digits), part of the translator version."""
    h = hashlib.sha1(_read().encode("utf-8"))
    for pattern, english in REGISTER:
        h.update(f"\x00{pattern}\x01{english}".encode())
    return h.hexdigest()[:8]
