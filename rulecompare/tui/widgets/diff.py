"""Rendering a word diff of two clauses as Rich text, and sizing it for a table row.

The Compare table sets each row's height itself: letting the DataTable
measure thousands of wrapped cells takes seconds, while counting the lines of
whitespace-normalized text (which wraps exactly like Rich's greedy word wrap)
takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

DELETED = "bold #ffffff on #8b1a1a"
"""Words of A that B does not have."""
INSERTED = "bold #000000 on #5fd75f"
"""Words of B that A does not have."""
UNMATCHED = "#ffb86c"
"""Clauses of one side with no counterpart on the other."""


def tidy(text: str) -> str:
    """One line per non-empty line of ``text``, runs of whitespace made single spaces."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def line_count(plain: str, width: int) -> int:
    """Lines that Rich's word wrap makes of tidied ``plain`` at ``width`` columns."""
    width = max(width, 1)
    lines = 0
    for para in plain.split("\n"):
        lines += 1
        col = 0
        for word in para.split(" "):
            n = len(word)
            if col and col + 1 + n > width:
                lines += 1
                col = n
            else:
                col = col + 1 + n if col else n
            while col > width:  # a word longer than the line is folded
                lines += 1
                col -= width
    return lines


def side(
    header: str, segments: Iterable[tuple[str, str]], *, changed_style: str, base_style: str = ""
) -> Text:
    """A header line, then the words of ``segments`` ((changed?, text) pairs) with changes styled.

    ``segments`` holds ("=", words) for text both sides share and ("+", words)
    for text only this side has.
    """
    text = Text(header + "\n", style="dim") if header else Text()
    first = True
    for op, words in segments:
        words = tidy(words)
        if not words:
            continue
        if not first:
            text.append(" ", style=base_style)
        text.append(words, style=changed_style if op == "+" else base_style)
        first = False
    return text
