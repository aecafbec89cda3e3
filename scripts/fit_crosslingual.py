"""Fit what the cross-lingual path ships: the translationese list and the calibration maps.

1. Every non-English agreement of the store is translated (if it is not yet).
2. Translationese (rulecompare/data/translationese-en.txt): the shingles that
   the translated agreements hold ten times as often as the English ones,
   fitted without the evaluation text (TPP's Spanish version, tota:450), so
   that the accuracy figures of benchmarks/translation.py are not measured
   on a list that has seen their text.
3. Calibration (rulecompare/data/crosslingual-calibration.json): quantile maps
   per level and measure, fitted on paired scores of TPP's Spanish text
   (through its translation) and English text against English references
   (rulecompare.overlap.fitting).

Run against a store holding the whole default corpus and commit the results:

    rulecompare ingest --db /tmp/xl.db
    python scripts/fit_crosslingual.py --db /tmp/xl.db

The list and the maps belong to the translator version they were fitted with
(recorded in the files); refit after changing the glossary or the pipeline.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rulecompare.features import UnitSets
from rulecompare.overlap import calibration, crosslingual, fitting
from rulecompare.overlap.units import units_for
from rulecompare.store import Store
from rulecompare.translate import TARGET, require_translator_for, translate_agreements, translationese
from rulecompare.translate.fill import translations_for

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "rulecompare" / "data"
TRANSLATED = "tota:450"
"""TPP in Spanish: fitted on, and held out of the translationese list."""
ORIGINAL = "tota:449"
"""TPP in English."""


def fit_list(store: Store, hold_out: list[str]) -> list[str]:
    meta = store.agreements(include_duplicates=False)
    english = meta[meta["language"] == TARGET]["id"].tolist()
    others = [
        a
        for a, lang in zip(meta["id"], meta["language"], strict=True)
        if lang != TARGET and a not in hold_out
    ]
    _, _, sets = units_for(store, english, "agreement", None)
    frame = translations_for(store, others)
    texts = [g.tolist() for _, g in frame.groupby("agreement_id", sort=True)["text"]]
    return translationese.fit_translationese(texts, UnitSets(sets.indptr, sets.keys))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a store with the whole default corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-list", action="store_true", help="keep the shipped translationese list")
    args = parser.parse_args(argv)
    with Store(args.db) as store:
        langs = sorted(set(store.agreements()["language"]) - {TARGET})
        translator = require_translator_for(langs)
        start = time.perf_counter()
        translate_agreements(store)
        print(f"translations current ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
        if not args.skip_list:
            shingles = fit_list(store, [TRANSLATED])
            header = (
                f"# Translationese of {translator.version('es', TARGET)}"
                f" (fr: {translator.version('fr', TARGET)}):\n"
                f"# shingles the store's translated agreements (all but {TRANSLATED}) hold more than "
                f"{1 / translationese.ALPHA:.0f} times as often as its English ones.\n"
                "# Written by scripts/fit_crosslingual.py; one shingle a line, spaces as _.\n"
            )
            (DATA / translationese.FILE).write_text(
                header + "".join(s.replace(" ", "_") + "\n" for s in shingles), encoding="utf-8"
            )
            translationese.drop_keys.cache_clear()
            translationese.digest.cache_clear()
            print(f"translationese: {len(shingles)} shingles", file=sys.stderr)
        xl = crosslingual.CrossLingual(translator, calibration.Calibration({}))
        pairs: dict[tuple[str, str], fitting.Paired] = {}
        for level in fitting.LEVELS:
            start = time.perf_counter()
            for measure, paired in fitting.paired_scores(
                store, TRANSLATED, ORIGINAL, level, xl=xl, seed=args.seed
            ).items():
                pairs[(level, measure)] = paired
            print(f"{level}: paired scores in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        meta = {
            "translated": TRANSLATED,
            "original": ORIGINAL,
            "translator": xl.version("es"),
            "seed": args.seed,
            "references": {k: v or "all" for k, v in fitting.REFERENCE_SAMPLE.items()},
        }
        fitted = fitting.fit_calibration(pairs, meta)
        (DATA / calibration.CALIBRATION_FILE).write_text(fitted.to_json(), encoding="utf-8")
        print(f"calibration: {len(fitted.maps)} maps written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
