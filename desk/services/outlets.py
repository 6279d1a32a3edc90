"""Outlets and their Admiralty reliability grades (A completely reliable ... F cannot be judged)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from db.models import Outlet, Source
from db.vocab import RELIABILITY_GRADES
from desk import history
from desk.errors import BadInputError, NotFoundError
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

    def source_counts(self) -> dict[str, int]:
        """How many sources each outlet has, by outlet name (outlets with none left out)."""
        query = (
            select(Outlet.name, func.count(Source.id))
            .join(Source, Source.outlet_id == Outlet.id)
            .group_by(Outlet.name)
        )
        with self._case.read() as session:
            return {name: count for name, count in session.execute(query)}

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

    def restore_grade(self, name: str, reliability: str | None, reason: str | None) -> OutletView:
        """Put back an earlier grade, which may be none (an undo); kept in history."""
        grade = reliability.strip().upper() if reliability else None
        if grade is not None and grade not in RELIABILITY_GRADES:
            raise BadInputError(f"'{reliability}' is not a reliability grade; use A to F.")
        with self._case.write() as session:
            outlet = session.scalar(select(Outlet).where(Outlet.name == name.strip()))
            if outlet is None:
                raise NotFoundError(f"There is no outlet '{name}' in this case.")
            before = {"reliability": outlet.reliability, "reason": outlet.reliability_reason}
            outlet.reliability = grade
            outlet.reliability_reason = reason.strip() if reason and reason.strip() else None
            outlet.revision += 1
            session.flush()
            history.record(
                session,
                actor=self._case.analyst,
                action="grade",
                entity_type="outlet",
                entity_id=outlet.id,
                summary=f"Outlet {outlet.name} grade set back to {grade or 'none'}",
                before=before,
                after={"reliability": grade, "reason": outlet.reliability_reason},
            )
            return OutletView(outlet.name, grade, outlet.reliability_reason)
