"""How a user who has no corpus gets ToTA: a pinned download, verified file by file.

The download fetches ToTA at a pinned commit from GitHub. GitHub builds its
archives on the fly and does not promise they are byte-stable, so the archive
digest is checked only when one is pinned (``TOTA_SHA256`` or a caller's
``sha256``). What is always checked is every unpacked XML file against the
pinned per-file manifest ``rulecompare/data/tota-files.sha256``. That package
data file is the one canonical copy: it ships inside the wheel and is read
with ``importlib.resources``, so a checkout and an installed package check the
same digests. It is written by ``scripts/make_tota_manifest.py`` from a copy
known to be the pinned commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import importlib.resources
import re
import shutil
import stat
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from ..paths import cache_dir
from .location import CorpusError

TOTA_COMMIT = "2558ee5e9aafb1fe02d586768def7feb8906123d"
"""The ToTA commit (version 0.5.0) that the pinned manifest describes."""
TOTA_URL = f"https://github.com/mappingtreaties/tota/archive/{TOTA_COMMIT}.zip"
TOTA_SHA256: str | None = None
"""SHA-256 of the archive at ``TOTA_URL``; None until someone pins it from a real download."""

MAX_ARCHIVE_BYTES = 300 * 1024 * 1024
"""Largest archive we accept; the ToTA archive is far smaller, so more means a wrong URL."""
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
"""Cap on bytes written while unpacking (the 450 XML files are about 51 MB)."""
MAX_MEMBERS = 10_000
"""Cap on archive entries; a zip bomb made of countless tiny members is refused."""

_CHUNK = 64 * 1024
_PTA_NAME = re.compile(r"pta_(\d+)\.xml")
_MANIFEST_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](\S+)")
# Top-level upstream files kept beside the XML, under the names the shared
# corpus folder uses, so that a downloaded copy looks like ../shared/corpora/tota.
_EXTRA_FILES = {
    "LICENSE": "LICENSE",
    "LICENSE.md": "LICENSE.md",
    "LICENSE.txt": "LICENSE.txt",
    "README.md": "UPSTREAM-README.md",
}

ProgressCallback = Callable[[int, int | None], None]
"""Called with (bytes downloaded so far, total bytes or None when the server does not say)."""


def parse_manifest(text: str) -> dict[str, str]:
    """Read ``sha256sum``-style lines (``<hex>  name``) into {name: lowercase hex}.

    Blank lines and ``#`` comments are skipped; any other malformed line is a
    ``CorpusError``, since a damaged manifest must not pass files unchecked.
    """
    digests: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _MANIFEST_LINE.fullmatch(line)
        if match is None:
            raise CorpusError(f"malformed line {number} in the ToTA manifest: {line[:80]!r}")
        digests[match.group(2)] = match.group(1).lower()
    return digests


def load_tota_manifest() -> dict[str, str]:
    """The pinned {``pta_N.xml``: sha256} manifest shipped as package data."""
    resource = importlib.resources.files("rulecompare").joinpath("data").joinpath("tota-files.sha256")
    try:
        text = resource.read_text(encoding="utf-8")
    except OSError as exc:
        raise CorpusError(f"the pinned ToTA manifest is missing from the package ({exc})") from None
    return parse_manifest(text)


def _sort_key(name: str) -> tuple[int, str]:
    match = _PTA_NAME.fullmatch(name)
    return (int(match.group(1)) if match else -1, name)


def _compare(found: Mapping[str, str], manifest: Mapping[str, str]) -> list[str]:
    """Problems that stop ``found`` (name -> digest) from being the pinned set."""
    problems = [f"missing {name}" for name in sorted(manifest.keys() - found.keys(), key=_sort_key)]
    problems += [
        f"{name} differs from the pinned copy"
        for name in sorted(manifest.keys() & found.keys(), key=_sort_key)
        if found[name] != manifest[name]
    ]
    problems += [
        f"unexpected file {name} (not in the pinned manifest)"
        for name in sorted(found.keys() - manifest.keys(), key=_sort_key)
    ]
    return problems


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_tota_dir(path: Path, manifest: Mapping[str, str] | None = None) -> list[str]:
    """Check a folder of ToTA XML files against the pinned manifest.

    Returns the problems (missing files, files whose digest differs, ``pta_N.xml``
    files the manifest does not list), empty when the folder is a complete,
    unchanged copy of the pinned commit. Other files in the folder are ignored.
    """
    manifest = load_tota_manifest() if manifest is None else manifest
    if not path.is_dir():
        return [f"not a folder: {path}"]
    found = {p.name: _file_sha256(p) for p in path.iterdir() if _PTA_NAME.fullmatch(p.name) and p.is_file()}
    return _compare(found, manifest)


def _fetch(url: str, out: Path, timeout: float, progress: ProgressCallback | None) -> str:
    """Stream ``url`` into ``out`` and return the SHA-256 of what arrived."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise CorpusError(f"refusing to download {url}: only http and https URLs are supported")
    request = urllib.request.Request(url, headers={"User-Agent": "rulecompare"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, out.open("xb") as fh:
            return _stream(response, fh, url, progress)
    except (OSError, http.client.HTTPException) as exc:
        raise _download_error(exc, url, timeout) from None


def _stream(
    response: http.client.HTTPResponse, fh: IO[bytes], url: str, progress: ProgressCallback | None
) -> str:
    """Copy the body of ``response`` into ``fh`` within the size cap; the SHA-256 of what arrived."""
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    if total is not None and total > MAX_ARCHIVE_BYTES:
        raise CorpusError(f"download refused: {url} is {total} bytes, over the {MAX_ARCHIVE_BYTES} cap")
    digest = hashlib.sha256()
    done = 0
    if progress is not None:
        progress(0, total)
    while chunk := response.read(_CHUNK):
        done += len(chunk)
        if done > MAX_ARCHIVE_BYTES:
            raise CorpusError(f"download aborted: {url} sent more than {MAX_ARCHIVE_BYTES} bytes")
        digest.update(chunk)
        fh.write(chunk)
        if progress is not None:
            progress(done, total)
    if total is not None and done != total:
        raise CorpusError(f"download incomplete: got {done} of {total} bytes from {url}")
    return digest.hexdigest()


def _download_error(exc: OSError | http.client.HTTPException, url: str, timeout: float) -> CorpusError:
    """The one-line message for a download that failed with ``exc`` (most specific kind first)."""
    if isinstance(exc, urllib.error.HTTPError):
        return CorpusError(f"download failed: HTTP {exc.code} {exc.reason} from {url}")
    if isinstance(exc, urllib.error.URLError):
        return CorpusError(f"download failed: cannot reach {url} ({exc.reason})")
    if isinstance(exc, TimeoutError):
        return CorpusError(f"download failed: {url} timed out after {timeout:g} s")
    if isinstance(exc, http.client.HTTPException):
        return CorpusError(f"download failed: {url}: {type(exc).__name__} {exc}")
    return CorpusError(f"download failed: {url}: {exc}")


def _member_parts(name: str) -> list[str]:
    """Split an archive member name, refusing names that could land outside the target."""
    parts = [p for p in name.split("/") if p not in ("", ".")]
    unsafe = (
        not parts
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or ":" in parts[0]
        or ".." in parts
    )
    if unsafe:
        raise CorpusError(f"unsafe member {name!r} in the archive (absolute path or '..'); refusing it")
    return parts


def _plan(infos: list[zipfile.ZipInfo]) -> list[tuple[zipfile.ZipInfo, Path]]:
    """Pick the members to unpack and where they go (relative to the tota folder)."""
    plan: list[tuple[zipfile.ZipInfo, Path]] = []
    seen: set[Path] = set()
    for info in infos:
        parts = _member_parts(info.filename)
        if info.is_dir():
            continue
        if len(parts) == 3 and parts[1] == "xml" and _PTA_NAME.fullmatch(parts[2]):
            target = Path("xml", parts[2])
        elif len(parts) == 2 and parts[1] in _EXTRA_FILES:
            target = Path(_EXTRA_FILES[parts[1]])
        else:
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            raise CorpusError(f"archive member {info.filename!r} is a symbolic link; refusing it")
        if target in seen:
            raise CorpusError(f"archive holds {target.name} twice; refusing it")
        seen.add(target)
        plan.append((info, target))
    return plan


def _unpack(archive: Path, staged: Path, manifest: Mapping[str, str]) -> int:
    """Unpack the wanted members into ``staged`` and check the XML against ``manifest``.

    Returns the number of XML files unpacked.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise CorpusError(f"archive has {len(infos)} members, over the {MAX_MEMBERS} cap")
            plan = _plan(infos)
            declared = sum(info.file_size for info, _ in plan)
            if declared > MAX_UNPACKED_BYTES:
                raise CorpusError(
                    f"archive would unpack to {declared} bytes, over the {MAX_UNPACKED_BYTES} cap"
                )
            (staged / "xml").mkdir(parents=True)
            written = 0
            found: dict[str, str] = {}
            for info, target in plan:
                digest = hashlib.sha256()
                # "xb" creates the file and fails if anything, a symlink included, is there.
                with zf.open(info) as src, (staged / target).open("xb") as dst:
                    while chunk := src.read(_CHUNK):
                        # Sizes in the zip headers can lie; count what is really written.
                        written += len(chunk)
                        if written > MAX_UNPACKED_BYTES:
                            raise CorpusError(
                                f"archive unpacks to over {MAX_UNPACKED_BYTES} bytes; refusing it"
                            )
                        digest.update(chunk)
                        dst.write(chunk)
                if target.parent.name == "xml":
                    found[target.name] = digest.hexdigest()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        zlib.error,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise CorpusError(f"downloaded archive is damaged or unreadable: {exc}") from None
    problems = _compare(found, manifest)
    if problems:
        raise CorpusError(
            f"downloaded ToTA does not match the pinned manifest "
            f"({len(problems)} problems; first: {problems[0]})"
        )
    return len(found)


def _write_source(staged: Path, url: str, archive_sha256: str, files: int) -> None:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    (staged / "SOURCE.md").write_text(
        "# ToTA: Texts of Trade Agreements (downloaded by rulecompare)\n\n"
        f"- Downloaded {when} from {url}\n"
        f"- Archive SHA-256: {archive_sha256}\n"
        f"- {files} files in xml/ matched rulecompare's pinned manifest for commit {TOTA_COMMIT}.\n"
        "- License: CC BY-NC 4.0 (see LICENSE).\n"
        "- Cite: Alschner, Seiermann and Skougarevskiy (2017),\n"
        "  Text-as-data analysis of preferential trade agreements, UNCTAD Research Paper No. 5.\n",
        encoding="utf-8",
    )


def _install(staged: Path, target: Path, work: Path) -> None:
    """Move ``staged`` to ``target``, replacing an older copy, and restore it if the move fails."""
    previous: Path | None = None
    if target.exists() or target.is_symlink():
        previous = work / "previous"
        target.rename(previous)
    try:
        staged.rename(target)
    except OSError:
        if previous is not None:
            previous.rename(target)
        raise


def download_tota(
    dest: Path | None = None,
    url: str = TOTA_URL,
    sha256: str | None = TOTA_SHA256,
    progress: ProgressCallback | None = None,
    timeout: float = 60,
    *,
    manifest: Mapping[str, str] | None = None,
) -> Path:
    """Download the pinned ToTA corpus into ``dest/tota`` and return ``dest``.

    ``dest`` defaults to ``<cache_dir>/corpora``, where ``resolve_corpus`` looks
    last, and the returned folder is what ``--corpus`` accepts. The archive is
    streamed to a temporary folder inside ``dest``; ``progress`` is called with
    (bytes so far, total or None) after each chunk. When ``sha256`` is given the
    archive must have that digest. Only ``*/xml/pta_N.xml`` and the upstream
    LICENSE and README are unpacked, and every XML file must match ``manifest``
    (default: the pinned one). Only then does the new ``dest/tota`` replace any
    older one. On any failure nothing new is left in ``dest`` and a
    ``CorpusError`` with a one-line message is raised.
    """
    dest = (cache_dir() / "corpora" if dest is None else dest).expanduser()
    pinned = load_tota_manifest() if manifest is None else manifest
    dest_existed = dest.exists()
    try:
        dest.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".tota-download-", dir=dest))
    except OSError as exc:
        raise CorpusError(f"cannot write to {dest}: {exc}") from None
    succeeded = False
    try:
        archive = work / "archive.zip"
        archive_sha256 = _fetch(url, archive, timeout, progress)
        if sha256 is not None and archive_sha256 != sha256.strip().lower():
            raise CorpusError(f"archive checksum mismatch for {url}: expected {sha256}, got {archive_sha256}")
        staged = work / "tota"
        files = _unpack(archive, staged, pinned)
        archive.unlink()
        _write_source(staged, url, archive_sha256, files)
        _install(staged, dest / "tota", work)
        succeeded = True
    except OSError as exc:
        raise CorpusError(f"cannot write the ToTA corpus into {dest}: {exc}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not succeeded and not dest_existed:
            # rmdir only removes an empty folder, so nothing of the user's can go.
            try:
                dest.rmdir()
            except OSError:
                pass
    return dest
