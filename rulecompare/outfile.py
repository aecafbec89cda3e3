"""Writing an output file without destroying what is at the path.

``-o PATH`` (and ``--plot``, and the TUI's export) names where the user wants
a result, and the path is not always a plain file:

- a new or existing regular file is written beside itself and renamed over
  it, so that a failed write (full disk, Ctrl-C) leaves the old file whole and
  never a half-written one;
- a symlink is followed: its target is written (and replaced as above), the
  link stays a link;
- a character device, a FIFO or a terminal (``/dev/stdout``, ``/dev/null``,
  a named pipe) is written in place: renaming a file over it would replace a
  system file with a regular file;
- a directory is refused;
- ``-`` is standard output.

Every failure is a :class:`~rulecompare.errors.RulecompareError` naming the
path and the reason (``No space left on device``), and leaves no temporary
file behind.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import RulecompareError

__all__ = ["STDOUT", "Writer", "write_bytes", "write_output"]

STDOUT = "-"
"""The path that means standard output."""

Writer = Callable[[BinaryIO], object]
"""Writes the whole output to the binary stream it is given."""


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` as :func:`write_output` does."""
    write_output(path, lambda f: f.write(data))


def write_output(path: Path | str, write: Writer) -> None:
    """Call ``write`` with a stream open on ``path``, keeping the path what it was (see the module)."""
    if str(path) == STDOUT:
        _write_stdout(write)
        return
    path = Path(path)
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _error(path, exc) from None
    if st is None:
        # New file; for a dangling symlink, the file it points to.
        _replace(Path(os.path.realpath(path)), path, write, mode=None)
    elif stat.S_ISDIR(st.st_mode):
        raise RulecompareError(f"{path}: is a folder; give a file name to write")
    elif stat.S_ISREG(st.st_mode):
        if not os.access(path, os.W_OK):
            raise RulecompareError(f"{path}: cannot write (the file is read-only)")
        real = Path(os.path.realpath(path))
        if _same_file(real, st):
            _replace(real, path, write, mode=stat.S_IMODE(st.st_mode))
        else:
            # Reached through a link that does not name it (/dev/stdout onto a deleted file): no name
            # to rename over, so write into it.
            _write_in_place(path, write)
    else:
        _write_in_place(path, write)


def _same_file(path: Path, st: os.stat_result) -> bool:
    try:
        other = os.stat(path)
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino)


def _replace(real: Path, shown: Path, write: Writer, *, mode: int | None) -> None:
    """Write a temporary file beside ``real``, then rename it over ``real`` (atomic on POSIX)."""
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _error(shown, exc) from None
    tmp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.part")
    try:
        # 0o666 less the umask, as any new file; an existing file keeps its mode.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise _error(shown, exc) from None
    try:
        with os.fdopen(fd, "wb") as f:
            if mode is not None:
                os.fchmod(f.fileno(), mode)
            write(f)
            f.flush()
            # A full disk can show only here, on file systems that allocate late.
            os.fsync(f.fileno())
        os.replace(tmp, real)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _error(shown, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_in_place(path: Path, write: Writer) -> None:
    try:
        with open(path, "wb") as f:
            write(f)
    except OSError as exc:
        raise _error(path, exc) from None


def _write_stdout(write: Writer) -> None:
    try:
        sys.stdout.flush()
        stream = sys.stdout.buffer
        write(stream)
        stream.flush()
    except OSError as exc:
        raise _error("standard output", exc) from None


def _error(path: Path | str, exc: OSError) -> RulecompareError:
    return RulecompareError(f"{path}: cannot write ({exc.strerror or exc})")
