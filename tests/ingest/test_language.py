"""Language detection, with Persian and Arabic told apart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk.ingest.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Fighting broke out on the evening of Friday between militia members.", "en"),
        ("شهدت مدينة البوكمال في ريف دير الزور الشرقي اشتباكات عنيفة بين الطرفين", "ar"),
        ("این گزارش درباره درگیری‌های شهر البوکمال در شرق سوریه است", "fa"),
        ("Боевики захватили склады с ракетами в пригороде Дамаска вчера вечером", "ru"),
        ("Les combats ont éclaté vendredi soir entre les membres des milices", "fr"),
    ],
)
def test_detects(text: str, code: str) -> None:
    assert detect_language(text) == code


def test_persian_written_with_arabic_letters_but_persian_ones_too() -> None:
    # Persian-only letters (پ چ ژ گ) outweigh a few Arabic forms.
    assert detect_language("پیش از این چند گروه در آنجا بودند و گزارش دادند که پایگاه") == "fa"


@pytest.mark.parametrize("text", ["", "Hello world", "12345 67890 !!!", "   \n\t "])
def test_too_little_to_tell(text: str) -> None:
    assert detect_language(text) is None


def _detect_in_a_new_desk(home: Path) -> str:
    """The language of an English sentence, in a process of its own (the model is loaded
    once per process) with ``home`` as its data folder."""
    code = (
        "from desk.ingest.language import detect_language; "
        "print(detect_language('Fighting broke out on the evening of Friday between militia members.'))"
    )
    env = dict(os.environ, EVIDENCE_DESK_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_model_is_unpacked_once_into_the_cache_and_a_damaged_copy_is_not_used(
    tmp_path: Path,
) -> None:
    assert _detect_in_a_new_desk(tmp_path) == "en"
    (unpacked,) = (tmp_path / "cache").glob("langid-*.npz")
    whole = unpacked.read_bytes()
    assert len(whole) > 10 * 2**20  # the model itself, not a stub
    assert _detect_in_a_new_desk(tmp_path) == "en"  # read from the copy
    assert unpacked.read_bytes() == whole

    for damage in (whole[: len(whole) // 2], b"not a model"):
        unpacked.write_bytes(damage)
        assert _detect_in_a_new_desk(tmp_path) == "en"  # from the shipped model instead
        assert not unpacked.exists()  # dropped
        assert _detect_in_a_new_desk(tmp_path) == "en"
        assert unpacked.read_bytes() == whole  # unpacked again
    assert not list((tmp_path / "cache").glob("*.part"))
