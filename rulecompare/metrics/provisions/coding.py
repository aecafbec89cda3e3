"""Coding the store's agreements: TREND provisions and labour depth, with the clauses behind each code.

Scores are kept in the store's cache per agreement (valid for the model file
and the agreement's clauses), so a second call is quick; a read-only store
simply computes them again.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...model import Clause
from ...store import Store
from .model import AgreementCoding, ProvisionModel, code_agreement, load_model
from .subjects import SUBJECTS_DIGEST

__all__ = ["NO_EVIDENCE", "Coding", "code_provisions", "codes_frame", "evidence_frame", "weights_of"]

_KEY = "provisions|{}|"


@dataclass(frozen=True)
class Coding:
    """Codes of a set of agreements: the model, the agreements' metadata, and each one's result."""

    model: ProvisionModel
    agreements: pd.DataFrame
    """The store's agreements table for the agreements coded, in order."""
    results: dict[str, AgreementCoding]

    def matrix(self) -> pd.DataFrame:
        """Agreements x provision codes: 1.0, 0.0, or NaN when an agreement is not coded."""
        rows = [self.results[a].codes(self.model) for a in self.agreements["id"]]
        return pd.DataFrame(
            np.vstack(rows) if rows else np.zeros((0, len(self.model.codes))),
            index=pd.Index(self.agreements["id"], name="agreement_id"),
            columns=list(self.model.codes),
        )


def _digest(model: ProvisionModel, clauses: Sequence[Clause]) -> str:
    h = hashlib.sha1(f"{model.digest}|{SUBJECTS_DIGEST}".encode())
    for c in clauses:
        h.update("\x1f".join((c.id, c.text, c.article_title or "", c.chapter_title or "")).encode())
        h.update(b"\x1e")
    return h.hexdigest()


def code_provisions(
    store: Store,
    agreement_ids: Sequence[str] | None = None,
    *,
    model: ProvisionModel | None = None,
    progress: Callable[[str], None] | None = None,
) -> Coding:
    """Code ``agreement_ids`` (default: every agreement in ``store``) with the trained model."""
    model = model or load_model()
    agreements = store.agreements(list(agreement_ids) if agreement_ids is not None else None)
    results: dict[str, AgreementCoding] = {}
    fresh: list[tuple[str, str, bytes]] = []
    for row in agreements.to_dict("records"):
        aid = str(row["id"])
        clauses = store.iter_clauses(aid)
        digest = _digest(model, clauses)
        cached = store.cache_get(_KEY.format(aid), digest)
        if cached is not None:
            results[aid] = AgreementCoding.from_json(cached.decode())
        else:
            result = code_agreement(store.agreement(aid), clauses, model)
            results[aid] = result
            fresh.append((_KEY.format(aid), digest, result.to_json().encode()))
        if progress is not None:
            progress(aid)
    store.cache_put_many(fresh)
    return Coding(model, agreements.reset_index(drop=True), results)


def weights_of(model: ProvisionModel) -> np.ndarray:
    """Each provision's weight in the environmental index: -ln of its share of TREND's training
    agreements, so that a provision few agreements have counts for more (a rare provision is a
    deeper commitment) and one most have counts little."""
    return np.asarray(-np.log(np.clip(model.prevalence, 1e-3, 1.0)))


def codes_frame(coding: Coding) -> pd.DataFrame:
    """One row per agreement: id, name, year, status and reason, the depth indices, then a 0/1 column
    per TREND code (NA when the agreement is not coded).

    ``env_count`` is the number of modelled provisions coded,
    ``env_expected`` the expected number of them (the sum of their
    calibrated probabilities: the environmental depth that ranks agreements
    best), ``env_index`` the weighted share of the coded ones on a 0-100
    scale (:func:`weights_of`),
    ``labour_depth`` LABPTA's 0-5 scale and ``labour_expected`` the
    continuous score it is rounded from.
    """
    a = coding.agreements
    m = coding.matrix()
    w = weights_of(coding.model)
    values = m.to_numpy()
    coded = ~np.isnan(values).all(axis=1) if len(values) else np.zeros(0, dtype=bool)
    results = [coding.results[i] for i in a["id"]]
    out = pd.DataFrame(
        {
            "agreement_id": a["id"].to_numpy(),
            "name": a["name"].to_numpy(),
            "year": pd.to_numeric(a["date_signed"].astype(str).str[:4], errors="coerce").astype("Int64"),
            "families": a["families"].to_numpy(),
            "status": [r.status for r in results],
            "reason": [r.reason for r in results],
            "env_count": pd.array(
                [int(np.nansum(v)) if c else pd.NA for v, c in zip(values, coded, strict=True)], dtype="Int64"
            ),
            "env_expected": [
                round(float(np.nansum(r.probabilities(coding.model))), 2) if c else math.nan
                for r, c in zip(results, coded, strict=True)
            ],
            "env_index": [
                round(100 * float(np.nansum(v * w)) / float(w.sum()), 2) if c else math.nan
                for v, c in zip(values, coded, strict=True)
            ],
            "labour_depth": pd.array(
                [int(r.labour_depth) if r.status == "coded" else pd.NA for r in results], dtype="Int64"
            ),
            "labour_expected": [round(r.labour_expected, 3) for r in results],
        }
    )
    codes = m.astype("Int64").reset_index(drop=True)
    return pd.concat([out, codes], axis=1)


NO_EVIDENCE = "no clause of the agreement mentions what this provision is about"
"""The text of the evidence row of a positive code none of whose clauses mentions its subject."""


def evidence_frame(coding: Coding, store: Store, *, all_clauses: bool = False) -> pd.DataFrame:
    """One row per positive code and clause behind it: the agreement, the code (``labour`` for the
    labour depth), the provision's name, the clause's rank, id, score, article and text.

    A code's evidence is its best clauses that mention its subject
    (:mod:`.subjects`) and whose score reaches the provision's threshold
    (:meth:`~.model.ProvisionModel.clause_cut`; the best one always);
    ``all_clauses`` keeps the runner-ups below it too. A positive code with
    no such clause keeps its code and gets one row without a clause (rank,
    clause id and score NA, the text :data:`NO_EVIDENCE`), never another
    clause in its place.
    """
    model = coding.model
    rows: list[tuple[object, ...]] = []
    for aid in coding.agreements["id"]:
        r = coding.results[aid]
        if r.status != "coded":
            continue
        coded = r.codes(model)
        for j, clauses in enumerate(r.evidence):
            if coded[j] != 1.0:
                continue
            if not clauses:
                rows.append((aid, model.codes[j], model.names[j], pd.NA, None, math.nan))
            cut = model.clause_cut(j)
            for rank, (cid, s) in enumerate(clauses, start=1):
                if rank == 1 or all_clauses or s >= cut:
                    rows.append((aid, model.codes[j], model.names[j], rank, cid, s))
        for rank, (cid, s) in enumerate(r.labour_evidence, start=1):
            rows.append((aid, "labour", f"labour depth {r.labour_depth:.0f} of 5", rank, cid, s))
    df = pd.DataFrame(rows, columns=["agreement_id", "code", "provision", "rank", "clause_id", "score"])
    df["rank"] = df["rank"].astype("Int64")
    df["score"] = df["score"].astype(float)
    return _with_text(df, store)


def _with_text(df: pd.DataFrame, store: Store) -> pd.DataFrame:
    texts: dict[str, tuple[str, str]] = {}
    for aid in df["agreement_id"].unique():
        for c in store.iter_clauses(str(aid)):
            label = " ".join(x for x in (c.article_number, c.article_title) if x) or (c.chapter_title or "")
            texts[c.id] = (label, c.text)
    df["article"] = [texts.get(c, ("", ""))[0] for c in df["clause_id"]]
    df["text"] = [texts.get(c, ("", ""))[1] if isinstance(c, str) else NO_EVIDENCE for c in df["clause_id"]]
    return df
