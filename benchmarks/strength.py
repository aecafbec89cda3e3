"""The obligation-strength and policy-area classifiers against the hand-labelled sets.

    python benchmarks/strength.py --db STORE               # the dev sets (in-sample)
    python benchmarks/strength.py --db STORE --split test2   # the second frozen split
    python benchmarks/strength.py --db STORE --split test2 --write

(``--split test`` is the first frozen split, used up by three runs; docs/LABELLING.md 3.2.)

Prints, for obligation strength: accuracy with a 95 % interval (bootstrap over
agreements, the unit the sets are split by), the confusion matrix, precision
and recall per class, and accuracy per family and language; for policy areas:
strict and lenient precision, coverage, and precision and recall per area.

``--write`` (a frozen split only: test or test2) writes the confusion counts
the corrected shares use (``rulecompare/metrics/strength/confusion.csv``) and
the figures section of docs/METHODS.md (between its ``strength-figures``
markers), so that the page shows exactly what this prints and names the split
it comes from. The frozen splits are for the reported figures only: develop on
the dev split (docs/LABELLING.md 3).

The store is copied and brought up to date first (``rulecompare ingest``
re-parses any source whose parser version changed), so the clauses and their
areas are those of the current code. Without ``--db`` the default corpus is
ingested into a temporary store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from rulecompare.ingest import parser_version
from rulecompare.metrics.strength import STRENGTH_CLASSES
from rulecompare.metrics.strength.correction import CONFUSION_FILE
from rulecompare.metrics.strength.evaluation import (
    accuracy_interval,
    area_predictions,
    area_scores,
    confusion_matrix,
    group_accuracy,
    per_class,
    strength_predictions,
)
from rulecompare.store import Store
from rulecompare.taxonomy import area_keys

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "labels"
METHODS = ROOT / "docs" / "METHODS.md"
CONFUSION = ROOT / "rulecompare" / "metrics" / "strength" / CONFUSION_FILE
START, END = "<!-- strength-figures:start -->\n", "<!-- strength-figures:end -->\n"
FROZEN = {"test": "first frozen test split", "test2": "second frozen test split"}
"""The frozen splits of docs/LABELLING.md 3 and how the written figures name them."""
FOLDS = 5
TARGET_MIN_N = 10
"""Classes with fewer test items than this are reported, not targeted (docs/METHODS.md 1.7)."""


def fresh_store(db: Path | None, tmp: Path) -> Path:
    """A copy of ``db`` (or a store of the default corpus), every source at the current parser version."""
    path = tmp / "bench.db"
    if db is not None:
        shutil.copy(db, path)
    cmd = [sys.executable, "-m", "rulecompare", "ingest", "--db", str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"ingest failed:\n{done.stderr}")
    return path


def pct(x: float) -> str:
    return "nan" if x != x else f"{x:.3f}"


def strength_report(store: Store, split: str) -> tuple[list[str], pd.DataFrame]:
    labels = pd.read_csv(LABELS / f"strength-{split}.csv", keep_default_na=False)
    scored = strength_predictions(store, labels)
    scored["correct"] = scored["predicted"] == scored["label"]
    lo, hi = accuracy_interval(scored["correct"], scored["agreement_id"])
    classes = per_class(scored["label"], scored["predicted"])
    classes["targeted"] = classes["n"] >= TARGET_MIN_N
    lines = [
        f"### Obligation strength, {split} split: {len(scored)} clauses "
        f"from {scored['agreement_id'].nunique()} agreements",
        "",
        f"Accuracy **{scored['correct'].mean():.3f}** "
        f"(95 % interval {lo:.3f}-{hi:.3f}, bootstrap over agreements).",
        "",
        "Precision and recall per class (classes with fewer than "
        f"{TARGET_MIN_N} items are reported, not targeted):",
        "",
        "| class | n | predicted | precision | recall | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for cls, r in classes.iterrows():
        note = r["note"] or ("" if r["targeted"] else "few items")
        lines.append(
            f"| {cls} | {r['n']} | {r['n_predicted']} | {pct(r['precision'])} | {pct(r['recall'])} | {note} |"
        )
    conf = confusion_matrix(scored["label"], scored["predicted"])
    lines += ["", "Confusion matrix (rows: label, columns: prediction):", ""]
    lines.append("| label \\ predicted | " + " | ".join(STRENGTH_CLASSES) + " |")
    lines.append("| --- " * (len(STRENGTH_CLASSES) + 1) + "|")
    for cls, row in conf.iterrows():
        lines.append(f"| {cls} | " + " | ".join(str(int(v)) for v in row) + " |")
    if split == "dev":
        scored["fold"] = agreement_folds(scored["agreement_id"])
    for column, title in (("family", "family"), ("language", "language"), ("fold", "agreement fold")):
        if column not in scored.columns:
            continue
        acc = group_accuracy(scored, column)
        lines += ["", f"Accuracy per {title}:", "", f"| {title} | n | accuracy |", "| --- | --- | --- |"]
        lines += [f"| {g} | {int(r['n'])} | {r['accuracy']:.3f} |" for g, r in acc.iterrows()]
    return lines, conf


def agreement_folds(agreements: pd.Series, k: int = FOLDS, seed: int = 11) -> pd.Series:
    """Fold 0..k-1 of each item: its agreement's place in a seeded shuffle of the agreements.

    The dev figures are in-sample (the rules were written looking at them); the
    spread over whole agreements held together shows how much one drafting
    style moves them. A rule change is judged on folds whose errors were not
    read while writing it (docs/METHODS.md 1.2).
    """
    keys = np.array(sorted(set(agreements.astype(str))))
    order = np.random.default_rng(seed).permutation(len(keys))
    fold = {key: i % k for i, key in zip(range(len(keys)), keys[order], strict=True)}
    return agreements.astype(str).map(fold)


def area_report(store: Store, split: str) -> list[str]:
    labels = pd.read_csv(LABELS / f"areas-{split}.csv", keep_default_na=False)
    scored = area_predictions(store, labels)
    s = area_scores(scored)
    given = scored[scored["predicted"] != "unclassified"]
    strict_ok = given["predicted"] == given["label"]
    lenient_ok = strict_ok | (given["predicted"] == given["alt_label"])
    lo, hi = accuracy_interval(strict_ok, given["agreement_id"])
    llo, lhi = accuracy_interval(lenient_ok, given["agreement_id"])
    keys = [k for k in area_keys() if k != "unclassified"]
    classes = per_class(scored["label"], scored["predicted"], keys)
    classes = classes[(classes["n"] > 0) | (classes["n_predicted"] > 0)]
    lines = [
        f"### Policy areas, {split} split: {len(scored)} articles "
        f"from {scored['agreement_id'].nunique()} agreements",
        "",
        f"Precision, strict (the label): **{s['strict']:.3f}** ({lo:.3f}-{hi:.3f}); "
        f"lenient (label or alt_label): **{s['lenient']:.3f}** ({llo:.3f}-{lhi:.3f}); "
        f"coverage {s['coverage']:.3f}.",
        "",
        "Per area, strict:",
        "",
        "| area | n | predicted | precision | recall | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for area, r in classes.iterrows():
        lines.append(
            f"| {area} | {r['n']} | {r['n_predicted']} | {pct(r['precision'])} | {pct(r['recall'])} "
            f"| {r['note']} |"
        )
    for column in ("family", "language"):
        scored["strict_ok"] = (scored["predicted"] == scored["label"]) & (
            scored["predicted"] != "unclassified"
        )
        acc = group_accuracy(scored, column, correct="strict_ok")
        lines += [
            "",
            f"Strict accuracy per {column} (an unclassified article counts as wrong):",
            "",
            f"| {column} | n | strict |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {g} | {int(r['n'])} | {r['accuracy']:.3f} |" for g, r in acc.iterrows()]
    return lines


def write_confusion(conf: pd.DataFrame, source: str) -> None:
    lines = [f"# {source}", "label," + ",".join(STRENGTH_CLASSES)]
    lines += [f"{cls}," + ",".join(str(int(v)) for v in row) for cls, row in conf.iterrows()]
    CONFUSION.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_methods(lines: list[str]) -> None:
    page = METHODS.read_text(encoding="utf-8")
    head, start, rest = page.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{METHODS}: the markers {START.strip()} / {END.strip()} are missing")
    METHODS.write_text(head + START + "\n".join(lines) + "\n" + END + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="a rulecompare store (copied, never changed)")
    ap.add_argument("--split", choices=("dev", *FROZEN), default="dev")
    ap.add_argument(
        "--write",
        action="store_true",
        help="a frozen split (test, test2): write confusion.csv and docs/METHODS.md",
    )
    args = ap.parse_args(argv)
    if args.write and args.split not in FROZEN:
        ap.error("--write records a frozen split's figures; use it with --split test2 (or test)")
    with tempfile.TemporaryDirectory() as tmp:
        with Store(fresh_store(args.db, Path(tmp)), readonly=True) as store:
            strength_lines, conf = strength_report(store, args.split)
            area_lines = area_report(store, args.split)
    version = parser_version()
    stamp = f"measured {dt.date.today().isoformat()}, parser version {version}"
    report = [
        *strength_lines,
        "",
        *area_lines,
        "",
        f"({stamp}; `python benchmarks/strength.py --split {args.split}`"
        + (f", the {FROZEN[args.split]} of docs/LABELLING.md 3)" if args.split in FROZEN else ", in-sample)"),
    ]
    print("\n".join(report))
    if args.write:
        n = int(np.asarray(conf.to_numpy()).sum())
        write_confusion(
            conf, f"{FROZEN[args.split]} (--split {args.split}) of docs/LABELLING.md, {n} clauses; {stamp}"
        )
        write_methods(report)
        print(
            f"\nwrote {CONFUSION.relative_to(ROOT)} and the figures in {METHODS.relative_to(ROOT)}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
