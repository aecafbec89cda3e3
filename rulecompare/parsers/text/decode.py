"""Bytes -> str: the encodings treaty texts come in, and refusing what is not text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ...errors import ParseError
from ...xmlsafe import read_bounded


def decode_text(data: bytes, path: object = "<text>") -> str:
    """Bytes -> str: UTF-8 (a BOM is dropped), else cp1252, else Latin-1; binary data is refused."""
    head = data[:65536]
    if b"\x00" in head:
        raise ParseError(path, "not a text file (binary data: NUL bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if _looks_mac_roman(data):
            text = data.decode("mac_roman")
        else:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
                text = data.decode("latin-1")
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if sample and controls / len(sample) > 0.02:
        raise ParseError(path, "not a text file (binary data: control characters)")
    return text


_MAC_PUNCT = frozenset(range(0xD0, 0xD6))
"""Dashes and curly quotes in Mac Roman; "ÐÑÒÓÔÕ" in Latin-1."""
_WIN_PUNCT = frozenset(range(0x91, 0x98))
"""Curly quotes and dashes in cp1252."""


def _looks_mac_roman(data: bytes) -> bool:
    """Text saved by a Mac (the UK treaty series files with CR line ends) writes quotes as Ò Ó Õ in Latin-1.

    Its dash and quote bytes are capital letters in Latin-1, which a
    Latin-1 text would only use beside lower-case accented letters (0xE0 and up).
    """
    counts = Counter(b for b in data if b >= 0x80)
    mac = sum(counts[b] for b in _MAC_PUNCT)
    win = sum(counts[b] for b in _WIN_PUNCT)
    latin_lower = sum(n for b, n in counts.items() if b >= 0xE0)
    return mac >= 3 and win == 0 and latin_lower == 0


def read_source(path_or_text: Path | str) -> tuple[str, Path | None]:
    """(text, path) of a file given as a ``Path`` or an existing file's name; (text, None) for text itself."""
    if isinstance(path_or_text, Path) or (
        "\n" not in path_or_text and len(path_or_text) < 4096 and Path(path_or_text).is_file()
    ):
        path = Path(path_or_text)
        return decode_text(read_bounded(path), path), path
    return path_or_text, None
