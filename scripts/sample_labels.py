"""Draw the hand-labelled evaluation sets of issue 11 from a rulecompare store.

Writes, without labels (the labeller fills ``label``, ``note`` and, for areas,
``alt_label`` by hand following docs/LABELLING.md):

- ``strength-dev.csv`` / ``strength-test.csv``: clauses, for the obligation-strength classes;
- ``areas-dev.csv`` / ``areas-test.csv``: articles, for the policy areas.

Usage::

    python3 scripts/sample_labels.py --db /work/data/full.db            # (re)write the four files
    python3 scripts/sample_labels.py --db /work/data/full.db --check    # verify the committed draw

The draw is a pure function of the store and ``SEED``: re-running it reproduces
the same rows.  Labels already in the output files are kept (matched by id), so
re-running never loses hand work; ``--check`` only compares ids and splits.
Dev rows labelled later, outside the draw, carry a note starting with
``extra:``; re-running keeps them and ``--check`` only verifies that they come
from dev agreements and repeat no id.

Family of an agreement (first rule that applies; ``families`` is the store's
column, "parties" the ISO3 codes of ``parties``, or of ``parties_original``
when ``parties`` is empty):

1. ``us``: ``us`` in families, or USA is a party;
2. ``eu``: ``eu`` in families, or EU is a party;
3. ``efta``: ``efta`` in families;
4. ``china``: ``china`` in families, or China, Hong Kong or Macao is a party;
5. ``asean``: ``asean`` in families (agreements of ASEAN as a bloc; bilateral
   agreements of one ASEAN member fall through to the later rules);
6. ``latam``: a party in Latin America or the Caribbean;
7. ``africa``: a party in Africa;
8. ``asia``: "other Asian": a party in Asia (UN M49, without Turkey and
   Cyprus, counted as European) or Oceania;
9. ``other``: everything else (mostly European and Central Asian-European
   agreements, the WTO texts).

Agreement split: within each (family, language) group the agreements, sorted by
id, are shuffled with a seeded RNG and the first ``round(TEST_SHARE * n)`` (at
least 1 when the group has 2 or more agreements) form the frozen ``test``
split; the rest is ``dev``.  The same split serves both sets: an agreement is
``test`` in both or in neither.

Sampling: strata are (family, language, split).  Each (family, language) has a
quota (``STRENGTH_QUOTA`` / ``AREA_QUOTA``), of which ``round(TEST_SHARE_OF_SAMPLE
* quota)`` is drawn from the test agreements and the rest from the dev
agreements, uniformly at random over clauses (strength) or articles (areas);
a group without test agreements draws its whole quota from dev.
Clauses already in tests/data/strength_sample.csv are excluded.  Preamble
clauses (the "Preamble" chapter, about 0.5% of the store) are kept: they
do not swamp the sample.  Annex clauses are kept.  The store's ``area``
column is never read (labels must not depend on the classifiers).
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SEED = 11
GUIDE_VERSION = "1"
TEST_SHARE = 0.35
TEST_SHARE_OF_SAMPLE = 0.36
EXCERPT_CHARS = 120

FAMILIES = ("us", "eu", "efta", "china", "asean", "latam", "africa", "asia", "other")

# Quotas per (family, language).  Spanish texts are almost all Latin American
# (one is the Spanish TPP, family us); French are the two Central / West African
# monetary unions.
STRENGTH_QUOTA: dict[tuple[str, str], int] = {
    ("us", "en"): 70,
    ("us", "es"): 10,
    ("eu", "en"): 80,
    ("efta", "en"): 70,
    ("china", "en"): 70,
    ("asean", "en"): 65,
    ("latam", "en"): 60,
    ("latam", "es"): 70,
    ("africa", "en"): 55,
    ("africa", "fr"): 25,
    ("asia", "en"): 70,
    ("other", "en"): 65,
}
AREA_QUOTA: dict[tuple[str, str], int] = {
    ("us", "en"): 45,
    ("us", "es"): 6,
    ("eu", "en"): 50,
    ("efta", "en"): 45,
    ("china", "en"): 45,
    ("asean", "en"): 40,
    ("latam", "en"): 40,
    ("latam", "es"): 44,
    ("africa", "en"): 35,
    ("africa", "fr"): 20,
    ("asia", "en"): 45,
    ("other", "en"): 40,
}

LATAM = frozenset(
    "ARG BOL BRA CHL COL CRI CUB DOM ECU SLV GTM HND HTI MEX NIC PAN PRY PER URY VEN "
    "ATG BHS BRB BLZ DMA GRD GUY JAM KNA LCA VCT SUR TTO MSR AIA VGB CYM TCA ABW CUW".split()
)
AFRICA = frozenset(
    "DZA AGO BEN BWA BFA BDI CPV CMR CAF TCD COM COD COG CIV DJI EGY GNQ ERI SWZ ETH GAB GMB "
    "GHA GIN GNB KEN LSO LBR LBY MDG MWI MLI MRT MUS MAR MOZ NAM NER NGA RWA STP SEN SYC SLE "
    "SOM ZAF SSD SDN TZA TGO TUN UGA ZMB ZWE ESH".split()
)
ASIA_OCEANIA = frozenset(
    "AFG ARM AZE BHR BGD BTN BRN KHM CHN GEO HKG IND IDN IRN IRQ ISR JPN JOR KAZ KWT KGZ LAO "
    "LBN MAC MYS MDV MNG MMR NPL PRK OMN PAK PSE PHL QAT SAU SGP KOR LKA SYR TWN TJK THA TLS "
    "TKM ARE UZB VNM YEM "
    "AUS NZL PNG FJI SLB VUT WSM TON KIR TUV NRU PLW FSM MHL COK NIU".split()
)
CHINA = frozenset({"CHN", "HKG", "MAC"})

STRENGTH_COLUMNS = (
    "clause_id",
    "agreement_id",
    "family",
    "language",
    "split",
    "label",
    "note",
    "guide_version",
    "excerpt",
)
AREA_COLUMNS = (
    "article_id",
    "agreement_id",
    "article_number",
    "article_title",
    "chapter_title",
    "family",
    "language",
    "split",
    "label",
    "alt_label",
    "note",
    "guide_version",
    "excerpt",
)
HAND_COLUMNS = ("label", "alt_label", "note")
EXTRA_NOTE = "extra:"
"""Note prefix of dev rows labelled later, outside the seeded draw (drawn from dev agreements only)."""


@dataclass(frozen=True)
class Agreement:
    id: str
    language: str
    family: str


def family_of(families: Iterable[str], parties: Iterable[str]) -> str:
    """The sampling family of an agreement (rules in the module docstring)."""
    fam = set(families)
    par = set(parties)
    if "us" in fam or "USA" in par:
        return "us"
    if "eu" in fam or "EU" in par:
        return "eu"
    if "efta" in fam:
        return "efta"
    if "china" in fam or par & CHINA:
        return "china"
    if "asean" in fam:
        return "asean"
    if par & LATAM:
        return "latam"
    if par & AFRICA:
        return "africa"
    if par & ASIA_OCEANIA:
        return "asia"
    return "other"


def _split_codes(value: str | None) -> list[str]:
    return [v for v in (value or "").split(";") if v]


def load_agreements(con: sqlite3.Connection) -> list[Agreement]:
    rows = con.execute("SELECT id, language, families, parties, parties_original FROM agreements ORDER BY id")
    out: list[Agreement] = []
    for aid, language, families, parties, original in rows:
        codes = _split_codes(parties) or _split_codes(original)
        out.append(Agreement(str(aid), str(language), family_of(_split_codes(families), codes)))
    return out


def split_agreements(agreements: Sequence[Agreement], seed: int = SEED) -> dict[str, str]:
    """Agreement id -> "test" or "dev", seeded and stratified by (family, language)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in agreements:
        groups[(a.family, a.language)].append(a.id)
    split: dict[str, str] = {}
    for key in sorted(groups):
        ids = sorted(groups[key])
        random.Random(f"{seed}:split:{key[0]}:{key[1]}").shuffle(ids)
        n_test = round(TEST_SHARE * len(ids))
        if len(ids) >= 2:
            n_test = max(1, n_test)
        for i, aid in enumerate(ids):
            split[aid] = "test" if i < n_test else "dev"
    return split


def excerpt(text: str) -> str:
    """The first EXCERPT_CHARS characters, whitespace runs collapsed to one space."""
    return " ".join(text.split())[:EXCERPT_CHARS]


def draw(
    units: dict[tuple[str, str, str], list[str]],
    quota: dict[tuple[str, str], int],
    seed: int,
    what: str,
    round2: bool = False,
) -> list[tuple[str, str, str, str]]:
    """Sample ids per (family, language, split) stratum; returns (id, family, language, split).

    With ``round2`` only the test stratum is drawn again (same size, another
    seed; ``units`` must already exclude every labelled id) and its rows are
    marked ``test2``.
    """
    out: list[tuple[str, str, str, str]] = []
    for (family, language), n in sorted(quota.items()):
        n_test = round(TEST_SHARE_OF_SAMPLE * n)
        if not units.get((family, language, "test")):
            n_test = 0  # a group of one agreement (the Spanish TPP) has no test split
        if round2:
            pool = sorted(units.get((family, language, "test"), []))
            rng = random.Random(f"{seed}:round2:{what}:{family}:{language}")
            out += [(uid, family, language, "test2") for uid in rng.sample(pool, min(n_test, len(pool)))]
            continue
        for split, k in (("test", n_test), ("dev", n - n_test)):
            pool = sorted(units.get((family, language, split), []))
            rng = random.Random(f"{seed}:{what}:{family}:{language}:{split}")
            if len(pool) < k:
                print(f"warning: {what} {family}/{language}/{split}: {len(pool)} < {k}", file=sys.stderr)
            for uid in rng.sample(pool, min(k, len(pool))):
                out.append((uid, family, language, split))
    return out


def read_excluded(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with path.open(newline="", encoding="utf-8") as f:
        return {row["clause_id"] for row in csv.DictReader(f)}


def strength_rows(
    con: sqlite3.Connection,
    agreements: dict[str, Agreement],
    split: dict[str, str],
    excluded: set[str],
    round2: bool = False,
) -> list[dict[str, str]]:
    units: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    texts: dict[str, tuple[str, str]] = {}
    for cid, aid, text in con.execute("SELECT id, agreement_id, text FROM clauses"):
        if cid in excluded or not str(text).strip():
            continue
        a = agreements[aid]
        units[(a.family, a.language, split[aid])].append(cid)
        texts[cid] = (aid, str(text))
    rows: list[dict[str, str]] = []
    for cid, family, language, sp in draw(units, STRENGTH_QUOTA, SEED, "strength", round2):
        aid, text = texts[cid]
        rows.append(
            {
                "clause_id": cid,
                "agreement_id": aid,
                "family": family,
                "language": language,
                "split": sp,
                "label": "",
                "note": "",
                "guide_version": GUIDE_VERSION,
                "excerpt": excerpt(text),
            }
        )
    return rows


def article_id(clause_id: str) -> str:
    """`<agreement>/<article key>`: the clause id without its paragraph sequence."""
    return clause_id.rsplit("/", 1)[0]


def area_rows(
    con: sqlite3.Connection,
    agreements: dict[str, Agreement],
    split: dict[str, str],
    excluded: frozenset[str] = frozenset(),
    round2: bool = False,
) -> list[dict[str, str]]:
    meta: dict[str, tuple[str, str, str, str]] = {}
    parts: dict[str, list[str]] = defaultdict(list)
    query = (
        "SELECT id, agreement_id, article_number, article_title, chapter_title, text "
        "FROM clauses ORDER BY agreement_id, ord"
    )
    for cid, aid, number, title, chapter, text in con.execute(query):
        art = article_id(cid)
        meta.setdefault(art, (aid, number or "", title or "", chapter or ""))
        parts[art].append(str(text))
    units: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for art, (aid, _, _, _) in meta.items():
        if art in excluded or not "".join(parts[art]).strip():
            continue
        a = agreements[aid]
        units[(a.family, a.language, split[aid])].append(art)
    rows: list[dict[str, str]] = []
    for art, family, language, sp in draw(units, AREA_QUOTA, SEED, "areas", round2):
        aid, number, title, chapter = meta[art]
        rows.append(
            {
                "article_id": art,
                "agreement_id": aid,
                "article_number": number,
                "article_title": title,
                "chapter_title": chapter,
                "family": family,
                "language": language,
                "split": sp,
                "label": "",
                "alt_label": "",
                "note": "",
                "guide_version": GUIDE_VERSION,
                "excerpt": excerpt(" ".join(parts[art])),
            }
        )
    return rows


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_set(
    rows: list[dict[str, str]], out_dir: Path, name: str, columns: Sequence[str], key: str
) -> dict[str, int]:
    """Write <name>-dev.csv and <name>-test.csv, keeping hand-filled columns of existing rows."""
    counts: dict[str, int] = {}
    for sp in ("dev", "test"):
        path = out_dir / f"{name}-{sp}.csv"
        previous = read_rows(path)
        old = {r[key]: r for r in previous}
        part = [dict(r) for r in rows if r["split"] == sp]
        drawn = {r[key] for r in part}
        part += [r for r in previous if is_extra(r) and r[key] not in drawn]
        counts[sp] = write_labelled(path, part, old, columns, key)
    return counts


def write_labelled(
    path: Path,
    rows: list[dict[str, str]],
    previous: dict[str, dict[str, str]],
    columns: Sequence[str],
    key: str,
) -> int:
    """Write ``rows`` sorted by family, language and id, with the hand-filled columns and the guide
    version of the ``previous`` rows (by id) kept, so that a re-draw never loses hand work."""
    for r in rows:
        prev = previous.get(r[key])
        if prev is not None:
            for col in HAND_COLUMNS:
                if col in columns and prev.get(col):
                    r[col] = prev[col]
            if prev.get("guide_version"):
                r["guide_version"] = prev["guide_version"]
    rows.sort(key=lambda r: (r["family"], r["language"], r[key]))
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return len(rows)


def is_extra(row: dict[str, str]) -> bool:
    """A dev row labelled after the seeded draw (its note says so); the draw check leaves it alone."""
    return row.get("split") == "dev" and row.get("note", "").startswith(EXTRA_NOTE)


def check_set(
    rows: list[dict[str, str]],
    out_dir: Path,
    name: str,
    key: str,
    split: dict[str, str] | None = None,
) -> list[str]:
    """Differences between a fresh draw and the committed files (ids and splits).

    Extra dev rows are not part of the draw; they are only checked to come from
    dev agreements (``split``, agreement id -> split) and not to repeat an id.
    """
    files = [r for sp in ("dev", "test") for r in read_rows(out_dir / f"{name}-{sp}.csv")]
    want = {(r[key], r["split"]) for r in rows}
    have = {(r[key], r["split"]) for r in files if not is_extra(r)}
    problems = [f"{name}: missing {k} ({s})" for k, s in sorted(want - have)]
    problems += [f"{name}: unexpected {k} ({s})" for k, s in sorted(have - want)]
    seen: set[str] = set()
    for r in files:
        if r[key] in seen:
            problems.append(f"{name}: {r[key]} appears twice")
        seen.add(r[key])
        if is_extra(r) and split is not None and split.get(r["agreement_id"]) != "dev":
            problems.append(f"{name}: extra row {r[key]} is not from a dev agreement")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, required=True, help="rulecompare store (SQLite)")
    parser.add_argument("--out", type=Path, default=Path("tests/data/labels"))
    parser.add_argument("--exclude", type=Path, default=Path("tests/data/strength_sample.csv"))
    parser.add_argument("--check", action="store_true", help="verify the committed files, write nothing")
    parser.add_argument(
        "--round2",
        action="store_true",
        help="draw the second frozen split (test2) from the test agreements, excluding every labelled id",
    )
    args = parser.parse_args(argv)
    if args.round2:
        return main_round2(args.db, args.out, args.exclude, args.check)

    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    agreements = {a.id: a for a in load_agreements(con)}
    split = split_agreements(list(agreements.values()))
    s_rows = strength_rows(con, agreements, split, read_excluded(args.exclude))
    a_rows = area_rows(con, agreements, split)
    con.close()

    if args.check:
        problems = check_set(s_rows, args.out, "strength", "clause_id", split)
        problems += check_set(a_rows, args.out, "areas", "article_id", split)
        for p in problems:
            print(p, file=sys.stderr)
        print("ok" if not problems else f"{len(problems)} differences")
        return 1 if problems else 0

    args.out.mkdir(parents=True, exist_ok=True)
    s_counts = write_set(s_rows, args.out, "strength", STRENGTH_COLUMNS, "clause_id")
    a_counts = write_set(a_rows, args.out, "areas", AREA_COLUMNS, "article_id")
    n_test = sum(1 for s in split.values() if s == "test")
    print(f"agreements: {len(split)} ({n_test} test)")
    print(f"strength: {s_counts}")
    print(f"areas: {a_counts}")
    return 0


def labelled_ids(out_dir: Path, name: str, key: str) -> set[str]:
    """Every id already in the dev and test files of one set."""
    return {r[key] for sp in ("dev", "test") for r in read_rows(out_dir / f"{name}-{sp}.csv")}


def main_round2(db: Path, out_dir: Path, exclude: Path, check: bool) -> int:
    """The second frozen split: drawn after the first was used up (docs/LABELLING.md 3).

    Same agreements as the first test split, same per-group sizes, a different
    seed, and none of the clauses or articles labelled before; written to
    ``strength-test2.csv`` and ``areas-test2.csv`` (labels kept on re-runs).
    """
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    agreements = {a.id: a for a in load_agreements(con)}
    split = split_agreements(list(agreements.values()))
    s_excl = read_excluded(exclude) | labelled_ids(out_dir, "strength", "clause_id")
    a_excl = frozenset(labelled_ids(out_dir, "areas", "article_id"))
    sets = (
        ("strength", STRENGTH_COLUMNS, "clause_id", strength_rows(con, agreements, split, s_excl, True)),
        ("areas", AREA_COLUMNS, "article_id", area_rows(con, agreements, split, a_excl, True)),
    )
    con.close()
    problems: list[str] = []
    for name, columns, key, rows in sets:
        path = out_dir / f"{name}-test2.csv"
        previous = {r[key]: r for r in read_rows(path)}
        if check:
            want, have = {r[key] for r in rows}, set(previous)
            problems += [f"{name}-test2: missing {k}" for k in sorted(want - have)]
            problems += [f"{name}-test2: unexpected {k}" for k in sorted(have - want)]
            continue
        print(f"{name}-test2: {write_labelled(path, rows, previous, columns, key)} rows")
    for p in problems:
        print(p, file=sys.stderr)
    if check:
        print("ok" if not problems else f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
