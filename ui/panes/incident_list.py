"""The incidents of the case in a table, with a quick text filter."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.services.incidents import IncidentFilter
from desk.vocab import INCIDENT_STATUSES
from ui.models.incidents import DATE, PLACE, SOURCES, STATUS, TITLE, TYPE, IncidentTableModel

# Wait for a pause in typing before querying again.
FILTER_DELAY_MS = 250


class IncidentListPane(QWidget):
    """The incidents table; click a header to sort (in SQL), type to filter.

    The selection survives sorting and filtering when the incident is still among
    the loaded rows.

    Signals:
        incident_selected(object): the selected incident's ``uuid.UUID``, or None
            when nothing is selected.

    Attributes:
        model: the ``IncidentTableModel``.
        table: the ``QTableView``.
        filter_edit: the filter box (text in title or summary).
    """

    incident_selected = Signal(object)

    def __init__(self, model: IncidentTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._selected: uuid.UUID | None = None

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by words in the title or summary")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_typed)

        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        # Dates, statuses and counts fit whole; places and types get what a common
        # one needs (the tooltip has the rest); the title takes all that is left.
        metrics = self.fontMetrics()
        samples = {
            DATE: ["0000-00-00", "0000-W00"],
            PLACE: ["Deir ez-Zor"],
            TYPE: ["Strategic develop"],
            STATUS: list(INCIDENT_STATUSES),
            SOURCES: ["Sources"],
        }
        for column, texts in samples.items():
            header.resizeSection(column, max(map(metrics.horizontalAdvance, texts)) + 24)
        # Date ascending, as the CLI lists them; this also avoids a second query.
        header.setSortIndicator(DATE, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        model.modelReset.connect(self._reselect)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table)

    def selected_incident(self) -> uuid.UUID | None:
        return self._selected

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _filter_typed(self, _text: str) -> None:
        self._filter_timer.start()

    def _apply_filter(self) -> None:
        self.model.set_filter(IncidentFilter(text=self.filter_edit.text().strip()))

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        incident_id = self.model.incident_at(rows[0].row()).id if rows else None
        if incident_id != self._selected:
            self._selected = incident_id
            self.incident_selected.emit(incident_id)

    def _reselect(self) -> None:
        # A model reset drops the selection silently; put it back or say it is gone.
        row = self.model.row_of(self._selected) if self._selected else None
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        elif self._selected is not None:
            self._selected = None
            self.incident_selected.emit(None)
