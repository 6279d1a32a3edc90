"""Large photos are decoded once, at a reduced scale, and still read in full."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image, ImageOps

from desk.errors import IngestError
from desk.ingest import extract
from desk.ingest.image import upright_copy

WIDTH, HEIGHT = 2400, 1600


def _photo(orientation: int = 1) -> bytes:
    """A camera-sized JPEG: red on the left third, blue elsewhere."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "blue")
    image.paste((220, 0, 0), (0, 0, WIDTH // 3, HEIGHT))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def _is_red(pixel: tuple[int, ...]) -> bool:
    red, green, blue = pixel[:3]
    return red > 150 and green < 80 and blue < 80


def test_a_large_photo_keeps_its_full_size_and_gets_a_small_upright_thumbnail() -> None:
    data = _photo(orientation=6)

    info = extract(data, "photo.jpg").image

    assert info is not None
    assert (info.width, info.height) == (WIDTH, HEIGHT)
    assert info.upright_size == (HEIGHT, WIDTH)
    assert info.thumbnail_jpeg is not None
    thumbnail = Image.open(io.BytesIO(info.thumbnail_jpeg)).convert("RGB")
    assert thumbnail.size == (HEIGHT // 8, WIDTH // 8)  # decoded at 1/8, not resized
    # The thumbnail looks like the photo turned upright: red where the turned photo is red.
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    for x, y in ((0.5, 0.1), (0.5, 0.9), (0.1, 0.5)):
        expected = upright.getpixel((int(x * upright.width), int(y * upright.height)))
        found = thumbnail.getpixel((int(x * thumbnail.width), int(y * thumbnail.height)))
        assert isinstance(expected, tuple)
        assert isinstance(found, tuple)
        assert _is_red(found) == _is_red(expected)


def test_a_cut_off_photo_is_still_refused() -> None:
    data = _photo()

    with pytest.raises(IngestError, match="truncated"):
        extract(data[: len(data) * 2 // 3], "photo.jpg")


def test_a_display_copy_is_upright_and_no_longer_than_asked() -> None:
    copy = Image.open(io.BytesIO(upright_copy(_photo(orientation=6), "p.jpg", "image/jpeg", 1000)))

    assert copy.size == (667, 1000)


def test_a_photo_larger_than_eight_thumbnails_is_resized_to_the_thumbnail() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), "blue").save(buffer, format="JPEG", quality=80)

    info = extract(buffer.getvalue(), "large.jpg").image

    assert info is not None
    assert info.thumbnail_jpeg is not None
    assert Image.open(io.BytesIO(info.thumbnail_jpeg)).size == (320, 240)
