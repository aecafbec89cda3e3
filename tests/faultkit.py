"""Helpers for the fault tests: small synthetic treaties and stores, the CLI in a process, and processes.

The treaties are ToTA XML made up here (not copied from the corpus), so that
the fault tests run anywhere, fast, on a handful of small files.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent

_WORDS = (
    "goods services tariff origin customs investment procurement dispute panel measure product "
    "territory import export duty quota certificate authority committee consultation treatment "
    "national enterprise market access sanitary phytosanitary technical regulation standard"
).split()

_AREAS = (
    ("Rules of Origin", "Originating Goods"),
    ("Customs Procedures", "Certification of Origin"),
    ("Investment", "National Treatment"),
    ("Dispute Settlement", "Establishment of Panels"),
    ("Trade in Services", "Market Access"),
    ("Government Procurement", "Scope and Coverage"),
)


def article_text(rng: random.Random, paragraphs: int = 3) -> str:
    """An article in treaty style: numbered paragraphs of obligations."""
    parts = []
    for n in range(1, paragraphs + 1):
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(12, 30)))
        parts.append(f"{n}. Each Party shall ensure that the {words} of the other Party is accorded.")
    return "\n".join(parts)


def treaty_xml(
    ident: int, *, articles: int = 12, parties: Sequence[str] = ("CHL", "PER"), seed: int = 0
) -> str:
    """A small, valid ToTA treaty with ``articles`` articles over a few chapters."""
    rng = random.Random(ident * 1000 + seed)
    codes = "".join(f'<partyisocode n="{i}">{p}</partyisocode>' for i, p in enumerate(parties, 1))
    chapters: list[str] = []
    per = max(1, articles // len(_AREAS))
    k = 0
    for c, (chapter, title) in enumerate(_AREAS):
        arts = []
        for _ in range(per if c < len(_AREAS) - 1 else articles - k):
            k += 1
            arts.append(
                f'<article article_identifier="{k}" number="Article {k}" name="{escape(title)}">'
                f"{escape(article_text(rng))}</article>"
            )
        chapters.append(
            f'<chapter name="{escape(chapter)}" number="Chapter {c + 1}">{"".join(arts)}</chapter>'
        )
        if k >= articles:
            break
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<treaty><meta>'
        f"<name>Synthetic Agreement {ident}</name><type>Free Trade Agreement</type>"
        f"<treaty_identifier>{ident}</treaty_identifier><date_signed>2010-01-0{1 + ident % 9}</date_signed>"
        f"<parties_original>{codes}</parties_original><parties>{codes}</parties>"
        f"<language>en</language></meta><body>{''.join(chapters)}</body></treaty>\n"
    )


def write_treaties(folder: Path, n: int, *, start: int = 1, articles: int = 12) -> list[Path]:
    """``n`` synthetic treaties as ``pta_<id>.xml`` files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ident in range(start, start + n):
        p = folder / f"pta_{ident}.xml"
        p.write_text(treaty_xml(ident, articles=articles), encoding="utf-8")
        paths.append(p)
    return paths


def small_store(folder: Path, n: int = 3) -> Path:
    """A store with ``n`` synthetic treaties, ingested in this process."""
    from rulecompare.ingest import ingest_paths
    from rulecompare.store import Store

    files = write_treaties(folder / "src", n)
    db = folder / "store.db"
    with Store(db) as store:
        results = ingest_paths(store, files, workers=1)
    assert all(r.status == "added" for r in results), results
    return db


def cli(
    *args: str, timeout: float = 60, stdout: int = subprocess.PIPE, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``rulecompare ARGS`` in a fresh process (for what CliRunner cannot show: exits, fds, signals)."""
    return subprocess.run(
        [sys.executable, "-m", "rulecompare", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: split after its closing parenthesis.
    return raw[raw.rindex(")") + 2 :].split()


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped does not count)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def descendants(pid: int) -> set[int]:
    """The live processes below ``pid`` (children, their children ...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None and fields[0] not in ("Z", "X"):
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def wait_until(predicate: object, timeout: float, step: float = 0.02) -> bool:
    """Poll ``predicate()`` until it is true or ``timeout`` seconds pass; its last value."""
    assert callable(predicate)
    end = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() > end:
            return False
        time.sleep(step)


def kill_all(pids: set[int]) -> None:
    """SIGKILL what a failed test left behind, so that it does not eat the machine for the next ones."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def treaty_text(ident: int, *, articles: int = 60) -> str:
    """A plain-text treaty (title, preamble, chapters of numbered articles) for the text parser."""
    rng = random.Random(ident)
    lines = [
        f"FREE TRADE AGREEMENT NUMBER {ident} BETWEEN THE REPUBLIC OF CHILE AND THE REPUBLIC OF PERU",
        "",
        "PREAMBLE",
        "The Republic of Chile and the Republic of Peru, hereinafter the Parties, have agreed as follows:",
    ]
    k = 0
    for c, (chapter, title) in enumerate(_AREAS * (1 + articles // (len(_AREAS) * 5))):
        lines += ["", f"CHAPTER {c + 1}", chapter.upper()]
        for _ in range(5):
            k += 1
            lines += ["", f"Article {k}", title, "", article_text(rng)]
            if k >= articles:
                return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\n"
