"""The text parser's entry points: a file or a string -> an agreement and its clauses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ...errors import ParseError
from ...model import Agreement, ParsedAgreement
from ..clauses import Article, article_clauses
from ..common import NO_META, Classifier, SourceMeta, file_agreement_id, resolve_classifier
from .candidates import Candidate, find_candidates
from .clean import clean_lines, normalize_newlines, strip_note_markers
from .decode import read_source
from .flat import flat_units, is_flat
from .metadata import find_parties, guess_language, guess_title
from .repair import repair_title
from .sequence import drop_toc, measure, select
from .units import Unit, cut_units, fallback_units, split_conclusion, unique_keys


def parse_text(
    path_or_text: Path | str, meta: SourceMeta = NO_META, *, classify: Classifier | None = None
) -> ParsedAgreement:
    """Read a treaty from a text file or from a text string.

    ``path_or_text`` is a ``Path``, a ``str`` naming an existing file, or the text itself.

    ``meta`` wins over what the text says; what neither gives is listed in
    ``warnings``.  ``classify`` maps (chapter title, article title, text,
    language) to a policy area (default
    :func:`rulecompare.taxonomy.classify_area`).  Raises ParseError for an
    empty, binary or oversized file, or a text with no words.
    """
    text, path = read_source(path_or_text)
    where: object = path if path is not None else (meta.source or "<text>")
    if not text.strip():
        raise ParseError(where, "file is empty" if path else "text is empty")
    if not re.search(r"[^\W\d_]{2,}", text):
        raise ParseError(where, "no text found (no words)")
    return parse_text_string(text, meta.for_file(path) if path is not None else meta, classify=classify)


def parse_text_string(
    text: str, meta: SourceMeta = NO_META, *, classify: Classifier | None = None
) -> ParsedAgreement:
    """The structure recovery on text already decoded (used by the HTML and PDF parsers).

    Without ``meta.agreement_id`` the id comes from ``meta.name``, else from ``meta.source``'s file name.
    """
    agreement_id = meta.agreement_id or file_agreement_id(
        meta.name or (Path(meta.source).stem if meta.source else "text")
    )
    warnings: list[str] = []
    lines, heads = _headings(text, warnings)
    units, front = _units(lines, heads, warnings)
    agreement = _agreement(agreement_id, meta, text, _party_scope(units, front, lines), lines, warnings)
    clauses = article_clauses(
        agreement_id, agreement.language, _articles(units, agreement.language), resolve_classifier(classify)
    )
    if not clauses:
        raise ParseError(meta.source or agreement_id, "no text found")
    return ParsedAgreement(agreement=agreement, clauses=tuple(clauses), warnings=tuple(warnings))


def _headings(text: str, warnings: list[str]) -> tuple[list[str], list[Candidate]]:
    """The text's lines and its accepted headings, from inline headings when it lost its line breaks."""
    normalized = normalize_newlines(text)
    flat = flat_units(normalized) if is_flat(normalized) else None
    if flat is not None:
        warnings.append("the text has almost no line breaks; its structure was read from inline headings")
        return flat
    lines = clean_lines(text)
    cands = find_candidates(lines)
    measure(cands, lines)
    return lines, select(drop_toc(cands))


def _units(lines: list[str], heads: list[Candidate], warnings: list[str]) -> tuple[list[Unit], list[str]]:
    """The units with unique keys, and the front matter; one unit per paragraph when no article was found."""
    if any(h.kind == "article" for h in heads):
        units, front = cut_units(lines, heads)
        units = split_conclusion(units)
    else:
        units, front = fallback_units(lines), lines[:40]
        warnings.append(
            "no article headings recognised; "
            f"the text is kept as one chapter of {len(units)} paragraph clauses"
        )
    unique_keys(units)
    return units, front


def _party_scope(units: list[Unit], front: list[str], lines: list[str]) -> str:
    """Where the parties are named: the preamble, else the front matter, else the first lines."""
    pre = next((u for u in units if u.key == "preamble"), None)
    scope = "\n".join(pre.lines if pre else front)[:6000]
    return scope if scope.strip() else "\n".join(lines[:60])


def _agreement(
    agreement_id: str, meta: SourceMeta, text: str, party_scope: str, lines: list[str], warnings: list[str]
) -> Agreement:
    """The agreement record: what ``meta`` gives, else what the text says, else a warning."""
    language = meta.language or guess_language(text)
    if language is None:
        warnings.append("language not recognised; assumed English")
        language = "en"
    title = meta.name or guess_title(lines)[0]
    if not title:
        warnings.append("no title found in the first lines; name the agreement with --name")
        title = agreement_id.split(":", 1)[-1]
    parties = tuple(p.strip().upper() for p in meta.parties if p.strip())
    if not parties:
        parties = find_parties(party_scope)
        if len(parties) < 2:
            warnings.append("parties not recognised in the preamble; give them with --parties")
        else:
            warnings.append(f"parties read from the preamble ({';'.join(parties)}); check them")
    if meta.signed is None:
        warnings.append("date of signature unknown; give it with --signed")
    agreement = Agreement(
        id=agreement_id,
        name=title,
        parties=parties,
        parties_original=parties,
        language=language,
        date_signed=meta.signed,
        source=meta.source or "",
    )
    return meta.add_families_and_aliases(agreement)


def _articles(units: list[Unit], language: str) -> Iterator[Article]:
    """The units with text, without the footnote numbers glued to their words."""
    for u in units:
        body = strip_note_markers("\n".join(u.lines)).strip()
        if body:
            yield Article(
                u.key, u.chapter_index, u.chapter_number, u.chapter_title, u.number, u.title, body, u.annex,
                section_number=u.section_number, section_title=u.section_title,
                chapter_number_repaired=u.chapter_number_repaired, number_repaired=u.number_repaired,
                chapter_title_repaired=repair_title(u.chapter_title, language),
                section_title_repaired=repair_title(u.section_title, language),
                title_repaired=repair_title(u.title, language),
            )  # fmt: skip
