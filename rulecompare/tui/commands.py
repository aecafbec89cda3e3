"""The command palette's entries (ctrl+p): open an agreement, compare two, go to an article, matrices.

"compare nafta with tpp" (or "nafta vs tpp", "nafta x tpp") resolves both
names as the CLI does and offers the comparison; "go to 1110" or "article
expropriation" on an agreement's screen offers its articles; "open korea"
offers agreements by name; "matrix" offers the matrix of the marked
agreements and of each family.
"""

from __future__ import annotations

import asyncio
import re
from functools import partial
from typing import Any

import pandas as pd
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..errors import AmbiguousNameError, RulecompareError
from . import data, labels
from .messages import Front, OpenAgreement, OpenCompare, OpenMatrix, Request

_COMPARE = re.compile(r"^\s*(?:compare\s+)?(.+?)\s+(?:with|vs\.?|versus|x|×|and|to)\s+(.+?)\s*$", re.I)
_GOTO = re.compile(r"^\s*(?:go\s*to|goto|jump\s+to|article|art\.?)\s*(.*)$", re.I)
MAX_PAIRS = 6
"""Comparisons offered at most when names are ambiguous."""


def _candidates(name: str, table: pd.DataFrame) -> list[str]:
    """The agreements a name may mean: one when it resolves, the close candidates when ambiguous."""
    try:
        return [data.resolve_in(table, name)]
    except AmbiguousNameError as exc:
        return [cid for cid, _, _ in exc.candidates]
    except RulecompareError:
        return []


class AgreementCommands(Provider):
    """Open, compare, go to, and matrices."""

    async def startup(self) -> None:
        front = self.app
        ref = getattr(front, "ref", None)
        assert isinstance(ref, data.StoreRef)

        def load() -> pd.DataFrame:
            with ref.open() as store:
                return data.all_agreements(store)

        self.table = await asyncio.to_thread(load)
        self.labels = labels.agreement_labels(self.table)

    def _open(self, request: Request) -> None:
        app = self.app
        if isinstance(app, Front):
            app.open(request)
        else:
            app.post_message(request)

    # -- what is offered before anything is typed ----------------------------------------------

    async def discover(self) -> Hits:
        yield DiscoveryHit(
            "Compare … with …",
            partial(
                self.app.notify, 'Type "compare", two names and "with" between them: compare nafta with tpp'
            ),
            help="Type: compare nafta with tpp",
        )
        goto = getattr(self.screen, "action_goto", None)
        if goto is not None:
            yield DiscoveryHit("Go to article …", goto, help="Type an article number or title: go to 1110")
        marked = self._marked()
        if len(marked) >= 2:
            yield DiscoveryHit(
                f"Matrix of the {len(marked)} marked agreements",
                partial(self._open, OpenMatrix(tuple(marked), f"{len(marked)} marked agreements")),
            )

    # -- what matches the query ----------------------------------------------------------------

    async def search(self, query: str) -> Hits:
        for hit in [*self._compare_hits(query), *self._goto_hits(query)]:
            yield hit
        matcher = self.matcher(query)
        marked = self._marked()
        if len(marked) >= 2:
            command = f"Matrix of the {len(marked)} marked agreements"
            score = matcher.match(command)
            if score > 0:
                request = OpenMatrix(tuple(marked), f"{len(marked)} marked agreements")
                yield Hit(score, matcher.highlight(command), partial(self._open, request), text=command)
        for aid, name in zip(self.table["id"], self.table["name"], strict=True):
            command = f"Open {self.labels.get(aid, name)} ({aid})"
            score = matcher.match(command)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command), partial(self._open, OpenAgreement(aid)), text=command
                )
        families = self.table["families"].fillna("").str.split(";")
        for family in sorted({f for fs in families for f in fs if f}):
            ids = tuple(self.table.loc[families.map(lambda v, f=family: f in v), "id"])
            command = f"Matrix of family {family} ({len(ids)} agreements)"
            score = matcher.match(command)
            if score > 0 and len(ids) >= 2:
                request = OpenMatrix(ids, f"family {family}")
                yield Hit(score, matcher.highlight(command), partial(self._open, request), text=command)

    def _compare_hits(self, query: str) -> list[Hit]:
        q = query.strip()
        if not q.lower().startswith("compare ") and not re.search(r"\s(?:vs\.?|versus|x|×)\s", q, re.I):
            return []
        m = _COMPARE.match(q)
        if m is None:
            return []
        left, right = _candidates(m.group(1), self.table), _candidates(m.group(2), self.table)
        hits = []
        for rank, (a, b) in enumerate((a, b) for a in left for b in right if a != b):
            if rank >= MAX_PAIRS:
                break
            command = f"Compare {self.labels.get(a, a)} with {self.labels.get(b, b)}"
            hits.append(Hit(1.0 - rank * 0.01, command, partial(self._open, OpenCompare(a, b)), text=command))
        return hits

    def _goto_hits(self, query: str) -> list[Hit]:
        m = _GOTO.match(query)
        articles: Any = getattr(self.screen, "articles", None)
        goto = getattr(self.screen, "goto_article", None)
        if m is None or not isinstance(articles, pd.DataFrame) or goto is None or not m.group(1).strip():
            return []
        hits = []
        for rank, row in enumerate(data.rank_articles(articles, m.group(1), limit=10)):
            label = str(articles["label"].iloc[row])
            index = int(articles["article_index"].iloc[row])
            hits.append(
                Hit(0.99 - rank * 0.01, f"Go to {label}", partial(goto, index), text=f"Go to {label}")
            )
        return hits

    def _marked(self) -> list[str]:
        home = self.app.screen_stack[0] if self.app.screen_stack else None
        marked = getattr(home, "marked", [])
        return list(marked) if isinstance(marked, list) else []
