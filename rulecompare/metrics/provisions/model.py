"""The trained scorers (a small gzipped JSON file in the package) and coding one agreement with them.

Coding needs numpy and scipy only: the file holds, for each TREND provision,
a few hundred feature weights, a bias and a threshold, and for labour depth
five logistic models over agreement features (see :mod:`.train` for how
they are fitted and ``scripts/train_provisions.py`` to fit them again).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ...errors import RulecompareError
from ...model import Agreement, Clause
from .sentences import MentionIndex
from .tokens import (
    ENVIRONMENT,
    LABOUR,
    article_features,
    candidate_articles,
    group_articles,
    instances,
    subject_texts,
)
from .train import Calibration, feature_matrix, probability

__all__ = [
    "EVIDENCE",
    "MODEL_FILE",
    "MODEL_FORMAT",
    "AgreementCoding",
    "ProvisionModel",
    "code_agreement",
    "load_model",
]

MODEL_FILE = Path(__file__).with_name("model.json.gz")
MODEL_FORMAT = 2
"""The layout of the model file; training writes it and loading refuses any other (2: calibrated
probabilities, thresholds on them)."""
EVIDENCE = 3
"""Clauses kept as evidence per positive code."""

Vector = npt.NDArray[np.float64]
Status = Literal["coded", "not coded"]


@dataclass(frozen=True)
class ProvisionModel:
    """The scorers of every modelled TREND provision and the labour depth models."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    thresholds: Vector
    """Per provision, the probability at or above which an agreement has it."""
    calibration: npt.NDArray[np.float64]
    """Provisions x 4: a, b, c and floor of :class:`~.train.Calibration`."""
    biases: Vector
    prevalence: Vector
    """Share of TREND's training agreements with each provision (for the weighted index)."""
    columns: dict[str, int]
    weights: sp.csc_matrix
    """Features x provisions."""
    labour_columns: dict[str, int]
    labour_weights: npt.NDArray[np.float64]
    """Features x 5 (the models of depth > 0 ... depth > 4)."""
    labour_biases: Vector
    raw: dict[str, Any]
    """The file's content (cross-validation figures included)."""
    digest: str

    def probabilities(self, scores: Vector, mentioned: npt.NDArray[np.bool_]) -> Vector:
        """Per provision, the probability of the provision given its best clause score and whether a
        clause mentions its subject (:class:`~.train.Calibration`)."""
        return probability(scores, mentioned, *self.calibration.T)

    def clause_cut(self, j: int) -> float:
        """The score at which a clause that mentions provision ``j``'s subject reaches its threshold."""
        return Calibration(*(float(v) for v in self.calibration[j])).clause_cut(float(self.thresholds[j]))

    def matrix(
        self, features: Sequence[Sequence[str]], columns: dict[str, int], *, normalize: bool = True
    ) -> sp.csr_matrix:
        """Clauses x features in ``columns``' order, as in training (:func:`~.train.feature_matrix`)."""
        return feature_matrix(features, columns, normalize=normalize)


def _from_json(raw: dict[str, Any], digest: str) -> ProvisionModel:
    env = raw["environment"]["provisions"]
    vocab = sorted({f for p in env for f in p.get("features", ())})
    columns = {f: i for i, f in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for j, p in enumerate(env):
        for f, w in zip(p.get("features", ()), p.get("weights", ()), strict=True):
            rows.append(columns[f])
            cols.append(j)
            vals.append(w)
    lab = raw["labour"]
    return ProvisionModel(
        codes=tuple(p["code"] for p in env),
        names=tuple(p["name"] for p in env),
        thresholds=np.array([p["threshold"] if "bias" in p else math.inf for p in env], dtype=float),
        calibration=np.array([p["calibration"] for p in env], dtype=float).reshape(len(env), 4),
        biases=np.array([p.get("bias", -math.inf) for p in env], dtype=float),
        prevalence=np.array([p["prevalence"] for p in env], dtype=float),
        columns=columns,
        weights=sp.csc_matrix((vals, (rows, cols)), shape=(len(vocab), len(env))),
        labour_columns={f: i for i, f in enumerate(lab["features"])},
        labour_weights=np.array([m["weights"] for m in lab["models"]], dtype=float).T,
        labour_biases=np.array([m["bias"] for m in lab["models"]], dtype=float),
        raw=raw,
        digest=digest,
    )


@functools.lru_cache(maxsize=2)
def load_model(path: Path = MODEL_FILE) -> ProvisionModel:
    """The trained model (read once)."""
    try:
        data = path.read_bytes()
        raw = json.loads(gzip.decompress(data))
    except (OSError, ValueError) as exc:
        raise RulecompareError(f"{path}: cannot read the provision model ({exc})") from None
    if raw.get("format") != MODEL_FORMAT:
        raise RulecompareError(f"{path}: unknown provision model format {raw.get('format')!r}")
    return _from_json(raw, hashlib.sha1(data).hexdigest())


@dataclass(frozen=True)
class AgreementCoding:
    """What the model says about one agreement."""

    agreement_id: str
    status: Status
    reason: str
    """Why it is not coded ("" when coded)."""
    scores: tuple[float, ...] = ()
    """Best clause score per provision (in the model's order); -inf without a candidate clause."""
    evidence: tuple[tuple[tuple[str, float], ...], ...] = ()
    """Per provision, the best clauses (id, score) that mention its subject (:mod:`.subjects`), best first,
    up to :data:`EVIDENCE`; empty when no clause does."""
    labour_expected: float = math.nan
    """Expected labour depth (0-5, continuous)."""
    labour_evidence: tuple[tuple[str, float], ...] = ()
    """Labour clauses (id, contribution to the depth score), largest first."""

    def probabilities(self, model: ProvisionModel) -> npt.NDArray[np.float64]:
        """Per provision, the calibrated probability that the agreement has it (from its best clause
        score and whether a clause mentions the provision's subject); NaN when not coded."""
        if self.status != "coded":
            return np.full(len(model.codes), np.nan)
        said = np.array([len(e) > 0 for e in self.evidence], dtype=bool)
        return model.probabilities(np.asarray(self.scores, dtype=float), said)

    def codes(self, model: ProvisionModel) -> npt.NDArray[np.float64]:
        """1.0 / 0.0 per provision (its probability at or above the provision's threshold), NaN when
        the agreement is not coded."""
        p = self.probabilities(model)
        return np.where(np.isnan(p), np.nan, (p >= model.thresholds).astype(float))

    @property
    def labour_depth(self) -> float:
        """Labour depth on LABPTA's 0-5 scale (the expected depth rounded), NaN when not coded."""
        return float(min(5, max(0, round(self.labour_expected)))) if self.status == "coded" else math.nan

    def to_json(self) -> str:
        return json.dumps(
            {
                "agreement_id": self.agreement_id, "status": self.status, "reason": self.reason,
                "scores": [s if math.isfinite(s) else None for s in self.scores],
                "evidence": self.evidence, "labour_expected": self.labour_expected,
                "labour_evidence": self.labour_evidence,
            }
        )  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> AgreementCoding:
        d = json.loads(text)
        return cls(
            agreement_id=d["agreement_id"],
            status=d["status"],
            reason=d["reason"],
            scores=tuple(-math.inf if s is None else s for s in d["scores"]),
            evidence=tuple(tuple((c, s) for c, s in e) for e in d["evidence"]),
            labour_expected=math.nan if d["labour_expected"] is None else d["labour_expected"],
            labour_evidence=tuple((c, s) for c, s in d["labour_evidence"]),
        )


def code_agreement(agreement: Agreement, clauses: Sequence[Clause], model: ProvisionModel) -> AgreementCoding:
    """Score ``agreement``'s clauses with every provision scorer and the labour models.

    Only English texts are coded (the scorers learnt English words); an
    agreement in another language, or without clauses, is "not coded" with
    the reason, and its codes are NaN, never 0.
    """
    if agreement.language != "en":
        return AgreementCoding(
            agreement.id, "not coded", f"provisions are coded from English texts only ({agreement.language})"
        )
    if not clauses:
        return AgreementCoding(agreement.id, "not coded", "no clauses in the store")
    articles = group_articles(clauses)
    scores, evidence = _environment(articles, model)
    expected, labour_evidence = _labour(articles, model)
    return AgreementCoding(agreement.id, "coded", "", scores, evidence, expected, labour_evidence)


def _environment(
    articles: Sequence[Any], model: ProvisionModel
) -> tuple[tuple[float, ...], tuple[tuple[tuple[str, float], ...], ...]]:
    ids: list[str] = []
    feats: list[list[str]] = []
    said: list[tuple[str, str]] = []
    for art in candidate_articles(articles, ENVIRONMENT):
        every = article_features(art)
        context = subject_texts(art)
        for i in instances(art, ENVIRONMENT):
            ids.append(art.clause_ids[i])
            feats.append(every[i])
            said.append(context[i])
    n = len(model.codes)
    if not ids:
        return tuple([-math.inf] * n), tuple(() for _ in range(n))
    s = np.asarray((model.matrix(feats, model.columns) @ model.weights).todense()) + model.biases
    best = s.max(axis=0)
    order = np.argsort(-s, axis=0, kind="stable")
    index = MentionIndex(said)
    evidence = tuple(
        tuple((ids[i], round(float(s[i, j]), 4)) for i in _mentioning(model.codes[j], order[:, j], index))
        for j in range(n)
    )
    return tuple(float(v) for v in best), evidence


def _mentioning(code: str, ranked: Iterable[int], index: MentionIndex) -> list[int]:
    """The first :data:`EVIDENCE` clauses of ``ranked`` (best first) that mention ``code``'s subject."""
    out: list[int] = []
    for i in ranked:
        if index(code, int(i)):
            out.append(int(i))
            if len(out) == EVIDENCE:
                break
    return out


def _labour(articles: Sequence[Any], model: ProvisionModel) -> tuple[float, tuple[tuple[str, float], ...]]:
    ids: list[str] = []
    feats: list[list[str]] = []
    says_labour: list[bool] = []
    for art in candidate_articles(articles, LABOUR):
        every = article_features(art)
        for i in instances(art, LABOUR):
            ids.append(art.clause_ids[i])
            feats.append([f for f in every[i] if not f.startswith("a:")])
            says_labour.append(bool(LABOUR.search(art.texts[i].lower())))
    pooled = sorted({f for fs in feats for f in fs})
    x = model.matrix([pooled], model.labour_columns, normalize=False)
    expected = float(np.sum(1.0 / (1.0 + np.exp(-(x @ model.labour_weights + model.labour_biases)))))
    if not ids:
        return expected, ()
    # A clause's part in the depth: the positive weights (summed over the five models) of the features
    # it holds, on unit-length rows so that long clauses do not win by length alone; only
    # clauses that name labour themselves are evidence.
    positive = np.clip(model.labour_weights.sum(axis=1), 0, None)
    part = np.asarray(model.matrix(feats, model.labour_columns) @ positive).ravel()
    part[~np.asarray(says_labour)] = 0.0
    order = np.argsort(-part, kind="stable")[:EVIDENCE]
    return expected, tuple((ids[i], round(float(part[i]), 4)) for i in order if part[i] > 0)
