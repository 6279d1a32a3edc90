"""The window shell: cases (new, open, recent, copy, close), undo/redo, settings,
keyboard, errors and the crash dialog, driven as the analyst would."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desk.case import Case
from desk.errors import DeskError
from desk.services.incidents import IncidentFields
from tests.ui.conftest import INCIDENT_TITLE
from tests.ui.test_app import Driver
from ui.dialogs.analyst import AnalystDialog
from ui.dialogs.crash import CrashDialog, CrashReporter
from ui.dialogs.new_case import NewCaseDialog
from ui.main_window import APP_TITLE, MainWindow
from ui.settings import Settings

FIRST_TITLE = "Al Bukamal, June 2019 — first.evcase"


@pytest.fixture
def first_case(sample_case_file: Path, tmp_path: Path) -> Path:
    """A private copy of the sample case (one incident, seven sources)."""
    path = tmp_path / "first.evcase"
    shutil.copyfile(sample_case_file, path)
    return path


@pytest.fixture
def second_case(tmp_path: Path) -> Path:
    path = tmp_path / "second.evcase"
    with Case.create(path, "Second case", analyst="Test Analyst") as case:
        case.incidents.create(IncidentFields(title="Only in the second case"))
    return path


MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def make_window(qtbot: QtBot) -> MakeWindow:
    """A shown main window, on the case at ``path`` or on none."""

    def make(path: Path | None = None) -> MainWindow:
        window = MainWindow(Case.open(path) if path else None)
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        return window

    return make


@pytest.fixture
def messages(qapp: QApplication) -> Iterator[list[str]]:
    """The text of each message box shown (they are modal); each is answered OK."""
    driver = Driver()
    shown: list[str] = []

    def answer(box: QMessageBox) -> None:
        shown.append(box.text())
        box.buttons()[0].click()

    driver.on(QMessageBox, answer)
    yield shown
    driver.stop()


def _titles(window: MainWindow) -> list[str]:
    model = window.incidents
    return [model.incident_at(row).title for row in range(model.rowCount())]


# -- settings -----------------------------------------------------------------------


def test_settings_are_kept_in_the_desk_home_never_the_users(desk_home: Path) -> None:
    settings = Settings()
    settings.analyst = "Somebody"
    settings.sync()

    assert settings.file_name() == desk_home / "settings.ini"
    assert "Somebody" in (desk_home / "settings.ini").read_text(encoding="utf-8")
    assert QSettings().value("analyst/name") != "Somebody"


# -- new, open, recent, close ---------------------------------------------------------


def test_new_case_from_the_dialog_creates_the_file_and_opens_it(
    qtbot: QtBot,
    make_window: MakeWindow,
    first_case: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(first_case)
    target = tmp_path / "sarmin.evcase"
    monkeypatch.setattr(NewCaseDialog, "_ask_path", lambda _self: target)

    window.new_case_action.trigger()
    dialog = window.findChild(NewCaseDialog)
    assert dialog is not None
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.path_edit.text() == str(target)
    assert dialog.title_edit.text() == "sarmin"  # the file name until a title is typed
    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, "Sarmin, March 2024")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    assert window.windowTitle() == "Sarmin, March 2024 — sarmin.evcase"
    assert window.case is not None
    assert window.case.path == target
    assert _titles(window) == []
    with Case.open(target) as created:
        assert created.info().title == "Sarmin, March 2024"
        assert created.info().created_by == "Test Analyst"
    assert Settings().recent_cases[0] == target.resolve()


def test_new_case_refuses_an_existing_file_and_stays_open(
    qtbot: QtBot, make_window: MakeWindow, first_case: Path
) -> None:
    window = make_window()
    before = first_case.read_bytes()

    qtbot.mouseClick(window.start_page.new_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(NewCaseDialog)
    qtbot.keyClicks(dialog.title_edit, "Another")
    qtbot.keyClicks(dialog.path_edit, str(first_case))
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.message.isVisible()
    assert dialog.message.text() == (
        f"{first_case}: a file of that name already exists; choose another name."
    )
    assert window.case is None
    assert first_case.read_bytes() == before


def test_open_case_from_the_start_page(
    qtbot: QtBot, make_window: MakeWindow, first_case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    assert window.windowTitle() == APP_TITLE
    assert window.centralWidget().currentWidget() is window.start_page
    assert not window.save_copy_action.isEnabled()
    monkeypatch.setattr(window, "_ask_open_path", lambda: first_case)

    qtbot.mouseClick(window.start_page.open_button, Qt.MouseButton.LeftButton)

    assert window.windowTitle() == FIRST_TITLE
    assert _titles(window) == [INCIDENT_TITLE]
    # The first incident is selected once the list has painted.
    qtbot.waitUntil(lambda: window.sources.model.rowCount() == 7)
    assert window.save_copy_action.isEnabled()
    assert window.focusWidget() is window.incident_list.table


def test_a_damaged_case_is_explained_and_the_open_case_stays(
    make_window: MakeWindow,
    first_case: Path,
    tmp_path: Path,
    messages: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(first_case)
    damaged = tmp_path / "damaged.evcase"
    data = bytearray(first_case.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the first page after the header
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(window, "_ask_open_path", lambda: damaged)

    window.open_case_action.trigger()

    assert len(messages) == 1
    assert messages[0].startswith(f"{damaged}: ")
    assert "damaged" in messages[0] or "not an Evidence Desk case" in messages[0]
    assert "Traceback" not in messages[0]
    assert window.windowTitle() == FIRST_TITLE
    assert window.case is not None
    assert window.case.path == first_case
    assert window.case.incidents.count() == 1  # still open and usable
    assert _titles(window) == [INCIDENT_TITLE]


def test_a_case_from_a_newer_version_is_refused_untouched(
    make_window: MakeWindow,
    first_case: Path,
    second_case: Path,
    messages: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with sqlite3.connect(second_case) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'fffffffffff9'")
    conn.close()
    before = second_case.read_bytes()
    window = make_window(first_case)
    monkeypatch.setattr(window, "_ask_open_path", lambda: second_case)

    window.open_case_action.trigger()

    assert len(messages) == 1
    assert "written by a newer version of Evidence Desk" in messages[0]
    assert "Update Evidence Desk to open it." in messages[0]
    assert window.windowTitle() == FIRST_TITLE
    assert second_case.read_bytes() == before


def test_open_recent_lists_opened_cases_and_opens_them(
    make_window: MakeWindow,
    first_case: Path,
    second_case: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(first_case)
    assert window.open_case(second_case)
    assert window.windowTitle() == "Second case — second.evcase"

    window.recent_menu.aboutToShow.emit()
    entries = {a.data(): a for a in window.recent_menu.actions() if a.data()}
    assert list(entries) == [str(second_case.resolve()), str(first_case.resolve())]
    entries[str(first_case.resolve())].trigger()

    assert window.windowTitle() == FIRST_TITLE
    assert _titles(window) == [INCIDENT_TITLE]


def test_a_recent_case_that_has_gone_is_greyed_and_forgotten_with_a_message(
    make_window: MakeWindow,
    first_case: Path,
    second_case: Path,
    messages: list[str],
) -> None:
    window = make_window(first_case)
    window.open_case(second_case)
    window.open_case(first_case)
    second_case.unlink()

    window.recent_menu.aboutToShow.emit()
    gone = next(a for a in window.recent_menu.actions() if a.data() == str(second_case))
    assert not gone.isEnabled()
    assert gone.text().endswith("(missing)")

    window.open_recent(second_case)  # e.g. from the start page, listed before it went

    assert messages == [f"{second_case}: no such case file."]
    assert Settings().recent_cases == [first_case.resolve()]
    assert window.windowTitle() == FIRST_TITLE


def test_close_case_shows_the_start_page_with_recent_cases(
    qtbot: QtBot, make_window: MakeWindow, first_case: Path
) -> None:
    window = make_window(first_case)
    changes: list[object] = []
    window.case_changed.connect(changes.append)

    window.close_case_action.trigger()

    assert changes == [None]
    assert window.case is None
    assert window.windowTitle() == APP_TITLE
    assert window.centralWidget().currentWidget() is window.start_page
    assert not window.save_copy_action.isEnabled()
    assert not window.close_case_action.isEnabled()
    recent = window.start_page.recent_list
    assert recent.count() == 1
    assert recent.item(0).toolTip() == str(first_case.resolve())

    recent.setFocus()
    qtbot.keyClick(recent, Qt.Key.Key_Return)

    assert window.windowTitle() == FIRST_TITLE


def test_opening_another_case_closes_the_first_and_empties_the_undo_stack(
    make_window: MakeWindow, first_case: Path, second_case: Path
) -> None:
    window = make_window(first_case)
    window.undo_stack.push(QUndoCommand("Something"))

    window.open_case(second_case)

    assert window.undo_stack.count() == 0
    assert _titles(window) == ["Only in the second case"]


# -- save a copy ----------------------------------------------------------------------


def test_save_a_copy_writes_a_case_with_the_same_incidents(
    qtbot: QtBot,
    make_window: MakeWindow,
    first_case: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(first_case)
    assert window.case is not None
    window.case.incidents.create(IncidentFields(title="Added before the copy"))
    target = tmp_path / "copies" / "snapshot.evcase"
    target.parent.mkdir()
    monkeypatch.setattr(window, "_ask_copy_path", lambda: target)

    window.save_copy_action.trigger()

    assert window.copying()
    assert not window.save_copy_action.isEnabled()
    qtbot.waitUntil(lambda: not window.copying())
    assert window.statusBar().currentMessage() == f"A copy of the case was saved to {target}."
    assert window.save_copy_action.isEnabled()
    with Case.open(target) as copy:
        titles = sorted(row.title for row in copy.incidents.rows())
    assert titles == sorted(["Added before the copy", INCIDENT_TITLE])
    assert window.case.path == first_case  # still working in the original


def test_save_a_copy_over_the_open_case_is_refused(
    qtbot: QtBot,
    make_window: MakeWindow,
    first_case: Path,
    messages: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(first_case)
    monkeypatch.setattr(window, "_ask_copy_path", lambda: first_case)

    window.save_copy_action.trigger()

    qtbot.waitUntil(lambda: bool(messages))
    assert messages == [f"{first_case}: that is the open case itself; choose another name."]
    assert not window.copying()
    assert window.case is not None
    assert window.case.incidents.count() == 1


# -- flushing pending edits -----------------------------------------------------------


class PendingEdits(QWidget):
    """A pane with edits not yet saved."""

    def __init__(self, error: DeskError | None = None) -> None:
        super().__init__()
        self.flushed = 0
        self.error = error

    def flush(self) -> None:
        self.flushed += 1
        if self.error:
            raise self.error


def test_panes_are_flushed_before_the_case_is_switched(
    make_window: MakeWindow, first_case: Path, second_case: Path
) -> None:
    window = make_window(first_case)
    pane = PendingEdits()
    window.add_dock(pane, "Pending", "pending", Qt.DockWidgetArea.LeftDockWidgetArea)
    assert pane in window.flushables

    window.open_case(second_case)

    assert pane.flushed == 1
    assert pane not in window.flushables  # the new case has only its own panes


def test_a_failed_flush_can_keep_the_case_open(
    make_window: MakeWindow, first_case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(first_case)
    pane = PendingEdits(DeskError("The end date is before the start date."))
    window.add_flushable(pane)
    monkeypatch.setattr(window, "_ask_to_discard", lambda error, doing: False)

    assert not window.close_case()
    assert window.case is not None
    assert window.windowTitle() == FIRST_TITLE

    monkeypatch.setattr(window, "_ask_to_discard", lambda error, doing: True)
    assert window.close_case()
    assert window.case is None


def test_bound_actions_work_only_while_their_case_is_open(
    make_window: MakeWindow, first_case: Path
) -> None:
    window = make_window(first_case)
    assert window.find_action.isEnabled()  # bound to the search pane of this case
    found: list[str] = []
    action = QAction("Try", window)
    action.setEnabled(False)
    window.bind(action, lambda: found.append("try"))
    assert action.isEnabled()
    action.trigger()

    window.close_case()
    action.trigger()

    assert found == ["try"]
    assert not action.isEnabled()
    assert not window.find_action.isEnabled()


# -- edit and view --------------------------------------------------------------------


def test_undo_and_redo_follow_the_stack(make_window: MakeWindow, first_case: Path) -> None:
    window = make_window(first_case)
    done: list[str] = []

    class Note(QUndoCommand):
        def redo(self) -> None:
            done.append("redo")

        def undo(self) -> None:
            done.append("undo")

    assert not window.undo_action.isEnabled()
    assert not window.redo_action.isEnabled()
    window.undo_stack.push(Note("Edit the title"))
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo Edit the title"
    assert not window.redo_action.isEnabled()

    window.undo_action.trigger()
    assert done == ["redo", "undo"]
    assert not window.undo_action.isEnabled()
    assert window.redo_action.isEnabled()
    window.redo_action.trigger()
    assert done == ["redo", "undo", "redo"]

    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [keys.toString() for keys in window.redo_action.shortcuts()]
    assert window.find_action.shortcut().toString() == "Ctrl+F"


def test_blur_all_images_emits_and_persists(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    assert not window.blur_all_action.isChecked()
    assert window.blur_all_action in window.view_menu.actions()

    with qtbot.waitSignal(window.blur_all_changed) as blocker:
        window.blur_all_action.trigger()

    assert blocker.args == [True]
    assert window.blur_all_images
    assert Settings().blur_all_images
    again = make_window()
    assert again.blur_all_action.isChecked()


def test_docks_are_listed_in_the_view_menu(make_window: MakeWindow, first_case: Path) -> None:
    window = make_window(first_case)
    view = [a.text() for a in window.view_menu.actions()]
    docks = ["Incident", "Claims", "Sources", "Source", "Search", "Conflicts", "Case notes"]
    assert set(docks) <= set(view)
    assert view.index("Toolbar") > max(view.index(name) for name in docks)

    window.close_case()

    assert "Sources" not in [a.text() for a in window.view_menu.actions()]


def test_geometry_and_layout_are_restored(
    qtbot: QtBot, make_window: MakeWindow, first_case: Path
) -> None:
    window = make_window(first_case)
    size = window.minimumSizeHint() + QSize(40, 30)  # the smallest the docks allow
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size)
    sources = next(a for a in window.view_menu.actions() if a.text() == "Sources")
    sources.trigger()  # hide the sources dock
    assert not window.sources.isVisible()
    window.close()

    again = make_window(first_case)

    assert again.size() == size
    assert not again.sources.isVisible()
    assert again.viewer.isVisible()


def test_analyst_name_menu_changes_the_name_for_the_open_case(
    qtbot: QtBot, make_window: MakeWindow, first_case: Path
) -> None:
    window = make_window(first_case)

    window.analyst_action.trigger()
    dialog = window.findChild(AnalystDialog)
    assert dialog.name_edit.text() == "Test Analyst"
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Rana Haddad")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    assert window.case is not None

    assert window.case.analyst == "Rana Haddad"
    assert Settings().analyst == "Rana Haddad"
    assert window.status_text().endswith("analyst: Rana Haddad")


def test_the_analyst_dialog_needs_a_name(qtbot: QtBot) -> None:
    dialog = AnalystDialog("", first_start=True)
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "  ")
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "R")
    assert ok.isEnabled()


# -- keyboard -------------------------------------------------------------------------


def test_focus_starts_in_the_list_and_tab_and_f6_go_through_the_panes(
    qtbot: QtBot, make_window: MakeWindow, first_case: Path
) -> None:
    window = make_window(first_case)
    table = window.incident_list.table
    assert window.focusWidget() is table
    assert window.pane_order == [
        window.incident_list,
        window.editor,
        window.sources,
        window.viewer,
        window.view.search,
    ]

    visited: list[QWidget] = []
    for _ in range(60):  # round the whole window
        widget = window.focusWidget()
        pane = next(p for p in window.pane_order if p.isAncestorOf(widget))
        if not visited or visited[-1] is not pane:
            visited.append(pane)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    with_stops = [pane for pane in window.pane_order if any(_tab_stops(pane))]
    assert visited[: len(with_stops)] == with_stops
    assert len(with_stops) >= 3

    with qtbot.waitActive(window):  # shortcuts reach the active window only
        window.activateWindow()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F6)
    assert with_stops[1].isAncestorOf(window.focusWidget())
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert window.focusWidget() is table


def _tab_stops(pane: QWidget) -> Iterator[QWidget]:
    for widget in pane.findChildren(QWidget):
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            yield widget


# -- crashes --------------------------------------------------------------------------


@contextmanager
def crash_reporter() -> Iterator[CrashReporter]:
    """Installed inside the test body: pytest swaps threading.excepthook per phase."""
    reporter = CrashReporter()
    reporter.install()
    try:
        yield reporter
    finally:
        reporter.uninstall()
        if reporter.dialog is not None:
            reporter.dialog.close()


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_shows_the_crash_dialog_and_saves_a_report(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom() -> None:
        raise RuntimeError("boom from a slot")

    report = tmp_path / "report.txt"
    with crash_reporter() as reporter:
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        dialog = reporter.dialog
        assert isinstance(dialog, CrashDialog)
        shown = dialog.report_view.toPlainText()
        assert "Traceback (most recent call last)" in shown
        assert "RuntimeError: boom from a slot" in shown
        assert dialog.report_view.isReadOnly()

        monkeypatch.setattr(dialog, "_ask_report_path", lambda: report)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        saved = report.read_text(encoding="utf-8")
        assert "RuntimeError: boom from a slot" in saved
        assert "in boom" in saved
        assert saved.startswith("Evidence Desk ")

        QTimer.singleShot(0, boom)  # the same bug again is counted, not repeated
        qtbot.waitUntil(lambda: dialog.count_label.text().startswith("2 errors"))
        assert dialog.report_view.toPlainText().count("RuntimeError: boom from a slot") == 1
        assert dialog.count_label.text() == "2 errors so far (1 different)."

        close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: reporter.dialog is None)

        ran: list[bool] = []  # the desk keeps running
        QTimer.singleShot(0, lambda: ran.append(True))
        qtbot.waitUntil(lambda: ran == [True])


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_worker_thread_shows_the_crash_dialog(qtbot: QtBot) -> None:
    def work() -> None:
        raise ValueError("boom from a worker")

    with crash_reporter() as reporter:
        worker = threading.Thread(target=work, name="importer")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        assert reporter.dialog is not None
        shown = reporter.dialog.report_view.toPlainText()
        assert "ValueError: boom from a worker" in shown
        assert "Thread: importer" in shown


def test_error_messages_are_plain_text(qapp: QApplication, messages: list[str]) -> None:
    from ui.errors import show_error

    formats: list[Qt.TextFormat] = []
    original = QMessageBox.exec

    def exec_(box: QMessageBox) -> int:
        formats.append(box.textFormat())
        return original(box)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QMessageBox, "exec", exec_)
        show_error(None, DeskError("<b>report.html</b>: not a page."))

    assert messages == ["<b>report.html</b>: not a page."]
    assert formats == [Qt.TextFormat.PlainText]


def test_new_case_needs_a_title_and_a_file_name_and_adds_the_suffix(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = NewCaseDialog("Test Analyst", tmp_path)
    qtbot.addWidget(dialog)
    created: list[Case] = []
    dialog.case_created.connect(created.append)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.title_edit, "A title")
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.path_edit, "relative-name")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert [case.path for case in created] == [tmp_path / "relative-name.evcase"]
    created[0].close()
