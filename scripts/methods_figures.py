"""Write the figures of docs/METHODS.md sections 2 and 3 from a store, so that they cannot go stale.

Each block sits between ``<!-- figures:NAME -->`` and ``<!-- /figures:NAME -->``
markers; the rest of the page is written by hand and left alone.

    python scripts/methods_figures.py --db STORE           # rewrite the blocks
    python scripts/methods_figures.py --db STORE --check   # exit 1 when a block is stale

The store should hold the whole default corpus (`rulecompare ingest`); the
WTO and DESTA lists come from the shared metadata. tests/test_methods_figures.py
regenerates the blocks from the real corpus and fails when the page differs.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from rulecompare.catalog import load_catalog
from rulecompare.catalog.roles import NO_ROLES, load_roles
from rulecompare.catalog.rtalists import load_wto_rtas
from rulecompare.metrics.bowl import BowlChoices, BowlInputs, run_bowl, sensitivity
from rulecompare.metrics.bri import (
    CompatChoices,
    CompatInputs,
    compat_sensitivity,
    run_compat,
    variant_choices,
)
from rulecompare.metrics.coverage import coverage_summary, pair_coverage
from rulecompare.store import Store

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "METHODS.md"
BLOCKS = ("coverage", "spaghetti", "spaghetti-sensitivity", "compat-sensitivity", "compat")
TOP = 15

Progress = Callable[[str], None]


def _num(value: object, digits: int = 2) -> str:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return "n/a"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return "n/a" if np.isnan(value) else f"{float(value):.{digits}f}"


def _interval(row: pd.Series, column: str, digits: int = 2) -> str:
    low, high = _num(row[column + "_low"], digits), _num(row[column + "_high"], digits)
    return f"{_num(row[column], digits)} [{low}, {high}]"


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table of ``frame`` (values already formatted as text)."""
    head = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns) + "\n"
    body = "".join("| " + " | ".join(str(v) for v in row) + " |\n" for row in frame.itertuples(index=False))
    return head + body


def _country_names() -> dict[str, str]:
    names = {c.iso3: c.name for c in load_catalog().countries.values()}
    return names | {"EU": "European Union"}


# -- the blocks ------------------------------------------------------------------------------------


def coverage_block() -> str:
    """Share of relationships covered twice, with and without roles, now and in earlier years."""
    wto = load_wto_rtas()
    roles = load_roles()
    rows = []
    for year in (None, 2020, 2010, 2000):
        with_roles = coverage_summary(pair_coverage(wto, year, roles=roles))
        without = coverage_summary(
            pair_coverage(wto, year, roles=NO_ROLES, include="partial-scope,multilateral,services")
        )
        rows.append(
            {
                "in force": "now" if year is None else f"end of {year}",
                "relationships": f"{with_roles['n_relationships']:,}",
                "covered twice or more": f"{with_roles['n_multi']:,}",
                "share": f"{100 * with_roles['share_multi']:.1f} %",
                "share without roles": f"{100 * without['share_multi']:.1f} %",
            }
        )
    intro = (
        "**Our figures** (WTO list; *without roles*: every kind counted, no succession, services "
        "agreements as regimes of their own):\n\n"
    )
    return intro + markdown(pd.DataFrame(rows))


def spaghetti_block(inputs: BowlInputs) -> str:
    """The top of the ranking with intervals, and what the ranking rests on."""
    result = run_bowl(inputs, BowlChoices())
    c = result.countries
    names = _country_names()
    ranked = c[c["rank"].notna()].sort_values("rank")
    rows = [
        {
            "rank": int(r["rank"]),
            "country": names.get(r["country"], r["country"]),
            "index [95% interval]": _interval(r, "index", 1),
            "partners covered twice": int(r["n_partners_multi"]),
            "share": _num(r["share_multi"]),
            "divergence": _num(r["divergence"]),
            "pairs compared": int(r["n_pairs_compared"]),
            "texts (compared)": f"{int(r['n_texts'])} ({int(r['n_texts_compared'])})",
        }
        for _, r in ranked.head(TOP).iterrows()
    ]
    texts = result.stored.table
    counted = texts[texts["counted"]]
    langs = ", ".join(f"{n} {lang}" for lang, n in counted["language"].value_counts().sort_index().items())
    pairs = result.pairs
    quartiles = pairs["divergence"].quantile([0.25, 0.5, 0.75])
    baselines = [v for (a, lang), v in result.data.baselines.items() if lang == "en" and not np.isnan(v)]
    flagged = sorted({f for cell in c["flagged_texts"] for f in str(cell).split(";") if f})
    uncertain = c[c["uncertain"] & (c["n_partners_multi"] > 0)].sort_values(
        "n_partners_multi", ascending=False
    )
    top_uncertain = ", ".join(
        f"{names.get(r['country'], r['country'])} "
        f"({int(r['n_partners_multi'])} partners, {int(r['n_texts'])} texts)"
        for _, r in uncertain.head(5).iterrows()
    )
    facts = [
        f"texts counted: {len(counted)} ({langs}) of {len(texts)} stored;",
        f"pairs of countries bound by two or more agreements: {len(pairs)}, of which "
        f"{int(pairs['divergence'].notna().sum())} have two overlapping agreements with comparable text;",
        f"pair divergence: quartiles {_num(quartiles[0.25])} / {_num(quartiles[0.5])} / "
        f"{_num(quartiles[0.75])}; "
        f"English baselines of the areas: {_num(min(baselines))} to {_num(max(baselines))};",
        f"countries ranked: {len(ranked)}; with a bowl but uncertain (figures shown, no rank): "
        f"{len(uncertain)}, the largest {top_uncertain};",
        f"flagged texts used: {', '.join(flagged) if flagged else 'none'}.",
    ]
    return (
        "**Our figures** (`rulecompare spaghetti`: WTO list, in force now, default choices):\n\n"
        + markdown(pd.DataFrame(rows))
        + "\n"
        + "\n".join(f"- {f}" for f in facts)
        + "\n"
    )


def _sensitivity_table(table: pd.DataFrame) -> str:
    frame = pd.DataFrame(
        {
            "variant": table["variant"],
            "choice changed": table["choice"],
            "ranked": table["n_ranked"],
            "in both": table["n_common"],
            "Spearman": table["spearman"].map(_num),
            "top 10 kept": table["top10_kept"].map(lambda v: f"{100 * v:.0f} %"),
        }
    )
    return markdown(frame)


def spaghetti_sensitivity_block(inputs: BowlInputs) -> str:
    return "**Sensitivity** (`rulecompare spaghetti --sensitivity`):\n\n" + _sensitivity_table(
        sensitivity(inputs, BowlChoices(bootstrap=0))
    )


def compat_blocks(store: Store, progress: Progress | None = None) -> dict[str, str]:
    """The compatibility figures and its sensitivity table."""
    base = CompatChoices()
    if progress:
        progress("compatibility inputs")
    inputs = CompatInputs.build(store, variant_choices(replace(base, bootstrap=0)))
    if progress:
        progress("compatibility")
    result = run_compat(inputs, base)
    names = _country_names()
    p = result.partners
    ranked = p[p["rank"].notna()].sort_values("rank")
    rows = [
        {
            "rank": int(r["rank"]),
            "partner": names.get(r["partner"], r["partner"]),
            "raw [95%]": _interval(r, "raw"),
            "placebo": _num(r["placebo"]),
            "excess [95%]": _interval(r, "excess"),
            "agreements compared (left out for language)": (
                f"{int(r['n_compared'])} ({int(r['n_left_out_language'])})"
            ),
            "own China FTAs left out": len(
                [x for x in str(r["own_china_agreements"]).split(";") if x and x != "nan"]
            ),
        }
        for _, r in ranked.head(TOP).iterrows()
    ]
    areas = result.areas.dropna(subset=["raw"])
    w = areas["n_partner_clauses"].astype(float)
    by_area = pd.DataFrame(
        {
            "raw": (areas["raw"] * w).groupby(areas["area"]).sum() / w.groupby(areas["area"]).sum(),
            "excess": (areas["excess"] * w).groupby(areas["area"]).sum() / w.groupby(areas["area"]).sum(),
        }
    ).sort_values("excess", ascending=False)
    never = sorted(set(result.areas["area"]) - set(areas["area"]))
    above = int((p["excess_low"] > 0).sum())
    below = int((p["excess_high"] < 0).sum())

    def listing(frame: pd.DataFrame) -> str:
        return ", ".join(f"{a} {_num(r['excess'])} (raw {_num(r['raw'])})" for a, r in frame.iterrows())

    facts = [
        f"China's set: {len(result.china_set)} agreements ({'; '.join(result.china_names)}); "
        f"partners: {len(p)}, ranked by excess: {len(ranked)};",
        f"partners whose excess interval lies above 0: {above}; below 0: {below}; the rest include 0;",
        f"areas with the largest excess (clause-weighted over partners): {listing(by_area.head(3))}; "
        f"the smallest: {listing(by_area.tail(3).iloc[::-1])};",
        f"areas China's set writes no clause in (NaN, not 0): {', '.join(never) if never else 'none'};",
        f"partner agreements compared: {int(p['n_compared'].sum())}, left out for language: "
        f"{int(p['n_left_out_language'].sum())} (partner-agreement pairs, summed over partners).",
    ]
    figures = (
        "`rulecompare compat` (default choices, in force now):\n\n"
        + markdown(pd.DataFrame(rows))
        + "\n"
        + "\n".join(f"- {f}" for f in facts)
        + "\n"
    )
    if progress:
        progress("compatibility sensitivity")
    table = compat_sensitivity(inputs, base)
    return {
        "compat": figures,
        "compat-sensitivity": "**Sensitivity** (`rulecompare compat --sensitivity`):\n\n"
        + _sensitivity_table(table),
    }


def figures(store: Store, progress: Progress | None = None) -> dict[str, str]:
    """Every block, from ``store``."""
    if progress:
        progress("coverage")
    out = {"coverage": coverage_block()}
    if progress:
        progress("spaghetti bowl")
    inputs = BowlInputs.build(store, weighted=True)
    out["spaghetti"] = spaghetti_block(inputs)
    out["spaghetti-sensitivity"] = spaghetti_sensitivity_block(inputs)
    out |= compat_blocks(store, progress)
    return out


def _replacement(text: str) -> Callable[[re.Match[str]], str]:
    def replace_block(m: re.Match[str]) -> str:
        return m.group(1) + text + m.group(3)

    return replace_block


def with_blocks(page: str, blocks: dict[str, str]) -> str:
    """``page`` with the text between each block's markers replaced."""
    for name, text in blocks.items():
        pattern = re.compile(
            rf"(<!-- figures:{re.escape(name)} -->\n)(.*?)(<!-- /figures:{re.escape(name)} -->)", re.S
        )
        if not pattern.search(page):
            raise ValueError(f"{DOC.name}: the markers of block '{name}' are missing")
        page = pattern.sub(_replacement(text), page)
    return page


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the store with the default corpus")
    parser.add_argument("--check", action="store_true", help="only report whether a block is stale")
    args = parser.parse_args(argv)
    page = DOC.read_text(encoding="utf-8")
    with Store(args.db) as store:
        fresh = with_blocks(page, figures(store, lambda step: print(step, file=sys.stderr)))
    if args.check:
        if fresh != page:
            print(f"{DOC} is stale: run python scripts/methods_figures.py --db {args.db}", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
