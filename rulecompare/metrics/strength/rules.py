"""The obligation-strength rules: one class per clause, and the cue that decided it.

The rules are those of the labelling guide (docs/LABELLING.md 1.2), applied
in its order, first rule that applies wins:

1. the clause excludes something from dispute settlement -> ``exception``
   (checked on the whole clause);
2. recitals and titles -> ``preamble``;
3. definitions, positive scope and rules of application -> ``definition``;
4. carve-outs ("nothing in this Agreement", "paragraph 1 shall not apply") ->
   ``exception``;
5. the agreement's own machinery (institutions, dispute-settlement actors,
   consultation mechanisms, entry into force, amendment, review) ->
   ``procedural``;
6. the first commitment phrase of the main sentence -> ``soft``, ``binding``
   or ``permissive``;
7. otherwise ``other``.

Rules 2-6 read the clause's main sentence: its first sentence, or the next one
when the first has no commitment of its own. A list item ("(c) ...") without a
commitment of its own takes its class from the list it belongs to: items of a
definitions or scope list are ``definition``, others ``other``. The context
(article title, the clause that introduces the list) comes from
:class:`Context`; without it, items are judged on their own words.

Every decision carries its cue: the rule, the name of the phrase that fired
(``"soft:endeavour"``) and the words it matched, which is what
``rulecompare strength --explain`` prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .commitments import MODAL, QUALIFIER
from .exclusion import ds_match
from .lexicon import CARVE_OUT, DEFINITION, DEFINITION_LEAD, MODAL_WORD, NOUN_MEANS, PREAMBLE
from .machinery import DISPUTE_TERMS, MACHINERY
from .phrases import Hit
from .reading import LABEL, VERBISH, find_subject, flatten, is_list_item, lowered, main_modal, split_sentences
from .subjects import dispute_party, institution_subject

__all__ = ["Context", "Decision", "decide", "is_list_item"]


@dataclass(frozen=True, slots=True)
class Context:
    """Where a clause sits: what the rules may read besides its own text."""

    article_title: str | None = None
    """The title of the clause's article ("Definitions", "Functions of the Joint Committee")."""
    lead_in: str | None = None
    """For a list item: the clause that introduces the list ("For the purposes of this Chapter:")."""
    previous: str | None = None
    """The text of the clause just before, in the same article."""
    area: str | None = None
    """The clause's policy area (``"preamble"`` makes rule 2 apply)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """A class and why."""

    label: str
    """One of the eight obligation-strength classes."""
    rule: str
    """The rule that decided ("1 dispute-settlement exclusion", "6 first commitment", ...)."""
    cue: str
    """Name of the phrase that fired ("soft:endeavour"), or of the context that decided."""
    phrase: str
    """The words the cue matched (empty when the context decided)."""
    sentence: str
    """The part of the clause the rules read (lower case, whitespace collapsed)."""


_WINDOW = 320
"""Rules 3-5 look for their cues in the first this many characters of the main sentence."""
_PREDICATE = 50
"""Rule 5 also reads this many characters after the main modal (its predicate)."""
_INFINITIVE_ITEM = re.compile(
    r"^(?:to\s+(?!the\b|this\b|that\b|a\b|an\b|such\b|its\b|their\b|each\b|any\b|all\b)\w+|\w+ing\b|que\s)"
)
_DETAIL = re.compile(
    r"\W*(?:\d|in\s+(?:english|writing|an?\s+official|one\s+of)|before|prior|after|no\s+later|within"
    r"|at\s+least|in\s+advance)"
)
_DEFINE_VERB = re.compile(
    r"\s+(?:\([^)]{1,40}\)\s+)?(?:means|mean|shall\s+mean|refers\s+(?:in\s+particular\s+|only\s+|exclusively\s+)?to"
    r"|shall\s+refer\s+to|shall\s+have\s+the\s+(?:same\s+)?meaning|has\s+the"
    r"|have\s+the|is\s+defined"
    r"|are\s+defined|shall\s+be\s+understood|se\s+entiende|se\s+entender|significan?|désignen?t?|s'entend)\b"
)
_SCOPE_CONTEXT = re.compile(
    r"(?<!not\s)\b(?:appl(?:y|ies)|cover|covers|se\s+aplica\w*)(?:\s+(?:only\s+)?(?:to|in))?\s*:?\s*$"
)
_LIST_END = re.compile(
    r"(?:means|mean|includes?|including|does\s+not\s+include|refers\s+to|significa|incluye"
    r"|comprende)\s*[:—-]?\s*$"
)
_FORMULA_TERMS = re.compile(r"(?:formula|=|%)[^;]*\b(?:where|in\s+which|donde|o[uù])\s*:?\s*$")
"""A formula's lead-in ("... the following formula ... where:"): its items define the formula's terms."""
_DEFINITION_TITLE = re.compile(r"\bdefinitions?\b|\bdefinici[oó]n|\bd[ée]finitions?\b", re.I)
_APPLY = re.compile(
    r"\b(?:shall|will)\s+(?:also\s+|only\s+)?(?:apply|be\s+applicable|be\s+applied)|\b(?:are"
    r"|is)\s+applicable|\bappl(?:y|ies)\b"
)
_VERB_START = re.compile(
    r"(?:authori[sz]e|prohibit|provide|ensure|establish|promote|adopt|maintain|apply|take|make|grant|allow"
    r"|permit|require|use|exchange|facilitate|develop|encourage|support|notify|publish|consult|identify)\b"
)
"""An item opening with a verb continues its lead-in ("(e) authorise ... by wireless means"): no term."""
_DECLARATION = re.compile(
    r"(?<=that)[^.;:]{0,120}?\b(?:can|could|is\s+(?:important|essential|desirable|key)|are\s+(?:important"
    r"|essential|desirable|key)|plays?\s+an?\s+(?:\w+\s+)?role|contributes?\s+to)\b"
)
"""After "agree that": a statement, not a determinate act ("standardisation ... can facilitate")."""
_OUTSIDE = re.compile(r"\b(?:gatt|gats|wto|trips|marrakesh|general\s+agreement\s+on|understanding\s+on)\b")
_CONTINUATION = re.compile(
    r"\b(?:shall|will|must|should|may|agree\s+to|undertake\s+to|deber[aá]n?|podr[aá]n?"
    r"|se\s+comprometen\s+a)\s*:?\s*$"
)
_REFERENCE = re.compile(r"\b(?:directive|regulation|decision)\s+(?:\(\w+\)\s+)?(?:no\s+)?\d|\boj\s+[lc]\s+\d")
_HEADING = re.compile(r"^[^.;:]{1,100}$")
_OBJECTIVES = re.compile(
    r"^(?:the\s+)?(?:objectives?|aims?|purposes?)\s+of\s+(?:this"
    r"|the\s+present)\s+\w+(?:\s*,[^,]{0,200},)?\s+(?:are|is|shall\s+be)\b"
    r"|^(?:los|el|las|la)\s+(?:objetivos?|finalidad(?:es)?|prop[oó]sitos?)\s+de(?:l)?\s+(?:este|esta"
    r"|presente|la\s+presente)"
)


_MAY_DEFINE = re.compile(
    r"mean|refer|includ|appl|govern|defin|understood|entend|signif|désign|comprend|purpose|efectos|fins"
    r"|following|explain"
    r"|incluy|aplic|^(?:(?:an?|the)\s+)?[“\"‘'«]"
)
_MAY_CARVE = re.compile(
    r"not\b|nothing|no\s|without\s+prejudice|nada|ninguna|aucune|ne\s|n'|sin\s+perjuicio|incorporated|xx"
)


def _definition(sentence: str, context: Context, item: bool, *, in_list: bool | None = None) -> Hit | None:
    """The definition cue of a sentence; ``in_list``: does it sit in a definitions list (None: find out)."""
    if not _MAY_DEFINE.search(sentence):
        return None
    lead = DEFINITION_LEAD.search(sentence)
    if lead is not None:
        return lead
    for hit in DEFINITION.finditer(sentence, 0, _WINDOW):
        if _false_definition(hit, sentence, context, in_list):
            continue
        return hit
    return None


def _false_definition(hit: Hit, sentence: str, context: Context, in_list: bool | None) -> bool:
    """Does this definition cue only look like one (a modal subject, a negation, a rule's reach)?"""
    if hit.name == "definition:term-means":
        return _not_a_defined_term(_DEFINE_VERB.split(hit.text, 1)[0])
    if hit.name == "definition:term-includes" and not (
        _definitions_list(context) if in_list is None else in_list
    ):
        return True
    if hit.name not in ("definition:quoted-includes", "definition:purposes-includes") and re.search(
        r"\bnot\b|\bno\s+se\b", hit.text
    ):
        return True
    if hit.name == "definition:application" and re.search(MODAL_WORD, _APPLY.split(hit.text, 1)[0]):
        return True
    return hit.name in ("definition:application", "definition:governed-by-chapter") and (
        _OUTSIDE.search(sentence, hit.start, hit.end + 40) is not None
    )


def _not_a_defined_term(subject: str) -> bool:
    """Is what stands before "means" something other than a defined term ("by means of", a clause)?"""
    if re.search(MODAL_WORD, subject):
        return True
    quoted = re.search(r"[”\"’'»]\s*,?\s*(?:\([^)]*\)\s*)?$", subject) is not None
    if not quoted and (
        re.search(NOUN_MEANS + r"\s*$", subject)
        or len(subject.split()) > 14
        or re.search(r"\b(?:are|is|be|been|used|were)\b", subject)
        or _VERB_START.match(subject)
    ):
        return True
    return re.search(r"\b(?:is|are|was|were|has|have|not|to|of|and|or)\s*$", subject) is not None


def _carve_out(sentence: str) -> Hit | None:
    if not _MAY_CARVE.search(sentence):
        return None
    for hit in CARVE_OUT.finditer(sentence, 0, _WINDOW):
        if hit.name in _MAIN_ONLY and _buried(sentence, hit):
            continue
        if hit.name in ("exception:without-prejudice", "exception:apply-without-prejudice"):
            before = sentence[: hit.start]
            if re.search(r"\b(?:recourse|consultations?|proceedings?|procedures?|request|dispute)\b", before):
                continue
        return hit
    return None


_MAIN_ONLY = ("exception:not-required", "exception:apply-without-prejudice")
"""Carve-out cues that count only as the clause's main predicate (their words are common elsewhere)."""
_SUBORDINATE = re.compile(r"\b(?:that|which|who|whom|where|if|unless|when|whether|provided)\b")


def _buried(sentence: str, hit: Hit) -> bool:
    """Is this cue inside a subordinate clause, or after the sentence's own main verb?

    "A Party shall not be required to disclose ..." is a carve-out; "each Party shall
    ensure that its authorities shall not be required to ..." or "... provided that
    it shall apply without prejudice to ..." is the main verb's content, not a carve-out.
    """
    modal = main_modal(sentence[: hit.start])
    if modal is not None:
        return True
    start = max(0, hit.start - 80)
    clause = re.split(r"[,;:(]", sentence[start : hit.start])[-1]
    return _SUBORDINATE.search(clause) is not None


def _procedural(sentence: str, subject: str, modal: Hit | None, ctx: Context) -> Hit | None:
    institution = institution_subject(subject) or dispute_party(subject, ctx.area, ctx.article_title)
    if institution is not None:
        return institution
    # the main verb's own predicate counts however long the conditions before it
    # ("If imports ... cause serious injury ..., the Party concerned shall enter into consultations")
    # (not after a soft modal: "shall endeavour to ensure that ... bodies enter into negotiations")
    end = _WINDOW if modal is None or modal.name.startswith("soft") else max(_WINDOW, modal.end + _PREDICATE)
    machinery = MACHINERY.search(sentence, 0, end)
    if machinery is not None:
        return machinery
    dispute = DISPUTE_TERMS.search(sentence, 0, _WINDOW)
    if dispute is not None and (modal is None or not modal.name.startswith("soft")):
        return dispute
    return None


def _commitment(sentence: str, modal: Hit | None) -> tuple[str, Hit] | None:
    if modal is None:
        return None
    kind = modal.name.split(":", 1)[0]
    if kind == "binding":
        window = sentence[: modal.end + 60]
        for q in QUALIFIER.finditer(window):
            if not _DETAIL.match(sentence, q.end):
                return "soft", q
        if modal.text.startswith("agree") and _DECLARATION.match(sentence, modal.end):
            return "soft", Hit("soft:agree-that-statement", modal.start, modal.end, modal.text)
    return kind, modal


def _definitions_list(ctx: Context) -> bool:
    """The list an item belongs to defines terms: a definitions article, lead-in or item before it."""
    if ctx.article_title is not None and _DEFINITION_TITLE.search(ctx.article_title):
        return True
    for text in (ctx.lead_in, ctx.previous):
        low = LABEL.sub("", lowered(text), count=1)
        if not low:
            continue
        last = split_sentences(low, limit=50)[-1]
        if (
            DEFINITION_LEAD.search(last)
            or _FORMULA_TERMS.search(low[-300:])
            or (_LIST_END.search(last) and _definition(last, ctx, False, in_list=False) is not None)
        ):
            return True
        first = split_sentences(low, limit=1)[0]
        if (
            text is ctx.previous
            and _definition(first, ctx, False, in_list=False) is not None
            and not low.endswith(".")
        ):
            return True
    return False


def decide(text: str, context: Context | None = None) -> Decision:
    """The obligation-strength class of one clause and the cue that decided it (module docstring)."""
    ctx = context or Context()
    flat = flatten(text)
    item = is_list_item(flat)
    head = LABEL.sub("", flat, count=1)
    low = head.lower()
    if not low.strip(" .;:,-–—"):
        return Decision("other", "7 otherwise", "empty", "", "")
    excluded = ds_match(low)
    if excluded is not None:
        return Decision(
            "exception", "1 dispute-settlement exclusion", "exception:ds-exclusion", excluded.group(0), low
        )
    sentences = split_sentences(low)
    first = sentences[0]
    preamble = PREAMBLE.search(first)
    if not re.search(r"\bshall\b", first) and (
        (
            ctx.area == "preamble"
            and not item
            and MODAL.search(first) is None
            and "in witness whereof" not in low
        )
        or (
            preamble is not None
            and (preamble.start == 0 or preamble.name == "preamble:agreed")
            # "Recognising that ..., the Parties agree to ...": an article's own commitment
            and not re.search(r",\s+the\s+parties\s+(?:agree|undertake|shall|will)\b", first)
        )
    ):
        cue, phrase = (preamble.name, preamble.text) if preamble else ("preamble:area", "")
        return Decision("preamble", "2 preamble", cue, phrase, first)
    decision = _decide_sentence(first, ctx, item)
    if decision.label == "other":
        # a bare lead-in ("2.", "Further to Chapter 12:") or a list item followed by a merged
        # paragraph: a later sentence decides if it has a commitment of its own
        for sentence in sentences[1:3]:
            if item and not re.match(r"(?:\d{1,3}\.|\(?[a-z]\)|however\b)", sentence):
                break  # the rest of the item, not a merged paragraph
            later = _decide_sentence(sentence, ctx, False)
            if later.label in ("binding", "soft", "permissive"):
                return later
            if decision.label == "other" and len(first) < 60 and later.label != "other":
                return later
    return decision


def _decide_sentence(sentence: str, ctx: Context, item: bool) -> Decision:
    early = _definition_or_carve_out(sentence, ctx, item)
    if early is not None:
        return early
    modal = main_modal(sentence, item)
    if _INFINITIVE_ITEM.match(sentence) and sentence.startswith("to ") and modal is None:
        item = True  # "6. To establish the organs ...": an item of a list of aims or means
    if modal is None and _REFERENCE.search(sentence) and not (item and _definitions_list(ctx)):
        # (an entry of a definitions list may cite a regulation: "(a) for the European Union,
        # Articles 101 and 102 ..., Council Regulation (EC) No 139/2004 ..." under "competition laws means:")
        return Decision("other", "7 otherwise", "other:reference", "", sentence)
    if item and _bare_item(sentence, modal, ctx):
        return _list_item(sentence, ctx)
    subject = find_subject(sentence, modal)
    if item and modal is not None and modal.start < 3:
        # "(a) shall submit reports": the subject is the list's lead-in or the article's title
        subject = " ".join(filter(None, [ctx.lead_in, ctx.article_title])).lower()
    if modal is None and _HEADING.match(sentence) and not VERBISH.search(sentence):
        return Decision("other", "7 otherwise", "other:heading", "", sentence)
    procedural = _procedural(sentence, subject, modal, ctx)
    if procedural is not None:
        return Decision(
            "procedural", "5 procedure and institutions", procedural.name, procedural.text, sentence
        )
    commitment = _commitment(sentence, modal)
    if commitment is not None:
        kind, hit = commitment
        return Decision(kind, "6 first commitment", hit.name, hit.text, sentence)
    return Decision("other", "7 otherwise", "no-commitment", "", sentence)


def _bare_item(sentence: str, modal: Hit | None, ctx: Context) -> bool:
    """Is this list item without a commitment of its own (it completes the lead-in's modal)?"""
    if modal is None or _INFINITIVE_ITEM.match(sentence) is not None:
        return True
    continues = _CONTINUATION.search(lowered(ctx.lead_in)) is not None
    if modal.start < 3:
        # "shall: (b) endeavour to use ...": a verb completing the lead-in's modal, not a modal
        return continues and re.search(MODAL_WORD, modal.text) is None
    return modal.start > 3 and continues and len(re.split(r"[,;:]", sentence[: modal.start])[-1].split()) < 2


def _list_item(sentence: str, ctx: Context) -> Decision:
    """The class of a list item that completes its lead-in: a definition or scope entry, or other."""
    if _definitions_list(ctx):
        return Decision("definition", "3 definition", "context:definitions-list", "", sentence)
    if _SCOPE_CONTEXT.search(lowered(ctx.lead_in)):
        return Decision("definition", "3 definition", "context:scope-list", "", sentence)
    return Decision("other", "7 otherwise", "context:list-item", "", sentence)


def _definition_or_carve_out(sentence: str, ctx: Context, item: bool) -> Decision | None:
    """Rules 3 and 4, and a statement of objectives, which outrank any modal verb in the sentence."""
    definition = _definition(sentence, ctx, item)
    if definition is not None:
        return Decision("definition", "3 definition", definition.name, definition.text, sentence)
    carve = _carve_out(sentence)
    if carve is not None:
        return Decision("exception", "4 carve-out", carve.name, carve.text, sentence)
    if _OBJECTIVES.search(sentence):
        return Decision("other", "7 otherwise", "other:objectives", sentence[:40], sentence)
    return None
