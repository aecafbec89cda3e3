"""Reading the opening of an article's text when its titles say nothing (docs/TAXONOMY.md).

The first 300 characters are scanned for cue phrases in one precompiled
alternation; the cue found earliest wins, except that an institution counts
first only when it opens the article.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["TEXT_CUES", "cooperation_field", "text_area"]

# Phrases that, near the start of an article, say what it is about. Order is
# irrelevant: the phrase found earliest in the text wins.
TEXT_CUES: dict[str, tuple[str, ...]] = {
    "preamble": (
        r"preamble",
        r"preambulo",
        r"desirous of",
        r"desiring",
        r"deseosos de",
        r"resolved to",
        r"of the one part",
        r"have agreed as follows",
        r"in their desire",
        r"han convenido",
        r"considerando",
    ),
    "final_provisions": (
        r"in witness whereof",
        r"en fe de lo cual",
        r"done at",
        r"hecho en",
        r"shall enter into force",
        r"entrara en vigor",
        r"may accede",
        r"may withdraw from",
        r"denounce",
        r"depositary",
        r"equally authentic",
        r"amendments? to this agreement",
        r"shall remain in force",
        r"come into force",
        r"done in",
        r"accede",
        r"enters? into force",
        r"integral part",
        r"equally valid",
        r"faisant foi",
        r"entrera en vigueur",
        r"shall apply[^.]{0,40}to the territor",
        r"fields not covered",
    ),
    "initial_provisions": (
        r"establish(?:es)? a free trade area",
        r"the objectives? of this agreement",
        r"for the purposes? of this agreement[^.]{0,40}\bmeans?\b",
        r"zona de libre comercio",
        r"los objetivos del presente",
        r"shall replace (?:the )?provisions",
        r"replace the provisions",
        r"shall not affect",
        r"references in the",
        r"customs unions?(?:,| or| and) free[- ]trade areas?",
    ),
    "rules_of_origin": (
        r"rules of origin",
        r"originating products",
        r"originating goods",
        r"concept of .originating",
        r"normas de origen",
        r"reglas de origen",
        r"productos originarios",
        r"totalmente originarios",
        r"certificate of origin",
    ),
    "goods_market_access": (
        r"customs dut(?:y|ies)",
        r"charges? having (?:an )?(?:effect )?equivalent",
        r"quantitative restrictions?",
        r"internal tax(?:es|ation)",
        r"tariff",
        r"agricultural products",
        r"import duties",
        r"export duties",
        r"derechos aduaneros",
        r"gravamenes",
        r"aranceles",
        r"restricciones no arancelarias",
        r"national treatment",
        r"internal fiscal",
        r"union douaniere",
        r"tarif exterieur commun",
        r"politique commerciale",
        r"droits de douane",
        r"regime commercial",
        r"fiscal (?:character|nature)",
        r"domestic taxes",
        r"like products",
        r"agricultural policy",
        r"export control",
        r"dut(?:y|ies)",
    ),
    "customs_trade_facilitation": (
        r"customs administration",
        r"customs procedures",
        r"freedom of transit",
        r"free transit",
        r"transit",
        r"trade facilitation",
        r"customs co-?operation",
        r"cooperation douaniere",
    ),
    "trade_remedies": (
        r"dumping",
        r"safeguard",
        r"countervailing",
        r"serious injury",
        r"increased quantities",
        r"increase in imports",
        r"seriously detrimental",
        r"salvaguardia",
    ),
    "sps": (r"sanitary", r"phytosanitary", r"sanitarias"),
    "tbt": (r"technical regulations", r"standards and conformity", r"technical barriers"),
    "state_enterprises_subsidies": (
        r"state aid",
        r"state monopol",
        r"subsid",
        r"public undertakings",
        r"public enterprises",
        r"state trading",
    ),
    "competition": (
        r"competition",
        r"restrictive business practices",
        r"concerted practices",
        r"anti-?competitive",
        r"dominant position",
        r"competencia",
        r"unfair business practices",
        r"concurrence",
        r"agreements between (?:enterprises|undertakings)",
    ),
    "government_procurement": (
        r"public procurement",
        r"government procurement",
        r"contratacion publica",
        r"invitation to tender",
    ),
    "intellectual_property": (r"intellectual property", r"propiedad intelectual"),
    "regulatory_cooperation": (
        r"statisti",
        r"rapprochement des legislations",
        r"harmonisation des legislations",
        r"approximation of (?:laws|legislation)",
    ),
    "development": (
        r"poverty",
        r"least[- ]developed",
        r"development co-?operation",
        r"financial and technical co-?operation",
        r"social cohesion",
        r"moins-values de recettes",
        r"compensation (?:of|for) (?:the )?(?:loss|losses) of (?:customs )?revenue",
        r"fonds de (?:compensation|cooperation|developpement)",
        r"fonds structurels",
    ),
    "capital_payments": (
        r"payments?",
        r"capital movements?",
        r"movement of capital",
        r"balance[- ]of[- ]payments",
        r"pagos",
    ),
    "services": (r"trade in services", r"services", r"establishment", r"servicios"),
    "investment": (r"investments?", r"inversion"),
    "exceptions": (
        r"essential security interests",
        r"nothing in this agreement shall (?:prevent|preclude|be construed)",
        r"public morals",
        r"general exceptions",
        r"public policy or public security",
        r"vital interests",
        r"shall not preclude",
        r"arbitrary or unjustifi(?:able|ed) discrimination",
    ),
    "dispute_settlement": (r"disputes?", r"arbitra", r"controversias?", r"cour de justice"),
    "institutions": (
        r"joint committee",
        r"joint council",
        r"council of ministers",
        r"the committee shall",
        r"comision administradora",
        r"consejo",
        r"secretariat",
        r"association council",
        r"co-?operation council",
        r"council shall",
        r"budget\b",
        r"la conference des chefs",
        r"la cour des comptes",
    ),
    "cooperation": (
        r"economic co-?operation",
        r"co-?operation",
        r"cooperacion",
        r"trade representati",
        r"trade fairs",
        r"politiques? economiques?",
        r"economic polic(?:y|ies)",
    ),
    "transparency": (r"publish", r"transparency", r"publicar"),
}
# One alternation anchored at word starts: with lowercased input and no
# IGNORECASE flag this is some ten times faster than the naive pattern.
_TEXT_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<a{i}>{'|'.join(cues)})" for i, cues in enumerate(TEXT_CUES.values())) + ")"
)
_TEXT_GROUPS = {f"a{i}": key for i, key in enumerate(TEXT_CUES)}
_TEXT_WINDOW = 300
# Accent stripping by table: NFKD on every text would cost more than the scan.
_DEACCENT = {
    c: unicodedata.normalize("NFKD", chr(c))[0]
    for c in range(0xC0, 0x180)
    if unicodedata.normalize("NFKD", chr(c)) != chr(c)
}


_OPENING_NOUNS = re.compile(
    r"\W*(?:\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\s*)*(?:the\s+|a\s+|an\s+|el\s+|la\s+|le\s+|les\s+|los\s+|las\s+)?"
    r"(?:[\w-]+\s+){0,4}"
)
"""The words that open an article before a cue: a label, an article and at most four words."""
_SUBJECT_ONLY = frozenset({"institutions"})
"""Areas whose cues count only as the subject that opens the article ("The Joint Committee shall ..."):
an institution mentioned in passing ("... shall notify the Joint Committee") is not the topic."""


_BARE_COOPERATION = frozenset({"cooperation", "co-operation", "cooperacion"})
"""The word "cooperation" alone is the broad area: a field named after it ("administrative cooperation
is essential for the implementation of the rules of origin", "cooperation in the field of
statistics") takes its own area (docs/LABELLING.md 2.1, rule 9; TAXONOMY.md step 3)."""
_FIELD_REACH = 80
"""How far after "cooperation" a field is looked for: the same phrase, not the rest of the article."""


def text_area(text: str) -> str | None:
    """Area of the cue found earliest in the opening of an article's text.

    Cues of institutions count first only when they open the article ("The
    Stabilisation and Association Council shall ..."); further on ("the Joint
    Committee must be informed of a case of dumping") they are mentions, and any
    other cue decides before them.
    """
    window = text[:_TEXT_WINDOW].lower().translate(_DEACCENT)
    mentioned: str | None = None
    for m in _TEXT_RE.finditer(window):
        area = _TEXT_GROUPS[m.lastgroup] if m.lastgroup else None
        if area is None:
            continue
        if area in _SUBJECT_ONLY and not _OPENING_NOUNS.fullmatch(window, 0, m.start()):
            mentioned = mentioned or area
            continue
        if m.group(0) in _BARE_COOPERATION:
            return _cooperation_field(window, m.end()) or area
        return area
    return mentioned  # an institution mentioned in passing, when the opening names nothing else


_COOPERATE = re.compile(r"\b(?:co-?operat\w*|cooperacion|cooperar\w*)")


def cooperation_field(text: str) -> str | None:
    """The area of the field the opening of a text names for its cooperation, if any.

    "co-operation, particularly in customs administration" is customs;
    "The Parties shall cooperate" with no field named is None.
    """
    window = text[:_TEXT_WINDOW].lower().translate(_DEACCENT)
    m = _COOPERATE.search(window)
    return _cooperation_field(window, m.end()) if m else None


def _cooperation_field(window: str, end: int) -> str | None:
    """The area of the field named just after the word "cooperation", if any."""
    for m in _TEXT_RE.finditer(window, end, end + _FIELD_REACH):
        area = _TEXT_GROUPS[m.lastgroup] if m.lastgroup else None
        if area is not None and area not in _SUBJECT_ONLY and area != "cooperation":
            return area
    return None
