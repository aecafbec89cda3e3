"""Country figures of the spaghetti bowl, built from its pairs, with intervals.

For a country ``i`` (docs/METHODS.md 2.3):

- scale: ``n_partners_multi`` = partners bound to ``i`` by two or more
  agreements in force; intensity: ``share_multi`` = that over all partners;
- ``divergence`` = mean over those partners ``j`` whose overlapping
  agreements could be compared of the pair divergence ``d_ij``
  (:mod:`.pairs`); ``m`` = their number;
- ``divergence_shrunk = (sum_j d_ij + k * mu) / (m + k)``: pulled towards
  the mean ``mu`` of all pairs by ``k`` = :data:`SHRINKAGE` pseudo-pairs, so
  that a divergence resting on one or two pairs cannot stand out;
- ``index = n_partners_multi x divergence_shrunk``: the number of partners
  with which ``i``'s traders meet two or more agreements, each counted by how
  far those agreements' rules differ (1: as different as two unrelated
  agreements; 0: the same rules). It is 0 when no partner is covered twice,
  and NaN (with a reason) when partners are but no two of their overlapping
  agreements could be compared.

Intervals: 2.5 and 97.5 percentiles over :data:`BOOTSTRAP` resamples of the
country's compared agreements (drawn with replacement; a comparison weighs
the product of its two agreements' draws, and a pair none of whose
comparisons is drawn drops out; a resample that keeps no pair is left out).
The count of doubly-covered partners is a census of the list and is not
resampled.

Ranking: a country is ranked when it has a bowl (a partner covered twice)
whose divergence was measured on at least two pairs, on at least
:data:`MIN_MEASURED_SHARE` of its doubly-covered partners, and with at least
:data:`MIN_TEXTS` agreements with text; the others keep their figures and
interval, are marked ``uncertain`` (or have no bowl) and get no rank, so
that two or three texts cannot top the ranking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ...catalog.standing import Regimes
from .pairs import PairData
from .texts import RegimeTexts

__all__ = ["BOOTSTRAP", "COUNTRY_COLUMNS", "MIN_MEASURED_SHARE", "MIN_TEXTS", "SHRINKAGE", "country_table"]

SHRINKAGE = 2.0
"""Pseudo-pairs at the corpus mean added to a country's pairs (``k``)."""
MIN_TEXTS = 5
"""A country with fewer agreements with text is ``uncertain``."""
BOOTSTRAP = 200
"""Resamples for the intervals (0: none)."""
MIN_MEASURED_SHARE = 1 / 3
"""A country whose divergence was measured on fewer than this share of its doubly-covered
partners is ``uncertain``: the rest of its index is the divergence of the others, extrapolated."""

COUNTRY_COLUMNS = [
    "rank",
    "country",
    "index",
    "index_low",
    "index_high",
    "n_partners_multi",
    "share_multi",
    "divergence",
    "divergence_shrunk",
    "divergence_low",
    "divergence_high",
    "n_pairs_compared",
    "n_partners",
    "n_agreements",
    "n_texts",
    "n_texts_compared",
    "n_texts_translated",
    "n_texts_left_out_language",
    "texts_by_language",
    "compared_by_language",
    "uncertain",
    "note",
    "flagged_texts",
]


def _text_counts(actor: str, texts_counted: Regimes, texts: RegimeTexts) -> tuple[list[str], dict[str, int]]:
    keys = [k for k in texts_counted.keys_of(actor) if texts.languages_of(k)]
    by_lang: dict[str, int] = defaultdict(int)
    for k in keys:
        by_lang[texts.languages_of(k)[0]] += 1
    return keys, by_lang


def _bootstrap(
    comps: pd.DataFrame,
    pair_of: np.ndarray,
    n_pairs: int,
    mu: float,
    k: float,
    draws: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Shrunk divergence of each resample of the compared agreements (NaN when no pair survives)."""
    regimes, codes = np.unique(np.concatenate([comps["key_a"], comps["key_b"]]), return_inverse=True)
    ka, kb = codes[: len(comps)], codes[len(comps) :]
    weights = rng.multinomial(regimes.size, np.full(regimes.size, 1.0 / regimes.size), size=draws)
    cw = (weights[:, ka] * weights[:, kb]).astype(np.float64)
    member = sp.csr_matrix(
        (np.ones(len(comps)), (np.arange(len(comps)), pair_of)), shape=(len(comps), n_pairs)
    )
    num = (member.T @ (cw * comps["divergence"].to_numpy()).T).T
    den = (member.T @ cw.T).T
    valid = den > 0
    per_pair = np.divide(num, den, out=np.zeros_like(num), where=valid)
    total = per_pair.sum(axis=1)
    count = valid.sum(axis=1)
    out: np.ndarray = np.divide(
        total + k * mu, count + k, out=np.full(total.shape, np.nan), where=count + k > 0
    )
    return out


def country_table(
    data: PairData,
    texts_counted: Regimes,
    texts: RegimeTexts,
    *,
    shrinkage: float = SHRINKAGE,
    min_texts: int = MIN_TEXTS,
    bootstrap: int = BOOTSTRAP,
    seed: int = 10,
) -> pd.DataFrame:
    """One row per country bound by an agreement in force, ranked by ``index`` (module docstring)."""
    pairs = data.pairs
    mu = float(pairs["divergence"].mean()) if pairs["divergence"].notna().any() else float("nan")
    partners: dict[str, set[str]] = defaultdict(set)
    agreements: dict[str, set[str]] = defaultdict(set)
    for (a, b), keys in data.counts.items():
        partners[a].add(b)
        partners[b].add(a)
        agreements[a].update(keys)
        agreements[b].update(keys)
    rng = np.random.default_rng(seed)
    rows = [
        _country_row(
            c, data, texts_counted, texts, partners, agreements, mu, shrinkage, min_texts, bootstrap, rng
        )
        for c in sorted(partners)
    ]
    out = pd.DataFrame(rows)
    # ranked: a measured bowl (two agreements on some partner) resting on enough texts and pairs
    ranked = out["index"].notna() & (out["n_partners_multi"] > 0) & ~out["uncertain"].astype(bool)
    order = out[ranked].sort_values(["index", "n_partners_multi", "country"], ascending=[False, False, True])
    out["rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[order.index, "rank"] = np.arange(1, len(order) + 1)
    out = out.sort_values(
        ["rank", "n_partners_multi", "country"], ascending=[True, False, True], na_position="last"
    )
    for col in ("n_partners_multi", "n_partners", "n_agreements", "n_pairs_compared", "n_texts"):
        out[col] = out[col].astype("Int64")
    return out[COUNTRY_COLUMNS].reset_index(drop=True)


def _country_row(
    country: str,
    data: PairData,
    texts_counted: Regimes,
    texts: RegimeTexts,
    partners: Mapping[str, set[str]],
    agreements: Mapping[str, set[str]],
    mu: float,
    shrinkage: float,
    min_texts: int,
    draws: int,
    rng: np.random.Generator,
) -> dict[str, object]:
    pairs = data.pairs
    mine = pairs[(pairs["iso_a"] == country) | (pairs["iso_b"] == country)]
    n_multi = len(mine)
    n_partners = len(partners[country])
    compared = mine[mine["divergence"].notna()]
    m = len(compared)
    keys, by_lang = _text_counts(country, texts_counted, texts)
    comps = data.comparisons[(data.comparisons["iso_a"] == country) | (data.comparisons["iso_b"] == country)]
    used = set(comps["key_a"]) | set(comps["key_b"])
    gaps = {
        k
        for pair in zip(mine["iso_a"], mine["iso_b"], strict=True)
        for g in data.language_gaps.get(pair, [])
        for k in g
    }
    left_out = sorted((gaps - used) & set(keys))
    divergence = float(compared["divergence"].mean()) if m else float("nan")
    shrunk = (float(compared["divergence"].sum()) + shrinkage * mu) / (m + shrinkage) if m else float("nan")
    # no doubly-covered partner is a measured 0; doubly-covered partners without comparable texts are unknown
    index = 0.0 if n_multi == 0 else (n_multi * shrunk if m else float("nan"))
    low = high = d_low = d_high = float("nan")
    if m and draws:
        pair_ids = {p: i for i, p in enumerate(zip(compared["iso_a"], compared["iso_b"], strict=True))}
        pair_of = np.array([pair_ids[p] for p in zip(comps["iso_a"], comps["iso_b"], strict=True)])
        sample = _bootstrap(comps.reset_index(drop=True), pair_of, m, mu, shrinkage, draws, rng)
        sample = sample[~np.isnan(sample)]
        if sample.size >= 2:
            d_low, d_high = (float(x) for x in np.percentile(sample, [2.5, 97.5]))
            low, high = n_multi * d_low, n_multi * d_high
    uncertain, note = _uncertainty(n_multi, m, len(keys), min_texts)
    if m and m < MIN_MEASURED_SHARE * n_multi:
        uncertain = True
        note = "; ".join(
            x for x in (note, f"divergence measured on {m} of {n_multi} doubly-covered partners") if x
        )
    return {
        "country": country,
        "index": index,
        "index_low": low,
        "index_high": high,
        "n_partners_multi": n_multi,
        "share_multi": n_multi / n_partners if n_partners else float("nan"),
        "divergence": divergence,
        "divergence_shrunk": shrunk,
        "divergence_low": d_low,
        "divergence_high": d_high,
        "n_pairs_compared": m,
        "n_partners": n_partners,
        "n_agreements": len(agreements[country]),
        "n_texts": len(keys),
        "n_texts_compared": len(used & set(keys)) if keys else 0,
        "n_texts_translated": len(_translated_used(comps, texts) & set(keys)),
        "n_texts_left_out_language": len(left_out),
        "texts_by_language": ", ".join(f"{lang} {n}" for lang, n in sorted(by_lang.items())),
        "compared_by_language": _by_language(used & set(keys), texts),
        "uncertain": uncertain,
        "note": note,
        "flagged_texts": ";".join(texts.flagged(used)),
    }


def _by_language(keys: set[str], texts: RegimeTexts) -> str:
    """``en 6, es 5``: the keys counted by their own (first) language."""
    counts: dict[str, int] = defaultdict(int)
    for k in keys:
        counts[texts.languages_of(k)[0]] += 1
    return ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))


def _translated_used(comps: pd.DataFrame, texts: RegimeTexts) -> set[str]:
    """The regimes read through a translation in some comparison of ``comps``."""
    if "cross_lingual" not in comps or not texts.translated:
        return set()
    cross = comps[comps["cross_lingual"].astype(bool)]
    return {k for k in (*cross["key_a"], *cross["key_b"]) if k in texts.translated}


def _uncertainty(n_multi: int, m: int, n_texts: int, min_texts: int) -> tuple[bool, str]:
    if n_multi == 0:
        return False, "no partner is bound by two agreements in force"
    if m == 0:
        return True, "no two overlapping agreements with text in a common language and area: index unknown"
    reasons = []
    if n_texts < min_texts:
        reasons.append(f"{n_texts} agreements with text (fewer than {min_texts})")
    if m < 2:
        reasons.append("divergence rests on one pair")
    return bool(reasons), "; ".join(reasons)
