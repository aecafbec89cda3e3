"""Is a stored text the whole agreement? Flags for texts cut short or holding one instrument of several.

A text that stops after chapter 13 of 24 (ToTA's US - Chile) or that holds
only the goods agreement of an ASEAN+1 FTA measures less than the agreement:
compared with others it looks different, and compared by area it looks
silent. Nothing in the text says so, so we look from outside:

- **ends early**: a text of five chapters or more without a single clause of
  final provisions (entry into force, authentic texts) stopped before its
  end;
- **short**: both its chapters and its articles are below
  :data:`SHORT_SHARE` of the median of its peers (texts of the same WTO type
  that share a party with it and were signed within :data:`PEER_YEARS`
  years), when it has at least three peers with ten chapters or more;
- ``agreements/roles.csv`` (``text``) overrides both: ``truncated``,
  ``partial`` (one instrument of several), or ``complete`` for a text that is
  short by design.

The flag does not drop a text from any analysis; every output that uses a
flagged text says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..store import Store
from .roles import NO_ROLES, Roles

__all__ = ["PEER_YEARS", "SHORT_SHARE", "text_flags"]

SHORT_SHARE = 0.4
"""A text with fewer chapters and fewer articles than this share of its peers' median is flagged."""
PEER_YEARS = 6
"""Peers were signed at most this many years apart."""
_MIN_PEERS = 3
_MIN_PEER_CHAPTERS = 10
_MIN_CHAPTERS_FOR_END = 5


def _party_sets(meta: pd.DataFrame) -> list[frozenset[str]]:
    return [frozenset(p for p in str(s).split(";") if p) for s in meta["parties"].fillna("")]


def _shares_a_party(parties: list[frozenset[str]]) -> np.ndarray:
    """``out[i, j]``: agreements i and j have a party in common (an n x n boolean matrix)."""
    codes = {c: i for i, c in enumerate(sorted(set().union(*parties)))}
    incidence = np.zeros((len(parties), max(len(codes), 1)), dtype=np.float32)
    for row, p in enumerate(parties):
        incidence[row, [codes[c] for c in p]] = 1.0
    return np.asarray((incidence @ incidence.T) > 0)


def _peer_masks(meta: pd.DataFrame) -> dict[int, np.ndarray]:
    """Row -> boolean mask of its peers (module docstring), for every row with a year and a type.

    Done on arrays: one party-incidence product for "shares a party", then per
    row a vector of conditions (same type, years apart, party cap), so that the
    whole corpus takes milliseconds, not seconds.
    """
    year = pd.to_datetime(meta["date_signed"].fillna(meta["date_in_force"]), errors="coerce").dt.year
    years = year.to_numpy(dtype=float)
    parties = _party_sets(meta)
    sizes = np.array([len(p) for p in parties])
    kind = meta["type"].fillna("").astype(str).to_numpy()
    shared = _shares_a_party(parties)
    out: dict[int, np.ndarray] = {}
    for k in range(len(meta)):
        if np.isnan(years[k]) or not kind[k]:
            continue
        cap = 3 * max(int(sizes[k]), 2)
        with np.errstate(invalid="ignore"):
            near = np.abs(years - years[k]) <= PEER_YEARS
        peers = (kind == kind[k]) & near & shared[k] & (sizes <= cap)
        peers[k] = False
        out[k] = peers
    return out


def _peer_flags(meta: pd.DataFrame) -> dict[str, str]:
    """Texts much shorter than their peers, with the figures that say so."""
    chapters = meta["n_chapters"].astype(float).to_numpy()
    articles = meta["n_articles"].astype(float).to_numpy()
    ids = [str(a) for a in meta["id"]]
    out: dict[str, str] = {}
    for k, peers in _peer_masks(meta).items():
        if peers.sum() < _MIN_PEERS:
            continue
        note = _short_note(chapters, articles, k, peers)
        if note:
            out[ids[k]] = note
    return out


def _short_note(chapters: np.ndarray, articles: np.ndarray, k: int, peers: np.ndarray) -> str:
    """Why text ``k`` is short against ``peers`` (a boolean mask), or ``""`` when it is not."""
    med_chapters = float(pd.Series(chapters[peers]).median())
    med_articles = float(pd.Series(articles[peers]).median())
    if med_chapters < _MIN_PEER_CHAPTERS:
        return ""
    if chapters[k] < SHORT_SHARE * med_chapters and articles[k] < SHORT_SHARE * med_articles:
        return (
            f"{int(chapters[k])} chapters and {int(articles[k])} articles against a median of "
            f"{med_chapters:g} and {med_articles:g} in {int(peers.sum())} peers"
        )
    return ""


def text_flags(store: Store, *, roles: Roles = NO_ROLES, meta: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per stored agreement: ``id``, ``text`` (``""`` when nothing is wrong, else ``truncated``,
    ``partial``, ``ends early`` or ``short``) and ``text_note`` (why)."""
    meta = meta if meta is not None else store.agreements()
    ids = meta["id"].astype(str).tolist()
    if not ids:
        return pd.DataFrame(columns=["id", "text", "text_note"])
    finals = store.clause_counts(ids, area="final_provisions").set_index("agreement_id")["n"]
    short = _peer_flags(meta)
    rows: list[tuple[str, str, str]] = []
    for agreement_id, n_chapters in zip(ids, meta["n_chapters"], strict=True):
        role = roles.get(agreement_id)
        if role is not None and role.text is not None:
            text = "" if role.text == "complete" else role.text
            rows.append((agreement_id, text, role.note))
        elif int(finals.get(agreement_id, 0)) == 0 and int(n_chapters) >= _MIN_CHAPTERS_FOR_END:
            rows.append((agreement_id, "ends early", f"{int(n_chapters)} chapters, no final provisions"))
        elif agreement_id in short:
            rows.append((agreement_id, "short", short[agreement_id]))
        else:
            rows.append((agreement_id, "", ""))
    return pd.DataFrame(rows, columns=["id", "text", "text_note"])
