from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from db.base import Base, Tracked, utcnow
from db.models.outlet import Outlet
from db.vocab import SOURCE_KINDS, check_in


class Source(Tracked, Base):
    """An item of evidence: an article, image, document or note.

    The original bytes are in ``Blob`` (one source per blob: importing the same bytes
    again finds this source). What was extracted from them lives here. Large columns
    (text, thumbnail) are deferred.
    """

    __tablename__ = "source"
    __table_args__ = (
        CheckConstraint(check_in("kind", SOURCE_KINDS), name="kind"),
        CheckConstraint(
            "published_precision IS NULL OR published_precision IN "
            "('datetime', 'day', 'month', 'year')",
            name="published_precision",
        ),
    )

    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(500))
    outlet_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("outlet.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    published_precision: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(8))
    media_type: Mapped[str] = mapped_column(String(100))
    blob_sha256: Mapped[str | None] = mapped_column(
        ForeignKey("blob.sha256", ondelete="RESTRICT"), unique=True
    )
    original_filename: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str | None] = deferred(mapped_column(Text))
    text_chars: Mapped[int] = mapped_column(default=0)
    page_count: Mapped[int | None]
    extraction_warning: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    image_width: Mapped[int | None]
    image_height: Mapped[int | None]
    image_orientation: Mapped[int | None]
    taken_at: Mapped[datetime | None]
    gps_lat: Mapped[float | None]
    gps_lon: Mapped[float | None]
    graphic: Mapped[bool] = mapped_column(Boolean, default=False)
    thumbnail: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    outlet: Mapped[Outlet | None] = relationship(lazy="raise")
    acquisitions: Mapped[list[Acquisition]] = relationship(
        back_populates="source", lazy="raise", order_by="Acquisition.acquired_at"
    )


class Acquisition(Base):
    """When, from where and by whom a source's bytes came into the case."""

    __tablename__ = "acquisition"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    source_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("source.id", ondelete="CASCADE"), index=True
    )
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    acquired_by: Mapped[str] = mapped_column(String(200))
    original_filename: Mapped[str] = mapped_column(String(1000))
    original_path: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20), default="file")

    source: Mapped[Source] = relationship(back_populates="acquisitions", lazy="raise")
