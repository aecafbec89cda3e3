"""The cache of derived data (features), in the store's ``cache`` table.

An entry is bytes under a key, valid only for the ``digest`` of the inputs it
was computed from: a changed input makes the entry stale, and a stale entry is
treated as missing.  Writing the cache is best effort: a read-only or busy
store simply keeps nothing, because everything in it can be computed again.
Keys hold ``|<agreement id>|`` so that removing an agreement drops its entries.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from ..errors import StoreError
from .core import StoreCore, now


class FeatureCache(StoreCore):
    """Get and put derived bytes by key and input digest."""

    def cache_get(self, key: str, digest: str) -> bytes | None:
        """Cached bytes for ``key`` if they were computed from inputs with this ``digest``."""
        return self.cache_get_many([(key, digest)]).get(key)

    def cache_get_many(self, wanted: Sequence[tuple[str, str]]) -> dict[str, bytes]:
        """Cached bytes for many (key, digest) pairs at once; stale or missing keys are left out."""
        found: dict[str, bytes] = {}
        digests = dict(wanted)
        keys = list(digests)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = self.db.execute(
                f"SELECT key, digest, data FROM cache WHERE key IN ({', '.join('?' * len(chunk))})", chunk
            )
            found.update((k, bytes(data)) for k, d, data in rows if digests[k] == d)
        return found

    def cache_put(self, key: str, digest: str, data: bytes) -> None:
        """Store derived bytes; silently skipped on a read-only store (it is only a cache)."""
        self.cache_put_many([(key, digest, data)])

    def cache_put_many(
        self, items: Sequence[tuple[str, str, bytes | memoryview]], *, replace_prefix: str = ""
    ) -> None:
        """Store many derived entries in one transaction (skipped on a read-only store).

        With ``replace_prefix``, every entry whose key starts with it is removed
        in the same transaction first, so that an entry made of several parts
        never keeps parts of an older version.
        """
        if self.readonly or not items:
            return
        stamp = now()
        try:
            with self._write() as db:
                if replace_prefix:
                    db.execute(
                        "DELETE FROM cache WHERE substr(key, 1, ?) = ?", (len(replace_prefix), replace_prefix)
                    )
                db.executemany(
                    "INSERT OR REPLACE INTO cache VALUES (?, ?, ?, ?)",
                    [(k, d, b, stamp) for k, d, b in items],
                )
        except (StoreError, sqlite3.Error):
            # A full disk or a locked file: the entries are simply not kept.
            return
