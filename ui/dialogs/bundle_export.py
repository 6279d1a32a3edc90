"""Writing a bundle for a colleague: the whole case or the chosen incidents."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desk.bundles import signing
from desk.bundles.schema import SUFFIX
from desk.bundles.writer import BundleSummary, export_bundle
from desk.case import Case
from desk.errors import DeskError
from ui.operations import CancelFlag, Operation, Progress

BUNDLE_FILTER = f"Evidence Desk bundles (*{SUFFIX})"


def with_bundle_suffix(path: Path) -> Path:
    return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)


class BundleExportDialog(QDialog):
    """What goes in (whole case or the selected incidents), signed or not, and where;
    Export writes it on a worker with progress and cancel.

    Signals:
        exported(object): the ``BundleSummary`` once the file is written.

    Attributes:
        whole_case, selected, filtered: the scopes (selected and filtered are disabled
            when empty).
        sign_box: sign with the analyst's newest key (disabled when they have none).
        path_edit, choose_button: the output file.
        export_button: starts the export.
        message: why nothing was written, or what was.
    """

    exported = Signal(object)

    def __init__(
        self,
        case: Case,
        incident_ids: list[uuid.UUID] | None,
        parent: QWidget | None = None,
        filtered_ids: list[uuid.UUID] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a bundle")
        self._case = case
        self._incident_ids = list(incident_ids or [])
        self._filtered_ids = list(filtered_ids or [])
        self._running: Operation[BundleSummary] | None = None

        self.whole_case = QRadioButton("The &whole case")
        count = len(self._incident_ids)
        self.selected = QRadioButton(
            f"The &selected incident{'' if count == 1 else 's'} ({count}) with their "
            "sources, claims, notes and history"
        )
        shown = len(self._filtered_ids)
        self.filtered = QRadioButton(
            f"The incidents the &list shows ({shown})"
            if filtered_ids is not None
            else "The incidents the &list shows (no filter is set)"
        )
        scope = QButtonGroup(self)
        for button in (self.whole_case, self.selected, self.filtered):
            scope.addButton(button)
        self.selected.setEnabled(bool(self._incident_ids))
        self.filtered.setEnabled(bool(self._filtered_ids))
        (self.selected if self._incident_ids else self.whole_case).setChecked(True)

        own = [k for k in signing.list_keys() if k.own]
        self._key = own[0] if own else None
        self.sign_box = QCheckBox(
            f"Si&gn with my key {self._key.key_id}" if self._key else "Si&gn (you have no key yet)"
        )
        self.sign_box.setEnabled(self._key is not None)
        self.sign_box.setChecked(self._key is not None)
        if self._key is None:
            self.sign_box.setToolTip("Make a key in Case › Signing keys…")

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(f"a file ending in {SUFFIX}")
        self.path_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 48)
        self.choose_button = QPushButton("&Choose…")
        self.choose_button.clicked.connect(self._choose)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)

        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.start)
        buttons.rejected.connect(self.reject)
        self.path_edit.textChanged.connect(self._fields_changed)
        self._fields_changed()

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Put in the bundle:"))
        layout.addWidget(self.whole_case)
        layout.addWidget(self.selected)
        layout.addWidget(self.filtered)
        layout.addWidget(self.sign_box)
        layout.addWidget(QLabel("Write it to:"))
        layout.addLayout(path_row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def reject(self) -> None:
        """Close; while the export runs, Close (or Escape) cancels it first."""
        if self._running is not None:
            self._running.cancel()
            return
        super().reject()

    def _ask_path(self) -> Path | None:
        """The output file from a save dialog, or None when the analyst cancels."""
        suggested = self._case.path.with_suffix(SUFFIX)
        name, _ = QFileDialog.getSaveFileName(
            self, "Export a bundle", str(suggested), BUNDLE_FILTER
        )
        return with_bundle_suffix(Path(name)) if name else None

    def _choose(self) -> None:
        path = self._ask_path()
        if path is not None:
            self.path_edit.setText(str(path))

    def _fields_changed(self) -> None:
        self.export_button.setEnabled(bool(self.path_edit.text().strip()) and not self._running)

    def start(self) -> None:
        """Export on a worker; the dialog reports the outcome."""
        target = with_bundle_suffix(Path(self.path_edit.text().strip()).expanduser())
        incidents = (
            self._incident_ids
            if self.selected.isChecked()
            else self._filtered_ids
            if self.filtered.isChecked()
            else None
        )
        key = self._key.key_id if self._key and self.sign_box.isChecked() else None
        case = self._case

        def work(progress: Progress, cancelled: CancelFlag) -> BundleSummary:
            return export_bundle(case, target, incidents, key, progress, cancelled)

        self.export_button.setEnabled(False)
        self.message.setText("Writing the bundle…")
        self._running = (
            Operation(self, "Exporting a bundle", work)
            .on_success(self._finished)
            .on_failure(self._failed)
            .run()
        )

    def _finished(self, summary: BundleSummary) -> None:
        self._running = None
        held = ", ".join(f"{n} {t}" for t, n in summary.counts.items() if n)
        signed = f"signed with key {summary.signed_by}" if summary.signed_by else "unsigned"
        self.message.setText(f"Written to {summary.path}: {held}; {signed}.")
        self._fields_changed()
        self.exported.emit(summary)

    def _failed(self, error: DeskError) -> None:
        self._running = None
        self.message.setText(str(error))
        self._fields_changed()
