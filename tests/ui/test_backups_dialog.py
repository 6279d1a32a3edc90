"""The backups dialog: the snapshots of a case, one more on demand, a restore asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from desk import backups
from desk.backups import Backup
from desk.case import Case
from ui.dialogs.backups import BackupsDialog

WAIT_MS = 30_000


def _dialog(qtbot: QtBot, held: list[QWidget], case: Case) -> BackupsDialog:
    dialog = BackupsDialog(case.path)
    qtbot.addWidget(dialog)
    held.append(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _click_row(qtbot: QtBot, dialog: BackupsDialog, row: int) -> None:
    rect = dialog.table.visualRect(dialog.table.model().index(row, 1))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_back_up_now_adds_a_row(
    qtbot: QtBot, editable_case: Case, desk_home: Path, held: list[QWidget]
) -> None:
    dialog = _dialog(qtbot, held, editable_case)
    assert dialog.table.rowCount() == 0
    assert dialog.empty_label.isVisible()
    assert not dialog.restore_button.isEnabled()

    with qtbot.waitSignal(dialog.backed_up, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    made = done.args[0]
    assert made.is_file()
    assert made.parent == desk_home / "backups"
    assert [b.path for b in backups.list_backups(editable_case.path)] == [made]
    assert dialog.table.isVisible()
    assert not dialog.empty_label.isVisible()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "Backed up by hand"
    assert dialog.table.item(0, 2).text().endswith(("kB", "MB"))
    assert dialog.message.text() == f"Backed up to {made}."
    assert dialog.restore_button.isEnabled()  # the new backup is selected

    with qtbot.waitSignal(dialog.backed_up, timeout=WAIT_MS) as again:
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 2
    assert dialog.backups[0].path == again.args[0]  # newest first
    assert dialog.selected_backup() == dialog.backups[0]


def test_restore_asks_then_asks_the_window_for_the_chosen_backup(
    qtbot: QtBot, editable_case: Case, monkeypatch: pytest.MonkeyPatch, held: list[QWidget]
) -> None:
    older = backups.snapshot(editable_case.path, "manual")
    newer = backups.snapshot(editable_case.path, "before-restore")
    dialog = _dialog(qtbot, held, editable_case)
    assert [dialog.table.item(r, 1).text() for r in range(2)] == [
        "Before a restore",
        "Backed up by hand",
    ]
    _click_row(qtbot, dialog, 1)
    asked: list[Backup] = []

    def confirm(backup: Backup) -> bool:
        asked.append(backup)
        return True

    monkeypatch.setattr(dialog, "_confirm_restore", confirm)
    with qtbot.waitSignal(dialog.restore_requested) as requested:
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert requested.args == [older]
    assert [b.path for b in asked] == [older]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    # The dialog only asks: the window restores, so nothing was put back yet.
    assert [b.path for b in backups.list_backups(editable_case.path)] == [newer, older]


def test_a_declined_restore_asks_for_nothing(
    qtbot: QtBot, editable_case: Case, monkeypatch: pytest.MonkeyPatch, held: list[QWidget]
) -> None:
    backups.snapshot(editable_case.path, "manual")
    dialog = _dialog(qtbot, held, editable_case)
    _click_row(qtbot, dialog, 0)
    monkeypatch.setattr(dialog, "_confirm_restore", lambda backup: False)
    with qtbot.assertNotEmitted(dialog.restore_requested):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert len(backups.list_backups(editable_case.path)) == 1
