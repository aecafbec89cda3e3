"""Strict or flexible: a profile per agreement or family, with intervals that include the classifier's errors.

Three parts (docs/METHODS.md 1.9):

- **commitment mix**: among the clauses of the substantive areas that commit,
  permit or carve out (binding, soft, permissive, exception), the share of
  each, corrected for the classifier's measured confusion (:mod:`.correction`),
  with a bootstrap interval over agreements and test items; ``hard_share`` is
  binding / (binding + soft);
- **enforceability**: the substantive areas the agreement writes, how many of
  them its dispute settlement reaches (it has a dispute-settlement chapter and
  no clause takes the area out of it) and which are carved out;
- **institutional depth**: the bodies the agreement sets up (committees,
  councils, commissions, working groups), its review clauses, and whether it
  has a secretariat.

A family's row pools its agreements' clauses (an agreement of several
families counts in each); a difference between two rows is
``distinguishable`` only when its paired-bootstrap interval excludes zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ...model import UNCLASSIFIED
from ...taxonomy import AREAS
from .classify import STRENGTH_CLASSES, classify_clauses
from .correction import Confusion, group_shares, share_difference
from .table import excluded_areas

__all__ = ["MIX_CLASSES", "PROFILE_AREAS", "evolution", "strength_profile"]

MIX_CLASSES: tuple[str, ...] = ("binding", "soft", "permissive", "exception")
"""The classes of the commitment mix: what an agreement's rules oblige, leave open, allow or carve out."""

PROFILE_AREAS: tuple[str, ...] = tuple(
    key
    for key, info in AREAS.items()
    if key not in (UNCLASSIFIED, "dispute_settlement") and not info.reference.startswith("Structural")
)
"""Substantive areas: the rules a trader meets (no structural area, dispute settlement or unclassified)."""

_BODY = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+){0,5}?(?:Joint\s+)?(?:Sub-?[Cc]ommittee|Committee|Council|Commission|Working\s+(?:Group|Party)"
    r"|Secretariat)(?:\s+(?:on|of|for)(?:\s+(?:[A-Z][\w'’-]*|and|the|of|in|on|to))+)?)"
)
_ABOUT = re.compile(
    r"^(?:(?:the\s+)?(?:establishment|functions?|composition|meetings?|rules\s+of\s+procedure|procedures?|powers?"
    r"|decisions?|chair(?:manship)?|tasks?|role|mandate)\s+of\s+)+"
)
_BARE = frozenset({"sub-committee", "subcommittee", "working group", "working party", "secretariat"})
_TRAILING = re.compile(r"(?:\s+(?:of|on|to|the|and|in|for|regarding))+$")
_AGREEMENT_BODY = re.compile(
    r"committee\s+on|sub-?committee|working\s+(?:group|party)|joint\s+(?:committee|commission|council)"
    r"|association\s+(?:council|committee)|free\s+trade\s+commission|trade\s+committee|co-?operation\s+council"
    r"|council\s+for\s+trade|secretariat"
)
"""Names that bodies of a trade agreement have, as opposed to a Party's own regulators."""
_DOMESTIC_BODY = re.compile(
    r"securities|insurance|national|ministry|of\s+the\s+republic|regulatory|exchange\s+commission"
)
_OUTSIDE_BODY = re.compile(r"\b(?:WTO|World\s+Trade|United\s+Nations|Codex|UN|ICSID|IMF|International)\b")
_SECRETARIAT = re.compile(r"\bSecretariat\b|\bsecretariat\s+(?:of|for)\s+th(?:is|e)\s+agreement\b")


def _bodies(texts: Iterable[str], titles: Iterable[object]) -> set[str]:
    """Names of the bodies an agreement sets up or runs, from its article titles and text.

    Capitalized names of committees, councils, commissions, working groups and
    secretariats ("Committee on Trade in Goods", "RCEP Joint Committee"), with
    the words around a name dropped ("Functions of the Joint Commission" is the
    Joint Commission); bare words ("the Committee") and bodies of other
    organisations (the WTO's committees) are not counted. A proxy, documented
    as such in docs/METHODS.md 1.9.
    """
    names: set[str] = set()
    sources = [t for t in titles if isinstance(t, str)] + [str(t) for t in texts]
    for text in sources:
        for m in _BODY.finditer(text):
            if _OUTSIDE_BODY.search(text[max(0, m.start() - 40) : m.end()]):
                continue
            name = _ABOUT.sub("", " ".join(m.group(1).lower().split())).removeprefix("the ")
            name = _TRAILING.sub("", name)
            if name not in _BARE and _AGREEMENT_BODY.search(name) and not _DOMESTIC_BODY.search(name):
                names.add(name)
    return names


def _agreement_facts(classified: pd.DataFrame) -> pd.DataFrame:
    """Per agreement: enforceability and institutional depth (module docstring)."""
    excluded = excluded_areas(classified)
    rows = []
    for aid, g in classified.groupby("agreement_id", sort=False):
        areas = set(g["area"]) & set(PROFILE_AREAS)
        has_ds = bool((g["area"] == "dispute_settlement").any())
        out = sorted(a for a in areas if (str(aid), a) in excluded)
        reached = sorted(areas - set(out)) if has_ds else []
        rows.append(
            {
                "agreement_id": aid,
                "has_dispute_settlement": has_ds,
                "n_areas": len(areas),
                "n_areas_reached": len(reached),
                "ds_reach": len(reached) / len(areas) if areas else float("nan"),
                "areas_carved_out": ";".join(out),
                "n_bodies": len(
                    _bodies(g["text"].astype(str), g.get("article_title", pd.Series(dtype=object)))
                ),
                "n_review_clauses": int((g["strength_cue"] == "procedural:review").sum()),
                "has_secretariat": bool(g["text"].astype(str).str.contains(_SECRETARIAT).any()),
            }
        )
    return pd.DataFrame(rows).set_index("agreement_id")


def _interval(draws: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    draws = draws[~np.isnan(draws)]
    if not len(draws):
        return float("nan"), float("nan")
    tail = (1 - level) / 2
    return float(np.quantile(draws, tail)), float(np.quantile(draws, 1 - tail))


def _mix(distribution: np.ndarray) -> np.ndarray:
    """The four mix classes of a class distribution (or of each row of draws), renormalized."""
    idx = [STRENGTH_CLASSES.index(c) for c in MIX_CLASSES]
    part = distribution[..., idx]
    total = part.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(total > 0, part / total, np.nan), dtype=float)


def _family_groups(agreements: pd.DataFrame, families: Sequence[str] | None) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for aid, fams in zip(agreements["id"], agreements["families"], strict=True):
        names = [f for f in (fams if isinstance(fams, list | tuple) else str(fams or "").split(";")) if f]
        for fam in names:
            if families is None or fam in families:
                groups.setdefault(fam, []).append(str(aid))
    return groups


def strength_profile(
    clauses: pd.DataFrame,
    agreements: pd.DataFrame,
    *,
    by: str = "agreement",
    families: Sequence[str] | None = None,
    reference: str | None = None,
    confusion: Confusion | None = None,
    reps: int = 500,
    seed: int = 11,
) -> pd.DataFrame:
    """The strict-vs-flexible profile, one row per agreement (``by="agreement"``) or family.

    ``clauses`` as ``Store.clauses()`` returns them (classified here unless a
    ``strength`` column is present); ``agreements`` as ``Store.agreements()``.
    For families, ``families`` limits the rows, and ``reference`` (a family)
    adds the difference of every row's corrected binding share from the
    reference's, its paired-bootstrap interval and whether it is
    ``distinguishable`` from zero.

    Columns: group, ``name`` / ``date_signed`` (agreements), ``n_agreements``,
    ``n_clauses`` (substantive clauses), for each mix class ``<class>``
    (corrected share of the mix), ``<class>_lo`` / ``_hi`` and
    ``<class>_observed``; ``hard_share`` with its interval; enforceability and
    institutional-depth columns (means over a family's agreements); ``note``
    says why a value is missing.
    """
    if by not in ("agreement", "family"):
        raise ValueError(f"by must be 'agreement' or 'family', not {by!r}")
    classified = clauses if "strength" in clauses.columns else classify_clauses(clauses)
    facts = _agreement_facts(classified)
    substantive = classified[classified["area"].isin(PROFILE_AREAS)]
    known = agreements[agreements["id"].isin(classified["agreement_id"].unique())]
    if by == "agreement":
        groups = {str(a): [str(a)] for a in known["id"]}
    else:
        groups = _family_groups(known, families)
    shares = group_shares(substantive, groups, confusion=confusion, reps=reps, seed=seed)
    rows = []
    for name, members in groups.items():
        s = shares[name]
        row: dict[str, object] = {by: name, "n_agreements": len(members), "n_clauses": int(s["n_clauses"])}
        mix, observed, draws = _mix(s["corrected"]), _mix(s["observed"]), _mix(s["draws"])
        for k, cls in enumerate(MIX_CLASSES):
            row[cls] = mix[k]
            row[f"{cls}_lo"], row[f"{cls}_hi"] = _interval(draws[:, k])
            row[f"{cls}_observed"] = observed[k]
        with np.errstate(invalid="ignore", divide="ignore"):
            hard = draws[:, 0] / (draws[:, 0] + draws[:, 1])
        row["hard_share"] = mix[0] / (mix[0] + mix[1]) if mix[0] + mix[1] > 0 else float("nan")
        row["hard_share_lo"], row["hard_share_hi"] = _interval(hard)
        f = facts.loc[[m for m in members if m in facts.index]]
        for col in ("ds_reach", "n_areas", "n_areas_reached", "n_bodies", "n_review_clauses"):
            row[col] = float(f[col].mean()) if len(f) else float("nan")
        row["share_with_dispute_settlement"] = (
            float(f["has_dispute_settlement"].mean()) if len(f) else float("nan")
        )
        row["share_with_secretariat"] = float(f["has_secretariat"].mean()) if len(f) else float("nan")
        carved = pd.Series([a for v in f["areas_carved_out"] for a in v.split(";") if a])
        row["areas_carved_out"] = ";".join(carved.value_counts().index[:6]) if len(carved) else ""
        row["note"] = "" if s["n_clauses"] else "no clause in the substantive areas"
        rows.append(row)
    table = pd.DataFrame(rows)
    if by == "agreement" and len(table):
        meta = known.set_index("id")
        table.insert(1, "name", table["agreement"].map(meta["name"]))
        table.insert(2, "date_signed", table["agreement"].map(meta["date_signed"]))
    if by == "family" and reference is not None and reference in shares:
        diffs = [
            share_difference(shares[g], shares[reference], "binding", within=MIX_CLASSES)
            for g in table["family"]
        ]
        table["binding_vs_reference"] = [d[0] for d in diffs]
        table["binding_vs_reference_lo"] = [d[1] for d in diffs]
        table["binding_vs_reference_hi"] = [d[2] for d in diffs]
        table["distinguishable"] = [
            (lo > 0 or hi < 0) if not (np.isnan(lo) or np.isnan(hi)) else False for _, lo, hi in diffs
        ]
        table["reference"] = reference
    return table


def evolution(profile: pd.DataFrame) -> pd.DataFrame:
    """An agreement profile in order of signature, with the change of each mix share from the previous row.

    ``<class>_change`` is NaN for the first agreement; ``overlaps_previous``
    says whether the binding share's interval overlaps the previous one's, in
    which case the change is within the error and not distinguishable.
    """
    out = profile.sort_values("date_signed", kind="stable").reset_index(drop=True)
    for cls in MIX_CLASSES:
        out[f"{cls}_change"] = out[cls].diff()
    lo, hi = out["binding_lo"], out["binding_hi"]
    overlaps = ((lo <= hi.shift()) & (lo.shift() <= hi)).astype("boolean")
    if len(overlaps):
        overlaps.iloc[0] = pd.NA  # nothing before the first agreement
    out["overlaps_previous"] = overlaps
    return out
