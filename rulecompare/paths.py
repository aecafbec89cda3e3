"""Where rulecompare keeps its per-user files: the database and downloaded corpora.

The conventions are those of each platform (the XDG base directories on Linux
and other Unix systems, ``~/Library`` on macOS, ``%LOCALAPPDATA%`` on
Windows). They are written out here rather than taken from ``platformdirs``
because three small functions do not justify a dependency.

An ``XDG_DATA_HOME`` or ``XDG_CACHE_HOME`` that is set to an absolute path is
honoured on every non-Windows platform, macOS included: a user who sets it
has said where they want files to go. Relative values are ignored, as the
XDG specification requires.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "rulecompare"
DB_ENV = "RULECOMPARE_DB"
"""Environment variable naming the database file when no ``--db`` option is given."""
DB_FILENAME = "rulecompare.db"


def _xdg(var: str) -> Path | None:
    value = os.environ.get(var, "")
    if value and os.path.isabs(value):
        return Path(value)
    return None


def _windows_local_appdata() -> Path:
    value = os.environ.get("LOCALAPPDATA", "")
    return Path(value) if value else Path.home() / "AppData" / "Local"


def data_dir() -> Path:
    """The per-user folder for data that must persist (the database).

    Linux: ``$XDG_DATA_HOME/rulecompare`` or ``~/.local/share/rulecompare``;
    macOS: ``~/Library/Application Support/rulecompare``;
    Windows: ``%LOCALAPPDATA%\\rulecompare``. The folder is not created.
    """
    if sys.platform == "win32":
        return _windows_local_appdata() / APP_NAME
    xdg = _xdg("XDG_DATA_HOME")
    if xdg is not None:
        return xdg / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    return Path.home() / ".local" / "share" / APP_NAME


def cache_dir() -> Path:
    """The per-user folder for files that can be fetched again (downloaded corpora).

    Linux: ``$XDG_CACHE_HOME/rulecompare`` or ``~/.cache/rulecompare``;
    macOS: ``~/Library/Caches/rulecompare``;
    Windows: ``%LOCALAPPDATA%\\rulecompare\\Cache``. The folder is not created.
    """
    if sys.platform == "win32":
        return _windows_local_appdata() / APP_NAME / "Cache"
    xdg = _xdg("XDG_CACHE_HOME")
    if xdg is not None:
        return xdg / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_NAME
    return Path.home() / ".cache" / APP_NAME


def default_db_path() -> Path:
    """The database file used when neither ``--db`` nor ``RULECOMPARE_DB`` says otherwise."""
    return data_dir() / DB_FILENAME


def resolve_db_path(option: Path | None = None) -> tuple[Path, str]:
    """Choose the database file and say why it was chosen.

    The ``--db`` option wins, then the ``RULECOMPARE_DB`` environment variable
    (ignored when empty), then the per-user data directory. The reason is one
    of ``"--db option"``, ``"RULECOMPARE_DB"`` and ``"per-user data directory"``
    so that a front can tell the user where their data went.
    """
    if option is not None:
        return option.expanduser(), "--db option"
    env = os.environ.get(DB_ENV, "")
    if env:
        return Path(env).expanduser(), DB_ENV
    return default_db_path(), "per-user data directory"
