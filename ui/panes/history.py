"""The changes to the selected incident or source: who, when, what, before and after."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desk.errors import DeskError
from desk.history import HistoryItem
from ui.models.history import (
    AFTER,
    BEFORE,
    FIELD,
    WHAT,
    WHEN,
    WHO,
    FieldChangesModel,
    HistoryModel,
    when_text,
)
from ui.widgets.hint import hint_label

if TYPE_CHECKING:
    from desk.case import Case

RecordKind = Literal["incident", "source"]

NOTHING_SELECTED = {
    "incident": "Select an incident to see its changes.",
    "source": "Select a source to see its changes.",
}


class HistoryPane(QWidget):
    """The change log of one incident or source, newest first, with the chosen entry's
    fields before and after below it.

    An incident's list has the changes to its notes and its sources being attached
    and detached; a source's has its notes and the incidents it was attached to. The
    list is read when the pane is visible: while hidden (a tab behind another) it only
    remembers what to show. No signals.

    Attributes:
        model: the ``HistoryModel`` of entries.
        table: the entries.
        changes_model: the ``FieldChangesModel`` of the selected entry.
        changes: its table (Field, Before, After).
        detail: the selected entry in one line (who, when, what).
    """

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._kind: RecordKind = "incident"
        self._record_id: uuid.UUID | None = None
        self._stale = False
        # In a tab of docks, Qt calls every tab visible; the dock says which is in front
        # (set_shown). None: not in a dock, visible means seen.
        self._in_front: bool | None = None

        self.heading = QLabel("History")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)

        self.model = HistoryModel(self)
        self.table = QTreeView()
        self.table.setModel(self.model)
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAllColumnsShowFocus(True)
        header = self.table.header()
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        header.resizeSection(WHEN, metrics.horizontalAdvance("0000-00-00 00:00 UTC") + 16)
        header.resizeSection(WHO, metrics.horizontalAdvance("M") * 10)
        header.resizeSection(WHAT, metrics.horizontalAdvance("M") * 30)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes_model = FieldChangesModel(self)
        self.changes = QTableView()
        self.changes.setModel(self.changes_model)
        self.changes.setWordWrap(True)
        self.changes.setAlternatingRowColors(True)
        self.changes.verticalHeader().hide()
        self.changes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changes.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        columns = self.changes.horizontalHeader()
        columns.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(BEFORE, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(AFTER, QHeaderView.ResizeMode.Stretch)
        # Long values (a note's text, a summary) wrap; rows grow to fit them.
        self.changes.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail)
        lower_layout.addWidget(self.changes, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 300])

        self._placeholder = hint_label(NOTHING_SELECTED["incident"])
        self._stack = QStackedWidget()
        self._stack.addWidget(self._placeholder)
        self._stack.addWidget(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self._stack, 1)

    def show_incident(self, incident_id: uuid.UUID | None) -> None:
        self._show("incident", incident_id)

    def show_source(self, source_id: uuid.UUID | None) -> None:
        self._show("source", source_id)

    def refresh(self) -> None:
        """Read the list again (after a change), keeping the selected entry unless it was
        the newest: then the new newest is selected."""
        if not self.isVisible() or self._in_front is False:
            self._stale = True
            return
        self._stale = False
        if self._record_id is None:
            self._show_placeholder(NOTHING_SELECTED[self._kind])
            return
        try:
            items = self._case.notes.record_history(self._record_id)
        except DeskError as exc:
            self._show_placeholder(str(exc))
            return
        selected = self.selected_item()
        if selected is not None and self.model.row_of(selected.seq) == 0:
            selected = None  # on the newest change: follow the newest
        self.model.set_items(items)
        what = "incident" if self._kind == "incident" else "source"
        self.heading.setText(f"History of this {what} ({len(items)})")
        if not items:
            self._show_placeholder(f"No changes are recorded for this {what}.")
            return
        self._stack.setCurrentIndex(1)
        row = self.model.row_of(selected.seq) if selected is not None else None
        self.table.setCurrentIndex(self.model.index(row or 0, 0))

    def selected_item(self) -> HistoryItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_at(rows[0].row()) if rows else None

    def set_shown(self, shown: bool) -> None:
        """Whether the pane's dock is in front of its tab group (its history is read
        only then: a long one takes a while)."""
        self._in_front = shown
        if shown and self._stale:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _show(self, kind: RecordKind, record_id: uuid.UUID | None) -> None:
        if (kind, record_id) != (self._kind, self._record_id):
            self.model.set_items([])  # a new record starts at its newest change
        self._kind = kind
        self._record_id = record_id
        self.refresh()

    def _show_placeholder(self, text: str) -> None:
        self.model.set_items([])
        self.changes_model.set_item(None)
        self.heading.setText("History")
        self._placeholder.setText(text)
        self._stack.setCurrentIndex(0)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        item = self.selected_item()
        self.changes_model.set_item(item)
        if item is None:
            self.detail.clear()
            return
        self.detail.setText(f"{when_text(item)} · {item.actor} · {item.summary}")
        self.changes.setVisible(self.changes_model.rowCount() > 0)
        # A creation has no "before" and a deletion no "after": show only what is there.
        self.changes.setColumnHidden(BEFORE, not item.before)
        self.changes.setColumnHidden(AFTER, not item.after)
