"""The snapshots of a case: when and why each was made, one more now, or one put back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.backups import Backup, list_backups, snapshot
from desk.errors import DeskError
from desk.files import size_text
from ui.operations import CancelFlag, Operation, Progress
from ui.widgets.hint import hint_label

COLUMNS = ("When", "Why", "Size")
REASONS = {
    "manual": "Backed up by hand",
    "before-restore": "Before a restore",
    "before-upgrade": "Before an upgrade",
    "before-bundle-import": "Before a bundle import",
}
HELP = (
    "Evidence Desk backs a case up before risky steps and keeps the newest ten. "
    "Restoring puts a backup in place of the case; the case as it is now is backed "
    "up first, so a restore can be undone."
)


def reason_text(reason: str) -> str:
    return REASONS.get(reason, reason.replace("-", " ").capitalize())


class BackupsDialog(QDialog):
    """The backups of the case at ``case_path``, newest first, with "Back up now" and
    "Restore…". The dialog does not restore: after the analyst confirms, it asks the
    main window to (which closes the case, restores and reopens it) and closes.

    Signals:
        backed_up(object): the ``Path`` of the backup "Back up now" made.
        restore_requested(object): the ``Path`` of the backup to put in place of the case.

    Attributes:
        backups: the ``Backup``s in the table's order (newest first).
        table: when (local time), why and size of each backup.
        empty_label: shown instead of the table when there are none.
        backup_button: "Back up now" (reason "manual"), on a worker.
        restore_button: "Restore…" the selected backup (enabled with a selection).
        message: what "Back up now" made, or why the list or a backup failed.
    """

    backed_up = Signal(object)
    restore_requested = Signal(object)

    def __init__(self, case_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Backups of {case_path.name}")
        self._case_path = case_path
        self._running: Operation[Path] | None = None
        self._close_when_done = False
        self.backups: list[Backup] = []

        explanation = QLabel(HELP)
        explanation.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self.table.itemSelectionChanged.connect(self._buttons_changed)
        self.empty_label = hint_label("No backups of this case yet.")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.backup_button = QPushButton("&Back up now")
        self.restore_button = QPushButton("&Restore…")
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button.clicked.connect(self._restore)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Read the backups folder again."""
        try:
            self.backups = list_backups(self._case_path)
        except DeskError as exc:
            self.backups = []
            self.message.setText(str(exc))
        self.table.setRowCount(len(self.backups))
        for row, backup in enumerate(self.backups):
            when = QTableWidgetItem(f"{backup.created_at.astimezone():%Y-%m-%d %H:%M:%S}")
            when.setToolTip(str(backup.path))
            size = QTableWidgetItem(size_text(backup.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, when)
            self.table.setItem(row, 1, QTableWidgetItem(reason_text(backup.reason)))
            self.table.setItem(row, 2, size)
        self.table.setVisible(bool(self.backups))
        self.empty_label.setVisible(not self.backups)
        self._buttons_changed()

    def selected_backup(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def reject(self) -> None:
        # A backup cannot stop part-way: close once it is written.
        if self._running is not None:
            self._close_when_done = True
            self.message.setText("Closing when the backup under way is written…")
            return
        super().reject()

    def back_up(self) -> None:
        """Snapshot the case on a worker, reason "manual"."""
        case_path = self._case_path

        def work(_progress: Progress, _cancelled: CancelFlag) -> Path:
            return snapshot(case_path, "manual")

        self.message.setText("Backing up…")
        self._running = (
            Operation(self, "Backing up the case", work)
            .on_success(self._backed_up)
            .on_failure(self._failed)
            .run()
        )
        self._buttons_changed()

    def _confirm_restore(self, backup: Backup) -> bool:
        """Whether the analyst really wants ``backup`` in place of the case."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Restore a backup",
            f"Put the backup of {backup.created_at.astimezone():%Y-%m-%d %H:%M:%S} "
            f"({reason_text(backup.reason).lower()}) in place of {self._case_path.name}?\n\n"
            "The case closes and opens again. The case as it is now is backed up first, "
            "so this can be undone.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        restore = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore

    def _restore(self) -> None:
        backup = self.selected_backup()
        if backup is None or not self._confirm_restore(backup):
            return
        self.restore_requested.emit(backup.path)
        self.accept()

    def _backed_up(self, path: Path) -> None:
        self._running = None
        if self._close_when_done:
            super().reject()
            return
        self.refresh()
        row = next((n for n, b in enumerate(self.backups) if b.path == path), None)
        if row is not None:
            self.table.selectRow(row)
        self.message.setText(f"Backed up to {path}.")
        self.backed_up.emit(path)

    def _failed(self, error: DeskError) -> None:
        self._running = None
        self._close_when_done = False  # stay open: the analyst must see it failed
        self.message.setText(str(error))
        self._buttons_changed()

    def _buttons_changed(self) -> None:
        idle = self._running is None
        self.backup_button.setEnabled(idle)
        self.restore_button.setEnabled(idle and self.selected_backup() is not None)
