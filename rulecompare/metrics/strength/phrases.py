"""Named phrase sets: one compiled alternation per rule, which says which phrase matched.

The obligation-strength rules (:mod:`.rules`) are lists of ``(name, pattern)``
pairs. A :class:`Phrases` compiles a list into one regular expression with a
group per phrase, so that a search costs one pass over the text and still
reports *which* phrase fired: the name is the cue that ``rulecompare strength
--explain`` prints. Patterns are written in lower case and run on lower-cased
text (Python's ``re`` is several times slower with IGNORECASE on long
alternations).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

__all__ = ["Hit", "Phrases"]


@dataclass(frozen=True, slots=True)
class Hit:
    """One phrase found in a text."""

    name: str
    """The phrase's name in its rule table (``"soft:endeavour"``)."""
    start: int
    """Offset of the match in the searched text."""
    end: int
    """Offset just past the match."""
    text: str
    """The matched text itself."""


class Phrases:
    """An ordered set of named patterns searched as one alternation.

    At one position the earlier pattern of the list wins (the order of the
    alternation); across positions the leftmost match wins. A match can only
    start where no word character precedes it (the start of a word, of a
    quotation, of the text).
    """

    __slots__ = ("_groups", "names", "regex")

    def __init__(self, phrases: Sequence[tuple[str, str]]) -> None:
        self.names = tuple(name for name, _ in phrases)
        # Every phrase starts at the start of a word (or of the text): testing that once per
        # position before the alternation makes a search several times faster.
        alternation = "|".join(f"(?P<p{i}>{p})" for i, (_, p) in enumerate(phrases))
        self.regex = re.compile(rf"(?<!\w)(?:{alternation})", re.UNICODE)
        self._groups = {f"p{i}": name for i, name in enumerate(self.names)}

    def _hit(self, m: re.Match[str]) -> Hit:
        return Hit(self._groups[m.lastgroup or ""], m.start(), m.end(), m.group(0))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Hit | None:
        """The first (leftmost) phrase in ``text[pos:endpos]``, or None."""
        m = self.regex.search(text, pos, len(text) if endpos is None else endpos)
        return self._hit(m) if m else None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Hit]:
        """Every non-overlapping phrase, left to right."""
        for m in self.regex.finditer(text, pos, len(text) if endpos is None else endpos):
            yield self._hit(m)

    def match(self, text: str, pos: int = 0) -> Hit | None:
        """The phrase that matches exactly at ``pos``, or None."""
        m = self.regex.match(text, pos)
        return self._hit(m) if m else None
