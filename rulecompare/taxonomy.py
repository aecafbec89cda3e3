"""Policy areas of trade-agreement provisions, and the mapping of titles to them.

Comparing "rules of origin" with "rules of origin" is what makes area-level
overlap matrices meaningful, so every clause gets one policy area from a fixed,
documented taxonomy. The areas follow the policy areas of the World Bank Deep
Trade Agreements database (Mattoo, Rocha and Ruta, eds., *Handbook of Deep
Trade Agreements*, 2020; "DTA" below) and the WTO+ / WTO-X areas of Horn,
Mavroidis and Sapir (2010, "Beyond the WTO? An anatomy of EU and US preferential
trade agreements", *The World Economy* 33(11); "HMS" below), plus the
structural parts every treaty has (preamble, initial and final provisions,
institutions, exceptions).

Titles are mapped in four steps (see :func:`classify_area` and
docs/TAXONOMY.md): an explicit table of reviewed titles (``data/area_titles.tsv``,
covering every chapter title of the ToTA corpus), a fuzzy match against the
known titles and aliases for misspellings and OCR noise, a keyword scan of the
title, and for chapters whose title says nothing (missing, "General
Provisions", "Part II") the article title and then the opening of the text.
Ingest classifies about 100,000 clauses, so title lookups are cached and the
text scan is a handful of precompiled regular expressions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, get_args

from rapidfuzz import fuzz, process

from rulecompare.model import UNCLASSIFIED

__all__ = [
    "AREAS",
    "AreaInfo",
    "PolicyArea",
    "area_keys",
    "classify_area",
    "classify_title",
    "coverage",
    "normalize_title",
]

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
"""Key of a policy area; ``"unclassified"`` when titles and text match none."""


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


def _area(
    key: str,
    label: str,
    description: str,
    reference: str,
    en: tuple[str, ...] = (),
    es: tuple[str, ...] = (),
    fr: tuple[str, ...] = (),
) -> tuple[str, AreaInfo]:
    return key, AreaInfo(key, label, description, reference, en, es, fr)


AREAS: dict[str, AreaInfo] = dict(
    [
        _area(
            "preamble",
            "Preamble",
            "The preamble: the parties, their motives and shared commitments.",
            "Structural (ToTA chapter 'Preamble')",
            ("preamble",),
            ("preambulo",),
            ("preambule",),
        ),
        _area(
            "initial_provisions",
            "Initial provisions and definitions",
            "Establishment of the free trade area or union, objectives, scope, definitions "
            "of general application, relation to other agreements.",
            "Structural (horizontal provisions)",
            (
                "initial provisions",
                "general definitions",
                "definitions",
                "objectives",
                "objective",
                "establishment of a free trade area",
                "establishment of the free trade area",
                "relation to other agreements",
                "scope of the agreement",
                "aims and objectives",
                "general principles",
                "basic principles",
                "purpose of the agreement",
                "free trade area",
                "trade relations governed by",
                "trade and economic relations governed by",
                "wto disciplines",
                "regional and local government",
                "bilateral arrangements",
            ),
            (
                "disposiciones iniciales",
                "definiciones",
                "objetivos",
                "objetivo",
                "establecimiento de la zona de libre comercio",
                "principios generales",
            ),
            ("dispositions initiales", "definitions", "objectifs", "principes"),
        ),
        _area(
            "goods_market_access",
            "Trade in goods and market access",
            "Tariff elimination, customs duties, national treatment and market access for "
            "goods, quantitative restrictions, export duties, agricultural, fishery and "
            "industrial products, textiles, customs union and common external tariff.",
            "HMS WTO+ 'FTA industrial', 'FTA agriculture', 'Export taxes'; DTA 'Export restrictions'",
            (
                "trade in goods",
                "market access",
                "national treatment",
                "customs duties",
                "customs duty",
                "custom duties",
                "tariff",
                "quantitative restrictions",
                "quantitative restriction",
                "industrial products",
                "industrial goods",
                "agricultural products",
                "agriculture",
                "agricultural",
                "fishery products",
                "fisheries",
                "fish",
                "processed agricultural",
                "textile",
                "free movement of goods",
                "trade liberalisation",
                "trade liberalization",
                "customs union",
                "common external tariff",
                "internal taxation",
                "export duties",
                "import duties",
                "goods",
                "non tariff measures",
                "wine",
                "spirits",
                "sugar",
                "automotive",
                "quantitative*",
                "concessions",
                "revenue duties",
                "licensing",
                "non discrimination",
                "scarce commodities",
                "import restrictions",
                "export restrictions",
            ),
            (
                "comercio de mercancias",
                "acceso de mercancias",
                "acceso a mercados",
                "trato nacional",
                "aranceles",
                "arancelarias",
                "desgravacion",
                "sector agropecuario",
                "agricultura",
                "mercancias",
                "bienes",
                "textiles",
                "sector automotor",
                "regimen de intercambio",
                "programa de liberacion",
            ),
            (
                "echanges de marchandises",
                "droits de douane",
                "union douaniere",
                "tarif exterieur",
                "agriculture",
                "marchandises",
            ),
        ),
        _area(
            "rules_of_origin",
            "Rules of origin",
            "Origin criteria, cumulation, certificates and proof of origin, origin procedures "
            "and verification.",
            "DTA 'Rules of origin'",
            (
                "rules of origin",
                "rule of origin",
                "origin procedures",
                "originating products",
                "originating goods",
                "certificate of origin",
                "origin",
                "proof of origin",
                "deflection of trade",
            ),
            (
                "reglas de origen",
                "normas de origen",
                "regimen de origen",
                "procedimientos de origen",
                "origen",
            ),
            ("regles d origine", "origine"),
        ),
        _area(
            "customs_trade_facilitation",
            "Customs and trade facilitation",
            "Customs procedures and valuation, trade facilitation, transit, mutual administrative "
            "assistance in customs matters, paperless trading.",
            "DTA 'Trade facilitation and customs'; HMS WTO+ 'Customs administration'",
            (
                "customs procedures",
                "customs procedure",
                "customs administration",
                "trade facilitation",
                "customs cooperation",
                "customs valuation",
                "customs",
                "transit",
                "paperless trading",
                "mutual administrative assistance",
                "formalities",
            ),
            (
                "procedimientos aduaneros",
                "procedimientos aduanales",
                "facilitacion del comercio",
                "facilitacion de comercio",
                "administracion aduanera",
                "administracion de aduanas",
                "asuntos aduaneros",
                "cooperacion aduanera",
                "aduan*",
                "transito",
            ),
            (
                "procedures douanieres",
                "facilitation des echanges",
                "cooperation douaniere",
                "douan*",
                "transit",
            ),
        ),
        _area(
            "sps",
            "Sanitary and phytosanitary measures",
            "Food safety, animal and plant health measures (SPS), veterinary and quarantine measures.",
            "DTA 'Sanitary and phytosanitary measures'; HMS WTO+ 'SPS'",
            (
                "sanitary and phytosanitary",
                "phytosanitary",
                "sps",
                "veterinary",
                "food safety",
                "animal welfare",
                "quarantine",
            ),
            ("medidas sanitarias", "fitosanitarias", "zoosanitarias", "sanitarias"),
            ("mesures sanitaires", "phytosanitaires"),
        ),
        _area(
            "tbt",
            "Technical barriers to trade",
            "Technical regulations, standards, conformity assessment, metrology, accreditation, "
            "mutual recognition of conformity assessment, sectoral product annexes.",
            "DTA 'Technical barriers to trade'; HMS WTO+ 'TBT'",
            (
                "technical barriers to trade",
                "technical barrier to trade",
                "technical barriers",
                "tbt",
                "technical regulations",
                "technical regulation",
                "standards related measures",
                "conformity assessment",
                "standardisation",
                "standardization",
                "metrology",
                "technical standards",
                "mutual recognition",
                "standards",
                "pharmaceutical products",
                "medical devices",
            ),
            (
                "obstaculos tecnicos",
                "normalizacion",
                "normas tecnicas",
                "reglamentos tecnicos",
                "evaluacion de la conformidad",
                "metrologia",
            ),
            ("obstacles techniques", "reglements techniques", "normalisation", "normes"),
        ),
        _area(
            "trade_remedies",
            "Trade remedies",
            "Anti-dumping, countervailing (subsidy) duties, bilateral and global safeguards, "
            "emergency action, unfair trade practices.",
            "DTA 'Anti-dumping', 'Countervailing duties'; HMS WTO+ 'AD', 'CVM'",
            (
                "trade remedies",
                "trade remedy",
                "anti dumping",
                "antidumping",
                "dumping",
                "countervailing",
                "safeguard",
                "safeguards",
                "emergency action",
                "emergency measures",
                "trade defence",
                "trade defense",
                "unfair trade practices",
                "structural adjustment",
                "restructuring clause",
            ),
            (
                "defensa comercial",
                "salvaguardia",
                "salvaguardias",
                "salvaguarda",
                "antidumping",
                "derechos compensatorios",
                "cuotas compensatorias",
                "practicas desleales",
                "comercio desleal",
                "dumping",
                "medidas compensatorias",
            ),
            ("defense commerciale", "sauvegarde", "antidumping", "mesures compensatoires"),
        ),
        _area(
            "services",
            "Trade in services",
            "Cross-border trade in services, establishment and commercial presence, transport, "
            "maritime, air, tourism, professional and other sectoral services, domestic regulation.",
            "HMS WTO+ 'GATS'; DTA 'Services'",
            (
                "trade in services",
                "cross border trade in services",
                "crossborder trade in services",
                "services",
                "supply of services",
                "establishment",
                "right of establishment",
                "commercial presence",
                "maritime transport",
                "air transport",
                "maritime services",
                "air services",
                "transport services",
                "professional services",
                "domestic regulation",
                "service",
            ),
            (
                "comercio de servicios",
                "comercio transfronterizo de servicios",
                "servicios",
                "transporte aereo",
                "transporte maritimo",
                "servicios maritimos",
                "empresas de construccion",
            ),
            ("commerce des services", "services", "etablissement"),
        ),
        _area(
            "financial_services",
            "Financial services",
            "Banking, insurance and securities services and their prudential regulation.",
            "DTA 'Services' (financial); HMS WTO-X 'Financial services'",
            (
                "financial services",
                "financial service",
                "banking",
                "insurance",
                "regulation of the financial markets",
            ),
            ("servicios financieros",),
            ("services financiers",),
        ),
        _area(
            "telecommunications",
            "Telecommunications",
            "Telecommunications networks and services, interconnection, spectrum.",
            "DTA 'Services' (telecommunications)",
            ("telecommunications", "telecommunication", "telecom", "interconnection", "universal service"),
            ("telecomunicaciones",),
            ("telecommunications",),
        ),
        _area(
            "movement_of_persons",
            "Movement of natural persons",
            "Temporary entry of business persons, movement of natural persons and workers, "
            "labour mobility, recognition of qualifications.",
            "DTA 'Visa and asylum' (entry); HMS WTO+ 'GATS' (mode 4)",
            (
                "movement of natural persons",
                "temporary entry",
                "business persons",
                "businesspersons",
                "movement of persons",
                "natural persons",
                "movement of workers",
                "free movement of persons",
                "workers",
                "labor migration",
                "labour migration",
                "temporary stay",
                "movement of business",
            ),
            (
                "entrada temporal",
                "personas de negocios",
                "personas fisicas",
                "movimiento de personas",
                "titulos y o grados",
                "certificados titulos",
            ),
            ("circulation des personnes", "personnes physiques", "entree temporaire"),
        ),
        _area(
            "investment",
            "Investment",
            "Investment liberalisation and protection, investor-state dispute settlement, "
            "performance requirements, investment promotion.",
            "DTA 'Investment'; HMS WTO+ 'TRIMs', WTO-X 'Investment measures'",
            ("investment", "investments", "investor", "trims"),
            ("inversion", "inversiones"),
            ("investissement", "investissements"),
        ),
        _area(
            "capital_payments",
            "Capital movements and payments",
            "Current payments, capital movements, transfers, balance-of-payments measures.",
            "DTA 'Movement of capital'; HMS WTO-X 'Movement of capital'",
            (
                "capital movements",
                "capital movement",
                "movement of capital",
                "current payments",
                "payments",
                "payment",
                "capital",
                "balance of payments",
                "transfers",
            ),
            ("movimientos de capital", "pagos", "transferencias", "transferencia", "balanza de pagos"),
            ("mouvements de capitaux", "paiements"),
        ),
        _area(
            "competition",
            "Competition policy",
            "Competition law and policy, anticompetitive business conduct, consumer protection.",
            "DTA 'Competition policy'; HMS WTO-X 'Competition policy', 'Consumer protection'",
            (
                "competition",
                "anticompetitive",
                "anti competitive",
                "rules applicable to undertakings",
                "consumer protection",
                "consumer policy",
                "consumer rights",
            ),
            ("competencia", "proteccion al consumidor", "proteccion del consumidor"),
            ("concurrence", "consommateurs"),
        ),
        _area(
            "state_enterprises_subsidies",
            "State enterprises, monopolies and subsidies",
            "State-owned and state-trading enterprises, designated monopolies, subsidies and state aid.",
            "DTA 'State-owned enterprises', 'Subsidies'; HMS WTO+ 'STE', 'State aid'",
            (
                "state owned enterprises",
                "state enterprises",
                "state trading enterprises",
                "monopolies",
                "monopoly",
                "state aid",
                "public aid",
                "subsidies",
                "subsidy",
                "public undertakings",
                "government enterprises",
                "designated monopolies",
            ),
            (
                "empresas del estado",
                "empresas de propiedad del estado",
                "monopolios",
                "subsidios",
                "subvenciones",
                "ayudas",
            ),
            ("entreprises publiques", "monopoles", "aides d etat", "subventions"),
        ),
        _area(
            "government_procurement",
            "Government procurement",
            "Procurement by central, sub-central and other covered entities.",
            "DTA 'Public procurement'; HMS WTO+ 'Public procurement'",
            (
                "government procurement",
                "public procurement",
                "procurement",
                "government municipal procurement",
            ),
            (
                "contratacion publica",
                "compras del sector publico",
                "compras publicas",
                "compras gubernamentales",
                "contratacion",
            ),
            ("marches publics",),
        ),
        _area(
            "intellectual_property",
            "Intellectual property",
            "Copyright, trademarks, patents, geographical indications, designs, enforcement of rights.",
            "DTA 'Intellectual property rights'; HMS WTO+ 'TRIPs', WTO-X 'IPR'",
            (
                "intellectual property",
                "intellectual industrial and commercial property",
                "trips",
                "geographical indications",
                "copyright",
                "trademarks",
                "patents",
            ),
            ("propiedad intelectual", "denominaciones de origen", "indicaciones geograficas"),
            ("propriete intellectuelle",),
        ),
        _area(
            "e_commerce",
            "Electronic commerce and digital trade",
            "Electronic commerce, digital trade, electronic transactions, personal data protection, "
            "information society and ICT.",
            "HMS WTO-X 'Information society', 'Data protection'; DTA 1.0 'E-commerce'",
            (
                "electronic commerce",
                "e commerce",
                "digital trade",
                "digital economy",
                "electronic technologies",
                "information society",
                "personal data",
                "data protection",
                "information and communications technology",
                "knowledge society",
            ),
            ("comercio electronico", "datos personales"),
            ("commerce electronique",),
        ),
        _area(
            "labour",
            "Labour",
            "Labour standards and labour law, employment and social policy.",
            "DTA 'Labor market regulations'; HMS WTO-X 'Labour market regulation', 'Social matters'",
            (
                "labour",
                "labor",
                "employment",
                "social policy",
                "social matters",
                "social dialogue",
                "social aspects",
                "social provisions",
                "social cooperation",
            ),
            ("laboral", "asuntos laborales", "trabajo"),
            ("travail", "emploi"),
        ),
        _area(
            "environment",
            "Environment",
            "Environmental protection, climate change, natural resources, forestry, biodiversity.",
            "DTA 'Environmental laws'; HMS WTO-X 'Environmental laws'",
            (
                "environment",
                "environmental",
                "climate",
                "natural resources",
                "biodiversity",
                "forestry",
                "desertification",
                "wildlife",
            ),
            ("medio ambiente", "ambiental", "ambiente"),
            ("environnement",),
        ),
        _area(
            "sustainable_development",
            "Trade and sustainable development",
            "Trade and sustainable development chapters combining labour and environment "
            "commitments with their own review and dispute procedures.",
            "DTA 'Environmental laws' + 'Labor market regulations' (TSD chapters)",
            ("sustainable development", "trade partnership for sustainable development"),
            ("desarrollo sostenible", "comercio y desarrollo sostenible"),
            ("developpement durable",),
        ),
        _area(
            "energy",
            "Energy and raw materials",
            "Trade-related energy, energy cooperation, mining and raw materials.",
            "HMS WTO-X 'Energy', 'Mining'",
            (
                "energy",
                "petrochemicals",
                "mining",
                "raw materials",
                "nuclear",
                "mineral resources",
                "petroleum",
            ),
            ("energia", "mineria"),
            ("energie",),
        ),
        _area(
            "smes",
            "Small and medium-sized enterprises",
            "Provisions for small and medium-sized enterprises.",
            "HMS WTO-X 'SME'",
            ("small and medium", "smes", "sme", "micro small and medium"),
            ("pequenas y medianas empresas", "pymes", "mipymes"),
            ("petites et moyennes entreprises", "pme"),
        ),
        _area(
            "development",
            "Development and capacity building",
            "Development cooperation, trade capacity building, special and differential treatment, "
            "financial assistance and aid, least-developed members, export earnings stabilisation.",
            "HMS WTO-X 'Financial assistance'; DTA 1.0 'Development'",
            (
                "development",
                "capacity building",
                "technical assistance",
                "financial assistance",
                "least developed",
                "stabilization of export earnings",
                "stabilisation of export earnings",
                "financial cooperation",
                "financial resources",
                "aid",
                "landlocked",
                "island acp",
                "special and differential treatment",
                "human resources",
            ),
            ("desarrollo", "menor desarrollo", "desarrollo de capacidades", "fortalecimiento de capacidades"),
            ("developpement",),
        ),
        _area(
            "regulatory_cooperation",
            "Regulatory cooperation and good practice",
            "Regulatory coherence, good regulatory practice, approximation of laws, company law, "
            "public administration reform, statistics, taxation.",
            "HMS WTO-X 'Approximation of legislation', 'Public administration', 'Statistics', 'Taxation'",
            (
                "regulatory coherence",
                "regulatory cooperation",
                "good regulatory practice",
                "approximation of laws",
                "approximation of legislation",
                "rapprochement",
                "company law",
                "public administration",
                "statistics",
                "statistical",
                "taxation",
                "harmonization of",
                "harmonisation of",
                "legislation",
            ),
            ("coherencia regulatoria", "buenas practicas regulatorias", "mejora regulatoria", "armonizacion"),
            ("harmonisation des legislations", "rapprochement des legislations", "fiscalite"),
        ),
        _area(
            "transparency",
            "Transparency and anti-corruption",
            "Publication and notification of laws, administrative proceedings, review and appeal, "
            "anti-corruption.",
            "HMS WTO-X 'Anti-corruption'; DTA 1.0 'Transparency'",
            (
                "transparency",
                "anti corruption",
                "anticorruption",
                "corruption",
                "publication",
                "review and appeal",
                "administration of laws",
                "transparent administration",
                "administrative proceedings",
            ),
            ("transparencia", "anticorrupcion", "publicacion"),
            ("transparence",),
        ),
        _area(
            "justice_security",
            "Justice, home affairs and security",
            "Visa and asylum, migration, illegal immigration, money laundering, drugs, terrorism, "
            "organised crime, foreign and security policy, human rights and democracy.",
            "DTA 'Visa and asylum'; HMS WTO-X 'Illegal immigration', 'Money laundering', 'Terrorism', "
            "'Illicit drugs', 'Human rights', 'Political dialogue' (security)",
            (
                "justice",
                "home affairs",
                "freedom and security",
                "security policy",
                "money laundering",
                "illicit drugs",
                "terrorism",
                "illegal immigration",
                "migration",
                "asylum",
                "visa",
                "human rights",
                "democratic principles",
                "democracy",
                "criminal matters",
                "illegal activities",
                "peace and security",
                "legal and judicial",
            ),
            ("justicia", "seguridad", "migracion", "derechos humanos"),
            ("justice", "securite"),
        ),
        _area(
            "cooperation",
            "Cooperation and dialogue",
            "Economic, technical, industrial, scientific, cultural and sectoral cooperation, "
            "political and economic dialogue, trade promotion.",
            "HMS WTO-X 'Economic policy dialogue', 'Political dialogue', 'Industrial cooperation', "
            "'Research and technology', 'Cultural cooperation', 'Education and training', 'Health'",
            (
                "cooperation",
                "political dialogue",
                "economic dialogue",
                "dialogue",
                "partnership",
                "trade promotion",
                "science and technology",
                "research",
                "education",
                "culture",
                "cultural",
                "tourism",
                "health",
                "audiovisual",
                "audio visual",
                "co production",
                "transport",
                "industrial development",
                "industrial cooperation",
                "industry",
                "macroeconomic",
                "monetary",
                "economic policy",
                "civil society",
                "youth",
                "sport",
                "media",
                "civil protection",
                "food security",
                "infrastructure",
                "private sector",
                "business environment",
                "innovation",
            ),
            (
                "cooperacion",
                "dialogo politico",
                "promocion comercial",
                "integracion industrial",
                "transporte",
            ),
            ("cooperation", "politiques communes", "politiques sectorielles"),
        ),
        _area(
            "dispute_settlement",
            "Dispute settlement",
            "State-to-state consultations, panels and arbitration, mediation, compliance, courts "
            "of justice of integration schemes.",
            "DTA 'Dispute settlement'",
            (
                "dispute settlement",
                "settlement of disputes",
                "dispute",
                "disputes",
                "arbitration",
                "mediation",
                "court of justice",
                "consultations",
                "consultation",
                "dispute avoidance",
            ),
            (
                "solucion de controversias",
                "solucion de diferencias",
                "controversias",
                "diferencias",
                "arbitraje",
            ),
            ("reglement des differends", "differends", "cour de justice"),
        ),
        _area(
            "institutions",
            "Institutions and administration",
            "Joint committees and councils, committees and secretariats, administration and "
            "implementation of the agreement, organs of integration schemes, budget.",
            "Structural (institutional provisions)",
            (
                "institutional",
                "institutions",
                "joint committee",
                "administration of the agreement",
                "organs",
                "council",
                "commission",
                "committee",
                "secretariat",
                "assembly",
                "summit",
                "bodies",
                "administration",
                "implementation",
                "management",
                "budget",
                "decision making",
            ),
            (
                "administracion del tratado",
                "administracion del acuerdo",
                "organizacion institucional",
                "institucional",
                "organismos",
                "comision",
                "administracion",
            ),
            ("organes", "institutions", "ressources de l union"),
        ),
        _area(
            "exceptions",
            "Exceptions",
            "General, security, taxation and balance-of-payments exceptions, prudential carve-outs.",
            "Structural (exceptions)",
            ("exceptions", "exception", "general exceptions", "security exceptions", "exeptions"),
            ("excepciones",),
            ("exceptions",),
        ),
        _area(
            "final_provisions",
            "Final provisions",
            "Entry into force, amendments, accession, withdrawal, duration, depositary, authentic "
            "texts, annexes, signature and concluding statements.",
            "Structural (final clauses)",
            (
                "final provisions",
                "final clauses",
                "final dispositions",
                "closing provisions",
                "entry into force",
                "amendments",
                "amendment",
                "accession",
                "withdrawal",
                "denunciation",
                "depositary",
                "duration",
                "termination",
                "ratification",
                "conclusion",
                "transitional",
                "transitory",
                "authentic texts",
                "annexes",
                "signature",
                "miscellaneous",
                "territorial application",
                "fulfilment of obligations",
                "fulfillment of obligations",
                "evolutionary clause",
                "review",
                "association with the agreement",
                "non application",
                "suspension of obligations",
                "variation or suspension",
                "modified application",
            ),
            (
                "disposiciones finales",
                "entrada en vigor",
                "enmiendas",
                "adhesion",
                "denuncia",
                "vigencia",
                "disposiciones transitorias",
                "deposito",
                "retiro",
            ),
            ("dispositions finales", "entree en vigueur", "revision", "denonciation", "adhesion"),
        ),
        _area(
            UNCLASSIFIED,
            "Unclassified",
            "Neither the chapter title, the article title nor the opening of the text matched an area.",
            "None (residual)",
        ),
    ]
)
"""All policy areas, keyed by their key, in the order tables and plots show them."""


def area_keys() -> list[str]:
    """The area keys in their stable display order (``"unclassified"`` last)."""
    return list(AREAS)


# --- normalization ------------------------------------------------------------

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty"
)
_NUMBERING = re.compile(
    r"^\s*(?:(?:chapter|chap|article|art|part|section|sub-?section|title|annex|appendix|protocol|"
    r"capitulo|articulo|parte|seccion|titulo|anexo|chapitre|titre|partie|annexe)\b[\s.:\-]*"
    rf"(?:(?:{_NUMBER_WORDS})(?:[\s-]*(?:{_NUMBER_WORDS}))?\b"
    r"|[0-9]+(?:bis|ter|[a-z])?(?:[.\-][0-9a-z]+)*|[ivxlcdm]+\b|[a-z]\b)"
    r"|[0-9]+[a-z]?(?:\.[0-9]+)*[.):]?(?=[^0-9a-z]|$)|[ivxlcdm]+[.)](?=\s)|\([0-9a-z]+\))"
    r"\s*[:.\-–—]*\s*",
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_COOP = re.compile(r"\bco[\s-]+(?=op|ord)")


@lru_cache(maxsize=65536)
def normalize_title(s: str | None) -> str:
    """Reduce a chapter or article title to the form the tables are keyed by.

    The title is stripped of accents (NFKD, combining marks dropped) and
    casefolded; leading numbering such as "CHAPTER 3", "Chapter Eleven",
    "Capítulo III", "Article 12.3", "Part II:" or "3." is removed (repeatedly,
    so "Part II Chapter 1" goes too); every run of non-alphanumeric characters
    becomes one space and "co-operation" becomes "cooperation". A title that
    was nothing but numbering normalizes to "". The result is a fixed point:
    normalizing it again changes nothing.
    """
    if not s:
        return ""
    t = unicodedata.normalize("NFKD", s)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = _strip_numbering(t.replace("&", " and "))
    t = _COOP.sub("co", _NON_WORD.sub(" ", t))
    # Numbering hidden behind punctuation (":3 Goods") shows only once that is gone.
    return _strip_numbering(t).strip()


def _strip_numbering(t: str) -> str:
    while m := _NUMBERING.match(t):
        if m.end() == 0:
            break
        t = t[m.end() :]
    return t


# --- explicit table -----------------------------------------------------------

Role = Literal["topic", "generic"]


def _load_table() -> dict[str, tuple[str, Role]]:
    """Read ``data/area_titles.tsv``: normalized title, area, role.

    Role ``topic`` means the title decides the area of everything under it.
    Role ``generic`` means the title is a container ("General Provisions",
    "Payments, Competition And Other Economic Provisions"): the article title
    decides, and the area given is only the default when it cannot.
    """
    table: dict[str, tuple[str, Role]] = {}
    text = resources.files("rulecompare").joinpath("data/area_titles.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        title, area, role = line.split("\t")
        if area not in AREAS or role not in ("topic", "generic"):
            raise ValueError(f"bad row in area_titles.tsv: {line!r}")
        table[normalize_title(title)] = (area, "topic" if role == "topic" else "generic")
    return table


_TABLE = _load_table()

# Chapter titles that carry no topic at all, beyond those listed in the table.
_EMPTY_TITLES = frozenset({"", "none", "main agreement", "agreement", "general", "text", "body"})

# Leftmost keyword match wins ("Rules Of Origin And Customs Procedures" is
# rules of origin), the longer keyword on a tie ("customs duties" beats
# "customs"); but these broad areas give way to any specific area named in the
# same title ("Customs Cooperation" is customs, "Cooperation In Tourism" is not).
_BROAD = frozenset({"cooperation", "development", "institutions", "initial_provisions", "final_provisions"})


def _alias_regex(aliases: Iterable[str]) -> re.Pattern[str]:
    """One pattern for an area's keywords: whole words (plural allowed), or a stem ending in ``*``."""
    words: set[str] = set()
    stems: set[str] = set()
    for a in aliases:
        (stems if a.endswith("*") else words).add(normalize_title(a.rstrip("*")))
    alts = [re.escape(w) + r"(?:s|es)?\b" for w in sorted(words, key=len, reverse=True) if w]
    alts += [re.escape(st) for st in sorted(stems, key=len, reverse=True) if st]
    return re.compile(r"\b(?:" + "|".join(alts) + ")")


_KEYWORD_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, _alias_regex(info.aliases)) for key, info in AREAS.items() if info.aliases
)


def _keyword_area(title: str) -> str | None:
    """Area whose keyword a normalized title names first (see the rule above)."""
    best: tuple[int, int, int, str] | None = None
    for key, rx in _KEYWORD_RES:
        m = rx.search(title)
        if m:
            rank = (key in _BROAD, m.start(), m.start() - m.end(), key)
            if best is None or rank < best:
                best = rank
    return best[3] if best else None


# Fuzzy choices: every table title plus every alias of three words or more
# (short aliases fuzzy-match too many unrelated short titles).
_FUZZY_CHOICES: dict[str, str] = {
    **{
        normalize_title(a): key
        for key, info in AREAS.items()
        for a in info.aliases
        if len(normalize_title(a).split()) >= 3
    },
    **{t: area for t, (area, role) in _TABLE.items() if role == "topic"},
}
_FUZZY_KEYS = list(_FUZZY_CHOICES)
_FUZZY_CUTOFF = 88.0


@lru_cache(maxsize=65536)
def _title_lookup(title: str) -> tuple[str, Role] | None:
    """Area and role of a normalized title by table, fuzzy match, then keywords."""
    if title in _EMPTY_TITLES:
        return (UNCLASSIFIED, "generic")
    hit = _TABLE.get(title)
    if hit:
        return hit
    if len(title) >= 8:
        best = process.extractOne(
            title, _FUZZY_KEYS, scorer=fuzz.token_sort_ratio, score_cutoff=_FUZZY_CUTOFF
        )
        if best:
            key = best[0]
            return _TABLE.get(key, (_FUZZY_CHOICES[key], "topic"))
    area = _keyword_area(title)
    return (area, "topic") if area else None


def classify_title(title: str | None) -> str:
    """Area of one title on its own (steps 1-3 of :func:`classify_area`), or "unclassified"."""
    hit = _title_lookup(normalize_title(title))
    return hit[0] if hit else UNCLASSIFIED


# --- text fallback ------------------------------------------------------------

# Phrases that, near the start of an article, say what it is about. Order is
# irrelevant: the phrase found earliest in the text wins.
_TEXT_CUES: dict[str, tuple[str, ...]] = {
    "preamble": (
        r"preamble",
        r"preambulo",
        r"desirous of",
        r"desiring",
        r"deseosos de",
        r"resolved to",
        r"of the one part",
        r"have agreed as follows",
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
        r"agreements between (?:enterprises|undertakings)",
    ),
    "government_procurement": (
        r"public procurement",
        r"government procurement",
        r"contratacion publica",
        r"invitation to tender",
    ),
    "intellectual_property": (r"intellectual property", r"propiedad intelectual"),
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
    ),
    "cooperation": (
        r"economic co-?operation",
        r"co-?operation",
        r"cooperacion",
        r"trade representati",
        r"trade fairs",
    ),
    "transparency": (r"publish", r"transparency", r"publicar"),
}
# One alternation anchored at word starts: with lowercased input and no
# IGNORECASE flag this is some ten times faster than the naive pattern.
_TEXT_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<a{i}>{'|'.join(cues)})" for i, cues in enumerate(_TEXT_CUES.values())) + ")"
)
_TEXT_GROUPS = {f"a{i}": key for i, key in enumerate(_TEXT_CUES)}
_TEXT_WINDOW = 300
# Accent stripping by table: NFKD on every text would cost more than the scan.
_DEACCENT = {
    c: unicodedata.normalize("NFKD", chr(c))[0]
    for c in range(0xC0, 0x180)
    if unicodedata.normalize("NFKD", chr(c)) != chr(c)
}


def _text_area(text: str) -> str | None:
    """Area of the cue found earliest in the opening of an article's text."""
    m = _TEXT_RE.search(text[:_TEXT_WINDOW].lower().translate(_DEACCENT))
    return _TEXT_GROUPS[m.lastgroup] if m and m.lastgroup else None


# --- the classifier ------------------------------------------------------------

# Article titles that only say where an article sits in its chapter; under a
# topical container chapter they defer to the chapter's default area.
_WEAK_ARTICLE_AREAS = frozenset(
    {
        "initial_provisions",
        "final_provisions",
        "institutions",
        "transparency",
        "dispute_settlement",
        "exceptions",
        "cooperation",
    }
)


@lru_cache(maxsize=262144)
def _classify_titles(chapter: str, article: str) -> str | None:
    """Area from normalized titles alone; None when the text (then the chapter default) must decide."""
    ch = _title_lookup(chapter)
    if ch and ch[1] == "topic":
        return ch[0]
    default = ch[0] if ch else UNCLASSIFIED
    art = _title_lookup(article) if article else None
    if art and art[0] != UNCLASSIFIED:
        if default not in _WEAK_ARTICLE_AREAS and default != UNCLASSIFIED and art[0] in _WEAK_ARTICLE_AREAS:
            return default
        return art[0]
    return None


def classify_area(
    chapter_title: str | None,
    article_title: str | None = None,
    text: str = "",
    language: str = "en",
) -> str:
    """Policy area key of a provision from its chapter title, article title and text.

    1. The normalized chapter title is looked up in the explicit table of
       reviewed titles (``data/area_titles.tsv``).
    2. Failing that, it is fuzzy-matched (RapidFuzz token-sort ratio, cutoff
       88) against the known titles and the multi-word aliases of each area,
       which absorbs misspellings and OCR noise ("Rules Of Orgin").
    3. Failing that, the title is scanned for area keywords in English,
       Spanish and French; the keyword found first wins, specific areas before
       broad ones.
    4. When the chapter title is missing or generic ("General Provisions",
       "Final Provisions", "Part II", None), the article title goes through the
       same three steps ("Rules of Origin" under "General Provisions" is rules
       of origin; "Definitions" there stays with the chapter's default); when
       that gives nothing either, the first 300 characters of the text are
       scanned for cue phrases, and last the generic chapter's default area.

    ``language`` is accepted for callers that know it; the tables and cues
    already hold all three languages, so it does not change the result.
    Returns ``"unclassified"`` when nothing matches.
    """
    del language  # every table covers en, es and fr at once
    chapter = normalize_title(chapter_title)
    article = normalize_title(article_title)
    area = _classify_titles(chapter, article)
    if area is not None:
        return area
    found = _text_area(text) if text else None
    if found:
        return found
    ch = _title_lookup(chapter)
    return ch[0] if ch else UNCLASSIFIED


def coverage(areas: Iterable[str]) -> float:
    """Share of the given area keys that are not ``"unclassified"`` (0.0 for none)."""
    total = classified = 0
    for a in areas:
        total += 1
        classified += a != UNCLASSIFIED
    return classified / total if total else 0.0


def _check_literal() -> None:
    if tuple(AREAS) != get_args(PolicyArea):
        raise AssertionError("PolicyArea and AREAS disagree")


_check_literal()
