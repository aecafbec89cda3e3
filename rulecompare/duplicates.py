"""Agreements held twice: found when the second copy is ingested, linked, and counted once.

The same treaty can reach the store from two sources: ToTA's XML and a text
file of it (Canada-Ukraine is ToTA 396 and ``ggo/canada-ukraine-2016.txt``,
which the manifest does not link).  Counted twice, it would show as two
regimes that overlap perfectly.  So when an agreement is ingested, it is
compared with the agreements already in the store that could be the same
one (a candidate filter: same language, the same parties or one side's
unknown, or similar names, and a text of comparable size), on the measure of
the rest of rulecompare: character 5-gram Jaccard similarity
(:mod:`rulecompare.features`) of their main texts.  ToTA leaves out annexes
and schedules, so two copies agree on their main text, not on their annexes.

At :data:`THRESHOLD` or above the two are linked: the one kept is the one
with the WTO RTA card (a ToTA record: its dates, type and status come from
the card), else the one whose id sorts first, whichever arrived first; the
other gets ``duplicate_of`` = the kept one's id.  Nothing is deleted:
``Store.agreements(include_duplicates=False)`` leaves the duplicate out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .catalog import load_catalog
from .features import jaccard_sets, text_shingles
from .model import Agreement, Clause, ParsedAgreement
from .store import Store

__all__ = ["THRESHOLD", "DuplicateLink", "find_duplicate", "main_text"]

THRESHOLD = 0.9
"""Agreement-level character 5-gram Jaccard of the main texts at which two agreements are one."""
_SIZE_RATIO = 0.5
"""Candidates' whole texts (annexes included) are within this ratio of each other's size."""
# The main texts of two copies with a Jaccard of 0.9 differ in size by a tenth at most; the whole
# texts can differ more, since one copy may carry annexes the other leaves out.


@dataclass(frozen=True, slots=True)
class DuplicateLink:
    """Two copies of one agreement: which is kept and which is linked to it."""

    kept: str
    duplicate: str
    jaccard: float
    message: str
    """The warning for the user, naming both."""


def main_text(clauses: Iterable[Clause]) -> str:
    """The text of an agreement's main-text clauses (all of them when it has no main text)."""
    clauses = list(clauses)
    main = [c.text for c in clauses if not c.annex]
    return "\n".join(main or [c.text for c in clauses])


def find_duplicate(store: Store, parsed: ParsedAgreement) -> DuplicateLink | None:
    """The agreement in ``store`` that ``parsed`` nearly repeats, and which of the two is kept; or None."""
    a = parsed.agreement
    n_chars = sum(len(c.text) for c in parsed.clauses)
    if n_chars == 0:
        return None
    sized = store.agreements_of_size(a.language, int(n_chars * _SIZE_RATIO), int(n_chars / _SIZE_RATIO))
    candidates = _candidates(sized, a)
    if candidates.empty:
        return None
    mine = text_shingles(main_text(parsed.clauses))
    best: tuple[float, int] | None = None
    for k, other_id in enumerate(candidates["id"]):
        j = jaccard_sets(mine, text_shingles(main_text(store.iter_clauses(other_id))))
        if j >= THRESHOLD and (best is None or j > best[0]):
            best = (j, k)
    if best is None:
        return None
    j, k = best
    other = candidates.iloc[k]
    ranks = {
        a.id: _rank(a.id, a.wto_rta_id is not None),
        other["id"]: _rank(str(other["id"]), not pd.isna(other["wto_rta_id"])),
    }
    kept, duplicate = sorted(ranks, key=ranks.__getitem__)
    names = {a.id: a.name, other["id"]: str(other["name"])}
    message = (
        f"{a.id} ({a.name}) nearly repeats {other['id']} ({other['name']}): character 5-gram Jaccard "
        f"{j:.2f} of their main texts; {duplicate} is linked as a duplicate of {kept} ({names[kept]}), "
        "which analyses count"
    )
    return DuplicateLink(kept, duplicate, j, message)


def _rank(agreement_id: str, carded: bool) -> tuple[int, str]:
    """Kept first: an agreement with its WTO RTA card (ToTA), then by id."""
    return (0 if carded or agreement_id.startswith("tota:") else 1, agreement_id)


def _candidates(sized: pd.DataFrame, a: Agreement) -> pd.DataFrame:
    """The agreements of comparable size that could be ``a`` (see the module docstring)."""
    if sized.empty:
        return sized
    catalog = load_catalog()
    parties = frozenset(catalog.expand_parties(a.parties or a.parties_original, a.date_signed))

    def could_be(row: pd.Series) -> bool:
        # An inactive agreement's current parties are empty: its original ones say who signed it.
        listed = [p for p in str(row["parties"] or row["parties_original"] or "").split(";") if p]
        signed = dt.date.fromisoformat(row["date_signed"]) if isinstance(row["date_signed"], str) else None
        theirs = frozenset(catalog.expand_parties(listed, signed))
        if parties and theirs:
            # Blocs count as their members then ("EU" beside a list of member states).
            return parties == theirs
        return _name_similarity(a.name, str(row["name"])) >= 0.5  # parties unknown: the names say

    # One already linked to another is compared through that one.
    keep = (sized["id"] != a.id) & (sized["linked"] == 0) & sized.apply(could_be, axis=1)
    return sized[keep].reset_index(drop=True)


_NAME_NOISE = frozenset("agreement free trade between the of and government republic people s fta".split())


def _name_similarity(a: str, b: str) -> float:
    """Jaccard of the names' words, the words every agreement's name has left out."""
    wa = set(re.findall(r"[a-z]+", a.lower())) - _NAME_NOISE
    wb = set(re.findall(r"[a-z]+", b.lower())) - _NAME_NOISE
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0
