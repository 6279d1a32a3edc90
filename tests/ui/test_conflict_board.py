"""The conflict board: the case's conflicts, the claims behind one, resolving through the
dialog and taking a resolution back with undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desk.case import Case
from tests.claims.test_albukamal import MP
from tests.ui.conftest import INCIDENT_TITLE, Albukamal
from ui.dialogs.resolve_conflict import ResolveConflictDialog
from ui.models.claims import ConflictClaimsModel, ConflictListModel
from ui.panes.conflict_board import ConflictBoard


def _board(qtbot: QtBot, case: Case, stack: QUndoStack) -> ConflictBoard:
    board = ConflictBoard(case, stack)
    qtbot.addWidget(board)
    return board


def _rows(board: ConflictBoard) -> list[tuple[str, str, str]]:
    model = board.conflicts.model()
    return [
        (
            model.index(row, ConflictListModel.INCIDENT).data(),
            model.index(row, ConflictListModel.CONFLICT).data(),
            model.index(row, ConflictListModel.STATUS).data(),
        )
        for row in range(model.rowCount())
    ]


def _select(board: ConflictBoard, label: str) -> None:
    model = board.conflicts.model()
    row = next(
        n
        for n in range(model.rowCount())
        if model.index(n, ConflictListModel.CONFLICT).data() == label
    )
    board.conflicts.setCurrentIndex(model.index(row, 0))


def test_the_board_lists_every_conflict_with_its_explanation(
    qtbot: QtBot, albukamal: Albukamal
) -> None:
    case, incident_id = albukamal
    board = _board(qtbot, case, QUndoStack())

    rows = _rows(board)
    assert (INCIDENT_TITLE, "Fatalities", "open") in rows
    assert (INCIDENT_TITLE, f"Statement: {MP}", "open") in rows
    assert len(rows) == 6

    _select(board, "Fatalities")

    fatalities = next(c for c in case.claims.conflicts(incident_id) if c.field == "fatalities")
    assert board.explanation.text() == fatalities.explanation
    assert "at least 3 agrees with 3, 4 and 5" in board.explanation.text()
    claims = board.claims.model()
    values = [claims.index(n, ConflictClaimsModel.VALUE).data() for n in range(claims.rowCount())]
    assert values == ["2", "3", ">=3", "4", "5"]
    quotes = {claims.index(n, ConflictClaimsModel.QUOTE).data() for n in range(claims.rowCount())}
    assert "بمقتل أربعة أشخاص" in quotes
    independence = {
        claims.index(n, ConflictClaimsModel.INDEPENDENCE).data() for n in range(claims.rowCount())
    }
    assert independence == {"independent"}
    assert board.resolution.text().startswith("Status: open")


def test_the_filters_narrow_the_list(qtbot: QtBot, albukamal: Albukamal) -> None:
    case, _ = albukamal
    board = _board(qtbot, case, QUndoStack())

    board.field_filter.setCurrentIndex(board.field_filter.findData("date"))
    assert [r[1] for r in _rows(board)] == ["Date"]

    board.field_filter.setCurrentIndex(0)
    qtbot.keyClicks(board.incident_filter, "no such incident")
    qtbot.waitUntil(lambda: _rows(board) == [])
    assert not board.conflicts.isVisibleTo(board)

    board.incident_filter.clear()
    qtbot.keyClicks(board.incident_filter, "albukamal")
    qtbot.waitUntil(lambda: len(_rows(board)) == 6)

    board.status_filter.setCurrentIndex(board.status_filter.findData("resolved"))
    assert _rows(board) == []


def _resolve_with(
    dialog: QDialog, qtbot: QtBot, value: str, best: int | None, rationale: str, confidence: str
) -> int:
    assert isinstance(dialog, ResolveConflictDialog)
    qtbot.addWidget(dialog)
    dialog.value.setEditText("")
    qtbot.keyClicks(dialog.value, value)
    if best is not None:
        dialog.best.setValue(best)
    qtbot.keyClicks(dialog.rationale, rationale)
    dialog.confidence.setCurrentIndex(dialog.confidence.findData(confidence))
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog.result()


def test_resolving_stores_the_estimates_and_undo_reopens(
    qtbot: QtBot, albukamal: Albukamal, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, incident_id = albukamal
    stack = QUndoStack()
    board = _board(qtbot, case, stack)
    board.status_filter.setCurrentIndex(board.status_filter.findData(None))  # all
    _select(board, "Fatalities")
    conflict_id = board.current_conflict().id  # type: ignore[union-attr]
    monkeypatch.setattr(
        board,
        "_exec",
        lambda dialog: _resolve_with(
            dialog, qtbot, "3-5", 4, "Hospital-based count lies between the outlets.", "moderate"
        ),
    )

    with qtbot.waitSignal(board.claims_changed) as changed:
        qtbot.mouseClick(board.resolve_button, Qt.MouseButton.LeftButton)

    assert changed.args == [incident_id]
    resolved = case.claims.conflict(conflict_id)
    assert resolved.status == "resolved"
    assert resolved.resolution is not None
    assert (resolved.resolution.best, resolved.resolution.low, resolved.resolution.high) == (
        4,
        3,
        5,
    )
    assert resolved.resolution.confidence == "moderate"
    assert (INCIDENT_TITLE, "Fatalities", "resolved") in _rows(board)
    assert board.current_conflict().id == conflict_id  # type: ignore[union-attr]
    assert "best 4, low 3, high 5" in board.resolution.text()
    assert case.incidents.row(incident_id).open_conflicts == 5

    stack.undo()

    reopened = case.claims.conflict(conflict_id)
    assert (reopened.status, reopened.resolution) == ("open", None)
    assert (INCIDENT_TITLE, "Fatalities", "open") in _rows(board)
    assert case.incidents.row(incident_id).open_conflicts == 6
    assert [h.action for h in case.incidents.history(incident_id)][-2:] == [
        "resolve",
        "unresolve",
    ]

    stack.redo()
    assert case.claims.conflict(conflict_id).status == "resolved"


def test_undo_of_a_second_resolution_puts_the_first_back(
    qtbot: QtBot, albukamal: Albukamal, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, _ = albukamal
    stack = QUndoStack()
    board = _board(qtbot, case, stack)
    board.status_filter.setCurrentIndex(board.status_filter.findData(None))
    _select(board, f"Statement: {MP}")
    conflict_id = board.current_conflict().id  # type: ignore[union-attr]
    answers = iter([("no", "Two outlets against one."), ("yes", "The ESM had a witness.")])

    def resolve(dialog: QDialog) -> int:
        value, rationale = next(answers)
        return _resolve_with(dialog, qtbot, value, None, rationale, "low")

    monkeypatch.setattr(board, "_exec", resolve)
    board.resolve_current()
    board.resolve_current()
    assert case.claims.conflict(conflict_id).resolution.accepted_value == "yes"  # type: ignore[union-attr]

    stack.undo()

    first = case.claims.conflict(conflict_id).resolution
    assert first is not None
    assert (first.accepted_value, first.rationale) == ("no", "Two outlets against one.")


def test_the_dialog_needs_a_rationale_and_a_sound_range(qtbot: QtBot, albukamal: Albukamal) -> None:
    case, incident_id = albukamal
    conflict = next(c for c in case.claims.conflicts(incident_id) if c.field == "fatalities")
    dialog = ResolveConflictDialog(case, conflict, undo_stack=QUndoStack())
    qtbot.addWidget(dialog)
    dialog.value.setEditText("")
    qtbot.keyClicks(dialog.value, "3-5")
    assert (dialog.low.value(), dialog.best.value(), dialog.high.value()) == (3, 4, 5)
    dialog.confidence.setCurrentIndex(dialog.confidence.findData("high"))
    assert not dialog.ok_button.isEnabled()  # no rationale yet

    qtbot.keyClicks(dialog.rationale, "Three outlets agree on 3 to 5.")
    assert dialog.ok_button.isEnabled()

    dialog.best.setValue(9)
    assert not dialog.ok_button.isEnabled()
    assert dialog.value_check.text() == "The best estimate lies outside the low-high range."

    dialog.best.setValue(4)
    dialog.value.setEditText("lots")
    assert not dialog.ok_button.isEnabled()
    assert "not a count" in dialog.value_check.text()


def test_open_incident_names_the_conflicts_incident(qtbot: QtBot, albukamal: Albukamal) -> None:
    case, incident_id = albukamal
    board = _board(qtbot, case, QUndoStack())

    with qtbot.waitSignal(board.open_incident) as opened:
        qtbot.mouseClick(board.open_button, Qt.MouseButton.LeftButton)

    assert opened.args == [incident_id]


def test_a_case_without_conflicts_says_so(qtbot: QtBot, editable_case: Case) -> None:
    board = _board(qtbot, editable_case, QUndoStack())
    assert _rows(board) == []
    assert not board.conflicts.isVisibleTo(board)
    assert not board.resolve_button.isEnabled()
