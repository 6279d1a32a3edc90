"""The sources pane on a real case: add files (dialog and drop), attach existing,
detach, mark graphic, each checked in the pane and in the case file."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QToolButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.services.incidents import IncidentFields
from desk.services.sources import SourceService, SourceView
from tests.ui.conftest import SAMPLE_FILES, SAMPLES
from ui.dialogs.attach_source import AttachSourceDialog
from ui.dialogs.import_summary import DETAILS, FILE, RESULT, ImportSummaryDialog
from ui.models.sources import TITLE
from ui.panes.sources import SourcesPane

ARABIC = "deir-ezzor-news-ar-2019-06-08.html"
PHOTO = "albukamal-square-2019-06-08.jpg"


def _incident(case: Case) -> uuid.UUID:
    return case.incidents.rows(limit=1)[0].id


def _open(qtbot: QtBot, case: Case) -> tuple[SourcesPane, QUndoStack]:
    stack = QUndoStack()
    pane = SourcesPane(case, stack)
    qtbot.addWidget(pane)
    pane.resize(700, 400)
    with qtbot.waitExposed(pane):
        pane.show()
    pane.show_incident(_incident(case))
    return pane, stack


@pytest.fixture
def editable(qtbot: QtBot, editable_case: Case) -> tuple[SourcesPane, QUndoStack]:
    return _open(qtbot, editable_case)


def _titles(pane: SourcesPane) -> list[str]:
    return [pane.model.source_at(r).title for r in range(pane.model.rowCount())]


def _attached(case: Case, incident: uuid.UUID) -> set[str]:
    """What the case file says is attached, read through a fresh connection."""
    with Case.open(case.path) as fresh:
        return {s.original_filename or s.title for s in fresh.sources.list(incident)}


def _click_action(qtbot: QtBot, pane: SourcesPane, action_name: str) -> None:
    button = pane.toolbar.widgetForAction(getattr(pane, action_name))
    assert isinstance(button, QToolButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _select(pane: SourcesPane, wanted: Callable[[SourceView], bool]) -> SourceView:
    for row in range(pane.model.rowCount()):
        if wanted(pane.model.source_at(row)):
            pane.select_row(row)
            return pane.model.source_at(row)
    raise AssertionError("no such source in the list")


def _new_files(folder: Path) -> list[Path]:
    good = folder / "checkpoint-report.txt"
    good.write_text(
        "A checkpoint near the bridge was closed on the morning of 9 June after the clashes.\n",
        encoding="utf-8",
    )
    bad = folder / "not-really.pdf"
    bad.write_text("This is plain text pretending to be a PDF file.\n", encoding="utf-8")
    return [good, bad, SAMPLES / SAMPLE_FILES[0]]


def test_lists_kind_title_outlet_date_language_and_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, sample_case: Case
) -> None:
    pane, _stack = _open(qtbot, sample_case)

    assert pane.model.rowCount() == len(SAMPLE_FILES)
    qtmodeltester.check(pane.model)
    arabic = _select(pane, lambda s: s.original_filename == ARABIC)
    row = pane.selected_source()
    assert row == arabic
    index = pane.model.index(pane.model.row_of(arabic.id) or 0, TITLE)
    alignment = pane.model.data(index, Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert pane.model.data(index, Qt.ItemDataRole.DecorationRole) is not None


def test_add_files_imports_on_a_worker_and_shows_a_summary(
    qtbot: QtBot,
    editable: tuple[SourcesPane, QUndoStack],
    editable_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane, _stack = editable
    files = _new_files(tmp_path)
    monkeypatch.setattr(pane, "_ask_files", lambda: files)
    threads: list[threading.Thread] = []
    real_import = SourceService.import_files

    def spy(self: SourceService, *args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        return real_import(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SourceService, "import_files", spy)

    with qtbot.waitSignals([pane.import_finished, pane.sources_changed], timeout=30_000):
        _click_action(qtbot, pane, "add_action")

    assert threads
    assert threads[0] is not threading.main_thread()
    summary = pane.summary
    assert isinstance(summary, ImportSummaryDialog)
    assert summary.isVisible()
    model = summary.model
    rows = {
        model.data(model.index(r, FILE)): (
            model.data(model.index(r, RESULT)),
            model.data(model.index(r, DETAILS)),
        )
        for r in range(model.rowCount())
    }
    assert rows["checkpoint-report.txt"][0] == "new"
    assert rows[SAMPLE_FILES[0]][0] == "already in the case"
    result, reason = rows["not-really.pdf"]
    assert result == "not imported"
    assert "the name says PDF" in reason
    assert summary.summary.text() == "1 new source, 1 already in the case, 1 not imported."
    assert "the name says PDF" in summary.details.text()  # the failure is chosen first

    assert pane.model.rowCount() == len(SAMPLE_FILES) + 1
    assert pane.selected_source() is not None
    assert pane.selected_source().original_filename == "checkpoint-report.txt"  # type: ignore[union-attr]
    incident = _incident(editable_case)
    assert "checkpoint-report.txt" in _attached(editable_case, incident)
    assert "not-really.pdf" not in _attached(editable_case, incident)


def test_the_summary_model_passes_the_model_tester(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    editable: tuple[SourcesPane, QUndoStack],
    tmp_path: Path,
) -> None:
    pane, _stack = editable
    with qtbot.waitSignal(pane.import_finished, timeout=30_000):
        pane.import_files(_new_files(tmp_path))

    assert pane.summary is not None
    qtmodeltester.check(pane.summary.model)


def _drag_events(
    files: list[Path], at: QPoint
) -> tuple[QMimeData, QDragEnterEvent, QDragMoveEvent, QDropEvent]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in files])
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons = Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    return (
        mime,
        QDragEnterEvent(at, actions, mime, buttons, none),
        QDragMoveEvent(at, actions, mime, buttons, none),
        QDropEvent(at, actions, mime, buttons, none),
    )


def test_dropping_files_on_the_list_imports_them(
    qtbot: QtBot, editable: tuple[SourcesPane, QUndoStack], editable_case: Case, tmp_path: Path
) -> None:
    pane, _stack = editable
    files = []
    for number in range(3):
        path = tmp_path / f"dropped-{number}.txt"
        path.write_text(
            f"Witness {number} saw smoke rising over the square in the evening.\n",
            encoding="utf-8",
        )
        files.append(path)
    viewport = pane.view.viewport()
    _mime, enter, move, drop = _drag_events(files, viewport.rect().center())

    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    with qtbot.waitSignal(pane.import_finished, timeout=30_000) as finished:
        QApplication.sendEvent(viewport, drop)
        assert drop.isAccepted()

    assert [o.created for o in finished.args[0]] == [True, True, True]
    attached = _attached(editable_case, _incident(editable_case))
    assert {"dropped-0.txt", "dropped-1.txt", "dropped-2.txt"} <= attached
    assert pane.model.rowCount() == len(SAMPLE_FILES) + 3


def test_drops_are_refused_without_an_incident(
    qtbot: QtBot, editable: tuple[SourcesPane, QUndoStack], tmp_path: Path
) -> None:
    pane, _stack = editable
    pane.show_incident(None)
    path = tmp_path / "note.txt"
    path.write_text("Nothing to attach to.\n", encoding="utf-8")
    _mime, enter, _move, _drop = _drag_events([path], pane.view.viewport().rect().center())

    QApplication.sendEvent(pane.view.viewport(), enter)

    assert not enter.isAccepted()
    assert not pane.add_action.isEnabled()


def test_attach_existing_source_and_undo(
    qtbot: QtBot,
    editable: tuple[SourcesPane, QUndoStack],
    editable_case: Case,
    tmp_path: Path,
) -> None:
    pane, stack = editable
    incident = _incident(editable_case)
    loose = tmp_path / "loose-statement.txt"
    loose.write_text(
        "Statement by the local council about the market closure after the shelling.\n",
        encoding="utf-8",
    )
    other = editable_case.incidents.create(IncidentFields(title="Another incident"))
    [outcome] = editable_case.sources.import_files([loose], other.id)
    assert outcome.source is not None
    chosen: list[str] = []

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AttachSourceDialog)
        assert dialog.model.rowCount() == 1  # the incident's own sources are left out
        qtbot.keyClicks(dialog.search, "council")
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and "council" in dialog.search.text())
        dialog.view.selectAll()
        chosen.extend(s.title for s in dialog.selected_sources())
        qtbot.mouseClick(dialog.attach_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose)
    with qtbot.waitSignal(pane.sources_changed):
        _click_action(qtbot, pane, "attach_action")

    assert chosen == [outcome.source.title]
    assert outcome.source.title in _titles(pane)
    assert "loose-statement.txt" in _attached(editable_case, incident)
    assert stack.undoText() == "Attach 1 source"

    with qtbot.waitSignal(pane.sources_changed):
        stack.undo()
    assert outcome.source.title not in _titles(pane)
    assert "loose-statement.txt" not in _attached(editable_case, incident)
    assert "loose-statement.txt" in _attached(editable_case, other.id)  # untouched

    stack.redo()
    assert "loose-statement.txt" in _attached(editable_case, incident)


def test_attach_dialog_searches_as_you_type(qtbot: QtBot, editable_case: Case) -> None:
    other = editable_case.incidents.create(IncidentFields(title="Empty incident"))
    dialog = AttachSourceDialog(editable_case, other.id)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == len(SAMPLE_FILES)
    assert not dialog.attach_button.isEnabled()

    _type(dialog.search, "البوكمال")
    qtbot.waitUntil(lambda: dialog.model.rowCount() < len(SAMPLE_FILES))

    assert [s.original_filename for s in _all(dialog)] == [ARABIC]
    dialog.view.selectAll()
    assert dialog.attach_button.isEnabled()


def _type(widget: QWidget, text: str) -> None:
    """Type ``text`` as a keyboard layout of its script would (QTest.keyClicks maps only
    Latin characters to keys)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def _all(dialog: AttachSourceDialog) -> list[SourceView]:
    return [dialog.model.source_at(r) for r in range(dialog.model.rowCount())]


def test_detach_keeps_the_source_in_the_case_and_undo_attaches_it_again(
    qtbot: QtBot, editable: tuple[SourcesPane, QUndoStack], editable_case: Case
) -> None:
    pane, stack = editable
    incident = _incident(editable_case)
    source = _select(pane, lambda s: s.original_filename == ARABIC)
    count = editable_case.sources.count()

    with qtbot.waitSignal(pane.sources_changed):
        _click_action(qtbot, pane, "detach_action")

    assert source.title not in _titles(pane)
    assert ARABIC not in _attached(editable_case, incident)
    assert editable_case.sources.count() == count
    assert editable_case.sources.get(source.id).incident_ids == ()

    stack.undo()
    assert source.title in _titles(pane)
    assert ARABIC in _attached(editable_case, incident)


def test_mark_graphic_and_undo(
    qtbot: QtBot, editable: tuple[SourcesPane, QUndoStack], editable_case: Case
) -> None:
    pane, stack = editable
    _select(pane, lambda s: s.kind == "article")
    assert not pane.graphic_action.isEnabled()
    photo = _select(pane, lambda s: s.original_filename == PHOTO)
    assert pane.graphic_action.isEnabled()
    assert not pane.graphic_action.isChecked()

    with qtbot.waitSignal(pane.source_selected) as selected:
        _click_action(qtbot, pane, "graphic_action")

    shown = selected.args[0]
    assert isinstance(shown, SourceView)
    assert shown.graphic
    assert pane.graphic_action.isChecked()
    assert editable_case.sources.get(photo.id).graphic

    stack.undo()
    assert not editable_case.sources.get(photo.id).graphic
    assert not pane.graphic_action.isChecked()
    assert pane.selected_source() is not None
    assert not pane.selected_source().graphic  # type: ignore[union-attr]


def test_a_failed_command_is_shown_and_not_kept(
    qtbot: QtBot,
    editable: tuple[SourcesPane, QUndoStack],
    editable_case: Case,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane, stack = editable
    shown: list[str] = []
    monkeypatch.setattr(
        "ui.panes.sources.show_error", lambda _parent, error, _title="": shown.append(str(error))
    )
    source = _select(pane, lambda s: s.original_filename == ARABIC)
    editable_case.incidents.delete(_incident(editable_case))  # gone behind the pane's back

    _click_action(qtbot, pane, "detach_action")

    assert shown
    assert "incident" in shown[0].lower()
    assert stack.count() == 0
    assert editable_case.sources.get(source.id)


def test_delete_key_in_the_list_detaches(
    qtbot: QtBot, editable: tuple[SourcesPane, QUndoStack], editable_case: Case
) -> None:
    pane, stack = editable
    with qtbot.waitActive(pane):
        pane.activateWindow()
    source = _select(pane, lambda s: s.original_filename == ARABIC)
    pane.view.setFocus()

    qtbot.keyClick(pane.view, Qt.Key.Key_Delete)

    assert source.title not in _titles(pane)
    assert ARABIC not in _attached(editable_case, _incident(editable_case))
    assert stack.undoText() == "Detach 1 source"
