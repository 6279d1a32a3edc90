"""Every file of the Al Bukamal sample case imports with the facts it carries."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from desk.ingest import Extracted, extract

EXPECTED_FILES = {
    "al-bukamal-irancommentary-2019-06-08.txt",
    "eastern-syria-monitor-2019-06-09.html",
    "deir-ezzor-news-ar-2019-06-08.html",
    "field-note-2019-06-10.txt",
    "weekly-monitoring-report-2019-w23.pdf",
    "albukamal-square-2019-06-08.jpg",
    "map-sketch-no-metadata.png",
}


def _extract(directory: Path, name: str) -> Extracted:
    return extract((directory / name).read_bytes(), name)


def test_every_sample_file_is_covered_and_imports(samples_dir: Path) -> None:
    names = {path.name for path in samples_dir.iterdir() if path.name != "README.md"}
    assert names == EXPECTED_FILES
    for name in names:
        extracted = _extract(samples_dir, name)
        assert extracted.title
        assert extracted.warnings == ()


def test_irancommentary_text_article(samples_dir: Path) -> None:
    article = _extract(samples_dir, "al-bukamal-irancommentary-2019-06-08.txt")
    assert article.kind == "article"
    assert article.media_type == "text/plain"
    assert article.title.startswith("MESOPOTAMIA NEWS INTEL")
    assert article.published == datetime(2019, 6, 8, tzinfo=UTC)
    assert article.published_precision == "day"
    assert article.language == "en"
    assert article.text is not None
    assert "Russian military police" in article.text
    assert "\r" not in article.text


def test_field_note_date_and_title(samples_dir: Path) -> None:
    note = _extract(samples_dir, "field-note-2019-06-10.txt")
    assert note.kind == "article"
    assert note.title == "FIELD NOTE - Albukamal - 10 June 2019"
    assert note.published == datetime(2019, 6, 10, tzinfo=UTC)
    assert note.published_precision == "day"
    assert note.language == "en"
    assert note.text is not None
    assert "Hamdan road" in note.text


def test_eastern_syria_monitor_page(samples_dir: Path) -> None:
    page = _extract(samples_dir, "eastern-syria-monitor-2019-06-09.html")
    assert page.kind == "article"
    assert page.media_type == "text/html"
    assert page.title == "Deadly clashes between pro-Iran militias and NDF in Albukamal"
    assert page.outlet == "Eastern Syria Monitor"
    assert page.author is not None
    assert "Eastern Syria Monitor" in page.author
    assert page.url == "https://eastern-syria-monitor.example/2019/06/09/albukamal-clashes"
    assert page.published == datetime(2019, 6, 9, 4, 40, tzinfo=UTC)
    assert page.published_precision == "datetime"
    assert page.language == "en"
    assert page.text is not None
    assert "five people were killed" in page.text
    for boilerplate in ("Advertisement", "Most read", "Fuel prices", "Subscribe", "Privacy"):
        assert boilerplate not in page.text


def test_eastern_syria_monitor_keeps_paragraphs_apart(samples_dir: Path) -> None:
    page = _extract(samples_dir, "eastern-syria-monitor-2019-06-09.html")
    assert page.text is not None
    paragraphs = page.text.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[2].startswith("According to two residents")


def test_deir_ezzor_arabic_page(samples_dir: Path) -> None:
    page = _extract(samples_dir, "deir-ezzor-news-ar-2019-06-08.html")
    assert page.language == "ar"
    assert page.outlet == "أخبار دير الزور"
    assert page.title == "اشتباكات بين ميليشيات إيرانية والدفاع الوطني في البوكمال"
    assert page.published == datetime(2019, 6, 8, 18, 15, tzinfo=UTC)
    assert page.published_precision == "datetime"
    assert page.text is not None
    assert "البوكمال" in page.text
    assert "مقتل أربعة أشخاص" in page.text
    assert "جميع الحقوق محفوظة" not in page.text


def test_weekly_report_pdf(samples_dir: Path) -> None:
    report = _extract(samples_dir, "weekly-monitoring-report-2019-w23.pdf")
    assert report.kind == "document"
    assert report.media_type == "application/pdf"
    assert report.title == "Weekly Monitoring Report 2019-W23"
    assert report.author == "Sample Monitoring Group"
    assert len(report.pages) == 2
    assert all(page.strip() for page in report.pages)
    assert report.text == "\n\n".join(report.pages)
    assert "\f" not in report.text
    assert "Mayadin" in report.text
    # the date printed on the cover, not the file's creation date
    assert report.published == datetime(2019, 6, 9, tzinfo=UTC)
    assert report.published_precision == "day"
    assert report.language == "en"


def test_square_photo_exif(samples_dir: Path) -> None:
    photo = _extract(samples_dir, "albukamal-square-2019-06-08.jpg")
    assert photo.kind == "image"
    assert photo.media_type == "image/jpeg"
    assert photo.title == "albukamal-square-2019-06-08"
    info = photo.image
    assert info is not None
    assert info.gps_lat == pytest.approx(34.4536, abs=5e-5)
    assert info.gps_lon == pytest.approx(40.9367, abs=5e-5)
    assert info.gps_note is None
    assert info.orientation == 6
    assert info.taken_at == datetime(2019, 6, 8, 18, 42, 10, tzinfo=UTC)
    assert "taken_at_zone" in photo.metadata
    assert info.camera == "SampleCam Test-1"
    width, height = info.upright_size
    assert width > height
    assert info.thumbnail_jpeg is not None
    with Image.open(io.BytesIO(info.thumbnail_jpeg)) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert thumbnail.mode == "RGB"
        assert thumbnail.width > thumbnail.height
        assert max(thumbnail.size) == 320


def test_map_sketch_has_no_metadata(samples_dir: Path) -> None:
    sketch = _extract(samples_dir, "map-sketch-no-metadata.png")
    assert sketch.kind == "image"
    assert sketch.media_type == "image/png"
    info = sketch.image
    assert info is not None
    assert (info.width, info.height) == (800, 450)
    assert info.gps_lat is None
    assert info.gps_lon is None
    assert info.gps_note is None
    assert info.taken_at is None
    assert info.orientation == 1
    assert sketch.metadata == {}


def test_pdf_lines_wrapped_at_the_margin_read_as_paragraphs(samples_dir: Path) -> None:
    report = _extract(samples_dir, "weekly-monitoring-report-2019-w23.pdf")
    assert report.text is not None
    # one sentence that the PDF wraps over two lines
    assert "between Iran-backed militia members and pro-government" in report.text
    # headings keep their own line
    assert "\n1. Albukamal\nOn 8 June 2019" in report.text
