"""Name resolution: the agreement a forgiving name means (``nafta``, ``us-peru``, "US Peru FTA").

It runs on every CLI call, so the lookup tables for one agreements table are
built once (:func:`_build_index`) and reused while the table and the catalog
stay the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from ..errors import AmbiguousNameError, NotFoundError
from .load import load_catalog
from .names import key, normalize
from .records import Catalog, name_aliases

__all__ = [
    "AMBIGUITY_MARGIN",
    "MIN_SCORE",
    "Party",
    "agreements_with_party",
    "resolve",
    "resolve_many",
    "resolve_party",
]


@dataclass(frozen=True)
class _Index:
    """Lookup tables for one agreements table, built once per table."""

    ids: tuple[str, ...]
    names: dict[str, str]
    prefer: dict[str, str]
    """id -> the id to report instead (the English text of the same agreement)."""
    tiers: tuple[dict[str, tuple[str, ...]], ...]
    """Exact keys, strongest first: curated aliases, names and their acronyms, stored aliases."""
    choices: tuple[str, ...]
    choice_ids: tuple[str, ...]
    ids_casefold: dict[str, str]


def _column(df: pd.DataFrame, name: str) -> list[str]:
    if name not in df.columns:
        return [""] * len(df)
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v) for v in df[name]]


_Keys = dict[str, list[str]]
"""Lookup key (:func:`~.names.key`) -> agreement ids, in the order they were added."""


def _add(table: _Keys, text: str, agreement_id: str) -> None:
    k = key(text)
    if k and agreement_id not in table.setdefault(k, []):
        table[k].append(agreement_id)


def _preferred(ids: list[str], names: list[str], langs: list[str], dates: list[str]) -> dict[str, str]:
    """id -> the id to report: of the same agreement in several languages (same name, same day of
    signature; ToTA's TPP in English and Spanish), the English text."""
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for i, n, lang, d in zip(ids, names, langs, dates, strict=True):
        groups.setdefault((key(n), d[:10]), []).append((i, lang))
    prefer = {}
    for members in groups.values():
        best = next((i for i, lang in members if lang == "en"), members[0][0])
        for i, _ in members:
            prefer[i] = best
    return prefer


def _duplicates(ids: list[str], duplicate_of: list[str]) -> dict[str, str]:
    """id -> the agreement it duplicates, when that one is in the table: a name that fits both (a user's
    own copy of a ToTA text) means the one analyses count; the copy is reached by its id."""
    present = set(ids)
    return {i: d for i, d in zip(ids, duplicate_of, strict=True) if d and d in present and d != i}


def _curated(alias_table: Mapping[str, str], present: set[str]) -> tuple[_Keys, dict[str, list[str]]]:
    """Keys of the curated aliases of the agreements present, and each agreement's curated aliases."""
    keys: _Keys = {}
    of: dict[str, list[str]] = {}
    for alias, target in alias_table.items():
        if target in present:
            _add(keys, alias, target)
            of.setdefault(target, []).append(alias)
    return keys, of


def _own_names(agreement_id: str, name: str, stored: str, by_name: _Keys, by_stored: _Keys) -> list[str]:
    """Add an agreement's name, the aliases read off it, and its stored aliases to their key tables;
    return them all, name first."""
    generated = name_aliases(name)
    kept = [a for a in (x.strip() for x in stored.split(";")) if a]
    for text in (name, *generated):
        _add(by_name, text, agreement_id)
    for text in kept:
        _add(by_stored, text, agreement_id)
    return [name, *generated, *kept]


def _build_index(df: pd.DataFrame, catalog: Catalog) -> _Index:
    """Lookup tables in three steps: the language versions to merge, the exact keys of each tier,
    and the normalized texts fuzzy matching searches (each agreement's, without repeats)."""
    ids = _column(df, "id")
    names = _column(df, "name")
    curated, curated_of = _curated(catalog.alias_table, set(ids))
    by_name: _Keys = {}
    by_stored: _Keys = {}
    choices: list[str] = []
    choice_ids: list[str] = []
    for i, n, stored in zip(ids, names, _column(df, "aliases"), strict=True):
        texts = [*_own_names(i, n, stored, by_name, by_stored), *curated_of.get(i, ())]
        for t in dict.fromkeys(normalize(t) for t in texts):
            choices.append(t)
            choice_ids.append(i)
    return _Index(
        ids=tuple(ids),
        names=dict(zip(ids, names, strict=True)),
        prefer=_preferred(ids, names, _column(df, "language"), _column(df, "date_signed"))
        | _duplicates(ids, _column(df, "duplicate_of")),
        tiers=tuple({k: tuple(v) for k, v in t.items()} for t in (curated, by_name, by_stored)),
        choices=tuple(choices),
        choice_ids=tuple(choice_ids),
        ids_casefold={i.casefold(): i for i in ids},
    )


_INDEX_CACHE: dict[int, tuple[tuple[object, ...], _Index]] = {}


def _index_for(df: pd.DataFrame, catalog: Catalog) -> _Index:
    # Keyed by the table's content, not its identity: a re-read table reuses the index,
    # a changed one (new agreements, new aliases) gets a new one.
    fingerprint = (
        catalog.digest, *_column(df, "id"), *_column(df, "name"), *_column(df, "aliases"),
        *_column(df, "duplicate_of"),
    )  # fmt: skip
    slot = hash(fingerprint)
    hit = _INDEX_CACHE.get(slot)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    index = _build_index(df, catalog)
    if len(_INDEX_CACHE) >= 8:
        _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
    _INDEX_CACHE[slot] = (fingerprint, index)
    return index


MIN_SCORE = 75.0
"""Fuzzy scores (0-100) below this are no match."""
AMBIGUITY_MARGIN = 4.0
"""A runner-up within this many points of the best candidate makes a name ambiguous."""


def _dedupe(index: _Index, ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(index.prefer.get(i, i) for i in ids))


def resolve(query: str, agreements: pd.DataFrame, *, limit: int = 5) -> str:
    """The id of the agreement a forgiving name means.

    Tried in order: the id itself (``tota:112``); a curated alias (``nafta``,
    ``korus``); an agreement's name or trailing acronym; a stored alias (the
    ``aliases`` column, e.g. ``peru-us``); then fuzzy matching over all of
    those. Names are compared after :func:`normalize`, without regard to word
    order ("US Peru" finds "US - Peru"). The same agreement in several
    languages counts once, as its English text.

    Raises :class:`AmbiguousNameError` (up to ``limit`` candidates, best
    first) when several agreements fit about equally well, and
    :class:`NotFoundError` naming the closest agreements when none fits.
    """
    q = query.strip()
    if not q:
        raise NotFoundError("empty agreement name")
    if agreements.empty:
        raise NotFoundError(f"no agreement matches '{q}': the store holds no agreements")
    index = _index_for(agreements, load_catalog())
    named = _exact_id(q, index) or _by_key(q, index, limit)
    if named is not None:
        return named
    ranked = _fuzzy(normalize(q), index)
    if not ranked or ranked[0][1] < MIN_SCORE:
        closest = "; ".join(f"{index.names[i]} ({i})" for i, _ in ranked[:3])
        raise NotFoundError(f"no agreement matches '{q}'" + (f"; closest: {closest}" if closest else ""))
    best = ranked[0][1]
    close = [(i, s) for i, s in ranked if s >= best - AMBIGUITY_MARGIN]
    if len(close) > 1:
        raise AmbiguousNameError(q, [(i, index.names[i], round(s, 1)) for i, s in close[:limit]], len(close))
    return ranked[0][0]


def _exact_id(q: str, index: _Index) -> str | None:
    """The id itself, any case; or an imported file's id without its prefix (`my` for file:my,
    `china-pakistan-fta` for the text ingested with --name "China-Pakistan FTA")."""
    exact_id = index.ids_casefold.get(q.casefold())
    if exact_id is None and ":" not in q:
        exact_id = index.ids_casefold.get(f"file:{q.casefold()}")
    return exact_id


def _by_key(q: str, index: _Index, limit: int) -> str | None:
    """The one agreement an alias, a name or a party's name alone fits; ambiguous when several fit."""
    wanted = key(q)
    for n, tier in enumerate(index.tiers):
        # A curated alias names its agreement exactly (``tpp-es``); other keys may hit a translation.
        found = list(tier.get(wanted, ())) if n == 0 else _dedupe(index, tier.get(wanted, ()))
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousNameError(q, [(i, index.names[i], 100.0) for i in found[:limit]], len(found))
    by_party = _of_party(q, index)
    if len(by_party) > 1:
        # A country's name alone ("georgia") fits every agreement it signed: fuzzy matching would
        # pick one by the length of its name.
        raise AmbiguousNameError(q, [(i, index.names[i], 100.0) for i in by_party[:limit]], len(by_party))
    return by_party[0] if by_party else None


def _of_party(query: str, index: _Index) -> list[str]:
    """When ``query`` is a party's name or code alone, the agreements whose name names it, in table order."""
    party = _party_names(load_catalog()).get(key(query))
    if party is None:
        return []
    catalog = load_catalog()
    short = catalog.countries[party.code].short if party.code in catalog.countries else party.code
    words = {normalize(w) for w in (short.replace("-", " "), party.name, party.code) if w}
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w) + r")\b"
    )
    return _dedupe(index, (i for i in index.ids if pattern.search(normalize(index.names[i]))))


def _fuzzy(q: str, index: _Index) -> list[tuple[str, float]]:
    """Agreement ids with their best fuzzy score, best first (ties by order in the table)."""
    scores: dict[str, float] = {}
    for _, score, pos in process.extract(q, index.choices, scorer=fuzz.WRatio, limit=None):
        aid = index.prefer.get(index.choice_ids[pos], index.choice_ids[pos])
        if score > scores.get(aid, -1.0):
            scores[aid] = float(score)
    order = {i: n for n, i in enumerate(index.ids)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order.get(kv[0], 0)))


def resolve_many(queries: Sequence[str], agreements: pd.DataFrame) -> list[str]:
    """:func:`resolve` for each name, in order; the first name that fails raises."""
    return [resolve(q, agreements) for q in queries]


# -- parties ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Party:
    """A party as a filter means it: a country (ISO3) or a bloc that can be a party as one (EU, ASEAN)."""

    code: str
    """ISO3 code, or the bloc's code (``EU``, ``ASEAN``, ``MERCOSUR``)."""
    name: str
    bloc: bool
    """True for a bloc: its agreements are those it is a party to as one (see :meth:`Catalog.blocs_in`)."""


def _party_names(catalog: Catalog) -> dict[str, Party]:
    """Every way of writing a party the catalog knows, as a :func:`key`, to the party: codes, short
    names, English names, the WTO's and the treaty texts' spellings; blocs by code and name."""
    out: dict[str, Party] = {}
    for c in catalog.countries.values():
        if c.iso3 in catalog.blocs:
            continue
        party = Party(c.iso3, c.name, False)
        for text in (c.iso3, c.short, c.name, *c.wto_names, *c.text_names):
            out.setdefault(key(text), party)
    for b in catalog.blocs.values():
        party = Party(b.code, b.name, True)
        for text in (b.code, b.name):
            out[key(text)] = party
    eu = catalog.blocs.get("EU")
    if eu is not None and "EU" in catalog.countries:
        for text in (catalog.countries["EU"].name, *catalog.countries["EU"].text_names):
            out[key(text)] = Party(eu.code, eu.name, True)
    return out


def resolve_party(query: str) -> Party:
    """The country or bloc a ``--party`` value means: an ISO3 code (``CHN``), a country's name in the
    spellings of the country table ("China", "People's Republic of China", "South Korea"), or a
    bloc's code or name (``EU``, "European Union", ``ASEAN``).

    Raises :class:`NotFoundError` saying what is expected, with the closest names, when none fits.
    """
    q = query.strip()
    catalog = load_catalog()
    if not q:
        raise NotFoundError("empty party: give an ISO3 code (CHN), a country's name or a bloc (EU, ASEAN)")
    code = q.upper()
    if code in catalog.blocs:
        bloc = catalog.blocs[code]
        return Party(bloc.code, bloc.name, True)
    if code in catalog.countries:
        return Party(code, catalog.countries[code].name, False)
    names = _party_names(catalog)
    found = names.get(key(q))
    if found is not None:
        return found
    close = process.extract(normalize(q), list(names), scorer=fuzz.WRatio, limit=12)
    suggestions = list(dict.fromkeys(f"{names[k].name} ({names[k].code})" for k, _, _ in close))[:3]
    hint = f"; closest: {'; '.join(suggestions)}" if suggestions else ""
    raise NotFoundError(
        f"'{q}' is not a party: give an ISO3 code (CHN), a country's name (China) or a bloc "
        f"({', '.join(sorted(catalog.blocs))}){hint}"
    )


def agreements_with_party(agreements: pd.DataFrame, party: Party) -> list[str]:
    """The ids of the agreements (a ``Store.agreements()`` frame) ``party`` is a party to.

    A country is a party when it is listed, or when a bloc it belonged to on the day of signature is
    (Germany in CETA, signed by the EU); a bloc when it is a party as one (its code is listed, or its
    members of the day are and it acts as one: EU - Korea, whose ToTA record lists the member states).
    """
    from ..store import row_to_agreement

    catalog = load_catalog()
    ids = []
    for row in agreements.to_dict("records"):
        a = row_to_agreement(row)
        if party.bloc:
            hit = party.code in catalog.blocs_in(a)
        else:
            listed = {*a.parties, *a.parties_original}
            hit = party.code in listed or party.code in catalog.expand_parties(
                listed, a.date_signed or a.date_in_force
            )
        if hit:
            ids.append(a.id)
    return ids
