"""Names of agreements and parties as words to compare, whatever their spelling.

"Korea, Republic of - US", "us-korea" and "US–Korea FTA" must meet; so must
the alias made from an agreement's parties and the one read off its name.
Everything that compares names (country short names, generated aliases, name
resolution) goes through :func:`normalize`.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["key", "normalize"]

# Ways of writing the same party that users and sources mix freely. Applied to
# space-separated lower-case words, longest first.
_EQUIVALENT = {
    "united states of america": "us", "united states": "us", "usa": "us", "u s a": "us", "u s": "us",
    "republic of korea": "korea", "korea republic of": "korea", "rep of korea": "korea",
    "korea rep of": "korea", "south korea": "korea",
    "european union": "eu", "european communities": "eu", "european community": "eu",
    "european economic community": "eu", "eec": "eu", "ec": "eu",
    "united kingdom": "uk", "great britain": "uk",
    "peoples republic of china": "china", "prc": "china",
    "russian federation": "russia", "viet nam": "vietnam",
    "hong kong china": "hong kong", "hong kong sar": "hong kong", "macao china": "macao", "macau": "macao",
    "taiwan": "chinese taipei",
    "republic of moldova": "moldova", "moldova republic of": "moldova", "rep of moldova": "moldova",
    "former yugoslav republic of macedonia": "macedonia", "north macedonia": "macedonia",
    "kyrgyz republic": "kyrgyzstan", "lao peoples democratic republic": "laos", "lao pdr": "laos",
    "slovak republic": "slovakia", "czechia": "czech republic", "faeroe": "faroe",
    "palestinian authority": "palestine", "nz": "new zealand", "u k": "uk", "turkiye": "turkey",
}  # fmt: skip
_EQUIVALENT_RE = re.compile(
    r"\b(" + "|".join(re.escape(k) for k in sorted(_EQUIVALENT, key=len, reverse=True)) + r")\b"
)
_STOPWORDS = frozenset(
    {"the", "of", "and", "between", "free", "trade", "agreement", "agreements", "fta", "a", "an"}
)


def normalize(text: str) -> str:
    """A name as words to compare: case, accents, punctuation and spellings of parties made uniform.

    "Korea, Republic of - US" and "us-korea" both become words {korea, us};
    "free", "trade", "agreement" and such are dropped unless nothing else is left.
    """
    text = re.sub(r"['’]", "", unicodedata.normalize("NFKD", text))
    # Punctuation of any script (en dashes in "US–Peru") separates words; accents just go.
    text = "".join(c if c.isalnum() or unicodedata.combining(c) else " " for c in text)
    text = text.encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = _EQUIVALENT_RE.sub(lambda m: _EQUIVALENT[m.group(1)], text)
    words = text.split()
    kept = [w for w in words if w not in _STOPWORDS]
    return " ".join(kept or words)


def key(text: str) -> str:
    """Order-free lookup key: ``us-peru`` and "Peru - US" meet."""
    return " ".join(sorted(normalize(text).split()))
