"""How the TUI names things on screen: agreements (told apart when names repeat), articles, chapters,
areas, languages, and the pieces of export file names.  Pure functions of the records."""

from __future__ import annotations

import re

import pandas as pd

from ..taxonomy import AREAS


def short_name(name: str, width: int = 28) -> str:
    """A name clipped to ``width`` characters for labels."""
    return name if len(name) <= width else name[: width - 1] + "…"


LANGUAGES = {"en": "English", "es": "Spanish", "fr": "French", "pt": "Portuguese", "de": "German"}
"""Names of the languages the corpora hold (others are shown by their code)."""

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&-]{1,9})\)\s*$")


def language_name(code: object) -> str:
    """ "Spanish" for "es"; the code itself when unknown, "unknown language" when missing."""
    if not isinstance(code, str) or not code:
        return "unknown language"
    return LANGUAGES.get(code, code)


def brief(name: str, aliases: object = "", width: int = 24) -> str:
    """A short name for tight labels: "NAFTA", "TPP", "EU - Korea, Republic of" ...

    A name's trailing acronym wins ("... (NAFTA)"), then the name when it
    fits ``width``, then the first stored alias without a hyphen ("tpp" ->
    "TPP"), then the name clipped.
    """
    m = _ACRONYM.search(name)
    if m and len(name) > width:
        return m.group(1)
    if len(name) <= width:
        return name
    first = next((a.strip() for a in str(aliases or "").split(";") if a.strip()), "")
    # A stored alias is an acronym ("tpp", "akfta") or a pair of places ("us-peru"); a language
    # version's alias ends in its code ("tpp-es"), which the label adds itself where it matters.
    m = re.fullmatch(r"([a-z0-9]{2,10})(?:-[a-z]{2})?", first)
    if m:
        return m.group(1).upper()
    return short_name(name, width)


def agreement_labels(table: pd.DataFrame, *, short: bool = False) -> dict[str, str]:
    """Each agreement's label, told apart from any other agreement of the same name.

    ``table`` is :func:`all_agreements` (or any frame with id, name, aliases,
    language and date_signed).  Where a name repeats, the label adds what
    differs: the language ("Trans-Pacific Partnership (Spanish)"), else the
    year of signature, else the id.  ``short`` starts from :func:`brief`.
    """
    names = table["name"].fillna("").astype(str)
    aliases = table["aliases"] if "aliases" in table else pd.Series("", index=table.index)
    base = [brief(n, a) if short else n for n, a in zip(names, aliases, strict=True)]
    years = table["date_signed"].fillna("").astype(str).str[:4] if "date_signed" in table else None
    langs = table["language"].fillna("").astype(str) if "language" in table else None
    out: dict[str, str] = {}
    repeated = names.duplicated(keep=False).to_numpy()
    groups = names.groupby(names).groups
    for k, (aid, name, label) in enumerate(zip(table["id"], names, base, strict=True)):
        if not repeated[k]:
            out[str(aid)] = label
            continue
        members = groups[name]
        if langs is not None and langs[members].nunique() > 1:
            extra = language_name(langs.iloc[k]) if not short else str(langs.iloc[k])
        elif years is not None and years[members].nunique() > 1:
            extra = str(years.iloc[k])
        else:
            extra = str(aid)
        out[str(aid)] = f"{label} ({extra})"
    return out


def file_part(text: str) -> str:
    """``text`` as a piece of a file name: lower case, words joined by hyphens ("NAFTA Art. 1110" ->
    "nafta-art-1110")."""
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")[:60] or "x"


def article_short(number: object) -> str:
    """ "1110" from "ARTICLE 1110", "11.18" from "Article 11.18"; "" when there is no number."""
    if not isinstance(number, str) or not number.strip():
        return ""
    return number.split()[-1].rstrip(".:")


def article_label(number: object, title: object) -> str:
    """ "ARTICLE 405 Definitions" from an article's number and title (either may be missing)."""
    parts = [str(p).strip() for p in (number, title) if isinstance(p, str) and p.strip()]
    return " ".join(parts) or "(untitled)"


def area_label(key: str) -> str:
    """Readable name of a policy area key."""
    info = AREAS.get(key)
    return info.label if info else key


_CHAPTER_WORD = re.compile(r"^(?:chapter|cap[ií]tulo|chapitre)\s+(.+)$", re.I)


def chapter_short(number: object, title: object) -> str:
    """ "Ch 11 Investment" from ("CHAPTER ELEVEN", "Investment"); "Annex 3A Product-Specific Rules" ..."""
    from ..parsers.text.numbers import int_of, word_number

    num = str(number).strip() if isinstance(number, str) else ""
    m = _CHAPTER_WORD.match(num)
    if m:
        token = m.group(1).strip()
        value = int_of(token) or word_number(token)
        num = f"Ch {value if value is not None else token}"
    elif num.isupper():
        head, _, rest = num.partition(" ")
        num = f"{head.capitalize()} {rest}".strip()
    name = str(title).strip() if isinstance(title, str) else ""
    if name.isupper():
        name = name.capitalize()
    return " ".join(p for p in (num, name) if p) or "(untitled)"


__all__ = [
    "LANGUAGES", "agreement_labels", "area_label", "article_label", "article_short", "brief",
    "chapter_short", "file_part", "language_name", "short_name",
]  # fmt: skip
