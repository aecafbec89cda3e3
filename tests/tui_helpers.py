"""What the TUI tests share: a small store written for them, and driving the app with Pilot.

The small store (:func:`build_tui_store`) holds four invented agreements, so
that tests whose assertion is about the interface (keys, layout, errors,
colours) run in seconds, while the tests whose answer is a fact about real
treaties use the ToTA store of ``conftest.py``:

- ``t:atlantis``: "United States - Atlantis Free Trade Agreement (USAFTA)", English,
  an investment chapter (Articles 1101-1112) and a goods chapter, one clause
  long enough to be clipped;
- ``t:oceanic``: "Trans-Oceanic Partnership" in English, which rewrites most of
  Atlantis's articles (some word for word, most with edits) and adds its own;
- ``t:oceanic-es``: "Trans-Oceanic Partnership" in Spanish (same name, another
  language);
- ``t:unrelated``: an agreement that shares nothing with the others.

The texts are invented for the tests; they read like treaty text and are no
treaty's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from rulecompare.model import Agreement, Clause, ParsedAgreement
from rulecompare.store import Store
from rulecompare.tui import RulecompareApp
from rulecompare.tui.messages import OpenAgreement
from rulecompare.tui.screens.agreement import AgreementScreen

ATLANTIS = "t:atlantis"
OCEANIC = "t:oceanic"
OCEANIC_ES = "t:oceanic-es"
UNRELATED = "t:unrelated"

Steps = Callable[[Pilot[None], RulecompareApp], Awaitable[None]]

INVESTMENT = [
    ("1101", "Scope and Coverage", [
        "This Chapter applies to measures adopted or maintained by a Party relating to investors of "
        "another Party and to investments of investors of another Party in the territory of the Party.",
        "A Party's obligations under this Chapter shall apply to a state enterprise or other person when "
        "it exercises any regulatory, administrative or other governmental authority delegated to it.",
    ]),
    ("1102", "National Treatment", [
        "Each Party shall accord to investors of another Party treatment no less favourable than that it "
        "accords, in like circumstances, to its own investors with respect to the establishment, "
        "acquisition, expansion, management, conduct, operation, and sale or other disposition of "
        "investments in its territory.",
        "Each Party shall accord to covered investments treatment no less favourable than that it accords, "
        "in like circumstances, to investments in its territory of its own investors.",
    ]),
    ("1103", "Most-Favoured-Nation Treatment", [
        "Each Party shall accord to investors of another Party treatment no less favourable than that it "
        "accords, in like circumstances, to investors of any non-Party with respect to the establishment "
        "and operation of investments in its territory.",
    ]),
    ("1104", "Minimum Standard of Treatment", [
        "Each Party shall accord to covered investments treatment in accordance with customary "
        "international law, including fair and equitable treatment and full protection and security.",
    ]),
    ("1105", "Performance Requirements", [
        "No Party may impose or enforce any requirement to export a given level or percentage of goods or "
        "services, to achieve a given level of domestic content, or to purchase goods produced in its "
        "territory, in connection with the establishment or operation of an investment.",
    ]),
    ("1106", "Senior Management and Boards of Directors", [
        "No Party may require that an enterprise of that Party that is a covered investment appoint to "
        "senior management positions natural persons of any particular nationality.",
    ]),
    ("1107", "Transfers", [
        "Each Party shall permit all transfers relating to a covered investment to be made freely and "
        "without delay into and out of its territory, in a freely usable currency at the market rate of "
        "exchange prevailing at the time of transfer.",
    ]),
    ("1110", "Expropriation and Compensation", [
        "No Party may expropriate or nationalise a covered investment either directly or indirectly through "
        "measures equivalent to expropriation or nationalisation, except for a public purpose, in a "
        "non-discriminatory manner, on payment of prompt, adequate and effective compensation, and in "
        "accordance with due process of law.",
        "Compensation shall be paid without delay, be equivalent to the fair market value of the "
        "expropriated investment immediately before the expropriation took place, and not reflect any "
        "change in value occurring because the intended expropriation had become known earlier.",
    ]),
    ("1111", "Special Formalities and Information Requirements", [
        "Nothing in Article 1102 shall be construed to prevent a Party from adopting or maintaining a "
        "measure that prescribes special formalities in connection with covered investments, such as a "
        "requirement that investors be residents of the Party, provided that such formalities do not "
        "materially impair the protections afforded by a Party to investors of another Party.",
    ]),
    ("1112", "Denial of Benefits", [
        "A Party may deny the benefits of this Chapter to an investor of another Party that is an enterprise "
        "of that other Party and to investments of that investor if persons of a non-Party own or control "
        "the enterprise and the enterprise has no substantial business activities in the territory of the "
        "other Party.",
    ]),
]  # fmt: skip

GOODS = [
    ("301", "National Treatment on Goods", [
        "Each Party shall accord national treatment to the goods of another Party in accordance with "
        "Article III of the General Agreement on Tariffs and Trade, including its interpretative notes.",
    ]),
    ("302", "Tariff Elimination", [
        "Except as otherwise provided in this Agreement, no Party may increase any existing customs duty, or "
        "adopt any new customs duty, on an originating good, and each Party shall progressively eliminate "
        "its customs duties on originating goods in accordance with its Schedule.",
    ]),
]  # fmt: skip

LONG_SENTENCES = [
    "Each Party shall ensure that its competent authorities publish, in a manner that allows interested "
    "persons to become acquainted with them, the laws, regulations, procedures and administrative rulings "
    "of general application respecting any matter covered by this Chapter.",
    "To the extent possible, each Party shall publish in advance any such measure that it proposes to "
    "adopt and provide interested persons and other Parties a reasonable opportunity to comment.",
    "Each Party shall establish or maintain contact points to facilitate communications between the "
    "Parties on any matter covered by this Chapter, and shall notify the other Parties of them.",
]
LONG_CLAUSE = "\n".join(f"({chr(97 + k)}) {LONG_SENTENCES[k % 3]}" for k in range(12))
"""A clause of about forty lines at eighty columns: clipped in Compare."""

EDITS = {
    "investors of another Party": "investors of the other Party",
    "in like circumstances": "in like situations",
    "customary international law": "the customary international law minimum standard",
    "freely usable currency": "freely convertible currency",
    "prompt, adequate and effective": "adequate",
    "Each Party shall accord national treatment": "Each Party shall accord treatment",
}

SPANISH = [
    "Cada Parte otorgará a los inversionistas de otra Parte un trato no menos favorable que el que otorgue, "
    "en circunstancias similares, a sus propios inversionistas en lo referente al establecimiento.",
    "Ninguna Parte podrá expropiar ni nacionalizar una inversión cubierta, sea directa o indirectamente, "
    "salvo que sea por causa de propósito público, de una manera no discriminatoria y mediante el pago "
    "de una indemnización pronta, adecuada y efectiva.",
    "Cada Parte permitirá que todas las transferencias relacionadas con una inversión cubierta se hagan "
    "libremente y sin demora desde y hacia su territorio.",
]

UNRELATED_TEXTS = [
    "The contracting states shall cooperate in the conservation of migratory fish stocks of the lagoon.",
    "A joint commission of fishery experts shall meet twice a year in the capital of each state in turn.",
]


def _area(chapter_title: str) -> str:
    if chapter_title.startswith(("Invest", "Inversi")):
        return "investment"
    return {"Preamble": "preamble", "Trade in Goods": "goods_market_access"}.get(
        chapter_title, "unclassified"
    )


def _edit(text: str) -> str:
    for old, new in EDITS.items():
        text = text.replace(old, new)
    return text


def _agreement(
    aid: str, name: str, chapters: list[tuple[str, str, list[tuple[str, str, list[str]]]]], **meta: object
) -> ParsedAgreement:
    word = "ARTÍCULO" if meta.get("language") == "es" else "ARTICLE"
    clauses: list[Clause] = []
    article = 0
    for c, (chapter_number, chapter_title, articles) in enumerate(chapters):
        for number, title, paragraphs in articles:
            for p, text in enumerate(paragraphs):
                clauses.append(
                    Clause(
                        id=f"{aid}/{article}/{p}",
                        agreement_id=aid,
                        chapter_index=c,
                        chapter_number=chapter_number or None,
                        chapter_title=chapter_title,
                        article_index=article,
                        article_number=f"{word} {number}" if number else None,
                        article_title=title or None,
                        paragraph=str(p + 1) if len(paragraphs) > 1 else "",
                        order=len(clauses),
                        text=f"{p + 1}. {text}" if len(paragraphs) > 1 else text,
                        area=_area(chapter_title),
                    )
                )
            article += 1
    return ParsedAgreement(Agreement(id=aid, name=name, **meta), tuple(clauses))  # type: ignore[arg-type]


PREAMBLES = [
    "The Government of the United States and the Government of Atlantis, resolved to strengthen the "
    "special bonds of friendship between their nations, have agreed as follows.",
    "The Parties to this Partnership, determined to establish a comprehensive regional agreement that "
    "promotes economic integration across the ocean, have agreed as follows.",
]
ONLY_ATLANTIS = (
    "1108",
    "Investment and Environment",
    [
        "Nothing in this Chapter shall be construed to prevent a Party from adopting any measure it "
        "considers appropriate to ensure that investment activity in its territory is undertaken in a "
        "manner sensitive to environmental concerns."
    ],
)


def tui_agreements() -> list[ParsedAgreement]:
    """The four agreements of the small store."""
    atlantis_goods = [*GOODS, ("303", "Transparency", [LONG_CLAUSE])]
    atlantis_investment = [*INVESTMENT[:7], ONLY_ATLANTIS, *INVESTMENT[7:]]
    oceanic_investment = [
        (f"9.{k + 1}", title, [_edit(p) for p in paragraphs] if k % 3 else list(paragraphs))
        for k, (_, title, paragraphs) in enumerate(INVESTMENT)
    ]
    oceanic_goods = [
        ("2.3", "National Treatment on Goods", [_edit(GOODS[0][2][0])]),
        ("2.4", "Tariff Elimination", [GOODS[1][2][0]]),
        ("2.5", "Transparency", [_edit(LONG_CLAUSE)]),
        ("2.6", "Agricultural Export Subsidies", [
            "No Party shall adopt or maintain any export subsidy on any agricultural good destined for the "
            "territory of another Party.",
        ]),
    ]  # fmt: skip
    signed = dt.date(2004, 5, 18)
    return [
        _agreement(
            ATLANTIS,
            "United States - Atlantis Free Trade Agreement (USAFTA)",
            [
                ("", "Preamble", [("", "", [PREAMBLES[0]])]),
                ("CHAPTER ELEVEN", "Investment", atlantis_investment),
                ("CHAPTER THREE", "Trade in Goods", atlantis_goods),
            ],
            parties=("USA", "ATL"),
            date_signed=dt.date(1992, 12, 17),
            families=("us",),
        ),
        _agreement(
            OCEANIC,
            "Trans-Oceanic Partnership",
            [
                ("", "Preamble", [("", "", [PREAMBLES[1]])]),
                ("CHAPTER 9", "Investment", oceanic_investment),
                ("CHAPTER 2", "Trade in Goods", oceanic_goods),
            ],
            parties=("USA", "ATL", "PAC"),
            date_signed=signed,
            families=("us",),
            aliases=("top",),
        ),
        _agreement(
            OCEANIC_ES,
            "Trans-Oceanic Partnership",
            [("CAPÍTULO 9", "Inversión", [(f"9.{k + 1}", "Artículo", [t]) for k, t in enumerate(SPANISH)])],
            parties=("USA", "ATL", "PAC"),
            date_signed=signed,
            language="es",
            families=("us",),
            aliases=("top-es",),
        ),
        _agreement(
            UNRELATED,
            "Lagoon Fisheries Convention",
            [
                (
                    "CHAPTER 1",
                    "Fisheries",
                    [("1", "Conservation", [UNRELATED_TEXTS[0]]), ("2", "Commission", [UNRELATED_TEXTS[1]])],
                )
            ],
            parties=("AAA", "BBB"),
            date_signed=dt.date(1980, 1, 1),
        ),
    ]


def build_tui_store(path: Path) -> Path:
    """Write the small store to ``path`` (see the module docstring)."""
    with Store(path) as store:
        for parsed in tui_agreements():
            store.put(parsed, path=f"{parsed.agreement.id}.txt", sha256=parsed.agreement.id, parser="test")
    return path


def make_app(db: Path, **kwargs: object) -> RulecompareApp:
    """The app as the tests build it: no cursor blink, its log and settings kept under the store's folder
    unless ``state_dir`` says otherwise."""
    kwargs.setdefault("state_dir", db.parent / "tui-state")
    return RulecompareApp(db, cursor_blink=False, **kwargs)  # type: ignore[arg-type]


QUICK = 0.02
"""The app's typing debounces and follow delay in the tests (:func:`quick_timers`): a user's pause is
long, a test's need not be."""


def quick_timers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shorten the app's debounce and follow delays to :data:`QUICK` (tests/conftest.py applies it to
    every TUI test), so that :func:`settle` waits a fraction of what a person would."""
    from rulecompare.tui.screens import agreements, nearest_pane, search

    monkeypatch.setattr(agreements, "DEBOUNCE", QUICK)
    monkeypatch.setattr(search, "DEBOUNCE", QUICK)
    monkeypatch.setattr(nearest_pane, "FOLLOW_DELAY", QUICK)


async def settle(pilot: Pilot[None]) -> None:
    """Wait for typing debounces, every worker, and the screen to catch up."""
    await pilot.pause(3 * QUICK)
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def drive(app: RulecompareApp, steps: Steps, size: tuple[int, int] = (120, 40)) -> None:
    """Run ``steps`` against ``app`` in a headless terminal of ``size``."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await steps(pilot, app)

    asyncio.run(main())


def type_quickly(app: RulecompareApp, *keys: str) -> None:
    """Queue key presses all at once, as a fast typist does (Pilot waits after each key)."""
    from textual import events

    for key in keys:
        char = {"enter": "\r", "escape": "\x1b", "space": " "}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Pause until ``condition()`` holds (a loaded machine may take a while), failing after ``timeout``."""
    waited = 0.0
    while not condition():
        assert waited < timeout, "timed out waiting for the screen"
        await pilot.pause(0.05)
        waited += 0.05


async def pause_typing(pilot: Pilot[None]) -> None:
    """End the type-ahead searches of the screen, as a pause in typing does."""
    from rulecompare.tui.widgets.nav import NavTable, NavTree

    for widget in pilot.app.screen.query("*"):
        if isinstance(widget, NavTable | NavTree):
            widget.type_ahead.lapse()
    await pilot.pause()


def patient_type_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a type-ahead search last however slowly a loaded machine delivers the keys (for this test)."""
    from rulecompare.tui.widgets import nav

    monkeypatch.setattr(nav, "TYPE_AHEAD_SECONDS", 3600.0)


async def open_article(
    pilot: Pilot[None], app: RulecompareApp, agreement: str, number: str
) -> AgreementScreen:
    """Open ``agreement`` and go to its article ``number``; the agreement screen, settled."""
    app.post_message(OpenAgreement(agreement))
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, AgreementScreen)
    screen.goto_article(
        int(screen.articles.loc[screen.articles["number"] == number, "article_index"].iloc[0])
    )
    await settle(pilot)
    return screen
