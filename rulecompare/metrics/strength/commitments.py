"""Phrase tables of rule 6: the commitment phrases (docs/LABELLING.md 1.2, rule 6).

``MODAL`` holds the soft, permissive and binding phrases in one alternation,
in that order, so that at one position "shall endeavour" (soft) wins over the
bare "shall" (binding) and "may not" (binding) over "may" (permissive);
``QUALIFIER`` holds the qualifiers that soften a duty as a whole ("where
possible", "to the extent practicable").
"""

from __future__ import annotations

from .phrases import Phrases

__all__ = ["MODAL", "QUALIFIER"]

_SHALL = (
    r"\bshall(?:\s*,[^,;]{0,160},)?\s+(?:also\s+|jointly\s+|further\s+|each\s+|continue\s+to\s+"
    r"|actively\s+|mutually\s+|constantly\s+|closely\s+|progressively\s+|gradually\s+|regularly\s+)?"
)
_SOFT_VERB = (
    r"(?:co-?operate|collaborate|encourage|promote|foster|support|facilitate|explore|consider"
    r"|work\s+(?:together|jointly|closely)"
    r"|exchange\s+(?:views|information\s+and\s+views|experiences)|maintain\s+(?:a\s+)?dialogue|endeavou?r"
    r"|strive|seek|try"
    r"|strengthen|enhance\s+cooperation|develop\s+(?:and\s+\w+(?:\s+up)?\s+)?(?:their\s+)?co-?operation|intensify"
    r"|give\s+priority"
    r"|pay\s+(?:particular\s+)?attention"
    r"|give\s+(?:positive|sympathetic|due|favourable|favorable|full|careful|special)\s+consideration"
    r"|agree\s+on\s+(?:the\s+)?(?:necessary\s+)?(?:methods|modalities|forms)\s+of\s+co-?operation"
    r"|enhance\s+(?:their\s+)?(?:communication|dialogue|exchanges?|co-?operation|collaboration"
    r"|mutual\s+understanding))"
)
_SOFT = [
    ("soft:endeavour", _SHALL + r"(?:use\s+(?:its|their)\s+)?(?:best\s+)?endeavou?rs?\b"),
    ("soft:endeavour", r"\bendeavou?rs?\b"),
    (
        "soft:best-efforts",
        r"\bbest\s+(?:efforts?|endeavou?rs?)\b|\bevery\s+(?:possible\s+)?effort\b"
        r"|\ball\s+reasonable\s+efforts?\b",
    ),
    (
        "soft:efforts",
        r"\b(?:shall|will)(?:\s*,[^,;]{0,160},)?\s+(?:also\s+)?(?:make|use|exert|employ|deploy)\s+"
        r"(?:(?:every|all|its|their|his|her)\s+)?(?:best|possible|reasonable|every)?\s*(?:possible\s+)?"
        r"(?:efforts?|endeavou?rs?)\b",
    ),
    ("soft:strive", _SHALL + r"(?:strive|seek|try)\s+to\b|\bstrive\b|\bseeks?\s+to\b|\btry\s+to\b"),
    ("soft:cooperate", _SHALL + _SOFT_VERB + r"\b"),
    (
        "soft:facilitate-steps",
        _SHALL + r"take\s+(?:the\s+)?(?:necessary|appropriate|all\s+necessary|such)?\s*(?:steps|measures"
        r"|action)\s+to\s+"
        r"(?:facilitate|promote|encourage|foster|support)\b",
    ),
    (
        "soft:consideration",
        r"\bgive\s+(?:positive|sympathetic|due|favourable|favorable|full|careful|special)\s+consideration\b"
        r"|\bconsider\s+(?:any\s+)?requests?\b",
    ),
    (
        "soft:agree-to-cooperate",
        r"\b(?:agree|agrees|undertake|undertakes|commit\s+themselves|are\s+committed|decide"
        r"|decided)\s+to\s+(?:\w+ly\s+)?" + _SOFT_VERB + r"\b",
    ),
    ("soft:encouraged", r"\b(?:is|are|shall\s+be|will\s+be)\s+encouraged\b|\bencourages?\b"),
    ("soft:should", r"(?<!^)(?<!\)\s)\bshould\b(?!\s+(?:a|an|the|any|such|it|there|this|that|either|one)\b)"),
    ("soft:may-consider", r"\b(?:part(?:y|ies)|states?|signatories)\s+may\s+(?:wish\s+to\s+)?consider\b"),
    ("soft:will-cooperate", r"\bwill\s+" + _SOFT_VERB + r"\b"),
    ("soft:readiness", r"\bdeclare\s+(?:their|its)\s+readiness\b|\breadiness\b"),
    (
        "soft:recognise",
        r"\b(?:recogni[sz]e|recogni[sz]es|acknowledge|acknowledges|reaffirm|reaffirms|affirm|affirms"
        r"|confirm|confirms"
        r"|reiterate|reiterates|recall|recalls|reconfirm|reconfirms|share\s+the\s+(?:view|objective|goal"
        r"|understanding)|subscribe\s+to|express\s+(?:their|its))\b",
    ),
    ("soft:note", r"\b(?:parties|party)\s+(?:take\s+note|note|notes)\b"),
    ("soft:aim", r"\b(?:aim|aims|intend|intends)\s+to\b|\bwish\s+to\b|\bshall\s+aim\s+at\b"),
    (
        "soft:cooperation-scope",
        r"\b(?:co-?operation|assistance|activities|dialogue)\s+(?:[^.;:]{0,60}?\s)?(?:shall|will"
        r"|should)?\s*(?:also\s+)?(?:aim|include"
        r"|focus|cover|be\s+implemented|be\s+carried\s+out|be\s+based|concentrate|take\s+the\s+form"
        r"|involve|consist|be\s+conducted"
        r"|be\s+directed|be\s+evaluated|encompass|relate|seek|contribute|target|be\s+subject|comprise)\b"
        r"|\b(?:aims?|objectives?|purposes?)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?co-?operation\b"
        r"|\bco(?:-?operation|operaci[oó]n)\b[^.;:]{0,60}?\b(?:tiene|tendr[aá])\s+(?:como\s+)?(?:objetivo|objeto"
        r"|finalidad)\b"
        r"|\bco-?operation\s+(?:is|are|shall\s+be|will\s+be)\s+(?:\w+\s+)?aimed\b"
        r"|\bresources\s+for\s+(?:[\w\s-]{0,40}?)co-?operation\b|\bconcentrate\s+(?:their"
        r"|its)\s+co-?operation\b|\bagree\s+on\s+the\s+(?:necessary\s+)?(?:methods|modalities)\b",
    ),
    # Spanish and French
    (
        "soft:procurar",
        r"\bprocurar[aá]n?(?:\W|$)|\bse\s+esforzar[aá]n?(?:\W|$)|\bmejores\s+esfuerzos\b"
        r"|\bhar[aá]n?\s+(?:todo\s+)?lo\s+posible\b"
        r"|\bs'efforce(?:nt|ront)?\b|\bbuscar[aá]n?\s+(?=\w+[ae]r\b)",
    ),
    (
        "soft:reconocer",
        r"\breconocen?\b|\breafirman?\b|\bafirman?\b|\bconfirman?\b|\bcooperar[aá]n?(?:\W|$)"
        r"|\bcolaborar[aá]n?(?:\W|$)"
        r"|\bpromover[aá]n?(?:\W|$)|\balentar[aá]n?(?:\W|$)|\bfomentar[aá]n?(?:\W|$)"
        r"|\bfacilitar[aá]n?(?:\W|$)"
        r"|\bpodr[aá]n?\s+considerar\b|\bdeber[ií]an?\b|\bintercambiar[aá]n?\s+(?:opiniones"
        r"|puntos\s+de\s+vista|experiencias)"
        r"|\bse\s+comprometen\s+a\s+(?:promover|cooperar|fomentar|facilitar|alentar|impulsar)\b"
        r"|\bcoop[eè]rent\b|\bfavorisent\b|\bencouragent\b|\breconnaissent\b|\bdevrai(?:en)?t\b",
    ),
]
_PERMISSIVE = [
    (
        "permissive:entitled",
        r"\b(?:is|are|shall\s+be|will\s+be)\s+(?:entitled|free|allowed|permitted|authori[sz]ed)\s+to\b"
        r"|\b(?:retains?|reserves?|maintains?)\s+(?:the|its|their)\s+rights?\b|\b(?:has|have"
        r"|shall\s+(?:also\s+)?have)\s+the\s+right\s+to\b"
        r"|\bretains?\s+(?:its|their)\s+rights\s+and\s+obligations\b|\btendr[aá]n?\s+(?:el\s+)?derecho\b"
        r"|\bconserva(?:n|r[aá]n?)?\s+(?:el|su|sus)\s+derechos?\b|\bont\s+le\s+droit\b|\ba\s+la\s+facult[eé]\b",
    ),
]
_BINDING = [
    (
        "binding:may-only",
        r"\bmay\b[^.;]{0,80}?\bonly\s+(?:if|on\s+condition|where|when|in\s+accordance|to\s+the\s+extent"
        r"|for|after|with|be)\b"
        r"|\bmay\b[^.;]{0,120}?\bcases\s+only\b|\bs[oó]lo\s+podr[aá]n?\b"
        r"|\bpodr[aá]n?\s+[^.;]{0,60}?\bs[oó]lo\s+(?:si|cuando|en|de|despu[eé]s|con)\b",
    ),
    ("binding:no-party", r"\b(?:no|neither)\s+(?:\w+\s+){0,3}?(?:may|shall|can|will)\b"),
    ("binding:may-not", r"\bmay\s+not\b|\bcannot\b|\bcan\s+not\b|\bcan\s+no\s+longer\b"),
    ("binding:shall", r"\bshall\b"),
    ("binding:must", r"\bmust\b"),
    (
        "binding:undertake",
        r"\bundertakes?\b|\bcommit\s+themselves\s+to\b|\bcommits?\s+(?:itself|themselves)\b",
    ),
    (
        "binding:required",
        r"\b(?:is|are)\s+(?:required|obliged|bound|obligated)\s+to\b|\b(?:is"
        r"|are)\s+(?:hereby\s+)?prohibited\b",
    ),
    ("binding:agree", r"\bagrees?\s+(?:to|that)\b|\bunderstand\s+that\b"),
    (
        "binding:present-rule",
        r"\b(?:is|are)\s+(?:disregarded|deemed)\b|\b(?:is|are)\s+(?:considered|treated)\s+(?:as\s+"
        r"|to\s+be\s+)?(?:an?\s+)?"
        r"(?:originating|non-originating|wholly\s+obtained)",
    ),
    # other WTO rules made part of the agreement (the general exceptions are a carve-out, rule 4)
    (
        "binding:incorporated",
        r"\b(?:is|are)\s+(?:hereby\s+)?incorporated\s+into\b|\bse\s+incorporan?\s+(?:a|y|en)\b",
    ),
    ("binding:prevail", r"\b(?:shall\s+)?prevails?\s+to\s+the\s+extent\b"),
    ("binding:incompatible", r"\b(?:are|is|shall(?:\s*,[^,;]{0,80},)?\s+be)\s+incompatible\s+with\b"),
    ("binding:will", r"\bwill\b"),
    (
        "binding:deber",
        r"\bdeber[aá]n?(?:\W|$)|\bdeben?\s+(?=\w+[aei]r\b)|\bno\s+podr[aá]n?(?:\W|$)|\bningun[oa]\s+parte\b|\bse\s+obligan?\b"
        r"|\bse\s+comprometen?\b"
        r"|\bdoi(?:t|vent)\b|\bs'engage(?:nt)?\b|\bsont\s+tenus\b|\best\s+interdit\b",
    ),
]
_MAY = [("permissive:may", r"\bmay\b|\bcan\b|\bpodr[aá]n?(?:\W|$)|\bpeu(?:t|vent)\b")]
# Spanish treaties write "shall" as the future tense ("otorgará", "será"); tried last at a
# position, so that "podrá" (permissive) and "procurará" (soft) win over it.
_FUTURE = [
    ("binding:future", r"(?<![a-záéíóúñ])[a-záéíóúñ]{2,}rán?(?![a-záéíóúñ])"),
    (
        "binding:present-fr",
        r"\b(?:les\s+[ée]tats\s+membres|chaque\s+[ée]tat\s+membre|les\s+ressortissants|les\s+parties)\s+"
        r"(?:(?!peu|doi|s'eff)[\w'’]+\s+){0,5}?(?!peuvent|doivent|s'efforcent)(?:[\w'’]+ent|prend|assure"
        r"|veille|notifie"
        r"|communique|adopte|applique|informe|harmonise|transmet|met|accorde|garantit|s'abstient|s'engage)\b",
    ),
]
MODAL = Phrases(_SOFT + _PERMISSIVE + _BINDING + _MAY + _FUTURE)

QUALIFIER = Phrases(
    [
        (
            "soft:qualified",
            r"(?<!soon\s)(?<!quickly\s)(?<!promptly\s)(?<!early\s)\b(?:where|wherever|as|if|when|whenever)\s+"
            r"(?:possible|appropriate|practicable|feasible)\b(?!\s+(?:and|or)\s+(?:in|to)\b)"
            r"|\bto\s+the\s+(?:extent|degree)\s+(?:possible|practicable|feasible|appropriate)\b"
            r"|\bas\s+far\s+as\s+(?:may\s+be\s+)?(?:possible|practicable)\b"
            r"|\bin\s*so\s*far\s+as\s+(?:possible|practicable)\b"
            r"|\badministrative\s+resources\s+allowing\b|\bsubject\s+to\s+(?:the\s+)?(?:availability\s+of"
            r"|available)"
            r"\s+(?:resources|funds|funding)\b|\bwithin\s+(?:the\s+limits\s+of\s+)?(?:its"
            r"|their)\s+(?:available\s+)?"
            r"(?:resources|capacities|means)\b|\ben\s+la\s+medida\s+de\s+lo\s+posible\b|\bcuando\s+(?:sea"
            r"|resulte)\s+"
            r"(?:apropiado|procedente|posible|factible)\b|\bdans\s+la\s+mesure\s+du\s+possible\b"
            r"|\bsujetas?\s+a\s+la\s+disponibilidad\s+de\s+recursos\b",
        ),
    ]
)
