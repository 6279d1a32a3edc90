"""Images: size, EXIF facts and an upright thumbnail, read with Pillow.

Decoding is bounded: formats outside an allow-list are refused, a decompression bomb
warning is an error, and the pixels are loaded so a truncated file fails here.
``warnings.catch_warnings`` changes process-wide state: read images from one thread per
process (the importer is meant to run in a process pool).
"""

from __future__ import annotations

import io
import math
import re
import struct
import warnings
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from PIL import (
    ExifTags,
    GifImagePlugin,
    Image,
    ImageFile,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    WebPImagePlugin,
)

from desk.errors import IngestError
from desk.ingest.model import Extracted, ImageInfo
from desk.ingest.text import file_stem

_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF")
# Plugins opened directly only to read the size a bomb declares; no pixels are decoded.
_PLUGINS: dict[str, type[ImageFile.ImageFile]] = {
    "image/jpeg": JpegImagePlugin.JpegImageFile,
    "image/png": PngImagePlugin.PngImageFile,
    "image/gif": GifImagePlugin.GifImageFile,
    "image/webp": WebPImagePlugin.WebPImageFile,
    "image/tiff": TiffImagePlugin.TiffImageFile,
}
_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")
# What Pillow raises for damaged files, besides its own UnidentifiedImageError (an OSError).
_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, struct.error)
_EXIF_ERRORS = (SyntaxError, ValueError, TypeError, KeyError, IndexError, OSError, struct.error)
# A thumbnail's long side: the grid shows it at 160 px, and any side in this range
# serves. A JPEG is decoded at the smallest DCT scale (1/2 to 1/8) giving at least the
# first, which for common photo sizes lands in the range and saves a resize.
_THUMBNAIL_MIN, _THUMBNAIL_MAX = 256, 320
Size = tuple[int, int]
_EXIF_TIME = "%Y:%m:%d %H:%M:%S"
_NO_ZONE = "EXIF gives no time zone: the camera's clock time is stored as if it were UTC"
_INVALID_GPS = "invalid GPS in EXIF"
# The mapping ImageOps.exif_transpose uses, applied here to the small copy only.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _declared_size(data: bytes, media_type: str, error: Exception) -> str:
    """The W×H a refused image declares, or its pixel count from Pillow's message."""
    try:
        width, height = _PLUGINS[media_type](io.BytesIO(data)).size
    except (*_DAMAGED, Image.DecompressionBombError):
        # Some plugins (GIF, WebP) check the size themselves while opening.
        match = _BOMB_PIXELS.search(str(error))
        return f"{int(match[1]):,}" if match else "too many"
    return f"{width}×{height}"


def _damage_reason(error: Exception) -> str:
    # Pillow caps PNG text chunks (MAX_TEXT_CHUNK, MAX_TEXT_MEMORY) and names the cap.
    if isinstance(error, ValueError) and "MAX_TEXT" in str(error):
        return "the image's text metadata expands beyond the safe limit (a decompression bomb)"
    return f"the image is truncated or corrupt ({error})"


def _decoded(data: bytes, filename: str, media_type: str, side: int) -> tuple[Image.Image, Size]:
    """The image decoded once, and its full size.

    A JPEG is decoded at the smallest scale (1/2 to 1/8, ``Image.draft``) that still
    gives ``side`` pixels on its long side: the decoder reads every byte, so a truncated
    file still fails, but skips most of the work. Other formats decode at full size.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_FORMATS)
            size = image.size
            image.draft(image.mode, _fit(size, side))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        declared = _declared_size(data, media_type, error)
        reason = f"the image is a decompression bomb (declares {declared} pixels)"
        raise IngestError(filename, reason) from error
    except _DAMAGED as error:
        raise IngestError(filename, _damage_reason(error)) from error
    return image, size


def _clean_str(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    return value.strip("\x00 \t\r\n") or None


def _orientation(exif: Image.Exif) -> int:
    value = exif.get(ExifTags.Base.Orientation)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _camera(exif: Image.Exif) -> str | None:
    make = _clean_str(exif.get(ExifTags.Base.Make))
    model = _clean_str(exif.get(ExifTags.Base.Model))
    if make and model and model.lower().startswith(make.lower()):
        return model  # "Canon" + "Canon EOS 5D"
    return " ".join(part for part in (make, model) if part) or None


def _zone(offset: str | None) -> timezone | None:
    """An EXIF 2.31 offset such as "+03:00"."""
    if not offset or len(offset) != 6 or offset[0] not in "+-" or offset[3] != ":":
        return None
    try:
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
    except ValueError:
        return None
    return timezone(-delta if offset[0] == "-" else delta)


def _taken_at(exif: Image.Exif, exif_ifd: dict[int, Any]) -> tuple[datetime | None, str | None]:
    """When the photo was taken, and a note saying what zone that time is in."""
    original = _clean_str(exif_ifd.get(ExifTags.Base.DateTimeOriginal))
    value = original or _clean_str(exif.get(ExifTags.Base.DateTime))
    if value is None:
        return None, None
    try:
        wall = datetime.strptime(value, _EXIF_TIME)
    except ValueError:
        return None, None
    offset_tag = ExifTags.Base.OffsetTimeOriginal if original else ExifTags.Base.OffsetTime
    offset = _clean_str(exif_ifd.get(offset_tag))
    zone = _zone(offset)
    if zone is None:
        return wall.replace(tzinfo=UTC), _NO_ZONE
    return wall.replace(tzinfo=zone).astimezone(UTC), f"EXIF gives the offset {offset}"


def _coordinate(value: Any, ref: Any, refs: str, limit: float) -> float | None:
    """Degrees from EXIF (degrees, minutes, seconds) and a reference letter, if valid."""
    letter = _clean_str(ref)
    if not isinstance(value, tuple) or len(value) != 3 or letter is None:
        return None
    if letter.upper() not in refs:
        return None
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    parts = (degrees, minutes, seconds)
    if not all(math.isfinite(part) and part >= 0 for part in parts):
        return None  # a zero denominator reads as NaN
    if minutes >= 60 or seconds >= 60:
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if result > limit:
        return None
    return -result if letter.upper() == refs[1] else result


def _gps(gps_ifd: dict[int, Any]) -> tuple[float | None, float | None, str | None]:
    """Latitude, longitude and a note; never a made-up 0,0."""
    tags = ExifTags.GPS
    if tags.GPSLatitude not in gps_ifd and tags.GPSLongitude not in gps_ifd:
        return None, None, None
    lat = _coordinate(gps_ifd.get(tags.GPSLatitude), gps_ifd.get(tags.GPSLatitudeRef), "NS", 90)
    lon = _coordinate(gps_ifd.get(tags.GPSLongitude), gps_ifd.get(tags.GPSLongitudeRef), "EW", 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return None, None, _INVALID_GPS
    return lat, lon, None


def _exif(image: Image.Image) -> tuple[Image.Exif, dict[int, Any], dict[int, Any]] | None:
    """The main EXIF directory and its Exif and GPS sub-directories; None if broken."""
    try:
        exif = image.getexif()
        return exif, exif.get_ifd(ExifTags.IFD.Exif), exif.get_ifd(ExifTags.IFD.GPSInfo)
    except _EXIF_ERRORS:
        return None


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white, as a JPEG needs."""
    if image.mode == "RGB":
        return image
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _fit(size: Size, side: int) -> Size:
    """``size`` scaled down to at most ``side`` pixels long (never enlarged)."""
    width, height = size
    scale = min(1.0, side / max(size))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _upright_jpeg(image: Image.Image, orientation: int, size: Size) -> bytes:
    """An upright JPEG copy of ``size`` (before turning); the original is never touched."""
    small = _flatten(image)
    if small.size != size:
        small = small.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if orientation in _UPRIGHT:
        small = small.transpose(_UPRIGHT[orientation])
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _image_info(
    image: Image.Image, size: Size
) -> tuple[ImageInfo, dict[str, str], tuple[str, ...]]:
    """Facts about a loaded image of full ``size``, its metadata notes, and warnings."""
    found = _exif(image)
    warnings_: list[str] = []
    if found is None or (image.info.get("exif") and not found[0]):
        warnings_.append("the EXIF block is broken and was ignored")
    exif, exif_ifd, gps_ifd = found or (Image.Exif(), {}, {})
    orientation = _orientation(exif)
    taken_at, zone_note = _taken_at(exif, exif_ifd)
    lat, lon, gps_note = _gps(gps_ifd)
    try:
        thumbnail: bytes | None = _upright_jpeg(
            image, orientation, _fit(image.size, _THUMBNAIL_MAX)
        )
    except (OSError, ValueError) as error:
        thumbnail = None
        warnings_.append(f"no thumbnail could be made ({error})")
    info = ImageInfo(
        width=size[0],
        height=size[1],
        format=image.format or "",
        orientation=orientation,
        taken_at=taken_at,
        gps_lat=lat,
        gps_lon=lon,
        gps_note=gps_note,
        camera=_camera(exif),
        thumbnail_jpeg=thumbnail,
    )
    notes = {"taken_at_zone": zone_note} if zone_note else {}
    return info, notes, tuple(warnings_)


def read_image(data: bytes, filename: str, media_type: str) -> Extracted:
    """A photo or picture; refused when damaged or a decompression bomb."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        image, size = _decoded(data, filename, media_type, _THUMBNAIL_MIN)
        info, notes, problems = _image_info(image, size)
    # Pillow reports damaged metadata as UserWarnings; other categories are not about the file.
    pillow_warnings = tuple(
        f"Pillow: {warning.message}"
        for warning in caught
        if issubclass(warning.category, UserWarning)
    )
    return Extracted(
        kind="image",
        media_type=media_type,
        title=file_stem(filename),
        image=info,
        metadata=notes,
        warnings=problems + pillow_warnings,
    )


def upright_copy(data: bytes, filename: str, media_type: str, max_side: int) -> bytes:
    """An upright JPEG of a stored image for display or print, at most ``max_side`` long.

    The same guards as at import apply: the bytes are untrusted every time they are read.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        image, size = _decoded(data, filename, media_type, max_side)
        found = _exif(image)
        orientation = _orientation(found[0]) if found else 1
        try:
            return _upright_jpeg(image, orientation, _fit(size, max_side))
        except (OSError, ValueError) as error:
            raise IngestError(filename, f"the image cannot be shown ({error})") from error
