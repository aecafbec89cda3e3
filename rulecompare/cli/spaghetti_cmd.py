"""The spaghetti-bowl command: overlapping agreements and how far their rules diverge, per country.

It parses its options, calls :mod:`rulecompare.metrics.bowl`, and hands the
resulting DataFrame to :meth:`~rulecompare.cli.output.Output.emit`; plots are
drawn by :mod:`rulecompare.plots`. Long steps show a progress bar on stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .answer_opts import (
    AreaOpt,
    AsOfOpt,
    BootstrapOpt,
    EnglishOpt,
    IncludeOpt,
    MonoOpt,
    PlotOpt,
    SensitivityOpt,
    check_area,
    check_plot,
    plot_done,
    with_progress,
)
from .common import errors_to_exit, fail, party_code, require_metadata
from .output import Output, with_output

if TYPE_CHECKING:
    from ..metrics.bowl import BowlChoices, BowlInputs, BowlResult


def _pair(value: str) -> tuple[str, str]:
    parts = [p.strip().upper() for p in value.replace(";", ",").split(",") if p.strip()]
    if len(parts) != 2:
        fail(f"--pair takes two ISO3 codes separated by a comma (e.g. CHL,PER), not '{value}'")
    a, b = sorted(parts)
    return a, b


def _bowl_note(result: BowlResult) -> str:
    c = result.countries
    ranked = int(c["rank"].notna().sum())
    uncertain = int(c["uncertain"].sum())
    texts = result.stored.table
    counted = texts[texts["counted"]]
    langs = ", ".join(f"{n} {lang}" for lang, n in counted["language"].value_counts().items())
    return (
        f"index = partners bound by two or more agreements in force x divergence of those agreements' rules "
        f"beyond boilerplate (0 = same rules, 1 = as different as unrelated agreements); {ranked} countries "
        f"ranked, {uncertain} uncertain (too few texts or pairs: figures shown, no rank); texts counted: "
        f"{len(counted)} ({langs}); {_cross_note(result)}; see docs/METHODS.md 2"
    )


def _cross_note(result: BowlResult) -> str:
    comps = result.data.comparisons
    n = int(comps["cross_lingual"].sum()) if not comps.empty else 0
    texts = len({k for k in result.texts.translated if k in set(comps["key_a"]) | set(comps["key_b"])})
    if result.translation_note:
        return f"cross-lingual comparisons: none ({result.translation_note})"
    return f"{n} cross-lingual area comparisons ({texts} agreements read through an English translation)"


@with_output
def spaghetti(
    *,
    country: Annotated[
        str | None,
        typer.Option(
            "--country", "-c", help="One country (ISO3, or EU): its overlapping pairs area by area."
        ),
    ] = None,
    pair: Annotated[
        list[str] | None,
        typer.Option(
            "--pair", help="Two countries, ISO3,ISO3: the pair's agreements and divergence; repeat."
        ),
    ] = None,
    pairs: Annotated[
        bool, typer.Option("--pairs", help="Every pair bound by two or more agreements, instead.")
    ] = False,
    network: Annotated[
        bool,
        typer.Option("--network", help="Summary of the multigraph of countries and agreements, per area."),
    ] = False,
    edges: Annotated[
        bool, typer.Option("--edges", help="The multigraph's edge list (pair, agreement), instead.")
    ] = False,
    sensitivity: SensitivityOpt = False,
    area: AreaOpt = None,
    as_of: AsOfOpt = None,
    source: Annotated[
        str, typer.Option("--source", help="List counting agreements per pair: wto (WTO RTA-IS) or desta.")
    ] = "wto",
    include: IncludeOpt = None,
    english_only: EnglishOpt = False,
    monolingual: MonoOpt = False,
    weighted: Annotated[
        bool, typer.Option("--weighted", help="IDF-weighted Jaccard (boilerplate shingles weigh little).")
    ] = False,
    bootstrap: BootstrapOpt = 200,
    out: Output,
    plot: PlotOpt = None,
) -> None:
    """The spaghetti bowl: partners covered by several agreements in force whose rules differ.

    For each pair of countries bound by two or more agreements in force
    (WTO list, roles applied: successors, complements and partial-scope
    schemes do not overlap), the texts of those agreements are compared
    area by area against the similarity of unrelated agreements. A
    country's index = its doubly-covered partners x the divergence of
    their overlapping agreements (shrunk towards the mean), with a
    bootstrap interval over agreements; countries with fewer than 5
    texts or 2 compared pairs are shown as uncertain, unranked. An
    agreement with no English text (Spanish, French) is compared with
    English ones through its translation (Apertium), calibrated onto the
    monolingual scale; --monolingual turns that off. See docs/METHODS.md 2.
    The area matrices are kept in the store's cache after the first run.

    Examples:

        rulecompare spaghetti --plot spaghetti.png -o spaghetti.csv
        rulecompare spaghetti --country CHL
        rulecompare spaghetti --pair CHL,PER --pair SGP,CHN
        rulecompare spaghetti --as-of 2010 --source desta --include partial-scope
        rulecompare spaghetti --network
        rulecompare spaghetti --sensitivity
    """
    from ..catalog.standing import parse_include
    from ..metrics.bowl import BowlChoices, BowlInputs, run_bowl

    check_area(area)
    if plot is not None:
        check_plot(plot)
    if source not in ("wto", "desta"):
        fail(f"--source must be wto or desta, not '{source}'")
    views = [country is not None, bool(pair), pairs, network, edges, sensitivity]
    if sum(views) > 1:
        fail("choose one of --country, --pair, --pairs, --network, --edges and --sensitivity")
    wanted = [_pair(p) for p in pair] if pair else []
    store = out.open_store()
    require_metadata(
        "wto-rta-all.csv" if source == "wto" else "desta-list.csv",
        "the spaghetti bowl counts the agreements in force between each pair of countries "
        + ("from the WTO's list of regional trade agreements" if source == "wto" else "from the DESTA list"),
    )
    with errors_to_exit():
        choices = BowlChoices(
            as_of=as_of,
            source=source,
            include=parse_include(include),
            weighted=weighted,
            english_only=english_only,
            monolingual=monolingual,
            bootstrap=bootstrap,
        )
    inputs = with_progress(
        "spaghetti bowl",
        lambda tick: BowlInputs.build(
            store,
            area=area,
            weighted=weighted or sensitivity,
            progress=tick,
            translate=not (monolingual or english_only),
        ),
    )
    if sensitivity:
        _bowl_sensitivity(inputs, choices, out)
        return
    with errors_to_exit():
        result = run_bowl(inputs, choices)
    when = f"in force {as_of}" if as_of else "in force now"
    if country is not None:
        _bowl_country(result, party_code(country) or country, out, when)
    elif wanted:
        _bowl_pairs(result, wanted, out)
    elif pairs:
        out.emit(
            result.pairs, title=f"pairs bound by two or more agreements ({when})", note=_bowl_note(result)
        )
    elif network or edges:
        from ..metrics.bowl import edge_list, network_summary

        frame = edge_list(result) if edges else network_summary(result)
        out.emit(frame, title=f"the bowl as a multigraph of countries and agreements ({when})")
    else:
        title = f"spaghetti-bowl index by country ({when}; agreements counted from {source})"
        out.emit(result.countries, title=title, note=_bowl_note(result))
        if plot is not None:
            from ..plots import ranking_bar

            ranked = result.countries[result.countries["rank"].notna()]
            with errors_to_exit():
                plot_done(
                    ranking_bar(
                        ranked,
                        plot,
                        value="index",
                        label="country",
                        title=title.capitalize(),
                        top=30,
                        parts=("n_partners_multi", "divergence"),
                    )
                )


def _bowl_country(result: BowlResult, code: str, out: Output, when: str) -> None:
    from ..metrics.bowl import country_areas

    row = result.countries[result.countries["country"] == code]
    if row.empty:
        fail(
            f"no agreement in force binds {code} "
            "(EU members are counted as EU; see `rulecompare list --party`)"
        )
    r = row.iloc[0]
    note = (
        f"{code}: index {r['index']:.2f} [{r['index_low']:.2f}, {r['index_high']:.2f}] = "
        f"{r['n_partners_multi']} doubly-covered partners x divergence {r['divergence_shrunk']:.3f} "
        f"(measured on {r['n_pairs_compared']} pairs); rank {r['rank']}; texts {r['n_texts']} "
        f"({r['texts_by_language']}), compared {r['n_texts_compared']} ({r['compared_by_language']}; "
        f"{r['n_texts_translated']} of them also through an English translation), "
        f"left out for language {r['n_texts_left_out_language']}"
        + (f"; {result.translation_note}" if result.translation_note else "")
        + (f"; {r['note']}" if r["note"] else "")
        + (f"; flagged texts: {r['flagged_texts']}" if r["flagged_texts"] else "")
    )
    out.emit(
        country_areas(result.data, code),
        title=f"overlapping agreements of {code} by area ({when})",
        note=note,
    )


def _bowl_pairs(result: BowlResult, wanted: list[tuple[str, str]], out: Output) -> None:
    import pandas as pd

    table = result.pairs.set_index(["iso_a", "iso_b"])
    rows = []
    for a, b in wanted:
        if (a, b) in table.index:
            rows.append(table.loc[(a, b)].to_dict() | {"iso_a": a, "iso_b": b})
        else:
            n = len(result.data.counts.get((a, b), []))
            note = (
                "bound by one agreement in force: no overlap"
                if n == 1
                else "no agreement in force binds the pair"
            )
            rows.append({"iso_a": a, "iso_b": b, "n_agreements": n, "note": note})
    frame = pd.DataFrame(rows)
    out.emit(frame[[c for c in result.pairs.columns if c in frame.columns]], title="pairs of countries")


def _bowl_sensitivity(inputs: BowlInputs, choices: BowlChoices, out: Output) -> None:
    from ..metrics.bowl import sensitivity

    table = with_progress("sensitivity", lambda tick: sensitivity(inputs, choices, progress=tick))
    share = table.loc[table["variant"].str.startswith("reference: coverage share"), "spearman"]
    note = (
        "spearman: rank correlation of the index with the default over the countries ranked in both; "
        f"top10_kept: share of the default top 10 still in it; rank correlation with the plain coverage "
        f"share: {float(share.iloc[0]):.2f}"
    )
    out.emit(table, title="spaghetti bowl: sensitivity of the ranking to each documented choice", note=note)


def register(app: typer.Typer) -> None:
    app.command("spaghetti")(spaghetti)


__all__ = ["register", "spaghetti"]
