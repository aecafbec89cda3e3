"""What every screen shares: a narrow layout below :data:`NARROW` columns, and workers that fail
without taking the app down."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from ..messages import Front

NARROW = 100
"""Below this many columns screens reflow for a narrow terminal (the class ``-narrow`` is set)."""


class BaseScreen(Screen[None]):
    """A screen whose workers report errors instead of ending the app.

    Every ``@work`` of a screen is declared with ``exit_on_error=False``; when
    one raises anyway (anything but the :class:`~rulecompare.errors.RulecompareError`
    it handles itself), the error is logged, the user is told where the log is,
    and :meth:`work_failed` lets the screen leave its loading state.
    """

    WORK: ClassVar[dict[str, str]] = {}
    """What each worker group does, in words ("aligning the clauses"), for the error message."""

    @property
    def narrow(self) -> bool:
        """Whether the terminal is narrower than :data:`NARROW` columns."""
        return self.app.size.width < NARROW

    def on_mount(self) -> None:
        self._reflow()

    @on(events.Resize)
    def _resized(self) -> None:
        self._reflow()

    def _reflow(self) -> None:
        narrow = self.narrow
        self.set_class(narrow, "-narrow")
        for footer in self.query(Footer):
            # Less space around each key, and ctrl+p (listed in the help) left out, so that every
            # key of the screen fits in 80 columns.
            footer.compact = narrow
            if footer.show_command_palette == narrow:
                footer.show_command_palette = not narrow
                footer.refresh(recompose=True)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is not WorkerState.ERROR or worker.error is None:
            return
        doing = self.WORK.get(worker.group, f"running {worker.name or worker.group}")
        app = self.app
        if isinstance(app, Front):
            app.report_error(worker.error, doing)
        self.work_failed(worker.group)

    def work_failed(self, group: str) -> None:
        """Called after a worker of ``group`` failed unexpectedly: leave any loading state."""
