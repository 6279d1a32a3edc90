"""Exchanging records with other cases through bundles: what was last exchanged, what
came in from which bundle, and the changes waiting for the analyst's choice."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow

REVIEW_STATUSES = ("open", "kept-local", "took-incoming")


class SyncBase(Base):
    """A record as it was last sent or received: the base of the next three-way merge."""

    __tablename__ = "sync_base"

    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    revision: Mapped[int]
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    bundle_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BundleImport(Base):
    """One bundle merged into this case: which file, who signed it, where it came from."""

    __tablename__ = "bundle_import"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    bundle_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(1000))
    signature: Mapped[str] = mapped_column(String(10))
    signer_key_id: Mapped[str | None] = mapped_column(String(16))
    signer_trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    source_case_id: Mapped[uuid.UUID]
    source_case_title: Mapped[str] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    history_head: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)


class BundleRecord(Base):
    """A record a bundle added to or changed in this case (its provenance)."""

    __tablename__ = "bundle_record"

    import_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("bundle_import.id", ondelete="CASCADE"), primary_key=True
    )
    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    # The id the record had in the bundle: another case may know the same thing by
    # another id (an outlet of the same name, a source of the same original).
    incoming_id: Mapped[uuid.UUID]
    outcome: Mapped[str] = mapped_column(String(10))


class ForeignHistory(Base):
    """A history entry of another case, kept as it came so custody continues here.

    Each entry's own hash can be checked (``entry_hash`` over ``prev_hash`` and the
    content); the chain itself lives in the case that wrote it. ``at`` is the exact
    text that was hashed.
    """

    __tablename__ = "foreign_history"

    entry_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int]
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID | None]
    summary: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The record here that the entry is about (its id may differ from entity_id).
    record_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    import_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("bundle_import.id", ondelete="CASCADE"), index=True
    )


class MergeReview(Base):
    """A field both sides changed differently: the incoming value waits beside the local
    one until the analyst chooses; nothing was overwritten."""

    __tablename__ = "merge_review"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in REVIEW_STATUSES) + ")", name="status"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(index=True)
    field: Mapped[str] = mapped_column(String(40))
    local_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    incoming_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    base_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    import_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("bundle_import.id", ondelete="CASCADE"), index=True
    )
    bundle_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]
