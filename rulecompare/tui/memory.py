"""Handing memory back to the system after a large computation in a worker.

A nearest-articles query over the whole corpus builds frames and arrays of
hundreds of megabytes and frees them when it returns; glibc's allocator keeps
most of that memory in its heap for reuse, so a long TUI session held about
0.6 GB after one query with nothing referring to it.  ``malloc_trim(0)``
returns the free heap to the system (to about 0.1 GB held).  Elsewhere than
glibc this is a plain garbage collection.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def release_memory() -> None:
    """Collect garbage, then give the allocator's free memory back to the system where it can."""
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
