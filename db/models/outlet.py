from __future__ import annotations

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked
from db.vocab import RELIABILITY_GRADES, check_in


class Outlet(Tracked, Base):
    """Who published a source, with an Admiralty reliability grade A-F."""

    __tablename__ = "outlet"
    __table_args__ = (
        CheckConstraint(
            "reliability IS NULL OR " + check_in("reliability", RELIABILITY_GRADES),
            name="reliability",
        ),
    )

    name: Mapped[str] = mapped_column(String(300), unique=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    reliability: Mapped[str | None] = mapped_column(String(1))
    reliability_reason: Mapped[str | None] = mapped_column(Text)
