"""The policy areas themselves, read from ``areas.toml`` and checked when the package is imported.

What an area is called, what belongs to it, where it comes from in the
literature, and which title keywords point to it are data a reviewer reads and
edits, so they live in ``areas.toml`` beside this module (shipped in the
wheel) rather than in code. A mistake in that file (a misspelt field, one
keyword given to two areas, an area the :data:`PolicyArea` literal does not
list) stops the import with a message naming the file and the area, instead
of silently changing how clauses are classified.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Literal, get_args

from ..errors import RulecompareError
from ..model import UNCLASSIFIED
from .normalize import normalize_title

__all__ = [
    "AREAS",
    "AREAS_FILE",
    "AreaInfo",
    "AreasError",
    "PolicyArea",
    "area_keys",
    "markdown_table",
    "parse_areas",
]

AREAS_FILE = "areas.toml"
"""The data file, inside the ``rulecompare.taxonomy`` package."""

PolicyArea = Literal[
    "preamble",
    "initial_provisions",
    "goods_market_access",
    "rules_of_origin",
    "customs_trade_facilitation",
    "sps",
    "tbt",
    "trade_remedies",
    "services",
    "financial_services",
    "telecommunications",
    "movement_of_persons",
    "investment",
    "capital_payments",
    "competition",
    "state_enterprises_subsidies",
    "government_procurement",
    "intellectual_property",
    "e_commerce",
    "labour",
    "environment",
    "sustainable_development",
    "energy",
    "smes",
    "development",
    "regulatory_cooperation",
    "transparency",
    "justice_security",
    "cooperation",
    "dispute_settlement",
    "institutions",
    "exceptions",
    "final_provisions",
    "unclassified",
]
"""Key of a policy area; ``"unclassified"`` when titles and text match none.

It lists the tables of ``areas.toml`` in their order (so that mypy knows the
keys); the import fails when the two disagree.
"""


class AreasError(RulecompareError):
    """``areas.toml`` is malformed; the message names the file, the area and the problem."""


@dataclass(frozen=True, slots=True)
class AreaInfo:
    """One policy area of the taxonomy."""

    key: str
    """Short snake_case key stored on every clause."""
    label: str
    """Human-readable name for tables and plots."""
    description: str
    """What belongs to the area."""
    reference: str
    """Where the area comes from: DTA policy area, HMS WTO+ / WTO-X area, or structural."""
    aliases_en: tuple[str, ...] = ()
    """English title keywords; each matches a title containing it at a word start."""
    aliases_es: tuple[str, ...] = ()
    """Spanish title keywords."""
    aliases_fr: tuple[str, ...] = ()
    """French title keywords."""

    @property
    def aliases(self) -> tuple[str, ...]:
        """All title keywords, English first."""
        return self.aliases_en + self.aliases_es + self.aliases_fr


_TEXT_FIELDS = ("label", "description", "reference")
_ALIAS_FIELDS = ("aliases_en", "aliases_es", "aliases_fr")
_KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _text(source: str, key: str, spec: Mapping[str, object], name: str) -> str:
    value = spec.get(name)
    if not isinstance(value, str) or not value.strip():
        raise AreasError(f"{source}: area '{key}' needs a non-empty text '{name}'")
    return value


def _aliases(source: str, key: str, spec: Mapping[str, object], name: str) -> tuple[str, ...]:
    value = spec.get(name, [])
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise AreasError(f"{source}: area '{key}': '{name}' must be a list of texts")
    for alias in value:
        if not normalize_title(alias.rstrip("*")):
            raise AreasError(f"{source}: area '{key}': keyword {alias!r} is empty once normalized")
    return tuple(value)


def _area(source: str, key: str, spec: object) -> AreaInfo:
    if not isinstance(spec, dict):
        raise AreasError(f"{source}: '{key}' must be a table ([{key}]) describing an area")
    if not _KEY.fullmatch(key):
        raise AreasError(f"{source}: area key '{key}' is not snake_case")
    unknown = sorted(set(spec) - {*_TEXT_FIELDS, *_ALIAS_FIELDS})
    if unknown:
        known = ", ".join((*_TEXT_FIELDS, *_ALIAS_FIELDS))
        raise AreasError(f"{source}: area '{key}' has unknown keys {unknown} (known: {known})")
    label, description, reference = (_text(source, key, spec, f) for f in _TEXT_FIELDS)
    en, es, fr = (_aliases(source, key, spec, f) for f in _ALIAS_FIELDS)
    return AreaInfo(key, label, description, reference, en, es, fr)


def _check_keywords(source: str, areas: Mapping[str, AreaInfo]) -> None:
    """One keyword, compared normalized, belongs to one area and is listed once per language.

    The same word in two languages of one area is fine ("agriculture" is
    English and French); in two areas it would make the keyword scan's
    answer depend on the order of the file.
    """
    owner: dict[str, str] = {}
    for key, info in areas.items():
        for field in _ALIAS_FIELDS:
            seen: set[str] = set()
            for alias in getattr(info, field):
                word = normalize_title(alias.rstrip("*"))
                if word in seen:
                    raise AreasError(f"{source}: area '{key}' lists keyword {alias!r} twice in {field}")
                seen.add(word)
                first = owner.setdefault(word, key)
                if first != key:
                    raise AreasError(
                        f"{source}: keyword {alias!r} belongs to two areas, '{first}' and '{key}'"
                    )


def parse_areas(
    text: str, source: str = AREAS_FILE, *, keys: Sequence[str] | None = None
) -> dict[str, AreaInfo]:
    """The areas described by the TOML ``text``, checked, in the order of the file.

    Raises :class:`AreasError` for a file that is not TOML, an area with an
    unknown or missing field, a keyword that is empty once normalized or
    that two areas share, a residual area ``"unclassified"`` that is missing
    or not last, and, when ``keys`` is given, areas other than exactly
    ``keys`` in that order.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AreasError(f"{source}: not valid TOML ({exc})") from None
    areas = {key: _area(source, key, spec) for key, spec in raw.items()}
    _check_keywords(source, areas)
    if list(areas)[-1:] != [UNCLASSIFIED]:
        raise AreasError(f"{source}: the residual area '{UNCLASSIFIED}' must be defined, and last")
    if keys is not None and tuple(areas) != tuple(keys):
        missing = [k for k in keys if k not in areas]
        extra = [k for k in areas if k not in keys]
        raise AreasError(
            f"{source} and the PolicyArea literal disagree: not in the file {missing}, "
            f"not in the literal {extra}" + ("" if missing or extra else ", or the order differs")
        )
    return areas


def _load() -> dict[str, AreaInfo]:
    text = resources.files(__package__ or "rulecompare.taxonomy").joinpath(AREAS_FILE).read_text("utf-8")
    return parse_areas(text, f"rulecompare/taxonomy/{AREAS_FILE}", keys=get_args(PolicyArea))


AREAS: dict[str, AreaInfo] = _load()
"""All policy areas, keyed by their key, in the order tables and plots show them."""


def area_keys() -> list[str]:
    """The area keys in their stable display order (``"unclassified"`` last)."""
    return list(AREAS)


def markdown_table(areas: Mapping[str, AreaInfo] | None = None) -> str:
    """The areas as the Markdown table of docs/TAXONOMY.md: key, label, description, reference."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = [
        "| key | label | what belongs there | reference |",
        "|---|---|---|---|",
        *(
            f"| `{a.key}` | {cell(a.label)} | {cell(a.description)} | {cell(a.reference)} |"
            for a in (AREAS if areas is None else areas).values()
        ),
    ]
    return "\n".join(rows) + "\n"
