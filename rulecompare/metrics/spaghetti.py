"""The spaghetti bowl, rules part: how many different rulebooks a country's agreements impose.

Coverage overlap (:mod:`rulecompare.metrics.coverage`) says how often two
countries are bound by more than one agreement. That alone costs a firm
little if the agreements say the same thing; the bowl is tangled when the
overlapping agreements also write different rules. This module measures that
second part from the texts in the store and combines the two:

- **rule divergence** of a country in a policy area: 1 minus the mean
  pairwise character 5-gram Jaccard similarity of the area's text across the
  country's agreements in force (Alschner, Seiermann and Skougarevskiy's
  measure), and the number of distinct templates it applies (clusters of its
  agreements, average linkage, cut at :data:`TEMPLATE_THRESHOLD`);
- a **spaghetti-bowl index** per country (``share_multi x divergence``) and
  per pair of countries;
- a **network density** of the agreements, each pair weighted by the members
  it shares and by how different its texts are.

All formulas, with a worked example, are in docs/METHODS.md ("Rule
divergence", "Spaghetti-bowl index"). The area-level similarity matrices are
computed once over every agreement in scope (:func:`area_similarity`) and
sliced per country, so the whole-corpus ranking costs one pass over the text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from ..catalog import BLOCS_ACTING_AS_ONE, Catalog, load_catalog
from ..errors import RulecompareError
from ..model import UNCLASSIFIED
from ..overlap import jaccard_matrix, unit_sets
from ..store import Store, row_to_agreement
from ..taxonomy import AREAS, area_keys
from .coverage import IN_FORCE_STATUSES, country_coverage, load_desta, load_wto_rtas, pair_coverage

__all__ = [
    "SUBSTANTIVE_AREAS",
    "TEMPLATE_THRESHOLD",
    "AreaSimilarity",
    "agreement_actors",
    "area_similarity",
    "divergence",
    "network_density",
    "pair_index",
    "spaghetti_index",
    "templates",
]

TEMPLATE_THRESHOLD = 0.5
"""Jaccard similarity at which two texts of an area count as the same template.

Average linkage cut at distance ``1 - 0.5``: a cluster's members are on
average at least this similar to one another. Unrelated English agreements
share about 0.1 at the area level (the corpus baseline), re-used templates
with changed names and numbers 0.6-0.9 (docs/METHODS.md).
"""

SUBSTANTIVE_AREAS: tuple[str, ...] = tuple(
    key for key, info in AREAS.items() if key != UNCLASSIFIED and not info.reference.startswith("Structural")
)
"""Areas that hold rules a trader meets; the structural ones (preamble, institutions, final
provisions, horizontal definitions, exceptions) and unclassified text are left out by default."""

Progress = Callable[[str, int, int], None]
"""Called as ``progress(label, done, total)`` during long steps."""


# -- who is bound by an agreement ---------------------------------------------------------------


def in_force_mask(meta: pd.DataFrame, as_of: int | None) -> pd.Series:
    """Which agreements of a ``Store.agreements()`` frame are in force (now, or on 31 Dec ``as_of``).

    Without ``as_of`` the recorded status decides (as for the WTO list); an
    agreement without a status counts when it has an entry-into-force date and
    no inactive date. With ``as_of`` the dates decide: in force (else signed)
    on or before the reference day and not inactive by then.
    """
    start = pd.to_datetime(meta["date_in_force"], errors="coerce").fillna(
        pd.to_datetime(meta["date_signed"], errors="coerce")
    )
    inactive = pd.to_datetime(meta["date_inactive"], errors="coerce")
    if as_of is None:
        status = meta["status"].fillna("").astype(str)
        undated = (status == "") & start.notna() & inactive.isna()
        return status.isin(IN_FORCE_STATUSES) | undated
    ref = pd.Timestamp(dt.date(as_of, 12, 31))
    return (start <= ref) & ~(inactive <= ref)


def agreement_actors(
    store: Store,
    *,
    as_of: int | None = None,
    language: str | None = "en",
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """The agreements in scope and the trade-policy actors each binds.

    Actors follow the coverage convention (docs/METHODS.md 2.1): the EU is one
    actor ``EU``; other blocs (EFTA, ASEAN ...) are replaced by their members
    at signature, who remain actors of their own. Columns: ``id``, ``name``,
    ``language``, ``in_force`` (see :func:`in_force_mask`), ``actors`` (a
    sorted tuple). Only agreements in force are returned; ``language`` None
    keeps every language.
    """
    catalog = catalog or load_catalog()
    meta = store.agreements(language=language)
    meta = meta[in_force_mask(meta, as_of).to_numpy()].reset_index(drop=True)
    actors = []
    for row in meta.to_dict("records"):
        agreement = row_to_agreement(row)
        date = agreement.date_signed or agreement.date_in_force
        found: set[str] = set()
        for code in catalog.collapse_parties(agreement):
            bloc = catalog.blocs.get(code)
            if bloc is None or code in BLOCS_ACTING_AS_ONE:
                found.add(code)
            else:
                found |= bloc.members_at(date) or set(bloc.members)
        actors.append(tuple(sorted(found)))
    out = meta[["id", "name", "language"]].copy()
    out["in_force"] = True
    out["actors"] = actors
    return out


# -- area-level similarity, computed once ----------------------------------------------------------


@dataclass
class AreaSimilarity:
    """Area-level Jaccard matrices over every agreement in scope, ready to slice by country."""

    agreements: pd.DataFrame
    """From :func:`agreement_actors`: id, name, language, in_force, actors."""
    matrices: dict[str, tuple[np.ndarray, np.ndarray]]
    """Area -> (agreement ids having text in it, square Jaccard matrix in that order)."""
    as_of: int | None
    _positions: dict[str, dict[str, int]] = field(default_factory=dict, init=False, repr=False)

    def actor_ids(self) -> dict[str, list[str]]:
        """Actor -> ids of the agreements in scope that bind it."""
        out: dict[str, list[str]] = defaultdict(list)
        for agreement_id, actors in zip(self.agreements["id"], self.agreements["actors"], strict=True):
            for a in actors:
                out[a].append(agreement_id)
        return out

    def sub(self, area: str, ids: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The ids among ``ids`` with text in ``area`` (in matrix order) and their similarity matrix."""
        all_ids, m = self.matrices[area]
        if area not in self._positions:
            self._positions[area] = {i: k for k, i in enumerate(all_ids.tolist())}
        pos = self._positions[area]
        rows = np.array(sorted(pos[i] for i in set(ids) if i in pos), dtype=np.int64)
        return all_ids[rows], m[np.ix_(rows, rows)]

    def pooled(self, area: str, ids: Iterable[str]) -> tuple[float, int]:
        """Sum of the pairwise similarities of ``ids`` in ``area`` and the number of pairs."""
        _, m = self.sub(area, ids)
        pairs = _upper(m)
        return float(pairs.sum()), int(pairs.size)

    def baseline(self, area: str) -> float:
        """Median similarity of two different agreements in scope in ``area`` (NaN for fewer than two)."""
        _, m = self.matrices[area]
        if m.shape[0] < 2:
            return float("nan")
        return float(np.median(_upper(m)))


def _areas(area: str | Sequence[str] | None) -> list[str]:
    if area is None:
        return list(SUBSTANTIVE_AREAS)
    chosen = [area] if isinstance(area, str) else list(area)
    unknown = [a for a in chosen if a not in AREAS]
    if unknown:
        raise RulecompareError(f"unknown area {', '.join(unknown)} (known: {', '.join(area_keys())})")
    return chosen


def area_similarity(
    store: Store,
    *,
    area: str | Sequence[str] | None = None,
    as_of: int | None = None,
    language: str = "en",
    catalog: Catalog | None = None,
    progress: Progress | None = None,
) -> AreaSimilarity:
    """Jaccard matrices (character 5-grams) of each area's text across all agreements in force.

    ``area`` None means :data:`SUBSTANTIVE_AREAS`. Per area, the shingle sets
    of the agreements in scope (cached in the store under the same keys as
    ``matrix(level="area", area=...)``) and one exact intersection matrix.
    Only one language is compared at a time (English by default): character
    shingles of texts in two languages measure nothing.
    """
    areas = _areas(area)
    agreements = agreement_actors(store, as_of=as_of, language=language, catalog=catalog)
    ids = agreements["id"].tolist()
    matrices: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for k, a in enumerate(areas):
        if progress:
            progress("area similarity", k, len(areas))
        # One area at a time, as matrix(level="area", area=...) reads it, so that both share
        # the cached shingle sets (keyed per agreement and area).
        clauses = store.clauses(ids, area=a, columns=["agreement_id", "area", "text"]) if ids else None
        if clauses is None or clauses.empty:
            matrices[a] = (np.zeros(0, dtype=str), np.zeros((0, 0)))
            continue
        units, sets = unit_sets(store, clauses, "area", area=a)
        rows = np.flatnonzero(sets.sizes > 0)
        m = jaccard_matrix(sets.take(rows))
        matrices[a] = (units["agreement_id"].to_numpy()[rows].astype(str), m)
    if progress:
        progress("area similarity", len(areas), len(areas))
    return AreaSimilarity(agreements, matrices, as_of)


# -- divergence and templates ----------------------------------------------------------------------


def templates(similarity: np.ndarray, threshold: float = TEMPLATE_THRESHOLD) -> np.ndarray:
    """Template label (1..k) of each text.

    Average-linkage clusters of the texts, cut where the similarity drops below ``threshold``.
    """
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0, dtype=int)
    if n == 1:
        return np.ones(1, dtype=int)
    dist = 1.0 - np.asarray(similarity, dtype=np.float64)
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(np.clip(dist, 0.0, 1.0), checks=False), method="average")
    # fcluster keeps merges at distance <= t; a hair above 1 - threshold keeps exact ties together.
    labels: np.ndarray = fcluster(tree, t=1.0 - threshold + 1e-12, criterion="distance")
    return labels


def _upper(m: np.ndarray) -> np.ndarray:
    return m[np.triu_indices(m.shape[0], 1)]


_DIVERGENCE_COLUMNS = [
    "country",
    "area",
    "n_agreements",
    "n_pairs",
    "mean_similarity",
    "divergence",
    "n_templates",
    "baseline",
    "agreement_ids",
]


def _divergence_rows(
    sims: AreaSimilarity, country: str, ids: list[str], areas: list[str]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for a in areas:
        sub_ids, m = sims.sub(a, ids)
        n = len(sub_ids)
        if n == 0:
            continue
        pairs = _upper(m)
        mean = float(pairs.mean()) if pairs.size else float("nan")
        rows.append(
            {
                "country": country,
                "area": a,
                "n_agreements": n,
                "n_pairs": int(pairs.size),
                "mean_similarity": mean,
                "divergence": 1.0 - mean,
                "n_templates": int(templates(m).max()),
                "baseline": sims.baseline(a),
                "agreement_ids": ";".join(sub_ids.tolist()),
            }
        )
    return rows


def _chosen_areas(sims: AreaSimilarity, area: str | Sequence[str] | None) -> list[str]:
    return [a for a in (_areas(area) if area is not None else list(sims.matrices)) if a in sims.matrices]


def divergence(
    store: Store,
    country: str | None = None,
    *,
    area: str | Sequence[str] | None = None,
    as_of: int | None = None,
    agreements: Sequence[str] | None = None,
    sims: AreaSimilarity | None = None,
) -> pd.DataFrame:
    """Rule divergence of a country (every actor when None) in each area.

    One row per (country, area) where the country has at least one agreement
    in force with text in the area; ``agreements`` narrows its agreements to
    these ids (the EU's Mediterranean association agreements, say). Columns:
    ``country``, ``area``, ``n_agreements`` (its agreements with text in the
    area), ``n_pairs``, ``mean_similarity`` (mean Jaccard over the pairs; NaN
    with one agreement), ``divergence`` = 1 - mean_similarity,
    ``n_templates`` (clusters, :func:`templates`), ``baseline`` (median pair
    of all agreements in scope in the area), ``agreement_ids``. ``sims``
    reuses a precomputed :func:`area_similarity` (its areas and date win).
    """
    sims = sims or area_similarity(store, area=area, as_of=as_of)
    areas = _chosen_areas(sims, area)
    by_actor = sims.actor_ids()
    if country is not None:
        code = country.strip().upper()
        if code not in by_actor:
            raise RulecompareError(
                f"no agreement in force with text binds {code}"
                + (f" in {as_of}" if as_of is not None else "")
                + " (EU members are counted as EU; see `rulecompare list --party`)"
            )
        targets = [code]
    else:
        targets = sorted(by_actor)
    only = set(agreements) if agreements is not None else None
    rows = [
        r
        for c in targets
        for r in _divergence_rows(sims, c, [i for i in by_actor[c] if only is None or i in only], areas)
    ]
    return pd.DataFrame(rows, columns=_DIVERGENCE_COLUMNS)


def _pooled_divergence(sims: AreaSimilarity, ids: Sequence[str], areas: Sequence[str]) -> tuple[float, int]:
    """Divergence pooled over areas (1 - all pairwise similarities / all pairs) and the number of pairs."""
    total, n = 0.0, 0
    for a in areas:
        s, k = sims.pooled(a, ids)
        total += s
        n += k
    return (1.0 - total / n if n else float("nan")), n


# -- the index -------------------------------------------------------------------------------------


MIN_TEXTS = 3
"""Countries with fewer agreements with text get an index but no rank: with two texts the
divergence rests on one pair per area."""


def _rtas(source: str) -> pd.DataFrame:
    if source == "wto":
        return load_wto_rtas()
    if source == "desta":
        return load_desta()
    raise RulecompareError(f"source must be wto or desta, not '{source}'")


def spaghetti_index(
    store: Store,
    *,
    countries: Sequence[str] | None = None,
    area: str | Sequence[str] | None = None,
    as_of: int | None = None,
    source: str = "wto",
    min_texts: int = MIN_TEXTS,
    sims: AreaSimilarity | None = None,
    rtas: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Spaghetti-bowl index per country: coverage overlap times rule divergence, ranked.

    ``index = share_multi x divergence``: the share of the country's partners
    bound to it by more than one agreement in force (from the WTO list, or
    DESTA with ``source="desta"``; ``rtas`` passes a loaded list) times the
    rule divergence of its agreements with text, pooled over the areas
    (1 - sum of all pairwise similarities / number of pairs; docs/METHODS.md
    2.3). Columns: ``rank`` (only for countries with at least ``min_texts``
    agreements with text), ``country``, ``n_agreements``, ``n_partners``,
    ``n_partners_multi``, ``share_multi`` (coverage), ``n_texts``,
    ``n_areas``, ``n_pairs``, ``divergence``, ``mean_templates`` (per area),
    ``index``. Sorted by rank, then index; ``countries`` keeps only these
    rows (ranked among all).
    """
    sims = sims or area_similarity(store, area=area, as_of=as_of)
    areas = _chosen_areas(sims, area)
    rows = []
    for country, ids in sorted(sims.actor_ids().items()):
        div, n_pairs = _pooled_divergence(sims, ids, areas)
        n_templates = [int(templates(m).max()) for a in areas if (m := sims.sub(a, ids)[1]).shape[0] > 1]
        rows.append(
            {
                "country": country,
                "n_texts": len(ids),
                "n_areas": len(n_templates),
                "n_pairs": n_pairs,
                "divergence": div,
                "mean_templates": float(np.mean(n_templates)) if n_templates else float("nan"),
            }
        )
    div_frame = pd.DataFrame(
        rows, columns=["country", "n_texts", "n_areas", "n_pairs", "divergence", "mean_templates"]
    )
    rtas = rtas if rtas is not None else _rtas(source)
    cov = country_coverage(rtas, as_of).rename(columns={"iso3": "country"})
    out = div_frame.merge(cov, on="country", how="left")
    out["index"] = out["share_multi"] * out["divergence"]
    unranked = ~((out["n_texts"] >= min_texts) & out["index"].notna())
    out = out.assign(_u=unranked).sort_values(
        ["_u", "index", "n_texts", "country"], ascending=[True, False, False, True], na_position="last"
    )
    ranks = np.arange(1, len(out) + 1)
    out["rank"] = pd.array(np.where(out["_u"], 0, ranks), dtype="Int64")
    out.loc[out["_u"].to_numpy(), "rank"] = pd.NA
    cols = [
        "rank",
        "country",
        "n_agreements",
        "n_partners",
        "n_partners_multi",
        "share_multi",
        "n_texts",
        "n_areas",
        "n_pairs",
        "divergence",
        "mean_templates",
        "index",
    ]
    if countries is not None:
        # ranked among all countries first, so that a country's rank means the same when asked alone
        out = out[out["country"].isin({c.strip().upper() for c in countries})]
    out = out[cols].reset_index(drop=True)
    for c in ("n_agreements", "n_partners", "n_partners_multi"):
        out[c] = out[c].astype("Int64")
    return out


def pair_index(
    store: Store,
    *,
    pairs: Sequence[tuple[str, str]] | None = None,
    area: str | Sequence[str] | None = None,
    as_of: int | None = None,
    source: str = "wto",
    sims: AreaSimilarity | None = None,
    rtas: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Spaghetti-bowl index per pair of countries bound by at least one agreement in force.

    ``index = (1 - 1/n_agreements) x divergence``, where ``n_agreements`` is
    the number of agreements in force binding the pair (WTO list, or DESTA)
    and ``divergence`` the pooled divergence over the areas of the agreements
    with text that bind both (``divergence_source = "pair"``); when no two
    such texts share an area, the mean divergence of the two countries stands
    in (``"countries"``). ``pairs`` limits the output to these pairs
    (order-free; a pair no agreement binds gets ``n_agreements = 0``).
    Columns: ``iso_a``, ``iso_b``, ``n_agreements``, ``n_texts``,
    ``pair_divergence``, ``divergence``, ``divergence_source``, ``index``,
    ``agreement_names``; sorted by index.
    """
    sims = sims or area_similarity(store, area=area, as_of=as_of)
    rtas = rtas if rtas is not None else _rtas(source)
    cov = pair_coverage(rtas, as_of)[["iso_a", "iso_b", "n_agreements", "agreement_names"]]
    if pairs is not None:
        wanted = pd.DataFrame(
            sorted({tuple(sorted((a.strip().upper(), b.strip().upper()))) for a, b in pairs}),
            columns=["iso_a", "iso_b"],
        )
        cov = wanted.merge(cov, on=["iso_a", "iso_b"], how="left")
        cov["n_agreements"] = cov["n_agreements"].fillna(0).astype(int)
        cov["agreement_names"] = cov["agreement_names"].fillna("")
    areas = _chosen_areas(sims, area)
    by_actor = {k: set(v) for k, v in sims.actor_ids().items()}
    country_div = {c: _pooled_divergence(sims, sorted(ids), areas)[0] for c, ids in by_actor.items()}
    rows = []
    for a, b in zip(cov["iso_a"], cov["iso_b"], strict=True):
        both = sorted(by_actor.get(a, set()) & by_actor.get(b, set()))
        pair_div = _pooled_divergence(sims, both, areas)[0] if len(both) > 1 else float("nan")
        used, src = pair_div, "pair"
        if np.isnan(pair_div):
            fallback = [country_div[c] for c in (a, b) if c in country_div and not np.isnan(country_div[c])]
            used, src = (float(np.mean(fallback)), "countries") if fallback else (float("nan"), "")
        rows.append((len(both), pair_div, used, src))
    extra = pd.DataFrame(rows, columns=["n_texts", "pair_divergence", "divergence", "divergence_source"])
    out = pd.concat([cov.reset_index(drop=True), extra], axis=1)
    n = out["n_agreements"].astype(float)
    out["index"] = (1.0 - 1.0 / n.where(n > 0)) * out["divergence"]
    cols = [
        "iso_a",
        "iso_b",
        "n_agreements",
        "n_texts",
        "pair_divergence",
        "divergence",
        "divergence_source",
        "index",
        "agreement_names",
    ]
    return out[cols].sort_values(
        ["index", "n_agreements", "iso_a", "iso_b"],
        ascending=[False, False, True, True],
        na_position="last",
        ignore_index=True,
    )


def network_density(
    store: Store,
    *,
    area: str | Sequence[str] | None = None,
    as_of: int | None = None,
    sims: AreaSimilarity | None = None,
) -> pd.DataFrame:
    """Density of the network of agreements in force, weighted by shared members and textual distance.

    Nodes are the agreements with text; a pair (a, b) sharing ``s_ab`` actors
    with textual distance ``d_ab = 1 - J_ab`` contributes ``s_ab x d_ab``;
    ``weighted_density = sum(s_ab x d_ab) / sum(min(|a|, |b|))`` over all
    pairs, 1 when every pair of agreements binds the same actors with
    entirely different texts, 0 when no two share a member or all that do are
    identical. One row per area plus ``area = "all"``, where ``d_ab`` is
    1 minus the mean similarity over the areas both have (1 with none).
    Columns: ``area``, ``n_agreements``, ``n_pairs``, ``n_linked`` (pairs
    sharing an actor), ``share_linked``, ``mean_distance_linked``,
    ``weighted_density``.
    """
    sims = sims or area_similarity(store, area=area, as_of=as_of)
    areas = [a for a in (_areas(area) if area is not None else list(sims.matrices)) if a in sims.matrices]
    actors = dict(zip(sims.agreements["id"], sims.agreements["actors"], strict=True))

    def shared_and_cap(ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Shared actors and min party count of every pair (upper triangle order)."""
        codes = sorted({c for i in ids for c in actors[i]})
        pos = {c: k for k, c in enumerate(codes)}
        inc = np.zeros((len(ids), len(codes)), dtype=np.float32)
        for r, i in enumerate(ids):
            inc[r, [pos[c] for c in actors[i]]] = 1.0
        shared = np.rint(inc @ inc.T)
        sizes = inc.sum(axis=1)
        cap = np.minimum(sizes[:, None], sizes[None, :])
        iu = np.triu_indices(len(ids), 1)
        return shared[iu], cap[iu]

    def row(name: str, ids: Sequence[str], dist: np.ndarray) -> dict[str, object]:
        n = len(ids)
        shared, cap = shared_and_cap(ids) if n > 1 else (np.zeros(0), np.zeros(0))
        linked = shared > 0
        total_cap = cap.sum()
        return {
            "area": name,
            "n_agreements": n,
            "n_pairs": int(shared.size),
            "n_linked": int(linked.sum()),
            "share_linked": float(linked.mean()) if shared.size else float("nan"),
            "mean_distance_linked": float(dist[linked].mean()) if linked.any() else float("nan"),
            "weighted_density": float((shared * dist).sum() / total_cap) if total_cap else float("nan"),
        }

    rows = []
    all_ids = sims.agreements["id"].tolist()
    index = {i: k for k, i in enumerate(all_ids)}
    sim_sum = np.zeros((len(all_ids), len(all_ids)))
    both = np.zeros_like(sim_sum)
    for a in areas:
        ids, m = sims.matrices[a]
        rows.append(row(a, ids.tolist(), 1.0 - _upper(m)))
        pos = np.array([index[i] for i in ids], dtype=np.int64)
        sim_sum[np.ix_(pos, pos)] += m
        both[np.ix_(pos, pos)] += 1.0
    mean_sim = np.divide(sim_sum, both, out=np.zeros_like(sim_sum), where=both > 0)
    with_text = np.flatnonzero(np.diag(both) > 0)
    rows.insert(
        0, row("all", [all_ids[k] for k in with_text], 1.0 - _upper(mean_sim[np.ix_(with_text, with_text)]))
    )
    return pd.DataFrame(rows)
