"""Images for the brief: upright, downscaled to print resolution, graphic ones blurred.

The core makes the upright JPEG (``SourceService.display_image``, with the same
guards as at import); here it is sized for the page and, for a graphic image the
analyst chose to blur, blurred on that small copy. One image at a time: the brief
keeps only these print-sized JPEGs, never the originals.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageFilter
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image as PlatypusImage

from desk.errors import DeskError

if TYPE_CHECKING:
    from desk.case import Case
    from desk.services.sources import SourceView

MAX_WIDTH = 110 * mm
MAX_HEIGHT = 85 * mm
_POINTS_PER_INCH = 72
# A blur this strong (relative to the image) leaves shapes, not injuries, to see.
_BLUR_FRACTION = 1 / 30


@dataclass(frozen=True)
class PreparedImage:
    source: SourceView
    jpeg: bytes | None  # None when the image cannot be shown (see ``problem``)
    width: float  # on the page, in points
    height: float
    blurred: bool = False
    problem: str | None = None


def page_size(pixels: tuple[int, int] | None) -> tuple[float, float]:
    """The image's size on the page: as large as the box allows, proportions kept."""
    width, height = pixels or (4, 3)
    scale = min(MAX_WIDTH / max(width, 1), MAX_HEIGHT / max(height, 1))
    return width * scale, height * scale


def prepare(case: Case, source: SourceView, dpi: int, blur: bool) -> PreparedImage:
    width, height = page_size(source.upright_size)
    max_side = math.ceil(max(width, height) / _POINTS_PER_INCH * dpi)
    try:
        jpeg = case.sources.display_image(source.id, max_side)
    except DeskError as exc:
        # One unreadable image is reported in its place, not a failed brief.
        return PreparedImage(source, None, width, height, problem=str(exc))
    if blur:
        jpeg = _blurred(jpeg)
    return PreparedImage(source, jpeg, width, height, blurred=blur)


def _blurred(jpeg: bytes) -> bytes:
    with Image.open(io.BytesIO(jpeg), formats=["JPEG"]) as image:
        radius = max(image.size) * _BLUR_FRACTION
        blurred = image.filter(ImageFilter.GaussianBlur(radius))
    out = io.BytesIO()
    blurred.save(out, "JPEG", quality=80)
    return out.getvalue()


class PrintImage(PlatypusImage):  # type: ignore[misc]  # ReportLab has no type hints
    """A platypus Image of a JPEG we made, that lets its pixels go after drawing.

    ReportLab decodes an image to name it in the PDF and keeps the pixels in its
    reader for as long as the flowable lives: a whole build, for every image. A fresh
    reader per drawing is dropped with them.
    """

    def __init__(self, jpeg: bytes, width: float, height: float) -> None:
        super().__init__(io.BytesIO(jpeg), width=width, height=height, hAlign="LEFT")
        self._jpeg = jpeg

    def draw(self) -> None:
        self._img = ImageReader(io.BytesIO(self._jpeg))
        try:
            super().draw()
        finally:
            self._img = None
