"""Outlets and their Admiralty reliability grades (A completely reliable ... F cannot be judged)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from db.models import Outlet
from db.vocab import RELIABILITY_GRADES
from desk import history
from desk.errors import BadInputError
from desk.services.sources import outlet_named

if TYPE_CHECKING:
    from desk.case import Case


@dataclass(frozen=True)
class OutletView:
    name: str
    reliability: str | None
    reason: str | None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "reliability": self.reliability, "reason": self.reason}


class OutletService:
    def __init__(self, case: Case) -> None:
        self._case = case

    def list(self) -> list[OutletView]:
        with self._case.read() as session:
            outlets = session.scalars(select(Outlet).order_by(Outlet.name))
            return [OutletView(o.name, o.reliability, o.reliability_reason) for o in outlets]

    def grade(self, name: str, reliability: str, reason: str) -> OutletView:
        """Grade an outlet (created if new); the reason is required and kept in history."""
        grade = reliability.strip().upper()
        if grade not in RELIABILITY_GRADES:
            raise BadInputError(f"'{reliability}' is not a reliability grade; use A to F.")
        if not reason.strip():
            raise BadInputError("Give the reason for the grade.")
        with self._case.write() as session:
            outlet = outlet_named(session, name.strip())
            before = {"reliability": outlet.reliability, "reason": outlet.reliability_reason}
            outlet.reliability = grade
            outlet.reliability_reason = reason.strip()
            outlet.revision += 1
            session.flush()
            history.record(
                session,
                actor=self._case.analyst,
                action="grade",
                entity_type="outlet",
                entity_id=outlet.id,
                summary=f"Outlet {outlet.name} graded {grade}",
                before=before,
                after={"reliability": grade, "reason": outlet.reliability_reason},
            )
            return OutletView(outlet.name, grade, outlet.reliability_reason)
