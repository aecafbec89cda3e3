"""BRI-RTA compatibility: how close the rules a Belt and Road partner already applies are to China's.

A Belt and Road partner that negotiates with China, or joins a China-centred
agreement, brings the rules of its existing regional trade agreements (RTAs).
Where China's FTAs already contain clauses like those, the rulebooks fit;
where they do not, one side has to move. This module measures that fit area
by area, clause by clause:

- ``coverage``: the share of the partner's non-China RTA clauses in an area
  that have a counterpart (character 5-gram Jaccard >= :data:`CLAUSE_THRESHOLD`)
  among the clauses of China's FTAs in the area; ``reverse``: the share of
  China's clauses with a counterpart among the partner's;
- ``mean_similarity``: the mean best-match Jaccard of the partner's clauses;
- ``strength_gap``: the partner's binding share minus China's (obligation
  strength from :mod:`rulecompare.metrics.strength`);
- ``compat = (coverage + reverse) / 2 x (1 - |strength_gap|)`` per area, and
  per partner the clause-weighted mean over its areas.

For partners that have an FTA with China the same figures compare that FTA
with the partner's other RTAs (``comparison = "own_china_fta"``).

Best matches are exact: every partner clause is scored against every China
clause by the overlap kernel (:func:`rulecompare.overlap.jaccard_matrix`),
one area at a time. docs/METHODS.md, section 3, has the formulas and a
worked example.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..catalog import Catalog, load_catalog
from ..errors import RulecompareError
from ..overlap import jaccard_matrix, unit_sets
from ..store import Store
from .spaghetti import SUBSTANTIVE_AREAS, Progress, agreement_actors
from .strength import classify_clauses

__all__ = [
    "CLAUSE_THRESHOLD",
    "MIN_CLAUSE_SHINGLES",
    "compatibility",
    "partner_scores",
    "summary_text",
]

CHINA = "CHN"

CLAUSE_THRESHOLD = 0.3
"""Clause Jaccard at or above which two clauses count as counterparts.

Two unrelated clauses of the same area share about 0.05-0.1 (common legal
words); a clause re-used with other party names, numbers or a changed
qualifier keeps 0.4-0.9. 0.3 keeps reworded counterparts and drops
boilerplate neighbours (docs/METHODS.md 3.1).
"""

MIN_CLAUSE_SHINGLES = 25
"""Clauses with fewer distinct shingles (about 30 characters: "(b) services;") are left out:
their Jaccard with anything is noise."""

# -- the comparison -------------------------------------------------------------------------------

_COLUMNS = [
    "partner",
    "comparison",
    "area",
    "n_partner_agreements",
    "n_china_agreements",
    "n_partner_clauses",
    "n_china_clauses",
    "coverage",
    "reverse",
    "mean_similarity",
    "binding_partner",
    "binding_china",
    "strength_gap",
    "compat",
]


def _resolve_china_set(agreements: pd.DataFrame, china_set: Sequence[str] | None) -> list[str]:
    if china_set is None:
        return [str(i) for i in agreements.loc[agreements["actors"].map(lambda a: CHINA in a), "id"]]
    known = set(agreements["id"])
    missing = [i for i in china_set if i not in known]
    if missing:
        raise RulecompareError(
            f"china set: {', '.join(missing)} not among the English agreements in force with text"
        )
    return list(dict.fromkeys(china_set))


def compatibility(
    store: Store,
    *,
    partners: Sequence[str] | None = None,
    area: str | Sequence[str] | None = None,
    china_set: Sequence[str] | None = None,
    as_of: int | None = None,
    threshold: float = CLAUSE_THRESHOLD,
    catalog: Catalog | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Per BRI partner and area: how well China's FTAs cover the partner's RTA clauses, and back.

    Partners are the catalog's Belt and Road partners (``bri-partners.csv``)
    with at least one English RTA in force, other than with China, with text
    in the store (``partners`` narrows them; ISO3). ``china_set`` are agreement
    ids (default: every agreement in force with China as a party). ``area``
    None means the substantive areas. Rows with ``comparison =
    "china_ftas"`` compare the partner's non-China RTAs with the China set;
    rows with ``"own_china_fta"`` (partners that have one) compare them with
    the partner's own FTA(s) with China. Columns: ``partner``,
    ``comparison``, ``area``, ``n_partner_agreements``,
    ``n_china_agreements``, ``n_partner_clauses``, ``n_china_clauses``,
    ``coverage``, ``reverse``, ``mean_similarity``, ``binding_partner``,
    ``binding_china``, ``strength_gap``, ``compat`` (module docstring);
    ``coverage``/``reverse``/``mean_similarity`` are NaN where China's side
    has no clause in the area (and ``compat`` is 0 there).
    """
    catalog = catalog or load_catalog()
    areas = [area] if isinstance(area, str) else list(area) if area is not None else list(SUBSTANTIVE_AREAS)
    agreements = agreement_actors(store, as_of=as_of, catalog=catalog)
    china_ids = _resolve_china_set(agreements, china_set)
    with_china = set(agreements.loc[agreements["actors"].map(lambda a: CHINA in a), "id"])
    actors = dict(zip(agreements["id"], agreements["actors"], strict=True))
    wanted = {p.strip().upper() for p in partners} if partners is not None else set(catalog.bri_partners)
    unknown = wanted - set(catalog.bri_partners)
    if partners is not None and unknown:
        raise RulecompareError(
            f"not Belt and Road partners in {catalog.bri_source}: {', '.join(sorted(unknown))}"
        )
    # partner -> its non-China RTAs, and its own FTAs with China
    rtas: dict[str, list[str]] = {}
    own: dict[str, list[str]] = {}
    for agreement_id, acts in actors.items():
        for p in set(acts) & wanted:
            if agreement_id in with_china:
                own.setdefault(p, []).append(agreement_id)
            else:
                rtas.setdefault(p, []).append(agreement_id)
    partner_list = sorted(rtas)
    if not partner_list:
        raise RulecompareError("no Belt and Road partner has an RTA in force with text in the store")
    r_ids = sorted({i for p in partner_list for i in rtas[p]})
    c_ids = sorted(set(china_ids) | {i for p in partner_list for i in own.get(p, [])})
    ids = sorted(set(r_ids) | set(c_ids))
    # Whole agreements, so that the cached clause features are shared with the overlap functions'.
    clauses = store.clauses(ids, columns=["agreement_id", "ord", "area", "text"])
    _, sets = unit_sets(store, clauses, "clause")
    keep = clauses["area"].isin(areas).to_numpy() & (sets.sizes >= MIN_CLAUSE_SHINGLES)
    clauses = clauses[keep].reset_index(drop=True)
    sets = sets.take(np.flatnonzero(keep))
    binding = classify_clauses(clauses[["text", "area"]])["strength"].to_numpy() == "binding"
    # agreement ids as small integers: membership tests on strings would dominate the run time
    codes, names = pd.factorize(clauses["agreement_id"])
    code_of = {str(name): k for k, name in enumerate(names)}

    def member(ids_: Sequence[str]) -> np.ndarray:
        lookup = np.zeros(len(names) + 1, dtype=bool)
        lookup[[code_of[i] for i in ids_ if i in code_of]] = True
        mask: np.ndarray = lookup[codes]
        return mask

    is_r, is_c, is_set = member(r_ids), member(c_ids), member(china_ids)
    is_own = {p: member(ids_) for p, ids_ in own.items() if p in rtas}
    area_of = clauses["area"].to_numpy()
    rows: list[dict[str, object]] = []
    for k, a in enumerate(areas):
        if progress:
            progress("compatibility", k, len(areas))
        in_area = area_of == a
        r_rows = np.flatnonzero(in_area & is_r)
        c_rows = np.flatnonzero(in_area & is_c)
        # float32 as before: best-match scores are compared with the threshold and averaged
        s = jaccard_matrix(sets.take(r_rows), sets.take(c_rows)).astype(np.float32)
        r_code = codes[r_rows]
        c_agreement = names[codes[c_rows]]
        # best match of each partner clause, and per RTA the best match of each China clause
        col_set = is_set[c_rows]
        best_set = s[:, col_set].max(axis=1) if col_set.any() else np.zeros(r_rows.size, np.float32)
        order = np.argsort(r_code, kind="stable")
        bounds = np.flatnonzero(np.diff(r_code[order])) + 1
        by_rta = {str(names[r_code[g[0]]]): g for g in np.split(order, bounds) if g.size}
        colmax = {g: s[idx].max(axis=0) for g, idx in by_rta.items()}
        for p in partner_list:
            p_agreements = [g for g in rtas[p] if g in by_rta]
            if not p_agreements:
                continue
            p_idx = np.concatenate([by_rta[g] for g in p_agreements])
            comparisons = [("china_ftas", col_set, best_set[p_idx])]
            if p in is_own:
                col_own = is_own[p][c_rows]
                best_own = s[np.ix_(p_idx, col_own)].max(axis=1) if col_own.any() else np.zeros(p_idx.size)
                comparisons.append(("own_china_fta", col_own, best_own))
            back_all = np.max([colmax[g] for g in p_agreements], axis=0)
            bind_p = float(binding[r_rows[p_idx]].mean())
            for name, cols, best in comparisons:
                n_c = int(cols.sum())
                china_ag = set(c_agreement[cols])
                back = back_all[cols]
                bind_c = float(binding[c_rows[cols]].mean()) if n_c else float("nan")
                cov = float((best >= threshold).mean()) if n_c else float("nan")
                rev = float((back >= threshold).mean()) if n_c else float("nan")
                gap = bind_p - bind_c
                rows.append(
                    {
                        "partner": p,
                        "comparison": name,
                        "area": a,
                        "n_partner_agreements": len(p_agreements),
                        "n_china_agreements": len(china_ag),
                        "n_partner_clauses": int(p_idx.size),
                        "n_china_clauses": n_c,
                        "coverage": cov,
                        "reverse": rev,
                        "mean_similarity": float(best.mean()) if n_c else float("nan"),
                        "binding_partner": bind_p,
                        "binding_china": bind_c,
                        "strength_gap": gap,
                        # an area China's set does not write at all is not compatible: 0, not unknown
                        "compat": (cov + rev) / 2 * (1 - abs(gap)) if n_c else 0.0,
                    }
                )
    if progress:
        progress("compatibility", len(areas), len(areas))
    return pd.DataFrame(rows, columns=_COLUMNS)


def partner_scores(table: pd.DataFrame) -> pd.DataFrame:
    """Overall compatibility per partner and comparison: area ``compat`` weighted by the partner's clauses.

    ``score = sum_a n_partner_clauses(a) x compat(a) / sum_a n_partner_clauses(a)``
    over the areas where the partner has clauses. Also the clause-weighted
    ``coverage``, ``reverse``, ``mean_similarity`` and ``strength_gap``.
    Sorted by comparison, then score descending, with a ``rank`` within
    each comparison.
    """
    if table.empty:
        return pd.DataFrame(
            columns=[
                "rank",
                "partner",
                "comparison",
                "n_areas",
                "n_partner_clauses",
                "coverage",
                "reverse",
                "mean_similarity",
                "strength_gap",
                "score",
            ]
        )
    w = table["n_partner_clauses"].astype(float)

    def weighted(col: str) -> pd.Series:
        valid = table[col].notna()
        num = (table[col].fillna(0) * w).groupby([table["partner"], table["comparison"]]).sum()
        den = (w * valid).groupby([table["partner"], table["comparison"]]).sum()
        return num / den.where(den > 0)

    g = table.groupby(["partner", "comparison"])
    out = pd.DataFrame(
        {
            "n_areas": g.size(),
            "n_partner_clauses": g["n_partner_clauses"].sum(),
            "coverage": weighted("coverage"),
            "reverse": weighted("reverse"),
            "mean_similarity": weighted("mean_similarity"),
            "strength_gap": weighted("strength_gap"),
            "score": weighted("compat"),
        }
    ).reset_index()
    out = out.sort_values(
        ["comparison", "score", "partner"], ascending=[True, False, True], ignore_index=True
    )
    out.insert(0, "rank", out.groupby("comparison").cumcount() + 1)
    return out


def summary_text(table: pd.DataFrame, n: int = 3) -> str:
    """A few lines naming the most and least compatible areas (clause-weighted over partners).

    Areas where China's set has no clause at all are named apart: they are
    not badly matched rules but rules China's FTAs do not write.
    """
    t = table[table["comparison"] == "china_ftas"]
    if t.empty:
        return "no partner with text in the selected areas"
    w = t["n_partner_clauses"].astype(float)
    by_area = ((t["compat"] * w).groupby(t["area"]).sum() / w.groupby(t["area"]).sum()).sort_values(
        ascending=False
    )
    china_has = t.groupby("area")["n_china_clauses"].max() > 0
    written = by_area[china_has.reindex(by_area.index).to_numpy()]
    missing = sorted(set(by_area.index) - set(written.index))

    def fmt(s: pd.Series) -> str:
        return ", ".join(f"{a} {v:.2f}" for a, v in s.items())

    lines = [
        f"compatibility of {t['partner'].nunique()} BRI partners' RTAs with China's FTAs "
        "(0-1, higher = closer; clause-weighted over partners):",
        f"  most compatible areas:  {fmt(written.head(n))}",
    ]
    if len(written) > n:
        lines.append(f"  least compatible areas: {fmt(written.tail(n).iloc[::-1])}")
    if missing:
        lines.append(f"  areas China's FTAs do not write: {', '.join(missing)}")
    return "\n".join(lines)
