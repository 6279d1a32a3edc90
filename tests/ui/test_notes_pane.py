"""The notes editor: saved as the analyst types, undoable from the window, right to left
for Arabic, on the case, an incident or a source."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desk.case import Case
from ui.panes.notes import SAVE_DELAY_MS, NotesPane


@pytest.fixture
def undo_stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def incident_id(editable_case: Case) -> uuid.UUID:
    return editable_case.incidents.rows()[0].id


def _pane(qtbot: QtBot, case: Case, undo_stack: QUndoStack) -> tuple[NotesPane, QLineEdit, QWidget]:
    """The pane in a window with a second widget to move the focus to (keep the window:
    it owns both)."""
    window = QWidget()
    pane = NotesPane(case, undo_stack)
    elsewhere = QLineEdit()
    layout = QVBoxLayout(window)
    layout.addWidget(pane)
    layout.addWidget(elsewhere)
    qtbot.addWidget(window)
    window.resize(500, 400)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return pane, elsewhere, window


def _type(qtbot: QtBot, pane: NotesPane, text: str) -> None:
    pane.editor.setFocus()
    pane.editor.moveCursor(pane.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(pane.editor, text)


def _type_unicode(widget: QWidget, text: str) -> None:
    """Key presses carrying letters QTest cannot name (QTest's keyClicks is ASCII only),
    as an Arabic keyboard layout sends them."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def _bodies(case: Case, **target: uuid.UUID) -> list[str]:
    return [note.body for note in case.notes.list(**target)]


def test_typing_saves_after_a_pause_and_window_undo_restores_each_save(
    qtbot: QtBot, editable_case: Case, undo_stack: QUndoStack, incident_id: uuid.UUID
) -> None:
    pane, _, _window = _pane(qtbot, editable_case, undo_stack)
    pane.show_incident(incident_id)

    _type(qtbot, pane, "Flag pulled down")
    assert _bodies(editable_case, incident_id=incident_id) == []  # not before the pause
    assert pane.status.text() == "Not saved yet"
    qtbot.waitUntil(
        lambda: _bodies(editable_case, incident_id=incident_id) == ["Flag pulled down"],
        timeout=SAVE_DELAY_MS * 5,
    )
    _type(qtbot, pane, " at noon")
    qtbot.waitUntil(
        lambda: _bodies(editable_case, incident_id=incident_id) == ["Flag pulled down at noon"],
        timeout=SAVE_DELAY_MS * 5,
    )
    assert undo_stack.count() == 2
    assert pane.status.text().startswith("Last edited by Test Analyst, ")

    undo_stack.undo()
    assert _bodies(editable_case, incident_id=incident_id) == ["Flag pulled down"]
    assert pane.editor.toPlainText() == "Flag pulled down"
    undo_stack.undo()
    assert _bodies(editable_case, incident_id=incident_id) == [""]
    assert pane.editor.toPlainText() == ""
    undo_stack.redo()
    assert pane.editor.toPlainText() == "Flag pulled down"
    with Case.open(editable_case.path) as reopened:
        assert _bodies(reopened, incident_id=incident_id) == ["Flag pulled down"]


def test_flush_saves_at_once(
    qtbot: QtBot, editable_case: Case, undo_stack: QUndoStack, incident_id: uuid.UUID
) -> None:
    pane, _, _window = _pane(qtbot, editable_case, undo_stack)
    pane.show_incident(incident_id)
    _type(qtbot, pane, "Check the hospital list")

    pane.flush()

    assert _bodies(editable_case, incident_id=incident_id) == ["Check the hospital list"]
    assert not pane.has_unsaved_text()
    pane.flush()  # nothing new: no second step to undo
    assert undo_stack.count() == 1


def test_leaving_the_editor_saves(
    qtbot: QtBot, editable_case: Case, undo_stack: QUndoStack, incident_id: uuid.UUID
) -> None:
    pane, elsewhere, _window = _pane(qtbot, editable_case, undo_stack)
    pane.show_incident(incident_id)
    _type(qtbot, pane, "Two witnesses")
    qtbot.waitUntil(pane.editor.hasFocus)

    elsewhere.setFocus()
    qtbot.waitUntil(elsewhere.hasFocus)

    assert _bodies(editable_case, incident_id=incident_id) == ["Two witnesses"]


def test_case_and_source_notes_and_switching_saves_the_one_left(
    qtbot: QtBot, editable_case: Case, undo_stack: QUndoStack, incident_id: uuid.UUID
) -> None:
    source_id = editable_case.sources.list(incident_id=incident_id)[0].id
    pane, _, _window = _pane(qtbot, editable_case, undo_stack)

    pane.show_case()
    assert pane.heading.text() == "Case notes"
    _type(qtbot, pane, "Scope: June 2019")
    pane.show_source(source_id)  # switching saves the case note
    assert _bodies(editable_case) == ["Scope: June 2019"]
    assert pane.editor.toPlainText() == ""
    _type(qtbot, pane, "Outlet is partisan")
    pane.show_incident(None)

    assert _bodies(editable_case, source_id=source_id) == ["Outlet is partisan"]
    assert not pane.editor.isVisible()
    pane.show_case()
    assert pane.editor.toPlainText() == "Scope: June 2019"


def test_arabic_paragraphs_are_laid_out_right_to_left(
    qtbot: QtBot, editable_case: Case, undo_stack: QUndoStack, incident_id: uuid.UUID
) -> None:
    pane, _, _window = _pane(qtbot, editable_case, undo_stack)
    pane.show_incident(incident_id)

    _type(qtbot, pane, "English first")
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return)
    _type_unicode(pane.editor, "اشتباكات في البوكمال")
    pane.flush()

    english = pane.editor.document().firstBlock()
    arabic = english.next()
    assert arabic.text() == "اشتباكات في البوكمال"
    assert english.layout().textOption().textDirection() == Qt.LayoutDirection.LeftToRight
    assert arabic.layout().textOption().textDirection() == Qt.LayoutDirection.RightToLeft
    # Aligned to the right edge, not only shaped from the right.
    width = pane.editor.document().textWidth()
    assert english.layout().lineAt(0).naturalTextRect().left() < 1
    assert arabic.layout().lineAt(0).naturalTextRect().right() > width - 20
    assert _bodies(editable_case, incident_id=incident_id) == [
        "English first\nاشتباكات في البوكمال"
    ]


def test_several_notes_on_one_incident_are_edited_one_at_a_time(
    qtbot: QtBot, editable_case: Case, undo_stack: QUndoStack, incident_id: uuid.UUID
) -> None:
    editable_case.notes.add("First note", incident_id=incident_id)
    editable_case.notes.add("Second note", incident_id=incident_id)
    pane, _, _window = _pane(qtbot, editable_case, undo_stack)
    pane.show_incident(incident_id)
    assert pane.picker.isVisible()
    assert pane.picker.count() == 2
    assert pane.editor.toPlainText() == "First note"

    pane.picker.setFocus()
    qtbot.keyClick(pane.picker, Qt.Key.Key_Down)
    assert pane.editor.toPlainText() == "Second note"
    _type(qtbot, pane, ", edited")
    pane.flush()

    assert _bodies(editable_case, incident_id=incident_id) == ["First note", "Second note, edited"]

    editable_case.notes.add("Third note", incident_id=incident_id)  # from the command line
    pane.refresh()
    assert pane.picker.count() == 3
    assert pane.editor.toPlainText() == "Second note, edited"


def test_showing_the_same_target_again_keeps_the_cursor(
    qtbot: QtBot, editable_case: Case, undo_stack: QUndoStack, incident_id: uuid.UUID
) -> None:
    pane, _, _window = _pane(qtbot, editable_case, undo_stack)
    pane.show_incident(incident_id)
    _type(qtbot, pane, "Half a sent")

    pane.show_incident(incident_id)  # the window re-selects the same incident
    qtbot.keyClicks(pane.editor, "ence")

    assert pane.editor.toPlainText() == "Half a sentence"
    assert _bodies(editable_case, incident_id=incident_id) == ["Half a sent"]


def test_a_failed_save_says_so(
    qtbot: QtBot, editable_case: Case, undo_stack: QUndoStack, incident_id: uuid.UUID
) -> None:
    pane, _, _window = _pane(qtbot, editable_case, undo_stack)
    pane.show_incident(incident_id)
    editable_case.incidents.delete(incident_id)  # from elsewhere, say the command line

    _type(qtbot, pane, "Lost?")
    pane.flush()

    assert pane.status.text().startswith("Not saved: There is no incident")
    assert undo_stack.count() == 0
