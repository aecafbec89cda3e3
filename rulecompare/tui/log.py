"""The TUI's error log: an unexpected error is written here and the app keeps running.

The log is a plain text file in the per-user cache folder
(``~/.cache/rulecompare/logs/tui.log`` on Linux, see :func:`rulecompare.paths.cache_dir`),
one entry per error with the time, what the app was doing and the traceback.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path

from ..paths import cache_dir

LOG_NAME = "tui.log"
MAX_BYTES = 1_000_000
"""A log grown past this size is started again (the previous one kept as ``tui.log.1``)."""


def default_log_dir() -> Path:
    """Where the log goes unless the app is told otherwise."""
    return cache_dir() / "logs"


def log_error(directory: Path, error: BaseException, doing: str) -> Path | None:
    """Append ``error`` with its traceback to the log in ``directory``; the log's path, or None when
    it cannot be written."""
    path = directory / LOG_NAME
    stamp = datetime.now().isoformat(timespec="seconds")
    entry = "".join([f"{stamp} error while {doing}\n", *traceback.format_exception(error), "\n"])
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            path.replace(path.with_name(LOG_NAME + ".1"))
        with path.open("a", encoding="utf-8") as f:
            f.write(entry)
    except OSError:
        return None
    return path
