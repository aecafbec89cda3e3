"""Plain text -> records: recover a treaty's structure from text as people get it.

Agreements that ToTA does not hold reach users as text copied from a PDF or a
web page.  That text has lost its markup but kept its headings ("CHAPTER 3",
"Article 1.1: Title", "Artículo 5.-"), and it has gained the debris of
extraction: page numbers, running headers, footnote markers glued to words,
words hyphenated across lines, a table of contents that looks like headings.

The parser works in passes, one module each:

1. :mod:`.decode`: bytes -> str (UTF-8 with or without BOM, else Mac Roman,
   cp1252 or Latin-1), binary data refused;
2. :mod:`.clean`: unify line endings, find where pages end, drop page
   numbers and running headers and footers, join hyphenated words;
3. :mod:`.footnotes`: take the footnotes a page break left in the text out
   of it, to be kept apart and attached to the clause that carries their marker;
4. :mod:`.candidates`: find candidate headings (chapters, sections, articles,
   annexes) with the patterns of :mod:`.headings`, and through OCR damage
   with :mod:`.misread` ("ARTIcLE 2 1"), rejecting cross-references
   ("Article 3 of the SCM Agreement", "Chapter 3 (Rules of Origin)");
5. :mod:`.sequence`: keep the candidates whose numbers run in sequence, the
   way the headings of a treaty do and its cross-references, table of
   contents and tariff schedules do not (and the reading of a damaged number
   that runs on);
6. :mod:`.units`: cut the lines at the accepted headings into articles,
   preamble, chapter lead-ins and annexes, with the section each article is in;
7. :mod:`.metadata`: read the title, parties and language the user did not give;
8. :mod:`.parse`: build the records; titles damaged by OCR are repaired
   beside what was found (:mod:`.repair`).

Text that lost its line breaks (one line of a megabyte, lower-cased) takes
:mod:`.flat` instead of passes 2 to 5.

Articles become paragraph clauses through :func:`rulecompare.segment.split_paragraphs`.
Clause ids are ``file:<slug>/<article key>/<seq>`` where the article key comes
from the article number ("art-1.1", "ch3-art-12" when a number repeats,
"annex-3a-art-1"), so re-parsing the same text gives the same ids.
"""

from __future__ import annotations

from ..common import Classifier, SourceMeta, slugify
from .decode import decode_text
from .metadata import find_parties, guess_language
from .parse import parse_text, parse_text_string

__all__ = [
    "Classifier",
    "SourceMeta",
    "decode_text",
    "find_parties",
    "guess_language",
    "parse_text",
    "parse_text_string",
    "slugify",
]
