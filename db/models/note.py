from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked


class Note(Tracked, Base):
    """The analyst's own text on the case, an incident or a source."""

    __tablename__ = "note"
    __table_args__ = (
        CheckConstraint(
            "(target = 'case' AND incident_id IS NULL AND source_id IS NULL)"
            " OR (target = 'incident' AND incident_id IS NOT NULL AND source_id IS NULL)"
            " OR (target = 'source' AND source_id IS NOT NULL AND incident_id IS NULL)",
            name="target",
        ),
    )

    target: Mapped[str] = mapped_column(String(10))
    incident_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("source.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
