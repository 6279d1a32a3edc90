"""Changes to review: fields both sides changed differently, and the analyst's choice.

A merge never overwrites such a field: the local value stays and the colleague's waits
beside it. ``decide`` keeps the local value or takes the incoming one, in history.
Also here: where an imported record came from (its bundles).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import BundleImport, BundleRecord, MergeReview
from desk import history
from desk.bundles import records
from desk.errors import BadInputError, NotFoundError

if TYPE_CHECKING:
    from desk.case import Case

Choice = Literal["local", "incoming"]


@dataclass(frozen=True)
class ReviewView:
    id: uuid.UUID
    record_type: str
    record_id: uuid.UUID
    record_label: str
    field: str
    local_value: dict[str, Any]
    incoming_value: dict[str, Any]
    base_value: dict[str, Any] | None
    bundle_sha256: str
    from_case: str
    created_at: datetime
    status: str
    decided_by: str | None
    decided_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "record_type": self.record_type,
            "record": str(self.record_id),
            "record_label": self.record_label,
            "field": self.field,
            "local": self.local_value,
            "incoming": self.incoming_value,
            "base": self.base_value,
            "bundle_sha256": self.bundle_sha256,
            "from_case": self.from_case,
            "created_at": self.created_at.isoformat(),
            "status": self.status,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
        }


@dataclass(frozen=True)
class Provenance:
    """One bundle that added or changed a record."""

    bundle_sha256: str
    outcome: str
    signer_key_id: str | None
    signer_trusted: bool
    from_case: str
    imported_at: datetime
    imported_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "bundle_sha256": self.bundle_sha256,
            "outcome": self.outcome,
            "signer_key_id": self.signer_key_id,
            "signer_trusted": self.signer_trusted,
            "from_case": self.from_case,
            "imported_at": self.imported_at.isoformat(),
            "imported_by": self.imported_by,
        }


def value_text(value: dict[str, Any] | None) -> str:
    """A field group's value in one line, for lists."""
    if value is None:
        return ""
    shown = [str(v) for v in value.values() if v not in (None, "", [], {})]
    text = ", ".join(shown) if shown else "(empty)"
    return text if len(text) <= 200 else text[:199] + "…"


def _label(session: Session, kind: records.RecordType, record_id: uuid.UUID) -> str:
    row = session.get(kind.model, record_id)
    if row is None:
        return f"{kind.name} {record_id} (no longer in the case)"
    return kind.describe(records.snapshot(session, kind, row))


def _view(session: Session, review: MergeReview) -> ReviewView:
    kind = records.BY_NAME[review.record_type]
    from_case = session.scalar(
        select(BundleImport.source_case_title).where(BundleImport.id == review.import_id)
    )
    return ReviewView(
        id=review.id,
        record_type=review.record_type,
        record_id=review.record_id,
        record_label=_label(session, kind, review.record_id),
        field=review.field,
        local_value=review.local_value,
        incoming_value=review.incoming_value,
        base_value=review.base_value,
        bundle_sha256=review.bundle_sha256,
        from_case=from_case or "",
        created_at=review.created_at,
        status=review.status,
        decided_by=review.decided_by,
        decided_at=review.decided_at,
    )


def list_reviews(
    case: Case, status: str | None = "open", record_id: uuid.UUID | None = None
) -> list[ReviewView]:
    """Reviews, open ones by default, oldest first."""
    query = select(MergeReview).order_by(MergeReview.created_at, MergeReview.id)
    if status is not None:
        query = query.where(MergeReview.status == status)
    if record_id is not None:
        query = query.where(MergeReview.record_id == record_id)
    with case.read() as session:
        return [_view(session, r) for r in session.scalars(query)]


def count_open(case: Case) -> int:
    with case.read() as session:
        found = session.scalar(
            select(func.count(MergeReview.id)).where(MergeReview.status == "open")
        )
    return found or 0


def decide(case: Case, review_id: uuid.UUID, take: Choice) -> ReviewView:
    """Keep the local value or take the incoming one; either way history says so."""
    if take not in ("local", "incoming"):
        raise BadInputError(f"'{take}' is not a choice; take 'local' or 'incoming'.")
    with case.write() as session:
        review = session.get(MergeReview, review_id)
        if review is None:
            raise NotFoundError(f"There is no change to review {review_id} in this case.")
        if review.status != "open":
            raise BadInputError(f"This change was decided already ({review.status}).")
        kind = records.BY_NAME[review.record_type]
        row = session.get(kind.model, review.record_id)
        if row is None:
            raise NotFoundError(f"The {kind.name} this change is about is no longer in the case.")
        snapshot = records.snapshot(session, kind, row)
        label = kind.describe(snapshot)
        current = records.group_value(kind, snapshot, review.field)
        if take == "incoming":
            records.write(row, kind, kind.groups[review.field], review.incoming_value)
            row.revision += 1
            try:
                session.flush()
            except IntegrityError as exc:
                raise BadInputError(
                    f"The incoming {review.field} cannot be taken: it names a record that is "
                    "no longer in the case."
                ) from exc
        review.status = "took-incoming" if take == "incoming" else "kept-local"
        review.decided_by = case.analyst
        review.decided_at = utcnow()
        chosen = review.incoming_value if take == "incoming" else current
        history.record(
            session,
            actor=case.analyst,
            action="review",
            entity_type=kind.name,
            entity_id=row.id,
            summary=f"{label[:1].upper()}{label[1:]}: {review.field} — "
            + (
                f"took the value from bundle {review.bundle_sha256[:12]}"
                if take == "incoming"
                else f"kept this case's value over bundle {review.bundle_sha256[:12]}'s"
            ),
            before={review.field: current},
            after={review.field: chosen},
        )
        if take == "incoming" and kind in (records.CLAIM, records.RESOLUTION):
            case.claims._reevaluate(session, row.incident_id)
        session.flush()
        return _view(session, review)


def provenance(case: Case, record_id: uuid.UUID) -> list[Provenance]:
    """The bundles that added or changed a record, oldest first."""
    with case.read() as session:
        rows = session.execute(
            select(BundleRecord.outcome, BundleImport)
            .join(BundleImport, BundleImport.id == BundleRecord.import_id)
            .where(BundleRecord.record_id == record_id)
            .order_by(BundleImport.imported_at)
        )
        return [
            Provenance(
                bundle_sha256=imp.bundle_sha256,
                outcome=outcome,
                signer_key_id=imp.signer_key_id,
                signer_trusted=imp.signer_trusted,
                from_case=imp.source_case_title,
                imported_at=imp.imported_at,
                imported_by=imp.imported_by,
            )
            for outcome, imp in rows
        ]
