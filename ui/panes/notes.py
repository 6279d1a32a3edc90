"""The analyst's notes on the case, an incident or a source, saved as they are typed.

Two undo histories, on purpose: inside the editor Ctrl+Z undoes typing, as in any
text field (the editor takes the shortcut while it has the focus); every save is
also one ``EditNote`` on the window's undo stack, which is the record of saved
states: undoing one there writes the previous text to the case and puts it in the
editor. The editor's own history is cleared then, so the two never disagree about
what the case holds.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk.errors import DeskError
from desk.services.notes import NoteView
from ui.commands.notes import EditNote
from ui.errors import show_error
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

TargetKind = Literal["case", "incident", "source"]

SAVE_DELAY_MS = 800
HEADINGS = {"case": "Case notes", "incident": "Incident notes", "source": "Source notes"}
PLACEHOLDERS = {
    "case": "Notes on the whole case. They are saved as you type.",
    "incident": "Notes on this incident. They are saved as you type.",
    "source": "Notes on this source. They are saved as you type.",
}
NOTHING_SELECTED = {
    "case": "No case is open.",
    "incident": "Select an incident to write notes on it.",
    "source": "Select a source to write notes on it.",
}


class NotesPane(QWidget):
    """A plain-text notes editor for one target: the case, an incident or a source.

    Text is saved 800 ms after the last keystroke, when the editor loses the focus
    and on ``flush()`` (call it before switching the target or closing). A target
    with several notes (the command line adds notes one by one) gets a picker; the
    editor edits one note at a time. Paragraphs in Arabic or Persian are laid out
    right to left, each paragraph by its own first letters.

    Signals:
        saved(object): the ``NoteView`` just written (a save, an undo or a redo).

    Attributes:
        heading: the pane's title label (hide it when a dock title says the same).
        editor: the ``QTextEdit``, plain text only.
        picker: chooses among several notes on the target (hidden for one).
        status: who edited the note last and when, or why a save failed.
    """

    saved = Signal(object)

    def __init__(self, case: Case, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._undo_stack = undo_stack
        self._kind: TargetKind | None = None
        self._target_id: uuid.UUID | None = None
        self._notes: list[NoteView] = []
        self._note_id: uuid.UUID | None = None
        self._saved_text = ""
        self._last_error: DeskError | None = None

        self.heading = QLabel("Notes")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.picker = QComboBox()
        self.picker.setToolTip("This has several notes; choose the one to edit.")
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.picker.setMinimumContentsLength(16)
        self.picker.hide()
        self.picker.activated.connect(self._pick)

        # A QTextEdit kept to plain text rather than a QPlainTextEdit: only the rich
        # layout aligns each right-to-left paragraph to the right.
        self.editor = QTextEdit()
        self.editor.setAcceptRichText(False)
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._text_changed)
        self.editor.installEventFilter(self)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setEnabled(False)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.heading, 1)
        top.addWidget(self.picker)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.editor, 1)
        body_layout.addWidget(self.status)
        self._placeholder = hint_label(NOTHING_SELECTED["incident"])
        self._stack = QStackedWidget()
        self._stack.addWidget(self._placeholder)
        self._stack.addWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self._stack, 1)

    # -- choosing what the notes are on ---------------------------------------

    def show_case(self) -> None:
        self.show_target("case", None)

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        self.show_target("incident", incident_id)

    def show_source(self, source_id: uuid.UUID | None) -> None:
        self.show_target("source", source_id)

    def show_target(self, kind: TargetKind, target_id: uuid.UUID | None) -> None:
        """Save what is pending, then show the notes on the case (``target_id`` is
        ignored), an incident or a source; None shows a hint. Showing the target already
        shown only saves, so the cursor stays where the analyst is writing."""
        if kind == "case":
            target_id = None
        if (kind, target_id) == (self._kind, self._target_id):
            self.flush()
            return
        self._load(kind, target_id)

    def refresh(self) -> None:
        """Save what is pending and read the target's notes again."""
        if self._kind is not None:
            self._load(self._kind, self._target_id, keep=self._note_id)

    def _load(
        self, kind: TargetKind, target_id: uuid.UUID | None, keep: uuid.UUID | None = None
    ) -> None:
        self._last_error = None
        self.flush()
        if self._last_error is not None:  # the status line is about to show the new target
            show_error(self, self._last_error)
        self._kind = kind
        self._target_id = target_id
        self.heading.setText(HEADINGS[kind])
        self.editor.setPlaceholderText(PLACEHOLDERS[kind])
        if kind != "case" and target_id is None:
            self._notes = []
            self._load_note(None)
            self.picker.hide()
            self._placeholder.setText(NOTHING_SELECTED[kind])
            self._stack.setCurrentIndex(0)
            return
        try:
            self._notes = self._case.notes.list(**self._target_args())
        except DeskError as exc:
            self._notes = []
            self._load_note(None)
            self._placeholder.setText(str(exc))
            self._stack.setCurrentIndex(0)
            return
        kept = next((n for n in self._notes if n.id == keep), None)
        self._load_note(kept or (self._notes[0] if self._notes else None))
        self._fill_picker()
        self._stack.setCurrentIndex(1)

    def target(self) -> tuple[TargetKind | None, uuid.UUID | None]:
        return self._kind, self._target_id

    def note_id(self) -> uuid.UUID | None:
        """The note in the editor; None until the first save on a target without notes."""
        return self._note_id

    # -- saving ----------------------------------------------------------------

    def flush(self) -> None:
        """Save the editor's text now if it differs from what the case holds."""
        self._save_timer.stop()
        body = self.text()
        if self._kind is None or self._stack.currentIndex() == 0 or body == self._saved_text:
            return
        if self._note_id is None and not body.strip():
            return  # nothing written on a target with no note: add no empty note
        self._undo_stack.push(
            EditNote(
                self._case,
                self._saved_text,
                body,
                note_id=self._note_id,
                **self._target_args(),
                on_applied=self._applied,
                on_error=self._failed,
            )
        )

    def text(self) -> str:
        """The editor's text exactly: toPlainText would turn no-break spaces into spaces."""
        raw = self.editor.document().toRawText()
        return raw.replace("\u2029", "\n").replace("\u2028", "\n")

    def has_unsaved_text(self) -> bool:
        return self.text() != self._saved_text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    def _text_changed(self) -> None:
        if self.has_unsaved_text():
            self._save_timer.start()
            self.status.setText("Not saved yet")
        else:
            self._save_timer.stop()

    def _applied(self, view: NoteView) -> None:
        """A command wrote ``view``: follow it when it is on what the pane shows."""
        self._notes = [view if n.id == view.id else n for n in self._notes]
        if view.id not in {n.id for n in self._notes} and self._is_on_target(view):
            self._notes.append(view)  # the first note on this target
            if self._note_id is None:
                self._note_id = view.id
        if view.id == self._note_id:
            self._saved_text = view.body
            if self.text() != view.body:
                self._set_editor_text(view.body)
            self._show_last_edit(self._case.analyst, view.updated_at)
        self._fill_picker()
        self.saved.emit(view)

    def _failed(self, error: DeskError) -> None:
        self._last_error = error
        self.status.setEnabled(True)
        self.status.setText(f"Not saved: {error}")

    # -- helpers ----------------------------------------------------------------

    def _target_args(self) -> dict[str, uuid.UUID | None]:
        return {
            "incident_id": self._target_id if self._kind == "incident" else None,
            "source_id": self._target_id if self._kind == "source" else None,
        }

    def _is_on_target(self, view: NoteView) -> bool:
        if self._kind == "case":
            return view.target == "case"
        return self._target_id in (view.incident_id, view.source_id)

    def _load_note(self, note: NoteView | None) -> None:
        self._save_timer.stop()
        self._note_id = note.id if note else None
        self._saved_text = note.body if note else ""
        self._set_editor_text(self._saved_text)
        self.editor.moveCursor(QTextCursor.MoveOperation.Start)
        if note is None:
            self._show_status("")
            return
        try:
            changes = self._case.notes.history(note.id)
        except DeskError as exc:
            self._failed(exc)
            return
        if changes:
            self._show_last_edit(changes[-1].actor, changes[-1].at)
        else:  # a note from a bundle may come without its history
            self._show_last_edit(note.author, note.updated_at)

    def _set_editor_text(self, text: str) -> None:
        """Replace the text, keeping the cursor where it was as far as the text allows.

        setPlainText also clears the editor's own undo history (see the module notes).
        """
        position = self.editor.textCursor().position()
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)
        cursor = self.editor.textCursor()
        cursor.setPosition(min(position, len(text)))
        self.editor.setTextCursor(cursor)

    def _fill_picker(self) -> None:
        self.picker.clear()
        for number, note in enumerate(self._notes, start=1):
            first_line = note.body.strip().split("\n", 1)[0] or "(empty)"
            self.picker.addItem(f"{number}. {first_line[:60]}", note.id)
        index = self.picker.findData(self._note_id)
        self.picker.setCurrentIndex(max(index, 0))
        self.picker.setVisible(len(self._notes) > 1)

    def _pick(self, index: int) -> None:
        self.flush()
        wanted = self.picker.itemData(index)
        self._load_note(next((n for n in self._notes if n.id == wanted), None))

    def _show_last_edit(self, who: str, when: datetime) -> None:
        self._show_status(f"Last edited by {who}, {when.strftime('%Y-%m-%d %H:%M UTC')}")

    def _show_status(self, text: str) -> None:
        self.status.setEnabled(False)
        self.status.setText(text)
