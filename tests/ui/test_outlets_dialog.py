"""The outlets editor: grades A-F with their reasons, edited in place and undoable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk.case import Case
from ui.dialogs.outlets import OutletsDialog
from ui.models.claims import OutletTableModel

ESM = "Eastern Syria Monitor"
ARABIC = "أخبار دير الزور"


def _dialog(qtbot: QtBot, case: Case, stack: QUndoStack) -> OutletsDialog:
    dialog = OutletsDialog(case, stack)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _grade(case: Case, name: str) -> tuple[str | None, str | None]:
    outlet = next(o for o in case.outlets.list() if o.name == name)
    return outlet.reliability, outlet.reason


def _cell(dialog: OutletsDialog, name: str, column: int) -> str:
    row = dialog.model.row_of(name)
    assert row is not None
    return str(dialog.model.index(row, column).data())


def _editor(qtbot: QtBot, kind: type) -> QComboBox | QLineEdit:
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), kind))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QComboBox | QLineEdit)
    return editor


def test_grading_an_outlet_in_place_and_undoing_it(qtbot: QtBot, editable_case: Case) -> None:
    case, stack = editable_case, QUndoStack()
    dialog = _dialog(qtbot, case, stack)
    assert _cell(dialog, ESM, OutletTableModel.RELIABILITY) == "not graded"
    row = dialog.model.row_of(ESM)
    assert row is not None

    dialog.table.setCurrentIndex(dialog.model.index(row, OutletTableModel.RELIABILITY))
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    combo = _editor(qtbot, QComboBox)
    assert isinstance(combo, QComboBox)
    assert combo.count() == 6
    assert combo.itemText(3) == "D · not usually reliable"
    combo.setCurrentIndex(combo.findData("B"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)  # the delegate commits it queued

    # A grade without its reason is held back, and the reason's cell opens.
    qtbot.waitUntil(lambda: "reason" in dialog.status.text())
    assert _grade(case, ESM) == (None, None)
    reason = _editor(qtbot, QLineEdit)
    qtbot.keyClicks(reason, "Local network; right on places, slow to correct counts.")
    qtbot.keyClick(reason, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: stack.count() == 1)
    assert _grade(case, ESM) == ("B", "Local network; right on places, slow to correct counts.")
    assert _cell(dialog, ESM, OutletTableModel.RELIABILITY) == "B · usually reliable"
    assert stack.count() == 1

    stack.undo()
    assert _grade(case, ESM) == (None, None)
    assert _cell(dialog, ESM, OutletTableModel.RELIABILITY) == "not graded"

    stack.redo()
    assert _grade(case, ESM)[0] == "B"


def test_a_new_grade_keeps_the_reason_given_before(qtbot: QtBot, editable_case: Case) -> None:
    case, stack = editable_case, QUndoStack()
    case.outlets.grade(ARABIC, "C", "Fast local site; attributes without evidence.")
    dialog = _dialog(qtbot, case, stack)
    row = dialog.model.row_of(ARABIC)
    assert row is not None

    dialog.model.setData(dialog.model.index(row, OutletTableModel.RELIABILITY), "D")

    assert _grade(case, ARABIC) == ("D", "Fast local site; attributes without evidence.")
    stack.undo()
    assert _grade(case, ARABIC) == ("C", "Fast local site; attributes without evidence.")


def test_a_grade_cannot_lose_its_reason(qtbot: QtBot, editable_case: Case) -> None:
    case, stack = editable_case, QUndoStack()
    case.outlets.grade(ESM, "B", "Usually right.")
    dialog = _dialog(qtbot, case, stack)
    row = dialog.model.row_of(ESM)
    assert row is not None
    dialog.table.setCurrentIndex(dialog.model.index(row, OutletTableModel.REASON))
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    editor = _editor(qtbot, QLineEdit)

    editor.clear()
    qtbot.keyClick(editor, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: dialog.status.text() == f"Give the reason for grading {ESM} B.")
    assert _grade(case, ESM) == ("B", "Usually right.")
    assert stack.count() == 0


def test_each_outlet_shows_how_many_sources_it_has(qtbot: QtBot, editable_case: Case) -> None:
    dialog = _dialog(qtbot, editable_case, QUndoStack())
    assert _cell(dialog, ESM, OutletTableModel.SOURCES) == "1"
    assert _cell(dialog, ARABIC, OutletTableModel.SOURCES) == "1"
    row = dialog.model.row_of(ARABIC)
    assert row is not None
    alignment = dialog.model.index(row, OutletTableModel.NAME).data(
        Qt.ItemDataRole.TextAlignmentRole
    )
    assert alignment & Qt.AlignmentFlag.AlignRight


def test_the_outlet_model_is_sound(
    qtmodeltester: ModelTester, qtbot: QtBot, editable_case: Case
) -> None:
    editable_case.outlets.grade(ESM, "B", "Usually right.")
    model = OutletTableModel(lambda _name, _grade, _reason: True)
    model.set_outlets(editable_case.outlets.list(), editable_case.outlets.source_counts())
    qtmodeltester.check(model)
