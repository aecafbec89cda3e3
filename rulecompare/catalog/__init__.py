"""The catalog: which agreements belong together, which blocs act as one party, and short names.

Researchers ask about "the US's agreements", "the EU's agreements" or "China's
FTAs with Belt and Road partners", and type `nafta` or `us-peru` rather than
`tota:112`. None of that is in the treaty texts, and sources disagree on how to
write it down (ToTA lists the EU's member states one by one, other sources
write "EU"). The catalog holds that knowledge in small files a user can edit
(``agreements/``: blocs with dates of joining and leaving, APEC economies,
family rules, aliases, the country table) and applies it to
:class:`~rulecompare.model.Agreement` records, so that the rest of the code
never hard-codes a country list.

The package keeps loading apart from use: :mod:`.load` reads the files
(:mod:`.countries` the country table, :mod:`.files` the data folder),
:mod:`.records` is what a loaded catalog knows and does, :mod:`.names` makes
names comparable, and :mod:`.resolve` turns a forgiving name into an
agreement id. :mod:`.desta` links each stored agreement to its DESTA number
(and WTO RTA id), so that results join with the hand-coded datasets. What
each agreement is and when it counts: :mod:`.rtalists` reads the WTO and
DESTA lists, :mod:`.roles` the scopes and succession links
(``agreements/roles.csv`` and the WTO card), :mod:`.binding` says which pairs
of countries an agreement binds, :mod:`.standing` applies all of it on a
day, :mod:`.completeness` flags texts cut short, and :mod:`.stored` puts
the store's texts through the same rules.
"""

from __future__ import annotations

from ..paths import METADATA_ENV
from .countries import Country, load_countries
from .desta import DestaLink, DestaTreaty, crosswalk, crosswalk_frame, load_desta_treaties, store_crosswalk
from .load import family_counts, load_catalog
from .names import normalize
from .records import BLOCS_ACTING_AS_ONE, Bloc, Catalog, Family, Membership, name_aliases
from .resolve import AMBIGUITY_MARGIN, MIN_SCORE, resolve, resolve_many
from .roles import SCOPES, Role, Roles, Scope, load_roles, scope_from_card
from .rtalists import load_desta, load_wto_rtas
from .standing import DEFAULT_EXCLUDED, INCLUDABLE, Selection, parse_include
from .stored import StoredTexts, stored_texts

__all__ = [
    "AMBIGUITY_MARGIN",
    "BLOCS_ACTING_AS_ONE",
    "DEFAULT_EXCLUDED",
    "INCLUDABLE",
    "METADATA_ENV",
    "MIN_SCORE",
    "SCOPES",
    "Bloc",
    "Catalog",
    "Country",
    "DestaLink",
    "DestaTreaty",
    "Family",
    "Membership",
    "Role",
    "Roles",
    "Scope",
    "Selection",
    "StoredTexts",
    "crosswalk",
    "crosswalk_frame",
    "family_counts",
    "load_catalog",
    "load_countries",
    "load_desta",
    "load_desta_treaties",
    "load_roles",
    "load_wto_rtas",
    "name_aliases",
    "normalize",
    "parse_include",
    "resolve",
    "resolve_many",
    "scope_from_card",
    "store_crosswalk",
    "stored_texts",
]
