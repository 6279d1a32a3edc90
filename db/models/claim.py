"""What one source says about one incident, and the analyst's assessment of disputes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked, utcnow
from db.vocab import CONFIDENCE_LEVELS, check_in


class Claim(Tracked, Base):
    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint("credibility IS NULL OR credibility BETWEEN 1 AND 6", name="credibility"),
        Index("ix_claim_incident_field", "incident_id", "field"),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("source.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(40))
    question: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(String(20))
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    value_text: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    quote_start: Mapped[int | None]
    quote_end: Mapped[int | None]
    credibility: Mapped[int | None]
    repeats_source_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class ConflictResolution(Tracked, Base):
    """An analyst's assessment of a disputed field; the claims themselves stay.

    ``question`` holds the conflict's key (a statement's question, an actor's role,
    "" otherwise); ``claim_ids`` the claims the analyst weighed, so that a later claim
    that disagrees with the accepted value re-opens the conflict.
    """

    __tablename__ = "conflict_resolution"
    __table_args__ = (
        CheckConstraint(check_in("confidence", CONFIDENCE_LEVELS), name="confidence"),
        Index("uq_conflict_resolution_key", "incident_id", "field", "question", unique=True),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(40))
    question: Mapped[str | None] = mapped_column(Text)
    accepted_value: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    best: Mapped[int | None]
    low: Mapped[int | None]
    high: Mapped[int | None]
    rationale: Mapped[str] = mapped_column(Text)
    confidence: Mapped[str] = mapped_column(String(10))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    claim_ids: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
