"""How well rulecompare links agreements to DESTA and codes their environmental and labour provisions.

    python benchmarks/provisions.py crosswalk [--db FILE]
    python benchmarks/provisions.py cv [--db FILE]
    python benchmarks/provisions.py evidence [--db FILE] [--sample 40] [-o sample.csv]

``crosswalk``: the DESTA crosswalk of every agreement in the store (counts by
status, ToTA and other texts apart), the agreements left ambiguous or
unmatched with the reason, and a check that does not use the crosswalk's
scores: for matched ToTA agreements, whether DESTA's spelling of the WTO name
is the name of ToTA's WTO RTA id.

``cv``: the cross-validated figures of the shipped model (``model.json.gz``
holds the out-of-fold predictions of its nested cross-validation by
agreement, made by ``scripts/train_provisions.py``): F1 per TREND provision,
macro-F1 over the provisions with at least 20 positives, Spearman's rho of
the environmental depth (``env_expected``, the sum of the provisions'
calibrated probabilities; and ``env_count``, the count of 0/1 codes) with
TREND's count of provisions and of the labour depth with LABPTA's, overall
and per family.

``evidence``: a seeded random sample of positive codes in the store that
have an evidence clause, each with its best clause, for reading by hand
(write it with ``-o`` and fill in the ``right`` column); first, how many
positive codes have no clause that mentions their subject.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from rulecompare.catalog import crosswalk_frame, load_desta_treaties
from rulecompare.catalog.desta import load_wto_names
from rulecompare.catalog.names import key
from rulecompare.metrics.provisions import code_provisions, evidence_frame, load_model, load_trend
from rulecompare.paths import resolve_db_path
from rulecompare.store import Store


def crosswalk_report(store: Store) -> None:
    agreements = store.agreements()
    df = crosswalk_frame(agreements)
    tota = df["agreement_id"].str.startswith("tota:")
    for label, part in (("ToTA", df[tota]), ("other texts", df[~tota]), ("all", df)):
        counts = part["status"].value_counts()
        print(
            f"{label:12} {len(part):4} agreements: "
            + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("matched", "ambiguous", "unmatched"))
        )
    print("\nnot matched:")
    with pd.option_context("display.width", 200, "display.max_colwidth", 120, "display.max_rows", None):
        print(df.loc[df["status"] != "matched", ["agreement_id", "name", "status", "reason"]].to_string())
    treaties = {t.number: t for t in load_desta_treaties()}
    wto = load_wto_names()
    same = differ = unknown = 0
    for row in df[tota & (df["status"] == "matched")].itertuples():
        wto_name = treaties[str(row.desta_id)].wto_name
        theirs = wto.get(key(wto_name)) if wto_name else None
        if theirs is None or pd.isna(row.wto_rta_id):
            unknown += 1
        elif theirs == row.wto_rta_id:
            same += 1
        else:
            differ += 1
    print(
        f"\nmatched ToTA agreements whose DESTA WTO name is that of ToTA's WTO RTA id: {same} of "
        f"{same + differ} ({differ} differ; {unknown} without a WTO name on one side)"
    )


FAMILIES = ("us", "eu", "efta", "china", "asean")
MIN_POSITIVES = 20


def _family(families: str) -> str:
    """The first of :data:`FAMILIES` an agreement belongs to, else "other"."""
    mine = set(str(families or "").split(";"))
    return next((f for f in FAMILIES if f in mine), "other")


def _rho(a: np.ndarray, b: np.ndarray) -> float:
    return float(spearmanr(a, b)[0]) if len(a) >= 5 and np.ptp(a) > 0 and np.ptp(b) > 0 else float("nan")


def _micro(truth: np.ndarray, predicted: np.ndarray) -> float:
    """F1 over every (agreement, provision) decision together."""
    tp = int((truth & predicted).sum())
    wrong = int((truth ^ predicted).sum())
    return 2 * tp / (2 * tp + wrong) if tp + wrong else float("nan")


def cv_report(store: Store) -> None:
    model = load_model()
    env = model.raw["environment"]
    provisions = pd.DataFrame(
        [
            {"code": p["code"], "name": p["name"], "positives": p["positives"], **p["cv"]}
            for p in env["provisions"]
        ]
    )
    with pd.option_context("display.width", 200, "display.max_rows", None, "display.max_colwidth", 70):
        print(provisions.sort_values("positives", ascending=False).to_string(index=False))
    big = provisions[provisions["positives"] >= MIN_POSITIVES]
    print(
        f"\nmacro-F1, {len(big)} provisions with >= {MIN_POSITIVES} positives: {big['f1'].mean():.3f}"
        f"  (all {len(provisions)} modelled: {provisions['f1'].mean():.3f})"
    )
    top = load_trend().sum().sort_values(ascending=False, kind="stable").index[:100]
    covered = len(set(top) & set(model.codes))
    print(f"of TREND's 100 most frequent provisions (training part): {covered} modelled")
    cv = env["cv"]
    predicted = np.array([[c == "1" for c in row] for row in cv["predicted"]])
    agreements = store.agreements(cv["agreements"]).set_index("id")
    fam = np.array([_family(agreements.loc[a, "families"]) for a in cv["agreements"]])
    count = predicted.sum(axis=1)
    expected_env = np.asarray(cv["expected"])
    trend_count = np.asarray(cv["trend_count"])
    # The DESTA numbers the model was trained with (kept in the file): the store's crosswalk may link
    # differently today (a manifest year no longer stored as a date leaves CETA unmatched).
    truth = load_trend().loc[cv["desta_ids"], cv["codes"]].to_numpy(dtype=bool)
    lab = model.raw["labour"]["cv"]
    expected = np.asarray(lab["expected"])
    depth = np.clip(np.round(expected), 0, 5)
    labpta = np.asarray(lab["labpta"])
    lab_fam = np.array([_family(agreements.loc[a, "families"]) if a in agreements.index else "other"
                        for a in lab["agreements"]])  # fmt: skip
    print(
        f"environmental depth vs TREND's count of provisions: Spearman {_rho(expected_env, trend_count):.3f} "
        f"(env_expected, the sum of calibrated probabilities), {_rho(count, trend_count):.3f} "
        f"(env_count, the count of 0/1 codes) ({len(count)} agreements)"
    )
    print(
        f"labour depth vs LABPTA: Spearman {_rho(depth, labpta):.3f} (rounded 0-5), "
        f"{_rho(expected, labpta):.3f} (expected depth); exact {np.mean(depth == labpta):.2f}, "
        f"within one {np.mean(np.abs(depth - labpta) <= 1):.2f} ({len(depth)} agreements)"
    )
    print(f"micro-F1 over all {predicted.size} decisions: {_micro(truth, predicted):.3f}")
    sel = np.isin(cv["codes"], big["code"])
    tp = int((truth[:, sel] & predicted[:, sel]).sum())
    print(
        f"over the {int(sel.sum())} provisions with >= {MIN_POSITIVES} positives: precision "
        f"{tp / max(1, int(predicted[:, sel].sum())):.2f}, recall {tp / max(1, int(truth[:, sel].sum())):.2f}"
    )
    print("\nper family (first of us, eu, efta, china, asean the agreement belongs to):")
    for f in (*FAMILIES, "other"):
        e, la = fam == f, lab_fam == f
        print(
            f"  {f:6} TREND n={e.sum():3}  micro-F1 {_micro(truth[e], predicted[e]):5.3f}  "
            f"env Spearman {_rho(expected_env[e], trend_count[e]):6.3f} "
            f"(count {_rho(count[e], trend_count[e]):6.3f})  "
            f"mean coded {count[e].mean() if e.any() else float('nan'):5.1f}  "
            f"mean TREND {trend_count[e].mean() if e.any() else float('nan'):5.1f}   "
            f"LABPTA n={la.sum():3}  labour Spearman {_rho(depth[la], labpta[la]):6.3f}"
        )


def evidence_sample(store: Store, n: int, seed: int, output: Path | None) -> None:
    coding = code_provisions(store)
    ev = evidence_frame(coding, store)
    env = ev[ev["code"] != "labour"]
    best = env[env["rank"].eq(1).fillna(False).astype(bool)]
    none = int(env["clause_id"].isna().sum())
    print(
        f"{len(best) + none} positive TREND codes: {len(best)} with an evidence clause, {none} "
        f"({none / max(1, len(best) + none):.0%}) with none that mentions the provision's subject"
    )
    sample = best.sample(n=min(n, len(best)), random_state=seed).reset_index(drop=True)
    sample["right"] = ""
    if output is not None:
        sample.to_csv(output, index=False)
        print(f"wrote {len(sample)} rows to {output}")
        return
    for r in sample.itertuples():
        text = " ".join(str(r.text).split())[:600]
        print(f"[{r.Index}] {r.agreement_id} {r.code} {r.provision}\n    {r.article}: {text}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["crosswalk", "cv", "evidence"])
    ap.add_argument("--db", type=Path, default=None, help="Store file (default: as the CLI finds it).")
    ap.add_argument("--sample", type=int, default=40, help="Codes drawn for `evidence`.")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("-o", "--output", type=Path, default=None)
    args = ap.parse_args()
    path, _ = resolve_db_path(args.db)
    with Store(path, readonly=True) as store:
        if args.what == "crosswalk":
            crosswalk_report(store)
        elif args.what == "cv":
            cv_report(store)
        else:
            evidence_sample(store, args.sample, args.seed, args.output)


if __name__ == "__main__":
    main()
