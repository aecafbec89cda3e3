"""What a long command says while it works, on stderr: a progress bar, or lines in a log."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from .common import err

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress


def progress_bar() -> Progress:
    """The progress bar every long command shows on stderr; it disappears when the work is done."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


class Feedback:
    """What a long command says while it works, on stderr: a bar in a terminal, and otherwise (a log,
    a pipe, a batch job) one line per stage and per tenth of a counted stage, with the time so far.

    Use as a context manager; :meth:`update` as the library's ``progress`` callback or by hand.
    """

    def __init__(self, label: str, total: int | None = None) -> None:
        self.label = label
        self.terminal = err.is_terminal
        self._bar = progress_bar() if self.terminal else None
        self._task = self._bar.add_task(label, total=total) if self._bar is not None else None
        self._start = time.monotonic()
        self._step: str | None = None
        self._decile = -1
        self._total = total
        self._done = 0

    def __enter__(self) -> Feedback:
        if self._bar is not None:
            self._bar.start()
        else:
            self._line(self.label)
        return self

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif kind is None:
            self._line(f"{self.label}: done")

    def console(self) -> Console:
        """Where to print a message between updates (above the bar in a terminal)."""
        return self._bar.console if self._bar is not None else err

    def update(
        self, step: str | None = None, done: int | None = None, total: int | None = None, *, advance: int = 0
    ) -> None:
        """A stage's name, and how far it is (``done`` of ``total``, or ``advance`` more)."""
        if total is not None:
            self._total = total
        self._done = done if done is not None else self._done + advance
        if self._bar is not None and self._task is not None:
            self._bar.update(
                self._task, description=step or self.label, completed=self._done, total=self._total
            )
            return
        if step is not None and step != self._step:
            self._step, self._decile = step, -1
            self._line(step)
        if self._total:
            decile = min(10, 10 * self._done // self._total)
            if decile > self._decile and decile > 0:
                self._decile = decile
                self._line(f"{self._step or self.label}: {self._done} of {self._total}")

    def _line(self, text: str) -> None:
        err.print(
            f"[{time.monotonic() - self._start:5.1f}s] {text}", soft_wrap=True, markup=False, highlight=False
        )


T = TypeVar("T")


def with_feedback(label: str, run: Callable[[], T]) -> T:
    """Run a long library call that reports nothing itself, saying when it starts and ends."""
    with Feedback(label):
        return run()
