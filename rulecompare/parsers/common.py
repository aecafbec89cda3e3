"""What every parser takes besides the file: the metadata a user gives and the area classifier.

A text, HTML or PDF file says little about itself reliably (its parties, its
date), so the people who import it say it: on the command line, in a manifest
row, or, for a file we know, in ingest.  :class:`SourceMeta` carries that
knowledge to the parsers in one record, so that every parser takes the same
metadata and a new field reaches all of them at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import Agreement

__all__ = ["NO_META", "Classifier", "SourceMeta", "file_agreement_id", "resolve_classifier", "slugify"]

Classifier = Callable[[str | None, str | None, str, str], str]
"""(chapter title, article title, text, language) -> policy area key."""


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """What is known about a source beyond its text; what is given here wins over what the text says.

    Built from command-line options, from a manifest row
    (:meth:`rulecompare.parsers.manifest.ManifestEntry.meta`) and by ingest
    for files it knows.  ToTA XML carries its own metadata: for it only
    ``families`` and ``aliases`` are used.
    """

    agreement_id: str | None = None
    """Stable id; default ``file:<slug of the file name>``."""
    name: str | None = None
    """Full name of the agreement; default: the title found in the text."""
    parties: tuple[str, ...] = ()
    """ISO3 codes (``EU`` for the European Union as a bloc); default: the countries the preamble names."""
    signed: dt.date | None = None
    """Date of signature."""
    language: str | None = None
    """ISO 639-1 code; default: guessed from the text."""
    source: str | None = None
    """Where the record came from, as stored; default: the file's path."""
    families: tuple[str, ...] = ()
    """Catalog families added to the agreement's own (the catalog adds its families at ingest)."""
    aliases: tuple[str, ...] = ()
    """Short names users type, added to the agreement's own."""

    def for_file(self, path: Path) -> SourceMeta:
        """This metadata with what a file gives when it is not said: the id from its name, its path."""
        return dataclasses.replace(
            self,
            agreement_id=self.agreement_id or file_agreement_id(path.stem),
            source=self.source or str(path),
        )

    def add_families_and_aliases(self, agreement: Agreement) -> Agreement:
        """``agreement`` with these families and aliases after its own (each once)."""
        if not self.families and not self.aliases:
            return agreement
        return dataclasses.replace(
            agreement,
            families=tuple(dict.fromkeys((*agreement.families, *self.families))),
            aliases=tuple(dict.fromkeys((*agreement.aliases, *self.aliases))),
        )


NO_META = SourceMeta()
"""Nothing known beyond the file itself (the default of every parser)."""


def slugify(s: str) -> str:
    """A lower-case ASCII slug: "China–Georgia FTA (2017)" -> "china-georgia-fta-2017"."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9.]+", "-", s.lower()).strip("-.")
    return s[:80] or "text"


def file_agreement_id(stem: str) -> str:
    """The id of an agreement read from a file (or a text) with no id given: ``file:<slug>``."""
    return f"file:{slugify(stem)}"


def resolve_classifier(classify: Classifier | None) -> Classifier:
    """``classify``, or :func:`rulecompare.taxonomy.classify_area` when None."""
    if classify is not None:
        return classify
    # Imported on first use: the taxonomy (and rapidfuzz) is a large import that a caller with its own
    # classifier does not need.
    from ..taxonomy import classify_area

    return classify_area
