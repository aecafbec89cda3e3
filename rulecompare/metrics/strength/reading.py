"""How the obligation-strength rules read a clause: its head, its sentences, its subject and its main modal.

The rules (:mod:`.rules`) look at the clause's main operative sentence; this
module cuts the clause into sentences (abbreviations and numbers such as
"art. 5" or "10.5" do not end one), strips paragraph labels, tells list items
apart, and finds the subject and the first commitment phrase that is not
inside a relative or conditional clause.
"""

from __future__ import annotations

import re

from .commitments import MODAL
from .exclusion import MAX_CHARS
from .lexicon import MODAL_WORD
from .phrases import Hit

__all__ = [
    "LABEL",
    "SENTENCE_CHARS",
    "VERBISH",
    "flatten",
    "is_list_item",
    "lowered",
    "main_modal",
    "split_sentences",
    "find_subject",
]

LABEL = re.compile(
    r"^\s*(?:(?:\(?(?:[0-9]{1,3}(?:\.[0-9]{1,3})*|[a-z]{1,2}|[ivxlc]{1,6})[.)]|[-–—•·▪])\s*)+", re.I
)

_ITEM_LABEL = re.compile(r"^\s*(?:\(?(?:[a-z]{1,2}|[ivxlc]{1,6})\)|[a-z]\.\s|[-–—•·▪]\s*)", re.I)

_COMPLEMENT_START = frozenset(
    "a an the it they any each its their there this these those he she such no neither either all"
    " both".split()
)

_PERIOD = re.compile(r"\.(?=\s+(?:[a-z(\"“‘]|\d+\.\s|\d{1,3}\s+[a-z]))")

_ABBREVIATIONS = frozenset(
    "art arts no nos e.g i.e u.s mr mrs ms dr para p pp vol sec ch inc co ltd etc cf op ibid viz approx"
    " st fig ref".split()
)

SENTENCE_CHARS = 800
"""Rules 2-6 read at most this much of a sentence: their cues sit at its start, and a
flattened tariff table can run for pages without a full stop."""

_SUBORDINATOR = re.compile(
    r"\b(?:which|that|who|whom|whose|if|where|when|whenever|unless|whether|until|while|provided|than"
    r"|because|although|as"
    r"|cuando|si|que|cual|cuales|donde)\b|[,;:(]"
)

VERBISH = re.compile(
    r"\b(?:is|are|has|have|was|were|consists?|comprises?|includes|est|sont|a|ont|es|son|será|serán)\b|"
    + MODAL_WORD
)

_NOUN_PHRASE = re.compile(
    r"(?:the|a|an|each|any|no|neither|every|such|this|these|all|both|either|el|la|los|las|le|les|cada)\s"
    r"(?!(?:case|event|purposes?|extent|context|absence|later|earlier|sooner|time|more|less)\b)"
)


def flatten(text: str) -> str:
    return " ".join(text[: 4 * MAX_CHARS].split())[:MAX_CHARS]


_NUMBERED_FRAGMENT = re.compile(r"^\s*(?:\(?\d{1,3}[.)]\s*)+[a-z]")
_FRAGMENT_END = re.compile(r"(?:;|[;,]\s*(?:and|or|y|o|et|ou))\s*$")


def is_list_item(text: str) -> bool:
    """True when the clause starts with a letter, roman or dash label: "(c) ...", "ii) ...", "- ...".

    A numbered entry is an item too when it reads as a fragment of a list: it
    opens in lower case and ends with ";" or "; and" ("3. insurance
    intermediation, such as brokerage and agency; and"), as the items of a
    definitions or scope list often are.
    """
    if _ITEM_LABEL.match(text):
        return True
    return bool(_NUMBERED_FRAGMENT.match(text)) and _FRAGMENT_END.search(text[-40:]) is not None


def split_sentences(low: str, limit: int = 3) -> list[str]:
    """The first ``limit`` sentences of a lower-cased clause head.

    "art.", "e.g." and single letters do not end a sentence.
    """
    out: list[str] = []
    start = 0
    for m in _PERIOD.finditer(low):
        word = low[max(start, m.start() - 5) : m.start()].rsplit(" ", 1)[-1].lstrip("(")
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        out.append(low[start : m.end()].strip()[:SENTENCE_CHARS])
        start = m.end()
        if len(out) == limit:
            return [s for s in out if s]
    out.append(low[start:].strip()[:SENTENCE_CHARS])
    return [s for s in out if s]


_CONSIDERS = re.compile(r"\bconsiders?\s+that\b")


def main_modal(sentence: str, item: bool = False) -> Hit | None:
    """The first commitment phrase that is not inside a relative or conditional clause.

    A modal counts as subordinate when the nearest boundary before it is a
    subordinator ("which", "if", "that" ...) rather than the start, a comma
    or an earlier modal: in "any measure that may affect trade shall be
    notified", "may" is subordinate and "shall" decides. When every modal is
    subordinate, the first one decides, except in a list item, which then
    has no commitment of its own.
    """
    first: Hit | None = None
    last_end = 0
    for hit in MODAL.finditer(sentence):
        if hit.name == "binding:incompatible" and _CONSIDERS.search(
            sentence, max(0, hit.start - 160), hit.start
        ):
            continue  # "If a Party considers that a practice is incompatible ...": a condition
        if first is None:
            first = hit
        boundary = None
        for b in _SUBORDINATOR.finditer(sentence, last_end, hit.start):
            boundary = b
        # a relative or conditional clause has a short subject: "that may", "if a Party should";
        # a long stretch after "which" holds the relative clause's own verb, and the modal is the main one.
        # "that Party shall" is a demonstrative, not a relative pronoun.
        between = sentence[boundary.end() : hit.start].split() if boundary is not None else []
        if (
            boundary is None
            or boundary.group(0) in ",;:("
            or (len(between) > 6 and not item)
            or (boundary.group(0) == "that" and between and between[0] not in _COMPLEMENT_START)
        ):
            return hit
        last_end = hit.end
    return None if item else first


_NOT_A_VERB = re.compile(r"a\)|a\s+la\s|a\s+l'|a\s+(?:compter|partir|cet|ce|cette)\b")
"""French "a" that is not "has": a list label "a)", or "à" written without its accent ("A la demande")."""


def find_subject(sentence: str, modal: Hit | None) -> str:
    """The words before the main verb.

    The first comma-separated chunk when it opens with a noun phrase ("The Committee on Trade
    in Services, Investment and Government Procurement shall"; "Each Party, including its
    procuring entities, shall"), else the last chunk of two words or more ("Where a Party
    considers that ..., the Joint Committee shall").
    """
    if modal is not None:
        span = sentence[: modal.start]
    else:
        # no modal verb (present tense, as French treaties write): the opening words name the actor
        verb = next(
            (v for v in VERBISH.finditer(sentence, 0, 160) if not _NOT_A_VERB.match(sentence, v.start())),
            None,
        )
        span = sentence[: verb.start() if verb else 160]
        if len(span.split()) < 2:
            span = re.split(r"[:;]", sentence[:100], maxsplit=1)[0]
        return span
    chunks = [c.strip() for c in re.split(r"[,;:]", span)]
    if len(chunks) > 1 and _NOUN_PHRASE.match(chunks[0]):
        return chunks[0]
    return next((c for c in reversed(chunks) if len(c.split()) >= 2), chunks[0])


def lowered(text: str | None) -> str:
    return " ".join(text.split()).lower() if text else ""
