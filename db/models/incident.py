from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Tracked, utcnow
from db.models.gazetteer import Actor, Place
from db.vocab import ACTOR_ROLES, DATE_PRECISIONS, INCIDENT_STATUSES, LINK_KINDS, check_in

incident_tag = Table(
    "incident_tag",
    Base.metadata,
    Column("incident_id", ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Incident(Tracked, Base):
    """Something that happened: when, where, what, who."""

    __tablename__ = "incident"
    __table_args__ = (
        CheckConstraint(check_in("status", INCIDENT_STATUSES), name="status"),
        CheckConstraint(check_in("start_precision", DATE_PRECISIONS), name="start_precision"),
        CheckConstraint(
            "end_precision IS NULL OR " + check_in("end_precision", DATE_PRECISIONS),
            name="end_precision",
        ),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="longitude"),
        # The list's orders: a column, then id (migration 0005).
        Index("ix_incident_start_date_id", "start_date", "id"),
        Index("ix_incident_title_id", "title", "id"),
        Index("ix_incident_place_id_id", "place_id", "id"),
        Index("ix_incident_event_type_id", "event_type", "id"),
        Index("ix_incident_status_id", "status", "id"),
        Index("ix_incident_open_conflicts_id", "open_conflicts", "id"),
        Index("ix_incident_source_count_id", "source_count", "id"),
    )

    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None]
    start_precision: Mapped[str] = mapped_column(String(10), default="day")
    end_date: Mapped[date | None]
    end_precision: Mapped[str | None] = mapped_column(String(10))
    place_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    coord_precision: Mapped[str | None] = mapped_column(String(20))
    event_type: Mapped[str | None] = mapped_column(String(100))
    sub_event_type: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # Kept by the claims service after every change, so the list sorts and filters
    # by disputes in SQL instead of re-running the engine for every row.
    open_conflicts: Mapped[int] = mapped_column(default=0, server_default="0")
    # How many sources are attached, kept by triggers on incident_source (migration
    # 0005) so the list sorts by it from an index; never set it by hand.
    source_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by: Mapped[str] = mapped_column(String(200), default="")

    place: Mapped[Place | None] = relationship(lazy="raise")
    tags: Mapped[list[Tag]] = relationship(secondary=incident_tag, lazy="raise")
    actors: Mapped[list[IncidentActor]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="IncidentActor.role"
    )


class IncidentActor(Base):
    __tablename__ = "incident_actor"
    __table_args__ = (CheckConstraint(check_in("role", ACTOR_ROLES), name="role"),)

    incident_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    actor: Mapped[Actor] = relationship(lazy="joined")


class IncidentSource(Base):
    """A source attached to an incident."""

    __tablename__ = "incident_source"

    incident_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("source.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    attached_at: Mapped[datetime] = mapped_column(default=utcnow)
    attached_by: Mapped[str] = mapped_column(String(200), default="")


class IncidentLink(Base):
    """A directed link between incidents: related, duplicate of, part of."""

    __tablename__ = "incident_link"
    __table_args__ = (
        CheckConstraint(check_in("kind", LINK_KINDS), name="kind"),
        CheckConstraint("from_id <> to_id", name="not_self"),
        UniqueConstraint("from_id", "to_id", "kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    from_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    to_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
