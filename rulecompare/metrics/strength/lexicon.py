"""Phrase tables of rules 2-4 (preamble, definitions, carve-outs) and the fragments they share.

Each table is a list of ``(name, pattern)`` pairs in English, Spanish and
French, compiled into a :class:`~.phrases.Phrases`. The names are the cues
that ``rulecompare strength --explain`` prints. Patterns run on the lower-cased
clause with whitespace collapsed; accents are kept (Spanish futures such as
*otorgará* need them).
"""

from __future__ import annotations

from .phrases import Phrases

__all__ = [
    "CARVE_OUT",
    "DEFINITION",
    "DEFINITION_LEAD",
    "GAP",
    "MODAL_WORD",
    "NOUN_MEANS",
    "PREAMBLE",
]

# --- shared fragments -------------------------------------------------------------------

UNIT = (
    r"(?:agreement|chapter|section|sub-?section|article|annex|protocol|title|part|appendix|treaty"
    r"|convention|paragraph|subparagraph|sub-paragraph|schedule)"
)
"""A part of a text that a rule can refer to."""

REF = r"(?:\d+(?:[.\-]\d+)*(?:\s*\([a-z0-9]{1,4}\))*|[ivxlc]+\b|[a-z]\b|[a-z]+(?:-[a-z]+)?\b)"
"""The number of a part: 10.5, 3-04(5), XX, I, B, Ten."""

REFS = rf"{REF}(?:\s*(?:,|and|or|through|to|-|–)\s*{REF}){{0,6}}"
"""One reference or a range / list of them: "8.10 through 8.12", "29 to 33", "3 and 4"."""

OUTSIDE = (
    r"\s+of\s+(?:the\s+)?(?:gatt|gats|wto|trips|marrakesh|general\s+agreement|agreement\s+on|anti-?dumping"
    r"|scm|sps\s+agreement|tbt\s+agreement)"
)
"""What follows an article number that belongs to another treaty (the WTO's)."""

SELF_PART = rf"(?:this|the\s+present|these|such)\s+{UNIT}(?:es|s)?(?:\s+{REF})?"
PART_REF = rf"(?:{UNIT}(?:es|s)?\s+{REFS}(?!{OUTSIDE}))"
PROVISIONS = (
    rf"(?:the\s+)?(?:provisions?|obligations?|rights\s+and\s+obligations|disciplines)\s+(?:of|in|under"
    rf"|contained\s+in)\s+(?:{SELF_PART}|{PART_REF})"
)

MODAL_WORD = r"\b(?:shall|may|must|will|should|can|cannot|would|could)\b"
GAP = r"(?:[^.;:]|\.(?=\d))"
"""Any character of the same sentence ("10.5" does not end one)."""

# --- rule 2: preamble -------------------------------------------------------------------

PREAMBLE = Phrases(
    [
        (
            "preamble:title",
            r"^(?:the\s+)?(?:(?:free\s+trade\s+|interim\s+|association\s+|framework\s+)?agreement|treaty"
            r"|protocol|convention|preamble)\b(?:\s+(?:between|establishing|setting|creating|instituting"
            r"|on|among|for|of|concerning"
            r"|relating|to)\b|\s*$)(?![^.;]{0,100}\b(?:shall|may|will|is|are|enters?|appl(?:y|ies)|lays?"
            r"|sets?|forms?|contains?"
            r"|constitutes?|provides?|means?|refers?)\b)",
        ),
        (
            "preamble:recital",
            r"^(?:recogni[sz]ing|desiring|desirous|considering|conscious|resolved|determined|reaffirming"
            r"|affirming|acknowledging|noting|bearing\s+in\s+mind|wishing|aware|convinced|having\s+regard"
            r"|mindful|recalling|taking\s+(?:into|account|note)|emphasi[sz]ing|underlining|seeking|aiming"
            r"|inspired|anxious|believing|stressing|welcoming|whereas|encouraged|persuaded|guided"
            r"|reconociendo|considerando|deseando|decididos|conscientes|convencidos|reafirmando|resueltos"
            r"|teniendo\s+en\s+cuenta|conscients|considérant|désireux|reconnaissant|convaincus|résolus"
            r"|vu\s+l)\b",
        ),
        (
            "preamble:agreed",
            r"\b(?:have|has)\s+agreed\s+as\s+follows\b|\bhan\s+convenido\b|\bsont\s+convenus\b",
        ),
    ]
)

# --- rule 3: definitions ----------------------------------------------------------------

DEFINITION_LEAD = Phrases(
    [
        (
            "definition:for-the-purposes",
            rf"^(?:for\s+(?:the\s+)?purposes?\s+of|as\s+used\s+in|in)\s+(?:(?:this|the\s+present"
            rf"|these)\s+{UNIT}s?|{PART_REF})"
            r"(?:\s+and\s+[^,:;.]{1,60}?)?(?:\s*,\s*unless\s+the\s+context\s+otherwise\s+requires)?"
            r"\s*(?:,\s*the\s+following\s+(?:definitions|terms)[^:.;]{0,40})?\s*:",
        ),
        ("definition:following-definitions", r"\bthe\s+following\s+definitions\s+(?:shall\s+)?apply\b"),
        (
            "definition:para-efectos",
            r"^para\s+(?:los\s+)?(?:efectos|fines|prop[oó]sitos)\s+de(?:l)?\s+(?:este|esta|el\s+presente"
            r"|la\s+presente)"
            r"\s+\w+[^.:;]{0,80}?:",
        ),
        ("definition:aux-fins", r"^(?:aux\s+fins|au\s+sens)\s+du\s+présent\s+\w+[^.:;]{0,80}?:"),
    ]
)

DEFINE_VERB = (
    r"(?:means|mean|shall\s+mean|refers\s+(?:in\s+particular\s+|only\s+|exclusively\s+)?to|shall\s+refer\s+to|has\s+the\s+(?:same\s+)?meaning|have\s+the"
    r"\s+(?:same\s+)?meanings?|shall\s+have\s+the\s+(?:same\s+)?meaning|is\s+defined\s+as"
    r"|are\s+defined\s+as|shall\s+be\s+understood\s+(?:to\s+mean|as)"
    r"|se\s+entender[aá]n?\s+(?:por|como)|se\s+entiende\s+por|significa|significan|désigne|désignent"
    r"|s'entend)"
)
QUOTED = r"[“\"‘'«][^”\"’'»“‘«]{1,90}[”\"’'»]"
"""A quoted term: “measure”, ‘branch’, "goods"."""
INCLUDE_VERB = (
    r"(?:includes|include|shall\s+include|does\s+not\s+include|do\s+not\s+include|incluye|no\s+incluye"
    r"|comprende)"
)

DEFINITION = Phrases(
    [
        # "measure" means, (b) perishable goods mean, For the purposes of this Chapter, "X" refers to
        (
            "definition:term-means",
            r"(?:^|(?<=[;:]\s)|(?<=[;:]))(?:\(?[a-z0-9]{1,4}\)\s*)?(?:(?:for\s+(?:the\s+)?purposes?\s+of"
            r"|para\s+(?:los\s+)?efectos\s+de(?:l)?"
            r"|aux\s+fins\s+d[eu])\s+[^,:;]{1,160},\s*)?"
            r"(?:the\s+(?:term|expression|words?)s?\s+|(?:an?|the)\s+(?=[“\"‘'«]))?"
            r"[“\"‘'«]{0,2}[^.;:“\"‘'«”’»]{1,90}?[”\"’'»]{0,2},?\s+"
            rf"(?:\([^)]{{1,40}}\)\s+)?{DEFINE_VERB}\b",
        ),
        # "For purposes of this Section, investigating authority is: (a) for China, ..."
        (
            "definition:term-is",
            r"^for\s+(?:the\s+)?purposes?\s+of\s+[^,:;]{1,80},\s*(?:the\s+)?[a-z][a-z\s-]{1,40}?\s+(?:is|are)\s*:",
        ),
        # interpretation: "For purposes of this Article, proceedings are deemed to be initiated ..."
        (
            "definition:deemed",
            r"^for\s+(?:the\s+)?purposes?\s+of\s+[^,:;]{1,80},\s*[^,:;]{1,120}?\s+(?:is|are)\s+deemed\s+to"
            r"\s+(?!be\s+(?:an?\s+)?(?:originating|non-originating|wholly))",
        ),
        (
            "definition:understand-includes",
            r"\bunderstand\s+that\s+(?:sub)?(?:paragraph|article)\s+[\w().]+\s+(?:includes|covers)\b",
        ),
        (
            "definition:purposes-includes",
            r"^for\s+(?:the\s+)?purposes?\s+of\s+[^,:;]{1,80},\s*(?:the\s+)?[a-z][a-z\s-]{1,40}?\s+"
            r"(?:includes?|does\s+not\s+include|do\s+not\s+include)\b"
            r"|\bit\s+shall\s+be\s+understood\s+that\s+[^.;]{1,100}?\b(?:includes?|means?|refers?\s+to)\b",
        ),
        ("definition:term-includes", r"^[a-z][a-z\s-]{0,50}?\s+(?:includes|does\s+not\s+include)\b"),
        # a quoted term defined with "is" / "are": "“selective” tendering procedures are those ..."
        (
            "definition:quoted-is",
            r"^(?:(?:an?|the)\s+)?[“\"‘'«][^”\"’'»]{1,80}[”\"’'»]\s+(?:[a-z-]+\s+){0,3}?(?:is|are)\s+"
            r"(?:those|that|the|any|an?)\b",
        ),
        # definitions taken from elsewhere: "The definitions contained in Annex 1 of the TBT Agreement
        # shall apply to this Chapter", "Terms used in this Section are further explained in Annex XXIII"
        (
            "definition:incorporated",
            r"^(?:for\s+(?:the\s+)?purposes?\s+of\s+[^,:;]{1,120},\s*)?(?:the\s+|all\s+)?(?:(?:relevant"
            r"|following|other)\s+)?(?:definitions?|(?:general\s+)?terms\s+(?:used|concerning)|words)\b"
            r"[^.;:]{0,160}?\b(?:(?:shall|will)\s+(?:also\s+)?apply|apply|applies|(?:are|is|shall\s+be)"
            r"\s+incorporated|(?:shall\s+)?have\s+the\s+(?:same\s+)?meanings?|are\s+(?:further\s+)?(?:explained"
            r"|defined))\b",
        ),
        # an entry that opens with its quoted term, whatever stands between the term and its
        # defining verb: "‘branch’ of a company shall mean", "the term "industrial products" for the
        # purposes of this Agreement refers to", "“natural person of a Party” is, in accordance with"
        (
            "definition:quoted-term",
            r"^(?:for\s+(?:the\s+)?purposes?\s+of\s+[^,:;]{1,120},\s*)?(?:the\s+terms?\s+|an?\s+|the\s+)?"
            rf"{QUOTED}(?:\s*,?\s*(?:and|or|and/or|,)\s*(?:an?\s+|the\s+)?{QUOTED}){{0,3}}"
            rf"(?:(?!{MODAL_WORD})[^.;:“\"‘«”’»]){{0,120}}?\s*,?\s+(?:\([^)]{{1,40}}\)\s+)?"
            rf"(?:{DEFINE_VERB}|(?:shall\s+(?:in\s+principle\s+)?)?include|includes|shall\s+be\s+understood)\b"
            rf"|^(?:the\s+terms?\s+|an?\s+|the\s+)?{QUOTED}\s*(?:,?\s*(?:is|are|shall\s+be)\s*(?:,|the\b|an?\b"
            r"|any\b|those\b|all\b)|[:—–]\s)",
        ),
        ("definition:on-entend", r"\bon\s+entend\s+par\b|\bse\s+entender[aá]\s+por\b"),
        (
            "definition:quoted-includes",
            rf"(?:^|(?<=[;:]\s)|(?<=[;:]))(?:\(?[a-z0-9]{{1,4}}\)\s*)?(?:the\s+term\s+)?[“\"‘'«][^”\"’'»]"
            rf"{{1,120}}[”\"’'»]\s+{INCLUDE_VERB}\b",
        ),
        (
            "definition:scope",
            r"(?:^|(?<=,\s)|(?<=,))"
            rf"(?:(?:this|the\s+present)\s+{UNIT}|(?:the\s+)?provisions\s+of\s+(?:this|the\s+present)\s+{UNIT})"
            r"(?:\s+[^.;:]{0,60}?)?\s+(?:(?:shall|will)\s+(?:also\s+|only\s+)?)?(?:appl(?:y|ies)"
            r"|cover(?:s)?|be\s+applied|be\s+applicable"
            r"|is\s+applicable)\s+(?:only\s+|also\s+)?(?:to|in|with\s+respect\s+to|as\s+regards|mutatis)\b",
        ),
        (
            "definition:application",
            rf"(?:^|(?<=,\s)|(?<=,))(?:the\s+)?(?:dispute\s+settlement\s+)?(?:provisions?\s+(?:of|in"
            rf"|concerning|on)\s+)?(?:{PART_REF}"
            rf"|(?:its|the)\s+(?:paragraph|article)\s+\w+){GAP}{{0,240}}?\s+(?:(?:shall|will)\s+(?:also\s+"
            rf"|only\s+)?(?:apply"
            r"|be\s+applicable|be\s+applied)|are\s+applicable|is\s+applicable|appl(?:y"
            r"|ies))\b(?:[^.;]{0,90}?\b(?:to|in\s+respect\s+of"
            r"|with\s+respect\s+to|as\s+regards|between)\b|\s*[.;]?$|,?\s+mutatis\s+mutandis)",
        ),
        (
            "definition:reference-includes",
            r"^(?:a\s+|any\s+|la\s+|toda\s+)?(?:references?|referencias?)\s+(?:in\s+this\s+\w+\s+)?(?:to"
            r"|a)\s+[^.;]{1,120}?"
            r"\s+(?:includes?|shall\s+include|means?|incluye|comprende|se\s+entender"
            r"|shall(?:\s*,[^,]{1,60},)?\s+(?:be\s+)?(?:construed|read|understood|made|deemed|refer))",
        ),
        (
            "definition:interpretation",
            r"\b(?:time\s+periods?|periods?|time\s+limits?"
            r"|the\s+date)\b[^.;]{0,80}?\bshall\s+(?:be\s+)?(?:deemed\s+to\s+)?(?:expire"
            r"|begin|commence|run|be\s+calculated|be\s+computed|be\s+counted|not\s+be\s+included)\b"
            r"|\binterpreted\s+in\s+accordance\s+with\s+(?:the\s+)?customary\s+rules\b",
        ),
        ("definition:governed-by-chapter", rf"\bshall\s+be\s+governed\s+(?:exclusively\s+)?by\s+{PART_REF}"),
        (
            "definition:se-aplica",
            r"(?:^|(?<=,\s)|(?<=,)|(?<=:\s))(?:\(?[a-z]\)\s+)?(?:(?:lo\s+dispuesto|el\s+procedimiento"
            r"|las\s+disposiciones)\s+(?:en|de)\s+)?(?:este|esta|el\s+presente|la\s+presente"
            r"|las\s+disposiciones\s+de(?:l)?|el|los)\s+"
            rf"(?:cap[ií]tulo|acuerdo|tratado|art[ií]culos?|anexo|secci[oó]n|t[ií]tulo|parte){GAP}{{0,120}}?"
            r"(?<!\bno)\s+(?:se\s+aplica(?:r[aá]n?)?|ser[aá]n?\s+aplicables?|es\s+aplicable|comprende"
            r"|abarca)\b",
        ),
        ("definition:s-applique", r"^(?:le\s+présent|la\s+présente)\s+\w+\s+s'applique"),
    ]
)

NOUN_MEANS = (
    r"(?:\bby|\bany|\ba|\ban|\bas|\bother|\belectronic|\bappropriate|\ball|\breasonable|\bthe|\bits"
    r"|\btheir|\blegal|\beffective"
    r"|\bpeaceful|\bfinancial|\balternative|\bsuch|\bno|\badequate|\btechnical|\bthese|\bthose|\bvarious"
    r"|\bnecessary"
    r"|\bhuman|\bmaterial|\bavailable|\bvia|\bthrough|\bpractical|\bdigital|\bdiplomatic|\bsufficient"
    r"|\bwhatever"
    r"|\bwritten|\bautomated|\bmechanical|\bwireless|\bcable|\boptical|\bthe\s+same|\bother\s+appropriate)"
)
"""Words that make the next "means" a noun: by means of, any means, electronic means ..."""

# --- rule 4: carve-outs -----------------------------------------------------------------

_NEG = r"(?:shall|does|do|will|is|are|may|can)\s+not"
_UNDO = (
    r"(?:apply|be\s+applied|be\s+applicable|preclude|prevent|restrict|affect|prejudice|limit|impair|derogate"
    r"|be\s+construed|be\s+interpreted|be\s+deemed|be\s+read|require|oblige|impose|confer|create|encompass"
    r"|replace|cover|extend|be\s+invoked|be\s+used\s+to|diminish|alter|modify|give\s+rise|be\s+taken\s+to"
    r"|constitute\s+a\s+waiver|entail|mean\s+that)"
)
CARVE_OUT = Phrases(
    [
        ("exception:nothing-in", r"\bnothing\s+(?:in|contained\s+in|herein|under|of|set\s+out\s+in)\b"),
        (
            "exception:no-provision",
            r"\bno\s+provision\s+of\s+(?:this|the)\b|\bnone\s+of\s+the\s+provisions\b",
        ),
        (
            "exception:part-does-not-apply",
            rf"\b(?<!to\s)(?<!in\s)(?<!under\s)(?:{SELF_PART}|{PART_REF}|{PROVISIONS}"
            rf"|the\s+(?:treatment|obligations?|commitments?|rights?)"
            rf"\s+(?:referred\s+to|provided\s+for|set\s+out)\s+in\s+(?:{SELF_PART}|{PART_REF}))"
            rf"(?:\s*\([^)]{{0,80}}\))?(?:\s*,[^,]{{0,80}},)?\s+(?:{_NEG})\s*:?\s+(?:be\s+)?{_UNDO}",
        ),
        (
            "exception:agreement-does-not",
            rf"(?:^|(?<=[,;:]\s)|(?<=[,;:]))(?:this|the\s+present|the)\s+(?:agreement|wto\s+agreement"
            rf"|treaty|convention)\s+(?:{_NEG})\s+(?:be\s+)?{_UNDO}"
            r"|\b(?:this|the\s+present)\s+(?:agreement|chapter|section|article)\s+shall\s+only\s+(?:apply"
            r"|grant|impose|cover)\b",
        ),
        (
            "exception:not-regarded-as",
            r"\b(?:shall|will|does|do|is|are)\s+not\s+be\s+(?:regarded|considered|deemed|construed"
            r"|treated)\s+(?:as|to)\s+"
            r"(?:being\s+|be\s+|constitut\w*\s+)?(?:a\s+|an\s+)?(?:nullif|impair|breach|violat"
            r"|inconsistent|anti-?competitive"
            r"|discriminat|an?\s+obstacle|restriction|disguised|derogat|waiver|infring|contrary"
            r"|incompatible)",
        ),
        (
            "exception:without-prejudice",
            r"\b(?:is|are|shall\s+be|will\s+be|remain)\s+without\s+prejudice\s+to\b",
        ),
        (
            "exception:apply-without-prejudice",
            r"\b(?:shall|will)\s+(?:apply|be\s+applied|operate)\s+without\s+prejudice\s+to\b",
        ),
        (
            "exception:no-obligation",
            r"\b(?:shall|will)\s+(?:have|be\s+under)\s+no\s+obligation\s+to\b"
            r"|(?:^|(?<=,\s)|(?<=,))(?:each\s+|a\s+|the\s+|any\s+)?(?:other\s+)?(?:party|parties"
            r"|member\s+states?|contracting\s+part(?:y|ies))"
            r"\s+(?:shall|will|is|are)\s+not\s+(?:be\s+)?(?:required|obliged|obligated|bound)\s+to\b"
            r"|\bno\s+party\s+shall\s+be\s+(?:required|obliged)\s+to\b",
        ),
        (
            "exception:not-required",
            r"\b(?:is|are)\s+not\s+obligated\s+to\b|\b(?:shall|will)\s+not\s+be\s+(?:required|obliged)\s+to\b",
        ),
        (
            "exception:does-not-confer",
            r"\b(?:does|do|shall)\s+not\s+(?:confer|create|encompass|replace|give\s+rise\s+to)\b",
        ),
        (
            "exception:general-exceptions-incorporated",
            r"\barticles?\s+(?:xx|xiv|xxi|xiv\s+bis)(?:\s*\([a-z]\))?(?:\s+and\s+(?:xx|xxi"
            r"|xiv)(?:\s+bis)?)?\s+of\s+"
            r"(?:the\s+)?(?:gatt|gats)[^.;]{0,120}?\b(?:is|are|shall\s+be)\s+(?:hereby\s+)?(?:incorporated"
            r"|made\s+part)"
            r"|\barticles?\s+(?:xx|xiv|xxi)\s+of\s+(?:the\s+)?(?:gatt|gats)[^.;]{0,80}?\bshall\s+apply\b",
        ),
        (
            "exception:nada-de-lo",
            r"\bnada\s+de\s+lo\s+(?:dispuesto|establecido|previsto)\b|\bninguna\s+disposici[oó]n\s+de(?:l)?\b"
            r"|\bno\s+se\s+interpretar[aá]n?\b",
        ),
        (
            "exception:no-se-aplica",
            r"(?:^|(?<=[,;:]\s)|(?<=[,;:]))(?:este|esta|el\s+presente|la\s+presente|estas|estos|el|la|los"
            r"|las|lo\s+dispuesto\s+en)\s+"
            r"(?:presente\s+)?(?:cap[ií]tulo|art[ií]culos?|p[aá]rrafos?|secci[oó]n|anexos?|tratado|acuerdo"
            r"|disposici[oó]n(?:es)?"
            rf"|t[ií]tulo|subp[aá]rrafos?|obligaci[oó]n(?:es)?){GAP}{{0,80}}?\bno\s+(?:se\s+aplicar[aá]n?"
            rf"|se\s+aplican?"
            r"|impedir[aá]n?|afectar[aá]n?|limitar[aá]n?|ser[aá]n?\s+aplicables?|obligar[aá]n?"
            r"|restringir[aá]n?|exigir[aá]n?)\b",
        ),
        (
            "exception:sin-perjuicio",
            r"\b(?:se\s+entender[aá]n?|se\s+entienden?|ser[aá]n?|es|son)\s+sin\s+perjuicio\s+de\b",
        ),
        (
            "exception:aucune-disposition",
            r"\baucune\s+disposition\b|\bne\s+s'applique(?:nt)?\s+pas\b|\bn'emp[eê]che(?:nt)?\s+pas\b"
            r"|\bne\s+porte(?:nt)?\s+pas\s+atteinte\b|\bne\s+font\s+pas\s+obstacle\b",
        ),
    ]
)
