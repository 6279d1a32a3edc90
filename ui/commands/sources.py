"""Undoable changes to sources: attach to and detach from an incident, mark graphic,
name the outlet."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from desk.errors import DeskError
from ui.commands.claims import claim_events

if TYPE_CHECKING:
    from desk.case import Case

# Called after every redo and undo: None when it worked, else the core's error.
Done = Callable[[DeskError | None], None]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _ServiceCommand(QUndoCommand):
    """A command whose redo and undo call services.

    A ``DeskError`` makes the command obsolete (QUndoStack then drops it: nothing was
    changed) and is handed to ``done``, which shows it and refreshes the view.
    """

    def __init__(self, text: str, done: Done) -> None:
        super().__init__(text)
        self._report = done
        self.error: DeskError | None = None

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        self._run(self._apply)

    def undo(self) -> None:
        self._run(self._revert)

    def _run(self, step: Callable[[], None]) -> None:
        try:
            step()
        except DeskError as exc:
            self.error = exc
            self.setObsolete(True)
            self._report(exc)
        else:
            self.error = None
            self._report(None)


class AttachSources(_ServiceCommand):
    """Attach sources to an incident; undo detaches those this command attached."""

    def __init__(
        self,
        case: Case,
        incident_id: uuid.UUID,
        source_ids: Sequence[uuid.UUID],
        already_attached: Sequence[uuid.UUID],
        done: Done,
    ) -> None:
        # Sources already attached stay attached on undo.
        known = set(already_attached)
        self.source_ids = [s for s in dict.fromkeys(source_ids) if s not in known]
        super().__init__(f"Attach {_plural(len(self.source_ids), 'source')}", done)
        self._case = case
        self._incident_id = incident_id

    def _apply(self) -> None:
        self._case.incidents.attach(self._incident_id, self.source_ids)

    def _revert(self) -> None:
        self._case.incidents.detach(self._incident_id, self.source_ids)


class DetachSources(_ServiceCommand):
    """Detach sources from an incident (they stay in the case); undo attaches them."""

    def __init__(
        self, case: Case, incident_id: uuid.UUID, source_ids: Sequence[uuid.UUID], done: Done
    ) -> None:
        self.source_ids = list(dict.fromkeys(source_ids))
        super().__init__(f"Detach {_plural(len(self.source_ids), 'source')}", done)
        self._case = case
        self._incident_id = incident_id

    def _apply(self) -> None:
        self._case.incidents.detach(self._incident_id, self.source_ids)

    def _revert(self) -> None:
        self._case.incidents.attach(self._incident_id, self.source_ids)


class SetGraphic(_ServiceCommand):
    """Mark an image graphic (shown blurred until revealed) or not."""

    def __init__(self, case: Case, source_id: uuid.UUID, graphic: bool, done: Done) -> None:
        super().__init__("Mark graphic" if graphic else "Mark not graphic", done)
        self._case = case
        self._source_id = source_id
        self._graphic = graphic

    def _apply(self) -> None:
        self._case.sources.set_graphic(self._source_id, self._graphic)

    def _revert(self) -> None:
        self._case.sources.set_graphic(self._source_id, not self._graphic)


class SetOutlet(_ServiceCommand):
    """Name the outlet that published a source (None: no outlet); undo puts back the
    outlet it had.

    Each step tells ``claim_events(case).outlets_changed``: the source's claims now
    carry another outlet's grade and count towards another outlet's corroboration.
    """

    def __init__(
        self,
        case: Case,
        source_id: uuid.UUID,
        before: str | None,
        after: str | None,
        done: Done,
    ) -> None:
        super().__init__(f"Set outlet {after}" if after else "Remove outlet", done)
        self._case = case
        self.source_id = source_id
        self.before = before
        self.after = after

    def _apply(self) -> None:
        self._set(self.after)

    def _revert(self) -> None:
        self._set(self.before)

    def _set(self, outlet: str | None) -> None:
        self._case.sources.update(self.source_id, outlet=outlet)
        claim_events(self._case).outlets_changed.emit()
