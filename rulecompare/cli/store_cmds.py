"""Commands that read the store: list, show, search, export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import RulecompareError
from ..outfile import STDOUT
from ..paths import METADATA_ENV
from .common import (
    MAX_ROWS,
    YEARS,
    DbOpt,
    FormatOpt,
    err,
    errors_to_exit,
    fail,
    party_ids,
    resolve,
    resolve_all,
)
from .output import Output, with_output

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Agreement
    from ..store import Store

ClauseAreaOpt = Annotated[str | None, typer.Option(help="Only clauses in this policy area.")]
LanguageOpt = Annotated[str | None, typer.Option("--language", "-l")]

LIST_COLUMNS = [
    "id", "name", "desta_id", "parties", "date_signed", "language", "families", "scope", "in_force",
    "counted", "why", "text", "n_articles", "n_clauses", "duplicate_of",
]  # fmt: skip
"""The columns `rulecompare list` shows without --all."""
SHORT_HEADERS = {"desta_id": "desta", "date_signed": "signed", "language": "lang", "n_clauses": "clauses"}
"""Shorter headers for the terminal table of `rulecompare list` (files keep the column names)."""


@with_output
def list_(
    *,
    party: Annotated[
        list[str] | None,
        typer.Option(
            "--party",
            "-p",
            help=(
                "A party: ISO3 code (CHN), country name (China) or bloc (EU, ASEAN); "
                "repeat to require several."
            ),
        ),
    ] = None,
    family: Annotated[
        list[str] | None,
        typer.Option("--family", help="Family: us, eu, efta, china, asean, apec, nafta, bri-partner ..."),
    ] = None,
    year_from: Annotated[int | None, typer.Option(help="Signed in or after this year.", **YEARS)] = None,
    year_to: Annotated[int | None, typer.Option(help="Signed in or before this year.", **YEARS)] = None,
    language: Annotated[str | None, typer.Option("--language", "-l", help="en, es or fr.")] = None,
    area: Annotated[
        str | None, typer.Option(help="Only agreements with clauses in this policy area.")
    ] = None,
    all_columns: Annotated[bool, typer.Option("--all", help="All metadata columns.")] = False,
    as_of: Annotated[
        int | None,
        typer.Option(
            "--as-of", help="Standing on 31 December of this year (default: now).", show_default=False
        ),
    ] = None,
    include: Annotated[
        str | None,
        typer.Option(
            "--include",
            help="Count kinds left out by default: partial-scope, multilateral, services (comma-separated).",
            show_default=False,
        ),
    ] = None,
    out: Output,
) -> None:
    """List agreements in the store, with their roles: scope, in force, counted or why not, text flags.

    ``scope`` comes from agreements/roles.csv or the WTO card; ``counted``
    says whether the spaghetti bowl and compatibility count the agreement on
    the day (``why`` says why not: not in force, superseded, a duplicate, a
    partial-scope scheme ...); ``text`` flags texts that are truncated, hold
    one instrument of several, end early or are short for their peers.

    An agreement is listed when it passes every filter given; `--all` adds
    every metadata column (type, status, dates, region, WTO RTA id ...).
    An agreement held twice (a ToTA record and a text of the same treaty) shows which one it
    duplicates in ``duplicate_of``; analyses count it once.

    Examples:

        rulecompare list --party CHN
        rulecompare list --family eu --year-from 2000 -f csv -o eu.csv
        rulecompare list --as-of 2010 --include partial-scope
    """
    from ..catalog.stored import stored_texts

    store = out.open_store()
    df = store.agreements(
        party_ids(store, party),
        family=family,
        language=language,
        year_from=year_from,
        year_to=year_to,
        area=area,
    )
    df, note = _with_desta_id(store, df)
    with errors_to_exit():
        roles = stored_texts(store, as_of=as_of, include=include).table.set_index("id")
    for col in ("scope", "in_force", "counted", "why", "superseded_by", "text", "text_note"):
        df[col] = df["id"].map(roles[col])
    if not all_columns:
        df = df[LIST_COLUMNS]
        if out.terminal_table:
            # At the terminal, whether an agreement counts and why not in one column, so that the
            # table fits beside the names.
            why = df["why"].fillna("").astype(str)
            df = df.assign(
                counted=[
                    "yes" if c else f"no: {w}".rstrip(": ") for c, w in zip(df["counted"], why, strict=True)
                ]
            )
            df = df.drop(columns=["in_force", "why", "n_articles"]).rename(columns=SHORT_HEADERS)
    n_counted = int(roles["counted"].reindex(df["id"]).fillna(False).astype(bool).sum())
    counted = f"{n_counted} counted (in force, of a counted kind, not a duplicate)"
    out.emit(
        df,
        title=f"{len(df)} agreement{'s' if len(df) != 1 else ''}",
        note="; ".join(n for n in (counted, note) if n),
    )


def _with_desta_id(store: Store, df: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """``df`` with the DESTA number of each agreement after its name (NA when there is none), and a note
    when the DESTA list is not found or some agreements have no number."""
    import pandas as pd

    from ..catalog import store_crosswalk

    try:
        links = store_crosswalk(store)
    except RulecompareError:
        return df.assign(desta_id=pd.NA), (
            "desta_id is empty: the DESTA list (desta-list.csv) is not on this machine; set "
            f"{METADATA_ENV} to a folder that holds it (the metadata/ folder beside the shared corpora)"
        )
    ids = df["id"].map(dict(zip(links["agreement_id"], links["desta_id"], strict=True)))
    df = df.assign(desta_id=ids)
    missing = int(ids.isna().sum())
    note = f"{missing} without a DESTA number; `rulecompare crosswalk --report` says why" if missing else None
    return df[
        ["id", "name", "desta_id", *[c for c in df.columns if c not in ("id", "name", "desta_id")]]
    ], note


@with_output
def show(
    agreement: Annotated[str, typer.Argument(help="Id or name: tota:112, nafta, tpp, 'us peru' ...")],
    *,
    article: Annotated[
        str | None,
        typer.Option("--article", "-a", help="Print one article, by number (e.g. 1102 or 'Article 3')."),
    ] = None,
    out: Output,
) -> None:
    """Show an agreement's outline (chapters, articles, areas) or one article's clauses.

    The outline gives each chapter with its policy areas and each article with
    its number of clauses; `--article` prints that article's clauses in full.

    Examples:

        rulecompare show nafta
        rulecompare show nafta --article 1110
    """
    store = out.open_store()
    aid = resolve(store, agreement)
    a = store.agreement(aid)
    if article is not None:
        df = store.clauses([aid], article=article)
        if df.empty:
            fail(f"{aid} has no article '{article}'; see `rulecompare show {agreement}` for its articles")
        if out.terminal_table:
            _print_article(a, df, store.footnotes(aid, list(df["id"])))
            return
        out.emit(df)
        return
    outline = store.outline(aid)
    if out.terminal_table:
        _print_outline(a, outline)
        return
    out.emit(outline)


def _found_and_read(found: object, repaired: object) -> str:
    """A heading as found, and how it reads with its OCR damage repaired when it was."""
    found_s = found if isinstance(found, str) else ""
    if isinstance(repaired, str) and repaired and repaired != found_s:
        return f"{found_s}  (read as: {repaired})"
    return found_s


def _heading_read(row: object, level: str) -> str:
    """The chapter or article (``level``) number and title of an outline or clause row, found and read."""

    def field(name: str) -> object:
        return getattr(row, f"{level}_{name}")

    def read(name: str) -> object:
        repaired = field(f"{name}_repaired")
        return repaired if isinstance(repaired, str) else field(name)

    return _found_and_read(_joined(field("number"), field("title")), _joined(read("number"), read("title")))


def _joined(*parts: object) -> str:
    return " ".join(str(x) for x in parts if isinstance(x, str) and x)


def _print_outline(a: Agreement, outline: pd.DataFrame) -> None:
    """Chapters, their sections and articles, with what OCR repairs read them as."""
    typer.echo(f"{a.name} ({a.id})")
    typer.echo(
        f"parties {', '.join(a.parties)}; signed {a.date_signed or '?'}; "
        f"in force {a.date_in_force or '?'}; "
        f"language {a.language}; families {', '.join(a.families) or '-'}"
    )
    if a.duplicate_of:
        typer.echo(
            f"duplicate of {a.duplicate_of}: the same agreement from another source, counted once as it"
        )
    parts = outline.drop_duplicates("chapter_index")
    numbered = int(parts["chapter_number"].notna().sum())
    other = len(parts) - numbered
    extra = f" and {other} unnumbered parts (preamble, conclusion ...)" if other else ""
    typer.echo(f"{numbered} chapters{extra}, {len(outline)} articles\n")
    for _, ch in outline.groupby("chapter_index", sort=True):
        head = ch.iloc[0]
        label = _heading_read(head, "chapter")
        typer.echo(f"{label or '(untitled chapter)'}  [{', '.join(dict.fromkeys(ch['area']))}]")
        section: str | None = None
        for art in ch.itertuples(index=False):
            if isinstance(art.section_number, str) and art.section_number != section:
                section = art.section_number
                title = _found_and_read(art.section_title, art.section_title_repaired)
                typer.echo(f"  {_joined(art.section_number, title)}")
            indent = "      " if section else "    "
            name = _heading_read(art, "article")
            typer.echo(f"{indent}{name or '(untitled article)'}  ({art.clauses} clauses)")


def _print_article(a: Agreement, df: pd.DataFrame, notes: pd.DataFrame) -> None:
    """One article's clauses, each followed by its footnotes."""
    first = df.iloc[0]
    typer.echo(f"{a.name} ({a.id})\n{_joined(first.chapter_number, first.chapter_title)}")
    if isinstance(first.section_number, str):
        typer.echo(_joined(first.section_number, first.section_title))
    heading = _heading_read(first, "article")
    typer.echo(f"{heading}  [{first.area}]\n")
    by_clause = notes.groupby("clause_id") if not notes.empty else None
    for clause_id, text in zip(df["id"], df["text"].astype(str), strict=True):
        typer.echo(text.strip() + "\n")
        if by_clause is not None and clause_id in by_clause.groups:
            for note in by_clause.get_group(clause_id).itertuples(index=False):
                typer.echo(f"    [{note.label}] {note.text}\n")


@with_output
def search(
    query: Annotated[
        str, typer.Argument(help='Words (all must occur) or an FTS5 query: "exact phrase", a OR b, prefix*.')
    ],
    *,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Most results to show.", min=1, max=MAX_ROWS)
    ] = 20,
    agreement: Annotated[
        list[str] | None, typer.Option("--agreement", "-a", help="Only in these agreements (names or ids).")
    ] = None,
    area: ClauseAreaOpt = None,
    language: LanguageOpt = None,
    out: Output,
) -> None:
    """Full-text search across all clauses, best matches first, with the matching words marked.

    Every word given must occur in the clause. The query is SQLite FTS5
    syntax: "a quoted phrase", a OR b, prefix*, and NEAR(a b, 5) for two
    words at most five words apart.

    Examples:

        rulecompare search "electronic transmissions"
        rulecompare search 'NEAR(investor state, 5)' --area investment -f csv
    """
    store = out.open_store()
    ids = resolve_all(store, agreement)
    with errors_to_exit():
        df = store.search(
            query, limit=limit, agreement_ids=ids, area=area, language=language, mark=("«", "»")
        )
    if out.terminal_table and sys.stdout.isatty():
        df["snippet"] = df["snippet"].str.replace("«", "\x1b[1;33m").str.replace("»", "\x1b[0m")
    if df.empty:
        err.print(f"no clause matches {query!r}")
        raise typer.Exit(1)
    out.emit(df.drop(columns=["rank"]), title=f"{len(df)} matches for {query!r}")


def export(
    what: Annotated[str, typer.Argument(help="clauses or agreements")],
    *,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (.csv, .json, .parquet).")],
    fmt: FormatOpt = None,
    agreement: Annotated[
        list[str] | None, typer.Option("--agreement", "-a", help="Only these agreements.")
    ] = None,
    language: LanguageOpt = None,
    area: ClauseAreaOpt = None,
    db: DbOpt = None,
) -> None:
    """Export tidy tables: one row per clause (with its agreement's metadata) or per agreement.

    In the clause table the agreement's columns carry an `agreement_` prefix,
    so that one file is enough for a regression; pandas.read_csv reads it back.

    Examples:

        rulecompare export clauses -o clauses.csv
        rulecompare export agreements -o agreements.parquet
    """
    if what not in ("clauses", "agreements"):
        fail(f"cannot export '{what}': choose clauses or agreements")
    out = Output(db, fmt, output)
    store = out.open_store()
    ids = resolve_all(store, agreement)
    agreements = store.agreements(ids, language=language)
    if what == "agreements":
        out.emit(agreements)
        return
    import pandas as pd

    from ..export import format_for
    from ..export_stream import clause_table, write_frames

    pieces = clause_table(store, ids, language=language, area=area)
    if format_for(output, fmt) == "table" or str(output) == STDOUT:
        out.emit(pd.concat(list(pieces), ignore_index=True))
        return
    # Written piece by piece from the store: the whole clause table is never held in memory.
    try:
        n = write_frames(pieces, output, fmt)
    except RulecompareError as exc:
        fail(str(exc))
    err.print(f"wrote {n} rows to {output} ({format_for(output, fmt)})")


def register(app: typer.Typer) -> None:
    app.command("list")(list_)
    app.command("show")(show)
    app.command("search")(search)
    app.command("export")(export)
