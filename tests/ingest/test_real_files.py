"""Files from other projects' test suites: real-world input, kept unchanged."""

from __future__ import annotations

import difflib
import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from desk.errors import IngestError
from desk.ingest import Extracted, extract


def _extract(directory: Path, name: str) -> Extracted:
    return extract((directory / name).read_bytes(), name)


def test_cnn_arabic_article_text(real_dir: Path) -> None:
    page = _extract(real_dir, "cnn-arabic-2013-08-03.html")
    expected = (real_dir / "cnn-arabic-2013-08-03.expected.txt").read_text(encoding="utf-8")
    assert page.text is not None
    ratio = difflib.SequenceMatcher(None, page.text, expected, autojunk=False).ratio()
    assert ratio > 0.8
    for paragraph in expected.split("\n\n"):
        assert paragraph.strip() in page.text
    assert page.language == "ar"
    assert page.title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    assert page.url == "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"


def test_cnn_arabic_gets_no_guessed_date(real_dir: Path) -> None:
    # The page states no publication date; "© 2013" in its footer is not one.
    page = _extract(real_dir, "cnn-arabic-2013-08-03.html")
    assert page.published is None


def test_truncated_jpeg_is_refused(real_dir: Path) -> None:
    with pytest.raises(IngestError, match="truncated or corrupt"):
        _extract(real_dir, "pillow-truncated_jpeg.jpg")


def test_decompression_bomb_gif_is_refused(real_dir: Path) -> None:
    with pytest.raises(IngestError, match="decompression bomb") as caught:
        _extract(real_dir, "pillow-decompression_bomb.gif")
    assert caught.value.filename == "pillow-decompression_bomb.gif"
    assert "pixels" in caught.value.reason


def test_png_text_chunk_bomb_is_refused_without_blowing_up(real_dir: Path) -> None:
    # Its text chunks expand to 2 MiB each; Pillow's MAX_TEXT_CHUNK stops at 1 MiB.
    with pytest.raises(IngestError, match="text metadata") as caught:
        _extract(real_dir, "pillow-png_decompression_dos.png")
    assert "safe limit" in caught.value.reason


def test_malformed_gps_is_flagged_not_used(real_dir: Path) -> None:
    photo = _extract(real_dir, "pillow-exif_gps.jpg")
    assert photo.image is not None
    assert photo.image.gps_lat is None
    assert photo.image.gps_lon is None
    assert photo.image.gps_note == "invalid GPS in EXIF"


def test_hopper_orientation_6_thumbnail_is_upright(real_dir: Path) -> None:
    data = (real_dir / "pillow-hopper_orientation_6.jpg").read_bytes()
    photo = extract(data, "hopper.jpg")
    assert photo.image is not None
    assert photo.image.orientation == 6
    assert photo.image.thumbnail_jpeg is not None
    with (
        Image.open(io.BytesIO(data)) as raw,
        Image.open(io.BytesIO(photo.image.thumbnail_jpeg)) as thumb,
    ):
        stored = raw.convert("RGB")
        upright = stored.transpose(Image.Transpose.ROTATE_270)
        shown = thumb.convert("RGB")
        assert shown.size == upright.size

        def distance(candidate: Image.Image) -> float:
            return sum(ImageStat.Stat(ImageChops.difference(shown, candidate)).mean)

        assert distance(upright) < distance(stored) / 4


def test_invalid_exif_is_imported_with_a_warning(real_dir: Path) -> None:
    photo = _extract(real_dir, "pillow-invalid-exif.jpg")
    assert photo.kind == "image"
    assert photo.image is not None
    assert (photo.image.width, photo.image.height) == (200, 200)
    assert photo.image.taken_at is None
    assert any("EXIF" in warning for warning in photo.warnings)


def test_crazyones_pdf_text(real_dir: Path) -> None:
    document = _extract(real_dir, "pypdf-crazyones.pdf")
    assert document.text is not None
    assert "crazy ones" in document.text
    assert "misfits" in document.text  # the "ﬁ" ligature is spelled out
    assert document.title == "The Crazy Ones"
    assert len(document.pages) == 1
    assert document.language == "en"


def test_malformed_pdf_is_imported_with_a_warning(real_dir: Path) -> None:
    document = _extract(real_dir, "pypdf-issue-297-malformed.pdf")
    assert document.kind == "document"
    assert document.text == "test example"
    assert "structure is damaged" in document.warnings[0]
