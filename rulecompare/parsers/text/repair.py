"""Titles as OCR damages them, repaired where the repair is safe.

OCR runs words together ("ofthe", "Establishment ofArbitration Panel"),
reads letters as their look-alikes ("Joint Conunittee", "Employnient",
"II’Iultilateral", "NationaI") and leaves specks after a title ("Transparency
‘ . a").  Specks are dropped from a title in capitalised words.  A title word is repaired only when it is not
a word of treaties and one repair makes it one: a split into two words (one
of them a short joining word, or at a change of case), or at most two of the
letter confusions in :data:`CONFUSIONS`, with one best candidate.  The words
of treaties are those of ToTA's English agreements (``data/words.txt``,
written by ``scripts/make_wordlist.py``).

Repairs are kept beside what was found (``article_title_repaired`` ...),
never in its place: a repair can be wrong, and the text as found is the
record.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .headings import strip_specks

CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("rn", "m"), ("m", "rn"), ("ni", "m"), ("nu", "m"), ("un", "m"), ("in", "m"), ("iii", "m"),
    ("nn", "m"), ("ii’i", "m"), ("ii'i", "m"), ("ivi", "m"), ("i\\/i", "m"), ("iv", "m"), ("nun", "mm"),
    ("cl", "d"), ("d", "cl"), ("li", "h"), ("lt", "h"), ("h", "li"), ("vv", "w"), ("ii", "u"), ("ri", "n"),
    ("c", "e"), ("e", "c"), ("1", "l"), ("1", "i"), ("l", "i"), ("i", "l"), ("|", "l"), ("|", "i"),
    ("!", "l"), ("!", "i"), ("0", "o"), ("5", "s"), ("é", "e"), ("è", "e"), ("f", "t"), ("t", "f"),
    ("ti", "u"), ("ti", "m"), ("ti", "h"), ("n", "ri"),
    ("’", ""), ("'", ""), (".", ""), (",", ""),
)  # fmt: skip
"""What OCR reads (lower-cased) -> what was printed, one confusion each."""

_JOINING = frozenset("a an and as at by for in its of on or the to".split())
"""Short words that OCR runs into their neighbours (longer ones start real words: "withholding")."""
_EDGE = "()[]{},.;:\"“”‘’'"
_MIN_REPAIR_COUNT = 20
"""A misread word is repaired only into a word seen at least this often in the corpus."""


@lru_cache(maxsize=1)
def words() -> dict[str, int]:
    """The words of treaties (lower case) with their counts in ToTA."""
    text = resources.files("rulecompare").joinpath("data/words.txt").read_text(encoding="utf-8")
    out: dict[str, int] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            w, _, n = line.partition(" ")
            out[w] = int(n)
    return out


@lru_cache(maxsize=4096)
def repair_title(title: str | None, language: str = "en", *, bold: bool = False) -> str | None:
    """``title`` with its OCR damage repaired; None when it needed, or safely allowed, no repair.

    Only English titles are repaired: the word list is English.  ``bold`` (for text known to
    come from OCR) also repairs a word one letter off a frequent word of treaties ("Customis",
    "Soctal"), which in a clean text would as often be a name the list lacks.
    """
    if not title or language != "en":
        return None
    cleaned = strip_specks(title, bold=bold).rstrip(" :;,")
    if bold:
        cleaned = re.sub(r"(?<=[a-z])[.,](?=[A-Z])", " ", cleaned)  # "Do.Not"
    parts = re.split(r"(\s+)", cleaned)
    fixed = [p if not p or p.isspace() else _repair_token(p, bold) for p in parts]
    out = "".join(fixed)
    return out if out != title else None


def _repair_token(token: str, bold: bool) -> str:
    """A whitespace-delimited token, its edge punctuation kept, its core repaired when safe."""
    lead = len(token) - len(token.lstrip(_EDGE))
    trail = len(token) - len(token.rstrip(_EDGE))
    core = token[lead : len(token) - trail] if trail else token[lead:]
    if not core:
        return token
    fixed = _repair_core(core, bold)
    return token[:lead] + fixed + (token[len(token) - trail :] if trail else "")


def _known(word: str) -> bool:
    """Is ``word`` a word of treaties (a possessive by its stem: "Tribunal’s")?"""
    lower = word.lower()
    return lower in words() or (lower[-2:] in ("'s", "’s") and lower[:-2] in words())


def _repair_core(core: str, bold: bool = False) -> str:
    if not any(ch.isalpha() for ch in core) or _known(core):
        return core
    if "-" in core or "/" in core:
        # "Anti-durnping": each part on its own.
        return "".join(p if p in "-/" else _repair_core(p, bold) for p in re.split(r"([-/])", core))
    if len(core) <= 3 and core.isupper() or re.fullmatch(r"[A-Z]{2,}s", core):
        return core  # an acronym ("SPS", "WTO", "MRAs")
    possessive = re.fullmatch(r"(.{3,})(['’][sS])", core)
    if possessive:
        return _repair_core(possessive.group(1), bold) + possessive.group(2)
    split = _split(core)
    if split is not None:
        return split
    misread = _misread(core, bold)
    return misread if misread is not None else core


def _split(core: str) -> str | None:
    """Two words run together: at a change of case ("ofArbitration"), or around a joining word ("ofthe")."""
    m = re.fullmatch(r"([A-Za-z]*[a-z])([A-Z][a-z]+)", core)
    if m and all(_known(p) or _misread(p) is not None for p in m.groups()):
        return " ".join(p if _known(p) else (_misread(p) or p) for p in m.groups())
    lower = core.lower()
    best: tuple[int, str] | None = None
    for i in range(1, len(core)):
        a, b = lower[:i], lower[i:]
        joined = a in _JOINING and (b in _JOINING or len(b) >= 3) or b in _JOINING and len(a) >= 3
        if joined and a in words() and b in words():
            score = min(words()[a], words()[b])
            if best is None or score > best[0]:
                best = (score, f"{core[:i]} {core[i:]}")
    return best[1] if best is not None else None


_SKELETON = str.maketrans(
    {"1": "i", "l": "i", "|": "i", "!": "i", "í": "i", "0": "o", "5": "s", "é": "e", "è": "e"}
)
"""Letters OCR swaps one for one, made one: "DEFlNlTlONS" and "definitions" share a skeleton."""


@lru_cache(maxsize=1)
def _by_skeleton() -> dict[str, list[str]]:
    """The words of treaties seen often enough to repair into, by skeleton, most frequent first."""
    out: dict[str, list[str]] = {}
    for w, n in words().items():
        if n >= _MIN_REPAIR_COUNT:
            out.setdefault(w.translate(_SKELETON), []).append(w)
    return out


def _misread(core: str, bold: bool = False) -> str | None:
    """The one word of treaties that misread letters make of ``core``, in its case style.

    Look-alike letters swapped one for one (l, 1, I and i; 0 and o) cost
    nothing; at most two of the other confusions are undone.
    """
    lower = core.lower()
    if len(lower) < (3 if bold else 4):
        return None
    index = _by_skeleton()
    vocab = words()
    found: list[str] = []
    frontier = {lower}
    for _depth in range(3):
        found = sorted(
            {w for f in frontier for w in index.get(f.translate(_SKELETON), ())}, key=lambda w: -vocab[w]
        )
        if found or len(lower) < 4:
            break
        frontier = {cand for w in frontier for cand in _substitutions(w)}
    if not found and bold and len(lower) >= 4:
        skeleton = lower.translate(_SKELETON)
        found = sorted({w for e in _one_edit(skeleton) for w in index.get(e, ())}, key=lambda w: -vocab[w])
    if not found:
        return None
    if len(found) > 1 and vocab[found[0]] < 3 * vocab[found[1]]:
        return None  # two repairs about as likely: leave it as found
    return _case_like(found[0], core)


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _one_edit(word: str) -> set[str]:
    """Every string one letter deleted, inserted or replaced away from ``word`` (in skeleton letters)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    out |= {a + c + b for a, b in splits for c in _ALPHABET}
    return out


def _substitutions(word: str) -> set[str]:
    out: set[str] = set()
    for wrong, right in CONFUSIONS:
        if len(wrong) == len(right) == 1 and wrong.translate(_SKELETON) == right.translate(_SKELETON):
            continue  # the skeleton already makes them one
        start = word.find(wrong)
        while start >= 0:
            out.add(word[:start] + right + word[start + len(wrong) :])
            start = word.find(wrong, start + 1)
    return out


def _case_like(word: str, model: str) -> str:
    """``word`` in the case style of ``model``: all capitals, capitalised, or lower case."""
    letters = [ch for ch in model if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) >= 0.7 * len(letters) and len(letters) > 1:
        return word.upper()
    if model[:1].isupper() or (letters and letters[0].isupper()):
        return word.capitalize()
    return word
