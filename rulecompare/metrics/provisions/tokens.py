"""Clause text as features for the provision scorers, and which clauses are worth scoring.

Training (:mod:`.train`) and coding (:mod:`.model`) call the same functions
here, so that a model scores exactly the features it was trained on.

A feature is a string:

- a word *stem*: the first :data:`STEM` letters of a lower-case word of two
  letters or more ("environmental" and "environment" meet as ``environ``);
- two consecutive stems joined by ``_`` (``natural_resourc``);
- ``t:`` + a stem of the article title, ``c:`` + a stem of the chapter title;
- ``a:`` + a stem of the clause's *lead-in*, the nearest clause before it
  in the article that ends with a colon: a lettered item "(e) tourism;"
  means something else under "Cooperation on the environment may include:"
  than under "This Chapter applies to:". Only the lead-in, not the whole
  article: with every word of a long article as context, the clauses of
  the longest articles (definitions, intellectual property) would outscore
  the clause that says the thing;
- ``s:annex`` for text from an annex, protocol or appendix.

Only *instances* are scored: the clauses that use the vocabulary of the
environment (:data:`ENVIRONMENT`) or of labour (:data:`LABOUR`) themselves,
in their lead-in, or in their article's or chapter's title. TREND codes only
environmental norms and LABPTA only labour norms, so a clause that never
names either cannot hold one (the codebook presumes every norm of an
environment chapter environmental: the chapter title covers them); and
without the other nine tenths of a treaty the scorers cannot learn to
recognize a family's boilerplate (the definitions of US agreements) in
place of the provision, which would give the right code for the wrong
clause.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ...model import Clause

__all__ = [
    "ENVIRONMENT",
    "LABOUR",
    "STEM",
    "ArticleText",
    "article_features",
    "candidate_articles",
    "group_articles",
    "instances",
    "stems",
    "subject_texts",
]

STEM = 7
"""Letters kept of each word."""

ENVIRONMENT = re.compile(
    r"environment|natural resource|conserv|sustainab|pollut|ecolog|biodivers|biological diversity|species"
    r"|wildlife|fauna|flora|forest|fish|marine|ocean|\bseas?\b|coast|water|climat|emission|greenhouse|ozone"
    r"|energy|renewable|waste|hazardous|toxic|chemical|pesticide|fertili[sz]|plant life|plant health"
    r"|animal or plant|animal and plant|genetic resource|traditional knowledge|indigenous|disaster|desertif"
    r"|\bsoil|land degradation|nuclear|radiat|radioactiv|protected area|national park|natural heritage"
    r"|\bgreen|ecosystem|habitat|endangered|\bcites\b|montreal protocol|kyoto|basel convention|rotterdam"
    r"|stockholm convention|unfccc|\bunep\b|exhaustible|eco-?label|phytosanitary|sanitary"
    r"|article xx\b|article xiv\b"
)
"""Words of the environment, on lower-case text (from TREND's codebook, "What counts as the environment"),
and the general exceptions of GATT (Article XX) and GATS (Article XIV), which TREND codes when an
agreement takes them over by reference."""

LABOUR = re.compile(
    r"labou?r|worker|employment|\bilo\b|trade union|working condition|occupational|decent work|wage"
    r"|social (security|dialogue|polic|protection|affairs|right|development|problem|condition)"
)
"""Words of labour and employment, matched on lower-case text."""

_WORD = re.compile(r"[a-z]+")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def stems(text: str | None) -> list[str]:
    """The stems of ``text`` in order: lower case, accents dropped, words of two letters or more."""
    if not text:
        return []
    return [w[:STEM] for w in _WORD.findall(_ascii(text)) if len(w) > 1]


@dataclass(frozen=True, slots=True)
class ArticleText:
    """One article's clauses, as the scorers need them."""

    clause_ids: tuple[str, ...]
    texts: tuple[str, ...]
    article_title: str | None
    chapter_title: str | None
    annex: tuple[bool, ...]


def candidate_articles(articles: Iterable[ArticleText], vocabulary: re.Pattern[str]) -> list[ArticleText]:
    """The articles whose text or titles match ``vocabulary`` (:data:`ENVIRONMENT` or :data:`LABOUR`)."""
    out = []
    for art in articles:
        titles = f"{art.chapter_title or ''} | {art.article_title or ''}".lower()
        if vocabulary.search(titles) or any(vocabulary.search(t.lower()) for t in art.texts):
            out.append(art)
    return out


def instances(article: ArticleText, vocabulary: re.Pattern[str]) -> list[int]:
    """Positions of the clauses of ``article`` that are instances for ``vocabulary`` (module docstring)."""
    titles = f"{article.chapter_title or ''} | {article.article_title or ''}".lower()
    if vocabulary.search(titles):
        return list(range(len(article.texts)))
    out = []
    lead_matches = False
    for i, text in enumerate(article.texts):
        low = text.lower()
        hit = vocabulary.search(low) is not None
        if hit or lead_matches:
            out.append(i)
        if low.rstrip().endswith(":"):
            lead_matches = hit
    return out


def article_features(article: ArticleText) -> list[list[str]]:
    """The features of each clause of ``article`` (see the module docstring), in clause order."""
    per_clause = [stems(t) for t in article.texts]
    head = [f"t:{w}" for w in stems(article.article_title)] + [f"c:{w}" for w in stems(article.chapter_title)]
    out = []
    lead: list[str] = []
    for text, words, annex in zip(article.texts, per_clause, article.annex, strict=True):
        context = sorted({f"a:{w}" for w in lead})
        feats = [*words, *(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)), *head, *context]
        if annex:
            feats.append("s:annex")
        out.append(feats)
        if text.rstrip().endswith(":"):
            lead = words
    return out


def subject_texts(article: ArticleText) -> list[tuple[str, str]]:
    """Per clause of ``article``, what is read for its subject (:mod:`.subjects`): the context (the
    article's title and the clause's lead-in) and the clause, lower case and accents dropped."""
    out = []
    lead = ""
    for text in article.texts:
        out.append((_ascii(f"{article.article_title or ''} | {lead}"), _ascii(text)))
        if text.rstrip().endswith(":"):
            lead = text
    return out


def group_articles(clauses: Iterable[Clause]) -> list[ArticleText]:
    """An agreement's clauses (in document order) grouped into articles."""
    out: list[ArticleText] = []
    current: list[Clause] = []
    for clause in clauses:
        if current and (clause.article_index, clause.chapter_index) != (
            current[-1].article_index,
            current[-1].chapter_index,
        ):
            out.append(_article(current))
            current = []
        current.append(clause)
    if current:
        out.append(_article(current))
    return out


def _article(clauses: list[Clause]) -> ArticleText:
    return ArticleText(
        clause_ids=tuple(c.id for c in clauses),
        texts=tuple(c.text for c in clauses),
        article_title=clauses[0].article_title,
        chapter_title=clauses[0].chapter_title,
        annex=tuple(c.annex for c in clauses),
    )
