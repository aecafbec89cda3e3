"""The crosswalk to DESTA: which DESTA treaty (and which WTO RTA) each stored agreement is.

Hand-coded datasets on trade agreements (DESTA's design variables, TREND's
environmental provisions, LABPTA's labour provisions) identify an agreement
by its DESTA number (Dür, Baccini and Elsig 2014); ToTA and the WTO RTA-IS
use the WTO RTA id; a user's own file has neither. To check rulecompare's
results against those datasets, or to join its exports to them, every stored
agreement needs its DESTA number where DESTA lists it.

Nothing in the texts says so, and DESTA does not give WTO ids, so the link is
inferred: each agreement is scored against every DESTA treaty that shares a
party, on three signals (docs/METHODS.md, "The DESTA crosswalk"):

- parties: the Jaccard index of the two sets of countries, blocs written out
  as their members on the day of signature (ToTA lists the EU's member states,
  DESTA does too, a user's file may just say ``EU``);
- year of signature: equal, one or two years apart, or further;
- name: the words the two names share, after :func:`~.names.normalize` and
  DESTA's long bloc names shortened (both DESTA's own name and its spelling
  of the WTO name are tried).

The best candidate is the link when it scores at least :data:`MIN_CONFIDENCE`
and no other DESTA treaty comes within :data:`MARGIN` of it; otherwise the
agreement is reported as ambiguous (with the competing numbers) or
unmatched (with the best candidate and why it fell short), never guessed.
Negotiations and withdrawals are not treaty texts and are never candidates;
accessions, protocols and consolidated texts are, but give way to the base
treaty unless the agreement's name says it is one of them.

The computation reads two metadata files and takes well under a second, so it
is done when asked for (and kept for the session), not stored at ingest: a
store ingested before this package existed gets its links without re-ingest.

Its modules: :mod:`.lists` reads the DESTA and WTO lists, :mod:`.scoring`
scores one agreement and decides its link, :mod:`.links` links many and keeps
the result in the store's cache.
"""

from __future__ import annotations

from .links import CROSSWALK_COLUMNS, crosswalk, crosswalk_frame, store_crosswalk
from .lists import DESTA_FILE, WTO_FILE, DestaTreaty, desta_path, load_desta_treaties, load_wto_names
from .scoring import MARGIN, MIN_CONFIDENCE, DestaLink, LinkStatus

__all__ = [
    "CROSSWALK_COLUMNS",
    "DESTA_FILE",
    "MARGIN",
    "MIN_CONFIDENCE",
    "WTO_FILE",
    "DestaLink",
    "DestaTreaty",
    "LinkStatus",
    "crosswalk",
    "crosswalk_frame",
    "desta_path",
    "load_desta_treaties",
    "load_wto_names",
    "store_crosswalk",
]
