"""Every place rulecompare looks for files: its per-user folders, and the shared corpora and metadata.

Per-user files (the database, downloaded corpora) follow the conventions of
each platform (the XDG base directories on Linux
and other Unix systems, ``~/Library`` on macOS, ``%LOCALAPPDATA%`` on
Windows). They are written out here rather than taken from ``platformdirs``
because three small functions do not justify a dependency.

An ``XDG_DATA_HOME`` or ``XDG_CACHE_HOME`` that is set to an absolute path is
honoured on every non-Windows platform, macOS included: a user who sets it
has said where they want files to go. Relative values are ignored, as the
XDG specification requires.

The shared folder is the development layout: a ``shared/`` folder beside the
checkout (or beside the working directory) holding ``corpora/`` (the treaty
texts) and ``metadata/`` (the WTO RTA list, the DESTA list, the Belt and Road
partners). The project never copies these files; :func:`corpora_dir`,
:func:`metadata_dir` and :func:`shared_dir` find them, each in one order,
and say where they looked and why they chose what they chose.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "rulecompare"
DB_ENV = "RULECOMPARE_DB"
"""Environment variable naming the database file when no ``--db`` option is given."""
DB_FILENAME = "rulecompare.db"
SHARED_ENV = "RULECOMPARE_SHARED"
"""Environment variable naming the shared folder, the one that holds ``corpora/`` and ``metadata/``."""
CORPUS_ENV = "RULECOMPARE_CORPUS"
"""Environment variable naming the corpus folder itself (it wins over the shared folder's)."""
METADATA_ENV = "RULECOMPARE_METADATA"
"""Environment variable naming the metadata folder itself (it wins over the shared folder's)."""

# The folder that holds the package: the checkout when run from a source tree.
_CHECKOUT = Path(__file__).resolve().parent.parent


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


# -- the shared corpora and metadata ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """One place to look for a folder, and how we came to look there."""

    path: Path
    reason: str
    """Why this place, as the user should read it: ``"RULECOMPARE_CORPUS"``,
    ``"../shared/metadata beside the working directory"`` ..."""
    explicit: bool = False
    """The user named this very folder: the caller uses it or says what is wrong, never passes it over."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """The folder a lookup chose and why, or why it found none; and every place it passed over."""

    path: Path | None
    """The folder chosen, None when no place qualified."""
    reason: str
    """Why ``path`` was chosen (a :attr:`Place.reason`), or, when none was, where the lookup looked."""
    explicit: bool = False
    """The chosen folder was named by the user (see :attr:`Place.explicit`)."""
    tried: tuple[str, ...] = ()
    """The places passed over before the choice, in order, each with its path, reason and fault."""

    @property
    def found(self) -> bool:
        """True when a folder was chosen."""
        return self.path is not None


def _unique(places: Iterable[Place]) -> list[Place]:
    """The places in order without repeats: beside the working directory is often beside the checkout."""
    seen: set[Path] = set()
    out = []
    for place in places:
        key = place.path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(place)
    return out


def _env_path(var: str) -> Path | None:
    value = os.environ.get(var, "")
    return Path(value).expanduser() if value else None


def shared_places(sub: str = "") -> list[Place]:
    """Where the shared folder (or its subfolder ``sub``) may be, in the order they are tried.

    ``$RULECOMPARE_SHARED``, then ``../shared`` beside the working directory,
    then ``../shared`` beside the checkout that holds this package.
    """
    suffix = f"/{sub}" if sub else ""
    out = []
    env = _env_path(SHARED_ENV)
    if env is not None:
        out.append(Place(env / sub, f"${SHARED_ENV}{suffix}"))
    for base, where in (
        (Path.cwd().parent, "the working directory"),
        (_CHECKOUT.parent, "the rulecompare checkout"),
    ):
        out.append(Place((base / "shared" / sub).resolve(), f"../shared{suffix} beside {where}"))
    return _unique(out)


def corpora_places() -> list[Place]:
    """Where the corpus folder may be, in order: ``$RULECOMPARE_CORPUS`` (explicit), the shared
    folder's ``corpora/`` (see :func:`shared_places`), then the copy ``rulecompare corpus download``
    puts in the per-user cache."""
    env = _env_path(CORPUS_ENV)
    named = [Place(env, CORPUS_ENV, explicit=True)] if env is not None else []
    cached = Place(cache_dir() / "corpora", "downloaded copy in the per-user cache")
    return _unique([*named, *shared_places("corpora"), cached])


def metadata_places() -> list[Place]:
    """Where the metadata folder may be, in order: ``$RULECOMPARE_METADATA``, then the shared folder's
    ``metadata/`` (see :func:`shared_places`)."""
    env = _env_path(METADATA_ENV)
    named = [Place(env, METADATA_ENV)] if env is not None else []
    return _unique([*named, *shared_places("metadata")])


def find_dir(
    places: Iterable[Place], accept: Callable[[Path], bool] = Path.is_dir, sought: str = "folder"
) -> Lookup:
    """The first place that is explicit or that ``accept`` takes, with the places passed over.

    ``sought`` names what ``accept`` asks for, for the record of a folder it
    turned down ("no corpus there").
    """
    tried: list[str] = []
    for place in places:
        if place.explicit or accept(place.path):
            return Lookup(place.path, place.reason, place.explicit, tuple(tried))
        fault = f"no {sought} there" if place.path.is_dir() else "no such folder"
        tried.append(f"{place.path} ({place.reason}: {fault})")
    return Lookup(None, "looked in " + ("; ".join(tried) or "no place"), False, tuple(tried))


def shared_dir() -> Lookup:
    """The shared folder: the first of :func:`shared_places` that exists."""
    return find_dir(shared_places())


def corpora_dir(accept: Callable[[Path], bool] = Path.is_dir, sought: str = "corpus") -> Lookup:
    """The corpus folder: the first of :func:`corpora_places` that ``accept`` takes.

    A folder named by ``$RULECOMPARE_CORPUS`` is chosen whatever it holds
    (``explicit``): the caller checks it and tells the user what is wrong.
    ``rulecompare.corpus.resolve_corpus`` passes an ``accept`` that asks for
    a corpus inside, not just a folder.
    """
    return find_dir(corpora_places(), accept, sought)


def metadata_dir(needs: str | None = None) -> Lookup:
    """The metadata folder: the first of :func:`metadata_places` that exists (and holds ``needs``).

    ``needs`` names a file the folder must hold (``"bri-partners.csv"``), so
    that a metadata folder without it does not hide one further down the list.
    """
    return find_dir(
        metadata_places(),
        lambda p: p.is_dir() and (needs is None or (p / needs).is_file()),
        needs or "folder",
    )
