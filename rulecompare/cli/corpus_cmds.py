"""`rulecompare corpus path|download`: where the texts come from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..corpus import TOTA_URL, download_tota, resolve_corpus, verify_tota_dir
from ..errors import RulecompareError
from ..paths import cache_dir, resolve_db_path
from .common import WITHOUT_CORPUS, DbOpt, err, errors_to_exit, fail
from .feedback import Feedback

corpus_app = typer.Typer(
    help="Find or download the agreement corpus.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
)


@corpus_app.command("path")
def path_cmd(
    corpus: Annotated[Path | None, typer.Option("--corpus", help="Check this folder instead.")] = None,
    db: DbOpt = None,
) -> None:
    """Say which corpus folder and which store are used, and why.

    Order: --corpus, $RULECOMPARE_CORPUS, ../shared/corpora, the download cache.

    Examples:

        rulecompare corpus path
        rulecompare corpus path --corpus ../shared/corpora
    """
    with errors_to_exit():
        loc = resolve_corpus(corpus)
    db_path, db_why = resolve_db_path(db)
    if not loc.found:
        typer.echo(f"corpus: none ({loc.reason})")
    else:
        typer.echo(f"corpus: {loc.root} ({loc.reason})")
        if loc.tota_xml is not None:
            n = len(list(loc.tota_xml.glob("pta_*.xml")))
            problems = verify_tota_dir(loc.tota_xml)
            state = (
                "complete pinned ToTA copy"
                if not problems
                else f"{len(problems)} differences from the pinned ToTA copy (first: {problems[0]})"
            )
            typer.echo(f"  ToTA XML: {loc.tota_xml} ({n} files; {state})")
        if loc.ggo_manifest is not None:
            typer.echo(f"  text agreements: {loc.ggo_manifest}")
        for pdf in loc.pdfs:
            typer.echo(f"  PDF: {pdf}")
    typer.echo(f"store: {db_path} ({db_why}{'' if db_path.exists() else ', not created yet'})")


@corpus_app.command("download")
def download_cmd(
    dest: Annotated[
        Path | None,
        typer.Option(
            "--dest", help="Folder to unpack into. Default: the per-user cache.", show_default=False
        ),
    ] = None,
    url: Annotated[str, typer.Option(help="Archive URL (the pinned ToTA commit by default).")] = TOTA_URL,
    sha256: Annotated[
        str | None, typer.Option(help="Expected SHA-256 of the archive, if you have one.")
    ] = None,
) -> None:
    """Download the pinned ToTA corpus (450 agreements), verify it, and unpack it into the cache.

    Every XML file is checked against the pinned SHA-256 list shipped with rulecompare;
    a failed download leaves any earlier copy untouched.

    Examples:

        rulecompare corpus download
        rulecompare corpus download --dest ~/treaties
    """
    target = (dest or cache_dir() / "corpora").expanduser()
    made = [p for p in (target, *target.parents) if not p.exists()]
    try:
        with Feedback("downloading ToTA") as feedback:

            def tick(done: int, total: int | None) -> None:
                feedback.update("downloading ToTA", done, total)

            root = download_tota(target, url=url, sha256=sha256, progress=tick)
    except RulecompareError as exc:
        # The folders this download made (the cache itself, on a first run) go with it.
        for folder in made:
            try:
                folder.rmdir()  # only an empty folder: nothing of the user's can go
            except FileNotFoundError:
                continue
            except OSError:
                break
        fail(
            f"{exc}. Without the network: ingest {WITHOUT_CORPUS}, or name a copy of the corpus "
            "with --corpus PATH (or $RULECOMPARE_CORPUS)"
        )
    err.print(f"ToTA unpacked and verified in {root}; `rulecompare ingest` will now find it")


def register(app: typer.Typer) -> None:
    app.add_typer(corpus_app, name="corpus")
