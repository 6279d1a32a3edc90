"""Undoable changes to claims, conflict resolutions and outlet grades.

Every command reports what it changed through the case's ``ClaimEvents`` hub (see
``claim_events``), on redo and on undo alike, so that every pane showing claims follows
whichever pane or menu pushed the command.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desk.claims.values import FIELD_LABELS
from desk.errors import DeskError
from desk.services.claims import ClaimView, SavedResolution
from desk.services.outlets import OutletView

if TYPE_CHECKING:
    from desk.case import Case


class ClaimEvents(QObject):
    """What claim commands did, for the panes to follow.

    Signals:
        changed(object): the claims or conflicts of an incident changed (its ``uuid.UUID``).
        outlets_changed(): an outlet's grade changed, or a source's outlet (every
            claim's grade may show it).
        failed(object): a ``DeskError`` while undoing or redoing a command that had
            worked before; the case is as it was before that step.
    """

    changed = Signal(object)
    outlets_changed = Signal()
    failed = Signal(object)


# One hub per open case, so panes built apart from one another hear the same commands.
_HUBS: weakref.WeakKeyDictionary[Case, ClaimEvents] = weakref.WeakKeyDictionary()


def claim_events(case: Case) -> ClaimEvents:
    """The events hub of ``case`` (made on first use)."""
    hub = _HUBS.get(case)
    if hub is None:
        hub = ClaimEvents()
        _HUBS[case] = hub
    return hub


class ClaimCommand(QUndoCommand):
    """A change that calls the claims or outlets service.

    A ``DeskError`` in the first ``redo`` is kept in ``error`` and makes the command
    obsolete, so the stack drops it and nothing was changed (use ``push``); a later
    failure is reported through ``ClaimEvents.failed``.
    """

    def __init__(self, case: Case, text: str) -> None:
        super().__init__(text)
        self._case = case
        self._events = claim_events(case)
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


def push(stack: QUndoStack, command: ClaimCommand) -> DeskError | None:
    """Do ``command`` through the stack; the core's error when it could not be done."""
    stack.push(command)
    return command.error


@dataclass(frozen=True)
class ClaimDraft:
    """What the claim form holds: a claim before it is recorded."""

    incident_id: uuid.UUID
    source_id: uuid.UUID
    field: str
    value: str
    quote: str | None = None
    quote_start: int | None = None
    credibility: int | None = None
    question: str | None = None
    role: str | None = None
    repeats_source_id: uuid.UUID | None = None
    note: str | None = None


class AddClaim(ClaimCommand):
    """Record a claim; undo deletes it, redo records it again under the same id."""

    def __init__(self, case: Case, draft: ClaimDraft) -> None:
        label = FIELD_LABELS.get(draft.field, draft.field).lower()
        super().__init__(case, f"Add claim ({label} {draft.value.strip()})")
        self.draft = draft
        self.claim: ClaimView | None = None

    def _redo(self) -> None:
        if self.claim is None:
            d = self.draft
            self.claim = self._case.claims.add(
                d.incident_id,
                d.source_id,
                d.field,
                d.value,
                quote=d.quote,
                quote_start=d.quote_start,
                credibility=d.credibility,
                question=d.question,
                role=d.role,
                repeats_source_id=d.repeats_source_id,
                note=d.note,
            )
        else:
            self.claim = self._case.claims.restore(self.claim)
        self._events.changed.emit(self.draft.incident_id)

    def _undo(self) -> None:
        assert self.claim is not None
        self.claim = self._case.claims.delete(self.claim.id)
        self._events.changed.emit(self.draft.incident_id)


class EditClaim(ClaimCommand):
    """Change a claim's value, quote, credibility, question, role, repeats or note."""

    def __init__(
        self,
        case: Case,
        claim: ClaimView,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
    ) -> None:
        label = FIELD_LABELS.get(claim.field, claim.field).lower()
        super().__init__(case, f"Edit claim ({label} {claim.value_text})")
        self.claim_id = claim.id
        self.incident_id = claim.incident_id
        self.before = dict(before)
        self.after = dict(after)

    def _redo(self) -> None:
        self._case.claims.update(self.claim_id, **self.after)
        self._events.changed.emit(self.incident_id)

    def _undo(self) -> None:
        self._case.claims.update(self.claim_id, **self.before)
        self._events.changed.emit(self.incident_id)


class DeleteClaim(ClaimCommand):
    """Delete a claim; undo records it again with its id, quote and grades."""

    def __init__(self, case: Case, claim: ClaimView) -> None:
        label = FIELD_LABELS.get(claim.field, claim.field).lower()
        super().__init__(case, f"Delete claim ({label} {claim.value_text})")
        self.claim = claim

    def _redo(self) -> None:
        self.claim = self._case.claims.delete(self.claim.id)
        self._events.changed.emit(self.claim.incident_id)

    def _undo(self) -> None:
        self.claim = self._case.claims.restore(self.claim)
        self._events.changed.emit(self.claim.incident_id)


@dataclass(frozen=True)
class Resolution:
    """The analyst's assessment of a conflict, as ``ClaimService.resolve`` takes it."""

    rationale: str
    confidence: str
    value: str | None = None
    best: int | None = None
    low: int | None = None
    high: int | None = None


class ResolveConflict(ClaimCommand):
    """Resolve a conflict; undo puts back the resolution it had before (or none)."""

    def __init__(
        self,
        case: Case,
        conflict_id: uuid.UUID,
        incident_id: uuid.UUID,
        label: str,
        resolution: Resolution,
    ) -> None:
        super().__init__(case, f"Resolve conflict ({label})")
        self.conflict_id = conflict_id
        self.incident_id = incident_id
        self.resolution = resolution
        self._previous: SavedResolution | None = None

    def _redo(self) -> None:
        if not self._done_once:
            self._previous = self._case.claims.saved_resolution(self.conflict_id)
        r = self.resolution
        self._case.claims.resolve(
            self.conflict_id,
            rationale=r.rationale,
            confidence=r.confidence,
            value=r.value,
            best=r.best,
            low=r.low,
            high=r.high,
        )
        self._events.changed.emit(self.incident_id)

    def _undo(self) -> None:
        self._case.claims.unresolve(self.conflict_id, self._previous)
        self._events.changed.emit(self.incident_id)


class GradeOutlet(ClaimCommand):
    """Grade an outlet A-F with its reason; undo puts back its earlier grade."""

    def __init__(self, case: Case, before: OutletView, reliability: str, reason: str) -> None:
        super().__init__(case, f"Grade {before.name} {reliability}")
        self.before = before
        self.reliability = reliability
        self.reason = reason

    def _redo(self) -> None:
        self._case.outlets.grade(self.before.name, self.reliability, self.reason)
        self._events.outlets_changed.emit()

    def _undo(self) -> None:
        b = self.before
        self._case.outlets.restore_grade(b.name, b.reliability, b.reason)
        self._events.outlets_changed.emit()
