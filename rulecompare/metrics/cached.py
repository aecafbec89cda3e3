"""Summaries an analysis computes over many agreements, kept in the store's cache between runs.

Compatibility's clause matches and the spaghetti bowl's area matrices take
most of their commands' time and depend only on the texts in scope and the
code that computes them, not on the choices read off them later. A
:class:`Kept` scope stores them in the store's cache
(:mod:`rulecompare.store.cache`) as NumPy archives (no pickles):

- under a key made of what they were computed *for* (a JSON description of
  the scope: regimes, hubs, areas, languages), one entry per part;
- valid for a digest of what they were computed *from*: the corpus state of
  every text read (:func:`~rulecompare.overlap.units.corpus_state`, which
  changes when an agreement is added, removed or re-ingested), any extra
  version string (a translator's), and the source of the code that computes
  them (:func:`code_digest`), so a changed classifier or kernel makes every
  entry stale.

A missing, stale, damaged or foreign part is missing and computed again
(:meth:`Kept.get` is all or nothing; :meth:`Kept.get_some` returns the parts
that can be read, so that only the others are computed). A read-only store keeps
nothing and computes every time.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from ..overlap.units import corpus_state
from ..store import Store

__all__ = ["SIMILARITY_CODE", "Arrays", "Kept", "code_digest", "strings"]

Arrays = dict[str, np.ndarray]

SIMILARITY_CODE = (
    "features",
    "overlap/kernels.py",
    "overlap/calibration.py",
    "overlap/crosslingual.py",
    "metrics/boilerplate.py",
    "metrics/cached.py",
    "data/crosslingual-calibration.json",
    "data/translationese-en.txt",
)
"""The code every kept similarity is computed with: shingling, the set-overlap kernel, the IDF weights
and the cross-lingual calibration (each analysis adds its own modules to :func:`code_digest`)."""


@cache
def code_digest(paths: tuple[str, ...]) -> str:
    """A digest of the package files at ``paths`` (relative to ``rulecompare``; a folder counts with
    all its ``.py`` files)."""
    root = resources.files("rulecompare")
    h = hashlib.sha1()
    for name in paths:
        node = root.joinpath(name)
        files = (
            sorted((f for f in node.iterdir() if f.name.endswith(".py")), key=lambda f: f.name)
            if node.is_dir()
            else [node]
        )
        for f in files:
            h.update(f"\x00{name}/{f.name}\x00".encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def strings(values: Iterable[object]) -> np.ndarray:
    """Values as a fixed-width unicode array (archived without pickles)."""
    return np.array([str(v) for v in values], dtype=np.str_)


@dataclass(frozen=True)
class Kept:
    """The cache entries of one scope of one analysis (module docstring)."""

    store: Store
    prefix: str
    """``<kind>|<scope digest>|``: every part's key starts with it."""
    digest: str
    """What the parts must have been computed from to be valid."""

    @classmethod
    def scope(
        cls,
        store: Store,
        kind: str,
        scope: Mapping[str, Any],
        text_ids: Sequence[str],
        *,
        code: str,
        extra: str = "",
    ) -> Kept:
        """The entries of ``kind`` for ``scope``, computed from the stored texts ``text_ids`` by code of
        digest ``code`` (:func:`code_digest`) and ``extra`` versions."""
        described = json.dumps(scope, sort_keys=True, default=list)
        state = corpus_state(store, sorted(set(text_ids)), "clause", None)
        digest = hashlib.sha1(f"{state}|{code}|{extra}".encode()).hexdigest()
        return cls(store, f"{kind}|{hashlib.sha1(described.encode()).hexdigest()[:20]}|", digest)

    def get(self, names: Sequence[str]) -> dict[str, Arrays] | None:
        """Every part in ``names``, or None unless all are cached, valid and readable."""
        found = self.get_some(names)
        return found if len(found) == len(set(names)) else None

    def get_some(self, names: Sequence[str]) -> dict[str, Arrays]:
        """The parts in ``names`` that are cached, valid and readable (the others are left out)."""
        found = self.store.cache_get_many([(self.prefix + n, self.digest) for n in names])
        out = {}
        for n in names:
            data = found.get(self.prefix + n)
            if data is None:
                continue
            try:
                out[n] = _open(data)
            except (ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile):
                continue
        return out

    def put(self, parts: Mapping[str, Arrays]) -> None:
        """Keep the parts (best effort: a read-only or busy store keeps nothing)."""
        self.store.cache_put_many([(self.prefix + n, self.digest, _archive(a)) for n, a in parts.items()])


def _archive(arrays: Arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def _open(data: bytes) -> Arrays:
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}
