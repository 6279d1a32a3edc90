"""Undoable changes to incidents: edit fields, create, delete, link and unlink.

Every command tells the panes what it changed through an ``IncidentEvents`` hub, both
when it is done and when it is undone, so a list row or an open editor can follow.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from desk.errors import DeskError
from desk.services.incidents import DeletedIncident, IncidentFields
from ui.errors import show_error

if TYPE_CHECKING:
    from desk.case import Case

# What the analyst sees in Edit > Undo for each field.
FIELD_LABELS = {
    "title": "title",
    "summary": "summary",
    "start": "start",
    "start_precision": "start",
    "end": "end",
    "end_precision": "end",
    "place": "place",
    "latitude": "coordinates",
    "longitude": "coordinates",
    "event_type": "type",
    "sub_event_type": "type",
    "status": "status",
    "tags": "tags",
    "actors": "actors",
}


class IncidentEvents(QObject):
    """What incident commands did, for the panes to follow.

    Signals:
        changed(object): an incident's fields or links changed (its ``uuid.UUID``).
        created(object): an incident was created or restored.
        deleted(object): an incident was deleted.
        failed(object): a ``DeskError`` while undoing or redoing; the case is as
            it was before that step.
    """

    changed = Signal(object)
    created = Signal(object)
    deleted = Signal(object)
    failed = Signal(object)


class IncidentCommand(QUndoCommand):
    """A change that calls the incidents service; a ``DeskError`` in the first
    ``redo`` is kept in ``error`` and makes the command obsolete, so the stack drops it
    (use ``push``)."""

    def __init__(self, case: Case, events: IncidentEvents, text: str) -> None:
        super().__init__(text)
        self._case = case
        self._events = events
        self._done_once = False
        self.error: DeskError | None = None

    def redo(self) -> None:
        try:
            self._redo()
        except DeskError as exc:
            self._failed(exc)
        self._done_once = True

    def undo(self) -> None:
        try:
            self._undo()
        except DeskError as exc:
            self._failed(exc)

    def _failed(self, error: DeskError) -> None:
        if self._done_once:
            self._events.failed.emit(error)
        else:
            self.error = error
            self.setObsolete(True)

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


def push(stack: QUndoStack, command: IncidentCommand, parent: QWidget | None) -> bool:
    """Do ``command`` through the stack; show its error, if any. True when it was done."""
    stack.push(command)
    if command.error is not None:
        show_error(parent, command.error)
        return False
    return True


class EditIncident(IncidentCommand):
    """One save of the editor: the changed fields, before and after."""

    def __init__(
        self,
        case: Case,
        events: IncidentEvents,
        incident_id: uuid.UUID,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
    ) -> None:
        labels = dict.fromkeys(FIELD_LABELS.get(name, name) for name in after)
        super().__init__(case, events, f"Edit {', '.join(labels)}")
        self.incident_id = incident_id
        self.before = dict(before)
        self.after = dict(after)

    def _redo(self) -> None:
        self._set(self.after)

    def _undo(self) -> None:
        self._set(self.before)

    def _set(self, values: Mapping[str, Any]) -> None:
        revision = self._case.incidents.get(self.incident_id).revision
        view = self._case.incidents.update(self.incident_id, **values)
        if view.revision == revision and not self._done_once:
            # Nothing changed (another spelling of the same place): no step to undo.
            self.setObsolete(True)
        self._events.changed.emit(self.incident_id)


class CreateIncident(IncidentCommand):
    """A new incident; undo deletes it, redo brings it back under the same id."""

    def __init__(self, case: Case, events: IncidentEvents, values: IncidentFields) -> None:
        super().__init__(case, events, "New incident")
        self._values = values
        self._deleted: DeletedIncident | None = None
        self.incident_id: uuid.UUID | None = None

    def _redo(self) -> None:
        if self._deleted is None:
            self.incident_id = self._case.incidents.create(self._values).id
        else:
            self.incident_id = self._case.incidents.restore(self._deleted).id
        self._events.created.emit(self.incident_id)

    def _undo(self) -> None:
        assert self.incident_id is not None
        self._deleted = self._case.incidents.delete(self.incident_id)
        self._events.deleted.emit(self.incident_id)


class DeleteIncident(IncidentCommand):
    """Delete an incident; undo restores it with its sources, links and notes."""

    def __init__(
        self, case: Case, events: IncidentEvents, incident_id: uuid.UUID, title: str
    ) -> None:
        super().__init__(case, events, f"Delete incident “{title}”")
        self.incident_id = incident_id
        self._deleted: DeletedIncident | None = None

    def _redo(self) -> None:
        self._deleted = self._case.incidents.delete(self.incident_id)
        self._events.deleted.emit(self.incident_id)

    def _undo(self) -> None:
        assert self._deleted is not None
        self._case.incidents.restore(self._deleted)
        self._events.created.emit(self.incident_id)


class LinkIncidents(IncidentCommand):
    """Link one incident to another (related, duplicate of, part of)."""

    def __init__(
        self,
        case: Case,
        events: IncidentEvents,
        from_id: uuid.UUID,
        to_id: uuid.UUID,
        kind: str,
        unlink: bool = False,
    ) -> None:
        super().__init__(case, events, f"Remove link ({kind})" if unlink else f"Link ({kind})")
        self.from_id, self.to_id, self.kind = from_id, to_id, kind
        self._unlink = unlink

    def _redo(self) -> None:
        self._set(linked=not self._unlink)

    def _undo(self) -> None:
        self._set(linked=self._unlink)

    def _set(self, linked: bool) -> None:
        if linked:
            self._case.incidents.link(self.from_id, self.to_id, self.kind)
        else:
            self._case.incidents.unlink(self.from_id, self.to_id, self.kind)
        self._events.changed.emit(self.from_id)
        self._events.changed.emit(self.to_id)


class UnlinkIncidents(LinkIncidents):
    """Remove a link; undo puts it back."""

    def __init__(
        self,
        case: Case,
        events: IncidentEvents,
        from_id: uuid.UUID,
        to_id: uuid.UUID,
        kind: str,
    ) -> None:
        super().__init__(case, events, from_id, to_id, kind, unlink=True)
