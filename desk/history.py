"""The case's change log: append-only and hash-chained, so tampering shows.

Every service that changes the case calls ``record`` inside the same transaction
as the change; ``verify_chain`` recomputes every hash.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.base import utcnow
from db.models import HistoryEntry, Note

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def _content(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": str(entry.entity_id) if entry.entity_id else None,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
    }


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> HistoryEntry:
    """Append one entry; call inside the write transaction that makes the change."""
    last = session.scalar(
        select(HistoryEntry.entry_hash).order_by(HistoryEntry.seq.desc()).limit(1)
    )
    # Microseconds are dropped so the timestamp hashes the same after a round trip.
    entry = HistoryEntry(
        at=utcnow().replace(microsecond=0),
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=summary,
        before=before,
        after=after,
        prev_hash=last or GENESIS,
    )
    entry.entry_hash = entry_hash(entry.prev_hash, _content(entry))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class HistoryItem:
    seq: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    entry_hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "summary": self.summary,
            "before": self.before,
            "after": self.after,
            "hash": self.entry_hash,
        }


def as_item(entry: HistoryEntry) -> HistoryItem:
    return HistoryItem(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        entity_type=entry.entity_type,
        entity_id=str(entry.entity_id) if entry.entity_id else None,
        summary=entry.summary,
        before=entry.before,
        after=entry.after,
        entry_hash=entry.entry_hash,
    )


def entries_for(session: Session, entity_id: uuid.UUID) -> list[HistoryItem]:
    rows = session.scalars(
        select(HistoryEntry).where(HistoryEntry.entity_id == entity_id).order_by(HistoryEntry.seq)
    )
    return [as_item(row) for row in rows]


def entries_with_related(session: Session, entity_id: uuid.UUID) -> list[HistoryItem]:
    """Changes to one incident or source and to what hangs on it, oldest first.

    Besides the record's own entries: the notes written on it (deleted ones too, found
    through the target their "create" entry names) and, for a source, its attaching to
    and detaching from incidents (recorded on the incident).
    """
    first = session.scalar(
        select(func.min(HistoryEntry.seq)).where(HistoryEntry.entity_id == entity_id)
    )
    key = str(entity_id)
    current_notes = select(Note.id).where(
        or_(Note.incident_id == entity_id, Note.source_id == entity_id)
    )
    related = [HistoryEntry.entity_id == entity_id, HistoryEntry.entity_id.in_(current_notes)]
    if first is not None:
        # Nothing hangs on a record before it exists: bounding by its first entry keeps
        # these unindexed JSON lookups to the part of the log written since.
        later = HistoryEntry.seq >= first
        deleted_notes = select(HistoryEntry.entity_id).where(
            later,
            HistoryEntry.entity_type == "note",
            HistoryEntry.action == "create",
            or_(
                HistoryEntry.after["incident"].as_string() == key,
                HistoryEntry.after["source"].as_string() == key,
            ),
        )
        related.append(HistoryEntry.entity_id.in_(deleted_notes))
        related.append(
            later
            & HistoryEntry.action.in_(("attach", "detach"))
            & or_(
                HistoryEntry.after["source"].as_string() == key,
                HistoryEntry.before["source"].as_string() == key,
            )
        )
    rows = session.scalars(select(HistoryEntry).where(or_(*related)).order_by(HistoryEntry.seq))
    return [as_item(row) for row in rows]


def verify_chain(session: Session) -> Iterator[str]:
    """Yield one sentence per broken link, oldest first."""
    expected_prev = GENESIS
    rows = session.execute(select(HistoryEntry).order_by(HistoryEntry.seq)).scalars()
    for entry in rows.yield_per(2000):
        where = f"history entry {entry.seq} ({entry.at.isoformat()}, {entry.summary!r})"
        if entry.prev_hash != expected_prev:
            yield f"{where} does not follow the entry before it: an entry was removed or altered"
        if entry_hash(entry.prev_hash, _content(entry)) != entry.entry_hash:
            yield f"{where} was altered after it was written"
        expected_prev = entry.entry_hash
