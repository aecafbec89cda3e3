"""How `rulecompare matrix` shows a matrix: labels a reader can place, and the pairs a question is about.

The library returns a square matrix of units (agreements, chapters or
agreement-areas) with their ids. A researcher comparing two agreements
chapter by chapter wants the block of A's chapters against B's, named by
number and title, not the square that mixes pairs within one agreement with
pairs across; a long table names both sides in full. This module shapes
:class:`~rulecompare.overlap.MatrixResult` for that, and says which of the
agreements asked for were compared and why the others were not. It
computes no score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..overlap import MatrixResult
from ..plots import short_name
from ..store import Store
from ..taxonomy import AREAS, area_keys

__all__ = ["Selection", "cross_block", "long_pairs", "selection_notes", "unit_info", "wide"]

_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}


def _word_number(text: str) -> str:
    """ "ONE" -> "1", "TWENTY-THREE" -> "23"; anything else as it is."""
    words = re.split(r"[\s-]+", text.strip().lower())
    if len(words) == 1 and words[0] in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[words[0]])
    if len(words) == 2 and words[0] in _TENS and words[1] in _NUMBER_WORDS and _NUMBER_WORDS[words[1]] < 10:
        return str(_TENS[words[0]] + _NUMBER_WORDS[words[1]])
    return text.strip()


def chapter_number(number: object) -> str:
    """A chapter's number as a short label: "CHAPTER 3" -> "3", "CHAPTER ONE" -> "1", "ANNEX 3A" kept."""
    if not isinstance(number, str) or not number.strip():
        return ""
    text = re.sub(r"^\s*(chapter|cap[ií]tulo|chapitre)\b\.?\s*", "", number, flags=re.I)
    return _word_number(text) if text else number.strip()


def unit_info(store: Store, result: MatrixResult) -> pd.DataFrame:
    """One row per unit of ``result``, in its order: unit, agreement_id, agreement (its name), short
    (a short name for labels), and at chapter level chapter (its number) and title, at area level area
    and area_label."""
    u = result.units
    info = pd.DataFrame(
        {
            "unit": u["unit"].to_numpy(),
            "agreement_id": u["agreement_id"].to_numpy(),
            "agreement": u["name"].astype(str).to_numpy(),
        }
    )
    info["short"] = [short_name(n, 60) for n in info["agreement"]]
    if result.level == "chapter":
        heads = []
        for aid in dict.fromkeys(info["agreement_id"]):
            outline = store.outline(aid).drop_duplicates("chapter_index")
            outline = outline.assign(agreement_id=aid)
            heads.append(outline[["agreement_id", "chapter_index", "chapter_number", "chapter_title"]])
        chapters = pd.concat(heads, ignore_index=True).set_index(["agreement_id", "chapter_index"])
        keys = list(zip(u["agreement_id"], u["chapter_index"].astype(int), strict=True))
        found = chapters.reindex(keys)
        numbers = [chapter_number(n) for n in found["chapter_number"]]
        titles = [t if isinstance(t, str) else "" for t in found["chapter_title"]]
        info["chapter"] = [
            n or (t.split()[0][:8].lower() if t.split() else f"#{k}")
            for n, t, (_, k) in zip(numbers, titles, keys, strict=True)
        ]
        info["title"] = titles
    elif result.level == "area":
        info["area"] = u["area"].astype(str).to_numpy()
        info["area_label"] = [AREAS[a].label if a in AREAS else a for a in info["area"]]
    return info


def _label(info: pd.DataFrame, level: str, with_agreement: bool) -> list[str]:
    if level == "chapter":
        parts = [f"{c} {t}".strip() for c, t in zip(info["chapter"], info["title"], strict=True)]
    elif level == "area":
        parts = list(info["area_label"])
    else:
        return list(info["short"])
    if not with_agreement:
        return parts
    return [f"{s} | {p}" for s, p in zip(info["short"], parts, strict=True)]


def wide(result: MatrixResult, info: pd.DataFrame, *, terminal: bool) -> tuple[pd.DataFrame, list[str]]:
    """The square matrix with names beside the ids; returns the frame and its label columns.

    In a file the columns are the unit ids, so that the file joins with the long form and with files of
    another day; at the terminal the scores have three decimals.
    """
    scores = result.frame.round(3) if terminal else result.frame
    if terminal and result.n_cross and result.cross is not None:
        # a score across languages (through a translation, calibrated) carries a *
        scores = scores.astype(object).mask(result.cross, scores.map(lambda v: f"{v:.3f}*"))
    frame = scores.reset_index(drop=True)
    labels = ["id", "name"]
    frame.insert(0, "id", info["unit"].to_numpy())
    frame.insert(1, "name", _label(info, result.level, with_agreement=True))
    return frame, labels


@dataclass(frozen=True)
class Block:
    """The scores of A's units (rows) against B's (columns), for two agreements at chapter or area level."""

    frame: pd.DataFrame
    labels: list[str]
    """The frame's label columns (the rest are B's units)."""
    legend: list[str]
    """At the terminal, what each of B's columns is."""
    title: str


def cross_block(result: MatrixResult, info: pd.DataFrame, *, terminal: bool) -> Block:
    """A's units against B's, for a matrix of two agreements at chapter or area level.

    At area level both sides are put in the order of the taxonomy, areas both have first, so that the
    scores of same-area pairs run down the diagonal. At the terminal the columns are B's chapter numbers
    (or area keys), explained in ``legend``, and each row ends with its best counterpart in B.
    """
    a_id, b_id = list(dict.fromkeys(info["agreement_id"]))[:2]
    a, b = info[info["agreement_id"] == a_id], info[info["agreement_id"] == b_id]
    if result.level == "area":
        order = {k: n for n, k in enumerate(area_keys())}
        shared = set(a["area"]) & set(b["area"])

        def rank(frame: pd.DataFrame) -> pd.DataFrame:
            keys = [(area not in shared, order.get(area, len(order))) for area in frame["area"]]
            return frame.iloc[sorted(range(len(frame)), key=keys.__getitem__)]

        a, b = rank(a), rank(b)
    block = result.frame.loc[a["unit"].tolist(), b["unit"].tolist()]
    a_name, b_name = a["short"].iloc[0], b["short"].iloc[0]
    title = f"{result.measure}: {a_name} ({a_id}, rows) x {b_name} ({b_id}, columns), by {result.level}"
    what = "chapter" if result.level == "chapter" else "area"
    if not terminal:
        frame = block.reset_index(drop=True)
        frame.insert(0, "id", a["unit"].to_numpy())
        if what == "chapter":
            frame.insert(1, "chapter", a["chapter"].to_numpy())
            frame.insert(2, "title", a["title"].to_numpy())
            labels = ["id", "chapter", "title"]
        else:
            frame.insert(1, "area", a["area"].to_numpy())
            labels = ["id", "area"]
        return Block(frame, labels, [], title)
    heads = list(b["chapter"] if what == "chapter" else b["area"])
    heads = _unique(heads)
    values = block.to_numpy(dtype=float)
    frame = pd.DataFrame(values.round(3), columns=heads)
    rows = list(a["chapter"]) if what == "chapter" else list(a["area"])
    names = list(a["title"]) if what == "chapter" else list(a["area_label"])
    best = values.argmax(axis=1) if values.size else []
    frame.insert(0, what, rows)
    if what == "chapter":  # an area's key says what it is
        frame.insert(1, "title", [_clip(n, 40) for n in names])
    at = len(frame.columns) - len(heads)
    frame.insert(at, "best", [heads[j] for j in best])
    frame.insert(at + 1, "score", [values[i, j].round(3) for i, j in enumerate(best)])
    labels = [str(c) for c in frame.columns[: at + 2]]
    legend = [f"best: the {what} of {b_name} closest to the row's; columns: the {what}s of {b_name} ({b_id})"]
    if what == "chapter":
        legend += [f"  {h:>8}  {n}" for h, n in zip(heads, b["title"], strict=True)]
        cut = [(r, n) for r, n in zip(rows, names, strict=True) if _clip(n, 40) != " ".join(str(n).split())]
        if cut:  # the rows' titles cut to keep B's columns in view, in full
            legend += [f"rows whose title is cut above, the chapters of {a_name}:"]
            legend += [f"  {r:>8}  {n}" for r, n in cut]
    return Block(frame, labels, legend, title)


def _unique(names: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}'{seen[n]}")
    return out


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def long_pairs(result: MatrixResult, info: pd.DataFrame, *, within: bool) -> pd.DataFrame:
    """One row per ordered pair of units, each side named in full (agreement id and name, and the
    chapter's number and title or the area).

    Above the agreement level only pairs across agreements are kept unless ``within`` is set (or the
    selection holds one agreement); at area level same-area pairs come first.
    """
    pairs = result.long()
    extra = ["chapter", "title"] if result.level == "chapter" else ["area"] if result.level == "area" else []
    # Every text column is categorical: a name repeats once per pair, and the pairs of a large selection
    # run to millions (1,700 EU area units: 2.9 million), so codes instead of references keep them small.
    # Both sides take their codes from one set of categories, so that a_x == b_x compares.
    base = {
        col: pd.Categorical(info[col].astype(str)) for col in ["unit", "agreement_id", "agreement", *extra]
    }
    units = pd.Index(info["unit"])
    cols: dict[str, object] = {}
    for s in ("a", "b"):
        pos = units.get_indexer(pairs[s])
        cols[s] = base["unit"].take(pos)
        if result.level != "agreement":
            cols[f"{s}_agreement"] = base["agreement_id"].take(pos)
        cols[f"{s}_name"] = base["agreement"].take(pos)
        for col in extra:
            cols[f"{s}_{col}"] = base[col].take(pos)
    del pairs["a"], pairs["b"], pairs["a_name"], pairs["b_name"]
    cols["score"] = pairs["score"].to_numpy()
    for col in ("measure", "level", "area"):
        cols[col] = pd.Categorical(pairs[col])
    cols["baseline"] = pairs["baseline"].to_numpy()
    cols["cross_lingual"] = pairs["cross_lingual"].to_numpy()
    out = pd.DataFrame(cols)
    if result.level == "agreement":
        return out
    across = out["a_agreement"] != out["b_agreement"]
    if not within and across.any():
        out = out[across]
    if result.level == "area":
        out = out.assign(same_area=out["a_area"] == out["b_area"])
        out = out.sort_values("same_area", ascending=False, kind="stable")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Selection:
    """Which agreements a matrix was asked for and which it compares."""

    asked: pd.DataFrame
    """The agreements the names and filters select, before the area and the level drop any."""
    compared: list[str]
    left_out: dict[str, str]
    """Agreement id -> why it is not in the matrix."""


def selection_notes(store: Store, sel: Selection, area: str | None, level: str) -> list[str]:
    """One line: how many agreements were asked for, compared and left out; and one line per reason,
    naming the agreements left out (the first few)."""
    n_asked, n_left = len(sel.asked), len(sel.left_out)
    if not n_left:
        return [f"{len(sel.compared)} agreements compared"]
    lines = [f"{n_asked} agreements asked for, {len(sel.compared)} compared, {n_left} left out"]
    names = sel.asked.set_index("id")["name"]
    by_reason: dict[str, list[str]] = {}
    for aid, why in sel.left_out.items():
        by_reason.setdefault(why, []).append(aid)
    for why, ids in by_reason.items():
        shown = "; ".join(f"{short_name(names.get(i, i), 40)} ({i})" for i in ids[:6])
        more = f" and {len(ids) - 6} more" if len(ids) > 6 else ""
        lines.append(f"left out, {why}: {shown}{more}")
    if area:
        lines.append(
            f"(an agreement whose {area} rules sit in a protocol or annex the text does not hold, or under "
            f"another heading, has no clause of that area; `rulecompare show AGREEMENT` shows its outline)"
        )
    return lines


def left_out_reasons(
    store: Store, asked: pd.DataFrame, compared: set[str], area: str | None
) -> dict[str, str]:
    """Why each agreement asked for is not in the matrix."""
    missing = [a for a in asked["id"] if a not in compared]
    if not missing:
        return {}
    with_area = set(store.agreements(missing, area=area)["id"]) if area else set(missing)
    return {
        a: (f"no clause classified {area}" if a not in with_area else "no text at this level")
        for a in missing
    }
