"""Undoable note edits: each save of a notes editor is one step on the window's stack."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from desk.errors import DeskError
from desk.services.notes import NoteView

if TYPE_CHECKING:
    from desk.case import Case

TARGET_WORDS = {"case": "the case", "incident": "the incident", "source": "the source"}


class EditNote(QUndoCommand):
    """One save of a note's text, ``before`` -> ``after``.

    With no ``note_id`` the first redo adds the note to the target (the incident,
    the source, or with neither the case) and keeps its id; undoing that leaves the
    note empty rather than deleting it, so later commands on the same note stay valid.

    ``on_applied(view)`` runs after every redo and undo that wrote the note, so an
    editor can show the text now in the case. A ``DeskError`` is kept in ``error``,
    passed to ``on_error`` and makes the command obsolete: QUndoStack then drops it.
    """

    def __init__(
        self,
        case: Case,
        before: str,
        after: str,
        *,
        note_id: uuid.UUID | None = None,
        incident_id: uuid.UUID | None = None,
        source_id: uuid.UUID | None = None,
        on_applied: Callable[[NoteView], None] | None = None,
        on_error: Callable[[DeskError], None] | None = None,
    ) -> None:
        target = "incident" if incident_id else "source" if source_id else "case"
        super().__init__(f"edit note on {TARGET_WORDS[target]}")
        self.note_id = note_id
        self.before = before
        self.after = after
        self.error: DeskError | None = None
        self._case = case
        self._incident_id = incident_id
        self._source_id = source_id
        self._on_applied = on_applied
        self._on_error = on_error

    def redo(self) -> None:
        self._write(self.after)

    def undo(self) -> None:
        self._write(self.before)

    def _write(self, body: str) -> None:
        try:
            if self.note_id is None:
                view = self._case.notes.add(
                    body, incident_id=self._incident_id, source_id=self._source_id
                )
                self.note_id = view.id
            else:
                view = self._case.notes.update(self.note_id, body)
        except DeskError as exc:
            self.error = exc
            self.setObsolete(True)
            if self._on_error is not None:
                self._on_error(exc)
            return
        if self._on_applied is not None:
            self._on_applied(view)
