"""Comparing texts in different languages: through an English translation, on the monolingual scale.

Why this module exists: character shingles of a Spanish and an English text
measure nothing, so two texts in different languages are compared in
English: the English text as it is, the other through its machine
translation (:mod:`rulecompare.translate`, kept in the store).  The
translated shingle sets leave out translationese
(:mod:`rulecompare.translate.translationese`), and every score of such a
pair is put on the monolingual scale by :mod:`.calibration` and marked as
cross-lingual wherever it is shown.  Texts in one language are always
compared in that language, as before.

:func:`cross_lingual` says whether the path is on (``--monolingual`` turns
it off) and why not when Apertium is missing; :func:`view_unit_sets` is
:func:`~rulecompare.overlap.units.unit_sets` for the English view of any
agreements, cached like it under ``xl5|<agreement>|...`` keys whose digest
names the translator version, so re-ingesting an agreement or changing the
translator makes them stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..features import VERSION, UnitSets, WordRuns, shingle_unit_sets
from ..store import Store
from ..translate import (
    TARGET,
    Apertium,
    Progress,
    TranslatorMissing,
    find_apertium,
    needs_translation,
    require_translator_for,
    translationese,
    translations_for,
)
from .calibration import Calibration, load_calibration
from .units import Unit, unit_sets, units_of

__all__ = [
    "TARGET",
    "CrossLingual",
    "cross_lingual",
    "cross_pairs",
    "languages_of",
    "translated_texts",
    "view_unit_sets",
    "view_word_runs",
]

_UNIT_COLUMN: dict[str, str | None] = {
    "agreement": None,
    "chapter": "chapter_index",
    "area": "area",
    "article": "article_index",
    "clause": "ord",
}


@dataclass
class CrossLingual:
    """The cross-lingual path: the translator, the calibration, and what was compared through them."""

    translator: Apertium
    calibration: Calibration = field(default_factory=load_calibration)
    progress: Progress | None = None
    """Called while translations are made on first use: (agreement id, characters done, in all)."""

    def version(self, language: str) -> str:
        """What translated features of ``language`` texts are made with (translator and translationese)."""
        return f"{self.translator.version(language, TARGET)}|{translationese.digest()}"

    def calibrate(self, level: str, measure: str, raw: npt.ArrayLike) -> np.ndarray:
        """Raw scores of cross-lingual pairs on the monolingual scale (see :mod:`.calibration`)."""
        return self.calibration.apply(level, measure, raw)


def cross_lingual(
    store: Store,
    ids: Sequence[str],
    *,
    monolingual: bool = False,
    progress: Progress | None = None,
    required: bool = False,
) -> tuple[CrossLingual | None, str]:
    """The cross-lingual path for agreements ``ids``, or None with the reason it is not taken.

    None with an empty reason when ``monolingual`` is asked for or all of
    ``ids`` are in one language.  When texts in several languages are
    selected and Apertium (or a language pair) is missing, the reason says
    what to install, and ``required`` raises it instead.
    """
    if monolingual:
        return None, ""
    langs = set(languages_of(store, ids).values())
    if len(langs) < 2:
        return None, ""
    try:
        translator = require_translator_for(sorted(lang for lang in langs if needs_translation(lang)))
    except TranslatorMissing as exc:
        if required:
            raise
        return None, f"pairs of texts in different languages left out: {exc}"
    return CrossLingual(translator, progress=progress), ""


def languages_of(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """Agreement id -> its language."""
    meta = store.agreements(list(dict.fromkeys(ids)))
    return dict(zip(meta["id"].astype(str), meta["language"].astype(str), strict=True))


def cross_pairs(lang_a: npt.ArrayLike, lang_b: npt.ArrayLike) -> np.ndarray:
    """Boolean matrix: True where row and column are in different languages."""
    a = np.asarray(lang_a, dtype=object)
    b = np.asarray(lang_b, dtype=object)
    out: np.ndarray = a[:, None] != b[None, :]
    return out


def translated_texts(
    store: Store, clause_ids: Sequence[str], agreement_ids: Sequence[str], xl: CrossLingual
) -> list[str]:
    """The translations of the clauses ``clause_ids`` (of agreements ``agreement_ids``), in that order."""
    frame = translations_for(store, agreement_ids, progress=xl.progress, translator=xl.translator)
    by_id = dict(zip(frame["clause_id"], frame["text"], strict=True))
    return [str(by_id.get(c, "")) for c in clause_ids]


def _digest(xl_version: str, unit: str, area: str | None, fingerprint: str, keys: np.ndarray) -> str:
    h = hashlib.sha1(f"{VERSION}|{unit}|{area}|{xl_version}\x00{fingerprint}\x00{keys.size}\x00".encode())
    if keys.dtype.kind in "iu":
        h.update(keys.astype(np.int64).tobytes())
    else:
        h.update("\x01".join(map(str, keys.tolist())).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _translated_sets(
    store: Store,
    ids: Sequence[str],
    unit: Unit,
    area: str | None,
    languages: Mapping[str, str],
    xl: CrossLingual,
) -> dict[str, UnitSets]:
    """Per agreement (all in languages other than English), its units' translated sets, in unit order."""
    col = _UNIT_COLUMN[unit]
    cols = ["agreement_id", "id", "text", *([col] if col else [])]
    clauses = store.clauses(list(ids), area=area, columns=list(dict.fromkeys(cols)))
    fingerprints = store.source_fingerprints(list(ids))
    out: dict[str, UnitSets] = {}
    wanted: dict[str, tuple[str, str, pd.DataFrame]] = {}
    for aid, group in clauses.groupby("agreement_id", sort=False):
        keys = group[col].to_numpy() if col else np.zeros(len(group), dtype=np.int64)
        # Without a source, the original texts stand for it: a translation is a function of them.
        fp = (
            fingerprints.get(str(aid))
            or hashlib.sha1("\x01".join(group["text"]).encode("utf-8", "surrogatepass")).hexdigest()
        )
        version = xl.version(languages[str(aid)])
        key = f"xl5|{aid}|{unit}|{area or '*'}|{VERSION}"
        wanted[str(aid)] = (key, _digest(version, unit, area, fp, keys), group)
    cached = store.cache_get_many([(k, d) for k, d, _ in wanted.values()])
    missing = [aid for aid, (k, _, _) in wanted.items() if k not in cached]
    texts: dict[str, str] = {}
    if missing:
        frame = translations_for(store, missing, progress=xl.progress, translator=xl.translator)
        texts = dict(zip(frame["clause_id"], frame["text"], strict=True))
    fresh: list[tuple[str, str, bytes]] = []
    for aid, (key, digest, group) in wanted.items():
        n_units = len(units_of(group, unit))
        if key in cached:
            hit = UnitSets.from_bytes(cached[key])
            if len(hit) == n_units:
                out[aid] = hit
                continue
        if aid not in missing:
            frame = translations_for(store, [aid], progress=xl.progress, translator=xl.translator)
            texts.update(zip(frame["clause_id"], frame["text"], strict=True))
        labels, _ = pd.factorize(
            pd.Series(group[col].to_numpy() if col else np.zeros(len(group))), sort=False
        )
        raw = shingle_unit_sets([str(texts.get(c, "")) for c in group["id"]], labels, n_units)
        sets = translationese.without_translationese(raw)
        fresh.append((key, digest, sets.to_bytes()))
        out[aid] = sets
    store.cache_put_many(fresh)
    return out


def view_unit_sets(
    store: Store,
    clauses: pd.DataFrame,
    unit: Unit,
    *,
    area: str | None = None,
    xl: CrossLingual,
    languages: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, UnitSets]:
    """The English view of every unit of ``clauses``: :func:`~.units.unit_sets` for English texts,
    the translation's sets (translationese left out) for the others; same units, same order.

    ``clauses`` is what :func:`~.units.unit_sets` takes.  Translations are
    made on first use (and kept when the store is writable).
    """
    units = units_of(clauses, unit)
    ids = list(dict.fromkeys(clauses["agreement_id"].astype(str)))
    langs = dict(languages) if languages is not None else languages_of(store, ids)
    foreign = [a for a in ids if needs_translation(langs.get(a, TARGET))]
    if not foreign:
        return unit_sets(store, clauses, unit, area=area)
    english = clauses[~clauses["agreement_id"].isin(foreign)]
    parts: dict[str, UnitSets] = _translated_sets(store, foreign, unit, area, langs, xl)
    if not english.empty:
        eu, es = unit_sets(store, english.reset_index(drop=True), unit, area=area)
        rows = eu.groupby("agreement_id", sort=False).indices
        for aid, idx in rows.items():
            parts[str(aid)] = es.take(np.asarray(idx))
    ordered = [parts[a] for a in ids]
    sets = UnitSets.concat(ordered)
    if len(sets) != len(units):
        raise ValueError("the clauses given are not the store's (units of the translated view differ)")
    return units, sets


def view_word_runs(
    store: Store,
    clauses: pd.DataFrame,
    units: pd.DataFrame,
    level: Unit,
    *,
    xl: CrossLingual,
    languages: Mapping[str, str],
) -> list[WordRuns]:
    """Word runs of each unit (rows of ``units``) in the English view: translated texts for the others.

    ``clauses`` must hold ``id``, ``agreement_id``, ``text`` and the level's key column.
    """
    frame = clauses.copy()
    foreign = [a for a in frame["agreement_id"].unique() if needs_translation(languages.get(str(a), TARGET))]
    if foreign:
        mask = frame["agreement_id"].isin(foreign).to_numpy()
        frame.loc[mask, "text"] = translated_texts(store, frame.loc[mask, "id"].tolist(), foreign, xl)
    key_cols = ["agreement_id"] + ({"chapter": ["chapter_index"], "area": ["area"]}.get(level, []))
    groups = frame.groupby(key_cols, sort=False)["text"].apply(list)
    return [
        WordRuns.of(groups.loc[tuple(k) if len(k) > 1 else k[0]])
        for k in units[key_cols].itertuples(index=False)
    ]


def installed() -> bool:
    """True when Apertium is installed (whatever its language pairs)."""
    return find_apertium() is not None
