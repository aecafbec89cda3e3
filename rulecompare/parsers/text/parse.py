"""The text parser's entry points: a file or a string -> an agreement and its clauses."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from pathlib import Path

from ...errors import ParseError
from ...model import Agreement, ParsedAgreement
from ..clauses import Article, Note, article_parts
from ..common import NO_META, Classifier, SourceMeta, file_agreement_id, resolve_classifier
from .candidates import Candidate, find_candidates
from .clean import clean_pages, normalize_newlines, strip_note_markers
from .decode import read_source
from .flat import flat_units, is_flat
from .footnotes import MARKER, FoundNote, take_footnotes
from .metadata import find_parties, guess_language, guess_title
from .misread import read_heading
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
    text: str, meta: SourceMeta = NO_META, *, classify: Classifier | None = None, ocr: bool = False
) -> ParsedAgreement:
    """The structure recovery on text already decoded (used by the HTML and PDF parsers).

    Without ``meta.agreement_id`` the id comes from ``meta.name``, else from ``meta.source``'s file name.
    ``ocr`` says the text was read by OCR: titles are then repaired more boldly (see
    :func:`.repair.repair_title`).  Headings are read through OCR damage either way.
    """
    agreement_id = meta.agreement_id or file_agreement_id(
        meta.name or (Path(meta.source).stem if meta.source else "text")
    )
    warnings: list[str] = []
    lines, heads, notes = _headings(text, warnings, ocr=ocr)
    units, front = _units(lines, heads, warnings)
    agreement = _agreement(agreement_id, meta, text, _party_scope(units, front, lines), lines, warnings)
    articles = _articles(units, agreement.language, notes, bold=ocr)
    clauses, footnotes = article_parts(
        agreement_id, agreement.language, articles, resolve_classifier(classify)
    )
    if not clauses:
        raise ParseError(meta.source or agreement_id, "no text found")
    return ParsedAgreement(
        agreement=agreement, clauses=tuple(clauses), warnings=tuple(warnings), footnotes=tuple(footnotes)
    )


def _headings(
    text: str, warnings: list[str], *, ocr: bool = False
) -> tuple[list[str], list[Candidate], list[FoundNote]]:
    """The text's lines, its accepted headings, and the footnotes taken out of its lines.

    Text that lost its line breaks is cut at its inline headings (and has no page feet to find footnotes at).
    In text known to come from OCR, a double quote before a heading is a speck: elsewhere it opens a
    quotation ("“ARTICLE 119 ..." in an amending instrument), which is not a heading of this agreement.
    """
    normalized = normalize_newlines(text)
    flat = flat_units(normalized) if is_flat(normalized) else None
    if flat is not None:
        warnings.append("the text has almost no line breaks; its structure was read from inline headings")
        return *flat, []
    lines, page_ends, raw = clean_pages(text)
    if ocr:
        _drop_quotes_before_headings(lines)
    notes = take_footnotes(lines, page_ends, raw)
    cands = find_candidates(lines)
    measure(cands, lines)
    return lines, select(drop_toc(cands)), notes


def _drop_quotes_before_headings(lines: list[str]) -> None:
    for i, ln in enumerate(lines):
        s = ln.lstrip()
        if s[:1] in '“”"' and read_heading(s[1:].lstrip()) is not None:
            lines[i] = s[1:].lstrip()


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


def _articles(
    units: list[Unit], language: str, notes: list[FoundNote], *, bold: bool = False
) -> Iterator[Article]:
    """The units with text, without the footnote numbers glued to their words, with their footnotes."""
    texts = [strip_note_markers("\n".join(u.lines)) for u in units]
    placed = _place_notes(units, [bool(t[0].strip()) for t in texts], notes)
    for k, u in enumerate(units):
        stripped, to_stripped = texts[k]
        body = stripped.strip()
        if not body:
            continue
        lead = len(stripped) - len(stripped.lstrip())
        yield Article(
            u.key, u.chapter_index, u.chapter_number, u.chapter_title, u.number, u.title, body, u.annex,
            section_number=u.section_number, section_title=u.section_title,
            chapter_number_repaired=u.chapter_number_repaired, number_repaired=u.number_repaired,
            chapter_title_repaired=repair_title(u.chapter_title, language, bold=bold),
            section_title_repaired=repair_title(u.section_title, language, bold=bold),
            title_repaired=repair_title(u.title, language, bold=bold),
            notes=tuple(
                Note(n.label, n.text, max(0, to_stripped(offset) - lead)) for n, offset in placed.get(k, [])
            ),
        )  # fmt: skip


def _place_notes(
    units: list[Unit], has_text: list[bool], notes: list[FoundNote]
) -> dict[int, list[tuple[FoundNote, int]]]:
    """Each footnote's unit and offset in the unit's text: at its marker, else where its text was.

    A unit left without text (its only lines were the footnote) passes its footnotes to the unit before.
    """
    where: dict[int, tuple[int, int]] = {}
    for k, u in enumerate(units):
        for p, line in enumerate(u.line_numbers):
            where[line] = (k, p)
    ordered = sorted(where)
    placed: dict[int, list[tuple[FoundNote, int]]] = {}
    for note in notes:
        at = _marker_offset(units, where, note) if note.marker_line is not None else None
        if at is None:
            # The unit line nearest before the footnote's own line.
            i = bisect.bisect_right(ordered, note.line) - 1
            if i < 0:
                continue
            k, p = where[ordered[i]]
            at = (k, sum(len(s) + 1 for s in units[k].lines[: p + 1]))
        k, offset = at
        while k > 0 and not has_text[k]:
            k -= 1
            offset = sum(len(s) + 1 for s in units[k].lines)
        placed.setdefault(k, []).append((note, offset))
    return placed


def _marker_offset(
    units: list[Unit], where: dict[int, tuple[int, int]], note: FoundNote
) -> tuple[int, int] | None:
    """(unit, offset in its text) of the footnote's marker, None when its line is in no unit."""
    assert note.marker_line is not None
    if note.marker_line not in where:
        return None
    k, p = where[note.marker_line]
    line = units[k].lines[p]
    col = next((m.start() for m in MARKER.finditer(line) if m.group(1) == note.label), len(line))
    return k, sum(len(s) + 1 for s in units[k].lines[:p]) + col
