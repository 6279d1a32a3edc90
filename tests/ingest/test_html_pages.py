"""Saved web pages: encodings, failed extraction, dates and language."""

from __future__ import annotations

from datetime import UTC, datetime

from desk.ingest import extract

BODY = "<p>" + "Residents reported heavy fighting near the border crossing. " * 6 + "</p>"


def _page(head: str = "", body: str = BODY, html_attrs: str = "") -> str:
    return f"<!DOCTYPE html><html{html_attrs}><head>{head}</head><body><article>{body}</article></body></html>"


def test_meta_charset_is_honoured() -> None:
    head = '<meta charset="windows-1256"><title>x</title>'
    body = "<p>" + "اشتباكات عنيفة في مدينة البوكمال شرق سوريا. " * 6 + "</p>"
    page = extract(_page(head, body).encode("cp1256"), "page.html")
    assert page.text is not None
    assert "البوكمال" in page.text
    assert page.language == "ar"
    assert page.warnings == ()


def test_latin1_label_means_windows_1252() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    body = "<p>" + "Les délégués se sont réunis – à nouveau – à Genève. " * 6 + "</p>"
    page = extract(_page(head, body).encode("cp1252"), "page.htm")
    assert page.text is not None
    assert "– à nouveau –" in page.text


def test_invalid_bytes_for_the_declared_charset_are_replaced_with_a_warning() -> None:
    data = _page('<meta charset="utf-8">').encode().replace(b"heavy", b"h\xffavy")
    page = extract(data, "page.html")
    assert page.text is not None
    assert "\ufffd" in page.text
    assert "not valid utf-8" in page.warnings[0]


def test_fragment_is_kept_with_failed_extraction() -> None:
    page = extract(b"<p>x</p>", "fragment.html")
    assert page.kind == "article"
    assert page.text is None
    assert page.title == "fragment"
    assert page.warnings[0].startswith("text extraction failed: ")


def test_page_without_article_text_is_kept_with_its_title() -> None:
    nav_only = _page("<title>Front page</title>", "<nav><a href='/'>Home</a></nav>")
    page = extract(nav_only.encode(), "empty.html")
    assert page.text is None
    assert page.title == "Front page"
    assert page.warnings == ("text extraction failed: no article text was found in the page",)


def test_lang_attribute_wins_over_detection() -> None:
    page = extract(_page(html_attrs=' lang="fr-FR"').encode(), "page.html")
    assert page.language == "fr"


def test_language_is_detected_without_lang_attribute() -> None:
    assert extract(_page().encode(), "page.html").language == "en"


def test_date_only_metadata_has_day_precision() -> None:
    head = '<meta property="article:published_time" content="2019-06-09">'
    page = extract(_page(head).encode(), "page.html")
    assert page.published == datetime(2019, 6, 9, tzinfo=UTC)
    assert page.published_precision == "day"


def test_time_without_offset_has_day_precision() -> None:
    head = '<meta itemprop="datePublished" content="2019-06-09T23:30:00">'
    page = extract(_page(head).encode(), "page.html")
    assert page.published == datetime(2019, 6, 9, tzinfo=UTC)
    assert page.published_precision == "day"
