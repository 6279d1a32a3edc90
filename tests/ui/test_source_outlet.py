"""Naming a source's outlet in the source viewer: typed with completion, saved through
the undo stack, seen by the claim panes, undone."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.services.sources import SourceView
from tests.claims.test_albukamal import ESM, REPORT
from tests.ui.conftest import INCIDENT_TITLE
from ui.models.claims import ClaimTableModel, ConflictClaimsModel, ConflictListModel
from ui.panes.claims import ClaimsPane
from ui.panes.conflict_board import ConflictBoard
from ui.panes.source_viewer import SourceViewerPane

MONITOR = "Eastern Syria Monitor"


def _source(case: Case, filename: str) -> SourceView:
    return next(s for s in case.sources.list() if s.original_filename == filename)


def _outlet_in_file(case: Case, source_id: uuid.UUID) -> str | None:
    """The outlet as the case file holds it, read through a connection of its own."""
    with Case.open(case.path) as again:
        return again.sources.get(source_id).outlet


@pytest.fixture
def graded(editable_case: Case) -> tuple[Case, uuid.UUID]:
    """The monitor graded B; the weekly report (no outlet) and the monitor disagree on
    the dead, and the report's "at least three" agrees with the monitor's five."""
    case = editable_case
    case.outlets.grade(MONITOR, "B", "Local network, usually right on places.")
    incident_id = next(r.id for r in case.incidents.rows() if r.title == INCIDENT_TITLE)
    for filename, value in ((REPORT, ">=3"), (ESM, "5"), ("field-note-2019-06-10.txt", "2")):
        case.claims.add(incident_id, _source(case, filename).id, "fatalities", value)
    return case, incident_id


def _viewer(qtbot: QtBot, case: Case, stack: QUndoStack, source: SourceView) -> SourceViewerPane:
    pane = SourceViewerPane(case, stack)
    qtbot.addWidget(pane)
    with qtbot.waitActive(pane):
        pane.show()
        pane.activateWindow()
    pane.show_source(source)
    return pane


def _claim_outlet(pane: ClaimsPane, source_id: uuid.UUID) -> str:
    model = pane.model
    row = next(n for n in range(model.rowCount()) if model.claim_at(n).source_id == source_id)
    return str(model.index(row, ClaimTableModel.OUTLET).data())


def _board_rows(board: ConflictBoard) -> dict[str, tuple[str, str]]:
    """The fatalities conflict's claims: source title -> (outlet, corroboration)."""
    conflicts = board.conflicts.model()
    row = next(
        n
        for n in range(conflicts.rowCount())
        if conflicts.index(n, ConflictListModel.CONFLICT).data() == "Fatalities"
    )
    board.conflicts.setCurrentIndex(conflicts.index(row, 0))
    claims = board.claims.model()
    return {
        claims.index(n, ConflictClaimsModel.SOURCE).data(): (
            claims.index(n, ConflictClaimsModel.OUTLET).data(),
            claims.index(n, ConflictClaimsModel.CORROBORATED).data(),
        )
        for n in range(claims.rowCount())
    }


def test_naming_an_outlet_grades_the_sources_claims_and_undo_takes_it_back(
    qtbot: QtBot, graded: tuple[Case, uuid.UUID]
) -> None:
    case, incident_id = graded
    stack = QUndoStack()
    report = _source(case, REPORT)
    monitor = _source(case, ESM)
    assert report.outlet is None
    claims = ClaimsPane(case, stack)
    qtbot.addWidget(claims)
    claims.show_incident(incident_id)
    board = ConflictBoard(case, stack)
    qtbot.addWidget(board)
    assert _claim_outlet(claims, report.id) == ""
    assert _board_rows(board)[monitor.title] == (f"{MONITOR} (B)", "2")
    pane = _viewer(qtbot, case, stack, report)
    assert pane.metadata.value("Outlet") is None
    assert not pane.outlet_editor.isVisible()

    qtbot.mouseClick(pane.outlet_button, Qt.MouseButton.LeftButton)
    assert pane.outlet_editor.isVisible()
    assert pane.outlet_box.hasFocus()
    qtbot.keyClicks(pane.outlet_box, "syria")
    completer = pane.outlet_box.completer()
    assert completer is not None
    popup = completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    assert [popup.model().index(n, 0).data() for n in range(popup.model().rowCount())] == [MONITOR]
    item = popup.visualRect(popup.model().index(0, 0)).center()
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=item)
    qtbot.waitUntil(lambda: pane.outlet_box.currentText() == MONITOR)
    assert stack.count() == 0  # chosen, not yet saved
    with qtbot.waitSignal(pane.source_changed) as changed:
        qtbot.mouseClick(pane.outlet_save_button, Qt.MouseButton.LeftButton)

    assert changed.args[0].outlet == MONITOR
    assert not pane.outlet_editor.isVisible()
    assert pane.metadata.value("Outlet") == f"{MONITOR} (reliability B)"
    assert _outlet_in_file(case, report.id) == MONITOR
    assert "Source edited (outlet)" in case.sources.history(report.id)[-1].summary
    assert stack.undoText() == f"Set outlet {MONITOR}"
    assert _claim_outlet(claims, report.id) == f"{MONITOR} (B)"
    # The report is the monitor's own now: its agreement no longer counts as another outlet's.
    rows = _board_rows(board)
    assert rows[report.title] == (f"{MONITOR} (B)", "1")
    assert rows[monitor.title] == (f"{MONITOR} (B)", "1")

    stack.undo()

    assert pane.metadata.value("Outlet") is None
    assert _outlet_in_file(case, report.id) is None
    assert _claim_outlet(claims, report.id) == ""
    assert _board_rows(board)[monitor.title] == (f"{MONITOR} (B)", "2")

    stack.redo()
    assert pane.metadata.value("Outlet") == f"{MONITOR} (reliability B)"


def test_a_new_outlet_is_typed_and_return_saves_it_escape_cancels(
    qtbot: QtBot, editable_case: Case
) -> None:
    case, stack = editable_case, QUndoStack()
    note = _source(case, "field-note-2019-06-10.txt")
    pane = _viewer(qtbot, case, stack, note)

    qtbot.mouseClick(pane.outlet_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(pane.outlet_box, "Field team")
    qtbot.keyClick(pane.outlet_box, Qt.Key.Key_Escape)
    assert not pane.outlet_editor.isVisible()
    assert stack.count() == 0
    assert case.sources.get(note.id).outlet is None

    qtbot.mouseClick(pane.outlet_button, Qt.MouseButton.LeftButton)
    assert pane.outlet_box.currentText() == ""
    qtbot.keyClicks(pane.outlet_box, "  Field team North ")
    qtbot.keyClick(pane.outlet_box, Qt.Key.Key_Return)

    assert stack.count() == 1
    assert pane.metadata.value("Outlet") == "Field team North"
    assert _outlet_in_file(case, note.id) == "Field team North"
    assert "Field team North" in [o.name for o in case.outlets.list()]

    # An empty box takes the outlet away again.
    qtbot.mouseClick(pane.outlet_button, Qt.MouseButton.LeftButton)
    assert pane.outlet_box.currentText() == "Field team North"
    pane.outlet_box.clearEditText()
    qtbot.keyClick(pane.outlet_box, Qt.Key.Key_Return)
    assert stack.undoText() == "Remove outlet"
    assert pane.metadata.value("Outlet") is None
    assert _outlet_in_file(case, note.id) is None

    # Another source shown closes an open editor without saving.
    qtbot.mouseClick(pane.outlet_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(pane.outlet_box, "Unsaved")
    pane.show_source(_source(case, ESM))
    assert not pane.outlet_editor.isVisible()
    assert stack.count() == 2
