"""What an import did with each file: new source, already in the case, or why not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk.services.sources import ImportOutcome
from ui.models import AnyIndex

HEADERS = ("File", "Result", "Details")
FILE, RESULT, DETAILS = range(len(HEADERS))
NEW, KNOWN, FAILED = "new", "already in the case", "not imported"


def result_of(outcome: ImportOutcome) -> str:
    if not outcome.ok:
        return FAILED
    return NEW if outcome.created else KNOWN


def details_of(outcome: ImportOutcome) -> str:
    """The source's title, or the reason the file was refused (without its name again)."""
    if outcome.error is not None:
        prefix = f"{outcome.path.name}: "
        return outcome.error.removeprefix(prefix)
    return outcome.source.title if outcome.source is not None else ""


def summary_text(outcomes: Sequence[ImportOutcome], total: int, cancelled: bool) -> str:
    """One line: how many files became new sources, were known, or failed."""
    new = sum(1 for o in outcomes if o.ok and o.created)
    known = sum(1 for o in outcomes if o.ok and not o.created)
    failed = sum(1 for o in outcomes if not o.ok)
    parts = [f"{new} new source{'' if new == 1 else 's'}"]
    if known:
        parts.append(f"{known} already in the case")
    if failed:
        parts.append(f"{failed} not imported")
    text = ", ".join(parts) + "."
    if cancelled and len(outcomes) < total:
        left = total - len(outcomes)
        text = f"Cancelled: {left} of {total} files were not looked at. " + text
    return text


class ImportOutcomeModel(QAbstractTableModel):
    """One row per file looked at: its name, the result and the title or reason.
    No signals."""

    def __init__(
        self,
        outcomes: Sequence[ImportOutcome],
        icons: dict[str, QIcon],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._outcomes = list(outcomes)
        self._icons = icons

    def outcome_at(self, row: int) -> ImportOutcome:
        return self._outcomes[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._outcomes)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        outcome = self._outcomes[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == FILE:
                return (
                    str(outcome.path) if role == Qt.ItemDataRole.ToolTipRole else outcome.path.name
                )
            if column == RESULT:
                return result_of(outcome)
            return details_of(outcome)
        if role == Qt.ItemDataRole.DecorationRole and column == RESULT:
            return self._icons.get(result_of(outcome))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return super().headerData(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class ImportSummaryDialog(QDialog):
    """The per-file summary shown when an import ends; the chosen row's reason is
    shown in full below the table (the first failure is chosen at first). No signals.

    Attributes:
        summary: the one-line count.
        model: the ``ImportOutcomeModel``.
        table: its view.
        details: the chosen file's full path, result and title or reason.
    """

    def __init__(
        self,
        outcomes: Sequence[ImportOutcome],
        total: int,
        cancelled: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import finished" if not cancelled else "Import cancelled")
        style = self.style()
        icons = {
            NEW: style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
            KNOWN: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
            FAILED: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        self.summary = QLabel(summary_text(outcomes, total, cancelled))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.model = ImportOutcomeModel(outcomes, icons, self)
        self.table = QTreeView()
        self.table.setModel(self.model)
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(FILE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RESULT, QHeaderView.ResizeMode.ResizeToContents)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.horizontalAdvance("M") * 72, metrics.lineSpacing() * 24)
        failed = [r for r in range(self.model.rowCount()) if not outcomes[r].ok]
        if outcomes:
            self.table.setCurrentIndex(self.model.index(failed[0] if failed else 0, 0))

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.details.clear()
            return
        outcome = self.model.outcome_at(current.row())
        self.details.setText(f"{outcome.path}\n{result_of(outcome)}: {details_of(outcome)}")
