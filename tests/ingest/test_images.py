"""Images made in the test: EXIF dates, GPS validation, transparency."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from desk.ingest import Extracted, extract

GPS = ExifTags.GPS


def _dms(degrees: float, minutes: float, seconds: float) -> tuple[IFDRational, ...]:
    return tuple(IFDRational(value) for value in (degrees, minutes, seconds))


def _jpeg_with_exif(
    gps: dict[int, Any] | None = None, exif_ifd: dict[int, Any] | None = None, **base: Any
) -> bytes:
    exif = Image.Exif()
    for name, value in base.items():
        exif[ExifTags.Base[name]] = value
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    if exif_ifd:
        exif.get_ifd(ExifTags.IFD.Exif).update(exif_ifd)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _image(data: bytes, name: str = "photo.jpg") -> Extracted:
    extracted = extract(data, name)
    assert extracted.image is not None
    return extracted


def test_southern_western_coordinates_are_negative() -> None:
    gps = {
        GPS.GPSLatitudeRef: "S",
        GPS.GPSLatitude: _dms(33, 30, 0),
        GPS.GPSLongitudeRef: "W",
        GPS.GPSLongitude: _dms(70, 15, 36),
    }
    info = _image(_jpeg_with_exif(gps)).image
    assert info is not None
    assert info.gps_lat == pytest.approx(-33.5)
    assert info.gps_lon == pytest.approx(-70.26)
    assert info.gps_note is None


@pytest.mark.parametrize(
    ("latitude", "lat_ref"),
    [
        ((IFDRational(33, 0), IFDRational(0), IFDRational(0)), "N"),  # zero denominator
        (_dms(33, 60, 0), "N"),
        (_dms(33, 10, 60), "N"),
        (_dms(91, 0, 0), "N"),
        (_dms(33, 10, 0), "X"),
        (_dms(0, 0, 0), "N"),  # with longitude 0 below: the 0,0 of a missing fix
        ((IFDRational(33),), "N"),
    ],
)
def test_invalid_gps_is_flagged(latitude: tuple[IFDRational, ...], lat_ref: str) -> None:
    longitude = _dms(0, 0, 0) if latitude == _dms(0, 0, 0) else _dms(40, 56, 12)
    gps = {
        GPS.GPSLatitudeRef: lat_ref,
        GPS.GPSLatitude: latitude,
        GPS.GPSLongitudeRef: "E",
        GPS.GPSLongitude: longitude,
    }
    info = _image(_jpeg_with_exif(gps)).image
    assert info is not None
    assert (info.gps_lat, info.gps_lon) == (None, None)
    assert info.gps_note == "invalid GPS in EXIF"


def test_gps_directory_without_position_is_not_flagged() -> None:
    info = _image(_jpeg_with_exif({GPS.GPSVersionID: b"\x02\x02\x00\x00"})).image
    assert info is not None
    assert info.gps_note is None


def test_datetime_falls_back_to_datetime_tag() -> None:
    photo = _image(_jpeg_with_exif(DateTime="2020:01:02 03:04:05"))
    assert photo.image is not None
    assert photo.image.taken_at == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert "no time zone" in photo.metadata["taken_at_zone"]


def test_exif_offset_gives_the_real_instant() -> None:
    exif_ifd = {
        ExifTags.Base.DateTimeOriginal: "2019:06:08 21:42:10",
        ExifTags.Base.OffsetTimeOriginal: "+03:00",
    }
    photo = _image(_jpeg_with_exif(exif_ifd=exif_ifd))
    assert photo.image is not None
    assert photo.image.taken_at == datetime(2019, 6, 8, 18, 42, 10, tzinfo=UTC)
    assert photo.metadata["taken_at_zone"] == "EXIF gives the offset +03:00"


def test_impossible_exif_date_is_ignored() -> None:
    info = _image(_jpeg_with_exif(DateTime="2019:13:45 99:00:00")).image
    assert info is not None
    assert info.taken_at is None


def test_out_of_range_orientation_counts_as_upright() -> None:
    info = _image(_jpeg_with_exif(Orientation=42)).image
    assert info is not None
    assert info.orientation == 1


def test_camera_make_is_not_repeated() -> None:
    info = _image(_jpeg_with_exif(Make="Canon", Model="Canon EOS 5D")).image
    assert info is not None
    assert info.camera == "Canon EOS 5D"


def test_transparent_png_thumbnail_is_rgb_on_white() -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (500, 100), (0, 0, 0, 0)).save(buffer, format="PNG")
    info = _image(buffer.getvalue(), "clear.png").image
    assert info is not None
    assert info.thumbnail_jpeg is not None
    with Image.open(io.BytesIO(info.thumbnail_jpeg)) as thumb:
        assert thumb.mode == "RGB"
        assert thumb.size == (320, 64)
        assert thumb.getpixel((10, 10)) == (255, 255, 255)


def test_small_image_is_not_enlarged() -> None:
    buffer = io.BytesIO()
    Image.new("L", (50, 30), 128).save(buffer, format="GIF")
    info = _image(buffer.getvalue(), "small.gif").image
    assert info is not None
    assert info.format == "GIF"
    assert info.thumbnail_jpeg is not None
    with Image.open(io.BytesIO(info.thumbnail_jpeg)) as thumb:
        assert thumb.size == (50, 30)


@pytest.mark.parametrize(("name", "fmt"), [("a.webp", "WEBP"), ("a.tif", "TIFF")])
def test_webp_and_tiff(name: str, fmt: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "navy").save(buffer, format=fmt)
    info = _image(buffer.getvalue(), name).image
    assert info is not None
    assert info.format == fmt
    assert (info.width, info.height) == (30, 20)


def test_orientation_6_swaps_width_and_height() -> None:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    Image.new("RGB", (60, 30), "blue").save(buffer, format="JPEG", exif=exif)
    photo = extract(buffer.getvalue(), "sideways.jpg")
    assert photo.image is not None
    assert (photo.image.width, photo.image.height) == (60, 30)
    assert photo.image.upright_size == (30, 60)
    assert photo.image.thumbnail_jpeg is not None
    with Image.open(io.BytesIO(photo.image.thumbnail_jpeg)) as thumb:
        assert thumb.size == (30, 60)
