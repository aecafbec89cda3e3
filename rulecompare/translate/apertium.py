"""Apertium, the machine translator, run as a program: found, versioned, and called in batches.

Why Apertium: it is free software packaged by Debian and Ubuntu, runs
offline (nothing is ever downloaded at run time), translates about 100,000
characters a second on one core, and is deterministic, so a translation
kept in the store can be trusted to be what the same version would make
again.  Spanish goes to English with ``spa-eng``; French has no direct pair
and goes through Spanish (``fr-es``, then ``spa-eng``).

How texts travel: a batch of clauses is one HTML document, each clause a
``<p id="N">`` element with its text escaped.  Apertium's HTML mode passes
tags through untouched, so the output splits back into the same clauses
exactly (a batch whose markers do not all come back is translated again
clause by clause).  Each stage runs as its own process group with a time
limit; a stage that overruns, or a Ctrl-C, kills the whole group (Apertium
is a shell pipeline of a dozen programs), so nothing is left running.

Apertium's output is finished by :mod:`.glossary` (unknown treaty words,
the legal register).  The version that keys stored translations and cached
features names the engine, each language pair's data (a digest of its mode
file and the files the mode reads), :data:`PIPELINE` (what this module does
around Apertium) and the glossary's digest.  Changing any of them makes
earlier translations stale.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import ClassVar

from ..errors import RulecompareError
from . import glossary

__all__ = [
    "INSTALL",
    "PIPELINE",
    "ROUTES",
    "Apertium",
    "TranslationError",
    "TranslatorMissing",
    "find_apertium",
    "require_apertium",
]

INSTALL = "apt-get install apertium apertium-eng-spa apertium-fr-es"
"""The Debian/Ubuntu packages cross-language comparison needs."""

PIPELINE = "p1"
"""The version of the preparation around Apertium (input repairs, markers); part of every version string."""

ROUTES: dict[tuple[str, str], tuple[str, ...]] = {
    ("es", "en"): ("spa-eng",),
    ("fr", "en"): ("fr-es", "spa-eng"),
}
"""(source, target) language -> the Apertium modes run one after the other."""

_PACKAGE_OF_MODE = {"spa-eng": "apertium-eng-spa", "fr-es": "apertium-fr-es"}

BATCH_CHARS = 100_000
"""Characters per Apertium run: about a second of work, large enough that start-up costs little."""


class TranslatorMissing(RulecompareError):
    """Apertium, or a language pair it needs, is not installed."""


class TranslationError(RulecompareError):
    """Apertium failed, overran its time limit, or lost clauses of a batch."""


# Spanish has no grave accents; ToTA's Spanish texts carry "informaciòn" for "información" by
# the hundred, which Apertium leaves untranslated.  Repaired in what the translator reads only.
_SPANISH_GRAVE = str.maketrans("àèìòùÀÈÌÒÙ", "áéíóúÁÉÍÓÚ")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PARAGRAPH = re.compile(r'<p id="(\d+)">(.*?)</p>', re.S)


def prepare(text: str, language: str) -> str:
    """What the translator reads for ``text``: control characters as spaces, Spanish accents repaired."""
    text = _CONTROL.sub(" ", text)
    if language == "es":
        text = text.translate(_SPANISH_GRAVE)
    return text


def batch_document(texts: Sequence[str]) -> str:
    """Texts as one HTML document, each an element that Apertium passes through with its id."""
    return "\n".join(f'<p id="{i}">{html.escape(t, quote=False)}</p>' for i, t in enumerate(texts))


def split_document(document: str, n: int) -> list[str] | None:
    """The ``n`` texts of a translated :func:`batch_document`, or None when any marker is missing."""
    found = {int(i): body for i, body in _PARAGRAPH.findall(document)}
    if len(found) != n or set(found) != set(range(n)):
        return None
    return [html.unescape(found[i]).strip() for i in range(n)]


def _timeout(chars: int) -> float:
    """Seconds one stage may take over ``chars`` characters (20 times the measured speed, 30 s at least)."""
    return 30.0 + chars / 5_000


@dataclass
class _Running:
    """Apertium processes running now, so that a Ctrl-C or an error can kill every one."""

    procs: set[subprocess.Popen[bytes]] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def kill_all(self) -> None:
        with self.lock:
            procs = list(self.procs)
        for proc in procs:
            _kill(proc)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


@dataclass(frozen=True)
class Apertium:
    """An installed Apertium: the program, where its modes are, and the engine version."""

    binary: str
    modes_dir: Path | None
    engine: str
    modes: frozenset[str]

    name: ClassVar[str] = "apertium"

    def supports(self, source: str, target: str) -> bool:
        route = ROUTES.get((source, target))
        return route is not None and all(m in self.modes for m in route)

    def missing_for(self, source: str, target: str) -> list[str]:
        """The packages to install before ``source`` -> ``target`` can be translated."""
        route = ROUTES.get((source, target), ())
        return [_PACKAGE_OF_MODE.get(m, m) for m in route if m not in self.modes]

    def version(self, source: str, target: str) -> str:
        """The version string stored beside translations from ``source`` into ``target``."""
        route = ROUTES[(source, target)]
        data = "+".join(f"{m}@{_mode_digest(self.modes_dir, m)}" for m in route)
        return f"{self.engine} {data} {PIPELINE}-{glossary.digest()}"

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        jobs: int = 1,
        progress: Callable[[int], None] | None = None,
    ) -> list[str]:
        """Translations of ``texts``, in order; empty texts stay empty.

        Texts are sent in batches of about :data:`BATCH_CHARS` characters,
        ``jobs`` at a time; ``progress`` is called with the characters of
        each batch done.  Raises :class:`TranslatorMissing` when the language
        pair is not installed and :class:`TranslationError` when Apertium fails.
        """
        if not self.supports(source, target):
            raise TranslatorMissing(_missing_message(self.missing_for(source, target), source, target))
        route = ROUTES[(source, target)]
        prepared = [prepare(t, source) for t in texts]
        todo = [i for i, t in enumerate(prepared) if t.strip()]
        batches: list[list[int]] = []
        size = 0
        for i in todo:
            if not batches or size + len(prepared[i]) > BATCH_CHARS:
                batches.append([])
                size = 0
            batches[-1].append(i)
            size += len(prepared[i])
        out = [""] * len(texts)
        running = _Running()

        def work(batch: list[int]) -> tuple[list[int], list[str]]:
            done = self._batch([prepared[i] for i in batch], route, running)
            if progress is not None:
                progress(sum(len(prepared[i]) for i in batch))
            return batch, done

        pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="apertium")
        try:
            for batch, done in pool.map(work, batches):
                for i, t in zip(batch, done, strict=True):
                    out[i] = t
        except BaseException:
            running.kill_all()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return out

    def _batch(self, texts: list[str], route: Sequence[str], running: _Running) -> list[str]:
        """One batch through every stage; a batch that loses markers is redone text by text."""
        document = batch_document(texts)
        for k, mode in enumerate(route):
            # Only the last stage marks unknown words: they are what the glossary looks up.
            document = self._stage(document, mode, running, marks=k == len(route) - 1)
        found = split_document(document, len(texts))
        if found is not None:
            return [glossary.finish(t) for t in found]
        if len(texts) == 1:
            raise TranslationError(f"Apertium ({' then '.join(route)}) lost the text of a clause")
        return [self._batch([t], route, running)[0] for t in texts]

    def _stage(self, document: str, mode: str, running: _Running, *, marks: bool) -> str:
        cmd = [self.binary, *([] if marks else ["-u"]), "-f", "html-noent", mode]
        data = document.encode("utf-8", "surrogatepass")
        limit = _timeout(len(document))
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group: one kill stops the whole pipeline
            )
        except OSError as exc:
            raise TranslationError(f"cannot run {self.binary} ({exc})") from None
        with running.lock:
            running.procs.add(proc)
        try:
            out, err = proc.communicate(data, timeout=limit)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise TranslationError(
                f"Apertium ({mode}) took more than {limit:.0f} s over {len(document):,} characters"
            ) from None
        except BaseException:
            _kill(proc)
            raise
        finally:
            with running.lock:
                running.procs.discard(proc)
        if proc.returncode != 0:
            last = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
            raise TranslationError(f"Apertium ({mode}) failed: {last}")
        return out.decode("utf-8", "replace")


def _missing_message(packages: Sequence[str], source: str, target: str) -> str:
    what = " and ".join(packages) if packages else "a translator"
    return (
        f"translating {source} into {target} needs {what}; install with: {INSTALL} "
        "(or compare within one language: --monolingual)"
    )


@cache
def _mode_digest(modes_dir: Path | None, mode: str) -> str:
    """A digest of a mode's file and of every data file it names (10 hex digits; 'unknown' without them)."""
    if modes_dir is None:
        return "unknown"
    path = modes_dir / f"{mode}.mode"
    try:
        spec = path.read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    h = hashlib.sha1(spec.encode())
    for name in sorted(set(re.findall(r"'(/[^']+)'", spec))):
        try:
            h.update(Path(name).read_bytes())
        except OSError:
            h.update(f"missing {name}".encode())
    return h.hexdigest()[:10]


def _modes_dir(binary: str) -> Path | None:
    """Where the installed modes are: ``<prefix>/share/apertium/modes`` beside the program."""
    prefix = Path(os.path.realpath(binary)).parent.parent
    candidate = prefix / "share" / "apertium" / "modes"
    return candidate if candidate.is_dir() else None


@cache
def find_apertium() -> Apertium | None:
    """The installed Apertium, or None when the ``apertium`` program is not on the PATH."""
    binary = shutil.which("apertium")
    if binary is None:
        return None
    try:
        listed = subprocess.run([binary, "-l"], capture_output=True, text=True, timeout=30, check=False)
        shown = subprocess.run([binary, "-V"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    modes = frozenset(line.strip() for line in listed.stdout.splitlines() if line.strip())
    words = (shown.stdout or shown.stderr).split()
    engine = f"apertium-{words[-1]}" if words else "apertium-unknown"
    return Apertium(binary, _modes_dir(binary), engine, modes)


def require_apertium(pairs: Sequence[tuple[str, str]] = ()) -> Apertium:
    """The installed Apertium with every pair of ``pairs``; TranslatorMissing says what to install."""
    found = find_apertium()
    if found is None:
        raise TranslatorMissing(
            f"comparing across languages needs the Apertium translator, which is not installed; "
            f"install with: {INSTALL} (or compare within one language: --monolingual)"
        )
    missing = sorted({p for s, t in pairs for p in found.missing_for(s, t)})
    if missing:
        source, target = pairs[0]
        raise TranslatorMissing(_missing_message(missing, source, target))
    return found
