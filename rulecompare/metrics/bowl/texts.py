"""The texts that stand for each agreement, language by language, and their area shingle sets.

An agreement counted by the coverage lists (a regime: one WTO notification,
its accessions and protocols) may have several stored texts (China -
Pakistan's goods and services agreements), a text that makes another one
its own by reference (CPTPP and the TPP text), or texts in several
languages. :class:`RegimeTexts` says which stored texts stand for a regime
in a language; every comparison of the spaghetti bowl and of compatibility
asks it, and nothing else, which text to read.

Two texts are compared in a language both are written in (character
shingles of an English and a Spanish text measure nothing). A regime with no
English text is also read in English through the translation of its texts
(:func:`with_translations`; ``translated``), after its own languages, so
that it is compared in Spanish with a Spanish regime and in English, across
languages, with an English one; those scores are put on the monolingual
scale (:mod:`rulecompare.overlap.calibration`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ...catalog.roles import Roles
from ...catalog.stored import StoredTexts
from ...features import UnitSets
from ...overlap import unit_sets
from ...overlap.crosslingual import CrossLingual, view_unit_sets
from ...store import Store
from ...translate import ROUTES, TranslatorMissing, require_translator_for

__all__ = [
    "PREFERRED_LANGUAGE",
    "RegimeTexts",
    "TextSource",
    "regime_area_sets",
    "regime_texts",
    "with_translations",
]

PREFERRED_LANGUAGE = "en"
"""When two regimes share several languages they are compared in this one."""

TextSource = Callable[[str, str], tuple[str, ...]]
"""``(regime key, language) -> ids of stored texts`` to read for the regime in that language."""


@dataclass(frozen=True)
class RegimeTexts:
    """Which stored texts stand for each regime, by language, and the flags they carry."""

    by_key: dict[str, dict[str, tuple[str, ...]]]
    """Regime key -> language -> stored text ids (its own texts and the ones it incorporates)."""
    flags: dict[str, tuple[str, ...]]
    """Regime key -> flagged texts in it, as ``"tota:53 truncated"``."""
    extra: TextSource | None = None
    """More texts per regime and language; ``None`` for the stored texts only."""
    translated: frozenset[str] = frozenset()
    """Regimes without English text that are also read in English, through the translation of their texts."""
    xl: CrossLingual | None = None
    """The translator and calibration those are read with."""

    def reads_translation(self, key: str, language: str) -> bool:
        """True when ``key`` is read in ``language`` through a translation."""
        return language == PREFERRED_LANGUAGE and key in self.translated

    def ids(self, key: str, language: str) -> tuple[str, ...]:
        """The stored texts to read for ``key`` in ``language`` (empty when it has none)."""
        own = self.by_key.get(key, {}).get(language, ())
        more = self.extra(key, language) if self.extra is not None else ()
        if self.reads_translation(key, language):
            more = (*more, *(i for ids in self.by_key.get(key, {}).values() for i in ids))
        return tuple(dict.fromkeys((*own, *more)))

    def languages_of(self, key: str) -> tuple[str, ...]:
        """Languages ``key`` has text in, the preferred one first (English through a translation last)."""
        langs = sorted(self.by_key.get(key, {}), key=lambda lang: (lang != PREFERRED_LANGUAGE, lang))
        if key in self.translated and PREFERRED_LANGUAGE not in langs:
            langs.append(PREFERRED_LANGUAGE)
        return tuple(langs)

    def common_language(self, a: str, b: str) -> str | None:
        """The language to compare ``a`` and ``b`` in (the preferred one when both have it), or None."""
        other = set(self.languages_of(b))
        return next((lang for lang in self.languages_of(a) if lang in other), None)

    def languages(self) -> tuple[str, ...]:
        """Every language some regime has text in, the preferred one first."""
        found = {lang for texts in self.by_key.values() for lang in texts}
        found |= {PREFERRED_LANGUAGE} if self.translated else set()
        return tuple(sorted(found, key=lambda lang: (lang != PREFERRED_LANGUAGE, lang)))

    def flagged(self, keys: Iterable[str]) -> list[str]:
        """The flags of the texts of ``keys``, sorted and unique."""
        return sorted({f for k in keys for f in self.flags.get(k, ())})


def regime_texts(
    stored: StoredTexts,
    roles: Roles,
    *,
    languages: Sequence[str] | None = None,
    extra: TextSource | None = None,
) -> RegimeTexts:
    """The texts of every regime of ``stored`` (whatever its standing), duplicates left out.

    ``languages`` keeps only texts in these languages (``["en"]`` for
    ``--english-only``). A regime that incorporates another agreement's text
    (``incorporates`` in ``agreements/roles.csv``) reads that text too.
    """
    table = stored.table
    keep = ~table["why"].str.startswith("duplicate of")
    if languages is not None:
        keep &= table["language"].isin(list(languages))
    rows = table[keep]
    key_of = dict(zip(table["id"], table["key"], strict=True))
    lang_of = dict(zip(rows["id"], rows["language"], strict=True))
    by_key: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    flags: dict[str, list[str]] = defaultdict(list)
    text_flag = dict(zip(table["id"], table["text"], strict=True))
    for agreement_id, key in zip(rows["id"], rows["key"], strict=True):
        by_key[key][lang_of[agreement_id]].append(agreement_id)
        if text_flag.get(agreement_id):
            flags[key].append(f"{agreement_id} {text_flag[agreement_id]}")
    for agreement_id, key in zip(rows["id"], rows["key"], strict=True):
        role = roles.get(agreement_id)
        for other in role.incorporates if role is not None else ():
            # the incorporated agreement's own texts (any of them), in their language
            other_key = key_of.get(other, other)
            for lang, ids in list(by_key.get(other_key, {}).items()):
                by_key[key][lang].extend(i for i in ids if i not in by_key[key][lang])
    frozen = {k: {lang: tuple(ids) for lang, ids in v.items()} for k, v in by_key.items()}
    return RegimeTexts(frozen, {k: tuple(v) for k, v in flags.items()}, extra)


def with_translations(texts: RegimeTexts) -> tuple[RegimeTexts, str]:
    """``texts`` with every regime that has no English text also read in English through a translation.

    Returns the texts unchanged and the reason when the translator (or a
    language pair, or the calibration) is missing.
    """
    foreign = {
        k: set(v)
        for k, v in texts.by_key.items()
        if v and PREFERRED_LANGUAGE not in v and k not in texts.translated
    }
    routed = {
        k for k, langs in foreign.items() if all((lang, PREFERRED_LANGUAGE) in ROUTES for lang in langs)
    }
    if not routed:
        return texts, ""
    try:
        translator = require_translator_for(sorted({lang for k in routed for lang in foreign[k]}))
    except TranslatorMissing as exc:
        return texts, f"{len(routed)} agreements without English text left out of cross-language pairs: {exc}"
    xl = CrossLingual(translator)
    if not xl.calibration.has("area", "jaccard"):
        return texts, "no cross-lingual calibration at the area level (docs/METHODS.md 5)"
    return replace(texts, translated=frozenset(routed), xl=xl), ""


def _union_rows(sets: UnitSets, groups: Sequence[np.ndarray]) -> UnitSets:
    """One row per group: the union of the rows of ``sets`` in the group."""
    parts = []
    for rows in groups:
        chunks = [sets.row(int(r)) for r in rows]
        parts.append(np.unique(np.concatenate(chunks)) if chunks else np.zeros(0, np.uint64))
    sizes = np.array([p.size for p in parts], dtype=np.int64)
    indptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    keys = np.concatenate(parts).astype(np.uint64) if parts else np.zeros(0, np.uint64)
    return UnitSets(indptr, keys)


def regime_area_sets(
    store: Store, texts: RegimeTexts, area: str, language: str, keys: Sequence[str]
) -> tuple[list[str], UnitSets]:
    """The regimes among ``keys`` with text in ``area`` and ``language``, and their shingle sets.

    A regime's set is the union of its texts' sets in the area (cached per
    stored text, under the keys ``matrix(level="area", area=...)`` uses).
    """
    wanted = {k: texts.ids(k, language) for k in keys}
    ids = sorted({i for v in wanted.values() for i in v})
    if not ids:
        return [], UnitSets(np.zeros(1, np.int64), np.zeros(0, np.uint64))
    clauses = store.clauses(ids, area=area, columns=["agreement_id", "area", "text"])
    if clauses.empty:
        return [], UnitSets(np.zeros(1, np.int64), np.zeros(0, np.uint64))
    if texts.xl is not None and any(texts.reads_translation(k, language) for k in keys):
        meta = store.agreements(ids)
        langs = dict(zip(meta["id"].astype(str), meta["language"].astype(str), strict=True))
        units, sets = view_unit_sets(store, clauses, "area", area=area, xl=texts.xl, languages=langs)
    else:
        units, sets = unit_sets(store, clauses, "area", area=area)
    row_of = {str(a): k for k, a in enumerate(units["agreement_id"])}
    found = [(k, np.array([row_of[i] for i in v if i in row_of], dtype=np.int64)) for k, v in wanted.items()]
    found = [(k, rows) for k, rows in found if rows.size]
    union = _union_rows(sets, [rows for _, rows in found])
    nonempty = np.flatnonzero(union.sizes > 0)
    kept = [found[int(r)][0] for r in nonempty]
    return kept, _take(union, nonempty)


def _take(sets: UnitSets, rows: np.ndarray) -> UnitSets:
    sizes = sets.sizes[rows]
    indptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    idx = np.arange(indptr[-1], dtype=np.int64) + np.repeat(sets.indptr[rows] - indptr[:-1], sizes)
    return UnitSets(indptr, sets.keys[idx])
