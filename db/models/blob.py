from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from db.base import Base, utcnow


class Blob(Base):
    """Original bytes, stored once however many sources use them.

    ``data`` is deferred so that listings never pull megabytes they do not show. An
    original too large for one SQLite value is ``chunked``: ``data`` is NULL and the
    bytes are in ``blob_chunk`` (read and write them through ``db.blobs``).
    """

    __tablename__ = "blob"
    __table_args__ = (CheckConstraint("length(sha256) = 64", name="sha256_len"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    chunked: Mapped[bool] = mapped_column(default=False, server_default="0")


class BlobChunk(Base):
    """One consecutive piece of a chunked original (``seq`` from 0)."""

    __tablename__ = "blob_chunk"

    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("blob.sha256"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
