"""Phrase tables of rule 5: the agreement's own machinery (docs/LABELLING.md 1.2, rule 5).

Who the subject of a clause is (an institution, a dispute-settlement actor, or
a domestic authority that is not machinery), and the phrases that make a
clause procedural whatever its subject: the life of the agreement (entry into
force, amendment, withdrawal, annexes forming part of it), review clauses and
the built-in agenda, consultation mechanisms, contact points, and dispute
settlement.
"""

from __future__ import annotations

from .phrases import Phrases

__all__ = ["DISPUTE_TERMS", "DOMESTIC", "INSTITUTION", "MACHINERY"]

INSTITUTION = Phrases(
    [
        (
            "procedural:body",
            r"\b(?:sub-?committees?|committees?|commissions?|councils?|working\s+(?:groups?|part(?:y|ies))"
            r"|expert\s+groups?|ministers|judges?|president|board|focal\s+points?|contact\s+points?"
            r"|secretariats?|secretary[- ]general|secretaries|co-?ordinators?|summit|assembly"
            r"|heads\s+of\s+state|court(?:\s+of\s+justice)?|bureau|organs?|conference\s+of"
            r"|ministerial\s+conference"
            r"|chair(?:man|person|persons)?|vice-chair\w*|clerk|counsel\s+to\s+the)\b",
        ),
        (
            "procedural:dispute-actor",
            r"\b(?:arbitral\s+(?:tribunal|panel|group)s?|tribunals?|panels?|panel+ists?|arbitrators?"
            r"|mediators?"
            r"|conciliators?|complaining\s+part(?:y|ies)|responding\s+part(?:y|ies)"
            r"|disputing\s+(?:part(?:y|ies)|investors?)"
            r"|consulting\s+part(?:y|ies)|part(?:y|ies)\s+complained\s+against"
            r"|third\s+part(?:y|ies)|claimants?|respondents?|parties\s+to\s+the\s+dispute|consultations"
            r"|proceedings"
            r"|the\s+dispute\s+settlement\s+(?:procedure|mechanism|body)|the\s+roster"
            r"|the\s+list\s+of\s+(?:panel|arbitrat))",
        ),
        (
            "procedural:decision",
            r"\b(?:decisions?|recommendations?|rules\s+of\s+procedure)\s+of\s+the\s+(?:parties|joint"
            r"|association|council"
            r"|committee|commission|ministers)\b|\bthe\s+parties\s+acting\s+jointly\b",
        ),
        (
            "procedural:organo",
            r"\b(?:comit[eé]|comisi[oó]n(?!\s+de\s+(?:un|una|delitos?))|consejo|grupo\s+(?:arbitral"
            r"|especial|de\s+trabajo)"
            r"|tribunal(?:es)?\s+arbitral(?:es)?|[aá]rbitros?|secretar[ií]a|secretariado"
            r"|parte\s+(?:reclamante|demandada"
            r"|contendiente|consultante|solicitante|solicitada|demandante)|partes\s+(?:contendientes"
            r"|en\s+la\s+controversia|dialogantes)"
            r"|inversionistas?\s+contendientes?|la\s+lista|consultas|mediador|conseil|commission|cour"
            r"|conférence"
            r"|parlement|président|comité|organes?|l['’]union|la\s+communauté)",
        ),
    ]
)

DOMESTIC = Phrases(
    [
        (
            "domestic:authority",
            r"\b(?:authorit(?:y|ies)|agenc(?:y|ies)|procuring\s+entit|contracting\s+entit|regulatory\s+bod"
            r"|conformity\s+assessment\s+bod|ministry|ministries|government|courts\s+of|judicial"
            r"|administrative"
            r"\s+tribunals?|autoridad|entidad|aduana|autorit[eé])",
        ),
        (
            "domestic:own-body",
            # "joint" makes it a body of both Parties: "the Joint Consultative Committee shall ..."
            r"\b(?<!joint\s)(?:national|domestic|advisory|consultative|its|their|own|competent|independent"
            r"|regulatory)"
            r"(?:\s+[\w-]+){0,2}\s+(?:committees?|councils?|commissions?|bod(?:y|ies)|tribunals?|courts?"
            r"|panels?)\b",
        ),
    ]
)

MACHINERY = Phrases(
    [
        # life of the agreement
        (
            "procedural:entry-into-force",
            r"\b(?:shall|will|may)\s+(?:enter|come)\s+into\s+(?:force|effect)\b"
            r"|^(?:this|the\s+present|the)\s+(?:agreement|protocol|treaty|convention|amendment"
            r"|decision)s?[^,.;]{0,60}?"
            r"\s+(?:enters|enter|comes)\s+into\s+force\b|\bentrar[aá]n?\s+en\s+vigor\b"
            r"|\bentrera\s+en\s+vigueur\b"
            r"|^(?:le\s+présent|la\s+présente)[^,.;]{0,60}?\s+entre\s+en\s+vigueur\b",
        ),
        (
            "procedural:ratification",
            r"\b(?:ratification|ratified|ratify\s+(?:this|the\s+present)\s+(?:agreement|treaty|protocol)"
            r"|acceptance\s+or\s+approval|instruments?\s+of\s+(?:ratification"
            r"|acceptance|approval"
            r"|accession)|completion\s+of\s+(?:its|their|the)\s+(?:respective\s+)?(?:internal|domestic|legal)"
            r"|subject\s+to\s+(?:the\s+)?(?:ratification|approval|internal)|constitutional\s+requirements"
            r"|ratificaci[oó]n"
            r"|provisional(?:ly)?\s+appli|protocolos?\s+adicionales?\s+al\s+presente)",
        ),
        (
            "procedural:duration",
            r"\b(?:shall\s+remain\s+in\s+force|concluded\s+for\s+an?\s+(?:unlimited|indefinite)"
            r"|shall\s+expire|cease\s+to"
            r"\s+(?:be\s+in\s+force|have\s+effect|be\s+a\s+(?:contracting\s+)?party|be\s+a\s+member|apply)"
            r"|permanecer[aá]\s+en\s+vigor"
            r"|cesse\s+d'avoir\s+effet"
            r"|\bshall\s+replace\s+the\s+(?:[\w-]+\s+){0,4}?(?:agreement|convention|treaty)\b)",
        ),
        (
            "procedural:withdrawal",
            r"\b(?:withdraw(?:s|al)?\s+from\s+(?:this|the)|may\s+withdraw|denounce|denunciation"
            r"|termination\s+of\s+this"
            r"|(?:may|shall)\s+be\s+terminated|shall\s+(?:be|remain)\s+valid\s+(?:indefinitely|for|unless"
            r"|until)|may\s+terminate|terminate\s+this|denunciar|denuncia|dénonc)",
        ),
        (
            "procedural:amendment",
            r"\b(?:amendments?\s+(?:to|of)\s+(?:this|the\s+present|the)\s+(?:agreement|annex|protocol"
            r"|treaty|chapter|appendix)"
            r"|(?:may|shall)\s+be\s+amended|amend\s+(?:this|the)\s+(?:agreement|annex|protocol|appendix"
            r"|treaty)"
            r"|amendments?\s+(?:may|shall)\s+be\s+(?:made|adopted|effected|approved|proposed)"
            r"|\b(?:is|are)\s+(?:hereby\s+)?(?:replaced|amended|deleted|inserted|renumbered)\b"
            r"|\bshall\s+be\s+read\s+as\b"
            r"|amendments?\s+or\s+modifications?\s+to|amendments?\s+to\s+(?:a|its|the)\s+(?:party's\s+"
            r"|party’s\s+)?schedules?"
            r"|(?:agree|agreed)[^.;]{0,20}\s+to\s+any\s+amendment|whether\s+to\s+amend|\bsi\s+se\s+enmienda"
            r"|modifications?\s+(?:of|to)\s+(?:or\s+additions?\s+to\s+)?(?:this|the\s+present)\s+agreement"
            r"|adaptations?\s+(?:in|to|of)\s+(?:this|the\s+present)\s+agreement|enmiendas?\s+(?:a"
            r"|al|de)\s+(?:este|esta|el\s+presente|la\s+presente)"
            r"|enmendar\s+(?:este|el\s+presente))",
        ),
        (
            "procedural:accession",
            r"\b(?:may\s+accede|become\s+a\s+(?:contracting\s+)?party\s+to\s+this|devenir\s+membre"
            r"|accede\s+to\s+this|accession\s+(?:of\s+[^.;]{1,40}?\s+)?to\s+this\s+(?:agreement|treaty"
            r"|convention)"
            r"|admitted\s+as\s+a|adhere\s+to\s+this|adhesi[oó]n\s+(?:de|a)\s+(?:un|este|el)|adhérer)",
        ),
        (
            "procedural:depositary",
            r"\b(?:depositary|deposited\s+with|depositar[aá]\b|registered\s+with\s+the"
            r"|registration\s+with\s+the|depositario|dépositaire)",
        ),
        (
            "procedural:authentic",
            r"\b(?:equally\s+authentic|authentic\s+texts?|are\s+authentic|be\s+authentic"
            r"|in\s+witness\s+whereof|done\s+at"
            r"|done\s+in\s+(?:duplicate|two|three|the)|igualmente\s+aut[eé]ntico|en\s+fe\s+de\s+lo\s+cual"
            r"|fait\s+à|faisant\s+foi)",
        ),
        (
            "procedural:integral-part",
            r"\b(?:form|forms|constitute|constitutes|shall\s+form|are|is|be|constituted\s+as)\s+(?:an\s+)?"
            r"integral\s+parts?|\b(?:are|is)\s+(?:hereby\s+)?(?:attached|annexed)\s+to\s+this\s+agreement\b"
            r"|\bshall\s+be\s+annexed\b"
            r"|\bparte\s+integrante\b|\bfont\s+partie\s+intégrante\b",
        ),
        (
            "procedural:cross-reference",
            r"^(?:the\s+)?(?:protocol|annex|appendix|schedule)(?:es"
            r"|s)?\s+[\w.\-]+(?:\s+to\s+this\s+agreement)?"
            r"(?:\s*\([^)]{0,80}\))?\s+(?:lays\s+down|lay\s+down|sets\s+out|set\s+out|contains|contain"
            r"|specifies|specify"
            r"|establishes|lists|provides\s+for)\b"
            r"|(?<!which\s)(?<!that\s)\b(?:are|is|shall\s+be)\s+(?:laid\s+down|set\s+out|listed|specified"
            r"|contained)\s+in"
            r"\s+(?:annex|protocol|appendix|(?:the|its|their)\s+schedules?)"
            r"|^(?:the\s+)?(?:protocol|annex|appendix)\s+[\w.\-]+[^.;]{0,40}?\bshall\s+be\s+(?:replaced"
            r"|amended|revised|modified|reviewed)\b"
            r"|\bse\s+listan\s+en\s+el\s+anexo\b",
        ),
        (
            "procedural:schedule",
            r"\bset\s+out\s+in\s+(?:a|its|their)\s+schedule\b|\bestablecer[aá]\s+en\s+(?:el|su)\s+anexo\b",
        ),
        # review, built-in agenda, negotiation
        (
            "procedural:review",
            r"\b(?:shall|will|agree|agrees|undertake"
            r"|undertakes)(?:\s*,[^,;]{0,120},)?\s+(?:to\s+)?(?:jointly\s+|periodically\s+"
            r"|regularly\s+|also\s+)?(?:review|evaluate"
            r"|assess)\s+(?:[^.;]{0,20}?)(?:the\s+)?(?:implementation|operation|functioning|application"
            r"|provisions?|present\s+provisions?|scope"
            r"|possibility|progress|sensitive|(?:their|its)\s+schedules?|this\s+(?:agreement|chapter"
            r"|article|annex)|these\s+(?:provisions|commitments|arrangements"
            r"|schedules|rules)|the\s+list|the\s+measures"
            r"|the\s+rules|the\s+schedule|the\s+level|the\s+situation|the\s+results)"
            r"|\bkeep\s+under\s+(?:mutual\s+|constant\s+|regular\s+|periodic\s+)?review\b"
            r"|\b(?:chapter|agreement|annex|protocol)\s+(?:may|shall)\s+be\s+reviewed\b"
            r"|\bmeet\s+to\s+review\b|\b(?:enter\s+into|hold)\s+discussions\s+(?:with\s+a\s+view|on)\b"
            r"|\bgeneral\s+review\b|\breview\s+of\s+this\s+(?:agreement|chapter)\b"
            r"|\bexaminar[aá]n\b[^.;]{0,40}?\bla\s+posibilidad"
            r"|\bevaluar[aá]n\s+(?:el|la)\s+(?:funcionamiento|aplicaci[oó]n)",
        ),
        (
            "procedural:negotiation",
            r"\b(?:continue\s+to\s+(?:discuss\s+and\s+)?negotiat|enter\s+into\s+negotiations|(?:commence"
            r"|start|launch|open)"
            r"\s+negotiations|negotiations\s+(?:on|with\s+a\s+view)"
            r"|with\s+a\s+view\s+to\s+(?:the\s+)?(?:amend|negotiat|opening"
            r"\s+negotiations)|iniciar[aá]n\s+negociaciones"
            r"|negotiations\s+(?:may|shall|will)\s+be\s+(?:initiated|opened|started|launched|commenced)"
            r"|\bagrees?\s+to\s+(?:further\s+)?discuss\b)",
        ),
        (
            # the agreement's own future, decided by the Parties together (docs/LABELLING.md 1.2,
            # rule 5a decisions of the Parties and 5c built-in agenda): the evolutionary clause,
            # "the Parties may decide on further areas of cooperation", "may negotiate commitments",
            # "may adopt legal instruments in the future", protocols still to be concluded
            "procedural:built-in-agenda",
            r"\bextend(?:ing)?\s+(?:them|it|the\s+relations|(?:this|the)\s+agreement|its\s+scope)\s+to"
            r"\s+(?:fields|areas|sectors|matters)\s+not\s+covered\b"
            r"|\bparties\s+may\s+(?:jointly\s+|also\s+)?(?:decide|agree)\s+(?:on|to)\s+(?:further|additional"
            r"|extend|expand|include|widen|broaden|deepen|new)\b"
            r"|\bparties\s+may\s+(?:also\s+)?negotiate\b|\bmay\s+adopt\s+legal\s+instruments\b"
            r"|^(?:the|this|a|an|such)\s+(?:[\w-]+\s+){0,6}?protocols?\b[^.;]{0,80}?\bshall\s+be"
            r"\s+(?:concluded|negotiated)\b",
        ),
        (
            # a Party asking for a meeting of the agreement's body
            "procedural:request-meeting",
            r"\brequest\b[^.;]{0,40}?\b(?:a\s+|special\s+|an\s+extraordinary\s+)*(?:meeting|session)\s+of"
            r"\s+the\s+(?:[\w-]+\s+){0,3}?(?:committee|commission|council)\b"
            r"|\brequest\b[^.;]{0,40}?\bthat\s+the\s+(?:[\w-]+\s+){0,5}?(?:sub-?committee|committee|commission|council)"
            r"\s+(?:meet|convene|be\s+convened)\b"
            r"|\bsolicitar\b[^.;]{0,40}?\bque\s+se\s+re[uú]na\b",
        ),
        (
            # staff and members of the agreement's organs
            "procedural:members",
            r"\b(?:elected|appointed|nominated|designated)\s+(?:as\s+)?(?:an?\s+|the\s+)?members?\s+of\s+the"
            r"\s+(?:[\w-]+\s+){0,2}?(?:assembly|court|commission|council|committee|tribunal|secretariat"
            r"|parliament)\b",
        ),
        # consultation mechanisms, contact points
        (
            "procedural:consultations",
            r"\b(?:enter\s+into|hold|request|initiate|conduct|conclude|have|seek"
            r"|(?:accord|afford)\s+adequate\s+opportunit(?:y|ies)\s+for)\s+"
            r"(?:\w+\s+){0,3}?consultations\b"
            r"|\b(?:provide|afford|accord|give)\s+(?:\w+\s+){0,2}?opportunit(?:y|ies)\s+for\s+(?:\w+\s+){0,2}?consultations?\b"
            # "shall afford, upon request from any other Contracting State, adequate opportunities for
            # consultations", "shall afford to each other adequate opportunity for consultations"
            r"|\b(?:provide|afford|accord|give)\s*(?:,[^,;.]{1,80},\s*|(?:to\s+)?(?:each\s+other|one\s+another"
            r"|the\s+other\s+part(?:y|ies))\s+)(?:\w+\s+){0,2}?opportunit(?:y|ies)\s+for\s+(?:\w+\s+){0,2}?consultations?\b"
            r"|\b(?:conduct|hold)\s+(?:a\s+)?consultation\s+(?:on|with)\b|\brequests?\s+(?:for\s+)?consultations?\b"
            r"|\bconsultations?\s+(?:shall|may|will)\s+"
            r"(?:be\s+held|take\s+place|be\s+conducted|be\s+initiated|begin|commence)|\b(?:shall|may"
            r"|will)\s+(?:promptly\s+"
            r"|immediately\s+|also\s+)*consult\b(?!\s+(?:with\s+)?(?:interested|stakeholders|the\s+public"
            r"|industry|its|their|non-gov"
            r"|relevant|civil))|\btechnical\s+discussions\b|\bthrough\s+(?:\w+\s+){0,3}?consultations?\b"
            r"|\b(?:subject|object)\s+(?:of|to)\s+(?:\w+\s+)?consultations\b"
            r"|\bse\s+realizar[aá]n\s+consultas\b|\bsolicitar\s+consultas\b"
            r"|\bsolicitud\s+de\s+(?:consultas|di[aá]logo)\b|\b(?:periodo|plazo)\s+de\s+consultas\b"
            r"|\bconsultas\s+previas\b"
            r"|\b(?:participar|celebrar|solicitar|realizar)\s+(?:en\s+)?(?:las\s+)?consultas\b"
            r"|\bel\s+di[aá]logo\s+se\b|\bcelebrar[aá]n\s+consultas\b|\bse\s+(?:consultent|concertent)\b"
            r"|\bmechanism\s+of\s+(?:[\w/-]+\s+){0,3}?consultations\b|\bgive\s+rise\s+to\s+consultations\b"
            r"|\bgood\s+offices\s+of\s+the\b"
            r"|\bpolitical\s+dialogue\s+(?:shall|may|will)\s+(?:also\s+)?(?:be\s+established|take\s+place|be\s+held)\b",
        ),
        (
            "procedural:refer-to-body",
            r"\b(?:refer|referred|submit|submitted|notify|bring)\s+(?:[^.;]{0,40}?)to\s+the\s+(?:joint"
            r"|association|mixed"
            r"|trade|free\s+trade|administrative|cooperation|co-operation)\s+(?:committee|council"
            r"|commission)\s+"
            r"(?:for\s+(?:examination|consideration|decision)|with\s+a\s+view)"
            r"|\b(?:within|in|through)\s+the\s+(?:framework\s+of\s+the\s+)?(?:[\w-]+\s+){0,2}?(?:joint"
            r"|association|mixed|trade"
            r"|parliamentary)\s+(?:committee|council|commission)\b"
            r"|\bau\s+sein\s+du\s+(?:conseil|comit[eé])\b|\ben\s+el\s+seno\s+de\s+(?:la\s+comisi[oó]n|el\s+consejo"
            r"|el\s+comit[eé]|la\s+comisi[oó]n\s+administradora)\b",
        ),
        (
            "procedural:contact-point",
            r"\b(?:designate|establish|appoint)\s+(?:and\s+notify\s+)?(?:a|one\s+or\s+more|its|their"
            r"|an?\s+\w+)\s+(?:contact\s+points?|coordinators?"
            r"|co-ordinators?|focal\s+points?)|\bcontact\s+points?\s+(?:shall|will|responsible)\b"
            # the contact point's details: "designate an official body to act as a contact point",
            # "provide ... the name of the designated contact point and the contact details of ..."
            r"|\bdesignate\s+[^.;]{1,40}?\s+(?:to\s+(?:act|serve)\s+)?as\s+(?:a|its|the)\s+contact\s+points?\b"
            r"|\b(?:notify|inform|provide|communicate)\b[^.;]{0,80}?\b(?:names?|details|identity)\s+of\s+(?:its"
            r"|their|the)\s+(?:designated\s+)?(?:contact\s+points?|coordinators?|co-ordinators?|focal\s+points?)\b"
            r"|\bnotify\b[^.;]{0,60}?\bof\s+(?:its|their)\s+(?:designated\s+)?(?:contact\s+points?|coordinators?"
            r"|focal\s+points?)\b"
            r"|\bpuntos?\s+de\s+contacto\b",
        ),
        (
            "procedural:functions",
            r"\b(?:responsibility|responsibilities|functions?|powers?|tasks?|duties|composition"
            r"|membership)\s+of\s+the\s+"
            r"(?:[\w-]+\s+){0,4}?(?:committee|council|commission|secretariat|assembly|summit|court"
            r"|tribunal|panel)\b"
            r"|\bfacilitated\s+through\s+the\s+(?:following\s+)?contact\s+points?\b"
            r"|\bthere\s+shall\s+be\s+(?:established|set\s+up|created)\b|\b(?:committee|council|commission"
            r"|sub-?committee|working\s+group)\b[^.;]{0,80}?\bshall\s+be\s+(?:established|set\s+up|created"
            r"|convened)\b|\b(?:approved|ratified)\s+by\s+the\s+parties\s+in\s+accordance\s+with\s+their\b"
            r"|\bvalidly\s+concluded\b|\bin\s+the\s+context\s+of\s+the\s+(?:[\w-]+\s+){0,2}?(?:committee"
            r"|council|commission)\b|\bwith\s+a\s+view\s+to\s+(?:seeking"
            r"|finding)\s+a\s+(?:mutually\s+)?(?:acceptable\s+|satisfactory\s+)?solution"
            r"|\bjoint\s+decision\b|\bson\s+funciones\s+del?\b|\bheadquarters\b"
            r"|\bprivileges\s+and\s+immunities\b",
        ),
        (
            "procedural:by-body",
            r"\b(?:shall|will|may|as\s+shall)\s+be\s+(?:\w+\s+){0,2}?\w+ed\s+by\s+(?:the\s+|an?\s+)?(?:joint\s+"
            r"|association\s+|mixed\s+"
            r"|sub-?|free\s+trade\s+|trade\s+)?(?:committee|council|commission|assembly|summit)\b"
            r"|\bser[aá]n?\s+\w+[oa]s?\s+por\s+(?:el|la)\s+(?:comit[eé]|comisi[oó]n|consejo)\b",
        ),
        (
            "procedural:establish-body",
            r"\b(?:(?:hereby|shall|may|will|agrees?\s+to)\s+(?:establish(?:es)?|set\s+up|create)\s+(?:a|an"
            r"|the)\s+(?:[\w-]+\s+){0,4}?(?:committee|council"
            r"|commission|sub-?committee|working\s+group|secretariat|body)"
            r"|rules\s+of\s+procedure|se\s+reunir[aá]n?"
            r"|establecen\s+un"
            r"|\b(?:institutions?|organs?|bodies)\b[^.;]{0,40}?\b(?:are|is|shall\s+be)\s+(?:hereby\s+)?established\b)",
        ),
        (
            # "meet" / "convene" without an object is a meeting ("the Parties shall meet to review",
            # "the Committee shall convene promptly"); with one it is a duty ("shall meet the
            # requirements", "the costs"), and a Party convening its own advisory group is domestic
            "procedural:meet",
            r"\b(?:shall|will)\s+(?:meet|convene)\b(?!\s+(?:a\s+new|new|meetings\s+of\s+its\s+own))"
            r"(?![^.;,]{0,40}?\b(?:requirements?|qualifications?|costs?|criteria|standards?|obligations?"
            r"|weight|needs|expenses|targets?|limits?|demands?)\b)",
        ),
        # dispute settlement and arbitration
        (
            "procedural:transition",
            r"^(?:the\s+)?(?:association|free\s+trade\s+area|customs\s+union|agreement)\s+(?:includes"
            r"|comprises|shall\s+comprise)"
            r"\s+a\s+transitional\s+period\b|\b(?:in|over)\s+(?:successive|two|three)\s+stages\b",
        ),
        (
            "procedural:dispute-actor",
            r"\b(?:level\s+of\s+suspension|choice\s+of\s+forum|forum\s+(?:chosen|thus\s+selected|selected)"
            r"|in\s+either\s+forum|recourse\s+to\s+(?:chapter|article|section)\s+\w+"
            r"|arbitral\s+(?:tribunal|panel)s?|(?<!of\s)(?<!review\s)\bpanels?\b"
            r"|panel+ists?|arbitrators?|complaining\s+party|responding\s+party|party\s+complained\s+against"
            r"|parties\s+to\s+the\s+dispute|disputing\s+part|refer\s+(?:[^.;]{0,40}?)(?:any\s+)?disputes?"
            r"|grupo\s+arbitral|grupo\s+especial|tribunal\s+arbitral|[aá]rbitros?|parte\s+(?:reclamante"
            r"|demandada|contendiente)"
            r"|(?:presentar|someter)\s+(?:una\s+)?(?:demanda|reclamaci[oó]n))"
            # recourse to a chapter named by its title: "take actions pursuant to Chapter 16 (Dispute
            # Settlement)", "initiate proceedings under Chapter 19 (Dispute Settlement) ... unless"
            r"|\b(?:pursuant\s+to|under|invoke|recourse\s+to)\s+chapter\s+[\w-]+\s+\([^)]{0,40}dispute\s+settlement\)",
        ),
        (
            "procedural:meetings",
            r"\b(?:participates?|participe(?:nt)?|take\s+part|attend|sit)\b[^.;]{0,40}?\b(?:meetings?"
            r"|sessions?|réunions?|sesi[oó]n(?:es)?"
            r"|reuniones?)\s+(?:of|de|du|del)\s+(?:the\s+|la\s+|le\s+|l')?"
            r"(?:[\w-]+\s+){0,2}?(?:committee|council|commission|comité|conseil|comisi[oó]n|consejo)",
        ),
        (
            "procedural:interpretation-cooperation",
            r"\bendeavou?r\s+to\s+agree\s+on\s+the\s+interpretation\b"
            r"|\bllegar\s+a\s+un\s+acuerdo\s+sobre\s+la\s+interpretaci[oó]n\b",
        ),
    ]
)

DISPUTE_TERMS = Phrases(
    [
        (
            "procedural:dispute-settlement",
            r"\b(?:arbitrat\w*|arbitral|panel\s+report|final\s+report|initial\s+report|mediation"
            r"|good\s+offices|conciliation"
            r"|suspen(?:d|sion\s+of)\s+benefits|suspen(?:d"
            r"|sion\s+of)\s+(?:the\s+application\s+of\s+)?concessions\s+(?:and|or)"
            r"\s+(?:other\s+)?obligations"
            r"|level\s+of\s+suspension|choice\s+of\s+forum|forum\s+(?:chosen|thus\s+selected|selected)"
            r"|in\s+either\s+forum"
            r"|enforcement\s+of\s+(?:an?|the|any)\s+(?:final\s+)?awards?"
            r"|submit\s+a\s+claim|submission\s+of\s+a\s+claim|claimant|claims?\s+(?:alleging|submitted"
            r"|under\s+this\s+section)"
            r"|dispute\s+settlement\s+(?:procedures?|proceedings|mechanism|provisions|panel)"
            r"|refer\s+the\s+matter\s+to"
            r"|recourse\s+to\s+(?:the\s+)?dispute|settle(?:ment\s+of)?\s+(?:any\s+)?disputes?\s+(?:between"
            r"|arising)"
            r"|laudo|arbitraje|solución\s+de\s+controversias|controversia|nullification\s+or\s+impairment"
            r"|(?<!judicial\s)(?<!administrative\s)(?<!its\s)(?<!domestic\s)(?<!labour\s)(?<!labor\s)(?<!such\s)\btrib"
            r"unals?\b)",
        ),
    ]
)
"""Dispute-settlement vocabulary: procedural unless the clause's main commitment is soft."""
