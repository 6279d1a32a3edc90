"""Language of a text as an ISO 639-1 code, with py3langid (its model loads without pickle)."""

from __future__ import annotations

from functools import cache
from typing import Any

# Below this many letters a guess is noise ("Hello world" comes out as Fula).
_MIN_LETTERS = 20
_MIN_CONFIDENCE = 0.5
# The model is fast, but a few thousand characters decide as well as a whole book.
_SAMPLE_CHARS = 5000

_PERSIAN_ONLY = frozenset("پچژگ")
_PERSIAN_FORMS = frozenset("یک")  # Persian yeh and keheh; Arabic writes ي and ك
_ARABIC_FORMS = frozenset("يكىة")


@cache
def _identifier() -> Any:
    # py3langid brings numpy: loaded with the first text, not with every program.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # Keep only languages with an ISO 639-1 code, so dialect labels ("arz", "ary")
    # fold into their language instead of being returned.
    identifier.set_languages([code for code in identifier.labels if len(code) == 2])
    return identifier


def _arabic_or_persian(text: str, guess: str) -> str:
    persian = 2 * sum(ch in _PERSIAN_ONLY for ch in text) + sum(ch in _PERSIAN_FORMS for ch in text)
    arabic = sum(ch in _ARABIC_FORMS for ch in text)
    if persian > arabic:
        return "fa"
    if arabic > persian:
        return "ar"
    return guess


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little to tell."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None
    code, confidence = _identifier().classify(sample)
    if confidence < _MIN_CONFIDENCE:
        return None
    if code in ("ar", "fa"):
        return _arabic_or_persian(sample, str(code))
    return str(code)
