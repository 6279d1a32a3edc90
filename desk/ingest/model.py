"""What the importers find in a file, before anything is written to a case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

SourceKind = Literal["article", "image", "document", "note"]
DatePrecision = Literal["datetime", "day", "month", "year"]


@dataclass(frozen=True)
class ImageInfo:
    """Facts read from an image's header and EXIF; nothing here is trusted blindly."""

    width: int
    height: int
    format: str
    orientation: int = 1
    taken_at: datetime | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_note: str | None = None
    camera: str | None = None
    thumbnail_jpeg: bytes | None = None

    @property
    def upright_size(self) -> tuple[int, int]:
        """Width and height as the image is shown, after EXIF orientation."""
        if self.orientation in (5, 6, 7, 8):
            return self.height, self.width
        return self.width, self.height


@dataclass(frozen=True)
class Extracted:
    """The result of reading one file: its kind, metadata and text.

    ``published`` is UTC-aware; ``published_precision`` says how much of it is known
    (a date found in a text is a day, not midnight). ``text`` is None when extraction
    failed for a file we still keep as evidence; ``warnings`` then says why.
    """

    kind: SourceKind
    media_type: str
    title: str
    text: str | None = None
    pages: tuple[str, ...] = ()
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    published_precision: DatePrecision | None = None
    language: str | None = None
    image: ImageInfo | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
