"""The ``translate`` command: translate the non-English agreements once and keep the result in the store."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import errors_to_exit, resolve_all
from .feedback import progress_bar
from .output import Output, with_output


@with_output
def translate_cmd(
    agreements: Annotated[
        list[str] | None,
        typer.Argument(
            help="Agreements (names or ids). Default: every one not in English.", show_default=False
        ),
    ] = None,
    *,
    force: Annotated[
        bool, typer.Option("--force", help="Translate again even where the store has a current translation.")
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Translator processes at once.", min=1, max=64)
    ] = 2,
    out: Output,
) -> None:
    """Translate Spanish and French agreements into English with Apertium, for comparison across languages.

    The translations are kept in the store beside the original texts (which
    are never changed) and used wherever a text is compared with one in
    another language: `matrix`, `neighbours`, `align`, `reuse`, `spaghetti`,
    `compat`. Those commands translate on first use too; this command does it
    all at once, with progress. Needs Apertium: `apt-get install apertium
    apertium-eng-spa apertium-fr-es`.

    Examples:

        rulecompare translate                   # every agreement not in English (about two minutes)
        rulecompare translate tota:450 -f csv   # TPP's Spanish text, with a table of what was done
    """
    import pandas as pd

    from ..translate import translate_agreements

    store = out.open_store()
    with errors_to_exit():
        ids = resolve_all(store, agreements)
        with progress_bar() as bar:
            task = bar.add_task("translating", total=None)

            def show(aid: str, done: int, total: int) -> None:
                bar.update(task, description=f"translating {aid}", completed=done, total=total)

            results = translate_agreements(store, ids, force=force, jobs=jobs, progress=show)
    frame = pd.DataFrame(
        {
            "agreement_id": [r.agreement_id for r in results],
            "language": [r.language for r in results],
            "status": [r.status for r in results],
            "clauses": [r.clauses for r in results],
            "chars": [r.chars for r in results],
            "seconds": [round(r.seconds, 2) for r in results],
        }
    ).sort_values("agreement_id", ignore_index=True)
    done = frame[frame["status"] == "translated"]
    note = (
        f"{len(done)} agreements translated ({int(done['chars'].sum()):,} characters in "
        f"{done['seconds'].sum():.1f} s), {int((frame['status'] == 'current').sum())} already current, "
        f"{int((frame['status'] == 'unsupported').sum())} in a language with no translation route"
    )
    if not frame.empty or not out.terminal_table:
        out.emit(frame, title="translations", note=note)
    else:
        out.emit(frame, note="no agreement in the selection is in a language other than English")


def register(app: typer.Typer) -> None:
    app.command("translate")(translate_cmd)
