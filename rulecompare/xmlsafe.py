"""A hardened lxml setup: every XML or HTML file is treated as hostile.

No entity expansion (billion laughs), no DTD loading, no network access
(external entities), and a size bound checked before parsing.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from .errors import ParseError

MAX_BYTES = 50 * 1024 * 1024
"""Largest source file we parse; ToTA's largest is about 2 MB."""


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
        raise ParseError(path, f"file is {size / 1e6:.0f} MB, over the {limit / 1e6:.0f} MB limit")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParseError(path, f"cannot read file ({exc.strerror or exc})") from None


def parse_xml(path: Path, data: bytes | None = None) -> etree._Element:
    """Parse XML safely; any problem becomes a one-line ParseError naming the file."""
    if data is None:
        data = read_bounded(path)
    if b"<!ENTITY" in data[:65536] or b"<!DOCTYPE" in data[:65536] and b"SYSTEM" in data[:65536]:
        raise ParseError(
            path, "XML declares entities or an external DTD; refused (entity expansion is unsafe)"
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        msg = str(exc).splitlines()[0] if str(exc) else "malformed XML"
        raise ParseError(path, f"not well-formed XML ({msg})") from None
    if root is None:
        raise ParseError(path, "no XML content")
    return root
