"""Importing a colleague's bundle: check it, show who made and signed it and what it
would change, then merge it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.bundles import merge
from desk.bundles.merge import MergePlan
from desk.bundles.reader import BundleCancelled, ValidatedBundle, open_bundle
from desk.case import Case
from desk.errors import DeskError
from ui.operations import CancelFlag, Operation, Progress

COLUMNS = ("Records", "New", "Already here", "Merged", "To review")


class BundleImportDialog(QDialog):
    """Checks the bundle and previews the merge on a worker as soon as it opens; Import
    merges it on a worker (one transaction: cancel leaves the case as it was).

    Signals:
        previewed(object): the ``MergePlan`` of the preview, once the bundle is checked.
        imported(object): the ``MergePlan`` after the merge was committed.
        refused(str): the reason the bundle cannot be imported.

    Attributes:
        bundle_label: where the bundle comes from; signature_label: who signed it.
        table: per record type, what the merge adds, finds, merges and leaves to review.
        summary_label: the outcome in one sentence (or the reason for a refusal).
        import_button: merges the bundle once it is checked.
        bundle: the ``ValidatedBundle`` once checked, else None.
    """

    previewed = Signal(object)
    imported = Signal(object)
    refused = Signal(str)

    def __init__(self, case: Case, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import bundle {path.name}")
        self._case = case
        self._path = path
        self.bundle: ValidatedBundle | None = None
        self._running: Operation[Any] | None = None

        self.bundle_label = QLabel(f"Checking {path.name}…")
        self.bundle_label.setTextFormat(Qt.TextFormat.PlainText)
        self.bundle_label.setWordWrap(True)
        self.signature_label = QLabel()
        self.signature_label.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.bundle_label)
        layout.addWidget(self.signature_label)
        layout.addWidget(self.table)
        layout.addWidget(self.summary_label)
        layout.addWidget(buttons)
        self._check()

    def reject(self) -> None:
        """Close; while the bundle is checked or merged, Close (or Escape) cancels first."""
        if self._running is not None:
            self._running.cancel()
            return
        super().reject()

    def _check(self) -> None:
        case, path = self._case, self._path

        def work(progress: Progress, cancelled: CancelFlag) -> tuple[ValidatedBundle, MergePlan]:
            bundle = open_bundle(path, progress=progress, cancelled=cancelled)
            return bundle, merge.preview(case, bundle, progress, cancelled)

        self._running = (
            Operation(self, "Checking the bundle", work)
            .on_success(self._checked)
            .on_failure(self._refused)
            .run()
        )

    def _checked(self, result: tuple[ValidatedBundle, MergePlan]) -> None:
        self._running = None
        bundle, plan = result
        self.bundle = bundle
        manifest = bundle.manifest
        self.bundle_label.setText(
            f"From the case '{manifest.case_title}', made by {manifest.created_by} on "
            f"{manifest.created_at:%Y-%m-%d %H:%M} UTC (bundle {bundle.short_id})."
        )
        self.signature_label.setText(_signature_text(bundle))
        self._show(plan)
        self.import_button.setEnabled(plan.changed)
        self.previewed.emit(plan)

    def _show(self, plan: MergePlan) -> None:
        rows = [
            (name, c)
            for name, c in plan.counts.items()
            if c.added or c.unchanged or c.updated or c.review
        ]
        self.table.setRowCount(len(rows))
        for row, (name, counts) in enumerate(rows):
            cells = (name, counts.added, counts.unchanged, counts.updated, counts.review)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.summary_label.setText(plan.summary())

    def _refused(self, error: DeskError) -> None:
        self._running = None
        self.summary_label.setText(str(error))
        self.import_button.setEnabled(False)
        self.refused.emit(str(error))

    def start_import(self) -> None:
        if self.bundle is None:
            return
        case, bundle = self._case, self.bundle

        def work(progress: Progress, cancelled: CancelFlag) -> MergePlan:
            return merge.apply(case, bundle, progress, cancelled)

        self.import_button.setEnabled(False)
        self.summary_label.setText("Importing…")
        self._running = (
            Operation(self, "Importing the bundle", work)
            .on_success(self._imported)
            .on_failure(self._failed)
            .run()
        )

    def _imported(self, plan: MergePlan) -> None:
        self._running = None
        self._show(plan)
        if plan.reviews:
            self.summary_label.setText(
                plan.summary() + " Open the changes to review to choose between the versions."
            )
        self.imported.emit(plan)

    def _failed(self, error: DeskError) -> None:
        self._running = None
        cancelled = isinstance(error, BundleCancelled)
        self.summary_label.setText(str(error) if cancelled else f"{error} Nothing was imported.")
        self.import_button.setEnabled(self.bundle is not None)


def _signature_text(bundle: ValidatedBundle) -> str:
    signature = bundle.signature
    if not signature.signed:
        return "Not signed: nothing says who made it."
    who = f"key {signature.key_id}" + (f" ({signature.label})" if signature.label else "")
    if signature.trusted:
        return f"Signed by {who}, a key you trust."
    return f"Signed by {who}, a key you have NOT marked trusted."
