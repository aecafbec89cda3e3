"""Where the corpora are, and how a user who has none gets the ToTA corpus.

rulecompare never ships or copies the treaty texts. It reads them from a
folder found in this order: the ``--corpus`` option, then the places of
:func:`rulecompare.paths.corpora_places` (the ``RULECOMPARE_CORPUS``
environment variable, the shared folder's ``corpora/`` from
``RULECOMPARE_SHARED`` or beside the working directory or the checkout, and
finally a copy that ``rulecompare corpus download`` placed in the per-user
cache).

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

from .download import (
    MAX_ARCHIVE_BYTES,
    MAX_MEMBERS,
    MAX_UNPACKED_BYTES,
    TOTA_COMMIT,
    TOTA_SHA256,
    TOTA_URL,
    ProgressCallback,
    download_tota,
    load_tota_manifest,
    parse_manifest,
    verify_tota_dir,
)
from .location import CorpusError, CorpusLocation, resolve_corpus

__all__ = [
    "MAX_ARCHIVE_BYTES", "MAX_MEMBERS", "MAX_UNPACKED_BYTES", "TOTA_COMMIT", "TOTA_SHA256", "TOTA_URL",
    "CorpusError", "CorpusLocation", "ProgressCallback", "download_tota", "load_tota_manifest",
    "parse_manifest", "resolve_corpus", "verify_tota_dir",
]  # fmt: skip
