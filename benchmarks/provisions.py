"""How well rulecompare links agreements to DESTA and codes their environmental and labour provisions.

    python benchmarks/provisions.py crosswalk [--db FILE]

``crosswalk``: the DESTA crosswalk of every agreement in the store (counts by
status, ToTA and other texts apart), the agreements left ambiguous or
unmatched with the reason, and a check that does not use the crosswalk's
scores: for matched ToTA agreements, whether DESTA's spelling of the WTO name
is the name of ToTA's WTO RTA id.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from rulecompare.catalog import crosswalk_frame, load_desta_treaties
from rulecompare.catalog.desta import load_wto_names
from rulecompare.catalog.names import key
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["crosswalk"])
    ap.add_argument("--db", type=Path, default=None, help="Store file (default: as the CLI finds it).")
    args = ap.parse_args()
    path, _ = resolve_db_path(args.db)
    with Store(path, readonly=True) as store:
        if args.what == "crosswalk":
            crosswalk_report(store)


if __name__ == "__main__":
    main()
