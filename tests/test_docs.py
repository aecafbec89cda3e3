"""The documentation cannot drift from the CLI (after sqlite-utils' tests/test_docs.py).

Every ``rulecompare ...`` line in README.md's bash blocks and in the Examples of
each command's ``-h`` is parsed by the CLI itself: the command must exist and its
options must parse (fast, no store). Each ``-h`` example must render on a line of
its own. On the real corpus, each example runs and prints or writes something.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLE_DIR, copy_store
from typer.main import get_command
from typer.testing import CliRunner

from rulecompare.cli import app
from rulecompare.plots import MAX_PLOT_INCHES

README = ROOT / "README.md"
CLI = get_command(app)
runner = CliRunner()


def _commands(cmd: Any = CLI, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command that runs (not the groups), with its path of names: ("corpus", "path")."""
    sub = getattr(cmd, "commands", None)
    if sub is None:
        yield path, cmd
        return
    for name, child in sub.items():
        yield from _commands(child, (*path, name))


COMMANDS = dict(_commands())


@dataclass(frozen=True)
class Example:
    """One documented command line."""

    where: str
    """README.md, or the ``-h`` of a command."""
    line: str
    """As written, comment included."""
    argv: tuple[str, ...]
    """The arguments after ``rulecompare``."""

    def __str__(self) -> str:
        return f"{self.where}: {' '.join(self.argv)}"


def _argv(command: str) -> tuple[str, ...] | None:
    """The arguments of a `rulecompare` command line (also `.venv/bin/rulecompare`), else None."""
    words = shlex.split(command, comments=True)
    if words and Path(words[0]).name == "rulecompare":
        return tuple(words[1:])
    return None


def readme_examples() -> list[Example]:
    found = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S):
        for line in block.splitlines():
            for part in line.split("&&"):
                argv = _argv(part)
                if argv is not None:
                    found.append(Example("README.md", part.strip(), argv))
    return found


def help_examples(path: tuple[str, ...], command: Any) -> list[Example]:
    """The lines of the Examples block in a command's help."""
    text = command.help or ""
    if "Examples:" not in text:
        return []
    found = []
    for line in text.split("Examples:", 1)[1].splitlines():
        argv = _argv(line.strip()) if line.strip().startswith("rulecompare") else None
        if argv is not None:
            found.append(Example(f"rulecompare {' '.join(path)} -h", line.strip(), argv))
    return found


HELP_EXAMPLES = [e for path, cmd in COMMANDS.items() for e in help_examples(path, cmd)]
EXAMPLES = readme_examples() + HELP_EXAMPLES


def parse(argv: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Resolve the command and parse its arguments as the CLI would, without running it.

    Raises the CLI's own usage errors: no such command, no such option, a value of the wrong type,
    a missing argument.
    """
    cmd: Any = CLI
    args = list(argv)
    ctx = CLI.make_context("rulecompare", list(args))
    path: list[str] = []
    while hasattr(cmd, "commands"):
        name, cmd, args = cmd.resolve_command(ctx, args)
        path.append(name)
        ctx = cmd.make_context(name, list(args), parent=ctx)
    return tuple(path), dict(ctx.params)


# -- fast: the documentation against the CLI's own parser -----------------------------------------


def test_examples_were_found() -> None:
    assert len(readme_examples()) >= 10
    assert len(HELP_EXAMPLES) >= 30


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_example_names_a_command_and_options_that_exist(example: Example) -> None:
    path, _params = parse(example.argv)
    assert path in COMMANDS


@pytest.mark.parametrize("path", list(COMMANDS), ids=" ".join)
def test_every_command_has_examples(path: tuple[str, ...]) -> None:
    examples = help_examples(path, COMMANDS[path])
    assert examples, f"`rulecompare {' '.join(path)} -h` has no Examples block"
    assert all(parse(e.argv)[0] == path for e in examples), "an example runs another command"


def test_readme_table_lists_every_command_and_only_those() -> None:
    rows = re.findall(r"^\| `rulecompare ([^`]*)` \|", README.read_text(encoding="utf-8"), flags=re.M)
    listed = set()
    for row in rows:
        words = row.split()
        listed.add(next((tuple(words[:n]) for n in (2, 1) if tuple(words[:n]) in COMMANDS), tuple(words[:1])))
    assert listed == set(COMMANDS)


def examples_section(help_output: str) -> list[str]:
    """The non-blank lines of the rendered Examples block, stripped."""
    lines = help_output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "Examples:"), None)
    if start is None:
        return []
    section = []
    for line in lines[start + 1 :]:
        if line.lstrip().startswith("╭"):  # the first panel (arguments or options)
            break
        if line.strip():
            section.append(line.strip())
    return section


@pytest.mark.parametrize("path", list(COMMANDS), ids=" ".join)
def test_help_examples_render_one_per_line(path: tuple[str, ...]) -> None:
    examples = [e.line for e in help_examples(path, COMMANDS[path])]
    # Wide enough for the longest example: the block is the examples, one per line, as written.
    wide = runner.invoke(app, [*path, "-h"], env={"COLUMNS": "200"})
    assert wide.exit_code == 0, wide.output
    assert examples_section(wide.output) == examples, wide.output
    # At the usual 80 columns a long example may wrap, but none runs into the next.
    narrow = examples_section(runner.invoke(app, [*path, "-h"], env={"COLUMNS": "80"}).output)
    starts = [line for line in narrow if line.startswith("rulecompare ")]
    assert len(starts) == len(examples), narrow
    assert all(x.startswith(s) for s, x in zip(starts, examples, strict=True)), narrow
    assert all(line.count("rulecompare ") <= 1 for line in narrow), narrow


# -- corpus: every example runs ---------------------------------------------------------------------

NOT_RUN = {
    "ingest china-serbia.pdf --name China - Serbia FTA --parties CHN,SRB --signed 2023-10-17": (
        "names a PDF of the reader's own"
    ),
    "tui": "starts the terminal UI, which tests/test_tui.py drives",
    "tui nafta tpp": "starts the terminal UI, which tests/test_tui.py drives",
    "corpus download": "downloads the ToTA archive from the network",
    "corpus download --dest ~/treaties": "downloads the ToTA archive from the network",
}
"""Examples that are parsed but not run, keyed by their arguments joined by spaces, with the reason."""

ALL_EXAMPLES_ENV = "RULECOMPARE_TEST_ALL_EXAMPLES"
SLOW = {
    "reuse tpp": "reuse(TPP) on the corpus: test_overlap.py::test_reuse_finds_tpp_sources",
    "reuse korus --clauses -o korus-sources.csv": (
        "reuse() on the corpus: test_overlap.py (TPP); --clauses -o: test_cli_overlap.py; "
        "the name korus: test_catalog.py"
    ),
    "neighbours nafta --article 1110": (
        "neighbours(NAFTA, article='1110') on the corpus: test_overlap.py; --article: test_cli_overlap.py"
    ),
    "align us-peru tpp -o diff.csv": (
        "align(US - Peru, TPP) on the corpus: test_overlap.py::test_alignment_pairs_same_title_articles"
    ),
    "compat -o compat.csv --plot compat.png": (
        "compatibility() on the corpus: test_compat.py; -o and --plot: test_cli_metrics.py"
    ),
    "spaghetti --plot spaghetti.png -o spaghetti.csv": (
        "spaghetti_index() on the corpus: test_spaghetti.py; -o and --plot on ToTA: test_cli_metrics.py"
    ),
    "translate": "the whole corpus: benchmarks/translation.py; the command: test_translate.py",
    "translate tota:450 -f csv": "TPP's Spanish text: test_crosslingual_corpus.py; -f: test_translate.py",
    "matrix tota:449 tota:450 tota:71 nafta": (
        "translates two Spanish texts; cross-lingual matrix cells: test_crosslingual.py"
    ),
    "reuse tota:71 --top 5": "reuse across languages: test_crosslingual.py (sample corpus)",
    "neighbours tota:450 --top 10": "TPP-es's neighbours on the corpus: test_crosslingual_corpus.py",
    "align tota:450 tota:449 --area investment": (
        "TPP-es x TPP-en aligned on the corpus: test_crosslingual_corpus.py; command: test_crosslingual.py"
    ),
    "provisions -o provisions.csv": (
        "codes every agreement of the corpus (26 s): test_provisions.py codes ToTA through the CLI "
        "(csv, parquet, --plot) and the evidence sample on the full corpus"
    ),
    "provisions --by-family --plot esg.png": (
        "codes every agreement of the corpus: depth_by_family in test_provisions.py, --plot on ToTA in "
        "test_provisions.py::test_cli_codes_evidence_and_plot"
    ),
    "compat --sensitivity": (
        "every variant of compatibility() on the corpus (3 min): test_methods_figures.py makes the same "
        "table; the option: test_compat.py::test_corpus_sensitivity_shows_what_the_placebo_is_for"
    ),
    "compat --partner PAK --by-area": (
        "one partner by area on the corpus (2 min): test_compat.py; --partner PAK --by-area on ToTA: "
        "test_cli_metrics.py::test_compat_partner_by_area_and_heatmap"
    ),
    "compat --china-set own,rcep,asean-china --hubs JPN,KOR": (
        "hub sets on the corpus (2 min): the sets + RCEP / + ASEAN-China rows of the sensitivity table in "
        "test_methods_figures.py; --china-set parsing: test_cli_metrics.py"
    ),
    "spaghetti --country CHL": (
        "divergence and index of CHL on the corpus: test_spaghetti.py; --country: test_cli_metrics.py"
    ),
}
"""Examples that take 6 s to 3 min each and whose work other tests already check (named here); they
run when the environment variable RULECOMPARE_TEST_ALL_EXAMPLES is set, which keeps the full suite
within its time budget."""


def _runnable() -> list[Any]:
    seen: dict[tuple[str, ...], Example] = {}
    for e in EXAMPLES:
        seen.setdefault(e.argv, e)
    params = []
    for argv, e in seen.items():
        key = " ".join(argv)
        marks = []
        if key in NOT_RUN:
            marks.append(pytest.mark.skip(reason=f"not run: {NOT_RUN[key]}"))
        elif key in SLOW:
            marks.append(
                pytest.mark.skipif(
                    not os.environ.get(ALL_EXAMPLES_ENV),
                    reason=f"slow, run with {ALL_EXAMPLES_ENV}=1; checked elsewhere: {SLOW[key]}",
                )
            )
        params.append(pytest.param(e, id=" ".join(argv), marks=marks))
    return params


def test_not_run_and_slow_name_documented_examples() -> None:
    documented = {" ".join(e.argv) for e in EXAMPLES}
    assert set(NOT_RUN) <= documented and set(SLOW) <= documented
    assert not set(NOT_RUN) & set(SLOW)


@pytest.fixture(scope="module")
def docs_db(full_db: Path) -> Path:
    """The run's whole-corpus store: the examples other than ``ingest`` only read it and fill its feature
    cache and indexes, shared with the other corpus tests (``ingest`` examples get their own copy)."""
    return full_db


@pytest.mark.parametrize("example", _runnable())
def test_example_runs_on_the_corpus(
    example: Example,
    docs_db: Path,
    full_records_db: Path,
    shared_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Exit 0, and something printed (or written, for -o and --plot) in a scratch folder."""
    monkeypatch.chdir(tmp_path)
    # ../shared is relative to the reader's checkout; the test names the one it found.
    argv = [
        str(shared_dir / a.removeprefix("../shared/")) if a.startswith("../shared") else a
        for a in example.argv
    ]
    db = docs_db
    if argv[0] == "ingest":
        # Ingesting changes the store: each ingest example gets its own copy.
        db = copy_store(full_records_db, tmp_path / "ingest.db")
        if "--manifest" in argv:  # a stand-in for the reader's own manifest, beside its file
            shutil.copy(SAMPLE_DIR / "text" / "efta-georgia-2016.html", tmp_path / "efta-georgia-2016.html")
            Path(argv[argv.index("--manifest") + 1]).write_text(
                "file,title,signed,parties,language\n"
                "efta-georgia-2016.html,EFTA - Georgia (sample),2016-06-27,CHE;ISL;LIE;NOR;GEO,en\n",
                encoding="utf-8",
            )
    env = {
        "RULECOMPARE_DB": str(db),
        "RULECOMPARE_CORPUS": str(shared_dir / "corpora"),
        "RULECOMPARE_SHARED": str(shared_dir),
    }
    result = runner.invoke(app, argv, env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    written = [tmp_path / argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("-o", "--output", "--plot")]
    if written:
        assert all(p.is_file() and p.stat().st_size > 0 for p in written), written
        for png in (p for p in written if p.suffix == ".png"):
            width, height = struct.unpack(">II", png.read_bytes()[16:24])
            assert max(width, height) <= MAX_PLOT_INCHES * 150, (png, width, height)
    else:
        assert result.stdout.strip()
