"""What the analyst chooses for a brief; the CLI and the export dialog fill one in."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

GraphicImages = Literal["omit", "blur"]
PageSize = Literal["A4", "Letter"]

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class BriefOptions:
    """How to make a brief.

    ``incident_ids`` empty means every incident in the case. ``issued`` is the date of
    issue printed on the cover and stored as the PDF's creation date (now when None);
    with the same case and options, two builds give the same text. ``note_ids`` None
    with ``include_notes`` means every note of the chosen incidents.
    """

    incident_ids: tuple[uuid.UUID, ...] = ()
    title: str = ""  # default: "Brief: <case title>"
    author: str = ""  # default: the case's analyst
    handling: str = ""  # e.g. "RESTRICTED - FOR PARTNER DISTRIBUTION"; on every page
    issued: datetime | None = None
    include_map: bool = True
    include_timeline: bool = True
    include_images: bool = True
    graphic: GraphicImages = "omit"
    include_notes: bool = False
    note_ids: frozenset[uuid.UUID] | None = None
    include_appendix: bool = True
    page_size: PageSize = "A4"
    image_dpi: int = 150  # print resolution images are downscaled to
    invariant: bool = False  # byte-identical output (ReportLab's invariant mode): for tests


@dataclass(frozen=True)
class BriefResult:
    """What a build made; ``path`` is None when it was cancelled (no file is left)."""

    path: Path | None
    pages: int = 0
    incidents: int = 0
    sources: int = 0
    images: int = 0
    cancelled: bool = False
