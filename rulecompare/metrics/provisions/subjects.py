# ruff: noqa: E501  (a pattern is one line, however long, so that it reads as a list of words)
"""What each TREND provision is about, as words a clause must use to be shown as its evidence.

The scorers find the clauses most like those of agreements TREND codes with
a provision, which is not the same as a clause that says the provision: the
best clause for "not relaxing environmental protection to attract
investment" was often an investment article that merely names the
environment. So a code's evidence is its best-scored clauses *among those
that mention its subject*: every pattern of the code's entry in
:data:`SUBJECTS` must match the clause (its text, its article's title and
its lead-in, lower case, accents dropped) in one of its sentences, outside the rules of
origin and (but for 2.03) definitions articles. Each pattern lists alternatives:
the words of the code's heading in TREND's codebook and of the headings
above it (``8.01.02`` "Conservation of natural resources" under "General
exceptions"), stemmed by hand, with the synonyms treaties use ("GHG",
"greenhouse", "carbon"). Whether any clause mentions the subject is also
one of the two inputs of a code's calibrated probability
(:class:`.train.Calibration`), never a gate by itself; a positive code whose
clauses all miss its subject says so instead of showing a clause
(:func:`.coding.evidence_frame`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

__all__ = ["SUBJECTS", "SUBJECTS_DIGEST", "mentions"]

_GREEN = r"environmental (goods|services|technolog|product)|environmentally (friendly|sound|preferable)|clean technolog|\bgreen|\brenewable(?! scrap)"
"""Environmental goods, services and technologies (7.01.01 and its liberalisation, 7.01.02.01)."""
_ENV = (
    r"\benviron|\bsustainab(?!le (economic|growth))|\bconserv|natural resource|\bbiodivers|biological diversity|\bpollut|\bclimat"
    r"|\becolog|\becosystem"
)
"""The environment itself, for provisions about environmental law, measures or cooperation."""
_ENVIRON = r"(?<!business )(?<!investment )(?<!economic )(?<!regulatory )(?<!enabling )(?<!legal )(?<!favourable )(?<!favorable )(?<!trading )\benviron"
"""``\benviron`` in a pattern stands for this: "business environment" and its kin are not the environment."""
_LIFE = r"life or health|animal or plant|animal and plant|plant life|animal life|plant health"
_INVEST = r"\binvest"
_SERVICE_SECTORS = (
    r"environmental services|\bfish|\bforest|\bwater|\benerg|\bmining|\bmineral|natural resource|\bland\b|\bwildlife"
    r"|\bhunting|\bagricultur"
)
_SUBSIDY = r"\bsubsid|domestic support|\bstate aid"
_MEA = (
    r"multilateral environmental|international environmental|environmental (agreement|convention)|\bmeas?\b"
    r"|\bconvention|\bprotocol"
)
_DSM = r"\bdispute|\bpanel|\barbitra|\bconsultation|\bmediat|good offices|\bconciliat"

SUBJECTS: dict[str, tuple[str, ...]] = {
    "1.01": (_ENV,),
    "1.05": (r"\bpolluter",),
    "1.08.01": (
        r"\bsovereign|\bright (of each party )?to (establish|determine|set|adopt|regulate)|\bown (level|priorit|polic)",
        _ENV,
    ),
    "1.08.02": (r"\benforc|\bdiscretion|\bprosecut", _ENV),
    "1.09.01": (r"\bterritor", r"\benforc|\bjurisdiction"),
    "1.10.02": (
        r"mutual(ly)? support|\bsustainable development|\breinforc|\bcontribut",
        r"\btrade|\bdevelop",
    ),
    "1.11": (
        r"developing (countr|econom|part)|least[- ]developed|levels? of development|development gap|different (level|capacit|circumstance|national)|special and differential|\bcapacit",
    ),
    "2.01.01": (r"\brelax|\blower|\bweaken|\breduc|\bwaiv|\bderogat", _ENV, r"\btrade|\bexport|\bencourag"),
    "2.01.02": (r"\brelax|\blower|\bweaken|\breduc|\bwaiv|\bderogat", _ENV, _INVEST),
    "2.02.01": (r"\bhigh(er)? (level|standard)", _ENV),
    "2.02.02": (
        r"\benhanc|\bstrengthen|\bimprov|\bcontinu|\braise|\bhigh",
        r"\blevel|\bprotection|\bstandard",
        _ENV,
    ),
    "2.03": (
        r"\bmeans\b|\bdefin|for the purposes? of",
        r"environmental (law|legislation|measure|regulation)",
    ),
    "2.04": (r"protectionis|disguised restriction",),
    "3.01.01": (r"\bscien", _ENV),
    "3.02.01": (r"\bpublic|civil society|\bstakeholder|interested (person|part)|\bcomment", _ENV),
    "3.03.01": (
        r"\bpublish|publicly available|available to the public|\bpublication|make public|made public",
        r"\blaws?\b|\bregulation|\bmeasure|\bruling|\bprocedure",
        _ENV,
    ),
    "4.01": (r"\bcoheren|\bintegrat|\bconsisten|mutual(ly)? support", _ENV),
    "4.02": (r"\bcoheren|\bintegrat|\bconsisten|mutual(ly)? support", r"\btrade|\binvest", _ENV),
    "4.03": (r"\benerg", _ENV),
    "4.04": (r"\bmining|\bmineral|\bextractive", _ENV),
    "4.05": (r"\btouris", _ENV),
    "4.07": (r"\bsocial|\blabou?r|\bpoverty|\bemployment|\bgender|\bhealth", _ENV),
    "4.09": (r"\burban|\bcit(y|ies)|\bhousing|\bmunicipal", _ENV),
    "4.12": (r"\bagricultur|\bfarm|\brural", _ENV),
    "4.13": (r"\bindigenous|traditional knowledge|local communit|\btribal",),
    "4.14": (r"\bhealth", _ENV),
    "4.15": (r"\bindustr", _ENV),
    "4.16": (r"\btransport|\bshipping|\bmaritime|\baviation|\bvehicle", _ENV),
    "4.17": (_ENV,),
    "5.01.01": (r"\benforc", _ENV),
    "5.01.02": (r"\benforc", _ENV),
    "5.03": (r"\bremed|\bsanction|\bjudicial|\btribunal|\bpenalt|\bprocedur|\bproceeding", _ENV),
    "5.05": (r"\benforc|\bcomplian", _ENV),
    "6.01": (r"\beducat|\bawareness|\btraining", _ENV),
    "6.02.01": (
        r"\bvoluntar|corporate (social )?responsib|responsible business|self[- ]regulat|best practice",
        _ENV,
    ),
    "6.02.02": (r"eco-?label|\bcertif|\bvoluntar|\baudit|fair trade|\bverification|\blabel", _ENV),
    "6.03.01": (r"economic instrument|market[- ]based|\bincentive|market mechanism|\bmarket", _ENV),
    "6.03.02": (
        r"\bincentive|\btax|\bfees?\b|\bcharge|\btradab|emissions? trading|\bpermit|market[- ]based|\bpayment",
        _ENV,
    ),
    "7.01.01": (_GREEN,),
    "7.01.02.01": (_GREEN,),
    "7.02.01": (r"\bresearch|scientific (cooperation|co-operation|exchange|stud)", _ENV),
    "7.02.02": (
        r"\bresearch|\bscien|\bexpert|\bseminar|\bworkshop|\bexchange|joint (project|programme|program)",
        _ENV,
    ),
    "7.02.04": (r"\bassess|\bstud(y|ies)|\bmonitor|\bsurvey|\bresearch", _ENV),
    "7.03.01": (r"\binformation|\bdata\b|\bexperience|best practice", _ENV),
    "7.03.02": (r"\binformation|\bdata|\bexchange|\bnetwork|\bpublication", _ENV),
    "7.03.04": (r"\bnotif|\binform", r"\benviron|" + _LIFE),
    "7.03.05": (
        r"\bcustoms",
        r"\billegal|\boffen[cs]e|\bsmuggl|\benforc|\bfraud|\binfring|\btraffick",
        r"\benviron|\bwildlife|\bendangered|\bspecies|\btimber|\bhazardous|\bwaste|\bozone|\bcites\b",
    ),
    "7.04.01": (r"\bharmoni|\bapproximat|\balign|\bconverg|\bcompatib|\bequivalen", _ENV),
    "7.05": (r"\bnegotiat|" + _MEA, _ENV),
    "7.09": (r"\bcooperat|\bcollaborat|work together|\bjoint", _ENV),
    "8.01.01.01": (_LIFE, r"\bnecessary"),
    "8.01.01.02": (_LIFE,),
    "8.01.02": (r"\bconserv|\bexhaustible|natural resource",),
    "8.01.03": (r"\benviron",),
    "8.02.02": (
        r"technical regulation|\bstandard|conformity assessment|\btbt\b|technical barrier",
        r"\benviron|\bsafety|legitimate objective|" + _LIFE,
    ),
    "8.02.03": (
        r"\burgen|\bemergenc",
        r"technical regulation|\bstandard|\bconformity|\btbt\b|technical barrier|\bnotif",
    ),
    "8.03.01": (_INVEST, r"\benviron|\bhealth|\bsafety|\bconserv|natural resource|\bsustainab"),
    "8.03.02": (_INVEST + r"|\bestablish", r"\benviron|\bhealth|\bconserv|natural resource|\bsustainab"),
    "8.03.04": (
        r"\bexpropriat|\bnationali[sz]|\btaking",
        r"\benviron|\bhealth|\bsafety|public welfare|legitimate|\bregulat",
    ),
    "8.03.05": (
        _INVEST + r"|\bestablish",
        r"\bsector|\breservation|non-conforming|\bexclu|\bprohibit|\brestrict",
        _SERVICE_SECTORS,
    ),
    "8.03.06": (
        _INVEST + r"|\bsector|\breservation|non-conforming|right to (adopt|maintain)",
        _SERVICE_SECTORS,
    ),
    "8.04.01": (
        r"\bpatent|\binvention",
        r"\benviron|\bnature\b|ordre public|public order|\bprejudice|" + _LIFE,
    ),
    "8.05.01": (
        r"\bprocure|\btender|\bcontract|\bpurchas",
        r"\benviron|\bconserv|natural resource|\bsustainab|" + _LIFE,
    ),
    "8.05.02": (
        r"\btender|\bprocure|technical specification",
        r"\benviron|natural resource|\bsustainab|\bconserv",
    ),
    "8.05.03": (r"\bprocure|\btender|\bcover|\bentit", _SERVICE_SECTORS),
    "8.06.01.01": (_SUBSIDY + r"|\bsupport", r"\bagricultur|\bfarm"),
    "8.06.01.02": (_SUBSIDY + r"|\baid\b", r"\benviron|\benerg|\bconserv|\bsustainab|\bresearch"),
    "8.09.01": (_LIFE,),
    "8.09.04": (
        r"environmental services|\bsewage|refuse disposal|\bsanitation|waste (management|water|disposal|treatment)|nature and landscape",
    ),
    "8.09.05": (
        r"\bservices?\b|\bsector|\breservation|\bschedul|\bcommitment",
        r"environmental services|\bsewage|\brefuse|\bsanitation|\bwaste|\bwater|\bfish|\bforest|\benviron",
    ),
    "8.09.06": (
        r"\bservices?\b|\bsector|\breservation|right to (adopt|maintain)|non-conforming",
        _SERVICE_SECTORS,
    ),
    "8.10": (r"\bsanitary|\bphytosanitary|\bsps\b", r"\benviron|\becolog|\bpest|\bdisease|" + _LIFE),
    "9.01.01": (r"technical assistance|capacity[- ]building|\btraining|\bcapacit", _ENV),
    "9.01.02": (
        r"technical assistance|\bcapacit|\btraining",
        r"\bprivate|civil society|non-governmental|small and medium|\benterprise|\bcommunit|\bbusiness|\bacadem|\bstakeholder",
    ),
    "9.02": (r"\btechnolog", _ENV),
    "9.03.02": (r"\bfund|\bfinanc|\bcosts?\b|\bbudget|\bgrant", r"\bcooperat|\bactivit|\bproject|\bprogram"),
    "9.04": (r"\bdisaster|\bemergenc|\bcatastroph|\bhumanitarian|\bearthquake|\bflood",),
    "10.01.03": (
        r"\bseas?\b|\bocean|\bmarine",
        r"\bpollut|\bconserv|\bprotect|\benviron|\becosystem|\bliving resource|\bbiodivers|\bdumping",
    ),
    "10.01.04": (r"\btransboundary|shared water|\briver|\bwaterway|\bbasin|\bwatercourse|\blake",),
    "10.01.06": (r"\bcoast|\bshore|\bmangrove|\breef",),
    "10.01.10": (
        r"\bwater",
        r"\bpollut|\bconserv|\bprotect|\bmanag|\bquality|\bresource|\benviron|\bsanitation|\bscarc",
    ),
    "10.03": (r"\bsoil|\bland\b|\bcontaminat|\bdesertif|\berosion",),
    "10.04.01": (
        r"\bfish|\baquacultur|marine living",
        r"\bconserv|\bsustainab|\bmanag|\bstocks?\b|\biuu\b|illegal, unreported|\boverfish|\bprotect|\bsubsid",
    ),
    "10.04.03": (r"\bfish|\biuu\b", r"\billegal|\biuu\b|\bunreported|\bunregulated"),
    "10.05.01": (r"\bforest|\btimber|\blogging",),
    "10.05.02": (r"\bforest|\btimber|\bwood",),
    "10.05.03": (r"\bforest|\btimber|\blogging",),
    "10.06": (r"\bendangered|\bcites\b|wild fauna|\bwildlife|\bspecies|wild flora",),
    "10.08": (r"\bwhal|\bseals?\b|\bcetacean|marine mammal",),
    "10.12.03": (
        r"genetic resource|benefit[- ]sharing|sharing of (the )?benefits|prior informed consent|\bnagoya|traditional knowledge",
    ),
    "10.12.04": (r"genetic resource|genetic material|biological (diversity|resource)|traditional knowledge",),
    "10.13": (
        r"protected area|\bparks?\b|\breserves\b|nature reserve|\bsanctuar|natural heritage|\bwetland",
    ),
    "10.14": (
        r"\bbiodivers|biological diversity|\becosystem|\bspecies|\bflora\b|\bfauna\b|\bhabitat|\bwildlife",
    ),
    "10.15.01.01": (
        r"\brenewable(?! scrap)|clean energy|\bsolar|\bwind\b|\bbiofuel|\bbiomass|\bhydro|\bgeotherm|alternative energ",
    ),
    "10.15.01.02": (r"\benerg", r"\befficien|\bsaving|\bconserv"),
    "10.15.02.01": (r"\bemission|\bgreenhouse|\bghg\b|\bcarbon|\bclimat|\bmitigat",),
    "10.15.02.03": (r"\bclimat",),
    "10.17": (r"\bair\b|\batmospher|\bozone|\bemission|\bsmog|\bhaze",),
    "10.18": (
        r"\bvehicle|\bautomo|\bmotor|\bcars?\b",
        r"\bemission|\benviron|\bpollut|\bfuel|\bnoise|\befficien",
    ),
    "10.21.01": (
        r"\bbiosafety|\bbiotechnolog|\bcartagena|living modified|genetically modified|\binvasive|alien species",
    ),
    "10.22.02": (r"\bnuclear|\bradiation|\bradioactiv|\batomic",),
    "10.22.03": (
        r"\bdisaster|\bcatastroph|\bflood|\bearthquake|\btsunami|\bhurricane|natural hazard|emergency (prepared|response|situation)",
    ),
    "10.23": (r"\bwaste(?! and (scrap|spoilage))|\brecycl|\bgarbage|\brefuse\b|\bsewage|\blitter",),
    "10.24.02": (r"\bhazardous|\bwaste|\bbasel\b|\btoxic",),
    "10.25": (r"\bpesticid|\bfertili[sz]|\btoxic|\bchemical|\bhazardous|\bmercury|persistent organic",),
    "11.01": (r"contact point|focal point|\bcoordinator|\bliaison", _ENV),
    "11.02.01": (
        r"\breport|\bcommunicat|\binform|\bpublic|\bpublish",
        r"\bimplement|\bactions?\b|\bprogress",
    ),
    "11.02.02": (
        r"\bdecision|\brecommendation|\breports?\b|\bminutes|\bsummar",
        r"\bpublic|\bpublish|\bavailable|\bcommunicat",
    ),
    "11.03.01": (
        r"\bpublic|civil society|\bstakeholder|\badvisory|\bconsultative|non-governmental|\bcommunit|\bpersons",
        r"\bimplement|\bparticipat|\bviews|\bconsult|\bsubmission|\bdialogue|\bforum",
    ),
    "11.03.02": (
        r"civil society|non-governmental|private sector|non-state|\bbusiness|\bacadem|\bstakeholder|people[- ]to[- ]people|contacts? between",
    ),
    "11.04": (r"\bimpact|\bassess|\breview|\bmonitor|\bevaluat", _ENV),
    "12.01": (r"\bcommittee|\bcouncil|\bcommission|working group|\bboard|\bsub-committee", _ENV),
    "13.01.01": (r"\bexpert|\bpanel", _ENV),
    "13.02.03": (r"\bexpert|\breport", r"\benviron|\bhealth|\bsafety|\bscientific"),
    "13.03.01": (_DSM + r"|\bexpert|\bcommittee|\breview|\bsubmission", r"\benforc|\benviron"),
    "13.04.01.02": (_DSM + r"|\bexpert|\bcommittee", _ENV),
    "13.04.02.01": (_DSM,),
    "13.05.03": (r"\bpanel|\bexpert|\btribunal", r"\bconsult|\bdefer|\bseek|\binterpret", _MEA),
    "14.02.12.01": (r"biological diversity|\bcbd\b",),
    "14.02.21": (_MEA, r"\bimplement|\bcompl[yi]|\bcommitment|\bobligation|\beffect"),
    "14.03.01": (r"\bcites\b|endangered species of wild",),
    "14.03.02": (r"montreal protocol|\bozone",),
    "14.03.16": (_MEA, r"\binconsisten|\bprevail|\bconflict|\bprecedence"),
    "14.04.01": (r"\bcites\b|endangered species of wild",),
    "14.04.17": (r"rio declaration|\brio\b",),
    "14.04.18": (r"agenda 21|\brio\b",),
    "14.04.20": (r"\bjohannesburg|world summit on sustainable",),
    "14.04.27": (
        r"\bunep\b|united nations environment|commission on sustainable|global environment facility|\bipcc\b|\bunfccc\b|\bconvention|\borgani[sz]ation|\binstitution|\bprogramme",
        _ENV,
    ),
    "14.05": (r"\binconsisten|\bconflict", r"\bconsult"),
    "14.06": (r"\binconsisten|\bconflict", r"\bprevail|\bprecedence"),
    "14.07.02": (
        r"international (standard|organi[sz]ation|bod)|risk assessment|\bcodex\b|\boie\b|\bippc\b|relevant international",
    ),
    "15": (_ENV,),
}
"""Per TREND code, the patterns (lower case) a clause must all match to be shown as the code's evidence."""

FALLBACK = (_ENV,)
"""The patterns of a code :data:`SUBJECTS` does not list (a model trained on a newer TREND file)."""

SUBJECTS_DIGEST = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]
"""Changes with this module (patterns and rules), so that evidence cached under other rules is chosen again."""


@functools.lru_cache(maxsize=512)
def _compiled(code: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p.replace(r"\benviron", _ENVIRON)) for p in SUBJECTS.get(code, FALLBACK))


_SENTENCE = re.compile(r"(?<=[.;:])\s+")
_NOT_ENVIRONMENT = re.compile(
    r"\bmaterials?\b|\borigin|wholly obtained|de minimis|cumulation|tariff classification"
)
"""Article titles of the rules of origin, whose "waste and scrap", "renewable scrap" and "sea fishing" are
never environmental norms (TREND codes none there)."""
_DEFINITIONS = re.compile(r"\bdefinition")
"""A definitions article says what words mean, not a norm: evidence only for 2.03 (the definition of
environmental law)."""


def mentions(code: str, context: str, text: str) -> bool:
    """Whether one sentence of ``text`` mentions the subject of TREND provision ``code``: every pattern
    matches the sentence with ``context`` (the article's title and the clause's lead-in) before it.

    Both lower case, accents dropped. One sentence, not the whole clause: in a long clause (a list of
    definitions run together) every word is somewhere, and the patterns would say nothing.
    """
    title = context.split("|", 1)[0]
    if _NOT_ENVIRONMENT.search(title) or (code != "2.03" and _DEFINITIONS.search(title)):
        return False
    patterns = _compiled(code)
    return any(all(p.search(f"{context} | {s}") for p in patterns) for s in _SENTENCE.split(text))
