"""Long fuzz runs of the file-reading entry points, with a time budget, counts and findings.

    python benchmarks/fuzz.py [--minutes 10] [--out DIR] [xml text html pdf manifest]

Feeds each entry point the inputs of ``tests/fuzz/fuzzing.py`` (the same ones
the normal suite runs briefly) with fresh random seeds until its share of the
time is spent.  The only allowed outcome besides success is the project's own
error; anything else is a finding: Hypothesis shrinks the input, and the run
saves it to ``DIR/<target>-<n>.bin`` with its traceback beside it, then goes
on.  Prints one row per entry point: inputs tried, inputs per second, findings.
Exits 1 when there is a finding.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fuzz"))

from fuzzing import TARGETS, check, prepare  # noqa: E402  (the fuzz inputs live with the tests)


@dataclass
class Run:
    target: str
    tried: int = 0
    seconds: float = 0.0
    findings: dict[str, Path] = field(default_factory=dict)
    """Where each distinct finding (exception type and the line that raised it) was saved."""


def fuzz(target: str, seconds: float, folder: Path, out: Path, chunk: int) -> Run:
    run = Run(target)
    strategy = TARGETS[target][2]
    last: list[bytes] = [b""]

    @settings(
        max_examples=chunk,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(strategy)
    def once(data: bytes) -> None:
        last[0] = data
        run.tried += 1
        check(target, data, folder)

    end = time.monotonic() + seconds
    start = time.monotonic()
    while time.monotonic() < end:
        try:
            once()
        except Exception as exc:  # a finding: anything but the project's own errors
            # Hypothesis groups distinct failures of one run; each is a finding of its own.
            for one in exc.exceptions if isinstance(exc, ExceptionGroup) else (exc,):
                _record(run, one, last[0], out)
    run.seconds = time.monotonic() - start
    return run


def _record(run: Run, exc: BaseException, data: bytes, out: Path) -> None:
    """Save a finding not seen before: the input and the traceback (whose notes show the input too)."""
    where = traceback.extract_tb(exc.__traceback__)[-1]
    key = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
    if key in run.findings:
        return
    saved = out / f"{run.target}-{len(run.findings) + 1}.bin"
    saved.write_bytes(data)
    text = key + "\n\n" + "".join(traceback.format_exception(exc))
    saved.with_suffix(".txt").write_text(text, encoding="utf-8")
    run.findings[key] = saved
    print(f"  {run.target}: {key} -> {saved}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "targets", nargs="*", metavar="TARGET", help=f"Entry points (default all): {', '.join(TARGETS)}."
    )
    ap.add_argument("--minutes", type=float, default=1.0, help="Time for each entry point (default 1).")
    ap.add_argument(
        "--out", type=Path, default=None, help="Folder for findings (default: a new temp folder)."
    )
    ap.add_argument("--chunk", type=int, default=200, help="Inputs per Hypothesis run (default 200).")
    args = ap.parse_args()
    targets = args.targets or sorted(TARGETS)
    unknown = sorted(set(targets) - set(TARGETS))
    if unknown:
        ap.error(f"unknown entry point {', '.join(unknown)} (choose from {', '.join(TARGETS)})")
    out = args.out or Path(tempfile.mkdtemp(prefix="rulecompare-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        prepare(folder)
        for target in targets:
            print(f"fuzzing {target} for {args.minutes:g} min ...", flush=True)
            runs.append(fuzz(target, args.minutes * 60, folder, out, args.chunk))
    print(f"\n{'entry point':<12} {'inputs':>9} {'per s':>7} {'findings':>8}")
    for r in runs:
        print(f"{r.target:<12} {r.tried:>9} {r.tried / max(r.seconds, 1e-9):>7.1f} {len(r.findings):>8}")
        for key, saved in r.findings.items():
            print(f"    {key}: {saved}")
    print(f"findings in {out}")
    if any(r.findings for r in runs):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
