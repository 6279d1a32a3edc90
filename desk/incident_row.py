"""One line of the incidents list, in a module that loads no database layer: the desk
shows the first lines of a case before SQLAlchemy is loaded (``desk.first_page``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from desk.dates import format_partial_date

# The orders the list can be sorted in.
SortKey = Literal["date", "title", "place", "type", "status", "sources", "conflicts", "updated"]


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One line of the incidents list.

    Slotted: a list scrolled to the end holds 100,000 of these, and each object the
    garbage collector tracks lengthens its full collections (no __dict__ per row).
    """

    id: uuid.UUID
    title: str
    start: date | None
    start_precision: str
    place: str | None
    event_type: str | None
    status: str
    source_count: int
    open_conflicts: int = 0

    @property
    def date_text(self) -> str:
        return format_partial_date(self.start, self.start_precision)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "date": self.date_text or None,
            "place": self.place,
            "event_type": self.event_type,
            "status": self.status,
            "sources": self.source_count,
            "open_conflicts": self.open_conflicts,
        }
