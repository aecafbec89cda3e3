"""The BRI-RTA compatibility command: China's FTAs against placebo hubs, per Belt and Road partner.

A thin front over :mod:`rulecompare.metrics.bri`: the options become a
:class:`~rulecompare.metrics.bri.CompatChoices`, the result a table (per
partner, or per partner and area) with a note on what was compared, and
``--plot`` a heatmap of the excess over the placebo hubs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..metrics.bri.defaults import CLAUSE_THRESHOLD
from ..metrics.bri.sets import ALIASES, DEFAULT_KINDS, KINDS, PLACEBO_HUBS, HubKind, parse_kinds
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
from .common import MAX_ROWS, errors_to_exit, fail, party_code, resolve, score_option
from .output import Output, with_output

if TYPE_CHECKING:
    from ..metrics.bri import CompatResult
    from ..store import Store


def _china_set(
    store: Store, values: list[str] | None
) -> tuple[frozenset[HubKind] | None, tuple[str, ...] | None]:
    """``--china-set`` values: kinds (own, rcep, asean-china, cepa ...) or agreement names, not both."""
    if not values:
        return None, None
    words = [w.strip() for v in values for w in v.split(",") if w.strip()]
    known = {*KINDS, *ALIASES}
    if all(w.lower() in known for w in words):
        with errors_to_exit():
            return parse_kinds(words), None
    if any(w.lower() in known for w in words):
        fail("--china-set takes kinds (own, rcep, asean-china, cepa) or agreement names, not both")
    return None, tuple(resolve(store, w) for w in words)


@with_output
def compat(
    *,
    partner: Annotated[
        list[str] | None,
        typer.Option(
            "--partner", "-p", help="BRI partner (ISO3); repeat for several. Default: all with text."
        ),
    ] = None,
    area: AreaOpt = None,
    china_set: Annotated[
        list[str] | None,
        typer.Option(
            "--china-set",
            help="Kinds of China's agreements in its set: own (default), rcep (plurilateral), "
            "asean-china (bloc), cepa; or agreement ids/names. A partner's own agreements with China "
            "are always left out.",
        ),
    ] = None,
    hubs: Annotated[
        str,
        typer.Option("--hubs", help="Placebo hubs, comma-separated ISO3 (EU for the Union)."),
    ] = ",".join(PLACEBO_HUBS),
    by_area: Annotated[
        bool, typer.Option("--by-area", help="One row per partner and area instead of one per partner.")
    ] = False,
    sensitivity: SensitivityOpt = False,
    as_of: AsOfOpt = None,
    include: IncludeOpt = None,
    threshold: Annotated[
        float,
        typer.Option(
            help="Clause similarity at which two clauses count as counterparts.", callback=score_option
        ),
    ] = CLAUSE_THRESHOLD,
    plain: Annotated[
        bool, typer.Option("--plain", help="Plain Jaccard instead of IDF-weighted clause similarity.")
    ] = False,
    english_only: EnglishOpt = False,
    monolingual: MonoOpt = False,
    bootstrap: BootstrapOpt = 200,
    top: Annotated[
        int,
        typer.Option(help="Partners shown in the heatmap (largest excess first).", min=1, max=MAX_ROWS),
    ] = 40,
    out: Output,
    plot: PlotOpt = None,
) -> None:
    """BRI-RTA compatibility, China against placebo hubs: raw, placebo and excess per partner.

    Each Belt and Road partner's agreements without China are compared
    clause by clause (IDF-weighted, so treaty boilerplate weighs little) with
    China's set, from which the partner's own agreements with China are
    taken out; the same is done for the placebo hubs (Japan, Korea, India,
    Australia, the EU, the US). raw = score against China, placebo = mean
    score against the placebo hubs, excess = raw - placebo, what is
    China-specific; intervals are bootstrap percentiles over agreements.
    Areas China's set does not write are NaN with a reason. A partner
    agreement with no English text (French, Spanish) is read through its
    translation (Apertium), clause scores calibrated onto the monolingual
    scale (n_translated); --monolingual leaves those out. See
    docs/METHODS.md 3.

    The first run on a store matches every clause with every hub clause
    (about 40 s on the full corpus) and keeps the matches in the store's
    cache; later runs, whatever partners, hubs or options they ask for,
    read them (a few seconds) until an agreement is added or re-ingested.

    Examples:

        rulecompare compat -o compat.csv --plot compat.png
        rulecompare compat --partner PAK --by-area
        rulecompare compat --china-set own,rcep,asean-china --hubs JPN,KOR
        rulecompare compat --sensitivity
    """
    from ..catalog.standing import parse_include
    from ..metrics.bri import CompatChoices, CompatInputs, compat_sensitivity, run_compat, variant_choices

    check_area(area)
    if plot is not None:
        check_plot(plot)
    if not 0.0 < threshold <= 1.0:
        fail("--threshold must be in (0, 1]")
    store = out.open_store()
    kinds, explicit = _china_set(store, china_set)
    with errors_to_exit():
        choices = CompatChoices(
            as_of=as_of,
            include=parse_include(include),
            kinds=kinds or DEFAULT_KINDS,
            china_set=explicit,
            hubs=tuple(h.strip().upper() for h in hubs.split(",") if h.strip()),
            threshold=threshold,
            weighted=not plain,
            english_only=english_only,
            monolingual=monolingual,
            bootstrap=bootstrap,
            partners=tuple(party_code(p) or p for p in partner) if partner else None,
        )
    needed = variant_choices(choices) if sensitivity else [choices]
    inputs = with_progress(
        "compatibility", lambda tick: CompatInputs.build(store, needed, area=area, progress=tick)
    )
    if sensitivity:
        table = with_progress("sensitivity", lambda tick: compat_sensitivity(inputs, choices, progress=tick))
        out.emit(
            table,
            title="compatibility: sensitivity of the ranking by excess to each documented choice",
            note="spearman: rank correlation of the excess with the default over the partners in both; "
            "top10_kept: share of the default top 10 still in it",
        )
        return
    result = with_progress("compatibility", lambda tick: run_compat(inputs, choices, progress=tick))
    df = result.areas if by_area else result.partners
    out.emit(
        df,
        title=f"BRI-RTA compatibility by {'partner and area' if by_area else 'partner'}: "
        "China against placebo hubs",
        note=_compat_note(result, inputs.translation_note),
    )
    if plot is not None:
        from ..plots import score_heatmap
        from ..taxonomy import area_keys

        order = result.partners[result.partners["rank"].notna()]["partner"].head(top).tolist()
        grid = result.areas.pivot_table(index="partner", columns="area", values="excess", aggfunc="first")
        grid = grid.reindex(index=order, columns=[a for a in area_keys() if a in grid.columns])
        with errors_to_exit():
            plot_done(
                score_heatmap(
                    grid,
                    plot,
                    colorbar="excess over placebo hubs",
                    vmin=-0.3,
                    vmax=0.3,
                    title="BRI partners: compatibility with China's FTAs beyond the placebo hubs "
                    f"({len(order)})",
                )
            )


def _compat_note(result: CompatResult, translation_note: str = "") -> str:
    p = result.partners
    left = int(p["n_left_out_language"].sum())
    compared = int(p["n_compared"].sum())
    translated = int(p["n_translated"].sum())
    why = f" ({translation_note})" if translation_note else ""
    return (
        f"China's set: {len(result.china_set)} agreements ({'; '.join(result.china_names)}), "
        f"each partner's own left out; partners: {len(p)}; partner agreements compared {compared} "
        f"({translated} through an English translation, cross-lingual), left out for language {left}{why}; "
        "raw/placebo/excess in 0-1 units of compat; see docs/METHODS.md 3"
    )


def register(app: typer.Typer) -> None:
    app.command("compat")(compat)


__all__ = ["compat", "register"]
