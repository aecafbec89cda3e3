"""A hardened lxml setup: every XML or HTML file is treated as hostile.

No entity expansion (billion laughs), no DTD loading, no network access
(external entities), and a size bound checked before parsing.  A document that
declares entities or names an external DTD is refused wherever the
declaration is (a check of the first bytes alone let one past 64 KiB
through), and a document beyond libxml2's limits (nesting 256 deep, a 10 MB
text node) is refused with that reason: never read in part.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from .errors import ParseError

MAX_BYTES = 50 * 1024 * 1024
"""Largest source file we parse (50 MiB); ToTA's largest is about 2 MB."""

_MiB = 1024 * 1024

_REFUSED = "XML declares entities or an external DTD; refused (entity expansion is unsafe)"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_bounded(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, or a ParseError naming the file when it is missing, a folder, empty or too big."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ParseError(path, f"cannot read file ({exc.strerror or exc})") from None
    if path.is_dir():
        raise ParseError(path, "is a directory, not a file")
    if size == 0:
        raise ParseError(path, "file is empty")
    if size > limit:
        raise ParseError(path, f"file is {size / _MiB:.1f} MiB, over the {limit / _MiB:g} MiB limit")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"cannot read file ({exc.strerror or exc})") from None


def parse_xml(path: Path, data: bytes | None = None) -> etree._Element:
    """Parse XML safely; any problem becomes a one-line ParseError naming the file."""
    if data is None:
        data = read_bounded(path)
    if b"<!ENTITY" in data:
        raise ParseError(path, _REFUSED)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        msg = str(exc).splitlines()[0] if str(exc) else "malformed XML"
        if exc.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            raise ParseError(
                path, f"XML exceeds the parser's limits ({msg.split(', use')[0]}); refused"
            ) from None
        raise ParseError(path, f"not well-formed XML ({msg})") from None
    if root is None:
        raise ParseError(path, "no XML content")
    # After parsing, from what the parser read: declarations in any encoding and at any offset.
    info = root.getroottree().docinfo
    dtd = info.internalDTD
    if info.public_id or info.system_url or (dtd is not None and any(True for _ in dtd.iterentities())):
        raise ParseError(path, _REFUSED)
    return root
