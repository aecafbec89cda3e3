"""Worker processes that leave nothing running: results as they finish, and every worker gone at the end.

Ingest parses files in other processes.  ``concurrent.futures.ProcessPoolExecutor``
was not safe to stop: its workers share one result pipe and are joined on
shutdown, so a Ctrl-C waited for every queued file or hung on a worker blocked
writing its result, workers printed tracebacks of their own Ctrl-C, and a
parent killed with SIGKILL left its workers running for minutes.

Here each worker has a pipe of its own and takes one job at a time, so no
worker can block another or the parent.  A worker ignores SIGINT (Ctrl-C is
its parent's to handle), dies with its parent (``PR_SET_PDEATHSIG`` on Linux,
a thread watching the parent's pid elsewhere), and leaving the
:class:`Workers` context kills the workers still running, whatever the
reason for leaving, with SIGINT held off until they are gone.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext, SpawnContext

__all__ = ["WorkerDied", "Workers"]

T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class WorkerDied:
    """The result of a job whose worker died before answering (killed, out of memory, crashed)."""

    exitcode: int | None

    def __str__(self) -> str:
        code = self.exitcode
        if code is not None and code < 0:
            return f"the worker process was killed by signal {-code} (out of memory?)"
        return f"the worker process died (exit code {code})"


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    conn: Connection
    job: int | None = None
    """The index of the item it is working on, if any."""


class Workers(Generic[T, R]):
    """Run ``func`` over items in ``n`` worker processes; use as a context manager."""

    def __init__(self, func: Callable[[T], R], n: int) -> None:
        self.func = func
        self.n = max(1, n)
        # fork where there is fork (Linux: cheap, the parsers are already imported); spawn elsewhere.
        # Either way the workers' parent is this process, which is what _die_with_parent watches
        # (a forkserver would be their parent instead).
        self._ctx: ForkContext | SpawnContext = (
            multiprocessing.get_context("fork")
            if "fork" in multiprocessing.get_all_start_methods()
            else multiprocessing.get_context("spawn")
        )
        self._workers: list[_Worker] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def map_unordered(self, items: Sequence[T]) -> Iterator[tuple[int, R | WorkerDied]]:
        """(index, result) for every item, in the order the results come; a job whose worker died
        yields :class:`WorkerDied` (and a new worker takes the remaining jobs)."""
        queue = iter(range(len(items)))
        for _ in range(min(self.n, len(items))):
            self._give(self._start(), queue, items)
        while any(w.job is not None for w in self._workers):
            # A worker's pipe is ready when it answers; its sentinel, when it dies.
            by_pipe = {w.conn: w for w in self._workers if w.job is not None}
            by_sentinel = {w.process.sentinel: w for w in by_pipe.values()}
            for ready in multiprocessing.connection.wait([*by_pipe, *by_sentinel]):
                if isinstance(ready, int):
                    worker = by_sentinel[ready]
                elif isinstance(ready, Connection):
                    worker = by_pipe[ready]
                else:
                    continue  # wait() returns only what it was given: pipes and sentinels
                job = worker.job
                if job is None:
                    continue  # its pipe and its sentinel were both ready: handled already
                worker.job = None
                try:
                    result: R | WorkerDied = worker.conn.recv()
                except (EOFError, OSError):
                    worker.process.join(timeout=1)
                    yield job, WorkerDied(worker.process.exitcode)
                    self._give(self._start(), queue, items)
                    continue
                yield job, result
                self._give(worker, queue, items)

    def stop(self) -> None:
        """Kill the workers that still run and reap them; SIGINT waits until this is done."""
        with _sigint_held():
            for w in self._workers:
                if w.process.is_alive():
                    w.process.kill()
            for w in self._workers:
                w.process.join(timeout=5)
                w.conn.close()
            self._workers = []

    def _start(self) -> _Worker:
        ours, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_serve, args=(theirs, self.func, os.getpid()), daemon=True)
        # Started with SIGINT blocked (the child inherits the mask), so that a Ctrl-C before the child
        # has set SIGINT aside cannot print a traceback from it.
        with _sigint_held():
            process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self._workers.append(worker)
        return worker

    def _give(self, worker: _Worker, queue: Iterator[int], items: Sequence[T]) -> None:
        """The next job to ``worker``, or its end when there is none."""
        job = next(queue, None)
        worker.job = job
        try:
            worker.conn.send(None if job is None else items[job])
        except OSError:
            pass  # it died: its sentinel says so in the next round, and the job goes to another worker


def _serve(conn: Connection, func: Callable[[Any], Any], parent: int) -> None:
    """A worker: one job at a time from its pipe until told to stop (None) or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with_parent(parent)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        conn.send(func(item))


def _die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


@contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT is held (blocked, not lost) in this thread while the body runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
