"""Language of a text as an ISO 639-1 code, with py3langid (its model loads without pickle)."""

from __future__ import annotations

import contextlib
import hashlib
import lzma
import os
import shutil
import tempfile
import zipfile
from array import array
from functools import cache
from pathlib import Path
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
    from py3langid.langid import LanguageIdentifier

    ptc, pc, classes, nextmove, row, output = _model()
    identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, True, tk_row=row)
    # Keep only languages with an ISO 639-1 code, so dialect labels ("arz", "ary")
    # fold into their language instead of being returned.
    identifier.set_languages([code for code in identifier.labels if len(code) == 2])
    return identifier


def _model() -> tuple[Any, ...]:
    """py3langid's model, from an unpacked copy in the cache folder.

    Unpacking the shipped .xz costs each extraction worker half a second of CPU at its
    first text; the copy is named for the packed file's hash, so a new model is
    unpacked again; a copy that cannot be written or read falls back to the .xz.
    """
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    packed = MODEL_DIR / MODEL_FILE
    try:
        unpacked = _unpacked(packed)
    except (OSError, EOFError, lzma.LZMAError):
        return tuple(load_model(packed))
    try:
        return _load_unpacked(unpacked)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        with contextlib.suppress(OSError):
            unpacked.unlink(missing_ok=True)  # damaged: the next desk unpacks it again
        return tuple(load_model(packed))


def _unpacked(packed: Path) -> Path:
    from desk.paths import cache_dir

    digest = hashlib.sha256(packed.read_bytes()).hexdigest()[:16]
    target = cache_dir() / f"langid-{digest}.npz"
    if not target.is_file():
        # Written aside and renamed: another worker may be reading or writing it too.
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as out:
            try:
                with lzma.open(packed) as source:
                    shutil.copyfileobj(source, out, length=1 << 20)
            except BaseException:
                Path(out.name).unlink(missing_ok=True)
                raise
        os.replace(out.name, target)
    return target


def _load_unpacked(path: Path) -> tuple[Any, ...]:
    # As py3langid.modelio.load_model reads its npz (no pickles), from a plain file.
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        return (
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            _unsigned_array(data["nextmove"]),
            _unsigned_array(data["nextmove_row"]),
            data["out_feat"].tolist(),
        )


def _unsigned_array(values: Any) -> array[int]:
    # The DFA is walked fastest as a plain array of the stored width.
    out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    out.frombytes(values.tobytes())
    return out


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
