"""Notes: the analyst's own text on the case, an incident or a source."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from db.batches import batches
from db.models import Incident, Note, Source
from desk import history
from desk.errors import BadInputError, NotFoundError
from desk.history import HistoryItem

if TYPE_CHECKING:
    from desk.case import Case


@dataclass(frozen=True)
class NoteView:
    id: uuid.UUID
    target: str
    incident_id: uuid.UUID | None
    source_id: uuid.UUID | None
    body: str
    author: str
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "target": self.target,
            "incident": str(self.incident_id) if self.incident_id else None,
            "source": str(self.source_id) if self.source_id else None,
            "body": self.body,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


NotesByIncident = dict[uuid.UUID, list[NoteView]]


def _view(note: Note) -> NoteView:
    return NoteView(
        note.id,
        note.target,
        note.incident_id,
        note.source_id,
        note.body,
        note.author,
        note.created_at,
        note.updated_at,
    )


class NoteService:
    def __init__(self, case: Case) -> None:
        self._case = case

    def add(
        self,
        body: str,
        incident_id: uuid.UUID | None = None,
        source_id: uuid.UUID | None = None,
    ) -> NoteView:
        """A note on an incident, a source, or (neither given) the case."""
        if incident_id and source_id:
            raise BadInputError("A note belongs to an incident or a source, not both.")
        target = "incident" if incident_id else "source" if source_id else "case"
        with self._case.write() as session:
            if incident_id and session.get(Incident, incident_id) is None:
                raise NotFoundError(f"There is no incident {incident_id} in this case.")
            if source_id and session.get(Source, source_id) is None:
                raise NotFoundError(f"There is no source {source_id} in this case.")
            note = Note(
                target=target,
                incident_id=incident_id,
                source_id=source_id,
                body=body,
                author=self._case.analyst,
            )
            session.add(note)
            session.flush()
            history.record(
                session,
                actor=self._case.analyst,
                action="create",
                entity_type="note",
                entity_id=note.id,
                summary=f"Note added on the {target}",
                after={"body": body, "incident": _s(incident_id), "source": _s(source_id)},
            )
            return _view(note)

    def save(
        self,
        body: str,
        incident_id: uuid.UUID | None = None,
        source_id: uuid.UUID | None = None,
    ) -> NoteView | None:
        """The notes editor's save: update the target's first note, or add one.

        An empty body with no note yet adds nothing (None).
        """
        existing = self.list(incident_id=incident_id, source_id=source_id)
        if existing:
            return self.update(existing[0].id, body)
        if not body.strip():
            return None
        return self.add(body, incident_id=incident_id, source_id=source_id)

    def update(self, note_id: uuid.UUID, body: str) -> NoteView:
        with self._case.write() as session:
            note = session.get(Note, note_id)
            if note is None:
                raise NotFoundError(f"There is no note {note_id} in this case.")
            if note.body != body:
                before = note.body
                note.body = body
                note.revision += 1
                session.flush()
                history.record(
                    session,
                    actor=self._case.analyst,
                    action="update",
                    entity_type="note",
                    entity_id=note.id,
                    summary=f"Note edited on the {note.target}",
                    before={"body": before},
                    after={"body": body},
                )
            return _view(note)

    def delete(self, note_id: uuid.UUID) -> None:
        with self._case.write() as session:
            note = session.get(Note, note_id)
            if note is None:
                raise NotFoundError(f"There is no note {note_id} in this case.")
            history.record(
                session,
                actor=self._case.analyst,
                action="delete",
                entity_type="note",
                entity_id=note.id,
                summary=f"Note deleted from the {note.target}",
                before={"body": note.body},
            )
            session.delete(note)

    def history(self, note_id: uuid.UUID) -> list[HistoryItem]:
        """The changes to one note, oldest first (the last says who edited it last)."""
        with self._case.read() as session:
            return history.entries_for(session, note_id)

    def record_history(self, record_id: uuid.UUID) -> list[HistoryItem]:
        """Changes to an incident or a source with those to its notes, oldest first.

        A source's list also has its attaching to and detaching from incidents.
        """
        with self._case.read() as session:
            return history.entries_with_related(session, record_id)

    def list(
        self, incident_id: uuid.UUID | None = None, source_id: uuid.UUID | None = None
    ) -> list[NoteView]:
        """Notes on one incident, one source, or (neither given) on the case."""
        query = select(Note).order_by(Note.created_at, Note.id)
        if incident_id:
            query = query.where(Note.incident_id == incident_id)
        elif source_id:
            query = query.where(Note.source_id == source_id)
        else:
            query = query.where(Note.target == "case")
        with self._case.read() as session:
            return [_view(n) for n in session.scalars(query)]

    def by_incident(self, incident_ids: Sequence[uuid.UUID]) -> NotesByIncident:
        """The notes on each of these incidents, as ``list`` orders them, read a few
        hundred incidents a query (a brief of the whole case asks for all of them)."""
        found: NotesByIncident = {incident_id: [] for incident_id in incident_ids}
        with self._case.read() as session:
            for batch in batches(list(found)):
                query = (
                    select(Note)
                    .where(Note.incident_id.in_(batch))
                    .order_by(Note.created_at, Note.id)
                )
                for note in session.scalars(query):
                    if note.incident_id is not None:
                        found[note.incident_id].append(_view(note))
        return found


def _s(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None
