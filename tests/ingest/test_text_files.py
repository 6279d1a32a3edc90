"""Plain-text and Markdown files: decoding, titles, dates and language."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime

from desk.ingest import extract

ARABIC = (
    "شهدت مدينة البوكمال في ريف دير الزور الشرقي اشتباكات عنيفة بين عناصر من "
    "ميليشيات تابعة للحرس الثوري الإيراني وعناصر من قوات الدفاع الوطني."
)
PERSIAN = (
    "گزارش‌ها حاکی از درگیری میان نیروهای وابسته به سپاه پاسداران و نیروهای "
    "دفاع ملی در شهر البوکمال در شرق سوریه است."
)


def test_utf16_with_bom_decodes() -> None:
    data = codecs.BOM_UTF16_LE + "Report from Albukamal\r\nFive killed.\r\n".encode("utf-16-le")
    article = extract(data, "report.txt")
    assert article.text == "Report from Albukamal\nFive killed.\n"
    assert article.title == "Report from Albukamal"
    assert article.warnings == ()


def test_utf8_bom_is_dropped() -> None:
    article = extract(codecs.BOM_UTF8 + b"Title line\nbody", "bom.txt")
    assert article.title == "Title line"
    assert article.text == "Title line\nbody"


def test_legacy_encoding_is_guessed_with_a_warning() -> None:
    text = "Rapport de la réunion: les délégués ont été reçus à Genève et à Zürich.\n" * 3
    article = extract(text.encode("cp1252"), "rapport.txt")
    assert article.text == text
    assert article.warnings == ("the text encoding was guessed as cp1252",)


def test_old_mac_newlines_are_normalised() -> None:
    article = extract(b"first\rsecond\r\nthird", "mac.txt")
    assert article.text == "first\nsecond\nthird"


def test_title_is_first_non_empty_line_capped() -> None:
    article = extract(b"\n\n   " + b"word " * 100 + b"\nbody", "long.txt")
    assert article.title.startswith("word word")
    assert len(article.title) == 200
    assert article.title.endswith("…")


def test_markdown_is_kept_as_is_and_titled_by_its_heading() -> None:
    source = "# Situation report\n\n*Albukamal*, 9 June 2019\n\n- five killed\n"
    article = extract(source.encode(), "sitrep.md")
    assert article.media_type == "text/markdown"
    assert article.kind == "article"
    assert article.text == source
    assert article.title == "Situation report"
    assert article.published == datetime(2019, 6, 9, tzinfo=UTC)


def test_persian_text_is_fa() -> None:
    assert extract(PERSIAN.encode(), "fa.txt").language == "fa"


def test_arabic_text_is_ar() -> None:
    assert extract(ARABIC.encode(), "ar.txt").language == "ar"


def test_arabic_indic_digit_date() -> None:
    article = extract(f"البوكمال - ٨ حزيران ٢٠١٩\n{ARABIC}".encode(), "ar.txt")
    assert article.published == datetime(2019, 6, 8, tzinfo=UTC)
    assert article.published_precision == "day"
    assert article.language == "ar"


def test_text_without_date() -> None:
    article = extract(b"A note with no date in it at all.", "undated.txt")
    assert article.published is None
    assert article.published_precision is None


def test_html_saved_as_txt_is_read_as_html() -> None:
    page = (
        b"<!DOCTYPE html><html lang='en'><head><title>Saved</title></head><body>"
        b"<article><p>" + b"Militia members removed a flag from the square. " * 5 + b"</p>"
        b"</article></body></html>"
    )
    article = extract(page, "saved.txt")
    assert article.media_type == "text/html"
    assert article.text is not None
    assert "<p>" not in article.text
    assert "the content is an HTML page" in article.warnings[0]
