"""The outlets of the case and their Admiralty reliability grades, edited in place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk.errors import DeskError
from desk.services.outlets import OutletView
from ui.commands.claims import GradeOutlet, claim_events, push
from ui.models import AnyIndex
from ui.models.claims import RELIABILITY_MEANINGS, OutletTableModel
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

HELP = (
    "Grade each outlet on the Admiralty scale, A completely reliable to E unreliable, "
    "F when its reliability cannot be judged yet, and say why. Double-click a grade or "
    "a reason to change it; every change can be undone."
)


class GradeDelegate(QStyledItemDelegate):
    """A combo of the six grades with their meanings, for the Reliability column."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        for grade, meaning in RELIABILITY_MEANINGS.items():
            combo.addItem(f"{grade} · {meaning}", grade)
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        grade = index.data(Qt.ItemDataRole.EditRole)
        editor.setCurrentIndex(max(0, editor.findData(grade)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class OutletsDialog(QDialog):
    """Outlets with their grade A-F, its reason and how many sources each has. A grade
    is saved (``GradeOutlet`` on ``undo_stack``) once it has both a letter and a
    reason; Undo and Redo here act on the same stack. No signals.

    Attributes:
        table: the outlets; model: the OutletTableModel; status: what is missing or
        what the core refused.
    """

    def __init__(self, case: Case, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._stack = undo_stack
        self.setWindowTitle("Outlets and their reliability")
        self.resize(860, 420)

        about = QLabel(HELP)
        about.setWordWrap(True)
        self.model = OutletTableModel(self._grade, self)
        self.model.incomplete.connect(self._incomplete)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(OutletTableModel.RELIABILITY, GradeDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(OutletTableModel.REASON, QHeaderView.ResizeMode.Stretch)
        # Reasons wrap: rows follow the width the Reason column gets.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self._hint = hint_label(
            "No outlets yet: an outlet is named when a source is imported or edited."
        )
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        undo = undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = undo_stack.createRedoAction(self, "Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.addAction(undo)
        self.addAction(redo)
        undo_button = QToolButton()
        undo_button.setDefaultAction(undo)
        redo_button = QToolButton()
        redo_button.setDefaultAction(redo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(undo_button)
        bottom.addWidget(redo_button)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._hint, 1)
        layout.addLayout(bottom)

        claim_events(case).outlets_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        try:
            outlets = self._case.outlets.list()
            counts = self._case.outlets.source_counts()
        except DeskError as exc:
            self._say(str(exc), error=True)
            return
        self.model.set_outlets(outlets, counts)
        self._hint.setVisible(not outlets)
        self.table.setVisible(bool(outlets))
        self.table.resizeColumnToContents(OutletTableModel.NAME)
        self.table.resizeColumnToContents(OutletTableModel.RELIABILITY)
        self.table.resizeColumnToContents(OutletTableModel.SOURCES)
        self.table.resizeRowsToContents()

    def outlet(self, name: str) -> OutletView | None:
        row = self.model.row_of(name)
        return self.model.outlet_at(row) if row is not None else None

    def _grade(self, name: str, reliability: str, reason: str) -> bool:
        before = self.outlet(name)
        if before is None:
            return False
        error = push(self._stack, GradeOutlet(self._case, before, reliability, reason))
        if error is not None:
            self._say(str(error), error=True)
            return False
        self._say(f"{name} graded {reliability}.")
        return True

    def _incomplete(self, index: QModelIndex, message: str) -> None:
        self._say(message)
        target = QPersistentModelIndex(index)
        # After the current editor closes: open the cell that is still missing.
        QTimer.singleShot(0, lambda: self._edit(target))

    def _edit(self, target: QPersistentModelIndex) -> None:
        if target.isValid():
            index = self.model.index(target.row(), target.column())
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b3261e;" if error else "")
