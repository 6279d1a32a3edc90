"""Named things with aliases in several languages and scripts: places and actors."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Tracked


class Place(Tracked, Base):
    __tablename__ = "place"
    # Sorting incidents by place walks places in this order (migration 0005); (name,
    # id) is unique because id is, which lets SQLite use the order without a sort.
    __table_args__ = (Index("ix_place_name_id", "name", "id", unique=True),)

    name: Mapped[str] = mapped_column(String(300))
    admin1: Mapped[str | None] = mapped_column(String(300))
    admin2: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(100))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    aliases: Mapped[list[PlaceAlias]] = relationship(
        back_populates="place", cascade="all, delete-orphan", lazy="selectin"
    )


class PlaceAlias(Base):
    """One spelling of a place; ``norm`` is the folded form that lookups compare."""

    __tablename__ = "place_alias"
    __table_args__ = (UniqueConstraint("place_id", "norm"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    place_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("place.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    norm: Mapped[str] = mapped_column(String(300), index=True)
    language: Mapped[str | None] = mapped_column(String(8))

    place: Mapped[Place] = relationship(back_populates="aliases")


class Actor(Tracked, Base):
    __tablename__ = "actor"

    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", lazy="selectin"
    )


class ActorAlias(Base):
    __tablename__ = "actor_alias"
    __table_args__ = (UniqueConstraint("actor_id", "norm"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    norm: Mapped[str] = mapped_column(String(300), index=True)
    language: Mapped[str | None] = mapped_column(String(8))

    actor: Mapped[Actor] = relationship(back_populates="aliases")
