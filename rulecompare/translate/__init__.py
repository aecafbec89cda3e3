"""Machine translation of non-English clauses, so that agreements can be compared across languages.

Why this package exists: 27 of the corpus's agreements are in Spanish or
French, and character shingles of a Spanish and an English text measure
nothing.  Their clauses are translated into English once, by Apertium
(:mod:`.apertium`), and kept in the store beside the original
(:mod:`rulecompare.store.translations`); the overlap engine shingles the
translation wherever two texts in different languages are compared and puts
the score on the monolingual scale (:mod:`rulecompare.overlap.crosslingual`).
The original text is never replaced: quotes always show it.

Without Apertium everything else works; what needs a translation says what to
install (:data:`INSTALL`).
"""

from __future__ import annotations

from . import apertium, glossary, translationese
from .apertium import (
    INSTALL,
    PIPELINE,
    ROUTES,
    Apertium,
    TranslationError,
    TranslatorMissing,
    find_apertium,
    require_apertium,
)
from .fill import (
    TARGET,
    Progress,
    TranslateResult,
    needs_translation,
    require_translator_for,
    translate_agreements,
    translations_for,
)

__all__ = [
    "INSTALL", "PIPELINE", "ROUTES", "TARGET", "Apertium", "Progress", "TranslateResult", "TranslationError",
    "TranslatorMissing", "apertium", "find_apertium", "glossary", "needs_translation", "require_apertium",
    "require_translator_for", "translate_agreements", "translations_for", "translationese",
]  # fmt: skip
