"""Where the corpora are, and how a user who has none gets the ToTA corpus.

rulecompare never ships or copies the treaty texts: :mod:`.location` finds
the folder an ingest reads (and says why that one), :mod:`.download` fetches
ToTA at a pinned commit and verifies every file against the pinned manifest.
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
