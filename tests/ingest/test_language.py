"""Language detection, with Persian and Arabic told apart."""

from __future__ import annotations

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
