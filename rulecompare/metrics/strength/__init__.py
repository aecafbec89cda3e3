"""How binding the rules are: obligation strength of clauses, and dispute-settlement carve-outs.

Two agreements can cover the same policy area with the same words and still
bind their parties very differently: "each Party shall ensure" is a hard
commitment, "the Parties shall endeavour to" is a soft one, and a chapter that
"shall not be subject to Chapter 20 (Dispute Settlement)" cannot be enforced
by the agreement's own tribunal whatever its verbs say. This package gives
each clause one obligation-strength class from a closed set (:mod:`.classify`,
rules in :mod:`.rules`), finds the clauses that exclude a chapter or article
from dispute settlement (:mod:`.exclusion`), and summarises both per
agreement and policy area (:mod:`.table`); :mod:`.evaluation` scores the
classifier against the labelled sets, :mod:`.correction` corrects shares for
its measured errors, and :mod:`.profile` builds the strict-vs-flexible profile
of agreements and families.
"""

from __future__ import annotations

from .classify import (
    STRENGTH_CLASSES,
    StrengthClass,
    classify_clauses,
    classify_strength,
    clause_contexts,
    explain_strength,
)
from .correction import Confusion, corrected_distribution, group_shares, load_confusion, share_difference
from .exclusion import dispute_settlement_exclusion, excluded_from_dispute_settlement
from .profile import MIX_CLASSES, PROFILE_AREAS, evolution, strength_profile
from .rules import Context, Decision
from .table import ENFORCEABLE_THRESHOLD, strength_table

__all__ = [
    "ENFORCEABLE_THRESHOLD",
    "MIX_CLASSES",
    "PROFILE_AREAS",
    "STRENGTH_CLASSES",
    "Confusion",
    "Context",
    "Decision",
    "StrengthClass",
    "classify_clauses",
    "classify_strength",
    "clause_contexts",
    "corrected_distribution",
    "dispute_settlement_exclusion",
    "evolution",
    "excluded_from_dispute_settlement",
    "explain_strength",
    "group_shares",
    "load_confusion",
    "share_difference",
    "strength_profile",
    "strength_table",
]
