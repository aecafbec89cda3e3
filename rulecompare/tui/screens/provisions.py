"""Provisions: one agreement's environmental provisions (TREND's codes) and labour depth, coded from
its text, with the clauses behind each code."""

from __future__ import annotations

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from ...errors import RulecompareError
from ...metrics.provisions import code_provisions, codes_frame, evidence_frame
from ...store import Store
from .. import data
from ..messages import OpenAgreement, navigate
from .base import BaseScreen


def provisions_view(store: Store, agreement_id: str) -> tuple[pd.Series, pd.DataFrame]:
    """The agreement's row of :func:`~rulecompare.metrics.provisions.codes_frame` and its evidence,
    best clause first. (The library call stays in this module while the TUI's data layer is reworked.)"""
    coding = code_provisions(store, [agreement_id])
    return codes_frame(coding).iloc[0], evidence_frame(coding, store)


class ProvisionsScreen(BaseScreen):
    """The provisions coded for one agreement and the clauses that support them."""

    HELP = """\
## Provisions

The environmental provisions of TREND's codebook that rulecompare codes for
this agreement, and its labour depth on LABPTA's 0-5 scale, each with the
clauses behind it (best first). Moving the cursor shows a code's clauses
below; `enter` opens the agreement at the best one. The codes come from a
model trained on the hand-coded datasets (docs/METHODS.md, section 4):
read the clauses before you trust a code.
"""

    WORK = {"load": "coding the provisions"}

    def __init__(self, ref: data.StoreRef, agreement_id: str) -> None:
        super().__init__()
        self.ref = ref
        self.agreement_id = agreement_id
        self.evidence = pd.DataFrame()
        self.codes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="provisions-meta", classes="status")
        with Vertical():
            yield DataTable(id="provisions", cursor_type="row")
            with VerticalScroll(id="evidence-scroll"):
                yield Static("", id="evidence")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.agreement_id
        table = self.query_one("#provisions", DataTable)
        for label, key in (("Code", "code"), ("Provision", "provision"), ("Clauses", "n"), ("Best", "best")):
            table.add_column(label, key=key)
        table.loading = True
        table.focus()
        self.load()

    def work_failed(self, group: str) -> None:
        self.query_one("#provisions", DataTable).loading = False

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        try:
            with self.ref.open() as store:
                row, evidence = provisions_view(store, self.agreement_id)
        except RulecompareError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, row, evidence)

    def _failed(self, message: str) -> None:
        self.query_one("#provisions", DataTable).loading = False
        self.query_one("#provisions-meta", Static).update(message)
        self.notify(message, severity="error")

    def _loaded(self, row: pd.Series, evidence: pd.DataFrame) -> None:
        self.evidence = evidence
        self.sub_title = str(row["name"])
        meta = self.query_one("#provisions-meta", Static)
        table = self.query_one("#provisions", DataTable)
        table.loading = False
        table.clear()
        if row["status"] != "coded":
            meta.update(f"{self.agreement_id}: not coded ({row['reason']})")
            return
        meta.update(
            f"{self.agreement_id} · {row['env_count']} environmental provisions coded "
            f"(expected {row['env_expected']:.1f}; index {row['env_index']:.1f} of 100) · "
            f"labour depth {row['labour_depth']} of 5"
        )
        self.codes = list(dict.fromkeys(evidence["code"]))
        for code in self.codes:
            rows = evidence[evidence["code"] == code]
            best = rows.iloc[0]
            table.add_row(
                code,
                data.short_name(str(best["provision"]), 60),
                Text(str(len(rows)), justify="right"),
                data.short_name(str(best["article"]), 40),
                key=code,
            )
        if self.codes:
            self.show_evidence(self.codes[0])
        else:
            self.query_one("#evidence", Static).update("No provision is coded for this agreement.")

    @on(DataTable.RowHighlighted, "#provisions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.show_evidence(str(event.row_key.value))

    def show_evidence(self, code: str) -> None:
        """Show the clauses behind ``code`` below the table."""
        rows = self.evidence[self.evidence["code"] == code]
        text = Text()
        for r in data.records(rows):
            if pd.isna(r.clause_id):  # a positive code none of whose clauses mentions its subject
                text.append(f"{r.text}\n", style="italic")
                continue
            text.append(f"{r.rank}. {r.article}", style="bold")
            text.append(f"   {r.clause_id}  score {r.score:.2f}\n", style="dim")
            text.append(" ".join(str(r.text).split()) + "\n\n")
        self.query_one("#evidence", Static).update(text)
        self.query_one("#evidence-scroll", VerticalScroll).scroll_home(animate=False)

    @on(DataTable.RowSelected, "#provisions")
    def _open_clause(self, event: DataTable.RowSelected) -> None:
        code = str(event.row_key.value)
        best = self.evidence[self.evidence["code"] == code].iloc[0]
        if pd.isna(best["clause_id"]):
            self.notify("No clause of this agreement mentions what this provision is about.")
            return
        navigate(self, OpenAgreement(self.agreement_id, clause_id=str(best["clause_id"])))

    def export_frame(self) -> tuple[pd.DataFrame, str]:
        """Every code's evidence clauses."""
        return self.evidence.reset_index(drop=True), f"{self.agreement_id.replace(':', '-')}-provisions"
