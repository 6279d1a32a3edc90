"""Folding names so that spellings compare equal: case, accents, hyphens, apostrophes."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_'’ʼʻ`]+")
# Arabic short vowels, tatweel and similar marks carry no identity for matching.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def normalize_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.strip())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _ARABIC_MARKS.sub("", text)
    text = _SEPARATORS.sub(" ", text.casefold()).strip()
    return unicodedata.normalize("NFC", text)
