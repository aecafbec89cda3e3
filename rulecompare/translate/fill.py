"""Translating stored agreements once and keeping the result in the store.

:func:`translate_agreements` finds the agreements that are not in the target
language, translates the clauses (and article titles) of each one that the
store does not already hold a current translation of, and writes each
agreement's translations in one transaction, so an interrupted run keeps
what it finished.  :func:`translations_for` is what the overlap engine asks:
the translation of each clause of some agreements, translated on first use
when the store lacks it (and kept, when the store is writable).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ..store import Store, TranslationRow, source_digest
from .apertium import ROUTES, Apertium, TranslatorMissing, require_apertium

__all__ = [
    "TARGET",
    "Progress",
    "TranslateResult",
    "needs_translation",
    "translate_agreements",
    "require_translator_for",
    "translations_for",
]

TARGET = "en"
"""The language every cross-language comparison is made in."""

Progress = Callable[[str, int, int], None]
"""``(agreement id, characters done, characters in all) -> None``."""

TranslateStatus = Literal["translated", "current", "unsupported"]


@dataclass(frozen=True, slots=True)
class TranslateResult:
    """What :func:`translate_agreements` did for one agreement."""

    agreement_id: str
    language: str
    status: TranslateStatus
    clauses: int = 0
    chars: int = 0
    seconds: float = 0.0


def needs_translation(language: str, target: str = TARGET) -> bool:
    """True when texts in ``language`` are compared with ``target`` texts through a translation."""
    return bool(language) and language != target


def _languages(store: Store, ids: Sequence[str] | None) -> dict[str, str]:
    meta = store.agreements(list(ids) if ids is not None else None)
    return dict(zip(meta["id"].astype(str), meta["language"].astype(str), strict=True))


def _current(store: Store, translator: Apertium, by_lang: dict[str, list[str]], target: str) -> set[str]:
    """Agreements whose every clause has a translation by the installed version."""
    done: set[str] = set()
    for lang, ids in by_lang.items():
        counts = store.translated_counts(
            ids, translator=translator.name, version=translator.version(lang, target), target=target
        )
        clauses = store.clause_counts(ids)
        want = dict(zip(clauses["agreement_id"], clauses["n"], strict=True))
        done |= {a for a in ids if counts.get(a, 0) == int(want.get(a, 0))}
    return done


def translate_agreements(
    store: Store,
    agreement_ids: Sequence[str] | None = None,
    *,
    target: str = TARGET,
    force: bool = False,
    jobs: int = 2,
    progress: Progress | None = None,
    translator: Apertium | None = None,
) -> list[TranslateResult]:
    """Translate the clauses of agreements not written in ``target`` and keep them in the store.

    ``agreement_ids`` None means every agreement in the store.  Agreements
    in ``target`` are left out; one whose every clause already has a
    translation by the installed translator version is ``current`` (``force``
    translates it again); a language with no translation route is
    ``unsupported``.  Raises TranslatorMissing when Apertium or a needed
    language pair is not installed.
    """
    langs = {
        a: lang for a, lang in _languages(store, agreement_ids).items() if needs_translation(lang, target)
    }
    routed = {a: lang for a, lang in langs.items() if (lang, target) in ROUTES}
    results = [TranslateResult(a, lang, "unsupported") for a, lang in langs.items() if a not in routed]
    if not routed:
        return results
    translator = translator or require_translator_for(sorted(set(routed.values())), target)
    by_lang: dict[str, list[str]] = {}
    for a, lang in routed.items():
        by_lang.setdefault(lang, []).append(a)
    current = set() if force else _current(store, translator, by_lang, target)
    results += [TranslateResult(a, routed[a], "current") for a in sorted(current)]
    todo = [a for a in routed if a not in current]
    if not todo:
        return results
    clauses = store.clauses(todo, columns=["id", "agreement_id", "article_title", "text"])
    clauses["text"] = clauses["text"].fillna("").astype(str)
    total = int(clauses["text"].str.len().sum())
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(aid_now, min(done, total), total)

    groups = {str(a): g for a, g in clauses.groupby("agreement_id", sort=True)}
    for lang in sorted(by_lang):
        # Several agreements per run of the translator keep both cores busy; each agreement is
        # written on its own, so an interrupted run keeps every chunk it finished.
        for chunk in _chunks([a for a in sorted(groups) if routed[a] == lang], groups):
            aid_now = chunk[0]
            start = time.perf_counter()
            part = pd.concat([groups[a] for a in chunk])
            rows = _translate_one(translator, part, lang, target, jobs, tick)
            seconds = time.perf_counter() - start
            version = translator.version(lang, target)
            at = 0
            for a in chunk:
                n = len(groups[a])
                store.put_translations(
                    a,
                    rows[at : at + n],
                    translator=translator.name,
                    version=version,
                    source=lang,
                    target=target,
                )
                chars = int(groups[a]["text"].str.len().sum())
                share = chars / max(1, int(part["text"].str.len().sum()))
                results.append(TranslateResult(a, lang, "translated", n, chars, seconds * share))
                at += n
    return results


CHUNK_CHARS = 1_000_000
"""Characters translated per run over several agreements (a few seconds) before they are written."""


def _chunks(ids: list[str], groups: dict[str, pd.DataFrame]) -> list[list[str]]:
    out: list[list[str]] = []
    size = 0
    for a in ids:
        n = int(groups[a]["text"].str.len().sum())
        if not out or size + n > CHUNK_CHARS:
            out.append([])
            size = 0
        out[-1].append(a)
        size += n
    return out


def _translate_one(
    translator: Apertium,
    clauses: pd.DataFrame,
    language: str,
    target: str,
    jobs: int,
    progress: Callable[[int], None],
) -> list[TranslationRow]:
    """The translation rows of one agreement's clauses (titles translated once each)."""
    texts = clauses["text"].fillna("").astype(str).tolist()
    titles_raw = clauses["article_title"].tolist()
    titles = [t if isinstance(t, str) else "" for t in titles_raw]
    unique_titles = list(dict.fromkeys(t for t in titles if t))
    out = translator.translate([*texts, *unique_titles], language, target, jobs=jobs, progress=progress)
    title_of = dict(zip(unique_titles, out[len(texts) :], strict=True))
    return [
        TranslationRow(cid, source_digest(text, title or None), tr, title_of.get(title) if title else None)
        for cid, text, title, tr in zip(clauses["id"], texts, titles, out[: len(texts)], strict=True)
    ]


def translations_for(
    store: Store,
    agreement_ids: Sequence[str],
    *,
    target: str = TARGET,
    progress: Progress | None = None,
    translator: Apertium | None = None,
) -> pd.DataFrame:
    """Each clause's translation into ``target`` for agreements in other languages, translating on first use.

    Columns: ``clause_id``, ``agreement_id``, ``text``, ``article_title``
    (agreements in ``target`` have no rows).  An agreement whose stored
    translation is incomplete or was made from another text is translated
    again; a read-only store translates in memory and keeps nothing.  Raises
    TranslatorMissing when a translation is needed and Apertium (or the
    language pair) is not installed.
    """
    langs = {
        a: lang for a, lang in _languages(store, agreement_ids).items() if needs_translation(lang, target)
    }
    cols = ["clause_id", "agreement_id", "text", "article_title"]
    if not langs:
        return pd.DataFrame(columns=cols)
    translator = translator or require_translator_for(sorted(set(langs.values())), target)
    originals = store.clauses(list(langs), columns=["id", "agreement_id", "article_title", "text"])
    want = dict(
        zip(
            originals["id"],
            [
                source_digest(str(t), a if isinstance(a, str) and a else None)
                for t, a in zip(originals["text"], originals["article_title"], strict=True)
            ],
            strict=True,
        )  # fmt: skip
    )
    n_clauses = originals.groupby("agreement_id").size()
    by_lang: dict[str, list[str]] = {}
    for a, lang in langs.items():
        by_lang.setdefault(lang, []).append(a)
    frames = []
    for lang, ids in sorted(by_lang.items()):
        version = translator.version(lang, target)

        def fresh(ids: list[str] = ids, version: str = version) -> pd.DataFrame:
            got = store.translations(ids, translator=translator.name, version=version, target=target)
            return got[got["clause_id"].map(want) == got["source_sha1"]]

        found = fresh()
        n_found = found.groupby("agreement_id").size()
        stale = [a for a in ids if int(n_found.get(a, 0)) != int(n_clauses.get(a, 0))]
        if stale and store.readonly:
            made = [
                _in_memory(store, translator, group, str(aid), lang, target, want)
                for aid, group in originals[originals["agreement_id"].isin(stale)].groupby("agreement_id")
            ]
            found = pd.concat([found[~found["agreement_id"].isin(stale)], *made], ignore_index=True)
        elif stale:
            translate_agreements(
                store, stale, target=target, force=True, progress=progress, translator=translator
            )
            found = fresh()
        frames.append(found[cols])
    return pd.concat(frames, ignore_index=True)


_MEMO: weakref.WeakKeyDictionary[Store, dict[tuple[str, str], tuple[str, pd.DataFrame]]] = (
    weakref.WeakKeyDictionary()
)
"""Translations made for a read-only store, kept while the store object lives: a store that cannot
keep them would otherwise translate the same agreement again for every question."""


def _in_memory(
    store: Store,
    translator: Apertium,
    group: pd.DataFrame,
    agreement_id: str,
    language: str,
    target: str,
    want: dict[str, str],
) -> pd.DataFrame:
    """The translation rows of one agreement of a read-only store, made once per store object."""
    memo = _MEMO.setdefault(store, {})
    key = (agreement_id, translator.version(language, target))
    digest = "\x00".join(want[c] for c in group["id"])
    hit = memo.get(key)
    if hit is not None and hit[0] == digest:
        return hit[1]
    rows = _translate_one(translator, group, language, target, 2, lambda n: None)
    frame = pd.DataFrame(
        {
            "clause_id": [r.clause_id for r in rows],
            "agreement_id": agreement_id,
            "text": [r.text for r in rows],
            "article_title": [r.article_title for r in rows],
        }
    )
    memo[key] = (digest, frame)
    return frame


def require_translator_for(languages: Sequence[str], target: str = TARGET) -> Apertium:
    """The installed translator for ``languages`` into ``target``; TranslatorMissing names what is missing."""
    pairs = sorted({(lang, target) for lang in languages if needs_translation(lang, target)})
    if any(p not in ROUTES for p in pairs):
        unknown = ", ".join(sorted(lang for lang, _ in pairs if (lang, target) not in ROUTES))
        raise TranslatorMissing(f"no translation route from {unknown} into {target}")
    return require_apertium(pairs)
