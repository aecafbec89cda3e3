"""Shared fixtures: where the real corpora are, and fresh stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _shared_dir() -> Path | None:
    env = os.environ.get("RULECOMPARE_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT.parent / "shared")
    for c in candidates:
        if (c / "corpora").is_dir():
            return c
    return None


SHARED = _shared_dir()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder with corpora and metadata; skips (with the reason) when absent."""
    if SHARED is None:
        pytest.skip("../shared/corpora is not beside the checkout (set RULECOMPARE_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def corpora_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpora"


@pytest.fixture(scope="session")
def tota_dir(corpora_dir: Path) -> Path:
    d = corpora_dir / "tota" / "xml"
    if not d.is_dir():
        pytest.skip(f"ToTA XML not found at {d}")
    return d


@pytest.fixture(scope="session")
def metadata_dir(shared_dir: Path) -> Path:
    return shared_dir / "metadata"


@pytest.fixture(scope="session")
def tota_db(tota_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with all of ToTA ingested once per test session (about 10 s)."""
    from rulecompare.ingest import ingest_paths
    from rulecompare.store import Store

    path = tmp_path_factory.mktemp("store") / "tota.db"
    with Store(path) as store:
        results = ingest_paths(store, [tota_dir])
    failed = [r.message for r in results if r.status == "failed"]
    assert not failed, failed
    return path


@pytest.fixture(scope="session")
def tota_store(tota_db: Path):  # type: ignore[no-untyped-def]
    """The session's ToTA store, read-only so that no test changes it for the others."""
    from rulecompare.store import Store

    store = Store(tota_db, readonly=True)
    yield store
    store.close()
