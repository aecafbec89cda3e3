"""Article text -> paragraph clauses.

An article is the unit treaties are written in, but an obligation usually
lives in one numbered paragraph of it.  We split where the text numbers its
paragraphs ("1.", "2)", "(3)").  Lettered items ("(a)", "b)") become clauses
of their own only where the article has no numbered paragraphs; inside a
numbered paragraph they stay with it, because they usually complete its
lead-in sentence ("... provided that: (a) ...; (b) ...") and read as nonsense
alone.

A candidate label counts only when labels run in sequence (1, 2, 3 ... or
a, b, c ...), which keeps cross-references such as "under paragraph 2." or a
date "1. January" from being taken for structure.  An article with fewer than
two labels in sequence is one clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A label opens a line, or follows the end of a sentence when the text was
# flattened onto one line ("... this Article. 2. The Parties ...").  The
# patterns consume that boundary so that the scan starts from a few
# characters rather than testing look-behinds at every position.
# Text flattened onto one line may have lost the space too: "... in this agreement.2. there shall be"
# (after a letter: "paragraph 7.3. the" is a reference).
_NUM = re.compile(
    r"(?:\n[ \t]*|[.;:][ \t]{1,8}|(?<=[^\W\d_]\.))(?:\((\d{1,3})\)|(\d{1,3})[.)])(?=[ \t\n]+\S)"
)
_LET = re.compile(r"(?:\n[ \t]*|[;:][ \t]{1,8})(?:\(([a-z]{1,2})\)|([a-z])\))(?=[ \t\n]+\S)")


def _label_start(m: re.Match[str]) -> int:
    """Where the label itself begins in the scanned text."""
    return m.start(1) - 1 if m.group(1) is not None else m.start(2)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One piece of an article: its label as found ("" for the lead-in or an unnumbered article) and text."""

    label: str
    text: str


def _sequence(matches: list[re.Match[str]], first: int, value) -> list[re.Match[str]]:  # type: ignore[no-untyped-def]
    """Keep the matches whose values run first, first+1, ... in document order."""
    kept: list[re.Match[str]] = []
    expected = first
    for m in matches:
        v = value(m)
        if v == expected:
            kept.append(m)
            expected += 1
    return kept


def _letter_value(m: re.Match[str]) -> int:
    s = m.group(1) or m.group(2)
    # "aa", "bb" ... continue the alphabet after "z" in many treaties.
    if len(s) == 2:
        return 27 + ord(s[0]) - ord("a") if s[0] == s[1] else -1
    return ord(s) - ord("a") + 1


def _cut(text: str, kept: list[re.Match[str]], labels: list[str]) -> list[Paragraph]:
    out: list[Paragraph] = []
    lead = text[: _label_start(kept[0])].strip()
    if lead:
        out.append(Paragraph("", lead))
    for i, m in enumerate(kept):
        end = _label_start(kept[i + 1]) if i + 1 < len(kept) else len(text)
        body = text[_label_start(m) : end].strip()
        out.append(Paragraph(labels[i], body))
    return out


def split_paragraphs(text: str) -> list[Paragraph]:
    """Split an article's text into paragraphs; each keeps its text exactly as found (stripped)."""
    stripped = text.strip()
    if not stripped:
        return []
    # A leading newline lets the patterns see the start of the text as a boundary.
    scan = "\n" + text
    nums = _sequence(list(_NUM.finditer(scan)), 1, lambda m: int(m.group(1) or m.group(2)))
    if len(nums) >= 2:
        return _cut(scan, nums, [m.group(1) or m.group(2) for m in nums])
    lets = _sequence(list(_LET.finditer(scan)), 1, _letter_value)
    if len(lets) >= 2:
        return _cut(scan, lets, [m.group(1) or m.group(2) for m in lets])
    return [Paragraph("", stripped)]
