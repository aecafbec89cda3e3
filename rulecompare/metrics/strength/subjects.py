"""Who the subject of a clause is: the agreement's machinery, or a Party or authority acting on its own.

Rule 5a of docs/LABELLING.md 1.2 reads "shall" by its subject: an institution
of the agreement (a Joint Committee, a Council, a panel), a dispute-settlement
actor, or a Party named by its role in consultations or a dispute (the
requesting Party) makes the clause ``procedural``; a Party, a State or a
domestic authority (a customs authority, a national advisory committee) leaves
it to the commitment phrase (rule 6).
"""

from __future__ import annotations

import re

from .machinery import DOMESTIC, INSTITUTION
from .phrases import Hit

__all__ = ["dispute_party", "institution_subject"]


def institution_subject(subject: str) -> Hit | None:
    """An institution or dispute-settlement actor named in the subject, unless it is a domestic body."""
    hit = INSTITUTION.search(subject)
    if hit is None:
        return None
    domestic = DOMESTIC.search(subject)
    if (
        domestic is not None
        and domestic.start <= hit.start + 1
        and (domestic.name == "domestic:own-body" or domestic.end <= hit.start)
    ):
        head = subject[: hit.start]
        if domestic.name == "domestic:own-body" or not re.search(r"\b(?:of|to|by|from)\s+(?:the\s+)?$", head):
            return None
    return hit


_DISPUTE_PARTY = re.compile(
    r"\b(?:requesting|requested|notifying|consulted|consulting|complaining|responding)\s+part(?:y|ies)\b"
    r"|\bpart(?:y|ies)\s+(?:requesting|that\s+(?:requested|received\s+the\s+request))\b"
    r"|\bparte\s+(?:requirente|requerida|consultada|notificante)\b"
)
"""A Party named by its role in a request, which is dispute-settlement machinery in a dispute article."""
_DISPUTE_ARTICLE = re.compile(
    r"consultation|dispute|panel|arbitra|good\s+offices|mediat|conciliat|controversi|consulta"
)


def dispute_party(subject: str, area: str | None, article_title: str | None) -> Hit | None:
    """The subject is a Party in its role in consultations or a dispute ("the requesting Party shall ...").

    The same words name a Party asking for information under a cooperation
    article ("the requested Party shall respond promptly"), a Party's own
    duty: only an article on dispute settlement or consultations makes them
    the agreement's machinery (docs/LABELLING.md 1.2, rule 5a).
    """
    role = _DISPUTE_PARTY.search(subject)
    if role is None:
        return None
    if area != "dispute_settlement" and not _DISPUTE_ARTICLE.search((article_title or "").lower()):
        return None
    return Hit("procedural:dispute-party", role.start(), role.end(), role.group(0))
