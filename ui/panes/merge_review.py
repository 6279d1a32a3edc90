"""Changes to review: fields a colleague's bundle changed where this case changed them
too. Both values are shown; the analyst keeps this case's or takes the colleague's."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.bundles import review
from desk.bundles.review import Choice, ReviewView
from desk.case import Case
from desk.errors import DeskError
from ui.errors import show_error
from ui.models import AnyIndex

HEADERS = ("Record", "Field", "Here", "Theirs", "From")
RECORD, FIELD, HERE, THEIRS, FROM = range(len(HEADERS))


class ReviewModel(QAbstractTableModel):
    """One row per open change to review (few: no paging). No signals."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reviews: list[ReviewView] = []

    def set_reviews(self, reviews: list[ReviewView]) -> None:
        self.beginResetModel()
        self._reviews = list(reviews)
        self.endResetModel()

    def review_at(self, row: int) -> ReviewView:
        return self._reviews[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._reviews)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        item = self._reviews[index.row()]
        column = index.column()
        if column == RECORD:
            return item.record_label
        if column == FIELD:
            return item.field
        if column == HERE:
            return review.value_text(item.local_value)
        if column == THEIRS:
            return review.value_text(item.incoming_value)
        return f"{item.from_case} (bundle {item.bundle_sha256[:12]})"

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class MergeReviewPane(QWidget):
    """The open changes to review, with Keep mine and Take theirs.

    Signals:
        decided(object): the ``ReviewView`` just decided (the record changed if taken).

    Attributes:
        model: the ``ReviewModel``; view: its table.
        keep_button, take_button: decide the selected change.
        empty_label: shown when nothing waits.
    """

    decided = Signal(object)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self.model = ReviewModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.empty_label = QLabel("No changes from bundles wait for your choice.")
        self.keep_button = QPushButton("&Keep mine")
        self.keep_button.setToolTip(
            "Keep this case's value; theirs is set aside (history keeps it)"
        )
        self.take_button = QPushButton("&Take theirs")
        self.take_button.setToolTip("Replace this case's value with the colleague's")
        self.keep_button.clicked.connect(lambda: self._decide("local"))
        self.take_button.clicked.connect(lambda: self._decide("incoming"))
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.take_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Read the open changes again (after an import, or a decision)."""
        self.model.set_reviews(review.list_reviews(self._case))
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        self.view.setVisible(not empty)
        if not empty:
            self.view.selectRow(0)
        self._selection_changed()

    def selected(self) -> ReviewView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.review_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_: object) -> None:
        chosen = self.selected() is not None
        self.keep_button.setEnabled(chosen)
        self.take_button.setEnabled(chosen)

    def _decide(self, take: Choice) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        try:
            decided = review.decide(self._case, chosen.id, take)
        except DeskError as exc:
            show_error(self, exc, "Changes to review")
            self.refresh()
            return
        self.refresh()
        self.decided.emit(decided)
