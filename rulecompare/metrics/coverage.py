"""The spaghetti bowl, coverage part: how many agreements in force bind each pair of countries.

Bhagwati (1995) named the "spaghetti bowl" of criss-crossing preferential
agreements; the first thing to measure is how often two countries are bound
to each other by more than one of them. The lists (the WTO RTA database
export and the DESTA list of Dür, Baccini and Elsig 2014) are read by
:mod:`rulecompare.catalog.rtalists`; this module counts, for every pair of
trade-policy actors, the agreements in force that bind them, and for every
actor its partners covered more than once.

Who is a party (docs/METHODS.md, "Coverage overlap"):

- A bloc signatory ("European Free Trade Association (EFTA)", "ASEAN Free
  Trade Area (AFTA)") binds each of its members at the reference date: a
  bloc's agreement binds each member.
- The EU acts as one party (common commercial policy, see
  :data:`rulecompare.catalog.BLOCS_ACTING_AS_ONE`): its members are folded
  into one actor ``EU``, so EU-Chile is one relationship, not 27, and the EU
  members are not 351 relationships with each other. Other blocs' members
  stay separate actors, because they also sign agreements on their own
  (Singapore has ASEAN-China and China-Singapore): that is the overlap we
  measure.
- Accession rows of the WTO list ("... - Accession of Ecuador") extend their
  base agreement and are not agreements of their own.
- Roles (``agreements/roles.csv`` and the WTO card, :mod:`rulecompare.catalog.standing`):
  partial-scope schemes and the multilateral agreements are not counted
  unless included; a services agreement beside a goods agreement between the
  same parties completes it and is not a second regime; a successor takes
  over the pairs of the agreement it supersedes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pandas as pd

from ..catalog import Catalog, load_catalog
from ..catalog.roles import Roles, load_roles
from ..catalog.rtalists import IN_FORCE_STATUSES, WTO_BLOC_NAMES, load_desta, load_wto_rtas
from ..catalog.standing import Regimes, Selection, annotate, parse_include, regimes

__all__ = [
    "IN_FORCE_STATUSES",
    "WTO_BLOC_NAMES",
    "country_coverage",
    "coverage_summary",
    "list_regimes",
    "load_desta",
    "load_wto_rtas",
    "pair_coverage",
]


def list_regimes(
    rtas: pd.DataFrame,
    as_of: int | None = None,
    *,
    include: str | Iterable[str] | None = None,
    catalog: Catalog | None = None,
    roles: Roles | None = None,
) -> Regimes:
    """The agreements of a list counted on the day, with their roles applied (see the module docstring)."""
    roles = roles if roles is not None else load_roles()
    selection = Selection(as_of, parse_include(include))
    return regimes(
        annotate(rtas, as_of=as_of, roles=roles),
        selection=selection,
        catalog=catalog or load_catalog(),
        roles=roles,
    )


def pair_coverage(
    rtas: pd.DataFrame,
    as_of: int | None = None,
    *,
    include: str | Iterable[str] | None = None,
    catalog: Catalog | None = None,
    roles: Roles | None = None,
    counted: Regimes | None = None,
) -> pd.DataFrame:
    """Every pair of actors bound by at least one agreement in force, with how many bind them.

    ``rtas`` comes from :func:`load_wto_rtas` or :func:`load_desta`;
    ``as_of`` is a year (agreements in force on 31 December of it) or None
    for the current WTO status; ``include`` brings back kinds left out by
    default (``partial-scope``, ``multilateral``, ``services``); ``counted``
    passes regimes already computed with :func:`list_regimes`. Columns:
    ``iso_a`` < ``iso_b`` (ISO3, or ``EU``), ``n_agreements``,
    ``agreement_ids`` and ``agreement_names`` (";"-joined, sorted by id).
    Sorted by ``n_agreements`` descending.
    """
    counted = counted or list_regimes(rtas, as_of, include=include, catalog=catalog, roles=roles)
    rows = [
        {
            "iso_a": a,
            "iso_b": b,
            "n_agreements": len(keys),
            "agreement_ids": ";".join(keys),
            "agreement_names": ";".join(counted.regimes[k].name for k in keys),
        }
        for (a, b), keys in counted.pair_keys().items()
    ]
    out = pd.DataFrame(rows, columns=["iso_a", "iso_b", "n_agreements", "agreement_ids", "agreement_names"])
    return out.sort_values(
        ["n_agreements", "iso_a", "iso_b"], ascending=[False, True, True], ignore_index=True
    )


def country_coverage(
    rtas: pd.DataFrame,
    as_of: int | None = None,
    *,
    include: str | Iterable[str] | None = None,
    catalog: Catalog | None = None,
    roles: Roles | None = None,
    counted: Regimes | None = None,
) -> pd.DataFrame:
    """Per actor: agreements in force, partners, and partners covered by more than one agreement.

    Columns: ``iso3`` (``EU`` for the Union), ``n_agreements`` (agreements
    in force binding it to at least one other actor), ``n_partners``,
    ``n_partners_multi`` (partners bound to it by two or more agreements),
    ``share_multi`` (= n_partners_multi / n_partners),
    ``mean_agreements_per_partner``, ``max_agreements_per_partner``. Sorted by
    ``n_agreements`` descending. Options as :func:`pair_coverage`.
    """
    counted = counted or list_regimes(rtas, as_of, include=include, catalog=catalog, roles=roles)
    pairs = pair_coverage(rtas, counted=counted)
    keys_of: dict[str, set[str]] = defaultdict(set)
    for (a, b), keys in counted.pair_keys().items():
        keys_of[a].update(keys)
        keys_of[b].update(keys)
    both = pd.concat(
        [
            pairs[["iso_a", "n_agreements"]].rename(columns={"iso_a": "iso3"}),
            pairs[["iso_b", "n_agreements"]].rename(columns={"iso_b": "iso3"}),
        ]
    )
    per = (
        both.groupby("iso3")["n_agreements"]
        .agg(
            n_partners="size",
            n_partners_multi=lambda s: int((s > 1).sum()),
            mean_agreements_per_partner="mean",
            max_agreements_per_partner="max",
        )
        .reset_index()
    )
    per.insert(1, "n_agreements", per["iso3"].map(lambda c: len(keys_of[c])).astype(int))
    per["share_multi"] = per["n_partners_multi"] / per["n_partners"]
    cols = [
        "iso3",
        "n_agreements",
        "n_partners",
        "n_partners_multi",
        "share_multi",
        "mean_agreements_per_partner",
        "max_agreements_per_partner",
    ]
    return per[cols].sort_values(["n_agreements", "iso3"], ascending=[False, True], ignore_index=True)


def coverage_summary(pairs: pd.DataFrame) -> dict[str, float]:
    """Corpus-wide figures from :func:`pair_coverage`: relationships, and the share covered more than once."""
    n = len(pairs)
    multi = int((pairs["n_agreements"] > 1).sum())
    return {
        "n_relationships": n,
        "n_multi": multi,
        "share_multi": multi / n if n else float("nan"),
        "mean_agreements": float(pairs["n_agreements"].mean()) if n else float("nan"),
    }
