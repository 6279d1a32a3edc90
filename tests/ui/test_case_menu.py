"""The window's case-wide work: bundles, outlets, backups, chosen from the menus."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget
from pytestqt.qtbot import QtBot

from desk import backups
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.services.incidents import IncidentFields
from tests.ui.conftest import INCIDENT_TITLE
from ui.dialogs.bundle_export import BundleExportDialog
from ui.dialogs.bundle_import import BundleImportDialog
from ui.dialogs.outlets import OutletsDialog
from ui.main_window import MainWindow
from ui.models.incident_lines import TITLE

WAIT_MS = 20_000


def _open(qtbot: QtBot, case: Case) -> MainWindow:
    window = MainWindow(case)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    if window.incidents.rowCount():  # the first incident is shown once the list has painted
        qtbot.waitUntil(lambda: bool(window.incident_list.selected_incidents()))
    return window


def _shown(kind: type[QDialog]) -> QDialog:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, f"{kind.__name__} shown {len(found)} times"
    return found[0]


def _titles(window: MainWindow) -> list[str]:
    model = window.incidents
    return [model.data(model.index(row, TITLE)) for row in range(model.rowCount())]


def test_case_actions_wait_for_a_case(qtbot: QtBot) -> None:
    window = MainWindow(None)
    qtbot.addWidget(window)
    actions = (
        window.export_brief_action,
        window.export_bundle_action,
        window.import_bundle_action,
        window.outlets_action,
        window.verify_action,
        window.backups_action,
    )
    assert not any(action.isEnabled() for action in actions)
    assert window.outlets_action in window.case_menu.actions()
    assert window.import_bundle_action in window.file_menu.actions()


def test_several_incidents_can_be_chosen_and_the_last_clicked_is_shown(
    qtbot: QtBot, editable_case: Case
) -> None:
    editable_case.incidents.create(IncidentFields(title="A second incident"))
    window = _open(qtbot, editable_case)
    table = window.incident_list.table
    first = table.visualRect(window.incidents.index(0, TITLE)).center()
    second = table.visualRect(window.incidents.index(1, TITLE)).center()

    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, second
    )

    assert len(window.incident_list.selected_incidents()) == 2
    assert window.editor.title_edit.text() == _titles(window)[1]


def test_export_bundle_offers_the_selected_incident(qtbot: QtBot, editable_case: Case) -> None:
    window = _open(qtbot, editable_case)

    window.export_bundle_action.trigger()

    dialog = _shown(BundleExportDialog)
    assert isinstance(dialog, BundleExportDialog)
    assert dialog.selected.isChecked()
    assert "(1)" in dialog.selected.text()
    dialog.close()


def test_an_imported_bundle_shows_in_the_list_at_once(
    qtbot: QtBot, editable_case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "colleague.evbundle"
    export_bundle(editable_case, bundle)
    receiver = Case.create(tmp_path / "receiver.evcase", "Receiver", analyst="Bob")
    window = _open(qtbot, receiver)
    assert _titles(window) == []
    monkeypatch.setattr(window, "ask_bundle_path", lambda: bundle)

    window.import_bundle_action.trigger()
    dialog = _shown(BundleImportDialog)
    assert isinstance(dialog, BundleImportDialog)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    assert _titles(window) == [INCIDENT_TITLE]
    assert window.status_text().startswith("1 incident · 7 sources")
    dialog.close()


def test_outlets_open_from_the_case_menu(qtbot: QtBot, editable_case: Case) -> None:
    window = _open(qtbot, editable_case)

    window.outlets_action.trigger()

    dialog = _shown(OutletsDialog)
    assert dialog.isVisible()
    dialog.close()


def test_restoring_a_backup_brings_back_the_case_as_it_was(
    qtbot: QtBot, editable_case: Case
) -> None:
    path = editable_case.path
    backup = backups.snapshot(path, "manual")
    window = _open(qtbot, editable_case)
    window.editor.create_incident()
    window.editor.title_edit.setText("Added after the backup")
    assert window.close_case()
    assert window.open_case(path)
    assert "Added after the backup" in _titles(window)

    assert window.restore_backup(backup)

    assert _titles(window) == [INCIDENT_TITLE]
    assert window.case is not None
    assert window.case.path == path
    assert "kept as" in window.statusBar().currentMessage()
    kept = [b for b in backups.list_backups(path) if b.reason == "before-restore"]
    assert len(kept) == 1
    with Case.open(kept[0].path) as before:
        assert before.incidents.count() == 2


def test_a_brief_of_the_selected_incident_from_the_window(
    qtbot: QtBot, editable_case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    from ui.dialogs.export_brief import ExportBriefDialog

    editable_case.incidents.create(IncidentFields(title="Not in this brief"))
    window = _open(qtbot, editable_case)
    window.incident_list.select_incident(window.incidents.incident_at(0).id)
    chosen = window.incidents.incident_at(0).id
    assert window.export_brief_action in window.toolbar.actions()

    window.export_brief_action.trigger()

    dialog = _shown(ExportBriefDialog)
    assert isinstance(dialog, ExportBriefDialog)
    assert dialog.selected.isChecked()
    assert not dialog.filtered.isEnabled()  # no filter is set
    target = tmp_path / "brief.pdf"
    dialog.path_edit.setText(str(target))
    monkeypatch.setattr(dialog, "_open_folder", lambda folder: None)
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    title = editable_case.incidents.get(chosen).fields.title
    assert title.split()[0] in text
    assert "Not in this brief" not in text
    dialog.close()


def test_the_filter_is_offered_as_a_scope_for_the_brief(qtbot: QtBot, editable_case: Case) -> None:
    from ui.dialogs.export_brief import ExportBriefDialog

    editable_case.incidents.create(IncidentFields(title="A drone strike elsewhere"))
    window = _open(qtbot, editable_case)
    window.incident_list.filter_edit.setText("drone")
    qtbot.waitUntil(lambda: window.incidents.rowCount() == 1)

    window.export_brief_action.trigger()

    dialog = _shown(ExportBriefDialog)
    assert isinstance(dialog, ExportBriefDialog)
    assert dialog.filtered.isEnabled()
    assert "1" in dialog.filtered.text()
    dialog.close()


def test_verify_from_the_case_menu_reports_all_well(qtbot: QtBot, editable_case: Case) -> None:
    from ui.dialogs.verify_case import VerifyCaseDialog

    window = _open(qtbot, editable_case)
    window.verify_action.trigger()

    dialog = _shown(VerifyCaseDialog)
    assert isinstance(dialog, VerifyCaseDialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)
    assert dialog.report is not None
    assert dialog.report.ok
    assert "7 originals" in dialog.checked_label.text()
    dialog.close()


def test_a_backup_chosen_in_the_dialog_is_restored_in_the_window(
    qtbot: QtBot, editable_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.dialogs.backups import BackupsDialog

    backups.snapshot(editable_case.path, "manual")
    editable_case.incidents.create(IncidentFields(title="Added after the backup"))
    window = _open(qtbot, editable_case)
    assert len(_titles(window)) == 2

    window.backups_action.trigger()
    dialog = _shown(BackupsDialog)
    assert isinstance(dialog, BackupsDialog)
    monkeypatch.setattr(dialog, "_confirm_restore", lambda backup: True)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: _titles(window) == [INCIDENT_TITLE], timeout=WAIT_MS)
    assert window.case is not None
    assert window.case.path == editable_case.path


def test_a_bundle_of_the_incidents_the_filter_shows(
    qtbot: QtBot, editable_case: Case, tmp_path: Path
) -> None:
    from desk.bundles.reader import open_bundle

    editable_case.incidents.create(IncidentFields(title="A drone strike elsewhere"))
    editable_case.incidents.create(IncidentFields(title="Another drone strike"))
    window = _open(qtbot, editable_case)
    window.incident_list.filter_edit.setText("drone")
    qtbot.waitUntil(lambda: window.incidents.rowCount() == 2)

    window.export_bundle_action.trigger()
    dialog = _shown(BundleExportDialog)
    assert isinstance(dialog, BundleExportDialog)
    assert dialog.filtered.text().replace("&", "") == "The incidents the list shows (2)"
    dialog.filtered.setChecked(True)
    dialog.path_edit.setText(str(tmp_path / "drones.evbundle"))
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

    assert done.args[0].counts["incident"] == 2
    assert open_bundle(tmp_path / "drones.evbundle").manifest.scope == "incidents"
    dialog.close()


def test_the_conflict_board_and_history_read_the_case_only_when_in_front(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from desk.demo import build_demo_case

    case = Case.open(build_demo_case(tmp_path / "demo.evcase"), analyst="Test Analyst")
    window = _open(qtbot, case)
    board = window.view.conflicts
    dock = board.parent()
    assert isinstance(dock, QDockWidget)
    assert dock.visibleRegion().isEmpty()  # a tab behind the incident's
    assert board.conflicts.model().rowCount() == 0  # not read at start

    dock.raise_()
    qtbot.waitUntil(lambda: board.conflicts.model().rowCount() > 0)
    assert board.conflicts.model().rowCount() == len(case.claims.conflicts())

    history = window.view.history
    assert history.model.rowCount() == 0  # behind the Incident tab: not read yet
    history_dock = history.parent()
    assert isinstance(history_dock, QDockWidget)
    history_dock.raise_()
    qtbot.waitUntil(lambda: history.model.rowCount() > 0)

    before = board.conflicts.model().rowCount()
    window.view.editor.parent().raise_()  # out of sight: changes wait for the next look
    school = window.incidents.incident_at(2).id
    first, second = case.incidents.get(school).source_ids[:2]
    case.claims.add(school, first, "fatalities", "2")
    case.claims.add(school, second, "fatalities", "9")
    window.view.conflicts.refresh()
    assert board.conflicts.model().rowCount() == before
    dock.raise_()
    qtbot.waitUntil(lambda: board.conflicts.model().rowCount() == before + 1)


def test_each_key_does_one_thing_where_the_focus_is(
    qtbot: QtBot, editable_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.ui.test_incident_editor import activate, confirm_delete, when_a_dialog_opens
    from ui.dialogs.new_case import NewCaseDialog

    window = _open(qtbot, editable_case)
    activate(qtbot, window)
    table = window.incident_list.table
    incident = window.incidents.incident_at(0).id
    table.setFocus()

    qtbot.keyClick(table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert editable_case.incidents.count() == 2  # Ctrl+N: a new incident

    window.incident_list.select_incident(incident)
    sources = window.sources
    before = sources.model.rowCount()
    sources.select_row(0)
    sources.view.setFocus()
    qtbot.keyClick(sources.view, Qt.Key.Key_Delete)
    assert sources.model.rowCount() == before - 1  # Delete in the sources: detach
    assert editable_case.incidents.count() == 2

    table.setFocus()
    when_a_dialog_opens(qtbot, confirm_delete)
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # Delete in the list: the incident
    assert editable_case.incidents.count() == 1
    activate(qtbot, window)

    monkeypatch.setattr(NewCaseDialog, "open", lambda dialog: dialog.show())
    qtbot.keyClick(
        table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = _shown(NewCaseDialog)  # Ctrl+Shift+N: a new case
    dialog.close()


def test_files_dropped_on_an_incident_row_are_attached_to_that_incident(
    qtbot: QtBot, editable_case: Case, tmp_path: Path
) -> None:
    from tests.ui.test_sources_pane import _drag_events

    editable_case.incidents.create(IncidentFields(title="Funeral procession"))
    window = _open(qtbot, editable_case)
    funeral = next(
        window.incidents.incident_at(r).id
        for r in range(window.incidents.rowCount())
        if window.incidents.incident_at(r).title == "Funeral procession"
    )
    other = next(
        window.incidents.incident_at(r).id
        for r in range(window.incidents.rowCount())
        if window.incidents.incident_at(r).id != funeral
    )
    window.incident_list.select_incident(other)
    dropped = tmp_path / "witness.txt"
    dropped.write_text("A witness saw the procession hit at noon.\n", encoding="utf-8")
    table = window.incident_list.table
    row = window.incidents.row_of(funeral)
    assert row is not None
    at = table.visualRect(window.incidents.index(row, TITLE)).center()
    _mime, enter, move, drop = _drag_events([dropped], at)

    QApplication.sendEvent(table.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(table.viewport(), move)
    with qtbot.waitSignal(window.sources.import_finished, timeout=WAIT_MS):
        QApplication.sendEvent(table.viewport(), drop)

    assert window.incident_list.selected_incident() == funeral
    attached = editable_case.incidents.get(funeral).source_ids
    assert [editable_case.sources.get(s).original_filename for s in attached] == ["witness.txt"]
    assert window.sources.model.rowCount() == 1


def test_choosing_a_search_hit_opens_its_source_with_the_words_marked(
    qtbot: QtBot, editable_case: Case
) -> None:
    from ui.models.search import SearchResult

    sample = editable_case.incidents.rows()[0].id
    editable_case.incidents.create(IncidentFields(title="Funeral procession"))
    window = _open(qtbot, editable_case)
    window_incident = next(
        window.incidents.incident_at(r).id
        for r in range(window.incidents.rowCount())
        if window.incidents.incident_at(r).id != sample
    )
    window.incident_list.select_incident(window_incident)
    pane = window.view.search
    pane.search("Hezbollah")
    qtbot.waitUntil(lambda: pane.model.rowCount() > 0)
    group = next(
        pane.model.index(r, 0)
        for r in range(pane.model.rowCount())
        if str(pane.model.index(r, 0).data()).startswith("Sources")
    )
    hit = pane.model.index(0, 0, group)
    result = pane.model.result(hit)
    assert isinstance(result, SearchResult)
    pane.view.expandAll()
    pane.view.scrollTo(hit)

    qtbot.mouseClick(
        pane.view.viewport(), Qt.MouseButton.LeftButton, pos=pane.view.visualRect(hit).center()
    )

    assert window.incident_list.selected_incident() == sample
    shown = window.sources.selected_source()
    assert shown is not None
    assert shown.id == result.id
    # The hit marked beside the claims' and suggestions' own marks.
    assert "hezbollah" in {mark.casefold() for mark in window.viewer.text_view.highlights()}


def test_signing_keys_are_at_hand_without_a_case(qtbot: QtBot) -> None:
    from ui.dialogs.keys import KeysDialog

    window = MainWindow(None)
    qtbot.addWidget(window)
    assert window.keys_action.isEnabled()
    assert window.keys_action in window.case_menu.actions()

    window.keys_action.trigger()

    dialog = _shown(KeysDialog)
    assert isinstance(dialog, KeysDialog)
    dialog.close()


def test_an_outlet_set_in_the_viewer_is_undone_from_the_window(
    qtbot: QtBot, editable_case: Case
) -> None:
    window = _open(qtbot, editable_case)
    viewer = window.viewer
    source = viewer.source()
    assert source is not None
    viewer.outlet_button.click()
    viewer.outlet_box.setCurrentText("Desk Test Outlet")
    qtbot.keyClick(viewer.outlet_box, Qt.Key.Key_Return)
    assert editable_case.sources.get(source.id).outlet == "Desk Test Outlet"
    shown = window.sources.selected_source()
    assert shown is not None
    assert shown.outlet == "Desk Test Outlet"  # the list follows

    window.undo_action.trigger()

    assert editable_case.sources.get(source.id).outlet == source.outlet


def test_a_source_opens_at_its_beginning_and_a_chosen_suggestion_is_shown(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from desk.demo import build_demo_case

    case = Case.open(build_demo_case(tmp_path / "demo.evcase"), analyst="Test Analyst")
    window = _open(qtbot, case)
    window.resize(1000, 600)  # a short viewer: the suggestions lie below its fold
    model = window.sources.model
    arabic = next(r for r in range(model.rowCount()) if model.source_at(r).language == "ar")
    window.sources.select_row(arabic)
    text = window.viewer.text_view
    suggestions = window.view.suggestions
    assert suggestions.current() is not None  # the first one is chosen, ready to accept
    assert text.verticalScrollBar().value() == 0

    last = len(suggestions.suggestions()) - 1
    suggestions.table.selectRow(last)

    chosen = suggestions.suggestions()[last]
    cursor = text.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (chosen.start, chosen.end)
