"""Peak memory and wall time of every documented command on the full default corpus.

    nice python benchmarks/cli_memory.py --db STORE [--corpus ../shared/corpora] [--only WORD]

Runs each example of README.md and of every command's ``-h`` (plus a few whole-corpus commands
the examples do not cover) as its own process, ``python -m rulecompare ...``, in a scratch
folder, against a copy of STORE (a store of the whole default corpus; commands that ingest get
a fresh copy each). The peak resident set size of the process and its workers comes from
``wait4`` and from the process tree's resident memory summed every 0.1 s (the larger of the two;
a worker pool counts whole). A command is stopped past --timeout seconds or --limit-gb of address space and
reported as such. Prints one table row per command and exits 1 when any command exceeds
--budget-gb (2 GB) or fails.

Not run: the terminal UI, ``corpus download`` (network) and the ingest of the reader's own PDF.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.main import get_command

from rulecompare.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample"
NOT_RUN = {
    "tui": "interactive",
    "tui nafta tpp": "interactive",
    "corpus download": "network",
    "corpus download --dest ~/treaties": "network",
    "ingest china-serbia.pdf --name China - Serbia FTA --parties CHN,SRB --signed 2023-10-17": (
        "the reader's own PDF"
    ),
}
EXTRA = [
    "matrix",  # every agreement, every language
    "matrix --level chapter --family eu -o eu-chapters.parquet",  # 1,238 units (refused at the terminal)
    "matrix --level area --family eu --long -o eu-areas.parquet",
    "export clauses -o clauses.parquet",
    "ingest --db fresh.db",  # the whole default corpus into a new store, with its worker processes
]
"""Whole-corpus commands beyond the documented examples."""


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    seconds: float
    peak_mb: float
    code: int
    note: str


def _commands(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[Any]:
    sub = getattr(cmd, "commands", None)
    if sub is None:
        yield cmd
        return
    for child in sub.values():
        yield from _commands(child, (*path, child.name))


def examples() -> list[tuple[str, ...]]:
    """README's and every ``-h``'s rulecompare lines, then EXTRA, without repeats."""
    lines = []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```bash\n(.*?)```", readme, flags=re.S):
        lines += [part for line in block.splitlines() for part in line.split("&&")]
    for cmd in _commands(get_command(app)):
        lines += (
            (cmd.help or "").split("Examples:", 1)[-1].splitlines() if "Examples:" in (cmd.help or "") else []
        )
    found: dict[tuple[str, ...], None] = {}
    for line in lines:
        words = shlex.split(line, comments=True)
        if words and Path(words[0]).name == "rulecompare":
            found.setdefault(tuple(words[1:]), None)
    for extra in EXTRA:
        found.setdefault(tuple(shlex.split(extra)), None)
    return [argv for argv in found if " ".join(argv) not in NOT_RUN]


def copy_store(src: Path, dest: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dest) as b:
        a.backup(b)
    return dest


PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants now (from /proc), in MB."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(stat.parent.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parent.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    pages = 0
    for pid in tree:
        try:
            pages += int((Path("/proc") / str(pid) / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return pages * PAGE / 2**20


def run_one(argv: tuple[str, ...], env: dict[str, str], cwd: Path, timeout: float, limit: int) -> Run:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    t0 = time.perf_counter()
    with (cwd / "stdout").open("wb") as out, (cwd / "stderr").open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rulecompare", *argv],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            preexec_fn=cap,
        )
        deadline = t0 + timeout
        tree = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree = max(tree, tree_rss_mb(proc.pid))
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.1)
    seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    errors = (cwd / "stderr").read_text(encoding="utf-8", errors="replace").strip().splitlines()
    note = "timeout" if seconds > timeout else (errors[-1][:70] if code and errors else "")
    # The largest of: the process tree's sum, sampled every 0.1 s, and the largest single process's
    # peak (wait4 reports the peak of the process and of its waited-for workers, unsampled).
    return Run(argv, seconds, max(tree, usage.ru_maxrss / 1024), code, note)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="a store of the full default corpus (copied)")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument(
        "--only",
        action="append",
        default=None,
        help="only the commands whose line contains this (repeatable)",
    )
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--limit-gb", type=float, default=6.0)
    ap.add_argument("--budget-gb", type=float, default=2.0)
    args = ap.parse_args()
    shared = args.corpus.resolve().parent
    todo = [a for a in examples() if args.only is None or any(w in " ".join(a) for w in args.only)]
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        base = copy_store(args.db, Path(tmp) / "store.db")
        for argv in todo:
            cwd = Path(tmp) / "cwd"
            shutil.rmtree(cwd, ignore_errors=True)
            cwd.mkdir()
            words = tuple(
                str(shared / a.removeprefix("../shared/")) if a.startswith("../shared") else a for a in argv
            )
            db = copy_store(base, Path(tmp) / "ingest.db") if argv[0] == "ingest" else base
            if "--manifest" in words:  # a stand-in for the reader's manifest: a sample text
                shutil.copy(SAMPLE / "text" / "efta-georgia-2016.html", cwd / "efta-georgia-2016.html")
                (cwd / words[words.index("--manifest") + 1]).write_text(
                    "file,title,signed,parties,language\n"
                    "efta-georgia-2016.html,EFTA - Georgia (sample),2016-06-27,CHE;ISL;LIE;NOR;GEO,en\n",
                    encoding="utf-8",
                )
            env = {
                **os.environ,
                "RULECOMPARE_DB": str(db),
                "RULECOMPARE_CORPUS": str(args.corpus),
                "RULECOMPARE_SHARED": str(shared),
                "COLUMNS": "120",
            }
            run = run_one(words, env, cwd, args.timeout, int(args.limit_gb * 2**30))
            runs.append(run)
            print(
                f"{run.peak_mb:8.0f} MB {run.seconds:7.1f} s  exit {run.code}  {' '.join(argv)}  {run.note}",
                file=sys.stderr,
            )
    print("\n| command | peak RSS (MB) | wall (s) | exit |\n|---|---:|---:|---:|")
    for r in sorted(runs, key=lambda r: -r.peak_mb):
        print(
            f"| `rulecompare {shlex.join(r.argv)}` | {r.peak_mb:,.0f} | {r.seconds:.1f}"
            f" | {r.code}{' ' + r.note if r.note else ''} |"
        )
    worst = max(runs, key=lambda r: r.peak_mb)
    over = [r for r in runs if r.peak_mb > args.budget_gb * 1024]
    failed = [r for r in runs if r.code]
    print(
        f"\n{len(runs)} commands; largest peak {worst.peak_mb:,.0f} MB"
        f" (rulecompare {shlex.join(worst.argv)}); "
        f"{len(over)} over {args.budget_gb:g} GB; {len(failed)} failed"
    )
    raise SystemExit(1 if over or failed else 0)


if __name__ == "__main__":
    main()
