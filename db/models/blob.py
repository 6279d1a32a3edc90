from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from db.base import Base, utcnow


class Blob(Base):
    """Original bytes, stored once however many sources use them.

    ``data`` is deferred so that listings never pull megabytes they do not show.
    """

    __tablename__ = "blob"
    __table_args__ = (CheckConstraint("length(sha256) = 64", name="sha256_len"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
