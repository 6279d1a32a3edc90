"""The incidents of the case in a table, with a filter bar that narrows it in SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.incidents import IncidentFilter
from desk.vocab import EVENT_TYPES, INCIDENT_STATUSES
from ui.models.incident_lines import DATE, lay_out_list
from ui.models.incidents import IncidentTableModel
from ui.panes.incident_editor import OptionalDateEdit

# Wait for a pause in typing before querying again.
FILTER_DELAY_MS = 250


class IncidentListPane(QWidget):
    """The incidents table; click a header to sort (in SQL), use the filter bar to
    narrow it (in SQL, as you type).

    The selection survives sorting and filtering when the incident is still among
    the loaded rows. The main window tells the pane about edits, new and deleted
    incidents (``refresh_incident``, ``select_incident``, ``remove_incident``).

    Signals:
        incident_selected(object): the selected incident's ``uuid.UUID``, or None
            when nothing is selected.

    Attributes:
        model: the ``IncidentTableModel``.
        table: the ``QTableView``.
        filter_edit: words in the title or summary.
        place_filter: a place, in any of its spellings.
        type_filter, status_filter: event type and status ("any" first).
        tag_filter: an editable combo of the case's tags ("" for any).
        date_from, date_to: ``OptionalDateEdit``s bounding the start date.
        clear_filters_button: empties every filter.
    """

    incident_selected = Signal(object)

    def __init__(self, model: IncidentTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._selected: uuid.UUID | None = None
        self._removing = False

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        filter_bar = self._build_filter_bar()

        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several incidents may be chosen for a brief or a bundle; the panes show one.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        lay_out_list(self.table)
        # Date ascending, as the CLI lists them; this also avoids a second query.
        self.table.horizontalHeader().setSortIndicator(DATE, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # The current row moves after the selection does (a Ctrl+click).
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        model.modelReset.connect(self._reselect)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(filter_bar)
        layout.addWidget(self.table)

    def _build_filter_bar(self) -> QWidget:
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Words in the title or summary")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)

        self.place_filter = QLineEdit()
        self.place_filter.setPlaceholderText("Place, any spelling")
        self.place_filter.setClearButtonEnabled(True)
        self.place_filter.textChanged.connect(self._filter_changed)

        self.tag_filter = QComboBox()
        self.tag_filter.setEditable(True)
        self.tag_filter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        tag_line, completer = self.tag_filter.lineEdit(), self.tag_filter.completer()
        # An editable combo has both.
        assert tag_line is not None
        assert completer is not None
        tag_line.setPlaceholderText("Any tag")
        tag_line.setClearButtonEnabled(True)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.refresh_tags()
        self.tag_filter.editTextChanged.connect(self._filter_changed)

        self.type_filter = self._choice("Any type", EVENT_TYPES)
        self.status_filter = self._choice("Any status", INCIDENT_STATUSES)

        self.date_from = OptionalDateEdit("any")
        self.date_from.setToolTip("Incidents that start on or after this day")
        self.date_to = OptionalDateEdit("any")
        self.date_to.setToolTip("Incidents that start on or before this day")
        self.date_to.start_date = lambda: self.date_from.value() or self.date_from.start_date()
        for edit in (self.date_from, self.date_to):
            edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 64)
            edit.value_changed.connect(self._filter_changed)

        self.clear_filters_button = QToolButton()
        self.clear_filters_button.setIcon(QIcon.fromTheme(QIcon.ThemeIcon.EditClear))
        self.clear_filters_button.setText("Clear filters")
        self.clear_filters_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.clear_filters_button.setToolTip("Show every incident again")
        self.clear_filters_button.clicked.connect(self.clear_filters)

        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        for text, edit in (("From", self.date_from), ("to", self.date_to)):
            label = QLabel(text)
            label.setBuddy(edit)
            dates.addWidget(label)
            dates.addWidget(edit)
        bar = QWidget()
        grid = QGridLayout(bar)
        grid.setContentsMargins(0, 0, 0, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.filter_edit, 0, 0, 1, 2)
        grid.addWidget(self.place_filter, 0, 2)
        grid.addWidget(self.clear_filters_button, 0, 3)
        grid.addWidget(self.type_filter, 1, 0)
        grid.addWidget(self.status_filter, 1, 1)
        grid.addWidget(self.tag_filter, 1, 2)
        grid.addLayout(dates, 2, 0, 1, 4, Qt.AlignmentFlag.AlignLeft)
        for column, stretch in enumerate((3, 2, 3, 0)):
            grid.setColumnStretch(column, stretch)
        return bar

    def _choice(self, any_text: str, values: Iterable[str]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(any_text, "")
        for value in values:
            combo.addItem(value, value)
        # Long ACLED names must not widen the bar; the popup shows them whole.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        combo.currentIndexChanged.connect(self._filter_changed)
        return combo

    # -- what the main window calls -------------------------------------------

    def selected_incident(self) -> uuid.UUID | None:
        return self._selected

    def selected_incidents(self) -> list[uuid.UUID]:
        """Every selected incident, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.incident_at(row).id for row in rows]

    def filtering(self) -> bool:
        """Whether the filter bar narrows the list."""
        return self.current_filter() != IncidentFilter()

    def select_row(self, row: int) -> None:
        """Select only this row and make it current (selectRow would add to the
        selection while Ctrl or Shift is held)."""
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0), flags.ClearAndSelect | flags.Rows
        )

    def current_filter(self) -> IncidentFilter:
        """The filter the bar describes (applied after a pause in typing)."""
        return IncidentFilter(
            text=self.filter_edit.text().strip(),
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            place=self.place_filter.text().strip(),
            event_type=self.type_filter.currentData() or "",
            status=self.status_filter.currentData() or "",
            tag=self.tag_filter.currentText().strip(),
        )

    def clear_filters(self) -> None:
        for edit in (self.filter_edit, self.place_filter):
            edit.clear()
        self.tag_filter.setEditText("")
        for combo in (self.type_filter, self.status_filter):
            combo.setCurrentIndex(0)
        for date_edit in (self.date_from, self.date_to):
            date_edit.set_value(None)
        self._apply_filter()

    def refresh_tags(self) -> None:
        """Read the case's tags again for the tag filter, keeping what is typed."""
        typed = self.tag_filter.currentText()
        self.tag_filter.blockSignals(True)
        try:
            self.tag_filter.clear()
            self.tag_filter.addItems(["", *self.model.case.incidents.tags()])
            self.tag_filter.setEditText(typed)
        finally:
            self.tag_filter.blockSignals(False)

    def refresh_incident(self, incident_id: uuid.UUID) -> None:
        """An incident was edited: show its row as it is now, where it is."""
        self.model.refresh_incident(incident_id)
        self.refresh_tags()

    def select_incident(self, incident_id: uuid.UUID) -> None:
        """Select an incident (a new one, a restored one, a linked one), showing it at
        the top of the list when it is not among the rows loaded."""
        row = self.model.ensure_incident(incident_id)
        if row is not None:
            self.select_row(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.refresh_tags()

    def remove_incident(self, incident_id: uuid.UUID) -> None:
        """An incident was deleted: drop its row; if it was selected, select the next."""
        row = self.model.row_of(incident_id)
        was_selected = incident_id == self._selected
        self._removing = True
        try:
            self.model.remove_incident(incident_id)
        finally:
            self._removing = False
        if not was_selected:
            return
        count = self.model.rowCount()
        if row is not None and count:
            self.select_row(min(row, count - 1))
        else:
            self.table.clearSelection()
        self._selection_changed()

    # -- reacting ---------------------------------------------------------------

    def _filter_changed(self, *_args: object) -> None:
        self._filter_timer.start()

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_filter(self.current_filter())

    def _selection_changed(self, *_args: object) -> None:
        if self._removing:
            return
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        current = self.table.currentIndex().row()
        # The row clicked last is the one shown, when it is among the selected.
        row = current if current in rows else min(rows, default=None)
        incident_id = self.model.incident_at(row).id if row is not None else None
        if incident_id != self._selected:
            self._selected = incident_id
            self.incident_selected.emit(incident_id)

    def _reselect(self) -> None:
        # A model reset drops the selection silently; put it back or say it is gone.
        row = self.model.row_of(self._selected) if self._selected else None
        if row is not None:
            self.select_row(row)
            self.table.scrollTo(self.model.index(row, 0))
        elif self._selected is not None:
            self._selected = None
            self.incident_selected.emit(None)
