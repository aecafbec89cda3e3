"""Where the corpora are: the folder an ingest reads, and why that one.

rulecompare never ships or copies the treaty texts. It reads them from a
folder found in this order: the ``--corpus`` option, then the places of
:func:`rulecompare.paths.corpora_places` (the ``RULECOMPARE_CORPUS``
environment variable, the shared folder's ``corpora/`` from
``RULECOMPARE_SHARED`` or beside the working directory or the checkout, and
finally a copy that ``rulecompare corpus download`` placed in the per-user
cache).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import RulecompareError
from ..paths import CORPUS_ENV, corpora_dir


class CorpusError(RulecompareError):
    """A corpus folder is missing or unusable, or a download failed; the message is one line."""


@dataclass(frozen=True, slots=True)
class CorpusLocation:
    """A corpus folder and the sources found in it, or why none was found."""

    root: Path | None
    """The corpus folder, or None when none was found."""
    reason: str
    """Why this folder was chosen (or, when ``root`` is None, what the user can do)."""
    tota_xml: Path | None = None
    """Folder of ToTA ``pta_N.xml`` files, if present."""
    ggo_manifest: Path | None = None
    """``ggo/MANIFEST.csv`` listing the plain-text agreements, if present."""
    pdfs: tuple[Path, ...] = ()
    """PDF agreements in ``pdf/``, sorted by name."""

    @property
    def found(self) -> bool:
        """True when a corpus folder was found."""
        return self.root is not None


def _has_xml(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.glob("*.xml"))


def _inspect(path: Path, reason: str) -> CorpusLocation | None:
    """Describe ``path`` as a corpus, or None when it holds none of the known sources."""
    if _has_xml(path):
        return CorpusLocation(root=path, reason=reason, tota_xml=path)
    tota_xml: Path | None = None
    # path/xml covers a clone or unpacked archive of the ToTA repository itself.
    for candidate in (path / "tota" / "xml", path / "xml"):
        if _has_xml(candidate):
            tota_xml = candidate
            break
    ggo = path / "ggo" / "MANIFEST.csv"
    ggo_manifest = ggo if ggo.is_file() else None
    pdf_dir = path / "pdf"
    pdfs = tuple(sorted(p for p in pdf_dir.glob("*.pdf") if p.is_file())) if pdf_dir.is_dir() else ()
    if tota_xml is None and ggo_manifest is None and not pdfs:
        return None
    return CorpusLocation(root=path, reason=reason, tota_xml=tota_xml, ggo_manifest=ggo_manifest, pdfs=pdfs)


def _explicit(path: Path, source: str) -> CorpusLocation:
    """A folder the user named: it must exist and hold a corpus, else we say so."""
    path = path.expanduser()
    if not path.exists():
        raise CorpusError(f"corpus folder not found: {path} (from {source})")
    if not path.is_dir():
        raise CorpusError(f"corpus path is not a folder: {path} (from {source})")
    path = path.resolve()
    location = _inspect(path, source)
    if location is None:
        raise CorpusError(
            f"no corpus in {path} (from {source}): expected tota/xml/*.xml, "
            "ggo/MANIFEST.csv, pdf/*.pdf or a folder of ToTA XML files"
        )
    return location


def _holds_corpus(path: Path) -> bool:
    return path.is_dir() and _inspect(path, "") is not None


def _none_found() -> CorpusLocation:
    return CorpusLocation(
        root=None,
        reason=(
            f"no corpus found: run `rulecompare corpus download`, pass --corpus PATH or set {CORPUS_ENV}"
        ),
    )


def resolve_corpus(option: Path | None = None) -> CorpusLocation:
    """Find the corpus folder.

    Order: the ``--corpus`` option, ``RULECOMPARE_CORPUS``,
    ``$RULECOMPARE_SHARED/corpora``, ``../shared/corpora`` relative to the
    working directory, the same relative to the checkout that holds this
    package, then ``<cache_dir>/corpora`` where ``rulecompare corpus
    download`` puts its copy (:func:`rulecompare.paths.corpora_dir`). A folder
    named by the option or ``RULECOMPARE_CORPUS`` must exist and hold a
    corpus, else ``CorpusError``; the other places are skipped silently when
    empty. When nothing is found the result has ``root=None`` and a reason
    telling the user what to do.
    """
    if option is not None:
        return _explicit(option, "--corpus option")
    found = corpora_dir(accept=_holds_corpus)
    if found.path is None:
        return _none_found()
    if found.explicit:
        return _explicit(found.path, found.reason)
    return _inspect(found.path, found.reason) or _none_found()
